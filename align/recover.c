/*
 * Recovery of lost regions. The coarse-to-fine search commits to the
 * blocks a coarse path went through; when that path took a wrong diagonal,
 * the fine band holds no right answer and the ladder runs at a wrong offset,
 * bead after weak bead, until it finds its way back (or never does).
 *
 * After the last pass, every stretch whose beads score low (regions.c, with
 * 1-0 / 0-1 runs counted weak) is searched again from RECOVER_MARGIN beads
 * before it to RECOVER_MARGIN beads after it: the ends of that span are
 * points of the path among confident beads, so the right path between them
 * lies in the rectangle they span. The rectangle is searched whole when it
 * has at most RECOVER_CELLS cells; a larger one in a band that holds the old
 * path and the rectangle's diagonal as wide as RECOVER_CELLS allows. Both
 * hold the old path, so the new one costs at most as much; it replaces the
 * old one when it costs less. A stretch with no counterpart on the other
 * side comes out as 1-0 / 0-1 beads, since nothing in the rectangle pays
 * better than leaving those sentences alone.
 *
 * All searches of a pair together look at no more than RECOVER_MIN_BUDGET
 * cells or RECOVER_PER_SENTENCE per sentence of the pair, whichever is more
 * (the last region searched may overrun it): a
 * pair lost everywhere is not searched again whole, in pieces.
 *
 * The sub-problem is solved on views of the two sides (the same arrays from
 * the rectangle's first sentence on), so its cost is what the whole pair's
 * costs are on those cells.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "align_int.h"
#include "recover.h"

#define RECOVER_MARGIN 8
#define RECOVER_CELLS ((size_t)1 << 21)
#define RECOVER_ROUNDS 2
#define RECOVER_PER_SENTENCE 8   /* cells re-searched per sentence of the pair ... */
#define RECOVER_MIN_BUDGET ((size_t)1 << 18)   /* ... or this many, whichever is more */

/* Side s from unit i0 on, n units: the entry offsets rebased (eoff must
 * start at 0 for a key index), every other array shifted. */
static int side_view(td_side *v, const td_side *s, size_t i0, size_t n)
{
	size_t u;

	*v = *s;
	v->n = n;
	v->nchar = s->nchar + i0;
	v->ntok = s->ntok + i0;
	v->para = s->para + i0;
	v->para_end = s->para_end + i0;
	v->pstart = s->pstart + i0;
	v->label = s->label + i0;
	v->endc = s->endc + i0;
	v->quotes = s->quotes + i0;
	v->verse = s->verse + i0;
	v->toff = s->toff + i0;
	v->boff = s->boff + i0;
	v->wtot = s->wtot + i0;
	v->ent = s->ent ? s->ent + s->eoff[i0] : NULL;
	v->nent = s->eoff[i0 + n] - s->eoff[i0];
	v->entcap = v->nent;
	v->eoff = malloc((n + 1) * sizeof(size_t));
	if (!v->eoff)
		return td_error_set(TD_ENOMEM, "aligner: out of memory");
	for (u = 0; u <= n; u++)
		v->eoff[u] = s->eoff[i0 + u] - s->eoff[i0];
	return 0;
}

static unsigned shape_of(const td_bead *b)
{
	size_t k;

	for (k = 0; k < td_nshapes; k++)
		if (td_shapes[k].a == b->nsrc && td_shapes[k].b == b->ntgt)
			return (unsigned)k;
	return (unsigned)-1;
}

/*
 * The band of an n x m rectangle: all of it when small enough, else the
 * old path (beads [k0, k1) of l, shifted by i0, j0) widened by
 * RECOVER_MARGIN and the diagonal widened to fill RECOVER_CELLS.
 */
static int region_band(td_band *band, const td_ladder *l, size_t k0, size_t k1,
	size_t i0, size_t j0, size_t n, size_t m)
{
	size_t i, k, w;
	int rc;

	if ((n + 1) * (m + 1) <= RECOVER_CELLS)
		return td_band_full(band, n, m);
	if ((rc = td_band_init(band, n, m)) < 0)
		return rc;
	w = RECOVER_CELLS / (2 * (n + 1));
	for (i = 0; i <= n; i++) {
		size_t d = (size_t)((double)i * (double)m / (double)n);

		band->lo[i] = d > w ? d - w : 0;
		band->hi[i] = d + w < m ? d + w : m;
	}
	for (k = k0; k < k1; k++) {
		const td_bead *b = &l->v[k];
		size_t r0 = b->src - i0, r1 = r0 + b->nsrc, c0 = b->tgt - j0, c1 = c0 + b->ntgt, r;

		for (r = r0 > RECOVER_MARGIN ? r0 - RECOVER_MARGIN : 0;
		     r <= r1 + RECOVER_MARGIN && r <= n; r++) {
			size_t lo = c0 > RECOVER_MARGIN ? c0 - RECOVER_MARGIN : 0;
			size_t hi = c1 + RECOVER_MARGIN < m ? c1 + RECOVER_MARGIN : m;

			if (lo < band->lo[r])
				band->lo[r] = lo;
			if (hi > band->hi[r])
				band->hi[r] = hi;
		}
	}
	for (i = 1; i <= n; i++)
		if (band->hi[i] < band->hi[i - 1])
			band->hi[i] = band->hi[i - 1];
	for (i = n; i-- > 0;)
		if (band->lo[i] > band->lo[i + 1])
			band->lo[i] = band->lo[i + 1];
	band->lo[0] = 0;
	band->hi[n] = m;
	return td_band_finish(band);
}

/*
 * Search beads [k0, k1) of l again. *sub: the new beads in the pair's
 * numbering (NULL when the old ones stay).
 */
static int research(td_ladder **sub, size_t *cells, const td_ladder *l, size_t k0, size_t k1,
	const td_side *src, const td_side *tgt, const td_cost_params *cp)
{
	const td_bead *a = &l->v[k0], *z = &l->v[k1 - 1];
	size_t i0 = a->src, j0 = a->tgt, n = z->src + z->nsrc - i0, m = z->tgt + z->ntgt - j0;
	td_side vs = { 0 }, vt = { 0 };
	td_band band = { 0 };
	td_pairs pairs = { 0 };
	td_dp *dp = NULL;
	const td_dp_step *steps;
	size_t nsteps, k;
	float *cost = NULL;
	double total, old = 0;
	int rc;

	*sub = NULL;
	if ((rc = side_view(&vs, src, i0, n)) < 0 || (rc = side_view(&vt, tgt, j0, m)) < 0 ||
	    (rc = region_band(&band, l, k0, k1, i0, j0, n, m)) < 0 ||
	    (rc = td_pairs_compute(&pairs, &band, &vs, &vt)) < 0)
		goto cleanup;
	*cells += band.off[n + 1];
	cost = malloc(band.off[n + 1] * cp->nshapes * sizeof(float));
	if (!cost) {
		rc = td_error_set(TD_ENOMEM, "aligner: out of memory for %zu cells", band.off[n + 1]);
		goto cleanup;
	}
	if ((rc = td_costs_fill(cost, &band, &pairs, &vs, &vt, cp)) < 0 || (rc = td_dp_new(&dp)) < 0 ||
	    (rc = td_dp_run(&steps, &nsteps, &total, dp, &band, td_shapes, cp->nshapes, cost)) < 0)
		goto cleanup;
	/* The old path's cost on the same cells. */
	for (k = k0; k < k1; k++) {
		const td_bead *b = &l->v[k];
		unsigned sh = shape_of(b);
		size_t c = td_band_cell(&band, b->src + b->nsrc - i0, b->tgt + b->ntgt - j0);

		if (sh >= cp->nshapes || c == (size_t)-1) {
			old = INFINITY;
			break;
		}
		old += cost[c * cp->nshapes + sh];
	}
	if (!(total < old - 1e-6 * (1.0 + fabs(old))))
		goto cleanup;
	if ((rc = td__make_ladder(sub, steps, nsteps, &pairs, &vs, &vt, cp)) < 0)
		goto cleanup;
	for (k = 0; k < (*sub)->n; k++) {
		(*sub)->v[k].src += i0;
		(*sub)->v[k].tgt += j0;
	}
cleanup:
	free(vs.eoff);
	free(vt.eoff);
	td_band_release(&band);
	td_pairs_release(&pairs);
	td_dp_free(dp);
	free(cost);
	return rc;
}

/* Replace beads [k0, k1) of l by sub's. */
static int splice(td_ladder *l, size_t k0, size_t k1, const td_ladder *sub)
{
	size_t n = l->n - (k1 - k0) + sub->n;
	td_bead *v = malloc((n ? n : 1) * sizeof(*v));

	if (!v)
		return td_error_set(TD_ENOMEM, "aligner: out of memory");
	memcpy(v, l->v, k0 * sizeof(*v));
	memcpy(v + k0, sub->v, sub->n * sizeof(*v));
	memcpy(v + k0 + sub->n, l->v + k1, (l->n - k1) * sizeof(*v));
	free(l->v);
	l->v = v;
	l->n = n;
	return 0;
}

int td__recover(td_ladder *l, const td_side *src, const td_side *tgt, const td_cost_params *cp,
	size_t *nfound)
{
	unsigned round;
	int rc = 0;
	/* A document that is lost everywhere (not a translation at all, or two
	 * sides out of step) would be searched whole, in pieces: the work is
	 * bounded by the size of the pair. */
	size_t budget = (src->n + tgt->n) * RECOVER_PER_SENTENCE, used = 0;

	if (budget < RECOVER_MIN_BUDGET)
		budget = RECOVER_MIN_BUDGET;
	*nfound = 0;
	for (round = 0; round < RECOVER_ROUNDS && rc == 0; round++) {
		td_region *r = NULL;
		size_t nr = 0, q, changed = 0;

		if ((rc = td__regions(&r, &nr, l, 1)) < 0)
			return rc;
		if (round == 0)
			*nfound = nr;
		/* From the last region back, so that the bead numbers of the
		 * earlier ones stay valid after a splice. */
		for (q = nr; q-- > 0 && rc == 0 && used < budget;) {
			size_t k0 = r[q].bead > RECOVER_MARGIN ? r[q].bead - RECOVER_MARGIN : 0;
			size_t k1 = r[q].bead + r[q].nbeads + RECOVER_MARGIN;
			td_ladder *sub = NULL;

			if (k1 > l->n)
				k1 = l->n;
			/* Rectangles of neighbouring regions that overlap are one. */
			while (q > 0 && r[q - 1].bead + r[q - 1].nbeads + RECOVER_MARGIN >= k0) {
				q--;
				k0 = r[q].bead > RECOVER_MARGIN ? r[q].bead - RECOVER_MARGIN : 0;
			}
			if ((rc = research(&sub, &used, l, k0, k1, src, tgt, cp)) == 0 && sub) {
				rc = splice(l, k0, k1, sub);
				changed++;
			}
			td_ladder_free(sub);
		}
		free(r);
		if (!changed)
			break;
	}
	return rc;
}
