/*
 * The bad-input table: each row feeds the built binary something
 * broken or hostile and asserts
 *   - the exit code (1: bad data, 2: usage), never a crash, hang or sanitizer report;
 *   - one message line on stderr ("tandem...: ..."; a usage error may add
 *     "Try 'tandem CMD --help'."), containing the given pieces (file name,
 *     line or byte position);
 *   - the TM (tm.db, filled beforehand) byte-for-byte unchanged, and every
 *     other file of the scratch directory too (a file refused as a TM, the
 *     inputs): SHA-256 of each before and after; no TM or other file created.
 * A second table (badinput/sensible) holds hostile input that has a sensible
 * answer, such as an empty side or one side ten times longer; a third
 * (badinput/option_errors) options without their value.
 * In arguments and contents "@" stands for the case's scratch directory.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <dirent.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"
#include "tandem/lexicon.h"
#include "tandem/tm.h"

typedef enum {
	G_TEXT = 0,      /* file = data (len bytes, or strlen) */
	G_NONE,          /* no file */
	G_DIR,           /* file is a directory */
	G_UNREADABLE,    /* file exists, mode 000 (skipped as root: root reads it anyway) */
	G_RANDOM,        /* 64 KiB of pseudo-random bytes (fixed seed) */
	G_BIGLINE,       /* a TSV line of 10 MB without a tab */
	G_OTHER_SQLITE,  /* another program's SQLite database */
	G_LONGQUERY,     /* no file; standard input is one query line of 2 MB */
	G_WORDLINE,      /* a document of one 10 MB line of words, no sentence end */
	G_LONGDOC,       /* 300 English sentences, one a line (ten times a 30-line side) */
	G_QUADRATIC      /* TMX: a 100 kB entity referenced 20,000 times on line 4 (2 GB expanded) */
} gen_kind;

typedef struct {
	const char *name;
	gen_kind gen;
	const char *file;          /* file name in the scratch directory */
	const char *data;
	size_t len;                /* 0: strlen(data) */
	const char *argv[12];      /* "@" -> scratch dir */
	int status;
	const char *msg[3];        /* pieces the message must contain ("@" expanded) */
} bad_case;

#define TM "--tm", "@/tm.db"
#define ST "-s", "de", "-t", "en"


static bad_case cases[] = {
	{ "missing file", G_NONE, NULL, NULL, 0,
	  { "import", "@/nope.tsv", TM, ST }, 1, { "@/nope.tsv", "No such file" } },
	{ "directory as input", G_DIR, "dir.tsv", NULL, 0,
	  { "import", "@/dir.tsv", TM, ST }, 1, { "@/dir.tsv" } },
	{ "directory as document to segment", G_DIR, "dir.de", NULL, 0,
	  { "segment", "@/dir.de" }, 1, { "@/dir.de" } },
	{ "unreadable file", G_UNREADABLE, "secret.tsv", "a\tb\n", 0,
	  { "import", "@/secret.tsv", TM, ST }, 1, { "@/secret.tsv", "ermission" } },
	{ "empty file to import", G_TEXT, "empty.tsv", "", 0,
	  { "import", "@/empty.tsv", TM, ST }, 1, { "@/empty.tsv", "empty" } },
	{ "empty document", G_TEXT, "empty.de", "", 0,
	  { "segment", "@/empty.de" }, 1, { "@/empty.de", "empty" } },
	{ "whitespace-only document", G_TEXT, "ws.de", " \n\t\n  \r\n", 0,
	  { "segment", "@/ws.de" }, 1, { "@/ws.de", "no text" } },
	{ "whitespace-only TSV", G_TEXT, "ws.tsv", " \n\t\n\n", 0,
	  { "import", "@/ws.tsv", TM, ST }, 1, { "@/ws.tsv" } },
	{ "NUL bytes in a document", G_TEXT, "nul.de", "Der Hund.\nabc\0def\n", 18,
	  { "segment", "@/nul.de" }, 1, { "@/nul.de", "line 2", "byte 13" } },
	{ "NUL bytes in a TSV", G_TEXT, "nul.tsv", "a\tb\nc\0\td\n", 9,
	  { "import", "@/nul.tsv", TM, ST }, 1, { "@/nul.tsv", "line 2" } },
	{ "random bytes as a document", G_RANDOM, "rnd.de", NULL, 0,
	  { "segment", "@/rnd.de" }, 1, { "@/rnd.de", "byte" } },
	{ "random bytes as TMX", G_RANDOM, "rnd.tmx", NULL, 0,
	  { "import", "@/rnd.tmx", TM }, 1, { "@/rnd.tmx" } },
	{ "invalid UTF-8 in a document", G_TEXT, "bad.de", "Gut.\nStra\xc3\x9f" "e \xc3\x28 kaputt.\n", 0,
	  { "segment", "@/bad.de", "-e", "UTF-8" }, 1, { "@/bad.de", "line 2", "byte 13" } },
	{ "invalid UTF-8 in a TSV", G_TEXT, "bad.tsv", "Hund\tdog\nStra\xdf" "e\tstreet\n", 0,
	  { "import", "@/bad.tsv", TM, ST }, 1, { "@/bad.tsv", "line 2" } },
	{ "UTF-16 without BOM", G_TEXT, "u16.de", "D\0e\0r\0 \0H\0u\0n\0d\0.\0\n\0", 20,
	  { "segment", "@/u16.de" }, 1, { "@/u16.de", "line 1" } },
	{ "a 10 MB line in a TSV", G_BIGLINE, "big.tsv", NULL, 0,
	  { "import", "@/big.tsv", TM, ST }, 1, { "@/big.tsv", "line 2" } },
	{ "same language on both sides", G_TEXT, "same.tsv", "Hund\tdog\n", 0,
	  { "import", "@/same.tsv", TM, "-s", "de", "-t", "de" }, 2, { "language" } },
	{ "lookup in a language pair the TM lacks", G_NONE, NULL, NULL, 0,
	  { "lookup", TM, "-s", "fr", "-t", "it", "Le chien." }, 1, { "fr", "de -> en" } },
	{ "unknown option", G_NONE, NULL, NULL, 0,
	  { "import", "--frobnicate", "x.tsv", TM }, 2, { "import" } },
	{ "unknown option of export", G_NONE, NULL, NULL, 0,
	  { "export", TM, "--xml" }, 2, { "--xml" } },
	{ "unknown option of stats", G_NONE, NULL, NULL, 0,
	  { "stats", TM, "-q" }, 2, { "-q" } },
	{ "unknown option of score", G_NONE, NULL, NULL, 0,
	  { "score", "--strict", "a", "b" }, 2, { "--strict" } },
	{ "failed import into a new TM", G_TEXT, "notab2.tsv", "kein Tab\n", 0,
	  { "import", "@/notab2.tsv", "--tm", "@/no", ST }, 1, { "@/notab2.tsv", "line 1" } },
	{ "unknown subcommand", G_NONE, NULL, NULL, 0,
	  { "frobnicate" }, 2, { "frobnicate" } },
	{ "option value not a number", G_NONE, NULL, NULL, 0,
	  { "lookup", TM, "--min", "viel", "Hund" }, 2, { "viel" } },
	{ "TM of random bytes", G_RANDOM, "rnd.db", NULL, 0,
	  { "import", "@/ok.tsv", "--tm", "@/rnd.db", ST }, 1, { "@/rnd.db", "not a tandem" } },
	{ "TM of another program", G_OTHER_SQLITE, "other.db", NULL, 0,
	  { "import", "@/ok.tsv", "--tm", "@/other.db", ST }, 1, { "@/other.db", "another program" } },
	{ "lookup in another program's database", G_OTHER_SQLITE, "other.db", NULL, 0,
	  { "lookup", "--tm", "@/other.db", "Hund" }, 1, { "@/other.db" } },
	{ "TM in a place that cannot be written", G_NONE, NULL, NULL, 0,
	  { "import", "@/ok.tsv", "--tm", "/proc/tandem-tm.db", ST }, 1, { "/proc/tandem-tm.db" } },
	{ "TM in a directory that does not exist", G_NONE, NULL, NULL, 0,
	  { "import", "@/ok.tsv", "--tm", "@/no/such/dir/tm.db", ST }, 1, { "@/no/such/dir/tm.db" } },
	{ "TMX with an external entity", G_TEXT, "xxe.tmx",
	  "<?xml version=\"1.0\"?>\n<!DOCTYPE tmx [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
	  "<tmx version=\"1.4\"><header srclang=\"de\"/><body>\n"
	  "<tu><tuv xml:lang=\"de\"><seg>&x;</seg></tuv><tuv xml:lang=\"en\"><seg>x</seg></tuv></tu>\n"
	  "</body></tmx>\n", 0,
	  { "import", "@/xxe.tmx", TM }, 1, { "@/xxe.tmx", "line" } },
	{ "TMX with a network DTD", G_TEXT, "dtd.tmx",
	  "<?xml version=\"1.0\"?>\n<!DOCTYPE tmx SYSTEM \"http://127.0.0.1:9/tmx14.dtd\">\n"
	  "<tmx version=\"1.4\"><header srclang=\"de\"/><body>\n"
	  "<tu><tuv xml:lang=\"de\"><seg>&auml;</seg></tuv><tuv xml:lang=\"en\"><seg>x</seg></tuv></tu>\n"
	  "</body></tmx>\n", 0,
	  { "import", "@/dtd.tmx", TM }, 1, { "@/dtd.tmx", "line" } },
	{ "TMX entity bomb", G_TEXT, "bomb.tmx",
	  "<?xml version=\"1.0\"?>\n<!DOCTYPE tmx [\n"
	  "<!ENTITY a \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\">\n"
	  "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n"
	  "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">\n"
	  "<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">\n"
	  "<!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">\n"
	  "<!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\">\n"
	  "<!ENTITY g \"&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;\">\n"
	  "]>\n<tmx version=\"1.4\"><header srclang=\"de\"/><body>\n"
	  "<tu><tuv xml:lang=\"de\"><seg>&g;</seg></tuv><tuv xml:lang=\"en\"><seg>x</seg></tuv></tu>\n"
	  "</body></tmx>\n", 0,
	  { "import", "@/bomb.tmx", TM }, 1, { "@/bomb.tmx", "line" } },
	{ "TMX truncated", G_TEXT, "cut.tmx",
	  "<?xml version=\"1.0\"?>\n<tmx version=\"1.4\"><header srclang=\"de\"/><body>\n"
	  "<tu><tuv xml:lang=\"de\"><seg>Neu hier.</seg></tuv><tuv xml:lang=\"en\"><seg>New here.</seg></tuv></tu>\n"
	  "<tu><tuv xml:lang=\"de\"><seg>Abgeschnit", 0,
	  { "import", "@/cut.tmx", TM }, 1, { "@/cut.tmx", "line 4" } },
	{ "TMX with control characters", G_TEXT, "ctrl.tmx",
	  "<?xml version=\"1.0\"?>\n<tmx version=\"1.4\"><header srclang=\"de\"/><body>\n"
	  "<tu><tuv xml:lang=\"de\"><seg>Neu hier.</seg></tuv><tuv xml:lang=\"en\"><seg>New here.</seg></tuv></tu>\n"
	  "<tu><tuv xml:lang=\"de\"><seg>Glocke \x07\x1b[31m</seg></tuv><tuv xml:lang=\"en\"><seg>Bell</seg></tuv></tu>\n"
	  "</body></tmx>\n", 0,
	  { "import", "@/ctrl.tmx", TM }, 1, { "@/ctrl.tmx", "line 4" } },
	{ "TMX that is HTML", G_TEXT, "page.tmx",
	  "<!DOCTYPE html>\n<html><body><p>Hallo</p></body></html>\n", 0,
	  { "import", "@/page.tmx", TM }, 1, { "@/page.tmx" } },
	{ "TMX with mismatched tags", G_TEXT, "tags.tmx",
	  "<?xml version=\"1.0\"?>\n<tmx version=\"1.4\"><header srclang=\"de\"/><body>\n"
	  "<tu><tuv xml:lang=\"de\"><seg>Neu hier.</seg></tuv><tuv xml:lang=\"en\"><seg>New here.</seg></tuv></tu>\n"
	  "<tu><tuv xml:lang=\"de\"><seg>Falsch</tuv></seg></tu>\n</body></tmx>\n", 0,
	  { "import", "@/tags.tmx", TM }, 1, { "@/tags.tmx", "line 4" } },
	/* fuzz_tmx found it: a <tu> inside a <tuv> emptied the variants, and the <seg> after it
	 * wrote before the first one (UBSan); fuzz/corpus/tmx/regress-nested-tu.tmx */
	{ "TMX with a <tu> inside a <tu>", G_TEXT, "nested.tmx",
	  "<?xml version=\"1.0\"?>\n<tmx version=\"1.4\"><header srclang=\"de\"/><body>\n"
	  "<tu><tuv xml:lang=\"de\"><seg>Neu hier.</seg>\n"
	  "<tu lang=\"en\"><seg>New here.</seg></tu></tuv></tu>\n</body></tmx>\n", 0,
	  { "import", "@/nested.tmx", TM }, 1, { "@/nested.tmx", "line 4", "<tu> inside" } },
	{ "TMX with a <tuv> inside a <tuv>", G_TEXT, "nested2.tmx",
	  "<?xml version=\"1.0\"?>\n<tmx version=\"1.4\"><header srclang=\"de\"/><body>\n"
	  "<tu><tuv xml:lang=\"de\">\n<tuv xml:lang=\"en\"><seg>New here.</seg></tuv><seg>Neu.</seg></tuv></tu>\n"
	  "</body></tmx>\n", 0,
	  { "import", "@/nested2.tmx", TM }, 1, { "@/nested2.tmx", "line 4", "<tuv> inside" } },
	{ "TMX with a quadratic entity blowup", G_QUADRATIC, "quad.tmx", NULL, 0,
	  { "import", "@/quad.tmx", TM }, 1, { "@/quad.tmx", "line 4" } },
	{ "TMX with an unknown language code", G_TEXT, "lang.tmx",
	  "<?xml version=\"1.0\"?>\n<tmx version=\"1.4\"><header srclang=\"de\"/><body>\n"
	  "<tu><tuv xml:lang=\"de\"><seg>Neu hier.</seg></tuv><tuv xml:lang=\"en\"><seg>New here.</seg></tuv></tu>\n"
	  "<tu><tuv xml:lang=\"de\"><seg>Hallo</seg></tuv><tuv xml:lang=\"klingonisch\"><seg>Qapla</seg></tuv></tu>\n"
	  "</body></tmx>\n", 0,
	  { "import", "@/lang.tmx", TM }, 1, { "@/lang.tmx", "line 4", "klingonisch" } },
	{ "TMX variant without a language", G_TEXT, "nolang.tmx",
	  "<?xml version=\"1.0\"?>\n<tmx version=\"1.4\"><header srclang=\"de\"/><body>\n"
	  "<tu><tuv xml:lang=\"de\"><seg>Hallo</seg></tuv>\n<tuv><seg>Hello</seg></tuv></tu>\n"
	  "</body></tmx>\n", 0,
	  { "import", "@/nolang.tmx", TM }, 1, { "@/nolang.tmx", "line 4" } },
	{ "one language on both sides of align --tm", G_TEXT, "x.de", "Ein Satz.\n", 0,
	  { "align", "--no-lexicon", "-s", "de", "-t", "de", TM, "@/x.de", "@/x.de" }, 2, { "the same (de)" } },
	{ "unknown language code for an import", G_NONE, NULL, NULL, 0,
	  { "import", "@/ok.tsv", TM, "-s", "klingonisch", "-t", "en" }, 2, { "klingonisch" } },
	{ "unknown source language for a lookup", G_NONE, NULL, NULL, 0,
	  { "lookup", TM, "-s", "xx", "-t", "en", "Hund" }, 2, { "source language", "unknown language code 'xx'" } },
	{ "unknown target language for a concordance", G_NONE, NULL, NULL, 0,
	  { "concord", TM, "-s", "de", "-t", "klingonisch", "Hund" }, 2, { "target language", "klingonisch" } },
	{ "unknown --lang for a concordance", G_NONE, NULL, NULL, 0,
	  { "concord", TM, "--lang", "xx", "Hund" }, 2, { "unknown language code 'xx'" } },
	{ "unknown language for terms", G_NONE, NULL, NULL, 0,
	  { "terms", TM, "--no-lexicon", "-s", "xx", "-t", "en", "Hund" }, 2, { "unknown language code 'xx'" } },
	{ "unknown language for a batch", G_NONE, NULL, NULL, 0,
	  { "batch", "-s", "xx", "-t", "en", TM, "@" }, 2, { "unknown language code 'xx'" } },
	{ "one language on both sides of batch --tm", G_NONE, NULL, NULL, 0,
	  { "batch", "-s", "de", "-t", "de", TM, "@" }, 2, { "the same (de)" } },
	{ "the same language spelt twice for an import", G_NONE, NULL, NULL, 0,
	  { "import", "@/ok.tsv", TM, "-s", "DE", "-t", "de" }, 2, { "the same (de)" } },
	{ "unknown --color value", G_NONE, NULL, NULL, 0,
	  { "lookup", TM, ST, "--color", "sometimes", "Hund" }, 2, { "sometimes", "auto, always or never" } },
	{ "a text file as the TM", G_TEXT, "notes.txt", "Meine Notizen.\n", 0,
	  { "import", "@/ok.tsv", "--tm", "@/notes.txt", ST }, 1, { "@/notes.txt", "not a tandem" } },
	{ "a text file as the TM to export", G_TEXT, "notes.txt", "Meine Notizen.\n", 0,
	  { "export", "--tm", "@/notes.txt" }, 1, { "@/notes.txt" } },
	{ "TSV with a missing tab", G_TEXT, "notab.tsv",
	  "Der Hund bellt.\tThe dog barks.\nDie Katze schl\xc3\xa4" "ft.\n", 0,
	  { "import", "@/notab.tsv", TM, ST }, 1, { "@/notab.tsv", "line 2", "tab" } },
	{ "TSV without languages", G_TEXT, "nolang.tsv", "Hund\tdog\n", 0,
	  { "import", "@/nolang.tsv", TM }, 2, { "-s" } },
	{ "empty lookup query", G_NONE, NULL, NULL, 0,
	  { "lookup", TM, ST, "" }, 2, { "empty" } },
	{ "lookup query of spaces", G_NONE, NULL, NULL, 0,
	  { "lookup", TM, ST, "   " }, 2, { "empty" } },
	{ "empty concordance phrase", G_NONE, NULL, NULL, 0,
	  { "concord", TM, "" }, 2, { "concord" } },
	{ "extremely long query", G_LONGQUERY, NULL, NULL, 0,
	  { "lookup", TM, ST, "-" }, 1, { "line 1", "long" } },
	{ "lookup document that is binary", G_RANDOM, "rnd.txt", NULL, 0,
	  { "lookup", TM, ST, "--file", "@/rnd.txt" }, 1, { "@/rnd.txt", "byte" } },
	{ "unknown encoding", G_TEXT, "x.de", "Hund.\n", 0,
	  { "segment", "@/x.de", "-e", "KLINGON-8" }, 2, { "KLINGON-8" } },
	{ "alignment file with garbage", G_TEXT, "g.txt", "[0]:[0]\n[1]:[1\n", 0,
	  { "score", "@/g.txt", "@/g.txt" }, 1, { "@/g.txt", "line 2" } },
};

#define NCASES (sizeof(cases) / sizeof(cases[0]))

/* Criterion copies parameters into each test's process, where pointers into
 * the table would be stale: the parameter is the row's index. */
/* The parameters 0 .. n-1 in rows (static storage of the caller). */
static struct criterion_test_params row_params(size_t *rows, size_t n)
{
	for (size_t i = 0; i < n; i++)
		rows[i] = i;
	return cr_make_param_array(size_t, rows, n);
}

ParameterizedTestParameters(badinput, table)
{
	static size_t rows[NCASES];

	return row_params(rows, NCASES);
}

/* s with every "@" replaced by dir (malloc'd). */
static char *expand(const char *s, const char *dir)
{
	size_t n = 1, dl = strlen(dir);
	char *out, *o;

	for (const char *p = s; *p; p++)
		n += *p == '@' ? dl : 1;
	out = o = malloc(n);
	cr_assert_not_null(out);
	for (const char *p = s; *p; p++) {
		if (*p == '@') {
			memcpy(o, dir, dl);
			o += dl;
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
	return out;
}

static void put(const char *path, const void *data, size_t len)
{
	cr_assert_eq(th_write(path, data, len), 0, "writing %s", path);
}

static void random_bytes(const char *path)
{
	size_t n = 65536;
	unsigned char *b = malloc(n);
	uint32_t x = 2463534242u;

	cr_assert_not_null(b);
	for (size_t i = 0; i < n; i++) {
		x ^= x << 13; x ^= x >> 17; x ^= x << 5;
		b[i] = (unsigned char)x;
	}
	put(path, b, n);
	free(b);
}

static void other_sqlite(const char *path)
{
	sqlite3 *db = NULL;

	cr_assert_eq(sqlite3_open(path, &db), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(db, "CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT);"
		"INSERT INTO moz_places (url) VALUES ('https://example.org/');", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

/* Write the file gen_kind describes to path; -1 when it cannot be made here (mode 000 as root). */
static int generate(gen_kind gen, const char *path, const char *data, size_t len)
{
	size_t n = 10u << 20, k, pos = 0;
	char *b;

	switch (gen) {
	case G_TEXT:
	case G_UNREADABLE:
		put(path, data, len ? len : strlen(data));
		if (gen == G_UNREADABLE) {
			if (geteuid() == 0)
				return -1;
			cr_assert_eq(chmod(path, 0), 0);
		}
		break;
	case G_DIR:
		cr_assert_eq(mkdir(path, 0700), 0);
		break;
	case G_RANDOM:
		random_bytes(path);
		break;
	case G_OTHER_SQLITE:
		other_sqlite(path);
		break;
	case G_BIGLINE:
		b = malloc(n + 32);
		cr_assert_not_null(b);
		strcpy(b, "Hund\tdog\n");
		memset(b + 9, 'x', n);
		b[9 + n] = '\n';
		put(path, b, 10 + n);
		free(b);
		break;
	case G_WORDLINE:
		b = malloc(n + 1);
		cr_assert_not_null(b);
		for (k = 0; k < n; k++)
			b[k] = "Wort und Zahl 17 "[k % 17];
		b[n] = '\n';
		put(path, b, n + 1);
		free(b);
		break;
	case G_LONGDOC:
		b = malloc(300 * 64);
		cr_assert_not_null(b);
		for (k = 0; k < 300; k++)
			pos += (size_t)sprintf(b + pos, "Sentence %zu is about the year %zu.\n", k, 1700 + k);
		put(path, b, pos);
		free(b);
		break;
	case G_QUADRATIC: {
		FILE *f = fopen(path, "wb");
		cr_assert_not_null(f);
		fputs("<?xml version=\"1.0\"?>\n<!DOCTYPE tmx [<!ENTITY a \"", f);
		for (k = 0; k < 100000; k++)
			putc('a', f);
		fputs("\">]>\n<tmx version=\"1.4\"><header srclang=\"de\"/><body>\n<tu><tuv xml:lang=\"de\"><seg>", f);
		for (k = 0; k < 20000; k++)
			fputs("&a;", f);
		fputs("</seg></tuv><tuv xml:lang=\"en\"><seg>x</seg></tuv></tu>\n</body></tmx>\n", f);
		cr_assert_eq(fclose(f), 0);
		break;
	}
	default:
		break;
	}
	return 0;
}

/* The TM every case starts from: two units, de -> en. */
static void make_tm(const char *dir)
{
	char ok[600], tm[600];
	const char *argv[] = { "import", ok, "--tm", tm, "-s", "de", "-t", "en", NULL };
	th_result r;

	snprintf(ok, sizeof(ok), "%s/ok.tsv", dir);
	snprintf(tm, sizeof(tm), "%s/tm.db", dir);
	put(ok, "Der Hund bellt.\tThe dog barks.\n\xc3\x84rger \xc3\xbc" "ber Z\xc3\xb6lle.\tAnger about tariffs.\n",
	    strlen("Der Hund bellt.\tThe dog barks.\n\xc3\x84rger \xc3\xbc" "ber Z\xc3\xb6lle.\tAnger about tariffs.\n"));
	r = th_run(NULL, argv);
	cr_assert_eq(r.status, 0, "making the TM: %s", r.err);
	th_result_free(&r);
}

/*
 * Every entry of dir as "name SHA-256\n" (a directory as "name/", a file we
 * cannot read as "name ?"), sorted: the TM, its companions, the input files
 * and anything a failed run might have created or changed (malloc'd).
 * SQLite's shared-memory index (*-shm) and an empty write-ahead log, which a
 * reader of a WAL database leaves behind, hold no data and are left out.
 */
static char *snapshot(const char *dir)
{
	struct dirent **names = NULL;
	char *buf = NULL, path[700], h[TD_HASH_HEX];
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct stat sb;
	int n = scandir(dir, &names, NULL, alphasort);

	cr_assert(f && n >= 0, "listing %s", dir);
	for (int i = 0; i < n; i++) {
		const char *e = names[i]->d_name;
		snprintf(path, sizeof(path), "%s/%s", dir, e);
		size_t el = strlen(e);
		int wal = el > 4 && !strcmp(e + el - 4, "-wal"), shm = el > 4 && !strcmp(e + el - 4, "-shm");
		if (strcmp(e, ".") && strcmp(e, "..") && !shm && lstat(path, &sb) == 0 && !(wal && sb.st_size == 0)) {
			if (S_ISDIR(sb.st_mode))
				fprintf(f, "%s/\n", e);
			else
				fprintf(f, "%s %s\n", e, td_tm_hash_file(h, path) == 0 ? h : "?");
		}
		free(names[i]);
	}
	free(names);
	fclose(f);
	return buf;
}

ParameterizedTest(size_t *row, badinput, table, .timeout = 120)
{
	const bad_case *c = &cases[*row];
	char *dir = th_tmpdir();
	char *argv[16] = { 0 };
	char *before, *after, *longq = NULL;
	th_result r;
	size_t i, nl = 0;

	make_tm(dir);
	if (c->file) {
		char *p = expand("@/", dir), path[700];
		snprintf(path, sizeof(path), "%s%s", p, c->file);
		free(p);
		if (generate(c->gen, path, c->data, c->len) < 0) {
			th_rmtree(dir);
			free(dir);
			cr_skip_test("running as root: mode 000 does not stop root from reading");
		}
	}
	if (c->gen == G_LONGQUERY) {
		size_t n = 2u << 20;
		longq = malloc(n + 1);
		cr_assert_not_null(longq);
		for (i = 0; i < n; i++)
			longq[i] = "Hund "[i % 5];
		longq[n] = '\0';
	}
	for (i = 0; c->argv[i]; i++)
		argv[i] = expand(c->argv[i], dir);
	before = snapshot(dir);

	r = th_run(longq, (const char *const *)argv);

	cr_expect_eq(r.status, c->status, "%s: exit %d, expected %d; stderr: %.300s", c->name, r.status,
		c->status, r.err);
	cr_expect(strstr(r.err, "Sanitizer") == NULL && strstr(r.err, "runtime error") == NULL,
		"%s: sanitizer report: %.2000s", c->name, r.err);
	cr_expect(r.errlen > 0 && r.err[r.errlen - 1] == '\n' && !strncmp(r.err, "tandem", 6),
		"%s: no 'tandem...' message: '%.300s'", c->name, r.err);
	for (i = 0; i < r.errlen; i++)
		nl += r.err[i] == '\n';
	if (nl == 2 && c->status == 2) {
		const char *second = strchr(r.err, '\n') + 1;
		cr_expect(!strncmp(second, "Try 'tandem", 11), "%s: second line '%s'", c->name, second);
	} else {
		cr_expect_eq(nl, 1, "%s: %zu lines on stderr: %.600s", c->name, nl, r.err);
	}
	for (i = 0; i < 3 && c->msg[i]; i++) {
		char *want = expand(c->msg[i], dir);
		cr_expect(strstr(r.err, want) != NULL, "%s: message lacks '%s': %.300s", c->name, want, r.err);
		free(want);
	}
	cr_expect(strstr(r.err, "root:") == NULL && strstr(r.out, "root:") == NULL,
		"%s: the contents of /etc/passwd leaked", c->name);
	after = snapshot(dir);
	cr_expect_str_eq(after, before, "%s: the TM or another file changed:\nbefore:\n%s\nafter:\n%s", c->name, before, after);
	free(before);
	free(after);

	th_result_free(&r);
	for (i = 0; argv[i]; i++)
		free(argv[i]);
	free(longq);
	th_rmtree(dir);
	free(dir);
}

/*
 * External entities must not be read even where the import succeeds: no unit
 * holds the secret file's text, whether the entity is a general one in a
 * segment, a parameter entity in the internal subset, or the external DTD.
 * The documents are printf formats: %s is the secret file's path.
 */
static const char *const xxe_docs[] = {
	"<?xml version=\"1.0\"?>\n<!DOCTYPE tmx [<!ENTITY x SYSTEM \"file://%s\">]>\n"
	"<tmx version=\"1.4\"><header srclang=\"de\"/><body>\n"
	"<tu><tuv xml:lang=\"de\"><seg>a &x; b</seg></tuv><tuv xml:lang=\"en\"><seg>x</seg></tuv></tu>\n"
	"</body></tmx>\n",
	"<?xml version=\"1.0\"?>\n<!DOCTYPE tmx [<!ENTITY %% p SYSTEM \"file://%s\"> %%p;]>\n"
	"<tmx version=\"1.4\"><header srclang=\"de\"/><body>\n"
	"<tu><tuv xml:lang=\"de\"><seg>a b</seg></tuv><tuv xml:lang=\"en\"><seg>x</seg></tuv></tu>\n"
	"</body></tmx>\n",
	"<?xml version=\"1.0\"?>\n<!DOCTYPE tmx SYSTEM \"file://%s\">\n"
	"<tmx version=\"1.4\"><header srclang=\"de\"/><body>\n"
	"<tu><tuv xml:lang=\"de\"><seg>a b</seg></tuv><tuv xml:lang=\"en\"><seg>x</seg></tuv></tu>\n"
	"</body></tmx>\n",
};

ParameterizedTestParameters(badinput, external_entity_never_reaches_the_tm)
{
	static size_t rows[sizeof(xxe_docs) / sizeof(xxe_docs[0])];

	return row_params(rows, sizeof(rows) / sizeof(rows[0]));
}

ParameterizedTest(size_t *row, badinput, external_entity_never_reaches_the_tm,
	.init = th_dir_setup, .fini = th_dir_teardown)
{
	char path[600], tm[600], doc[1024];
	const char *imp[] = { "import", path, "--tm", tm, NULL };
	const char *secret = "GEHEIMNIS-4711-\xc3\x84";
	const char *exp[] = { "export", "--tm", tm, "--format", "tsv", NULL };
	th_result r;

	snprintf(path, sizeof(path), "%s", th_path("x.tmx"));
	snprintf(tm, sizeof(tm), "%s", th_path("tm.db"));
	put(th_path("secret.txt"), secret, strlen(secret));
	snprintf(doc, sizeof(doc), xxe_docs[*row], th_path("secret.txt"));
	put(path, doc, strlen(doc));
	r = th_run(NULL, imp);
	cr_expect(r.status == 0 || r.status == 1, "import: exit %d: %s", r.status, r.err);
	th_result_free(&r);
	r = th_run(NULL, exp);
	cr_expect(r.status == 0 || r.status == 1, "export: exit %d: %s", r.status, r.err);   /* 1: no TM */
	cr_expect(strstr(r.out, "GEHEIMNIS") == NULL && strstr(r.err, "GEHEIMNIS") == NULL,
		"the external entity was loaded: %s%s", r.out, r.err);
	th_result_free(&r);
}

/*
 * Hostile input with a sensible answer (a side ten times longer than the
 * other, a huge line, empty sides): exit 0, the expected piece of output, no sanitizer
 * report, and a TM that passes PRAGMA integrity_check and still opens.
 * Besides the row's file the directory holds three.de and three.en (three
 * sentences each, like the first three of G_LONGDOC) and the TM of make_tm().
 */
typedef struct {
	const char *name;
	gen_kind gen;
	const char *file;
	const char *data;
	const char *argv[14];
	const char *out;    /* a piece stdout must contain, or NULL */
} ok_case;

static const ok_case ok_cases[] = {
	{ "empty side", G_TEXT, "e.de", "",
	  { "align", "--no-lexicon", TM, "@/e.de", "@/three.en" }, "units added 0" },
	{ "one side ten times longer", G_LONGDOC, "long.en", NULL,
	  { "align", "--no-lexicon", "--presegmented", TM, "@/three.de", "@/long.en" }, "units added" },
	{ "one side ten times longer, beads", G_LONGDOC, "long.en", NULL,
	  { "align", "--no-lexicon", "--presegmented", "-f", "beads", "@/three.de", "@/long.en" }, "[0]:[0]" },
	{ "the same file twice", G_TEXT, "x.txt",
	  "Erster Satz \xc3\xbc" "ber K\xc3\xb6ln. Zweiter Satz mit 5.000 Euro. \xe2\x80\x9e" "Dritter\xe2\x80\x9c Satz?\n",
	  { "align", "--no-lexicon", "-s", "de", "-t", "en", TM, "@/x.txt", "@/x.txt" }, "units added 3" },
	{ "a 10 MB single line", G_WORDLINE, "huge.de", NULL,
	  { "align", "--no-lexicon", TM, "@/huge.de", "@/three.en" }, NULL },
	{ "a 10 MB single line to segment", G_WORDLINE, "huge.de", NULL,
	  { "segment", "@/huge.de" }, "Wort und Zahl 17" },
	{ "empty sides in a TSV", G_TEXT, "half.tsv", "Der Hund bellt.\t\n\tThe cat.\nNeu.\tNew.\n",
	  { "import", "@/half.tsv", TM, ST }, "skipped 2" },
};

#define NOK (sizeof(ok_cases) / sizeof(ok_cases[0]))

ParameterizedTestParameters(badinput, sensible)
{
	static size_t rows[NOK];

	return row_params(rows, NOK);
}

static void expect_sound_tm(const char *name, const char *tm)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	const char *argv[] = { "stats", "--tm", tm, NULL };
	th_result r;

	cr_assert_eq(sqlite3_open_v2(tm, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
	cr_expect_str_eq((const char *)sqlite3_column_text(st, 0), "ok", "%s: integrity_check", name);
	sqlite3_finalize(st);
	sqlite3_close(db);
	r = th_run(NULL, argv);
	cr_expect_eq(r.status, 0, "%s: stats after the run: %s", name, r.err);
	th_result_free(&r);
}

ParameterizedTest(size_t *row, badinput, sensible, .timeout = 240)
{
	const ok_case *c = &ok_cases[*row];
	char *dir = th_tmpdir(), *argv[16] = { 0 }, *p, *tm;
	th_result r;
	size_t i;

	make_tm(dir);
	p = expand("@/three.de", dir);
	put(p, "Satz 0 handelt vom Jahr 1700.\nSatz 1 handelt vom Jahr 1701.\nSatz 2 handelt vom Jahr 1702.\n", 90);
	free(p);
	p = expand("@/three.en", dir);
	put(p, "Sentence 0 is about the year 1700.\nSentence 1 is about the year 1701.\n"
	    "Sentence 2 is about the year 1702.\n", 105);
	free(p);
	p = expand("@/", dir);
	tm = malloc(strlen(p) + strlen(c->file) + 1);
	cr_assert_not_null(tm);
	sprintf(tm, "%s%s", p, c->file);
	cr_assert_eq(generate(c->gen, tm, c->data, 0), 0);
	free(p);
	free(tm);
	for (i = 0; c->argv[i]; i++)
		argv[i] = expand(c->argv[i], dir);

	r = th_run(NULL, (const char *const *)argv);

	cr_expect_eq(r.status, 0, "%s: exit %d; stderr: %.300s", c->name, r.status, r.err);
	cr_expect(strstr(r.err, "Sanitizer") == NULL && strstr(r.err, "runtime error") == NULL,
		"%s: sanitizer report: %.2000s", c->name, r.err);
	if (c->out)
		cr_expect(strstr(r.out, c->out) != NULL, "%s: output lacks '%s': %.300s", c->name, c->out, r.out);
	tm = expand("@/tm.db", dir);
	expect_sound_tm(c->name, tm);
	free(tm);
	th_result_free(&r);
	for (i = 0; argv[i]; i++)
		free(argv[i]);
	th_rmtree(dir);
	free(dir);
}

/*
 * Run argv (argv[2] is set to a fresh TM holding make_tm's two units) and
 * expect exit 0, exactly `want` on stdout and nothing on stderr (so no
 * sanitizer report either).
 */
static void expect_answer(const char **argv, const char *want)
{
	char *dir = th_tmpdir();
	char tm[600];
	th_result r;

	make_tm(dir);
	snprintf(tm, sizeof(tm), "%s/tm.db", dir);
	argv[2] = tm;
	r = th_run(NULL, argv);
	cr_expect_eq(r.status, 0, "status %d: %s", r.status, r.err);
	cr_expect_str_eq(r.out, want);
	cr_expect_str_eq(r.err, "");
	th_result_free(&r);
	th_rmtree(dir);
	free(dir);
}

/* fuzz_lookup found it: --sort frequent with no unit found passed NULL to qsort (UBSan). */
Test(badinput, concord_frequent_without_hits)
{
	const char *argv[] = { "concord", "--tm", NULL, "--sort", "frequent", "the \x94" "aw", NULL };

	expect_answer(argv, "no unit contains 'the \x94" "aw'\n");
}

/* fuzz_lookup found it: an exhaustive lookup without matches passed NULL to memcpy (UBSan). */
Test(badinput, exhaustive_lookup_without_matches)
{
	const char *argv[] = { "lookup", "--tm", NULL, "-s", "de", "-t", "en", "--exhaustive", "--min", "99",
		"Der Zug h\xc3\xa4lt in M\xc3g h\xc3\xa4l.", NULL };

	expect_answer(argv, "  no match of 99% or more\n");
}

/* The same lookup as JSON: the query (its bad byte as U+FFFD) and no match. */
Test(badinput, exhaustive_lookup_without_matches_json)
{
	const char *argv[] = { "lookup", "--tm", NULL, "-s", "de", "-t", "en", "--exhaustive", "--min", "99",
		"--json", "Der Zug h\xc3\xa4lt in M\xc3g h\xc3\xa4l.", NULL };

	expect_answer(argv, "{\"query\":\"Der Zug h\xc3\xa4lt in M\\ufffdg h\xc3\xa4l.\",\"matches\":[]}\n");
}

/* Load a FreeDict index x-deu-eng.index (ilen bytes) with an empty .dict. */
static int load_freedict(td_lexicon **lx, const char *index, size_t ilen)
{
	char *dir = th_tmpdir();
	char idx[600], dict[600];
	td_lexicon_opts o = TD_LEXICON_OPTS_INIT;
	int rc;

	snprintf(idx, sizeof(idx), "%s/x-deu-eng.index", dir);
	snprintf(dict, sizeof(dict), "%s/x-deu-eng.dict", dir);
	put(idx, index, ilen);
	put(dict, "", 0);
	o.path = idx;
	o.src_lang = "de";
	o.tgt_lang = "en";
	o.format = TD_LEX_FREEDICT;
	o.cache_dir = "";
	rc = td_lexicon_load_opts(lx, &o);
	th_rmtree(dir);
	free(dir);
	return rc;
}

/*
 * fuzz_lexicon found it: a FreeDict index without a usable entry passed NULL
 * to qsort (UBSan). An index of dictd's own entries only, or of entries of
 * length 0, is an empty dictionary; fields that are not base64 numbers are a
 * format error naming the line.
 */
Test(badinput, freedict_index_without_entries)
{
	static const char own[] = "00databaseinfo\tA\tA\n00-database-url\tA\tA\n";
	static const char empty[] = "hund\tA\tA\nkatze\tB\tA\n";
	static const char bad[] = "hund\t\t\nhuund\t\t\nhun\x02";
	td_lexicon *lx = NULL;

	cr_assert_eq(load_freedict(&lx, own, sizeof(own) - 1), 0, "%s", td_error_last());
	cr_assert_not_null(lx);
	cr_expect_eq(td_lexicon_nkeys(lx), 0);
	cr_expect_eq(td_lexicon_npairs(lx), 0);
	td_lexicon_free(lx);
	lx = NULL;

	cr_assert_eq(load_freedict(&lx, empty, sizeof(empty) - 1), 0, "%s", td_error_last());
	cr_assert_not_null(lx);
	cr_expect_eq(td_lexicon_nkeys(lx), 0);
	cr_expect_eq(td_lexicon_npairs(lx), 0);
	td_lexicon_free(lx);
	lx = NULL;

	cr_assert_eq(load_freedict(&lx, bad, sizeof(bad) - 1), TD_EFORMAT);
	cr_expect_null(lx);
	cr_expect(strstr(td_error_last(), "x-deu-eng.index: line 1: ") != NULL, "%s", td_error_last());
}

/* ---- options given without their value, with one they do not take, or with an unknown choice ---- */

struct opt_case {
	const char *argv[6];
	const char *msg;     /* the first line of stderr after "tandem CMD: " */
};

static const struct opt_case opt_cases[] = {
	{ { "lookup", "--max" }, "option '--max' needs a value" },
	{ { "lookup", "Hund", "-n" }, "option '-n' needs a value" },
	{ { "lookup", "--min" }, "option '--min' needs a value" },
	{ { "align", "-s" }, "option '-s' needs a value" },
	{ { "align", "a.de", "b.en", "--min-score" }, "option '--min-score' needs a value" },
	{ { "align", "a.de", "b.en", "-o" }, "option '-o' needs a value" },
	{ { "batch", "-j" }, "option '-j' needs a value" },
	{ { "batch", "dir", "--report" }, "option '--report' needs a value" },
	{ { "import", "x.tsv", "--tm" }, "option '--tm' needs a value" },
	{ { "import", "x.tsv", "-t" }, "option '-t' needs a value" },
	{ { "export", "--format" }, "option '--format' needs a value" },
	{ { "concord", "Hund", "--sort" }, "option '--sort' needs a value" },
	{ { "segment", "x.de", "-l" }, "option '-l' needs a value" },
	{ { "segment", "x.de", "--encoding" }, "option '--encoding' needs a value" },
	{ { "terms", "--min-count" }, "option '--min-count' needs a value" },
	{ { "stats", "--tm" }, "option '--tm' needs a value" },
	{ { "lookup", "-jx", "Hund" }, "unknown option '-x'" },
	{ { "lookup", "--json=ja", "Hund" }, "option '--json' takes no value" },
	{ { "score", "--json=1", "a", "b" }, "option '--json' takes no value" },
	{ { "import", "--frobnicate=1", "x.tsv" }, "unknown option '--frobnicate'" },
	{ { "import", "--format", "xml", "x.tsv" }, "unknown format 'xml' (tmx or tsv)" },
	{ { "export", "--format=csv" }, "unknown format 'csv' (tmx, tsv or moses)" },
	{ { "segment", "-f", "html", "x.de" }, "unknown format 'html' (text or jsonl)" },
};

#define NOPT (sizeof(opt_cases) / sizeof(opt_cases[0]))

ParameterizedTestParameters(badinput, option_errors)
{
	static size_t rows[NOPT];

	return row_params(rows, NOPT);
}

ParameterizedTest(size_t *row, badinput, option_errors, .init = th_dir_setup, .fini = th_dir_teardown)
{
	const struct opt_case *c = &opt_cases[*row];
	char want[200], tm[600];
	th_result r;

	/* run where a TM would be created by mistake, and check none is */
	snprintf(tm, sizeof(tm), "%s", th_path("tandem.db"));
	cr_assert_eq(setenv("TANDEM_TM", tm, 1), 0);
	r = th_run(NULL, c->argv);
	snprintf(want, sizeof(want), "tandem %s: %s\nTry 'tandem %s --help'.\n", c->argv[0], c->msg, c->argv[0]);
	cr_expect_eq(r.status, 2, "%s %s: exit %d: %s", c->argv[0], c->argv[1], r.status, r.err);
	cr_expect_str_eq(r.err, want);
	cr_expect_eq(r.outlen, 0, "stdout: %s", r.out);
	cr_expect_neq(access(tm, F_OK), 0, "a TM was created");
	th_result_free(&r);
}
