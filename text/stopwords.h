/*
 * Stop words per language, private to libtandem-align: function words and
 * dictionary filler ("etw.", "jdn.", "sb.", "sth.", "qn") that carry no
 * lexical evidence. The lists are sorted static data (stopwords.c), searched
 * with bsearch; a set only points at one of them, so it is free to copy.
 */
#ifndef TD_STOPWORDS_H
#define TD_STOPWORDS_H

#include <stdbool.h>
#include <stddef.h>

typedef struct {
	const char *const *v;  /* sorted, case-folded NFC words */
	size_t n;
} td_stopwords;

/* The set for a language subtag ("de"); empty for a language without a list. */
void td_stopwords_init(td_stopwords *s, const char *lang);
bool td_stopwords_has(const td_stopwords *s, const char *norm);

#endif
