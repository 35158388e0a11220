#include "arena.h"

#include <stdalign.h>
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

void *td_arena_alloc(td_arena *a, size_t n)
{
	struct td_arena_block *b, *nb;
	size_t need = round_up(n ? n : 1);
	void *p;

	/* Walk forward through spare blocks of earlier rounds. */
	for (b = a->cur; b; b = b->next) {
		if (b->cap - b->used >= need)
			break;
		if (!b->next)
			break;
		b->next->used = 0;
	}
	if (!b || b->cap - b->used < need) {
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
	p = b->data + b->used;
	b->used += need;
	return p;
}

char *td_arena_strndup(td_arena *a, const char *s, size_t n)
{
	char *p = td_arena_alloc(a, n + 1);
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
