/*
 * tandem segment FILE: decode a document and print its sentences, one per
 * line with an empty line between paragraphs, or as JSON lines with the
 * paragraph index and the byte offsets into the decoded text.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "cli.h"
#include "commands.h"
#include "tandem/segment.h"
#include "tandem/text.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: tandem segment FILE [-l LANG] [--encoding NAME] [--line-paragraphs]\n"
		"                      [--presegmented] [--format text|jsonl]\n"
		"\n"
		"Split FILE ('-' for standard input) into sentences: one sentence per line,\n"
		"an empty line between paragraphs.\n"
		"\n"
		"  -l, --lang LANG       language (ICU locale: de, en, fr_CH ...); default: the\n"
		"                        file's extension (news.de -> de)\n"
		"  -e, --encoding NAME   input encoding (any iconv name); default: a BOM, else\n"
		"                        UTF-8, else detected when the detector is confident\n"
		"      --line-paragraphs every line is a paragraph (no sentence crosses a line)\n"
		"      --presegmented    every non-empty line is a sentence already\n"
		"  -f, --format FMT      text (default) or jsonl: {\"paragraph\",\"sentence\",\n"
		"                        \"start\",\"end\",\"text\"}, offsets are bytes into the\n"
		"                        decoded UTF-8 text\n"
		"      --plain-icu       ICU's breaks only, without tandem's rules (comparison)\n"
		"  -h, --help            this help\n");
}

static void print_doc(const td_doc *doc, int jsonl)
{
	size_t i;

	for (i = 0; i < doc->n; i++) {
		const td_sentence *s = &doc->v[i];
		if (jsonl) {
			printf("{\"paragraph\":%u,\"sentence\":%zu,\"start\":%zu,\"end\":%zu,\"text\":",
			       s->paragraph, i, s->start, s->end);
			td_json_string(stdout, s->text, strlen(s->text));
			fputs("}\n", stdout);
			continue;
		}
		if (i > 0 && s->paragraph != doc->v[i - 1].paragraph)
			putchar('\n');
		puts(s->text);
	}
}

int cmd_segment(int argc, char **argv)
{
	enum { OPT_LINE = 256, OPT_PRESEG, OPT_PLAIN };
	static const struct option longopts[] = {
		{ "lang", required_argument, NULL, 'l' },
		{ "encoding", required_argument, NULL, 'e' },
		{ "format", required_argument, NULL, 'f' },
		{ "line-paragraphs", no_argument, NULL, OPT_LINE },
		{ "presegmented", no_argument, NULL, OPT_PRESEG },
		{ "plain-icu", no_argument, NULL, OPT_PLAIN },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	td_seg_opts opts = TD_SEG_OPTS_INIT;
	const char *lang = NULL, *encoding = NULL, *path;
	char langbuf[16];
	char *text = NULL;
	size_t len = 0;
	td_doc *doc = NULL;
	int c, jsonl = 0, rc;

	optind = 1;
	while ((c = cli_getopt("segment", argc, argv, "l:e:f:h", longopts)) != -1) {
		switch (c) {
		case 'l': lang = optarg; break;
		case 'e': encoding = optarg; break;
		case 'f':
			if ((jsonl = cli_choice("segment", "format", optarg, (const char *const[]){ "text", "jsonl", NULL })) < 0)
				return CLI_USAGE;
			break;
		case OPT_LINE: opts.mode = TD_SEG_LINE_PARAGRAPHS; break;
		case OPT_PRESEG: opts.mode = TD_SEG_PRESEGMENTED; break;
		case OPT_PLAIN: opts.plain_icu = true; break;
		case 'h':
			usage(stdout);
			return cli_finish(CLI_OK);
		default:
			return CLI_USAGE;  /* cli_getopt said why */
		}
	}
	if (optind + 1 != argc)
		return cli_usage_error("segment", optind >= argc ? "no input file" : "one input file only");
	path = argv[optind];
	if (!lang) {
		if (strcmp(path, "-") == 0 || cli_lang_from_path(path, langbuf, sizeof(langbuf)) < 0 ||
		    !td_seg_lang_valid(langbuf))
			return cli_usage_error("segment", "cannot tell the language of '%s': pass -l LANG",
					       path);
		lang = langbuf;
	} else if (!td_seg_lang_valid(lang)) {
		return cli_usage_error("segment", "'%s' is not a language (try de, en, fr_CH)", lang);
	}
	opts.lang = lang;
	rc = td_text_decode_file(&text, &len, path, encoding);
	if (rc == 0)
		rc = td_seg_split(&doc, text, len, &opts);
	if (rc == TD_EINVAL && !doc) {
		cli_lib_error();
		rc = CLI_USAGE;
		goto cleanup;
	}
	if (rc < 0) {
		rc = cli_lib_error();
		goto cleanup;
	}
	if (doc->n == 0) {
		/* Nothing to split is bad input, not an empty result. */
		cli_error("%s: %s", strcmp(path, "-") ? path : "stdin",
			  len ? "no text (only white space)" : "empty file");
		rc = CLI_FAIL;
		goto cleanup;
	}
	print_doc(doc, jsonl);
	rc = CLI_OK;
cleanup:
	td_doc_free(doc);
	free(text);
	return cli_finish(rc);
}
