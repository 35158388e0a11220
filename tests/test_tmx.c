/* Exchange: TMX import (markup, languages, versions, bad input), TSV, export and round trips. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <libxml/parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "helpers.h"
#include "tandem/tmx.h"

static char tmpath[1024];

static void setup(void)
{
	th_dir_setup();
	snprintf(tmpath, sizeof(tmpath), "%s", th_tm("tm.db"));
}

/* The TMs are th_tm's: the suite runs against PostgreSQL too (the suite pg). */
TestSuite(tmx, .init = setup, .fini = th_dir_teardown);

/* th_dir/name with the given content; returns a static path. */
static const char *file(const char *name, const char *content)
{
	static char p[2][600];
	static int k;
	char *out = p[k++ & 1];

	snprintf(out, 600, "%s/%s", th_dir, name);
	cr_assert_eq(th_write(out, content, strlen(content)), 0);
	return out;
}

static td_tm *open_tm(const char *path)
{
	td_tm *tm = NULL;
	cr_assert_eq(td_tm_open(&tm, path, 0), 0, "%s", td_error_last());
	return tm;
}

static int import(td_import_report *rep, const char *path, const char *s, const char *t)
{
	td_import_opts o = TD_IMPORT_OPTS_INIT;
	td_tm *tm = open_tm(tmpath);
	int rc;

	o.src_lang = s;
	o.tgt_lang = t;
	rc = td_tmx_import(rep, tm, path, &o);
	td_tm_close(tm);
	return rc;
}

/* Every unit of the TM as "sl|tl|source|target\n", in storage order (malloc'd). */
static char *dump(const char *path)
{
	td_tm *tm = open_tm(path);
	td_tm_iter *it = NULL;
	const td_tm_unit *u;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	cr_assert_eq(td_tm_iter_new(&it, tm, NULL, NULL), 0);
	while (td_tm_iter_next(&u, it) > 0)
		fprintf(f, "%s|%s|%s|%s\n", u->src_lang, u->tgt_lang, u->source, u->target);
	fclose(f);
	td_tm_iter_free(it);
	td_tm_close(tm);
	return buf;
}

static const char *tmx_of(const char *header_attrs, const char *body)
{
	static char buf[8192];
	snprintf(buf, sizeof(buf),
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<tmx version=\"1.4\">\n"
		"<header creationtool=\"t\" creationtoolversion=\"1\" segtype=\"sentence\" o-tmf=\"t\" "
		"adminlang=\"en\" datatype=\"plaintext\" %s/>\n"
		"<body>\n%s</body>\n</tmx>\n", header_attrs, body);
	return buf;
}

/* ---- what a translator sees of inline markup ---- */

struct seg_case {
	char seg[160];
	char text[80];
};

ParameterizedTestParameters(tmx, inline_markup)
{
	static struct seg_case cases[] = {
		{ "Der <bpt i=\"1\">&lt;b&gt;</bpt>Hund<ept i=\"1\">&lt;/b&gt;</ept> bellt.", "Der Hund bellt." },
		{ "Preis<ph x=\"1\">{\\tab}</ph> 5.000 \xe2\x82\xac", "Preis 5.000 \xe2\x82\xac" },
		{ "<hi type=\"b\">Achtung</hi>: \xe2\x80\x9eGlatteis\xe2\x80\x9c", "Achtung: \xe2\x80\x9eGlatteis\xe2\x80\x9c" },
		{ "Text <it pos=\"begin\">&lt;i&gt;</it>kursiv", "Text kursiv" },
		{ "Fu\xc3\x9fnote<ph>&lt;fn&gt;<sub>Die Anmerkung</sub>&lt;/fn&gt;</ph> hier",
		  "Fu\xc3\x9fnote Die Anmerkung hier" },
		{ "<ut>{\\b}</ut>fett", "fett" },
		{ "Zeile <ph x=\"1\"/>zwei", "Zeile zwei" },
		{ "<hi>a <bpt i=\"2\">[</bpt>b<ept i=\"2\">]</ept></hi> c", "a b c" },
		{ "A &amp; B &lt; C &#x201E;x&#x201C;", "A & B < C \xe2\x80\x9ex\xe2\x80\x9c" },
		{ "<![CDATA[a < b]]>", "a < b" },
		{ "  au\xc3\x9f" "en  ", "au\xc3\x9f" "en" },
		/* dropping a code never joins two words, nor leaves two spaces */
		{ "foo<ph/>bar", "foo bar" },
		{ "foo <ph>x</ph> bar", "foo bar" },
		{ "Stra\xc3\x9f" "e<ph>&lt;br/&gt;</ph>K\xc3\xb6ln", "Stra\xc3\x9f" "e K\xc3\xb6ln" },
		{ "\xe2\x80\x9eZitat\xe2\x80\x9c<ph x=\"2\"/>und", "\xe2\x80\x9eZitat\xe2\x80\x9c und" },
		{ "<hi>Achtung<ph/>Stufe</hi>", "Achtung Stufe" },
		{ "x <bpt i=\"1\"/> <ept i=\"1\"/> y", "x y" },
		{ "a<ut>{\\b}</ut> <ut>{\\b0}</ut> b", "a b" },
		{ "<ph>{1}</ph>Anfang<ph>{2}</ph>", "Anfang" },
		{ "<it pos=\"end\">&lt;/i&gt;</it> Ende", "Ende" },
		/* formatting inside a word does not split it */
		{ "Haus<bpt i=\"1\">&lt;b&gt;</bpt>t\xc3\xbcr<ept i=\"1\">&lt;/b&gt;</ept>", "Haust\xc3\xbcr" },
		/* <sub> is text a translator sees, set apart from the words around the code */
		{ "Bild <ph>&lt;img alt=\"<sub>Ein Logo</sub>\"&gt;</ph>hier", "Bild Ein Logo hier" },
		{ "Link <bpt i=\"1\">&lt;a title=\"<sub>Startseite</sub>\"&gt;</bpt>hier<ept i=\"1\">&lt;/a&gt;</ept>.",
		  "Link Startseite hier." },
		{ "Gr&#xFC;&#223;e<ph/>&#x201E;Welt&#x201C;", "Gr\xc3\xbc\xc3\x9f" "e \xe2\x80\x9eWelt\xe2\x80\x9c" },
	};
	return cr_make_param_array(struct seg_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct seg_case *c, tmx, inline_markup)
{
	char body[1024], want[256];
	td_import_report rep;
	char *got;

	snprintf(body, sizeof(body), "<tu><tuv xml:lang=\"de\"><seg>%s</seg></tuv>"
		"<tuv xml:lang=\"en\"><seg>x</seg></tuv></tu>\n", c->seg);
	cr_assert_eq(import(&rep, file("a.tmx", tmx_of("srclang=\"de\"", body)), NULL, NULL), 0, "%s", td_error_last());
	cr_assert_eq(rep.added, 1);
	got = dump(tmpath);
	snprintf(want, sizeof(want), "de|en|%s|x\n", c->text);
	cr_assert_str_eq(got, want);
	free(got);
}

/* ---- languages and versions ---- */

static const char multi[] =
	"<tu><tuv xml:lang=\"de-DE\"><seg>Guten Tag</seg></tuv>"
	"<tuv xml:lang=\"en-GB\"><seg>Good day</seg></tuv>"
	"<tuv xml:lang=\"fr\"><seg>Bonjour</seg></tuv></tu>\n"
	"<tu><tuv xml:lang=\"en\"><seg>only English</seg></tuv></tu>\n";

Test(tmx, multilingual_tu_gives_all_pairs_from_header_srclang)
{
	td_import_report rep;
	char *got;

	cr_assert_eq(import(&rep, file("m.tmx", tmx_of("srclang=\"de\"", multi)), NULL, NULL), 0, "%s", td_error_last());
	cr_assert_eq(rep.read, 2);
	cr_assert_eq(rep.added, 2);
	cr_assert_eq(rep.skips[TD_SKIP_NO_SOURCE], 1);
	got = dump(tmpath);
	cr_assert_str_eq(got, "de-DE|en-GB|Guten Tag|Good day\nde-DE|fr|Guten Tag|Bonjour\n");
	free(got);
}

Test(tmx, asked_pair_only)
{
	td_import_report rep;
	char *got;

	cr_assert_eq(import(&rep, file("m.tmx", tmx_of("srclang=\"de\"", multi)), "en", "fr"), 0, "%s", td_error_last());
	cr_assert_eq(rep.added, 1);
	cr_assert_eq(rep.skips[TD_SKIP_NO_TARGET], 1);
	got = dump(tmpath);
	cr_assert_str_eq(got, "en-GB|fr|Good day|Bonjour\n");
	free(got);
}

Test(tmx, version_1_1_lang_attribute_and_all_srclang)
{
	td_import_report rep;
	char *got;
	const char *doc =
		"<?xml version=\"1.0\"?>\n<!DOCTYPE tmx SYSTEM \"tmx11.dtd\">\n<tmx version=\"1.1\">\n"
		"<header srclang=\"*all*\" creationtool=\"old\" creationtoolversion=\"1\" segtype=\"sentence\" "
		"o-tmf=\"x\" adminlang=\"EN-US\" datatype=\"rtf\"/>\n<body>\n"
		"<tu><tuv lang=\"EN-US\"><seg>Yes</seg></tuv><tuv lang=\"DE-DE\"><seg>Ja</seg></tuv></tu>\n"
		"<tu srclang=\"de-DE\"><tuv lang=\"EN-US\"><seg>No</seg></tuv><tuv lang=\"DE-DE\"><seg>Nein</seg></tuv></tu>\n"
		"</body>\n</tmx>\n";

	cr_assert_eq(import(&rep, file("old.tmx", doc), NULL, NULL), 0, "%s", td_error_last());
	got = dump(tmpath);
	cr_assert_str_eq(got, "en-US|de-DE|Yes|Ja\nde-DE|en-US|Nein|No\n");
	free(got);
}

/* Every TMX version, with xml:lang or the older lang, gives the same units from the same markup. */
struct version_case {
	char version[8];
	char attr[12];      /* the <tuv>'s language attribute */
	char doctype[40];   /* a DOCTYPE as old tools write it (never loaded) */
};

ParameterizedTestParameters(tmx, versions)
{
	static struct version_case cases[] = {
		{ "1.1", "lang", "<!DOCTYPE tmx SYSTEM \"tmx11.dtd\">" },
		{ "1.2", "lang", "<!DOCTYPE tmx SYSTEM \"tmx12.dtd\">" },
		{ "1.3", "xml:lang", "<!DOCTYPE tmx SYSTEM \"tmx13.dtd\">" },
		{ "1.4", "xml:lang", "<!DOCTYPE tmx SYSTEM \"tmx14.dtd\">" },
		{ "1.4", "xml:lang", "" },
		{ "1.1", "xml:lang", "" },
		{ "1.4", "lang", "" },
	};
	return cr_make_param_array(struct version_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct version_case *c, tmx, versions)
{
	char doc[2048];
	td_import_report rep;
	char *got;

	snprintf(doc, sizeof(doc),
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n%s\n<tmx version=\"%s\">\n"
		"<header srclang=\"de-DE\" creationtool=\"t\" creationtoolversion=\"1\" segtype=\"sentence\" "
		"o-tmf=\"t\" adminlang=\"en\" datatype=\"html\"/>\n<body>\n"
		"<tu><tuv %s=\"de-DE\"><seg>Der <bpt i=\"1\">&lt;b&gt;</bpt>Zug<ept i=\"1\">&lt;/b&gt;</ept> "
		"f\xc3\xa4hrt<ph x=\"1\">&lt;br&gt;</ph>ab.</seg></tuv>\n"
		"<tuv %s=\"en-GB\"><seg>The <hi x=\"1\">train</hi> <ut>{\\i}</ut>leaves<ph/>now.</seg></tuv></tu>\n"
		"<tu><tuv %s=\"de-DE\"><seg>\xc3\x84rger<ph>&lt;img alt=\"<sub>Bild</sub>\"&gt;</ph>\xc3\xbc" "ber Z\xc3\xb6lle</seg></tuv>"
		"<tuv %s=\"en-GB\"><seg>Anger<ph/>about <it pos=\"begin\">&lt;i&gt;</it>tariffs</seg></tuv></tu>\n"
		"</body>\n</tmx>\n", c->doctype, c->version, c->attr, c->attr, c->attr, c->attr);
	cr_assert_eq(import(&rep, file("v.tmx", doc), NULL, NULL), 0, "TMX %s %s: %s", c->version, c->attr,
		td_error_last());
	cr_assert_eq(rep.added, 2);
	got = dump(tmpath);
	cr_assert_str_eq(got, "de-DE|en-GB|Der Zug f\xc3\xa4hrt ab.|The train leaves now.\n"
		"de-DE|en-GB|\xc3\x84rger Bild \xc3\xbc" "ber Z\xc3\xb6lle|Anger about tariffs\n");
	free(got);
}

Test(tmx, unknown_language_is_an_error_with_line)
{
	td_import_report rep;
	const char *body = "<tu><tuv xml:lang=\"de\"><seg>a</seg></tuv>\n"
		"<tuv xml:lang=\"klingonisch\"><seg>b</seg></tuv></tu>\n";

	cr_assert_lt(import(&rep, file("l.tmx", tmx_of("srclang=\"de\"", body)), NULL, NULL), 0);
	cr_assert(strstr(td_error_last(), "line 6") != NULL, "%s", td_error_last());
	cr_assert(strstr(td_error_last(), "klingonisch") != NULL, "%s", td_error_last());
}

/* ---- bad input leaves the TM unchanged ---- */

static void seed(void)
{
	td_import_report rep;
	cr_assert_eq(import(&rep, file("seed.tsv", "Eins\tOne\nZwei\tTwo\n"), "de", "en"), 0, "%s", td_error_last());
}

static void assert_unchanged(void)
{
	char *got = dump(tmpath);
	cr_assert_str_eq(got, "de|en|Eins|One\nde|en|Zwei|Two\n");
	free(got);
}

struct bad_case {
	char doc[400];
	char msg[48];   /* expected in the message */
};

ParameterizedTestParameters(tmx, bad_input)
{
	static struct bad_case cases[] = {
		{ "<?xml version=\"1.0\"?>\n<tmx version=\"1.4\"><header srclang=\"de\"/><body>\n"
		  "<tu><tuv xml:lang=\"de\"><seg>a</seg></tuv><tuv xml:lang=\"en\"><seg>b</seg></tuv></tu>\n"
		  "<tu><tuv xml:lang=\"de\"><seg>c</tuv></tu>\n</body></tmx>\n", "line 4" },
		{ "<?xml version=\"1.0\"?>\n<tmx version=\"1.4\"><header srclang=\"de\"/><body>\n"
		  "<tu><tuv xml:lang=\"de\"><seg>a</seg></tuv><tuv xml:lang=\"en\"><seg>b</seg></tuv></tu>\n"
		  "<tu><tuv xml:lang=\"de\"><seg>trunc", "line 4" },
		{ "<html><body>no TMX</body></html>\n", "not a TMX file" },
		{ "", "line 1" },
		{ "\xff\xfe\x00<\x00t", "line 1" },
		{ "<?xml version=\"1.0\"?>\n<tmx version=\"1.4\"><header srclang=\"de\"/><body>\n"
		  "<tu><tuv><seg>a</seg></tuv></tu></body></tmx>\n", "without xml:lang" },
	};
	return cr_make_param_array(struct bad_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct bad_case *c, tmx, bad_input)
{
	td_import_report rep;

	seed();
	cr_assert_lt(import(&rep, file("bad.tmx", c->doc), NULL, NULL), 0);
	cr_assert(strstr(td_error_last(), c->msg) != NULL, "message: %s", td_error_last());
	cr_assert(strstr(td_error_last(), "bad.tmx") != NULL, "message: %s", td_error_last());
	assert_unchanged();
}

/* A FIFO blocks whoever opens it for reading: if the import read it, the test would time out. */
static const char *fifo(void)
{
	static char p[600];
	snprintf(p, sizeof(p), "%s/secret", th_dir);
	cr_assert_eq(mkfifo(p, 0600), 0);
	return p;
}

Test(tmx, external_entity_is_never_read, .timeout = 20)
{
	td_import_report rep;
	char doc[1024];

	seed();
	snprintf(doc, sizeof(doc), "<?xml version=\"1.0\"?>\n<!DOCTYPE tmx [\n<!ENTITY xxe SYSTEM \"file://%s\">\n]>\n"
		"<tmx version=\"1.4\"><header srclang=\"de\"/><body>\n"
		"<tu><tuv xml:lang=\"de\"><seg>&xxe;</seg></tuv><tuv xml:lang=\"en\"><seg>b</seg></tuv></tu>\n"
		"</body></tmx>\n", fifo());
	cr_assert_lt(import(&rep, file("xxe.tmx", doc), NULL, NULL), 0);
	cr_assert(strstr(td_error_last(), "line 6") != NULL, "%s", td_error_last());
	cr_assert(strstr(td_error_last(), "xxe") != NULL, "%s", td_error_last());
	assert_unchanged();
}

Test(tmx, external_dtd_is_never_loaded, .timeout = 20)
{
	td_import_report rep;
	char doc[1024];

	snprintf(doc, sizeof(doc), "<?xml version=\"1.0\"?>\n<!DOCTYPE tmx SYSTEM \"%s\">\n"
		"<tmx version=\"1.4\"><header srclang=\"de\"/><body>\n"
		"<tu><tuv xml:lang=\"de\"><seg>a</seg></tuv><tuv xml:lang=\"en\"><seg>b</seg></tuv></tu>\n"
		"</body></tmx>\n", fifo());
	cr_assert_eq(import(&rep, file("dtd.tmx", doc), NULL, NULL), 0, "%s", td_error_last());
	cr_assert_eq(rep.added, 1);
}

Test(tmx, entity_bomb_fails_fast, .timeout = 20)
{
	td_import_report rep;
	char doc[4096];
	size_t n = 0;
	int i, j;
	time_t t0 = time(NULL);

	seed();
	n += (size_t)snprintf(doc + n, sizeof(doc) - n, "<?xml version=\"1.0\"?>\n<!DOCTYPE tmx [\n"
		"<!ENTITY lol0 \"lol\">\n");
	for (i = 1; i < 10; i++) {
		n += (size_t)snprintf(doc + n, sizeof(doc) - n, "<!ENTITY lol%d \"", i);
		for (j = 0; j < 10; j++)
			n += (size_t)snprintf(doc + n, sizeof(doc) - n, "&lol%d;", i - 1);
		n += (size_t)snprintf(doc + n, sizeof(doc) - n, "\">\n");
	}
	snprintf(doc + n, sizeof(doc) - n, "]>\n<tmx version=\"1.4\"><header srclang=\"de\"/><body>\n"
		"<tu><tuv xml:lang=\"de\"><seg>&lol9;</seg></tuv><tuv xml:lang=\"en\"><seg>b</seg></tuv></tu>\n"
		"</body></tmx>\n");
	cr_assert_lt(import(&rep, file("bomb.tmx", doc), NULL, NULL), 0);
	cr_assert_leq(time(NULL) - t0, 5);
	assert_unchanged();
}

/* ---- export and round trips ---- */

static void fill(const char *path)
{
	td_tm *tm = open_tm(path);
	td_tm_doc_info info = TD_TM_DOC_INFO_INIT;
	td_tm_unit_in u = TD_TM_UNIT_IN_INIT;
	static const char *const pairs[][2] = {
		{ "Der Hund bellt.", "The dog barks." },
		{ "\xc3\x84rger \xc3\xbc" "ber \xe2\x80\x9eZ\xc3\xb6lle\xe2\x80\x9c & <Steuern>.", "Anger about \"tariffs\" & <taxes>." },
		{ "5.000 Euro, d. h. 12 % mehr.", "5,000 euros, i.e. 12% more." },
		{ "Zeile\tmit Tab", "line with\ttab" },
	};
	size_t i;

	info.src_name = "a.de";
	info.tgt_name = "a.en";
	info.src_hash = "00";
	info.tgt_hash = "11";
	info.src_lang = "de";
	info.tgt_lang = "en";
	cr_assert_eq(td_tm_begin_document(tm, &info), 0, "%s", td_error_last());
	for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		u.source = pairs[i][0];
		u.target = pairs[i][1];
		u.position = (int64_t)i;
		u.score = 0.5;
		cr_assert_eq(td_tm_add_unit(NULL, tm, &u), 0, "%s", td_error_last());
	}
	cr_assert_eq(td_tm_commit_document(tm), 0);
	td_tm_close(tm);
}

static const char *export_to(const char *tm_path, const char *name, td_format fmt)
{
	static char p[600];
	td_export_opts o = TD_EXPORT_OPTS_INIT;
	td_tm *tm = NULL;
	int64_t n = 0;
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", th_dir, name);
	f = fopen(p, "wb");
	cr_assert_eq(td_tm_open(&tm, tm_path, TD_TM_READONLY), 0, "%s", td_error_last());
	o.format = fmt;
	cr_assert_eq(td_tmx_export(&n, tm, f, NULL, &o), 0, "%s", td_error_last());
	td_tm_close(tm);
	fclose(f);
	return p;
}

Test(tmx, round_trip_gives_the_same_units)
{
	char tm2[1024];
	td_import_report rep;
	td_import_opts o = TD_IMPORT_OPTS_INIT;
	td_tm *tm;
	char *a, *b;
	const char *x;

	fill(tmpath);
	x = export_to(tmpath, "out.tmx", TD_FORMAT_TMX);
	snprintf(tm2, sizeof(tm2), "%s", th_tm("tm2.db"));
	tm = open_tm(tm2);
	cr_assert_eq(td_tmx_import(&rep, tm, x, &o), 0, "%s", td_error_last());
	td_tm_close(tm);
	cr_assert_eq(rep.added, 4);
	a = dump(tmpath);
	b = dump(tm2);
	cr_assert_str_eq(a, b);
	free(a);
	free(b);
}

Test(tmx, reimporting_a_file_changes_nothing)
{
	td_import_report rep;
	td_tm_stats s1, s2;
	td_tm *tm;
	const char *x;

	x = file("a.tsv", "Eins\tOne\nZwei\tTwo\n");
	cr_assert_eq(import(&rep, x, "de", "en"), 0);
	tm = open_tm(tmpath);
	cr_assert_eq(td_tm_stats_get(&s1, tm), 0);
	td_tm_close(tm);
	cr_assert_eq(import(&rep, x, "de", "en"), 0);
	cr_assert_eq(rep.added, 0);
	cr_assert_eq(rep.present, 2);
	tm = open_tm(tmpath);
	cr_assert_eq(td_tm_stats_get(&s2, tm), 0);
	td_tm_close(tm);
	cr_assert_eq(s1.units, s2.units);
	cr_assert_eq(s1.documents, s2.documents);
	cr_assert_eq(s1.provenance, s2.provenance);
	td_tm_stats_free(&s1);
	td_tm_stats_free(&s2);
}

Test(tmx, export_drops_characters_xml_forbids)
{
	td_tm *tm = open_tm(tmpath);
	td_tm_doc_info info = TD_TM_DOC_INFO_INIT;
	td_tm_unit_in u = TD_TM_UNIT_IN_INIT;
	const char *x;
	char *text;
	xmlDocPtr doc;

	info.kind = "import";
	info.src_name = "ctl.tsv";
	info.src_hash = "22";
	info.src_lang = "de";
	info.tgt_lang = "en";
	cr_assert_eq(td_tm_begin_document(tm, &info), 0);
	u.source = "Glocke\x07 und \x1b[1mFett";
	u.target = "bell\x01 \xef\xbf\xbf" "end";
	cr_assert_eq(td_tm_add_unit(NULL, tm, &u), 0, "%s", td_error_last());
	cr_assert_eq(td_tm_commit_document(tm), 0);
	td_tm_close(tm);
	x = export_to(tmpath, "ctl.tmx", TD_FORMAT_TMX);
	text = th_read(x, NULL);
	cr_assert(strstr(text, "<seg>Glocke und [1mFett</seg>") != NULL, "%s", text);
	cr_assert(strstr(text, "<seg>bell end</seg>") != NULL, "%s", text);
	free(text);
	doc = xmlReadFile(x, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	cr_assert_not_null(doc, "the export is not well-formed XML");
	xmlFreeDoc(doc);
}

Test(tmx, tmx_header_and_provenance)
{
	char *text;

	fill(tmpath);
	text = th_read(export_to(tmpath, "h.tmx", TD_FORMAT_TMX), NULL);
	cr_assert(strstr(text, "<tmx version=\"1.4\">") != NULL);
	cr_assert(strstr(text, "srclang=\"de\"") != NULL);
	cr_assert(strstr(text, "segtype=\"sentence\"") != NULL);
	cr_assert(strstr(text, "creationtool=\"tandem\"") != NULL);
	cr_assert(strstr(text, "<prop type=\"x-tandem-document\">a.de | a.en</prop>") != NULL, "%s", text);
	cr_assert(strstr(text, "<prop type=\"x-tandem-position\">align 1 score 0.500</prop>") != NULL, "%s", text);
	cr_assert(strstr(text, "&lt;Steuern&gt;") != NULL);
	/* the source variant comes first in every <tu> */
	cr_assert_lt(strstr(text, "xml:lang=\"de\"") - text, strstr(text, "xml:lang=\"en\"") - text);
	free(text);
}

Test(tmx, tsv_export_keeps_one_unit_per_line)
{
	char *text;

	fill(tmpath);
	text = th_read(export_to(tmpath, "o.tsv", TD_FORMAT_TSV), NULL);
	cr_assert_str_eq(text,
		"Der Hund bellt.\tThe dog barks.\n"
		"\xc3\x84rger \xc3\xbc" "ber \xe2\x80\x9eZ\xc3\xb6lle\xe2\x80\x9c & <Steuern>.\tAnger about \"tariffs\" & <taxes>.\n"
		"5.000 Euro, d. h. 12 % mehr.\t5,000 euros, i.e. 12% more.\n"
		"Zeile mit Tab\tline with tab\n");
	free(text);
}

/* ---- TSV import ---- */

Test(tmx, tsv_handles_bom_crlf_and_empty_lines)
{
	td_import_report rep;
	char *got;

	cr_assert_eq(import(&rep, file("w.tsv", "\xef\xbb\xbf" "Gr\xc3\xbc\xc3\x9f" "e\tRegards\r\n\r\n \tnothing\r\n"),
		"de", "en"), 0, "%s", td_error_last());
	cr_assert_eq(rep.read, 3);
	cr_assert_eq(rep.added, 1);
	cr_assert_eq(rep.skips[TD_SKIP_EMPTY_LINE], 1);
	cr_assert_eq(rep.skips[TD_SKIP_EMPTY], 1);
	cr_assert_eq(rep.first_skip_line[TD_SKIP_EMPTY], 3);
	got = dump(tmpath);
	cr_assert_str_eq(got, "de|en|Gr\xc3\xbc\xc3\x9f" "e|Regards\n");
	free(got);
}

struct tsv_bad {
	char text[64];
	size_t len;     /* bytes of text; 0: up to its NUL */
	char msg[48];
};

ParameterizedTestParameters(tmx, tsv_bad_input)
{
	static struct tsv_bad cases[] = {
		{ "a\tb\nkein Tab hier\n", 0, "line 2: no tab" },
		{ "a\tb\tc\n", 0, "line 1: more than one tab" },
		{ "a\tb\nx\t\xc3(\n", 0, "line 2: invalid UTF-8" },
		{ "a\tb\nx\0y\tz\n", 11, "line 2: NUL" },
	};
	return cr_make_param_array(struct tsv_bad, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct tsv_bad *c, tmx, tsv_bad_input)
{
	td_import_report rep;
	char p[600];
	size_t len = c->len ? c->len : strlen(c->text);

	seed();
	snprintf(p, sizeof(p), "%s/bad.tsv", th_dir);
	cr_assert_eq(th_write(p, c->text, len), 0);
	cr_assert_lt(import(&rep, p, "de", "en"), 0);
	cr_assert(strstr(td_error_last(), c->msg) != NULL, "message: %s", td_error_last());
	assert_unchanged();
}

Test(tmx, tsv_needs_languages)
{
	td_import_report rep;

	cr_assert_eq(import(&rep, file("n.tsv", "a\tb\n"), NULL, "en"), TD_EINVAL);
	cr_assert(strstr(td_error_last(), "-s") != NULL);
	cr_assert_eq(import(&rep, file("n.tsv", "a\tb\n"), "xx", "en"), TD_EINVAL);
	cr_assert(strstr(td_error_last(), "unknown language code 'xx'") != NULL, "%s", td_error_last());
}
