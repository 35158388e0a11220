#include <criterion/criterion.h>
#include <string.h>

#include "base/dynlib.h"
#include "tandem/error.h"

Test(error, set_returns_code_and_keeps_message)
{
	int rc = td_error_set(TD_EIO, "%s: line %d: %s", "de.txt", 3, "broken");
	cr_assert_eq(rc, TD_EIO);
	cr_assert_eq(td_error_last_code(), TD_EIO);
	cr_assert_str_eq(td_error_last(), "de.txt: line 3: broken");
}

Test(error, newlines_become_spaces)
{
	td_error_set(TD_EFORMAT, "a\nb\rc");
	cr_assert_str_eq(td_error_last(), "a b c");
}

Test(error, long_message_is_cut_not_overflowed)
{
	char big[5000];
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	td_error_set(TD_EINVAL, "%s", big);
	cr_assert_lt(strlen(td_error_last()), 1024);
	cr_assert_eq(td_error_last()[0], 'x');
}

Test(error, clear_resets)
{
	td_error_set(TD_EDB, "x");
	td_error_clear();
	cr_assert_str_eq(td_error_last(), "");
	cr_assert_eq(td_error_last_code(), TD_OK);
}

Test(error, names_are_distinct)
{
	cr_assert_str_neq(td_error_name(TD_EIO), td_error_name(TD_EENCODING));
	cr_assert_str_eq(td_error_name(12345), "unknown error");
}

/* A library opened on first use (libpq, libmicrohttpd) that is missing: NULL and a message naming the package. */
Test(error, missing_shared_library_names_its_package)
{
	void *h = td_dynlib_open("libtandem-none.so.0", "PostgreSQL TMs", "libtandem-none0");

	cr_assert_null(h);
	cr_assert_eq(td_error_last_code(), TD_ENOTFOUND);
	cr_assert(strstr(td_error_last(), "PostgreSQL TMs need the library libtandem-none.so.0") != NULL,
		"%s", td_error_last());
	cr_assert(strstr(td_error_last(), "Debian package libtandem-none0") != NULL, "%s", td_error_last());
}

/* One present: the same handle each time, a function found, a missing one refused by name. */
Test(error, shared_library_functions_are_found_by_name)
{
	void *h = td_dynlib_open("libz.so.1", "tests", "zlib1g"), *again = td_dynlib_open("libz.so.1", "tests", "zlib1g");
	const char *(*version)(void) = NULL;

	cr_assert_not_null(h, "%s", td_error_last());
	cr_assert_eq(h, again);
	cr_assert_eq(td_dynlib_fn(h, "libz.so.1", "zlibVersion", &version, sizeof(version)), 0);
	cr_assert_not_null(version);
	cr_assert_eq(version()[0], '1');
	cr_assert_lt(td_dynlib_fn(h, "libz.so.1", "no_such_function", &version, sizeof(version)), 0);
	cr_assert(strstr(td_error_last(), "libz.so.1 has no function no_such_function") != NULL, "%s", td_error_last());
}
