#include "base/json.h"

#include <stdint.h>
#include <string.h>

#include <unicode/utf8.h>

void td_json_string(FILE *f, const char *s, size_t n)
{
	size_t i = 0;

	putc('"', f);
	while (i < n) {
		/* U8_NEXT reads at most 4 bytes ahead of i and wants int32_t
		 * offsets: take the text in windows below INT32_MAX. */
		int32_t len = n - i > INT32_MAX ? INT32_MAX : (int32_t)(n - i);
		int32_t k = 0;
		const char *w = s + i;

		while (k < len) {
			int32_t start = k;
			UChar32 c;

			U8_NEXT(w, k, len, c);
			if (c < 0)
				fputs("\\ufffd", f);
			else if (c == '"' || c == '\\')
				fprintf(f, "\\%c", (char)c);
			else if (c < 0x20)
				fprintf(f, "\\u%04x", (unsigned)c);
			else
				fwrite(w + start, 1, (size_t)(k - start), f);
		}
		i += (size_t)len;
	}
	putc('"', f);
}

void td_json_cstring(FILE *f, const char *s)
{
	if (!s)
		fputs("null", f);
	else
		td_json_string(f, s, strlen(s));
}

void td_json_field(FILE *f, const char *key, const char *value)
{
	fputs(key, f);
	td_json_cstring(f, value);
}
