/* tandem stats: what the TM holds. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "render.h"
#include "tandem/tm.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: tandem stats [--json] [--tm FILE]\n"
		"\n"
		"Units per language pair, documents, sources of provenance, file size.\n"
		"\n"
		"  --json           one JSON object: {\"units\": N, \"documents\": N, \"pairs\": [...], ...}\n"
		"  --tm FILE        the TM (default $TANDEM_TM, else tandem.db)\n"
		"  -h, --help       show this help\n");
}

static void print_text(const char *path, const td_tm_stats *st)
{
	size_t i;

	printf("TM %s: %.1f MB, schema %d\n", path, (double)st->file_size / 1e6, st->schema_version);
	printf("units: %lld\ndocuments: %lld\nprovenance records: %lld\n", (long long)st->units,
		(long long)st->documents, (long long)st->provenance);
	if (st->npairs)
		printf("language pairs:\n");
	for (i = 0; i < st->npairs; i++)
		printf("  %-8s -> %-8s %lld\n", st->pairs[i].src_lang, st->pairs[i].tgt_lang,
			(long long)st->pairs[i].units);
	if (st->nsources)
		printf("sources:\n");
	for (i = 0; i < st->nsources; i++)
		printf("  %-8s %lld %s, %lld provenance records\n", st->sources[i].kind,
			(long long)st->sources[i].documents,
			!strcmp(st->sources[i].kind, "align") ? "document pairs" : "imported files",
			(long long)st->sources[i].provenance);
}

int cmd_stats(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "tm", required_argument, NULL, 'm' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *tm_opt = NULL, *path;
	td_tm_stats st;
	td_tm *tm = NULL;
	int c, json = 0, rc;

	optind = 1;
	while ((c = cli_getopt("stats", argc, argv, "h", longopts)) != -1) {
		switch (c) {
		case 'm': tm_opt = optarg; break;
		case 'j': json = 1; break;
		case 'h': usage(stdout); return cli_finish(CLI_OK);
		default: return CLI_USAGE;  /* cli_getopt said why */
		}
	}
	if (optind != argc)
		return cli_usage_error("stats", "unexpected argument '%s'", argv[optind]);
	path = cli_tm_path(tm_opt);
	if (td_tm_open(&tm, path, TD_TM_READONLY) < 0)
		return cli_lib_error();
	rc = td_tm_stats_get(&st, tm);
	td_tm_close(tm);
	if (rc < 0)
		return cli_lib_error();
	if (json)
		{
		render_stats(stdout, path, &st);
		putchar('\n');
	}
	else
		print_text(path, &st);
	td_tm_stats_free(&st);
	return cli_finish(CLI_OK);
}
