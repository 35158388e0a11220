/*
 * The DP core of the aligner: arrays of costs in, a ladder out.
 *
 * Model. The source side has n units, the target side m units (sentences, or
 * blocks of sentences at a coarse level). A bead of shape (a, b) pairs a
 * consecutive source units with b consecutive target units; a ladder is a
 * sequence of beads that covers both sides in order. The cheapest ladder is
 * found over a band: row i (0 <= i <= n, i source units consumed) holds the
 * cells j in [lo[i], hi[i]] (j target units consumed). D[i][j] is the cost of
 * the cheapest ladder that ends after i source and j target units:
 *     D[i][j] = min over shapes k of D[i - a_k][j - b_k] + cost(i, j, k)
 * where cost(i, j, k) is the cost of the bead of shape k that ends at (i, j),
 * i.e. covers source [i - a_k, i) and target [j - b_k, j). A cost of +INFINITY
 * forbids the bead. Both predecessor and cell must lie in the band.
 *
 * Memory is linear in the number of band cells; nothing in here allocates
 * inside the loops, reads files or knows about text.
 */
#ifndef TANDEM_ALIGN_DP_H
#define TANDEM_ALIGN_DP_H

#include <stddef.h>

/* The shape of a bead: a source units with b target units (a + b > 0). */
typedef struct {
	unsigned char a, b;
} td_dp_shape;

/*
 * A band over the (n+1) x (m+1) grid. Invariants (checked by td_band_check):
 * lo[i] <= hi[i] <= m; lo and hi non-decreasing in i; lo[0] == 0; hi[n] == m.
 * Cells are stored row by row: cell (i, j) has index off[i] + j - lo[i];
 * off has n + 2 entries, off[n + 1] is the number of cells.
 */
typedef struct {
	size_t n, m;
	size_t *lo, *hi, *off;
	size_t cap;          /* rows allocated in lo/hi/off */
} td_band;

/* Allocate the arrays for n source units and m target units (lo/hi zeroed). */
int td_band_init(td_band *band, size_t n, size_t m);
void td_band_release(td_band *band);
/* The full rectangle: every cell. */
int td_band_full(td_band *band, size_t n, size_t m);
/* Check the invariants and compute off[]; TD_EINVAL with a message if broken. */
int td_band_finish(td_band *band);
/* Index of cell (i, j), or (size_t)-1 when it lies outside the band. */
static inline size_t td_band_cell(const td_band *band, size_t i, size_t j)
{
	if (i > band->n || j < band->lo[i] || j > band->hi[i])
		return (size_t)-1;
	return band->off[i] + (j - band->lo[i]);
}

/* One bead of the result: shape k ending at cell (i, j). */
typedef struct {
	size_t i, j;
	unsigned k;
	double cost;         /* cost of this bead alone */
} td_dp_step;

typedef struct td_dp td_dp;  /* reusable buffers (cell costs, back pointers) */

int td_dp_new(td_dp **out);
void td_dp_free(td_dp *dp);

/*
 * The cheapest ladder through band. cost[cell * nshapes + k] is the cost of
 * a bead of shape shapes[k] ending at that cell (float, +INFINITY forbids).
 * On success *out points to *nout steps in document order (owned by dp, valid
 * until the next run) and *total is the ladder's cost. TD_EINVAL when no
 * ladder exists inside the band; TD_ENOMEM.
 */
int td_dp_run(const td_dp_step **out, size_t *nout, double *total, td_dp *dp,
	const td_band *band, const td_dp_shape *shapes, size_t nshapes, const float *cost);

#endif
