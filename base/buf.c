/* Growing arrays and buffers (base/buf.h). */
#include "base/buf.h"

#include <stdint.h>
#include <stdlib.h>

#include "tandem/error.h"

int td_grow(void **p, size_t *cap, size_t need, size_t elem)
{
	size_t c = *cap ? *cap : 16;
	void *q;

	if (need <= *cap)
		return 0;
	while (c < need) {
		if (c > SIZE_MAX / 2)
			return td_error_set(TD_ENOMEM, "out of memory");
		c *= 2;
	}
	if (elem && c > SIZE_MAX / elem)
		return td_error_set(TD_ENOMEM, "out of memory");
	q = realloc(*p, c * elem);
	if (!q)
		return td_error_set(TD_ENOMEM, "out of memory");
	*p = q;
	*cap = c;
	return 0;
}
