/*
 * The SQLite store (store.h): opening a TM file (and refusing what is not
 * a TM), documents as transactions, units with provenance, statistics and
 * iteration. Also the unit key and the content hashes every store uses.
 */
#include "tm_internal.h"
#include "base/buf.h"

#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <nettle/sha2.h>

#include "index.h"
#include "wordmodel.h"
#include "td_config.h"

/* Milliseconds a writer waits for another process's transaction to end. */
#define BUSY_TIMEOUT_MS 60000
/*
 * Page cache per connection, KiB (negative for SQLite's cache_size pragma).
 * An import is one large transaction and wants the big cache (fewer pages
 * spilled to the WAL and written again). An aligned pair is a small one, and
 * SQLite walks the cache's hash table at the end of every write transaction,
 * which at 64 MB cost a batch of 10,000 pairs more than two seconds
 * (measured: 11% of the writer's time, 4% at 16 MB): documents of kind
 * "align" run with the small cache.
 */
#define CACHE_KIB 65536
#define ALIGN_CACHE_KIB 16384
/*
 * WAL pages between automatic checkpoints (SQLite's default is 1000). A
 * batch commits one small transaction per document pair, and each rewrites
 * the same last pages of every table and index; a checkpoint copies each
 * page once however often it was rewritten, and syncs twice. Every 32 MB
 * instead of every 4 MB: a tenth of the syncs and far fewer page copies.
 */
#define WAL_CHECKPOINT_PAGES 8192

int td__db_error(const td_tm *tm, const char *what)
{
	return td_error_set(TD_EDB, "%s: %s: %s", tm->path, what, sqlite3_errmsg(tm->db));
}

static int exec(td_tm *tm, const char *sql, const char *what)
{
	if (sqlite3_exec(tm->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return td__db_error(tm, what);
	return TD_OK;
}

static int prepare(td_tm *tm, sqlite3_stmt **st, const char *sql)
{
	if (*st)
		return TD_OK;
	if (sqlite3_prepare_v3(tm->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL) != SQLITE_OK)
		return td__db_error(tm, "preparing a statement");
	return TD_OK;
}

/* An existing SQLite file: ours, or empty (a creation that was killed), or refused. */
static int check_identity(td_tm *tm)
{
	sqlite3_stmt *st = NULL;
	int app = 0, version = 0, objects = 0, rc;

	/* One statement, so one snapshot: read one by one, the three could
	 * straddle another process's commit of the schema (application id from
	 * before it, schema version from after) and look like a stranger's. */
	rc = sqlite3_prepare_v2(tm->db, "SELECT (SELECT application_id FROM pragma_application_id), "
		"(SELECT user_version FROM pragma_user_version), (SELECT count(*) FROM sqlite_schema)", -1, &st, NULL);
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		app = sqlite3_column_int(st, 0);
		version = sqlite3_column_int(st, 1);
		objects = sqlite3_column_int(st, 2);
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_NOTADB)
		return td_error_set(TD_EFORMAT, "%s: not a tandem translation memory (damaged SQLite database); "
			"refusing to touch it", tm->path);
	if (rc != SQLITE_ROW)
		return td__db_error(tm, "reading the file header");
	if (app == TD_TM_APPLICATION_ID) {
		if (version > td__schema_version())
			return td_error_set(TD_EFORMAT, "%s: written by a newer tandem (schema %d, this one knows %d)",
				tm->path, version, td__schema_version());
		if (version < td__schema_version() && (tm->flags & TD_TM_READONLY))
			return td_error_set(TD_EFORMAT, "%s: old TM schema %d; open it once for writing to upgrade",
				tm->path, version);
		return TD_OK;
	}
	if (app == 0 && version == 0 && objects == 0 && !(tm->flags & TD_TM_READONLY))
		return TD_OK;
	return td_error_set(TD_EFORMAT, "%s: not a tandem translation memory (an SQLite database of "
		"another program); refusing to touch it", tm->path);
}

/* Whether db's last failure was a lock another connection holds. */
static int db_busy(sqlite3 *db)
{
	int e = sqlite3_errcode(db) & 0xff;

	return e == SQLITE_BUSY || e == SQLITE_LOCKED;
}

/* What a writer sets on its connection: WAL, checkpoints, the schema. */
static int writer_setup(td_tm *tm, int *busy)
{
	int rc = exec(tm, "PRAGMA journal_mode = WAL", "switching to WAL mode");

	if (rc == 0)
		rc = exec(tm, "PRAGMA synchronous = NORMAL", "setting synchronous mode");
	if (rc == 0)
		rc = sqlite3_wal_autocheckpoint(tm->db, WAL_CHECKPOINT_PAGES) == SQLITE_OK ? 0
			: td__db_error(tm, "setting the checkpoint interval");
	*busy = rc < 0 && db_busy(tm->db);
	/* Before foreign keys: a migration that rebuilds a table must not cascade. */
	if (rc == 0)
		rc = td__schema_migrate(tm->db, tm->path, busy);
	return rc;
}

/*
 * Identity check, cache and writer setup, again while another process holds the
 * lock they need. Several processes creating one TM at once meet where the
 * busy timeout does not help: switching a new file to WAL upgrades a read
 * lock to a write lock, and SQLite refuses that at once with SQLITE_BUSY
 * instead of waiting (two readers both waiting to write would deadlock).
 * Everything here is idempotent (the migration reads the schema version
 * inside its own transaction), so it is simply tried again, with a short,
 * growing pause, for as long as the busy timeout.
 */
static int setup_waiting(td_tm *tm, int is_new)
{
	int waited = 0, pause = 1, rc, busy;
	char sql[64];

	snprintf(sql, sizeof(sql), "PRAGMA cache_size = -%d", CACHE_KIB);
	tm->cache_kib = CACHE_KIB;

	for (;;) {
		rc = is_new ? TD_OK : check_identity(tm);
		if (rc == 0)
			rc = exec(tm, sql, "setting the cache size");
		busy = rc < 0 && db_busy(tm->db);
		if (rc == 0 && !(tm->flags & TD_TM_READONLY))
			rc = writer_setup(tm, &busy);
		if (rc == 0 || !busy || waited >= BUSY_TIMEOUT_MS)
			return rc;
		sqlite3_sleep(pause);
		waited += pause;
		if (pause < 64)
			pause *= 2;
	}
}

int td__sqlite_open(td_tm *tm, const char *path)
{
	unsigned flags = tm->flags;
	int is_new = 0, rc;

	rc = td__check_tm_file(&is_new, path, flags);
	if (rc < 0)
		return rc;
	if (flags & TD_TM_READONLY) {
		if ((rc = td__open_reader(&tm->db, path, 0, 0)) < 0)
			goto cleanup;
	} else if (sqlite3_open_v2(path, &tm->db, SQLITE_OPEN_READWRITE | (is_new ? SQLITE_OPEN_CREATE : 0),
			NULL) != SQLITE_OK) {
		rc = td__db_error(tm, "opening");
		goto cleanup;
	}
	sqlite3_extended_result_codes(tm->db, 1);
	sqlite3_busy_timeout(tm->db, BUSY_TIMEOUT_MS);
	rc = td__register_functions(tm->db) < 0 ? td__db_error(tm, "registering functions") : 0;
	if (rc == 0)
		rc = setup_waiting(tm, is_new);
	if (rc == 0)
		rc = exec(tm, "PRAGMA foreign_keys = ON", "enabling foreign keys");
cleanup:
	return rc;
}

static void sqlite_close(td_tm *tm)
{
	sqlite3_finalize(tm->ins_unit);
	sqlite3_finalize(tm->sel_unit);
	sqlite3_finalize(tm->ins_prov);
	sqlite3_finalize(tm->ins_doc);
	sqlite3_finalize(tm->sel_doc);
	sqlite3_finalize(tm->begin);
	sqlite3_finalize(tm->commit);
	if (tm->db) {
		td__index_release(tm->db);  /* the index keeps a prepared INSERT per connection */
		sqlite3_close(tm->db);
	}
	td__wm_writer_free(tm->wm);
}

static int sqlite_rollback(td_tm *tm);

static int sqlite_begin(td_tm *tm, const td_tm_doc_info *info, int is_import)
{
	sqlite3_stmt *st;
	int rc;

	if (tm->cache_kib != (is_import ? CACHE_KIB : ALIGN_CACHE_KIB)) {
		char sql[64];
		snprintf(sql, sizeof(sql), "PRAGMA cache_size = -%d", is_import ? CACHE_KIB : ALIGN_CACHE_KIB);
		if ((rc = exec(tm, sql, "setting the cache size")) < 0)
			return rc;
		tm->cache_kib = is_import ? CACHE_KIB : ALIGN_CACHE_KIB;
	}
	/* Prepared once per handle: a batch begins ten thousand documents. */
	if ((rc = prepare(tm, &tm->ins_doc,
		"INSERT INTO document (kind, src_name, tgt_name, src_hash, tgt_hash, src_lang, tgt_lang, tool, created) "
		"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
		"ON CONFLICT (kind, src_hash, tgt_hash) DO UPDATE SET kind = kind RETURNING id")) < 0)
		return rc;
	if ((rc = prepare(tm, &tm->begin, "BEGIN IMMEDIATE")) < 0 || (rc = prepare(tm, &tm->commit, "COMMIT")) < 0)
		return rc;
	rc = sqlite3_step(tm->begin);
	sqlite3_reset(tm->begin);
	if (rc != SQLITE_DONE)
		return td__db_error(tm, "starting a transaction");
	st = tm->ins_doc;
	sqlite3_bind_text(st, 1, info->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, info->src_name, -1, SQLITE_STATIC);
	if (!is_import)
		sqlite3_bind_text(st, 3, info->tgt_name, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 3);
	sqlite3_bind_text(st, 4, info->src_hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, is_import ? "" : info->tgt_hash, -1, SQLITE_STATIC);
	if (*tm->doc_src_lang)
		sqlite3_bind_text(st, 6, tm->doc_src_lang, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 6);
	if (*tm->doc_tgt_lang)
		sqlite3_bind_text(st, 7, tm->doc_tgt_lang, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 7);
	sqlite3_bind_text(st, 8, "tandem " TD_VERSION, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 9, tm->doc_time);
	if (sqlite3_step(st) != SQLITE_ROW) {
		rc = td__db_error(tm, "recording the document");
	} else {
		tm->doc_id = sqlite3_column_int64(st, 0);
		/* RETURNING: the row is written when the statement runs to its end. */
		rc = sqlite3_step(st) == SQLITE_DONE ? TD_OK : td__db_error(tm, "recording the document");
	}
	sqlite3_reset(st);
	if (rc < 0)
		sqlite_rollback(tm);
	return rc;
}

static int sqlite_add(td_tm *tm, td_tm_add_result *out_result, const td__unit *cu)
{
	const char *sl = cu->sl, *tl = cu->tl, *src = cu->src, *tgt = cu->tgt, *snorm, *tnorm;
	size_t slen = cu->slen, tlen = cu->tlen, snlen, tnlen;
	const td_tm_unit_in *u = cu->in;
	sqlite3_int64 unit_id, key;
	int rc, added;

	key = td__unit_key(sl, tl, src, slen, tgt, tlen);
	/* INDEXED BY: without statistics the planner would take unit_langs
	 * (two equalities) and read every unit of the pair. */
	if ((rc = prepare(tm, &tm->sel_unit, "SELECT id FROM unit INDEXED BY unit_key WHERE key = ? "
		"AND src_lang = ? AND tgt_lang = ? AND source = ? AND target = ?")) < 0)
		return rc;
	sqlite3_bind_int64(tm->sel_unit, 1, key);
	sqlite3_bind_text(tm->sel_unit, 2, sl, -1, SQLITE_STATIC);
	sqlite3_bind_text(tm->sel_unit, 3, tl, -1, SQLITE_STATIC);
	sqlite3_bind_text(tm->sel_unit, 4, src, (int)slen, SQLITE_STATIC);
	sqlite3_bind_text(tm->sel_unit, 5, tgt, (int)tlen, SQLITE_STATIC);
	rc = sqlite3_step(tm->sel_unit);
	unit_id = rc == SQLITE_ROW ? sqlite3_column_int64(tm->sel_unit, 0) : 0;
	sqlite3_reset(tm->sel_unit);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return td__db_error(tm, "finding a stored unit");
	added = rc == SQLITE_DONE;
	if (added) {
		if ((rc = td__text_norm(&tm->nb[2], &snorm, &snlen, src, slen)) < 0 ||
		    (rc = td__text_norm(&tm->nb[3], &tnorm, &tnlen, tgt, tlen)) < 0)
			return rc;
		if ((rc = prepare(tm, &tm->ins_unit,
			"INSERT INTO unit (src_lang, tgt_lang, source, target, source_norm, target_norm, created, key) "
			"VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) < 0)
			return rc;
		sqlite3_bind_text(tm->ins_unit, 1, sl, -1, SQLITE_STATIC);
		sqlite3_bind_text(tm->ins_unit, 2, tl, -1, SQLITE_STATIC);
		sqlite3_bind_text(tm->ins_unit, 3, src, (int)slen, SQLITE_STATIC);
		sqlite3_bind_text(tm->ins_unit, 4, tgt, (int)tlen, SQLITE_STATIC);
		sqlite3_bind_text(tm->ins_unit, 5, snorm, (int)snlen, SQLITE_STATIC);
		sqlite3_bind_text(tm->ins_unit, 6, tnorm, (int)tnlen, SQLITE_STATIC);
		sqlite3_bind_int64(tm->ins_unit, 7, tm->doc_time);
		sqlite3_bind_int64(tm->ins_unit, 8, key);
		rc = sqlite3_step(tm->ins_unit);
		sqlite3_reset(tm->ins_unit);
		if (rc != SQLITE_DONE)
			return td__db_error(tm, "storing a unit");
		unit_id = sqlite3_last_insert_rowid(tm->db);
		rc = td__index_add(tm->db, unit_id, sl, tl, src, tgt);
		if (rc < 0)
			return rc;
		if (!tm->wm && (rc = td__wm_writer_new(&tm->wm)) < 0)
			return rc;
		rc = td__wm_add_unit(tm->wm, tm->db, sl, tl, src, tgt, key);
		if (rc < 0)
			return rc;
	}

	if ((rc = prepare(tm, &tm->ins_prov,
		"INSERT OR IGNORE INTO provenance (unit_id, document_id, position, score, "
		"src_first, src_count, tgt_first, tgt_count, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) < 0)
		return rc;
	sqlite3_bind_int64(tm->ins_prov, 1, unit_id);
	sqlite3_bind_int64(tm->ins_prov, 2, tm->doc_id);
	sqlite3_bind_int64(tm->ins_prov, 3, u->position);
	if (u->score >= 0)
		sqlite3_bind_double(tm->ins_prov, 4, u->score);
	else
		sqlite3_bind_null(tm->ins_prov, 4);
	if (u->src_first >= 0) {
		sqlite3_bind_int64(tm->ins_prov, 5, u->src_first);
		sqlite3_bind_int64(tm->ins_prov, 6, u->src_count);
	} else {
		sqlite3_bind_null(tm->ins_prov, 5);
		sqlite3_bind_null(tm->ins_prov, 6);
	}
	if (u->tgt_first >= 0) {
		sqlite3_bind_int64(tm->ins_prov, 7, u->tgt_first);
		sqlite3_bind_int64(tm->ins_prov, 8, u->tgt_count);
	} else {
		sqlite3_bind_null(tm->ins_prov, 7);
		sqlite3_bind_null(tm->ins_prov, 8);
	}
	sqlite3_bind_int64(tm->ins_prov, 9, tm->doc_time);
	rc = sqlite3_step(tm->ins_prov);
	sqlite3_reset(tm->ins_prov);
	if (rc != SQLITE_DONE)
		return td__db_error(tm, "recording provenance");
	tm->doc_added += added;
	*out_result = added ? TD_TM_ADDED : TD_TM_PRESENT;
	return TD_OK;
}

static int sqlite_commit(td_tm *tm, int64_t *added)
{
	int rc;

	/* The word model's counts of the document go in with its units. */
	rc = td__wm_flush(tm->wm, tm->db);
	if (rc < 0)
		return rc;
	rc = sqlite3_step(tm->commit) == SQLITE_DONE ? TD_OK : td__db_error(tm, "committing the document");
	sqlite3_reset(tm->commit);
	*added = tm->doc_added;
	return rc;
}

static int sqlite_rollback(td_tm *tm)
{
	td__wm_discard(tm->wm);
	if (sqlite3_get_autocommit(tm->db))
		return TD_OK;
	if (sqlite3_exec(tm->db, "ROLLBACK", NULL, NULL, NULL) != SQLITE_OK)
		return td__db_error(tm, "rolling back");
	return TD_OK;
}

static int sqlite_has_document(int *out, td_tm *tm, const char *kind, const char *src_hash,
	const char *tgt_hash)
{
	int rc;

	if (prepare(tm, &tm->sel_doc, "SELECT 1 FROM document WHERE kind = ? AND src_hash = ? AND tgt_hash = ?") < 0)
		return td__db_error(tm, "looking up a document");
	sqlite3_bind_text(tm->sel_doc, 1, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(tm->sel_doc, 2, src_hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(tm->sel_doc, 3, tgt_hash, -1, SQLITE_STATIC);
	rc = sqlite3_step(tm->sel_doc);
	sqlite3_reset(tm->sel_doc);
	if (rc == SQLITE_ROW)
		*out = 1;
	else if (rc != SQLITE_DONE)
		return td__db_error(tm, "looking up a document");
	return TD_OK;
}

/* ---- statistics ---- */

static int64_t count_of(td_tm *tm, const char *sql, int *rc)
{
	sqlite3_stmt *st = NULL;
	int64_t n = 0;

	if (*rc < 0)
		return 0;
	if (sqlite3_prepare_v2(tm->db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	else
		*rc = td__db_error(tm, "counting");
	sqlite3_finalize(st);
	return n;
}

static int64_t file_size(const char *path, const char *suffix)
{
	struct stat sb;
	char buf[4096];

	snprintf(buf, sizeof(buf), "%s%s", path, suffix);
	return stat(buf, &sb) == 0 ? (int64_t)sb.st_size : 0;
}

static int sqlite_stats(td_tm_stats *out, td_tm *tm)
{
	sqlite3_stmt *st = NULL;
	size_t cap = 0;
	int rc = TD_OK, step;

	out->units = count_of(tm, "SELECT count(*) FROM unit", &rc);
	out->documents = count_of(tm, "SELECT count(*) FROM document", &rc);
	out->provenance = count_of(tm, "SELECT count(*) FROM provenance", &rc);
	out->schema_version = (int)count_of(tm, "PRAGMA user_version", &rc);
	out->file_size = file_size(tm->path, "") + file_size(tm->path, "-wal");
	if (rc < 0)
		goto cleanup;
	if (sqlite3_prepare_v2(tm->db, "SELECT src_lang, tgt_lang, count(*) FROM unit "
		"GROUP BY src_lang, tgt_lang ORDER BY 3 DESC, 1, 2", -1, &st, NULL) != SQLITE_OK) {
		rc = td__db_error(tm, "counting language pairs");
		goto cleanup;
	}
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		td_tm_pair_count *p;
		if (td_grow((void **)&out->pairs, &cap, out->npairs + 1, sizeof(*out->pairs)) < 0) {
			rc = td_error_set(TD_ENOMEM, "out of memory counting language pairs");
			goto cleanup;
		}
		p = &out->pairs[out->npairs++];
		snprintf(p->src_lang, sizeof(p->src_lang), "%s", (const char *)sqlite3_column_text(st, 0));
		snprintf(p->tgt_lang, sizeof(p->tgt_lang), "%s", (const char *)sqlite3_column_text(st, 1));
		p->units = sqlite3_column_int64(st, 2);
	}
	if (step != SQLITE_DONE) {
		rc = td__db_error(tm, "counting language pairs");
		goto cleanup;
	}
	sqlite3_finalize(st);
	st = NULL;
	out->sources = calloc(2, sizeof(*out->sources));
	if (!out->sources) {
		rc = td_error_set(TD_ENOMEM, "out of memory counting sources");
		goto cleanup;
	}
	if (sqlite3_prepare_v2(tm->db, "SELECT d.kind, count(DISTINCT d.id), count(p.document_id) "
		"FROM document d LEFT JOIN provenance p ON p.document_id = d.id "
		"GROUP BY d.kind ORDER BY d.kind", -1, &st, NULL) != SQLITE_OK) {
		rc = td__db_error(tm, "counting sources");
		goto cleanup;
	}
	while ((step = sqlite3_step(st)) == SQLITE_ROW && out->nsources < 2) {
		td_tm_source_count *s = &out->sources[out->nsources++];
		snprintf(s->kind, sizeof(s->kind), "%s", (const char *)sqlite3_column_text(st, 0));
		s->documents = sqlite3_column_int64(st, 1);
		s->provenance = sqlite3_column_int64(st, 2);
	}
	if (step != SQLITE_DONE && step != SQLITE_ROW)
		rc = td__db_error(tm, "counting sources");
cleanup:
	sqlite3_finalize(st);
	return rc;
}

static int sqlite_src_langs(td_tm *tm, int (*each)(void *arg, const char *lang), void *arg)
{
	sqlite3_stmt *st = NULL;
	int rc, step;

	if (sqlite3_prepare_v2(tm->db, "SELECT src_lang FROM unit GROUP BY src_lang", -1, &st, NULL) != SQLITE_OK)
		return td__db_error(tm, "reading languages");
	rc = TD_OK;
	while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW)
		rc = each(arg, (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	if (rc == 0 && step != SQLITE_DONE)
		return td__db_error(tm, "reading languages");
	return rc;
}

/* ---- iteration ---- */

static int sqlite_iter_new(td_tm_iter *it)
{
	td_tm *tm = it->tm;

	if (sqlite3_prepare_v2(tm->db, "SELECT id, src_lang, tgt_lang, source, target, created "
		"FROM unit ORDER BY id", -1, &it->units, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(tm->db, "SELECT d.kind, d.src_name, d.tgt_name, d.tool, p.position, p.score, p.created "
		"FROM provenance p JOIN document d ON d.id = p.document_id "
		"WHERE p.unit_id = ? ORDER BY p.document_id, p.position", -1, &it->prov, NULL) != SQLITE_OK)
		return td__db_error(tm, "reading units");
	return TD_OK;
}

static const char *keep(td_tm_iter *it, size_t i, size_t j, sqlite3_stmt *st, int col)
{
	return td__iter_keep(it, i, j, (const char *)sqlite3_column_text(st, col));
}

static int sqlite_iter_next(td_tm_iter *it)
{
	td_tm_unit *u = &it->cur;
	int rc;

	for (;;) {
		rc = sqlite3_step(it->units);
		if (rc == SQLITE_DONE)
			return 0;
		if (rc != SQLITE_ROW)
			return td__db_error(it->tm, "reading units");
		u->src_lang = (const char *)sqlite3_column_text(it->units, 1);
		u->tgt_lang = (const char *)sqlite3_column_text(it->units, 2);
		if (td_lang_matches(u->src_lang, it->src_lang) && td_lang_matches(u->tgt_lang, it->tgt_lang))
			break;
	}
	u->id = sqlite3_column_int64(it->units, 0);
	u->source = (const char *)sqlite3_column_text(it->units, 3);
	u->target = (const char *)sqlite3_column_text(it->units, 4);
	u->created = sqlite3_column_int64(it->units, 5);
	u->origins = it->origins;
	u->norigins = 0;
	u->nprovenance = 0;
	sqlite3_bind_int64(it->prov, 1, u->id);
	while ((rc = sqlite3_step(it->prov)) == SQLITE_ROW) {
		size_t i = u->norigins;
		td_tm_origin *o = &it->origins[i];
		u->nprovenance++;
		if (i == TD__MAX_ORIGINS)
			continue;
		o->kind = keep(it, i, 0, it->prov, 0);
		o->src_name = keep(it, i, 1, it->prov, 1);
		o->tgt_name = keep(it, i, 2, it->prov, 2);
		o->tool = keep(it, i, 3, it->prov, 3);
		o->position = sqlite3_column_int64(it->prov, 4);
		o->score = sqlite3_column_type(it->prov, 5) == SQLITE_NULL ? -1.0 : sqlite3_column_double(it->prov, 5);
		o->time = sqlite3_column_int64(it->prov, 6);
		u->norigins++;
	}
	sqlite3_reset(it->prov);
	if (rc != SQLITE_DONE)
		return td__db_error(it->tm, "reading provenance");
	return 1;
}

static void sqlite_iter_free(td_tm_iter *it)
{
	sqlite3_finalize(it->units);
	sqlite3_finalize(it->prov);
}

/* ---- dump ---- */

static const char *col(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

static int64_t col_int(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, i);
}

/* td__dump_sql in one read transaction. */
static int sqlite_dump(td_tm *tm, const td__sink *sink)
{
	sqlite3_stmt *st = NULL;
	int rc = exec(tm, "BEGIN", "reading the TM"), t, s = SQLITE_DONE;

	for (t = 0; t < 3 && rc == 0; t++) {
		if (sqlite3_prepare_v2(tm->db, td__dump_sql[t], -1, &st, NULL) != SQLITE_OK) {
			rc = td__db_error(tm, "reading the TM");
			break;
		}
		while (rc == 0 && (s = sqlite3_step(st)) == SQLITE_ROW) {
			if (t == 0) {
				td__doc_row d = { col_int(st, 0), col(st, 1), col(st, 2), col(st, 3), col(st, 4),
					col(st, 5), col(st, 6), col(st, 7), col(st, 8), col_int(st, 9) };
				rc = sink->document(sink->arg, &d);
			} else if (t == 1) {
				td__unit_row u = { col_int(st, 0), col(st, 1), col(st, 2), col(st, 3), col(st, 4),
					col(st, 5), col(st, 6), col_int(st, 7) };
				rc = sink->unit(sink->arg, &u);
			} else {
				td__prov_row p = { col_int(st, 0), col_int(st, 1), col_int(st, 2),
					sqlite3_column_type(st, 3) == SQLITE_NULL ? -1.0 : sqlite3_column_double(st, 3),
					col_int(st, 4), col_int(st, 5), col_int(st, 6), col_int(st, 7), col_int(st, 8) };
				rc = sink->provenance(sink->arg, &p);
			}
		}
		if (rc == 0 && s != SQLITE_DONE)
			rc = td__db_error(tm, "reading the TM");
		sqlite3_finalize(st);
		st = NULL;
	}
	if (!sqlite3_get_autocommit(tm->db))
		sqlite3_exec(tm->db, "COMMIT", NULL, NULL, NULL);
	return rc;
}

const td__store_ops td__sqlite_store = {
	"SQLite", sqlite_close, sqlite_begin, sqlite_add, sqlite_commit, sqlite_rollback,
	sqlite_has_document, sqlite_stats, sqlite_src_langs, sqlite_iter_new, sqlite_iter_next, sqlite_iter_free,
	sqlite_dump, NULL, NULL, NULL,
};

/* ---- unit keys ---- */

void td__unit_digest(uint8_t d[32], const char *sl, const char *tl, const char *src, size_t slen,
	const char *tgt, size_t tlen)
{
	struct sha256_ctx ctx;

	sha256_init(&ctx);
	sha256_update(&ctx, strlen(sl) + 1, (const uint8_t *)sl);
	sha256_update(&ctx, strlen(tl) + 1, (const uint8_t *)tl);
	sha256_update(&ctx, slen, (const uint8_t *)src);
	sha256_update(&ctx, 1, (const uint8_t *)"");
	sha256_update(&ctx, tlen, (const uint8_t *)tgt);
	sha256_digest(&ctx, SHA256_DIGEST_SIZE, d);
}

sqlite3_int64 td__unit_key(const char *sl, const char *tl, const char *src, size_t slen,
	const char *tgt, size_t tlen)
{
	uint8_t d[SHA256_DIGEST_SIZE];
	uint64_t k = 0;
	int i;

	td__unit_digest(d, sl, tl, src, slen, tgt, tlen);
	for (i = 0; i < 8; i++)
		k = (k << 8) | d[i];
	return (sqlite3_int64)(k >> 1);
}

static void sql_unit_key(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *v[4];
	int i;

	(void)argc;
	for (i = 0; i < 4; i++) {
		v[i] = (const char *)sqlite3_value_text(argv[i]);
		if (!v[i]) {
			sqlite3_result_null(ctx);
			return;
		}
	}
	sqlite3_result_int64(ctx, td__unit_key(v[0], v[1], v[2], (size_t)sqlite3_value_bytes(argv[2]),
		v[3], (size_t)sqlite3_value_bytes(argv[3])));
}

int td__register_functions(sqlite3 *db)
{
	return sqlite3_create_function(db, "td_unit_key", 4, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
		NULL, sql_unit_key, NULL, NULL) == SQLITE_OK ? 0 : TD_EDB;
}

/* ---- content hashes ---- */

static void to_hex(char *out, const uint8_t *d, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = hex[d[i] >> 4];
		out[2 * i + 1] = hex[d[i] & 15];
	}
	out[2 * n] = '\0';
}

void td_tm_hash_bytes(char *out, const void *data, size_t len)
{
	struct sha256_ctx ctx;
	uint8_t d[SHA256_DIGEST_SIZE];

	sha256_init(&ctx);
	sha256_update(&ctx, len, data);
	sha256_digest(&ctx, sizeof(d), d);
	to_hex(out, d, sizeof(d));
}

int td_tm_hash_file(char *out, const char *path)
{
	struct sha256_ctx ctx;
	uint8_t d[SHA256_DIGEST_SIZE];
	uint8_t buf[65536];
	FILE *f;
	size_t n;
	int failed;

	out[0] = '\0';
	f = fopen(path, "rb");
	if (!f)
		return td_error_set(TD_EIO, "%s: %s", path, strerror(errno));
	sha256_init(&ctx);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		sha256_update(&ctx, n, buf);
	failed = ferror(f);
	fclose(f);
	if (failed)
		return td_error_set(TD_EIO, "%s: read error", path);
	sha256_digest(&ctx, sizeof(d), d);
	to_hex(out, d, sizeof(d));
	return TD_OK;
}
