/*
 * The lookup and concordance index inside the TM's SQLite file (private to
 * libtandem-memory; owner: lookup).
 *
 * Model. The TM (memory/tm.c) owns the table `unit`. One FTS5 table sits
 * beside it and is kept in step by the TM, which calls td__index_add() once
 * for every NEW unit in the same transaction that inserts it:
 *
 *   td_concord  FTS5 over each unit's source and target (rowid = unit id),
 *               tokenizer unicode61 with remove_diacritics 2: case- and
 *               diacritic-insensitive words with positions. An
 *               external-content table: its content is the view
 *               td_concord_text (id, source, target) over `unit`, so the
 *               text is stored once.
 *
 * It serves both questions. Concordance runs phrase queries with
 * highlight(). Fuzzy lookup reads the posting lists of the query's rarer
 * words, newest first and capped, to find candidate units, and scores those
 * exactly (lookup.c). One index instead of two keeps imports fast (a million units
 * in about a minute, bench/tm).
 *
 * It is plain SQLite data: it commits and rolls back with the TM's own
 * transaction, so a killed import leaves units and index in step.
 */
#ifndef TANDEM_MEMORY_INDEX_H
#define TANDEM_MEMORY_INDEX_H

#include <sqlite3.h>
#include <stddef.h>

#include "base/hash.h"
#include "tandem/token.h"

/*
 * Create the index and its content view if absent. Called by the TM inside
 * its schema migration transaction, after its table `unit` exists. Returns 0
 * or TD_EDB with a message.
 */
int td__index_schema(sqlite3 *db);

/*
 * Index one new unit (called by the TM in the same transaction, once per NEW
 * unit; not for a unit seen again). The languages are not indexed: lookups
 * read them from `unit`. Returns 0 or TD_EDB with a message. The INSERT
 * statement is prepared once per connection and kept: call
 * td__index_release(db) before sqlite3_close(db).
 */
int td__index_add(sqlite3 *db, sqlite3_int64 unit_id, const char *src_lang,
	const char *tgt_lang, const char *source, const char *target);

/* Finalize what td__index_add keeps for db; a no-op when it keeps nothing. */
void td__index_release(sqlite3 *db);

/* ---- shared by lookup.c, concord.c and index.c ---- */

/* Growing arrays: td_grow (base/buf.h). */
#include "base/buf.h"

/* FNV-1a over s[0,n) continuing from h (start with TD__HASH_SEED). */
#define TD__HASH_SEED TD_FNV_SEED
unsigned long long td__hash(unsigned long long h, const char *s, size_t n);

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

/*
 * A bag of tokens: (hash, weight) sorted by hash. The weight two bags share,
 * Wc, bounds the score from above: every token without an equal partner
 * costs at least its weight, so D >= L - Wc and score <= 100 * Wc / L. The
 * exhaustive scan uses it to skip the DP for most units.
 */
typedef struct {
	unsigned long long h;
	double w;
} td__bagent;

/* Fill out[0, n) from t (the caller sizes out). */
void td__bag(td__bagent *out, const td__mtok *t, size_t n);
double td__bag_common(const td__bagent *a, size_t na, const td__bagent *b, size_t nb);

/*
 * A token fingerprint: the bag of a text's tokens in a few bytes, stored for
 * every unit's source in td_sig (written by td__index_add, filled for older
 * TMs by the schema migration to version 4). The blob is
 *
 *     u32 LE   number of punctuation tokens
 *     u16 LE   one value per word or number token, ascending:
 *              16 bits of the case-folded form's hash, low bit 1 for a number
 *
 * so that the weight two texts share can be bounded without reading or
 * tokenizing the text: equal forms give equal values (a collision between
 * different forms can only raise the bound), and punctuation is assumed to
 * pair up as far as the counts allow. td__sig_bound() is then an upper bound
 * of the match percentage (match.h), by the argument above td__bag.
 */
typedef struct {
	unsigned short *v;        /* word and number values, ascending */
	size_t n, cap;
	unsigned npunct;
	double w;                 /* weight of all tokens */
} td__sig;

/* The fingerprint of t[0, n) into *sig (grown as needed). */
int td__sig_make(td__sig *sig, const td__mtok *t, size_t n);
/* Serialize sig into *buf (grown as needed); its length in *len. */
int td__sig_blob(unsigned char **buf, size_t *cap, size_t *len, const td__sig *sig);
/*
 * Upper bound of the score of a text with fingerprint blob s[0, slen)
 * against the query fingerprint q: 100 * shared / max(W(Q), W(S)). 100 for a
 * blob that is not a fingerprint (nothing can be ruled out).
 */
double td__sig_bound(const td__sig *q, const unsigned char *s, size_t slen);
void td__sig_free(td__sig *sig);

/*
 * Register the SQL function td_sig(lang, text) (the fingerprint blob of a
 * unit's source, NULL when the language has no tokenizer) on db, for the
 * schema migration that fills td_sig.
 */
int td__index_register(sqlite3 *db);

#endif
