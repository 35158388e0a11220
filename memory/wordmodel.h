/*
 * The TM's word model (private to libtandem-memory): how often stems occur
 * in units and how often a source stem and a target stem occur in the same
 * unit near the same relative position, for word alignment inside a unit
 * (memory/terms_align.c).
 *
 * Model. Counts keyed by a 63-bit hash:
 *   U(sl, tl)          units of the pair added to the TM,
 *   u(sl, tl)          units of the pair counted into the model,
 *   w(sl, tl, side, s) counted units whose side holds stem s,
 *   p(sl, tl, s, t)    counted units where source stem s and target stem t
 *                      both occur with relative positions (token index /
 *                      tokens) at most TD__WM_WINDOW apart (the diagonal of a
 *                      fast_align-style model; also keeps the table small).
 * Only content words count (not stop words, numbers or punctuation). Every
 * new unit is counted while the pair has fewer than TD__WM_FULL counted
 * units, then one unit in TD__WM_RATE chosen by its key (the same units
 * whichever process writes them): frequent words, which the alignment
 * needs the model for, are estimated well from a sample, and an import of
 * a million units stays cheap. The counts are sufficient statistics: new
 * units add to them, nothing is trained again, and a reader derives the
 * association (Dice) of two words from four counts.
 *
 * Storage. A table td_wordmodel (h INTEGER PRIMARY KEY, n INTEGER) and a
 * log td_wordmodel_log (id INTEGER PRIMARY KEY, kv BLOB) in the TM's file;
 * a count is the table's plus the log's. A writer gathers the counts of its
 * open transaction in memory and adds them in that transaction before it
 * commits (td__wm_flush), so the model commits and rolls back with the
 * units, and concurrent writers (serialised by SQLite) each add their own.
 * A small transaction (one aligned document: about a thousand keys) appends
 * its counts to the log as one sorted blob, which writes a few pages; added
 * to the table directly, its hashed keys would land on as many random
 * leaves, and every commit would write most of the table's pages again.
 * When the log would pass TD__WM_LOG_BYTES, the log and the transaction's
 * counts are added to the table in key order and the log is emptied (a
 * large transaction, such as an import, does so at once). A reader loads
 * the log into memory once (at most TD__WM_LOG_BYTES). A TM without the
 * tables reads as an empty model. These functions are the model's only
 * access to the store.
 */
#ifndef TANDEM_MEMORY_WORDMODEL_H
#define TANDEM_MEMORY_WORDMODEL_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "tandem/token.h"

#define TD__WM_WINDOW 0.3
#define TD__WM_FULL 50000
#define TD__WM_RATE 32
#define TD__WM_LOG_BYTES (1 << 20)

/* Create the table if absent (inside the schema transaction). */
int td__wm_schema(sqlite3 *db);

/* Keys. side: 0 source, 1 target. */
int64_t td__wm_key_units(const char *sl, const char *tl, int counted);
int64_t td__wm_key_word(const char *sl, const char *tl, int side, const char *stem);
int64_t td__wm_key_pair(const char *sl, const char *tl, const char *s, const char *t);

/* ---- writing ---- */

typedef struct td__wm_writer td__wm_writer;

int td__wm_writer_new(td__wm_writer **out);
void td__wm_writer_free(td__wm_writer *w);

/*
 * Count a new unit of the pair (texts as stored; key: the unit's key, which
 * picks the sampled units). db is read once per pair for the counted units.
 */
int td__wm_add_unit(td__wm_writer *w, sqlite3 *db, const char *sl, const char *tl,
	const char *src, const char *tgt, int64_t key);

/* Add the gathered counts to db (inside the writer's transaction) and forget them. */
int td__wm_flush(td__wm_writer *w, sqlite3 *db);

/* Forget the gathered counts (the transaction rolled back). */
void td__wm_discard(td__wm_writer *w);

/* Count the content tokens of one unit into w (also for tests: no db). */
void td__wm_count_tokens(td__wm_writer *w, const char *sl, const char *tl,
	const td_token *s, size_t ns, const td_token *t, size_t nt);

/* ---- reading ---- */

typedef struct td__wm_reader td__wm_reader;

/* A reader on db (its statement prepared; an absent table reads as zeros). */
int td__wm_reader_new(td__wm_reader **out, sqlite3 *db);
void td__wm_reader_free(td__wm_reader *r);

/* The count under key (0 when absent); lookups are memoised until td__wm_reader_forget. */
int td__wm_get(td__wm_reader *r, int64_t key, int64_t *out);
void td__wm_reader_forget(td__wm_reader *r);

#endif
