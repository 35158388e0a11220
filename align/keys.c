/*
 * Keys and the key index. A key is the FNV-1a hash (64 bit) of a namespace
 * letter and a string (align_int.h's evidence model); the key index lists
 * the entries of many units sorted by key, for the pair masks of pairs.c.
 */
#include <stdlib.h>
#include <string.h>

#include "align_int.h"
#include "base/hash.h"
#include "tandem/error.h"

/* The aligner's keys start from their own basis (not TD_FNV_SEED): every
 * key, and so every tie the aligner breaks by key order, depends on it. */
#define KEY_SEED 1469598103934665603ull

uint64_t td_key(char ns, const char *s, size_t len)
{
	return td_fnv1a(td_fnv1a(KEY_SEED, &ns, 1), s, len);
}

uint64_t td_key_str(char ns, const char *s)
{
	return td_fnv1a_str(td_fnv1a(KEY_SEED, &ns, 1), s);
}

void td_keyindex_release(td_keyindex *ix)
{
	free(ix->ent);
	free(ix->unit);
	memset(ix, 0, sizeof(*ix));
}

/* Merge two runs sorted by key; on equal keys the left run first (stable). */
static void merge_runs(uint64_t *de, uint32_t *du, const uint64_t *e, const uint32_t *u,
	size_t a, size_t mid, size_t b)
{
	size_t i = a, j = mid, w = a;

	/* Which run is ahead is unpredictable (keys are hashes): no branch. */
	while (i < mid && j < b) {
		uint64_t x = e[i], y = e[j];
		size_t right = (y & TD_KEY_MASK) < (x & TD_KEY_MASK);
		uint64_t take = (uint64_t)0 - right;   /* all ones: take the right one */
		uint32_t take32 = (uint32_t)take;

		de[w] = (y & take) | (x & ~take);
		du[w++] = (u[j] & take32) | (u[i] & ~take32);
		j += right;
		i += right ^ 1;
	}
	memcpy(de + w, e + i, (mid - i) * sizeof(*e));
	memcpy(du + w, u + i, (mid - i) * sizeof(*u));
	w += mid - i;
	memcpy(de + w, e + j, (b - j) * sizeof(*e));
	memcpy(du + w, u + j, (b - j) * sizeof(*u));
}

/*
 * The units' lists are sorted already: merge them pairwise, log2(n) rounds
 * of a stable merge, so that the units of a key stay in ascending order.
 */
int td_keyindex_build(td_keyindex *ix, size_t n, const size_t *eoff, const uint64_t *ent)
{
	size_t total = n ? eoff[n] : 0, nr = n, u, e, r;
	uint64_t *e2 = NULL;
	uint32_t *u2 = NULL;
	size_t *bound = NULL;

	memset(ix, 0, sizeof(*ix));
	ix->ent = malloc((total + 1) * sizeof(uint64_t));
	ix->unit = malloc((total + 1) * sizeof(uint32_t));
	e2 = malloc((total + 1) * sizeof(uint64_t));
	u2 = malloc((total + 1) * sizeof(uint32_t));
	bound = malloc((n + 1) * sizeof(size_t));
	if (!ix->ent || !ix->unit || !e2 || !u2 || !bound) {
		td_keyindex_release(ix);
		free(e2);
		free(u2);
		free(bound);
		return td_error_set(TD_ENOMEM, "aligner: out of memory for a key index");
	}
	ix->n = total;
	if (total)
		memcpy(ix->ent, ent, total * sizeof(uint64_t));
	for (u = 0; u < n; u++) {
		for (e = eoff[u]; e < eoff[u + 1]; e++)
			ix->unit[e] = (uint32_t)u;
		bound[u] = eoff[u];
	}
	bound[n] = total;
	while (nr > 1) {
		size_t w = 0;
		uint64_t *te;
		uint32_t *tu;

		for (r = 0; r < nr; r += 2) {
			size_t b = r + 2 <= nr ? bound[r + 2] : bound[nr];
			size_t mid = r + 1 <= nr ? bound[r + 1] : b;

			merge_runs(e2, u2, ix->ent, ix->unit, bound[r], mid, b);
			bound[w++] = bound[r];
		}
		bound[w] = total;
		nr = w;
		te = ix->ent;
		ix->ent = e2;
		e2 = te;
		tu = ix->unit;
		ix->unit = u2;
		u2 = tu;
	}
	free(e2);
	free(u2);
	free(bound);
	return 0;
}
