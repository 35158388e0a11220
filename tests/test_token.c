/* The tokenizer (model in tandem/token.h): table-driven German, English and French cases. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "text/stopwords.h"
#include "text/token_int.h"
#include "tandem/token.h"

/*
 * Tokens written as "K:norm" (K = W word, N number, P punctuation), then
 * "/stem" when the stem differs from norm and "*" for a stop word,
 * separated by single spaces.
 */
static void render(char *out, size_t cap, const td_token *t, size_t n)
{
	size_t o = 0;
	out[0] = '\0';
	for (size_t i = 0; i < n && o < cap; i++) {
		char k = t[i].kind == TD_TOK_WORD ? 'W' : t[i].kind == TD_TOK_NUMBER ? 'N' : 'P';
		o += (size_t)snprintf(out + o, cap - o, "%s%c:%s", i ? " " : "", k, t[i].norm);
		if (o < cap && strcmp(t[i].norm, t[i].stem))
			o += (size_t)snprintf(out + o, cap - o, "/%s", t[i].stem);
		if (o < cap && t[i].stop)
			o += (size_t)snprintf(out + o, cap - o, "*");
	}
}

/* Arrays, not pointers: Criterion copies parameters into each test's process. */
typedef struct {
	char lang[8];
	char text[120];
	char want[400];
} tok_case;

static tok_case cases[] = {
		/* Umlauts stay in norm; the German stemmer drops them in stems. */
		{ "de", "Die Häuser", "W:die* W:häuser/haus" },
		/* Full case folding: ß and SS fold alike. */
		{ "de", "Straße STRASSE strasse", "W:strasse/strass W:strasse/strass W:strasse/strass" },
		{ "de", "GRÜN grün", "W:grün/grun W:grün/grun" },
		/* German quotes are punctuation of their own. */
		{ "de", "\xe2\x80\x9eJa\xe2\x80\x9c, sagte er.",
		  "P:\xe2\x80\x9e W:ja* P:\xe2\x80\x9c P:, W:sagte/sagt W:er* P:." },
		{ "de", "\xc2\xbbNein\xc2\xab", "P:\xc2\xbb W:nein P:\xc2\xab" },
		/* Thousands: German, English, plain, NBSP, narrow NBSP all equal. */
		{ "de", "5.000 Euro", "N:5000 W:euro" },
		{ "en", "5,000 euros", "N:5000 W:euros/euro" },
		{ "en", "5000", "N:5000" },
		{ "de", "5\xc2\xa0" "000", "N:5000" },
		{ "fr", "5\xe2\x80\xaf" "000 francs", "N:5000 W:francs/franc" },
		{ "fr", "5 000 francs", "N:5000 W:francs/franc" },
		{ "de", "5'000 Franken", "N:5000 W:franken/frank" },
		{ "de", "5\xe2\x80\x99" "000", "N:5000" },
		/* A plain space does not group digits outside French. */
		{ "de", "Seite 5 000", "W:seite/seit N:5 N:000" },
		{ "de", "1.000.000", "N:1000000" },
		{ "en", "1,000,000", "N:1000000" },
		/* Decimals: comma and point alike; both separators. */
		{ "de", "3,5 Prozent", "N:3.5 W:prozent" },
		{ "en", "3.5 percent", "N:3.5 W:percent" },
		{ "de", "1.234,56", "N:1234.56" },
		{ "en", "1,234.56", "N:1234.56" },
		/* The language's decimal mark decides one separator before three
		 * digits: German "1.500" and English "1,500" are 1500, English
		 * "1.500" and German "1,500" are 1.5 (trailing zeros dropped). */
		{ "de", "1.500 Euro", "N:1500 W:euro" },
		{ "en", "1,500 euros", "N:1500 W:euros/euro" },
		{ "en", "1.500 kg", "N:1.5 W:kg" },
		{ "de", "1,500 kg", "N:1.5 W:kg" },
		{ "de", "1,5 kg", "N:1.5 W:kg" },
		{ "de", "0,500", "N:0.5" },
		{ "en", "0.50 dollars", "N:0.5 W:dollars/dollar" },
		{ "de", "10.000,00 \xe2\x82\xac", "N:10000 P:\xe2\x82\xac" },
		{ "en", "10,000.00", "N:10000" },
		{ "en", "2.0", "N:2" },
		/* Twice, or before a decimal mark, the language's decimal mark groups. */
		{ "en", "1.234.567", "N:1234567" },
		{ "de", "1,234,567", "N:1234567" },
		{ "en", "1.234,5", "N:1234.5" },
		{ "de", "1,234.5", "N:1234.5" },
		/* The other mark before anything but three digits is a decimal all the same. */
		{ "de", "3.5", "N:3.5" },
		{ "en", "3,25", "N:3.25" },
		{ "de", "0.500", "N:0.5" },
		/* Swiss German: apostrophe groups, the point is the decimal mark. */
		{ "de_CH", "1'500.50 Franken", "N:1500.5 W:franken/frank" },
		{ "de_CH", "1.500", "N:1.5" },
		{ "fr", "1 234,5", "N:1234.5" },
		/* Not grouped numbers keep their digit groups. */
		{ "de", "27.11.2019", "N:27.11.2019" },
		{ "en", "version 1.2.3", "W:version N:1.2.3" },
		/* Ordinals: German "27." and English "27th" give 27. */
		{ "de", "am 27. Januar", "W:am* N:27 P:. W:januar" },
		{ "en", "on the 27th of January", "W:on* W:the* N:27 W:of* W:january/januari" },
		{ "en", "1st 2nd 3rd", "N:1 N:2 N:3" },
		{ "fr", "le 1er mai", "W:le* N:1 W:mai" },
		/* Letters and digits together are a word. */
		{ "en", "G20 summit", "W:g20 W:summit" },
		/* Hyphenated words: parts and the hyphen. */
		{ "de", "Nato-Russland-Rat", "W:nato P:- W:russland P:- W:rat" },
		{ "en", "e-mail", "W:e P:- W:mail" },
		/* URLs stay whole; trailing sentence punctuation is not part of them. */
		{ "en", "See https://www.Example.com/a?b=1.", "W:see W:https://www.example.com/a?b=1 P:." },
		{ "de", "(www.dw.de)", "P:( W:www.dw.de P:)" },
		/* English possessive and a typographic apostrophe. */
		{ "en", "NATO\xe2\x80\x99s chief", "W:nato's/nato W:chief" },
		/* Whitespace of every kind is dropped. */
		{ "de", " \t\n Wort\xe2\x80\x83 ", "W:wort" },
		{ "de", "", "" },
		/* Invalid UTF-8 does not crash; the bad byte is punctuation, its norm U+FFFD. */
		{ "de", "ab\xff" "cd", "W:ab P:\xef\xbf\xbd W:cd" },
		{ "de", "\xc3(\xe2\x82", "P:\xef\xbf\xbd P:( P:\xef\xbf\xbd" },
		/* French and Italian elisions are words of their own; "aujourd'hui" is one word. */
		{ "fr", "L'alpiniste d\xe2\x80\x99une qu'il aujourd'hui",
		  "W:l'* W:alpiniste/alpin W:d'* W:une* W:qu'* W:il* W:aujourd'hui" },
		{ "it", "dell'anno", "W:dell'* W:anno" },
		{ "en", "l'alpiniste", "W:l'alpiniste/l'alpinist" },
		/* Dictionary filler is a stop word. */
		{ "de", "etw. machen", "W:etw* P:. W:machen/mach" },
		{ "en", "to do sth.", "W:to* W:do* W:sth* P:." },
	};

ParameterizedTestParameters(token, table)
{
	return cr_make_param_array(tok_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(tok_case *c, token, table)
{
	td_tokenizer *tk = NULL;
	const td_token *t;
	size_t n;
	char got[1024];

	cr_assert_eq(td_tokenizer_new(&tk, c->lang), 0, "%s", td_error_last());
	cr_assert_eq(td_tokenizer_run(&t, &n, tk, c->text, strlen(c->text)), 0);
	render(got, sizeof(got), t, n);
	cr_expect_str_eq(got, c->want, "[%s] \"%s\": got \"%s\"", c->lang, c->text, got);
	td_tokenizer_free(tk);
}

ParameterizedTestParameters(token, table_with_a_warm_tokenizer)
{
	return cr_make_param_array(tok_case, cases, sizeof(cases) / sizeof(cases[0]));
}

/*
 * A tokenizer handed out again (td__tokenizer_take) answers from what it
 * remembers of earlier calls: stems and stop marks must be those of a fresh
 * one, whether the word was seen in the same call, an earlier call or an
 * earlier "document" (given back and taken again).
 */
ParameterizedTest(tok_case *c, token, table_with_a_warm_tokenizer)
{
	td_tokenizer *tk = NULL, *again = NULL;
	const td_token *t;
	size_t n;
	char got[1024], twice[300];

	cr_assert_eq(td__tokenizer_take(&tk, c->lang), 0, "%s", td_error_last());
	snprintf(twice, sizeof(twice), "%s %s", c->text, c->text);
	cr_assert_eq(td_tokenizer_run(&t, &n, tk, twice, strlen(twice)), 0);
	cr_assert_eq(td_tokenizer_run(&t, &n, tk, c->text, strlen(c->text)), 0);
	render(got, sizeof(got), t, n);
	cr_expect_str_eq(got, c->want, "[%s] \"%s\" second call: got \"%s\"", c->lang, c->text, got);
	td__tokenizer_give(tk);
	cr_assert_eq(td__tokenizer_take(&again, c->lang), 0);
	cr_expect_eq(again, tk, "the thread's spare tokenizer is handed out again");
	cr_assert_eq(td_tokenizer_run(&t, &n, again, c->text, strlen(c->text)), 0);
	render(got, sizeof(got), t, n);
	cr_expect_str_eq(got, c->want, "[%s] \"%s\" taken again: got \"%s\"", c->lang, c->text, got);
	td__tokenizer_give(again);
}

Test(token, spare_tokenizers_are_per_language)
{
	td_tokenizer *de = NULL, *en = NULL, *de2 = NULL;

	cr_assert_eq(td__tokenizer_take(&de, "de"), 0);
	td__tokenizer_give(de);
	cr_assert_eq(td__tokenizer_take(&en, "en"), 0);
	cr_expect_neq(en, de, "a German tokenizer is not handed out for English");
	cr_expect_str_eq(td_tokenizer_lang(en), "en");
	cr_assert_eq(td__tokenizer_take(&de2, "de"), 0);
	cr_expect_eq(de2, de);
	cr_expect_str_eq(td_tokenizer_lang(de2), "de");
	/* Two taken at once are two tokenizers. */
	td_tokenizer *de3 = NULL;
	cr_assert_eq(td__tokenizer_take(&de3, "de"), 0);
	cr_expect_neq(de3, de2);
	td__tokenizer_give(de2);
	td__tokenizer_give(de3);
	td__tokenizer_give(en);
	cr_expect_eq(td__tokenizer_take(&en, "de;x"), TD_EINVAL, "a bad tag still fails");
	cr_expect_eq(td__tokenizer_take(&en, NULL), TD_EINVAL);
	td__tokenizer_give(NULL);
}

/* The same number written the German and the English way: one norm, so the aligner pairs them. */
typedef struct {
	char de[40], en[40];
	bool same;
} num_pair;

ParameterizedTestParameters(token, numbers_meet_across_languages)
{
	static num_pair pairs[] = {
		{ "5.000", "5,000", true },
		{ "1.500", "1,500", true },
		{ "1,5", "1.5", true },
		{ "1,500", "1.5", true },
		{ "1.234,56", "1,234.56", true },
		{ "3.500.000", "3,500,000", true },
		{ "0,50", "0.5", true },
		{ "5.000", "5000", true },
		{ "12,0", "12", true },
		/* Written alike, meant differently. */
		{ "1.500", "1.500", false },
		{ "1,500", "1,500", false },
	};
	return cr_make_param_array(num_pair, pairs, sizeof(pairs) / sizeof(pairs[0]));
}

ParameterizedTest(num_pair *p, token, numbers_meet_across_languages)
{
	td_tokenizer *de = NULL, *en = NULL;
	const td_token *t;
	size_t n;
	char a[40];

	cr_assert_eq(td_tokenizer_new(&de, "de"), 0);
	cr_assert_eq(td_tokenizer_new(&en, "en"), 0);
	cr_assert_eq(td_tokenizer_run(&t, &n, de, p->de, strlen(p->de)), 0);
	cr_assert_eq(n, 1);
	cr_assert_eq(t[0].kind, TD_TOK_NUMBER);
	snprintf(a, sizeof(a), "%s", t[0].norm);
	cr_assert_eq(td_tokenizer_run(&t, &n, en, p->en, strlen(p->en)), 0);
	cr_assert_eq(n, 1);
	cr_expect_eq(strcmp(a, t[0].norm) == 0, p->same, "de %s -> %s, en %s -> %s", p->de, a, p->en, t[0].norm);
	td_tokenizer_free(de);
	td_tokenizer_free(en);
}

Test(token, offsets_are_bytes_of_the_input)
{
	td_tokenizer *tk = NULL;
	const td_token *t;
	size_t n;
	const char *s = "\xe2\x80\x9e" "Öl\xe2\x80\x9c kostet 5.000";

	cr_assert_eq(td_tokenizer_new(&tk, "de"), 0);
	cr_assert_eq(td_tokenizer_run(&t, &n, tk, s, strlen(s)), 0);
	cr_assert_eq(n, 5);
	cr_assert_eq(t[0].start, 0);
	cr_assert_eq(t[0].end, 3);
	cr_assert_eq(t[1].start, 3);
	cr_assert_eq(t[1].end, 6);   /* "Öl" is 3 bytes */
	cr_assert_str_eq(t[1].norm, "öl");
	cr_assert_eq(t[4].start, 17);
	cr_assert_eq(t[4].end, strlen(s));
	cr_assert_str_eq(t[4].norm, "5000");
	td_tokenizer_free(tk);
}

Test(token, tokens_are_valid_until_the_next_call_and_reuse_the_arena)
{
	td_tokenizer *tk = NULL;
	const td_token *t;
	size_t n;
	char big[20000];

	cr_assert_eq(td_tokenizer_new(&tk, "en"), 0);
	/* A long text: many tokens, arena blocks beyond the first. */
	size_t o = 0;
	while (o + 12 < sizeof(big)) {
		memcpy(big + o, "Government ", 11);
		o += 11;
	}
	big[o] = '\0';
	cr_assert_eq(td_tokenizer_run(&t, &n, tk, big, o), 0);
	cr_assert_eq(n, o / 11);
	for (size_t i = 0; i < n; i++) {
		cr_assert_str_eq(t[i].norm, "government");
		cr_assert_str_eq(t[i].stem, "govern");
	}
	cr_assert_eq(td_tokenizer_run(&t, &n, tk, "Two words", 9), 0);
	cr_assert_eq(n, 2);
	cr_assert_str_eq(t[1].norm, "words");
	cr_assert_str_eq(t[1].stem, "word");
	td_tokenizer_free(tk);
}

Test(token, language_without_stemmer_has_stem_equal_norm)
{
	td_tokenizer *tk = NULL;
	const td_token *t;
	size_t n;

	cr_assert_eq(td_tokenizer_new(&tk, "ja"), 0);
	cr_assert_not(td_tokenizer_has_stemmer(tk));
	cr_assert_eq(td_tokenizer_run(&t, &n, tk, "Walking", 7), 0);
	cr_assert_eq(n, 1);
	cr_assert_eq(t[0].stem, t[0].norm);
	td_tokenizer_free(tk);
}

Test(token, locale_tags_select_the_language)
{
	td_tokenizer *tk = NULL;

	cr_assert_eq(td_tokenizer_new(&tk, "de_CH"), 0);
	cr_assert(td_tokenizer_has_stemmer(tk));
	cr_assert(td_tokenizer_is_stop(tk, "und"));
	cr_assert_str_eq(td_tokenizer_lang(tk), "de_CH");
	cr_assert_str_eq(td_tokenizer_stem(tk, "häuser", 7), "haus");
	td_tokenizer_free(tk);
}

Test(token, bad_language_tags_are_rejected)
{
	td_tokenizer *tk = (td_tokenizer *)1;

	cr_assert_eq(td_tokenizer_new(&tk, ""), TD_EINVAL);
	cr_assert_null(tk);
	cr_assert_eq(td_tokenizer_new(&tk, "de;rm -rf"), TD_EINVAL);
	cr_assert(strstr(td_error_last(), "de;rm -rf") != NULL);
	cr_assert_eq(td_tokenizer_new(&tk, NULL), TD_EINVAL);
	td_tokenizer_free(NULL);
}

/* bsearch needs the lists sorted by strcmp. */
Test(token, stop_word_lists_are_sorted)
{
	const char *langs[] = { "de", "en", "fr" };
	for (size_t l = 0; l < 3; l++) {
		td_stopwords s;
		td_stopwords_init(&s, langs[l]);
		cr_assert_gt(s.n, 50);
		for (size_t i = 1; i < s.n; i++)
			cr_assert_lt(strcmp(s.v[i - 1], s.v[i]), 0, "%s: %s !< %s", langs[l], s.v[i - 1], s.v[i]);
		cr_assert(td_stopwords_has(&s, s.v[0]));
		cr_assert(td_stopwords_has(&s, s.v[s.n - 1]));
		cr_assert_not(td_stopwords_has(&s, "regierung"));
	}
}
