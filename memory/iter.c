/*
 * The strings an iteration keeps for the origins of its current unit
 * (struct td_tm_iter in tm_internal.h), shared by store.c and the stores.
 */
#include "tm_internal.h"

#include <stdlib.h>
#include <string.h>

void td__iter_clear(td_tm_iter *it)
{
	size_t i, j;

	for (i = 0; i < TD__MAX_ORIGINS; i++)
		for (j = 0; j < 4; j++) {
			free(it->strs[i][j]);
			it->strs[i][j] = NULL;
		}
}

const char *td__iter_keep(td_tm_iter *it, size_t i, size_t j, const char *s)
{
	if (!s)
		return NULL;
	it->strs[i][j] = strdup(s);
	return it->strs[i][j] ? it->strs[i][j] : "";
}
