/*
 * Concurrent use of one TM: two `tandem import` processes writing at once
 * both succeed and lose nothing (busy timeout, short write transactions);
 * readers (`tandem stats`, `tandem lookup`) during a write succeed and see
 * the TM either before or after the whole document, never half of it.
 * The same on PostgreSQL (the suite concurrency_pg).
 */
#include <sys/stat.h>

#include "proc_fixture.h"

#define N 2000

static char tm[4096], a[600], b[600], c[600];

static void setup(void)
{
	th_dir_setup();
	snprintf(tm, sizeof(tm), "%s", th_tm("tm.db"));
	snprintf(a, sizeof(a), "%s/a.tsv", th_dir);
	snprintf(b, sizeof(b), "%s/b.tsv", th_dir);
	snprintf(c, sizeof(c), "%s/c.tsv", th_dir);
	pf_tsv(a, "Alpha", N);
	pf_tsv(b, "Beta", N);
	pf_tsv(c, "Gamma", 10);
}

TestSuite(concurrency, .init = setup, .fini = th_dir_teardown, .timeout = 600);

Test(concurrency, two_imports_at_once_lose_nothing)
{
	const char *ia[] = { "import", a, "--tm", tm, "-s", "de", "-t", "en", NULL };
	const char *ib[] = { "import", b, "--tm", tm, "-s", "de", "-t", "en", NULL };
	pid_t pa, pb;
	int sa, sb;

	/* Both start on a TM that does not exist yet: creation races too. */
	pa = pf_spawn(ia);
	pb = pf_spawn(ib);
	sa = pf_wait(pa);
	sb = pf_wait(pb);
	cr_assert_eq(sa, 0, "first import: exit %d", sa);
	cr_assert_eq(sb, 0, "second import: exit %d", sb);
	cr_assert_eq(pf_doc_units(tm, "a.tsv"), N);
	cr_assert_eq(pf_doc_units(tm, "b.tsv"), N);
	cr_assert_eq(pf_int(tm, "SELECT count(*) FROM unit"), 2 * N);
	cr_assert_str_eq(pf_integrity(tm), "ok");
}

/* Units in `tandem stats --json` output, or -1. */
static long long stats_units(void)
{
	const char *argv[] = { "stats", "--json", "--tm", tm, NULL };
	th_result r = th_run(NULL, argv);
	long long n = -1;
	const char *p;

	cr_expect_eq(r.status, 0, "stats during a write: %s", r.err);
	if (r.status == 0 && (p = strstr(r.out, "\"units\":")) != NULL)
		n = strtoll(p + 8, NULL, 10);
	th_result_free(&r);
	return n;
}

Test(concurrency, readers_during_a_write_see_whole_documents)
{
	const char *ic[] = { "import", c, "--tm", tm, "-s", "de", "-t", "en", NULL };
	const char *ia[] = { "import", a, "--tm", tm, "-s", "de", "-t", "en", NULL };
	const char *look[] = { "lookup", "--tm", tm, "-s", "de", "-t", "en", "--min", "50",
		"Der Gamma-Bericht Nummer 3 \xc3\xbc" "ber Z\xc3\xb6lle und Stra\xc3\x9f" "en.", NULL };
	pid_t pa;
	int reads = 0, sa;
	long long n;

	cr_assert_eq(pf_wait(pf_spawn(ic)), 0);
	pa = pf_spawn(ia);
	for (;;) {
		int done = waitpid(pa, &sa, WNOHANG) == pa;
		th_result r;

		n = stats_units();
		cr_expect(n == 10 || n == 10 + N, "a reader saw %lld units (expected 10 or %d)", n, 10 + N);
		r = th_run(NULL, look);
		cr_expect_eq(r.status, 0, "lookup during a write: exit %d: %s", r.status, r.err);
		cr_expect(strstr(r.out, "The Gamma report number 3 on tariffs and roads.") != NULL,
			"lookup during a write lost a unit: %s", r.out);
		th_result_free(&r);
		reads++;
		if (done)
			break;
	}
	cr_assert(WIFEXITED(sa) && WEXITSTATUS(sa) == 0, "the import failed while read");
	cr_assert_eq(stats_units(), 10 + N);
	cr_log_info("%d reads during the import", reads);
}

/* Presegmented pairs DIR/p<k>.de + .en of n sentences each, distinct per dir. */
static void pair_dir(const char *dir, unsigned tag, unsigned pairs, unsigned n)
{
	char path[4900];

	cr_assert_eq(mkdir(dir, 0700), 0, "%s", dir);
	for (unsigned k = 0; k < pairs; k++) {
		FILE *de, *en;

		snprintf(path, sizeof(path), "%s/p%u.de", dir, k);
		cr_assert_not_null(de = fopen(path, "w"));
		snprintf(path, sizeof(path), "%s/p%u.en", dir, k);
		cr_assert_not_null(en = fopen(path, "w"));
		for (unsigned i = 0; i < n; i++) {
			fprintf(de, "Der Bericht %u-%u Nummer %04u \xc3\xbc" "ber Z\xc3\xb6lle und Stra\xc3\x9f" "en.\n",
				tag, k, i);
			fprintf(en, "The report %u-%u number %04u on tariffs and roads.\n", tag, k, i);
		}
		cr_assert_eq(fclose(de), 0);
		cr_assert_eq(fclose(en), 0);
	}
}

#define RACERS 8
#define RACE_UNITS 300
#define RACE_PAIRS 2

/*
 * RACERS processes started at once on a TM that does not exist yet: each
 * creates it or waits for the one that does (switching a new file to WAL
 * and writing the schema take locks the busy timeout alone does not wait
 * for), and all of them store everything.
 */
static void race(int batch)
{
	pid_t pid[RACERS];
	char in[RACERS][600];
	unsigned k;

	for (k = 0; k < RACERS; k++) {
		snprintf(in[k], sizeof(in[k]), "%s/in%u%s", th_dir, k, batch ? "" : ".tsv");
		if (batch) {
			pair_dir(in[k], k, RACE_PAIRS, RACE_UNITS / RACE_PAIRS);
		} else {
			char tag[16];
			snprintf(tag, sizeof(tag), "Racer%u", k);
			pf_tsv(in[k], tag, RACE_UNITS);
		}
	}
	for (k = 0; k < RACERS; k++) {
		const char *imp[] = { "import", in[k], "--tm", tm, "-s", "de", "-t", "en", NULL };
		const char *bat[] = { "batch", "-s", "de", "-t", "en", "-j", "1", "--no-lexicon", "--no-learn",
			"--presegmented", "--tm", tm, in[k], NULL };
		pid[k] = pf_spawn(batch ? bat : imp);
	}
	for (k = 0; k < RACERS; k++) {
		int st = pf_wait(pid[k]);
		cr_expect_eq(st, 0, "%s %u of %d on a new TM: exit %d", batch ? "batch" : "import", k, RACERS, st);
	}
	cr_assert_eq(pf_int(tm, "SELECT count(*) FROM document"), batch ? RACERS * RACE_PAIRS : RACERS);
	cr_assert_eq(pf_int(tm, "SELECT count(*) FROM unit"), RACERS * RACE_UNITS);
	cr_assert_str_eq(pf_integrity(tm), "ok");
}

Test(concurrency, imports_creating_one_tm_all_succeed)
{
	race(0);
}

Test(concurrency, batches_creating_one_tm_all_succeed)
{
	race(1);
}

/*
 * Another connection holds the write lock of a new, still rollback-journal
 * SQLite file (as a process creating the TM does for a moment): switching to
 * WAL cannot wait in SQLite's busy handler, so the import must wait by itself
 * and store everything once the lock is released.
 */
Test(concurrency, creation_waits_for_a_held_write_lock)
{
	const char *ic[] = { "import", c, "--tm", tm, "-s", "de", "-t", "en", NULL };
	sqlite3 *db = NULL;
	pid_t pc;
	int st;

	if (th_pg())
		cr_skip_test("a SQLite file's creation; the server serialises a PostgreSQL TM's");
	cr_assert_eq(sqlite3_open(tm, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db, "CREATE TABLE t (x); DROP TABLE t; BEGIN IMMEDIATE", NULL, NULL, NULL),
		SQLITE_OK, "%s", sqlite3_errmsg(db));
	pc = pf_spawn(ic);
	usleep(300000);
	cr_assert_eq(waitpid(pc, &st, WNOHANG), 0, "the import ended while the lock was held");
	cr_assert_eq(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	st = pf_wait(pc);
	cr_assert_eq(st, 0, "import after the lock: exit %d", st);
	cr_assert_eq(pf_int(tm, "SELECT count(*) FROM unit"), 10);
	cr_assert_str_eq(pf_integrity(tm), "ok");
}
