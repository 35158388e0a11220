/* `tandem lookup` and `tandem concord` run as a user runs them, on a small TM. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "lookup_fixture.h"

/* A file, or a PostgreSQL TM when $TANDEM_TEST_TM is set (the cli_lookup_pg suite). */
static char tm[4096];

static void setup(void)
{
	th_dir_setup();
	snprintf(tm, sizeof(tm), "%s", th_tm("tm.db"));
	lf_build(tm);
}

TestSuite(cli_lookup, .init = setup, .fini = th_dir_teardown);

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;

	while ((hay = strstr(hay, needle))) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

Test(cli_lookup, help_goes_to_stdout)
{
	const char *argv[] = { "lookup", "--help", NULL };
	th_result r = th_run(NULL, argv);

	cr_assert_eq(r.status, 0);
	cr_assert(strstr(r.out, "usage: tandem lookup") != NULL);
	th_result_free(&r);
}

Test(cli_lookup, plain_output_marks_differences)
{
	const char *argv[] = { "lookup", "--tm", tm, "-s", "de", "-t", "en",
		"Die Regierung hat das Gesetz gestern beschlossen.", NULL };
	th_result r = th_run(NULL, argv);

	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, " 86.2%  Die Regierung hat das Gesetz [+gestern] beschlossen.") != NULL,
		"got: %s", r.out);
	cr_assert(strstr(r.out, "The government passed the law.") != NULL);
	cr_assert(strstr(r.out, "from news.de | news.en, bead 0, seen 2 times") != NULL, "got: %s", r.out);
	cr_assert(strstr(r.out, "\033[") == NULL, "no colours when stdout is not a terminal");
	th_result_free(&r);
}

Test(cli_lookup, json_record_per_stdin_line_in_order)
{
	const char *argv[] = { "lookup", "--tm", tm, "-s", "de", "-t", "en", "--json", "-", NULL };
	th_result r = th_run("Ich bin müde.\n\nDer Preis beträgt 6.000 Euro.\n", argv);
	const char *first, *third;

	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(count(r.out, "\n"), 3, "got: %s", r.out);
	first = strstr(r.out, "{\"query\":\"Ich bin müde.\",\"matches\":[{\"score\":100.0,");
	cr_assert_not_null(first, "got: %s", r.out);
	cr_assert(strstr(r.out, "{\"query\":\"\",\"matches\":[]}") != NULL, "an empty line has an empty answer");
	third = strstr(r.out, "{\"query\":\"Der Preis");
	cr_assert(third && third > first);
	cr_assert(strstr(third, "\"diff\":[{\"op\":\"delete\",\"start\":19,\"end\":24,\"text\":\"5.000\"},"
		"{\"op\":\"insert\",\"at\":24,\"query_start\":19,\"query_end\":24,\"text\":\"6.000\"}]") != NULL,
		"got: %s", third);
	cr_assert(strstr(third, "\"origin\":{\"unit\":4,\"kind\":\"align\"") != NULL);
	th_result_free(&r);
}

Test(cli_lookup, exhaustive_batch_gives_the_same_answers)
{
	const char *in = "Der Zug hält heute in München.\nDie Straße ist gesperrt.\n";
	const char *a1[] = { "lookup", "--tm", tm, "-s", "de", "-t", "en", "--json", "--min", "40", "-", NULL };
	const char *a2[] = { "lookup", "--tm", tm, "-s", "de", "-t", "en", "--json", "--min", "40", "--exhaustive", "-", NULL };
	th_result r1 = th_run(in, a1), r2 = th_run(in, a2);

	cr_assert_eq(r1.status, 0);
	cr_assert_eq(r2.status, 0, "%s", r2.err);
	cr_assert_eq(count(r1.out, "\"score\""), 2, "got: %s", r1.out);
	cr_assert_str_eq(r1.out, r2.out);
	th_result_free(&r1);
	th_result_free(&r2);
}

Test(cli_lookup, missing_pair_is_a_clear_error)
{
	const char *argv[] = { "lookup", "--tm", tm, "-s", "de", "-t", "fr", "Ich bin müde.", NULL };
	th_result r = th_run(NULL, argv);

	cr_assert_eq(r.status, 1);
	cr_assert(strstr(r.err, "tandem: lookup: the TM has no units from de to fr (it has: ") != NULL,
		"got: %s", r.err);
	th_result_free(&r);
}

Test(cli_lookup, usage_errors)
{
	const char *a1[] = { "lookup", "--tm", tm, "--min", "120", "x", NULL };
	const char *a2[] = { "lookup", "--tm", tm, "  ", NULL };
	const char *a3[] = { "lookup", "--tm", tm, NULL };
	th_result r1 = th_run(NULL, a1), r2 = th_run(NULL, a2), r3 = th_run(NULL, a3);

	cr_assert_eq(r1.status, 2);
	cr_assert(strstr(r1.err, "--min") != NULL);
	cr_assert_eq(r2.status, 2);
	cr_assert(strstr(r2.err, "empty") != NULL, "got: %s", r2.err);
	cr_assert_eq(r3.status, 2);
	th_result_free(&r1);
	th_result_free(&r2);
	th_result_free(&r3);
}

Test(cli_lookup, missing_tm_is_an_error_not_a_new_file)
{
	char p[600];
	const char *argv[] = { "lookup", "--tm", p, "Hallo", NULL };
	th_result r;

	snprintf(p, sizeof(p), "%s/none.db", th_dir);
	r = th_run(NULL, argv);
	cr_assert_eq(r.status, 1);
	cr_assert(strncmp(r.err, "tandem: ", 8) == 0);
	cr_assert_null(th_read(p, NULL), "lookup must not create a TM");
	th_result_free(&r);
}

Test(cli_lookup, file_is_pretranslated_sentence_by_sentence)
{
	char doc[600];
	const char *argv[] = { "lookup", "--tm", tm, "-s", "de", "-t", "en", "--json", "--file", doc, NULL };
	const char *text = "Ich bin müde. Die Straße ist wegen Bauarbeiten gesperrt.\n\nEin ganz neuer Satz.\n";
	th_result r;

	snprintf(doc, sizeof(doc), "%s/neu.de", th_dir);
	cr_assert_eq(th_write(doc, text, strlen(text)), 0);
	r = th_run(NULL, argv);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(count(r.out, "{\"query\":"), 3, "got: %s", r.out);
	cr_assert(strstr(r.out, "\"target\":\"The road is closed for construction.\"") != NULL);
	cr_assert(strstr(r.out, "{\"query\":\"Ein ganz neuer Satz.\",\"paragraph\":1,") != NULL, "got: %s", r.out);
	th_result_free(&r);
}

Test(cli_lookup, concord_highlights_and_translates)
{
	const char *a1[] = { "concord", "--tm", tm, "munchen", NULL };
	const char *a2[] = { "concord", "--tm", tm, "-s", "de", "-t", "en", "--lang", "en", "--json", "Munich", NULL };
	const char *a3[] = { "concord", "--tm", tm, "„“", NULL };
	th_result r1 = th_run(NULL, a1), r2 = th_run(NULL, a2), r3 = th_run(NULL, a3);

	cr_assert_eq(r1.status, 0, "%s", r1.err);
	/* The phrase is marked, and so is its translation (the aligned word). */
	cr_assert(strstr(r1.out, "Der Zug hält heute nicht in [München].\n    The train does not stop in [Munich] today.")
		!= NULL, "got: %s", r1.out);
	cr_assert_eq(count(r1.out, "[München]"), 2);
	cr_assert_eq(r2.status, 0, "%s", r2.err);
	cr_assert_eq(count(r2.out, "\n"), 2);
	cr_assert(strstr(r2.out, "\"side\":\"target\",\"hits\":[[27,33]],\"aligned\":[[29,37]]") != NULL,
		"the aligned word in the source (München): %s", r2.out);
	cr_assert_eq(r3.status, 2);
	cr_assert(strstr(r3.err, "no word") != NULL, "got: %s", r3.err);
	th_result_free(&r1);
	th_result_free(&r2);
	th_result_free(&r3);
}

/* Without -s/-t: the TM's only pair, or, with several, an error naming them. */
Test(cli_lookup, pair_is_chosen_only_when_the_tm_holds_one)
{
	const char *both[] = { "lookup", "--tm", tm, "Ich bin müde.", NULL };
	const char *lang[] = { "concord", "--tm", tm, "--lang", "en", "train", NULL };
	const char *any[] = { "concord", "--tm", tm, "Zug", NULL };
	char one[4096], tsv[600];
	const char *imp[] = { "import", "--tm", one, "-s", "de", "-t", "en", tsv, NULL };
	const char *single[] = { "lookup", "--tm", one, "Ich bin sehr müde.", NULL };
	th_result r;

	/* The fixture holds de -> en and en -> de (the newest unit is en -> de). */
	r = th_run(NULL, both);
	cr_assert_eq(r.status, 2, "exit %d: %s", r.status, r.err);
	cr_assert(strstr(r.err, "several language pairs (de -> en, en -> de)") != NULL, "got: %s", r.err);
	cr_assert(strstr(r.err, "-s and -t") != NULL, "got: %s", r.err);
	cr_assert_str_eq(r.out, "");
	th_result_free(&r);
	r = th_run(NULL, lang);
	cr_assert_eq(r.status, 2, "exit %d: %s", r.status, r.err);
	cr_assert(strstr(r.err, "several language pairs") != NULL, "got: %s", r.err);
	th_result_free(&r);
	/* A concordance without --lang searches every pair: no choice needed. */
	r = th_run(NULL, any);
	cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	cr_assert(strstr(r.out, "Der [Zug] hält") != NULL, "got: %s", r.out);
	th_result_free(&r);
	/* One pair: used without asking. */
	snprintf(one, sizeof(one), "%s", th_tm("one.db"));
	snprintf(tsv, sizeof(tsv), "%s/one.tsv", th_dir);
	cr_assert_eq(th_write(tsv, "Ich bin müde.\tI am tired.\n", strlen("Ich bin müde.\tI am tired.\n")), 0);
	r = th_run(NULL, imp);
	cr_assert_eq(r.status, 0, "%s", r.err);
	th_result_free(&r);
	r = th_run(NULL, single);
	cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
	cr_assert(strstr(r.out, "I am tired.") != NULL, "got: %s", r.out);
	th_result_free(&r);
}

/* Whether name exists in the test directory. */
static int exists(const char *name)
{
	char p[600];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", th_dir, name);
	f = fopen(p, "rb");
	if (f)
		fclose(f);
	return f != NULL;
}

/* Read-only commands leave the TM's directory as they found it: no -wal or -shm files. */
Test(cli_lookup, reading_leaves_no_wal_or_shm_files)
{
	const char *one[] = { "lookup", "--tm", tm, "-s", "de", "-t", "en", "Ich bin müde.", NULL };
	const char *many[] = { "lookup", "--tm", tm, "-s", "de", "-t", "en", "--json", "-", NULL };
	const char *exh[] = { "lookup", "--tm", tm, "-s", "de", "-t", "en", "--exhaustive", "Zug", NULL };
	const char *conc[] = { "concord", "--tm", tm, "München", NULL };
	const char *terms[] = { "terms", "--tm", tm, "-s", "de", "-t", "en", "--no-lexicon", "Zug", NULL };
	const char *stats[] = { "stats", "--tm", tm, "--json", NULL };
	const char *exp[] = { "export", "--tm", tm, "--format", "tsv", NULL };
	const char *const *cmds[] = { one, many, exh, conc, terms, stats, exp };
	size_t i;

	if (th_pg())
		cr_skip_test("a PostgreSQL TM has no files");
	cr_assert(!exists("tm.db-wal") && !exists("tm.db-shm"), "the fixture left WAL files");
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		th_result r = th_run("Der Zug hält nicht.\nIch bin müde.\n", cmds[i]);
		cr_assert_eq(r.status, 0, "%s: exit %d: %s", cmds[i][0], r.status, r.err);
		cr_assert(!exists("tm.db-wal"), "%s (command %zu) left tm.db-wal", cmds[i][0], i);
		cr_assert(!exists("tm.db-shm"), "%s (command %zu) left tm.db-shm", cmds[i][0], i);
		th_result_free(&r);
	}
}
