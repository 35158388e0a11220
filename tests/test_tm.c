/* The TM store: languages, text normalisation, units, provenance, transactions, refusal. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"
#include "memory/tm_internal.h"
#include "tandem/concord.h"
#include "tandem/lookup.h"
#include "tandem/terms.h"
#include "tandem/tm.h"

static char path[1024];

/*
 * The suite tm_store runs against PostgreSQL too (the suite pg: th_tm). Its
 * tests of the store's behaviour use the TM of th_tm; those of the TM file
 * itself (its bytes, its SQLite tables, its directory) only the file.
 */
static void setup_store(void)
{
	th_dir_setup();
	snprintf(path, sizeof(path), "%s", th_tm("tm.db"));
}

static void file_only(void)
{
	if (th_pg())
		cr_skip_test("a test of the TM file itself");
}

/*
 * What td_tm_add_unit answers for a unit that is new (TD_TM_ADDED) or
 * stored (TD_TM_PRESENT): the PostgreSQL store knows it at commit only
 * and answers TD_TM_PENDING (store.h).
 */
static td_tm_add_result on_add(td_tm_add_result r)
{
	return th_pg() ? TD_TM_PENDING : r;
}

/* Commit the open document; its new units must be want. */
static void commit_adding(td_tm *tm, int64_t want)
{
	int64_t added = -1;

	cr_assert_eq(td_tm_commit_document_counted(&added, tm), 0, "%s", td_error_last());
	cr_assert_eq(added, want, "%lld new units, not %lld", (long long)added, (long long)want);
}

/* ---- languages ---- */

/* Parameters are copied into the test process: strings live in the struct. */
struct lang_case {
	char in[24];
	char out[24];   /* "": refused */
};

ParameterizedTestParameters(tm_lang, normalize)
{
	static struct lang_case cases[] = {
		{ "de", "de" }, { "de-DE", "de-DE" }, { "de_DE", "de-DE" }, { "DE-de", "de-DE" },
		{ "de-de", "de-DE" }, { "en-gb", "en-GB" }, { "EN", "en" }, { "gsw", "gsw" },
		{ "zh-hant-tw", "zh-Hant-TW" }, { "es-419", "es-419" }, { "pt_br", "pt-BR" },
		{ "xx", "" }, { "qq", "" }, { "", "" }, { "de--DE", "" }, { "en-XX", "" },
		{ "123", "" }, { "de DE", "" }, { "d\xc3\xa4", "" }, { "und", "" },
	};
	return cr_make_param_array(struct lang_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct lang_case *c, tm_lang, normalize)
{
	char out[TD_LANG_MAX];
	int rc = td_lang_normalize(out, c->in);

	if (*c->out) {
		cr_assert_eq(rc, 0, "%s: %s", c->in, td_error_last());
		cr_assert_str_eq(out, c->out);
	} else {
		cr_assert_eq(rc, TD_EINVAL, "'%s' should be refused, got %s", c->in, out);
		cr_assert(strstr(td_error_last(), "language") != NULL, "message: %s", td_error_last());
	}
}

Test(tm_lang, matches_by_prefix_of_subtags)
{
	cr_assert(td_lang_matches("de-DE", "de"));
	cr_assert(td_lang_matches("de", "de"));
	cr_assert(td_lang_matches("de-AT", NULL));
	cr_assert_not(td_lang_matches("de", "de-DE"));
	cr_assert_not(td_lang_matches("dsb", "de"), "dsb is not a kind of de");
	cr_assert_not(td_lang_matches("en-GB", "en-US"));
}

/* BCP 47 tags compare case-insensitively, and ICU's '_' stands for '-'. */
Test(tm_lang, matches_ignore_case_and_underscores)
{
	cr_assert(td_lang_matches("de-DE", "DE"));
	cr_assert(td_lang_matches("de-de", "de-DE"));
	cr_assert(td_lang_matches("DE-AT", "de-at"));
	cr_assert(td_lang_matches("de_AT", "de"));
	cr_assert(td_lang_matches("de-CH", "de_ch"));
	cr_assert_not(td_lang_matches("DSB", "de"));
	cr_assert_not(td_lang_matches("de-AT", "DE-CH"));
	cr_assert_not(td_lang_matches(NULL, "de"));
}

Test(tm_lang, primary_subtag)
{
	char p[8];

	cr_assert_eq(td_lang_primary(p, sizeof(p), "DE_ch"), 2);
	cr_assert_str_eq(p, "de");
	cr_assert_eq(td_lang_primary(p, sizeof(p), "gsw-CH"), 3);
	cr_assert_str_eq(p, "gsw");
	cr_assert_eq(td_lang_primary(p, sizeof(p), "de@collation=phonebook"), 2);
	cr_assert_eq(td_lang_primary(p, sizeof(p), "de1"), 0);
	cr_assert_str_eq(p, "");
	cr_assert_eq(td_lang_primary(p, sizeof(p), "-de"), 0);
	cr_assert_eq(td_lang_primary(p, 3, "gsw"), 0, "does not fit");
	cr_assert(td_lang_is("DE-at", "de"));
	cr_assert_not(td_lang_is("dsb", "de"));
	cr_assert_not(td_lang_is("en", "de"));
}

/* ---- normalised form ---- */

struct norm_case {
	char in[64];
	char out[64];   /* "": invalid */
};

ParameterizedTestParameters(tm_text, normalize)
{
	static struct norm_case cases[] = {
		{ "  Der   HUND\tbellt  ", "der hund bellt" },
		{ "\xc3\x84RGER \xc3\xbc" "ber \xe2\x80\x9eZ\xc3\xb6lle\xe2\x80\x9c", "\xc3\xa4rger \xc3\xbc" "ber \xe2\x80\x9ez\xc3\xb6lle\xe2\x80\x9c" },
		{ "A\xcc\x88rger", "\xc3\xa4rger" },                      /* NFD -> NFC */
		{ "STRASSE Stra\xc3\x9f" "e", "strasse strasse" },         /* full case folding */
		{ "Preis:\xc2\xa0" "5.000\xe2\x80\xaf\xe2\x82\xac", "preis: 5.000 \xe2\x82\xac" }, /* NBSP, NNBSP */
		{ "\"Quoted\"  'text'\n", "\"quoted\" 'text'" },
		{ "bad \xff byte", "" },
		{ "cut \xc3", "" },
	};
	return cr_make_param_array(struct norm_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct norm_case *c, tm_text, normalize)
{
	char *out = NULL;
	int rc = td_tm_normalize_text(&out, c->in, strlen(c->in));

	if (*c->out) {
		cr_assert_eq(rc, 0, "%s", td_error_last());
		cr_assert_str_eq(out, c->out);
	} else {
		cr_assert_eq(rc, TD_EENCODING);
		cr_assert(strstr(td_error_last(), "byte") != NULL, "message: %s", td_error_last());
	}
	free(out);
}

/* ---- store ---- */

static void begin(td_tm *tm, const char *name)
{
	td_tm_doc_info info = TD_TM_DOC_INFO_INIT;
	char h1[TD_HASH_HEX], h2[TD_HASH_HEX];
	char tname[64];

	snprintf(tname, sizeof(tname), "%s.en", name);
	td_tm_hash_bytes(h1, name, strlen(name));
	td_tm_hash_bytes(h2, tname, strlen(tname));
	info.src_name = name;
	info.tgt_name = tname;
	info.src_hash = h1;
	info.tgt_hash = h2;
	info.src_lang = "de";
	info.tgt_lang = "en";
	cr_assert_eq(td_tm_begin_document(tm, &info), 0, "%s", td_error_last());
}

static td_tm_add_result add(td_tm *tm, const char *src, const char *tgt, int64_t pos)
{
	td_tm_unit_in u = TD_TM_UNIT_IN_INIT;
	td_tm_add_result r;

	u.source = src;
	u.target = tgt;
	u.position = pos;
	u.score = 0.9;
	cr_assert_eq(td_tm_add_unit(&r, tm, &u), 0, "%s", td_error_last());
	return r;
}

static td_tm_stats stats_of(td_tm *tm)
{
	td_tm_stats st;
	cr_assert_eq(td_tm_stats_get(&st, tm), 0, "%s", td_error_last());
	return st;
}

TestSuite(tm_store, .init = setup_store, .fini = th_dir_teardown);

Test(tm_store, new_file_is_created_with_schema)
{
	file_only();
	td_tm *tm = NULL;
	td_tm_stats st;

	cr_assert_eq(td_tm_open(&tm, path, 0), 0, "%s", td_error_last());
	st = stats_of(tm);
	cr_assert_eq(st.units, 0);
	cr_assert_eq(st.schema_version, 4);
	td_tm_stats_free(&st);
	td_tm_close(tm);
	cr_assert_eq(access(path, F_OK), 0);
}

Test(tm_store, missing_file_with_must_exist_is_not_found)
{
	file_only();
	td_tm *tm = NULL;

	cr_assert_eq(td_tm_open(&tm, path, TD_TM_READONLY), TD_ENOTFOUND);
	cr_assert_null(tm);
	cr_assert_neq(access(path, F_OK), 0, "a read-only open must not create the file");
}

Test(tm_store, same_unit_twice_adds_provenance_not_a_copy)
{
	td_tm *tm = NULL;
	td_tm_stats st;

	cr_assert_eq(td_tm_open(&tm, path, 0), 0);
	begin(tm, "a.de");
	cr_assert_eq(add(tm, "Der Hund bellt.", "The dog barks.", 0), on_add(TD_TM_ADDED));
	cr_assert_eq(add(tm, "  Der Hund bellt.\n", "The dog barks.", 5), on_add(TD_TM_PRESENT),
		"outer space is trimmed");
	cr_assert_eq(add(tm, "Der Hund bellt.", "The dog is barking.", 6), on_add(TD_TM_ADDED));
	commit_adding(tm, 2);
	begin(tm, "b.de");
	cr_assert_eq(add(tm, "Der Hund bellt.", "The dog barks.", 0), on_add(TD_TM_PRESENT));
	commit_adding(tm, 0);
	st = stats_of(tm);
	cr_assert_eq(st.units, 2);
	cr_assert_eq(st.documents, 2);
	cr_assert_eq(st.provenance, 4);
	cr_assert_eq(st.npairs, 1);
	cr_assert_str_eq(st.pairs[0].src_lang, "de");
	cr_assert_eq(st.pairs[0].units, 2);
	td_tm_stats_free(&st);
	td_tm_close(tm);
}

Test(tm_store, nfd_and_nfc_are_one_unit)
{
	td_tm *tm = NULL;

	cr_assert_eq(td_tm_open(&tm, path, 0), 0);
	begin(tm, "a.de");
	cr_assert_eq(add(tm, "\xc3\x84rger", "anger", 0), on_add(TD_TM_ADDED));
	cr_assert_eq(add(tm, "A\xcc\x88rger", "anger", 1), on_add(TD_TM_PRESENT));
	commit_adding(tm, 1);
	td_tm_close(tm);
}

Test(tm_store, languages_are_normalised_per_unit)
{
	td_tm *tm = NULL;
	td_tm_unit_in u = TD_TM_UNIT_IN_INIT;
	td_tm_stats st;

	cr_assert_eq(td_tm_open(&tm, path, 0), 0);
	begin(tm, "a.de");
	u.source = "Hallo";
	u.target = "Hello";
	u.src_lang = "de_DE";
	u.tgt_lang = "EN-gb";
	cr_assert_eq(td_tm_add_unit(NULL, tm, &u), 0, "%s", td_error_last());
	u.src_lang = "xx";
	cr_assert_eq(td_tm_add_unit(NULL, tm, &u), TD_EINVAL);
	cr_assert(strstr(td_error_last(), "'xx'") != NULL, "%s", td_error_last());
	cr_assert_eq(td_tm_commit_document(tm), 0);
	st = stats_of(tm);
	cr_assert_eq(st.npairs, 1);
	cr_assert_str_eq(st.pairs[0].src_lang, "de-DE");
	cr_assert_str_eq(st.pairs[0].tgt_lang, "en-GB");
	td_tm_stats_free(&st);
	td_tm_close(tm);
}

Test(tm_store, bad_texts_are_refused)
{
	td_tm *tm = NULL;
	td_tm_unit_in u = TD_TM_UNIT_IN_INIT;

	cr_assert_eq(td_tm_open(&tm, path, 0), 0);
	begin(tm, "a.de");
	u.source = "ung\xfcltig";
	u.target = "invalid";
	cr_assert_eq(td_tm_add_unit(NULL, tm, &u), TD_EENCODING);
	u.source = " \t ";
	cr_assert_eq(td_tm_add_unit(NULL, tm, &u), TD_EINVAL);
	cr_assert(strstr(td_error_last(), "empty") != NULL);
	cr_assert_eq(td_tm_rollback(tm), 0);
	td_tm_close(tm);
}

Test(tm_store, rollback_and_close_leave_tm_as_before)
{
	td_tm *tm = NULL;
	td_tm_stats st;
	int has = 1;

	cr_assert_eq(td_tm_open(&tm, path, 0), 0);
	begin(tm, "kept.de");
	add(tm, "Eins.", "One.", 0);
	cr_assert_eq(td_tm_commit_document(tm), 0);
	begin(tm, "lost.de");
	add(tm, "Zwei.", "Two.", 0);
	cr_assert_eq(td_tm_rollback(tm), 0);
	begin(tm, "lost2.de");
	add(tm, "Drei.", "Three.", 0);
	td_tm_close(tm);   /* an open document is rolled back */
	cr_assert_eq(td_tm_open(&tm, path, 0), 0);
	st = stats_of(tm);
	cr_assert_eq(st.units, 1);
	cr_assert_eq(st.documents, 1);
	td_tm_stats_free(&st);
	{
		char h[TD_HASH_HEX], h2[TD_HASH_HEX];
		td_tm_hash_bytes(h, "lost.de", 7);
		td_tm_hash_bytes(h2, "lost.de.en", 10);
		cr_assert_eq(td_tm_has_document(&has, tm, h, h2), 0);
		cr_assert_eq(has, 0);
		td_tm_hash_bytes(h, "kept.de", 7);
		td_tm_hash_bytes(h2, "kept.de.en", 10);
		cr_assert_eq(td_tm_has_document(&has, tm, h, h2), 0);
		cr_assert_eq(has, 1);
		cr_assert_eq(td_tm_has_document(&has, tm, h, NULL), 0);
		cr_assert_eq(has, 0, "an aligned pair is not an imported file");
	}
	td_tm_close(tm);
}

Test(tm_store, killed_writer_leaves_tm_as_before)
{
	td_tm *tm = NULL;
	td_tm_stats st;
	pid_t pid;
	int status;

	cr_assert_eq(td_tm_open(&tm, path, 0), 0);
	begin(tm, "kept.de");
	add(tm, "Eins.", "One.", 0);
	cr_assert_eq(td_tm_commit_document(tm), 0);
	td_tm_close(tm);
	pid = fork();
	cr_assert_neq(pid, -1);
	if (pid == 0) {
		td_tm *c = NULL;
		char src[32];
		int i;
		if (td_tm_open(&c, path, 0) < 0)
			_exit(3);
		begin(c, "killed.de");
		for (i = 0; i < 5000; i++) {
			snprintf(src, sizeof(src), "Satz %d.", i);
			add(c, src, "A sentence.", i);
		}
		kill(getpid(), SIGKILL);
		_exit(4);
	}
	waitpid(pid, &status, 0);
	cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	cr_assert_eq(td_tm_open(&tm, path, 0), 0, "%s", td_error_last());
	st = stats_of(tm);
	cr_assert_eq(st.units, 1);
	cr_assert_eq(st.documents, 1);
	td_tm_stats_free(&st);
	td_tm_close(tm);
}

Test(tm_store, iteration_filters_by_language_and_gives_origins)
{
	td_tm *tm = NULL;
	td_tm_iter *it = NULL;
	const td_tm_unit *u;
	td_tm_unit_in in = TD_TM_UNIT_IN_INIT;
	int n = 0;

	cr_assert_eq(td_tm_open(&tm, path, 0), 0);
	begin(tm, "a.de");
	add(tm, "Eins.", "One.", 3);
	in.source = "Un.";
	in.target = "One.";
	in.src_lang = "fr";
	cr_assert_eq(td_tm_add_unit(NULL, tm, &in), 0);
	in.source = "Zwei.";
	in.target = "Two.";
	in.src_lang = "de-AT";
	cr_assert_eq(td_tm_add_unit(NULL, tm, &in), 0);
	cr_assert_eq(td_tm_commit_document(tm), 0);
	cr_assert_eq(td_tm_iter_new(&it, tm, "de", "en"), 0);
	while (td_tm_iter_next(&u, it) > 0) {
		n++;
		cr_assert(strncmp(u->src_lang, "de", 2) == 0);
		if (n == 1) {
			cr_assert_str_eq(u->source, "Eins.");
			cr_assert_eq(u->norigins, 1);
			cr_assert_str_eq(u->origins[0].src_name, "a.de");
			cr_assert_str_eq(u->origins[0].tgt_name, "a.de.en");
			cr_assert_str_eq(u->origins[0].kind, "align");
			cr_assert_eq(u->origins[0].position, 3);
			cr_assert_float_eq(u->origins[0].score, 0.9, 1e-9);
			cr_assert(strncmp(u->origins[0].tool, "tandem ", 7) == 0);
		}
	}
	cr_assert_eq(n, 2);
	td_tm_iter_free(it);
	td_tm_close(tm);
}

Test(tm_store, random_bytes_are_refused_untouched)
{
	char junk[4096];
	size_t i, len;
	td_tm *tm = NULL;
	char *after;

	file_only();

	for (i = 0; i < sizeof(junk); i++)
		junk[i] = (char)(i * 131 + 7);
	cr_assert_eq(th_write(path, junk, sizeof(junk)), 0);
	cr_assert_eq(td_tm_open(&tm, path, 0), TD_EFORMAT);
	cr_assert(strstr(td_error_last(), "not a tandem translation memory") != NULL, "%s", td_error_last());
	after = th_read(path, &len);
	cr_assert_eq(len, sizeof(junk));
	cr_assert(memcmp(after, junk, len) == 0);
	free(after);
}

Test(tm_store, other_sqlite_database_is_refused_untouched)
{
	sqlite3 *db;
	char *before, *after;
	size_t n1, n2;
	td_tm *tm = NULL;

	file_only();

	cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db, "CREATE TABLE contacts(name TEXT); INSERT INTO contacts VALUES ('Erika')",
		NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	before = th_read(path, &n1);
	cr_assert_eq(td_tm_open(&tm, path, 0), TD_EFORMAT);
	cr_assert(strstr(td_error_last(), "another program") != NULL, "%s", td_error_last());
	after = th_read(path, &n2);
	cr_assert_eq(n1, n2);
	cr_assert(memcmp(before, after, n1) == 0, "the file was modified");
	free(before);
	free(after);
}

Test(tm_store, newer_schema_is_refused)
{
	td_tm *tm = NULL;
	sqlite3 *db;

	file_only();

	cr_assert_eq(td_tm_open(&tm, path, 0), 0);
	td_tm_close(tm);
	cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	cr_assert_eq(td_tm_open(&tm, path, 0), TD_EFORMAT);
	cr_assert(strstr(td_error_last(), "newer") != NULL, "%s", td_error_last());
}

Test(tm_store, hash_file_is_sha256)
{
	char h[TD_HASH_HEX];

	file_only();

	cr_assert_eq(th_write(path, "abc", 3), 0);
	cr_assert_eq(td_tm_hash_file(h, path), 0);
	cr_assert_str_eq(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	cr_assert_eq(td_tm_hash_file(h, "/nonexistent/x"), TD_EIO);
}

/* A TM as schema version 1 wrote it: UNIQUE over the texts, no lookup index. */
static void make_version_1(const char *p)
{
	sqlite3 *db;

	cr_assert_eq(sqlite3_open(p, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db,
		"PRAGMA application_id = 1413764173;"
		"CREATE TABLE document (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, src_name TEXT NOT NULL,"
		"  tgt_name TEXT, src_hash TEXT NOT NULL, tgt_hash TEXT NOT NULL DEFAULT '', src_lang TEXT,"
		"  tgt_lang TEXT, tool TEXT NOT NULL, created INTEGER NOT NULL, UNIQUE (kind, src_hash, tgt_hash));"
		"CREATE TABLE unit (id INTEGER PRIMARY KEY, src_lang TEXT NOT NULL, tgt_lang TEXT NOT NULL,"
		"  source TEXT NOT NULL, target TEXT NOT NULL, source_norm TEXT NOT NULL, target_norm TEXT NOT NULL,"
		"  created INTEGER NOT NULL, UNIQUE (src_lang, tgt_lang, source, target));"
		"CREATE TABLE provenance (unit_id INTEGER NOT NULL REFERENCES unit(id) ON DELETE CASCADE,"
		"  document_id INTEGER NOT NULL REFERENCES document(id) ON DELETE CASCADE, position INTEGER NOT NULL,"
		"  score REAL, src_first INTEGER, src_count INTEGER, tgt_first INTEGER, tgt_count INTEGER,"
		"  created INTEGER NOT NULL, PRIMARY KEY (unit_id, document_id, position)) WITHOUT ROWID;"
		"CREATE INDEX provenance_document ON provenance(document_id);"
		"CREATE VIEW td_concord_text AS SELECT id, source, target FROM unit;"
		"INSERT INTO document VALUES (1, 'import', 'old.tsv', NULL, 'ab', '', 'de', 'en', 'tandem 0.1.0', 0);"
		"INSERT INTO unit VALUES (7, 'de', 'en', 'Alter Satz.', 'Old sentence.', 'alter satz.', 'old sentence.', 0);"
		"INSERT INTO provenance VALUES (7, 1, 1, NULL, NULL, NULL, NULL, NULL, 0);"
		"PRAGMA user_version = 1;", NULL, NULL, NULL), SQLITE_OK, "%s", sqlite3_errmsg(db));
	sqlite3_close(db);
}

/* A TM written by schema version 1 (UNIQUE over the texts) is migrated in place. */
Test(tm_store, version_1_tm_is_migrated_keeping_units_and_provenance)
{
	file_only();
	td_tm *tm = NULL;
	td_tm_stats st;

	make_version_1(path);
	cr_assert_eq(td_tm_open(&tm, path, 0), 0, "%s", td_error_last());
	st = stats_of(tm);
	cr_assert_eq(st.schema_version, 4);
	cr_assert_eq(st.units, 1);
	cr_assert_eq(st.provenance, 1, "the rebuild must not cascade into provenance");
	td_tm_stats_free(&st);
	begin(tm, "new.de");
	cr_assert_eq(add(tm, "Alter Satz.", "Old sentence.", 0), TD_TM_PRESENT);
	cr_assert_eq(add(tm, "Neuer Satz.", "New sentence.", 1), TD_TM_ADDED);
	cr_assert_eq(td_tm_commit_document(tm), 0);
	td_tm_close(tm);
}

/* ---- storing a ladder ---- */

static td_sentence sent(const char *text)
{
	td_sentence s = { (char *)text, 0, strlen(text), 0, 1, 1 };
	return s;
}

Test(tm_store, ladder_gives_units_for_two_sided_beads_above_min_score)
{
	td_sentence sv[] = { sent("Die Nato warnt."), sent("Russland schweigt."), sent("Das ist neu."),
		sent("Am 27. Januar."), sent("Ohne Gegenst\xc3\xbc" "ck.") };
	td_sentence tv[] = { sent("NATO warns, Russia is silent."), sent("This is new."), sent("On 27 January."),
		sent("Added by the translator.") };
	td_doc src = { sv, 5, 1 }, tgt = { tv, 4, 1 };
	td_bead bv[] = {
		{ 0, 2, 0, 1, 0.9 },   /* 2-1 */
		{ 2, 1, 1, 1, 0.8 },   /* 1-1 */
		{ 3, 1, 2, 1, 0.2 },   /* below --min-score */
		{ 4, 1, 3, 0, 0.5 },   /* 1-0 */
		{ 5, 0, 3, 1, 0.5 },   /* 0-1 */
	};
	td_ladder ladder = { bv, 5 };
	td_tm_doc_info info = TD_TM_DOC_INFO_INIT;
	td_tm_store_report rep;
	td_tm *tm = NULL;
	td_tm_iter *it = NULL;
	const td_tm_unit *u;
	int has = 0;

	info.src_name = "nato.de";
	info.tgt_name = "nato.en";
	info.src_hash = "aa";
	info.tgt_hash = "bb";
	info.src_lang = "de";
	info.tgt_lang = "en";
	cr_assert_eq(td_tm_open(&tm, path, 0), 0);
	cr_assert_eq(td_tm_store_ladder(&rep, tm, &info, &ladder, &src, &tgt, 0.5), 0, "%s", td_error_last());
	cr_assert_eq(rep.beads, 5);
	cr_assert_eq(rep.added, 2);
	cr_assert_eq(rep.below_score, 1);
	cr_assert_eq(rep.one_sided, 2);
	cr_assert_eq(td_tm_has_document(&has, tm, "aa", "bb"), 0);
	cr_assert_eq(has, 1);
	cr_assert_eq(td_tm_iter_new(&it, tm, NULL, NULL), 0);
	cr_assert_eq(td_tm_iter_next(&u, it), 1);
	cr_assert_str_eq(u->source, "Die Nato warnt. Russland schweigt.");
	cr_assert_str_eq(u->target, "NATO warns, Russia is silent.");
	cr_assert_eq(u->origins[0].position, 0);
	cr_assert_str_eq(u->origins[0].tgt_name, "nato.en");
	cr_assert_eq(td_tm_iter_next(&u, it), 1);
	cr_assert_str_eq(u->source, "Das ist neu.");
	cr_assert_float_eq(u->origins[0].score, 0.8, 1e-9);
	cr_assert_eq(td_tm_iter_next(&u, it), 0);
	td_tm_iter_free(it);
	/* a ladder pointing past the document is refused as a whole */
	bv[1].src = 9;
	info.src_hash = "cc";
	cr_assert_eq(td_tm_store_ladder(&rep, tm, &info, &ladder, &src, &tgt, 0.5), TD_EINVAL);
	cr_assert_eq(td_tm_has_document(&has, tm, "cc", "bb"), 0);
	cr_assert_eq(has, 0);
	td_tm_close(tm);
}

/* Schema 1 had no lookup index: the migration indexes its units, so lookup and concordance find them. */
Test(tm_store, version_1_units_are_found_by_lookup_and_concordance)
{
	file_only();
	td_lookup_opts lo = TD_LOOKUP_OPTS_INIT;
	td_concord_opts co = TD_CONCORD_OPTS_INIT;
	td_lookup_result lr;
	td_concord_result cres = { 0 };
	td_lookup *lk = NULL;
	td_tm *tm = NULL;

	make_version_1(path);
	cr_assert_eq(td_tm_open(&tm, path, 0), 0, "%s", td_error_last());
	td_tm_close(tm);
	cr_assert_eq(td_lookup_open(&lk, path), 0, "%s", td_error_last());
	co.src_lang = lo.src_lang = "de";
	co.tgt_lang = lo.tgt_lang = "en";
	cr_assert_eq(td_concord(&cres, lk, "alter", &co), 0, "%s", td_error_last());
	cr_assert_eq(cres.n, 1, "concordance found %zu units of schema 1", cres.n);
	cr_assert_eq(cres.v[0].unit_id, 7);
	cr_assert_eq(td_lookup_query(&lr, lk, "Alter Satz.", strlen("Alter Satz."), &lo), 0, "%s", td_error_last());
	cr_assert_eq(lr.n, 1, "lookup found %zu units of schema 1", lr.n);
	cr_assert_str_eq(lr.v[0].target, "Old sentence.");
	td_lookup_result_free(&lr);
	td_concord_result_free(&cres);
	td_lookup_close(lk);
}

/* ---- reading connections and the files they refuse ---- */

static void store_one(const char *p)
{
	td_tm *tm = NULL;

	cr_assert_eq(td_tm_open(&tm, p, 0), 0, "%s", td_error_last());
	begin(tm, "haus.de");
	add(tm, "Das Haus ist gro\xc3\x9f.", "The house is big.", 0);
	cr_assert_eq(td_tm_commit_document(tm), 0, "%s", td_error_last());
	td_tm_close(tm);
}

static int exists_with(const char *p, const char *suffix)
{
	char buf[1100];
	struct stat sb;

	snprintf(buf, sizeof(buf), "%s%s", p, suffix);
	return stat(buf, &sb) == 0;
}

/* The fallback for a directory the user cannot write (forced: root ignores chmod). */
Test(tm_store, reader_falls_back_to_an_immutable_open)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st;

	file_only();

	store_one(path);
	cr_assert(!exists_with(path, "-wal") && !exists_with(path, "-shm"));
	cr_assert_eq(td__open_reader(&db, path, 0, 1), 0, "%s", td_error_last());
	cr_assert_eq(sqlite3_prepare_v2(db, "SELECT source FROM unit", -1, &st, NULL), SQLITE_OK, "%s",
		sqlite3_errmsg(db));
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW, "%s", sqlite3_errmsg(db));
	cr_assert_str_eq((const char *)sqlite3_column_text(st, 0), "Das Haus ist gro\xc3\x9f.");
	sqlite3_finalize(st);
	cr_assert(!exists_with(path, "-shm"), "an immutable open made a -shm file");
	cr_assert_neq(sqlite3_exec(db, "DELETE FROM unit", NULL, NULL, NULL), SQLITE_OK, "it must not write");
	sqlite3_close(db);
}

/* Lookup, terms and stats read a TM in a directory the user cannot write. */
Test(tm_store, readers_work_in_a_read_only_directory)
{
	td_concord_opts co = TD_CONCORD_OPTS_INIT;
	td_concord_result cres = { 0 };
	char dir[560], p[600];
	td_lookup *lk = NULL;
	td_terms *tt = NULL;
	td_tm *tm = NULL;
	td_tm_stats st;
	int rc;

	file_only();

	if (geteuid() == 0)
		cr_skip_test("running as root: a directory of mode 0555 does not stop root from writing");
	snprintf(dir, sizeof(dir), "%s/ro", th_dir);
	snprintf(p, sizeof(p), "%s/tm.db", dir);
	cr_assert_eq(mkdir(dir, 0755), 0);
	store_one(p);
	cr_assert_eq(chmod(dir, 0555), 0);
	rc = td_lookup_open(&lk, p);
	if (rc == 0)
		rc = td_concord(&cres, lk, "Haus", &co);
	if (rc == 0 && cres.n != 1)
		rc = -100;
	td_concord_result_free(&cres);
	td_lookup_close(lk);
	if (rc == 0 && (rc = td_terms_open(&tt, p)) == 0)
		td_terms_close(tt);
	if (rc == 0 && (rc = td_tm_open(&tm, p, TD_TM_READONLY)) == 0) {
		rc = td_tm_stats_get(&st, tm);
		if (rc == 0 && st.units != 1)
			rc = -101;
		if (rc == 0)
			td_tm_stats_free(&st);
		td_tm_close(tm);
	}
	chmod(dir, 0755);
	cr_assert_eq(rc, 0, "%d: %s", rc, td_error_last());
	cr_assert(!exists_with(p, "-shm") && !exists_with(p, "-wal"));
}

/* A non-empty file that is not a TM is refused by every reader and left as it was. */
Test(tm_store, readers_refuse_a_file_that_is_not_a_tm_untouched)
{
	static const char junk[] = "Kein \xe2\x80\x9eTM\xe2\x80\x9c, nur Text.\n";
	td_lookup *lk = NULL;
	td_terms *tt = NULL;
	td_tm *tm = NULL;
	size_t len;
	char *after;

	file_only();

	cr_assert_eq(th_write(path, junk, sizeof(junk) - 1), 0);
	cr_assert_eq(td_lookup_open(&lk, path), TD_EFORMAT);
	cr_assert(strstr(td_error_last(), "tm.db: not a tandem translation memory") != NULL, "%s", td_error_last());
	cr_assert_eq(td_terms_open(&tt, path), TD_EFORMAT);
	cr_assert(strstr(td_error_last(), "tm.db: not a tandem translation memory") != NULL, "%s", td_error_last());
	cr_assert_eq(td_tm_open(&tm, path, TD_TM_READONLY), TD_EFORMAT);
	cr_assert_eq(td_tm_open(&tm, path, 0), TD_EFORMAT);
	after = th_read(path, &len);
	cr_assert_eq(len, sizeof(junk) - 1);
	cr_assert(memcmp(after, junk, len) == 0);
	free(after);
	cr_assert(!exists_with(path, "-wal") && !exists_with(path, "-shm"));
}

/*
 * An empty file: reading refuses it (there is nothing to read); writing
 * makes it a new TM, as `touch tm.db` and then an import expect (there is
 * nothing to lose).
 */
Test(tm_store, empty_file_is_refused_for_reading_and_becomes_a_tm_for_writing)
{
	file_only();
	td_lookup *lk = NULL;
	td_tm *tm = NULL;
	td_tm_stats st;

	cr_assert_eq(th_write(path, "", 0), 0);
	cr_assert_eq(td_lookup_open(&lk, path), TD_EFORMAT);
	cr_assert(strstr(td_error_last(), "empty file") != NULL, "%s", td_error_last());
	cr_assert_eq(td_tm_open(&tm, path, TD_TM_READONLY), TD_EFORMAT);
	cr_assert(strstr(td_error_last(), "empty file") != NULL, "%s", td_error_last());
	cr_assert_eq(td_tm_open(&tm, path, 0), 0, "%s", td_error_last());
	st = stats_of(tm);
	cr_assert_eq(st.schema_version, 4);
	td_tm_stats_free(&st);
	td_tm_close(tm);
}
