/*
 * The TM schema and its forward migrations, keyed by PRAGMA user_version.
 *
 * migrations[i] turns a TM of version i into version i + 1. To change the
 * schema, append one entry; never edit an entry that has shipped. The
 * lookup module's tables are created by td__index_schema (index.h) in the
 * same transaction, after the migrations.
 *
 * Tables (version 4):
 *   document    one aligned document pair or one imported file, unique on
 *               (kind, src_hash, tgt_hash); tgt_hash is '' for an import.
 *   unit        one translation unit; source_norm/target_norm are the
 *               matching forms (td_tm_normalize_text); languages are
 *               normalised BCP 47. (src_lang, tgt_lang, source, target) is
 *               unique: key is td_unit_key() of the four, indexed, and
 *               tm.c inserts only after finding no row with that key and
 *               those four values. A 64-bit key keeps the index small; a
 *               UNIQUE index over the full texts (version 1) made imports of
 *               a million units several times slower. unit_langs
 *               indexes (src_lang, tgt_lang).
 *   provenance  where a unit was seen: (unit, document, position), with the
 *               bead's score and sentence span for aligned pairs.
 *   td_sig      the token fingerprint of each unit's source (lookup's;
 *               format in memory/index.h), id = unit id.
 * Times are seconds since the epoch, UTC.
 *
 * Migrations run before foreign keys are switched on for the connection, so
 * that rebuilding a table does not cascade into provenance.
 */
#include "tm_internal.h"

#include <stdio.h>

#include "index.h"
#include "wordmodel.h"

static const char *const migrations[] = {
	/* 0 -> 1: the first schema. */
	"CREATE TABLE document ("
	"  id INTEGER PRIMARY KEY,"
	"  kind TEXT NOT NULL CHECK (kind IN ('align', 'import')),"
	"  src_name TEXT NOT NULL,"
	"  tgt_name TEXT,"
	"  src_hash TEXT NOT NULL,"
	"  tgt_hash TEXT NOT NULL DEFAULT '',"
	"  src_lang TEXT,"
	"  tgt_lang TEXT,"
	"  tool TEXT NOT NULL,"
	"  created INTEGER NOT NULL,"
	"  UNIQUE (kind, src_hash, tgt_hash));"
	"CREATE TABLE unit ("
	"  id INTEGER PRIMARY KEY,"
	"  src_lang TEXT NOT NULL,"
	"  tgt_lang TEXT NOT NULL,"
	"  source TEXT NOT NULL,"
	"  target TEXT NOT NULL,"
	"  source_norm TEXT NOT NULL,"
	"  target_norm TEXT NOT NULL,"
	"  created INTEGER NOT NULL,"
	"  UNIQUE (src_lang, tgt_lang, source, target));"
	"CREATE TABLE provenance ("
	"  unit_id INTEGER NOT NULL REFERENCES unit(id) ON DELETE CASCADE,"
	"  document_id INTEGER NOT NULL REFERENCES document(id) ON DELETE CASCADE,"
	"  position INTEGER NOT NULL,"
	"  score REAL,"
	"  src_first INTEGER, src_count INTEGER,"
	"  tgt_first INTEGER, tgt_count INTEGER,"
	"  created INTEGER NOT NULL,"
	"  PRIMARY KEY (unit_id, document_id, position)) WITHOUT ROWID;"
	"CREATE INDEX provenance_document ON provenance(document_id);",
	/* 1 -> 2: uniqueness through an indexed 64-bit key instead of a UNIQUE
	 * index over the texts (rebuilds unit; ids, and so provenance and the
	 * lookup indexes, stay as they are). */
	"PRAGMA legacy_alter_table = ON;"
	"CREATE TABLE unit_v2 ("
	"  id INTEGER PRIMARY KEY,"
	"  src_lang TEXT NOT NULL,"
	"  tgt_lang TEXT NOT NULL,"
	"  source TEXT NOT NULL,"
	"  target TEXT NOT NULL,"
	"  source_norm TEXT NOT NULL,"
	"  target_norm TEXT NOT NULL,"
	"  created INTEGER NOT NULL,"
	"  key INTEGER NOT NULL);"
	"INSERT INTO unit_v2 SELECT id, src_lang, tgt_lang, source, target, source_norm, target_norm, created,"
	"  td_unit_key(src_lang, tgt_lang, source, target) FROM unit ORDER BY id;"
	"DROP TABLE unit;"
	"ALTER TABLE unit_v2 RENAME TO unit;"
	"CREATE INDEX unit_key ON unit(key);"
	"PRAGMA legacy_alter_table = OFF;",
	/* 2 -> 3: the language pairs, for lookup, terms, stats and export to
	 * find a pair without reading every unit. */
	"CREATE INDEX unit_langs ON unit(src_lang, tgt_lang);",
	/* 3 -> 4: the token fingerprint of every unit's source (memory/index.h),
	 * which lets a lookup bound a unit's score without reading its text.
	 * Filled here for the units already stored; td__index_add writes it for
	 * new ones. A unit whose language has no tokenizer gets no row. */
	"CREATE TABLE td_sig (id INTEGER PRIMARY KEY, sig BLOB NOT NULL);"
	"INSERT INTO td_sig (id, sig) SELECT id, s FROM"
	"  (SELECT id, td_sig(src_lang, source) AS s FROM unit ORDER BY id) WHERE s IS NOT NULL;",
};

#define NMIGRATIONS ((int)(sizeof(migrations) / sizeof(migrations[0])))

int td__schema_version(void)
{
	return NMIGRATIONS;
}

static int exec(sqlite3 *db, const char *path, const char *sql, const char *what)
{
	char *msg = NULL;
	int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);

	if (rc != SQLITE_OK) {
		rc = td_error_set(TD_EDB, "%s: %s: %s", path, what, msg ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
		return rc;
	}
	return TD_OK;
}

static int user_version(int *out, sqlite3 *db, const char *path)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL);

	if (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
		*out = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
		return TD_OK;
	}
	sqlite3_finalize(st);
	return td_error_set(TD_EDB, "%s: reading the schema version: %s", path, sqlite3_errmsg(db));
}

int td__schema_migrate(sqlite3 *db, const char *path, int *out_busy)
{
	char sql[96];
	int rc, v = 0, i;

	*out_busy = 0;
	rc = td__index_register(db);   /* td_sig() for migration 4 */
	if (rc < 0)
		return rc;
	rc = exec(db, path, "BEGIN IMMEDIATE", "starting the schema transaction");
	if (rc < 0)
		goto cleanup;
	/* Read again inside the transaction: another process may have migrated. */
	rc = user_version(&v, db, path);
	if (rc < 0)
		goto cleanup;
	if (v > NMIGRATIONS) {
		rc = td_error_set(TD_EFORMAT, "%s: TM schema version %d is newer than this tandem knows (%d)",
			path, v, NMIGRATIONS);
		goto cleanup;
	}
	if (v == 0) {
		snprintf(sql, sizeof(sql), "PRAGMA application_id = %d", TD_TM_APPLICATION_ID);
		rc = exec(db, path, sql, "marking the file as a tandem TM");
		if (rc < 0)
			goto cleanup;
	}
	for (i = v; i < NMIGRATIONS; i++) {
		char what[64];
		snprintf(what, sizeof(what), "migrating the schema to version %d", i + 1);
		rc = exec(db, path, migrations[i], what);
		if (rc < 0)
			goto cleanup;
	}
	if (v != NMIGRATIONS) {
		snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", NMIGRATIONS);
		rc = exec(db, path, sql, "recording the schema version");
		if (rc < 0)
			goto cleanup;
	}
	rc = td__index_schema(db);
	if (rc == 0)
		rc = td__wm_schema(db);
	if (rc < 0)
		goto cleanup;
	rc = exec(db, path, "COMMIT", "committing the schema");
cleanup:
	if (rc < 0) {
		int e = sqlite3_errcode(db) & 0xff;   /* before ROLLBACK resets it */
		*out_busy = e == SQLITE_BUSY || e == SQLITE_LOCKED;
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	}
	return rc;
}
