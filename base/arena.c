#include "base/arena.h"

#include <stdalign.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

struct td_arena_block {
	struct td_arena_block *next;
	size_t cap, used;
	alignas(max_align_t) char data[];
};

void td_arena_init(td_arena *a, size_t block_size)
{
	a->head = a->cur = NULL;
	a->block_size = block_size ? block_size : 65536;
}

static size_t round_up(size_t n)
{
	size_t al = alignof(max_align_t);
	return (n + al - 1) / al * al;
}

/* True when n bytes fit in b at an offset aligned to al (a power of two). */
static bool fits(const struct td_arena_block *b, size_t n, size_t al)
{
	size_t start = (b->used + al - 1) & ~(al - 1);
	return start <= b->cap && b->cap - start >= n;
}

/* n bytes at an offset that is a multiple of `al` (a power of two). */
static void *alloc_aligned(td_arena *a, size_t n, size_t al)
{
	struct td_arena_block *b, *nb;
	size_t need = n ? n : 1;
	void *p;

	/* Walk forward through spare blocks of earlier rounds. */
	for (b = a->cur; b; b = b->next) {
		if (fits(b, need, al) || !b->next)
			break;
		b->next->used = 0;
	}
	if (!b || !fits(b, need, al)) {
		size_t cap = need > a->block_size ? need : a->block_size;
		nb = malloc(sizeof(*nb) + cap);
		if (!nb)
			return NULL;
		nb->cap = cap;
		nb->used = 0;
		if (b) {
			nb->next = b->next;
			b->next = nb;
		} else {
			nb->next = NULL;
			a->head = nb;
		}
		b = nb;
	}
	a->cur = b;
	b->used = (b->used + al - 1) & ~(al - 1);
	p = b->data + b->used;
	b->used += need;
	return p;
}

void *td_arena_alloc(td_arena *a, size_t n)
{
	return alloc_aligned(a, round_up(n ? n : 1), alignof(max_align_t));
}

char *td_arena_strndup(td_arena *a, const char *s, size_t n)
{
	char *p = alloc_aligned(a, n + 1, 1);
	if (!p)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void td_arena_reset(td_arena *a)
{
	a->cur = a->head;
	if (a->cur)
		a->cur->used = 0;
}

void td_arena_free(td_arena *a)
{
	struct td_arena_block *b = a->head, *next;
	while (b) {
		next = b->next;
		free(b);
		b = next;
	}
	a->head = a->cur = NULL;
}

size_t td_arena_size(const td_arena *a)
{
	size_t n = 0;
	for (const struct td_arena_block *b = a->head; b; b = b->next)
		n += sizeof(*b) + b->cap;
	return n;
}
