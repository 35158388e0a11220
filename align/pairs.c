/*
 * Pair masks: for a source and a target unit, which of each one's tokens
 * the other covers (align_int.h), for every pair of a band, by a merge walk
 * of two key indexes (keys.c); and the coverage statistics taken from them.
 */
#include <stdlib.h>
#include <string.h>

#include "align_int.h"
#include "tandem/error.h"

void td_pairs_release(td_pairs *p)
{
	free(p->plo);
	free(p->phi);
	free(p->poff);
	free(p->msrc);
	free(p->mtgt);
	memset(p, 0, sizeof(*p));
}

/*
 * Masks of the tokens of s covered by t and of t covered by s: a merge walk
 * of the two sorted entry lists. Which side is behind is unpredictable (the
 * keys are hashes), so that step is taken without a branch; a match, rarer,
 * collects the runs of the key on both sides (a key repeats within a unit
 * when two tokens share a translation).
 */
static void pair_masks(uint64_t *ms, uint64_t *mt, const td_side *src, size_t s, const td_side *tgt, size_t t)
{
	const uint64_t *a, *ae, *b, *be;
	uint64_t x = 0, y = 0;

	if (!src->ent || !tgt->ent) {  /* a side without any key: nothing covered (no NULL arithmetic) */
		*ms = *mt = 0;
		return;
	}
	a = src->ent + src->eoff[s];
	ae = src->ent + src->eoff[s + 1];
	b = tgt->ent + tgt->eoff[t];
	be = tgt->ent + tgt->eoff[t + 1];

	while (a < ae && b < be) {
		uint64_t ka = *a & TD_KEY_MASK, kb = *b & TD_KEY_MASK;

		if (ka == kb) {
			while (a < ae && (*a & TD_KEY_MASK) == ka)
				x |= 1ull << TD_ENTRY_BIT(*a++);
			while (b < be && (*b & TD_KEY_MASK) == ka)
				y |= 1ull << TD_ENTRY_BIT(*b++);
		} else {
			size_t lt = ka < kb;  /* exactly one side steps */

			a += lt;
			b += lt ^ 1;
		}
	}
	*ms = x;
	*mt = y;
}

void td_pair_masks(uint64_t *ms, uint64_t *mt, const td_side *src, size_t s, const td_side *tgt, size_t t)
{
	pair_masks(ms, mt, src, s, tgt, t);
}


/*
 * One key held by source records [i0, i1) and target records [j0, j1) of
 * two indexes (each run in ascending unit order): every cell (s, t) of the
 * table gets the bits of the key's tokens in s and in t.
 */
static void add_key(td_pairs *p, const td_keyindex *a, size_t i0, size_t i1,
	const td_keyindex *b, size_t j0, size_t j1)
{
	size_t i = i0;

	while (i < i1) {
		uint32_t s = a->unit[i];
		uint64_t xs = 0;
		size_t lo = p->plo[s], hi = p->phi[s], j = j0, base = p->poff[s];

		for (; i < i1 && a->unit[i] == s; i++)
			xs |= 1ull << TD_ENTRY_BIT(a->ent[i]);
		if (j1 - j0 > 16) {   /* a common key: find the range by bisection */
			size_t l = j0, h = j1;

			while (l < h) {
				size_t mid = l + (h - l) / 2;
				if (b->unit[mid] < lo)
					l = mid + 1;
				else
					h = mid;
			}
			j = l;
		} else {
			while (j < j1 && b->unit[j] < lo)
				j++;
		}
		for (; j < j1 && b->unit[j] < hi; j++) {
			size_t c = base + (b->unit[j] - lo);

			p->msrc[c] |= xs;
			p->mtgt[c] |= 1ull << TD_ENTRY_BIT(b->ent[j]);
		}
	}
}

void td_pairs_add(td_pairs *p, const td_keyindex *src, const td_keyindex *tgt)
{
	size_t i = 0, j = 0;

	while (i < src->n && j < tgt->n) {
		uint64_t ka = src->ent[i] & TD_KEY_MASK, kb = tgt->ent[j] & TD_KEY_MASK;
		size_t i1, j1;

		if (ka != kb) {
			size_t lt = ka < kb;  /* exactly one side steps */

			i += lt;
			j += lt ^ 1;
			continue;
		}
		for (i1 = i + 1; i1 < src->n && (src->ent[i1] & TD_KEY_MASK) == ka; i1++)
			;
		for (j1 = j + 1; j1 < tgt->n && (tgt->ent[j1] & TD_KEY_MASK) == ka; j1++)
			;
		add_key(p, src, i, i1, tgt, j, j1);
		i = i1;
		j = j1;
	}
}

/* The table's ranges (plo, phi, poff) and zeroed masks. */
static int pairs_layout(td_pairs *p, const td_band *band, size_t n, size_t m)
{
	size_t s, total = 0;

	td_pairs_release(p);
	p->n = n;
	p->plo = malloc((n + 1) * sizeof(size_t));
	p->phi = malloc((n + 1) * sizeof(size_t));
	p->poff = malloc((n + 1) * sizeof(size_t));
	if (!p->plo || !p->phi || !p->poff)
		goto nomem;
	for (s = 0; s < n; s++) {
		if (band) {
			size_t last = s + 3 < n ? s + 3 : n;
			size_t lo = band->lo[s + 1], hi = band->hi[last];

			p->plo[s] = lo > 3 ? lo - 3 : 0;
			p->phi[s] = hi < m ? hi : m;
			if (p->phi[s] < p->plo[s])
				p->phi[s] = p->plo[s];
		} else {
			p->plo[s] = 0;
			p->phi[s] = m;
		}
		p->poff[s] = total;
		total += p->phi[s] - p->plo[s];
	}
	p->poff[n] = total;
	p->msrc = calloc(total ? total : 1, sizeof(uint64_t));
	p->mtgt = calloc(total ? total : 1, sizeof(uint64_t));
	if (!p->msrc || !p->mtgt)
		goto nomem;
	return 0;
nomem:
	td_pairs_release(p);
	return td_error_set(TD_ENOMEM, "aligner: out of memory for sentence pairs");
}

int td_pairs_compute_ix(td_pairs *p, const td_band *band, size_t n, size_t m,
	const td_keyindex *src, const td_keyindex *tgt)
{
	int rc = pairs_layout(p, band, n, m);

	if (rc < 0)
		return rc;
	td_pairs_add(p, src, tgt);
	return 0;
}

int td_pairs_compute(td_pairs *p, const td_band *band, const td_side *src, const td_side *tgt)
{
	td_keyindex a = { 0 }, b = { 0 };
	int rc;

	if ((rc = td_keyindex_build(&a, src->n, src->eoff, src->ent)) < 0 ||
	    (rc = td_keyindex_build(&b, tgt->n, tgt->eoff, tgt->ent)) < 0)
		goto cleanup;
	rc = td_pairs_compute_ix(p, band, src->n, tgt->n, &a, &b);
cleanup:
	td_keyindex_release(&a);
	td_keyindex_release(&b);
	return rc;
}

double td_cover_src(const td_pairs *p, const td_side *src, const td_side *tgt, size_t s, size_t t0, size_t t1)
{
	uint64_t mask = 0;
	size_t t;

	for (t = t0; t < t1; t++) {
		uint64_t ms, mt;

		if (p) {
			mask |= td__pair_src(p, s, t);
			continue;
		}
		pair_masks(&ms, &mt, src, s, tgt, t);
		mask |= ms;
	}
	return td_mask_cover(src, s, mask);
}

double td_cover_tgt(const td_pairs *p, const td_side *src, const td_side *tgt, size_t t, size_t s0, size_t s1)
{
	uint64_t mask = 0;
	size_t s;

	for (s = s0; s < s1; s++) {
		uint64_t ms, mt;

		if (p) {
			mask |= td__pair_tgt(p, s, t);
			continue;
		}
		pair_masks(&ms, &mt, src, s, tgt, t);
		mask |= mt;
	}
	return td_mask_cover(tgt, t, mask);
}


void td_pairs_masks(uint64_t *ms, uint64_t *mt, const td_pairs *p, const td_side *src, size_t s,
	const td_side *tgt, size_t t)
{
	if (p) {
		*ms = td__pair_src(p, s, t);
		*mt = td__pair_tgt(p, s, t);
	} else {
		pair_masks(ms, mt, src, s, tgt, t);
	}
}

static void add_random_pair(double *sum, size_t *count, const td_pairs *full, const td_side *src,
	size_t s, const td_side *tgt, size_t t)
{
	uint64_t ms, mt;
	double c;

	td_pairs_masks(&ms, &mt, full, src, s, tgt, t);
	if ((c = td_mask_cover(src, s, ms)) >= 0) {
		*sum += c;
		(*count)++;
	}
	if ((c = td_mask_cover(tgt, t, mt)) >= 0) {
		*sum += c;
		(*count)++;
	}
}

double td_cover_random(const td_side *src, const td_side *tgt, const td_pairs *full)
{
	/* Pairs at least OFF_DIAGONAL sentences off the proportional diagonal, a
	 * pseudo-random distance away (so that a document repeating itself does
	 * not pair a sentence with its own copy); in short documents every such
	 * pair. The estimate is pulled towards PRIOR_COVER as if that had been
	 * seen PRIOR_PAIRS times, as short documents have few unrelated pairs. */
	enum { OFF_DIAGONAL = 2, PRIOR_PAIRS = 10, SAMPLES = 4000 };
	const double PRIOR_COVER = 0.05;
	size_t n = src->n, m = tgt->n, s, t, count = 0;
	uint32_t rng = 12345;
	double sum = 0;

	if (n == 0 || m == 0)
		return PRIOR_COVER;
	if (n * m <= SAMPLES) {
		for (s = 0; s < n; s++)
			for (t = 0; t < m; t++) {
				size_t d = s * m / n;

				if (t + OFF_DIAGONAL <= d || t >= d + OFF_DIAGONAL)
					add_random_pair(&sum, &count, full, src, s, tgt, t);
			}
	} else {
		size_t k;

		for (k = 0; k < SAMPLES / 2; k++) {
			size_t off;

			rng = rng * 1103515245u + 12345u;
			s = (size_t)(((uint64_t)k * n) / (SAMPLES / 2));
			off = m / 4 + (rng >> 8) % (m / 2 + 1);
			t = (s * m / n + off) % m;
			add_random_pair(&sum, &count, full, src, s, tgt, t);
		}
	}
	return (sum + PRIOR_PAIRS * PRIOR_COVER) / (count + PRIOR_PAIRS);
}

double td_cover_window(const td_side *src, const td_side *tgt, size_t w)
{
	size_t n = src->n, m = tgt->n, s, step, count = 0;
	double sum = 0;

	if (n == 0 || m == 0)
		return 0.3;
	step = n > 2000 ? n / 2000 : 1;
	for (s = 0; s < n; s += step) {
		size_t d = s * m / n, t0 = d > w ? d - w : 0, t1 = d + w + 1 < m ? d + w + 1 : m, t;
		double best = -1, c;

		for (t = t0; t < t1; t++) {
			uint64_t ms, mt;

			pair_masks(&ms, &mt, src, s, tgt, t);
			c = td_mask_cover(src, s, ms);
			if (c > best)
				best = c;
		}
		if (best >= 0) {
			sum += best;
			count++;
		}
	}
	return count ? sum / count : 0.3;
}
