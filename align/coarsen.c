/*
 * Coarsening: blocks of consecutive units of a side as the units of a side
 * one level up, for the coarse-to-fine search (search.c).
 */
#include <stdlib.h>
#include <string.h>

#include "align_int.h"
#include "base/buf.h"
#include "base/sort.h"
#include "tandem/error.h"

/* The key of the k-th occurrence of an anchor key (a 64-bit mix, so that
 * the smallest keys of a block stay a random sample). */
static uint64_t occurrence_key(uint64_t key, uint32_t k)
{
	uint64_t z = key + 0x9E3779B97F4A7C15ull * ((uint64_t)k + 1);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

/*
 * A block is summarised by a bottom-k sketch: the `sketch` smallest of the
 * keys its sentences hold, each one "token" of weight 1. Keys are hashes
 * in an id space shared by both languages, so both sides keep the same keys
 * when they hold them (MinHash): the coverage of one sketch by another
 * estimates how much the blocks share, at a cost bounded whatever the block
 * size.
 *
 * From sentences, only anchor keys count (see anchor_keys), each as the key
 * of its k-th occurrence: a word common in the document would otherwise sit
 * in the sketch of every block, and a text that repeats itself would look
 * the same everywhere, so that the coarse path drifts from one copy to the
 * next. Higher levels keep these keys.
 */
int td_side_coarsen(td_side *coarse, const td_side *fine, size_t factor, size_t sketch,
	const uint64_t *anchors, size_t nanchors)
{
	size_t n = (fine->n + factor - 1) / factor, u, f, k, e, cap = 0;
	uint64_t *keys = NULL;
	uint32_t *seen = NULL;
	int rc = td__side_alloc(coarse, n);

	if (rc < 0)
		return rc;
	coarse->tw = malloc((n * sketch + 1) * sizeof(float));
	if (anchors)
		seen = calloc(nanchors + 1, sizeof(uint32_t));
	if (!coarse->tw || (anchors && !seen)) {
		rc = td_error_set(TD_ENOMEM, "aligner: out of memory");
		goto cleanup;
	}
	for (u = 0; u < n; u++) {
		size_t f0 = u * factor, f1 = f0 + factor < fine->n ? f0 + factor : fine->n;
		size_t nk = 0, w = 0;

		coarse->para[u] = fine->para[f0];
		coarse->para_end[u] = fine->para_end[f1 - 1];
		coarse->pstart[u] = fine->pstart[f0];
		coarse->endc[u] = fine->endc[f1 - 1];
		coarse->toff[u] = coarse->toff[u > 0 ? u - 1 : 0] + (u > 0 ? coarse->ntok[u - 1] : 0);
		for (f = f0; f < f1; f++) {
			size_t ne = fine->eoff[f + 1] - fine->eoff[f];

			coarse->nchar[u] += fine->nchar[f] + (f > f0);
			if (td_grow((void **)&keys, &cap, nk + ne, sizeof(*keys)) < 0) {
				rc = td_error_set(TD_ENOMEM, "aligner: out of memory");
				goto cleanup;
			}
			for (e = fine->eoff[f]; e < fine->eoff[f + 1]; e++) {
				uint64_t key = fine->ent[e] & TD_KEY_MASK;
				size_t a;

				if (!anchors) {
					keys[nk++] = key;
					continue;
				}
				/* Entries of a unit are sorted: a key's repeats are adjacent. */
				if (e > fine->eoff[f] && (fine->ent[e - 1] & TD_KEY_MASK) == key)
					continue;
				a = td_lower_bound(anchors, nanchors, key);
				if (a < nanchors && anchors[a] == key)
					keys[nk++] = occurrence_key(key, seen[a]++);
			}
		}
		td_sort_u64(keys, nk);
		for (k = 0; k < nk && w < sketch; k++)
			if (k == 0 || keys[k] != keys[k - 1]) {
				coarse->tw[coarse->toff[u] + w] = 1.0f;
				if ((rc = td__side_push(coarse, keys[k], (unsigned)w)) < 0)
					goto cleanup;
				w++;
			}
		coarse->ntok[u] = (uint32_t)w;
		td__side_finish(coarse, u);
	}
	coarse->toff[n] = n ? coarse->toff[n - 1] + coarse->ntok[n - 1] : 0;
	rc = td__side_bits(coarse);
cleanup:
	free(keys);
	free(seen);
	return rc;
}
