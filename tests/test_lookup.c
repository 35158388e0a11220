/* Fuzzy lookup and concordance over a TM: the indexes, retrieval, answers. */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <string.h>

#include "memory/index.h"
#include "tandem/error.h"

static sqlite3 *mem_tm(void)
{
	sqlite3 *db = NULL;

	cr_assert_eq(sqlite3_open(":memory:", &db), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db, "CREATE TABLE units(id INTEGER PRIMARY KEY, "
		"source TEXT, target TEXT)", NULL, NULL, NULL), SQLITE_OK);
	cr_assert_eq(td__index_schema(db), 0, "%s", td_error_last());
	return db;
}

static void add(sqlite3 *db, sqlite3_int64 id, const char *src, const char *tgt)
{
	sqlite3_stmt *st;

	cr_assert_eq(sqlite3_prepare_v2(db, "INSERT INTO units VALUES (?1, ?2, ?3)", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, src, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, tgt, -1, SQLITE_STATIC);
	cr_assert_eq(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	cr_assert_eq(td__index_add(db, id, "de", "en", src, tgt), 0, "%s", td_error_last());
}

static int count(sqlite3 *db, const char *sql, const char *arg)
{
	sqlite3_stmt *st;
	int n = 0;

	cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK, "%s", sqlite3_errmsg(db));
	sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW)
		n++;
	sqlite3_finalize(st);
	return n;
}

Test(index, keys_find_units_case_insensitively)
{
	sqlite3 *db = mem_tm();
	char key[TD__KEY_SIZE];

	add(db, 1, "Die Straße ist gesperrt.", "The road is closed.");
	add(db, 2, "Der Zug hält in München.", "The train stops in Munich.");
	td__index_key(key, "de", "münchen", strlen("münchen"));
	cr_assert_eq(count(db, "SELECT rowid FROM td_fuzzy WHERE td_fuzzy MATCH ?1", key), 1);
	td__index_key(key, "de-DE", "die", 3);
	cr_assert_eq(count(db, "SELECT rowid FROM td_fuzzy WHERE td_fuzzy MATCH ?1", key), 1);
	td__index_key(key, "en", "die", 3);
	cr_assert_eq(count(db, "SELECT rowid FROM td_fuzzy WHERE td_fuzzy MATCH ?1", key), 0,
		"keys of different languages must not meet");
	sqlite3_close(db);
}

Test(index, concordance_ignores_case_and_diacritics)
{
	sqlite3 *db = mem_tm();

	add(db, 1, "Der Zug hält in München.", "The train stops in Munich.");
	cr_assert_eq(count(db, "SELECT rowid FROM td_concord WHERE td_concord MATCH ?1", "source: muenchen"), 0);
	cr_assert_eq(count(db, "SELECT rowid FROM td_concord WHERE td_concord MATCH ?1", "source: MUNCHEN"), 1);
	cr_assert_eq(count(db, "SELECT rowid FROM td_concord WHERE td_concord MATCH ?1", "source: \"hält in\""), 1);
	cr_assert_eq(count(db, "SELECT rowid FROM td_concord WHERE td_concord MATCH ?1", "target: munich"), 1);
	sqlite3_close(db);
}

Test(index, bad_language_is_refused)
{
	sqlite3 *db = mem_tm();

	cr_assert_eq(td__index_add(db, 1, "not a tag!", "en", "x", "y"), TD_EINVAL);
	cr_assert(strstr(td_error_last(), "not a tag") != NULL);
	sqlite3_close(db);
}
