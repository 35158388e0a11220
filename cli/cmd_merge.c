/*
 * tandem merge OUT IN...: fold TMs (the shards of a cluster run) into one
 * (td_tm_merge, one transaction per input), a line per input on stderr and
 * an optional JSON report.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "cli.h"
#include "commands.h"
#include "tandem/tm.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: tandem merge [options] OUT IN...\n"
		"\n"
		"Merge the TMs IN... into the TM OUT (created when missing): every document,\n"
		"unit and provenance record OUT does not hold yet is added, with its names,\n"
		"scores and times. Units are kept once (same languages and texts), documents\n"
		"once (same file hashes). Each input is merged in one transaction, so a merge\n"
		"that was killed can simply be run again: inputs merged before add nothing.\n"
		"\n"
		"      --report FILE   write a JSON report: per input its documents, units and\n"
		"                      provenance records and how many were new; OUT's totals\n"
		"  -q, --quiet         no line per input on standard error\n"
		"  -h, --help          this help\n");
}

typedef struct {
	const char *path;
	char *shown;      /* path with a PostgreSQL password masked */
	td_tm_merge_report rep;
} merged;

static void json_counts(FILE *f, const td_tm_merge_report *r)
{
	fprintf(f, "\"documents\": %lld, \"documents_added\": %lld, \"units\": %lld, "
		"\"units_added\": %lld, \"provenance\": %lld, \"provenance_added\": %lld",
		(long long)r->documents, (long long)r->documents_added, (long long)r->units,
		(long long)r->units_added, (long long)r->provenance, (long long)r->provenance_added);
}

/* The report, written under a temporary name and renamed into place. */
static int write_report(const char *path, const char *out_path, const merged *m, size_t n,
	const td_tm_stats *st)
{
	cli_outfile o;
	FILE *f;
	size_t i;

	if (cli_out_open(&o, path) < 0)
		return -1;
	f = o.f;
	fputs("{\"tm\": ", f);
	td_json_cstring(f, out_path);
	fputs(", \"inputs\": [", f);
	for (i = 0; i < n; i++) {
		fputs(i ? ",\n  {\"tm\": " : "\n  {\"tm\": ", f);
		td_json_cstring(f, m[i].shown);
		fputs(", ", f);
		json_counts(f, &m[i].rep);
		fputc('}', f);
	}
	fprintf(f, "],\n \"merged\": {\"documents\": %lld, \"units\": %lld, \"provenance\": %lld}}\n",
		(long long)st->documents, (long long)st->units, (long long)st->provenance);
	return cli_out_close(&o, 1);
}

int cmd_merge(int argc, char **argv)
{
	enum { O_REPORT = 256 };
	static const struct option longopts[] = {
		{ "report", required_argument, NULL, O_REPORT },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *report = NULL, *out_path;
	char *out_shown = NULL;
	merged *m = NULL;
	td_tm *tm = NULL;
	td_tm_stats st;
	int opt, quiet = 0, rc = CLI_OK, i, n;

	optind = 1;
	while ((opt = cli_getopt("merge", argc, argv, "qh", longopts)) != -1) {
		switch (opt) {
		case O_REPORT: report = optarg; break;
		case 'q': quiet = 1; break;
		case 'h': usage(stdout); return cli_finish(CLI_OK);
		default: return CLI_USAGE;  /* cli_getopt said why */
		}
	}
	if (argc - optind < 2)
		return cli_usage_error("merge", "need the output TM and at least one input TM");
	out_path = argv[optind];
	n = argc - optind - 1;
	if (!(m = calloc((size_t)n, sizeof(*m)))) {
		cli_error("out of memory");
		return CLI_FAIL;
	}
	for (i = 0; i < n; i++) {
		m[i].path = argv[optind + 1 + i];
		if (!(m[i].shown = td_tm_display_name(m[i].path)))
			break;
	}
	if (i < n || !(out_shown = td_tm_display_name(out_path))) {
		cli_error("out of memory");
		rc = CLI_FAIL;
		goto done;
	}
	if (td_tm_open(&tm, out_path, 0) < 0) {
		rc = cli_lib_error();
		goto done;
	}
	for (i = 0; i < n; i++) {
		if (td_tm_merge(&m[i].rep, tm, m[i].path) < 0) {
			rc = cli_lib_error();
			break;
		}
		if (!quiet)
			fprintf(stderr, "merge: %s: %lld documents (%lld new), %lld units (%lld new), "
				"%lld provenance records (%lld new)\n", m[i].shown,
				(long long)m[i].rep.documents, (long long)m[i].rep.documents_added,
				(long long)m[i].rep.units, (long long)m[i].rep.units_added,
				(long long)m[i].rep.provenance, (long long)m[i].rep.provenance_added);
	}
	if (rc == CLI_OK) {
		if (td_tm_stats_get(&st, tm) < 0) {
			rc = cli_lib_error();
		} else {
			if (!quiet)
				fprintf(stderr, "merge: %s: %lld documents, %lld units, %lld provenance records\n",
					out_shown, (long long)st.documents, (long long)st.units,
					(long long)st.provenance);
			if (report && write_report(report, out_shown, m, (size_t)n, &st) < 0)
				rc = CLI_FAIL;
			td_tm_stats_free(&st);
		}
	}
	td_tm_close(tm);
done:
	for (i = 0; i < n; i++)
		free(m[i].shown);
	free(m);
	free(out_shown);
	return cli_finish(rc);
}
