/*
 * The DP core against brute-force enumeration: on tiny random inputs (random
 * costs, some forbidden beads, random monotone bands) the DP must find a
 * ladder exactly as cheap as the cheapest of all ladders, and the ladder it
 * returns must be valid and cost what it claims.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../align/align_int.h"
#include "../align/dp.h"
#include "base/sort.h"
#include "tandem/error.h"

static const td_dp_shape shapes[] = {
	{ 1, 1 }, { 1, 0 }, { 0, 1 }, { 1, 2 }, { 2, 1 }, { 2, 2 }, { 1, 3 }, { 3, 1 },
};
#define NSHAPES (sizeof(shapes) / sizeof(shapes[0]))

static unsigned rng_state;
static unsigned rng(void)
{
	rng_state = rng_state * 1103515245u + 12345u;
	return (rng_state >> 16) & 0x7fff;
}

/* Cheapest ladder from (i, j) to (n, m) by trying every bead, within the band. */
static double brute(const td_band *b, const float *cost, size_t i, size_t j)
{
	double best = INFINITY;
	size_t k;

	if (i == b->n && j == b->m)
		return 0.0;
	for (k = 0; k < NSHAPES; k++) {
		size_t ni = i + shapes[k].a, nj = j + shapes[k].b, c;
		double v;

		if (ni > b->n || nj > b->m)
			continue;
		c = td_band_cell(b, ni, nj);
		if (c == (size_t)-1 || !(cost[c * NSHAPES + k] < INFINITY))
			continue;
		v = cost[c * NSHAPES + k] + brute(b, cost, ni, nj);
		if (v < best)
			best = v;
	}
	return best;
}

static void random_band(td_band *b, size_t n, size_t m, int full)
{
	size_t i;

	cr_assert_eq(td_band_init(b, n, m), 0);
	for (i = 0; i <= n; i++) {
		size_t centre = n ? i * m / n : m;
		size_t w = full ? m : rng() % 3;
		b->lo[i] = centre > w ? centre - w : 0;
		b->hi[i] = centre + w > m ? m : centre + w;
		if (i > 0 && b->lo[i] < b->lo[i - 1])
			b->lo[i] = b->lo[i - 1];
		if (i > 0 && b->hi[i] < b->hi[i - 1])
			b->hi[i] = b->hi[i - 1];
	}
	b->lo[0] = 0;
	b->hi[n] = m;
	for (i = n; i-- > 0;)
		if (b->lo[i] > b->lo[i + 1])
			b->lo[i] = b->lo[i + 1];
	cr_assert_eq(td_band_finish(b), 0, "%s", td_error_last());
}

static void check_case(size_t n, size_t m, int full, int forbid)
{
	td_band band;
	td_dp *dp;
	const td_dp_step *steps;
	size_t nsteps, c, s, i = 0, j = 0;
	double total, want, sum = 0;
	float *cost;
	int rc;

	random_band(&band, n, m, full);
	cost = malloc(band.off[n + 1] * NSHAPES * sizeof(float));
	for (c = 0; c < band.off[n + 1] * NSHAPES; c++)
		cost[c] = (forbid && rng() % 4 == 0) ? INFINITY : (float)(rng() % 1000) / 100.0f;
	want = brute(&band, cost, 0, 0);

	cr_assert_eq(td_dp_new(&dp), 0);
	rc = td_dp_run(&steps, &nsteps, &total, dp, &band, shapes, NSHAPES, cost);
	if (!(want < INFINITY)) {
		cr_assert_eq(rc, TD_EINVAL, "n=%zu m=%zu: no ladder exists, DP said %d", n, m, rc);
	} else {
		cr_assert_eq(rc, 0, "n=%zu m=%zu: %s", n, m, td_error_last());
		cr_assert_float_eq(total, want, 1e-4, "n=%zu m=%zu: DP %f, brute force %f", n, m, total, want);
		for (s = 0; s < nsteps; s++) {
			i += shapes[steps[s].k].a;
			j += shapes[steps[s].k].b;
			cr_assert_eq(steps[s].i, i);
			cr_assert_eq(steps[s].j, j);
			c = td_band_cell(&band, i, j);
			cr_assert_neq(c, (size_t)-1, "step outside the band");
			cr_assert_float_eq(steps[s].cost, cost[c * NSHAPES + steps[s].k], 1e-6);
			sum += steps[s].cost;
		}
		cr_assert_eq(i, n);
		cr_assert_eq(j, m);
		cr_assert_float_eq(sum, total, 1e-4);
	}
	td_dp_free(dp);
	free(cost);
	td_band_release(&band);
}

Test(dp, matches_brute_force_full_band)
{
	size_t n, m, rep;

	rng_state = 1;
	for (n = 0; n <= 5; n++)
		for (m = 0; m <= 5; m++)
			for (rep = 0; rep < 20; rep++)
				check_case(n, m, 1, 0);
}

Test(dp, matches_brute_force_with_forbidden_beads)
{
	size_t n, m, rep;

	rng_state = 7;
	for (n = 1; n <= 5; n++)
		for (m = 1; m <= 5; m++)
			for (rep = 0; rep < 20; rep++)
				check_case(n, m, 1, 1);
}

Test(dp, matches_brute_force_in_narrow_bands)
{
	size_t n, m, rep;

	rng_state = 42;
	for (n = 1; n <= 6; n++)
		for (m = 1; m <= 6; m++)
			for (rep = 0; rep < 20; rep++)
				check_case(n, m, 0, rep % 2);
}

Test(dp, empty_sides)
{
	check_case(0, 0, 1, 0);
	check_case(0, 4, 1, 0);
	check_case(4, 0, 1, 0);
}

Test(dp, broken_band_is_rejected)
{
	td_band b;

	cr_assert_eq(td_band_init(&b, 2, 2), 0);
	b.lo[0] = 0; b.hi[0] = 1;
	b.lo[1] = 1; b.hi[1] = 0;   /* empty row */
	b.lo[2] = 1; b.hi[2] = 2;
	cr_assert_eq(td_band_finish(&b), TD_EINVAL);
	b.hi[1] = 2; b.hi[2] = 1;   /* corner missing */
	cr_assert_eq(td_band_finish(&b), TD_EINVAL);
	td_band_release(&b);
}

/* ---- td_sort_u64 (base/sort.c, the aligner's key sort) against qsort --------------------------------- */

static int cmp_u64(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;

	return a < b ? -1 : a > b;
}

Test(sort, agrees_with_qsort)
{
	/* Sizes around the insertion-sort cutoff and large ones; values random,
	 * from a few distinct ones (long runs of equal keys), sorted, reversed. */
	static const size_t sizes[] = { 0, 1, 2, 3, 15, 16, 17, 31, 100, 1000, 100000 };
	size_t si, kind, k;

	rng_state = 7;
	for (si = 0; si < sizeof(sizes) / sizeof(sizes[0]); si++)
		for (kind = 0; kind < 4; kind++) {
			size_t n = sizes[si];
			uint64_t *a = malloc((n + 1) * sizeof(uint64_t)), *b = malloc((n + 1) * sizeof(uint64_t));

			for (k = 0; k < n; k++) {
				uint64_t r = ((uint64_t)rng() << 33) ^ ((uint64_t)rng() << 11) ^ rng();

				a[k] = kind == 0 ? r : kind == 1 ? r % 3 : kind == 2 ? k : n - k;
				b[k] = a[k];
			}
			td_sort_u64(a, n);
			qsort(b, n, sizeof(uint64_t), cmp_u64);
			for (k = 0; k < n; k++)
				cr_assert_eq(a[k], b[k], "size %zu, kind %zu: differs at %zu", n, kind, k);
			free(a);
			free(b);
		}
}

/* ---- per-document masks (pairs.c) against the per-pair merge walk -------------------------------- */

/* n random units: each 0..12 entries of keys from a pool of `pool` (small:
 * keys repeat across units and, with several bits, within one), sorted and
 * without repeats as build_side leaves them. */
static void random_side(td_side *s, size_t n, unsigned pool)
{
	size_t u, k;

	memset(s, 0, sizeof(*s));
	s->n = n;
	s->eoff = calloc(n + 1, sizeof(size_t));
	s->ent = malloc((n * 12 + 1) * sizeof(uint64_t));
	cr_assert(s->eoff && s->ent);
	for (u = 0; u < n; u++) {
		size_t a = s->nent, cnt = rng() % 13;

		for (k = 0; k < cnt; k++) {
			uint64_t key = ((uint64_t)(rng() % pool) + 1) * 0x9E3779B97F4A7C15ull;
			s->ent[s->nent++] = TD_ENTRY(key, rng() % 64);
		}
		s->nent = a + td_sort_unique(s->ent + a, s->nent - a);
		s->eoff[u + 1] = s->nent;
	}
}

/* Every cell of p's table equals the merge walk of its two units; a cell
 * outside the table reads 0. */
static size_t check_pairs(const td_pairs *p, const td_side *src, const td_side *tgt)
{
	size_t s, t, inside = 0;

	for (s = 0; s < src->n; s++)
		for (t = 0; t < tgt->n; t++) {
			uint64_t ms, mt, ws, wt;

			td_pairs_masks(&ms, &mt, p, src, s, tgt, t);
			if (t < p->plo[s] || t >= p->phi[s]) {
				cr_assert(ms == 0 && mt == 0);
				continue;
			}
			td_pair_masks(&ws, &wt, src, s, tgt, t);
			cr_assert(ms == ws && mt == wt, "cell (%zu, %zu) of %zu x %zu", s, t, src->n, tgt->n);
			inside += ws != 0;
		}
	return inside;
}

Test(pairs, document_masks_equal_pair_walks)
{
	static const unsigned pools[] = { 3, 20, 500 };
	size_t n, m, rep, pi, matched = 0;

	rng_state = 99;
	for (pi = 0; pi < 3; pi++)
		for (n = 0; n <= 9; n += 3)
			for (m = 0; m <= 9; m += 2)
				for (rep = 0; rep < 6; rep++) {
					td_side src, tgt;
					td_band band;
					td_pairs p = { 0 };

					random_side(&src, n + rep, pools[pi]);
					random_side(&tgt, m + rep, pools[pi]);
					random_band(&band, src.n, tgt.n, rep % 2);
					cr_assert_eq(td_pairs_compute(&p, &band, &src, &tgt), 0);
					matched += check_pairs(&p, &src, &tgt);
					td_pairs_release(&p);
					td_band_release(&band);
					td_side_release(&src);
					td_side_release(&tgt);
				}
	cr_assert_gt(matched, 1000);   /* the cases share keys */
}

/* Masks of a side, then of entries added to it (as learned keys are), ORed
 * in: the same as the masks of the side with all of them. */
Test(pairs, added_entries_update_the_masks)
{
	size_t rep, u, k, matched = 0;

	rng_state = 5;
	for (rep = 0; rep < 40; rep++) {
		td_side a, d, all, tgt;
		td_keyindex ia, id, it;
		td_pairs p = { 0 };
		size_t n = 1 + rep % 11;

		random_side(&a, n, 30);
		random_side(&d, n, 30);
		random_side(&tgt, 1 + rep % 7, 30);
		/* all: a's and d's entries of each unit, sorted, no repeats */
		memset(&all, 0, sizeof(all));
		all.n = n;
		all.eoff = calloc(n + 1, sizeof(size_t));
		all.ent = malloc((a.nent + d.nent + 1) * sizeof(uint64_t));
		cr_assert(all.eoff && all.ent);
		for (u = 0; u < n; u++) {
			size_t s0 = all.nent;

			for (k = a.eoff[u]; k < a.eoff[u + 1]; k++)
				all.ent[all.nent++] = a.ent[k];
			for (k = d.eoff[u]; k < d.eoff[u + 1]; k++)
				all.ent[all.nent++] = d.ent[k];
			all.nent = s0 + td_sort_unique(all.ent + s0, all.nent - s0);
			all.eoff[u + 1] = all.nent;
		}
		cr_assert_eq(td_keyindex_build(&ia, a.n, a.eoff, a.ent), 0);
		cr_assert_eq(td_keyindex_build(&id, d.n, d.eoff, d.ent), 0);
		cr_assert_eq(td_keyindex_build(&it, tgt.n, tgt.eoff, tgt.ent), 0);
		cr_assert_eq(td_pairs_compute_ix(&p, NULL, n, tgt.n, &ia, &it), 0);
		td_pairs_add(&p, &id, &it);
		matched += check_pairs(&p, &all, &tgt);
		td_pairs_release(&p);
		td_keyindex_release(&ia);
		td_keyindex_release(&id);
		td_keyindex_release(&it);
		td_side_release(&a);
		td_side_release(&d);
		td_side_release(&all);
		td_side_release(&tgt);
	}
	cr_assert_gt(matched, 100);
}

/* ---- the lexicon learned from a pair (learn.c) against counting by hand -------------------------- */

/* Whether unit u of side holds key among its own keys. */
static int holds(const td_side *side, size_t u, uint64_t key)
{
	size_t k;

	for (k = side->toff[u]; k < side->toff[u + 1]; k++)
		if (side->self[k] == key)
			return 1;
	return 0;
}

static void random_tokens(td_side *s, size_t n, unsigned pool)
{
	size_t u, k;

	memset(s, 0, sizeof(*s));
	s->n = n;
	s->toff = calloc(n + 1, sizeof(size_t));
	s->self = malloc((n * 8 + 1) * sizeof(uint64_t));
	cr_assert(s->toff && s->self);
	for (u = 0; u < n; u++) {
		size_t cnt = 1 + rng() % 8;

		for (k = 0; k < cnt; k++)
			s->self[s->toff[u] + k] = ((uint64_t)(rng() % pool) + 1) * 0x9E3779B97F4A7C15ull;
		s->toff[u + 1] = s->toff[u] + cnt;
	}
}

/* Every learned pair shares >= 2 beads with Dice >= 0.5 (counted here bead
 * by bead), the result is sorted and keeps <= 4 per source key; a source key
 * with at most 4 qualifying partners keeps them all. */
Test(learn, dice_pairs_match_counting)
{
	size_t rep, total = 0;

	rng_state = 11;
	for (rep = 0; rep < 30; rep++) {
		size_t n = 5 + rep % 20, b, k, l, i;
		td_side src, tgt;
		size_t *bs = malloc(n * sizeof(size_t)), *bt = malloc(n * sizeof(size_t));
		td_keypair *kp = NULL;
		size_t nkp = 0;

		random_tokens(&src, n, 6 + rep % 5);
		/* the target: the source keys moved by one (translations), plus noise */
		random_tokens(&tgt, n, 6);
		for (k = 0; k < src.toff[n] && k < tgt.toff[n]; k++)
			if (rng() % 4)
				tgt.self[k] = src.self[k] + 1;
		for (b = 0; b < n; b++)
			bs[b] = bt[b] = b;
		cr_assert_eq(td_learn_dice(&kp, &nkp, &src, &tgt, bs, bt, n), 0);
		for (i = 0; i < nkp; i++) {
			size_t both = 0, cs = 0, ct = 0, same = 0;

			for (b = 0; b < n; b++) {
				int hs = holds(&src, b, kp[i].src), ht = holds(&tgt, b, kp[i].tgt);

				cs += hs;
				ct += ht;
				both += hs && ht;
			}
			cr_assert_geq(both, 2);
			cr_assert_geq(2.0 * both / (double)(cs + ct), 0.5);
			if (i > 0)
				cr_assert(td__cmp_keypair(&kp[i - 1], &kp[i]) < 0);
			for (l = 0; l < nkp; l++)
				same += kp[l].src == kp[i].src;
			cr_assert_leq(same, 4);
		}
		/* completeness for source keys with few partners */
		for (k = 0; k < src.toff[n]; k++)
			for (l = 0; l < tgt.toff[n]; l++) {
				uint64_t ks = src.self[k], kt = tgt.self[l];
				size_t both = 0, cs = 0, ct = 0, found = 0, partners = 0;

				for (b = 0; b < n; b++) {
					int hs = holds(&src, b, ks), ht = holds(&tgt, b, kt);

					cs += hs;
					ct += ht;
					both += hs && ht;
				}
				if (both < 2 || 2.0 * both / (double)(cs + ct) < 0.5)
					continue;
				for (i = 0; i < nkp; i++) {
					found += kp[i].src == ks && kp[i].tgt == kt;
					partners += kp[i].src == ks;
				}
				cr_assert(found || partners == 4, "a qualifying pair is missing");
			}
		total += nkp;
		free(kp);
		free(bs);
		free(bt);
		td_side_release(&src);
		td_side_release(&tgt);
	}
	cr_assert_gt(total, 20);
}

/* td_key_str hashes a NUL-terminated string as td_key hashes it with its length. */
Test(keys, string_key_equals_counted_key)
{
	static const char *const words[] = { "", "a", "haus", "m\xc3\xbcller", "\xe2\x80\x9ezitat\xe2\x80\x9c",
		"stra\303\237e", "\xff\xfe" };   /* octal: "\x9fe" would be one escape */
	size_t k;

	for (k = 0; k < sizeof(words) / sizeof(words[0]); k++) {
		cr_assert_eq(td_key_str('w', words[k]), td_key('w', words[k], strlen(words[k])), "%zu", k);
		cr_assert_neq(td_key_str('w', words[k]), td_key_str('i', words[k]));
	}
}

/*
 * The length model's tail. y = d^2 / L of deviations d drawn from a core
 * normal (variance 2) and a wide part (weight 0.12, variance 2.4 times the
 * core's): cut at 3 core deviations, as a path cuts the largest ones by
 * reading them as merges, the sample still fits a wide part of about that
 * weight, and its variance is held at TD_TAIL_K0 times the core's at
 * least. Without the cut, a wide part 12 times the core's is fitted wider
 * than the floor: the fit may widen it.
 */
static double gauss(void)
{
	double u = ((double)rng() + 0.5) / 32768.0, v = ((double)rng() + 0.5) / 32768.0;

	return sqrt(-2.0 * log(u)) * cos(2.0 * M_PI * v);
}

static void tail_sample(double *y, size_t n, double wide, double cut)
{
	size_t k = 0;

	while (k < n) {
		double d = gauss() * sqrt(2.0) * (rng() % 100 < 12 ? sqrt(wide) : 1.0);

		if (cut > 0 && fabs(d) > cut * sqrt(2.0))
			continue;
		y[k++] = d * d;
	}
}

Test(length, the_tail_fitted_to_a_cut_sample_keeps_its_floor)
{
	static double y[3000];
	td_cost_params cp;

	rng_state = 7;
	tail_sample(y, 3000, 2.4, 3.0);
	memset(&cp, 0, sizeof(cp));
	cp.var = 2.0;
	td__fit_tail(&cp, y, 3000);
	cr_assert(cp.var > 1.5 && cp.var < 2.5, "core variance %f", cp.var);
	cr_assert(cp.tail_w > 0.02 && cp.tail_w < 0.3, "tail weight %f", cp.tail_w);
	cr_assert(cp.tail_k >= TD_TAIL_K0, "tail %f times the core, below the floor", cp.tail_k);

	tail_sample(y, 3000, 12.0, 0);
	memset(&cp, 0, sizeof(cp));
	cp.var = 2.0;
	td__fit_tail(&cp, y, 3000);
	cr_assert(cp.tail_k > TD_TAIL_K0 + 2.0, "a wide part 12 times the core fitted at %f", cp.tail_k);
	cr_assert(cp.tail_w > 0.06 && cp.tail_w < 0.2, "tail weight %f", cp.tail_w);
}

/*
 * The 1-2 and 2-1 priors follow how often a long ladder holds each shape
 * (k indexes td_shapes: 0 is 1-1, 3 is 1-2, 4 is 2-1), the 2-2 prior moves
 * by their mean move, and a short ladder keeps about the given priors.
 */
static void shape_steps(td_dp_step *v, size_t n11, size_t n12, size_t n21)
{
	size_t k, n = 0;

	for (k = 0; k < n11; k++)
		v[n++].k = 0;
	for (k = 0; k < n12; k++)
		v[n++].k = 3;
	for (k = 0; k < n21; k++)
		v[n++].k = 4;
}

Test(priors, merge_priors_follow_the_ladder)
{
	static td_dp_step v[2000];
	td_cost_params cp;

	cr_assert_eq(td_shapes[0].a * 10 + td_shapes[0].b, 11);
	cr_assert_eq(td_shapes[3].a * 10 + td_shapes[3].b, 12);
	cr_assert_eq(td_shapes[4].a * 10 + td_shapes[4].b, 21);
	memset(&cp, 0, sizeof(cp));
	cp.merge = 2.0;
	cp.merge22 = 5.0;
	shape_steps(v, 1400, 500, 20);
	td__fit_merge_priors(&cp, v, 1920);
	cr_assert(cp.merge12 < 1.5, "1-2 prior %f with a 1-2 bead for every 3 1-1 beads", cp.merge12);
	cr_assert(cp.merge21 > 3.5, "2-1 prior %f with one 2-1 bead in 70", cp.merge21);
	cr_assert(fabs(cp.merge22 - (5.0 + (cp.merge12 + cp.merge21) / 2.0 - 2.0)) < 1e-9 && cp.merge22 > 5.2,
		"2-2 prior %f, not moved by the mean of %f and %f", cp.merge22, cp.merge12, cp.merge21);

	memset(&cp, 0, sizeof(cp));
	cp.merge = 2.0;
	shape_steps(v, 12, 3, 0);
	td__fit_merge_priors(&cp, v, 15);
	cr_assert(fabs(cp.merge12 - 2.0) < 0.3 && fabs(cp.merge21 - 2.0) < 0.3,
		"a 15-bead ladder moved the priors to %f and %f", cp.merge12, cp.merge21);
}

/* The quotations a sentence opens, in the conventions of several languages. */
Test(quotes, openings_in_several_conventions)
{
	cr_assert_eq(td__count_quotes("\xc2\xbb" "Anna soll kommen" "\xc2\xab" ", sagte K. " "\xc2\xbb" "Gleich." "\xc2\xab"), 2);
	cr_assert_eq(td__count_quotes("\"Anna should come,\" said K. \"Now.\""), 2);
	cr_assert_eq(td__count_quotes("\xe2\x80\x9e" "Ja" "\xe2\x80\x9c" ", sagte er."), 1);
	cr_assert_eq(td__count_quotes("\xc2\xab" "\xc2\xa0" "Oui, dit-il, je viens." "\xc2\xa0" "\xc2\xbb"), 1);
	cr_assert_eq(td__count_quotes("\xe2\x80\x94" " \xc3\x89tant jeune, je craignais fort."), 1);
	cr_assert_eq(td__count_quotes("Da glaubt' ich, f\xc3\xbcr's Hirn sei's nicht gut; hab' ich's?"), 0);
	cr_assert_eq(td__count_quotes("Don't worry, it's l'eau of the Grubachs' house."), 0);
	cr_assert_eq(td__count_quotes("He said 'yes' (and 'no')."), 2);
	cr_assert_eq(td__count_quotes("Het was 's avonds in 't huis, rock 'n' roll."), 0);
	cr_assert_eq(td__count_quotes("'I think,' she said, 'a child.'"), 2);
	cr_assert_eq(td__count_quotes(""), 0);
}

/*
 * The quotation table: where the 1-1 beads of a ladder open as many
 * quotations on both sides while the sentences differ among themselves, a
 * bead that differs by one or two pays and one that agrees does not (the
 * table is centred on the beads); where the counts are unrelated, the
 * table is about 0.
 */
static void quote_sides(td_side *s, td_side *t, td_dp_step *v, size_t n, int related)
{
	size_t k;

	memset(s, 0, sizeof(*s));
	memset(t, 0, sizeof(*t));
	s->n = t->n = n;
	s->quotes = calloc(n, 1);
	t->quotes = calloc(n, 1);
	cr_assert(s->quotes && t->quotes);
	for (k = 0; k < n; k++) {
		s->quotes[k] = (unsigned char)(rng() % 3);
		t->quotes[k] = related ? s->quotes[k] : (unsigned char)(rng() % 3);
		v[k].i = v[k].j = k + 1;
		v[k].k = 0;
	}
}

Test(quotes, table_follows_the_beads)
{
	static td_dp_step v[600];
	td_side s, t;
	td_cost_params cp;

	rng_state = 11;
	memset(&cp, 0, sizeof(cp));
	quote_sides(&s, &t, v, 600, 1);
	td__quote_stats(&cp, v, 600, &s, &t);
	cr_assert(cp.use_quote);
	cr_assert(cp.quote_pmi[0] > -0.01 && cp.quote_pmi[1] < -2.0 && cp.quote_pmi[2] < -2.0,
		"related counts: %f %f %f", cp.quote_pmi[0], cp.quote_pmi[1], cp.quote_pmi[2]);
	free(s.quotes);
	free(t.quotes);

	memset(&cp, 0, sizeof(cp));
	quote_sides(&s, &t, v, 600, 0);
	td__quote_stats(&cp, v, 600, &s, &t);
	cr_assert(fabs(cp.quote_pmi[0]) < 0.3 && fabs(cp.quote_pmi[1]) < 0.3 && fabs(cp.quote_pmi[2]) < 0.3,
		"unrelated counts: %f %f %f", cp.quote_pmi[0], cp.quote_pmi[1], cp.quote_pmi[2]);
	free(s.quotes);
	free(t.quotes);
}
