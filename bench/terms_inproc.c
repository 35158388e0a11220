/*
 * In-process timings for bench/terms: the cost of each step of `tandem
 * terms` without process start and printing, as wall and CPU time of this
 * process (a loaded machine shows as the gap between them).
 *
 *   terms_inproc TM SRC TGT RUNS TERM...
 *
 * Prints tab-separated lines, times in ms: "open WALL CPU" (the TM),
 * "load WALL CPU KEYS" (the pair's Debian dictionary, through the cache in
 * $XDG_CACHE_HOME/tandem), then per term "query TERM FIRST_WALL FIRST_CPU
 * WALL CPU": its first query (the handle's and SQLite's caches are cold for
 * it) and the median of RUNS repeated ones, all with the dictionary.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"

#include "tandem/lexicon.h"
#include "tandem/terms.h"

static int query(td_terms *tt, const char *term, const char *src, const char *tgt,
	const td_lexicon *lx, double *wall, double *cpu)
{
	td_terms_opts o = TD_TERMS_OPTS_INIT;
	td_terms_result *r = NULL;
	double w0 = bench_ms(CLOCK_MONOTONIC), c0 = bench_ms(CLOCK_PROCESS_CPUTIME_ID);
	int rc;

	o.src_lang = src;
	o.tgt_lang = tgt;
	o.lexicon = lx;
	rc = td_terms_query(&r, tt, term, &o);
	*wall = bench_ms(CLOCK_MONOTONIC) - w0;
	*cpu = bench_ms(CLOCK_PROCESS_CPUTIME_ID) - c0;
	td_terms_result_free(r);
	if (rc < 0)
		fprintf(stderr, "terms_inproc: %s: %s\n", term, td_error_last());
	return rc;
}

int main(int argc, char **argv)
{
	td_terms *tt = NULL;
	td_lexicon *lx = NULL;
	double w0, c0, w, c, *wv, *cv;
	int runs, i, k;

	if (argc < 6) {
		fprintf(stderr, "usage: terms_inproc TM SRC TGT RUNS TERM...\n");
		return 2;
	}
	runs = atoi(argv[4]);
	if (runs < 1)
		runs = 1;
	wv = calloc((size_t)runs, sizeof(*wv));
	cv = calloc((size_t)runs, sizeof(*cv));
	if (!wv || !cv)
		return 1;
	w0 = bench_ms(CLOCK_MONOTONIC);
	c0 = bench_ms(CLOCK_PROCESS_CPUTIME_ID);
	if (td_terms_open(&tt, argv[1]) < 0) {
		fprintf(stderr, "terms_inproc: %s\n", td_error_last());
		return 1;
	}
	printf("open\t%.2f\t%.2f\n", bench_ms(CLOCK_MONOTONIC) - w0, bench_ms(CLOCK_PROCESS_CPUTIME_ID) - c0);
	w0 = bench_ms(CLOCK_MONOTONIC);
	c0 = bench_ms(CLOCK_PROCESS_CPUTIME_ID);
	if (td_lexicon_load(&lx, NULL, argv[2], argv[3]) < 0)
		fprintf(stderr, "terms_inproc: no dictionary: %s\n", td_error_last());
	else
		printf("load\t%.2f\t%.2f\t%zu\n", bench_ms(CLOCK_MONOTONIC) - w0,
		       bench_ms(CLOCK_PROCESS_CPUTIME_ID) - c0, td_lexicon_nkeys(lx));
	for (k = 5; k < argc; k++) {
		double fw, fc;
		if (query(tt, argv[k], argv[2], argv[3], lx, &fw, &fc) < 0)
			return 1;
		for (i = 0; i < runs; i++)
			if (query(tt, argv[k], argv[2], argv[3], lx, &wv[i], &cv[i]) < 0)
				return 1;
		w = bench_pct(wv, (size_t)runs, 50);
		c = bench_pct(cv, (size_t)runs, 50);
		printf("query\t%s\t%.2f\t%.2f\t%.2f\t%.2f\n", argv[k], fw, fc, w, c);
	}
	td_lexicon_free(lx);
	td_terms_close(tt);
	free(wv);
	free(cv);
	return 0;
}
