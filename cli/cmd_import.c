/* tandem import: read a TMX or TSV file into the TM as one transaction. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "tandem/tmx.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: tandem import FILE [--tm FILE] [-s LANG] [-t LANG] [--format tmx|tsv]\n"
		"\n"
		"Add the translation units of FILE to the TM, all or nothing.\n"
		"\n"
		"  --tm FILE        the TM (default $TANDEM_TM, else tandem.db)\n"
		"  -s, --source L   source language (TSV: required; TMX: which variant is\n"
		"                   the source, default the header's srclang)\n"
		"  -t, --target L   target language (TSV: required; TMX: only this one,\n"
		"                   default every other language of each <tu>)\n"
		"  --format F       tmx or tsv (default: from the file name's extension)\n"
		"  -h, --help       show this help\n"
		"\n"
		"TSV is one unit per line, source<TAB>target, UTF-8. TMX 1.1 to 1.4 is read\n"
		"as a stream; inline codes (<bpt> <ept> <it> <ph> <ut>) are dropped, <hi>\n"
		"text is kept. Importing the same file twice adds nothing.\n");
}

int cmd_import(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "tm", required_argument, NULL, 'm' },
		{ "source", required_argument, NULL, 's' },
		{ "target", required_argument, NULL, 't' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	td_import_opts opts = TD_IMPORT_OPTS_INIT;
	td_import_report rep;
	const char *tm_opt = NULL, *path;
	td_tm *tm = NULL;
	const char *tm_path;
	struct stat sb;
	int c, rc, i, tm_existed;

	optind = 1;
	while ((c = cli_getopt("import", argc, argv, "s:t:h", longopts)) != -1) {
		switch (c) {
		case 'm': tm_opt = optarg; break;
		case 's': opts.src_lang = optarg; break;
		case 't': opts.tgt_lang = optarg; break;
		case 'f':
			if ((rc = cli_choice("import", "format", optarg, (const char *const[]){ "tmx", "tsv", NULL })) < 0)
				return CLI_USAGE;
			opts.format = (td_format)(TD_FORMAT_TMX + rc);
			break;
		case 'h': usage(stdout); return cli_finish(CLI_OK);
		default: return CLI_USAGE;  /* cli_getopt said why */
		}
	}
	if (optind != argc - 1)
		return cli_usage_error("import", "expected one FILE");
	path = argv[optind];
	if (cli_lang_pair("import", opts.src_lang, opts.tgt_lang, 1) != 0)
		return CLI_USAGE;
	if (opts.format == TD_FORMAT_AUTO && td_format_from_path(path) == TD_FORMAT_AUTO)
		return cli_usage_error("import", "%s: cannot tell the format from the name; use --format tmx|tsv", path);
	if ((opts.format == TD_FORMAT_TSV || (opts.format == TD_FORMAT_AUTO &&
	     td_format_from_path(path) == TD_FORMAT_TSV)) && (!opts.src_lang || !opts.tgt_lang))
		return cli_usage_error("import", "a TSV file needs -s and -t");
	tm_path = cli_tm_path(tm_opt);
	tm_existed = stat(tm_path, &sb) == 0;
	if (td_tm_open(&tm, tm_path, 0) < 0)
		return cli_lib_error();
	rc = td_tmx_import(&rep, tm, path, &opts);
	td_tm_close(tm);
	if (rc < 0) {
		/* A TM this failed import created is removed again: nothing is left behind. */
		if (!tm_existed)
			unlink(tm_path);
		cli_error("%s; nothing imported, the TM is unchanged", td_error_last());
		return CLI_FAIL;
	}
	printf("%s: read %lld, added %lld, already present %lld, skipped %lld\n", path,
		(long long)rep.read, (long long)rep.added, (long long)rep.present, (long long)rep.skipped);
	for (i = 0; i < TD_SKIP_NREASONS; i++)
		if (rep.skips[i])
			printf("  skipped %lld: %s (first at line %lld)\n", (long long)rep.skips[i],
				td_skip_reason_name((td_skip_reason)i), (long long)rep.first_skip_line[i]);
	return cli_finish(CLI_OK);
}
