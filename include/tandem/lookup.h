/*
 * tandem: fuzzy lookup and concordance in a translation memory.
 *
 * Model. A lookup takes a sentence (the query) in the source language of a
 * language pair and returns the stored units whose source is closest to it,
 * with the match percentage of tandem/match.h and the differences. Candidates
 * come from the TM's fuzzy index (memory/index.h), never from a scan:
 *
 *   1. the query's words and numbers become keys, read in order: content
 *      words before stop words, longer words first. Each key's posting
 *      list is read whole when it has at most `cap` entries (cap =
 *      max(2000, units/200)); a key with more is "frequent" (stop words,
 *      very common words) and is remembered as such for the life of the
 *      td_lookup. Reading stops after 12,000 postings. A list that was slow
 *      to read (a key frequent in the targets only) is kept in the td_lookup
 *      until another connection commits to the TM;
 *   2. a unit on the list of a read key gains the key's weight in the query
 *      and its idf = ln(units / df); when the rare keys find fewer than 300
 *      units, units holding all of up to three frequent keys, or all but
 *      one, are added (FTS5 AND queries, 300 units each), so short everyday
 *      sentences are found as well;
 *   3. the `candidates` units with the most key weight (then idf) get an
 *      upper bound of their score from their token fingerprint (the bag of
 *      their tokens, stored at import: memory/index.h), without reading
 *      their text;
 *   4. in order of that bound, units are scored exactly until the bound
 *      falls below `min` or the worst of a full list (at most 256 per
 *      query): no unit left out could have entered.
 *
 * With `exhaustive`, every unit of the language pair is scored instead: slow
 * by design, it measures what the index misses.
 *
 * Concordance (tandem/concord.h) uses the same handle.
 *
 * A td_lookup holds a read-only connection to the TM, tokenizers and
 * buffers. Use one per thread. Its answers are the caller's (td_lookup_result_free,
 * td_concord_result_free) and outlive it.
 */
#ifndef TANDEM_LOOKUP_H
#define TANDEM_LOOKUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tandem/error.h"
#include "tandem/match.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct td_lookup td_lookup;

/*
 * Open the TM at path for lookups (read-only; never creates or changes it).
 * TD_ENOTFOUND when the file is missing, TD_EFORMAT when it is not a tandem
 * TM with lookup indexes. Free with td_lookup_close.
 */
TD_EXTERN int td_lookup_open(td_lookup **out, const char *path);
TD_EXTERN void td_lookup_close(td_lookup *lk);

/*
 * Load every unit's token fingerprint into memory (about 40 bytes per unit)
 * so that each query pre-scores its candidates without a read per unit:
 * worth it when many queries follow (batch mode, pre-translation). Units
 * stored after the call are read one by one as before. 0, TD_ENOMEM or
 * TD_EDB; a TM without fingerprints (schema 3) loads nothing.
 */
TD_EXTERN int td_lookup_preload(td_lookup *lk);

/*
 * Let lk use the fingerprints td_lookup_preload loaded into `from` (read
 * only, not copied): one copy in memory for a server's threads, each with its
 * own td_lookup on the same TM. `from` must stay open until lk is closed.
 * Does nothing when lk has fingerprints already or `from` has none.
 */
TD_EXTERN void td_lookup_share_preload(td_lookup *lk, const td_lookup *from);

/*
 * The language pair for callers that were given none: the TM's only pair
 * (copied into src/tgt, n bytes each). TD_EINVAL when the TM holds several
 * (the message lists them: the caller must choose), TD_ENOTFOUND when it is
 * empty.
 */
TD_EXTERN int td_lookup_default_pair(char *src, char *tgt, size_t n, td_lookup *lk);

/* *out = 1 when the TM holds units of the pair (RFC 4647 basic filtering), else 0. */
TD_EXTERN int td_lookup_has_pair(int *out, td_lookup *lk, const char *src_lang, const char *tgt_lang);

/* The language pairs the TM holds, as "de -> en, fr -> en" (malloc'd; for messages). */
TD_EXTERN int td_lookup_pairs(char **out, td_lookup *lk);

typedef struct {
	unsigned version;  /* TD_LOOKUP_OPTS_VERSION, set by TD_LOOKUP_OPTS_INIT */
	const char *src_lang;  /* language of the query, e.g. "de"; "de" also selects "de-AT" */
	const char *tgt_lang;  /* language of the translations */
	double min;            /* lowest percentage shown */
	size_t max;            /* most matches per query */
	size_t candidates;     /* most units pre-scored by fingerprint per query (index mode) */
	bool exhaustive;       /* score every unit of the pair instead of using the index */
} td_lookup_opts;
#define TD_LOOKUP_OPTS_VERSION 1
#define TD_LOOKUP_OPTS_INIT { .version = TD_LOOKUP_OPTS_VERSION, .src_lang = NULL, .tgt_lang = NULL, \
	.min = 70.0, .max = 5, .candidates = 2000, .exhaustive = false }

/* Where a unit was first seen, and how often. */
typedef struct {
	const char *kind;      /* "align" or "import", NULL when unknown */
	const char *src_name, *tgt_name;  /* documents (tgt_name NULL for an import) */
	int64_t position;      /* bead, line or TU number */
	int64_t time;          /* seconds since the epoch, UTC, when the unit was stored */
	int64_t seen;          /* provenance records: how many times the unit was seen */
} td_lookup_origin;

typedef struct {
	int64_t unit_id;
	double score;          /* match percentage (match.h) */
	double charsim;        /* tie-breaker */
	const char *src_lang, *tgt_lang, *source, *target;
	const td_diff_span *diff;  /* spans into source (DELETE) and the query (INSERT) */
	size_t ndiff;
	td_lookup_origin origin;
} td_lookup_match;

typedef struct {
	const td_lookup_match *v;  /* best first: score, then charsim, then newest */
	size_t n;
	size_t scored;         /* units scored exactly (to see the index at work) */
} td_lookup_result;

/*
 * The best matches for one query (UTF-8, len bytes), into *out, which the
 * caller releases with td_lookup_result_free. An empty query gives no
 * matches; a language pair with no units gives no matches. TD_EINVAL for bad
 * options or language tags. On failure *out holds nothing.
 */
/* Longest query in bytes; a longer one is TD_ELIMIT (a document, not a sentence). */
#define TD_LOOKUP_MAX_QUERY (1 << 20)

TD_EXTERN int td_lookup_query(td_lookup_result *out, td_lookup *lk, const char *query, size_t len,
	const td_lookup_opts *opts);

/*
 * Exhaustive lookups of many queries in one pass over the TM (what
 * `--exhaustive` with many queries needs: one scan, not one per query).
 * out[i] receives the answer to queries[i]; the caller releases the n
 * answers with td_lookup_results_free.
 */
TD_EXTERN int td_lookup_query_many(td_lookup_result *out, td_lookup *lk, const char *const *queries,
	size_t nqueries, const td_lookup_opts *opts);

/* Release what a query put into *r, or into res[0..n) (not r or res itself); NULL does nothing. */
TD_EXTERN void td_lookup_result_free(td_lookup_result *r);
TD_EXTERN void td_lookup_results_free(td_lookup_result *res, size_t n);

#ifdef __cplusplus
}
#endif

#endif
