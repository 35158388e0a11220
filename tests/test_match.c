/* The match percentage and diff against hand-computed cases (model in tandem/match.h). */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <string.h>

#include "memory/index.h"
#include "tandem/match.h"
#include "tandem/token.h"

/* Arrays, not pointers: Criterion runs each case in another process. */
typedef struct {
	char lang[4], query[64], source[64];
	double score;   /* computed by hand from the formula in match.h */
} score_case;

/* Computed by hand from the formula in match.h. */
static score_case cases[] = {
	/* 6 words + "." = 6.25; one word replaced: 100 * 5.25 / 6.25 */
	{ "de", "Die Regierung hat das Gesetz beschlossen.", "Die Regierung hat das Gesetz abgelehnt.", 84.0 },
	/* identical */
	{ "de", "Die Straße ist gesperrt.", "Die Straße ist gesperrt.", 100.0 },
	/* 4 words + number + "." = 4.75; number replaced costs 0.5: 100 * 4.25 / 4.75 = 89.47 */
	{ "de", "Der Preis beträgt 5.000 Euro.", "Der Preis beträgt 6.000 Euro.", 89.4 },
	/* case only: 2 words, D = 0.1 */
	{ "de", "die Regierung", "Die Regierung", 95.0 },
	/* one word inserted in S: L = 5, D = 1 */
	{ "de", "Das Haus ist groß", "Das Haus ist sehr groß", 80.0 },
	/* punctuation replaced: L = 2.25, D = 0.25 */
	{ "en", "Hello world!", "Hello world.", 88.8 },
	/* German quotes against straight ones: 3 words + 4 marks = 4.0, two marks replaced */
	{ "de", "\xe2\x80\x9eJa\xe2\x80\x9c, sagte er.", "\"Ja\", sagte er.", 87.5 },
	/* umlaut is a different word, not a case variant: L = 3, D = 1 */
	{ "de", "Er war schon", "Er wär schon", 66.6 },
	/* nothing in common */
	{ "en", "Good morning", "Farewell friends", 0.0 },
	/* empty query against a sentence: L = 2, D = 2 */
	{ "en", "", "Good morning", 0.0 },
};

ParameterizedTestParameters(match, hand_computed)
{
	return cr_make_param_array(score_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(score_case *c, match, hand_computed)
{
	td_matcher *m = NULL;
	td_match_result r;

	cr_assert_eq(td_matcher_new(&m, c->lang), 0);
	cr_assert_eq(td_match(&r, m, c->query, strlen(c->query), c->source, strlen(c->source)), 0);
	cr_assert_float_eq(r.score, c->score, 1e-9, "'%s' vs '%s': %.2f, expected %.2f",
		c->query, c->source, r.score, c->score);
	td_match_result_free(&r);
	td_matcher_free(m);
}

/* The fingerprint bound of source against query (memory/index.h), through the stored blob form. */
static double fingerprint_bound(const char *lang, const char *query, const char *source)
{
	td_tokenizer *tk = NULL;
	const td_token *t;
	td__mtok *mt = NULL;
	td__sig q = { 0 }, s = { 0 };
	unsigned char *blob = NULL;
	size_t n, cap = 0, bcap = 0, len = 0;
	double w, bound;

	cr_assert_eq(td_tokenizer_new(&tk, lang), 0);
	cr_assert_eq(td_tokenizer_run(&t, &n, tk, query, strlen(query)), 0);
	cr_assert_eq(td__mtoks(&mt, &cap, &w, t, n), 0);
	cr_assert_eq(td__sig_make(&q, mt, n), 0);
	cr_assert_float_eq(q.w, w, 1e-12, "the fingerprint's weight is the tokens' weight");
	cr_assert_eq(td_tokenizer_run(&t, &n, tk, source, strlen(source)), 0);
	cr_assert_eq(td__mtoks(&mt, &cap, &w, t, n), 0);
	cr_assert_eq(td__sig_make(&s, mt, n), 0);
	cr_assert_eq(td__sig_blob(&blob, &bcap, &len, &s), 0);
	cr_assert_eq(len, 4 + 2 * s.n);
	bound = td__sig_bound(&q, blob, len);
	free(blob);
	free(mt);
	td__sig_free(&q);
	td__sig_free(&s);
	td_tokenizer_free(tk);
	return bound;
}

/* The bound lookups prune with never falls below the score, on the same hand-computed cases. */
ParameterizedTestParameters(match, fingerprint_bounds_the_score)
{
	return cr_make_param_array(score_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(score_case *c, match, fingerprint_bounds_the_score)
{
	double b = fingerprint_bound(c->lang, c->query, c->source);

	cr_assert_geq(b + 1e-9, c->score, "'%s' vs '%s': bound %.2f below the score %.2f", c->query,
		c->source, b, c->score);
	cr_assert_leq(b, 100.0);
}

Test(match, fingerprint_bound_by_hand)
{
	/* Same bag, other order: nothing is ruled out. */
	cr_assert_float_eq(fingerprint_bound("de", "Gesetz das hat Regierung die.", "Die Regierung hat das Gesetz."),
		100.0, 1e-9);
	/* 5 words + "." shared of L = 6.25 ("beschlossen" vs "abgelehnt"): 100 * 5.25 / 6.25 */
	cr_assert_float_eq(fingerprint_bound("de", "Die Regierung hat das Gesetz beschlossen.",
		"Die Regierung hat das Gesetz abgelehnt."), 84.0, 1e-9);
	/* case folded, umlauts kept: "MÜNCHEN" = "München"; "Zug" vs "Bus" differ. L = 3 */
	cr_assert_float_eq(fingerprint_bound("de", "Zug nach MÜNCHEN", "Bus nach München"), 100.0 * 2 / 3, 1e-9);
	/* numbers weigh 0.5: "5.000" = "5000", "7" differs: shared 1 + 0.5 of L = 2 */
	cr_assert_float_eq(fingerprint_bound("de", "Preis 5.000 7", "Preis 5000 8"), 75.0, 1e-9);
	/* a longer source lowers the bound: 2 shared words of 4 */
	cr_assert_float_eq(fingerprint_bound("en", "good morning", "good morning dear friends"), 50.0, 1e-9);
	/* a blob that is not a fingerprint rules nothing out */
	{
		td__sig q = { 0 };
		unsigned char junk[3] = { 1, 2, 3 };
		q.w = 1;
		cr_assert_float_eq(td__sig_bound(&q, junk, 3), 100.0, 1e-9);
	}
}

Test(match, ties_broken_by_characters)
{
	td_matcher *m = NULL;
	td_match_result a, b;

	cr_assert_eq(td_matcher_new(&m, "de"), 0);
	cr_assert_eq(td_match(&a, m, "Das Haus", 8, "Das Hauses", 10), 0);
	cr_assert_eq(td_match(&b, m, "Das Haus", 8, "Das Auto", 8), 0);
	cr_assert_float_eq(a.score, b.score, 1e-9);
	cr_assert_gt(a.charsim, b.charsim, "Hauses %.3f must beat Auto %.3f", a.charsim, b.charsim);
	td_match_result_free(&a);
	td_match_result_free(&b);
	td_matcher_free(m);
}

Test(match, diff_marks_replaced_word)
{
	td_matcher *m = NULL;
	td_match_result r, other;
	const char *q = "Die neue Regierung", *s = "Die alte Regierung";

	cr_assert_eq(td_matcher_new(&m, "de"), 0);
	cr_assert_eq(td_match(&r, m, q, strlen(q), s, strlen(s)), 0);
	cr_assert_eq(r.ndiff, 2);
	cr_assert_eq(r.diff[0].op, TD_DIFF_DELETE);
	cr_assert_eq(r.diff[0].start, 4);
	cr_assert_eq(r.diff[0].end, 8);
	cr_assert_eq(r.diff[1].op, TD_DIFF_INSERT);
	cr_assert_eq(r.diff[1].start, 4);
	cr_assert_eq(r.diff[1].end, 8);
	cr_assert_eq(r.diff[1].at, 8);
	/* The answer is the caller's: the matcher's next call leaves it as it was. */
	cr_assert_eq(td_match(&other, m, "Das Haus ist groß", 18, "Ein Haus", 8), 0);
	cr_assert_neq(other.diff, r.diff);
	cr_assert_eq(r.ndiff, 2);
	cr_assert_eq(r.diff[0].op, TD_DIFF_DELETE);
	cr_assert_eq(r.diff[0].end, 8);
	cr_assert_eq(r.diff[1].at, 8);
	td_match_result_free(&other);
	td_match_result_free(&r);
	cr_assert_null(r.diff);
	td_match_result_free(NULL);
	td_matcher_free(m);
}

Test(match, diff_of_insertion_and_deletion)
{
	td_matcher *m = NULL;
	td_match_result r;
	const char *q = "Das Haus ist groß und alt", *s = "Das Haus ist sehr groß und";

	cr_assert_eq(td_matcher_new(&m, "de"), 0);
	cr_assert_eq(td_match(&r, m, q, strlen(q), s, strlen(s)), 0);
	cr_assert_eq(r.ndiff, 2);
	cr_assert_eq(r.diff[0].op, TD_DIFF_DELETE);
	cr_assert_eq(strncmp(s + r.diff[0].start, "sehr", 4), 0);
	cr_assert_eq(r.diff[1].op, TD_DIFF_INSERT);
	cr_assert_eq(strncmp(q + r.diff[1].start, "alt", 3), 0);
	cr_assert_eq(r.diff[1].at, strlen(s));
	td_match_result_free(&r);
	td_matcher_free(m);
}

Test(match, identical_has_no_diff_and_invalid_bytes_survive)
{
	td_matcher *m = NULL;
	td_match_result r;
	const char bad[] = "Gr\xfc\xdf Gott \xff";

	cr_assert_eq(td_matcher_new(&m, "de"), 0);
	cr_assert_eq(td_match(&r, m, bad, strlen(bad), bad, strlen(bad)), 0);
	cr_assert_float_eq(r.score, 100.0, 1e-9);
	cr_assert_eq(r.ndiff, 0);
	td_match_result_free(&r);
	td_matcher_free(m);
}

Test(match, bad_language_tag)
{
	td_matcher *m = NULL;

	cr_assert_eq(td_matcher_new(&m, "??"), TD_EINVAL);
	cr_assert_null(m);
	td_matcher_free(NULL);
}
