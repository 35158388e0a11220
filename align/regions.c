/*
 * Low-confidence regions of a ladder: stretches where most linked beads
 * score below REGION_WEAK. A lone weak bead is an ordinary doubt; a run of
 * them means the path has lost its way (a wrong diagonal, a passage missing
 * on one side) and is what a user must look at, and what the aligner
 * searches again (recover.c).
 *
 * Every bead gets a vote: +1 weak, -1 confident, 0 for a 1-0 / 0-1 bead
 * (its score says how sure the aligner is that the sentence has no
 * counterpart, not how good a link is). A bead lies in a region when the
 * votes of the REGION_HALF beads on either side and its own sum to more
 * than 0; the region is trimmed to its first and last weak bead and kept
 * when it holds at least REGION_MIN_WEAK weak beads. Its mean score is that
 * of its linked beads.
 */
#include <stdio.h>
#include <stdlib.h>

#include "base/buf.h"
#include "recover.h"
#include "tandem/align.h"

#define REGION_WEAK 0.5
#define REGION_HALF 4
#define REGION_MIN_WEAK 4

static int vote(const td_bead *b, int unaligned_weak)
{
	if (b->nsrc == 0 || b->ntgt == 0)
		return unaligned_weak ? 1 : 0;
	return b->score < REGION_WEAK ? 1 : -1;
}

static int push_region(td_region **v, size_t *n, size_t *cap, const td_ladder *l, size_t k0, size_t k1)
{
	td_region *r;
	const td_bead *a = &l->v[k0], *z = &l->v[k1 - 1];
	double sum = 0, lsum = 0;
	size_t k, linked = 0;

	if (td_grow((void **)v, cap, *n + 1, sizeof(**v)) < 0)
		return TD_ENOMEM;
	r = &(*v)[(*n)++];
	for (k = k0; k < k1; k++) {
		sum += l->v[k].score;
		if (l->v[k].nsrc && l->v[k].ntgt) {
			lsum += l->v[k].score;
			linked++;
		}
	}
	r->bead = k0;
	r->nbeads = k1 - k0;
	r->src = a->src;
	r->nsrc = z->src + z->nsrc - a->src;
	r->tgt = a->tgt;
	r->ntgt = z->tgt + z->ntgt - a->tgt;
	r->mean = linked ? lsum / (double)linked : sum / (double)(k1 - k0);
	return 0;
}

int td__regions(td_region **out, size_t *nout, const td_ladder *l, int unaligned_weak)
{
	td_region *v = NULL;
	size_t n = 0, cap = 0, k = 0;
	long *pre;
	int rc = 0;

	*out = NULL;
	*nout = 0;
	if (!l || l->n == 0)
		return 0;
	pre = malloc((l->n + 1) * sizeof(long));
	if (!pre)
		return td_error_set(TD_ENOMEM, "aligner: out of memory for regions");
	pre[0] = 0;
	for (k = 0; k < l->n; k++)
		pre[k + 1] = pre[k] + vote(&l->v[k], unaligned_weak);
	k = 0;
	while (k < l->n && rc == 0) {
		size_t a = k > REGION_HALF ? k - REGION_HALF : 0;
		size_t b = k + REGION_HALF + 1 < l->n ? k + REGION_HALF + 1 : l->n;
		size_t end, first = (size_t)-1, last = 0, weak = 0;

		if (pre[b] - pre[a] <= 0) {
			k++;
			continue;
		}
		/* A run of beads whose windows lean weak: [k, end). */
		for (end = k; end < l->n; end++) {
			a = end > REGION_HALF ? end - REGION_HALF : 0;
			b = end + REGION_HALF + 1 < l->n ? end + REGION_HALF + 1 : l->n;
			if (pre[b] - pre[a] <= 0)
				break;
			if (vote(&l->v[end], unaligned_weak) > 0) {
				if (first == (size_t)-1)
					first = end;
				last = end;
				weak++;
			}
		}
		if (weak >= REGION_MIN_WEAK)
			rc = push_region(&v, &n, &cap, l, first, last + 1);
		k = end;
	}
	free(pre);
	if (rc < 0) {
		free(v);
		return rc;
	}
	*out = v;
	*nout = n;
	return 0;
}

int td_ladder_regions(td_region **out, size_t *nout, const td_ladder *ladder)
{
	return td__regions(out, nout, ladder, 0);
}

/* The lines of sentences [first, first+n) of doc: from the first's start to
 * the last's end (n > 0). */
static void lines_of(size_t *a, size_t *b, const td_doc *doc, size_t first, size_t n)
{
	*a = doc->v[first].line;
	*b = doc->v[first + n - 1].line_end;
}

int td_region_write_json(FILE *f, const td_region *r, size_t n, const td_doc *src, const td_doc *tgt)
{
	size_t k;

	fputc('[', f);
	for (k = 0; k < n; k++) {
		size_t s0, s1, t0, t1;

		if (r[k].nsrc == 0 || r[k].ntgt == 0 || r[k].src + r[k].nsrc > src->n ||
		    r[k].tgt + r[k].ntgt > tgt->n)
			return td_error_set(TD_EINVAL, "region %zu lies outside the documents", k);
		lines_of(&s0, &s1, src, r[k].src, r[k].nsrc);
		lines_of(&t0, &t1, tgt, r[k].tgt, r[k].ntgt);
		fprintf(f, "%s{\"source_lines\": [%zu, %zu], \"target_lines\": [%zu, %zu], "
			"\"source_sentences\": [%zu, %zu], \"target_sentences\": [%zu, %zu], "
			"\"beads\": %zu, \"mean_score\": %.4f}",
			k ? ", " : "", s0, s1, t0, t1, r[k].src + 1, r[k].src + r[k].nsrc,
			r[k].tgt + 1, r[k].tgt + r[k].ntgt, r[k].nbeads, r[k].mean);
	}
	fputc(']', f);
	return ferror(f) ? td_error_set(TD_EIO, "write error") : 0;
}

int td_region_describe(char *buf, size_t cap, const td_region *r, const td_doc *src, const td_doc *tgt)
{
	size_t s0, s1, t0, t1;

	if (r->nsrc == 0 || r->ntgt == 0 || r->src + r->nsrc > src->n || r->tgt + r->ntgt > tgt->n)
		return td_error_set(TD_EINVAL, "the region lies outside the documents");
	lines_of(&s0, &s1, src, r->src, r->nsrc);
	lines_of(&t0, &t1, tgt, r->tgt, r->ntgt);
	snprintf(buf, cap, "low confidence: source lines %zu-%zu, target lines %zu-%zu, mean score %.2f",
		s0, s1, t0, t1, r->mean);
	return 0;
}
