/* Reading a whole file (base/file.h). */
#include "base/file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tandem/error.h"

int td_read_file(char **out, size_t *out_len, const char *path, const char *name, size_t max)
{
	int is_stdin = strcmp(path, "-") == 0;
	FILE *f = is_stdin ? stdin : fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0;
	int rc = 0;

	*out = NULL;
	*out_len = 0;
	if (!name)
		name = path;
	if (!f)
		return td_error_set(TD_EIO, "%s: %s", name, strerror(errno));
	for (;;) {
		size_t got;
		if (n == cap) {
			char *nb;
			if (max && cap > max) {
				rc = td_error_set(TD_ELIMIT, "%s: larger than the limit of %zu bytes", name, max);
				goto cleanup;
			}
			cap = cap ? cap * 2 : 65536;
			nb = realloc(buf, cap + 1);
			if (!nb) {
				rc = td_error_set(TD_ENOMEM, "%s: out of memory", name);
				goto cleanup;
			}
			buf = nb;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		rc = td_error_set(TD_EIO, "%s: read error: %s", name, strerror(errno));
		goto cleanup;
	}
	if (max && n > max) {
		rc = td_error_set(TD_ELIMIT, "%s: larger than the limit of %zu bytes", name, max);
		goto cleanup;
	}
	buf[n] = '\0';
	*out = buf;
	*out_len = n;
	buf = NULL;
cleanup:
	free(buf);
	if (!is_stdin)
		fclose(f);
	return rc;
}
