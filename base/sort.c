/*
 * Sorting and searching arrays of 64-bit values (keys, hashes, packed pairs).
 */
#include "base/sort.h"

#include <stdlib.h>
#include <string.h>

static int cmp_u64(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;

	return a < b ? -1 : a > b;
}

static void insertion_sort(uint64_t *v, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		uint64_t x = v[i];
		size_t k = i;

		while (k > 0 && v[k - 1] > x) {
			v[k] = v[k - 1];
			k--;
		}
		v[k] = x;
	}
}

/*
 * Sort 64-bit values ascending. qsort calls its comparison through a pointer
 * and merge-sorts through a buffer; the aligner sorts keys by the million
 * (per sentence, per block, per side), so this is a quicksort on the values
 * themselves: median of three, Hoare partition (runs of equal keys split
 * evenly), insertion sort for short ranges, the smaller part first by
 * recursion. Keys are hashes, so a bad pivot sequence is improbable; past
 * a depth limit the range goes to qsort all the same.
 */
static void sort_u64(uint64_t *v, size_t n, unsigned depth)
{
	while (n > 16) {
		uint64_t a = v[0], b = v[n / 2], c = v[n - 1], pivot, t;
		size_t i = 0, j = n - 1;

		if (depth-- == 0) {
			qsort(v, n, sizeof(uint64_t), cmp_u64);
			return;
		}
		pivot = a < b ? (b < c ? b : a < c ? c : a) : (a < c ? a : b < c ? c : b);
		for (;;) {
			while (v[i] < pivot)
				i++;
			while (v[j] > pivot)
				j--;
			if (i >= j)
				break;
			t = v[i];
			v[i++] = v[j];
			v[j--] = t;
		}
		/* [0, j] <= pivot <= [j + 1, n) */
		if (j + 1 < n - j - 1) {
			sort_u64(v, j + 1, depth);
			v += j + 1;
			n -= j + 1;
		} else {
			sort_u64(v + j + 1, n - j - 1, depth);
			n = j + 1;
		}
	}
	insertion_sort(v, n);
}

static void quicksort_u64(uint64_t *v, size_t n)
{
	unsigned depth = 0;
	size_t m;

	for (m = n; m > 1; m >>= 1)
		depth += 2;
	sort_u64(v, n, depth + 8);
}

#define BUCKET_MIN 32          /* below: the quicksort (insertion sort) */
#define BUCKET_STACK 4096      /* up to this many values the buffer is on the stack */
#define BUCKET_MAX_BITS 16

/*
 * Most sorts are of hashes (a unit's entries, a document's keys): spread
 * evenly over their range, so one counting pass on the top bits below the
 * common prefix puts them in buckets of about one value each, already in
 * order between buckets; an insertion sort finishes the few inside. A
 * bucket holding many values (not hashes after all) gets the quicksort.
 */
void td_sort_u64(uint64_t *v, size_t n)
{
	uint64_t stack[BUCKET_STACK], *tmp = stack, lo, hi, mask;
	uint32_t cstack[BUCKET_STACK + 1], *cnt = cstack;
	unsigned k = 1, h, shift;
	size_t i, nb, start = 0;

	if (n < BUCKET_MIN) {
		quicksort_u64(v, n);
		return;
	}
	lo = hi = v[0];
	for (i = 1; i < n; i++) {
		lo = v[i] < lo ? v[i] : lo;
		hi = v[i] > hi ? v[i] : hi;
	}
	if (lo == hi)
		return;
	while (((size_t)1 << k) < n && k < BUCKET_MAX_BITS)
		k++;
	nb = (size_t)1 << k;
	if (n > BUCKET_STACK)
		tmp = malloc(n * sizeof(uint64_t));
	if (nb > BUCKET_STACK)
		cnt = malloc((nb + 1) * sizeof(uint32_t));
	if (!tmp || !cnt) {   /* no memory: sort in place */
		if (tmp != stack)
			free(tmp);
		if (cnt != cstack)
			free(cnt);
		quicksort_u64(v, n);
		return;
	}
	memset(cnt, 0, (nb + 1) * sizeof(uint32_t));
	/* All values share the bits above h (lo and hi do): bucket by the k bits below. */
	h = 63 - (unsigned)__builtin_clzll(lo ^ hi);
	shift = h + 1 >= k ? h + 1 - k : 0;
	mask = nb - 1;
	for (i = 0; i < n; i++)
		cnt[((v[i] >> shift) & mask) + 1]++;
	for (i = 0; i < nb; i++)
		cnt[i + 1] += cnt[i];
	for (i = 0; i < n; i++)
		tmp[cnt[(v[i] >> shift) & mask]++] = v[i];
	for (i = 0; i < nb; i++) {   /* cnt[b]: the end of bucket b */
		if (cnt[i] - start > 16)
			quicksort_u64(tmp + start, cnt[i] - start);
		start = cnt[i];
	}
	insertion_sort(tmp, n);
	memcpy(v, tmp, n * sizeof(uint64_t));
	if (tmp != stack)
		free(tmp);
	if (cnt != cstack)
		free(cnt);
}

size_t td_sort_unique(uint64_t *v, size_t n)
{
	size_t k, w = 0;

	td_sort_u64(v, n);
	for (k = 0; k < n; k++)
		if (w == 0 || v[k] != v[w - 1])
			v[w++] = v[k];
	return w;
}

/* The first index of the sorted v[lo, n) whose value is not below key (or
 * above it, with after). */
static size_t bisect(const uint64_t *v, size_t lo, size_t n, uint64_t key, int after)
{
	size_t hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (v[mid] < key || (after && v[mid] == key))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

size_t td_lower_bound(const uint64_t *v, size_t n, uint64_t key)
{
	return bisect(v, 0, n, key, 0);
}

size_t td_count_sorted(const uint64_t *v, size_t n, uint64_t key)
{
	size_t a = bisect(v, 0, n, key, 0), e = a;

	/* Most keys are rare: step over a short run, bisect a long one. */
	while (e < n && e - a < 8 && v[e] == key)
		e++;
	if (e - a < 8)
		return e - a;
	return bisect(v, e, n, key, 1) - a;
}
