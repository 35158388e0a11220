/*
 * Sorting and searching arrays of 64-bit values, private to the library.
 * td_sort_u64 is a bucket sort for hashes (spread evenly over their range)
 * that falls back to a quicksort on the values themselves: the aligner sorts
 * keys by the million, and qsort's comparison through a pointer costs.
 */
#ifndef TANDEM_BASE_SORT_H
#define TANDEM_BASE_SORT_H

#include <stddef.h>
#include <stdint.h>

/* Sort n 64-bit values ascending. */
void td_sort_u64(uint64_t *v, size_t n);
/* Sort and drop repeats; returns how many distinct values lead v. */
size_t td_sort_unique(uint64_t *v, size_t n);
/* The first index of the sorted v whose value is not below key (n: none). */
size_t td_lower_bound(const uint64_t *v, size_t n, uint64_t key);
/* How often key occurs in the sorted v. */
size_t td_count_sorted(const uint64_t *v, size_t n, uint64_t key);

#endif
