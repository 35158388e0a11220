/*
 * The aligner: from two segmented documents to a ladder of scored beads.
 */
#include "tandem/align.h"

#include <stdlib.h>

void td_ladder_free(td_ladder *ladder)
{
	if (!ladder)
		return;
	free(ladder->v);
	free(ladder);
}
