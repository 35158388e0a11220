/*
 * Low-confidence regions (regions.c) and their recovery (recover.c): the
 * parts of the aligner that look at a finished ladder again.
 */
#ifndef TANDEM_ALIGN_RECOVER_H
#define TANDEM_ALIGN_RECOVER_H

#include <stddef.h>

#include "align_int.h"
#include "tandem/align.h"

/* Regions as td_ladder_regions finds them; with unaligned_weak, 1-0 and 0-1
 * beads count as weak too (a drifting path leaves runs of them behind). */
int td__regions(td_region **out, size_t *nout, const td_ladder *l, int unaligned_weak);

/*
 * Search the low-confidence regions of l (the ladder of src x tgt under
 * cost cp) again, more widely, and keep a cheaper path where one is found
 * (l is rewritten). *nfound: the regions the first round found.
 */
int td__recover(td_ladder *l, const td_side *src, const td_side *tgt, const td_cost_params *cp,
	size_t *nfound);

/*
 * Beads beyond the DP's shapes (grow.c): an unaligned sentence joins a
 * neighbouring linked bead where the larger bead costs less under cp.
 */
int td__grow(td_ladder *l, const td_side *src, const td_side *tgt, const td_cost_params *cp);

#endif
