/*
 * Concurrent use of one TM: two `tandem import` processes writing at once
 * both succeed and lose nothing (busy timeout, short write transactions);
 * readers (`tandem stats`, `tandem lookup`) during a write succeed and see
 * the TM either before or after the whole document, never half of it.
 */
#include "proc_fixture.h"

#define N 2000

static char tm[600], a[600], b[600], c[600];

static void setup(void)
{
	th_dir_setup();
	snprintf(tm, sizeof(tm), "%s/tm.db", th_dir);
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
