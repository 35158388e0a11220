/*
 * The fuzzy-candidate and concordance indexes (model in memory/index.h).
 */
#include "index.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "tandem/error.h"

static const char schema_sql[] =
	"CREATE VIRTUAL TABLE IF NOT EXISTS td_fuzzy USING fts5("
	"  k, content='', detail=none, columnsize=0, tokenize='ascii');"
	"CREATE VIEW IF NOT EXISTS td_concord_text AS"
	"  SELECT id, source, target FROM unit;"
	"CREATE VIRTUAL TABLE IF NOT EXISTS td_concord USING fts5("
	"  source, target, content='td_concord_text', content_rowid='id',"
	"  tokenize='unicode61 remove_diacritics 2');";

int td__index_schema(sqlite3 *db)
{
	char *msg = NULL;

	if (sqlite3_exec(db, schema_sql, NULL, NULL, &msg) != SQLITE_OK) {
		int rc = td_error_set(TD_EDB, "creating the lookup indexes: %s",
			msg ? msg : sqlite3_errmsg(db));
		sqlite3_free(msg);
		return rc;
	}
	return 0;
}

/*
 * The hash only has to spread tokens over posting lists; a collision merely
 * adds candidates that the exact scoring then rejects.
 */
void td__index_key(char out[TD__KEY_SIZE], const char *lang, const char *norm, size_t len)
{
	static const char digits[] = "abcdefghijklmnopqrstuvwxyz234567";
	char tag[8];
	size_t n = td__lang_primary_len(lang), i;
	unsigned long long h;

	if (n >= sizeof(tag))
		n = sizeof(tag) - 1;
	for (i = 0; i < n; i++)
		tag[i] = (lang[i] >= 'A' && lang[i] <= 'Z') ? (char)(lang[i] - 'A' + 'a') : lang[i];
	tag[n++] = 0x1f;
	h = td__hash(td__hash(TD__HASH_SEED, tag, n), norm, len);
	for (i = 0; i < TD__KEY_SIZE - 1; i++) {
		out[i] = digits[h & 31];
		h >>= 5;
	}
	out[TD__KEY_SIZE - 1] = '\0';
}

/*
 * Tokenizers are costly to open (ICU break iterator), and td__index_add is
 * called once per unit during imports of millions of units, so a few are
 * kept per process, one per language, handed out under a lock.
 */
#define POOL_SIZE 8
static struct {
	pthread_mutex_t lock;
	struct { char lang[8]; td_tokenizer *t; } slot[POOL_SIZE];
} pool = { PTHREAD_MUTEX_INITIALIZER, { { "", NULL } } };

static int toks_take(td_tokenizer **out, const char *lang)
{
	size_t n = td__lang_primary_len(lang), i;

	*out = NULL;
	if (n > 0 && n < sizeof(pool.slot[0].lang)) {
		pthread_mutex_lock(&pool.lock);
		for (i = 0; i < POOL_SIZE; i++) {
			if (pool.slot[i].t && strlen(pool.slot[i].lang) == n &&
			    strncmp(pool.slot[i].lang, lang, n) == 0) {
				*out = pool.slot[i].t;
				pool.slot[i].t = NULL;
				break;
			}
		}
		pthread_mutex_unlock(&pool.lock);
		if (*out)
			return 0;
	}
	return td_tokenizer_new(out, lang);
}

static void toks_give(td_tokenizer *t, const char *lang)
{
	size_t n = td__lang_primary_len(lang), i;

	if (n > 0 && n < sizeof(pool.slot[0].lang)) {
		pthread_mutex_lock(&pool.lock);
		for (i = 0; i < POOL_SIZE; i++) {
			if (!pool.slot[i].t) {
				memcpy(pool.slot[i].lang, lang, n);
				pool.slot[i].lang[n] = '\0';
				pool.slot[i].t = t;
				t = NULL;
				break;
			}
		}
		pthread_mutex_unlock(&pool.lock);
	}
	td_tokenizer_free(t);
}

static int keys_of(char **out, td_tokenizer *t, const char *lang, const char *text)
{
	const td_token *tok;
	size_t n, i, len = 0;
	char *buf;
	int rc;

	*out = NULL;
	rc = td_tokenize(t, &tok, &n, text, strlen(text));
	if (rc < 0)
		return rc;
	buf = malloc(n * TD__KEY_SIZE + 1);
	if (!buf)
		return td_error_set(TD_ENOMEM, "index: out of memory");
	for (i = 0; i < n; i++) {
		if (tok[i].kind == TD_TOK_PUNCT)
			continue;
		td__index_key(buf + len, lang, tok[i].norm, strlen(tok[i].norm));
		len += TD__KEY_SIZE - 1;
		buf[len++] = ' ';
	}
	buf[len] = '\0';
	*out = buf;
	return 0;
}

static int exec_bound(sqlite3 *db, const char *sql, sqlite3_int64 id, const char *a, const char *b)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v3(db, sql, -1, 0, &st, NULL);

	if (rc == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_text(st, 2, a, -1, SQLITE_STATIC);
		if (b)
			sqlite3_bind_text(st, 3, b, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return td_error_set(TD_EDB, "indexing unit %lld: %s", (long long)id, sqlite3_errmsg(db));
	return 0;
}

int td__index_add(sqlite3 *db, sqlite3_int64 unit_id, const char *src_lang,
	const char *tgt_lang, const char *source, const char *target)
{
	td_tokenizer *t = NULL;
	char *keys = NULL;
	int rc;

	(void)tgt_lang;
	rc = toks_take(&t, src_lang);
	if (rc < 0)
		goto cleanup;
	rc = keys_of(&keys, t, src_lang, source);
	if (rc < 0)
		goto cleanup;
	rc = exec_bound(db, "INSERT INTO td_fuzzy(rowid, k) VALUES (?1, ?2)", unit_id, keys, NULL);
	if (rc < 0)
		goto cleanup;
	rc = exec_bound(db, "INSERT INTO td_concord(rowid, source, target) VALUES (?1, ?2, ?3)",
		unit_id, source, target);
cleanup:
	if (t)
		toks_give(t, src_lang);
	free(keys);
	return rc;
}
