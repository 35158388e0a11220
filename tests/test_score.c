/*
 * Alignment files and `tandem score`: counts computed by hand from the
 * definition (see align.h), checked on the library and through the CLI.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <string.h>

#include "helpers.h"
#include "tandem/align.h"

/* Arrays, not pointers: Criterion copies parameters into each test's process. */
typedef struct {
	char gold[64], hyp[64];
	unsigned long prec[4], rec[4];   /* strict TP, strict FP, lax TP, lax FP */
} score_case;

static score_case cases[] = {
	/* A merge split in two, an insertion: hand-computed in the comments. */
	{ "[0]:[0]\n[1]:[1, 2]\n[2]:[]\n",
	  "[0]:[0]\n[1]:[1]\n[]:[2]\n[2]:[]\n",
	  /* [0]:[0] TP; [1]:[1] lax only (gold pairs 1-1); []:[2] FP both; [2]:[] TP */
	  { 2, 2, 3, 1 },
	  /* gold without 1-0: [0]:[0] TP; [1]:[1,2] lax only (hyp pairs 1-1) */
	  { 1, 1, 2, 0 } },
	/* Duplicates count once, scores and blank lines are ignored. */
	{ "[0]:[0]\n[1]:[1]\n",
	  "[0]:[0]:0.5\n\n[0]:[0]\n[1]:[1]:0.9\n",
	  { 2, 0, 2, 0 }, { 2, 0, 2, 0 } },
	/* Crossed beads: wrong strictly and laxly. */
	{ "[0]:[0]\n[1]:[1]\n", "[0]:[1]\n[1]:[0]\n", { 0, 2, 0, 2 }, { 0, 2, 0, 2 } },
	/* An empty hypothesis: nothing proposed, every gold bead missed. */
	{ "[0]:[0]\n[1, 2]:[1]\n", "", { 0, 0, 0, 0 }, { 0, 2, 0, 2 } },
	/* 2-2 against two 1-1 beads: each half is laxly right, the whole laxly found. */
	{ "[0, 1]:[0, 1]\n", "[0]:[0]\n[1]:[1]\n", { 0, 2, 2, 0 }, { 0, 1, 1, 0 } },
	/* Deletions in the gold only: never counted for recall. */
	{ "[0]:[]\n[]:[0]\n[1]:[1]\n", "[0]:[0]\n[1]:[1]\n", { 1, 1, 1, 1 }, { 1, 0, 1, 0 } },
	/* Trailing commas and spaces as Python's literal syntax allows. */
	{ "[ 0 ,]:[0]\n", " [0] : [0] \n", { 1, 0, 1, 0 }, { 1, 0, 1, 0 } },
};

ParameterizedTestParameters(score, hand_computed)
{
	return cr_make_param_array(score_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(score_case *c, score, hand_computed)
{
	td_alignment *g, *h;
	td_alscore acc = TD_ALSCORE_INIT;
	int k;

	cr_assert_eq(td_alignment_parse(&g, c->gold, strlen(c->gold), "gold"), 0, "%s", td_error_last());
	cr_assert_eq(td_alignment_parse(&h, c->hyp, strlen(c->hyp), "hyp"), 0, "%s", td_error_last());
	cr_assert_eq(td_alscore_add(&acc, g, h), 0);
	for (k = 0; k < 4; k++) {
		cr_assert_eq(acc.prec[k], c->prec[k], "precision count %d: %lu, want %lu (%s vs %s)",
			k, acc.prec[k], c->prec[k], c->gold, c->hyp);
		cr_assert_eq(acc.rec[k], c->rec[k], "recall count %d: %lu, want %lu", k, acc.rec[k], c->rec[k]);
	}
	td_alignment_free(g);
	td_alignment_free(h);
}

Test(score, ratios_and_f1)
{
	td_alscore acc = { { 2, 2, 3, 1 }, { 1, 1, 2, 0 } };
	td_alscore_result r;

	td_alscore_compute(&r, &acc);
	cr_assert_float_eq(r.p_strict, 0.5, 1e-12);
	cr_assert_float_eq(r.r_strict, 0.5, 1e-12);
	cr_assert_float_eq(r.f_strict, 0.5, 1e-12);
	cr_assert_float_eq(r.p_lax, 0.75, 1e-12);
	cr_assert_float_eq(r.r_lax, 1.0, 1e-12);
	cr_assert_float_eq(r.f_lax, 6.0 / 7.0, 1e-12);
}

Test(score, nothing_counted_is_zero_not_nan)
{
	td_alscore acc = TD_ALSCORE_INIT;
	td_alscore_result r;

	td_alscore_compute(&r, &acc);
	cr_assert_eq(r.f_strict, 0.0);
	cr_assert_eq(r.f_lax, 0.0);
}

Test(score, ladder_round_trip)
{
	td_bead beads[] = { { 0, 1, 0, 1, 0.9 }, { 1, 2, 1, 1, 0.5 }, { 3, 0, 2, 1, 0.1 } };
	td_ladder l = { beads, 3 };
	const char *gold = "[0]:[0]\n[1, 2]:[1]\n[]:[2]\n";
	td_alignment *a, *g;
	td_alscore acc = TD_ALSCORE_INIT;

	cr_assert_eq(td_alignment_from_ladder(&a, &l), 0);
	cr_assert_eq(td_alignment_parse(&g, gold, strlen(gold), "gold"), 0);
	cr_assert_eq(td_alignment_size(a), 3);
	cr_assert_eq(td_alscore_add(&acc, g, a), 0);
	cr_assert_eq(acc.prec[0], 3);
	cr_assert_eq(acc.prec[1], 0);
	td_alignment_free(a);
	td_alignment_free(g);
}

typedef struct {
	char text[64];
	char want[32];   /* part of the message */
} bad_case;

static bad_case bad[] = {
	{ "[0]:[0]\n[1]\n", "line 2" },
	{ "[a]:[1]\n", "line 1: cannot parse" },
	{ "[0]:[1\n", "cannot parse" },
	{ "[0]:[-1]\n", "cannot parse" },
	{ "„[0]“:[1]\n", "cannot parse" },
	{ "[0]:[\xff]\n", "cannot parse" },
	{ "[99999999999999999999999]:[1]\n", "cannot parse" },
};

ParameterizedTestParameters(score, bad_lines_are_rejected)
{
	return cr_make_param_array(bad_case, bad, sizeof(bad) / sizeof(bad[0]));
}

ParameterizedTest(bad_case *c, score, bad_lines_are_rejected)
{
	td_alignment *a = (td_alignment *)1;

	cr_assert_eq(td_alignment_parse(&a, c->text, strlen(c->text), "x.gold"), TD_EFORMAT);
	cr_assert_null(a);
	cr_assert(strstr(td_error_last(), c->want) != NULL, "got: %s", td_error_last());
	cr_assert(strncmp(td_error_last(), "x.gold: ", 8) == 0, "got: %s", td_error_last());
}

/* ---- the CLI ------------------------------------------------------------ */

Test(score_cli, sums_counts_over_pairs, .init = th_dir_setup, .fini = th_dir_teardown)
{
	const char *argv[] = { "score", "--json", NULL, NULL, NULL, NULL, NULL };
	th_result r;

	th_write(th_path("g1"), cases[0].gold, strlen(cases[0].gold));
	th_write(th_path("h1"), cases[0].hyp, strlen(cases[0].hyp));
	th_write(th_path("g2"), cases[1].gold, strlen(cases[1].gold));
	th_write(th_path("h2"), cases[1].hyp, strlen(cases[1].hyp));
	argv[2] = th_path("g1");
	argv[3] = th_path("h1");
	argv[4] = th_path("g2");
	argv[5] = th_path("h2");
	r = th_run(NULL, argv);
	cr_assert_eq(r.status, 0, "%s", r.err);
	/* prec [2,2,3,1]+[2,0,2,0], rec [1,1,2,0]+[2,0,2,0] */
	cr_assert(strstr(r.out, "\"counts_precision\": [4, 2, 5, 1]") != NULL, "got: %s", r.out);
	cr_assert(strstr(r.out, "\"counts_recall\": [3, 1, 4, 0]") != NULL, "got: %s", r.out);
	cr_assert(strstr(r.out, "\"precision_strict\": 0.66666666666666663") != NULL, "got: %s", r.out);
	th_result_free(&r);
}

Test(score_cli, table_by_default, .init = th_dir_setup, .fini = th_dir_teardown)
{
	const char *argv[] = { "score", NULL, NULL, NULL };
	th_result r;

	th_write(th_path("g"), cases[0].gold, strlen(cases[0].gold));
	th_write(th_path("h"), cases[0].hyp, strlen(cases[0].hyp));
	argv[1] = th_path("g");
	argv[2] = th_path("h");
	r = th_run(NULL, argv);
	cr_assert_eq(r.status, 0);
	cr_assert(strstr(r.out, "F1            0.500   0.857") != NULL, "got: %s", r.out);
	th_result_free(&r);
}

Test(score_cli, odd_number_of_files_is_usage_error)
{
	const char *argv[] = { "score", "a", NULL };
	th_result r = th_run(NULL, argv);

	cr_assert_eq(r.status, 2);
	cr_assert_eq(r.outlen, 0);
	th_result_free(&r);
}

Test(score_cli, missing_file_is_data_error, .init = th_dir_setup, .fini = th_dir_teardown)
{
	const char *argv[] = { "score", NULL, NULL, NULL };
	th_result r;

	argv[1] = th_path("nope");
	argv[2] = th_path("nope2");
	r = th_run(NULL, argv);
	cr_assert_eq(r.status, 1);
	cr_assert(strstr(r.err, "tandem: ") == r.err && strstr(r.err, "nope") != NULL, "got: %s", r.err);
	th_result_free(&r);
}

Test(score_cli, bad_line_names_file_and_line, .init = th_dir_setup, .fini = th_dir_teardown)
{
	const char *argv[] = { "score", NULL, NULL, NULL };
	th_result r;

	th_write(th_path("g"), "[0]:[0]\nbroken\n", 15);
	th_write(th_path("h"), "[0]:[0]\n", 8);
	argv[1] = th_path("g");
	argv[2] = th_path("h");
	r = th_run(NULL, argv);
	cr_assert_eq(r.status, 1);
	cr_assert(strstr(r.err, "/g: line 2") != NULL, "got: %s", r.err);
	th_result_free(&r);
}
