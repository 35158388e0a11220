/*
 * The lookup and concordance index (model in memory/index.h).
 */
#include "index.h"
#include "tokenizers.h"

#include <pthread.h>
#include <stdio.h>
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

/*
 * A TM written before the index existed (schema 1) has units and no
 * td_concord: the new index is filled from them ('rebuild' reads the
 * content view), or lookups and concordance would never find them.
 */
static const char rebuild_sql[] = "INSERT INTO td_concord(td_concord) VALUES ('rebuild')";

int td__index_schema(sqlite3 *db)
{
	char *msg = NULL;
	int existed = sqlite3_table_column_metadata(db, "main", "td_concord", NULL, NULL, NULL, NULL,
		NULL, NULL) == SQLITE_OK;

	if (sqlite3_exec(db, schema_sql, NULL, NULL, &msg) != SQLITE_OK ||
	    (!existed && sqlite3_exec(db, rebuild_sql, NULL, NULL, &msg) != SQLITE_OK)) {
		int rc = td_error_set(TD_EDB, "creating the lookup index: %s",
			msg ? msg : sqlite3_errmsg(db));
		sqlite3_free(msg);
		return rc;
	}
	return 0;
}

/*
 * What each connection that adds units keeps: the prepared INSERTs (an
 * import of a million units prepares them once), the tokenizer of the last
 * source language and the fingerprint buffers. td__index_release() frees it
 * before the connection closes. More connections than slots work too: the
 * state is then made and freed per call.
 */
typedef struct {
	sqlite3 *db;
	sqlite3_stmt *ins, *ins_sig;
	td__tok tok;
	td_tokenizer *tk;         /* tok's for lang; NULL when none could be made */
	char lang[32];
	int tk_failed;            /* no tokenizer for lang: no fingerprints for it */
	td__mtok *mt;
	size_t mtcap;
	td__sig sig;
	unsigned char *blob;
	size_t blobcap;
} conn;

#define MAX_CONN 64
static struct {
	pthread_mutex_t lock;
	conn c[MAX_CONN];
} conns = { .lock = PTHREAD_MUTEX_INITIALIZER };

static void conn_clear(conn *c)
{
	sqlite3_finalize(c->ins);
	sqlite3_finalize(c->ins_sig);
	td__tok_free(&c->tok);
	free(c->mt);
	td__sig_free(&c->sig);
	free(c->blob);
	memset(c, 0, sizeof(*c));
}

/* The slot of db, claimed on first use; NULL when all slots are taken. */
static conn *conn_get(sqlite3 *db)
{
	conn *c = NULL;
	int i, slot = -1;

	pthread_mutex_lock(&conns.lock);
	for (i = 0; i < MAX_CONN && !c; i++) {
		if (conns.c[i].db == db)
			c = &conns.c[i];
		else if (!conns.c[i].db && slot < 0)
			slot = i;
	}
	if (!c && slot >= 0) {
		c = &conns.c[slot];
		c->db = db;
	}
	pthread_mutex_unlock(&conns.lock);
	return c;
}

void td__index_release(sqlite3 *db)
{
	int i;

	pthread_mutex_lock(&conns.lock);
	for (i = 0; i < MAX_CONN; i++) {
		if (conns.c[i].db == db)
			conn_clear(&conns.c[i]);
	}
	pthread_mutex_unlock(&conns.lock);
}

/*
 * The fingerprint blob of source (language lang) in c->blob, *len bytes;
 * *len = 0 when lang has no tokenizer (the unit then has no fingerprint and
 * lookups score it the slow way).
 */
static int fingerprint(conn *c, size_t *len, const char *lang, const char *source)
{
	const td_token *t;
	size_t n;
	double w;
	int rc;

	*len = 0;
	if (strcmp(c->lang, lang) != 0) {
		size_t ll = strlen(lang);

		/* Cut to the buffer: a longer tag has no tokenizer anyway. memcpy
		 * and not snprintf, which gcc -O2 with UBSan warns is given NULL. */
		if (ll >= sizeof(c->lang))
			ll = sizeof(c->lang) - 1;
		memcpy(c->lang, lang, ll);
		c->lang[ll] = '\0';
		c->tk_failed = 0;
		if (strlen(lang) >= sizeof(c->lang) || td__tok_get(&c->tk, &c->tok, lang) < 0) {
			td_error_clear();
			c->tk_failed = 1;
		}
	}
	if (c->tk_failed)
		return 0;
	rc = td_tokenizer_run(&t, &n, c->tk, source, strlen(source));
	if (rc == 0)
		rc = td__mtoks(&c->mt, &c->mtcap, &w, t, n);
	if (rc == 0)
		rc = td__sig_make(&c->sig, c->mt, n);
	if (rc == 0)
		rc = td__sig_blob(&c->blob, &c->blobcap, len, &c->sig);
	return rc;
}

static int prepare(sqlite3 *db, sqlite3_stmt **st, const char *sql)
{
	if (*st)
		return 0;
	if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL) != SQLITE_OK)
		return TD_EDB;
	return 0;
}

static int step_done(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_DONE ? 0 : TD_EDB;
}

static int index_add(conn *c, sqlite3_int64 unit_id, const char *src_lang, const char *source,
	const char *target)
{
	size_t len = 0;
	int rc = prepare(c->db, &c->ins, "INSERT INTO td_concord(rowid, source, target) VALUES (?1, ?2, ?3)");

	if (rc == 0)
		rc = prepare(c->db, &c->ins_sig, "INSERT INTO td_sig(id, sig) VALUES (?1, ?2)");
	if (rc < 0)
		return td_error_set(TD_EDB, "indexing unit %lld: %s", (long long)unit_id, sqlite3_errmsg(c->db));
	sqlite3_bind_int64(c->ins, 1, unit_id);
	sqlite3_bind_text(c->ins, 2, source, -1, SQLITE_STATIC);
	sqlite3_bind_text(c->ins, 3, target, -1, SQLITE_STATIC);
	if (step_done(c->ins) < 0)
		return td_error_set(TD_EDB, "indexing unit %lld: %s", (long long)unit_id, sqlite3_errmsg(c->db));
	rc = fingerprint(c, &len, src_lang, source);
	if (rc < 0 || len == 0)
		return rc;
	sqlite3_bind_int64(c->ins_sig, 1, unit_id);
	sqlite3_bind_blob(c->ins_sig, 2, c->blob, (int)len, SQLITE_STATIC);
	if (step_done(c->ins_sig) < 0)
		return td_error_set(TD_EDB, "fingerprinting unit %lld: %s", (long long)unit_id, sqlite3_errmsg(c->db));
	return 0;
}

int td__index_add(sqlite3 *db, sqlite3_int64 unit_id, const char *src_lang,
	const char *tgt_lang, const char *source, const char *target)
{
	conn tmp, *c = conn_get(db);
	int rc;

	(void)tgt_lang;
	if (c)
		return index_add(c, unit_id, src_lang, source, target);
	memset(&tmp, 0, sizeof(tmp));
	tmp.db = db;
	rc = index_add(&tmp, unit_id, src_lang, source, target);
	conn_clear(&tmp);
	return rc;
}

/* SQL td_sig(lang, text): the fingerprint blob, NULL without a tokenizer for lang. */
static void sql_sig(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *lang = (const char *)sqlite3_value_text(argv[0]);
	const char *text = (const char *)sqlite3_value_text(argv[1]);
	sqlite3 *db = sqlite3_context_db_handle(ctx);
	conn tmp, *c = conn_get(db);
	size_t len = 0;
	int rc;

	(void)argc;
	if (!lang || !text) {
		sqlite3_result_null(ctx);
		return;
	}
	if (!c) {
		memset(&tmp, 0, sizeof(tmp));
		tmp.db = db;
	}
	rc = fingerprint(c ? c : &tmp, &len, lang, text);
	if (rc < 0)
		sqlite3_result_error(ctx, td_error_last(), -1);
	else if (len == 0)
		sqlite3_result_null(ctx);
	else
		sqlite3_result_blob(ctx, (c ? c : &tmp)->blob, (int)len, SQLITE_TRANSIENT);
	if (!c)
		conn_clear(&tmp);
}

int td__index_register(sqlite3 *db)
{
	if (sqlite3_create_function(db, "td_sig", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, sql_sig,
			NULL, NULL) != SQLITE_OK)
		return td_error_set(TD_EDB, "registering td_sig: %s", sqlite3_errmsg(db));
	return 0;
}
