/*
 * The lexicon learned from the pair itself: Dice coefficients between source
 * and target token keys over beads a first pass judged reliable.
 *     dice(s, t) = 2 c(s, t) / (c(s) + c(t))
 * where c counts beads holding the key(s). A pair seen in at least MIN_PAIR
 * beads with dice >= MIN_DICE becomes a translation: the source token gets
 * the target key as one more key. Counting is done by sorting (key arrays),
 * not by a hash table: the arrays are short-lived and sorted once.
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

size_t td_count_sorted(const uint64_t *v, size_t n, uint64_t key)
{
	size_t lo = 0, hi = n, a;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (v[mid] < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	a = lo;
	hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (v[mid] <= key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo - a;
}

int td_learn_dice(td_keypair **out, size_t *nout, const td_side *src, const td_side *tgt,
	const size_t *bead_s, const size_t *bead_t, size_t nbeads)
{
	size_t step = nbeads > MAX_BEADS ? (nbeads + MAX_BEADS - 1) / MAX_BEADS : 1;
	size_t used = (nbeads + step - 1) / step;
	uint64_t *cs = NULL, *ct = NULL;
	td_keypair *pairs = NULL, *res = NULL;
	double *dicev = NULL;
	size_t ncs = 0, nct = 0, np = 0, nres = 0, b, k, l;
	uint64_t ks[MAX_TOKENS], kt[MAX_TOKENS];
	int rc = 0;

	*out = NULL;
	*nout = 0;
	cs = malloc(used * MAX_TOKENS * sizeof(uint64_t) + 1);
	ct = malloc(used * MAX_TOKENS * sizeof(uint64_t) + 1);
	pairs = malloc(used * MAX_TOKENS * MAX_TOKENS * sizeof(td_keypair) + 1);
	dicev = malloc(used * MAX_TOKENS * MAX_TOKENS * sizeof(double) + 1);
	if (!cs || !ct || !pairs || !dicev) {
		rc = td_error_set(TD_ENOMEM, "aligner: out of memory for the learned lexicon");
		goto cleanup;
	}
	for (b = 0; b < nbeads; b += step) {
		size_t ns = td__distinct_keys(ks, MAX_TOKENS, src, bead_s[b]);
		size_t nt = td__distinct_keys(kt, MAX_TOKENS, tgt, bead_t[b]);

		for (k = 0; k < ns; k++)
			cs[ncs++] = ks[k];
		for (l = 0; l < nt; l++)
			ct[nct++] = kt[l];
		for (k = 0; k < ns; k++)
			for (l = 0; l < nt; l++) {
				pairs[np].src = ks[k];
				pairs[np].tgt = kt[l];
				np++;
			}
	}
	td_sort_u64(cs, ncs);
	td_sort_u64(ct, nct);
	qsort(pairs, np, sizeof(td_keypair), td__cmp_keypair);

	/* Keep qualifying pairs in place (the array is sorted by source key),
	 * at most MAX_PER_SOURCE per source key, the best by Dice. */
	for (k = 0; k < np;) {
		size_t run = 1, first = nres, w;
		double dice;

		while (k + run < np && pairs[k + run].src == pairs[k].src && pairs[k + run].tgt == pairs[k].tgt)
			run++;
		if (run >= MIN_PAIR) {
			dice = 2.0 * run / (double)(td_count_sorted(cs, ncs, pairs[k].src) + td_count_sorted(ct, nct, pairs[k].tgt));
			if (dice >= MIN_DICE) {
				/* Among this source key's kept pairs (a run at the end of
				 * the result), replace the weakest when full. */
				while (first > 0 && pairs[first - 1].src == pairs[k].src)
					first--;
				if (nres - first < MAX_PER_SOURCE) {
					dicev[nres] = dice;
					pairs[nres++] = pairs[k];
				} else {
					size_t worst = first;
					for (w = first; w < nres; w++)
						if (dicev[w] < dicev[worst])
							worst = w;
					if (dice > dicev[worst]) {
						dicev[worst] = dice;
						pairs[worst] = pairs[k];
					}
				}
			}
		}
		k += run;
	}
	/* Replacements may have broken the order within a source key. */
	qsort(pairs, nres, sizeof(td_keypair), td__cmp_keypair);
	if (nres > 0) {
		res = realloc(pairs, nres * sizeof(td_keypair));
		if (!res)
			res = pairs;
		pairs = NULL;
		*out = res;
		*nout = nres;
	}
cleanup:
	free(dicev);
	free(cs);
	free(ct);
	free(pairs);
	return rc;
}
