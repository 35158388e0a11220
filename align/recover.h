/*
 * Low-confidence regions (regions.c): the part of the aligner that looks
 * at a finished ladder again.
 */
#ifndef TANDEM_ALIGN_RECOVER_H
#define TANDEM_ALIGN_RECOVER_H

#include <stddef.h>

#include "tandem/align.h"

/* Regions as td_ladder_regions finds them; with unaligned_weak, 1-0 and 0-1
 * beads count as weak too (a drifting path leaves runs of them behind). */
int td__regions(td_region **out, size_t *nout, const td_ladder *l, int unaligned_weak);

#endif
