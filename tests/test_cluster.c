/* Cluster runs in the library: shards of a pair list, merging TMs. */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "tandem/batch.h"
#include "tandem/tm.h"

TestSuite(shard, .init = th_dir_setup, .fini = th_dir_teardown);
TestSuite(merge, .init = th_dir_setup, .fini = th_dir_teardown);

static void put(const char *name, const char *text)
{
	cr_assert_eq(th_write(th_path(name), text, strlen(text)), 0, "cannot write %s", name);
}

/* The documented hash: Python's int.from_bytes(sha256(name).digest()[:8], "big") % n. */
Test(shard, hash_is_the_documented_one)
{
	static const struct { const char *name; unsigned n, shard; } cases[] = {
		{ "doc00000", 2, 1 }, { "doc00000", 3, 1 }, { "doc00000", 4, 3 }, { "doc00000", 7, 3 },
		{ "doc00001", 3, 0 }, { "doc00001", 4, 1 }, { "a", 4, 2 }, { "a", 7, 4 },
		{ "Ünïcode", 3, 2 }, { "Ünïcode", 7, 0 }, { "anything", 1, 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		cr_expect_eq(td_batch_shard_of(cases[i].name, cases[i].n), cases[i].shard, "%s %% %u",
			cases[i].name, cases[i].n);
}

Test(shard, shards_partition_the_pairs)
{
	char name[32];
	size_t seen[40] = { 0 }, total = 0, i;
	unsigned k;

	for (i = 0; i < 40; i++) {
		snprintf(name, sizeof(name), "p%02zu.de", i);
		put(name, "Ein Satz.\n");
		snprintf(name, sizeof(name), "p%02zu.en", i);
		put(name, "A sentence.\n");
	}
	put("lonely.de", "Allein.\n");
	for (k = 0; k < 3; k++) {
		td_batch_pairs *p = NULL;

		cr_assert_eq(td_batch_pairs_dir(&p, th_dir, "de", "en"), 0, "%s", td_error_last());
		cr_assert_eq(td_batch_pairs_shard(p, k, 3), 0);
		cr_expect_lt(p->n, 40, "shard %u holds every pair", k);
		for (i = 0; i < p->n; i++) {
			unsigned idx = (unsigned)atoi(p->v[i].name + 1);

			cr_expect_eq(td_batch_shard_of(p->v[i].name, 3), k);
			cr_expect(i == 0 || strcmp(p->v[i - 1].name, p->v[i].name) < 0, "order kept");
			seen[idx]++;
		}
		total += p->n;
		/* The unmatched file is reported by the shard its name falls in. */
		cr_expect_eq(p->nunmatched, td_batch_shard_of("lonely", 3) == k ? 1u : 0u);
		td_batch_pairs_free(p);
	}
	cr_expect_eq(total, 40);
	for (i = 0; i < 40; i++)
		cr_expect_eq(seen[i], 1, "pair %zu in %zu shards", i, seen[i]);
}

Test(shard, k_must_be_below_n)
{
	td_batch_pairs *p = NULL;

	put("x.de", "Ja.\n");
	put("x.en", "Yes.\n");
	cr_assert_eq(td_batch_pairs_dir(&p, th_dir, "de", "en"), 0);
	cr_expect_eq(td_batch_pairs_shard(p, 2, 2), TD_EINVAL);
	cr_expect_eq(td_batch_pairs_shard(p, 0, 0), TD_EINVAL);
	cr_expect_eq(p->n, 1, "a refused shard changes nothing");
	cr_expect_eq(td_batch_pairs_shard(p, 0, 1), 0);
	cr_expect_eq(p->n, 1);
	td_batch_pairs_free(p);
}

/* One aligned document with units (source, target) at positions 0.. */
static void store(td_tm *tm, const char *doc, const char *const *units, size_t n)
{
	td_tm_doc_info info = TD_TM_DOC_INFO_INIT;
	char hs[TD_HASH_HEX], ht[TD_HASH_HEX], name[64];
	size_t i;

	td_tm_hash_bytes(hs, doc, strlen(doc));
	td_tm_hash_bytes(ht, doc, strlen(doc) - 1);
	snprintf(name, sizeof(name), "%s.de", doc);
	info.src_name = name;
	info.tgt_name = "target.en";
	info.src_hash = hs;
	info.tgt_hash = ht;
	info.src_lang = "de";
	info.tgt_lang = "en";
	cr_assert_eq(td_tm_begin_document(tm, &info), 0, "%s", td_error_last());
	for (i = 0; i < n; i++) {
		td_tm_unit_in u = TD_TM_UNIT_IN_INIT;

		u.source = units[2 * i];
		u.target = units[2 * i + 1];
		u.position = (int64_t)i;
		u.score = 0.5 + (double)i / 100;
		cr_assert_eq(td_tm_add_unit(NULL, tm, &u), 0, "%s", td_error_last());
	}
	cr_assert_eq(td_tm_commit_document(tm), 0);
}

static td_tm *open_tm(const char *name)
{
	td_tm *tm = NULL;

	cr_assert_eq(td_tm_open(&tm, th_path(name), 0), 0, "%s", td_error_last());
	return tm;
}

static td_tm_stats stats_of(td_tm *tm)
{
	td_tm_stats st;

	cr_assert_eq(td_tm_stats_get(&st, tm), 0);
	return st;
}

/* One column of a query over the TM file, rows joined by '\n' (malloc'd). */
static char *rows(const char *name, const char *sql)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	cr_assert_eq(sqlite3_open_v2(th_path(name), &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK, "%s", sqlite3_errmsg(db));
	while (sqlite3_step(st) == SQLITE_ROW)
		fprintf(f, "%s\n", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
	fclose(f);
	return buf;
}

typedef struct { long long key, n; } kv;

static int kv_cmp(const void *a, const void *b)
{
	const kv *x = a, *y = b;

	return x->key < y->key ? -1 : x->key > y->key;
}

static long long le64(const unsigned char *p)
{
	unsigned long long v = 0;
	int k;

	for (k = 0; k < 8; k++)
		v |= (unsigned long long)p[k] << (8 * k);
	return (long long)v;
}

/* The word model of the TM file name as "key count" lines in key order: its table and its log added up. */
static char *model(const char *name)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	kv *v = NULL;
	size_t n = 0, cap = 0, i, j, len = 0;
	char *buf = NULL;
	FILE *f;

	cr_assert_eq(sqlite3_open_v2(th_path(name), &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(db, "SELECT h, n, NULL FROM td_wordmodel UNION ALL "
		"SELECT NULL, NULL, kv FROM td_wordmodel_log", -1, &st, NULL), SQLITE_OK, "%s", sqlite3_errmsg(db));
	while (sqlite3_step(st) == SQLITE_ROW) {
		const unsigned char *p = sqlite3_column_blob(st, 2);
		int blob = sqlite3_column_type(st, 2) == SQLITE_BLOB, bytes = sqlite3_column_bytes(st, 2);

		cr_assert(!blob || bytes % 16 == 0, "a log blob of %d bytes", bytes);
		for (i = 0; i < (blob ? (size_t)bytes / 16 : 1); i++) {
			if (n == cap) {
				cap = cap ? 2 * cap : 256;
				v = realloc(v, cap * sizeof(*v));
				cr_assert_not_null(v);
			}
			v[n].key = blob ? le64(p + 16 * i) : sqlite3_column_int64(st, 0);
			v[n++].n = blob ? le64(p + 16 * i + 8) : sqlite3_column_int64(st, 1);
		}
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	qsort(v, n, sizeof(*v), kv_cmp);
	f = open_memstream(&buf, &len);
	for (i = 0; i < n; i = j) {
		long long sum = 0;

		for (j = i; j < n && v[j].key == v[i].key; j++)
			sum += v[j].n;
		if (sum)
			fprintf(f, "%lld %lld\n", v[i].key, sum);
	}
	fclose(f);
	free(v);
	return buf;
}

#define UNITS_SQL "SELECT source || '|' || target || '|' || source_norm || '|' || key FROM unit ORDER BY 1"
#define PROV_SQL "SELECT u.source || '|' || d.src_name || '|' || p.position || '|' || p.score" \
	" FROM provenance p JOIN unit u ON u.id = p.unit_id JOIN document d ON d.id = p.document_id ORDER BY 1"

static const char *const doc_a[] = {
	"Guten Morgen.", "Good morning.", "Wie geht es?", "How are you?", "Danke.", "Thanks.",
};
static const char *const doc_b[] = {
	"Danke.", "Thanks.", "Auf Wiedersehen.", "Goodbye.",
};
static const char *const doc_c[] = {
	"Bis morgen.", "See you tomorrow.", "Wie geht es?", "How are you?",
};

Test(merge, equals_storing_everything_in_one_tm_and_runs_again)
{
	td_tm *one = open_tm("one.db"), *s1 = open_tm("s1.db"), *s2 = open_tm("s2.db"), *out;
	td_tm_merge_report r;
	td_tm_stats a, b;
	char *u1, *u2, *p1, *p2;

	store(one, "a", doc_a, 3);
	store(one, "b", doc_b, 2);
	store(one, "c", doc_c, 2);
	store(s1, "a", doc_a, 3);
	store(s1, "c", doc_c, 2);
	store(s2, "b", doc_b, 2);
	store(s2, "c", doc_c, 2);  /* a document two shards hold: once in the result */
	td_tm_close(s1);
	td_tm_close(s2);
	out = open_tm("out.db");
	cr_assert_eq(td_tm_merge(&r, out, th_path("s1.db")), 0, "%s", td_error_last());
	cr_expect_eq(r.documents, 2);
	cr_expect_eq(r.documents_added, 2);
	cr_expect_eq(r.units_added, 4, "Wie geht es is in a and c: once");
	cr_expect_eq(r.provenance_added, 5);
	cr_assert_eq(td_tm_merge(&r, out, th_path("s2.db")), 0, "%s", td_error_last());
	cr_expect_eq(r.documents, 2);
	cr_expect_eq(r.documents_added, 1);
	cr_expect_eq(r.units, 4);
	cr_expect_eq(r.units_added, 1, "only Auf Wiedersehen is new");
	cr_expect_eq(r.provenance_added, 2);
	a = stats_of(one);
	b = stats_of(out);
	cr_expect_eq(b.units, a.units);
	cr_expect_eq(b.documents, a.documents);
	cr_expect_eq(b.provenance, a.provenance);
	td_tm_stats_free(&b);
	/* Again, in the other order: nothing changes. */
	cr_assert_eq(td_tm_merge(&r, out, th_path("s2.db")), 0);
	cr_expect_eq(r.documents_added + r.units_added + r.provenance_added, 0);
	cr_assert_eq(td_tm_merge(&r, out, th_path("s1.db")), 0);
	cr_expect_eq(r.documents_added + r.units_added + r.provenance_added, 0);
	b = stats_of(out);
	cr_expect_eq(b.provenance, a.provenance);
	td_tm_stats_free(&a);
	td_tm_stats_free(&b);
	td_tm_close(one);
	td_tm_close(out);
	u1 = rows("one.db", UNITS_SQL);
	u2 = rows("out.db", UNITS_SQL);
	p1 = rows("one.db", PROV_SQL);
	p2 = rows("out.db", PROV_SQL);
	cr_expect_str_eq(u2, u1);
	cr_expect_str_eq(p2, p1);
	free(u1);
	free(u2);
	free(p1);
	free(p2);
	/* The merged units are indexed: concordance and lookup find them. */
	u1 = rows("out.db", "SELECT target FROM td_concord WHERE td_concord MATCH 'wiedersehen'");
	cr_expect_str_eq(u1, "Goodbye.\n");
	free(u1);
	u1 = rows("out.db", "SELECT count(*) FROM unit WHERE id NOT IN (SELECT id FROM td_sig)");
	cr_expect_str_eq(u1, "0\n");
	free(u1);
	/* And counted into the word model (terms, concordance marks): the counts of one TM. */
	u1 = model("one.db");
	u2 = model("out.db");
	cr_expect_gt(strlen(u1), 0, "the single TM has a word model");
	cr_expect_str_eq(u2, u1);
	free(u1);
	free(u2);
}

Test(merge, refuses_itself_and_what_is_not_a_tm)
{
	td_tm *out = open_tm("out.db");
	td_tm_stats st;

	store(out, "a", doc_a, 3);
	cr_expect_eq(td_tm_merge(NULL, out, th_path("out.db")), TD_EINVAL);
	put("junk.db", "this is not a database, just text long enough to look at\n");
	cr_expect_eq(td_tm_merge(NULL, out, th_path("junk.db")), TD_EFORMAT);
	cr_expect_lt(td_tm_merge(NULL, out, th_path("missing.db")), 0);
	st = stats_of(out);
	cr_expect_eq(st.units, 3, "a refused input leaves the TM as it was");
	cr_expect_eq(st.documents, 1);
	td_tm_stats_free(&st);
	/* The TM is usable after the failures: a real input still merges. */
	{
		td_tm *in = open_tm("in.db");

		store(in, "b", doc_b, 2);
		td_tm_close(in);
	}
	cr_expect_eq(td_tm_merge(NULL, out, th_path("in.db")), 0, "%s", td_error_last());
	st = stats_of(out);
	cr_expect_eq(st.units, 4);
	td_tm_stats_free(&st);
	td_tm_close(out);
}
