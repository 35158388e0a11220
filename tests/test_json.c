/* JSON strings (base/json.h): escapes and the rule for invalid UTF-8. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"

/* Arrays, not pointers: Criterion copies parameters into each test's process. */
typedef struct {
	char in[40];
	size_t len;   /* of in: it may hold a NUL */
	char want[80];
} json_case;

#define C(s, w) { s, sizeof(s) - 1, w }

static json_case cases[] = {
	C("", "\"\""),
	C("Grüße aus Köln", "\"Grüße aus Köln\""),
	C("„Hallo“, sagte er", "\"„Hallo“, sagte er\""),
	C("a\"b\\c", "\"a\\\"b\\\\c\""),
	C("tab\there\nline\x01", "\"tab\\u0009here\\u000aline\\u0001\""),
	C("nul\0byte", "\"nul\\u0000byte\""),
	C("\xF0\x9F\x98\x80 ok", "\"\xF0\x9F\x98\x80 ok\""),
	/* one U+FFFD per maximal subpart */
	C("cut \xE2\x82 euro", "\"cut \\ufffd euro\""),
	C("cut \xF0\x9F\x98", "\"cut \\ufffd\""),
	C("latin1 M\xFCller", "\"latin1 M\\ufffdller\""),
	C("overlong \xC0\xAF", "\"overlong \\ufffd\\ufffd\""),
	C("surrogate \xED\xA0\x80", "\"surrogate \\ufffd\\ufffd\\ufffd\""),
	C("lone \x80\x80 trail", "\"lone \\ufffd\\ufffd trail\""),
	C("too big \xF4\x90\x80\x80", "\"too big \\ufffd\\ufffd\\ufffd\\ufffd\""),
};

ParameterizedTestParameters(json, string)
{
	return cr_make_param_array(json_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(json_case *c, json, string)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);

	cr_assert_not_null(f);
	td_json_string(f, c->in, c->len);
	cr_assert_eq(fclose(f), 0);
	cr_assert_str_eq(buf, c->want);
	free(buf);
}

Test(json, cstring_null)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);

	cr_assert_not_null(f);
	td_json_cstring(f, NULL);
	fputc(' ', f);
	td_json_cstring(f, "Straße");
	cr_assert_eq(fclose(f), 0);
	cr_assert_str_eq(buf, "null \"Straße\"");
	free(buf);
}
