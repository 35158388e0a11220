/*
 * Shared by the crash and concurrency suites: TSV files of many distinct
 * units, the built tandem started in the background (so that it can be
 * killed or raced), and single-value SQL queries on a TM: a SQLite file,
 * or a PostgreSQL TM when the suite runs against one (th_tm).
 */
#ifndef TANDEM_TEST_PROC_FIXTURE_H
#define TANDEM_TEST_PROC_FIXTURE_H

#include <criterion/criterion.h>
#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "helpers.h"

/* Write n units "<tag> n ..." to path; each line differs from every other file's. */
static inline void pf_tsv(const char *path, const char *tag, unsigned n)
{
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f, "%s", path);
	for (unsigned i = 0; i < n; i++)
		fprintf(f, "Der %s-Bericht Nummer %u \xc3\xbc" "ber Z\xc3\xb6lle und Stra\xc3\x9f" "en.\t"
			"The %s report number %u on tariffs and roads.\n", tag, i, tag, i);
	cr_assert_eq(fclose(f), 0);
}

/* Start tandem with argv (NULL-terminated, without the program name); output discarded. */
static inline pid_t pf_spawn(const char *const *argv)
{
	const char *bin = getenv("TANDEM_BIN");
	size_t argc = 0;
	pid_t pid;

	while (argv[argc])
		argc++;
	pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0) {
		char **args = calloc(argc + 2, sizeof(*args));
		int null = open("/dev/null", O_RDWR);
		if (!args || null < 0)
			_exit(127);
		args[0] = (char *)(bin && *bin ? bin : "tandem");
		for (size_t i = 0; i < argc; i++)
			args[i + 1] = (char *)argv[i];
		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
		execvp(args[0], args);
		_exit(127);
	}
	return pid;
}

/* Wait for pid: its exit code, or 128 + signal. */
static inline int pf_wait(pid_t pid)
{
	int st;

	cr_assert_eq(waitpid(pid, &st, 0), pid);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static inline double pf_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * One integer from sql on the TM at path (opened read-write, as a crashed
 * writer's successor would): a SQLite file, or a PostgreSQL TM (th_tm) read
 * through psql.
 */
static inline int64_t pf_int(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int64_t v;

	if (th_pg()) {
		char *got = th_sql(path, sql), *end;

		v = strtoll(got, &end, 10);
		cr_assert(end != got && !*end, "%s: not a number: %s", sql, got);
		free(got);
		return v;
	}
	cr_assert_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK, "%s", path);
	sqlite3_busy_timeout(db, 10000);
	cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK, "%s: %s", sql, sqlite3_errmsg(db));
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW, "%s: %s", sql, sqlite3_errmsg(db));
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

/*
 * PRAGMA integrity_check and the FTS5 index's own check; "ok" or the first
 * complaint (static). On PostgreSQL, whose tables the server keeps whole,
 * the references the schema does not enforce: provenance without its unit
 * (provenance.unit_id has no foreign key) and units without provenance.
 */
static const char *pf_integrity(const char *path)
{
	static char out[512];
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;

	snprintf(out, sizeof(out), "ok");
	if (th_pg()) {
		int64_t lost = pf_int(path, "SELECT count(*) FROM provenance p WHERE NOT EXISTS "
			"(SELECT 1 FROM unit u WHERE u.id = p.unit_id)");
		int64_t bare = pf_int(path, "SELECT count(*) FROM unit u WHERE NOT EXISTS "
			"(SELECT 1 FROM provenance p WHERE p.unit_id = u.id)");

		if (lost || bare)
			snprintf(out, sizeof(out), "%lld provenance records without their unit, %lld units without "
				"provenance", (long long)lost, (long long)bare);
		return out;
	}
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		snprintf(out, sizeof(out), "open: %s", sqlite3_errmsg(db));
		sqlite3_close(db);
		return out;
	}
	sqlite3_busy_timeout(db, 10000);
	if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		snprintf(out, sizeof(out), "%s", (const char *)sqlite3_column_text(st, 0));
	else
		snprintf(out, sizeof(out), "integrity_check: %s", sqlite3_errmsg(db));
	sqlite3_finalize(st);
	if (!strcmp(out, "ok") && sqlite3_exec(db, "INSERT INTO td_concord(td_concord) VALUES ('integrity-check')",
					      NULL, NULL, NULL) != SQLITE_OK)
		snprintf(out, sizeof(out), "fts5 integrity-check: %s", sqlite3_errmsg(db));
	sqlite3_close(db);
	return out;
}

/* Units of the document imported from a file whose name ends in name. */
static inline int64_t pf_doc_units(const char *tm, const char *name)
{
	char sql[300];

	snprintf(sql, sizeof(sql), "SELECT count(*) FROM provenance p JOIN document d ON d.id = p.document_id"
		" WHERE d.src_name LIKE '%%/%s'", name);
	return pf_int(tm, sql);
}

static inline int64_t pf_docs(const char *tm, const char *name)
{
	char sql[200];

	snprintf(sql, sizeof(sql), "SELECT count(*) FROM document WHERE src_name LIKE '%%/%s'", name);
	return pf_int(tm, sql);
}

#endif
