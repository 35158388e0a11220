/*
 * tandem: word tokens for lexical matching (alignment, terminology, fuzzy lookup).
 *
 * Model. A tokenizer cuts UTF-8 text into tokens with ICU's word BreakIterator
 * for one language. Every token keeps its byte span in the input and two
 * derived forms that make renderings of the same thing compare equal:
 *
 *   WORD    norm = the word case-folded (full folding: "Straße" -> "strasse")
 *           and NFC, typographic apostrophes as "'"; stem = Snowball stem of
 *           norm for the language ("häuser" -> "haus"), norm when Snowball has
 *           no stemmer for it. URLs ("https://…", "www.…") are one WORD token
 *           whose stem is its norm.
 *   NUMBER  norm = canonical number: thousands separators dropped, the decimal
 *           mark a '.', trailing zeros of the decimals dropped, so German
 *           "5.000" and English "5,000", "5 000", "5'000" and "5000" are all
 *           "5000", and German "1,5" / "1,500" and English "1.5" / "1.500" are
 *           all "1.5". The tokenizer's locale decides (its decimal mark from
 *           ICU: ',' for de, fr ..., '.' for en, de_CH ...): a single separator
 *           before exactly three digits is the decimal mark when it is the
 *           locale's, else a thousands separator; the other mark before
 *           anything but three digits is read as a decimal ("3.5" in German
 *           text); both marks ("1.234,5", "1,234.5") read alike in every
 *           language. Strings that are not numbers in one reading (dates
 *           "27.11.2019", versions "1.2.3") keep their digit groups joined by
 *           '.'. English ordinals "27th" give "27", like German "27." (the "."
 *           is its own PUNCT token). stem == norm.
 *   PUNCT   any other non-space character run ICU gives (one mark each:
 *           „ “ ” « » - – ( ) ...); norm == stem == the text itself.
 * Whitespace is dropped. Invalid UTF-8 bytes become U+FFFD in norm.
 *
 * `stop` marks function words of the language (articles, pronouns,
 * prepositions, auxiliaries, dictionary filler such as "etw." or "sb.") so
 * that callers can count content words only.
 *
 * Memory and threads. A tokenizer owns an ICU break iterator, a stemmer and an
 * arena; tokens and their strings live in the arena until the next
 * td_tokenizer_run() call on the same tokenizer (no malloc per token once the arena
 * has grown). A tokenizer is not thread-safe: use one per thread.
 */
#ifndef TANDEM_TOKEN_H
#define TANDEM_TOKEN_H

#include <stdbool.h>
#include <stddef.h>

#include "tandem/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum { TD_TOK_WORD, TD_TOK_NUMBER, TD_TOK_PUNCT } td_tok_kind;

typedef struct {
	size_t start, end;   /* byte offsets in the input */
	td_tok_kind kind;
	const char *norm;    /* case-folded NFC word; numbers normalised ("5.000"/"5,000" -> "5000") */
	const char *stem;    /* Snowball stem of norm for the language (== norm if none) */
	bool stop;           /* WORD that is a function word of the language */
} td_token;

typedef struct td_tokenizer td_tokenizer;  /* one per thread; holds ICU iterator, stemmer, arena */

/*
 * A tokenizer for `lang`, an ICU locale ("de", "en", "fr", "de_CH", "pt-BR");
 * the part before '_' or '-' selects the stemmer and the stop words. Free
 * with td_tokenizer_free(). TD_EINVAL for an empty or malformed tag.
 */
TD_EXTERN int td_tokenizer_new(td_tokenizer **out, const char *lang);

/*
 * Tokens of text[0, len); valid until the next call on tk or
 * td_tokenizer_free. *out may be NULL when *n is 0.
 */
TD_EXTERN int td_tokenizer_run(const td_token **out, size_t *n, td_tokenizer *tk, const char *text, size_t len);

/* The language tag the tokenizer was made for. */
TD_EXTERN const char *td_tokenizer_lang(const td_tokenizer *tk);

/* True when the language has a Snowball stemmer (otherwise stem == norm). */
TD_EXTERN bool td_tokenizer_has_stemmer(const td_tokenizer *tk);

/*
 * The stem of one already normalised word (case-folded NFC, as in
 * td_token.norm), copied into the tokenizer's arena: valid until the next
 * td_tokenizer_run() call. NULL on allocation failure.
 */
TD_EXTERN const char *td_tokenizer_stem(td_tokenizer *tk, const char *norm, size_t len);

/* True when the case-folded word `norm` is a stop word of tk's language. */
TD_EXTERN bool td_tokenizer_is_stop(const td_tokenizer *tk, const char *norm);

TD_EXTERN void td_tokenizer_free(td_tokenizer *tk);

#ifdef __cplusplus
}
#endif

#endif
