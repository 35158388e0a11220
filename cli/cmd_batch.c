/*
 * tandem batch [options] DIR|LIST: align many document pairs with a pool of
 * workers, store them in a TM and/or write one output file per pair, show
 * progress, write a JSON report. Resumable: pairs whose files a TM already
 * holds (same SHA-256) are skipped.
 *
 * This thread is the one writer: the library calls check (hash the files, ask
 * the TM), deliver (store, write, record) and progress from here, so the TM,
 * the output files and the report rows need no lock.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/json.h"
#include "cli.h"
#include "commands.h"
#include "tandem/align.h"
#include "tandem/batch.h"
#include "tandem/lexicon.h"
#include "tandem/tm.h"

typedef struct {
	char src[TD_HASH_HEX], tgt[TD_HASH_HEX];
} pair_hashes;

/* One pair as the report shows it; kept to the end because some flags need
 * the whole batch. */
typedef enum { ROW_PENDING, ROW_ALIGNED, ROW_SKIPPED, ROW_FAILED } row_status;

typedef struct {
	row_status status;
	bool decode_error;
	char *error;
	size_t units;            /* units stored in the TM */
	unsigned flags;          /* td_batch_flag bits */
	char *regions;           /* the low-confidence regions as JSON (aligned pairs) */
} row;

typedef struct {
	/* options */
	const char *src_lang, *tgt_lang;
	const char *tm_path, *out_dir, *report_path, *format;
	td_align_format fmt;         /* format unless moses */
	int moses;                   /* --format moses: NAME.SRC + NAME.TGT */
	double min_score;
	/* state */
	const td_batch_pairs *pairs;
	td_tm *tm;
	row *rows;
	td_batch_stats *stats;       /* per pair; zero unless aligned */
	int tty;
	double last_draw;
	size_t aligned, skipped, failed, units, src_sentences, tgt_sentences;
	size_t types[TD_BEAD_NTYPES];
	double seconds;
	int progress_shown;
} batch_ctx;

static void usage(FILE *out)
{
	fprintf(out,
		"usage: tandem batch [options] DIR|LIST\n"
		"       tandem batch --stdin -s LANG -t LANG [options] < PAIRS > SENTENCE-PAIRS\n"
		"\n"
		"Align many document pairs: NAME.SRC + NAME.TGT in DIR (SRC and TGT from\n"
		"-s/-t; other files are ignored), or the lines \"source<TAB>target[<TAB>name]\"\n"
		"of a LIST file. Pairs that fail are reported and the batch goes on; the exit\n"
		"status is 1 when any pair failed.\n"
		"\n"
		"  -s, --source LANG   source language, the extension of source files in DIR\n"
		"  -t, --target LANG   target language (LIST: default from the first line's files)\n"
		"  -j, --jobs N        worker threads (default: the number of processors)\n"
		"      --tm FILE       store the units in the TM FILE, one transaction per pair;\n"
		"                      pairs the TM already holds (same file contents) are skipped,\n"
		"                      so a killed batch can simply be started again\n"
		"      --out DIR       write DIR/NAME.FORMAT for every pair\n"
		"  -f, --format F      tsv (default), beads, jsonl or moses (DIR/NAME.SRC + .TGT)\n"
		"      --report FILE   write a JSON report: per pair sentence and bead counts,\n"
		"                      scores and flags; a summary\n"
		"      --presegmented  one sentence per line, an empty line ends a paragraph\n"
		"      --line-paragraphs  every line is a paragraph (split into sentences)\n"
		"      --encoding ENC  input encoding of every file (default: detect)\n"
		"      --lexicon FILE  bilingual dictionary (Ding, FreeDict or TSV)\n"
		"      --no-lexicon    no dictionary: length, shared tokens and learned words\n"
		"      --min-score X   store and write only beads scoring at least X (0..1)\n"
		"      --learn         learn word translations from the whole batch in a first\n"
		"                      pass, then align again with them (default)\n"
		"      --no-learn      learn nothing, neither from the batch nor from each pair:\n"
		"                      one pass\n"
		"      --shard K/N     align only shard K of N (0 <= K < N): the pairs whose name\n"
		"                      hashes to K (SHA-256 of the name, first 8 bytes as a\n"
		"                      big-endian number, mod N), so N machines split one DIR or\n"
		"                      LIST without talking to each other; merge their TMs with\n"
		"                      tandem merge. A shard learns only from its own pairs; with\n"
		"                      --no-learn (and one --lexicon for all) the shards align\n"
		"                      exactly as one batch over all pairs\n"
		"      --stdin         a filter for corpus pipelines: read document pairs from\n"
		"                      standard input, one per line, tab-separated, texts base64\n"
		"                      (as bitextor passes them): src_url trg_url src_text trg_text;\n"
		"                      write every linked bead as src_url trg_url src_sentence\n"
		"                      trg_sentence score (tsv, or -f jsonl), flushed per\n"
		"                      document. Needs -s and -t. A malformed line is reported\n"
		"                      with its number and skipped. Learning: a stream has no\n"
		"                      first pass, so each document is aligned with the lexicon\n"
		"                      it is given (--lexicon or the installed dictionary) plus\n"
		"                      what it learns from the document itself (--no-learn: none)\n"
		"      --columns A,B,C,D  with --stdin: the first line is a header; take\n"
		"                      src_url, trg_url, src_text, trg_text from the columns it\n"
		"                      names A, B, C, D (e.g. src_url,trg_url,src_text,trg_text)\n"
		"  -h, --help          this help\n"
		"\n"
		"Progress goes to standard error when it is a terminal, else one summary line.\n");
}

/* ---- report ------------------------------------------------------------ */

static const char *status_name(row_status s)
{
	switch (s) {
	case ROW_ALIGNED: return "aligned";
	case ROW_SKIPPED: return "skipped";
	case ROW_FAILED: return "failed";
	default: return "not reached";
	}
}

static void write_row(FILE *f, const batch_ctx *c, size_t i)
{
	const td_batch_pair *p = &c->pairs->v[i];
	const row *r = &c->rows[i];
	cli_pair_entry e = { p->name, p->src, p->tgt, status_name(r->status), NULL, NULL, 0, 0,
		r->flags, r->regions };

	if (r->status == ROW_FAILED)
		e.error = r->error ? r->error : "";
	if (r->status == ROW_ALIGNED) {
		e.stats = &c->stats[i];
		e.has_units = c->tm != NULL;
		e.units = r->units;
	}
	fputs("    ", f);
	cli_pair_json(f, &e);
}

/* Set every row's flags; returns how many pairs have a flag. */
static size_t flag_rows(batch_ctx *c, td_batch_ratios *m)
{
	size_t i, flagged = 0;

	td_batch_ratios_of(m, c->stats, c->pairs->n);
	for (i = 0; i < c->pairs->n; i++) {
		c->rows[i].flags = td_batch_flags_of(&c->stats[i], c->rows[i].decode_error, m);
		flagged += c->rows[i].flags != 0;
	}
	return flagged;
}

static int write_report(batch_ctx *c, size_t flagged, const td_batch_ratios *m, int learn, unsigned jobs)
{
	char *tmp = NULL;
	FILE *f;
	size_t i;
	int rc = 0;

	if (asprintf(&tmp, "%s.tmp", c->report_path) < 0)
		return -1;
	if (!(f = fopen(tmp, "w"))) {
		cli_error("%s: %s", tmp, strerror(errno));
		free(tmp);
		return -1;
	}
	fputs("{\n  \"documents\": [\n", f);
	for (i = 0; i < c->pairs->n; i++) {
		write_row(f, c, i);
		fputs(i + 1 < c->pairs->n ? ",\n" : "\n", f);
	}
	fputs("  ],\n  \"summary\": {", f);
	fprintf(f, "\"pairs\": %zu, \"aligned\": %zu, \"skipped\": %zu, \"failed\": %zu, "
		"\"flagged\": %zu", c->pairs->n, c->aligned, c->skipped, c->failed, flagged);
	fputs(", \"unmatched\": [", f);
	for (i = 0; i < c->pairs->nunmatched; i++) {
		fputs(i ? ", " : "", f);
		td_json_cstring(f, c->pairs->unmatched[i]);
	}
	fprintf(f, "], \"sentences\": {\"source\": %zu, \"target\": %zu}",
		c->src_sentences, c->tgt_sentences);
	fputs(", \"beads\": ", f);
	{
		size_t total = 0;
		int t;

		for (t = 0; t < TD_BEAD_NTYPES; t++)
			total += c->types[t];
		cli_json_types(f, c->types, total);
	}
	fprintf(f, ", \"length_ratio\": {\"median\": %.4f, \"mad_log\": %.4f}", exp(m->median), m->mad);
	if (c->tm)
		fprintf(f, ", \"units\": %zu", c->units);
	fprintf(f, ", \"languages\": {\"source\": \"%s\", \"target\": \"%s\"}", c->src_lang, c->tgt_lang);
	fprintf(f, ", \"learn\": %s, \"jobs\": %u, \"seconds\": %.3f, \"sentences_per_second\": %.1f}\n}\n",
		learn ? "true" : "false", jobs, c->seconds,
		c->seconds > 0 ? (double)c->src_sentences / c->seconds : 0.0);
	if (ferror(f))
		rc = -1;
	if (fclose(f) != 0)
		rc = -1;
	if (rc == 0 && rename(tmp, c->report_path) != 0)
		rc = -1;
	if (rc)
		cli_error("%s: %s", c->report_path, strerror(errno));
	free(tmp);
	return rc;
}

/* ---- progress ------------------------------------------------------------ */

static double mono_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void clear_progress(batch_ctx *c)
{
	if (c->progress_shown) {
		fputs("\r\033[K", stderr);
		c->progress_shown = 0;
	}
}

static void on_progress(void *ud, const td_batch_progress *p)
{
	batch_ctx *c = ud;
	double t = mono_now();
	char eta[32] = "?";

	c->seconds = p->elapsed;
	if (!c->tty || (t - c->last_draw < 0.2 && p->done < p->total))
		return;
	c->last_draw = t;
	if (p->eta >= 0)
		snprintf(eta, sizeof(eta), "%d:%02d", (int)(p->eta / 60), (int)fmod(p->eta, 60));
	fprintf(stderr, "\r\033[K%s%zu/%zu pairs, %.0f sentences/s, ETA %s, %zu failed",
		p->npasses > 1 ? (p->pass == 1 ? "learning: " : "aligning: ") : "",
		p->done, p->total, p->rate, eta, p->failed);
	if (p->skipped)
		fprintf(stderr, ", %zu skipped", p->skipped);
	c->progress_shown = 1;
}

/* ---- the writer: check, store, write ------------------------------------- */

static int on_check(void *ud, const td_batch_pair *pair, const void *src, size_t src_len,
	const void *tgt, size_t tgt_len, int *skip, void **tag)
{
	batch_ctx *c = ud;
	pair_hashes *h;
	int stored = 0, rc;

	(void)pair;
	if (!c->tm)
		return 0;
	if (!(h = malloc(sizeof(*h))))
		return td_error_set(TD_ENOMEM, "batch: out of memory");
	td_tm_hash_bytes(h->src, src, src_len);
	td_tm_hash_bytes(h->tgt, tgt, tgt_len);
	rc = td_tm_has_document(&stored, c->tm, h->src, h->tgt);
	if (rc < 0) {
		free(h);
		return rc;
	}
	*skip = stored;
	*tag = h;
	return 0;
}

/*
 * Store one pair in one transaction (td_tm_store_ladder). A unit the TM
 * refuses (TD_EINVAL) fails the pair, which is rolled back; anything else
 * (TD_EDB: disk full, locked) stops the batch.
 */
static int store_pair(batch_ctx *c, const td_batch_result *r, size_t *units, int *pair_failed)
{
	const pair_hashes *h = r->tag;
	td_tm_doc_info info = TD_TM_DOC_INFO_INIT;
	td_tm_store_report rep;
	int rc;

	*units = 0;
	*pair_failed = 0;
	info.src_name = r->pair->src;
	info.tgt_name = r->pair->tgt;
	info.src_hash = h->src;
	info.tgt_hash = h->tgt;
	info.src_lang = c->src_lang;
	info.tgt_lang = c->tgt_lang;
	rc = td_tm_store_ladder(&rep, c->tm, &info, r->ladder, r->src, r->tgt, c->min_score);
	if (rc == 0) {
		*units = (size_t)(rep.added + rep.present);
		return 0;
	}
	*pair_failed = rc == TD_EINVAL;
	return *pair_failed ? 0 : rc;
}

/* Whether two paths name the same existing file. */
static int same_file(const char *a, const char *b)
{
	struct stat x, y;

	return stat(a, &x) == 0 && stat(b, &y) == 0 && x.st_dev == y.st_dev && x.st_ino == y.st_ino;
}

/*
 * Write DIR/NAME.EXT through a temporary file renamed into place, so that a
 * killed batch leaves no half-written output. Never overwrites an input.
 */
static FILE *open_output(char **path, char **tmp, const batch_ctx *c, const td_batch_pair *p,
	const char *ext)
{
	FILE *f;

	*path = *tmp = NULL;
	if (asprintf(path, "%s/%s.%s", c->out_dir, p->name, ext) < 0 ||
	    asprintf(tmp, "%s/.%s.%s.tmp", c->out_dir, p->name, ext) < 0) {
		td_error_set(TD_ENOMEM, "batch: out of memory");
		return NULL;
	}
	if (same_file(*path, p->src) || same_file(*path, p->tgt)) {
		td_error_set(TD_EINVAL, "%s: is an input file; choose another --out", *path);
		return NULL;
	}
	if (!(f = fopen(*tmp, "w")))
		td_error_set(TD_EIO, "%s: %s", *tmp, strerror(errno));
	return f;
}

static int close_output(FILE *f, const char *path, const char *tmp, int rc)
{
	if (!f)
		return rc;
	if (fclose(f) != 0 && rc == 0)
		rc = td_error_set(TD_EIO, "%s: %s", tmp, strerror(errno));
	if (rc == 0 && rename(tmp, path) != 0)
		rc = td_error_set(TD_EIO, "%s: %s", path, strerror(errno));
	if (rc)
		unlink(tmp);
	return rc;
}

static int write_output(const batch_ctx *c, const td_batch_result *r)
{
	char *path[2] = { NULL, NULL }, *tmp[2] = { NULL, NULL };
	FILE *f[2] = { NULL, NULL };
	int rc = 0, k;

	if (c->moses) {
		f[0] = open_output(&path[0], &tmp[0], c, r->pair, c->src_lang);
		if (f[0])
			f[1] = open_output(&path[1], &tmp[1], c, r->pair, c->tgt_lang);
		if (!f[0] || !f[1])
			rc = td_error_last_code();
		else
			rc = td_ladder_write_moses(f[0], f[1], r->ladder, r->src, r->tgt, c->min_score);
	} else {
		f[0] = open_output(&path[0], &tmp[0], c, r->pair, c->format);
		rc = f[0] ? td_ladder_write(f[0], c->fmt, r->ladder, r->src, r->tgt, c->min_score)
			: td_error_last_code();
	}
	for (k = 0; k < 2; k++) {
		rc = close_output(f[k], path[k], tmp[k], rc);
		free(path[k]);
		free(tmp[k]);
	}
	return rc;
}

static void record_failure(batch_ctx *c, size_t i, const char *msg, bool decode_error)
{
	row *r = &c->rows[i];

	r->status = ROW_FAILED;
	r->decode_error = decode_error;
	r->error = strdup(msg);
	c->failed++;
	clear_progress(c);
	cli_error("%s: %s", c->pairs->v[i].name, msg);
}

/* The pair's low-confidence regions as a JSON array (malloc'd). */
static int regions_json(char **out, const td_batch_result *res)
{
	td_region *reg = NULL;
	size_t n = 0, len = 0;
	FILE *f;
	int rc;

	*out = NULL;
	if ((rc = td_ladder_regions(&reg, &n, res->ladder)) < 0)
		return rc;
	if (!(f = open_memstream(out, &len))) {
		free(reg);
		return td_error_set(TD_ENOMEM, "out of memory for a report row");
	}
	rc = td_region_write_json(f, reg, n, res->src, res->tgt);
	if (fclose(f) != 0 && rc == 0)
		rc = td_error_set(TD_ENOMEM, "out of memory for a report row");
	free(reg);
	return rc;
}

static int on_deliver(void *ud, const td_batch_result *res)
{
	batch_ctx *c = ud;
	row *r = &c->rows[res->index];
	int rc, t, pair_failed = 0;

	if (res->status) {
		record_failure(c, res->index, res->error, res->decode_error);
		return 0;
	}
	if (res->skipped) {
		r->status = ROW_SKIPPED;
		c->skipped++;
		return 0;
	}
	if (c->out_dir && (rc = write_output(c, res)) < 0) {
		record_failure(c, res->index, td_error_last(), 0);
		return 0;
	}
	if (c->tm) {
		rc = store_pair(c, res, &r->units, &pair_failed);
		if (rc < 0)
			return rc;
		if (pair_failed) {
			record_failure(c, res->index, td_error_last(), 0);
			return 0;
		}
	}
	if (c->report_path && res->stats.regions && (rc = regions_json(&r->regions, res)) < 0)
		return rc;
	r->status = ROW_ALIGNED;
	c->stats[res->index] = res->stats;
	c->aligned++;
	c->units += r->units;
	c->src_sentences += res->stats.nsrc;
	c->tgt_sentences += res->stats.ntgt;
	for (t = 0; t < TD_BEAD_NTYPES; t++)
		c->types[t] += res->stats.types[t];
	return 0;
}

/* ---- the command ---------------------------------------------------------- */

static void print_summary(const batch_ctx *c, size_t flagged)
{
	clear_progress((batch_ctx *)c);
	fprintf(stderr, "batch: %zu pairs: %zu aligned, %zu skipped, %zu failed, %zu flagged; "
		"%zu sentences in %.2f s (%.0f sentences/s)",
		c->pairs->n, c->aligned, c->skipped, c->failed, flagged, c->src_sentences, c->seconds,
		c->seconds > 0 ? (double)c->src_sentences / c->seconds : 0.0);
	if (c->tm)
		fprintf(stderr, "; %zu units stored", c->units);
	fputc('\n', stderr);
}

/* "K/N" with 0 <= K < N: 0, else -1. */
static int parse_shard(const char *s, unsigned *k, unsigned *n)
{
	char *end;
	unsigned long a, b;

	if (*s < '0' || *s > '9')
		return -1;
	a = strtoul(s, &end, 10);
	if (*end != '/' || end[1] < '0' || end[1] > '9')
		return -1;
	b = strtoul(end + 1, &end, 10);
	if (*end || b < 1 || b > 1000000 || a >= b)
		return -1;
	*k = (unsigned)a;
	*n = (unsigned)b;
	return 0;
}

/* batch --stdin: check what does not go with a stream, load the lexicon, run the filter. */
static int run_stream(batch_ctx *c, td_batch_opts *bo, int nargs, const char *columns,
	int sharded, int format_given, const char *lexicon_path, int no_lexicon, unsigned jobs)
{
	td_align_opts ao = TD_ALIGN_OPTS_INIT;
	td_lexicon *lexicon = NULL;
	int rc;

	if (nargs != 0)
		return cli_usage_error("batch", "--stdin reads the pairs from standard input: no DIR or LIST");
	if (c->tm_path || c->out_dir || c->report_path)
		return cli_usage_error("batch", "--stdin writes sentence pairs to standard output: "
			"no --tm, --out or --report");
	if (sharded)
		return cli_usage_error("batch", "--shard splits a DIR or LIST; split a stream before it "
			"(e.g. parallel --pipe)");
	if (format_given && c->fmt != TD_ALIGN_FMT_TSV && c->fmt != TD_ALIGN_FMT_JSONL)
		return cli_usage_error("batch", "--stdin writes tsv or jsonl, not '%s'", c->format);
	if (c->moses)
		return cli_usage_error("batch", "--stdin writes tsv or jsonl, not moses");
	if (!c->src_lang || !c->tgt_lang)
		return cli_usage_error("batch", "--stdin needs -s and -t");
	if (lexicon_path && no_lexicon)
		return cli_usage_error("batch", "--lexicon and --no-lexicon exclude each other");
	if (cli_lang_pair("batch", c->src_lang, c->tgt_lang, 0) != 0)
		return CLI_USAGE;
	if (!no_lexicon && cli_lexicon_load(&lexicon, lexicon_path, c->src_lang, c->tgt_lang, 0) < 0)
		return cli_lib_error();
	ao.src_lang = c->src_lang;
	ao.tgt_lang = c->tgt_lang;
	ao.lexicon = lexicon;
	ao.learn = bo->learn;   /* from each document only: no first pass over a stream */
	bo->learn = 0;
	bo->align = &ao;
	bo->src_lang = c->src_lang;
	bo->tgt_lang = c->tgt_lang;
	bo->jobs = jobs;
	rc = cli_batch_stream(bo, columns, c->fmt, c->min_score);
	td_lexicon_free(lexicon);
	return cli_finish(rc);
}

static int is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int cmd_batch(int argc, char **argv)
{
	enum { O_TM = 256, O_OUT, O_REPORT, O_PRESEG, O_LINEPARA, O_ENCODING, O_LEXICON,
		O_NO_LEXICON, O_MIN_SCORE, O_LEARN, O_NO_LEARN, O_SHARD, O_STDIN, O_COLUMNS };
	static const struct option longopts[] = {
		{ "source", required_argument, NULL, 's' },
		{ "target", required_argument, NULL, 't' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "format", required_argument, NULL, 'f' },
		{ "tm", required_argument, NULL, O_TM },
		{ "out", required_argument, NULL, O_OUT },
		{ "report", required_argument, NULL, O_REPORT },
		{ "presegmented", no_argument, NULL, O_PRESEG },
		{ "line-paragraphs", no_argument, NULL, O_LINEPARA },
		{ "encoding", required_argument, NULL, O_ENCODING },
		{ "lexicon", required_argument, NULL, O_LEXICON },
		{ "no-lexicon", no_argument, NULL, O_NO_LEXICON },
		{ "min-score", required_argument, NULL, O_MIN_SCORE },
		{ "learn", no_argument, NULL, O_LEARN },
		{ "no-learn", no_argument, NULL, O_NO_LEARN },
		{ "shard", required_argument, NULL, O_SHARD },
		{ "stdin", no_argument, NULL, O_STDIN },
		{ "columns", required_argument, NULL, O_COLUMNS },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	batch_ctx c = { 0 };
	td_batch_opts bo = TD_BATCH_OPTS_INIT;
	td_align_opts ao = TD_ALIGN_OPTS_INIT;
	td_lexicon *lexicon = NULL;
	td_batch_pairs *pairs = NULL;
	char slang[16] = "", tlang[16] = "";
	const char *lexicon_path = NULL, *input;
	int no_lexicon = 0, rc = CLI_OK, opt, brc;
	size_t i, flagged;
	td_batch_ratios rm;
	unsigned jobs = 0;
	long njobs;
	int moses = 0, from_stdin = 0, sharded = 0, format_given = 0;
	unsigned shard_k = 0, shard_n = 1;
	const char *columns = NULL;

	c.format = "tsv";
	c.fmt = TD_ALIGN_FMT_TSV;
	optind = 1;
	while ((opt = cli_getopt("batch", argc, argv, "s:t:j:f:h", longopts)) != -1) {
		switch (opt) {
		case 's': c.src_lang = optarg; break;
		case 't': c.tgt_lang = optarg; break;
		case 'j':
			if (cli_count("batch", "-j", optarg, 1, 1024, &njobs) < 0)
				return CLI_USAGE;
			jobs = (unsigned)njobs;
			break;
		case 'f':
			if ((moses = cli_ladder_format("batch", optarg, &c.fmt)) < 0)
				return CLI_USAGE;
			c.format = optarg;
			format_given = 1;
			break;
		case O_TM: c.tm_path = optarg; break;
		case O_OUT: c.out_dir = optarg; break;
		case O_REPORT: c.report_path = optarg; break;
		case O_PRESEG: bo.seg_mode = TD_SEG_PRESEGMENTED; break;
		case O_LINEPARA: bo.seg_mode = TD_SEG_LINE_PARAGRAPHS; break;
		case O_ENCODING: bo.encoding = optarg; break;
		case O_LEXICON: lexicon_path = optarg; break;
		case O_NO_LEXICON: no_lexicon = 1; break;
		case O_MIN_SCORE:
			if (cli_number("batch", "--min-score", optarg, 0, 1, &c.min_score) < 0)
				return CLI_USAGE;
			break;
		case O_LEARN: bo.learn = 1; break;
		case O_NO_LEARN: bo.learn = 0; break;
		case O_SHARD:
			if (parse_shard(optarg, &shard_k, &shard_n) < 0)
				return cli_usage_error("batch", "--shard wants K/N with 0 <= K < N, not '%s'", optarg);
			sharded = 1;
			break;
		case O_STDIN: from_stdin = 1; break;
		case O_COLUMNS: columns = optarg; break;
		case 'h':
			usage(stdout);
			return cli_finish(CLI_OK);
		default:
			return CLI_USAGE;  /* cli_getopt said why */
		}
	}
	c.moses = moses;
	if (from_stdin)
		return run_stream(&c, &bo, argc - optind, columns, sharded, format_given,
			lexicon_path, no_lexicon, jobs);
	if (columns)
		return cli_usage_error("batch", "--columns goes with --stdin");
	if (argc - optind != 1)
		return cli_usage_error("batch", "need one DIR or LIST");
	input = argv[optind];
	c.moses = moses;
	if (lexicon_path && no_lexicon)
		return cli_usage_error("batch", "--lexicon and --no-lexicon exclude each other");
	if (!c.tm_path && !c.out_dir && !c.report_path)
		return cli_usage_error("batch", "nothing to do: give --tm FILE, --out DIR or --report FILE");
	/* Aligning two versions in one language is fine; storing them as
	 * translations is not (as align --tm and import). Checked again below
	 * when the languages come from the file names. */
	if (cli_lang_pair("batch", c.src_lang, c.tgt_lang, c.tm_path != NULL) != 0)
		return CLI_USAGE;
	if (is_dir(input)) {
		if (!c.src_lang || !c.tgt_lang)
			return cli_usage_error("batch", "a directory needs -s and -t (the files' extensions)");
		brc = td_batch_pairs_dir(&pairs, input, c.src_lang, c.tgt_lang);
	} else {
		brc = td_batch_pairs_list(&pairs, input);
	}
	if (brc < 0)
		return cli_lib_error();
	if (sharded)
		td_batch_pairs_shard(pairs, shard_k, shard_n);  /* K/N checked above */
	for (i = 0; i < pairs->nunmatched; i++)
		cli_error("%s: no partner file, ignored", pairs->unmatched[i]);
	if (!pairs->n && sharded) {
		/* A shard may be empty (few pairs, many shards): it still writes its TM and report. */
		if (!c.src_lang || !c.tgt_lang) {
			td_batch_pairs_free(pairs);
			return cli_usage_error("batch", "an empty shard of a LIST needs -s and -t");
		}
	} else if (!pairs->n) {
		cli_error("%s: no document pairs found", input);
		td_batch_pairs_free(pairs);
		return CLI_FAIL;
	}
	if (pairs->n && !c.src_lang && cli_lang_from_path(pairs->v[0].src, slang, sizeof(slang)) == 0)
		c.src_lang = slang;
	if (pairs->n && !c.tgt_lang && cli_lang_from_path(pairs->v[0].tgt, tlang, sizeof(tlang)) == 0)
		c.tgt_lang = tlang;
	if (!c.src_lang || !c.tgt_lang) {
		rc = cli_usage_error("batch", "cannot tell the languages from '%s': give -s and -t",
			pairs->v[0].src);
		td_batch_pairs_free(pairs);
		return rc;
	}
	if (cli_lang_pair("batch", c.src_lang, c.tgt_lang, c.tm_path != NULL) != 0) {
		td_batch_pairs_free(pairs);
		return CLI_USAGE;
	}
	c.pairs = pairs;
	c.tty = cli_stderr_is_tty();
	c.rows = calloc(pairs->n ? pairs->n : 1, sizeof(*c.rows));
	c.stats = calloc(pairs->n ? pairs->n : 1, sizeof(*c.stats));
	if (!c.rows || !c.stats) {
		cli_error("out of memory");
		rc = CLI_FAIL;
		goto cleanup;
	}
	if (c.out_dir && mkdir(c.out_dir, 0777) != 0 && errno != EEXIST) {
		cli_error("%s: %s", c.out_dir, strerror(errno));
		rc = CLI_FAIL;
		goto cleanup;
	}
	if (c.tm_path && td_tm_open(&c.tm, c.tm_path, 0) < 0) {
		rc = cli_lib_error();
		goto cleanup;
	}
	ao.src_lang = c.src_lang;
	ao.tgt_lang = c.tgt_lang;
	if (!no_lexicon && cli_lexicon_load(&lexicon, lexicon_path, c.src_lang, c.tgt_lang, 0) < 0) {
		rc = cli_lib_error();
		goto cleanup;
	}
	ao.lexicon = lexicon;
	ao.learn = bo.learn;
	bo.align = &ao;
	bo.src_lang = c.src_lang;
	bo.tgt_lang = c.tgt_lang;
	bo.jobs = jobs;
	bo.check = on_check;
	bo.deliver = on_deliver;
	bo.progress = on_progress;
	bo.tag_free = free;
	bo.ud = &c;
	brc = td_batch_run(pairs, &bo);
	flagged = flag_rows(&c, &rm);
	print_summary(&c, flagged);
	if (brc < 0) {
		rc = cli_lib_error();
	} else if (c.failed) {
		rc = CLI_FAIL;
	}
	if (c.report_path && write_report(&c, flagged, &rm, bo.learn,
			jobs ? jobs : (unsigned)sysconf(_SC_NPROCESSORS_ONLN)) < 0)
		rc = CLI_FAIL;
cleanup:
	if (c.rows)
		for (i = 0; i < pairs->n; i++) {
			free(c.rows[i].error);
			free(c.rows[i].regions);
		}
	free(c.rows);
	free(c.stats);
	td_tm_close(c.tm);
	td_lexicon_free(lexicon);
	td_batch_pairs_free(pairs);
	return cli_finish(rc);
}
