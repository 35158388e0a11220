/*
 * FNV-1a, 64 bits, private to the library: the one string hash of tandem
 * (aligner keys, the lexicon cache's key, lookup's word hashes, the word
 * model's counters). A dozen lines: neither ICU nor SQLite exports a string
 * hash. Inline, because the aligner hashes every token several times.
 */
#ifndef TANDEM_BASE_HASH_H
#define TANDEM_BASE_HASH_H

#include <stddef.h>
#include <stdint.h>

/* The standard FNV-1a offset basis. */
#define TD_FNV_SEED 14695981039346656037ull
#define TD_FNV_PRIME 1099511628211ull

/* FNV-1a over p[0, n) continuing from h (start with TD_FNV_SEED). */
static inline uint64_t td_fnv1a(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;

	for (size_t i = 0; i < n; i++)
		h = (h ^ s[i]) * TD_FNV_PRIME;
	return h;
}

/* The same over a NUL-terminated string (the NUL not hashed), in one pass. */
static inline uint64_t td_fnv1a_str(uint64_t h, const char *s)
{
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * TD_FNV_PRIME;
	return h;
}

#endif
