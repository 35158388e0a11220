/*
 * Crash safety: `tandem import`, `tandem align --tm` and `tandem batch --tm`
 * killed with SIGKILL at moments spread over their run. After each kill the
 * TM must pass PRAGMA integrity_check (and the FTS5 index's check; on
 * PostgreSQL, where the suite runs too, no dangling provenance), hold
 * every document wholly or not at all and no duplicate unit; a rerun (for a
 * batch: the resume) must complete, with the counts of an uninterrupted run.
 * (bench/crash runs 50 trials of each, half of them inside a write
 * transaction.)
 */
#include <sys/stat.h>

#include "proc_fixture.h"

#define NA 200
#define NB 3000

static char tm[4096], a[600], b[600];

static void setup(void)
{
	th_dir_setup();
	snprintf(tm, sizeof(tm), "%s", th_tm("tm.db"));
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

/* No TM at tm: the file and its WAL removed, or on PostgreSQL a new empty schema. */
static void remove_tm(void)
{
	char p[4200];

	if (th_pg()) {
		snprintf(tm, sizeof(tm), "%s", th_tm("tm.db"));
		return;
	}
	unlink(tm);
	snprintf(p, sizeof(p), "%s-wal", tm);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", tm);
	unlink(p);
}

/* Whether a killed writer left a TM with its tables at tm. */
static int tm_exists(void)
{
	if (th_pg())
		return pf_int(tm, "SELECT count(*) FROM information_schema.tables WHERE table_schema = "
			"current_schema() AND table_name = 'unit'") > 0;
	return access(tm, F_OK) == 0 && pf_int(tm, "SELECT count(*) FROM sqlite_schema WHERE name = 'unit'");
}

static void fresh_tm(void)
{
	remove_tm();
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

/* ---- tandem align --tm and tandem batch --tm ------------------------------ */

/* A document pair of n sentences, in paragraphs of three, unique through tag. */
static void write_pair(const char *base, const char *tag, unsigned n)
{
	static const char *const de[] = { "Der Bericht %s-%u über Zölle und Straßen liegt vor.",
		"Am %u. März prüft die Stadt den Fall %s.", "„Wir bauen neue Brücken“, sagte der Bürgermeister im Fall %s-%u." };
	static const char *const en[] = { "The report %s-%u on tariffs and roads is out.",
		"On March %u, the city examines case %s.", "\"We are building new bridges,\" the mayor said in case %s-%u." };
	char path[800];
	FILE *f[2];

	for (int side = 0; side < 2; side++) {
		snprintf(path, sizeof(path), "%s.%s", base, side ? "en" : "de");
		f[side] = fopen(path, "w");
		cr_assert_not_null(f[side], "%s", path);
	}
	for (unsigned i = 0; i < n; i++) {
		for (int side = 0; side < 2; side++) {
			const char *fmt = (side ? en : de)[i % 3];

			if (i % 3 == 1)
				fprintf(f[side], fmt, i, tag);
			else
				fprintf(f[side], fmt, tag, i);
			fputs(i % 3 == 2 ? "\n\n" : " ", f[side]);
		}
	}
	for (int side = 0; side < 2; side++)
		cr_assert_eq(fclose(f[side]), 0);
}

typedef struct { int64_t units, docs, prov, dups, empty_docs; } tm_counts;

static tm_counts counts_of(const char *path)
{
	tm_counts c;

	c.units = pf_int(path, "SELECT count(*) FROM unit");
	c.docs = pf_int(path, "SELECT count(*) FROM document");
	c.prov = pf_int(path, "SELECT count(*) FROM provenance");
	c.dups = pf_int(path, "SELECT count(*) FROM (SELECT 1 FROM unit GROUP BY src_lang, tgt_lang, "
		"source, target HAVING count(*) > 1) AS d");
	c.empty_docs = pf_int(path, "SELECT count(*) FROM document d WHERE NOT EXISTS "
		"(SELECT 1 FROM provenance p WHERE p.document_id = d.id)");
	return c;
}

/*
 * Kill argv (which stores into tm) at the fractions `at` of an uninterrupted
 * run's time; after each kill the TM is intact, holds no duplicate unit and
 * no document without its units, and running argv again gives the counts of
 * the uninterrupted run.
 */
static void kill_and_rerun(const char *const *argv, const double *at, size_t nat)
{
	tm_counts want, got;
	double t0, full;
	int killed = 0;

	remove_tm();
	t0 = pf_now();
	cr_assert_eq(pf_wait(pf_spawn(argv)), 0, "an uninterrupted %s failed", argv[0]);
	full = pf_now() - t0;
	want = counts_of(tm);
	cr_assert_gt(want.units, 0);
	cr_assert_eq(want.dups, 0);
	for (size_t i = 0; i < nat; i++) {
		pid_t pid;

		remove_tm();
		pid = pf_spawn(argv);
		usleep((useconds_t)(at[i] * full * 1e6));
		kill(pid, SIGKILL);
		killed += pf_wait(pid) == 128 + SIGKILL;
		if (tm_exists()) {
			const char *ic = pf_integrity(tm);

			cr_assert_str_eq(ic, "ok", "%s, kill at %.0f%% of %.2fs: %s", argv[0], at[i] * 100, full, ic);
			got = counts_of(tm);
			cr_assert_eq(got.dups, 0, "%s trial %zu: duplicate units", argv[0], i);
			cr_assert_eq(got.empty_docs, 0, "%s trial %zu: a document without its units", argv[0], i);
			cr_assert_leq(got.units, want.units, "%s trial %zu", argv[0], i);
		}
		cr_assert_eq(pf_wait(pf_spawn(argv)), 0, "%s trial %zu: the rerun failed", argv[0], i);
		got = counts_of(tm);
		cr_assert_str_eq(pf_integrity(tm), "ok");
		cr_assert(got.units == want.units && got.docs == want.docs && got.prov == want.prov,
			"%s trial %zu (kill at %.0f%%): %lld/%lld/%lld units/documents/provenance after the "
			"rerun, %lld/%lld/%lld uninterrupted", argv[0], i, at[i] * 100, (long long)got.units,
			(long long)got.docs, (long long)got.prov, (long long)want.units, (long long)want.docs,
			(long long)want.prov);
		cr_assert_eq(got.dups, 0);
	}
	cr_log_info("%s: %d of %zu runs killed mid-run (whole run %.2fs)", argv[0], killed, nat, full);
}

Test(crash, sigkill_during_align_tm)
{
	static const double at[] = { 0.3, 0.7, 0.9 };
	char base[700], src[710], tgt[710];

	snprintf(base, sizeof(base), "%s/big", th_dir);
	write_pair(base, "B", 1200);
	snprintf(src, sizeof(src), "%s.de", base);
	snprintf(tgt, sizeof(tgt), "%s.en", base);
	{
		const char *argv[] = { "align", "-s", "de", "-t", "en", "--no-lexicon", "--tm", tm, src, tgt, NULL };

		kill_and_rerun(argv, at, sizeof(at) / sizeof(at[0]));
	}
}

Test(crash, sigkill_during_batch_resumes)
{
	static const double at[] = { 0.2, 0.5, 0.75, 0.9 };
	char pairs[700], base[760];

	snprintf(pairs, sizeof(pairs), "%s/pairs", th_dir);
	cr_assert_eq(mkdir(pairs, 0777), 0);
	for (unsigned i = 0; i < 24; i++) {
		char tag[16];

		snprintf(base, sizeof(base), "%s/doc%02u", pairs, i);
		snprintf(tag, sizeof(tag), "D%u", i);
		write_pair(base, tag, 30);
	}
	{
		const char *argv[] = { "batch", "-s", "de", "-t", "en", "-j", "2", "--no-lexicon", "--tm", tm,
			pairs, NULL };

		kill_and_rerun(argv, at, sizeof(at) / sizeof(at[0]));
	}
}
