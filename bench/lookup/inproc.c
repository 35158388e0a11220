/*
 * In-process timings for bench/lookup: td_lookup_query per query (wall and
 * this thread's CPU time, so that a loaded machine shows as the gap between
 * them) and td_concord on a few words, medians of repeated runs.
 * Usage: inproc TM QUERIES.txt WORD...
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"

#include "tandem/concord.h"
#include "tandem/lookup.h"

int main(int argc, char **argv)
{
	td_lookup *lk = NULL;
	td_lookup_opts o = TD_LOOKUP_OPTS_INIT;
	FILE *f;
	char *line = NULL;
	size_t cap = 0, n = 0, vcap = 0;
	ssize_t len;
	double *wall = NULL, *cpu = NULL;
	int i;

	if (argc < 3) {
		fprintf(stderr, "usage: inproc TM QUERIES.txt WORD...\n");
		return 2;
	}
	if (td_lookup_open(&lk, argv[1]) < 0 || !(f = fopen(argv[2], "r"))) {
		fprintf(stderr, "inproc: %s\n", td_error_last());
		return 1;
	}
	if (!getenv("NOPRELOAD") && td_lookup_preload(lk) < 0) {
		fprintf(stderr, "inproc: %s\n", td_error_last());
		return 1;
	}
	o.src_lang = "de";
	o.tgt_lang = "en";
	if (getenv("CANDIDATES"))
		o.candidates = (size_t)atoi(getenv("CANDIDATES"));
	while ((len = getline(&line, &cap, f)) >= 0) {
		td_lookup_result r;
		double w0, c0;
		char *q = strchr(line, '\t');
		q = q ? q + 1 : line;
		q[strcspn(q, "\n")] = '\0';
		if (n == vcap) {
			vcap = vcap ? 2 * vcap : 1024;
			wall = realloc(wall, vcap * sizeof(double));
			cpu = realloc(cpu, vcap * sizeof(double));
		}
		w0 = bench_ms(CLOCK_MONOTONIC);
		c0 = bench_ms(CLOCK_THREAD_CPUTIME_ID);
		if (td_lookup_query(&r, lk, q, strlen(q), &o) < 0) {
			fprintf(stderr, "inproc: %s\n", td_error_last());
			return 1;
		}
		cpu[n] = bench_ms(CLOCK_THREAD_CPUTIME_ID) - c0;
		wall[n] = bench_ms(CLOCK_MONOTONIC) - w0;
		td_lookup_result_free(&r);
		n++;
	}
	fclose(f);
	printf("   in-process lookup, %zu queries: wall p50 %.2f ms p99 %.2f ms; CPU p50 %.2f ms p99 %.2f ms\n",
		n, bench_pct(wall, n, 50), bench_pct(wall, n, 99), bench_pct(cpu, n, 50), bench_pct(cpu, n, 99));
	for (i = 3; i < argc; i++) {
		td_concord_opts co = TD_CONCORD_OPTS_INIT;
		td_concord_result r;
		double w[9], c[9];
		size_t units = 0;
		int k;
		co.src_lang = "de";
		co.tgt_lang = "en";
		for (k = 0; k < 9; k++) {
			double w0 = bench_ms(CLOCK_MONOTONIC), c0 = bench_ms(CLOCK_THREAD_CPUTIME_ID);
			if (td_concord(&r, lk, argv[i], &co) < 0) {
				fprintf(stderr, "inproc: %s\n", td_error_last());
				return 1;
			}
			c[k] = bench_ms(CLOCK_THREAD_CPUTIME_ID) - c0;
			w[k] = bench_ms(CLOCK_MONOTONIC) - w0;
			units = r.n;
			td_concord_result_free(&r);
		}
		printf("   in-process concord '%s': wall median %.2f ms, CPU median %.2f ms, %zu units\n",
			argv[i], bench_pct(w, 9, 50), bench_pct(c, 9, 50), units);
	}
	free(wall);
	free(cpu);
	free(line);
	td_lookup_close(lk);
	return 0;
}
