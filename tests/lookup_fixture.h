/*
 * A small TM for the lookup suites, written straight into SQLite with the
 * TM's table layout (memory/schema.c: unit, document, provenance) and our
 * indexes, so these suites do not depend on the TM's import code.
 */
#ifndef TANDEM_TEST_LOOKUP_FIXTURE_H
#define TANDEM_TEST_LOOKUP_FIXTURE_H

#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>

#include "memory/index.h"
#include "tandem/error.h"

typedef struct { const char *src_lang, *tgt_lang, *source, *target; } lf_unit;

static const lf_unit lf_units[] = {
	{ "de", "en", "Die Regierung hat das Gesetz beschlossen.", "The government passed the law." },
	{ "de", "en", "Die Regierung hat das Gesetz abgelehnt.", "The government rejected the law." },
	{ "de", "en", "Der Zug hält heute nicht in München.", "The train does not stop in Munich today." },
	{ "de", "en", "Der Preis beträgt 5.000 Euro.", "The price is 5,000 euros." },
	{ "de", "en", "\xe2\x80\x9e" "Das ist gut\xe2\x80\x9c, sagte die Ministerin.", "\"That is good,\" said the minister." },
	{ "de", "en", "Die Straße ist wegen Bauarbeiten gesperrt.", "The road is closed for construction." },
	{ "de", "en", "Das Wetter wird morgen schön.", "The weather will be nice tomorrow." },
	{ "de", "en", "Ich bin müde.", "I am tired." },
	{ "de", "en", "Die Bundesregierung plant neue Gesetze für München.", "The federal government plans new laws for Munich." },
	{ "de", "en", "Die Regierung hat das neue Gesetz heute beschlossen.", "Today the government passed the new law." },
	{ "en", "de", "The train is late.", "Der Zug hat Verspätung." },
};
#define LF_NUNITS (sizeof(lf_units) / sizeof(lf_units[0]))

static void lf_exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;

	cr_assert_eq(sqlite3_exec(db, sql, NULL, NULL, &msg), SQLITE_OK, "%s", msg ? msg : "");
}

/* Write the fixture TM to path (which must not exist). */
static void lf_build(const char *path)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	size_t i;

	cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
	lf_exec(db,
		"CREATE TABLE document (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, src_name TEXT NOT NULL,"
		" tgt_name TEXT, created INTEGER NOT NULL);"
		"CREATE TABLE unit (id INTEGER PRIMARY KEY, src_lang TEXT NOT NULL, tgt_lang TEXT NOT NULL,"
		" source TEXT NOT NULL, target TEXT NOT NULL, created INTEGER NOT NULL,"
		" UNIQUE (src_lang, tgt_lang, source, target));"
		"CREATE TABLE provenance (unit_id INTEGER NOT NULL, document_id INTEGER NOT NULL,"
		" position INTEGER NOT NULL, created INTEGER NOT NULL,"
		" PRIMARY KEY (unit_id, document_id, position)) WITHOUT ROWID;"
		"INSERT INTO document VALUES (1, 'align', 'news.de', 'news.en', 1700000000);"
		"INSERT INTO document VALUES (2, 'import', 'old.tmx', NULL, 1700000001);");
	cr_assert_eq(td__index_schema(db), 0, "%s", td_error_last());
	lf_exec(db, "BEGIN");
	cr_assert_eq(sqlite3_prepare_v2(db, "INSERT INTO unit VALUES (?1, ?2, ?3, ?4, ?5, 1700000000)", -1, &st,
		NULL), SQLITE_OK);
	for (i = 0; i < LF_NUNITS; i++) {
		const lf_unit *u = &lf_units[i];
		char sql[160];
		sqlite3_bind_int64(st, 1, (sqlite3_int64)i + 1);
		sqlite3_bind_text(st, 2, u->src_lang, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, u->tgt_lang, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, u->source, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, u->target, -1, SQLITE_STATIC);
		cr_assert_eq(sqlite3_step(st), SQLITE_DONE);
		sqlite3_reset(st);
		snprintf(sql, sizeof(sql), "INSERT INTO provenance VALUES (%zu, 1, %zu, 1700000000)", i + 1, i);
		lf_exec(db, sql);
		cr_assert_eq(td__index_add(db, (sqlite3_int64)i + 1, u->src_lang, u->tgt_lang, u->source, u->target),
			0, "%s", td_error_last());
	}
	/* The first unit was seen again in an imported file. */
	lf_exec(db, "INSERT INTO provenance VALUES (1, 2, 7, 1700000001)");
	sqlite3_finalize(st);
	lf_exec(db, "COMMIT");
	sqlite3_close(db);
}

#endif
