/*
 * Segmentation: German and English news cases. Each row is rendered as
 * `tandem segment` prints it: one sentence per line, an empty line between
 * paragraphs.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tandem/segment.h"

/* Arrays, not pointers: Criterion runs each case in another process. */
typedef struct {
	char lang[8];
	td_seg_mode mode;
	char in[160];
	char want[160];
} seg_case;

#define T TD_SEG_TEXT
#define L TD_SEG_LINE_PARAGRAPHS
#define P TD_SEG_PRESEGMENTED

ParameterizedTestParameters(segment, cases)
{
	static seg_case seg_cases[] = {
	/* German ordinals and dates */
	{ "de", T, "Das Treffen war am 27. Januar in Berlin. Danach reiste er ab.",
	  "Das Treffen war am 27. Januar in Berlin.\nDanach reiste er ab." },
	{ "de", T, "Die Messe läuft vom 4. bis zum 14. Oktober. Der Eintritt ist frei.",
	  "Die Messe läuft vom 4. bis zum 14. Oktober.\nDer Eintritt ist frei." },
	{ "de", T, "In der 36. Minute fiel das 1:0. Danach passierte wenig.",
	  "In der 36. Minute fiel das 1:0.\nDanach passierte wenig." },
	{ "de", T, "Müller (45.) und Kimmich (78.) trafen. Bayern führt.",
	  "Müller (45.) und Kimmich (78.) trafen.\nBayern führt." },
	{ "de", T, "Er traf doppelt (26./49.) für Juventus. Ronaldo legte auf.",
	  "Er traf doppelt (26./49.) für Juventus.\nRonaldo legte auf." },
	{ "de", T, "Seit dem 1. Mai gilt das Gesetz. Es ist umstritten.",
	  "Seit dem 1. Mai gilt das Gesetz.\nEs ist umstritten." },
	{ "de", T, "Sie feiert ihren 60. Geburtstag. Gäste kommen aus ganz Europa.",
	  "Sie feiert ihren 60. Geburtstag.\nGäste kommen aus ganz Europa." },
	{ "de", T, "Am Tag ihres 38. Geburtstags gab sie auf. Niemand hatte das erwartet.",
	  "Am Tag ihres 38. Geburtstags gab sie auf.\nNiemand hatte das erwartet." },
	{ "de", T, "Die Feier war am 3. 10. in Bonn. Alle kamen.",
	  "Die Feier war am 3. 10. in Bonn.\nAlle kamen." },
	{ "de", T, "Ergebnis: 1. Huber 245,7 - 2. Peier 237,7 - 3. Geiger 237,3",
	  "Ergebnis: 1. Huber 245,7 - 2. Peier 237,7 - 3. Geiger 237,3" },
	{ "de", T, "Die Zahl der Toten stieg auf 400. Helfer suchen weiter.",
	  "Die Zahl der Toten stieg auf 400.\nHelfer suchen weiter." },
	{ "de", T, "Das war im Jahr 2018. Die Lage hat sich seither verbessert.",
	  "Das war im Jahr 2018.\nDie Lage hat sich seither verbessert." },
	/* German abbreviations, initials, decimals, times */
	{ "de", T, "Viele Tiere, z. B. Füchse, leben hier. Sie sind scheu.",
	  "Viele Tiere, z. B. Füchse, leben hier.\nSie sind scheu." },
	{ "de", T, "Er kam spät, d. h. nach Mitternacht. Das fiel auf.",
	  "Er kam spät, d. h. nach Mitternacht.\nDas fiel auf." },
	{ "de", T, "Gesprochen haben u. a. Vertreter der Kirchen. Es war voll.",
	  "Gesprochen haben u. a. Vertreter der Kirchen.\nEs war voll." },
	{ "de", T, "Das Spiel in St. Pauli endete torlos. Die Fans pfiffen.",
	  "Das Spiel in St. Pauli endete torlos.\nDie Fans pfiffen." },
	{ "de", T, "Prof. Dr. Anna Schmidt leitet das Institut. Sie forscht zu Klima.",
	  "Prof. Dr. Anna Schmidt leitet das Institut.\nSie forscht zu Klima." },
	{ "de", T, "Es kamen ca. 500 Menschen. Die Polizei war vor Ort.",
	  "Es kamen ca. 500 Menschen.\nDie Polizei war vor Ort." },
	{ "de", T, "Haus Nr. 5 brannte ab. Verletzt wurde niemand.",
	  "Haus Nr. 5 brannte ab.\nVerletzt wurde niemand." },
	{ "de", T, "Der Bau kostet 12 Mio. Euro und die Sanierung 1,5 Mrd. Euro. Das ist viel.",
	  "Der Bau kostet 12 Mio. Euro und die Sanierung 1,5 Mrd. Euro.\nDas ist viel." },
	{ "de", T, "Der Konzern machte einen Verlust von 3 Mrd. Die Aktie fiel.",
	  "Der Konzern machte einen Verlust von 3 Mrd.\nDie Aktie fiel." },
	{ "de", T, "Kanzler Helmut K. Schmidt sprach. Dann ging er.",
	  "Kanzler Helmut K. Schmidt sprach.\nDann ging er." },
	{ "de", T, "Die Quote liegt bei 3.5 Prozent. Um 14.30 Uhr beginnt die Sitzung.",
	  "Die Quote liegt bei 3.5 Prozent.\nUm 14.30 Uhr beginnt die Sitzung." },
	{ "de", T, "Der Umsatz wuchs um 5.000 Euro auf 12,5 Millionen. Gut so.",
	  "Der Umsatz wuchs um 5.000 Euro auf 12,5 Millionen.\nGut so." },
	{ "de", T, "Die Bahn prägte den Ort im Frankenwald. 1991 endete diese Zeit.",
	  "Die Bahn prägte den Ort im Frankenwald.\n1991 endete diese Zeit." },
	{ "de", T, "Schalke gewinnt gegen Mainz (1:0). (dpa) Viermal hatte Schalke verloren.",
	  "Schalke gewinnt gegen Mainz (1:0).\n(dpa) Viermal hatte Schalke verloren." },
	{ "de", T, "Das Urteil (Az. 4 KLs 301/22) ist rechtskräftig. Die Kammer tagte lange.",
	  "Das Urteil (Az. 4 KLs 301/22) ist rechtskräftig.\nDie Kammer tagte lange." },
	/* German quotes, ellipses, URLs, e-mail, headlines, ! and ? */
	{ "de", T, "„Das ist ein guter Tag“, sagte sie. „Wir feiern.“ Dann ging sie.",
	  "„Das ist ein guter Tag“, sagte sie.\n„Wir feiern.“\nDann ging sie." },
	{ "de", T, "„Warum?“ fragte der Richter. Der Angeklagte schwieg.",
	  "„Warum?“ fragte der Richter.\nDer Angeklagte schwieg." },
	{ "de", T, "„Die Rente ist nicht sicher!“ steht auf dem Plakat. Viele nicken.",
	  "„Die Rente ist nicht sicher!“ steht auf dem Plakat.\nViele nicken." },
	{ "de", T, "Er zögerte … und sprang dann. Alle jubelten.",
	  "Er zögerte … und sprang dann.\nAlle jubelten." },
	{ "de", T, "Ja, sie will... Aber erst morgen.",
	  "Ja, sie will...\nAber erst morgen." },
	{ "de", T, "Infos unter www.stadt-koeln.de/bad. Anmeldung per Mail an info@stadt.de bis Freitag.",
	  "Infos unter www.stadt-koeln.de/bad.\nAnmeldung per Mail an info@stadt.de bis Freitag." },
	{ "de", T, "Neues Hallenbad für Köln\n\nDie Stadt plant ein Bad. Es kostet viel.",
	  "Neues Hallenbad für Köln\n\nDie Stadt plant ein Bad.\nEs kostet viel." },
	{ "de", T, "Der Bürgermeister sprach lange.\nDie Räte hörten\nzu. Dann stimmten sie ab.\n",
	  "Der Bürgermeister sprach lange.\nDie Räte hörten zu.\nDann stimmten sie ab." },
	{ "de", T, "Erster Absatz.\n   \n\nZweiter Absatz. Mit zwei Sätzen.\n\n\n",
	  "Erster Absatz.\n\nZweiter Absatz.\nMit zwei Sätzen." },
	/* English */
	{ "en", T, "The U.S. Army said Mr. Smith had left. He was not seen again.",
	  "The U.S. Army said Mr. Smith had left.\nHe was not seen again." },
	{ "en", T, "The troops went back to the U.S. The war was over.",
	  "The troops went back to the U.S.\nThe war was over." },
	{ "en", T, "Dr. Jones met Prof. Miller on Jan. 12 in St. Louis. They talked for hours.",
	  "Dr. Jones met Prof. Miller on Jan. 12 in St. Louis.\nThey talked for hours." },
	{ "en", T, "President John F. Kennedy spoke. The crowd cheered.",
	  "President John F. Kennedy spoke.\nThe crowd cheered." },
	{ "en", T, "Inflation rose 2.5 percent to $5,000 a head. Markets fell.",
	  "Inflation rose 2.5 percent to $5,000 a head.\nMarkets fell." },
	{ "en", T, "The meeting starts at 9.30 a.m. on Monday. Bring your notes.",
	  "The meeting starts at 9.30 a.m. on Monday.\nBring your notes." },
	{ "en", T, "“We will win,” she said. “Nobody doubts it.” Then she left.",
	  "“We will win,” she said.\n“Nobody doubts it.”\nThen she left." },
	{ "en", T, "“Why?” he asked. Nobody answered.",
	  "“Why?” he asked.\nNobody answered." },
	{ "en", T, "Contact press@example.org or visit example.com/news. Offices open at 9.",
	  "Contact press@example.org or visit example.com/news.\nOffices open at 9." },
	{ "en", T, "NATO rejects Russian demands\n\nThe alliance answered on Wednesday. Moscow was silent.",
	  "NATO rejects Russian demands\n\nThe alliance answered on Wednesday.\nMoscow was silent." },
	{ "en", T, "Wait... what happened? Nobody knows!",
	  "Wait... what happened?\nNobody knows!" },
	{ "en", T, "Goals: Muslija (86.) scored late. Hanover lost.",
	  "Goals: Muslija (86.) scored late.\nHanover lost." },
	{ "en", T, "Shares of Apple Inc. rose. Microsoft Corp. fell.",
	  "Shares of Apple Inc. rose.\nMicrosoft Corp. fell." },
	{ "en", T, "Fewer people were hurt. 10 instead of 15 passengers are in hospital.",
	  "Fewer people were hurt.\n10 instead of 15 passengers are in hospital." },
	{ "en", T, "Goals by Sterling (29) and Agüero (65). 2:0 against Brighton.",
	  "Goals by Sterling (29) and Agüero (65). 2:0 against Brighton." },
	{ "en", T, "1. FC Köln won. Only the champions go up to the 3. Liga next season.",
	  "1. FC Köln won.\nOnly the champions go up to the 3. Liga next season." },
	/* Modes */
	{ "de", L, "Erste Zeile ohne Punkt\nZweite Zeile. Zwei Sätze.\n\nDritte",
	  "Erste Zeile ohne Punkt\n\nZweite Zeile.\nZwei Sätze.\n\nDritte" },
	{ "de", L, "Der Satz geht\nweiter.", "Der Satz geht\n\nweiter." },
	{ "de", P, "Satz eins. Noch mehr.\nSatz zwei\n\n\nSatz drei\n",
	  "Satz eins. Noch mehr.\nSatz zwei\n\nSatz drei" },
	{ "de", P, "  eingerückt  \n\t\n", "eingerückt" },
	{ "de", T, "", "" },
	{ "de", T, "   \n\n \n", "" },
	/* Other locales go to ICU alone */
	{ "fr", T, "Il est parti. Elle est restée.", "Il est parti.\nElle est restée." },
	{ "de_CH", T, "Der Zug fuhr am 3. Mai ab. Alle stiegen ein.",
	  "Der Zug fuhr am 3. Mai ab.\nAlle stiegen ein." },
	};

	return cr_make_param_array(seg_case, seg_cases, sizeof(seg_cases) / sizeof(seg_cases[0]));
}

/* The doc as `tandem segment` prints it, without the final newline. */
static char *render(const td_doc *doc)
{
	size_t i, cap = 16;
	char *s;

	for (i = 0; i < doc->n; i++)
		cap += strlen(doc->v[i].text) + 2;
	s = malloc(cap);
	cr_assert_not_null(s);
	s[0] = '\0';
	for (i = 0; i < doc->n; i++) {
		if (i > 0)
			strcat(s, doc->v[i].paragraph != doc->v[i - 1].paragraph ? "\n\n" : "\n");
		strcat(s, doc->v[i].text);
	}
	return s;
}

ParameterizedTest(seg_case *c, segment, cases)
{
	td_seg_opts opts = TD_SEG_OPTS_INIT;
	td_doc *doc = NULL;
	char *got;
	size_t i;
	int rc;

	opts.lang = c->lang;
	opts.mode = c->mode;
	rc = td_seg_split(&doc, c->in, strlen(c->in), &opts);
	cr_assert_eq(rc, 0, "%s", td_error_last());
	got = render(doc);
	cr_assert_str_eq(got, c->want, "input: %s", c->in);
	/* Offsets point at the sentence in the input, up to inner line breaks. */
	for (i = 0; i < doc->n; i++) {
		const td_sentence *s = &doc->v[i];
		size_t k;
		cr_assert_lt(s->start, s->end);
		cr_assert_leq(s->end, strlen(c->in));
		cr_assert_eq(s->end - s->start, strlen(s->text));
		for (k = 0; k < strlen(s->text); k++)
			cr_assert(s->text[k] == c->in[s->start + k] ||
				  (s->text[k] == ' ' && strchr("\n\t", c->in[s->start + k])));
		if (i > 0)
			cr_assert_geq(s->start, doc->v[i - 1].end);
	}
	if (doc->n)
		cr_assert_eq(doc->nparagraphs, doc->v[doc->n - 1].paragraph + 1);
	else
		cr_assert_eq(doc->nparagraphs, 0);
	free(got);
	td_doc_free(doc);
}

Test(segment, plain_icu_breaks_ordinals)
{
	td_seg_opts opts = TD_SEG_OPTS_INIT;
	const char *in = "Er kam am 27. Januar.";
	td_doc *doc = NULL;

	opts.lang = "de";
	opts.plain_icu = true;
	cr_assert_eq(td_seg_split(&doc, in, strlen(in), &opts), 0);
	cr_assert_eq(doc->n, 2, "plain ICU splits after '27.'; tandem's rules exist for that");
	td_doc_free(doc);
}

Test(segment, null_opts_is_english_text)
{
	td_doc *doc = NULL;
	const char *in = "Mr. Smith came. He left.";

	cr_assert_eq(td_seg_split(&doc, in, strlen(in), NULL), 0);
	cr_assert_eq(doc->n, 2);
	cr_assert_str_eq(doc->v[1].text, "He left.");
	cr_assert_eq(doc->v[1].start, 16);
	cr_assert_eq(doc->v[1].end, 24);
	td_doc_free(doc);
}

Test(segment, bad_language_is_einval)
{
	td_seg_opts opts = TD_SEG_OPTS_INIT;
	td_doc *doc = (td_doc *)1;

	opts.lang = "d e";
	cr_assert_eq(td_seg_split(&doc, "x", 1, &opts), TD_EINVAL);
	cr_assert_null(doc);
	cr_assert(strstr(td_error_last(), "'d e'"), "%s", td_error_last());
	opts.lang = "";
	cr_assert_eq(td_seg_split(&doc, "x", 1, &opts), TD_EINVAL);
}

Test(segment, len_bounds_the_text)
{
	td_doc *doc = NULL;
	const char *in = "One. Two. Three.";

	cr_assert_eq(td_seg_split(&doc, in, 9, NULL), 0);
	cr_assert_eq(doc->n, 2);
	cr_assert_str_eq(doc->v[1].text, "Two.");
	td_doc_free(doc);
}

Test(segment, free_null_is_noop)
{
	td_doc_free(NULL);
}

Test(segment, long_paragraph_many_sentences)
{
	size_t n = 20000, i;
	char *in = malloc(n * 12 + 1), *p = in;
	td_doc *doc = NULL;

	for (i = 0; i < n; i++)
		p += sprintf(p, "Satz %05zu. ", i);
	cr_assert_eq(td_seg_split(&doc, in, strlen(in), NULL), 0);
	cr_assert_eq(doc->n, n);
	cr_assert_str_eq(doc->v[n - 1].text, "Satz 19999.");
	td_doc_free(doc);
	free(in);
}

/* Breaks inside one huge word must not rescan the word: linear, not quadratic. */
Test(segment, long_word_without_spaces_is_fast, .timeout = 20)
{
	size_t n = 100000, i;
	char *in = malloc(n * 4 + 1);
	td_seg_opts opts = TD_SEG_OPTS_INIT;
	td_doc *doc = NULL;

	for (i = 0; i < n; i++)
		memcpy(in + 4 * i, "1.Ab", 4);
	in[4 * n] = '\0';
	opts.lang = "de";
	cr_assert_eq(td_seg_split(&doc, in, 4 * n, &opts), 0);
	cr_assert_geq(doc->n, 1);
	td_doc_free(doc);
	free(in);
}

/* Options carry the version of the headers they were built with; another is refused. */
Test(segment, options_of_another_version_are_refused)
{
	td_seg_opts opts = TD_SEG_OPTS_INIT;
	td_doc *doc = NULL;

	cr_assert_eq(opts.version, TD_SEG_OPTS_VERSION);
	opts.version = TD_SEG_OPTS_VERSION + 1;
	cr_assert_eq(td_seg_split(&doc, "Ein Satz.", 9, &opts), TD_EINVAL);
	cr_assert_null(doc);
	cr_assert(strstr(td_error_last(), "version") != NULL, "%s", td_error_last());
}

/* Every sentence knows the 1-based lines it starts and ends on. */
Test(segment, sentences_know_their_lines)
{
	static const char pre[] = "Erster Satz.\n\nZweiter Satz.\nDritter.\n";
	static const char run[] = "One. Two\nruns on.\n\nThree.";
	td_seg_opts so = TD_SEG_OPTS_INIT;
	td_doc *d = NULL;

	so.lang = "de";
	so.mode = TD_SEG_PRESEGMENTED;
	cr_assert_eq(td_seg_split(&d, pre, strlen(pre), &so), 0);
	cr_assert_eq(d->n, 3);
	cr_assert_eq(d->v[0].line, 1);
	cr_assert_eq(d->v[1].line, 3);
	cr_assert_eq(d->v[2].line, 4);
	cr_assert_eq(d->v[2].line_end, 4);
	td_doc_free(d);
	so.lang = "en";
	so.mode = TD_SEG_TEXT;
	cr_assert_eq(td_seg_split(&d, run, strlen(run), &so), 0);
	cr_assert_eq(d->n, 3, "%zu sentences", d->n);
	cr_assert_eq(d->v[0].line, 1);
	cr_assert_eq(d->v[1].line, 1);
	cr_assert_eq(d->v[1].line_end, 2);
	cr_assert_eq(d->v[2].line, 4);
	td_doc_free(d);
}
