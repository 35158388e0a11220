/*
 * In-process timings for bench/terms: the cost of each step of `tandem
 * terms` without process start and printing, as wall and CPU time of this
 * process (a loaded machine shows as the gap between them).
 *
 *   terms_inproc TM SRC TGT RUNS TERM...
 *
 * Prints one line per step: opening the TM, loading the pair's dictionary
 * (Debian's, through the cache in $XDG_CACHE_HOME/tandem), the first query
 * of each term (a fresh handle's caches are cold) and the median of RUNS
 * repeated queries of each term, with and without the dictionary.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tandem/lexicon.h"
#include "tandem/terms.h"

static double now(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int dcmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), dcmp);
	return n ? v[n / 2] : 0.0;
}

static int query(td_terms *tt, const char *term, const char *src, const char *tgt,
	const td_lexicon *lx, double *wall, double *cpu)
{
	td_terms_opts o = TD_TERMS_OPTS_INIT;
	td_terms_result *r = NULL;
	double w0 = now(CLOCK_MONOTONIC), c0 = now(CLOCK_PROCESS_CPUTIME_ID);
	int rc;

	o.src_lang = src;
	o.tgt_lang = tgt;
	o.lexicon = lx;
	rc = td_terms_query(&r, tt, term, &o);
	*wall = now(CLOCK_MONOTONIC) - w0;
	*cpu = now(CLOCK_PROCESS_CPUTIME_ID) - c0;
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
	w0 = now(CLOCK_MONOTONIC);
	c0 = now(CLOCK_PROCESS_CPUTIME_ID);
	if (td_terms_open(&tt, argv[1]) < 0) {
		fprintf(stderr, "terms_inproc: %s\n", td_error_last());
		return 1;
	}
	printf("  open the TM:          wall %7.1f ms  CPU %7.1f ms\n", now(CLOCK_MONOTONIC) - w0,
	       now(CLOCK_PROCESS_CPUTIME_ID) - c0);
	w0 = now(CLOCK_MONOTONIC);
	c0 = now(CLOCK_PROCESS_CPUTIME_ID);
	if (td_lexicon_load(&lx, NULL, argv[2], argv[3]) < 0)
		printf("  no dictionary: %s\n", td_error_last());
	else
		printf("  load the dictionary:  wall %7.1f ms  CPU %7.1f ms  (%zu keys)\n",
		       now(CLOCK_MONOTONIC) - w0, now(CLOCK_PROCESS_CPUTIME_ID) - c0, td_lexicon_nkeys(lx));
	for (k = 5; k < argc; k++) {
		double fw, fc;
		if (query(tt, argv[k], argv[2], argv[3], lx, &fw, &fc) < 0)
			return 1;
		for (i = 0; i < runs; i++)
			if (query(tt, argv[k], argv[2], argv[3], NULL, &wv[i], &cv[i]) < 0)
				return 1;
		w = median(wv, (size_t)runs);
		c = median(cv, (size_t)runs);
		printf("  query %-18s first: wall %6.1f ms CPU %6.1f ms; again (median of %d, no dictionary): wall %6.1f ms CPU %6.1f ms\n",
		       argv[k], fw, fc, runs, w, c);
	}
	td_lexicon_free(lx);
	td_terms_close(tt);
	free(wv);
	free(cv);
	return 0;
}
