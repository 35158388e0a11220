#include "cli.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <unicode/utf8.h>

#include "tandem/error.h"

void cli_error(const char *fmt, ...)
{
	va_list ap;

	fputs("tandem: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int cli_lib_error(void)
{
	const char *msg = td_error_last();

	cli_error("%s", *msg ? msg : td_error_name(td_error_last_code()));
	return CLI_FAIL;
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "tandem %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'tandem %s --help'.\n", cmd);
	return CLI_USAGE;
}

int cli_finish(int rc)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		cli_error("write error on standard output: %s", strerror(errno));
		return CLI_FAIL;
	}
	return rc;
}

const char *cli_tm_path(const char *opt)
{
	const char *env;

	if (opt && *opt)
		return opt;
	env = getenv("TANDEM_TM");
	if (env && *env)
		return env;
	return "tandem.db";
}

int cli_lang_from_path(const char *path, char *buf, size_t n)
{
	const char *base = strrchr(path, '/');
	const char *dot;
	size_t len, i;

	base = base ? base + 1 : path;
	dot = strrchr(base, '.');
	if (!dot || dot == base)
		return -1;
	dot++;
	len = strlen(dot);
	if (len < 2 || len > 3 || len >= n)
		return -1;
	for (i = 0; i < len; i++) {
		if (!isalpha((unsigned char)dot[i]))
			return -1;
		buf[i] = (char)tolower((unsigned char)dot[i]);
	}
	buf[len] = '\0';
	return 0;
}

int cli_stderr_is_tty(void)
{
	return isatty(STDERR_FILENO);
}

void cli_json_string(FILE *out, const char *s, size_t n)
{
	int32_t i = 0, len = n > INT32_MAX ? INT32_MAX : (int32_t)n;

	putc('"', out);
	while (i < len) {
		int32_t start = i;
		UChar32 c;
		U8_NEXT(s, i, len, c);
		if (c < 0)
			fputs("\\ufffd", out);
		else if (c == '"' || c == '\\')
			fprintf(out, "\\%c", (char)c);
		else if (c < 0x20)
			fprintf(out, "\\u%04x", (unsigned)c);
		else
			fwrite(s + start, 1, (size_t)(i - start), out);
	}
	putc('"', out);
}
