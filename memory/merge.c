/*
 * Merging one TM into another (td_tm_merge): the shards of a cluster run
 * come back as one TM each, and the reduce step folds them into one.
 *
 * The input is attached to the output's connection and copied with a few
 * set statements in one write transaction:
 *   documents   inserted unless (kind, src_hash, tgt_hash) is there already
 *               (the document table's unique key); a map input id -> output
 *               id in a temporary table;
 *   units       looked up by the 64-bit key and the four values (as
 *               td_tm_add_unit does); the missing ones are inserted in input
 *               order with their texts, matching forms, key and time, and
 *               indexed for lookup and concordance (td_concord, td_sig: the
 *               fingerprint is a function of the language and the source, so
 *               the input's is copied);
 *   word model  the new units counted into the output's word model
 *               (wordmodel.h) as td_tm_add_unit counts a unit it stores;
 *               the input's own counts are not added, as they may count
 *               units the output holds already;
 *   provenance  every record, its unit and document mapped, INSERT OR IGNORE
 *               on the (unit, document, position) key.
 * Every step finds what an earlier merge of the same input wrote, so a merge
 * killed at any point (rolled back by SQLite) or run twice gives the same TM.
 * The temporary tables live in the connection's temp database, never in
 * the TM file.
 */
#include "snapshot.h"
#include "tm_internal.h"
#include "wordmodel.h"

#include <string.h>
#include <sys/stat.h>

/* The schema name the input is attached as. */
#define IN "td_merge_in"

static int run(td_tm *tm, const char *sql, const char *what, int64_t *changes)
{
	char *msg = NULL;
	int rc = sqlite3_exec(tm->db, sql, NULL, NULL, &msg);

	if (rc != SQLITE_OK) {
		rc = td_error_set(TD_EDB, "%s: merging: %s: %s", tm->path, what,
			msg ? msg : sqlite3_errmsg(tm->db));
		sqlite3_free(msg);
		return rc;
	}
	if (changes)
		*changes = sqlite3_changes64(tm->db);
	return TD_OK;
}

static int count(td_tm *tm, const char *sql, int64_t *out)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(tm->db, sql, -1, &st, NULL);

	if (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
		*out = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
		return TD_OK;
	}
	sqlite3_finalize(st);
	return td__db_error(tm, "merging: counting");
}

/* The input must be a TM of this build's schema, and not the output itself. */
static int check_input(const td_tm *tm, const char *in_path)
{
	struct stat a, b;
	td_tm *in = NULL;
	sqlite3_stmt *st = NULL;
	int rc, version = -1;

	if (stat(in_path, &a) == 0 && stat(tm->path, &b) == 0 && a.st_dev == b.st_dev &&
	    a.st_ino == b.st_ino)
		return td_error_set(TD_EINVAL, "%s: is the TM merged into; give another output", in_path);
	if ((rc = td_tm_open(&in, in_path, TD_TM_READONLY)) < 0)
		return rc;
	if (sqlite3_prepare_v2(in->db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	td_tm_close(in);
	if (version != td__schema_version())
		return td_error_set(TD_EFORMAT, "%s: TM schema version %d, this tandem merges version %d "
			"(opening it for writing once, e.g. with tandem import, updates it)",
			in_path, version, td__schema_version());
	return TD_OK;
}

/* The statements of one merge, in order; see the top of the file. */
static const struct {
	const char *sql, *what;
	int counted;   /* 1: documents added, 2: units added, 3: provenance added */
} steps[] = {
	{ "CREATE TEMP TABLE IF NOT EXISTS td_merge_doc (in_id INTEGER PRIMARY KEY, out_id INTEGER NOT NULL);"
	  "CREATE TEMP TABLE IF NOT EXISTS td_merge_unit (in_id INTEGER PRIMARY KEY, out_id INTEGER,"
	  "  added INTEGER NOT NULL DEFAULT 0);"
	  "DELETE FROM temp.td_merge_doc; DELETE FROM temp.td_merge_unit;", "preparing", 0 },
	{ "INSERT INTO main.document (kind, src_name, tgt_name, src_hash, tgt_hash, src_lang, tgt_lang, tool, created)"
	  "  SELECT kind, src_name, tgt_name, src_hash, tgt_hash, src_lang, tgt_lang, tool, created"
	  "  FROM " IN ".document WHERE true ORDER BY id"
	  "  ON CONFLICT (kind, src_hash, tgt_hash) DO NOTHING", "copying documents", 1 },
	{ "INSERT INTO temp.td_merge_doc (in_id, out_id) SELECT s.id, m.id FROM " IN ".document AS s"
	  "  JOIN main.document AS m ON m.kind = s.kind AND m.src_hash = s.src_hash AND m.tgt_hash = s.tgt_hash",
	  "mapping documents", 0 },
	{ "INSERT INTO temp.td_merge_unit (in_id, out_id) SELECT s.id,"
	  "  (SELECT m.id FROM main.unit AS m INDEXED BY unit_key WHERE m.key = s.key"
	  "   AND m.src_lang = s.src_lang AND m.tgt_lang = s.tgt_lang AND m.source = s.source"
	  "   AND m.target = s.target) FROM " IN ".unit AS s", "finding stored units", 0 },
	{ "INSERT INTO main.unit (src_lang, tgt_lang, source, target, source_norm, target_norm, created, key)"
	  "  SELECT s.src_lang, s.tgt_lang, s.source, s.target, s.source_norm, s.target_norm, s.created, s.key"
	  "  FROM " IN ".unit AS s JOIN temp.td_merge_unit AS mu ON mu.in_id = s.id"
	  "  WHERE mu.out_id IS NULL ORDER BY s.id", "copying units", 2 },
	{ "UPDATE temp.td_merge_unit SET added = 1, out_id ="
	  "  (SELECT m.id FROM " IN ".unit AS s, main.unit AS m INDEXED BY unit_key"
	  "   WHERE s.id = td_merge_unit.in_id AND m.key = s.key AND m.src_lang = s.src_lang"
	  "   AND m.tgt_lang = s.tgt_lang AND m.source = s.source AND m.target = s.target)"
	  "  WHERE out_id IS NULL", "mapping new units", 0 },
	{ "INSERT INTO main.td_concord (rowid, source, target)"
	  "  SELECT mu.out_id, s.source, s.target FROM temp.td_merge_unit AS mu"
	  "  JOIN " IN ".unit AS s ON s.id = mu.in_id WHERE mu.added ORDER BY mu.out_id",
	  "indexing new units", 0 },
	{ "INSERT INTO main.td_sig (id, sig) SELECT mu.out_id, g.sig FROM temp.td_merge_unit AS mu"
	  "  JOIN " IN ".td_sig AS g ON g.id = mu.in_id WHERE mu.added ORDER BY mu.out_id",
	  "fingerprinting new units", 0 },
	{ NULL, "counting new units into the word model", 0 },
	{ "INSERT OR IGNORE INTO main.provenance (unit_id, document_id, position, score,"
	  "  src_first, src_count, tgt_first, tgt_count, created)"
	  "  SELECT mu.out_id, md.out_id, p.position, p.score, p.src_first, p.src_count,"
	  "  p.tgt_first, p.tgt_count, p.created FROM " IN ".provenance AS p"
	  "  JOIN temp.td_merge_unit AS mu ON mu.in_id = p.unit_id"
	  "  JOIN temp.td_merge_doc AS md ON md.in_id = p.document_id", "copying provenance", 3 },
	{ "DELETE FROM temp.td_merge_doc; DELETE FROM temp.td_merge_unit;", "clearing", 0 },
};

/* The units the merge added, in the order they were stored, counted into the word model. */
static int count_new_units(td_tm *tm)
{
	sqlite3_stmt *st = NULL;
	int s, rc = TD_OK;

	if (!tm->wm && (rc = td__wm_writer_new(&tm->wm)) < 0)
		return rc;
	if (sqlite3_prepare_v2(tm->db, "SELECT s.src_lang, s.tgt_lang, s.source, s.target, s.key"
	    " FROM temp.td_merge_unit AS mu JOIN " IN ".unit AS s ON s.id = mu.in_id"
	    " WHERE mu.added ORDER BY mu.out_id", -1, &st, NULL) != SQLITE_OK)
		return td__db_error(tm, "merging: reading the new units");
	while (rc == 0 && (s = sqlite3_step(st)) == SQLITE_ROW)
		rc = td__wm_add_unit(tm->wm, tm->db, (const char *)sqlite3_column_text(st, 0),
			(const char *)sqlite3_column_text(st, 1), (const char *)sqlite3_column_text(st, 2),
			(const char *)sqlite3_column_text(st, 3), sqlite3_column_int64(st, 4));
	if (rc == 0 && s != SQLITE_DONE)
		rc = td__db_error(tm, "merging: reading the new units");
	sqlite3_finalize(st);
	if (rc == 0)
		rc = td__wm_flush(tm->wm, tm->db);
	if (rc < 0)
		td__wm_discard(tm->wm);
	return rc;
}

/* The input attached to a SQLite TM and copied by the steps above. */
static int merge_file(td_tm_merge_report *out, td_tm *tm, const char *in_path)
{
	td_tm_merge_report rep;
	sqlite3_stmt *st = NULL;
	size_t i;
	int rc, attached = 0;

	memset(&rep, 0, sizeof(rep));
	if (sqlite3_prepare_v2(tm->db, "ATTACH DATABASE ? AS " IN, -1, &st, NULL) != SQLITE_OK)
		return td__db_error(tm, "merging: attaching the input");
	sqlite3_bind_text(st, 1, in_path, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return td_error_set(TD_EDB, "%s: merging: attaching %s: %s", tm->path, in_path,
			sqlite3_errmsg(tm->db));
	attached = 1;
	/* The import's page cache: the merge is one large transaction. */
	if ((rc = run(tm, "PRAGMA main.cache_size = -65536", "setting the cache size", NULL)) < 0)
		goto cleanup;
	tm->cache_kib = 65536;
	if ((rc = run(tm, "BEGIN IMMEDIATE", "starting the transaction", NULL)) < 0)
		goto cleanup;
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]) && rc == 0; i++) {
		int64_t n = 0;

		rc = steps[i].sql ? run(tm, steps[i].sql, steps[i].what, &n) : count_new_units(tm);
		if (steps[i].counted == 1)
			rep.documents_added = n;
		else if (steps[i].counted == 2)
			rep.units_added = n;
		else if (steps[i].counted == 3)
			rep.provenance_added = n;
	}
	if (rc == 0)
		rc = count(tm, "SELECT count(*) FROM " IN ".document", &rep.documents);
	if (rc == 0)
		rc = count(tm, "SELECT count(*) FROM " IN ".unit", &rep.units);
	if (rc == 0)
		rc = count(tm, "SELECT count(*) FROM " IN ".provenance", &rep.provenance);
	if (rc == 0)
		rc = run(tm, "COMMIT", "committing", NULL);
	if (rc < 0 && !sqlite3_get_autocommit(tm->db))
		sqlite3_exec(tm->db, "ROLLBACK", NULL, NULL, NULL);
cleanup:
	if (attached && sqlite3_exec(tm->db, "DETACH DATABASE " IN, NULL, NULL, NULL) != SQLITE_OK && rc == 0)
		rc = td__db_error(tm, "merging: detaching the input");
	if (rc == 0 && out)
		*out = rep;
	return rc;
}

int td_tm_merge(td_tm_merge_report *out, td_tm *tm, const char *in_path)
{
	td_tm_merge_report rep;
	td_tm *in = NULL;
	char *snap = NULL;
	int rc;

	memset(&rep, 0, sizeof(rep));
	if (out)
		*out = rep;
	if (!tm || !in_path)
		return td_error_set(TD_EINVAL, "merge: no TM or no input");
	if (tm->flags & TD_TM_READONLY)
		return td_error_set(TD_EINVAL, "%s: opened read-only", tm->path);
	if (tm->in_doc)
		return td_error_set(TD_EINVAL, "%s: a document is open; commit it before merging", tm->path);
	if (!td__tm_is_pg(in_path) && (rc = check_input(tm, in_path)) < 0)
		return rc;
	/* A store with its own merge reads the input through the input's store. */
	if (tm->ops->merge) {
		if ((rc = td_tm_open(&in, in_path, TD_TM_READONLY)) < 0)
			return rc;
		rc = tm->ops->merge(tm, in, &rep);
		td_tm_close(in);
		if (rc == 0 && out)
			*out = rep;
		return rc;
	}
	/* A PostgreSQL input is attached as a SQLite copy of itself. */
	if (!td__tm_is_pg(in_path))
		return merge_file(out, tm, in_path);
	if ((rc = td__snapshot(&snap, in_path)) < 0)
		return rc;
	rc = merge_file(out, tm, snap);
	td__snapshot_remove(snap);
	return rc;
}
