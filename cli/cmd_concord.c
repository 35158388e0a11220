/*
 * tandem concord: every unit whose source (or target) contains a word or a
 * phrase, with the phrase highlighted and the translation beside it, the
 * words aligned to the phrase marked in it.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "render.h"
#include "tandem/concord.h"
#include "tandem/lexicon.h"
#include "tandem/lookup.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: tandem concord [-s LANG -t LANG] [--lang LANG] [--max N] [--sort newest|frequent]\n"
		"                      [--exact] [--json] [--no-lexicon] [--tm FILE] PHRASE...\n"
		"\n"
		"Show the units whose source contains PHRASE (its words in this order,\n"
		"next to each other), with PHRASE marked and the translation beside it.\n"
		"Case and diacritics are ignored: 'munchen' finds 'München'. In the\n"
		"translation, the words aligned to PHRASE are marked too (by the\n"
		"dictionary, identical words, cognates and the TM's word statistics);\n"
		"a unit without a clear translation of it has no mark there.\n"
		"\n"
		"  -s, --src LANG      only units with this source language (de also selects de-AT)\n"
		"  -t, --tgt LANG      only units with this target language\n"
		"  -l, --lang LANG     search the side in LANG: the target when LANG is the\n"
		"                      target language of -t (or of the newest unit)\n"
		"  -n, --max N         most units shown (default 50)\n"
		"      --sort ORDER    newest (default) or frequent: most often seen first,\n"
		"                      among the newest 5000 units that contain PHRASE\n"
		"      --exact         case and diacritics must match too\n"
		"  -j, --json          one JSON object per unit: {\"source\", \"target\", \"hits\": [[start,\n"
		"                      end], ...] (bytes of the searched side), \"aligned\": [[start,\n"
		"                      end], ...] (bytes of the other side), \"unit\", \"seen\"}\n"
		"      --no-lexicon    align by the TM's evidence alone (no dictionary)\n"
		"      --lexicon FILE  dictionary to use (default: Debian's for the pair, when the\n"
		"                      pair is given or the TM has one pair)\n"
		"      --color WHEN    auto (default), always or never\n"
		"      --tm FILE       the TM (default $TANDEM_TM, else ./tandem.db)\n"
		"  -h, --help          this help\n");
}

/* text with the byte spans [sp[2i], sp[2i+1]) marked: in colour, else in brackets. */
static void print_marked(const char *text, const size_t *sp, size_t n, const char *on, int color)
{
	const char *off = color ? "\033[0m" : "]";
	size_t pos = 0, i;

	if (!color)
		on = "[";
	for (i = 0; i < n; i++) {
		fwrite(text + pos, 1, sp[2 * i] - pos, stdout);
		fputs(on, stdout);
		fwrite(text + sp[2 * i], 1, sp[2 * i + 1] - sp[2 * i], stdout);
		fputs(off, stdout);
		pos = sp[2 * i + 1];
	}
	fputs(text + pos, stdout);
}

int cmd_concord(int argc, char **argv)
{
	enum { OPT_TM = 256, OPT_SORT, OPT_EXACT, OPT_COLOR, OPT_NOLEX, OPT_LEX };
	static const struct option longopts[] = {
		{ "src", required_argument, NULL, 's' },
		{ "tgt", required_argument, NULL, 't' },
		{ "lang", required_argument, NULL, 'l' },
		{ "max", required_argument, NULL, 'n' },
		{ "sort", required_argument, NULL, OPT_SORT },
		{ "exact", no_argument, NULL, OPT_EXACT },
		{ "json", no_argument, NULL, 'j' },
		{ "color", required_argument, NULL, OPT_COLOR },
		{ "tm", required_argument, NULL, OPT_TM },
		{ "no-lexicon", no_argument, NULL, OPT_NOLEX },
		{ "lexicon", required_argument, NULL, OPT_LEX },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	td_concord_opts opts = TD_CONCORD_OPTS_INIT;
	td_concord_result r = { 0 };
	td_lookup *lk = NULL;
	td_lexicon *lx = NULL;
	const char *tm = NULL, *lang = NULL, *src = NULL, *tgt = NULL, *lexpath = NULL;
	char dsrc[64], dtgt[64], *phrase = NULL, *end;
	int c, rc, json = 0, color = -1, i, nolex = 0, have_pair = 0;
	size_t plen = 0, k;
	long n;

	optind = 1;
	while ((c = cli_getopt("concord", argc, argv, "s:t:l:n:jh", longopts)) != -1) {
		switch (c) {
		case 's': src = optarg; break;
		case 't': tgt = optarg; break;
		case 'l': lang = optarg; break;
		case 'n':
			n = strtol(optarg, &end, 10);
			if (end == optarg || *end || n < 1 || n > 100000)
				return cli_usage_error("concord", "--max wants a whole number 1..100000, not '%s'", optarg);
			opts.max = (size_t)n;
			break;
		case OPT_SORT:
			if (strcmp(optarg, "newest") == 0)
				opts.order = TD_CONCORD_NEWEST;
			else if (strcmp(optarg, "frequent") == 0)
				opts.order = TD_CONCORD_FREQUENT;
			else
				return cli_usage_error("concord", "--sort is newest or frequent, not '%s'", optarg);
			break;
		case OPT_EXACT: opts.exact = 1; break;
		case 'j': json = 1; break;
		case OPT_COLOR:
			if ((color = cli_color_option("concord", optarg)) < -1)
				return CLI_USAGE;
			break;
		case OPT_TM: tm = optarg; break;
		case OPT_NOLEX: nolex = 1; break;
		case OPT_LEX: lexpath = optarg; break;
		case 'h':
			usage(stdout);
			return cli_finish(CLI_OK);
		default:
			return CLI_USAGE;  /* cli_getopt said why */
		}
	}
	if (optind >= argc)
		return cli_usage_error("concord", "no word or phrase to search for");
	if (nolex && lexpath)
		return cli_usage_error("concord", "--no-lexicon and --lexicon exclude each other");
	if (cli_lang_pair("concord", src, tgt, 0) != 0 || (lang && cli_lang_pair("concord", lang, NULL, 0) != 0))
		return CLI_USAGE;
	color = cli_color_stdout(color);
	for (i = optind; i < argc; i++)
		plen += strlen(argv[i]) + 1;
	phrase = calloc(1, plen + 1);
	if (!phrase) {
		rc = cli_lib_error();
		goto cleanup;
	}
	for (i = optind; i < argc; i++) {
		if (i > optind)
			strcat(phrase, " ");
		strcat(phrase, argv[i]);
	}
	rc = td_lookup_open(&lk, cli_tm_path(tm));
	/* Without -s/-t every pair is searched; --lang then needs the TM's only pair,
	 * and the dictionary is the one of that pair when there is only one. */
	if (rc == 0 && (!src || !tgt)) {
		rc = td_lookup_default_pair(dsrc, dtgt, sizeof(dsrc), lk);
		have_pair = rc == 0;
		if (rc < 0 && !lang)
			rc = 0;
	} else if (rc == 0) {
		have_pair = 1;
	}
	if (rc == TD_EINVAL) {
		cli_error("concord: %s; choose one with -s and -t", td_error_last());
		rc = CLI_USAGE;
		goto cleanup;
	}
	if (rc < 0) {
		rc = cli_lib_error();
		goto cleanup;
	}
	if (lang) {
		const char *t = tgt ? tgt : dtgt, *s = src ? src : dsrc;
		if (strcmp(lang, t) == 0 && strcmp(lang, s) != 0) {
			opts.in_target = 1;
		} else if (strcmp(lang, s) != 0) {
			rc = cli_usage_error("concord", "--lang %s is neither the source (%s) nor the target (%s)",
				lang, s, t);
			goto cleanup;
		}
	}
	opts.src_lang = src;
	opts.tgt_lang = tgt;
	if (opts.in_target && !opts.tgt_lang)
		opts.tgt_lang = dtgt;
	if (have_pair && !nolex) {
		/* The dictionary from the searched language to the other one, for the units of the pair. */
		const char *s = src ? src : dsrc, *t = tgt ? tgt : dtgt;
		rc = opts.in_target ? cli_lexicon_load(&lx, lexpath, t, s, 1) : cli_lexicon_load(&lx, lexpath, s, t, 1);
		if (rc < 0) {
			rc = cli_lib_error();
			goto cleanup;
		}
		opts.src_lang = s;
		opts.tgt_lang = t;
		opts.lexicon = lx;
	}
	rc = td_concord(&r, lk, phrase, &opts);
	if (rc < 0) {
		rc = rc == TD_EINVAL ? (cli_lib_error(), CLI_USAGE) : cli_lib_error();
		goto cleanup;
	}
	for (k = 0; k < r.n; k++) {
		const td_concord_hit *h = &r.v[k];
		const char *searched = opts.in_target ? h->target : h->source;
		if (json) {
			render_concord_hit(stdout, h, opts.in_target);
			putchar('\n');
			continue;
		}
		print_marked(searched, h->hits, h->nhits, "\033[1;33m", color);
		fputs("\n    ", stdout);
		print_marked(opts.in_target ? h->source : h->target, h->aligned, h->naligned, "\033[1;36m", color);
		if (h->seen > 1)
			printf("   (seen %lld times)", (long long)h->seen);
		putchar('\n');
	}
	if (!json && r.n == 0)
		printf("no unit contains '%s'\n", phrase);
	rc = CLI_OK;
cleanup:
	td_concord_result_free(&r);
	free(phrase);
	td_lexicon_free(lx);
	td_lookup_close(lk);
	return cli_finish(rc);
}
