/*
 * The DP core (see dp.h for the model). One forward pass over the band fills
 * D (double, so that long ladders keep their precision) and a back pointer
 * per cell; one backward walk recovers the ladder.
 */
#include "dp.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tandem/error.h"

struct td_dp {
	double *d;            /* D per band cell */
	unsigned char *back;  /* shape index of the last bead per cell, 255 = none */
	size_t cap;           /* cells allocated */
	td_dp_step *steps;
	size_t stepcap;
};

int td_band_init(td_band *band, size_t n, size_t m)
{
	memset(band, 0, sizeof(*band));
	band->lo = calloc(n + 1, sizeof(size_t));
	band->hi = calloc(n + 1, sizeof(size_t));
	band->off = calloc(n + 2, sizeof(size_t));
	if (!band->lo || !band->hi || !band->off) {
		td_band_release(band);
		return td_error_set(TD_ENOMEM, "aligner: out of memory for a band of %zu rows", n + 1);
	}
	band->n = n;
	band->m = m;
	band->cap = n + 1;
	return 0;
}

void td_band_release(td_band *band)
{
	if (!band)
		return;
	free(band->lo);
	free(band->hi);
	free(band->off);
	memset(band, 0, sizeof(*band));
}

int td_band_full(td_band *band, size_t n, size_t m)
{
	size_t i;
	int rc = td_band_init(band, n, m);

	if (rc < 0)
		return rc;
	for (i = 0; i <= n; i++) {
		band->lo[i] = 0;
		band->hi[i] = m;
	}
	return td_band_finish(band);
}

int td_band_finish(td_band *band)
{
	size_t i, n = band->n;

	if (band->lo[0] != 0 || band->hi[n] != band->m)
		return td_error_set(TD_EINVAL, "aligner: band does not hold both corners");
	band->off[0] = 0;
	for (i = 0; i <= n; i++) {
		if (band->lo[i] > band->hi[i] || band->hi[i] > band->m)
			return td_error_set(TD_EINVAL, "aligner: band row %zu is empty", i);
		if (i > 0 && (band->lo[i] < band->lo[i - 1] || band->hi[i] < band->hi[i - 1]))
			return td_error_set(TD_EINVAL, "aligner: band row %zu is not monotone", i);
		band->off[i + 1] = band->off[i] + (band->hi[i] - band->lo[i] + 1);
	}
	return 0;
}

int td_dp_new(td_dp **out)
{
	*out = calloc(1, sizeof(**out));
	if (!*out)
		return td_error_set(TD_ENOMEM, "aligner: out of memory");
	return 0;
}

void td_dp_free(td_dp *dp)
{
	if (!dp)
		return;
	free(dp->d);
	free(dp->back);
	free(dp->steps);
	free(dp);
}

static int reserve(td_dp *dp, size_t cells, size_t steps)
{
	if (cells > dp->cap) {
		double *d = realloc(dp->d, cells * sizeof(*d));
		unsigned char *b;

		if (!d)
			return td_error_set(TD_ENOMEM, "aligner: out of memory for %zu DP cells", cells);
		dp->d = d;
		b = realloc(dp->back, cells);
		if (!b)
			return td_error_set(TD_ENOMEM, "aligner: out of memory for %zu DP cells", cells);
		dp->back = b;
		dp->cap = cells;
	}
	if (steps > dp->stepcap) {
		td_dp_step *s = realloc(dp->steps, steps * sizeof(*s));

		if (!s)
			return td_error_set(TD_ENOMEM, "aligner: out of memory for a ladder");
		dp->steps = s;
		dp->stepcap = steps;
	}
	return 0;
}

int td_dp_run(const td_dp_step **out, size_t *nout, double *total, td_dp *dp,
	const td_band *band, const td_dp_shape *shapes, size_t nshapes, const float *cost)
{
	size_t i, j, k, cells, nsteps, cell;
	int rc;

	if (nshapes == 0 || nshapes > 254)
		return td_error_set(TD_EINVAL, "aligner: %zu bead shapes (1..254 allowed)", nshapes);
	cells = band->off[band->n + 1];
	rc = reserve(dp, cells, band->n + band->m + 1);
	if (rc < 0)
		return rc;

	for (i = 0; i <= band->n; i++) {
		for (j = band->lo[i]; j <= band->hi[i]; j++) {
			size_t c = band->off[i] + (j - band->lo[i]);
			const float *cc = cost + c * nshapes;
			double best = INFINITY;
			unsigned char bk = 255;

			if (i == 0 && j == 0) {
				dp->d[c] = 0.0;
				dp->back[c] = 255;
				continue;
			}
			for (k = 0; k < nshapes; k++) {
				size_t a = shapes[k].a, b = shapes[k].b, pi, pc;
				double v;

				if (a > i || b > j || !(cc[k] < INFINITY))
					continue;
				pi = i - a;
				if (j - b < band->lo[pi] || j - b > band->hi[pi])
					continue;
				pc = band->off[pi] + (j - b - band->lo[pi]);
				v = dp->d[pc] + cc[k];
				if (v < best) {
					best = v;
					bk = (unsigned char)k;
				}
			}
			dp->d[c] = best;
			dp->back[c] = bk;
		}
	}

	cell = td_band_cell(band, band->n, band->m);
	if (!(dp->d[cell] < INFINITY))
		return td_error_set(TD_EINVAL, "aligner: no ladder fits in the band");
	*total = dp->d[cell];

	/* Walk back from the corner, writing steps from the end of the buffer. */
	nsteps = 0;
	i = band->n;
	j = band->m;
	while (i > 0 || j > 0) {
		unsigned char bk;
		td_dp_step *s;

		cell = td_band_cell(band, i, j);
		bk = dp->back[cell];
		s = &dp->steps[dp->stepcap - 1 - nsteps];
		s->i = i;
		s->j = j;
		s->k = bk;
		s->cost = cost[cell * nshapes + bk];
		nsteps++;
		i -= shapes[bk].a;
		j -= shapes[bk].b;
	}
	memmove(dp->steps, dp->steps + dp->stepcap - nsteps, nsteps * sizeof(*dp->steps));
	*out = dp->steps;
	*nout = nsteps;
	return 0;
}
