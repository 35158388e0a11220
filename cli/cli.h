/*
 * The tandem program: shared helpers for the subcommands in cmd_*.c.
 * Only the CLI prints. Errors go to stderr as "tandem: <what>: <why>";
 * results go to stdout.
 */
#ifndef TANDEM_CLI_H
#define TANDEM_CLI_H

#include <getopt.h>
#include <stdio.h>

#include "tandem/align.h"
#include "tandem/batch.h"
#include "tandem/lexicon.h"

enum {
	CLI_OK = 0,      /* success */
	CLI_FAIL = 1,    /* bad data, I/O or database failure */
	CLI_USAGE = 2    /* wrong options or arguments */
};

typedef struct {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} cli_command;

/* Print "tandem: MESSAGE" to stderr (printf-style). */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Print "tandem: " + td_error_last() to stderr and return CLI_FAIL. */
int cli_lib_error(void);

/* Print "tandem CMD: MESSAGE" and "Try 'tandem CMD --help'." to stderr; return CLI_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * getopt_long(argc, argv, shortopts, longopts, NULL) for subcommand cmd, with
 * the errors worded for a user: an unknown or ambiguous option, an option
 * without its required value ("option '--max' needs a value") or a value
 * given to an option that takes none is reported with cli_usage_error() and
 * returned as '?', on which the caller returns CLI_USAGE. shortopts is
 * getopt's string without a leading ':'; getopt itself prints nothing.
 */
int cli_getopt(const char *cmd, int argc, char **argv, const char *shortopts, const struct option *longopts);

/*
 * The index of arg among choices (NULL-terminated) for an option's value,
 * or -1 after a usage error "unknown WHAT 'arg' (a, b or c)".
 */
int cli_choice(const char *cmd, const char *what, const char *arg, const char *const *choices);

/*
 * An output file written as NAME.tmp-PID and renamed into place by
 * cli_out_close when ok (else removed), so that no reader ever sees half of
 * it. Both report their failures (cli_error) and return -1.
 */
typedef struct {
	char final[4096], tmp[4128];
	FILE *f;
} cli_outfile;
int cli_out_open(cli_outfile *o, const char *name);
int cli_out_close(cli_outfile *o, int ok);

/*
 * batch --stdin (cli/batch_stream.c): run the stream filter on stdin with
 * the batch options bo (languages, aligner options, jobs, seg_mode; learn 0)
 * and --columns (NULL: positional); fmt tsv or jsonl. Returns the exit code.
 */
int cli_batch_stream(td_batch_opts *bo, const char *columns, td_align_format fmt, double min_score);

/* Flush and close stdout; report a failed write (disk full, closed pipe). Returns rc or CLI_FAIL. */
int cli_finish(int rc);

/* The TM path: --tm value if given, else $TANDEM_TM, else "tandem.db". */
const char *cli_tm_path(const char *opt);

/* Language from a file name's last extension ("a/b.de" -> "de"), copied to buf; 0 or -1. */
int cli_lang_from_path(const char *path, char *buf, size_t n);

/*
 * The -s/-t languages of a command: each given tag (NULL: not given) must be
 * a language code (td_lang_normalize), and when distinct is set, the two must
 * differ (a TM unit pairs two languages; aligning two versions of a text in
 * one language is fine without a TM). 0, or CLI_USAGE after a usage error
 * naming the tag.
 */
int cli_lang_pair(const char *cmd, const char *src, const char *tgt, int distinct);

/*
 * The value of --color WHEN: 1 always, 0 never, -1 auto; -2 after a usage
 * error. cli_color_stdout resolves it: auto colours when stdout is a terminal,
 * TERM is set and not "dumb", and NO_COLOR is unset or empty.
 */
int cli_color_option(const char *cmd, const char *arg);
int cli_color_stdout(int opt);

/* Whether stderr is a terminal (progress display). */
int cli_stderr_is_tty(void);

/*
 * The value ARG of option OPT ("--min-score") as a number in [lo, hi]
 * (cli_number) or a whole number in [lo, hi] (cli_count; hi LONG_MAX: no
 * upper end): 0 and *out, or -1 after a usage error "OPT needs a number from
 * LO to HI, not 'ARG'", on which the caller returns CLI_USAGE.
 */
int cli_number(const char *cmd, const char *opt, const char *arg, double lo, double hi, double *out);
int cli_count(const char *cmd, const char *opt, const char *arg, long lo, long hi, long *out);

/*
 * The value of --format for writing a ladder (align, batch): 0 with *fmt for
 * beads, tsv or jsonl; 1 for moses (two plain-text files, no
 * td_align_format); -1 after a usage error naming the choices.
 */
int cli_ladder_format(const char *cmd, const char *arg, td_align_format *fmt);

/*
 * The dictionary for src-tgt: the file path (--lexicon), or with path NULL
 * the one installed for the pair. When none is installed, *out is NULL, a
 * note says so on stderr unless quiet, and the command goes on without one.
 * 0, or the library's code (td_error_last() says why).
 */
int cli_lexicon_load(td_lexicon **out, const char *path, const char *src, const char *tgt, int quiet);

/* One pair of a report (pair_report.c): batch --report's entry, align --report's file. */
typedef struct {
	const char *name, *src, *tgt;
	const char *status;          /* "aligned", "skipped", "failed", "not reached" */
	const char *error;           /* NULL, or the failure */
	const td_batch_stats *stats; /* NULL unless aligned */
	int has_units;               /* stored in a TM: units counts */
	size_t units;
	unsigned flags;              /* td_batch_flag bits */
	const char *regions;         /* the regions as JSON (td_region_write_json); NULL: none */
} cli_pair_entry;

/* The entry as one JSON object (no newline). */
void cli_pair_json(FILE *f, const cli_pair_entry *e);
/* {"total": n, "1-1": n, ...} of bead counts by type. */
void cli_json_types(FILE *f, const size_t *types, size_t total);

#endif
