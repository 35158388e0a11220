/*
 * Growing an array or a buffer: the one doubling helper of the library.
 */
#ifndef TD_BASE_BUF_H
#define TD_BASE_BUF_H

#include <stddef.h>

/*
 * Make *p hold at least `need` elements of `elem` bytes, *cap being how
 * many it holds now: doubles from *cap (16 when 0) until need fits, so that
 * appending one at a time costs amortised O(1). Keeps *p and *cap on
 * failure (TD_ENOMEM, also when the size overflows).
 */
int td_grow(void **p, size_t *cap, size_t need, size_t elem);

#endif
