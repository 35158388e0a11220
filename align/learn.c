/*
 * The Dice learner: translations learned from beads judged reliable, for one
 * pair (td_learn_dice, from td_align_run's first pass) and for a batch
 * (td_learned in learned.c, summed over many pairs).
 *     dice(s, t) = 2 c(s, t) / (c(s) + c(t))
 * where c counts beads holding the key(s) (a source token's own key, a
 * target token's key). A pair seen in at least DICE_MIN_PAIR beads with
 * dice >= DICE_MIN becomes a translation: the source token gets the target
 * key as one more key. A source key keeps its DICE_PER_SOURCE best
 * translations: frequent words pass the test with many partners, and every
 * extra key costs in every pair. Ties at the DICE_PER_SOURCE-th place are
 * settled by td_dice_beads.keep (see align_int.h).
 *
 * Counting is done by sorting 64-bit values (td_sort_u64), not by a hash
 * table or qsort's comparison: the distinct source and target keys, counted,
 * give every key a rank (< 2^32 keys), and a pair becomes source rank << 32 |
 * target rank, which orders as (source, target) did. A key is ranked once
 * per bead side, not once per pair it is in. The result does not depend on
 * the order of the beads.
 */
#include <stdlib.h>
#include <string.h>

#include "align_int.h"
#include "base/sort.h"
#include "tandem/error.h"

#define DICE_MIN_PAIR 2       /* beads a word pair must share */
#define DICE_MIN 0.5
#define DICE_PER_SOURCE 4     /* translations kept per source key */

#define PAIR_MAX_BEADS 4000   /* one pair: beads used (spread over the document) */
#define PAIR_MAX_TOKENS 40    /* one pair: distinct keys per bead side */

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

typedef struct {
	td_keypair kp;
	double dice;
} scored_pair;

/* Same source key together, best Dice first, then by target key (a total order). */
static int cmp_scored(const void *x, const void *y)
{
	const scored_pair *a = x, *b = y;

	if (a->kp.src != b->kp.src)
		return a->kp.src < b->kp.src ? -1 : 1;
	if (a->dice != b->dice)
		return a->dice > b->dice ? -1 : 1;
	return a->kp.tgt < b->kp.tgt ? -1 : a->kp.tgt > b->kp.tgt;
}

/* Sorted distinct values of the sorted v[0, n) into v (in place) and their counts into cnt. */
static size_t runs(uint64_t *v, size_t n, uint32_t *cnt)
{
	size_t w = 0;

	for (size_t k = 0; k < n; k++) {
		if (w && v[w - 1] == v[k]) {
			cnt[w - 1]++;
			continue;
		}
		v[w] = v[k];
		cnt[w++] = 1;
	}
	return w;
}

/*
 * Ranks of the keys v[0, n) (kept in their order) among their distinct
 * values: sorted distinct values into *dv (count *nd), their counts into *cnt,
 * v[i]'s rank into rank[i].
 */
static int rank_keys(const uint64_t *v, size_t n, uint64_t **dv, size_t *nd, uint32_t **cnt, uint32_t **rank)
{
	*dv = malloc((n ? n : 1) * sizeof(**dv));
	*cnt = malloc((n ? n : 1) * sizeof(**cnt));
	*rank = malloc((n ? n : 1) * sizeof(**rank));
	if (!*dv || !*cnt || !*rank || n >= UINT32_MAX)
		return td_error_set(TD_ENOMEM, "aligner: out of memory for the learned lexicon");
	memcpy(*dv, v, n * sizeof(*v));
	td_sort_u64(*dv, n);
	*nd = runs(*dv, n, *cnt);
	for (size_t i = 0; i < n; i++)
		(*rank)[i] = (uint32_t)td_lower_bound(*dv, *nd, v[i]);
	return 0;
}

/* Best Dice first, then the smaller target key. */
static size_t keep_sorted(td_keypair *kp, scored_pair *sp, size_t n)
{
	size_t k, w = 0;

	qsort(sp, n, sizeof(*sp), cmp_scored);
	for (k = 0; k < n; k++)
		if (k < DICE_PER_SOURCE || sp[k - DICE_PER_SOURCE].kp.src != sp[k].kp.src)
			kp[w++] = sp[k].kp;
	return w;
}

/* In target key order: the first DICE_PER_SOURCE, then each candidate
 * replaces the first of the weakest kept when its Dice is higher. */
static size_t keep_running(td_keypair *kp, scored_pair *sp, size_t n)
{
	size_t k, w = 0, first = 0;

	for (k = 0; k < n; k++) {
		if (k == 0 || sp[k].kp.src != sp[k - 1].kp.src)
			first = w;
		if (w - first < DICE_PER_SOURCE) {
			sp[w] = sp[k];
			w++;
			continue;
		}
		size_t worst = first;
		for (size_t i = first; i < w; i++)
			if (sp[i].dice < sp[worst].dice)
				worst = i;
		if (sp[k].dice > sp[worst].dice)
			sp[worst] = sp[k];
	}
	for (k = 0; k < w; k++)
		kp[k] = sp[k].kp;
	return w;
}

int td__dice_learn(td_keypair **out, size_t *nout, const td_dice_beads *db)
{
	scored_pair *sp = NULL;
	uint64_t *us = NULL, *ut = NULL, *enc = NULL;
	uint32_t *cnt_s = NULL, *cnt_t = NULL, *rs = NULL, *rt = NULL;
	td_keypair *kp = NULL;
	size_t k, n = 0, w = 0, nus = 0, nut = 0, np = 0, os = 0, ot = 0;
	int rc = 0;

	*out = NULL;
	*nout = 0;
	if (db->np) {
		if ((rc = rank_keys(db->cs, db->ncs, &us, &nus, &cnt_s, &rs)) < 0 ||
		    (rc = rank_keys(db->ct, db->nct, &ut, &nut, &cnt_t, &rt)) < 0)
			goto cleanup;
		if (!(enc = malloc(db->np * sizeof(*enc))))
			goto nomem;
		for (size_t b = 0; b < db->beads; b++) {
			size_t ns = db->bn[2 * b], nt = db->bn[2 * b + 1];
			for (size_t i = 0; i < ns; i++)
				for (size_t j = 0; j < nt; j++)
					enc[np++] = (uint64_t)rs[os + i] << 32 | rt[ot + j];
			os += ns;
			ot += nt;
		}
		td_sort_u64(enc, np);
	}
	for (k = 0; k < np;) {
		size_t run = 1;

		while (k + run < np && enc[k + run] == enc[k])
			run++;
		if (run >= DICE_MIN_PAIR) {
			uint32_t si = (uint32_t)(enc[k] >> 32), ti = (uint32_t)enc[k];
			double dice = 2.0 * (double)run / ((double)cnt_s[si] + (double)cnt_t[ti]);

			if (dice >= DICE_MIN) {
				/* Each candidate takes at least DICE_MIN_PAIR codes. */
				if (!sp && !(sp = malloc((np / DICE_MIN_PAIR + 1) * sizeof(*sp))))
					goto nomem;
				sp[n].kp.src = us[si];
				sp[n].kp.tgt = ut[ti];
				sp[n].dice = dice;
				n++;
			}
		}
		k += run;
	}
	if (n) {
		/* Keep the best DICE_PER_SOURCE per source key, then sort by (src, tgt). */
		if (!(kp = malloc(n * sizeof(*kp))))
			goto nomem;
		w = db->keep == TD_DICE_KEEP_RUNNING ? keep_running(kp, sp, n) : keep_sorted(kp, sp, n);
		qsort(kp, w, sizeof(td_keypair), td__cmp_keypair);
		*out = kp;
		*nout = w;
		kp = NULL;
	}
	goto cleanup;
nomem:
	rc = td_error_set(TD_ENOMEM, "aligner: out of memory for the learned lexicon");
cleanup:
	free(kp);
	free(sp);
	free(us);
	free(ut);
	free(cnt_s);
	free(cnt_t);
	free(rs);
	free(rt);
	free(enc);
	return rc;
}

int td_learn_dice(td_keypair **out, size_t *nout, const td_side *src, const td_side *tgt,
	const size_t *bead_s, const size_t *bead_t, size_t nbeads)
{
	size_t step = nbeads > PAIR_MAX_BEADS ? (nbeads + PAIR_MAX_BEADS - 1) / PAIR_MAX_BEADS : 1;
	size_t used = (nbeads + step - 1) / step, b;
	td_dice_beads db = { .keep = TD_DICE_KEEP_RUNNING };
	int rc;

	*out = NULL;
	*nout = 0;
	db.cs = malloc(used * PAIR_MAX_TOKENS * sizeof(uint64_t) + 1);
	db.ct = malloc(used * PAIR_MAX_TOKENS * sizeof(uint64_t) + 1);
	db.bn = malloc(2 * used + 1);
	if (!db.cs || !db.ct || !db.bn) {
		rc = td_error_set(TD_ENOMEM, "aligner: out of memory for the learned lexicon");
		goto cleanup;
	}
	/* The distinct keys of every bead side, in bead order. */
	for (b = 0; b < nbeads; b += step) {
		size_t ns = td__distinct_keys(db.cs + db.ncs, PAIR_MAX_TOKENS, src, bead_s[b]);
		size_t nt = td__distinct_keys(db.ct + db.nct, PAIR_MAX_TOKENS, tgt, bead_t[b]);

		db.bn[2 * db.beads] = (unsigned char)ns;      /* <= PAIR_MAX_TOKENS */
		db.bn[2 * db.beads + 1] = (unsigned char)nt;
		db.ncs += ns;
		db.nct += nt;
		db.np += ns * nt;
		db.beads++;
	}
	rc = td__dice_learn(out, nout, &db);
cleanup:
	free(db.cs);
	free(db.ct);
	free(db.bn);
	return rc;
}
