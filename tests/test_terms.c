/* Term queries and glossaries on a TM of the sample bitexts. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "helpers.h"
#include "tandem/lexicon.h"
#include "tandem/terms.h"
#include "terms_fixture.h"

/* The fixture's TM: a file, or a PostgreSQL TM in the suite pg (th_tm). */
static char tm_path[4096];
static td_terms *tt;

static void setup(void)
{
	th_dir_setup();
	snprintf(tm_path, sizeof(tm_path), "%s", th_tm("tm.db"));
	cr_assert_gt(tf_build(tm_path), 100);
	cr_assert_eq(td_terms_open(&tt, tm_path), 0, "%s", td_error_last());
}

static void teardown(void)
{
	td_terms_close(tt);
	th_dir_teardown();
}

TestSuite(terms, .init = setup, .fini = teardown);

static td_terms_result *query(const char *term, const char *src, const char *tgt)
{
	td_terms_opts o = TD_TERMS_OPTS_INIT;
	td_terms_result *r = NULL;

	o.src_lang = src;
	o.tgt_lang = tgt;
	cr_assert_eq(td_terms_query(&r, tt, term, &o), 0, "%s: %s", term, td_error_last());
	cr_assert_not_null(r);
	return r;
}

/* Arrays, not pointers: Criterion copies parameters into each test's process. */
typedef struct {
	char term[40], expect[40], src[4], tgt[4];
} known;

/* Terms of the bitexts with the translation their translators chose. */
static known known_rows[] = {
	{ "Sinfonie", "symphony", "de", "en" },
	{ "Prozent", "percent", "de", "en" },
	{ "Russland", "Russia", "de", "en" },
	{ "Euro", "euros", "de", "en" },
	{ "Kinder", "children", "de", "en" },
	{ "Mittwoch", "Wednesday", "de", "en" },
	{ "Hallenbad", "indoor swimming pool", "de", "en" },    /* compound -> three words */
	{ "vergangenen Jahr", "last year", "de", "en" },       /* multiword term */
	{ "Jahren", "year", "de", "en" },                      /* inflected: Jahr, Jahre ... count */
	{ "München", "Munich", "de", "en" },
	{ "Muenchen", "Munich", "de", "en" },                  /* umlaut written out */
	{ "MÜNCHEN", "Munich", "de", "en" },                   /* case */
	{ "Mu\xcc\x88nchen", "Munich", "de", "en" },           /* NFD: u + combining diaeresis */
	{ "symphony", "Sinfonie", "en", "de" },                /* reverse: de-en units read backwards */
	{ "percent", "Prozent", "en", "de" },
};

ParameterizedTestParameters(terms, known_translation_first)
{
	return cr_make_param_array(known, known_rows, sizeof(known_rows) / sizeof(known_rows[0]));
}

ParameterizedTest(known *k, terms, known_translation_first)
{
	td_terms_result *r = query(k->term, k->src, k->tgt);

	cr_assert_gt(r->n, 0, "%s: nothing found", k->term);
	cr_expect_eq(strcasecmp(r->v[0].target, k->expect), 0, "%s: first is '%s', want '%s'",
		k->term, r->v[0].target, k->expect);
	cr_expect_gt(r->units, 0);
	cr_expect_eq(r->sampled, false);
	cr_expect_leq(r->v[0].count, r->units);
	cr_expect(r->v[0].share > 0.0 && r->v[0].share <= 1.0);
	cr_expect(r->v[0].score > 0.0 && r->v[0].score <= 1.0);
	td_terms_result_free(r);
}

Test(terms, spellings_give_the_same_answer)
{
	td_terms_result *a = query("München", "de", "en"), *b = query("muenchen", "de", "en");

	cr_assert_eq(a->units, b->units);
	cr_assert_eq(a->v[0].count, b->v[0].count);
	td_terms_result_free(a);
	td_terms_result_free(b);
}

Test(terms, examples_mark_the_term_and_the_translation)
{
	td_terms_result *r = query("Sinfonie", "de", "en");
	const td_terms_translation *t = &r->v[0];
	size_t k;

	cr_assert_eq(t->count, 4);
	cr_assert_eq(t->nexamples, 3);
	for (k = 0; k < t->nexamples; k++) {
		const td_terms_example *e = &t->examples[k];
		cr_assert_geq(e->nsrc_spans, 1);
		cr_assert_geq(e->ntgt_spans, 1);
		cr_expect_eq(strncasecmp(e->source + e->src_spans[0].start, "Sinfonie", 8), 0);
		cr_expect_eq(e->src_spans[0].end - e->src_spans[0].start, 8);
		cr_expect_eq(strncasecmp(e->target + e->tgt_spans[0].start, "symphony", 8), 0);
		cr_expect_gt(e->unit, 0);
	}
	td_terms_result_free(r);
}

Test(terms, unknown_term_is_an_empty_answer)
{
	td_terms_result *r = query("Quatschwortgebilde", "de", "en");

	cr_assert_eq(r->n, 0);
	cr_assert_eq(r->units, 0);
	td_terms_result_free(r);
}

Test(terms, missing_pair_is_an_empty_answer)
{
	td_terms_result *r = query("Sinfonie", "de", "fr");

	cr_assert_eq(r->n, 0);
	td_terms_result_free(r);
}

Test(terms, compounds_are_related_not_counted)
{
	td_terms_result *r = query("Länder", "de", "en");
	size_t i;
	int seen = 0;

	for (i = 0; i < r->nrelated; i++)
		seen |= strcmp(r->related[i].form, "Länderkammer") == 0;
	cr_assert(seen, "Länderkammer should be listed as related");
	cr_assert_gt(r->n, 0);
	cr_assert_eq(strcmp(r->v[0].target, "states"), 0, "got %s", r->v[0].target);
	td_terms_result_free(r);
}

typedef struct {
	char term[80];
	int code;
} bad;

static bad bad_rows[] = {
	{ "", TD_EINVAL },
	{ " „…“ ", TD_EINVAL },      /* punctuation only */
	{ "M\xff" "nchen", 0 },       /* invalid byte: no crash, an answer */
	{ "ein sehr langer Begriff aus neun Woertern der nie vorkommt", TD_ELIMIT },
};

ParameterizedTestParameters(terms, bad_terms)
{
	return cr_make_param_array(bad, bad_rows, sizeof(bad_rows) / sizeof(bad_rows[0]));
}

ParameterizedTest(bad *b, terms, bad_terms)
{
	td_terms_opts o = TD_TERMS_OPTS_INIT;
	td_terms_result *r = NULL;

	o.src_lang = "de";
	o.tgt_lang = "en";
	cr_assert_eq(td_terms_query(&r, tt, b->term, &o), b->code, "'%s': %s", b->term, td_error_last());
	if (b->code)
		cr_assert_null(r);
	td_terms_result_free(r);
}

Test(terms, language_is_required)
{
	td_terms_opts o = TD_TERMS_OPTS_INIT;
	td_terms_result *r = NULL;

	o.src_lang = "de";
	cr_assert_eq(td_terms_query(&r, tt, "Sinfonie", &o), TD_EINVAL);
	cr_assert_null(r);
}

Test(terms, lexicon_raises_the_score)
{
	char lex[600];
	td_lexicon *lx = NULL;
	td_terms_opts o = TD_TERMS_OPTS_INIT;
	td_terms_result *r = NULL, *r0 = NULL;
	size_t i;

	snprintf(lex, sizeof(lex), "%s/lex.tsv", th_dir);
	cr_assert_eq(th_write(lex, "Mannschaft\tteam\n", 16), 0);
	cr_assert_eq(td_lexicon_load(&lx, lex, "de", "en"), 0, "%s", td_error_last());
	o.src_lang = "de";
	o.tgt_lang = "en";
	cr_assert_eq(td_terms_query(&r0, tt, "Mannschaft", &o), 0, "%s", td_error_last());
	o.lexicon = lx;
	cr_assert_eq(td_terms_query(&r, tt, "Mannschaft", &o), 0, "%s", td_error_last());
	cr_assert_gt(r->n, 0);
	cr_assert_str_eq(r->v[0].target, "team");
	cr_assert(r->v[0].in_lexicon);
	cr_assert_gt(r0->n, 0);
	cr_assert(!r0->v[0].in_lexicon);
	cr_assert_gt(r->v[0].score, r0->v[0].score, "the dictionary makes the alignment surer");
	for (i = 1; i < r->n; i++)
		cr_assert(!r->v[i].in_lexicon || strstr(r->v[i].target, "team"));
	td_terms_result_free(r);
	td_terms_result_free(r0);
	td_lexicon_free(lx);
}

Test(terms, not_a_tm_is_refused)
{
	char path[600];
	td_terms *x = NULL;

	snprintf(path, sizeof(path), "%s/junk.db", th_dir);
	cr_assert_eq(th_write(path, "not a database at all, just text\n", 33), 0);
	cr_assert_lt(td_terms_open(&x, path), 0);
	cr_assert_null(x);
	snprintf(path, sizeof(path), "%s/absent.db", th_dir);
	cr_assert_eq(td_terms_open(&x, path), TD_ENOTFOUND);
}

static td_glossary *extract(void)
{
	td_terms_extract_opts o = TD_TERMS_EXTRACT_OPTS_INIT;
	td_glossary *g = NULL;

	o.src_lang = "de";
	o.tgt_lang = "en";
	cr_assert_eq(td_terms_extract(&g, tt, &o), 0, "%s", td_error_last());
	return g;
}

static const td_glossary_entry *find(const td_glossary *g, const char *term)
{
	size_t i;

	for (i = 0; i < g->n; i++)
		if (strcmp(g->v[i].term, term) == 0)
			return &g->v[i];
	return NULL;
}

Test(terms, glossary_has_the_frequent_nouns)
{
	td_glossary *g = extract();
	const td_glossary_entry *e;
	size_t i;

	cr_assert_gt(g->n, 10);
	e = find(g, "Sinfonie");
	cr_assert_not_null(e);
	cr_assert_str_eq(e->target, "symphony");
	cr_assert_geq(e->count, 3);
	e = find(g, "Russland");
	cr_assert_not_null(e);
	cr_assert_str_eq(e->target, "Russia");
	for (i = 0; i < g->n; i++) {
		cr_assert_geq(g->v[i].count, 3, "%s", g->v[i].term);
		cr_assert_null(find(g, "Die"), "a sentence-initial article is no term");
		if (i)
			cr_assert_geq(g->v[i - 1].count, g->v[i].count);
	}
	td_glossary_free(g);
}

static char *write_to_string(int tbx, const td_glossary *g)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	cr_assert_not_null(f);
	cr_assert_eq(tbx ? td_glossary_write_tbx(f, g) : td_glossary_write_tsv(f, g), 0, "%s", td_error_last());
	fclose(f);
	return buf;
}

Test(terms, glossary_as_tsv)
{
	td_glossary *g = extract();
	char *tsv = write_to_string(0, g);

	cr_assert_not_null(strstr(tsv, "\nSinfonie\tsymphony\t4 units"), "%s", tsv);
	free(tsv);
	td_glossary_free(g);
}

Test(terms, glossary_as_tbx_is_martif_with_lang_sets)
{
	td_glossary *g = extract();
	char *xml = write_to_string(1, g);
	xmlDocPtr doc = xmlReadMemory(xml, (int)strlen(xml), "glossary.tbx", NULL, XML_PARSE_NONET);
	xmlXPathContextPtr ctx;
	xmlXPathObjectPtr o;

	cr_assert_not_null(doc, "the TBX is not well-formed XML");
	ctx = xmlXPathNewContext(doc);
	o = xmlXPathEvalExpression(BAD_CAST "/martif[@type='TBX-Basic']/text/body/termEntry", ctx);
	cr_assert_eq((size_t)xmlXPathNodeSetGetLength(o->nodesetval), g->n);
	xmlXPathFreeObject(o);
	o = xmlXPathEvalExpression(BAD_CAST "//termEntry[langSet[@xml:lang='de']/tig/term='Sinfonie']"
		"/langSet[@xml:lang='en']/tig/term/text()", ctx);
	cr_assert_eq(xmlXPathNodeSetGetLength(o->nodesetval), 1);
	cr_assert_str_eq((const char *)o->nodesetval->nodeTab[0]->content, "symphony");
	xmlXPathFreeObject(o);
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
	free(xml);
	td_glossary_free(g);
}
