/*
 * A lexicon learned from a whole batch (td_learned in align.h).
 *
 * The Dice learner of learn.c over the confident 1-1 beads of many pairs,
 * so words seen once per article but in many articles are learned too.
 *
 * Collecting appends every bead's distinct keys and their counts to arrays
 * under a mutex; finishing hands them to the learner. Its result does not
 * depend on the order of the beads, so a batch learns the same lexicon however
 * its threads are scheduled. Memory is bounded: at most LEARN_BEADS_PER_PAIR
 * beads per pair, LEARN_MAX_TOKENS keys per bead side and LEARN_MAX_BEADS
 * beads in all (further beads are ignored; the batch engine spreads the pairs
 * it feeds over the whole batch so that this cap is not reached by order).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "align_int.h"
#include "base/buf.h"
#include "tandem/align.h"
#include "tandem/error.h"

#define LEARN_MIN_SCORE 0.8      /* bead score from which a 1-1 bead is trusted */
#define LEARN_BEADS_PER_PAIR 64
#define LEARN_MAX_TOKENS 16      /* keys per bead side: a bead adds at most 16 x 16 pairs */
#define LEARN_MAX_BEADS 20000    /* about 1000 news articles; bounds memory (finishing: <= 41 MB of pair codes) */

struct td_learned {
	pthread_mutex_t mu;
	td_dice_beads db;            /* the beads collected so far */
	size_t capcs, capct, capb;
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
	free(l->db.cs);
	free(l->db.ct);
	free(l->db.bn);
	free(l->kp);
	free(l);
}

size_t td_learned_size(const td_learned *l)
{
	return l ? l->nkp : 0;
}


/* Append the keys of one bead. Under the mutex. */
static int add_bead(td_learned *l, const uint64_t *ks, size_t ns, const uint64_t *kt, size_t nt)
{
	td_dice_beads *db = &l->db;
	int rc;

	if ((rc = td_grow((void **)&db->cs, &l->capcs, db->ncs + ns, sizeof(uint64_t))) < 0 ||
	    (rc = td_grow((void **)&db->ct, &l->capct, db->nct + nt, sizeof(uint64_t))) < 0 ||
	    (rc = td_grow((void **)&db->bn, &l->capb, 2 * (db->beads + 1), 1)) < 0)
		return rc;
	memcpy(db->cs + db->ncs, ks, ns * sizeof(uint64_t));
	db->ncs += ns;
	memcpy(db->ct + db->nct, kt, nt * sizeof(uint64_t));
	db->nct += nt;
	db->bn[2 * db->beads] = (unsigned char)ns;      /* <= LEARN_MAX_TOKENS */
	db->bn[2 * db->beads + 1] = (unsigned char)nt;
	db->np += ns * nt;
	db->beads++;
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

		if (l->db.beads >= LEARN_MAX_BEADS)
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

int td_learned_finish(td_learned *l)
{
	int rc;

	if (l->finished)
		return 0;
	if ((rc = td__dice_learn(&l->kp, &l->nkp, &l->db)) < 0)
		return rc;
	free(l->db.cs);
	free(l->db.ct);
	free(l->db.bn);
	memset(&l->db, 0, sizeof(l->db));
	l->capcs = l->capct = l->capb = 0;
	l->finished = 1;
	return 0;
}

int td__learned_apply(td_side *src, const td_learned *l)
{
	if (!l || !l->finished || !l->nkp)
		return 0;
	return td__add_learned(src, l->kp, l->nkp, NULL);
}
