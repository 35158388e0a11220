/*
 * Bead scores: from a path (the DP's steps with their costs) to the ladder a
 * user sees, every bead with a confidence in [0, 1]; releasing a ladder.
 */
#include <math.h>
#include <stdlib.h>

#include "align_int.h"
#include "tandem/error.h"

static double sigmoid(double x)
{
	return 1.0 / (1.0 + exp(-x));
}

void td_ladder_free(td_ladder *ladder)
{
	if (!ladder)
		return;
	free(ladder->v);
	free(ladder);
}

double td__bead_score(const td_cost_params *cp, double cost, unsigned a, unsigned b)
{
	double sc = sigmoid(2.0 * ((cp->skip + cp->w_lex) / 2.0 - cost / (a + b)));

	return sc < 0 ? 0 : sc > 1 ? 1 : sc;
}

/* Beads with scores from the final pass. */
int td__make_ladder(td_ladder **out, const td_dp_step *steps, size_t nsteps,
	const td_pairs *pairs, const td_side *src, const td_side *tgt, const td_cost_params *cp)
{
	td_ladder *l = calloc(1, sizeof(*l));
	double mid = (cp->skip + cp->w_lex) / 2.0;
	size_t k;

	if (!l || !(l->v = malloc((nsteps ? nsteps : 1) * sizeof(td_bead)))) {
		free(l);
		return td_error_set(TD_ENOMEM, "aligner: out of memory");
	}
	for (k = 0; k < nsteps; k++) {
		unsigned a = td_shapes[steps[k].k].a, b = td_shapes[steps[k].k].b;
		td_bead *bd = &l->v[k];
		double sc;

		bd->src = steps[k].i - a;
		bd->nsrc = a;
		bd->tgt = steps[k].j - b;
		bd->ntgt = b;
		if (a && b) {
			sc = td__bead_score(cp, steps[k].cost, a, b);
		} else {
			/* Confidence that the sentence has no counterpart: how badly it
			 * would pair with its neighbours on the other side. */
			size_t i = steps[k].i, j = steps[k].j;
			double best = INFINITY, c;

			if (a && j < tgt->n && (c = td_bead_cost(pairs, src, tgt, cp, i, j + 1, 1, 1)) < best)
				best = c;
			if (a && j > 0 && (c = td_bead_cost(pairs, src, tgt, cp, i, j, 1, 1)) < best)
				best = c;
			if (b && i < src->n && (c = td_bead_cost(pairs, src, tgt, cp, i + 1, j, 1, 1)) < best)
				best = c;
			if (b && i > 0 && (c = td_bead_cost(pairs, src, tgt, cp, i, j, 1, 1)) < best)
				best = c;
			sc = best < INFINITY ? sigmoid(2.0 * (best / 2.0 - mid)) : 1.0;
		}
		bd->score = sc < 0 ? 0 : sc > 1 ? 1 : sc;
	}
	l->n = nsteps;
	*out = l;
	return 0;
}
