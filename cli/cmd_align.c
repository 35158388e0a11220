/*
 * tandem align [-s de] [-t en] SRC TGT: decode and segment both documents
 * (or read them one sentence per line), align them, write the beads.
 *
 * The steps are separate functions so that other outputs (the translation
 * memory) plug in where the ladder is written: see emit().
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uloc.h>

#include "cli.h"
#include "commands.h"
#include "tandem/align.h"
#include "tandem/lexicon.h"
#include "tandem/segment.h"
#include "tandem/text.h"
#include "tandem/tm.h"

typedef struct {
	const char *src_path, *tgt_path;
	char src_lang[16], tgt_lang[16];
	td_seg_mode mode;
	const char *encoding;    /* NULL: detect */
	const char *lexicon;     /* --lexicon FILE */
	int no_lexicon;
	int no_learn;
	double min_score;
	td_align_format format;
	int moses;
	const char *out_prefix;  /* --out for moses */
	const char *tm_path;     /* --tm: store the beads in this TM instead of writing them */
	const char *report_path; /* --report: the pair as JSON, as batch --report shows a pair */
	const char *plot_path;   /* --plot: the ladder as SVG */
} align_job;

static void usage(FILE *out)
{
	fprintf(out,
		"usage: tandem align [options] SRC TGT\n"
		"\n"
		"Align two translated documents sentence by sentence and write the beads\n"
		"(1-1, 1-0, 0-1, 1-2, 2-1, 2-2, 1-3, 3-1), each with a score in [0,1].\n"
		"\n"
		"  -s, --source LANG    language of SRC (default: its extension, e.g. .de)\n"
		"  -t, --target LANG    language of TGT (default: its extension, e.g. .en)\n"
		"      --presegmented   one sentence per line; an empty line ends a paragraph\n"
		"      --line-paragraphs  every line is a paragraph (split into sentences)\n"
		"      --encoding ENC   encoding of both files (default: detect)\n"
		"      --lexicon FILE   bilingual dictionary: Ding (trans-de-en), FreeDict\n"
		"                       .index, or TSV src<TAB>tgt (default: Debian's\n"
		"                       dictionary for the pair when installed)\n"
		"      --no-lexicon     use no dictionary\n"
		"      --no-learn       do not learn a lexicon from the pair (one pass)\n"
		"      --min-score X    leave out beads scored below X (0..1)\n"
		"  -f, --format FMT     beads ([0]:[0, 1]:0.93), tsv (default), jsonl, moses\n"
		"  -o, --out PREFIX     moses: write PREFIX.SRCLANG and PREFIX.TGTLANG\n"
		"      --tm FILE        store the 1-1 and n-m beads (score >= --min-score) in\n"
		"                       the TM FILE, one transaction for the pair, and print\n"
		"                       counts instead of the beads\n"
		"      --report FILE    write the pair as JSON, in the shape of one pair of\n"
		"                       batch --report (counts, scores, flags, regions)\n"
		"      --plot FILE.svg  draw the alignment on the sentence grid (SVG)\n"
		"\n"
		"Each low-confidence region (a stretch where most beads score below 0.5) is\n"
		"named on standard error with its 1-based input lines.\n"
		"  -h, --help           this help\n");
}

/* A language code ICU knows (ISO 639-1 or 639-2/3), lower-cased into buf. */
static int known_language(const char *code, char *buf, size_t n)
{
	const char *const *iso = uloc_getISOLanguages();
	size_t k, len = strlen(code);

	if (len < 2 || len >= n)
		return -1;
	for (k = 0; k <= len; k++)
		buf[k] = (char)((code[k] >= 'A' && code[k] <= 'Z') ? code[k] + 32 : code[k]);
	for (k = 0; iso[k]; k++)
		if (strcmp(iso[k], buf) == 0 || strcmp(uloc_getISO3Language(iso[k]), buf) == 0)
			return 0;
	return -1;
}

static int language_for(char *buf, size_t n, const char *opt, const char *path, const char *which)
{
	char ext[8];

	if (opt) {
		if (known_language(opt, buf, n) < 0)
			return cli_usage_error("align", "unknown %s language '%s'", which, opt);
		return 0;
	}
	if (cli_lang_from_path(path, ext, sizeof(ext)) == 0 && known_language(ext, buf, n) == 0)
		return 0;
	return cli_usage_error("align", "cannot tell the language of '%s' from its name: give %s",
		path, which[0] == 's' ? "-s LANG" : "-t LANG");
}

static int read_doc(td_doc **out, const char *path, const char *lang, const align_job *job)
{
	td_seg_opts so = TD_SEG_OPTS_INIT;
	char *text = NULL;
	size_t len = 0;
	int rc;

	*out = NULL;
	if ((rc = td_text_decode_file(&text, &len, path, job->encoding)) < 0)
		return rc;
	so.lang = lang;
	so.mode = job->mode;
	rc = td_seg_split(out, text, len, &so);
	free(text);
	return rc;
}

/* Write the ladder where the job says (stdout, or the Moses files). */
static int emit(const align_job *job, const td_doc *src, const td_doc *tgt, const td_ladder *ladder)
{
	FILE *fs, *ft;
	char *ps, *pt;
	size_t plen;
	int rc;

	if (!job->moses)
		return td_ladder_write(stdout, job->format, ladder, src, tgt, job->min_score) < 0
			? cli_lib_error() : CLI_OK;
	plen = strlen(job->out_prefix) + 20;
	ps = malloc(plen);
	pt = malloc(plen);
	if (!ps || !pt) {
		free(ps);
		free(pt);
		cli_error("out of memory");
		return CLI_FAIL;
	}
	snprintf(ps, plen, "%s.%s", job->out_prefix, job->src_lang);
	snprintf(pt, plen, "%s.%s", job->out_prefix, job->tgt_lang);
	fs = fopen(ps, "w");
	ft = fs ? fopen(pt, "w") : NULL;
	if (!fs || !ft) {
		cli_error("%s: cannot write", fs ? pt : ps);
		rc = CLI_FAIL;
	} else {
		rc = td_ladder_write_moses(fs, ft, ladder, src, tgt, job->min_score) < 0 ? cli_lib_error() : CLI_OK;
	}
	if (fs && fclose(fs) != 0 && rc == CLI_OK) {
		cli_error("%s: write error", ps);
		rc = CLI_FAIL;
	}
	if (ft && fclose(ft) != 0 && rc == CLI_OK) {
		cli_error("%s: write error", pt);
		rc = CLI_FAIL;
	}
	free(ps);
	free(pt);
	return rc;
}

/* --tm: store the ladder as one document of the TM and print what happened. */
static int store(const align_job *job, const td_doc *src, const td_doc *tgt, const td_ladder *ladder)
{
	td_tm_doc_info info = TD_TM_DOC_INFO_INIT;
	td_tm_store_report rep;
	char sh[TD_HASH_HEX], th[TD_HASH_HEX];
	td_tm *tm = NULL;
	int rc;

	if (td_tm_hash_file(sh, job->src_path) < 0 || td_tm_hash_file(th, job->tgt_path) < 0 ||
	    td_tm_open(&tm, job->tm_path, 0) < 0)
		return cli_lib_error();
	info.src_name = job->src_path;
	info.tgt_name = job->tgt_path;
	info.src_hash = sh;
	info.tgt_hash = th;
	info.src_lang = job->src_lang;
	info.tgt_lang = job->tgt_lang;
	rc = td_tm_store_ladder(&rep, tm, &info, ladder, src, tgt, job->min_score);
	td_tm_close(tm);
	if (rc < 0)
		return cli_lib_error();
	printf("%s + %s: %lld beads; units added %lld, already present %lld; left out: %lld below --min-score, "
		"%lld 1-0/0-1\n", job->src_path, job->tgt_path, (long long)rep.beads, (long long)rep.added,
		(long long)rep.present, (long long)rep.below_score, (long long)rep.one_sided);
	return CLI_OK;
}

/* Write path through a temporary file renamed into place: never half-written. */
static int write_atomic(const char *path, int (*fill)(FILE *, const void *), const void *arg)
{
	char *tmp = NULL;
	FILE *f;
	int rc;

	if (asprintf(&tmp, "%s.tmp", path) < 0) {
		cli_error("out of memory");
		return CLI_FAIL;
	}
	if (!(f = fopen(tmp, "w"))) {
		cli_error("%s: cannot write: %s", path, strerror(errno));
		free(tmp);
		return CLI_FAIL;
	}
	rc = fill(f, arg);
	if (fclose(f) != 0 && rc == 0)
		rc = td_error_set(TD_EIO, "%s: write error", path);
	if (rc == 0 && rename(tmp, path) != 0)
		rc = td_error_set(TD_EIO, "%s: %s", path, strerror(errno));
	if (rc < 0)
		remove(tmp);
	free(tmp);
	return rc < 0 ? cli_lib_error() : CLI_OK;
}

typedef struct {
	const align_job *job;
	const td_doc *src, *tgt;
	const td_ladder *ladder;
	const td_region *reg;
	size_t nreg;
} pair_out;

static int fill_report(FILE *f, const void *arg)
{
	const pair_out *o = arg;
	td_batch_stats st;
	td_batch_ratios none;
	cli_pair_entry e = { NULL, o->job->src_path, o->job->tgt_path, "aligned", NULL, NULL, 0, 0, 0, NULL };
	char name[256], *dot, *regions = NULL;
	const char *base = strrchr(o->job->src_path, '/');
	size_t len = 0;
	FILE *m;
	int rc;

	snprintf(name, sizeof(name), "%s", base ? base + 1 : o->job->src_path);
	if ((dot = strrchr(name, '.')) && dot != name)
		*dot = '\0';
	if (!(m = open_memstream(&regions, &len)))
		return td_error_set(TD_ENOMEM, "out of memory for the report");
	rc = td_region_write_json(m, o->reg, o->nreg, o->src, o->tgt);
	fclose(m);
	if (rc == 0) {
		memset(&none, 0, sizeof(none));
		td_batch_stats_of(&st, o->src, o->tgt, o->ladder);
		e.name = name;
		e.stats = &st;
		e.flags = td_batch_flags_of(&st, 0, &none);
		e.regions = regions;
		cli_pair_json(f, &e);
		fputc('\n', f);
	}
	free(regions);
	return rc;
}

static int fill_plot(FILE *f, const void *arg)
{
	return td_ladder_write_svg(f, ((const pair_out *)arg)->ladder);
}

/* The regions on stderr, and the report and the picture if asked for. */
static int tell(const align_job *job, const td_doc *src, const td_doc *tgt, const td_ladder *ladder)
{
	pair_out o = { job, src, tgt, ladder, NULL, 0 };
	td_region *reg = NULL;
	size_t k;
	int rc = CLI_OK;

	if (td_ladder_regions(&reg, &o.nreg, ladder) < 0)
		return cli_lib_error();
	o.reg = reg;
	for (k = 0; k < o.nreg; k++) {
		char line[160];

		if (td_region_describe(line, sizeof(line), &reg[k], src, tgt) == 0)
			cli_error("%s", line);
	}
	if (job->report_path)
		rc = write_atomic(job->report_path, fill_report, &o);
	if (rc == CLI_OK && job->plot_path)
		rc = write_atomic(job->plot_path, fill_plot, &o);
	free(reg);
	return rc;
}

static int run(const align_job *job)
{
	td_align_opts ao = TD_ALIGN_OPTS_INIT;
	td_lexicon *lex = NULL;
	td_doc *src = NULL, *tgt = NULL;
	td_ladder *ladder = NULL;
	int rc = CLI_FAIL;

	if (read_doc(&src, job->src_path, job->src_lang, job) < 0 ||
	    read_doc(&tgt, job->tgt_path, job->tgt_lang, job) < 0) {
		rc = cli_lib_error();
		goto cleanup;
	}
	if (!job->no_lexicon) {
		if (cli_lexicon_load(&lex, job->lexicon, job->src_lang, job->tgt_lang, 0) < 0) {
			rc = cli_lib_error();
			goto cleanup;
		}
	}
	ao.src_lang = job->src_lang;
	ao.tgt_lang = job->tgt_lang;
	ao.lexicon = lex;
	ao.learn = !job->no_learn;
	if (td_align_run(&ladder, src, tgt, &ao) < 0) {
		rc = cli_lib_error();
		goto cleanup;
	}
	if ((rc = tell(job, src, tgt, ladder)) != CLI_OK)
		goto cleanup;
	rc = job->tm_path ? store(job, src, tgt, ladder) : emit(job, src, tgt, ladder);
cleanup:
	td_ladder_free(ladder);
	td_doc_free(src);
	td_doc_free(tgt);
	td_lexicon_free(lex);
	return rc;
}

int cmd_align(int argc, char **argv)
{
	enum { O_PRESEG = 256, O_LINEPARA, O_ENC, O_LEX, O_NOLEX, O_NOLEARN, O_MIN, O_TM, O_REPORT, O_PLOT };
	static const struct option longopts[] = {
		{ "source", required_argument, NULL, 's' },
		{ "target", required_argument, NULL, 't' },
		{ "presegmented", no_argument, NULL, O_PRESEG },
		{ "line-paragraphs", no_argument, NULL, O_LINEPARA },
		{ "encoding", required_argument, NULL, O_ENC },
		{ "lexicon", required_argument, NULL, O_LEX },
		{ "no-lexicon", no_argument, NULL, O_NOLEX },
		{ "no-learn", no_argument, NULL, O_NOLEARN },
		{ "min-score", required_argument, NULL, O_MIN },
		{ "tm", required_argument, NULL, O_TM },
		{ "report", required_argument, NULL, O_REPORT },
		{ "plot", required_argument, NULL, O_PLOT },
		{ "format", required_argument, NULL, 'f' },
		{ "out", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	align_job job;
	const char *slang = NULL, *tlang = NULL;
	int c, rc;

	memset(&job, 0, sizeof(job));
	job.mode = TD_SEG_TEXT;
	job.format = TD_ALIGN_FMT_TSV;
	optind = 1;
	while ((c = cli_getopt("align", argc, argv, "s:t:f:o:h", longopts)) != -1) {
		switch (c) {
		case 's': slang = optarg; break;
		case 't': tlang = optarg; break;
		case O_PRESEG: job.mode = TD_SEG_PRESEGMENTED; break;
		case O_LINEPARA: job.mode = TD_SEG_LINE_PARAGRAPHS; break;
		case O_ENC: job.encoding = optarg; break;
		case O_LEX: job.lexicon = optarg; break;
		case O_NOLEX: job.no_lexicon = 1; break;
		case O_NOLEARN: job.no_learn = 1; break;
		case O_TM: job.tm_path = optarg; break;
		case O_REPORT: job.report_path = optarg; break;
		case O_PLOT: job.plot_path = optarg; break;
		case O_MIN:
			if (cli_number("align", "--min-score", optarg, 0, 1, &job.min_score) < 0)
				return CLI_USAGE;
			break;
		case 'f':
			if ((job.moses = cli_ladder_format("align", optarg, &job.format)) < 0)
				return CLI_USAGE;
			break;
		case 'o': job.out_prefix = optarg; break;
		case 'h':
			usage(stdout);
			return cli_finish(CLI_OK);
		default:
			return CLI_USAGE;  /* cli_getopt said why */
		}
	}
	if (argc - optind != 2)
		return cli_usage_error("align", "need two files: SRC TGT");
	if (job.lexicon && job.no_lexicon)
		return cli_usage_error("align", "--lexicon and --no-lexicon exclude each other");
	if (job.moses && !job.out_prefix)
		return cli_usage_error("align", "--format moses needs --out PREFIX");
	if (job.tm_path && job.moses)
		return cli_usage_error("align", "--tm stores the beads; it does not go with --format moses");
	if (!job.moses && job.out_prefix)
		return cli_usage_error("align", "--out is for --format moses");
	job.src_path = argv[optind];
	job.tgt_path = argv[optind + 1];
	if ((rc = language_for(job.src_lang, sizeof(job.src_lang), slang, job.src_path, "source")) != 0)
		return rc;
	if ((rc = language_for(job.tgt_lang, sizeof(job.tgt_lang), tlang, job.tgt_path, "target")) != 0)
		return rc;
	/* As import: a TM unit pairs two languages (aligning two versions in one
	 * language is fine, storing them as translations is not). */
	if (cli_lang_pair("align", job.src_lang, job.tgt_lang, job.tm_path != NULL) != 0)
		return CLI_USAGE;
	return cli_finish(run(&job));
}
