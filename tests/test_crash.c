/*
 * Crash safety: `tandem import` killed with SIGKILL at moments spread over
 * its run. After each kill the TM must pass PRAGMA integrity_check (and the
 * FTS5 index's check), hold the earlier document wholly, hold the killed
 * document wholly or not at all, and a rerun of the import must complete.
 * (bench/crash runs 50 such trials; `tandem align --tm` and `tandem batch
 * --tm` join here when they exist.)
 */
#include "proc_fixture.h"

#define NA 200
#define NB 3000

static char tm[600], a[600], b[600];

static void setup(void)
{
	th_dir_setup();
	snprintf(tm, sizeof(tm), "%s/tm.db", th_dir);
	snprintf(a, sizeof(a), "%s/a.tsv", th_dir);
	snprintf(b, sizeof(b), "%s/b.tsv", th_dir);
	pf_tsv(a, "Alpha", NA);
	pf_tsv(b, "Beta", NB);
}

TestSuite(crash, .init = setup, .fini = th_dir_teardown, .timeout = 600);

static int import(const char *file)
{
	const char *argv[] = { "import", file, "--tm", tm, "-s", "de", "-t", "en", NULL };
	return pf_wait(pf_spawn(argv));
}

static void fresh_tm(void)
{
	char p[700];

	unlink(tm);
	snprintf(p, sizeof(p), "%s-wal", tm);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", tm);
	unlink(p);
	cr_assert_eq(import(a), 0);
}

Test(crash, sigkill_during_import)
{
	static const double at[] = { 0.05, 0.3, 0.55, 0.8, 0.95 };
	const char *argv[] = { "import", b, "--tm", tm, "-s", "de", "-t", "en", NULL };
	double t0, full;
	int killed = 0;

	/* How long a whole import of b takes here (sanitizer builds are slower). */
	fresh_tm();
	t0 = pf_now();
	cr_assert_eq(import(b), 0);
	full = pf_now() - t0;

	for (size_t i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
		pid_t pid;
		int st;
		int64_t nb, db;
		const char *ic;

		fresh_tm();
		pid = pf_spawn(argv);
		usleep((useconds_t)(at[i] * full * 1e6));
		kill(pid, SIGKILL);
		st = pf_wait(pid);
		killed += st == 128 + SIGKILL;

		ic = pf_integrity(tm);
		cr_assert_str_eq(ic, "ok", "trial %zu (kill at %.0f%% of %.2fs): %s", i, at[i] * 100, full, ic);
		cr_assert_eq(pf_doc_units(tm, "a.tsv"), NA, "trial %zu: the earlier document was damaged", i);
		nb = pf_doc_units(tm, "b.tsv");
		db = pf_docs(tm, "b.tsv");
		cr_assert(nb == 0 || nb == NB, "trial %zu: %lld of %d units of the killed import", i,
			(long long)nb, NB);
		cr_assert_eq(db, nb ? 1 : 0, "trial %zu: document record without its units or the reverse", i);
		cr_assert_eq(pf_int(tm, "SELECT count(*) FROM unit"), NA + nb, "trial %zu: stray units", i);

		cr_assert_eq(import(b), 0, "trial %zu: the rerun failed", i);
		cr_assert_eq(pf_doc_units(tm, "b.tsv"), NB, "trial %zu: rerun incomplete", i);
		cr_assert_eq(pf_int(tm, "SELECT count(*) FROM unit"), NA + NB);
		cr_assert_str_eq(pf_integrity(tm), "ok");
	}
	cr_log_info("%d of 5 imports killed mid-run (full import %.2fs)", killed, full);
}
