/*
 * A lexicon learned from a whole batch (td_learned in align.h).
 *
 * The same model as the lexicon td_align_run learns from one pair (learn.c):
 * Dice coefficients between source and target token keys over beads judged
 * reliable, dice(s, t) = 2 c(s, t) / (c(s) + c(t)), c counting beads. Here
 * the counts are summed over the confident 1-1 beads of many pairs, so words
 * seen once per article but in many articles are learned too.
 *
 * Collecting appends every bead's distinct keys and their counts to arrays
 * under a mutex; finishing counts the keys and the pairs (every source key of
 * a bead with every target key) and keeps the pairs that qualify. The
 * result does not depend on the order in which pairs were added (counts are
 * integers, arrays are sorted), so a batch learns the same lexicon however its
 * threads are scheduled. Memory is bounded: at most LEARN_BEADS_PER_PAIR beads
 * per pair, LEARN_MAX_TOKENS keys per bead side and LEARN_MAX_BEADS beads in
 * all (further beads are ignored; the batch engine spreads the pairs it feeds
 * over the whole batch so that this cap is not reached by order). A word keeps
 * its LEARN_PER_WORD best translations: in a large batch frequent words pass
 * the Dice test with many partners, and every extra key costs in every pair.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "align_int.h"
#include "tandem/align.h"
#include "tandem/error.h"

#define LEARN_MIN_SCORE 0.8      /* bead score from which a 1-1 bead is trusted */
#define LEARN_BEADS_PER_PAIR 64
#define LEARN_MAX_TOKENS 16      /* keys per bead side: a bead adds at most 16 x 16 pairs */
#define LEARN_MAX_BEADS 20000    /* about 1000 news articles; bounds memory (finishing: <= 41 MB of pair codes) */
#define LEARN_MIN_PAIR 2         /* beads a word pair must share */
#define LEARN_MIN_DICE 0.5
#define LEARN_PER_WORD 4         /* translations kept per source word, best Dice first */

struct td_learned {
	pthread_mutex_t mu;
	uint64_t *cs, *ct;           /* every bead's distinct source / target keys */
	size_t ncs, nct, capcs, capct;
	unsigned char *bn;           /* by bead: its source and target key counts, 2 bytes */
	size_t capb;
	size_t np;                   /* word pairs: the sum over beads of ns x nt */
	size_t beads;
	int finished;
	td_keypair *kp;              /* the result, sorted by source key */
	size_t nkp;
};

int td_learned_new(td_learned **out)
{
	td_learned *l = calloc(1, sizeof(*l));

	*out = NULL;
	if (!l)
		return td_error_set(TD_ENOMEM, "aligner: out of memory");
	pthread_mutex_init(&l->mu, NULL);
	*out = l;
	return 0;
}

void td_learned_free(td_learned *l)
{
	if (!l)
		return;
	pthread_mutex_destroy(&l->mu);
	free(l->cs);
	free(l->ct);
	free(l->bn);
	free(l->kp);
	free(l);
}

size_t td_learned_size(const td_learned *l)
{
	return l ? l->nkp : 0;
}

static int reserve(void **v, size_t *cap, size_t need, size_t size)
{
	size_t c = *cap ? *cap : 1024;
	void *p;

	if (need <= *cap)
		return 0;
	while (c < need)
		c *= 2;
	if (!(p = realloc(*v, c * size)))
		return td_error_set(TD_ENOMEM, "aligner: out of memory for the batch lexicon");
	*v = p;
	*cap = c;
	return 0;
}

/* Append the keys of one bead. Under the mutex. */
static int add_bead(td_learned *l, const uint64_t *ks, size_t ns, const uint64_t *kt, size_t nt)
{
	int rc;

	if ((rc = reserve((void **)&l->cs, &l->capcs, l->ncs + ns, sizeof(uint64_t))) < 0 ||
	    (rc = reserve((void **)&l->ct, &l->capct, l->nct + nt, sizeof(uint64_t))) < 0 ||
	    (rc = reserve((void **)&l->bn, &l->capb, 2 * (l->beads + 1), 1)) < 0)
		return rc;
	memcpy(l->cs + l->ncs, ks, ns * sizeof(uint64_t));
	l->ncs += ns;
	memcpy(l->ct + l->nct, kt, nt * sizeof(uint64_t));
	l->nct += nt;
	l->bn[2 * l->beads] = (unsigned char)ns;      /* <= LEARN_MAX_TOKENS */
	l->bn[2 * l->beads + 1] = (unsigned char)nt;
	l->np += ns * nt;
	l->beads++;
	return 0;
}

int td_learned_add(td_learned *l, const td_doc *src, const td_doc *tgt, const td_ladder *ladder,
	const td_align_opts *opts)
{
	td_align_opts defaults = TD_ALIGN_OPTS_INIT;
	td_side ss = { 0 }, ts = { 0 };
	size_t *use = NULL, nuse = 0, i, step;
	uint64_t ks[LEARN_MAX_TOKENS], kt[LEARN_MAX_TOKENS];
	int rc;

	if (!opts)
		opts = &defaults;
	if (l->finished)
		return td_error_set(TD_EINVAL, "aligner: the batch lexicon is already finished");
	if (!(use = malloc((ladder->n + 1) * sizeof(*use))))
		return td_error_set(TD_ENOMEM, "aligner: out of memory");
	for (i = 0; i < ladder->n; i++) {
		const td_bead *b = &ladder->v[i];

		if (b->nsrc == 1 && b->ntgt == 1 && b->score >= LEARN_MIN_SCORE)
			use[nuse++] = i;
	}
	if (!nuse) {
		free(use);
		return 0;
	}
	if ((rc = td__build_side(&ss, src, opts->src_lang, NULL, 1)) < 0 ||
	    (rc = td__build_side(&ts, tgt, opts->tgt_lang, NULL, 0)) < 0)
		goto cleanup;
	step = nuse > LEARN_BEADS_PER_PAIR ? (nuse + LEARN_BEADS_PER_PAIR - 1) / LEARN_BEADS_PER_PAIR : 1;
	pthread_mutex_lock(&l->mu);
	for (i = 0; i < nuse && rc == 0; i += step) {
		const td_bead *b = &ladder->v[use[i]];
		size_t ns, nt;

		if (l->beads >= LEARN_MAX_BEADS)
			break;
		ns = td__distinct_keys(ks, LEARN_MAX_TOKENS, &ss, b->src);
		nt = td__distinct_keys(kt, LEARN_MAX_TOKENS, &ts, b->tgt);
		rc = add_bead(l, ks, ns, kt, nt);
	}
	pthread_mutex_unlock(&l->mu);
cleanup:
	td_side_release(&ss);
	td_side_release(&ts);
	free(use);
	return rc;
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

/* Index of key in the sorted distinct v[0, n), or n when absent (a branch-free bisection). */
static size_t find_sorted(const uint64_t *v, size_t n, uint64_t key)
{
	const uint64_t *base = v;

	if (n == 0)
		return 0;
	for (size_t len = n; len > 1; len -= len / 2)
		base += base[len / 2 - 1] < key ? len / 2 : 0;
	return *base == key ? (size_t)(base - v) : n;
}

/*
 * Ranks of the keys v[0, n) (kept in their order) among their distinct
 * values: sorted distinct values into *dv (count *nd), their counts into *cnt,
 * v[i]'s rank into rank[i]. NULL arrays: out of memory.
 */
static int rank_keys(const uint64_t *v, size_t n, uint64_t **dv, size_t *nd, uint32_t **cnt, uint32_t **rank)
{
	*dv = malloc((n ? n : 1) * sizeof(**dv));
	*cnt = malloc((n ? n : 1) * sizeof(**cnt));
	*rank = malloc((n ? n : 1) * sizeof(**rank));
	if (!*dv || !*cnt || !*rank || n >= UINT32_MAX)
		return td_error_set(TD_ENOMEM, "aligner: out of memory for the batch lexicon");
	memcpy(*dv, v, n * sizeof(*v));
	td_sort_u64(*dv, n);
	*nd = runs(*dv, n, *cnt);
	for (size_t i = 0; i < n; i++)
		(*rank)[i] = (uint32_t)find_sorted(*dv, *nd, v[i]);
	return 0;
}

/*
 * Counting runs on the calling thread while the workers wait, so it sorts
 * 64-bit values only (td_sort_u64), never 16-byte pairs through qsort's
 * comparison: the distinct source and target keys, counted, give every key
 * a rank (< 2^32 keys), and a pair becomes source rank << 32 | target rank,
 * which orders as (source, target) did. A key is ranked once per bead side,
 * not once per pair it is in.
 */
int td_learned_finish(td_learned *l)
{
	scored_pair *sp = NULL;
	uint64_t *us = NULL, *ut = NULL, *enc = NULL;
	uint32_t *cnt_s = NULL, *cnt_t = NULL, *rs = NULL, *rt = NULL;
	td_keypair *kp = NULL;
	size_t k, n = 0, w = 0, nus = 0, nut = 0, np = 0, os = 0, ot = 0;
	int rc = 0;

	if (l->finished)
		return 0;
	if (l->np) {
		if ((rc = rank_keys(l->cs, l->ncs, &us, &nus, &cnt_s, &rs)) < 0 ||
		    (rc = rank_keys(l->ct, l->nct, &ut, &nut, &cnt_t, &rt)) < 0)
			goto cleanup;
		if (!(enc = malloc(l->np * sizeof(*enc)))) {
			rc = td_error_set(TD_ENOMEM, "aligner: out of memory for the batch lexicon");
			goto cleanup;
		}
		for (size_t b = 0; b < l->beads; b++) {
			size_t ns = l->bn[2 * b], nt = l->bn[2 * b + 1];
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
		if (run >= LEARN_MIN_PAIR) {
			uint32_t si = (uint32_t)(enc[k] >> 32), ti = (uint32_t)enc[k];
			double dice = 2.0 * (double)run / ((double)cnt_s[si] + (double)cnt_t[ti]);

			if (dice >= LEARN_MIN_DICE) {
				if (!sp && !(sp = malloc((np + 1) * sizeof(*sp)))) {
					rc = td_error_set(TD_ENOMEM, "aligner: out of memory for the batch lexicon");
					goto cleanup;
				}
				sp[n].kp.src = us[si];
				sp[n].kp.tgt = ut[ti];
				sp[n].dice = dice;
				n++;
			}
		}
		k += run;
	}
	if (n) {
		/* Keep the best LEARN_PER_WORD per source key, then sort by (src, tgt). */
		if (!(kp = malloc(n * sizeof(*kp)))) {
			rc = td_error_set(TD_ENOMEM, "aligner: out of memory for the batch lexicon");
			goto cleanup;
		}
		qsort(sp, n, sizeof(*sp), cmp_scored);
		for (k = 0; k < n; k++)
			if (k < LEARN_PER_WORD || sp[k - LEARN_PER_WORD].kp.src != sp[k].kp.src)
				kp[w++] = sp[k].kp;
		qsort(kp, w, sizeof(td_keypair), td__cmp_keypair);
	}
	free(l->cs);
	free(l->ct);
	free(l->bn);
	l->cs = l->ct = NULL;
	l->bn = NULL;
	l->ncs = l->nct = l->capcs = l->capct = l->capb = l->np = 0;
	l->kp = kp;
	l->nkp = w;
	l->finished = 1;
cleanup:
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

int td__learned_apply(td_side *src, const td_learned *l)
{
	if (!l || !l->finished || !l->nkp)
		return 0;
	return td__add_learned(src, l->kp, l->nkp);
}
