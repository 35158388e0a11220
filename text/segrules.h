/*
 * Private to align/: tandem's own sentence-break corrections on top of ICU.
 *
 * ICU proposes a break; seg_rules_join() says whether the break is wrong and
 * the two pieces belong to one sentence. The rules for a language are data
 * (text/segrules.c): abbreviations with the context in which they do not end
 * a sentence, month names, the words that announce an ordinal number, and the
 * words that typically begin a sentence.
 */
#ifndef TANDEM_SEGRULES_H
#define TANDEM_SEGRULES_H

#include <stddef.h>

#include <unicode/utf8.h>

/*
 * The code point at s[*i] (s has len bytes) and *i moved past it; a bad byte
 * gives a negative value and moves one byte. ICU's macros index with int32_t;
 * these keep them on a short window so any size_t offset works.
 */
static inline UChar32 seg_next(const char *s, size_t *i, size_t len)
{
	int32_t k = 0, n = (int32_t)(len - *i < 4 ? len - *i : 4);
	UChar32 c;

	U8_NEXT((const uint8_t *)s + *i, k, n, c);
	*i += (size_t)k;
	return c;
}

/* The code point that ends at s[*i] (not before s[lo]) and *i moved to its start. */
static inline UChar32 seg_prev(const char *s, size_t lo, size_t *i)
{
	size_t base = *i - lo > 4 ? *i - 4 : lo;
	int32_t k = (int32_t)(*i - base);
	UChar32 c;

	U8_PREV((const uint8_t *)s + base, 0, k, c);
	*i = base + (size_t)k;
	return c;
}

typedef struct seg_rules seg_rules;

/* The rules for a language ("de", "en_GB", "de@ss=standard" ...), NULL when there are none. */
const seg_rules *seg_rules_for(const char *lang);

/*
 * s[0..len) is one paragraph (no line breaks) and ICU breaks it at brk: the
 * current sentence is s[from..brk), the next starts at brk. Returns 1 when the
 * break is wrong and the pieces are one sentence, 0 when the break stands.
 */
int seg_rules_join(const seg_rules *r, const char *s, size_t len, size_t from, size_t brk);

/*
 * s[0..len) is one paragraph and ICU did not break at `at` (the start of a
 * word after white space). Returns 1 when a sentence ends there all the same:
 * "... im Frankenwald. 1991 endete ...".
 */
int seg_rules_split(const seg_rules *r, const char *s, size_t len, size_t at);

#endif
