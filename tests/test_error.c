#include <criterion/criterion.h>
#include <string.h>

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
