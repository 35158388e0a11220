/*
 * A chunked bump allocator, private to libtandem-align.
 *
 * Invariants: blocks form a list from `head`; `cur` is the block allocations
 * come from; blocks before `cur` are full (for this round), blocks after it
 * are spare capacity kept from earlier rounds. td_arena_reset() rewinds to
 * the first block without freeing, so a tokenizer that has seen its longest
 * sentence once never calls malloc again. Pointers stay valid until reset or
 * free: blocks never move.
 */
#ifndef TD_ARENA_H
#define TD_ARENA_H

#include <stddef.h>

struct td_arena_block;

typedef struct {
	struct td_arena_block *head, *cur;
	size_t block_size;  /* default capacity of a new block */
} td_arena;

void td_arena_init(td_arena *a, size_t block_size);
/* n bytes aligned for any type, NULL when out of memory. */
void *td_arena_alloc(td_arena *a, size_t n);
/* A NUL-terminated copy of s[0, n). */
char *td_arena_strndup(td_arena *a, const char *s, size_t n);
void td_arena_reset(td_arena *a);
void td_arena_free(td_arena *a);
/* Bytes held by the arena's blocks. */
size_t td_arena_size(const td_arena *a);

#endif
