/* `tandem terms` run as a user runs it, on a TM of the sample bitexts. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "terms_fixture.h"

/* A file, or a PostgreSQL TM when $TANDEM_TEST_TM is set (the cli_terms_pg suite). */
static char tm[4096];

static void setup(void)
{
	th_dir_setup();
	snprintf(tm, sizeof(tm), "%s", th_tm("tm.db"));
	tf_build(tm);
}

TestSuite(cli_terms, .init = setup, .fini = th_dir_teardown);

Test(cli_terms, help_goes_to_stdout)
{
	const char *argv[] = { "terms", "--help", NULL };
	th_result r = th_run(NULL, argv);

	cr_assert_eq(r.status, 0);
	cr_assert_not_null(strstr(r.out, "usage: tandem terms"));
	cr_assert_eq(r.errlen, 0);
	th_result_free(&r);
}

Test(cli_terms, plain_output_marks_term_and_translation)
{
	const char *argv[] = { "terms", "--tm", tm, "--no-lexicon", "Sinfonie", NULL };
	th_result r = th_run(NULL, argv);

	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_not_null(strstr(r.out, "Sinfonie (de -> en): 4 units\n"), "got: %s", r.out);
	cr_assert_not_null(strstr(r.out, " 1. symphony  4 units, 100%"), "got: %s", r.out);
	cr_assert_not_null(strstr(r.out, "de: Verschollene [Sinfonie] nach mehr als 130 Jahren"), "got: %s", r.out);
	cr_assert_not_null(strstr(r.out, "en: Lost [symphony] premiered"), "got: %s", r.out);
	cr_assert_null(strstr(r.out, "\033["), "no colours when stdout is not a terminal");
	th_result_free(&r);
}

Test(cli_terms, json_has_the_documented_fields)
{
	const char *argv[] = { "terms", "--tm", tm, "--no-lexicon", "--json", "--max", "2", "Muenchen", NULL };
	th_result r = th_run(NULL, argv);

	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(strncmp(r.out, "{\"term\":\"Muenchen\",", 19), 0, "got: %s", r.out);
	cr_assert_not_null(strstr(r.out, "\"translations\":[{\"target\":\"Munich\",\"words\":1,\"count\":2,"
		"\"share\":1.0000,\"score\":"), "got: %s", r.out);
	cr_assert_not_null(strstr(r.out, "\"examples\":[{\"unit\":"));
	/* "München" is bytes 16-24 of "Das Landgericht München I ..." */
	cr_assert_not_null(strstr(r.out, "\"source_spans\":[[16,24]]"), "got: %s", r.out);
	cr_assert_eq(r.out[r.outlen - 1], '\n');
	th_result_free(&r);
}

Test(cli_terms, unknown_term_is_empty_and_exit_0)
{
	const char *a1[] = { "terms", "--tm", tm, "--no-lexicon", "--json", "Quatschwortgebilde", NULL };
	const char *a2[] = { "terms", "--tm", tm, "--no-lexicon", "Quatschwortgebilde", NULL };
	th_result r1 = th_run(NULL, a1), r2 = th_run(NULL, a2);

	cr_assert_eq(r1.status, 0, "%s", r1.err);
	cr_assert_not_null(strstr(r1.out, "\"units\":0,"), "got: %s", r1.out);
	cr_assert_not_null(strstr(r1.out, "\"translations\":[]"), "got: %s", r1.out);
	cr_assert_eq(r2.status, 0, "%s", r2.err);
	cr_assert_not_null(strstr(r2.out, "not found"), "got: %s", r2.out);
	th_result_free(&r1);
	th_result_free(&r2);
}

Test(cli_terms, multiword_and_reverse)
{
	const char *a1[] = { "terms", "--tm", tm, "--no-lexicon", "--max", "1", "vergangenen Jahr", NULL };
	const char *a2[] = { "terms", "--tm", tm, "--no-lexicon", "-s", "en", "-t", "de", "--max", "1",
		"symphony", NULL };
	th_result r1 = th_run(NULL, a1), r2 = th_run(NULL, a2);

	cr_assert_eq(r1.status, 0, "%s", r1.err);
	cr_assert_not_null(strstr(r1.out, " 1. last year "), "got: %s", r1.out);
	cr_assert_not_null(strstr(r1.out, "[vergangenen Jahr]"), "got: %s", r1.out);
	cr_assert_eq(r2.status, 0, "%s", r2.err);
	cr_assert_not_null(strstr(r2.out, " 1. Sinfonie "), "got: %s", r2.out);
	th_result_free(&r1);
	th_result_free(&r2);
}

Test(cli_terms, extract_tsv_and_tbx)
{
	char out[600], *tbx;
	const char *a1[] = { "terms", "--tm", tm, "--no-lexicon", "--extract", NULL };
	const char *a2[] = { "terms", "--tm", tm, "--no-lexicon", "--extract", "--format", "tbx",
		"--min-count", "4", "-o", out, NULL };
	th_result r1, r2;

	snprintf(out, sizeof(out), "%s/glossary.tbx", th_dir);
	r1 = th_run(NULL, a1);
	r2 = th_run(NULL, a2);
	cr_assert_eq(r1.status, 0, "%s", r1.err);
	cr_assert_not_null(strstr(r1.out, "Sinfonie\tsymphony\t4 units"), "got: %s", r1.out);
	cr_assert_eq(r2.status, 0, "%s", r2.err);
	cr_assert_eq(r2.outlen, 0);
	tbx = th_read(out, NULL);
	cr_assert_not_null(tbx);
	cr_assert_not_null(strstr(tbx, "<martif type=\"TBX-Basic\" xml:lang=\"de\">"), "got: %s", tbx);
	cr_assert_not_null(strstr(tbx, "<langSet xml:lang=\"en\">"));
	cr_assert_not_null(strstr(tbx, "<term>Sinfonie</term>"));
	free(tbx);
	th_result_free(&r1);
	th_result_free(&r2);
}

/* Arrays, not pointers: Criterion copies parameters into each test's process. */
typedef struct {
	char args[6][32];
	int status;
	char err[32];
} usage_case;

static usage_case usage_rows[] = {
	{ { "terms" }, 2, "no TERM" },
	{ { "terms", "a", "b" }, 2, "one TERM only" },
	{ { "terms", "--max", "0", "x" }, 2, "--max" },
	{ { "terms", "--format", "csv", "--extract" }, 2, "unknown format" },
	{ { "terms", "--extract", "Sinfonie" }, 2, "takes no TERM" },
	{ { "terms", "--bogus", "x" }, 2, "unknown option" },
	{ { "terms", "--tm", "/nonexistent/dir/tm.db", "x" }, 1, "tandem: " },
};

ParameterizedTestParameters(cli_terms, usage_errors)
{
	return cr_make_param_array(usage_case, usage_rows, sizeof(usage_rows) / sizeof(usage_rows[0]));
}

ParameterizedTest(usage_case *u, cli_terms, usage_errors)
{
	const char *argv[7] = { NULL };
	th_result r;
	size_t i;

	for (i = 0; i < 6 && u->args[i][0]; i++)
		argv[i] = u->args[i];
	r = th_run(NULL, argv);

	cr_assert_eq(r.status, u->status, "%s: status %d, %s", u->args[1], r.status, r.err);
	cr_assert_not_null(strstr(r.err, u->err), "got: %s", r.err);
	cr_assert_eq(r.outlen, 0);
	th_result_free(&r);
}
