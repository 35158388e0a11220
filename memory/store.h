/*
 * The TM's storage interface (private to libtandem-memory). The public
 * td_tm_* functions (store.c) check their arguments, validate and clean the
 * texts and languages of units, and then call one of two stores through
 * td__store_ops, so that nothing above knows which one holds the TM:
 *
 *   SQLite      (tm.c)        one file; a document is one IMMEDIATE
 *                             transaction, units are written as they come.
 *   PostgreSQL  (store_pg.c)  a server named by a libpq connection string;
 *                             a document's units are streamed with COPY into
 *                             a session-private staging table and written in
 *                             one transaction at commit, retried whole on a
 *                             deadlock or serialization failure.
 *
 * td__tm_is_pg tells them apart: "postgresql://..." and "postgres://..."
 * URLs and libpq key-value strings ("host=... dbname=...") are PostgreSQL,
 * everything else is a file name.
 */
#ifndef TANDEM_MEMORY_STORE_H
#define TANDEM_MEMORY_STORE_H

#include <stdint.h>

#include "tandem/tm.h"

/* A unit after store.c's checks: languages normalised, texts trimmed, NFC, non-empty. */
typedef struct {
	const char *sl, *tl;
	const char *src, *tgt;
	size_t slen, tlen;
	const td_tm_unit_in *in;   /* position, score, sentence spans */
} td__unit;

/*
 * A TM's rows as a store hands them out for copying into another store
 * (td__store_ops.dump): documents, then units, then provenance. Ids are
 * numbered 1, 2, ... in the store's id order, so that a copy holds the same
 * ids as a TM that stored the same units one by one; provenance refers to
 * those ids. NULL strings are SQL NULLs; score < 0 and *_first < 0 too.
 */
typedef struct {
	int64_t id;
	const char *kind, *src_name, *tgt_name, *src_hash, *tgt_hash, *src_lang, *tgt_lang, *tool;
	int64_t created;
} td__doc_row;

typedef struct {
	int64_t id;
	const char *src_lang, *tgt_lang, *source, *target, *source_norm, *target_norm;
	int64_t created;
} td__unit_row;

typedef struct {
	int64_t unit_id, document_id, position;
	double score;
	int64_t src_first, src_count, tgt_first, tgt_count;
	int64_t created;
} td__prov_row;

/* The queries of the rows of documents, units and provenance, in that order,
 * valid SQL for both stores (store.c). */
extern const char *const td__dump_sql[3];

/* Where dump sends the rows; a callback's error stops it and is returned. */
typedef struct {
	int (*document)(void *arg, const td__doc_row *d);
	int (*unit)(void *arg, const td__unit_row *u);
	int (*provenance)(void *arg, const td__prov_row *p);
	void *arg;
} td__sink;

/*
 * Where a copy of a TM stands (td__store_ops.since): the TM's identity and
 * change counters when the copy was made, and how far it reached. A store
 * that keeps them bumps generation in every transaction that writes rows,
 * and epoch too when that transaction may add rows that are not after the
 * copied ones (rows of old documents and old units); such transactions
 * are serialised, so the rows of later ones have larger ids.
 */
typedef struct {
	char tm_id[40];           /* "" in a copy that has none yet */
	int64_t generation, epoch;
	int64_t unit_id, document_id;  /* the store's largest ids copied (0: none) */
	int64_t units, documents;      /* rows copied (the copy's ids run 1..units) */
} td__dump_pos;

typedef struct td__store_ops {
	const char *name;          /* "SQLite" or "PostgreSQL" */
	/* Release what the store holds in tm (the connection, statements). */
	void (*close)(td_tm *tm);
	/* Start a document (tm->doc_time, doc_src_lang, doc_tgt_lang are set). */
	int (*begin)(td_tm *tm, const td_tm_doc_info *info, int is_import);
	/* One unit of the open document; *res may be TD_TM_PENDING. */
	int (*add)(td_tm *tm, td_tm_add_result *res, const td__unit *u);
	/* Make the document durable; *added: its units that were new. */
	int (*commit)(td_tm *tm, int64_t *added);
	/* Forget the open document. */
	int (*rollback)(td_tm *tm);
	int (*has_document)(int *out, td_tm *tm, const char *kind, const char *src_hash, const char *tgt_hash);
	int (*stats)(td_tm_stats *out, td_tm *tm);
	/* Call each(arg, lang) once for every source language of the units; stops at its error. */
	int (*src_langs)(td_tm *tm, int (*each)(void *arg, const char *lang), void *arg);
	/* Iteration over units in id order with their first origins (it->cur). */
	int (*iter_new)(td_tm_iter *it);
	int (*iter_next)(td_tm_iter *it);   /* 1: it->cur filled; 0: end; < 0: error */
	void (*iter_free)(td_tm_iter *it);
	/* Every row of the TM, read in one consistent snapshot, to sink (see td__sink). */
	int (*dump)(td_tm *tm, const td__sink *sink);
	/* td_tm_merge of the TM in (any store, opened read-only) into tm; NULL: merge.c's own. */
	int (*merge)(td_tm *tm, td_tm *in, td_tm_merge_report *rep);
	/*
	 * NULL, or the TM's identity and change counters into pos (tm_id,
	 * generation, epoch), and into place[cap] where the TM is (server,
	 * database, user, schema; never a password), for naming its copies.
	 */
	int (*state)(td_tm *tm, td__dump_pos *pos, char *place, size_t cap);
	/*
	 * NULL, or, in one consistent snapshot, the rows added since pos (ids
	 * as the store has them, not renumbered; provenance of new units or
	 * new documents) to sink, with pos->tm_id, generation, epoch and the
	 * largest ids updated (units and documents are the sink's to count).
	 * Returns 1 without sending anything when pos->tm_id is set and the
	 * TM's identity or epoch differs: the copy is to be made again whole.
	 */
	int (*since)(td_tm *tm, const td__sink *sink, td__dump_pos *pos);
} td__store_ops;

extern const td__store_ops td__sqlite_store;
extern const td__store_ops td__pg_store;

/*
 * Open the store behind tm: tm->path is the name shown in messages (the
 * connection string with its password masked), spec the name as given.
 */
int td__sqlite_open(td_tm *tm, const char *spec);
int td__pg_open(td_tm *tm, const char *spec);

/* Whether spec names a PostgreSQL TM (see the top). */
int td__tm_is_pg(const char *spec);
/* spec as it may be printed: a PostgreSQL password replaced by "***" (malloc'd; NULL: no memory). */
char *td__tm_display(const char *spec);

#endif
