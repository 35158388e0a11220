/*
 * libFuzzer harness: td_text_decode on arbitrary bytes, with detection and with a
 * forced encoding chosen by the first byte. The output must be valid,
 * NUL-terminated UTF-8 of the reported length.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tandem/text.h"

static const char *const encodings[] = {
	NULL, "UTF-8", "UTF-16", "UTF-16LE", "ISO-8859-1", "WINDOWS-1252", "UTF-32", "ISO-8859-15",
};

/* Whether s[0, n) is well-formed UTF-8 (no surrogates, no overlongs). */
static int valid_utf8(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned c = s[i], k, cp;
		if (c < 0x80) { i++; continue; }
		if (c >= 0xc2 && c <= 0xdf) { k = 1; cp = c & 0x1f; }
		else if (c >= 0xe0 && c <= 0xef) { k = 2; cp = c & 0x0f; }
		else if (c >= 0xf0 && c <= 0xf4) { k = 3; cp = c & 0x07; }
		else return 0;
		if (n - i < k + 1)
			return 0;
		for (unsigned j = 1; j <= k; j++) {
			if ((s[i + j] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + j] & 0x3f);
		}
		if ((k == 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
		    (k == 3 && (cp < 0x10000 || cp > 0x10ffff)))
			return 0;
		i += k + 1;
	}
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	td_text_opts opts = TD_TEXT_OPTS_INIT;
	char *out = NULL;
	size_t out_len = 0;

	opts.name = "fuzz";
	if (size && data[0] < 8 && encodings[data[0]]) {
		opts.encoding = encodings[data[0]];
		data++;
		size--;
	}
	if (td_text_decode(&out, &out_len, data, size, &opts) == 0) {
		if (!out || out[out_len] != '\0' || strlen(out) != out_len ||
		    !valid_utf8((const unsigned char *)out, out_len) || memchr(out, '\r', out_len))
			abort();
	} else if (out) {
		abort();  /* failure must leave no output */
	}
	free(out);
	return 0;
}
