/*
 * tandem terms TERM: how a term has been translated in the TM, with counts,
 * a confidence and example units; tandem terms --extract: a glossary of the
 * TM's frequent source terms as TSV or TBX.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "render.h"
#include "tandem/lexicon.h"
#include "tandem/terms.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: tandem terms [-s de -t en] [--json] [--max 10] [--no-lexicon] [--tm FILE] TERM\n"
		"       tandem terms --extract [-s de -t en] [--min-count 3] [--max 200]\n"
		"                    [--format tsv|tbx] [--no-lexicon] [--tm FILE]\n"
		"\n"
		"TERM: the term's own translation in each unit that has it (a word alignment\n"
		"inside the unit: dictionary, identical words and cognates, numbers, and word\n"
		"statistics the TM keeps), the same expressions merged, surest first. A unit\n"
		"has the term when its source\n"
		"contains the term's words in any inflected form (Snowball stems; German\n"
		"umlauts also as ae/oe/ue). Longer words that begin with the term (compounds)\n"
		"are listed apart and are not counted. For each translation: the units that\n"
		"support it (one unit is shown as 1 example), their share of the term's units,\n"
		"a confidence (how sure the alignments are and how many units agree) and examples with\n"
		"the term and the translation marked. An unknown term prints nothing found\n"
		"and exits 0.\n"
		"\n"
		"--extract: a glossary of frequent source terms (German: capitalised words\n"
		"not at the start of a sentence, and runs of them; other languages: content\n"
		"words and collocations) with their best translation, as TSV (term, translation,\n"
		"comment: what OmegaT reads) or TBX.\n"
		"\n"
		"  -s, --source LANG   source language (default de)\n"
		"  -t, --target LANG   target language (default en)\n"
		"      --json          one JSON object: {\"term\", \"units\", \"translations\":\n"
		"                      [{\"target\", \"count\", \"share\", \"score\", \"examples\"}],\n"
		"                      \"aligned\", \"unclear\" (units without a clear\n"
		"                      translation), \"related\"}; spans are byte offsets\n"
		"  -n, --max N         translations to show (10), or terms to extract (200)\n"
		"      --no-lexicon    the TM's evidence alone (no dictionary boost)\n"
		"      --lexicon FILE  dictionary to use (default: Debian's for the pair)\n"
		"      --tm FILE       the TM (default $TANDEM_TM, else ./tandem.db)\n"
		"      --extract       build a glossary instead of answering one term\n"
		"      --min-count N   units a term must occur in to enter the glossary (3)\n"
		"  -f, --format FMT    glossary format: tsv (default) or tbx\n"
		"  -o, --out FILE      write the glossary to FILE instead of standard output\n"
		"  -h, --help          this help\n");
}

/* text with the spans marked: bold on a terminal, [ ] otherwise. */
static void print_marked(const char *text, const td_terms_span *sp, size_t n, int tty)
{
	size_t at = 0, i;

	for (i = 0; i < n; i++) {
		if (sp[i].start < at || sp[i].end < sp[i].start)
			continue;
		fwrite(text + at, 1, sp[i].start - at, stdout);
		fputs(tty ? "\033[1;33m" : "[", stdout);
		fwrite(text + sp[i].start, 1, sp[i].end - sp[i].start, stdout);
		fputs(tty ? "\033[0m" : "]", stdout);
		at = sp[i].end;
	}
	fputs(text + at, stdout);
	putchar('\n');
}

static void print_text(const td_terms_result *r, const char *src, const char *tgt)
{
	int tty = isatty(fileno(stdout));
	size_t i, k;

	if (r->units == 0) {
		printf("%s: not found in the %s-%s units of the TM\n", r->term, src, tgt);
	} else {
		printf("%s (%s -> %s): %lld unit%s%s\n", r->term, src, tgt, (long long)r->units,
		       r->units == 1 ? "" : "s",
		       r->sampled ? " (estimated from an evenly spread sample)" : "");
	}
	if (r->units > 0 && r->n == 0)
		printf("No word of the target aligns well with it.\n");
	for (i = 0; i < r->n; i++) {
		const td_terms_translation *t = &r->v[i];
		/* One unit is one example, not a statistic: no percentage for it. */
		if (t->count == 1)
			printf("\n%2zu. %s  1 example, score %.2f%s\n", i + 1, t->target, t->score,
			       t->in_lexicon ? ", in the dictionary" : "");
		else
			printf("\n%2zu. %s  %lld units, %.0f%%, score %.2f%s\n", i + 1, t->target,
			       (long long)t->count, 100.0 * t->share, t->score,
			       t->in_lexicon ? ", in the dictionary" : "");
		for (k = 0; k < t->nexamples; k++) {
			const td_terms_example *e = &t->examples[k];
			printf("    %s: ", src);
			print_marked(e->source, e->src_spans, e->nsrc_spans, tty);
			printf("    %s: ", tgt);
			print_marked(e->target, e->tgt_spans, e->ntgt_spans, tty);
		}
	}
	for (k = 0; k < r->nunclear; k++) {
		const td_terms_example *e = &r->unclear[k];
		printf("\n    no clear translation in this segment:\n    %s: ", src);
		print_marked(e->source, e->src_spans, e->nsrc_spans, tty);
		printf("    %s: %s\n", tgt, e->target);
	}
	if (r->nrelated) {
		printf("\nLonger words beginning with the term (not counted):");
		for (i = 0; i < r->nrelated; i++)
			printf("%s %s (%lld)", i ? "," : "", r->related[i].form,
			       (long long)r->related[i].count);
		putchar('\n');
	}
}

int cmd_terms(int argc, char **argv)
{
	enum { OPT_JSON = 256, OPT_NOLEX, OPT_LEX, OPT_TM, OPT_EXTRACT, OPT_MIN };
	static const struct option longopts[] = {
		{ "source", required_argument, NULL, 's' },
		{ "target", required_argument, NULL, 't' },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "max", required_argument, NULL, 'n' },
		{ "no-lexicon", no_argument, NULL, OPT_NOLEX },
		{ "lexicon", required_argument, NULL, OPT_LEX },
		{ "tm", required_argument, NULL, OPT_TM },
		{ "extract", no_argument, NULL, OPT_EXTRACT },
		{ "min-count", required_argument, NULL, OPT_MIN },
		{ "format", required_argument, NULL, 'f' },
		{ "out", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *src = "de", *tgt = "en", *tm_opt = NULL, *lexpath = NULL, *outpath = NULL;
	int c, json = 0, nolex = 0, extract = 0, tbx = 0, rc;
	long max = -1, min_count = 3;
	td_terms *tt = NULL;
	td_lexicon *lx = NULL;
	td_terms_result *res = NULL;
	td_glossary *g = NULL;
	FILE *out = NULL;

	optind = 1;
	while ((c = cli_getopt("terms", argc, argv, "s:t:n:f:o:h", longopts)) != -1) {
		switch (c) {
		case 's': src = optarg; break;
		case 't': tgt = optarg; break;
		case OPT_JSON: json = 1; break;
		case 'n':
			if (cli_count("terms", "--max", optarg, 1, 100000, &max) < 0)
				return CLI_USAGE;
			break;
		case OPT_MIN:
			if (cli_count("terms", "--min-count", optarg, 1, LONG_MAX, &min_count) < 0)
				return CLI_USAGE;
			break;
		case OPT_NOLEX: nolex = 1; break;
		case OPT_LEX: lexpath = optarg; break;
		case OPT_TM: tm_opt = optarg; break;
		case OPT_EXTRACT: extract = 1; break;
		case 'f':
			if ((tbx = cli_choice("terms", "format", optarg, (const char *const[]){ "tsv", "tbx", NULL })) < 0)
				return CLI_USAGE;
			break;
		case 'o': outpath = optarg; break;
		case 'h':
			usage(stdout);
			return cli_finish(CLI_OK);
		default:
			return CLI_USAGE;  /* cli_getopt said why */
		}
	}
	if (extract && optind != argc)
		return cli_usage_error("terms", "--extract takes no TERM");
	if (!extract && optind + 1 != argc)
		return cli_usage_error("terms", optind >= argc ? "no TERM given" : "one TERM only (quote a multiword term)");
	if (nolex && lexpath)
		return cli_usage_error("terms", "--no-lexicon and --lexicon exclude each other");
	if (cli_lang_pair("terms", src, tgt, 0) != 0)
		return CLI_USAGE;

	rc = td_terms_open(&tt, cli_tm_path(tm_opt));
	if (rc == 0 && !nolex)
		/* Without a dictionary for the pair the TM's evidence still answers. */
		rc = cli_lexicon_load(&lx, lexpath, src, tgt, 1);
	if (rc == TD_EINVAL) {
		cli_lib_error();
		rc = CLI_USAGE;
		goto cleanup;
	}
	if (rc < 0) {
		rc = cli_lib_error();
		goto cleanup;
	}
	if (extract) {
		td_terms_extract_opts eo = TD_TERMS_EXTRACT_OPTS_INIT;
		eo.src_lang = src;
		eo.tgt_lang = tgt;
		eo.min_count = min_count;
		if (max > 0)
			eo.max = (size_t)max;
		eo.lexicon = lx;
		rc = td_terms_extract(&g, tt, &eo);
		if (rc == 0) {
			out = outpath ? fopen(outpath, "w") : stdout;
			if (!out) {
				cli_error("%s: cannot write: %s", outpath, strerror(errno));
				rc = CLI_FAIL;
				goto cleanup;
			}
			rc = tbx ? td_glossary_write_tbx(out, g) : td_glossary_write_tsv(out, g);
		}
	} else {
		td_terms_opts o = TD_TERMS_OPTS_INIT;
		o.src_lang = src;
		o.tgt_lang = tgt;
		if (max > 0)
			o.max = (size_t)max;
		o.lexicon = lx;
		rc = td_terms_query(&res, tt, argv[optind], &o);
		if (rc == 0) {
			if (json)
				{
				render_terms(stdout, res, src, tgt);
				putchar('\n');
			}
			else
				print_text(res, src, tgt);
		}
	}
	if (rc == TD_EINVAL) {
		cli_lib_error();
		rc = CLI_USAGE;
	} else if (rc < 0) {
		rc = cli_lib_error();
	} else {
		rc = CLI_OK;
	}
cleanup:
	if (out && out != stdout && fclose(out) != 0 && rc == CLI_OK) {
		cli_error("%s: write error: %s", outpath, strerror(errno));
		rc = CLI_FAIL;
	}
	td_glossary_free(g);
	td_terms_result_free(res);
	td_lexicon_free(lx);
	td_terms_close(tt);
	return cli_finish(rc);
}
