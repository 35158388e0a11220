/*
 * tandem: the fuzzy-match percentage and the differences behind it.
 *
 * Model. Both sentences are cut into tokens (ICU word boundaries, see
 * token.h): words, numbers and punctuation marks; whitespace is dropped.
 * Each token has a weight
 *
 *     w(word) = 1,   w(number) = 0.5,   w(punctuation) = 0.25
 *
 * so that numbers and punctuation count less than words but are not ignored.
 * The distance D is the weighted Levenshtein distance over the token
 * sequences of the query Q and the stored source S:
 *
 *     delete or insert token t           costs w(t)
 *     replace a by b, same bytes         costs 0
 *     replace a by b, same case-folded   costs 0.1 * max(w(a), w(b))   ("Die" / "die")
 *     replace a by b, otherwise          costs max(w(a), w(b))
 *
 * and, with W(X) the sum of the weights of X's tokens and L = max(W(Q), W(S)),
 *
 *     score = 100 * (L - D) / L      rounded down to one decimal
 *
 * which is OmegaT's 100 * (maxlen - distance) / maxlen with weighted tokens.
 * 100 means the two texts have the same tokens, byte for byte. Two
 * candidates with the same score are ordered by a character-level
 * similarity computed over the same token alignment:
 *
 *     charsim = 1 - C / max(chars(Q), chars(S))
 *
 * where C adds, for every replaced pair, the bytes of the longer token
 * outside the two tokens' common prefix and suffix (case counts), and for
 * every inserted or deleted token its length in bytes; chars(X) is the
 * number of bytes in X's tokens. The DP minimises D first and C second. A
 * replacement "Haus" -> "Hauses" thus ranks above "Haus" -> "Auto".
 *
 * The diff lists what turns the stored source S into the query Q, in order
 * of position in S: DELETE spans are bytes of S that the query lacks, INSERT
 * spans are bytes of Q that S lacks, placed at byte `at` of S.
 */
#ifndef TANDEM_MATCH_H
#define TANDEM_MATCH_H

#include <stddef.h>

#include "tandem/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum { TD_DIFF_DELETE, TD_DIFF_INSERT } td_diff_op;

typedef struct {
	td_diff_op op;
	size_t start, end;   /* DELETE: bytes of the stored source; INSERT: bytes of the query */
	size_t at;           /* byte offset in the stored source where the change sits */
} td_diff_span;

typedef struct {
	double score;        /* match percentage, 0..100, one decimal */
	double charsim;      /* character-level similarity in [0,1], the tie-breaker */
	td_diff_span *diff;  /* released by td_match_result_free */
	size_t ndiff;
} td_match_result;

/* A matcher: tokenizer and DP buffers for one language; one per thread. */
typedef struct td_matcher td_matcher;

/* A matcher for texts in `lang` (BCP 47 or ICU tag). TD_EINVAL for a bad tag. */
TD_EXTERN int td_matcher_new(td_matcher **out, const char *lang);

/*
 * Score the stored source `source` against `query` and list the differences
 * in *out, which the caller releases with td_match_result_free. Both are
 * UTF-8 (invalid bytes count as U+FFFD). TD_ELIMIT when the product of the
 * two token counts exceeds 16 million (the diff needs that table).
 */
TD_EXTERN int td_match(td_match_result *out, td_matcher *m, const char *query, size_t qlen,
	const char *source, size_t slen);

/* Release what td_match put into *r (not r itself); NULL does nothing. */
TD_EXTERN void td_match_result_free(td_match_result *r);

TD_EXTERN void td_matcher_free(td_matcher *m);

#ifdef __cplusplus
}
#endif

#endif
