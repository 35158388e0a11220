/*
 * The TM handle and the helpers shared by the files of the store (tm.c,
 * schema.c, tsv.c, tmx.c). Private to libtandem-memory.
 */
#ifndef TANDEM_MEMORY_TM_INTERNAL_H
#define TANDEM_MEMORY_TM_INTERNAL_H

#include <sqlite3.h>
#include <unicode/utypes.h>

#include "store.h"
#include "tandem/tm.h"
#include "tandem/tmx.h"

/* tandem's SQLite application_id ("TDTM"), in the file header at offset 68. */
#define TD_TM_APPLICATION_ID 0x5444544d

/* Reusable UTF-16/UTF-8 buffers for normalising texts without an allocation per unit. */
typedef struct {
	UChar *u[2];       /* two UTF-16 work buffers of ucap code units each */
	int32_t ucap;
	char *s;           /* UTF-8 result, scap bytes */
	size_t scap;
} td__normbuf;

/*
 * One open TM. Invariants:
 * - ops is the store holding it (store.h); path is the name shown in
 *   messages (a connection string's password masked). The fields from db
 *   to commit are the SQLite store's, pg the PostgreSQL store's state.
 * - db is an open connection to a file whose application_id is ours and
 *   whose schema is at td__schema_version() (checked and migrated in open);
 *   foreign keys are on, WAL mode unless readonly.
 * - in_doc is 1 exactly while a write transaction of one document is open
 *   (between td_tm_begin_document and commit/rollback); doc_id is then the
 *   document's row and doc_time the time stamp given to its rows.
 * - The prepared statements belong to db and are finalized before it closes;
 *   a statement is reset after every use, so none holds a read open.
 * - doc_src_lang/doc_tgt_lang are normalised tags or "" when the document
 *   did not give languages.
 */
struct td_tm {
	const td__store_ops *ops;
	char *path;
	unsigned flags;
	int in_doc;
	int64_t doc_time;
	int64_t doc_added;  /* new units of the open document (SQLite counts as it goes) */
	sqlite3 *db;
	sqlite3_int64 doc_id;
	char doc_src_lang[TD_LANG_MAX], doc_tgt_lang[TD_LANG_MAX];
	/* The last raw language codes seen by add_unit and their normal form,
	 * so that a million units do not normalise "de" a million times. */
	char last_raw[2][TD_LANG_MAX], last_norm[2][TD_LANG_MAX];
	sqlite3_stmt *ins_unit, *sel_unit, *ins_prov;  /* prepared on first use */
	sqlite3_stmt *ins_doc, *sel_doc, *begin, *commit;
	int cache_kib;      /* the page cache size set on db */
	td__normbuf nb[4];  /* source, target, source_norm, target_norm */
	struct td__wm_writer *wm;  /* the word model's counts of the open document (wordmodel.h) */
	struct td__pg *pg;
};

/* Origins given per unit by iteration. */
#define TD__MAX_ORIGINS 8

/*
 * An iteration (store.c with the store's iter_* functions). The store's
 * iter_next fills cur with the next unit whose languages the filter
 * src_lang/tgt_lang selects (td_lang_matches), and origins[0..norigins)
 * with strings kept in strs (td__iter_keep; freed before every step).
 * units/prov are the SQLite store's statements, pg the PostgreSQL store's.
 */
struct td_tm_iter {
	td_tm *tm;
	char src_lang[TD_LANG_MAX], tgt_lang[TD_LANG_MAX];
	td_tm_unit cur;
	td_tm_origin origins[TD__MAX_ORIGINS];
	char *strs[TD__MAX_ORIGINS][4];
	sqlite3_stmt *units, *prov;
	struct td__pg_iter *pg;
};

/* Free what td__iter_keep kept. */
void td__iter_clear(td_tm_iter *it);
/* A copy of s kept by the iteration for origin i, field j (NULL for NULL). */
const char *td__iter_keep(td_tm_iter *it, size_t i, size_t j, const char *s);

/* Commit the open document; *added (may be NULL) gets how many of its units were new. */
int td__tm_commit(td_tm *tm, int64_t *added);

/* tm.c: the SHA-256 of a unit's four values, NUL-separated (its identity in
 * every store), its first 63 bits as the SQLite store's key, and the SQL
 * function td_unit_key() computing that. */
void td__unit_digest(uint8_t d[32], const char *sl, const char *tl, const char *src, size_t slen,
	const char *tgt, size_t tlen);
sqlite3_int64 td__unit_key(const char *sl, const char *tl, const char *src, size_t slen,
	const char *tgt, size_t tlen);
int td__register_functions(sqlite3 *db);

/*
 * open.c. td__check_tm_file: look at path before SQLite does (flags as
 * td_tm_open's): a missing file is to be created unless the flags forbid
 * (*out_new = 1), an empty one too when writing; a file of other bytes is
 * refused with TD_EFORMAT ("not a tandem translation memory") untouched.
 */
int td__check_tm_file(int *out_new, const char *path, unsigned flags);
/*
 * td__open_reader: the reading connection of every reader (td_tm_open
 * read-only, lookup, concordance, terms), oflags added to the open flags
 * (SQLITE_OPEN_NOMUTEX). Checks the file as above, then opens it
 * read-write without CREATE with PRAGMA query_only, so that the last
 * reader to close removes -wal and -shm. When that cannot read because the
 * directory is not writable (WAL needs PATH-shm) and no -wal file is
 * pending, opens it immutable instead (URI immutable=1: no locks, no -shm);
 * force_immutable goes there directly (tests). *out is closed by the
 * caller with sqlite3_close.
 */
int td__open_reader(sqlite3 **out, const char *path, int oflags, int force_immutable);

/* schema.c: bring db to the current schema inside one transaction (fresh or
 * old file). On failure *out_busy says whether another connection's lock
 * was the cause (worth trying again). */
int td__schema_migrate(sqlite3 *db, const char *path, int *out_busy);
/* The schema version this build writes. */
int td__schema_version(void);

/* tm.c: an SQLite failure as a TD_EDB error naming the TM file. */
int td__db_error(const td_tm *tm, const char *what);

/*
 * Text helpers (tm.c). td__text_clean: validate UTF-8, trim outer white
 * space, NFC; the result (*out, *out_len) points into b or at the input.
 * td__text_norm: the matching form (see td_tm_normalize_text) into b.
 */
int td__text_clean(td__normbuf *b, const char **out, size_t *out_len, const char *text, size_t len);
int td__text_norm(td__normbuf *b, const char **out, size_t *out_len, const char *text, size_t len);
void td__normbuf_free(td__normbuf *b);
/* Whether a UTF-8 text is empty or only white space (invalid bytes count as text). */
int td__is_blank(const char *text, size_t len);

/* The formats (exchange.c dispatches). report is zeroed by the caller. */
int td__import_tsv(td_import_report *report, td_tm *tm, const char *path, const td_import_opts *opts);
int td__import_tmx(td_import_report *report, td_tm *tm, const char *path, const td_import_opts *opts);
int td__export_lines(int64_t *count, td_tm *tm, FILE *f, FILE *f2, const td_export_opts *opts);
int td__export_tmx(int64_t *count, td_tm *tm, FILE *f, const td_export_opts *opts);
/* import_report.c, what the formats report through: count a skipped item ... */
void td__skip(td_import_report *r, td_skip_reason why, int64_t line);
/* ... commit the import's document, or fail (TD_EFORMAT) when it gave no unit at all;
 * r->added and r->present are set from what the store found new ... */
int td__import_commit(td_tm *tm, td_import_report *r, const char *name);
/* ... and re-raise the last error with "NAME: line N: " in front. */
int td__error_at(int rc, const char *name, int64_t line);

#endif
