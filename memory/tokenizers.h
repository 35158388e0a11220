/*
 * A tokenizer kept for one language (private to libtandem-memory): the one
 * way memory/ makes tokenizers, for the readers (reader.h), the word
 * model's writer, the index's fingerprints and the matcher. Making one
 * loads ICU's break rules, so each holder keeps its tokenizer while the
 * language it is asked for stays the same.
 */
#ifndef TANDEM_MEMORY_TOKENIZERS_H
#define TANDEM_MEMORY_TOKENIZERS_H

#include "tandem/token.h"

typedef struct {
	td_tokenizer *tk;         /* for lang; NULL before the first use or after a failure */
	char lang[64];
} td__tok;

/*
 * *out: a tokenizer for lang, t's own (made again only when lang differs
 * from the last one). On failure t holds none and the error is set.
 */
int td__tok_get(td_tokenizer **out, td__tok *t, const char *lang);
void td__tok_free(td__tok *t);

#endif
