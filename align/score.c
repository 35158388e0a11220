/*
 * Bead costs from the evidence of align_int.h.
 *
 * The cost of a bead is a sum of three parts:
 *   prior     per shape: nothing for 1-1, `skip` per unaligned sentence for
 *             1-0 / 0-1, `merge` / `merge22` / `merge3` for the n-m shapes;
 *   length    Gale-Church: delta = (lt - r*ls) / sqrt(v * L) with r and v
 *             estimated from the document pair, L the mean length; the cost
 *             is -log P(|Delta| >= |delta|) = -log erfc(|delta|/sqrt 2);
 *   lexical   per sentence of the bead, w_lex * (1 - x), where x is the part
 *             of its tokens that the other side of the bead covers, scaled so
 *             that the coverage of an unrelated sentence is 0 and the typical
 *             coverage by a translation is 1 (both estimated per pair). An
 *             unaligned sentence has x = 0.
 * Summing the lexical part per sentence rather than per bead makes a 2-1 bead
 * compete fairly with a 1-1 bead plus a 1-0 bead: all three sentences pay in
 * both, and the merge only wins when the third sentence is really covered.
 */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "align_int.h"
#include "tandem/error.h"

const td_dp_shape td_shapes[] = {
	{ 1, 1 }, { 1, 0 }, { 0, 1 }, { 1, 2 }, { 2, 1 }, { 2, 2 }, { 1, 3 }, { 3, 1 },
};
const size_t td_nshapes = sizeof(td_shapes) / sizeof(td_shapes[0]);

uint64_t td_key(char ns, const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ull;
	size_t i;

	h = (h ^ (unsigned char)ns) * 1099511628211ull;
	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
	return h;
}

uint64_t td_key_str(char ns, const char *s)
{
	uint64_t h = 1469598103934665603ull;

	h = (h ^ (unsigned char)ns) * 1099511628211ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

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

void td_keyindex_release(td_keyindex *ix)
{
	free(ix->ent);
	free(ix->unit);
	memset(ix, 0, sizeof(*ix));
}

/* Merge two runs sorted by key; on equal keys the left run first (stable). */
static void merge_runs(uint64_t *de, uint32_t *du, const uint64_t *e, const uint32_t *u,
	size_t a, size_t mid, size_t b)
{
	size_t i = a, j = mid, w = a;

	/* Which run is ahead is unpredictable (keys are hashes): no branch. */
	while (i < mid && j < b) {
		uint64_t x = e[i], y = e[j];
		size_t right = (y & TD_KEY_MASK) < (x & TD_KEY_MASK);
		uint64_t take = (uint64_t)0 - right;   /* all ones: take the right one */
		uint32_t take32 = (uint32_t)take;

		de[w] = (y & take) | (x & ~take);
		du[w++] = (u[j] & take32) | (u[i] & ~take32);
		j += right;
		i += right ^ 1;
	}
	memcpy(de + w, e + i, (mid - i) * sizeof(*e));
	memcpy(du + w, u + i, (mid - i) * sizeof(*u));
	w += mid - i;
	memcpy(de + w, e + j, (b - j) * sizeof(*e));
	memcpy(du + w, u + j, (b - j) * sizeof(*u));
}

/*
 * The units' lists are sorted already: merge them pairwise, log2(n) rounds
 * of a stable merge, so that the units of a key stay in ascending order.
 */
int td_keyindex_build(td_keyindex *ix, size_t n, const size_t *eoff, const uint64_t *ent)
{
	size_t total = n ? eoff[n] : 0, nr = n, u, e, r;
	uint64_t *e2 = NULL;
	uint32_t *u2 = NULL;
	size_t *bound = NULL;

	memset(ix, 0, sizeof(*ix));
	ix->ent = malloc((total + 1) * sizeof(uint64_t));
	ix->unit = malloc((total + 1) * sizeof(uint32_t));
	e2 = malloc((total + 1) * sizeof(uint64_t));
	u2 = malloc((total + 1) * sizeof(uint32_t));
	bound = malloc((n + 1) * sizeof(size_t));
	if (!ix->ent || !ix->unit || !e2 || !u2 || !bound) {
		td_keyindex_release(ix);
		free(e2);
		free(u2);
		free(bound);
		return td_error_set(TD_ENOMEM, "aligner: out of memory for a key index");
	}
	ix->n = total;
	if (total)
		memcpy(ix->ent, ent, total * sizeof(uint64_t));
	for (u = 0; u < n; u++) {
		for (e = eoff[u]; e < eoff[u + 1]; e++)
			ix->unit[e] = (uint32_t)u;
		bound[u] = eoff[u];
	}
	bound[n] = total;
	while (nr > 1) {
		size_t w = 0;
		uint64_t *te;
		uint32_t *tu;

		for (r = 0; r < nr; r += 2) {
			size_t b = r + 2 <= nr ? bound[r + 2] : bound[nr];
			size_t mid = r + 1 <= nr ? bound[r + 1] : b;

			merge_runs(e2, u2, ix->ent, ix->unit, bound[r], mid, b);
			bound[w++] = bound[r];
		}
		bound[w] = total;
		nr = w;
		te = ix->ent;
		ix->ent = e2;
		e2 = te;
		tu = ix->unit;
		ix->unit = u2;
		u2 = tu;
	}
	free(e2);
	free(u2);
	free(bound);
	return 0;
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

static inline uint64_t pair_src(const td_pairs *p, size_t s, size_t t)
{
	if (t < p->plo[s] || t >= p->phi[s])
		return 0;
	return p->msrc[p->poff[s] + (t - p->plo[s])];
}

static inline uint64_t pair_tgt(const td_pairs *p, size_t s, size_t t)
{
	if (t < p->plo[s] || t >= p->phi[s])
		return 0;
	return p->mtgt[p->poff[s] + (t - p->plo[s])];
}

double td_cover_src(const td_pairs *p, const td_side *src, size_t s, size_t t0, size_t t1)
{
	uint64_t mask = 0;
	size_t t;

	for (t = t0; t < t1; t++)
		mask |= pair_src(p, s, t);
	return td_mask_cover(src, s, mask);
}

double td_cover_tgt(const td_pairs *p, const td_side *tgt, size_t t, size_t s0, size_t s1)
{
	uint64_t mask = 0;
	size_t s;

	for (s = s0; s < s1; s++)
		mask |= pair_tgt(p, s, t);
	return td_mask_cover(tgt, t, mask);
}

/*
 * Lexical cost of one sentence with coverage c (-1: it has no tokens) by k
 * sentences of the other side. Unrelated sentences cover some tokens by
 * chance, and k of them more than one: the scale runs from the coverage
 * expected of k unrelated sentences (x = 0) to that of a translation plus
 * k - 1 unrelated ones (x = 1), so a merge gains nothing from chance matches.
 */
/* The length-cost table depends on nothing but its step: filled once. */
static double lentab[LENTAB_SIZE + 1];
static pthread_once_t lentab_once = PTHREAD_ONCE_INIT;

static void lentab_init(void)
{
	size_t i;

	for (i = 0; i <= LENTAB_SIZE; i++) {
		double p = erfc((double)i / LENTAB_STEPS / M_SQRT2);
		lentab[i] = -log(p > 1e-300 ? p : 1e-300);
	}
}

void td_cost_prepare(td_cost_params *cp)
{
	double miss = 1.0 - cp->cover_rand;
	unsigned k;

	for (k = 1; k <= 3; k++) {
		double missk = pow(miss, (double)(k - 1));

		cp->lo[k] = 1.0 - missk * miss;
		cp->hi[k] = 1.0 - (1.0 - cp->cover_true) * missk;
		if (cp->hi[k] < cp->lo[k] + 0.05)
			cp->hi[k] = cp->lo[k] + 0.05;
	}
	pthread_once(&lentab_once, lentab_init);
	cp->lentab = lentab;
}

static inline double lex_unit(const td_cost_params *cp, double c, unsigned k)
{
	double x;

	if (c < 0)
		return cp->w_lex * 0.5;
	x = (c - cp->lo[k]) / (cp->hi[k] - cp->lo[k]);
	if (x < 0)
		x = 0;
	if (x > cp->x_max)
		x = cp->x_max;
	return cp->w_lex * (1.0 - x);
}

/* Gale-Church: -log P(|Delta| >= |delta|), from the table, interpolated. */
static inline double len_cost(const td_cost_params *cp, double ls, double lt)
{
	double mean = (ls + lt / cp->ratio) / 2.0;
	double d = fabs(lt - cp->ratio * ls) / sqrt(cp->var * (mean > 1.0 ? mean : 1.0));
	double pos = d * LENTAB_STEPS, f;
	size_t i;

	if (pos >= LENTAB_SIZE)
		return cp->lentab[LENTAB_SIZE];
	i = (size_t)pos;
	f = pos - (double)i;
	return cp->lentab[i] * (1.0 - f) + cp->lentab[i + 1] * f;
}

/* The part of a bead's cost that does not depend on coverage: the prior of
 * its shape, the paragraph terms and the length (INFINITY: forbidden). */
static inline double bead_base(const td_side *src, const td_side *tgt, const td_cost_params *cp,
	size_t i, size_t j, unsigned a, unsigned b, double *len)
{
	double cost, ls = 0, lt = 0;
	size_t s, t;

	if (cp->use_para && ((a > 1 && src->para[i - a] != src->para_end[i - 1]) ||
			     (b > 1 && tgt->para[j - b] != tgt->para_end[j - 1])))
		return INFINITY;
	if (a == 1 && b == 1)
		cost = 0;
	else if (a == 2 && b == 2)
		cost = cp->merge22;
	else if (a == 3 || b == 3)
		cost = cp->merge3;
	else
		cost = cp->merge;
	if (cp->use_para && src->pstart[i - a] != tgt->pstart[j - b])
		cost += cp->para;
	for (s = i - a; s < i; s++)
		ls += src->nchar[s];
	for (t = j - b; t < j; t++)
		lt += tgt->nchar[t];
	*len = cp->w_len * len_cost(cp, ls + a - 1, lt + b - 1);
	return cost;
}

/* A sentence left unaligned: its prior, and it is not covered at all. */
static inline double skip_cost(const td_side *src, const td_side *tgt, const td_cost_params *cp,
	size_t i, size_t j, unsigned a)
{
	int has = a ? src->wtot[i - 1] > 0 : tgt->wtot[j - 1] > 0;

	return cp->skip + cp->w_lex * (has ? 1.0 : 0.5);
}

double td_bead_cost(const td_pairs *pairs, const td_side *src, const td_side *tgt,
	const td_cost_params *cp, size_t i, size_t j, unsigned a, unsigned b)
{
	double cost, len;
	size_t s, t;

	if (a > i || b > j)
		return INFINITY;
	if (b == 0 || a == 0)
		return skip_cost(src, tgt, cp, i, j, a);
	cost = bead_base(src, tgt, cp, i, j, a, b, &len);
	if (!(cost < INFINITY))
		return cost;
	for (s = i - a; s < i; s++)
		cost += lex_unit(cp, td_cover_src(pairs, src, s, j - b, j), b);
	for (t = j - b; t < j; t++)
		cost += lex_unit(cp, td_cover_tgt(pairs, tgt, t, i - a, i), a);
	return cost + len;
}

/*
 * Every bead ending at (i, j) as td_bead_cost computes it (the same terms
 * in the same order), but each sentence's coverage is computed once per
 * cell: ls[d][b] is the lexical cost of source sentence i-1-d covered by
 * the b target sentences before j, lt[d][a] that of target sentence j-1-d
 * covered by the a source sentences before i. The eight shapes need twelve
 * of them instead of twenty.
 */
int td_costs_fill(float *cost, const td_band *band, const td_pairs *pairs,
	const td_side *src, const td_side *tgt, const td_cost_params *cp)
{
	size_t i, j, k, width = 1;
	double (*rows)[4], col[3][4];

	/* ls[d] of cell (i, j) is ls[0] of cell (i - d, j) and lt[d] is lt[0] of
	 * (i, j - d): each is computed once, where d = 0, and read from the two
	 * rows / columns before while those cells are in the band. */
	for (i = 0; i <= band->n; i++)
		if (band->hi[i] - band->lo[i] + 1 > width)
			width = band->hi[i] - band->lo[i] + 1;
	rows = malloc(3 * width * sizeof(*rows));
	if (!rows)
		return td_error_set(TD_ENOMEM, "aligner: out of memory for bead costs");
	for (i = 0; i <= band->n; i++)
		for (j = band->lo[i]; j <= band->hi[i]; j++) {
			float *c = cost + (band->off[i] + (j - band->lo[i])) * cp->nshapes;
			double ls[3][4], lt[3][4];
			unsigned d, x;

			/* Masks ORed over 1, 2, 3 sentences of the other side. */
			for (d = 0; d < 3 && d < i; d++) {
				uint64_t m = 0;
				size_t r = i - d;

				if (d > 0 && j >= band->lo[r] && j <= band->hi[r]) {
					memcpy(ls[d], rows[(r % 3) * width + (j - band->lo[r])], sizeof(ls[d]));
					continue;
				}
				for (x = 1; x <= 3 - d && x <= j; x++) {
					m |= pair_src(pairs, i - 1 - d, j - x);
					ls[d][x] = lex_unit(cp, td_mask_cover(src, i - 1 - d, m), x);
				}
			}
			if (i > 0)
				memcpy(rows[(i % 3) * width + (j - band->lo[i])], ls[0], sizeof(ls[0]));
			for (d = 0; d < 3 && d < j; d++) {
				uint64_t m = 0;

				if (d > 0 && j - d >= band->lo[i]) {
					memcpy(lt[d], col[(j - d) % 3], sizeof(lt[d]));
					continue;
				}
				for (x = 1; x <= 3 - d && x <= i; x++) {
					m |= pair_tgt(pairs, i - x, j - 1 - d);
					lt[d][x] = lex_unit(cp, td_mask_cover(tgt, j - 1 - d, m), x);
				}
			}
			if (j > 0)
				memcpy(col[j % 3], lt[0], sizeof(lt[0]));
			for (k = 0; k < cp->nshapes; k++) {
				unsigned a = td_shapes[k].a, b = td_shapes[k].b;
				double v, len;

				if (a > i || b > j) {
					c[k] = INFINITY;
					continue;
				}
				if (a == 0 || b == 0) {
					c[k] = (float)skip_cost(src, tgt, cp, i, j, a);
					continue;
				}
				v = bead_base(src, tgt, cp, i, j, a, b, &len);
				if (v < INFINITY) {
					for (d = a; d-- > 0;)
						v += ls[d][b];
					for (d = b; d-- > 0;)
						v += lt[d][a];
					v += len;
				}
				c[k] = (float)v;
			}
		}
	free(rows);
	return 0;
}

void td_pairs_masks(uint64_t *ms, uint64_t *mt, const td_pairs *p, const td_side *src, size_t s,
	const td_side *tgt, size_t t)
{
	if (p) {
		*ms = pair_src(p, s, t);
		*mt = pair_tgt(p, s, t);
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
