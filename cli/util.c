#include "cli.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tandem/error.h"
#include "tandem/tm.h"

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

/* The entry of longopts that "--name" or "--name=value" (arg, after the dashes) selects, or NULL. */
static const struct option *long_option(const struct option *longopts, const char *arg, int *nmatch)
{
	size_t n = strcspn(arg, "=");
	const struct option *o, *found = NULL;

	*nmatch = 0;
	for (o = longopts; o && o->name; o++) {
		if (strncmp(o->name, arg, n) != 0)
			continue;
		if (o->name[n] == '\0') {
			*nmatch = 1;
			return o;
		}
		if (!found || found->has_arg != o->has_arg || found->flag != o->flag || found->val != o->val)
			(*nmatch)++;
		found = o;
	}
	return *nmatch == 1 ? found : NULL;
}

int cli_getopt(const char *cmd, int argc, char **argv, const char *shortopts, const struct option *longopts)
{
	char spec[128];
	const char *arg;
	const struct option *o;
	int c, nmatch = 0, len;

	snprintf(spec, sizeof(spec), ":%s", shortopts);
	opterr = 0;
	c = getopt_long(argc, argv, spec, longopts, NULL);
	if (c != '?' && c != ':')
		return c;
	/* getopt_long steps past a long option, but not always past a short one in a cluster ("-xj"). */
	arg = optind >= 1 && optind <= argc ? argv[optind - 1] : "";
	if (strncmp(arg, "--", 2) == 0 && arg[2]) {
		o = long_option(longopts, arg + 2, &nmatch);
		len = (int)strcspn(arg, "=");
		if (c == ':' && o && o->has_arg == required_argument && o->val == optopt) {
			cli_usage_error(cmd, "option '--%s' needs a value", o->name);
			return '?';
		}
		if (c == '?' && optopt == 0) {
			cli_usage_error(cmd, "%s option '%.*s'", nmatch > 1 ? "ambiguous" : "unknown", len, arg);
			return '?';
		}
		if (c == '?' && o && o->has_arg == no_argument && o->val == optopt && arg[len] == '=') {
			cli_usage_error(cmd, "option '--%s' takes no value", o->name);
			return '?';
		}
	}
	if (c == ':')
		cli_usage_error(cmd, "option '-%c' needs a value", optopt);
	else
		cli_usage_error(cmd, "unknown option '-%c'", optopt);
	return '?';
}

int cli_choice(const char *cmd, const char *what, const char *arg, const char *const *choices)
{
	char list[256] = "";
	size_t i, n = 0;

	for (i = 0; choices[i]; i++)
		if (!strcmp(arg, choices[i]))
			return (int)i;
	for (i = 0; choices[i]; i++)
		n += (size_t)snprintf(list + n, n < sizeof(list) ? sizeof(list) - n : 0, "%s%s",
			!i ? "" : choices[i + 1] ? ", " : " or ", choices[i]);
	cli_usage_error(cmd, "unknown %s '%s' (%s)", what, arg, list);
	return -1;
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

int cli_lang_pair(const char *cmd, const char *src, const char *tgt, int distinct)
{
	char norm[2][TD_LANG_MAX];
	const char *tag[2] = { src, tgt };
	int i;

	for (i = 0; i < 2; i++)
		if (tag[i] && td_lang_normalize(norm[i], tag[i]) < 0)
			return cli_usage_error(cmd, "%s language: %s", i ? "target" : "source", td_error_last());
	if (distinct && src && tgt && strcmp(norm[0], norm[1]) == 0)
		return cli_usage_error(cmd, "source and target language are the same (%s); "
			"a TM stores translations between two languages", norm[0]);
	return 0;
}

int cli_color_option(const char *cmd, const char *arg)
{
	static const char *const when[] = { "auto", "always", "never", NULL };
	static const int value[] = { -1, 1, 0 };
	int k = cli_choice(cmd, "--color value", arg, when);

	return k < 0 ? -2 : value[k];
}

int cli_color_stdout(int opt)
{
	const char *term = getenv("TERM"), *nc = getenv("NO_COLOR");

	if (opt >= 0)
		return opt;
	return isatty(STDOUT_FILENO) && term && strcmp(term, "dumb") != 0 && !(nc && *nc);
}

int cli_stderr_is_tty(void)
{
	return isatty(STDERR_FILENO);
}

int cli_number(const char *cmd, const char *opt, const char *arg, double lo, double hi, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (errno || end == arg || *end || !(v >= lo && v <= hi)) {
		cli_usage_error(cmd, "%s needs a number from %g to %g, not '%s'", opt, lo, hi, arg);
		return -1;
	}
	*out = v;
	return 0;
}

int cli_count(const char *cmd, const char *opt, const char *arg, long lo, long hi, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno || end == arg || *end || v < lo || v > hi) {
		if (hi == LONG_MAX)
			cli_usage_error(cmd, "%s needs a whole number of at least %ld, not '%s'", opt, lo, arg);
		else
			cli_usage_error(cmd, "%s needs a whole number from %ld to %ld, not '%s'", opt, lo, hi, arg);
		return -1;
	}
	*out = v;
	return 0;
}

int cli_ladder_format(const char *cmd, const char *arg, td_align_format *fmt)
{
	static const char *const names[] = { "beads", "tsv", "jsonl", "moses", NULL };
	static const td_align_format formats[] = { TD_ALIGN_FMT_BEADS, TD_ALIGN_FMT_TSV, TD_ALIGN_FMT_JSONL };
	int k = cli_choice(cmd, "format", arg, names);

	if (k < 0)
		return -1;
	if (k == 3)
		return 1;
	*fmt = formats[k];
	return 0;
}

int cli_lexicon_load(td_lexicon **out, const char *path, const char *src, const char *tgt, int quiet)
{
	int rc = td_lexicon_load(out, path, src, tgt);

	if (rc == TD_ENOTFOUND && !path) {
		*out = NULL;
		if (!quiet)
			cli_error("note: no dictionary installed for %s-%s; working without one "
				"(--no-lexicon silences this)", src, tgt);
		return 0;
	}
	return rc;
}

int cli_out_open(cli_outfile *o, const char *name)
{
	snprintf(o->final, sizeof(o->final), "%s", name);
	snprintf(o->tmp, sizeof(o->tmp), "%s.tmp-%ld", name, (long)getpid());
	o->f = fopen(o->tmp, "wb");
	if (!o->f) {
		cli_error("%s: %s", o->tmp, strerror(errno));
		return -1;
	}
	return 0;
}

int cli_out_close(cli_outfile *o, int ok)
{
	if (!o->f)
		return 0;
	if ((ferror(o->f) || fclose(o->f) != 0) && ok) {
		cli_error("%s: %s", o->tmp, strerror(errno));
		ok = 0;
	}
	o->f = NULL;
	if (ok && rename(o->tmp, o->final) != 0) {
		cli_error("%s: %s", o->final, strerror(errno));
		ok = 0;
	}
	if (!ok)
		remove(o->tmp);
	return ok ? 0 : -1;
}
