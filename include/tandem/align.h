/*
 * tandem: sentence alignment.
 *
 * A bead pairs nsrc consecutive source sentences with ntgt consecutive target
 * sentences (1-1, 1-0, 0-1, 1-2, 2-1, 2-2, 1-3, 3-1). A ladder is the
 * sequence of beads that covers both documents in order; every bead carries a
 * score in [0,1], the aligner's confidence in it, that a user can threshold on.
 *
 * The score of an alignment against a gold alignment (`tandem score`) follows
 * the strict/lax precision/recall of Sennrich & Volk (2011) as implemented by
 * vecalign's score.py: counts are summed over document pairs, then P/R/F1.
 */
#ifndef TANDEM_ALIGN_H
#define TANDEM_ALIGN_H

#include <stddef.h>
#include <stdio.h>

#include "tandem/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
	size_t src, nsrc;    /* source sentences [src, src+nsrc) */
	size_t tgt, ntgt;    /* target sentences [tgt, tgt+ntgt) */
	double score;        /* confidence in [0,1] */
} td_bead;

typedef struct {
	td_bead *v;
	size_t n;
} td_ladder;

/* Free a ladder made by the library (td_align_run ...); NULL is a no-op. */
TD_EXTERN void td_ladder_free(td_ladder *ladder);

/* ---- Alignment files and their score ------------------------------------ */

/*
 * An alignment as read from a file in the vecalign format: one bead per line,
 * "[src ids]:[tgt ids]" with 0-based ids, optionally ":score"; e.g.
 * "[0]:[0, 1]", "[3, 4]:[5]:0.93", "[]:[6]". Blank lines are skipped. Id lists
 * are kept as written (they need not be contiguous).
 */
typedef struct td_alignment td_alignment;

/* Parse text (len bytes); name is used in messages ("gold.txt: line 3: ..."). */
TD_EXTERN int td_alignment_parse(td_alignment **out, const char *text, size_t len, const char *name);
/* Read and parse a file. */
TD_EXTERN int td_alignment_read(td_alignment **out, const char *path);
/* The beads of a ladder as an alignment. */
TD_EXTERN int td_alignment_from_ladder(td_alignment **out, const td_ladder *ladder);
/* Number of beads (lines) read. */
TD_EXTERN size_t td_alignment_size(const td_alignment *a);
TD_EXTERN void td_alignment_free(td_alignment *a);

/*
 * Counts accumulated over document pairs: prec[] for the hypothesis beads
 * (after de-duplication, beads with both sides empty dropped) checked against
 * the gold, rec[] for the gold beads checked against the hypothesis after
 * removing beads with an empty side from both. Each holds
 * { strict TP, strict FP, lax TP, lax FP }. A bead is a strict TP when it is
 * identical to a bead of the other side; a lax TP when some of its target ids
 * is aligned in the other side to some of its source ids.
 */
typedef struct {
	unsigned long prec[4], rec[4];
} td_alscore;
#define TD_ALSCORE_INIT { { 0, 0, 0, 0 }, { 0, 0, 0, 0 } }

typedef struct {
	double p_strict, r_strict, f_strict;
	double p_lax, r_lax, f_lax;
} td_alscore_result;

/* Add the counts of one document pair (gold, hypothesis) to acc. */
TD_EXTERN int td_alscore_add(td_alscore *acc, const td_alignment *gold, const td_alignment *hyp);
/* Precision, recall and F1 from the counts (0 where undefined). */
TD_EXTERN void td_alscore_compute(td_alscore_result *out, const td_alscore *acc);

#ifdef __cplusplus
}
#endif

#endif
