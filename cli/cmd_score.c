/*
 * tandem score GOLD HYP [GOLD HYP ...] [--json]: strict and lax precision,
 * recall and F1 of hypothesis alignments against gold alignments, counts
 * summed over all pairs (the definition of vecalign's score.py).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "tandem/align.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: tandem score [--json] GOLD HYP [GOLD HYP ...]\n"
		"\n"
		"Score sentence alignments against gold alignments. Files hold one bead per\n"
		"line, \"[src ids]:[tgt ids]\" with 0-based ids and an optional \":score\"\n"
		"(the output of 'tandem align --format beads'). Counts are summed over all\n"
		"pairs, then strict and lax precision, recall and F1 are printed.\n"
		"\n"
		"  --json      one JSON object on stdout instead of the table\n"
		"  -h, --help  this help\n");
}

int cmd_score(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	td_alscore acc = TD_ALSCORE_INIT;
	td_alscore_result res;
	int json = 0, c, i;

	optind = 1;
	while ((c = cli_getopt("score", argc, argv, "h", longopts)) != -1) {
		switch (c) {
		case 'j':
			json = 1;
			break;
		case 'h':
			usage(stdout);
			return cli_finish(CLI_OK);
		default:
			return CLI_USAGE;  /* cli_getopt said why */
		}
	}
	if (argc - optind < 2 || (argc - optind) % 2 != 0)
		return cli_usage_error("score", "need pairs of files: GOLD HYP [GOLD HYP ...]");

	for (i = optind; i + 1 < argc; i += 2) {
		td_alignment *gold = NULL, *hyp = NULL;
		int rc = td_alignment_read(&gold, argv[i]);

		if (rc == 0)
			rc = td_alignment_read(&hyp, argv[i + 1]);
		if (rc == 0)
			rc = td_alscore_add(&acc, gold, hyp);
		td_alignment_free(gold);
		td_alignment_free(hyp);
		if (rc < 0)
			return cli_lib_error();
	}
	td_alscore_compute(&res, &acc);
	if (json) {
		printf("{\"precision_strict\": %.17g, \"recall_strict\": %.17g, \"f1_strict\": %.17g, "
			"\"precision_lax\": %.17g, \"recall_lax\": %.17g, \"f1_lax\": %.17g, "
			"\"counts_precision\": [%lu, %lu, %lu, %lu], \"counts_recall\": [%lu, %lu, %lu, %lu], "
			"\"pairs\": %d}\n",
			res.p_strict, res.r_strict, res.f_strict, res.p_lax, res.r_lax, res.f_lax,
			acc.prec[0], acc.prec[1], acc.prec[2], acc.prec[3],
			acc.rec[0], acc.rec[1], acc.rec[2], acc.rec[3], (argc - optind) / 2);
	} else {
		printf("             strict    lax\n");
		printf("precision    %6.3f  %6.3f\n", res.p_strict, res.p_lax);
		printf("recall       %6.3f  %6.3f\n", res.r_strict, res.r_lax);
		printf("F1           %6.3f  %6.3f\n", res.f_strict, res.f_lax);
	}
	return cli_finish(CLI_OK);
}
