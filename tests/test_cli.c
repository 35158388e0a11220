/* The program's frame: help, version, unknown commands, exit codes. */
#include <criterion/criterion.h>
#include <string.h>

#include "helpers.h"

Test(cli, version_prints_and_exits_zero)
{
	const char *argv[] = { "--version", NULL };
	th_result r = th_run(NULL, argv);
	cr_assert_eq(r.status, 0);
	cr_assert(strncmp(r.out, "tandem ", 7) == 0, "got: %s", r.out);
	th_result_free(&r);
}

Test(cli, help_lists_commands_on_stdout)
{
	const char *argv[] = { "help", NULL };
	th_result r = th_run(NULL, argv);
	cr_assert_eq(r.status, 0);
	cr_assert(strstr(r.out, "Commands:") != NULL);
	cr_assert_eq(r.errlen, 0);
	th_result_free(&r);
}

Test(cli, no_arguments_is_usage_error)
{
	const char *argv[] = { NULL };
	th_result r = th_run(NULL, argv);
	cr_assert_eq(r.status, 2);
	cr_assert_eq(r.outlen, 0, "usage on no arguments must go to stderr");
	th_result_free(&r);
}

Test(cli, unknown_command_is_usage_error)
{
	const char *argv[] = { "frobnicate", NULL };
	th_result r = th_run(NULL, argv);
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "no such command: 'frobnicate'") != NULL, "got: %s", r.err);
	th_result_free(&r);
}

Test(cli, help_of_unknown_command_fails)
{
	const char *argv[] = { "help", "nope", NULL };
	th_result r = th_run(NULL, argv);
	cr_assert_eq(r.status, 2);
	th_result_free(&r);
}
