/*
 * The aligner as a library: small German/English documents with known
 * alignments (no dictionary: numbers, names, cognates and lengths carry it),
 * ladder invariants, degenerate inputs, long documents (the banded
 * coarse-to-fine search), and the writers.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tandem/align.h"
#include "tandem/segment.h"

static td_doc *doc_of(const char *text, const char *lang)
{
	td_seg_opts so = TD_SEG_OPTS_INIT;
	td_doc *d = NULL;

	so.lang = lang;
	so.mode = TD_SEG_PRESEGMENTED;
	cr_assert_eq(td_seg_split(&d, text, strlen(text), &so), 0, "%s", td_error_last());
	return d;
}

static td_ladder *align_no_lex(const td_doc *s, const td_doc *t)
{
	td_align_opts o = TD_ALIGN_OPTS_INIT;
	td_ladder *l = NULL;

	cr_assert_eq(td_align_run(&l, s, t, &o), 0, "%s", td_error_last());
	return l;
}

/* Beads cover both documents in order, without gaps; scores in [0,1]. */
static void check_ladder(const td_ladder *l, size_t n, size_t m)
{
	size_t k, i = 0, j = 0;

	for (k = 0; k < l->n; k++) {
		const td_bead *b = &l->v[k];

		cr_assert_eq(b->src, i, "bead %zu starts at source %zu, expected %zu", k, b->src, i);
		cr_assert_eq(b->tgt, j, "bead %zu starts at target %zu, expected %zu", k, b->tgt, j);
		/* The DP's beads have at most 3 sentences a side; those grown
		 * after it at most 8. */
		cr_assert(b->nsrc + b->ntgt > 0 && b->nsrc <= 8 && b->ntgt <= 8);
		cr_assert(b->score >= 0.0 && b->score <= 1.0, "score %f", b->score);
		i += b->nsrc;
		j += b->ntgt;
	}
	cr_assert_eq(i, n);
	cr_assert_eq(j, m);
}

/* The ladder in score.py's format, without scores: "[0]:[0] [1, 2]:[1] ...". */
static void ladder_string(char *buf, size_t cap, const td_ladder *l)
{
	size_t k, pos = 0, x;

	buf[0] = '\0';
	for (k = 0; k < l->n && pos + 32 < cap; k++) {
		const td_bead *b = &l->v[k];

		pos += (size_t)snprintf(buf + pos, cap - pos, "%s[", k ? " " : "");
		for (x = 0; x < b->nsrc; x++)
			pos += (size_t)snprintf(buf + pos, cap - pos, "%s%zu", x ? ", " : "", b->src + x);
		pos += (size_t)snprintf(buf + pos, cap - pos, "]:[");
		for (x = 0; x < b->ntgt; x++)
			pos += (size_t)snprintf(buf + pos, cap - pos, "%s%zu", x ? ", " : "", b->tgt + x);
		pos += (size_t)snprintf(buf + pos, cap - pos, "]");
	}
}

typedef struct {
	char de[900], en[700];
	char want[120];
} pair_case;

static pair_case pairs[] = {
	/* Plain 1-1 with numbers, names and „quotes“. */
	{ "Die Firma Brandtner streicht 5.000 Stellen.\n"
	  "„Wir haben keine Wahl“, sagte Chefin Gabriele Öztürk am Montag in Stuttgart.\n"
	  "Die Gewerkschaft IG Metall kündigte Proteste an.\n"
	  "Im Jahr 2019 hatte Brandtner noch 42 Millionen Euro Gewinn gemacht.\n",
	  "The company Brandtner is cutting 5,000 jobs.\n"
	  "\"We have no choice,\" said chief executive Gabriele Öztürk in Stuttgart on Monday.\n"
	  "The union IG Metall announced protests.\n"
	  "In 2019, Brandtner had still made a profit of 42 million euros.\n",
	  "[0]:[0] [1]:[1] [2]:[2] [3]:[3]" },
	/* A German sentence split in two in English (1-2), and an English
	 * sentence with no German counterpart (0-1). */
	{ "Der Sturm Xaver erreichte am Dienstag mit 140 Stundenkilometern die Nordsee.\n"
	  "In Hamburg fielen 300 Flüge aus, und die Deutsche Bahn stellte den Verkehr nach Sylt ein.\n"
	  "Meteorologe Jens Kowalski erwartet bis Freitag weitere 40 Zentimeter Schnee.\n",
	  "Storm Xaver reached the North Sea on Tuesday at 140 kilometres per hour.\n"
	  "In Hamburg, 300 flights were cancelled.\n"
	  "Deutsche Bahn also stopped its trains to Sylt.\n"
	  "Schools in the region remain open for now.\n"
	  "Meteorologist Jens Kowalski expects another 40 centimetres of snow by Friday.\n",
	  "[0]:[0] [1]:[1, 2] []:[3] [2]:[4]" },
	/* Two German sentences in one English one (2-1), a German sentence
	 * dropped in the translation (1-0). */
	{ "Der FC Ulm gewann gegen Offenbach mit 3:1.\n"
	  "Torschütze Marco Pellegrini traf in der 17. Minute.\n"
	  "Dann erhöhte Tobias Krämer in der 58. Minute.\n"
	  "Die Zuschauer feierten nach dem Abpfiff noch lange im Stadion und danach in den Kneipen der Altstadt, bis spät in die Nacht hinein.\n"
	  "Trainer Ralf Brenneisen lobte die Abwehr um Kapitän Stefan Okafor.\n"
	  "Im Sommer wechselte Pellegrini aus Bari nach Ulm.\n"
	  "Das nächste Spiel findet am 14. März in Kassel statt.\n",
	  "FC Ulm beat Offenbach 3-1.\n"
	  "Marco Pellegrini scored in the 17th minute, then Tobias Krämer made it 2-0 in the 58th.\n"
	  "Coach Ralf Brenneisen praised the defence led by captain Stefan Okafor.\n"
	  "Pellegrini moved from Bari to Ulm in the summer.\n"
	  "The next match is on 14 March in Kassel.\n",
	  "[0]:[0] [1, 2]:[1] [3]:[] [4]:[2] [5]:[3] [6]:[4]" },
};

ParameterizedTestParameters(align, known_alignments)
{
	return cr_make_param_array(pair_case, pairs, sizeof(pairs) / sizeof(pairs[0]));
}

ParameterizedTest(pair_case *c, align, known_alignments)
{
	td_doc *s = doc_of(c->de, "de"), *t = doc_of(c->en, "en");
	td_ladder *l = align_no_lex(s, t);
	char got[512];

	check_ladder(l, s->n, t->n);
	ladder_string(got, sizeof(got), l);
	cr_assert_str_eq(got, c->want);
	td_ladder_free(l);
	td_doc_free(s);
	td_doc_free(t);
}

Test(align, confident_beads_score_higher_than_deletions)
{
	td_doc *s = doc_of(pairs[1].de, "de"), *t = doc_of(pairs[1].en, "en");
	td_ladder *l = align_no_lex(s, t);

	cr_assert_eq(l->n, 4);
	cr_assert_gt(l->v[0].score, 0.5, "a clear 1-1 bead scored %f", l->v[0].score);
	cr_assert_gt(l->v[3].score, 0.5);
	td_ladder_free(l);
	td_doc_free(s);
	td_doc_free(t);
}

Test(align, empty_documents)
{
	td_doc *e1 = doc_of("", "de"), *e2 = doc_of("\n\n", "en"), *t = doc_of(pairs[0].en, "en");
	td_ladder *l;
	size_t k;

	l = align_no_lex(e1, e2);
	cr_assert_eq(l->n, 0);
	td_ladder_free(l);

	l = align_no_lex(e1, t);
	check_ladder(l, 0, t->n);
	cr_assert_eq(l->n, t->n);
	for (k = 0; k < l->n; k++)
		cr_assert_eq(l->v[k].nsrc, 0);
	td_ladder_free(l);

	l = align_no_lex(t, e1);
	check_ladder(l, t->n, 0);
	td_ladder_free(l);
	td_doc_free(e1);
	td_doc_free(e2);
	td_doc_free(t);
}

/* Sentences without a counted token (stop words, punctuation) before and
 * between the others: units without entries, a side without keys (the
 * UBSan of the clang fuzz build flags arithmetic on a NULL entry array). */
Test(align, sentences_without_keys)
{
	td_doc *s = doc_of("und die der\n,\nDas Haus ist rot.\n\xe2\x80\x93\n", "de");
	td_doc *t = doc_of(";\nthe and\nThe house is red.\n", "en");
	td_doc *n = doc_of("und\n.\n", "de");
	td_ladder *l;

	l = align_no_lex(s, t);
	check_ladder(l, s->n, t->n);
	td_ladder_free(l);
	l = align_no_lex(n, t);
	check_ladder(l, n->n, t->n);
	td_ladder_free(l);
	td_doc_free(s);
	td_doc_free(t);
	td_doc_free(n);
}

Test(align, same_document_twice_is_the_diagonal)
{
	td_doc *s = doc_of(pairs[1].en, "en"), *t = doc_of(pairs[1].en, "en");
	td_ladder *l = align_no_lex(s, t);
	size_t k;

	check_ladder(l, s->n, t->n);
	cr_assert_eq(l->n, s->n);
	for (k = 0; k < l->n; k++) {
		cr_assert_eq(l->v[k].nsrc, 1);
		cr_assert_eq(l->v[k].ntgt, 1);
		cr_assert_gt(l->v[k].score, 0.9);
	}
	td_ladder_free(l);
	td_doc_free(s);
	td_doc_free(t);
}

/* A synthetic document of n sentences, numbered so that each is unique. */
static char *synthetic(size_t n, const char *lang, size_t skip_every)
{
	static const char *de[] = { "Der Bericht Nummer %zu nennt %zu Fälle in Regensburg.",
		"Laut Statistik %zu stiegen die Kosten um %zu Prozent.",
		"Am Ende blieben %zu von %zu Anträgen unbearbeitet, sagte Maier." };
	static const char *en[] = { "Report number %zu lists %zu cases in Regensburg.",
		"According to statistic %zu, costs rose by %zu percent.",
		"In the end %zu of %zu applications remained unprocessed, Maier said." };
	char *buf = malloc(n * 120 + 1);
	size_t k, pos = 0;

	for (k = 0; k < n; k++) {
		if (skip_every && k % skip_every == skip_every - 1)
			continue;
		pos += (size_t)sprintf(buf + pos, strcmp(lang, "de") == 0 ? de[k % 3] : en[k % 3], k, k * 7 + 3);
		buf[pos++] = '\n';
	}
	buf[pos] = '\0';
	return buf;
}

Test(align, long_documents_use_the_band_and_stay_right, .timeout = 60)
{
	/* 3000 x ~2900 sentences: more cells than the full grid allows, so the
	 * coarse-to-fine band is used; every 37th English sentence is missing. */
	char *de = synthetic(3000, "de", 0), *en = synthetic(3000, "en", 37);
	td_doc *s = doc_of(de, "de"), *t = doc_of(en, "en");
	td_ladder *l = align_no_lex(s, t);
	size_t k, dels = 0, wrong = 0;

	check_ladder(l, s->n, t->n);
	for (k = 0; k < l->n; k++) {
		const td_bead *b = &l->v[k];

		if (b->nsrc == 1 && b->ntgt == 0)
			dels++;
		else if (b->nsrc != 1 || b->ntgt != 1)
			wrong++;
		else if (b->tgt != b->src - b->src / 37)
			wrong++;
	}
	cr_assert_eq(dels, 3000 / 37, "deletions found: %zu", dels);
	cr_assert_eq(wrong, 0, "wrong beads: %zu", wrong);
	td_ladder_free(l);
	td_doc_free(s);
	td_doc_free(t);
	free(de);
	free(en);
}

/*
 * A text that repeats itself: COPY_DE German sentences translated into
 * COPY_EN English ones (slot 9 is not translated, an English sentence
 * without a German counterpart follows slot 19, slots 29 and 30 are one
 * English sentence), the pair repeated `copies` times as a whole. Every
 * copy looks like every other, so only the order of the copies says which
 * goes with which: a search that drifts by a copy still finds good local
 * matches everywhere. gold_de[k] is the English sentence German sentence k
 * goes with (-1: none; slot 29 and 30 both name the merged one).
 */
#define COPY_DE 40
#define COPY_EN 39
static void repeated_pair(char **de, char **en, long *gold_de, size_t copies)
{
	static const char *city[] = { "Regensburg", "Passau", "Bamberg", "Konstanz", "Lindau", "Coburg", "Husum", "Goslar" };
	static const char *name[] = { "Öztürk", "Kowalski", "Pellegrini", "Brenneisen", "Okafor", "Lindqvist" };
	char *d = malloc(copies * COPY_DE * 110 + 1), *e = malloc(copies * COPY_EN * 200 + 1);
	size_t c, k, pd = 0, pe = 0, te = 0;

	for (c = 0; c < copies; c++)
		for (k = 0; k < COPY_DE; k++) {
			const char *ci = city[(k * 3) % 8], *na = name[k % 6];
			unsigned m = (unsigned)((k * 37 + 11) % 500 + 3), y = (unsigned)(1950 + k);

			switch (k % 5) {
			case 0:
				pd += (size_t)sprintf(d + pd, "Im Jahr %u besuchten %u Touristen die Stadt %s.\n", y, m, ci);
				pe += (size_t)sprintf(e + pe, "In %u, %u tourists visited the city of %s", y, m, ci);
				break;
			case 1:
				pd += (size_t)sprintf(d + pd, "Der Bürgermeister von %s sprach über %u neue Wohnungen.\n", ci, m);
				pe += (size_t)sprintf(e + pe, "The mayor of %s spoke about %u new flats", ci, m);
				break;
			case 2:
				pd += (size_t)sprintf(d + pd, "Die Polizei meldete %u Unfälle auf der Straße nach %s.\n", m, ci);
				pe += (size_t)sprintf(e + pe, "Police reported %u accidents on the road to %s", m, ci);
				break;
			case 3:
				pd += (size_t)sprintf(d + pd, "%s gewann das Rennen in %s nach %u Minuten.\n", na, ci, m);
				pe += (size_t)sprintf(e + pe, "%s won the race in %s after %u minutes", na, ci, m);
				break;
			default:
				pd += (size_t)sprintf(d + pd, "Laut %s kostet das Projekt in %s %u Millionen Euro.\n", na, ci, m);
				pe += (size_t)sprintf(e + pe, "According to %s, the project in %s costs %u million euros", na, ci, m);
				break;
			}
			if (k == 9) {  /* left untranslated: take the English text back */
				pe = (size_t)(strrchr(e, '\n') ? strrchr(e, '\n') - e + 1 : 0);
				e[pe] = '\0';
				gold_de[c * COPY_DE + k] = -1;
				continue;
			}
			gold_de[c * COPY_DE + k] = (long)te;
			if (k == 29) {  /* one English sentence for German 29 and 30 */
				pe += (size_t)sprintf(e + pe, ", and ");
				continue;
			}
			pe += (size_t)sprintf(e + pe, ".\n");
			te++;
			if (k == 19) {
				pe += (size_t)sprintf(e + pe, "Many readers wrote to us about %s in %u.\n", ci, y);
				te++;
			}
		}
	d[pd] = e[pe] = '\0';
	*de = d;
	*en = e;
}

ParameterizedTestParameters(align, repeated_text_does_not_drift)
{
	/* From under the full grid to several coarse levels. */
	static size_t copies[] = { 5, 60, 250 };

	return cr_make_param_array(size_t, copies, sizeof(copies) / sizeof(copies[0]));
}

ParameterizedTest(size_t *copies, align, repeated_text_does_not_drift, .timeout = 120)
{
	long *gold = malloc(*copies * COPY_DE * sizeof(long));
	char *de, *en;
	td_doc *s, *t;
	td_ladder *l;
	size_t k, x, right = 0, drifted = 0, nde = *copies * COPY_DE;

	repeated_pair(&de, &en, gold, *copies);
	s = doc_of(de, "de");
	t = doc_of(en, "en");
	cr_assert_eq(s->n, nde);
	cr_assert_eq(t->n, *copies * COPY_EN);
	l = align_no_lex(s, t);
	check_ladder(l, s->n, t->n);
	for (k = 0; k < l->n; k++) {
		const td_bead *b = &l->v[k];
		int ok = 1;

		for (x = 0; x < b->nsrc; x++) {
			long g = gold[b->src + x];

			if (b->ntgt == 0 ? g != -1 : g < 0 || (size_t)g < b->tgt || (size_t)g >= b->tgt + b->ntgt)
				ok = 0;
			if (b->ntgt > 0 && g >= 0 && (b->src + x) / COPY_DE != (size_t)g / COPY_EN)
				drifted++;
		}
		right += ok && b->nsrc > 0;
	}
	/* Every copy has 39 beads with a German side (37 1-1, a 1-0, a 2-1); all must be found. */
	cr_assert_eq(drifted, 0, "%zu German sentences paired with another copy", drifted);
	cr_assert_geq(right, *copies * 39 * 99 / 100, "%zu of %zu beads right", right, *copies * 39);
	td_ladder_free(l);
	td_doc_free(s);
	td_doc_free(t);
	free(de);
	free(en);
	free(gold);
}

Test(align, one_side_ten_times_longer, .timeout = 60)
{
	char *de = synthetic(40, "de", 0), *en = synthetic(400, "en", 0);
	td_doc *s = doc_of(de, "de"), *t = doc_of(en, "en");
	td_ladder *l = align_no_lex(s, t);
	size_t k, ok = 0;

	check_ladder(l, s->n, t->n);
	for (k = 0; k < l->n; k++)
		ok += l->v[k].nsrc == 1 && l->v[k].ntgt == 1 && l->v[k].src == l->v[k].tgt;
	cr_assert_geq(ok, 38, "only %zu of the 40 shared sentences paired", ok);
	td_ladder_free(l);
	td_doc_free(s);
	td_doc_free(t);
	free(de);
	free(en);
}

Test(align, paragraph_marks_keep_merges_inside)
{
	/* The second German paragraph starts at sentence 2; no merge may hold
	 * sentences 1 and 2 together. */
	td_doc *s = doc_of("Das Hallenbad schließt.\nEs ist 50 Jahre alt.\n\nDer Rat stimmte am Montag zu.\nDie Kosten steigen.\n", "de");
	td_doc *t = doc_of("The indoor pool is closing, being 50 years old.\n\nThe council agreed on Monday.\nCosts are rising.\n", "en");
	td_ladder *l = align_no_lex(s, t);
	size_t k;

	check_ladder(l, s->n, t->n);
	for (k = 0; k < l->n; k++)
		cr_assert(!(l->v[k].src <= 1 && l->v[k].src + l->v[k].nsrc > 2), "bead crosses a paragraph");
	td_ladder_free(l);
	td_doc_free(s);
	td_doc_free(t);
}

/* The words ask for a merge across the paragraph break; the marks forbid it. */
Test(align, paragraph_marks_forbid_a_merge_the_words_ask_for)
{
	td_doc *s = doc_of("Das Hallenbad schließt.\n\nEs ist 50 Jahre alt.\nDie Kosten steigen.\n", "de");
	td_doc *t = doc_of("The indoor pool is closing, being 50 years old.\n\nCosts are rising.\n", "en");
	td_ladder *l = align_no_lex(s, t);
	size_t k;

	check_ladder(l, s->n, t->n);
	for (k = 0; k < l->n; k++)
		cr_assert(!(l->v[k].nsrc > 1 && l->v[k].src == 0), "bead %zu joins the first two paragraphs", k);
	td_ladder_free(l);
	td_doc_free(s);
	td_doc_free(t);
}

Test(align, unknown_language_is_an_error_not_a_crash)
{
	td_doc *s = doc_of("Ein Satz.\n", "de");
	td_align_opts o = TD_ALIGN_OPTS_INIT;
	td_ladder *l = (td_ladder *)1;

	o.src_lang = "";
	cr_assert_lt(td_align_run(&l, s, s, &o), 0);
	cr_assert_null(l);
	td_doc_free(s);
}

/* ---- writers ------------------------------------------------------------ */

static char *write_to_string(td_align_format fmt, const td_ladder *l, const td_doc *s, const td_doc *t, double min)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	cr_assert_eq(td_ladder_write(f, fmt, l, s, t, min), 0);
	fclose(f);
	return buf;
}

Test(writers, all_formats)
{
	td_doc *s = doc_of("Grüße aus „Köln“.\nZweiter\tSatz.\nDritter Satz.\n", "de");
	td_doc *t = doc_of("Greetings from \"Cologne\".\nSecond sentence.\n", "en");
	td_bead beads[] = { { 0, 1, 0, 1, 0.93 }, { 1, 2, 1, 1, 0.5 } };
	td_ladder l = { beads, 2 };
	td_bead beads2[] = { { 0, 1, 0, 0, 0.7 }, { 1, 2, 0, 2, 0.2 } };
	td_ladder l2 = { beads2, 2 };
	char *out;

	out = write_to_string(TD_ALIGN_FMT_BEADS, &l, s, t, 0);
	cr_assert_str_eq(out, "[0]:[0]:0.9300\n[1, 2]:[1]:0.5000\n");
	free(out);
	out = write_to_string(TD_ALIGN_FMT_BEADS, &l2, s, t, 0);
	cr_assert_str_eq(out, "[0]:[]:0.7000\n[1, 2]:[0, 1]:0.2000\n");
	free(out);
	out = write_to_string(TD_ALIGN_FMT_TSV, &l, s, t, 0);
	cr_assert_str_eq(out, "Grüße aus „Köln“.\tGreetings from \"Cologne\".\t0.9300\n"
		"Zweiter Satz. Dritter Satz.\tSecond sentence.\t0.5000\n");
	free(out);
	out = write_to_string(TD_ALIGN_FMT_JSONL, &l, s, t, 0.6);
	cr_assert_str_eq(out, "{\"src\":[0],\"tgt\":[0],\"score\":0.9300,"
		"\"src_text\":\"Grüße aus „Köln“.\",\"tgt_text\":\"Greetings from \\\"Cologne\\\".\"}\n");
	free(out);
	td_doc_free(s);
	td_doc_free(t);
}

Test(writers, moses_leaves_out_insertions_and_deletions)
{
	td_doc *s = doc_of("Eins.\nZwei.\nDrei.\n", "de"), *t = doc_of("One.\nThree.\n", "en");
	td_bead beads[] = { { 0, 1, 0, 1, 0.9 }, { 1, 1, 1, 0, 0.8 }, { 2, 1, 1, 1, 0.1 } };
	td_ladder l = { beads, 3 };
	char *a = NULL, *b = NULL;
	size_t al = 0, bl = 0;
	FILE *fa = open_memstream(&a, &al), *fb = open_memstream(&b, &bl);

	cr_assert_eq(td_ladder_write_moses(fa, fb, &l, s, t, 0.0), 0);
	fclose(fa);
	fclose(fb);
	cr_assert_str_eq(a, "Eins.\nDrei.\n");
	cr_assert_str_eq(b, "One.\nThree.\n");
	free(a);
	free(b);
	td_doc_free(s);
	td_doc_free(t);
}

Test(writers, join_checks_range)
{
	td_doc *s = doc_of("Eins.\nZwei.\n", "de");
	char *out = NULL;

	cr_assert_eq(td_doc_join(&out, s, 0, 2), 0);
	cr_assert_str_eq(out, "Eins. Zwei.");
	free(out);
	cr_assert_eq(td_doc_join(&out, s, 1, 2), TD_EINVAL);
	cr_assert_null(out);
	td_doc_free(s);
}

/* The sentences of synthetic(n, lang, 0) from first to last (exclusive), appended at *pos. */
static void synthetic_range(char *buf, size_t *pos, const char *lang, size_t first, size_t last)
{
	char *all = synthetic(last, lang, 0), *p = all;
	size_t k;

	for (k = 0; k < first; k++)
		p = strchr(p, '\n') + 1;
	*pos += (size_t)sprintf(buf + *pos, "%s", p);
	free(all);
}

/*
 * 600 German sentences, of which 200..399 have no English counterpart (a
 * chapter left out): more cells than the full grid, so the coarse search and
 * the recovery of low-confidence regions are both at work. The block comes
 * out as 1-0 beads and every other sentence is paired with its translation.
 */
Test(align, untranslated_block_gives_one_sided_beads, .timeout = 60)
{
	char *de = synthetic(600, "de", 0), *en = malloc(600 * 120);
	size_t pos = 0, k, i;
	td_doc *s, *t;
	td_ladder *l;

	synthetic_range(en, &pos, "en", 0, 200);
	synthetic_range(en, &pos, "en", 400, 600);
	s = doc_of(de, "de");
	t = doc_of(en, "en");
	cr_assert_eq(t->n, 400);
	l = align_no_lex(s, t);
	check_ladder(l, s->n, t->n);
	for (k = 0; k < l->n; k++) {
		const td_bead *b = &l->v[k];

		for (i = b->src; i < b->src + b->nsrc; i++) {
			if (i >= 200 && i < 400)
				cr_assert(b->ntgt == 0, "untranslated sentence %zu in a %zu-%zu bead", i, b->nsrc, b->ntgt);
			else
				cr_assert(b->nsrc == 1 && b->ntgt == 1 && b->tgt == (i < 200 ? i : i - 200),
					"sentence %zu in bead [%zu+%zu]:[%zu+%zu]", i, b->src, b->nsrc, b->tgt, b->ntgt);
		}
	}
	td_ladder_free(l);
	td_doc_free(s);
	td_doc_free(t);
	free(de);
	free(en);
}

/* A poem of short lines and its translation, line by line. */
static const char *poem_de[] = { "Wie die Rosen blühen,", "rot im Morgenlicht,",
	"so die Sterne glühen,", "doch sie sagen's nicht.", "Über Berg und Tale", "zieht der kalte Wind,",
	"und zum letzten Male", "singt das kleine Kind.", "Still, o still, mein Herze,", "schlafe sanft und tief,",
	"bei der Schein der Kerze,", "die dich zu mir rief." };
static const char *poem_en[] = { "As the roses flower,", "red in morning light,",
	"so the stars have power,", "but they never write.", "Over hill and valley", "blows the wind so cold,",
	"and for the last rally", "sings the child of old.", "Hush, oh hush, my heart,", "sleep so soft and deep,",
	"by the candle's art", "that called you from your sleep." };

#define POEM_LINES (sizeof(poem_de) / sizeof(poem_de[0]))

/* 80 prose sentences, the poem (in English with "I.", "II.", "III." before
 * every fourth line when numbered), 80 more: both documents. */
static void poem_pair(td_doc **s, td_doc **t, int numbered)
{
	static const char *numbers[] = { "I.", "II.", "III." };
	char *de = malloc(200 * 120), *en = malloc(200 * 120);
	size_t pd = 0, pe = 0, k;

	synthetic_range(de, &pd, "de", 0, 80);
	synthetic_range(en, &pe, "en", 0, 80);
	for (k = 0; k < POEM_LINES; k++) {
		if (numbered && k % 4 == 0)
			pe += (size_t)sprintf(en + pe, "%s\n", numbers[k / 4]);
		pd += (size_t)sprintf(de + pd, "%s\n", poem_de[k]);
		pe += (size_t)sprintf(en + pe, "%s\n", poem_en[k]);
	}
	synthetic_range(de, &pd, "de", 80, 160);
	synthetic_range(en, &pe, "en", 80, 160);
	*s = doc_of(de, "de");
	*t = doc_of(en, "en");
	free(de);
	free(en);
}

/*
 * Prose, a poem of short lines (little to go on but their lengths), prose:
 * the path does not lose its way in the poem, so the prose after it is
 * paired exactly, and the poem's lines stay with the poem.
 */
Test(align, poem_of_short_lines_keeps_the_path, .timeout = 60)
{
	size_t k, i, np = POEM_LINES;
	td_doc *s, *t;
	td_ladder *l;

	poem_pair(&s, &t, 0);
	l = align_no_lex(s, t);
	check_ladder(l, s->n, t->n);
	for (k = 0; k < l->n; k++) {
		const td_bead *b = &l->v[k];

		for (i = b->src; i < b->src + b->nsrc; i++) {
			if (i >= 80 && i < 80 + np)
				cr_assert(b->ntgt == 0 || (b->tgt >= 80 && b->tgt + b->ntgt <= 80 + np),
					"poem line %zu paired outside the poem: [%zu+%zu]:[%zu+%zu]", i, b->src, b->nsrc, b->tgt, b->ntgt);
			else
				cr_assert(b->nsrc == 1 && b->ntgt == 1 && b->tgt == i,
					"prose sentence %zu in bead [%zu+%zu]:[%zu+%zu]", i, b->src, b->nsrc, b->tgt, b->ntgt);
		}
	}
	td_ladder_free(l);
	td_doc_free(s);
	td_doc_free(t);
}

/*
 * A poem whose translation numbers its stanzas ("I.", "II.", "III." on
 * lines of their own) where the original does not: every number comes out
 * as a bead of its own with nothing on the other side, never merged into
 * a neighbouring line's bead, and the prose around the poem is paired exactly.
 */
Test(align, stanza_numbers_on_one_side_stand_alone, .timeout = 60)
{
	size_t k, np = POEM_LINES, nlabels = 0;
	td_doc *s, *t;
	td_ladder *l;

	poem_pair(&s, &t, 1);
	cr_assert_eq(t->n, s->n + 3);
	l = align_no_lex(s, t);
	check_ladder(l, s->n, t->n);
	for (k = 0; k < l->n; k++) {
		const td_bead *b = &l->v[k];
		size_t j;

		for (j = b->tgt; j < b->tgt + b->ntgt; j++) {
			if (j == 80 || j == 85 || j == 90) {
				cr_assert(b->nsrc == 0 && b->ntgt == 1, "stanza number %zu in a %zu-%zu bead", j, b->nsrc, b->ntgt);
				nlabels++;
			} else if (j < 80 || j >= 80 + np + 3) {
				cr_assert(b->nsrc == 1 && b->ntgt == 1 && b->src + (j < 80 ? 0 : 3) == j,
					"prose sentence %zu in bead [%zu+%zu]:[%zu+%zu]", j, b->src, b->nsrc, b->tgt, b->ntgt);
			}
		}
	}
	cr_assert_eq(nlabels, 3);
	td_ladder_free(l);
	td_doc_free(s);
	td_doc_free(t);
}

/*
 * A translation that puts a heading ("Chapter Two": no full stop) after
 * every 40th sentence, from the 20th on, where the original has none. The
 * sentence before each heading is long, and by their lengths the heading
 * could as well complete its translation; but a bead that ends in a
 * heading on one side and a full stop on the other is unlikely: no heading
 * joins the bead of the sentence before it, which is paired 1-1.
 */
Test(align, heading_on_one_side_does_not_end_a_bead, .timeout = 60)
{
	static const char *heads[] = { "Chapter One", "Chapter Two", "Chapter Three", "Chapter Four" };
	char *de = malloc(160 * 300), *en = malloc(160 * 300), *sde = synthetic(160, "de", 0),
		*sen = synthetic(160, "en", 0), *pd = sde, *pe = sen;
	size_t qd = 0, qe = 0, k, nheads = 0;
	td_doc *s, *t;
	td_ladder *l;
	const td_bead *b;

	for (k = 0; k < 160; k++) {
		char *ed = strchr(pd, '\n'), *ee = strchr(pe, '\n');

		if (k % 40 == 19) {
			qd += (size_t)sprintf(de + qd, "Der Bericht Nummer %zu über die Kosten der Stadt Regensburg "
				"nennt viele Fälle, die bis zum Ende des Jahres nicht bearbeitet wurden, und die "
				"Verwaltung hat dafür bis heute keine Erklärung gegeben.\n", k);
			qe += (size_t)sprintf(en + qe, "Report number %zu on the costs of the city of Regensburg "
				"lists many cases not processed by the end of the year, and the "
				"administration of the city has not yet explained why to this very day.\n%s\n",
				k, heads[k / 40]);
		} else {
			qd += (size_t)sprintf(de + qd, "%.*s\n", (int)(ed - pd), pd);
			qe += (size_t)sprintf(en + qe, "%.*s\n", (int)(ee - pe), pe);
		}
		pd = ed + 1;
		pe = ee + 1;
	}
	s = doc_of(de, "de");
	t = doc_of(en, "en");
	l = align_no_lex(s, t);
	cr_assert_eq(t->n, s->n + 4);
	check_ladder(l, s->n, t->n);
	/* Headings are English sentences 20, 61, 102, 143; the long sentences
	 * before them 19, 60, 101, 142 (German 19, 59, 99, 139). */
	for (b = l->v; b < l->v + l->n; b++) {
		size_t j = b->tgt;

		if (b->ntgt > 1 && (j + b->ntgt - 1) % 41 == 20)
			cr_assert_fail("heading %zu ends the bead [%zu+%zu]:[%zu+%zu]", j + b->ntgt - 1,
				b->src, b->nsrc, b->tgt, b->ntgt);
		nheads += b->ntgt > 0 && j % 41 == 20;
		if (b->ntgt > 0 && j % 41 == 19)
			cr_assert(b->nsrc == 1 && b->ntgt == 1 && b->src == j - (j + 20) / 41,
				"sentence %zu before a heading in bead [%zu+%zu]:[%zu+%zu]", j, b->src, b->nsrc,
				b->tgt, b->ntgt);
	}
	cr_assert_eq(nheads, 4);
	td_ladder_free(l);
	td_doc_free(s);
	td_doc_free(t);
	free(de);
	free(en);
	free(sde);
	free(sen);
}

/*
 * One long German sentence that the translation splits into five: the DP's
 * largest shape is 1-3, so it leaves two English sentences unaligned beside
 * it; they join the bead, which comes out 1-5, and the prose around it
 * stays 1-1.
 */
Test(align, a_sentence_split_in_five_is_one_bead, .timeout = 60)
{
	char *de = malloc(100 * 120 + 400), *en = malloc(100 * 120 + 400);
	size_t pd = 0, pe = 0, k, found = 0;
	td_doc *s, *t;
	td_ladder *l;

	synthetic_range(de, &pd, "de", 0, 30);
	synthetic_range(en, &pe, "en", 0, 30);
	pd += (size_t)sprintf(de + pd, "Am 12. März kamen Anna, Bernd und Carla nach Hamburg, wo 345 Gäste warteten, "
		"am 17. April fuhren sie nach Paris, wo 6789 Besucher das Louvre sahen, und im Mai "
		"reisten sie mit 23 Koffern nach Madrid, wo Pedro 58 Bilder zeigte.\n");
	pe += (size_t)sprintf(en + pe, "On 12 March Anna, Bernd and Carla came to Hamburg.\n"
		"There 345 guests were waiting.\nOn 17 April they went on to Paris.\n"
		"There 6789 visitors saw the Louvre.\nIn May they travelled with 23 suitcases to Madrid, "
		"where Pedro showed 58 pictures.\n");
	synthetic_range(de, &pd, "de", 30, 60);
	synthetic_range(en, &pe, "en", 30, 60);
	s = doc_of(de, "de");
	t = doc_of(en, "en");
	cr_assert_eq(t->n, s->n + 4);
	l = align_no_lex(s, t);
	check_ladder(l, s->n, t->n);
	for (k = 0; k < l->n; k++) {
		const td_bead *b = &l->v[k];

		if (b->src == 30 && b->nsrc == 1) {
			cr_assert(b->tgt == 30 && b->ntgt == 5, "the long sentence in bead [30+1]:[%zu+%zu]", b->tgt, b->ntgt);
			found = 1;
		} else {
			cr_assert(b->nsrc == 1 && b->ntgt == 1 && b->tgt == b->src + (b->src > 30 ? 4 : 0),
				"prose bead [%zu+%zu]:[%zu+%zu]", b->src, b->nsrc, b->tgt, b->ntgt);
		}
	}
	cr_assert(found);
	td_ladder_free(l);
	td_doc_free(s);
	td_doc_free(t);
	free(de);
	free(en);
}

/*
 * A poem whose translation moves a name a line down in every stanza, as
 * translations of verse move words across lines to keep metre and rhyme:
 * German line 2 of a stanza names Anna, English line 3 does. Nothing else
 * is shared, and the names alone slipped the path by a line through the
 * whole poem (an English line left unaligned before it, a German one
 * after it). In verse on both sides position counts more than words:
 * every line is paired with the line in the same place, as the gold of a
 * translated poem has it, and the prose around it 1-1.
 */
Test(align, translated_poem_aligns_line_by_line, .timeout = 60)
{
	static const char *names[] = { "Anna", "Bernhard", "Clara", "Dietrich" };
	static const char *de_lines[] = { "leise weht der Wind,", "%s singt im Tal,", "und die Nacht bricht an,",
		"still wird jedes Haus;" };
	static const char *en_lines[] = { "softly blows the breeze,", "and by the river bank", "%s sings to night,",
		"each house grows still;" };
	char *de = malloc(200 * 120), *en = malloc(200 * 120);
	size_t pd = 0, pe = 0, k;
	td_doc *s, *t;
	td_ladder *l;

	synthetic_range(de, &pd, "de", 0, 60);
	synthetic_range(en, &pe, "en", 0, 60);
	for (k = 0; k < 16; k++) {   /* (a line without %s ignores the name) */
		pd += (size_t)sprintf(de + pd, de_lines[k % 4], names[k / 4]);
		pe += (size_t)sprintf(en + pe, en_lines[k % 4], names[k / 4]);
		de[pd++] = '\n';
		en[pe++] = '\n';
	}
	synthetic_range(de, &pd, "de", 60, 120);
	synthetic_range(en, &pe, "en", 60, 120);
	s = doc_of(de, "de");
	t = doc_of(en, "en");
	cr_assert_eq(t->n, s->n);
	l = align_no_lex(s, t);
	check_ladder(l, s->n, t->n);
	for (k = 0; k < l->n; k++) {
		const td_bead *b = &l->v[k];

		cr_assert(b->nsrc == 1 && b->ntgt == 1 && b->tgt == b->src,
			"bead [%zu+%zu]:[%zu+%zu] (the poem is lines 60-75)", b->src, b->nsrc, b->tgt, b->ntgt);
	}
	td_ladder_free(l);
	td_doc_free(s);
	td_doc_free(t);
	free(de);
	free(en);
}
