/*
 * Tokenizers kept per thread, private to libtandem-align (token.c).
 *
 * td__tokenizer_take: a tokenizer for lang, one the calling thread gave back
 * before when there is one (its stem cache warm), else a new one.
 * td__tokenizer_give: keep tk for the calling thread's next take (up to a few
 * per thread, freed when the thread exits), or free it. A tokenizer taken
 * must be given back or freed by the same thread; its tokens are invalid
 * after giving it back. Results never depend on which tokenizer is handed
 * out: what a tokenizer keeps across calls is only a cache.
 */
#ifndef TD_TOKEN_INT_H
#define TD_TOKEN_INT_H

#include "tandem/token.h"

int td__tokenizer_take(td_tokenizer **out, const char *lang);
void td__tokenizer_give(td_tokenizer *tk);

#endif
