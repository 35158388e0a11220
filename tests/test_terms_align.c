/*
 * A term's own translation inside its units: a small TM of made-up news
 * sentences, where each term occurs once or twice, so that the answer
 * comes from aligning words inside the unit (dictionary, cognates, the
 * TM's word model), not from counting.
 */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "helpers.h"
#include "tandem/concord.h"
#include "tandem/lexicon.h"
#include "tandem/lookup.h"
#include "tandem/terms.h"
#include "tandem/tm.h"

static char tm_path[512];
static td_terms *tt;
static td_lexicon *lx;

static const char *const units[][2] = {
	{ "Die Pressefreiheit ist in Gefahr, sagt der Verband.",
	  "Freedom of the press is in danger, says the association." },
	{ "Der Autor benutzt eine Metapher für den Krieg.",
	  "The author uses a metaphor for the war." },
	{ "Die Schwimmerin hat gestern die Goldmedaille gewonnen.",
	  "The swimmer won the gold medal yesterday." },
	{ "Der Schiedsrichter pfiff das Spiel nach einer Stunde ab.",
	  "After an hour it was all over." },
	{ "Der Verband sagt, das Spiel sei in Gefahr.",
	  "The association says the game is in danger." },
	{ "Der Krieg dauerte eine Stunde.", "The war lasted an hour." },
	{ "Gestern hat der Autor das Spiel gewonnen.", "Yesterday the author won the game." },
	{ "Die Schwimmerin sagt, der Krieg sei vorbei.", "The swimmer says the war is over." },
};

static const char lexicon_tsv[] =
	"Presse\tpress\nFreiheit\tfreedom\nGold\tgold\nMedaille\tmedal\nSpiel\tgame\n"
	"Krieg\twar\nStunde\thour\nVerband\tassociation\nGefahr\tdanger\nAutor\tauthor\n";

/* Store n German-English units into the TM at path as one document called name. */
static void store_at(const char *path, const char *name, const char *const (*v)[2], size_t n)
{
	td_tm *tm = NULL;
	td_tm_doc_info info = TD_TM_DOC_INFO_INIT;
	size_t i;

	cr_assert_eq(td_tm_open(&tm, path, 0), 0, "%s", td_error_last());
	info.src_name = info.tgt_name = info.src_hash = info.tgt_hash = name;
	info.src_lang = "de";
	info.tgt_lang = "en";
	cr_assert_eq(td_tm_begin_document(tm, &info), 0, "%s", td_error_last());
	for (i = 0; i < n; i++) {
		td_tm_unit_in u = TD_TM_UNIT_IN_INIT;
		u.source = v[i][0];
		u.target = v[i][1];
		u.position = (int64_t)i;
		cr_assert_eq(td_tm_add_unit(NULL, tm, &u), 0, "%s", td_error_last());
	}
	cr_assert_eq(td_tm_commit_document(tm), 0, "%s", td_error_last());
	td_tm_close(tm);
}

static void store(const char *name, const char *const (*v)[2], size_t n)
{
	store_at(tm_path, name, v, n);
}

static void setup(void)
{
	char lex[600];

	th_dir_setup();
	snprintf(tm_path, sizeof(tm_path), "%s/tm.db", th_dir);
	store("news", units, sizeof(units) / sizeof(units[0]));
	snprintf(lex, sizeof(lex), "%s/lex.tsv", th_dir);
	cr_assert_eq(th_write(lex, lexicon_tsv, strlen(lexicon_tsv)), 0);
	cr_assert_eq(td_lexicon_load(&lx, lex, "de", "en"), 0, "%s", td_error_last());
	cr_assert_eq(td_terms_open(&tt, tm_path), 0, "%s", td_error_last());
}

static void teardown(void)
{
	td_terms_close(tt);
	td_lexicon_free(lx);
	th_dir_teardown();
}

TestSuite(terms_align, .init = setup, .fini = teardown);

static td_terms_result *query(const char *term, int with_lexicon)
{
	td_terms_opts o = TD_TERMS_OPTS_INIT;
	td_terms_result *r = NULL;

	o.src_lang = "de";
	o.tgt_lang = "en";
	o.lexicon = with_lexicon ? lx : NULL;
	cr_assert_eq(td_terms_query(&r, tt, term, &o), 0, "%s: %s", term, td_error_last());
	cr_assert_eq(r->units, 1, "%s is in one unit", term);
	return r;
}

/* A compound whose parts the dictionary knows, translated by a phrase with words between. */
Test(terms_align, compound_parts_give_a_phrase)
{
	td_terms_result *r = query("Pressefreiheit", 1);

	cr_assert_gt(r->n, 0);
	cr_assert_eq(strcasecmp(r->v[0].target, "Freedom of the press"), 0, "got '%s'", r->v[0].target);
	cr_assert(r->v[0].in_lexicon);
	cr_assert_eq(r->v[0].count, 1);
	cr_assert_eq(r->v[0].nexamples, 1);
	/* The two aligned words are marked, not the words between them. */
	cr_assert_eq(r->v[0].examples[0].ntgt_spans, 2);
	td_terms_result_free(r);
}

/* A cognate with no dictionary: the similar spelling finds it. */
Test(terms_align, cognate_without_dictionary)
{
	td_terms_result *r = query("Metapher", 0);

	cr_assert_gt(r->n, 0);
	cr_assert_str_eq(r->v[0].target, "metaphor");
	cr_assert(!r->v[0].in_lexicon);
	td_terms_result_free(r);
}

/* Two target words for one source word, the dictionary knowing the parts. */
Test(terms_align, multiword_translation)
{
	td_terms_result *r = query("Goldmedaille", 1);

	cr_assert_gt(r->n, 0);
	cr_assert_str_eq(r->v[0].target, "gold medal");
	cr_assert_eq(r->v[0].words, 2);
	cr_assert_geq(r->v[0].score, 0.8, "a sure alignment in its one unit: %f", r->v[0].score);
	td_terms_result_free(r);
}

/* A free translation without the term: no confident answer, the unit is shown as unclear. */
Test(terms_align, free_translation_is_not_confident)
{
	td_terms_result *r = query("Schiedsrichter", 1);

	cr_assert(r->n == 0 || r->v[0].score < 0.5, "'%s' scored %f", r->n ? r->v[0].target : "",
		r->n ? r->v[0].score : 0.0);
	if (r->n == 0)
		cr_assert_eq(r->nunclear, 1);
	cr_assert_eq(r->aligned, 1);
	td_terms_result_free(r);
}

/* The sum of the word model's counts in the TM file at path (its table and its log); *logged: the log's blobs. */
static long long model_total_at(const char *path, int *logged)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	long long n = -1;

	*logged = 0;
	cr_assert_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(db, "SELECT count(*), total(n) FROM td_wordmodel", -1, &st, NULL), SQLITE_OK,
		"%s", sqlite3_errmsg(db));
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
	if (sqlite3_column_int64(st, 0) > 0)
		n = (long long)sqlite3_column_double(st, 1);
	sqlite3_finalize(st);
	/* The log: blobs of 16-byte records, a little-endian key, then a count. */
	cr_assert_eq(sqlite3_prepare_v2(db, "SELECT kv FROM td_wordmodel_log", -1, &st, NULL), SQLITE_OK,
		"%s", sqlite3_errmsg(db));
	while (sqlite3_step(st) == SQLITE_ROW) {
		const unsigned char *p = sqlite3_column_blob(st, 0);
		++*logged;
		int i, k, len = sqlite3_column_bytes(st, 0);
		cr_assert_eq(len % 16, 0, "a log blob of %d bytes", len);
		for (i = 0; i < len; i += 16) {
			unsigned long long c = 0;
			for (k = 0; k < 8; k++)
				c |= (unsigned long long)p[i + 8 + k] << (8 * k);
			n = (n < 0 ? 0 : n) + (long long)c;
		}
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

static long long model_total(void)
{
	int logged;

	return model_total_at(tm_path, &logged);
}

/* The word model is in the TM and grows with it: a second writer adds its counts. */
Test(terms_align, model_is_kept_in_the_tm)
{
	long long before = model_total(), rolled;
	td_tm *tm = NULL;
	td_tm_doc_info info = TD_TM_DOC_INFO_INIT;
	td_tm_unit_in u = TD_TM_UNIT_IN_INIT;
	td_terms_result *r;

	info.src_name = info.tgt_name = info.src_hash = info.tgt_hash = "more";
	info.src_lang = "de";
	info.tgt_lang = "en";
	cr_assert_gt(before, 0, "the first writer stored counts");
	cr_assert_eq(td_tm_open(&tm, tm_path, 0), 0, "%s", td_error_last());
	/* A document rolled back leaves the model as it was. */
	cr_assert_eq(td_tm_begin_document(tm, &info), 0, "%s", td_error_last());
	u.source = "Ein Satz, der nicht bleibt.";
	u.target = "A sentence that does not stay.";
	cr_assert_eq(td_tm_add_unit(NULL, tm, &u), 0, "%s", td_error_last());
	cr_assert_eq(td_tm_rollback(tm), 0, "%s", td_error_last());
	rolled = model_total();
	cr_assert_eq(rolled, before);
	cr_assert_eq(td_tm_begin_document(tm, &info), 0, "%s", td_error_last());
	u.source = "Die Metapher gefiel dem Autor.";
	u.target = "The author liked the metaphor.";
	cr_assert_eq(td_tm_add_unit(NULL, tm, &u), 0, "%s", td_error_last());
	cr_assert_eq(td_tm_commit_document(tm), 0, "%s", td_error_last());
	td_tm_close(tm);
	cr_assert_gt(model_total(), before, "the second writer added its counts");
	td_terms_close(tt);
	cr_assert_eq(td_terms_open(&tt, tm_path), 0, "%s", td_error_last());
	{
		td_terms_opts o = TD_TERMS_OPTS_INIT;
		o.src_lang = "de";
		o.tgt_lang = "en";
		cr_assert_eq(td_terms_query(&r, tt, "Metapher", &o), 0, "%s", td_error_last());
	}
	cr_assert_eq(r->units, 2);
	cr_assert_gt(r->n, 0);
	cr_assert_str_eq(r->v[0].target, "metaphor");
	cr_assert_eq(r->v[0].count, 2);
	td_terms_result_free(r);
}

/* The last concordance answer: its hit is read until the next one. */
/*
 * A document's counts go to the log; a transaction that would make the log
 * too large folds the log into the table: afterwards the log is empty and
 * the counts are those of the small documents plus the large one's, the
 * same as a TM that holds only the large one.
 */
Test(terms_align, model_log_folds_into_the_table)
{
	enum { N = 1500, W = 8 };
	static char text[N][2][W * 12];
	static const char *v[N][2];
	char other[600];
	long long before, after, alone;
	int logged, i, k, side;

	before = model_total_at(tm_path, &logged);
	cr_assert_gt(before, 0);
	cr_assert_gt(logged, 0, "a small document's counts are logged");
	/* Made-up words, each unit's own, so that the keys pass the log's size at once. */
	for (i = 0; i < N; i++) {
		for (side = 0; side < 2; side++) {
			char *p = text[i][side];
			for (k = 0; k < W; k++) {
				int x = i * W + k;
				p += sprintf(p, "%s%c%c%c%c%s", side ? "Zy" : "Qu", 'a' + x % 26, 'a' + x / 26 % 26,
					'a' + x / 676 % 26, 'a' + k, k + 1 < W ? " " : ".");
			}
			v[i][side] = text[i][side];
		}
	}
	store("large", (const char *const (*)[2])v, N);
	after = model_total_at(tm_path, &logged);
	cr_assert_eq(logged, 0, "the log was folded into the table");
	snprintf(other, sizeof(other), "%s/alone.db", th_dir);
	store_at(other, "large", (const char *const (*)[2])v, N);
	alone = model_total_at(other, &logged);
	cr_assert_eq(logged, 0);
	cr_assert_gt(alone, 2 * N);
	cr_assert_eq(after, before + alone, "%lld after, %lld before, %lld alone", after, before, alone);
}

static td_concord_result last;

/* The concordance of word in the TM (with the dictionary or not): its one hit. */
static const td_concord_hit *concord_one(td_lookup *lk, const char *word, int in_target, int with_lexicon,
	int align)
{
	td_concord_opts o = TD_CONCORD_OPTS_INIT;
	td_concord_result *r = &last;

	o.src_lang = "de";
	o.tgt_lang = "en";
	o.in_target = in_target;
	o.lexicon = with_lexicon ? lx : NULL;
	o.align = align;
	td_concord_result_free(r);
	cr_assert_eq(td_concord(r, lk, word, &o), 0, "%s: %s", word, td_error_last());
	cr_assert_eq(r->n, 1, "%s is in one unit", word);
	return &r->v[0];
}

/* The marked words of the other side, joined by '|'. */
static void aligned_words(char *buf, size_t cap, const td_concord_hit *h, int in_target)
{
	const char *other = in_target ? h->source : h->target;
	size_t k, n = 0;

	buf[0] = '\0';
	for (k = 0; k < h->naligned; k++) {
		size_t a = h->aligned[2 * k], z = h->aligned[2 * k + 1];
		cr_assert(a < z && z <= strlen(other), "span %zu-%zu in '%s'", a, z, other);
		n += (size_t)snprintf(buf + n, cap - n, "%s%.*s", k ? "|" : "", (int)(z - a), other + a);
	}
}

/* The concordance marks the target words aligned to the phrase: a compound's two words, a phrase. */
Test(terms_align, concordance_marks_the_aligned_words)
{
	td_lookup *lk = NULL;
	char got[256];

	cr_assert_eq(td_lookup_open(&lk, tm_path), 0, "%s", td_error_last());
	aligned_words(got, sizeof(got), concord_one(lk, "Goldmedaille", 0, 1, 1), 0);
	cr_assert_str_eq(got, "gold medal");
	aligned_words(got, sizeof(got), concord_one(lk, "Pressefreiheit", 0, 1, 1), 0);
	cr_assert_str_eq(got, "Freedom|press");
	/* Searching the English side marks the German word; a cognate needs no dictionary. */
	aligned_words(got, sizeof(got), concord_one(lk, "metaphor", 1, 0, 1), 1);
	cr_assert_str_eq(got, "Metapher");
	/* A free translation: nothing marked. */
	aligned_words(got, sizeof(got), concord_one(lk, "Schiedsrichter", 0, 1, 1), 0);
	cr_assert_str_eq(got, "");
	/* Marks not asked for. */
	cr_assert_eq(concord_one(lk, "Goldmedaille", 0, 1, 0)->naligned, 0);
	td_concord_result_free(&last);
	td_lookup_close(lk);
}

/* The answer for term with dictionary l (NULL: none), whatever its unit count. */
static td_terms_result *ask(const char *term, const td_lexicon *l)
{
	td_terms_opts o = TD_TERMS_OPTS_INIT;
	td_terms_result *r = NULL;

	o.src_lang = "de";
	o.tgt_lang = "en";
	o.lexicon = l;
	cr_assert_eq(td_terms_query(&r, tt, term, &o), 0, "%s: %s", term, td_error_last());
	return r;
}

/* A dictionary of TSV lines (free with td_lexicon_free). */
static td_lexicon *small_lexicon(const char *tsv)
{
	char path[600];
	td_lexicon *l = NULL;

	snprintf(path, sizeof(path), "%s/lex2.tsv", th_dir);
	cr_assert_eq(th_write(path, tsv, strlen(tsv)), 0);
	cr_assert_eq(td_lexicon_load(&l, path, "de", "en"), 0, "%s", td_error_last());
	return l;
}

/* A word derived from the term's stem is another word: Bewerbung (application) is not a form of Bewerb. */
Test(terms_align, derived_words_are_not_the_term)
{
	static const char *const more[][2] = {
		{ "Der Bewerb beginnt morgen.", "The competition starts tomorrow." },
		{ "Die Bewerbung kam gestern.", "The application came yesterday." },
		{ "Die Bewerbe sind vorbei.", "The competitions are over." },
	};
	td_terms_result *r;

	store("derived", more, sizeof(more) / sizeof(more[0]));
	r = ask("Bewerb", NULL);
	/* The singular and the plural, not the derived noun with the same Snowball stem. */
	cr_assert_eq(r->units, 2, "units with Bewerb: %lld", (long long)r->units);
	cr_assert_gt(r->n, 0);
	cr_assert_str_eq(r->v[0].target, "competition");
	cr_assert_eq(r->v[0].count, 2);
	td_terms_result_free(r);
}

/* A capitalised German term is a noun: the lower-case adjective with the same spelling is another word. */
Test(terms_align, lower_case_word_is_not_the_noun)
{
	static const char *const more[][2] = {
		{ "Sein Verhalten war gestern seltsam.", "His behaviour was strange yesterday." },
		{ "Die Stimmung war verhalten.", "The mood was restrained." },
		{ "Der Beifall blieb verhalten.", "The applause remained restrained." },
	};
	td_terms_result *r;

	store("case", more, sizeof(more) / sizeof(more[0]));
	r = ask("Verhalten", NULL);
	cr_assert_eq(r->units, 1, "units with the noun: %lld", (long long)r->units);
	cr_assert_gt(r->n, 0);
	cr_assert_str_eq(r->v[0].target, "behaviour");
	td_terms_result_free(r);
	/* Typed in lower case, the term is any of them. */
	r = ask("verhalten", NULL);
	cr_assert_eq(r->units, 3, "units with the word in any case: %lld", (long long)r->units);
	td_terms_result_free(r);
}

/* The form typed outweighs other inflected forms, which may be used in another sense. */
Test(terms_align, the_form_typed_counts_most)
{
	static const char *const more[][2] = {
		{ "Die Tendenz ist klar.", "The tendency is clear." },
		{ "Die Tendenzen sind gut.", "The trends are good." },
		{ "Neue Tendenzen kamen auf.", "New trends emerged." },
	};
	td_lexicon *l2 = small_lexicon("Tendenz\ttendency\nTendenz\ttrend\n");
	td_terms_result *r;

	store("forms", more, sizeof(more) / sizeof(more[0]));
	r = ask("Tendenz", l2);
	cr_assert_eq(r->units, 3);
	cr_assert_geq(r->n, 2);
	cr_assert_str_eq(r->v[0].target, "tendency");
	cr_assert_str_eq(r->v[1].target, "trends");
	td_terms_result_free(r);
	/* Typed as the plural, the plural's translation comes first. */
	r = ask("Tendenzen", l2);
	cr_assert_gt(r->n, 0);
	cr_assert_str_eq(r->v[0].target, "trends");
	td_terms_result_free(r);
	td_lexicon_free(l2);
}

/* A target word spelt as another source word is that word's, though the dictionary gives it for the term. */
Test(terms_align, a_word_written_alike_is_not_the_terms)
{
	static const char *const more[][2] = {
		{ "Sie sprachen über Form und Fitness des Spielers.", "They talked about the player's shape and fitness." },
	};
	td_lexicon *l2 = small_lexicon("Form\tshape\nForm\tfitness\n");
	td_terms_result *r;

	store("alike", more, sizeof(more) / sizeof(more[0]));
	r = ask("Form", l2);
	cr_assert_gt(r->n, 0);
	cr_assert_str_eq(r->v[0].target, "shape");
	td_terms_result_free(r);
	td_lexicon_free(l2);
}

/*
 * A rare word whose translation is a common target word (Meldung: report,
 * which other units give for Bericht): without a dictionary the TM's
 * evidence still finds it, though report is in four units and Meldung in one.
 */
Test(terms_align, rare_word_with_a_common_translation)
{
	static const char *const more[][2] = {
		{ "Die Polizei erhielt gestern eine Meldung.", "The police received a report yesterday." },
		{ "Der Bericht ist lang.", "The report is long." },
		{ "Sie lasen den Bericht.", "They read the report." },
		{ "Der Bericht kam am Abend.", "The report came in the evening." },
		{ "Die Polizei erhielt einen Brief.", "The police received a letter." },
		{ "Der Verband erhielt eine Antwort.", "The association received an answer." },
	};
	td_terms_result *r;

	store("reports", more, sizeof(more) / sizeof(more[0]));
	r = query("Meldung", 0);
	cr_assert_gt(r->n, 0, "no translation");
	cr_assert_str_eq(r->v[0].target, "report");
	cr_assert_lt(r->v[0].score, 0.8, "one unit without a dictionary is not sure: %f", r->v[0].score);
	td_terms_result_free(r);
}
