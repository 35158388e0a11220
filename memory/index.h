/*
 * The lookup and concordance indexes inside the TM's SQLite file
 * (private to libtandem-memory; owner: lookup).
 *
 * Model. The TM (memory/tm.c) owns the table of units. Two indexes sit beside
 * it and are kept in step by the TM, which calls td__index_add() once for
 * every NEW unit in the same transaction that inserts it:
 *
 *   td_fuzzy    FTS5, contentless, detail=none: one row per unit (rowid = unit
 *               id) whose text is the set of "keys" of the unit's source
 *               words and numbers. A key is a 64-bit FNV-1a hash of
 *               "<primary language subtag>\x1f<case-folded token>", written as
 *               13 base-32 characters, so the FTS5 `ascii` tokenizer keeps it
 *               whole and sources in different languages never share a
 *               posting list. Fuzzy lookup reads the posting lists of the
 *               query's rare keys (rarity measured by a capped count of the
 *               posting list) and scores the best candidates exactly.
 *   td_concord  FTS5 over the unit's source and target text with the
 *               unicode61 tokenizer (remove_diacritics 2): case- and
 *               diacritic-insensitive phrase search with highlight(). It is an
 *               external-content table whose content is the view
 *               td_concord_text (id, source, target) over the TM's table `unit`,
 *               so the text is stored once.
 *
 * Both are plain SQLite data: they commit and roll back with the TM's own
 * transaction, so a killed import leaves units and indexes in step.
 */
#ifndef TANDEM_MEMORY_INDEX_H
#define TANDEM_MEMORY_INDEX_H

#include <sqlite3.h>
#include <stddef.h>

#include "tandem/token.h"

/*
 * Create the index tables and the content view if absent. Called by the TM
 * inside its schema migration transaction, after its units table exists.
 * Returns 0 or TD_EDB with a message.
 */
int td__index_schema(sqlite3 *db);

/*
 * Index one new unit (called by the TM in the same transaction, once per NEW
 * unit; not for a unit seen again). Returns 0, TD_EDB, TD_ENOMEM or
 * TD_EINVAL (an unknown language tag) with a message.
 */
int td__index_add(sqlite3 *db, sqlite3_int64 unit_id, const char *src_lang,
	const char *tgt_lang, const char *source, const char *target);

/* ---- shared by lookup.c, concord.c and index.c ---- */

#define TD__KEY_SIZE 14 /* 13 base-32 characters and a NUL */

/* Grow *p to hold `need` elements of `elem` bytes (doubling); TD_ENOMEM on failure. */
int td__grow(void **p, size_t *cap, size_t need, size_t elem);

/* FNV-1a over s[0,n) continuing from h (start with TD__HASH_SEED). */
#define TD__HASH_SEED 14695981039346656037ull
unsigned long long td__hash(unsigned long long h, const char *s, size_t n);

/* The fuzzy-index key of a case-folded token `norm` (len bytes) of language `lang`. */
void td__index_key(char out[TD__KEY_SIZE], const char *lang, const char *norm, size_t len);

/* Length of the primary subtag of a BCP 47 / ICU tag ("de-DE" -> 2, "gsw_CH" -> 3). */
size_t td__lang_primary_len(const char *lang);

/* Whether two language tags share their primary subtag, ignoring case ("de", "DE-at"). */
int td__lang_same(const char *a, const char *b);

/*
 * Matching on token arrays (the model is in include/tandem/match.h). A
 * td__mtok is a token reduced to what the distance needs; a td__dp holds the
 * DP buffers and is reused across calls (one per thread).
 */
typedef struct {
	unsigned long long norm;  /* hash of the case-folded form: equality test */
	double w;                 /* weight: 1 word, 0.5 number, 0.25 punctuation */
	size_t start, end;        /* byte span in the text */
} td__mtok;

typedef struct {
	double *d, *c;            /* DP cells: distance and char cost */
	size_t cap;
	td__mtok *q, *s;          /* converted tokens of query and source */
	size_t qcap, scap;
	void *diff;               /* td_diff_span buffer */
	size_t diffcap;
} td__dp;

/* Convert tokens to match tokens into *buf (grown as needed); their weight total in *wsum. */
int td__mtoks(td__mtok **buf, size_t *cap, double *wsum, const td_token *t, size_t n);

/*
 * Score S against Q (texts needed for the byte-exact comparison). Returns the
 * score in [0,100] (one decimal, rounded down), sets *charsim. When an upper
 * bound from the weighted lengths shows the score must stay below `floor`,
 * returns -1 without running the DP.
 */
double td__match_score(td__dp *dp, const td__mtok *q, size_t nq, double wq, const char *qtext,
	const td__mtok *s, size_t ns, double ws, const char *stext, double floor, double *charsim);

/* The diff spans of S against Q into dp->diff (td_diff_span[]); TD_ELIMIT on a huge table. */
int td__match_diff(td__dp *dp, size_t *ndiff, const td__mtok *q, size_t nq, const char *qtext,
	const td__mtok *s, size_t ns, const char *stext);

void td__dp_free(td__dp *dp);

#endif
