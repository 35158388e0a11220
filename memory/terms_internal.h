/*
 * Terminology internals shared by terms.c (queries), termx.c (glossary
 * extraction) and tbx.c (glossary writers). Private to libtandem-memory;
 * the model is in include/tandem/terms.h.
 */
#ifndef TANDEM_MEMORY_TERMS_INTERNAL_H
#define TANDEM_MEMORY_TERMS_INTERNAL_H

#include <libxml/hash.h>
#include <sqlite3.h>
#include <stdbool.h>

#include "tandem/terms.h"
#include "tandem/token.h"

/*
 * A term-query handle. Invariants: db is a read-only connection to a file
 * with the TM's unit table and the concordance index; every statement is
 * reset after use; tsrc/ttgt are tokenizers for src/tgt, the pair of the
 * last query (made again when the pair changes).
 */
struct td_terms {
	sqlite3 *db;
	char *path;
	char src[TD_TERMS_LANG_MAX], tgt[TD_TERMS_LANG_MAX];
	td_tokenizer *tsrc, *ttgt;
	sqlite3_stmt *st_ids;    /* rowids of the concordance rows matching ?1 */
	sqlite3_stmt *st_unit;   /* languages and texts of unit ?1 */
	sqlite3_stmt *st_count;  /* concordance rows matching ?1, at most ?2 */
	sqlite3_stmt *st_count_all; /* concordance rows matching ?1 */
	sqlite3_stmt *st_begin, *st_commit; /* a query's read transaction */
};

/* The written forms of one expression with how often each was seen (a few kept). */
#define TD__TERMS_SURFACES 4
typedef struct {
	struct { char *s; int64_t n; } v[TD__TERMS_SURFACES];
	size_t n;
} td__surfaces;

int td__surfaces_add(td__surfaces *s, const char *text, size_t len);
const char *td__surfaces_best(const td__surfaces *s);
void td__surfaces_free(td__surfaces *s);

/*
 * The record keyed `key` in the array *v of *n records of `size` bytes,
 * found through h (which maps keys to index + 1): its index in *idx. When
 * absent, a zeroed record is appended and *added set; the caller fills it
 * (its key too). Used for the candidates, related words and glossary terms.
 */
int td__terms_slot(size_t *idx, bool *added, xmlHashTablePtr h, void **v, size_t *n, size_t *cap,
	size_t size, const char *key);

/* Whether the words of key `part` (stems joined by ' ') occur in order inside key `whole`. */
int td__terms_key_inside(const char *part, const char *whole);

/* Make tt's tokenizers those of the pair (kept while it stays the same). */
int td__terms_pair(td_terms *tt, const char *src_lang, const char *tgt_lang);

/* Whether the language tag is German (a primary subtag "de"). */
int td__terms_german(const char *lang);

#endif
