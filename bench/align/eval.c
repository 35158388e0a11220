/*
 * align-eval: align many presegmented document pairs with one loaded
 * lexicon and write one beads file per pair, for the quality benchmark
 * (bench/align/quality). Cost weights can be set for experiments.
 *
 * usage: align-eval [-s de] [-t en] [--lexicon FILE|--no-lexicon] [--no-learn]
 *                   [--set NAME=VALUE ...] OUTDIR SRC TGT [SRC TGT ...]
 * Each pair's beads go to OUTDIR/BASENAME.hyp (BASENAME: SRC without its
 * directory and last extension).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tandem/align.h"
#include "tandem/lexicon.h"
#include "tandem/segment.h"
#include "tandem/text.h"

static int load(td_doc **out, const char *path, const char *lang)
{
	td_seg_opts so = TD_SEG_OPTS_INIT;
	char *text;
	size_t len;
	int rc = td_text_decode_file(&text, &len, path, NULL);

	if (rc < 0)
		return rc;
	so.lang = lang;
	so.mode = TD_SEG_PRESEGMENTED;
	rc = td_seg_split(out, text, len, &so);
	free(text);
	return rc;
}

static int set_param(td_align_opts *o, const char *kv)
{
	static const struct { const char *name; size_t off; } params[] = {
		{ "w_lex", offsetof(td_align_opts, w_lex) },
		{ "w_len", offsetof(td_align_opts, w_len) },
		{ "skip", offsetof(td_align_opts, skip) },
		{ "merge", offsetof(td_align_opts, merge) },
		{ "merge22", offsetof(td_align_opts, merge22) },
		{ "merge3", offsetof(td_align_opts, merge3) },
		{ "para", offsetof(td_align_opts, para) },
		{ "x_max", offsetof(td_align_opts, x_max) },
	};
	const char *eq = strchr(kv, '=');
	size_t k;

	if (!eq)
		return -1;
	for (k = 0; k < sizeof(params) / sizeof(params[0]); k++)
		if (strlen(params[k].name) == (size_t)(eq - kv) && strncmp(kv, params[k].name, (size_t)(eq - kv)) == 0) {
			*(double *)((char *)o + params[k].off) = atof(eq + 1);
			return 0;
		}
	return -1;
}

int main(int argc, char **argv)
{
	td_align_opts ao = TD_ALIGN_OPTS_INIT;
	const char *slang = "de", *tlang = "en", *lexpath = NULL, *outdir;
	int nolex = 0, i = 1, rc = 0;
	td_lexicon *lex = NULL;
	clock_t t0;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-s") && i + 1 < argc)
			slang = argv[++i];
		else if (!strcmp(argv[i], "-t") && i + 1 < argc)
			tlang = argv[++i];
		else if (!strcmp(argv[i], "--lexicon") && i + 1 < argc)
			lexpath = argv[++i];
		else if (!strcmp(argv[i], "--no-lexicon"))
			nolex = 1;
		else if (!strcmp(argv[i], "--no-learn"))
			ao.learn = 0;
		else if (!strcmp(argv[i], "--set") && i + 1 < argc && set_param(&ao, argv[i + 1]) == 0)
			i++;
		else {
			fprintf(stderr, "align-eval: bad option %s\n", argv[i]);
			return 2;
		}
	}
	if (argc - i < 3 || (argc - i - 1) % 2) {
		fprintf(stderr, "usage: align-eval [options] OUTDIR SRC TGT [SRC TGT ...]\n");
		return 2;
	}
	outdir = argv[i++];
	if (!nolex && td_lexicon_load(&lex, lexpath, slang, tlang) < 0) {
		fprintf(stderr, "align-eval: %s\n", td_error_last());
		return 1;
	}
	ao.src_lang = slang;
	ao.tgt_lang = tlang;
	ao.lexicon = lex;
	t0 = clock();
	for (; i + 1 < argc && rc == 0; i += 2) {
		td_doc *s = NULL, *t = NULL;
		td_ladder *l = NULL;
		char path[4096], base[1024];
		const char *b = strrchr(argv[i], '/');
		char *dot;
		FILE *f;

		snprintf(base, sizeof(base), "%s", b ? b + 1 : argv[i]);
		if ((dot = strrchr(base, '.')))
			*dot = '\0';
		snprintf(path, sizeof(path), "%s/%s.hyp", outdir, base);
		if ((rc = load(&s, argv[i], slang)) == 0 && (rc = load(&t, argv[i + 1], tlang)) == 0 &&
		    (rc = td_align_run(&l, s, t, &ao)) == 0) {
			if ((f = fopen(path, "w")) == NULL) {
				rc = -1;
			} else {
				rc = td_ladder_write(f, TD_ALIGN_FMT_BEADS, l, s, t, 0.0);
				fclose(f);
			}
		}
		if (rc < 0)
			fprintf(stderr, "align-eval: %s: %s\n", argv[i], td_error_last());
		td_ladder_free(l);
		td_doc_free(s);
		td_doc_free(t);
	}
	fprintf(stderr, "align-eval: aligned in %.2f s CPU (lexicon loading excluded)\n",
		(double)(clock() - t0) / CLOCKS_PER_SEC);
	td_lexicon_free(lex);
	return rc < 0 ? 1 : 0;
}
