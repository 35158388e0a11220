/*
 * The lookup and concordance index (model in memory/index.h).
 */
#include "index.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "tandem/error.h"

/*
 * hashsize: FTS5 keeps this many bytes of new postings in memory before
 * writing a segment (default 1 MB). A bulk import of a million units then
 * writes a few large segments instead of hundreds that must be merged later.
 */
static const char schema_sql[] =
	"CREATE VIEW IF NOT EXISTS td_concord_text AS"
	"  SELECT id, source, target FROM unit;"
	"CREATE VIRTUAL TABLE IF NOT EXISTS td_concord USING fts5("
	"  source, target, content='td_concord_text', content_rowid='id',"
	"  tokenize='unicode61 remove_diacritics 2');"
	/* Only once: rewriting it on every open would change the TM file each time. */
	"INSERT INTO td_concord(td_concord, rank) SELECT 'hashsize', 16777216"
	"  WHERE NOT EXISTS (SELECT 1 FROM td_concord_config WHERE k = 'hashsize');";

int td__index_schema(sqlite3 *db)
{
	char *msg = NULL;

	if (sqlite3_exec(db, schema_sql, NULL, NULL, &msg) != SQLITE_OK) {
		int rc = td_error_set(TD_EDB, "creating the lookup index: %s",
			msg ? msg : sqlite3_errmsg(db));
		sqlite3_free(msg);
		return rc;
	}
	return 0;
}

/*
 * The prepared INSERT of each connection that adds units, kept so that an
 * import of a million units prepares it once. td__index_release() finalizes
 * it before the connection closes.
 */
#define MAX_CONN 64
static struct {
	pthread_mutex_t lock;
	struct { sqlite3 *db; sqlite3_stmt *ins; } c[MAX_CONN];
} conns = { PTHREAD_MUTEX_INITIALIZER, { { NULL, NULL } } };

/* The INSERT of db, prepared on first use; *cached says whether it stays for the next call. */
static sqlite3_stmt *insert_stmt(sqlite3 *db, int *cached)
{
	sqlite3_stmt *st = NULL;
	int i, slot = -1;

	*cached = 0;
	pthread_mutex_lock(&conns.lock);
	for (i = 0; i < MAX_CONN; i++) {
		if (conns.c[i].db == db) {
			st = conns.c[i].ins;
			*cached = 1;
			goto done;
		}
		if (!conns.c[i].db && slot < 0)
			slot = i;
	}
	if (sqlite3_prepare_v3(db, "INSERT INTO td_concord(rowid, source, target) VALUES (?1, ?2, ?3)",
			-1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
		st = NULL;
		goto done;
	}
	if (slot >= 0) {
		conns.c[slot].db = db;
		conns.c[slot].ins = st;
		*cached = 1;
	}
done:
	pthread_mutex_unlock(&conns.lock);
	return st;
}

void td__index_release(sqlite3 *db)
{
	int i;

	pthread_mutex_lock(&conns.lock);
	for (i = 0; i < MAX_CONN; i++) {
		if (conns.c[i].db == db) {
			sqlite3_finalize(conns.c[i].ins);
			conns.c[i].db = NULL;
			conns.c[i].ins = NULL;
		}
	}
	pthread_mutex_unlock(&conns.lock);
}

int td__index_add(sqlite3 *db, sqlite3_int64 unit_id, const char *src_lang,
	const char *tgt_lang, const char *source, const char *target)
{
	int cached, rc;
	sqlite3_stmt *st = insert_stmt(db, &cached);

	(void)src_lang;
	(void)tgt_lang;
	if (!st)
		return td_error_set(TD_EDB, "indexing unit %lld: %s", (long long)unit_id, sqlite3_errmsg(db));
	sqlite3_bind_int64(st, 1, unit_id);
	sqlite3_bind_text(st, 2, source, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, target, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (!cached)
		sqlite3_finalize(st);   /* more connections than slots: prepared per call */
	if (rc != SQLITE_DONE)
		return td_error_set(TD_EDB, "indexing unit %lld: %s", (long long)unit_id, sqlite3_errmsg(db));
	return 0;
}
