/*
 * Beads larger than the DP's shapes. The DP searches beads of at most three
 * sentences a side (1-3, 3-1, 2-2): more shapes would cost every cell of
 * the band. Translators sometimes write one long sentence as four or five
 * (Text+Berg's French has 1-4 and 1-5 beads); the DP then writes a 1-3
 * bead beside one or two 0-1 beads.
 *
 * After the search, an unaligned sentence next to a linked bead joins it
 * when the larger bead costs less than the two beads did (cost.c prices
 * beads of any size up to TD_BEAD_MAX sentences a side: the prior grows by
 * `merge` with every sentence beyond four). The sweep repeats while it
 * changes something, so that a run of 0-1 beads beside a 1-3 bead can
 * become a 1-5 bead one sentence at a time.
 * Costs are those the DP used, so a merge the DP could have made itself
 * (a shape it searches) happens here only where its band did not reach.
 */
#include <math.h>
#include <stdlib.h>

#include "align_int.h"
#include "recover.h"
#include "tandem/error.h"

#define GROW_ROUNDS 8

static double cost_of(const td_bead *b, const td_side *src, const td_side *tgt, const td_cost_params *cp)
{
	return td_bead_cost(NULL, src, tgt, cp, b->src + b->nsrc, b->tgt + b->ntgt,
		(unsigned)b->nsrc, (unsigned)b->ntgt);
}

/* The union of two neighbouring beads x, y (x first). */
static td_bead join(const td_bead *x, const td_bead *y)
{
	td_bead u = *x;

	u.nsrc = x->nsrc + y->nsrc;
	u.ntgt = x->ntgt + y->ntgt;
	if (!x->nsrc)
		u.src = y->src;
	if (!x->ntgt)
		u.tgt = y->tgt;
	return u;
}

/* Whether x and y may become one bead: one of them unaligned, the other
 * linked (two linked beads joined beyond the DP's shapes were wrong more
 * often than right on the dev books). */
static int joinable(const td_bead *x, const td_bead *y)
{
	int lx = x->nsrc && x->ntgt, ly = y->nsrc && y->ntgt;

	if (x->nsrc + y->nsrc > TD_BEAD_MAX || x->ntgt + y->ntgt > TD_BEAD_MAX)
		return 0;
	return lx != ly;
}

int td__grow(td_ladder *l, const td_side *src, const td_side *tgt, const td_cost_params *cp)
{
	double *c;
	unsigned round;
	size_t k;

	if (l->n < 2)
		return 0;
	c = malloc(l->n * sizeof(double));
	if (!c)
		return td_error_set(TD_ENOMEM, "aligner: out of memory");
	/* Costs are computed when a bead first meets a joinable neighbour
	 * (most beads never do). */
	for (k = 0; k < l->n; k++)
		c[k] = NAN;
	for (round = 0; round < GROW_ROUNDS; round++) {
		size_t w = 0, changed = 0;

		/* Left to right: bead k joins the last bead written when that
		 * gains, else is written after it. */
		for (k = 0; k < l->n; k++) {
			if (w > 0 && joinable(&l->v[w - 1], &l->v[k])) {
				td_bead u = join(&l->v[w - 1], &l->v[k]);
				double cu = cost_of(&u, src, tgt, cp), gain;

				if (isnan(c[w - 1]))
					c[w - 1] = cost_of(&l->v[w - 1], src, tgt, cp);
				if (isnan(c[k]))
					c[k] = cost_of(&l->v[k], src, tgt, cp);
				gain = c[w - 1] + c[k] - cu;

				/* Gaining more here than by joining bead k with
				 * the next one instead. */
				if (gain > 0 && k + 1 < l->n && joinable(&l->v[k], &l->v[k + 1])) {
					td_bead v = join(&l->v[k], &l->v[k + 1]);

					if (isnan(c[k + 1]))
						c[k + 1] = cost_of(&l->v[k + 1], src, tgt, cp);
					if (c[k] + c[k + 1] - cost_of(&v, src, tgt, cp) > gain)
						gain = 0;
				}
				if (gain > 0) {
					u.score = td__bead_score(cp, cu, (unsigned)u.nsrc, (unsigned)u.ntgt);
					l->v[w - 1] = u;
					c[w - 1] = cu;
					changed++;
					continue;
				}
			}
			l->v[w] = l->v[k];
			c[w] = c[k];
			w++;
		}
		l->n = w;
		if (!changed)
			break;
	}
	free(c);
	return 0;
}
