/*
 * The coarse-to-fine search. A pair small enough (FULL_CELLS) is aligned
 * over the whole grid. A larger one is first aligned on blocks of
 * COARSE_FACTOR sentences per side (recursively), and the fine DP runs in a
 * band of BAND_MARGIN sentences around the blocks that path goes through:
 * time and memory are linear in the length of the documents.
 */
#include <stdlib.h>
#include <string.h>

#include "align_int.h"
#include "base/sort.h"
#include "tandem/error.h"

#define FULL_CELLS ((size_t)1 << 16)
#define COARSE_FACTOR 4
#define BAND_MARGIN 4

/* Band of the fine level around the blocks (f units each) the coarse path
 * goes through, widened by r units. */
static int project_band(td_band *band, const td_dp_step *steps, size_t nsteps, size_t n, size_t m,
	size_t f, size_t r)
{
	size_t i, s, pi = 0, pj = 0;
	size_t *lo2 = NULL, *hi2 = NULL;
	int rc = td_band_init(band, n, m);

	if (rc < 0)
		return rc;
	for (i = 0; i <= n; i++) {
		band->lo[i] = m;
		band->hi[i] = 0;
	}
	for (s = 0; s < nsteps; s++) {
		size_t r0 = pi * f, r1 = steps[s].i * f, c0 = pj * f, c1 = steps[s].j * f;

		if (r1 > n)
			r1 = n;
		if (c1 > m)
			c1 = m;
		if (r0 > n)
			r0 = n;
		if (c0 > m)
			c0 = m;
		for (i = r0; i <= r1; i++) {
			if (c0 < band->lo[i])
				band->lo[i] = c0;
			if (c1 > band->hi[i])
				band->hi[i] = c1;
		}
		pi = steps[s].i;
		pj = steps[s].j;
	}
	/* Widen by r rows and columns, then make both edges monotone. */
	lo2 = malloc((n + 1) * sizeof(size_t));
	hi2 = malloc((n + 1) * sizeof(size_t));
	if (!lo2 || !hi2) {
		rc = td_error_set(TD_ENOMEM, "aligner: out of memory for a band");
		goto cleanup;
	}
	for (i = 0; i <= n; i++) {
		size_t a = i > r ? i - r : 0, b = i + r < n ? i + r : n, k, lo = m, hi = 0;

		for (k = a; k <= b; k++) {
			if (band->lo[k] < lo)
				lo = band->lo[k];
			if (band->hi[k] > hi)
				hi = band->hi[k];
		}
		lo2[i] = lo > r ? lo - r : 0;
		hi2[i] = hi + r < m ? hi + r : m;
	}
	for (i = 1; i <= n; i++)
		if (hi2[i] < hi2[i - 1])
			hi2[i] = hi2[i - 1];
	for (i = n; i-- > 0;)
		if (lo2[i] > lo2[i + 1])
			lo2[i] = lo2[i + 1];
	lo2[0] = 0;
	hi2[n] = m;
	for (i = 0; i <= n; i++) {
		band->lo[i] = lo2[i];
		band->hi[i] = hi2[i] > lo2[i] ? hi2[i] : lo2[i];
	}
	rc = td_band_finish(band);
cleanup:
	free(lo2);
	free(hi2);
	return rc;
}

/* The keys of a side, once per unit holding it, sorted. */
static int side_keys(uint64_t **out, size_t *nout, const td_side *s)
{
	size_t u, e, w = 0;
	uint64_t *v = malloc((s->nent + 1) * sizeof(uint64_t));

	if (!v)
		return td_error_set(TD_ENOMEM, "aligner: out of memory");
	for (u = 0; u < s->n; u++)
		for (e = s->eoff[u]; e < s->eoff[u + 1]; e++)
			if (e == s->eoff[u] || ((s->ent[e] ^ s->ent[e - 1]) & TD_KEY_MASK))
				v[w++] = s->ent[e] & TD_KEY_MASK;
	if (w > 1)
		td_sort_u64(v, w);
	*out = v;
	*nout = w;
	return 0;
}

/*
 * Anchor keys (sorted, malloc'd): keys that as many units hold on one side
 * as on the other. The k-th unit holding such a key on one side most likely
 * goes with the k-th on the other, so at the coarse levels the key counts
 * per occurrence: a name, a number, a word used as often in both documents
 * says where a block belongs even when the text repeats itself.
 */
static int anchor_keys(uint64_t **out, size_t *nout, const td_side *a, const td_side *b)
{
	uint64_t *ka = NULL, *kb = NULL;
	size_t na = 0, nb = 0, i = 0, j = 0, w = 0;
	int rc;

	if ((rc = side_keys(&ka, &na, a)) < 0 || (rc = side_keys(&kb, &nb, b)) < 0) {
		free(ka);
		free(kb);
		return rc;
	}
	while (i < na && j < nb) {
		if (ka[i] < kb[j]) {
			i++;
		} else if (ka[i] > kb[j]) {
			j++;
		} else {
			uint64_t key = ka[i];
			size_t ci = 0, cj = 0;

			while (i < na && ka[i] == key)
				i++, ci++;
			while (j < nb && kb[j] == key)
				j++, cj++;
			if (ci == cj)
				ka[w++] = key;
		}
	}
	free(kb);
	*out = ka;
	*nout = w;
	return 0;
}

/* Whether a level of n x m units is aligned over the whole grid. */
int td__full_grid(size_t n, size_t m)
{
	return (n + 1) * (m + 1) <= FULL_CELLS || (n < 2 * COARSE_FACTOR && m < 2 * COARSE_FACTOR);
}

/*
 * The cheapest ladder of src x tgt. *steps (malloc'd, *nsteps) in document
 * order; the band and pair masks used at this level are left in band/pairs
 * for scoring. pairs_ready: pairs holds the masks of the full grid already
 * (only when td__full_grid(n, m)).
 */
int td__align_level(td_dp_step **steps, size_t *nsteps, td_band *band, td_pairs *pairs,
	const td_side *src, const td_side *tgt, const td_cost_params *cp,
	const td_dp_step *guide, size_t nguide, size_t block, int pairs_ready)
{
	size_t n = src->n, m = tgt->n;
	td_side cs = { 0 }, ct = { 0 };
	td_band cband = { 0 };
	td_pairs cpairs = { 0 };
	td_dp_step *csteps = NULL;
	size_t ncsteps = 0, cells;
	td_dp *dp = NULL;
	const td_dp_step *out;
	float *cost = NULL;
	uint64_t *anchors = NULL;
	size_t nanchors = 0;
	double total;
	int rc;

	*steps = NULL;
	*nsteps = 0;
	if (td__full_grid(n, m)) {
		rc = td_band_full(band, n, m);
	} else if (guide) {
		/* A path found before at this level (the previous pass). */
		rc = project_band(band, guide, nguide, n, m, 1, BAND_MARGIN);
	} else {
		td_cost_params ccp = *cp;

		ccp.use_para = 0;
		ccp.use_quote = 0;   /* a table of sentences' quotations, not blocks' */
		ccp.nshapes = TD_COARSE_SHAPES;
		/* A block stands for B sentences: leaving it unaligned costs what
		 * leaving B sentences does, and its length is noisier than a
		 * sentence's because block edges cut through the other side's
		 * sentences; an n-m block bead is mostly the two sides drifting by
		 * a few sentences, not a merge. */
		{
			double b = (double)(block * COARSE_FACTOR);

			ccp.w_lex *= b;
			ccp.skip *= b;
			ccp.var *= b;
			ccp.merge = ccp.merge12 = ccp.merge21 = ccp.merge22 = ccp.merge3 = cp->merge;
		}
		/* A sketch of 64 keys: one mask bit per key at every level. */
		size_t sketch = 64;

		if (block == 1 && (rc = anchor_keys(&anchors, &nanchors, src, tgt)) < 0)
			goto cleanup;
		if (nanchors == 0) {  /* nothing to number: the plain keys */
			free(anchors);
			anchors = NULL;
		}
		if ((rc = td_side_coarsen(&cs, src, COARSE_FACTOR, sketch, anchors, nanchors)) < 0 ||
		    (rc = td_side_coarsen(&ct, tgt, COARSE_FACTOR, sketch, anchors, nanchors)) < 0)
			goto cleanup;
		free(anchors);
		anchors = NULL;
		ccp.cover_rand = td_cover_random(&cs, &ct, NULL);
		ccp.cover_true = td_cover_window(&cs, &ct, 3);
		if (ccp.cover_true < ccp.cover_rand + 0.1)
			ccp.cover_true = ccp.cover_rand + 0.1;
		td_cost_prepare(&ccp);
		rc = td__align_level(&csteps, &ncsteps, &cband, &cpairs, &cs, &ct, &ccp, NULL, 0,
			block * COARSE_FACTOR, 0);
		td_side_release(&cs);
		td_side_release(&ct);
		td_pairs_release(&cpairs);
		td_band_release(&cband);
		if (rc < 0)
			goto cleanup;
		rc = project_band(band, csteps, ncsteps, n, m, COARSE_FACTOR, BAND_MARGIN);
	}
	if (rc < 0)
		goto cleanup;
	if (!pairs_ready && (rc = td_pairs_compute(pairs, band, src, tgt)) < 0)
		goto cleanup;
	cells = band->off[n + 1];
	cost = malloc(cells * cp->nshapes * sizeof(float));
	if (!cost) {
		rc = td_error_set(TD_ENOMEM, "aligner: out of memory for %zu cells", cells);
		goto cleanup;
	}
	if ((rc = td_costs_fill(cost, band, pairs, src, tgt, cp)) < 0)
		goto cleanup;
	if ((rc = td_dp_new(&dp)) < 0)
		goto cleanup;
	if ((rc = td_dp_run(&out, nsteps, &total, dp, band, td_shapes, cp->nshapes, cost)) < 0)
		goto cleanup;
	*steps = malloc((*nsteps ? *nsteps : 1) * sizeof(**steps));
	if (!*steps) {
		rc = td_error_set(TD_ENOMEM, "aligner: out of memory");
		goto cleanup;
	}
	memcpy(*steps, out, *nsteps * sizeof(**steps));
cleanup:
	td_side_release(&cs);
	td_side_release(&ct);
	td_pairs_release(&cpairs);
	td_band_release(&cband);
	free(csteps);
	free(cost);
	free(anchors);
	td_dp_free(dp);
	return rc;
}
