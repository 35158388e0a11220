/*
 * The lexicon learned from the pair itself: Dice coefficients between source
 * and target token keys over beads a first pass judged reliable.
 *     dice(s, t) = 2 c(s, t) / (c(s) + c(t))
 * where c counts beads holding the key(s). A pair seen in at least MIN_PAIR
 * beads with dice >= MIN_DICE becomes a translation: the source token gets
 * the target key as one more key. Counting is done by sorting (key arrays;
 * a pair as the ranks of its two keys in one 64-bit value), not by a hash
 * table: the arrays are short-lived and sorted once.
 *
 * Cost is bounded: at most MAX_BEADS beads (spread over the document) and
 * MAX_TOKENS distinct keys per bead side are used.
 */
#include <stdlib.h>
#include <string.h>

#include "align_int.h"
#include "tandem/error.h"

#define MAX_BEADS 4000
#define MAX_TOKENS 40
#define MIN_PAIR 2
#define MIN_DICE 0.5
#define MAX_PER_SOURCE 4

int td__cmp_keypair(const void *x, const void *y)
{
	const td_keypair *a = x, *b = y;

	if (a->src != b->src)
		return a->src < b->src ? -1 : 1;
	return a->tgt < b->tgt ? -1 : a->tgt > b->tgt;
}

size_t td__distinct_keys(uint64_t *buf, size_t max, const td_side *side, size_t u)
{
	size_t n = 0, k;

	for (k = side->toff[u]; k < side->toff[u + 1] && n < max; k++)
		buf[n++] = side->self[k];
	return td_sort_unique(buf, n);
}

/* The first index of the sorted v whose value is not below key (or above, with after). */
static size_t bisect(const uint64_t *v, size_t lo, size_t n, uint64_t key, int after)
{
	size_t hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (v[mid] < key || (after && v[mid] == key))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

size_t td_count_sorted(const uint64_t *v, size_t n, uint64_t key)
{
	size_t a = bisect(v, 0, n, key, 0), e = a;

	/* Most keys are rare: step over a short run, bisect a long one. */
	while (e < n && e - a < 8 && v[e] == key)
		e++;
	if (e - a < 8)
		return e - a;
	return bisect(v, e, n, key, 1) - a;
}

/* Index of key in the sorted distinct values v (it is there). */
static uint32_t rank_of(const uint64_t *v, size_t n, uint64_t key)
{
	return (uint32_t)bisect(v, 0, n, key, 0);
}

/* Distinct values of the sorted v (in place, returned count) and how often
 * each occurred (cnt). */
static size_t count_runs(uint64_t *v, size_t n, size_t *cnt)
{
	size_t k, w = 0;

	for (k = 0; k < n; k++) {
		if (w > 0 && v[w - 1] == v[k]) {
			cnt[w - 1]++;
			continue;
		}
		cnt[w] = 1;
		v[w++] = v[k];
	}
	return w;
}

/*
 * A pair of keys is packed as the ranks of its source and target key among
 * the distinct keys of the beads (32 bits each): ranks keep the keys' order,
 * so sorting the packed values sorts the pairs by source key, then target
 * key, as one array of integers.
 */
int td_learn_dice(td_keypair **out, size_t *nout, const td_side *src, const td_side *tgt,
	const size_t *bead_s, const size_t *bead_t, size_t nbeads)
{
	size_t step = nbeads > MAX_BEADS ? (nbeads + MAX_BEADS - 1) / MAX_BEADS : 1;
	size_t used = (nbeads + step - 1) / step;
	uint64_t *cs = NULL, *ct = NULL, *us = NULL, *ut = NULL, *packed = NULL;
	size_t *os = NULL, *ot = NULL, *cnts = NULL, *cntt = NULL;
	td_keypair *pairs = NULL;
	double *dicev = NULL;
	size_t ncs = 0, nct = 0, nus, nut, np = 0, nres = 0, b, k, l, nb = 0;
	uint32_t rt[MAX_TOKENS];
	int rc = 0;

	*out = NULL;
	*nout = 0;
	cs = malloc(used * MAX_TOKENS * sizeof(uint64_t) + 1);
	ct = malloc(used * MAX_TOKENS * sizeof(uint64_t) + 1);
	os = malloc((used + 1) * sizeof(size_t));
	ot = malloc((used + 1) * sizeof(size_t));
	if (!cs || !ct || !os || !ot)
		goto nomem;
	/* The distinct keys of every bead side, in bead order. */
	for (b = 0; b < nbeads; b += step) {
		size_t ns, nt;

		os[nb] = ncs;
		ot[nb] = nct;
		ns = td__distinct_keys(cs + ncs, MAX_TOKENS, src, bead_s[b]);
		nt = td__distinct_keys(ct + nct, MAX_TOKENS, tgt, bead_t[b]);
		ncs += ns;
		nct += nt;
		np += ns * nt;
		nb++;
	}
	os[nb] = ncs;
	ot[nb] = nct;
	us = malloc((ncs + 1) * sizeof(uint64_t));
	ut = malloc((nct + 1) * sizeof(uint64_t));
	cnts = malloc((ncs + 1) * sizeof(size_t));
	cntt = malloc((nct + 1) * sizeof(size_t));
	packed = malloc((np + 1) * sizeof(uint64_t));
	/* At most one kept pair per MIN_PAIR pairs. */
	pairs = malloc((np / MIN_PAIR + 1) * sizeof(td_keypair));
	dicev = malloc((np / MIN_PAIR + 1) * sizeof(double));
	if (!us || !ut || !cnts || !cntt || !packed || !pairs || !dicev)
		goto nomem;
	/* Beads holding each key: c(s) and c(t). */
	if (ncs)
		memcpy(us, cs, ncs * sizeof(uint64_t));
	if (nct)
		memcpy(ut, ct, nct * sizeof(uint64_t));
	td_sort_u64(us, ncs);
	td_sort_u64(ut, nct);
	nus = count_runs(us, ncs, cnts);
	nut = count_runs(ut, nct, cntt);
	np = 0;
	for (b = 0; b < nb; b++) {
		for (l = ot[b]; l < ot[b + 1]; l++)
			rt[l - ot[b]] = rank_of(ut, nut, ct[l]);
		for (k = os[b]; k < os[b + 1]; k++) {
			uint64_t hi = (uint64_t)rank_of(us, nus, cs[k]) << 32;

			for (l = 0; l < ot[b + 1] - ot[b]; l++)
				packed[np++] = hi | rt[l];
		}
	}
	td_sort_u64(packed, np);

	/* Keep qualifying pairs (in source key order), at most MAX_PER_SOURCE
	 * per source key, the best by Dice. */
	for (k = 0; k < np;) {
		size_t run = 1, first = nres, w, rs = (size_t)(packed[k] >> 32), rtk = (size_t)(packed[k] & 0xFFFFFFFFu);
		td_keypair kp;
		double dice;

		while (k + run < np && packed[k + run] == packed[k])
			run++;
		kp.src = us[rs];
		kp.tgt = ut[rtk];
		if (run >= MIN_PAIR) {
			dice = 2.0 * run / (double)(cnts[rs] + cntt[rtk]);
			if (dice >= MIN_DICE) {
				/* Among this source key's kept pairs (a run at the end of
				 * the result), replace the weakest when full. */
				while (first > 0 && pairs[first - 1].src == kp.src)
					first--;
				if (nres - first < MAX_PER_SOURCE) {
					dicev[nres] = dice;
					pairs[nres++] = kp;
				} else {
					size_t worst = first;
					for (w = first; w < nres; w++)
						if (dicev[w] < dicev[worst])
							worst = w;
					if (dice > dicev[worst]) {
						dicev[worst] = dice;
						pairs[worst] = kp;
					}
				}
			}
		}
		k += run;
	}
	/* Replacements may have broken the order within a source key. */
	if (nres > 0) {
		qsort(pairs, nres, sizeof(td_keypair), td__cmp_keypair);
		*out = pairs;
		*nout = nres;
		pairs = NULL;
	}
	goto cleanup;
nomem:
	rc = td_error_set(TD_ENOMEM, "aligner: out of memory for the learned lexicon");
cleanup:
	free(dicev);
	free(cs);
	free(ct);
	free(us);
	free(ut);
	free(os);
	free(ot);
	free(cnts);
	free(cntt);
	free(packed);
	free(pairs);
	return rc;
}
