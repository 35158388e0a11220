/*
 * Writing JSON strings, private to the library and the program: the one
 * escaper behind every JSON tandem writes (align --format jsonl, the batch
 * report, lookup, concord, terms, segment and stats --json).
 *
 * The rule: valid UTF-8 is copied as it is; '"' and '\' are escaped with a
 * backslash and the controls U+0000..U+001F as \u00XX; every ill-formed
 * sequence becomes one U+FFFD ("\ufffd"), where a sequence is the maximal
 * subpart of the Unicode Standard (3.9, "U+FFFD Substitution of Maximal
 * Subparts", also the WHATWG Encoding Standard's rule): a lead byte and the
 * trail bytes that could still continue it. So "\xE2\x82" (a cut-off euro
 * sign) is one U+FFFD, "\xC0\xAF" (an overlong '/') two, and surrogates
 * (ED A0..BF xx) are refused as ICU's U8_NEXT refuses them. The output is
 * always valid JSON and valid UTF-8.
 */
#ifndef TD_JSON_H
#define TD_JSON_H

#include <stddef.h>
#include <stdio.h>

/* Write s[0, n) to f as a JSON string, quotes included. */
void td_json_string(FILE *f, const char *s, size_t n);

/* A NUL-terminated s as a JSON string; NULL is written as null. */
void td_json_cstring(FILE *f, const char *s);

/*
 * A field of an object: key (the text before the value, written as it is,
 * e.g. ",\"target\":") and the value as td_json_cstring writes it.
 */
void td_json_field(FILE *f, const char *key, const char *value);

#endif
