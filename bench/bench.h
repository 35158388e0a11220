/*
 * Small helpers shared by the in-process benchmarks (bench/ and its folders): clocks in
 * milliseconds, ordering of doubles for qsort, medians and percentiles.
 * Header-only: each benchmark is one executable.
 */
#ifndef TANDEM_BENCH_H
#define TANDEM_BENCH_H

#include <stdlib.h>
#include <time.h>

/* Clock c (CLOCK_MONOTONIC, CLOCK_THREAD_CPUTIME_ID, ...) in milliseconds. */
static inline double bench_ms(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* qsort order of doubles. */
static inline int bench_dcmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The p-th percentile (0..100, nearest rank) of v[0..n); sorts v. */
static inline double bench_pct(double *v, size_t n, double p)
{
	size_t i;

	if (!n)
		return 0.0;
	qsort(v, n, sizeof(*v), bench_dcmp);
	i = (size_t)(p / 100.0 * (double)(n - 1) + 0.5);
	return v[i < n ? i : n - 1];
}

#endif
