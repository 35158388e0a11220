/*
 * tandem: the command-line program. A table of subcommands; each lives in
 * cmd_NAME.c and parses its own options with getopt_long.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "tandem/tandem.h"

static const cli_command commands[] = {
	/* One line per subcommand, in the order a user meets them. */
	{ "help", cmd_help, "Show the subcommands, or the help of one" },
	{ "segment", cmd_segment, "Split a document into sentences" },
	{ "align", cmd_align, "Align two translated documents sentence by sentence" },
	{ "batch", cmd_batch, "Align many document pairs in parallel: TM, files, report, resume" },
	{ "score", cmd_score, "Score alignments against gold alignments (P/R/F1)" },
	{ "lookup", cmd_lookup, "Fuzzy matches from the TM for a sentence, stdin or a document" },
	{ "concord", cmd_concord, "Every stored unit containing a word or phrase" },
	{ "merge", cmd_merge, "Merge TMs (the shards of a cluster run) into one" },
	{ "import", cmd_import, "Add a TMX or TSV file to the translation memory" },
	{ "export", cmd_export, "Write the translation memory as TMX, TSV or Moses" },
	{ "stats", cmd_stats, "Show what the translation memory holds" },
	{ "terms", cmd_terms, "How a term has been translated; a glossary of the TM's terms" },
	{ "serve", cmd_serve, "Answer CAT tools (tmserver API) and a search page over HTTP" },
};

static const size_t ncommands = sizeof(commands) / sizeof(commands[0]);

static void print_overview(FILE *out)
{
	size_t i;

	fprintf(out,
		"usage: tandem <command> [options] [arguments]\n"
		"\n"
		"tandem aligns translated documents sentence by sentence, keeps the pairs\n"
		"in a translation memory and answers a translator's questions from it.\n"
		"\n"
		"Commands:\n");
	for (i = 0; i < ncommands; i++)
		fprintf(out, "  %-9s %s\n", commands[i].name, commands[i].summary);
	fprintf(out,
		"\n"
		"Run 'tandem <command> --help' for the options of a command.\n"
		"The TM is --tm FILE, else $TANDEM_TM, else ./tandem.db. It may be a PostgreSQL\n"
		"database instead (postgresql://USER@HOST/DB or \"host=... dbname=...\").\n");
}

static const cli_command *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < ncommands; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

int cmd_help(int argc, char **argv)
{
	const cli_command *cmd;
	char *sub[] = { NULL, "--help", NULL };

	if (argc < 2) {
		print_overview(stdout);
		return cli_finish(CLI_OK);
	}
	cmd = find_command(argv[1]);
	if (!cmd || cmd->run == cmd_help) {
		cli_error("no such command: '%s' (see 'tandem help')", argv[1]);
		return CLI_USAGE;
	}
	sub[0] = argv[1];
	return cmd->run(2, sub);
}

int main(int argc, char **argv)
{
	const cli_command *cmd;

	if (argc < 2) {
		print_overview(stderr);
		return CLI_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		print_overview(stdout);
		return cli_finish(CLI_OK);
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("tandem %s\n", td_version());
		return cli_finish(CLI_OK);
	}
	cmd = find_command(argv[1]);
	if (!cmd) {
		cli_error("no such command: '%s' (see 'tandem help')", argv[1]);
		return CLI_USAGE;
	}
	return cmd->run(argc - 1, argv + 1);
}
