/*
 * tandem: concordance in a translation memory.
 *
 * Concordance finds every unit whose source (or target) contains a word or a
 * phrase, through the TM's FTS5 index: case- and diacritic-insensitive
 * ("Munchen" finds "München"), or exact with `exact`. It reads through a
 * td_lookup handle (tandem/lookup.h): one per thread.
 *
 * In each unit shown, the words of the other side that translate the
 * phrase are marked too: the word alignment of tandem/terms.h (the
 * lexicon, identical words, cognates, numbers and the TM's word model),
 * with the phrase's words as the term. A unit where nothing aligns well
 * with the phrase (a free translation) gets no mark.
 */
#ifndef TANDEM_CONCORD_H
#define TANDEM_CONCORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tandem/error.h"
#include "tandem/lexicon.h"
#include "tandem/lookup.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum { TD_CONCORD_NEWEST = 0, TD_CONCORD_FREQUENT } td_concord_order;

typedef struct {
	unsigned version;  /* TD_CONCORD_OPTS_VERSION, set by TD_CONCORD_OPTS_INIT */
	const char *src_lang, *tgt_lang;  /* NULL: any */
	bool in_target;        /* search the target text instead of the source */
	bool exact;            /* case and diacritics must match too */
	size_t max;            /* most units returned */
	td_concord_order order;/* newest first, or most often seen first */
	bool align;            /* mark the other side's words aligned to the phrase (true) */
	const td_lexicon *lexicon; /* from the searched language to the other one, for the units of
	                          src_lang/tgt_lang when both are given (NULL: the TM's evidence alone) */
} td_concord_opts;
#define TD_CONCORD_OPTS_VERSION 2
#define TD_CONCORD_OPTS_INIT { .version = TD_CONCORD_OPTS_VERSION, .src_lang = NULL, .tgt_lang = NULL, \
	.in_target = false, .exact = false, .max = 50, .order = TD_CONCORD_NEWEST, .align = true, \
	.lexicon = NULL }

typedef struct {
	int64_t unit_id;
	const char *src_lang, *tgt_lang, *source, *target;
	const size_t *hits;    /* byte spans [hits[2i], hits[2i+1]) of the phrase in the searched text */
	size_t nhits;
	const size_t *aligned; /* byte spans [aligned[2i], aligned[2i+1]) of the other side's words that
	                          translate the phrase (none: no clear translation, or not asked for) */
	size_t naligned;
	int64_t seen;          /* provenance records */
	int64_t time;          /* when stored */
} td_concord_hit;

typedef struct {
	const td_concord_hit *v;
	size_t n;
} td_concord_result;

/*
 * Units containing the word or phrase (its words in order, adjacent), into
 * *out, which the caller releases with td_concord_result_free. TD_EINVAL for
 * a phrase without words.
 */
TD_EXTERN int td_concord(td_concord_result *out, td_lookup *lk, const char *phrase,
	const td_concord_opts *opts);

/* Release what td_concord put into *r (not r itself); NULL does nothing. */
TD_EXTERN void td_concord_result_free(td_concord_result *r);

#ifdef __cplusplus
}
#endif

#endif
