/* The TM commands through the built binary: import, export, stats; exit codes and messages. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"

/* A file, or a PostgreSQL TM when $TANDEM_TEST_TM is set (the cli_tm_pg suite). */
static char tm[4096];

static void setup(void)
{
	th_dir_setup();
	snprintf(tm, sizeof(tm), "%s", th_tm("tm.db"));
}

TestSuite(cli_tm, .init = setup, .fini = th_dir_teardown);

static const char *in_dir(const char *name)
{
	static char p[4][600];
	static int k;
	char *out = p[k++ & 3];
	snprintf(out, 600, "%s/%s", th_dir, name);
	return out;
}

static const char *write_file(const char *name, const char *content)
{
	const char *p = in_dir(name);
	cr_assert_eq(th_write(p, content, strlen(content)), 0);
	return p;
}

static const char sample[] =
	"Der Hund bellt.\tThe dog barks.\n"
	"\xc3\x84rger \xc3\xbc" "ber \xe2\x80\x9eZ\xc3\xb6lle\xe2\x80\x9c & <Steuern>.\tAnger about \"tariffs\" & <taxes>.\n"
	"Am 27. Januar stieg der Kurs um 5.000 Punkte.\tOn 27 January the index rose by 5,000 points.\n"
	"Die Mannschaft gewann 3:1.\tThe team won 3-1.\n";

static void import_sample(void)
{
	const char *argv[] = { "import", write_file("s.tsv", sample), "--tm", tm, "-s", "de", "-t", "en", NULL };
	th_result r = th_run(NULL, argv);
	cr_assert_eq(r.status, 0, "stderr: %s", r.err);
	cr_assert(strstr(r.out, "read 4, added 4, already present 0, skipped 0") != NULL, "stdout: %s", r.out);
	th_result_free(&r);
}

Test(cli_tm, import_twice_reports_already_present)
{
	const char *argv[] = { "import", NULL, "--tm", tm, "-s", "de", "-t", "en", NULL };
	th_result r;

	import_sample();
	argv[1] = in_dir("s.tsv");
	r = th_run(NULL, argv);
	cr_assert_eq(r.status, 0);
	cr_assert(strstr(r.out, "added 0, already present 4") != NULL, "stdout: %s", r.out);
	th_result_free(&r);
}

Test(cli_tm, stats_json_has_units_documents_pairs)
{
	const char *argv[] = { "stats", "--json", "--tm", tm, NULL };
	th_result r;

	import_sample();
	r = th_run(NULL, argv);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "\"units\": 4") != NULL, "%s", r.out);
	cr_assert(strstr(r.out, "\"documents\": 1") != NULL, "%s", r.out);
	cr_assert(strstr(r.out, "\"pairs\": [{\"src\": \"de\", \"tgt\": \"en\", \"units\": 4}]") != NULL, "%s", r.out);
	cr_assert(strstr(r.out, "\"kind\": \"import\"") != NULL, "%s", r.out);
	th_result_free(&r);
}

Test(cli_tm, stats_text_and_missing_tm)
{
	const char *argv[] = { "stats", "--tm", tm, NULL };
	th_result r = th_run(NULL, argv);

	cr_assert_eq(r.status, 1);
	cr_assert(strstr(r.err, "no such translation memory") != NULL, "%s", r.err);
	if (!th_pg())
		cr_assert_neq(access(tm, F_OK), 0, "stats must not create a TM");
	th_result_free(&r);
	import_sample();
	r = th_run(NULL, argv);
	cr_assert_eq(r.status, 0);
	cr_assert(strstr(r.out, "units: 4") != NULL, "%s", r.out);
	cr_assert(strstr(r.out, "de       -> en       4") != NULL, "%s", r.out);
	th_result_free(&r);
}

Test(cli_tm, tsv_without_tab_names_the_line)
{
	const char *argv[] = { "import", write_file("b.tsv", "a\tb\nohne Tabulator\n"), "--tm", tm,
		"-s", "de", "-t", "en", NULL };
	th_result r = th_run(NULL, argv);

	cr_assert_eq(r.status, 1);
	cr_assert(strstr(r.err, "b.tsv: line 2: no tab") != NULL, "%s", r.err);
	cr_assert(strstr(r.err, "TM is unchanged") != NULL, "%s", r.err);
	cr_assert_eq(r.outlen, 0);
	th_result_free(&r);
}

Test(cli_tm, usage_errors_exit_2)
{
	const char *no_lang[] = { "import", write_file("a.tsv", "a\tb\n"), "--tm", tm, NULL };
	const char *bad_lang[] = { "import", in_dir("a.tsv"), "--tm", tm, "-s", "deutsch", "-t", "en", NULL };
	const char *bad_fmt[] = { "export", "--tm", tm, "--format", "xliff", NULL };
	const char *moses[] = { "export", "--tm", tm, "--format", "moses", NULL };
	const char *noarg[] = { "import", NULL };
	const char *const *cases[] = { no_lang, bad_lang, bad_fmt, moses, noarg };
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		th_result r = th_run(NULL, cases[i]);
		cr_assert_eq(r.status, 2, "case %zu: %s", i, r.err);
		cr_assert(strstr(r.err, "Try 'tandem") != NULL, "case %zu: %s", i, r.err);
		th_result_free(&r);
	}
	if (!th_pg()) {
		cr_assert_neq(access(tm, F_OK), 0, "a usage error must not create the TM");
	} else {
		const char *st[] = { "stats", "--tm", tm, NULL };
		th_result r = th_run(NULL, st);
		cr_assert_eq(r.status, 1);
		cr_assert(strstr(r.err, "no such translation memory") != NULL, "%s", r.err);
		th_result_free(&r);
	}
}

Test(cli_tm, help_goes_to_stdout)
{
	const char *cmds[] = { "import", "export", "stats" };
	size_t i;

	for (i = 0; i < 3; i++) {
		const char *argv[] = { cmds[i], "--help", NULL };
		th_result r = th_run(NULL, argv);
		cr_assert_eq(r.status, 0);
		cr_assert(strstr(r.out, "usage: tandem") != NULL);
		th_result_free(&r);
	}
}

Test(cli_tm, random_bytes_tm_is_refused_unchanged)
{
	const char *argv[] = { "import", write_file("a.tsv", "a\tb\n"), "--tm", NULL, "-s", "de", "-t", "en", NULL };
	char junk[3000];
	char *after;
	size_t i, n;
	th_result r;

	for (i = 0; i < sizeof(junk); i++)
		junk[i] = (char)(i * 7 + 3);
	argv[3] = in_dir("junk.db");
	cr_assert_eq(th_write(argv[3], junk, sizeof(junk)), 0);
	r = th_run(NULL, argv);
	cr_assert_eq(r.status, 1);
	cr_assert(strstr(r.err, "not a tandem translation memory") != NULL, "%s", r.err);
	after = th_read(argv[3], &n);
	cr_assert_eq(n, sizeof(junk));
	cr_assert(memcmp(after, junk, n) == 0);
	free(after);
	th_result_free(&r);
}

Test(cli_tm, export_formats)
{
	const char *tsv[] = { "export", "--tm", tm, "--format", "tsv", NULL };
	const char *moses[] = { "export", "--tm", tm, "--format", "moses", "-s", "de", "-t", "en",
		"--out", in_dir("corpus"), NULL };
	th_result r;
	char *de, *en;

	import_sample();
	r = th_run(NULL, tsv);
	cr_assert_eq(r.status, 0);
	cr_assert_str_eq(r.out, sample);
	th_result_free(&r);
	r = th_run(NULL, moses);
	cr_assert_eq(r.status, 0, "%s", r.err);
	th_result_free(&r);
	de = th_read(in_dir("corpus.de"), NULL);
	en = th_read(in_dir("corpus.en"), NULL);
	cr_assert_not_null(de);
	cr_assert_not_null(en);
	cr_assert(strncmp(de, "Der Hund bellt.\n\xc3\x84rger", 22) == 0, "%s", de);
	cr_assert(strncmp(en, "The dog barks.\nAnger", 20) == 0, "%s", en);
	free(de);
	free(en);
}

/* Run a shell command; its exit status. */
static int sh(const char *cmd)
{
	int st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Align every pair of bitexts/ into the TM; the number of pairs. */
static int align_bitexts(double min_score)
{
	const char *names[] = { "brandtner", "fussball", "hallenbad-latin1", "nato-russia", "schulbau",
		"sinfonie-utf16", "solarbetrug", "sturm" };
	char src[4096], tgt[4096], ms[32];
	int n = 0;
	size_t i;

	snprintf(ms, sizeof(ms), "%.2f", min_score);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const char *argv[] = { "align", "--no-lexicon", "--tm", tm, "--min-score", ms, src, tgt, NULL };
		th_result r;
		snprintf(src, sizeof(src), "%s/bitexts/%s.de", getenv("TANDEM_SRCDIR"), names[i]);
		snprintf(tgt, sizeof(tgt), "%s/bitexts/%s.en", getenv("TANDEM_SRCDIR"), names[i]);
		if (access(src, R_OK) != 0)
			continue;
		r = th_run(NULL, argv);
		cr_assert_eq(r.status, 0, "%s: %s", names[i], r.err);
		cr_assert(strstr(r.out, "units added") != NULL, "%s", r.out);
		th_result_free(&r);
		n++;
	}
	return n;
}

Test(cli_tm, align_tm_stores_pairs_once)
{
	const char *argv[] = { "align", "--no-lexicon", "--tm", tm, NULL, NULL, NULL };
	const char *st[] = { "stats", "--json", "--tm", tm, NULL };
	char src[4096], tgt[4096];
	th_result r;

	snprintf(src, sizeof(src), "%s/bitexts/nato-russia.de", getenv("TANDEM_SRCDIR"));
	snprintf(tgt, sizeof(tgt), "%s/bitexts/nato-russia.en", getenv("TANDEM_SRCDIR"));
	argv[4] = src;
	argv[5] = tgt;
	r = th_run(NULL, argv);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "already present 0") != NULL, "%s", r.out);
	cr_assert(strstr(r.out, "units added 0") == NULL, "%s", r.out);
	th_result_free(&r);
	r = th_run(NULL, argv);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "units added 0") != NULL, "the same pair again adds no unit: %s", r.out);
	th_result_free(&r);
	r = th_run(NULL, st);
	cr_assert(strstr(r.out, "\"documents\": 1") != NULL, "%s", r.out);
	cr_assert(strstr(r.out, "\"kind\": \"align\"") != NULL, "%s", r.out);
	th_result_free(&r);
}

Test(cli_tm, align_tm_min_score_one_stores_nothing_it_doubts)
{
	const char *st[] = { "export", "--format", "tsv", "--tm", tm, NULL };
	th_result r;

	cr_assert_gt(align_bitexts(1.0), 0);
	r = th_run(NULL, st);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_lt(r.outlen, 200, "beads scored below 1.0 were stored: %s", r.out);
	th_result_free(&r);
}

/*
 * Proof with real clients: the TMX of the TM built from bitexts/ is valid
 * against the TMX 1.4 DTD (when the evaluation data beside the repository
 * has it and xmllint is installed), and translate-toolkit reads the same
 * units, source and target in place, as our own TSV export lists.
 */
Test(cli_tm, tmx_export_of_bitexts_is_read_by_real_clients)
{
	const char *argv[] = { "export", "--tm", tm, "--out", in_dir("out.tmx"), NULL };
	const char *tsv[] = { "export", "--tm", tm, "--format", "tsv", NULL };
	char dtd[4096], cmd[8192];
	th_result r, t;
	int checked = 0;

	cr_assert_gt(align_bitexts(0.0), 0);
	r = th_run(NULL, argv);
	cr_assert_eq(r.status, 0, "%s", r.err);
	th_result_free(&r);
	t = th_run(NULL, tsv);
	cr_assert_eq(t.status, 0);
	cr_assert_gt(t.outlen, 1000, "the TM of bitexts/ is nearly empty");
	snprintf(dtd, sizeof(dtd), "%s/../shared/eval/tmx14.dtd", getenv("TANDEM_SRCDIR") ? getenv("TANDEM_SRCDIR") : ".");
	if (access(dtd, R_OK) == 0 && sh("command -v xmllint >/dev/null 2>&1") == 0) {
		snprintf(cmd, sizeof(cmd), "xmllint --noout --dtdvalid '%s' '%s' 2>&1", dtd, in_dir("out.tmx"));
		cr_assert_eq(sh(cmd), 0, "xmllint --dtdvalid failed on our TMX");
		checked++;
	}
	if (sh("/usr/bin/python3 -c 'from translate.storage import tmx' >/dev/null 2>&1") == 0) {
		snprintf(cmd, sizeof(cmd),
			"/usr/bin/python3 -c 'import sys\n"
			"from translate.storage import tmx\n"
			"store = tmx.tmxfile(open(sys.argv[1], \"rb\").read())\n"
			"for u in store.units:\n"
			"    sys.stdout.write(u.source + \"\\t\" + u.target + \"\\n\")\n' '%s' > '%s'",
			in_dir("out.tmx"), in_dir("tt.tsv"));
		cr_assert_eq(sh(cmd), 0, "translate-toolkit could not read our TMX");
		{
			char *got = th_read(in_dir("tt.tsv"), NULL);
			cr_assert_str_eq(got, t.out, "translate-toolkit read other units than the TM holds");
			free(got);
		}
		checked++;
	}
	th_result_free(&t);
	if (!checked)
		cr_skip_test("neither xmllint with ../shared/eval/tmx14.dtd nor translate-toolkit is installed");
}

Test(cli_tm, import_of_own_export_gives_same_tm)
{
	char tm2[4096];
	const char *exp[] = { "export", "--tm", tm, "--out", in_dir("rt.tmx"), NULL };
	const char *imp[] = { "import", in_dir("rt.tmx"), "--tm", tm2, NULL };
	const char *dump1[] = { "export", "--tm", tm, "--format", "tsv", NULL };
	const char *dump2[] = { "export", "--tm", tm2, "--format", "tsv", NULL };
	th_result a, b, r;

	snprintf(tm2, sizeof(tm2), "%s", th_tm("tm2.db"));
	import_sample();
	r = th_run(NULL, exp);
	cr_assert_eq(r.status, 0);
	th_result_free(&r);
	r = th_run(NULL, imp);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "added 4") != NULL, "%s", r.out);
	th_result_free(&r);
	a = th_run(NULL, dump1);
	b = th_run(NULL, dump2);
	cr_assert_str_eq(a.out, b.out);
	th_result_free(&a);
	th_result_free(&b);
}

Test(cli_tm, malformed_tmx_names_line_and_keeps_tm)
{
	const char *argv[] = { "import", write_file("bad.tmx",
		"<?xml version=\"1.0\"?>\n<tmx version=\"1.4\">\n<header srclang=\"de\"/>\n<body>\n"
		"<tu><tuv xml:lang=\"de\"><seg>a</seg></tuv><tuv xml:lang=\"en\"><seg>b</seg></tuv></tu>\n"
		"<tu><tuv xml:lang=\"de\"><seg>c</seg></tuv>\n"), "--tm", tm, NULL };
	const char *st[] = { "stats", "--json", "--tm", tm, NULL };
	th_result r;

	import_sample();
	r = th_run(NULL, argv);
	cr_assert_eq(r.status, 1);
	cr_assert(strstr(r.err, "bad.tmx: line 6") != NULL || strstr(r.err, "bad.tmx: line 7") != NULL, "%s", r.err);
	th_result_free(&r);
	r = th_run(NULL, st);
	cr_assert(strstr(r.out, "\"units\": 4, \"documents\": 1") != NULL, "%s", r.out);
	th_result_free(&r);
}

/* ---- PostgreSQL TMs ---- */

/* SQL on the test's PostgreSQL TM (its schema as search_path). */
static char *psql(const char *sql)
{
	return th_sql(tm, sql);
}

Test(cli_tm, connection_failures_exit_1_and_mask_the_password)
{
	const char *urls[] = {
		"postgresql://tandem:hunter2@127.0.0.1:1/tm",
		"host=127.0.0.1 port=1 user=tandem password='hunter2' dbname=tm",
		"postgresql://tandem@127.0.0.1:1/tm?password=hunter2&connect_timeout=5",
	};
	size_t i;

	for (i = 0; i < sizeof(urls) / sizeof(urls[0]); i++) {
		const char *imp[] = { "import", write_file("a.tsv", "a\tb\n"), "--tm", urls[i], "-s", "de", "-t", "en", NULL };
		const char *st[] = { "stats", "--tm", urls[i], NULL };
		const char *lk[] = { "lookup", "--tm", urls[i], "-s", "de", "-t", "en", "Hund", NULL };
		const char *co[] = { "concord", "--tm", urls[i], "-s", "de", "-t", "en", "Hund", NULL };
		const char *te[] = { "terms", "--tm", urls[i], "-s", "de", "-t", "en", "Hund", NULL };
		const char *const *cmds[] = { imp, st, lk, co, te };
		size_t j;
		for (j = 0; j < 5; j++) {
			th_result r = th_run(NULL, cmds[j]);
			cr_assert_eq(r.status, 1, "%s: %s", urls[i], r.err);
			cr_assert(strstr(r.err, "hunter2") == NULL, "password shown: %s", r.err);
			cr_assert(strstr(r.err, "***") != NULL, "%s", r.err);
			cr_assert(strstr(r.err, "127.0.0.1") != NULL, "the message names the server: %s", r.err);
			cr_assert_eq(r.outlen, 0);
			th_result_free(&r);
		}
	}
}

Test(cli_tm, pg_wrong_password_is_refused_masked)
{
	char url[1024];
	const char *argv[] = { "stats", "--tm", url, NULL };
	th_result r;

	if (!th_pg() || !getenv("PGHOST") || !getenv("PGPORT"))
		cr_skip_test("no PostgreSQL server (TANDEM_TEST_TM, PGHOST, PGPORT)");
	snprintf(url, sizeof(url), "postgresql://%s:not-the-password@%s:%s/%s", getenv("PGUSER") ? getenv("PGUSER") : "postgres",
		getenv("PGHOST"), getenv("PGPORT"), getenv("PGDATABASE") ? getenv("PGDATABASE") : "postgres");
	r = th_run(NULL, argv);
	cr_assert_eq(r.status, 1, "%s", r.err);
	cr_assert(strstr(r.err, "password authentication failed") != NULL, "%s", r.err);
	cr_assert(strstr(r.err, "not-the-password") == NULL, "%s", r.err);
	th_result_free(&r);
}

Test(cli_tm, pg_schema_of_another_program_is_refused_untouched)
{
	const char *argv[] = { "import", write_file("a.tsv", "a\tb\n"), "--tm", tm, "-s", "de", "-t", "en", NULL };
	th_result r;
	char *got;

	if (!th_pg())
		cr_skip_test("no PostgreSQL TM (TANDEM_TEST_TM)");
	free(psql("CREATE TABLE customers (id int); INSERT INTO customers VALUES (7)"));
	r = th_run(NULL, argv);
	cr_assert_eq(r.status, 1);
	cr_assert(strstr(r.err, "not a tandem translation memory") != NULL, "%s", r.err);
	th_result_free(&r);
	got = psql("SELECT string_agg(relname, ',' ORDER BY relname) FROM pg_class c JOIN pg_namespace n "
		"ON n.oid = c.relnamespace WHERE n.nspname = current_schema()");
	cr_assert_str_eq(got, "customers", "tables were added: %s", got);
	free(got);
}

Test(cli_tm, pg_newer_schema_is_refused_unchanged)
{
	const char *imp[] = { "import", write_file("b.tsv", "x\ty\n"), "--tm", tm, "-s", "de", "-t", "en", NULL };
	const char *st[] = { "stats", "--tm", tm, NULL };
	th_result r;
	char *got;

	if (!th_pg())
		cr_skip_test("no PostgreSQL TM (TANDEM_TEST_TM)");
	import_sample();
	free(psql("UPDATE td_meta SET value = '99' WHERE name = 'schema_version'"));
	r = th_run(NULL, st);
	cr_assert_eq(r.status, 1);
	cr_assert(strstr(r.err, "newer tandem") != NULL, "%s", r.err);
	th_result_free(&r);
	r = th_run(NULL, imp);
	cr_assert_eq(r.status, 1);
	cr_assert(strstr(r.err, "newer tandem") != NULL, "%s", r.err);
	th_result_free(&r);
	got = psql("SELECT count(*) FROM unit");
	cr_assert_str_eq(got, "4");
	free(got);
}

/*
 * The server ends the connection while a large import streams its units:
 * the import fails with a message, exit 1, and the TM holds what it held.
 */
Test(cli_tm, pg_connection_lost_mid_import_stores_nothing, .timeout = 120)
{
	char named[4200], app[64];
	const char *argv[] = { "import", in_dir("big.tsv"), "--tm", named, "-s", "de", "-t", "en", NULL };
	char cmd[8192], *got;
	FILE *f;
	th_result r;
	int i;

	if (!th_pg())
		cr_skip_test("no PostgreSQL TM (TANDEM_TEST_TM)");
	import_sample();
	f = fopen(in_dir("big.tsv"), "w");
	cr_assert_not_null(f);
	for (i = 0; i < 400000; i++)
		fprintf(f, "Satz Nummer %d im grossen Import.\tSentence number %d of the big import.\n", i, i);
	fclose(f);
	/* End this import's backend while it runs (named, so that suites running beside it keep theirs). */
	snprintf(app, sizeof(app), "tandem_lost_%ld", (long)getpid());
	snprintf(named, sizeof(named), "%s&application_name=%s", tm, app);
	snprintf(cmd, sizeof(cmd), "(for i in $(seq 60); do sleep 0.2; psql -X -q -At -d '%s' -c "
		"\"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '%s'\" "
		"| grep -q t && break; done) >/dev/null 2>&1 &", tm, app);
	cr_assert_eq(sh(cmd), 0);
	r = th_run(NULL, argv);
	cr_assert_eq(r.status, 1, "the import was not interrupted: %s%s", r.out, r.err);
	cr_assert(strstr(r.err, "TM is unchanged") != NULL, "%s", r.err);
	th_result_free(&r);
	got = psql("SELECT count(*) || ' ' || (SELECT count(*) FROM document) || ' ' || "
		"(SELECT count(*) FROM provenance) FROM unit");
	cr_assert_str_eq(got, "4 1 4", "units, documents, provenance after the lost import");
	free(got);
}

/* out with every "stored":"..." time removed (two imports need not share a second). */
static char *without_times(const char *out)
{
	char *s = strdup(out), *p;

	cr_assert_not_null(s);
	while ((p = strstr(s, "\"stored\":\"")) != NULL) {
		char *end = strchr(p + 10, '"');
		cr_assert_not_null(end);
		memmove(p, end + 1, strlen(end + 1) + 1);
	}
	return s;
}

Test(cli_tm, pg_readers_answer_as_a_tm_file_with_the_same_units)
{
	static const char a[] =
		"Die Regierung hat das Gesetz beschlossen.\tThe government passed the law.\n"
		"Die Regierung hat das Gesetz abgelehnt.\tThe government rejected the law.\n"
		"Der Zug h\xc3\xa4lt heute nicht in M\xc3\xbcnchen.\tThe train does not stop in Munich today.\n"
		"Die Regierung plant ein neues Gesetz.\tThe government is planning a new law.\n"
		"Das Wetter wird morgen sch\xc3\xb6n.\tThe weather will be nice tomorrow.\n"
		"Die Regierung in Berlin schweigt.\tThe government in Berlin is silent.\n"
		"Ein Gesetz der Regierung kommt.\tA law of the government is coming.\n"
		"Die Bundesregierung plant neue Gesetze f\xc3\xbcr M\xc3\xbcnchen.\tThe federal government plans new laws for Munich.\n";
	static const char b[] =
		"Die Regierung hat das Gesetz abgelehnt.\tThe government rejected the law.\n"
		"Die Regierung tritt zur\xc3\xbc" "ck.\tThe government resigns.\n"
		"Der Zug hat Versp\xc3\xa4tung.\tThe train is late.\n";
	static const char queries[] =
		"Die Regierung hat das Gesetz heute beschlossen.\n"
		"Der Zug h\xc3\xa4lt nicht in M\xc3\xbcnchen.\n"
		"Das Wetter wird heute sch\xc3\xb6n.\n";
	const char *tms[2] = { NULL, th_path("file.db") };
	char *got[2][4];
	int i, k;

	if (!th_pg())
		cr_skip_test("no PostgreSQL TM (TANDEM_TEST_TM)");
	tms[0] = tm;
	write_file("a.tsv", a);
	write_file("b.tsv", b);
	for (i = 0; i < 2; i++) {
		const char *imp_a[] = { "import", in_dir("a.tsv"), "--tm", tms[i], "-s", "de", "-t", "en", NULL };
		const char *imp_b[] = { "import", in_dir("b.tsv"), "--tm", tms[i], "-s", "de", "-t", "en", NULL };
		const char *lookup[] = { "lookup", "--json", "--min", "30", "--tm", tms[i], "-", NULL };
		const char *concord[] = { "concord", "--json", "--tm", tms[i], "Regierung", NULL };
		const char *terms[] = { "terms", "--json", "-s", "de", "-t", "en", "--tm", tms[i], "Regierung", NULL };
		const char *extract[] = { "terms", "--extract", "--min-count", "2", "-s", "de", "-t", "en",
			"--tm", tms[i], NULL };
		const char *const *cmds[] = { imp_a, imp_b, lookup, concord, terms, extract };
		for (k = 0; k < 6; k++) {
			th_result r = th_run(k == 2 ? queries : NULL, cmds[k]);
			cr_assert_eq(r.status, 0, "%s on %s: %s", cmds[k][0], tms[i], r.err);
			if (k >= 2) {
				cr_assert_gt(r.outlen, 0, "%s on %s answered nothing", cmds[k][0], tms[i]);
				got[i][k - 2] = without_times(r.out);
			}
			th_result_free(&r);
		}
	}
	/* Something was found, so that equal answers mean something. */
	cr_assert(strstr(got[1][0], "\"seen\":2") != NULL, "%s", got[1][0]);
	cr_assert(strstr(got[1][1], "government") != NULL, "%s", got[1][1]);
	cr_assert(strstr(got[1][2], "government") != NULL, "%s", got[1][2]);
	for (k = 0; k < 4; k++) {
		cr_assert_str_eq(got[0][k], got[1][k], "answer %d differs on PostgreSQL", k);
		free(got[0][k]);
		free(got[1][k]);
	}
}

/* The copies in the cache directory dir: how many tm-*.db files, and the last one's name into last. */
static int cache_files(const char *dir, char *last, size_t cap)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	cr_assert_not_null(d, "no cache directory %s", dir);
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		if (strncmp(e->d_name, "tm-", 3) == 0 && len > 3 && strcmp(e->d_name + len - 3, ".db") == 0) {
			snprintf(last, cap, "%s/%s", dir, e->d_name);
			n++;
		}
	}
	closedir(d);
	return n;
}

/* The lookup answers of the TM at spec (times removed). */
static char *answers(const char *spec)
{
	static const char queries[] =
		"Die Regierung hat das Gesetz heute beschlossen.\n"
		"Der Zug hat heute Versp\xc3\xa4tung.\n"
		"Das Wetter wird heute sch\xc3\xb6n.\n";
	const char *argv[] = { "lookup", "--json", "--min", "30", "-s", "de", "-t", "en", "--tm", spec, "-", NULL };
	th_result r = th_run(queries, argv);
	char *out;

	cr_assert_eq(r.status, 0, "lookup on %s: %s", spec, r.err);
	out = without_times(r.out);
	th_result_free(&r);
	return out;
}

/* Import text into both TMs, then compare their answers. */
static void import_both(const char *const tms[2], const char *name, const char *text)
{
	int i;

	for (i = 0; i < 2; i++) {
		const char *argv[] = { "import", write_file(name, text), "--tm", tms[i], "-s", "de", "-t", "en", NULL };
		th_result r = th_run(NULL, argv);
		cr_assert_eq(r.status, 0, "import into %s: %s", tms[i], r.err);
		th_result_free(&r);
	}
}

/*
 * Readers of a PostgreSQL TM keep its copy in TANDEM_TM_CACHE between
 * commands: made by the first, brought up to date in place after a write
 * (the rows after the copied ones), made again after a merge (one file
 * left), and the answers stay those of a TM file given the same writes.
 */
Test(cli_tm, pg_readers_cache_follows_writes)
{
	const char *tms[2] = { tm, th_path("file.db") };
	const char *dir = th_path("cache");
	char file[4096], first[4096], *a, *b;
	sqlite3 *db;
	sqlite3_stmt *st;
	int i;

	if (!th_pg())
		cr_skip_test("no PostgreSQL TM (TANDEM_TEST_TM)");
	setenv("TANDEM_TM_CACHE", dir, 1);
	import_both(tms, "a.tsv", "Die Regierung hat das Gesetz beschlossen.\tThe government passed the law.\n"
		"Das Wetter wird morgen sch\xc3\xb6n.\tThe weather will be nice tomorrow.\n");
	for (i = 0; i < 3; i++) {
		int k;
		a = answers(tms[0]);
		b = answers(tms[1]);
		cr_assert_str_eq(a, b, "answers differ on PostgreSQL (step %d)", i);
		/* Again from the cache as it is now. */
		free(a);
		a = answers(tms[0]);
		cr_assert_str_eq(a, b, "answers from the cache differ (step %d)", i);
		cr_assert_eq(cache_files(dir, file, sizeof(file)), 1, "step %d", i);
		if (i == 0)
			snprintf(first, sizeof(first), "%s", file);
		else if (i == 1)
			cr_assert_str_eq(file, first, "a write made a new copy, not an update");
		else
			cr_assert_str_neq(file, first, "a merge did not make a new copy");
		free(a);
		free(b);
		if (i == 2)
			break;
		if (i == 0) {
			import_both(tms, "b.tsv", "Der Zug hat Versp\xc3\xa4tung.\tThe train is late.\n"
				"Die Regierung hat das Gesetz abgelehnt.\tThe government rejected the law.\n");
			continue;
		}
		/* A document already in the TM (old units, old document) through merge: a new epoch. */
		for (k = 0; k < 2; k++) {
			const char *src = th_path("other.db");
			const char *imp[] = { "import", write_file("a.tsv", "Die Regierung hat das Gesetz beschlossen."
				"\tThe government passed the law.\nNeu hier.\tNew here.\n"), "--tm", src, "-s", "de",
				"-t", "en", NULL };
			const char *merge[] = { "merge", tms[k], src, NULL };
			th_result r;
			if (k == 0) {
				r = th_run(NULL, imp);
				cr_assert_eq(r.status, 0, "%s", r.err);
				th_result_free(&r);
			}
			r = th_run(NULL, merge);
			cr_assert_eq(r.status, 0, "merge into %s: %s", tms[k], r.err);
			th_result_free(&r);
		}
	}
	/* The copy stands where the TM does: three writes, every unit. */
	cr_assert_eq(sqlite3_open_v2(file, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(db, "SELECT generation, units, (SELECT count(*) FROM unit) FROM td_pgcache",
		-1, &st, NULL), SQLITE_OK, "%s", sqlite3_errmsg(db));
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
	cr_assert_eq(sqlite3_column_int(st, 0), 3);
	cr_assert_eq(sqlite3_column_int(st, 1), 5);
	cr_assert_eq(sqlite3_column_int(st, 2), 5);
	sqlite3_finalize(st);
	sqlite3_close(db);
	unsetenv("TANDEM_TM_CACHE");
}

/* stdout of a command that must succeed (malloc'd). */
static char *output_of(const char *input, const char *const *argv)
{
	th_result r = th_run(input, argv);
	char *out;

	cr_assert_eq(r.status, 0, "%s: %s", argv[0], r.err);
	out = strdup(r.out);
	cr_assert_not_null(out);
	th_result_free(&r);
	return out;
}

/* tm (PostgreSQL in the suite pg) -> a file -> a second TM of tm's kind, and each merge again. */
Test(cli_tm, merge_moves_a_tm_between_stores_with_its_provenance)
{
	char back[4096];
	const char *file = th_path("file.db");
	const char *tms[3] = { tm, file, back };
	char *got[3][3];
	int i, k;

	snprintf(back, sizeof(back), "%s", th_tm("back.db"));
	import_sample();
	{
		const char *argv[] = { "import", write_file("t.tsv", "Der Hund bellt.\tThe dog barks.\nNeu.\tNew.\n"),
			"--tm", tm, "-s", "de", "-t", "en", NULL };
		free(output_of(NULL, argv));
	}
	for (i = 0; i < 2; i++) {
		const char *argv[] = { "merge", tms[i + 1], tms[i], NULL };
		th_result r = th_run(NULL, argv);
		cr_assert_eq(r.status, 0, "merge into %s: %s", tms[i + 1], r.err);
		cr_assert(strstr(r.err, "2 documents (2 new), 5 units (5 new), 6 provenance records (6 new)") != NULL,
			"%s", r.err);
		th_result_free(&r);
		r = th_run(NULL, argv);
		cr_assert_eq(r.status, 0, "merge again into %s: %s", tms[i + 1], r.err);
		cr_assert(strstr(r.err, "2 documents (0 new), 5 units (0 new), 6 provenance records (0 new)") != NULL,
			"%s", r.err);
		th_result_free(&r);
	}
	for (i = 0; i < 3; i++) {
		const char *stats[] = { "stats", "--json", "--tm", tms[i], NULL };
		const char *exp[] = { "export", "--format", "tsv", "--tm", tms[i], NULL };
		const char *lookup[] = { "lookup", "--json", "-s", "de", "-t", "en", "--tm", tms[i], "-", NULL };
		char *s, *p;
		got[i][0] = output_of(NULL, stats);
		/* Only the counts: the size and the store differ. */
		s = strstr(got[i][0], "\"units\"");
		p = strstr(got[i][0], "\"file_size\"");
		cr_assert(s && p, "%s", got[i][0]);
		*p = '\0';
		memmove(got[i][0], s, strlen(s) + 1);
		got[i][1] = output_of(NULL, exp);
		/* The same units, origins, times and "seen" counts. */
		got[i][2] = output_of("Der Hund bellt.\nNeu.\n", lookup);
	}
	cr_assert(strstr(got[0][2], "\"seen\":2") != NULL, "%s", got[0][2]);
	for (i = 1; i < 3; i++)
		for (k = 0; k < 3; k++)
			cr_assert_str_eq(got[i][k], got[0][k], "%s differs from the first TM (%d)", tms[i], k);
	for (i = 0; i < 3; i++)
		for (k = 0; k < 3; k++)
			free(got[i][k]);
}
