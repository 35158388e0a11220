/* tandem export: write the TM as TMX 1.4, TSV or Moses. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "tandem/tmx.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: tandem export [--format tmx|tsv|moses] [-s LANG] [-t LANG] [--out FILE|PREFIX] [--tm FILE]\n"
		"\n"
		"Write the units of the TM, by default as TMX 1.4 on standard output.\n"
		"\n"
		"  --format F       tmx (default), tsv (source<TAB>target) or moses\n"
		"  -s, --source L   only units with this source language (de selects de-DE too)\n"
		"  -t, --target L   only units with this target language\n"
		"  -o, --out FILE   write to FILE instead of standard output; for moses,\n"
		"                   PREFIX: writes PREFIX.SRC and PREFIX.TGT (needs -s, -t)\n"
		"  --tm FILE        the TM (default $TANDEM_TM, else tandem.db)\n"
		"  -h, --help       show this help\n"
		"\n"
		"Files are written under a temporary name and renamed when complete.\n");
}

int cmd_export(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "tm", required_argument, NULL, 'm' },
		{ "source", required_argument, NULL, 's' },
		{ "target", required_argument, NULL, 't' },
		{ "format", required_argument, NULL, 'f' },
		{ "out", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	td_export_opts opts = TD_EXPORT_OPTS_INIT;
	const char *tm_opt = NULL, *out_name = NULL;
	char sl[TD_LANG_MAX] = "", tl[TD_LANG_MAX] = "", name[4200];
	cli_outfile o1 = { .f = NULL }, o2 = { .f = NULL };
	int c, rc, format_given = 0;
	int64_t n = 0;
	td_tm *tm = NULL;

	optind = 1;
	while ((c = cli_getopt("export", argc, argv, "s:t:o:h", longopts)) != -1) {
		switch (c) {
		case 'm': tm_opt = optarg; break;
		case 's': opts.src_lang = optarg; break;
		case 't': opts.tgt_lang = optarg; break;
		case 'o': out_name = optarg; break;
		case 'f':
			format_given = 1;
			rc = cli_choice("export", "format", optarg, (const char *const[]){ "tmx", "tsv", "moses", NULL });
			if (rc < 0)
				return CLI_USAGE;
			opts.format = (td_format)(TD_FORMAT_TMX + rc);
			break;
		case 'h': usage(stdout); return cli_finish(CLI_OK);
		default: return CLI_USAGE;  /* cli_getopt said why */
		}
	}
	if (optind != argc)
		return cli_usage_error("export", "unexpected argument '%s'", argv[optind]);
	if ((opts.src_lang && td_lang_normalize(sl, opts.src_lang) < 0) ||
	    (opts.tgt_lang && td_lang_normalize(tl, opts.tgt_lang) < 0))
		return cli_usage_error("export", "%s", td_error_last());
	if (!format_given && out_name && td_format_from_path(out_name) == TD_FORMAT_TSV)
		opts.format = TD_FORMAT_TSV;
	if (opts.format == TD_FORMAT_MOSES && (!out_name || !*sl || !*tl))
		return cli_usage_error("export", "moses needs --out PREFIX, -s and -t");
	if (td_tm_open(&tm, cli_tm_path(tm_opt), TD_TM_READONLY) < 0)
		return cli_lib_error();
	if (opts.format == TD_FORMAT_MOSES) {
		snprintf(name, sizeof(name), "%s.%s", out_name, sl);
		rc = cli_out_open(&o1, name);
		snprintf(name, sizeof(name), "%s.%s", out_name, tl);
		if (rc == 0)
			rc = cli_out_open(&o2, name);
	} else {
		rc = out_name ? cli_out_open(&o1, out_name) : 0;
	}
	if (rc < 0) {
		cli_out_close(&o1, 0);
		td_tm_close(tm);
		return CLI_FAIL;
	}
	rc = td_tmx_export(&n, tm, o1.f ? o1.f : stdout, o2.f, &opts);
	td_tm_close(tm);
	if (rc < 0) {
		cli_lib_error();
		cli_out_close(&o1, 0);
		cli_out_close(&o2, 0);
		return CLI_FAIL;
	}
	if (cli_out_close(&o1, 1) < 0 || cli_out_close(&o2, 1) < 0)
		return CLI_FAIL;
	if (out_name)
		printf("exported %lld units to %s%s\n", (long long)n, out_name,
			opts.format == TD_FORMAT_MOSES ? ".{src,tgt}" : "");
	return cli_finish(CLI_OK);
}
