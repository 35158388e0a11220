/*
 * Fuzzy lookup over the TM's index (model in include/tandem/lookup.h).
 *
 * Invariants of a td_lookup: the entries of `slot` are all zero between queries
 * (only the ids listed in `touched` are ever set, and they are reset at the
 * end of each query); `freq` (hashes of words known to be frequent) is
 * sorted, so membership is a binary search.
 */
#include "tandem/lang.h"
#include "lookup_int.h"
#include "snapshot.h"
#include "tm_internal.h"
#include "base/opts.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#define MAX_KEYS 64          /* keys read per query: a 10,000-word query stays bounded */
#define CAP_MIN 2000         /* posting lists longer than max(CAP_MIN, units/CAP_DIV) are "frequent" */
#define CAP_DIV 200
#define ROW_BUDGET 12000     /* postings read per query before the remaining words are skipped */
#define AND_MIN 300          /* AND queries when the rare keys found fewer units than this */
#define AND_KEYS 3           /* frequent keys in an AND query, at most */
#define AND_LIMIT 300        /* units read per AND query */
#define DP_MAX 256           /* units scored exactly per query, at most */
#define SLOW_BASE_NS 300000  /* a posting list read in more CPU time than this */
#define SLOW_ROW_NS 800      /* plus this per row (6 times the usual) is kept (td__slowpost) */

static int db_error(td_lookup *lk, const char *what)
{
	return td_error_set(TD_EDB, "%s: %s: %s", lk->rd.path, what, sqlite3_errmsg(lk->rd.db));
}

static int prep(td_lookup *lk, sqlite3_stmt **st, const char *sql)
{
	if (sqlite3_prepare_v3(lk->rd.db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL) != SQLITE_OK)
		return td_error_set(TD_EFORMAT, "%s: not a tandem TM with lookup indexes (%s)",
			lk->rd.path, sqlite3_errmsg(lk->rd.db));
	return 0;
}

int td_lookup_open(td_lookup **out, const char *path)
{
	td_lookup *lk;
	int rc;

	*out = NULL;
	lk = calloc(1, sizeof(*lk));
	if (!lk)
		return td_error_set(TD_ENOMEM, "lookup: out of memory");
	rc = td__reader_open(&lk->rd, path, "lookup", 1);
	if (rc < 0)
		goto cleanup;
	lk->slow_base_ns = SLOW_BASE_NS;
	lk->slow_row_ns = SLOW_ROW_NS;
	/* A page cache big enough for the hot part of the indexes. */
	sqlite3_exec(lk->rd.db, "PRAGMA cache_size = -65536", NULL, NULL, NULL);
	/*
	 * A key's posting list is read whole or found frequent (longer than its
	 * limit, its rows unused), so its order does not matter, and FTS5 reads
	 * in rowid order without first walking to the end of each doclist; the
	 * AND queries keep the newest of their hits.
	 */
	rc = prep(lk, &lk->st_post, "SELECT rowid FROM td_concord WHERE td_concord MATCH ?1 LIMIT ?2");
	if (rc == 0)
		rc = prep(lk, &lk->st_newest,
			"SELECT rowid FROM td_concord WHERE td_concord MATCH ?1 ORDER BY rowid DESC LIMIT ?2");
	if (rc == 0)
		rc = prep(lk, &lk->st_unit,
			"SELECT src_lang, tgt_lang, source, target, created FROM unit WHERE id = ?1");
	if (rc == 0)
		rc = prep(lk, &lk->st_origin,
			"SELECT d.kind, d.src_name, d.tgt_name, p.position FROM provenance p"
			" JOIN document d ON d.id = p.document_id WHERE p.unit_id = ?1"
			" ORDER BY p.created, p.document_id LIMIT 1");
	if (rc == 0)
		rc = prep(lk, &lk->st_seen, "SELECT count(*) FROM provenance WHERE unit_id = ?1");
	if (rc == 0)
		rc = prep(lk, &lk->st_maxid, "SELECT max(id) FROM unit");
	if (rc == 0)
		rc = prep(lk, &lk->st_dver, "PRAGMA data_version");
	if (rc == 0)
		rc = prep(lk, &lk->st_scan, "SELECT id, src_lang, tgt_lang, source FROM unit");
	if (rc < 0)
		goto cleanup;
	/* A TM of schema 3 has no fingerprints: its candidates are scored the slow way. */
	lk->has_sig = sqlite3_table_column_metadata(lk->rd.db, "main", "td_sig", "sig", NULL, NULL, NULL,
		NULL, NULL) == SQLITE_OK;
	*out = lk;
	return 0;
cleanup:
	td_lookup_close(lk);
	return rc;
}

/*
 * Memory for the large arrays read at random (fingerprints, their offsets,
 * the slots per unit id): aligned to 2 MB and marked for transparent huge
 * pages where the system has them, so that a read at random does not also
 * walk the page tables (a million units: 40 MB of fingerprints). free()
 * releases it.
 */
static void *huge_alloc(size_t bytes)
{
	const size_t huge = (size_t)2 << 20;
	void *p = NULL;

	if (bytes < huge)
		return malloc(bytes ? bytes : 1);
	bytes = (bytes + huge - 1) / huge * huge;
	if (posix_memalign(&p, huge, bytes) != 0)
		return NULL;
#ifdef MADV_HUGEPAGE
	madvise(p, bytes, MADV_HUGEPAGE);   /* advice only: without it the pages are small */
#endif
	return p;
}

/* Free what one match owns (its strings and diff), not the match itself. */
static void match_release(const td_lookup_match *m)
{
	free((char *)m->src_lang);
	free((char *)m->tgt_lang);
	free((char *)m->source);
	free((char *)m->target);
	free((char *)m->origin.kind);
	free((char *)m->origin.src_name);
	free((char *)m->origin.tgt_name);
	free((void *)m->diff);
}

static void free_matches(td_lookup *lk)
{
	size_t i;

	for (i = 0; i < lk->nm; i++)
		match_release(&lk->m[i]);
	lk->nm = 0;
}

static void slow_clear(td_lookup *lk)
{
	size_t i;

	for (i = 0; i < lk->nslow; i++) {
		free(lk->slow[i].match);
		free(lk->slow[i].ids);
	}
	lk->nslow = 0;
	lk->slownext = 0;
}

void td_lookup_close(td_lookup *lk)
{
	if (!lk)
		return;
	free_matches(lk);
	td__concord_free(lk);
	sqlite3_finalize(lk->st_post);
	sqlite3_finalize(lk->st_newest);
	sqlite3_finalize(lk->st_unit);
	sqlite3_finalize(lk->st_origin);
	sqlite3_finalize(lk->st_seen);
	sqlite3_finalize(lk->st_maxid);
	sqlite3_finalize(lk->st_scan);
	sqlite3_finalize(lk->st_dver);
	sqlite3_finalize(lk->st_pair);
	slow_clear(lk);
	td__reader_close(&lk->rd);
	td__dp_free(&lk->dp);
	free(lk->m);
	free(lk->slot);
	td__sig_free(&lk->qsig);
	free(lk->sigbuf);
	if (!lk->sigs_shared) {
		free(lk->sigs);
		free(lk->sigoff);
	}
	free(lk->touched);
	free(lk->freq);
	free(lk->ids);
	free(lk->top);
	free(lk);
}

int td_lookup_preload(td_lookup *lk)
{
	sqlite3_stmt *st = NULL;
	unsigned char *sigs = NULL;
	size_t *off = NULL, len = 0, cap = 0;
	int64_t max = 0, next = 0;
	int rc;

	if (!lk->has_sig || lk->sigs)
		return 0;
	if (sqlite3_prepare_v2(lk->rd.db, "SELECT max(id) FROM td_sig", -1, &st, NULL) != SQLITE_OK)
		return db_error(lk, "loading fingerprints");
	if (sqlite3_step(st) == SQLITE_ROW)
		max = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	st = NULL;
	if (max <= 0)
		return 0;
	off = huge_alloc(((size_t)max + 2) * sizeof(*off));
	if (!off)
		return td_error_set(TD_ENOMEM, "lookup: out of memory loading fingerprints");
	if (sqlite3_prepare_v2(lk->rd.db, "SELECT id, sig FROM td_sig WHERE id <= ?1 ORDER BY id", -1, &st,
			NULL) != SQLITE_OK) {
		rc = db_error(lk, "loading fingerprints");
		goto cleanup;
	}
	sqlite3_bind_int64(st, 1, max);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		const void *b = sqlite3_column_blob(st, 1);
		size_t n = (size_t)sqlite3_column_bytes(st, 1);
		if (id < next || id > max)
			continue;
		while (next <= id)
			off[next++] = len;   /* ids without a fingerprint get an empty one */
		if (td_grow((void **)&sigs, &cap, len + n + 1, 1) < 0) {
			rc = TD_ENOMEM;
			goto cleanup;
		}
		if (n)
			memcpy(sigs + len, b, n);
		len += n;
	}
	if (rc != SQLITE_DONE) {
		rc = db_error(lk, "loading fingerprints");
		goto cleanup;
	}
	while (next <= max + 1)
		off[next++] = len;
	/* Into memory read at random: a copy with large pages. */
	lk->sigs = huge_alloc(len + 1);
	if (!lk->sigs) {
		rc = td_error_set(TD_ENOMEM, "lookup: out of memory loading fingerprints");
		goto cleanup;
	}
	if (len)
		memcpy(lk->sigs, sigs, len);
	lk->sigoff = off;
	lk->sigmax = max;
	off = NULL;
	rc = 0;
cleanup:
	sqlite3_finalize(st);
	free(sigs);
	free(off);
	return rc;
}

void td_lookup_share_preload(td_lookup *lk, const td_lookup *from)
{
	assert(lk && from && lk != from);
	if (lk->sigs || !from->sigs)
		return;
	lk->sigs = from->sigs;
	lk->sigoff = from->sigoff;
	lk->sigmax = from->sigmax;
	lk->sigs_shared = 1;
}

/*
 * The stored language pair after (src, tgt) in (src_lang, tgt_lang) order, or
 * the first one when src is NULL: one step of a skip scan over the index
 * unit_langs, so that listing the pairs does not read every unit. *st is
 * prepared on first use; 1 with the pair in a/b, 0 after the last, < 0 on error.
 */
static int next_pair(td_lookup *lk, sqlite3_stmt **st, const char *src, const char *tgt, char *a,
	char *b, size_t n)
{
	int rc;

	/*
	 * The next target language of the same source, else the first pair of
	 * the next source: two index seeks (a row-value comparison would scan
	 * every unit of the source). Without a previous pair: '' sorts first.
	 */
	if (!*st && sqlite3_prepare_v2(lk->rd.db,
			"SELECT * FROM (SELECT src_lang, tgt_lang FROM unit WHERE src_lang = ?1 AND tgt_lang > ?2"
			"  ORDER BY tgt_lang LIMIT 1) UNION ALL"
			" SELECT * FROM (SELECT src_lang, tgt_lang FROM unit WHERE src_lang > ?1"
			"  ORDER BY src_lang, tgt_lang LIMIT 1) LIMIT 1", -1, st, NULL) != SQLITE_OK)
		return db_error(lk, "listing language pairs");
	sqlite3_bind_text(*st, 1, src ? src : "", -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(*st, 2, src ? tgt : "", -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(*st);
	if (rc == SQLITE_ROW) {
		snprintf(a, n, "%s", (const char *)sqlite3_column_text(*st, 0));
		snprintf(b, n, "%s", (const char *)sqlite3_column_text(*st, 1));
	}
	sqlite3_reset(*st);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : db_error(lk, "listing language pairs");
}

int td_lookup_default_pair(char *src, char *tgt, size_t n, td_lookup *lk)
{
	sqlite3_stmt *st = NULL;
	char a[256], b[256], *pairs = NULL;
	int rc = next_pair(lk, &st, NULL, NULL, a, b, sizeof(a));

	if (rc == 0)
		rc = td_error_set(TD_ENOTFOUND, "%s: the TM is empty", lk->rd.path);
	if (rc == 1)
		rc = next_pair(lk, &st, a, b, a, b, sizeof(a));
	sqlite3_finalize(st);
	if (rc == 0) {
		/* One pair: read it again from the start (a/b were not overwritten by the failed step). */
		st = NULL;
		rc = next_pair(lk, &st, NULL, NULL, src, tgt, n);
		sqlite3_finalize(st);
		return rc == 1 ? 0 : rc;
	}
	if (rc == 1) {
		rc = td_lookup_pairs(&pairs, lk);
		if (rc == 0)
			rc = td_error_set(TD_EINVAL, "%s holds several language pairs (%s), none was chosen",
				lk->rd.path, pairs);
		free(pairs);
	}
	return rc;
}

int td_lookup_has_pair(int *out, td_lookup *lk, const char *src_lang, const char *tgt_lang)
{
	sqlite3_stmt *st;
	int rc;

	*out = 0;
	/*
	 * Ranges rather than LIKE, so that the UNIQUE index starting with the
	 * languages serves. Prepared once: a server asks before every lookup.
	 */
	if (!lk->st_pair && sqlite3_prepare_v3(lk->rd.db,
			"SELECT 1 FROM unit WHERE (src_lang = ?1 OR (src_lang > ?1 || '-' AND src_lang < ?1 || '.'))"
			" AND (tgt_lang = ?2 OR (tgt_lang > ?2 || '-' AND tgt_lang < ?2 || '.')) LIMIT 1",
			-1, SQLITE_PREPARE_PERSISTENT, &lk->st_pair, NULL) != SQLITE_OK)
		return db_error(lk, "looking for a language pair");
	st = lk->st_pair;
	sqlite3_bind_text(st, 1, src_lang, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, tgt_lang, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = 1;
	rc = (rc == SQLITE_ROW || rc == SQLITE_DONE) ? 0 : db_error(lk, "looking for a language pair");
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc;
}

int td_lookup_pairs(char **out, td_lookup *lk)
{
	sqlite3_stmt *st = NULL;
	char *buf = NULL, a[256] = "", b[256] = "";
	size_t len = 0, cap = 0;
	int rc, first = 1;

	*out = NULL;
	while ((rc = next_pair(lk, &st, first ? NULL : a, b, a, b, sizeof(a))) == 1) {
		size_t need = len + strlen(a) + strlen(b) + 8;
		first = 0;
		if (td_grow((void **)&buf, &cap, need, 1) < 0) {
			rc = TD_ENOMEM;
			break;
		}
		len += (size_t)sprintf(buf + len, "%s%s -> %s", len ? ", " : "", a, b);
	}
	sqlite3_finalize(st);
	if (rc < 0) {
		free(buf);
		return rc;
	}
	*out = buf ? buf : td__strdup("");
	return *out ? 0 : td_error_set(TD_ENOMEM, "lookup: out of memory");
}

static int check_opts(const td_lookup_opts *o)
{
	if (!o->src_lang || !*o->src_lang || !o->tgt_lang || !*o->tgt_lang)
		return td_error_set(TD_EINVAL, "lookup: source and target language are required");
	if (!(o->min >= 0 && o->min <= 100))
		return td_error_set(TD_EINVAL, "lookup: minimum %.1f is not a percentage in 0..100", o->min);
	if (o->max == 0)
		return td_error_set(TD_EINVAL, "lookup: at least one match must be asked for");
	return 0;
}

/* ---- the best few: a small array kept sorted, best first ---- */

static int top_before(const td__scored *a, const td__scored *b)
{
	if (a->score != b->score)
		return a->score > b->score;
	if (a->charsim != b->charsim)
		return a->charsim > b->charsim;
	return a->id > b->id;
}

static void top_offer(td__scored *top, size_t *n, size_t max, td__scored s)
{
	size_t i;

	if (*n == max && !top_before(&s, &top[max - 1]))
		return;
	i = *n < max ? (*n)++ : max - 1;
	while (i > 0 && top_before(&s, &top[i - 1])) {
		top[i] = top[i - 1];
		i--;
	}
	top[i] = s;
}

/* The score a newcomer must reach to enter: min, or the worst of a full list. */
static double top_floor(const td__scored *top, size_t n, size_t max, double min)
{
	if (n == max && top[max - 1].score > min)
		return top[max - 1].score;
	return min;
}

/* ---- candidates from the index ---- */

static int hash_cmp(const void *a, const void *b)
{
	unsigned long long x = *(const unsigned long long *)a, y = *(const unsigned long long *)b;

	return (x > y) - (x < y);
}

static int is_frequent(const td_lookup *lk, unsigned long long h)
{
	return lk->nfreq && bsearch(&h, lk->freq, lk->nfreq, sizeof(h), hash_cmp) != NULL;
}

static int add_frequent(td_lookup *lk, unsigned long long h)
{
	size_t i;
	int rc = td_grow((void **)&lk->freq, &lk->freqcap, lk->nfreq + 1, sizeof(h));

	if (rc < 0)
		return rc;
	for (i = lk->nfreq; i > 0 && lk->freq[i - 1] > h; i--)
		lk->freq[i] = lk->freq[i - 1];
	lk->freq[i] = h;
	lk->nfreq++;
	return 0;
}

/*
 * Make room for the ids of the last posting-list read (lk->ids): slots up to
 * the largest (new ones zero), and as many more touched entries.
 */
static int ensure_room(td_lookup *lk)
{
	size_t need = 0, i;

	for (i = 0; i < lk->nids; i++)
		if (lk->ids[i] >= 0 && (size_t)lk->ids[i] >= need)
			need = (size_t)lk->ids[i] + 1;
	if (need > lk->slotcap) {
		uint32_t *sl;
		if (need < 2 * lk->slotcap)
			need = 2 * lk->slotcap;
		sl = huge_alloc(need * sizeof(uint32_t));
		if (!sl)
			return td_error_set(TD_ENOMEM, "lookup: out of memory");
		if (lk->slotcap)
			memcpy(sl, lk->slot, lk->slotcap * sizeof(uint32_t));
		memset(sl + lk->slotcap, 0, (need - lk->slotcap) * sizeof(uint32_t));
		free(lk->slot);
		lk->slot = sl;
		lk->slotcap = need;
	}
	if (lk->ntouched + lk->nids > UINT32_MAX - 1)
		return td_error_set(TD_ELIMIT, "lookup: too many units found for one query");
	return td_grow((void **)&lk->touched, &lk->touchedcap, lk->ntouched + lk->nids + 1, sizeof(td__acc));
}

/* The entry of unit id (>= 0, within ensure_room), a zero one on its first touch. */
static td__acc *touch(td_lookup *lk, int64_t id)
{
	uint32_t *sl = &lk->slot[id];
	td__acc *a;

	if (*sl)
		return &lk->touched[*sl - 1];
	a = &lk->touched[lk->ntouched++];
	*sl = (uint32_t)lk->ntouched;
	memset(a, 0, sizeof(*a));
	a->id = id;
	return a;
}

/* Prefetch the slot of the posting k places ahead (the ids are scattered over the array). */
static void prefetch_slot(const td_lookup *lk, size_t j)
{
	if (j + 16 < lk->nids && lk->ids[j + 16] >= 0)
		__builtin_prefetch(&lk->slot[lk->ids[j + 16]]);
}

/* Read one FTS5 query's rowids (at most limit; st_newest: newest first) into lk->ids. */
static int postings(td_lookup *lk, sqlite3_stmt *st, const char *match, int64_t limit)
{
	int rc;

	lk->nids = 0;
	sqlite3_bind_text(st, 1, match, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, limit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (td_grow((void **)&lk->ids, &lk->idscap, lk->nids + 1, sizeof(int64_t)) < 0) {
			sqlite3_reset(st);
			return TD_ENOMEM;
		}
		lk->ids[lk->nids++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_error(lk, "reading the fuzzy index");
	return 0;
}

static int64_t thread_cpu_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
		return 0;
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/*
 * Forget the slow posting lists when another connection has committed since
 * they were read (inside the query's read transaction, so the lists read
 * next belong to the same state of the TM).
 */
static int slow_check(td_lookup *lk)
{
	int64_t v = 0;
	int rc = sqlite3_step(lk->st_dver);

	if (rc == SQLITE_ROW)
		v = sqlite3_column_int64(lk->st_dver, 0);
	sqlite3_reset(lk->st_dver);
	if (rc != SQLITE_ROW)
		return db_error(lk, "reading the TM's data version");
	if (v != lk->dver)
		slow_clear(lk);
	lk->dver = v;
	return 0;
}

/*
 * One key's posting list (at most limit rowids) into lk->ids: kept from an
 * earlier read when that was slow (td__slowpost), else read, and kept when
 * slow. The same rowids either way.
 */
static int key_postings(td_lookup *lk, const char *match, int64_t limit)
{
	td__slowpost *e;
	size_t i;
	int64_t t0;
	int rc;

	for (i = 0; i < lk->nslow; i++) {
		e = &lk->slow[i];
		if (e->limit == limit && strcmp(e->match, match) == 0) {
			if (td_grow((void **)&lk->ids, &lk->idscap, e->n ? e->n : 1, sizeof(int64_t)) < 0)
				return TD_ENOMEM;
			if (e->n)
				memcpy(lk->ids, e->ids, e->n * sizeof(int64_t));
			lk->nids = e->n;
			return 0;
		}
	}
	t0 = thread_cpu_ns();
	rc = postings(lk, lk->st_post, match, limit);
	if (rc < 0 || thread_cpu_ns() - t0 <= lk->slow_base_ns + lk->slow_row_ns * (int64_t)lk->nids)
		return rc;
	/* Slow: keep it, in place of the oldest kept when all places are taken. */
	if (lk->nslow < TD__SLOWPOST_MAX) {
		e = &lk->slow[lk->nslow++];
	} else {
		e = &lk->slow[lk->slownext];
		lk->slownext = (lk->slownext + 1) % TD__SLOWPOST_MAX;
		free(e->match);
		free(e->ids);
	}
	e->match = td__strdup(match);
	e->ids = malloc((lk->nids ? lk->nids : 1) * sizeof(int64_t));
	if (!e->match || !e->ids) {
		free(e->match);
		free(e->ids);
		*e = lk->slow[--lk->nslow];   /* not kept; the answer stands */
		if (lk->slownext > lk->nslow)
			lk->slownext = 0;
		return 0;
	}
	if (lk->nids)   /* an empty list may have no buffer yet */
		memcpy(e->ids, lk->ids, lk->nids * sizeof(int64_t));
	e->n = lk->nids;
	e->limit = limit;
	return 0;
}

/*
 * A word of the query: its case-folded hash (identity), its text as typed
 * (for FTS5), and its weight in the query (token weight times occurrences).
 */
typedef struct {
	unsigned long long h;
	const char *raw;
	size_t len;
	double w;
	int stop;
} qkey;

/* Reading order: content words before stop words, longer (rarer, as a rule) first. */
static int qkey_first(const void *a, const void *b)
{
	const qkey *x = a, *y = b;

	if (x->stop != y->stop)
		return x->stop - y->stop;
	return (x->len < y->len) - (x->len > y->len);
}

/*
 * The query's words and numbers, distinct by case-folded form, at most
 * MAX_KEYS, in reading order.
 */
static int query_keys(qkey **out, size_t *nout, const td_token *t, size_t n, const char *text)
{
	qkey *k = malloc((n ? n : 1) * sizeof(qkey));
	size_t nk = 0, i, j;

	*out = k;
	*nout = 0;
	if (!k)
		return td_error_set(TD_ENOMEM, "lookup: out of memory");
	for (i = 0; i < n; i++) {
		double w = t[i].kind == TD_TOK_NUMBER ? 0.5 : 1.0;
		if (t[i].kind == TD_TOK_PUNCT)
			continue;
		k[nk].h = td__hash(TD__HASH_SEED, t[i].norm, strlen(t[i].norm));
		k[nk].raw = text + t[i].start;
		k[nk].len = t[i].end - t[i].start;
		k[nk].w = w;
		k[nk].stop = t[i].stop;
		for (j = 0; j < nk && k[j].h != k[nk].h; j++)
			;
		if (j == nk)
			nk++;
		else
			k[j].w += w;
	}
	qsort(k, nk, sizeof(qkey), qkey_first);
	if (nk > MAX_KEYS)
		nk = MAX_KEYS;
	*nout = nk;
	return 0;
}

/* Append the FTS5 phrase "word" (inner quotes doubled) to buf at *len. */
static void put_phrase(char *buf, size_t *len, const qkey *k)
{
	size_t i;

	buf[(*len)++] = '"';
	for (i = 0; i < k->len; i++) {
		if (k->raw[i] == '"')
			buf[(*len)++] = '"';
		buf[(*len)++] = k->raw[i];
	}
	buf[(*len)++] = '"';
	buf[*len] = '\0';
}

/* FTS5 query on the source column: one word, or all frequent words but `skip`. */
static void key_query(char *buf, const qkey *const *f, size_t n, size_t skip)
{
	size_t i, len = 0;

	memcpy(buf, "source : (", 10);
	len = 10;
	for (i = 0; i < n; i++) {
		if (i == skip)
			continue;
		put_phrase(buf, &len, f[i]);
		buf[len++] = ' ';
	}
	buf[len++] = ')';
	buf[len] = '\0';
}

/* A candidate: w = its rank from the index, ub = the fingerprint's bound of its score. */
typedef struct { double w, ub; int64_t id; } cand;

/* Lower rank: less weight, then older (a total order: ids are unique). */
static int cand_lighter(const cand *x, const cand *y)
{
	return x->w < y->w || (x->w == y->w && x->id < y->id);
}

/*
 * Min-heap in rank order: the root is the weakest of the best `k` seen so
 * far, and which `k` they are does not depend on the order units were found.
 */
static void heap_push(cand *h, size_t *n, size_t k, cand c)
{
	size_t i, p;

	if (*n == k) {
		if (!cand_lighter(&h[0], &c))
			return;
		/* Sift the newcomer down from the root's place. */
		i = 0;
		for (;;) {
			size_t l = 2 * i + 1, r = l + 1, m = i;
			const cand *mc = &c;
			if (l < *n && cand_lighter(&h[l], mc)) {
				m = l;
				mc = &h[l];
			}
			if (r < *n && cand_lighter(&h[r], mc))
				m = r;
			if (m == i)
				break;
			h[i] = h[m];
			i = m;
		}
		h[i] = c;
		return;
	}
	i = (*n)++;
	while (i > 0 && cand_lighter(&c, &h[p = (i - 1) / 2])) {
		h[i] = h[p];
		i = p;
	}
	h[i] = c;
}

static int cand_heavier(const void *a, const void *b)
{
	const cand *x = a, *y = b;

	if (x->w != y->w)
		return (x->w < y->w) - (x->w > y->w);
	return (x->id < y->id) - (x->id > y->id);
}

static int cand_id_order(const void *a, const void *b)
{
	const cand *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

/* Best bound first; equal bounds by rank, then newest. */
static int cand_bound_order(const void *a, const void *b)
{
	const cand *x = a, *y = b;

	if (x->ub != y->ub)
		return (x->ub < y->ub) - (x->ub > y->ub);
	return cand_heavier(a, b);
}

/*
 * The index's candidates into *out (malloc'd, at most o->candidates, in no
 * particular order), the heaviest of the units the index found. A unit's rank is the query weight of the keys known to be
 * in it (rare keys whose posting list was read, and frequent keys through
 * the AND queries), then the idf weight of those keys.
 */
static int index_candidates(td_lookup *lk, cand **out, size_t *nout, const td_token *t, size_t n,
	const char *text, const td_lookup_opts *o)
{
	size_t mlen = 16, nread = 0;
	qkey *keys = NULL;
	const qkey **freqk = NULL;
	size_t nkeys = 0, nf = 0, i, j, nh = 0;
	int64_t cap, units = 0;
	double wfreq;
	cand *heap = NULL;
	char *match = NULL;
	int rc;

	*out = NULL;
	*nout = 0;
	if (sqlite3_step(lk->st_maxid) == SQLITE_ROW)
		units = sqlite3_column_int64(lk->st_maxid, 0);
	sqlite3_reset(lk->st_maxid);
	cap = units / CAP_DIV > CAP_MIN ? units / CAP_DIV : CAP_MIN;
	wfreq = log((double)(units + 1) / (double)cap);
	if (wfreq < 0.1)
		wfreq = 0.1;
	rc = query_keys(&keys, &nkeys, t, n, text);
	if (rc < 0)
		goto cleanup;
	for (i = 0; i < nkeys; i++)
		mlen += 2 * keys[i].len + 3;
	freqk = malloc((nkeys ? nkeys : 1) * sizeof(*freqk));
	match = malloc(mlen);
	if (!freqk || !match) {
		rc = td_error_set(TD_ENOMEM, "lookup: out of memory");
		goto cleanup;
	}
	for (i = 0; i < nkeys; i++) {
		double w;
		const qkey *one = &keys[i];
		if (is_frequent(lk, keys[i].h)) {
			freqk[nf++] = &keys[i];
			continue;
		}
		if (nread >= ROW_BUDGET)
			continue;   /* enough postings read: the rest of the words only rank */
		key_query(match, &one, 1, 1);
		rc = key_postings(lk, match, cap + 1);
		if (rc < 0)
			goto cleanup;
		if ((int64_t)lk->nids <= cap)
			nread += lk->nids;   /* a frequent key's probe is paid once per td_lookup: not counted */
		if ((int64_t)lk->nids > cap) {
			rc = add_frequent(lk, keys[i].h);
			if (rc < 0)
				goto cleanup;
			freqk[nf++] = &keys[i];
			continue;
		}
		w = log((double)(units + 1) / ((double)lk->nids + 0.5));
		rc = ensure_room(lk);
		if (rc < 0)
			goto cleanup;
		for (j = 0; j < lk->nids; j++) {
			td__acc *a;
			prefetch_slot(lk, j);
			if (lk->ids[j] < 0)
				continue;
			a = touch(lk, lk->ids[j]);
			a->acc += (float)w;
			a->cnt += (float)keys[i].w;
		}
	}
	/*
	 * Few rare keys (a short sentence of everyday words): units holding all
	 * the frequent keys, or all but one, join the candidates.
	 */
	if (lk->ntouched < AND_MIN && nf > 0) {
		size_t rounds, r;
		double fw = 0;
		if (nf > AND_KEYS)
			nf = AND_KEYS;   /* the first in reading order: content words, longest */
		rounds = nf >= 2 ? nf + 1 : 1;
		for (i = 0; i < nf; i++)
			fw += freqk[i]->w;
		for (r = 0; r < rounds && lk->ntouched < 4 * o->candidates; r++) {
			size_t skip = r == 0 ? nf : r - 1;
			float w = (float)(wfreq * (double)(r == 0 ? nf : nf - 1));
			float c = (float)(r == 0 ? fw : fw - freqk[skip]->w);
			key_query(match, freqk, nf, skip);
			rc = postings(lk, lk->st_newest, match, AND_LIMIT);
			if (rc == 0)
				rc = ensure_room(lk);
			if (rc < 0)
				goto cleanup;
			for (j = 0; j < lk->nids; j++) {
				td__acc *a;
				prefetch_slot(lk, j);
				if (lk->ids[j] < 0)
					continue;
				a = touch(lk, lk->ids[j]);
				if (a->accf < w)
					a->accf = w;
				if (a->cntf < c)
					a->cntf = c;
			}
		}
	}
	heap = malloc((o->candidates ? o->candidates : 1) * sizeof(cand));
	if (!heap) {
		rc = td_error_set(TD_ENOMEM, "lookup: out of memory");
		goto cleanup;
	}
	for (i = 0; i < lk->ntouched; i++) {
		/*
		 * The weight of the read keys it holds first: a unit lacking one
		 * of them can score no better than that allows, while any unit may
		 * hold the frequent keys (the AND queries' LIMIT cuts their lists).
		 * Then the frequent keys known to be in it, then the idf sum (< 1000).
		 */
		const td__acc *a = &lk->touched[i];
		cand c = { 1e6 * (double)a->cnt + 1e3 * (double)a->cntf + (double)a->acc + (double)a->accf,
			100.0, a->id };
		heap_push(heap, &nh, o->candidates, c);
	}
	*out = heap;
	*nout = nh;
	heap = NULL;
cleanup:
	for (i = 0; i < lk->ntouched; i++)
		lk->slot[lk->touched[i].id] = 0;
	lk->ntouched = 0;
	free(heap);
	free(match);
	free(freqk);
	free(keys);
	return rc;
}

/*
 * The fingerprint bound of each candidate in c[i].ub (100 when the TM or the
 * unit has none): from memory after td_lookup_preload, else read from the
 * TM in id order (neighbouring rows share pages).
 */
static int bound_candidates(td_lookup *lk, cand *c, size_t nc)
{
	size_t i, unread = nc;

	if (lk->has_sig && lk->qsig.w > 0 && lk->sigs) {
		unread = 0;
		/* In memory: prefetch a few candidates ahead, the reads are random. */
		for (i = 0; i < nc; i++) {
			size_t a, b;
			if (i + 16 < nc && c[i + 16].id >= 0 && c[i + 16].id <= lk->sigmax)
				__builtin_prefetch(&lk->sigoff[c[i + 16].id]);
			if (i + 8 < nc && c[i + 8].id >= 0 && c[i + 8].id <= lk->sigmax)
				__builtin_prefetch(lk->sigs + lk->sigoff[c[i + 8].id]);
			if (c[i].id < 0 || c[i].id > lk->sigmax) {
				unread++;
				continue;
			}
			a = lk->sigoff[c[i].id];
			b = lk->sigoff[c[i].id + 1];
			if (b > a)
				c[i].ub = td__sig_bound(&lk->qsig, lk->sigs + a, b - a);
		}
	}
	if (lk->has_sig && lk->qsig.w > 0 && unread > 0) {
		/* From the TM, in id order (neighbouring rows share pages). */
		qsort(c, nc, sizeof(cand), cand_id_order);
		for (i = 0; i < nc; i++) {
			int rc, len;
			if (lk->sigs && c[i].id >= 0 && c[i].id <= lk->sigmax)
				continue;
			if (!lk->blob)
				rc = sqlite3_blob_open(lk->rd.db, "main", "td_sig", "sig", c[i].id, 0, &lk->blob);
			else
				rc = sqlite3_blob_reopen(lk->blob, c[i].id);
			if (rc != SQLITE_OK) {
				/* No fingerprint for this unit: nothing can be ruled out. */
				sqlite3_blob_close(lk->blob);
				lk->blob = NULL;
				continue;
			}
			len = sqlite3_blob_bytes(lk->blob);
			if (td_grow((void **)&lk->sigbuf, &lk->sigcap, (size_t)len + 1, 1) < 0)
				return TD_ENOMEM;
			if (sqlite3_blob_read(lk->blob, lk->sigbuf, len, 0) != SQLITE_OK)
				continue;
			c[i].ub = td__sig_bound(&lk->qsig, lk->sigbuf, (size_t)len);
		}
		sqlite3_blob_close(lk->blob);
		lk->blob = NULL;
	}
	return 0;
}

/*
 * The candidates in bound order (cand_bound_order), taken one at a time
 * from a binary heap: most queries stop after a few dozen of up to 2,000,
 * so sorting them all would be wasted. The order is total (ids are unique),
 * so the units come out in exactly the order a sort gives.
 */
static void bound_sift(cand *c, size_t n, size_t i)
{
	cand x = c[i];

	for (;;) {
		size_t l = 2 * i + 1, m = l;
		if (l >= n)
			break;
		if (l + 1 < n && cand_bound_order(&c[l + 1], &c[l]) < 0)
			m = l + 1;
		if (cand_bound_order(&c[m], &x) >= 0)
			break;
		c[i] = c[m];
		i = m;
	}
	c[i] = x;
}

static void bound_heapify(cand *c, size_t n)
{
	size_t i;

	for (i = n / 2; i-- > 0;)
		bound_sift(c, n, i);
}

/* The first candidate in bound order, removed from the heap c[0, *n). */
static cand bound_pop(cand *c, size_t *n)
{
	cand top = c[0];

	c[0] = c[--*n];
	if (*n > 1)
		bound_sift(c, *n, 0);
	return top;
}

/* Drop the candidates whose bound is below min (they can never be shown); the count left. */
static size_t drop_below(cand *c, size_t nc, double min)
{
	size_t i, k = 0;

	for (i = 0; i < nc; i++)
		if (c[i].ub >= min - 1e-9)
			c[k++] = c[i];
	return k;
}

/* ---- scoring and results ---- */

/* Tokenize and score one stored source against the query tokens in lk->dp.q. */
static int score_source(td_lookup *lk, double *score, double *charsim, const char *source,
	const char *qtext, size_t nq, double wq, double floor)
{
	const td_token *t;
	size_t n;
	double ws;
	int rc = td_tokenizer_run(&t, &n, lk->tk, source, strlen(source));

	*score = -1;
	if (rc == 0)
		rc = td__mtoks(&lk->dp.s, &lk->dp.scap, &ws, t, n);
	if (rc < 0)
		return rc;
	*score = td__match_score(&lk->dp, lk->dp.q, nq, wq, qtext, lk->dp.s, n, ws, source, floor, charsim);
	return 0;
}

static char *col_dup(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	return s ? td__strdup((const char *)s) : NULL;
}

/* Fill one output match: texts, origin, diff against the query. */
static int fill_match(td_lookup *lk, td_lookup_match *m, const td__scored *s, const char *query,
	size_t qlen)
{
	sqlite3_stmt *st = lk->st_unit;
	const td_token *t;
	size_t n, nq, nd;
	double w;
	int rc;

	memset(m, 0, sizeof(*m));
	m->unit_id = s->id;
	m->score = s->score;
	m->charsim = s->charsim;
	sqlite3_bind_int64(st, 1, s->id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		m->src_lang = col_dup(st, 0);
		m->tgt_lang = col_dup(st, 1);
		m->source = col_dup(st, 2);
		m->target = col_dup(st, 3);
		m->origin.time = sqlite3_column_int64(st, 4);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return db_error(lk, "reading a unit");
	if (!m->src_lang || !m->tgt_lang || !m->source || !m->target)
		return td_error_set(TD_ENOMEM, "lookup: out of memory");
	st = lk->st_origin;
	sqlite3_bind_int64(st, 1, s->id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		m->origin.kind = col_dup(st, 0);
		m->origin.src_name = col_dup(st, 1);
		m->origin.tgt_name = col_dup(st, 2);
		m->origin.position = sqlite3_column_int64(st, 3);
	}
	sqlite3_reset(st);
	st = lk->st_seen;
	sqlite3_bind_int64(st, 1, s->id);
	if (sqlite3_step(st) == SQLITE_ROW)
		m->origin.seen = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	/* The diff: tokens of both again (the DP buffers were reused meanwhile). */
	rc = td_tokenizer_run(&t, &n, lk->tk, query, qlen);
	if (rc == 0)
		rc = td__mtoks(&lk->dp.q, &lk->dp.qcap, &w, t, n);
	nq = n;
	if (rc == 0)
		rc = td_tokenizer_run(&t, &n, lk->tk, m->source, strlen(m->source));
	if (rc == 0)
		rc = td__mtoks(&lk->dp.s, &lk->dp.scap, &w, t, n);
	if (rc == 0)
		rc = td__match_diff(&lk->dp, &nd, lk->dp.q, nq, query, lk->dp.s, n, m->source);
	if (rc == TD_ELIMIT) {
		td_error_clear();
		return 0;   /* a huge pair: the match stands without its diff */
	}
	if (rc < 0)
		return rc;
	if (nd) {
		td_diff_span *d = malloc(nd * sizeof(*d));
		if (!d)
			return td_error_set(TD_ENOMEM, "lookup: out of memory");
		memcpy(d, lk->dp.diff, nd * sizeof(*d));
		m->diff = d;
		m->ndiff = nd;
	}
	return 0;
}

static int lookup_finish(td_lookup *lk, td_lookup_result *out, const td__scored *top, size_t ntop,
	const char *query, size_t len)
{
	size_t i;
	int rc = td_grow((void **)&lk->m, &lk->mcap, ntop ? ntop : 1, sizeof(td_lookup_match));

	if (rc < 0)
		return rc;
	for (i = 0; i < ntop; i++) {
		rc = fill_match(lk, &lk->m[i], &top[i], query, len);
		lk->nm = i + 1;
		if (rc < 0)
			return rc;
	}
	out->v = lk->m;
	out->n = lk->nm;
	return 0;
}

/* Prepare a query: tokenizer, query tokens in lk->dp.q. *nq = 0 for an empty query. */
static int lookup_begin(td_lookup *lk, const td_token **toks, size_t *nq, double *wq,
	const char *query, size_t len, const td_lookup_opts *o)
{
	int rc = check_opts(o);

	*nq = 0;
	*wq = 0;
	if (rc == 0)
		rc = td__lookup_tokenizer(lk, o->src_lang);
	if (rc == 0)
		rc = td_tokenizer_run(toks, nq, lk->tk, query, len);
	if (rc == 0)
		rc = td__mtoks(&lk->dp.q, &lk->dp.qcap, wq, *toks, *nq);
	return rc;
}

/* Move lk's current answer into out (which then owns it). */
static int take_answer(td_lookup_result *out, td_lookup *lk, size_t scored)
{
	td_lookup_match *v = NULL;

	out->v = NULL;
	out->n = 0;
	if (lk->nm) {
		v = malloc(lk->nm * sizeof(*v));
		if (!v)
			return td_error_set(TD_ENOMEM, "lookup: out of memory");
		memcpy(v, lk->m, lk->nm * sizeof(*v));
	}
	out->v = v;
	out->n = lk->nm;
	out->scored = scored;
	lk->nm = 0;
	return 0;
}

int td_lookup_query(td_lookup_result *out, td_lookup *lk, const char *query, size_t len,
	const td_lookup_opts *opts)
{
	td_lookup_opts o = opts ? *opts : (td_lookup_opts)TD_LOOKUP_OPTS_INIT;
	const td_token *toks;
	size_t nq, ntop = 0;
	double wq;
	cand *c = NULL;
	size_t nc = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	td__reader_refresh(&lk->rd);
	free_matches(lk);
	if ((rc = td_opts_version(o.version, TD_LOOKUP_OPTS_VERSION, "lookup")) < 0)
		return rc;
	if (len > TD_LOOKUP_MAX_QUERY)
		return td_error_set(TD_ELIMIT, "query too long: %zu bytes (at most %d; split it into sentences)",
			len, TD_LOOKUP_MAX_QUERY);
	rc = lookup_begin(lk, &toks, &nq, &wq, query, len, &o);
	if (rc < 0 || nq == 0)
		return rc;
	if (o.exhaustive) {
		const char *q1 = NULL;
		char *copy = malloc(len + 1);
		if (!copy)
			return td_error_set(TD_ENOMEM, "lookup: out of memory");
		memcpy(copy, query, len);
		copy[len] = '\0';
		q1 = copy;
		rc = td_lookup_query_many(out, lk, &q1, 1, &o);
		free(copy);
		return rc;
	}
	if (td_grow((void **)&lk->top, &lk->topcap, o.max, sizeof(td__scored)) < 0)
		return TD_ENOMEM;
	/* One read transaction per query: one lock and one change check, not one per statement. */
	if (sqlite3_exec(lk->rd.db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		return db_error(lk, "starting a read transaction");
	rc = slow_check(lk);
	if (rc == 0)
		rc = index_candidates(lk, &c, &nc, toks, nq, query, &o);
	if (rc == 0)
		rc = td__sig_make(&lk->qsig, lk->dp.q, nq);
	if (rc == 0)
		rc = bound_candidates(lk, c, nc);
	if (rc == 0) {
		nc = drop_below(c, nc, o.min);
		bound_heapify(c, nc);
	}
	if (rc < 0)
		goto cleanup;
	/* Best bound first: once the bound falls below the floor, no later unit can enter. */
	while (nc > 0 && out->scored < DP_MAX) {
		sqlite3_stmt *st = lk->st_unit;
		cand ci = bound_pop(c, &nc);
		td__scored s = { ci.id, 0, 0 };
		double floor = top_floor(lk->top, ntop, o.max, o.min);
		if (ci.ub < floor - 1e-9)
			break;
		sqlite3_bind_int64(st, 1, ci.id);
		rc = sqlite3_step(st);
		if (rc != SQLITE_ROW) {
			sqlite3_reset(st);
			if (rc == SQLITE_DONE)
				continue;   /* indexed but gone: skip */
			rc = db_error(lk, "reading a unit");
			goto cleanup;
		}
		if (!td_lang_matches((const char *)sqlite3_column_text(st, 0), o.src_lang) ||
		    !td_lang_matches((const char *)sqlite3_column_text(st, 1), o.tgt_lang)) {
			sqlite3_reset(st);
			continue;
		}
		rc = score_source(lk, &s.score, &s.charsim, (const char *)sqlite3_column_text(st, 2),
			query, nq, wq, floor);
		sqlite3_reset(st);
		if (rc < 0)
			goto cleanup;
		out->scored++;
		if (s.score >= o.min)
			top_offer(lk->top, &ntop, o.max, s);
	}
	rc = lookup_finish(lk, out, lk->top, ntop, query, len);
	if (rc == 0)
		rc = take_answer(out, lk, out->scored);
cleanup:
	sqlite3_exec(lk->rd.db, "COMMIT", NULL, NULL, NULL);
	free(c);
	return rc;
}

void td_lookup_result_free(td_lookup_result *r)
{
	td_lookup_results_free(r, r ? 1 : 0);
}

void td_lookup_results_free(td_lookup_result *res, size_t n)
{
	size_t i, j;

	if (!res)
		return;
	for (i = 0; i < n; i++) {
		for (j = 0; j < res[i].n; j++)
			match_release(&res[i].v[j]);
		free((void *)res[i].v);
		res[i].v = NULL;
		res[i].n = 0;
	}
}

typedef struct {
	td__mtok *t;
	td__bagent *bag;
	size_t n, cap;
	double w;
	td__scored *top;
	size_t ntop;
	size_t scored;
} exq;

int td_lookup_query_many(td_lookup_result *out, td_lookup *lk, const char *const *queries,
	size_t nqueries, const td_lookup_opts *opts)
{
	td_lookup_opts o = opts ? *opts : (td_lookup_opts)TD_LOOKUP_OPTS_INIT;
	exq *q = NULL;
	td__bagent *bag = NULL;
	size_t i, bagcap = 0;
	int rc = 0, step;

	memset(out, 0, nqueries * sizeof(*out));
	td__reader_refresh(&lk->rd);
	free_matches(lk);
	if ((rc = td_opts_version(o.version, TD_LOOKUP_OPTS_VERSION, "lookup")) < 0)
		return rc;
	if (!o.exhaustive) {
		for (i = 0; i < nqueries && rc == 0; i++)
			rc = td_lookup_query(&out[i], lk, queries[i], strlen(queries[i]), &o);
		goto cleanup;
	}
	rc = check_opts(&o);
	if (rc < 0)
		goto cleanup;
	q = calloc(nqueries ? nqueries : 1, sizeof(*q));
	if (!q) {
		rc = td_error_set(TD_ENOMEM, "lookup: out of memory");
		goto cleanup;
	}
	for (i = 0; i < nqueries; i++) {
		const td_token *t;
		size_t n;
		if (strlen(queries[i]) > TD_LOOKUP_MAX_QUERY) {
			rc = td_error_set(TD_ELIMIT, "query %zu too long: %zu bytes (at most %d)", i + 1,
				strlen(queries[i]), TD_LOOKUP_MAX_QUERY);
			goto cleanup;
		}
		rc = td__lookup_tokenizer(lk, o.src_lang);
		if (rc == 0)
			rc = td_tokenizer_run(&t, &n, lk->tk, queries[i], strlen(queries[i]));
		if (rc == 0)
			rc = td__mtoks(&q[i].t, &q[i].cap, &q[i].w, t, n);
		if (rc == 0 && !(q[i].top = malloc(o.max * sizeof(td__scored))))
			rc = td_error_set(TD_ENOMEM, "lookup: out of memory");
		if (rc == 0 && !(q[i].bag = malloc((n ? n : 1) * sizeof(td__bagent))))
			rc = td_error_set(TD_ENOMEM, "lookup: out of memory");
		if (rc == 0)
			td__bag(q[i].bag, q[i].t, n);
		if (rc < 0)
			goto cleanup;
		q[i].n = n;
	}
	/* One pass over the TM: each unit is tokenized once and scored against every query. */
	while ((step = sqlite3_step(lk->st_scan)) == SQLITE_ROW) {
		const char *src = (const char *)sqlite3_column_text(lk->st_scan, 3);
		const td_token *t;
		size_t n;
		double ws;
		if (!td_lang_matches((const char *)sqlite3_column_text(lk->st_scan, 1), o.src_lang) ||
		    !td_lang_matches((const char *)sqlite3_column_text(lk->st_scan, 2), o.tgt_lang) || !src)
			continue;
		rc = td_tokenizer_run(&t, &n, lk->tk, src, strlen(src));
		if (rc == 0)
			rc = td__mtoks(&lk->dp.s, &lk->dp.scap, &ws, t, n);
		if (rc == 0)
			rc = td_grow((void **)&bag, &bagcap, n ? n : 1, sizeof(*bag));
		if (rc < 0)
			break;
		td__bag(bag, lk->dp.s, n);
		for (i = 0; i < nqueries; i++) {
			td__scored s = { sqlite3_column_int64(lk->st_scan, 0), 0, 0 };
			double floor = top_floor(q[i].top, q[i].ntop, o.max, o.min);
			double l = q[i].w > ws ? q[i].w : ws;
			if (q[i].n == 0)
				continue;
			q[i].scored++;
			if (l > 0 && 100.0 * td__bag_common(q[i].bag, q[i].n, bag, n) / l < floor)
				continue;   /* cannot reach the list: no DP */
			s.score = td__match_score(&lk->dp, q[i].t, q[i].n, q[i].w, queries[i], lk->dp.s, n, ws,
				src, floor, &s.charsim);
			if (s.score >= o.min)
				top_offer(q[i].top, &q[i].ntop, o.max, s);
		}
	}
	sqlite3_reset(lk->st_scan);
	if (rc == 0 && step != SQLITE_DONE)
		rc = db_error(lk, "scanning the units");
	for (i = 0; i < nqueries && rc == 0; i++) {
		td_lookup_result r;
		rc = lookup_finish(lk, &r, q[i].top, q[i].ntop, queries[i], strlen(queries[i]));
		if (rc == 0)
			rc = take_answer(&out[i], lk, q[i].scored);
	}
cleanup:
	if (q) {
		for (i = 0; i < nqueries; i++) {
			free(q[i].t);
			free(q[i].top);
			free(q[i].bag);
		}
		free(q);
	}
	free(bag);
	if (rc < 0) {
		free_matches(lk);
		td_lookup_results_free(out, nqueries);
	}
	return rc;
}
