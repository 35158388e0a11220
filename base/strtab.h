/*
 * A string interning table, private to libtandem-align: every distinct
 * string gets a dense id 0, 1, 2 ... and one stable NUL-terminated copy.
 *
 * Why our own: the lexicon interns a few hundred thousand stems and looks
 * each up millions of times while loading; none of the libraries we build on
 * exports a general hash table (ICU's uhash is internal, POSIX hsearch_r has a
 * fixed capacity and no ids). This is open addressing with linear probing on
 * a power-of-two array; each slot holds the FNV-1a hash next to the id, so a
 * probe touches the string only when the hashes agree and growing never
 * rehashes strings; the load factor stays at most 1/2.
 *
 * Invariants: slot[i] == 0 is empty, else its low 32 bits are id + 1 and its
 * high 32 bits the hash of str[id]; str[id] for id < n; the strings live in
 * `arena` and never move, so
 * pointers from td_strtab_str() stay valid until td_strtab_free().
 */
#ifndef TD_STRTAB_H
#define TD_STRTAB_H

#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"

typedef struct {
	uint64_t *slot;      /* hash << 32 | (id + 1), 0 when empty */
	size_t cap;          /* slots, a power of two */
	const char **str;    /* by id */
	size_t n, strcap;
	td_arena arena;
} td_strtab;

int td_strtab_init(td_strtab *t, size_t hint);
/* The id of s[0, len), added when absent; TD_ENOMEM. */
int td_strtab_intern(td_strtab *t, uint32_t *id, const char *s, size_t len);
/* The same without a copy: s[len] is NUL and s outlives the table. */
int td_strtab_intern_ref(td_strtab *t, uint32_t *id, const char *s, size_t len);
/* The id of s[0, len) or -1. Safe from many threads when nobody interns. */
int64_t td_strtab_find(const td_strtab *t, const char *s, size_t len);
static inline const char *td_strtab_str(const td_strtab *t, uint32_t id) { return t->str[id]; }
void td_strtab_free(td_strtab *t);
/* Bytes held (slots, id arrays, strings). */
size_t td_strtab_bytes(const td_strtab *t);

#endif
