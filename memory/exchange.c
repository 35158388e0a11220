/*
 * Import and export: choosing the format. The formats live in tsv.c and
 * tmx.c; they report through import_report.c.
 */
#include "tm_internal.h"
#include "base/opts.h"

#include <assert.h>
#include <string.h>
#include <strings.h>

td_format td_format_from_path(const char *path)
{
	const char *dot = strrchr(path, '.');

	if (!dot || strchr(dot, '/'))
		return TD_FORMAT_AUTO;
	if (strcasecmp(dot, ".tmx") == 0)
		return TD_FORMAT_TMX;
	if (strcasecmp(dot, ".tsv") == 0 || strcasecmp(dot, ".tab") == 0 || strcasecmp(dot, ".txt") == 0)
		return TD_FORMAT_TSV;
	return TD_FORMAT_AUTO;
}

const char *td_skip_reason_name(td_skip_reason r)
{
	static const char *const names[TD_SKIP_NREASONS] = {
		[TD_SKIP_EMPTY] = "empty source or target",
		[TD_SKIP_NO_SOURCE] = "no variant in the source language",
		[TD_SKIP_NO_TARGET] = "no variant in a target language",
		[TD_SKIP_DUPLICATE_LANG] = "a second variant in the same language",
		[TD_SKIP_EMPTY_LINE] = "empty line",
	};
	return (unsigned)r < TD_SKIP_NREASONS ? names[r] : "unknown reason";
}

int td_tmx_import(td_import_report *out, td_tm *tm, const char *path, const td_import_opts *opts)
{
	td_import_opts o = TD_IMPORT_OPTS_INIT;

	assert(out && tm && path);
	memset(out, 0, sizeof(*out));
	if (opts)
		o = *opts;
	if (td_opts_version(o.version, TD_IMPORT_OPTS_VERSION, "import") < 0)
		return TD_EINVAL;
	if (!o.name)
		o.name = path;
	if (o.format == TD_FORMAT_AUTO)
		o.format = td_format_from_path(path);
	switch (o.format) {
	case TD_FORMAT_TSV:
		return td__import_tsv(out, tm, path, &o);
	case TD_FORMAT_TMX:
		return td__import_tmx(out, tm, path, &o);
	case TD_FORMAT_AUTO:
		return td_error_set(TD_EINVAL, "%s: cannot tell the format from the file name; "
			"name it .tmx or .tsv or give the format", o.name);
	default:
		return td_error_set(TD_EINVAL, "%s: Moses files are imported as two files; "
			"paste them into a TSV first", o.name);
	}
}

int td_tmx_export(int64_t *out_count, td_tm *tm, FILE *f, FILE *f2, const td_export_opts *opts)
{
	td_export_opts o = TD_EXPORT_OPTS_INIT;

	assert(out_count && tm && f);
	*out_count = 0;
	if (opts)
		o = *opts;
	if (td_opts_version(o.version, TD_EXPORT_OPTS_VERSION, "export") < 0)
		return TD_EINVAL;
	switch (o.format) {
	case TD_FORMAT_TMX:
		return td__export_tmx(out_count, tm, f, &o);
	case TD_FORMAT_TSV:
		return td__export_lines(out_count, tm, f, NULL, &o);
	case TD_FORMAT_MOSES:
		if (!f2)
			return td_error_set(TD_EINVAL, "Moses export needs two output files");
		return td__export_lines(out_count, tm, f, f2, &o);
	default:
		return td_error_set(TD_EINVAL, "export: unknown format");
	}
}
