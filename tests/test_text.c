/* Decoding: every encoding path, BOMs, bad bytes with line and offset, NUL, CRLF, NFC. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "tandem/text.h"

/* A byte string and its length, NULs included. */
#define B(s) s, sizeof(s) - 1

/* Arrays, not pointers: Criterion runs each case in another process. */
typedef struct {
	char what[40];
	char in[512];
	size_t len;
	char encoding[24];     /* "": detect */
	int rc;
	char out[512];         /* expected text when rc == 0 */
	char msg[80];          /* expected part of the message when rc != 0 */
} decode_case;

/* Long enough for the detector: German news in Latin-1 ("ä" = E4, "ß" = DF ...). */
#define LATIN1_NEWS \
	"Die Stadtverwaltung hat am Montag die Pl\xe4ne f\xfcr das neue Hallenbad vorgestellt. " \
	"Nach Angaben des B\xfcrgermeisters sollen die Bauarbeiten im Fr\xfchjahr beginnen; " \
	"die Kosten sch\xe4tzt die Stadt auf gut zw\xf6lf Millionen Euro. Gegen die Gr\xf6\xdf" \
	"e des Projekts gibt es im Gemeinderat jedoch Widerstand.\n"
#define LATIN1_NEWS_UTF8 \
	"Die Stadtverwaltung hat am Montag die Pläne für das neue Hallenbad vorgestellt. " \
	"Nach Angaben des Bürgermeisters sollen die Bauarbeiten im Frühjahr beginnen; " \
	"die Kosten schätzt die Stadt auf gut zwölf Millionen Euro. Gegen die Größ" \
	"e des Projekts gibt es im Gemeinderat jedoch Widerstand.\n"

ParameterizedTestParameters(text, decode)
{
	static decode_case decode_cases[] = {
	{ "utf8 as is", B("Grüße aus Köln, „Zitat“.\n"), "", 0, "Grüße aus Köln, „Zitat“.\n", "" },
	{ "ascii", B("Plain text.\n"), "", 0, "Plain text.\n", "" },
	{ "empty", B(""), "", 0, "", "" },
	{ "utf8 bom removed", B("\xEF\xBB\xBFÄrger\n"), "", 0, "Ärger\n", "" },
	{ "utf16le bom", B("\xFF\xFE\xC4\x00r\x00\n\x00"), "", 0, "Är\n", "" },
	{ "utf16be bom", B("\xFE\xFF\x00\xC4\x00r\x00\n"), "", 0, "Är\n", "" },
	{ "utf32le bom", B("\xFF\xFE\x00\x00\xDF\x00\x00\x00\n\x00\x00\x00"), "", 0, "ß\n", "" },
	{ "utf32be bom", B("\x00\x00\xFE\xFF\x00\x00\x00\xDF\x00\x00\x00\n"), "", 0, "ß\n", "" },
	{ "utf16 surrogate pair", B("\xFF\xFE\x3D\xD8\x00\xDE"), "", 0, "\xF0\x9F\x98\x80", "" },
	{ "bom wins over encoding", B("\xEF\xBB\xBFÜber"), "ISO-8859-1", 0, "Über", "" },
	{ "explicit latin1", B("Gr\xfc\xdf" "e"), "ISO-8859-1", 0, "Grüße", "" },
	{ "explicit cp1252 quotes", B("\x84Hallo\x93 \x80"), "WINDOWS-1252", 0, "„Hallo“ €", "" },
	{ "explicit utf16le no bom", B("\xFC\x00" "b\x00"), "UTF-16LE", 0, "üb", "" },
	{ "explicit lower-case name", B("\xe4"), "latin1", 0, "ä", "" },
	{ "explicit utf8 validates", B("ok\n\xff"), "UTF-8", TD_EENCODING, "", "line 2, byte 3" },
	{ "detected latin1 news", B(LATIN1_NEWS), "", 0, LATIN1_NEWS_UTF8, "" },
	{ "uncertain encoding", B("\x81\x8d\xfe\x90\x9d\xff\xfe"), "", TD_EENCODING, "",
	  "pass --encoding" },
	{ "uncertain lists likely", B("\xe4\xf6\xfc\xdf"), "", TD_EENCODING, "", "likely:" },
	{ "bad byte after utf8", B("Grüße\nabc \xff def"), "", TD_EENCODING, "",
	  "line 2, byte 12: invalid UTF-8 sequence (0xFF)" },
	{ "bad byte third line", B("ä\r\nb\r\n\xc3\x28"), "", TD_EENCODING, "", "line 3, byte 7" },
	{ "truncated utf8", B("Grüß\xc3"), "", TD_EENCODING, "", "byte 6: truncated UTF-8" },
	{ "overlong utf8", B("ä \xc0\xaf"), "", TD_EENCODING, "", "line 1, byte 3" },
	{ "utf8 surrogate", B("ä \xed\xa0\x80"), "", TD_EENCODING, "", "byte 3" },
	{ "truncated utf16", B("\xFF\xFE" "a\x00" "b"), "", TD_EENCODING, "", "truncated UTF-16LE" },
	{ "nul byte", B("ab\ncd\0ef"), "", TD_EENCODING, "", "line 2, byte 5: NUL byte" },
	{ "nul in utf16", B("\xFF\xFE" "a\x00\x00\x00"), "", TD_EENCODING, "", "NUL character" },
	{ "crlf and cr", B("a\r\nb\rc\n\r\n"), "", 0, "a\nb\nc\n\n", "" },
	{ "crlf in utf16", B("\xFF\xFE" "a\x00\r\x00\n\x00" "b\x00"), "", 0, "a\nb", "" },
	{ "nfc composes", B("Cafe\xcc\x81 Mu\xcc\x88nchen"), "", 0, "Caf\xc3\xa9 M\xc3\xbcnchen", "" },
	{ "nfc keeps composed", B("Café"), "", 0, "Café", "" },
	{ "nfc hangul", B("\xe1\x84\x80\xe1\x85\xa1"), "", 0, "\xea\xb0\x80", "" },
	{ "unknown encoding", B("abc"), "NO-SUCH-CHARSET", TD_EINVAL, "", "unknown encoding 'NO-SUCH-CHARSET'" },
	};

	return cr_make_param_array(decode_case, decode_cases,
				   sizeof(decode_cases) / sizeof(decode_cases[0]));
}

ParameterizedTest(decode_case *c, text, decode)
{
	td_text_opts opts = TD_TEXT_OPTS_INIT;
	char *out = (char *)"unset";
	size_t len = 12345;
	int rc;

	opts.encoding = c->encoding[0] ? c->encoding : NULL;
	opts.name = "doc.de";
	rc = td_text_decode(&out, &len, c->in, c->len, &opts);
	cr_assert_eq(rc, c->rc, "%s: rc %d, message: %s", c->what, rc, td_error_last());
	if (rc == 0) {
		cr_assert_str_eq(out, c->out, "%s", c->what);
		cr_assert_eq(len, strlen(c->out), "%s", c->what);
		free(out);
		return;
	}
	cr_assert_null(out, "%s: no output on failure", c->what);
	cr_assert(strstr(td_error_last(), c->msg), "%s: message '%s' lacks '%s'", c->what,
		  td_error_last(), c->msg);
	cr_assert(strncmp(td_error_last(), "doc.de: ", 8) == 0, "%s: message names the file: %s",
		  c->what, td_error_last());
}

Test(text, guess_reports_encoding_and_confidence)
{
	const char *enc = NULL;
	int conf = 0;

	cr_assert_eq(td_text_decode_guess(&enc, &conf, B(LATIN1_NEWS), NULL), 0, "%s", td_error_last());
	cr_assert(strcmp(enc, "ISO-8859-1") == 0 || strcmp(enc, "windows-1252") == 0, "got %s", enc);
	cr_assert_geq(conf, TD_TEXT_MIN_CONFIDENCE);
	cr_assert_eq(td_text_decode_guess(&enc, &conf, B("\xFE\xFF\x00" "a"), NULL), 0);
	cr_assert_str_eq(enc, "UTF-16BE");
	cr_assert_eq(conf, 100);
}

Test(text, output_is_nul_terminated_and_len_optional)
{
	char *out = NULL;

	cr_assert_eq(td_text_decode(&out, NULL, B("x"), NULL), 0);
	cr_assert_eq(out[1], '\0');
	free(out);
}

Test(text, file_missing_names_path)
{
	char *out = NULL;
	size_t len;

	cr_assert_eq(td_text_decode_file(&out, &len, "/nonexistent/zeitung.de", NULL), TD_EIO);
	cr_assert(strstr(td_error_last(), "/nonexistent/zeitung.de"), "%s", td_error_last());
	cr_assert_null(out);
}

Test(text, file_with_explicit_encoding)
{
	char *dir = th_tmpdir(), path[4096], *out = NULL;
	size_t len;

	snprintf(path, sizeof(path), "%s/alt.de", dir);
	cr_assert_eq(th_write(path, B("Stra\xdf" "e\r\n")), 0);
	cr_assert_eq(td_text_decode_file(&out, &len, path, "ISO-8859-15"), 0, "%s", td_error_last());
	cr_assert_str_eq(out, "Straße\n");
	cr_assert_eq(len, strlen("Straße\n"));
	free(out);
	/* Detection alone refuses four bytes of Latin-1: too little evidence. */
	cr_assert_eq(td_text_decode_file(&out, &len, path, NULL), TD_EENCODING);
	cr_assert(strstr(td_error_last(), path), "%s", td_error_last());
	th_rmtree(dir);
	free(dir);
}

Test(text, directory_is_io_error)
{
	char *out = NULL;
	size_t len;

	cr_assert_eq(td_text_decode_file(&out, &len, "/", NULL), TD_EIO);
}
