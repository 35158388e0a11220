/*
 * Shared helpers for the libFuzzer harnesses: a per-process scratch
 * directory and writing one input to a file in it (the readers under test
 * take paths).
 */
#ifndef TANDEM_FUZZ_UTIL_H
#define TANDEM_FUZZ_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A directory of our own under $TMPDIR or /tmp, made once per process. */
static inline const char *fz_dir(void)
{
	static char dir[512];

	if (!dir[0]) {
		const char *t = getenv("TMPDIR");
		snprintf(dir, sizeof(dir), "%s/tdfuzz.XXXXXX", t && *t ? t : "/tmp");
		if (!mkdtemp(dir))
			abort();
	}
	return dir;
}

/* dir/name, in one of four rotating buffers. */
static inline const char *fz_path(const char *name)
{
	static char buf[4][600];
	static unsigned k;
	char *p = buf[k++ & 3];

	snprintf(p, sizeof(buf[0]), "%s/%s", fz_dir(), name);
	return p;
}

/* Write data to dir/name; aborts on failure (the harness, not the product, broke). */
static inline const char *fz_write(const char *name, const uint8_t *data, size_t len)
{
	const char *p = fz_path(name);
	FILE *f = fopen(p, "wb");

	if (!f || (len && fwrite(data, 1, len, f) != len) || fclose(f) != 0)
		abort();
	return p;
}

#endif
