/*
 * Lexicon coverage benchmark (run through bench/lexicon, never as a test).
 *
 *   lexicon-bench [-r RUNS] [-n] [-C CACHE_DIR] SRC_LANG TGT_LANG DICT|- SRC TGT [SRC TGT ...]
 *
 * SRC and TGT are line-aligned files (line i translates line i). For every
 * content word of a source line (a WORD token that is not a stop word and
 * longer than one character) it asks: does the lexicon know the stem, and
 * does one of its translations occur among the stems of the target line?
 * The same question against a target line 7 lines away (another sentence
 * of the same text) gives the chance level, the noise an aligner must beat;
 * "true line wins" is the share of lines with more hits in the aligned line
 * than in that other one. "strong only" asks the same of the strong targets
 * (td_lexicon_lookup_ranked).
 * Load time (wall and CPU) is the median of RUNS loads; RSS is the process's
 * peak after the last load. -n turns compound splitting off; -C sets the
 * lexicon cache directory ("" for none). DICT "-" finds the installed
 * dictionary for the pair.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "bench.h"
#include "tandem/lexicon.h"
#include "tandem/token.h"

static double cpu_seconds(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static long peak_rss_kb(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

typedef struct {
	char **v;
	size_t n;
} lines;

static int read_lines(lines *out, const char *path)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0, vcap = 0;
	ssize_t n;

	out->v = NULL;
	out->n = 0;
	if (!f) {
		fprintf(stderr, "lexicon-bench: %s: cannot open\n", path);
		return -1;
	}
	while ((n = getline(&line, &cap, f)) >= 0) {
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (out->n == vcap) {
			vcap = vcap ? vcap * 2 : 256;
			char **nv = realloc(out->v, vcap * sizeof(*nv));
			if (!nv)
				abort();
			out->v = nv;
		}
		out->v[out->n++] = strdup(line);
	}
	free(line);
	fclose(f);
	return 0;
}

static void free_lines(lines *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

/* Stems of a target line, as a NUL-separated list with a count. */
typedef struct {
	char **v;
	size_t n, cap;
} stemset;

static void stems_of(stemset *s, td_tokenizer *tk, const char *text)
{
	const td_token *t;
	size_t n;
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	s->n = 0;
	if (td_tokenizer_run(&t, &n, tk, text, strlen(text)) < 0)
		return;
	for (size_t i = 0; i < n; i++) {
		if (t[i].kind != TD_TOK_WORD)
			continue;
		if (s->n == s->cap) {
			s->cap = s->cap ? s->cap * 2 : 64;
			s->v = realloc(s->v, s->cap * sizeof(*s->v));
			if (!s->v)
				abort();
		}
		s->v[s->n++] = strdup(t[i].stem);
	}
}

static int hit(const stemset *s, const char *const *tr, size_t ntr)
{
	for (size_t i = 0; i < ntr; i++)
		for (size_t j = 0; j < s->n; j++)
			if (!strcmp(tr[i], s->v[j]))
				return 1;
	return 0;
}

int main(int argc, char **argv)
{
	int runs = 3, ai = 1;
	td_lexicon_opts o = TD_LEXICON_OPTS_INIT;
	td_lexicon *lx = NULL;
	td_tokenizer *stk = NULL, *ttk = NULL;
	double times[16], cpus[16];
	long rss0;

	while (ai < argc && argv[ai][0] == '-' && argv[ai][1]) {
		if (!strcmp(argv[ai], "-r") && ai + 1 < argc) {
			runs = atoi(argv[ai + 1]);
			ai += 2;
		} else if (!strcmp(argv[ai], "-C") && ai + 1 < argc) {
			o.cache_dir = argv[ai + 1];
			ai += 2;
		} else if (!strcmp(argv[ai], "-n")) {
			o.decompound = false;
			ai++;
		} else {
			break;
		}
	}
	if (runs < 1 || runs > 16 || argc - ai < 5 || (argc - ai - 3) % 2) {
		fprintf(stderr, "usage: lexicon-bench [-r RUNS] [-n] [-C CACHE_DIR] SRC_LANG TGT_LANG DICT|- SRC TGT [SRC TGT ...]\n");
		return 2;
	}
	o.src_lang = argv[ai];
	o.tgt_lang = argv[ai + 1];
	o.path = strcmp(argv[ai + 2], "-") ? argv[ai + 2] : NULL;
	rss0 = peak_rss_kb();
	for (int r = 0; r < runs; r++) {
		td_lexicon_free(lx);
		lx = NULL;
		double t0 = bench_ms(CLOCK_MONOTONIC) / 1e3, c0 = cpu_seconds();
		if (td_lexicon_load_opts(&lx, &o) < 0) {
			fprintf(stderr, "lexicon-bench: %s\n", td_error_last());
			return 1;
		}
		times[r] = bench_ms(CLOCK_MONOTONIC) / 1e3 - t0;
		cpus[r] = cpu_seconds() - c0;
	}
	qsort(times, (size_t)runs, sizeof(times[0]), bench_dcmp);
	qsort(cpus, (size_t)runs, sizeof(cpus[0]), bench_dcmp);
	long rss1 = peak_rss_kb();
	if (td_tokenizer_new(&stk, o.src_lang) < 0 || td_tokenizer_new(&ttk, o.tgt_lang) < 0) {
		fprintf(stderr, "lexicon-bench: %s\n", td_error_last());
		return 1;
	}

	size_t content = 0, known = 0, hits = 0, chance = 0, chance_n = 0, either = 0;
	size_t wins2 = 0, nlines = 0;  /* twice the lines where the true pair wins (ties count half) */
	size_t sknown = 0, shits = 0, schance = 0, schance_n = 0, swins2 = 0;  /* strong targets only */
	size_t same = 0;  /* content words whose stem occurs itself in the target line */
	stemset tgt = { 0 }, other = { 0 };
	for (int fi = ai + 3; fi + 1 < argc; fi += 2) {
		lines S, T;
		if (read_lines(&S, argv[fi]) < 0 || read_lines(&T, argv[fi + 1]) < 0)
			return 1;
		size_t n = S.n < T.n ? S.n : T.n;
		for (size_t i = 0; i < n; i++) {
			const td_token *t;
			size_t nt;
			stems_of(&tgt, ttk, T.v[i]);
			stems_of(&other, ttk, T.v[(i + 7) % n]);
			if (td_tokenizer_run(&t, &nt, stk, S.v[i], strlen(S.v[i])) < 0)
				continue;
			size_t line_hits = 0, line_chance = 0, line_shits = 0, line_schance = 0;
			for (size_t k = 0; k < nt; k++) {
				if (t[k].kind != TD_TOK_WORD || t[k].stop || !t[k].norm[1])
					continue;
				const char *const *tr;
				size_t nstrong;
				size_t ntr = td_lexicon_lookup_ranked(&tr, &nstrong, lx, t[k].stem);
				const char *stemv[1] = { t[k].stem };
				content++;
				same += hit(&tgt, stemv, 1);
				if (!ntr)
					continue;
				known++;
				int h = hit(&tgt, tr, ntr);
				int hs = hit(&tgt, tr, nstrong);
				hits += h;
				shits += (size_t)hs;
				sknown += nstrong > 0;
				line_shits += (size_t)hs;
				line_hits += (size_t)h;
				either += h && !hit(&tgt, stemv, 1);
				if (n > 7) {
					int c = hit(&other, tr, ntr);
					int cs = hit(&other, tr, nstrong);
					chance += (size_t)c;
					line_chance += (size_t)c;
					chance_n++;
					schance += (size_t)cs;
					line_schance += (size_t)cs;
					schance_n += nstrong > 0;
				}
			}
			/* Does the lexicon prefer the true target line to the other one? */
			if (n > 7) {
				wins2 += line_hits > line_chance ? 2 : line_hits == line_chance ? 1 : 0;
				swins2 += line_shits > line_schance ? 2 : line_shits == line_schance ? 1 : 0;
				nlines++;
			}
		}
		free_lines(&S);
		free_lines(&T);
	}
	printf("dictionary     %s\n", td_lexicon_path(lx));
	printf("pairs          %s-%s, %zu source stems, %zu stem pairs, compounds %s\n", o.src_lang,
	       o.tgt_lang, td_lexicon_nkeys(lx), td_lexicon_npairs(lx), o.decompound ? "split" : "not split");
	printf("load           %.3f s wall, %.3f s CPU (medians of %d; wall min %.3f, max %.3f)\n",
	       times[runs / 2], cpus[runs / 2], runs, times[0], times[runs - 1]);
	printf("peak RSS       %.1f MB after load (%.1f MB before)\n", rss1 / 1024.0, rss0 / 1024.0);
	printf("content words  %zu\n", content);
	printf("known          %.3f  (stem has a translation)\n", content ? (double)known / content : 0);
	printf("hit            %.3f  (a translation is in the aligned target line)\n",
	       content ? (double)hits / content : 0);
	printf("hit | known    %.3f\n", known ? (double)hits / known : 0);
	printf("chance | known %.3f  (a translation is in a target line 7 lines away)\n",
	       chance_n ? (double)chance / chance_n : 0);
	printf("true line wins %.3f  (more hits in the aligned line than in the other; ties half)\n",
	       nlines ? wins2 / 2.0 / nlines : 0);
	printf("strong only:   known %.3f, hit %.3f, hit | known %.3f, chance | known %.3f, true line wins %.3f\n",
	       content ? (double)sknown / content : 0, content ? (double)shits / content : 0,
	       sknown ? (double)shits / sknown : 0, schance_n ? (double)schance / schance_n : 0,
	       nlines ? swins2 / 2.0 / nlines : 0);
	printf("identical      %.3f  (the stem itself is in the aligned target line)\n",
	       content ? (double)same / content : 0);
	printf("hit or ident.  %.3f\n", content ? (double)(same + either) / content : 0);
	for (size_t i = 0; i < tgt.n; i++)
		free(tgt.v[i]);
	for (size_t i = 0; i < other.n; i++)
		free(other.v[i]);
	free(tgt.v);
	free(other.v);
	td_tokenizer_free(stk);
	td_tokenizer_free(ttk);
	td_lexicon_free(lx);
	return 0;
}
