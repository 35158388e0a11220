/*
 * The TM's word model: counts gathered by writers, read by term alignment
 * (model in memory/wordmodel.h). The counts of a transaction are kept in an
 * open-addressing table of 64-bit keys (libxml2's hash takes strings and
 * would allocate a key per pair; a flush adds a few hundred thousand counts
 * in key order, which SQLite's B-tree takes fastest).
 */
#include "wordmodel.h"

#include <stdlib.h>
#include <string.h>

#include "index.h"
#include "tokenizers.h"
#include "tandem/error.h"

#define WM_RECORD 16   /* bytes of one (key, count) record in a log blob */

/* ---- a table of 64-bit keys and counts ---- */

typedef struct {
	int64_t *k;      /* 0: empty slot (keys are never 0) */
	int64_t *v;
	size_t cap, n;   /* cap a power of two */
} ktab;

static void ktab_free(ktab *t)
{
	free(t->k);
	free(t->v);
	memset(t, 0, sizeof(*t));
}

static size_t ktab_slot(const ktab *t, int64_t key)
{
	size_t i = (size_t)((uint64_t)key * 0x9e3779b97f4a7c15ull >> 20) & (t->cap - 1);

	while (t->k[i] && t->k[i] != key)
		i = (i + 1) & (t->cap - 1);
	return i;
}

static int ktab_grow(ktab *t)
{
	ktab g = { NULL, NULL, t->cap ? 2 * t->cap : 1024, 0 };
	size_t i;

	g.k = calloc(g.cap, sizeof(*g.k));
	g.v = calloc(g.cap, sizeof(*g.v));
	if (!g.k || !g.v) {
		ktab_free(&g);
		return td_error_set(TD_ENOMEM, "word model: out of memory");
	}
	for (i = 0; i < t->cap; i++) {
		if (t->k[i]) {
			size_t j = ktab_slot(&g, t->k[i]);
			g.k[j] = t->k[i];
			g.v[j] = t->v[i];
			g.n++;
		}
	}
	ktab_free(t);
	*t = g;
	return 0;
}

/* The count slot of key (created at 0); NULL when out of memory. */
static int64_t *ktab_at(ktab *t, int64_t key, int *found)
{
	size_t i;

	if (2 * (t->n + 1) > t->cap && ktab_grow(t) < 0)
		return NULL;
	i = ktab_slot(t, key);
	*found = t->k[i] != 0;
	if (!t->k[i]) {
		t->k[i] = key;
		t->v[i] = 0;
		t->n++;
	}
	return &t->v[i];
}

static void ktab_clear(ktab *t)
{
	if (t->k)
		memset(t->k, 0, t->cap * sizeof(*t->k));
	t->n = 0;
}

/* ---- keys ---- */

static uint64_t hstr(uint64_t h, const char *s)
{
	return td__hash(h, s, strlen(s) + 1);   /* the NUL separates fields */
}

static int64_t finish(uint64_t h)
{
	int64_t k = (int64_t)(h & 0x7fffffffffffffffull);

	return k ? k : 1;
}

int64_t td__wm_key_units(const char *sl, const char *tl, int counted)
{
	return finish(hstr(hstr(hstr(TD__HASH_SEED, counted ? "u" : "U"), sl), tl));
}

int64_t td__wm_key_word(const char *sl, const char *tl, int side, const char *stem)
{
	return finish(hstr(hstr(hstr(hstr(TD__HASH_SEED, side ? "wt" : "ws"), sl), tl), stem));
}

int64_t td__wm_key_pair(const char *sl, const char *tl, const char *s, const char *t)
{
	return finish(hstr(hstr(hstr(hstr(hstr(TD__HASH_SEED, "p"), sl), tl), s), t));
}

int td__wm_schema(sqlite3 *db)
{
	char *msg = NULL;

	if (sqlite3_exec(db, "CREATE TABLE IF NOT EXISTS td_wordmodel (h INTEGER PRIMARY KEY, n INTEGER NOT NULL);"
		"CREATE TABLE IF NOT EXISTS td_wordmodel_log (id INTEGER PRIMARY KEY, kv BLOB NOT NULL)",
		NULL, NULL, &msg) != SQLITE_OK) {
		int rc = td_error_set(TD_EDB, "creating the word model: %s", msg ? msg : "?");
		sqlite3_free(msg);
		return rc;
	}
	return 0;
}

/* ---- writing ---- */

struct td__wm_writer {
	ktab counts;
	td__tok tk[2];
	int64_t counted;        /* counted units of the pair below (stored + gathered) */
	char pair[2][64];       /* the pair `counted` is for; "" none */
	int64_t *pairs;         /* one unit's pair keys */
	size_t npairs, pcap;
};

int td__wm_writer_new(td__wm_writer **out)
{
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : td_error_set(TD_ENOMEM, "word model: out of memory");
}

void td__wm_writer_free(td__wm_writer *w)
{
	if (!w)
		return;
	ktab_free(&w->counts);
	td__tok_free(&w->tk[0]);
	td__tok_free(&w->tk[1]);
	free(w->pairs);
	free(w);
}

static int add(td__wm_writer *w, int64_t key, int64_t n)
{
	int found;
	int64_t *v = ktab_at(&w->counts, key, &found);

	if (!v)
		return td_error_set(TD_ENOMEM, "word model: out of memory");
	*v += n;
	return 0;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

static int content(const td_token *t)
{
	return t->kind == TD_TOK_WORD && !t->stop;
}

void td__wm_count_tokens(td__wm_writer *w, const char *sl, const char *tl,
	const td_token *s, size_t ns, const td_token *t, size_t nt)
{
	size_t i, j, k;

	w->npairs = 0;
	for (i = 0; i < ns; i++) {
		double x = (i + 0.5) / (double)ns;
		if (!content(&s[i]))
			continue;
		for (j = 0; j < nt; j++) {
			double y = (j + 0.5) / (double)nt, d = x > y ? x - y : y - x;
			if (!content(&t[j]) || d > TD__WM_WINDOW)
				continue;
			if (td_grow((void **)&w->pairs, &w->pcap, w->npairs + 1, sizeof(*w->pairs)) < 0)
				return;
			w->pairs[w->npairs++] = td__wm_key_pair(sl, tl, s[i].stem, t[j].stem);
		}
	}
	/* Words: each distinct stem once per unit (pairs below are sorted and deduplicated). */
	for (k = 0; k < 2; k++) {
		const td_token *v = k ? t : s;
		size_t n = k ? nt : ns;
		for (i = 0; i < n; i++) {
			if (!content(&v[i]))
				continue;
			for (j = 0; j < i; j++)
				if (content(&v[j]) && strcmp(v[j].stem, v[i].stem) == 0)
					break;
			if (j == i && add(w, td__wm_key_word(sl, tl, (int)k, v[i].stem), 1) < 0)
				return;
		}
	}
	if (w->npairs)  /* pairs is NULL until the first pair */
		qsort(w->pairs, w->npairs, sizeof(*w->pairs), cmp_i64);
	for (i = 0; i < w->npairs; i++)
		if ((i == 0 || w->pairs[i] != w->pairs[i - 1]) && add(w, w->pairs[i], 1) < 0)
			return;
	add(w, td__wm_key_units(sl, tl, 1), 1);
}

static int64_t stored(sqlite3 *db, int64_t key)
{
	sqlite3_stmt *st = NULL;
	int64_t n = 0;

	if (sqlite3_prepare_v2(db, "SELECT n FROM td_wordmodel WHERE h = ?1", -1, &st, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_int64(st, 1, key);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

int td__wm_add_unit(td__wm_writer *w, sqlite3 *db, const char *sl, const char *tl,
	const char *src, const char *tgt, int64_t key)
{
	const td_token *s, *t;
	td_tokenizer *tks, *tkt;
	size_t ns, nt;
	int rc;

	rc = add(w, td__wm_key_units(sl, tl, 0), 1);
	if (rc < 0)
		return rc;
	if (strcmp(w->pair[0], sl) != 0 || strcmp(w->pair[1], tl) != 0) {
		int found;
		int64_t *pending = ktab_at(&w->counts, td__wm_key_units(sl, tl, 1), &found);
		if (!pending)
			return td_error_set(TD_ENOMEM, "word model: out of memory");
		w->counted = stored(db, td__wm_key_units(sl, tl, 1)) + *pending;
		if (strlen(sl) >= sizeof(w->pair[0]) || strlen(tl) >= sizeof(w->pair[1]))
			return td_error_set(TD_EINVAL, "word model: language tag too long");
		strcpy(w->pair[0], sl);
		strcpy(w->pair[1], tl);
	}
	if (w->counted >= TD__WM_FULL && (uint64_t)key % TD__WM_RATE != 0)
		return 0;
	/* A language without a tokenizer has no model: its units are simply not counted. */
	if (td__tok_get(&tks, &w->tk[0], sl) < 0 || td__tok_get(&tkt, &w->tk[1], tl) < 0) {
		td_error_clear();
		return 0;
	}
	rc = td_tokenizer_run(&s, &ns, tks, src, strlen(src));
	if (rc < 0)
		return rc;
	/* The target's tokens live in the other tokenizer's arena: both stay valid. */
	rc = td_tokenizer_run(&t, &nt, tkt, tgt, strlen(tgt));
	if (rc < 0)
		return rc;
	td__wm_count_tokens(w, sl, tl, s, ns, t, nt);
	w->counted++;
	return 0;
}

/* The bytes of the log's blobs (0 when empty), or -1 when the TM has no log table. */
static int64_t log_bytes(sqlite3 *db)
{
	sqlite3_stmt *st = NULL;
	int64_t n = -1;

	if (sqlite3_prepare_v2(db, "SELECT total(length(kv)) FROM td_wordmodel_log", -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		n = (int64_t)sqlite3_column_double(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* A log blob is (key, count) records of 16 bytes, little-endian, keys ascending. */
static void put64(unsigned char *p, int64_t v)
{
	uint64_t u = (uint64_t)v;
	int i;

	for (i = 0; i < 8; i++)
		p[i] = (unsigned char)(u >> (8 * i));
}

static int64_t get64(const unsigned char *p)
{
	uint64_t u = 0;
	int i;

	for (i = 0; i < 8; i++)
		u |= (uint64_t)p[i] << (8 * i);
	return (int64_t)u;
}

/* Add every record of the log to t. */
static int log_read(ktab *t, sqlite3 *db)
{
	sqlite3_stmt *st = NULL;
	int s, rc = 0;

	if (sqlite3_prepare_v2(db, "SELECT kv FROM td_wordmodel_log", -1, &st, NULL) != SQLITE_OK)
		return 0;   /* no log table: nothing logged */
	while (rc == 0 && (s = sqlite3_step(st)) == SQLITE_ROW) {
		const unsigned char *p = sqlite3_column_blob(st, 0);
		size_t i, n = (size_t)sqlite3_column_bytes(st, 0) / WM_RECORD;
		for (i = 0; i < n && rc == 0; i++) {
			int found;
			int64_t *v = ktab_at(t, get64(p + WM_RECORD * i), &found);
			if (!v)
				rc = td_error_set(TD_ENOMEM, "word model: out of memory");
			else
				*v += get64(p + WM_RECORD * i + 8);
		}
	}
	if (rc == 0 && s != SQLITE_DONE)
		rc = td_error_set(TD_EDB, "reading the word model's log: %s", sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return rc;
}

/* Append the m sorted (key, count) pairs kv as one blob of the log. */
static int log_append(sqlite3 *db, const int64_t *kv, size_t m)
{
	sqlite3_stmt *st = NULL;
	unsigned char *b = malloc(m * WM_RECORD);
	size_t i;
	int rc = 0;

	if (!b)
		return td_error_set(TD_ENOMEM, "word model: out of memory");
	for (i = 0; i < m; i++) {
		put64(b + WM_RECORD * i, kv[2 * i]);
		put64(b + WM_RECORD * i + 8, kv[2 * i + 1]);
	}
	if (sqlite3_prepare_v2(db, "INSERT INTO td_wordmodel_log (kv) VALUES (?1)", -1, &st, NULL) != SQLITE_OK
		|| sqlite3_bind_blob(st, 1, b, (int)(m * WM_RECORD), SQLITE_STATIC) != SQLITE_OK
		|| sqlite3_step(st) != SQLITE_DONE)
		rc = td_error_set(TD_EDB, "storing the word model: %s", sqlite3_errmsg(db));
	sqlite3_finalize(st);
	free(b);
	return rc;
}

/* Add the m sorted (key, count) pairs kv to the table, in key order. */
static int table_add(sqlite3 *db, const int64_t *kv, size_t m)
{
	sqlite3_stmt *st = NULL;
	size_t i;
	int rc = 0;

	if (sqlite3_prepare_v2(db, "INSERT INTO td_wordmodel (h, n) VALUES (?1, ?2) "
		"ON CONFLICT (h) DO UPDATE SET n = n + excluded.n", -1, &st, NULL) != SQLITE_OK)
		rc = td_error_set(TD_EDB, "storing the word model: %s", sqlite3_errmsg(db));
	for (i = 0; rc == 0 && i < m; i++) {
		sqlite3_bind_int64(st, 1, kv[2 * i]);
		sqlite3_bind_int64(st, 2, kv[2 * i + 1]);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = td_error_set(TD_EDB, "storing the word model: %s", sqlite3_errmsg(db));
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	return rc;
}

int td__wm_flush(td__wm_writer *w, sqlite3 *db)
{
	int64_t *kv = NULL, logged;
	size_t i, m = 0;
	int rc = 0, fold;

	if (!w || w->counts.n == 0)
		return 0;
	/*
	 * A small transaction's counts go to the log as one blob; when the log
	 * would pass TD__WM_LOG_BYTES (or the TM has no log), the log and the
	 * counts are folded into the table in key order and the log emptied.
	 */
	logged = log_bytes(db);
	fold = logged < 0 || logged + (int64_t)(w->counts.n * WM_RECORD) > TD__WM_LOG_BYTES;
	if (fold && logged > 0)
		rc = log_read(&w->counts, db);
	if (rc == 0 && !(kv = malloc(2 * w->counts.n * sizeof(*kv))))
		rc = td_error_set(TD_ENOMEM, "word model: out of memory");
	if (rc < 0) {
		td__wm_discard(w);
		return rc;
	}
	/* (key, value) pairs sorted by key. */
	for (i = 0; i < w->counts.cap; i++) {
		if (w->counts.k[i]) {
			kv[2 * m] = w->counts.k[i];
			kv[2 * m++ + 1] = w->counts.v[i];
		}
	}
	qsort(kv, m, 2 * sizeof(*kv), cmp_i64);
	if (!fold)
		rc = log_append(db, kv, m);
	else if ((rc = table_add(db, kv, m)) == 0 && logged > 0
		&& sqlite3_exec(db, "DELETE FROM td_wordmodel_log", NULL, NULL, NULL) != SQLITE_OK)
		rc = td_error_set(TD_EDB, "emptying the word model's log: %s", sqlite3_errmsg(db));
	free(kv);
	td__wm_discard(w);
	return rc;
}

void td__wm_discard(td__wm_writer *w)
{
	if (!w)
		return;
	ktab_clear(&w->counts);
	w->pair[0][0] = w->pair[1][0] = '\0';
}

/* ---- reading ---- */

struct td__wm_reader {
	sqlite3_stmt *st;   /* NULL: no model in this TM */
	ktab memo;          /* key -> count */
	ktab log;           /* the log's counts, summed per key */
	int log_read;       /* whether log holds the log as it is now */
};

int td__wm_reader_new(td__wm_reader **out, sqlite3 *db)
{
	td__wm_reader *r = calloc(1, sizeof(*r));

	if (!r)
		return td_error_set(TD_ENOMEM, "word model: out of memory");
	if (sqlite3_prepare_v3(db, "SELECT n FROM td_wordmodel WHERE h = ?1", -1, SQLITE_PREPARE_PERSISTENT,
		&r->st, NULL) != SQLITE_OK)
		r->st = NULL;
	*out = r;
	return 0;
}

void td__wm_reader_free(td__wm_reader *r)
{
	if (!r)
		return;
	sqlite3_finalize(r->st);
	ktab_free(&r->memo);
	ktab_free(&r->log);
	free(r);
}

void td__wm_reader_forget(td__wm_reader *r)
{
	ktab_clear(&r->memo);
	ktab_clear(&r->log);
	r->log_read = 0;
}

int td__wm_get(td__wm_reader *r, int64_t key, int64_t *out)
{
	int found, s;
	int64_t *v;

	*out = 0;
	if (!r->st)
		return 0;
	v = ktab_at(&r->memo, key, &found);
	if (!v)
		return td_error_set(TD_ENOMEM, "word model: out of memory");
	if (found) {
		*out = *v;
		return 0;
	}
	if (!r->log_read) {
		int rc = log_read(&r->log, sqlite3_db_handle(r->st));
		if (rc < 0)
			return rc;
		r->log_read = 1;
	}
	sqlite3_bind_int64(r->st, 1, key);
	s = sqlite3_step(r->st);
	if (s == SQLITE_ROW)
		*out = sqlite3_column_int64(r->st, 0);
	sqlite3_reset(r->st);
	if (s != SQLITE_ROW && s != SQLITE_DONE)
		return td_error_set(TD_EDB, "reading the word model: %s", sqlite3_errmsg(sqlite3_db_handle(r->st)));
	if (r->log.n) {
		size_t i = ktab_slot(&r->log, key);
		if (r->log.k[i])
			*out += r->log.v[i];
	}
	*v = *out;
	return 0;
}
