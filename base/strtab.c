#include "base/strtab.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/hash.h"
#include "tandem/error.h"

/* A string's 32-bit slot hash: the high half of FNV-1a (its low bits mix only through a small factor). */
static uint32_t fnv1a(const char *s, size_t len)
{
	return (uint32_t)(td_fnv1a(TD_FNV_SEED, s, len) >> 32);
}

int td_strtab_init(td_strtab *t, size_t hint)
{
	size_t cap = 64;
	while (cap < hint * 2)
		cap *= 2;
	memset(t, 0, sizeof(*t));
	td_arena_init(&t->arena, 1 << 18);
	t->slot = calloc(cap, sizeof(*t->slot));
	if (!t->slot)
		return td_error_set(TD_ENOMEM, "string table: out of memory");
	t->cap = cap;
	return 0;
}

static int grow(td_strtab *t)
{
	size_t cap = t->cap * 2;
	uint64_t *slot = calloc(cap, sizeof(*slot));
	if (!slot)
		return td_error_set(TD_ENOMEM, "string table: out of memory");
	for (size_t k = 0; k < t->cap; k++) {
		if (!t->slot[k])
			continue;
		size_t i = (t->slot[k] >> 32) & (cap - 1);
		while (slot[i])
			i = (i + 1) & (cap - 1);
		slot[i] = t->slot[k];
	}
	free(t->slot);
	t->slot = slot;
	t->cap = cap;
	return 0;
}

int64_t td_strtab_find(const td_strtab *t, const char *s, size_t len)
{
	uint32_t h = fnv1a(s, len);
	size_t i = h & (t->cap - 1);

	while (t->slot[i]) {
		if ((uint32_t)(t->slot[i] >> 32) == h) {
			uint32_t id = (uint32_t)t->slot[i] - 1;
			if (!memcmp(t->str[id], s, len) && t->str[id][len] == '\0')
				return id;
		}
		i = (i + 1) & (t->cap - 1);
	}
	return -1;
}

static int intern(td_strtab *t, uint32_t *id, const char *s, size_t len, bool copy_it)
{
	uint32_t h = fnv1a(s, len);
	size_t i = h & (t->cap - 1);
	const char *copy;

	while (t->slot[i]) {
		if ((uint32_t)(t->slot[i] >> 32) == h) {
			uint32_t k = (uint32_t)t->slot[i] - 1;
			if (!memcmp(t->str[k], s, len) && t->str[k][len] == '\0') {
				*id = k;
				return 0;
			}
		}
		i = (i + 1) & (t->cap - 1);
	}
	if (t->n >= UINT32_MAX - 1)
		return td_error_set(TD_ELIMIT, "string table: more than 4 billion strings");
	if (t->n == t->strcap && td_grow((void **)&t->str, &t->strcap, t->n + 1, sizeof(*t->str)) < 0)
		return td_error_set(TD_ENOMEM, "string table: out of memory");
	copy = copy_it ? td_arena_strndup(&t->arena, s, len) : s;
	if (!copy)
		return td_error_set(TD_ENOMEM, "string table: out of memory");
	t->str[t->n] = copy;
	t->slot[i] = (uint64_t)h << 32 | ((uint64_t)t->n + 1);
	*id = (uint32_t)t->n++;
	if (t->n * 2 > t->cap)
		return grow(t);
	return 0;
}

int td_strtab_intern(td_strtab *t, uint32_t *id, const char *s, size_t len)
{
	return intern(t, id, s, len, true);
}

int td_strtab_intern_ref(td_strtab *t, uint32_t *id, const char *s, size_t len)
{
	return intern(t, id, s, len, false);
}

void td_strtab_free(td_strtab *t)
{
	free(t->slot);
	free(t->str);
	td_arena_free(&t->arena);
	memset(t, 0, sizeof(*t));
}

size_t td_strtab_bytes(const td_strtab *t)
{
	return t->cap * sizeof(*t->slot) + t->strcap * sizeof(*t->str) +
	       td_arena_size(&t->arena);
}
