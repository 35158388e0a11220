/* Fuzzy lookup and concordance over a small TM: indexes, retrieval, answers, edge cases. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "helpers.h"
#include "lookup_fixture.h"
#include "memory/lookup_int.h"
#include <sqlite3.h>
#include "tandem/concord.h"
#include "tandem/lookup.h"

/* The fixture's TM: a file, or a PostgreSQL TM in the suite pg (th_tm). */
static char path[4096];
static td_lookup *lk;

static void setup(void)
{
	th_dir_setup();
	snprintf(path, sizeof(path), "%s", th_tm("tm.db"));
	lf_build(path);
	cr_assert_eq(td_lookup_open(&lk, path), 0, "%s", td_error_last());
}

static void teardown(void)
{
	td_lookup_close(lk);
	lk = NULL;
	th_dir_teardown();
}

TestSuite(lookup, .init = setup, .fini = teardown);

static td_lookup_opts de_en(void)
{
	td_lookup_opts o = TD_LOOKUP_OPTS_INIT;

	o.src_lang = "de";
	o.tgt_lang = "en";
	return o;
}

static void exec_sql(const char *sql);

/* A test that reads or changes the TM file's SQLite tables itself. */
static void file_only(void)
{
	if (th_pg())
		cr_skip_test("reads the TM file's own tables");
}

static int count_rows(const char *sql, const char *arg)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st;
	int n = 0;

	file_only();
	cr_assert_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK, "%s", sqlite3_errmsg(db));
	sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW)
		n++;
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

Test(lookup, concordance_index_ignores_case_and_diacritics)
{
	cr_assert_eq(count_rows("SELECT rowid FROM td_concord WHERE td_concord MATCH ?1", "source: MUNCHEN"), 2);
	cr_assert_eq(count_rows("SELECT rowid FROM td_concord WHERE td_concord MATCH ?1", "source: \"hält heute\""), 1);
	cr_assert_eq(count_rows("SELECT rowid FROM td_concord WHERE td_concord MATCH ?1", "target: munich"), 2);
}

/* Arrays, not pointers: Criterion may run each case in another process. */
typedef struct {
	char query[96];
	int unit;        /* expected best unit id (1-based in lf_units) */
	double score;    /* by hand, formula of tandem/match.h */
} lookup_case;

ParameterizedTestParameters(lookup, best_match)
{
	static lookup_case cases[] = {
		/* identical */
		{ "Die Regierung hat das Gesetz beschlossen.", 1, 100.0 },
		/* case differs in one word: L = 6.25, D = 0.1 */
		{ "die Regierung hat das Gesetz beschlossen.", 1, 98.4 },
		/* umlaut query against umlaut unit, one word replaced: 7 words + "." = 7.25, D = 1 */
		{ "Der Zug hält morgen nicht in München.", 3, 86.2 },
		/* number changed: 4 words + 0.5 + 0.25 = 4.75, D = 0.5 */
		{ "Der Preis beträgt 7.500 Euro.", 4, 89.4 },
		/* straight quotes for German quotes: 6 words + 4 marks = 7, D = 0.5 */
		{ "\"Das ist gut\", sagte die Ministerin.", 5, 92.8 },
		/* a short everyday sentence: L = 4.25, D = 1 */
		{ "Ich bin sehr müde.", 8, 76.4 },
	};
	return cr_make_param_array(lookup_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(lookup_case *c, lookup, best_match)
{
	td_lookup_opts o = de_en();
	td_lookup_result r;

	cr_assert_eq(td_lookup_query(&r, lk, c->query, strlen(c->query), &o), 0, "%s", td_error_last());
	cr_assert_geq(r.n, 1, "no match for '%s'", c->query);
	cr_assert_eq(r.v[0].unit_id, c->unit, "'%s': best is unit %lld", c->query, (long long)r.v[0].unit_id);
	cr_assert_float_eq(r.v[0].score, c->score, 1e-9, "'%s': %.1f, expected %.1f", c->query, r.v[0].score,
		c->score);
	cr_assert_str_eq(r.v[0].target, lf_units[c->unit - 1].target);
	td_lookup_result_free(&r);
}

Test(lookup, matches_are_ordered_and_carry_origin_and_diff)
{
	td_lookup_opts o = de_en();
	td_lookup_result r;
	const char *q = "Die Regierung hat das Gesetz gestern beschlossen.";
	size_t i;

	o.min = 50;
	cr_assert_eq(td_lookup_query(&r, lk, q, strlen(q), &o), 0);
	cr_assert_geq(r.n, 3);
	for (i = 1; i < r.n; i++)
		cr_assert_geq(r.v[i - 1].score, r.v[i].score);
	cr_assert_eq(r.v[0].unit_id, 1);
	cr_assert_eq(r.v[0].ndiff, 1);
	cr_assert_eq(r.v[0].diff[0].op, TD_DIFF_INSERT);
	cr_assert_eq(strncmp(q + r.v[0].diff[0].start, "gestern", 7), 0);
	cr_assert_eq(r.v[0].origin.seen, 2);
	cr_assert_str_eq(r.v[0].origin.kind, "align");
	cr_assert_str_eq(r.v[0].origin.src_name, "news.de");
	td_lookup_result_free(&r);
}

Test(lookup, min_and_max_are_honoured)
{
	td_lookup_opts o = de_en();
	td_lookup_result r;
	const char *q = "Die Regierung hat das Gesetz beschlossen.";

	o.max = 1;
	o.min = 0;
	cr_assert_eq(td_lookup_query(&r, lk, q, strlen(q), &o), 0);
	cr_assert_eq(r.n, 1);
	td_lookup_result_free(&r);
	o.max = 5;
	o.min = 99.9;
	cr_assert_eq(td_lookup_query(&r, lk, q, strlen(q), &o), 0);
	cr_assert_eq(r.n, 1);
	cr_assert_float_eq(r.v[0].score, 100.0, 1e-9);
	td_lookup_result_free(&r);
}

/* An answer is the caller's: the next query on the same handle leaves it as it was. */
Test(lookup, answers_outlive_the_next_query)
{
	td_lookup_opts o = de_en();
	td_concord_opts co = TD_CONCORD_OPTS_INIT;
	td_lookup_result a, b;
	td_concord_result ca, cb;

	char *target, *name;

	cr_assert_eq(td_lookup_query(&a, lk, "Der Zug hält nicht in München.", strlen("Der Zug hält nicht in München."),
		&o), 0, "%s", td_error_last());
	cr_assert_geq(a.n, 1);
	target = strdup(a.v[0].target);
	name = strdup(a.v[0].origin.src_name);
	cr_assert_eq(td_lookup_query(&b, lk, "Die Straße ist wegen Bauarbeiten gesperrt.",
		strlen("Die Straße ist wegen Bauarbeiten gesperrt."), &o), 0);
	cr_assert_geq(b.n, 1);
	cr_assert_neq(a.v, b.v);
	cr_assert_str_eq(target, "The train does not stop in Munich today.");
	cr_assert_str_eq(a.v[0].target, target);
	cr_assert_str_eq(a.v[0].origin.src_name, name);
	cr_assert_str_neq(b.v[0].target, target);
	free(target);
	free(name);
	td_lookup_result_free(&b);
	td_lookup_result_free(&a);
	cr_assert_null(a.v);
	cr_assert_eq(a.n, 0);
	td_lookup_result_free(NULL);

	cr_assert_eq(td_concord(&ca, lk, "munchen", &co), 0, "%s", td_error_last());
	cr_assert_eq(td_concord(&cb, lk, "Gesetz", &co), 0, "%s", td_error_last());
	cr_assert_eq(ca.n, 2);
	cr_assert_str_eq(ca.v[1].target, "The train does not stop in Munich today.");
	cr_assert_eq(strncmp(ca.v[1].source + ca.v[1].hits[0], "München", 8), 0);
	td_concord_result_free(&cb);
	td_concord_result_free(&ca);
	cr_assert_null(ca.v);
	td_concord_result_free(NULL);
}

Test(lookup, index_agrees_with_exhaustive)
{
	static const char *const qs[] = {
		"Die Regierung hat das Gesetz beschlossen.",
		"Der Zug hält nicht in München.",
		"Die Straße ist gesperrt.",
		"Das Wetter wird heute schön.",
		"Ich bin müde!",
	};
	td_lookup_opts o = de_en();
	td_lookup_result ex[5];
	size_t i, j;

	o.min = 30;
	o.exhaustive = 1;
	cr_assert_eq(td_lookup_query_many(ex, lk, qs, 5, &o), 0, "%s", td_error_last());
	o.exhaustive = 0;
	for (i = 0; i < 5; i++) {
		td_lookup_result r;
		cr_assert_eq(td_lookup_query(&r, lk, qs[i], strlen(qs[i]), &o), 0);
		cr_assert_eq(r.n, ex[i].n, "'%s': index %zu, exhaustive %zu", qs[i], r.n, ex[i].n);
		for (j = 0; j < r.n; j++) {
			cr_assert_eq(r.v[j].unit_id, ex[i].v[j].unit_id);
			cr_assert_float_eq(r.v[j].score, ex[i].v[j].score, 1e-9);
		}
		cr_assert_lt(r.scored, 10, "the index must not score the whole TM");
		td_lookup_result_free(&r);
	}
	td_lookup_results_free(ex, 5);
}

Test(lookup, empty_query_has_no_matches)
{
	td_lookup_opts o = de_en();
	td_lookup_result r;

	cr_assert_eq(td_lookup_query(&r, lk, "", 0, &o), 0);
	cr_assert_eq(r.n, 0);
	td_lookup_result_free(&r);
	cr_assert_eq(td_lookup_query(&r, lk, "  \t ", 4, &o), 0);
	cr_assert_eq(r.n, 0);
	td_lookup_result_free(&r);
}

Test(lookup, ten_thousand_words_answer_quickly)
{
	static const char *const words[] = { "die", "Regierung", "hat", "Gesetz", "München", "5.000", "„gut“," };
	td_lookup_opts o = de_en();
	td_lookup_result r;
	char *q = malloc(10000 * 16);
	size_t len = 0, i;
	clock_t t0 = clock();

	cr_assert_not_null(q);
	for (i = 0; i < 10000; i++)
		len += (size_t)sprintf(q + len, "%s%zu ", words[i % 7], i % 97);
	cr_assert_eq(td_lookup_query(&r, lk, q, len, &o), 0, "%s", td_error_last());
	cr_assert_eq(r.n, 0);
	cr_assert_lt((double)(clock() - t0) / CLOCKS_PER_SEC, 10.0);
	td_lookup_result_free(&r);
	free(q);
}

Test(lookup, missing_language_pair)
{
	td_lookup_opts o = de_en();
	td_lookup_result r;
	int has = 1;
	char *pairs = NULL;

	cr_assert_eq(td_lookup_has_pair(&has, lk, "de", "fr"), 0);
	cr_assert_eq(has, 0);
	cr_assert_eq(td_lookup_has_pair(&has, lk, "en", "de"), 0);
	cr_assert_eq(has, 1);
	cr_assert_eq(td_lookup_pairs(&pairs, lk), 0);
	cr_assert(strstr(pairs, "de -> en") && strstr(pairs, "en -> de"), "%s", pairs);
	free(pairs);
	o.tgt_lang = "fr";
	cr_assert_eq(td_lookup_query(&r, lk, "Ich bin müde.", 14, &o), 0);
	cr_assert_eq(r.n, 0);
	td_lookup_result_free(&r);
	o.src_lang = "xx!";
	cr_assert_eq(td_lookup_query(&r, lk, "Ich bin müde.", 14, &o), TD_EINVAL);
}

/* The default pair is the TM's only one; the newest unit's pair is no answer when there are several. */
Test(lookup, default_pair_only_when_the_tm_holds_one)
{
	char src[16] = "", tgt[16] = "";

	cr_assert_eq(td_lookup_default_pair(src, tgt, sizeof(src), lk), TD_EINVAL);
	cr_assert(strstr(td_error_last(), "several language pairs (de -> en, en -> de)") != NULL, "%s",
		td_error_last());
	td_lookup_close(lk);
	lk = NULL;
	exec_sql("DELETE FROM unit WHERE src_lang = 'en'");
	cr_assert_eq(td_lookup_open(&lk, path), 0, "%s", td_error_last());
	cr_assert_eq(td_lookup_default_pair(src, tgt, sizeof(src), lk), 0, "%s", td_error_last());
	cr_assert_str_eq(src, "de");
	cr_assert_str_eq(tgt, "en");
	td_lookup_close(lk);
	lk = NULL;
	exec_sql("DELETE FROM provenance; DELETE FROM unit");
	cr_assert_eq(td_lookup_open(&lk, path), 0, "%s", td_error_last());
	cr_assert_eq(td_lookup_default_pair(src, tgt, sizeof(src), lk), TD_ENOTFOUND);
}

Test(lookup, reverse_pair_uses_its_own_units)
{
	td_lookup_opts o = TD_LOOKUP_OPTS_INIT;
	td_lookup_result r;

	o.src_lang = "en";
	o.tgt_lang = "de";
	cr_assert_eq(td_lookup_query(&r, lk, "The train is very late.", 23, &o), 0);
	cr_assert_eq(r.n, 1);
	cr_assert_str_eq(r.v[0].target, "Der Zug hat Verspätung.");
	td_lookup_result_free(&r);
}

Test(lookup, not_a_tm)
{
	td_lookup *other = NULL;
	char p[600];

	snprintf(p, sizeof(p), "%s/missing.db", th_dir);
	cr_assert_eq(td_lookup_open(&other, p), TD_ENOTFOUND);
	cr_assert_null(other);
	snprintf(p, sizeof(p), "%s/junk.db", th_dir);
	cr_assert_eq(th_write(p, "not a database at all, just some bytes....", 42), 0);
	cr_assert_lt(td_lookup_open(&other, p), 0);
	cr_assert_null(other);
	td_lookup_close(NULL);
}

Test(lookup, concordance_marks_the_phrase)
{
	td_concord_opts o = TD_CONCORD_OPTS_INIT;
	td_concord_result r;
	const td_concord_hit *h;

	cr_assert_eq(td_concord(&r, lk, "munchen", &o), 0, "%s", td_error_last());
	cr_assert_eq(r.n, 2);
	cr_assert_geq(r.v[0].unit_id, r.v[1].unit_id, "newest first");
	h = &r.v[1];
	cr_assert_eq(h->nhits, 1);
	cr_assert_eq(strncmp(h->source + h->hits[0], "München", h->hits[1] - h->hits[0]), 0);
	cr_assert_str_eq(h->target, "The train does not stop in Munich today.");
	td_concord_result_free(&r);
	o.exact = 1;
	cr_assert_eq(td_concord(&r, lk, "munchen", &o), 0, "%s", td_error_last());
	cr_assert_eq(r.n, 0, "--exact must respect diacritics and case");
	td_concord_result_free(&r);
	cr_assert_eq(td_concord(&r, lk, "München", &o), 0);
	cr_assert_eq(r.n, 2);
	td_concord_result_free(&r);
}

Test(lookup, concordance_phrase_target_and_order)
{
	td_concord_opts o = TD_CONCORD_OPTS_INIT;
	td_concord_result r;

	cr_assert_eq(td_concord(&r, lk, "Regierung hat", &o), 0);
	cr_assert_eq(r.n, 3);
	td_concord_result_free(&r);
	cr_assert_eq(td_concord(&r, lk, "hat Regierung", &o), 0, "%s", td_error_last());
	cr_assert_eq(r.n, 0, "a phrase is ordered");
	td_concord_result_free(&r);
	o.in_target = 1;
	o.tgt_lang = "en";
	cr_assert_eq(td_concord(&r, lk, "the government", &o), 0);
	cr_assert_eq(r.n, 3);
	cr_assert_eq(strncmp(r.v[0].target + r.v[0].hits[0], "the government", 14), 0);
	td_concord_result_free(&r);
	o.in_target = 0;
	o.tgt_lang = NULL;
	o.order = TD_CONCORD_FREQUENT;
	cr_assert_eq(td_concord(&r, lk, "Gesetz", &o), 0);
	cr_assert_geq(r.n, 3);
	cr_assert_eq(r.v[0].unit_id, 1, "the unit seen twice comes first");
	cr_assert_eq(r.v[0].seen, 2);
	td_concord_result_free(&r);
}

Test(lookup, concordance_needs_a_word)
{
	td_concord_opts o = TD_CONCORD_OPTS_INIT;
	td_concord_result r;

	cr_assert_eq(td_concord(&r, lk, " „“ ", &o), TD_EINVAL);
	cr_assert_eq(td_concord(&r, lk, "\"", &o), TD_EINVAL);
	cr_assert_eq(td_concord(&r, lk, "Zug \"hält", &o), 0);
	cr_assert_eq(r.n, 1);
	td_concord_result_free(&r);
}

/* Run SQL on the fixture TM with a plain SQLite connection. */
static void exec_sql(const char *sql)
{
	sqlite3 *db = NULL;

	file_only();
	cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK, "%s", sqlite3_errmsg(db));
	sqlite3_close(db);
}

/* The fingerprints as one string "id:hex id:hex ..." (malloc'd). */
static char *fingerprints(void)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st;
	char *s = calloc(1, 1);
	size_t len = 0;

	file_only();
	cr_assert_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(db, "SELECT id || ':' || hex(sig) FROM td_sig ORDER BY id", -1, &st,
		NULL), SQLITE_OK, "%s", sqlite3_errmsg(db));
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *row = (const char *)sqlite3_column_text(st, 0);
		s = realloc(s, len + strlen(row) + 2);
		len += (size_t)sprintf(s + len, "%s ", row);
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	return s;
}

/* The best unit and score of each query, as one string. */
static char *answers(td_lookup *l)
{
	static const char *const qs[] = {
		"Die Regierung hat das Gesetz beschlossen.",
		"Der Zug hält morgen nicht in München.",
		"Der Preis beträgt 7.500 Euro.",
		"\"Das ist gut\", sagte die Ministerin.",
		"Ich bin sehr müde.",
		"Die Bundesregierung plant Gesetze.",
	};
	td_lookup_opts o = de_en();
	char *s = calloc(1, 1024);
	size_t len = 0, i, j;

	o.min = 40;
	for (i = 0; i < sizeof(qs) / sizeof(qs[0]); i++) {
		td_lookup_result r;
		cr_assert_eq(td_lookup_query(&r, l, qs[i], strlen(qs[i]), &o), 0, "%s", td_error_last());
		for (j = 0; j < r.n && len < 900; j++)
			len += (size_t)sprintf(s + len, "%lld:%.1f ", (long long)r.v[j].unit_id, r.v[j].score);
		len += (size_t)sprintf(s + len, "| ");
		td_lookup_result_free(&r);
	}
	return s;
}

Test(lookup, every_unit_has_a_fingerprint)
{
	cr_assert_eq(count_rows("SELECT id FROM unit", NULL), (int)LF_NUNITS);
	cr_assert_eq(count_rows("SELECT id FROM td_sig", NULL), (int)LF_NUNITS);
	cr_assert_eq(count_rows("SELECT u.id FROM unit u JOIN td_sig s ON s.id = u.id"
		" WHERE length(s.sig) >= 4 AND length(s.sig) % 2 = 0", NULL), (int)LF_NUNITS);
}

/* A TM of schema 3 (no fingerprints) gets them on its first open for writing, the same as new units get. */
Test(lookup, schema_3_tm_is_migrated_with_the_same_fingerprints)
{
	char *before = fingerprints(), *after, *a1, *a2;
	td_tm *tm = NULL;

	a1 = answers(lk);
	td_lookup_close(lk);
	lk = NULL;
	exec_sql("DROP TABLE td_sig; PRAGMA user_version = 3;");
	cr_assert_eq(count_rows("SELECT name FROM sqlite_schema WHERE name = 'td_sig'", NULL), 0);
	cr_assert_eq(td_tm_open(&tm, path, 0), 0, "%s", td_error_last());
	td_tm_close(tm);
	after = fingerprints();
	cr_assert_str_eq(after, before);
	cr_assert_eq(count_rows("SELECT 1 FROM pragma_user_version WHERE user_version = 4", NULL), 1);
	cr_assert_eq(td_lookup_open(&lk, path), 0, "%s", td_error_last());
	a2 = answers(lk);
	cr_assert_str_eq(a2, a1);
	free(before);
	free(after);
	free(a1);
	free(a2);
}

/* A lookup (read-only) on a schema 3 TM still finds the same matches, scoring without fingerprints. */
Test(lookup, schema_3_tm_is_still_answered)
{
	char *a1 = answers(lk), *a2;

	td_lookup_close(lk);
	lk = NULL;
	exec_sql("DROP TABLE td_sig; PRAGMA user_version = 3;");
	cr_assert_eq(td_lookup_open(&lk, path), 0, "%s", td_error_last());
	cr_assert_eq(td_lookup_preload(lk), 0);
	a2 = answers(lk);
	cr_assert_str_eq(a2, a1);
	free(a1);
	free(a2);
}

/* Fingerprints in memory give the same answers; units added after the preload are found too. */
Test(lookup, preloaded_fingerprints_give_the_same_answers)
{
	char *a1 = answers(lk), *a2;
	td_tm *tm = NULL;
	td_tm_doc_info doc = TD_TM_DOC_INFO_INIT;
	td_tm_unit_in in = TD_TM_UNIT_IN_INIT;
	td_lookup_opts o = de_en();
	td_lookup_result r;
	char h[TD_HASH_HEX];
	const char *q = "Der Zug nach München fährt um 7 Uhr ab.";

	cr_assert_eq(td_lookup_preload(lk), 0, "%s", td_error_last());
	cr_assert_eq(td_lookup_preload(lk), 0, "a second preload is a no-op");
	a2 = answers(lk);
	cr_assert_str_eq(a2, a1);
	/* Another writer adds a unit: it is read from the TM, not from the preloaded ones. */
	td_tm_hash_bytes(h, "late.tsv", 8);
	cr_assert_eq(td_tm_open(&tm, path, 0), 0, "%s", td_error_last());
	doc.kind = "import";
	doc.src_name = "late.tsv";
	doc.src_hash = h;
	doc.src_lang = "de";
	doc.tgt_lang = "en";
	cr_assert_eq(td_tm_begin_document(tm, &doc), 0, "%s", td_error_last());
	in.src_lang = "de";
	in.tgt_lang = "en";
	in.source = q;
	in.target = "The train to Munich leaves at 7.";
	cr_assert_eq(td_tm_add_unit(NULL, tm, &in), 0, "%s", td_error_last());
	cr_assert_eq(td_tm_commit_document(tm), 0, "%s", td_error_last());
	td_tm_close(tm);
	cr_assert_eq(td_lookup_query(&r, lk, q, strlen(q), &o), 0, "%s", td_error_last());
	cr_assert_geq(r.n, 1);
	cr_assert_float_eq(r.v[0].score, 100.0, 1e-9);
	cr_assert_eq(r.v[0].unit_id, (int64_t)LF_NUNITS + 1);
	td_lookup_result_free(&r);
	free(a1);
	free(a2);
}

/*
 * Posting lists kept because they were slow to read give the same answers,
 * and are dropped when another connection commits: every read counts as
 * slow here, so each query after the first is answered from kept lists.
 */
Test(lookup, kept_posting_lists_give_the_same_answers_until_the_tm_changes)
{
	char *a1 = answers(lk), *a2, *a3;
	td_lookup *keep = NULL;
	td_tm *tm = NULL;
	td_tm_doc_info doc = TD_TM_DOC_INFO_INIT;
	td_tm_unit_in in = TD_TM_UNIT_IN_INIT;
	td_lookup_opts o = de_en();
	td_lookup_result r;
	char h[TD_HASH_HEX];
	const char *q = "Die Regierung hat das Gesetz über die Zugspitze beschlossen.";

	cr_assert_eq(td_lookup_open(&keep, path), 0, "%s", td_error_last());
	keep->slow_base_ns = -1;
	keep->slow_row_ns = 0;
	a2 = answers(keep);
	cr_assert_gt(keep->nslow, 0, "every read was kept");
	a3 = answers(keep);
	cr_assert_str_eq(a2, a1);
	cr_assert_str_eq(a3, a1);
	cr_assert_eq(td_lookup_query(&r, keep, q, strlen(q), &o), 0, "%s", td_error_last());
	cr_assert(r.n == 0 || r.v[0].score < 100.0);
	td_lookup_result_free(&r);
	/* Another writer adds the query as a unit: the kept lists lack it, the next query must not. */
	td_tm_hash_bytes(h, "later.tsv", 9);
	cr_assert_eq(td_tm_open(&tm, path, 0), 0, "%s", td_error_last());
	doc.kind = "import";
	doc.src_name = "later.tsv";
	doc.src_hash = h;
	doc.src_lang = "de";
	doc.tgt_lang = "en";
	cr_assert_eq(td_tm_begin_document(tm, &doc), 0, "%s", td_error_last());
	in.src_lang = "de";
	in.tgt_lang = "en";
	in.source = q;
	in.target = "The government passed the Zugspitze law.";
	cr_assert_eq(td_tm_add_unit(NULL, tm, &in), 0, "%s", td_error_last());
	cr_assert_eq(td_tm_commit_document(tm), 0, "%s", td_error_last());
	td_tm_close(tm);
	cr_assert_eq(td_lookup_query(&r, keep, q, strlen(q), &o), 0, "%s", td_error_last());
	cr_assert_geq(r.n, 1);
	cr_assert_float_eq(r.v[0].score, 100.0, 1e-9);
	cr_assert_eq(r.v[0].unit_id, (int64_t)LF_NUNITS + 1);
	td_lookup_result_free(&r);
	td_lookup_close(keep);
	free(a1);
	free(a2);
	free(a3);
}
