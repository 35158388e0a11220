/*
 * tandem lookup: fuzzy matches from the TM for a sentence, for every line of
 * standard input, or for every sentence of a document (pre-translation).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "base/buf.h"
#include "commands.h"
#include "render.h"
#include "tandem/lookup.h"
#include "tandem/segment.h"
#include "tandem/text.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: tandem lookup [-s LANG -t LANG] [--min PCT] [--max N] [--json]\n"
		"                     [--exhaustive] [--tm FILE] TEXT... | - | --file DOC\n"
		"\n"
		"Show the stored translations whose source is closest to TEXT, best first,\n"
		"with the match percentage and what differs: [-x] is in the stored source\n"
		"but not in TEXT, [+y] is in TEXT but not in the stored source (colours\n"
		"instead of brackets on a terminal).\n"
		"\n"
		"  TEXT...              the sentence (several arguments are joined by spaces)\n"
		"  -                    read one query per line from standard input; one\n"
		"                       answer per line, in order\n"
		"  -f, --file DOC       split DOC into sentences (in the source language) and\n"
		"                       look up each: pre-translation\n"
		"  -s, --src LANG       language of the query; -t, --tgt LANG: of the\n"
		"                       translations; default: the pair of the newest unit\n"
		"  -m, --min PCT        lowest match percentage shown (default 70)\n"
		"  -n, --max N          most matches per query (default 5)\n"
		"  -j, --json           one JSON object per query: {\"query\", \"matches\": [{\"score\",\n"
		"                       \"source\", \"target\", \"diff\", \"origin\"}]}\n"
		"      --exhaustive     score every unit of the pair instead of using the index\n"
		"                       (slow; measures what the index misses)\n"
		"      --candidates N   units pre-scored from fingerprints per query (default 2000)\n"
		"      --color WHEN     auto (default), always or never\n"
		"      --tm FILE        the TM (default $TANDEM_TM, else ./tandem.db)\n"
		"  -h, --help           this help\n"
		"\n"
		"The percentage is a weighted token edit distance (words 1, numbers 0.5,\n"
		"punctuation 0.25): 100 * (L - D) / L, as CAT tools compute it; see\n"
		"include/tandem/match.h.\n");
}

typedef struct {
	int json, color;
	const td_lookup_opts *opts;
} out_style;

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

/*
 * The stored source with the changes that turn it into the query marked. A
 * pure insertion borrows the query's spacing around it.
 */
static void print_marked(const char *query, const td_lookup_match *m, int color)
{
	const char *del_on = color ? "\033[31;9m" : "[-", *del_off = color ? "\033[0m" : "]";
	const char *ins_on = color ? "\033[32;1m" : "[+", *ins_off = color ? "\033[0m" : "]";
	size_t pos = 0, j, slen = strlen(m->source);

	for (j = 0; j < m->ndiff; j++) {
		const td_diff_span *d = &m->diff[j];
		int after_delete = j > 0 && m->diff[j - 1].op == TD_DIFF_DELETE && m->diff[j - 1].end == d->at;
		if (d->at > pos) {
			fwrite(m->source + pos, 1, d->at - pos, stdout);
			pos = d->at;
		}
		if (d->op == TD_DIFF_DELETE) {
			fputs(del_on, stdout);
			fwrite(m->source + d->start, 1, d->end - d->start, stdout);
			fputs(del_off, stdout);
			pos = d->end;
			continue;
		}
		if (!after_delete && d->start > 0 && is_space(query[d->start - 1]) && d->at > 0 &&
		    !is_space(m->source[d->at - 1]))
			putchar(' ');
		fputs(ins_on, stdout);
		fwrite(query + d->start, 1, d->end - d->start, stdout);
		fputs(ins_off, stdout);
		if (!after_delete && is_space(query[d->end]) && d->at < slen && !is_space(m->source[d->at]))
			putchar(' ');
	}
	fputs(m->source + pos, stdout);
}

static void print_plain(const char *query, const td_lookup_result *r, const out_style *st, int show_query)
{
	size_t i;

	if (show_query)
		printf("query: %s\n", query);
	if (r->n == 0)
		printf("  no match of %.0f%% or more\n", st->opts->min);
	for (i = 0; i < r->n; i++) {
		const td_lookup_match *m = &r->v[i];
		printf("%5.1f%%  ", m->score);
		print_marked(query, m, st->color);
		printf("\n        %s\n", m->target);
		if (m->origin.kind) {
			printf("        from %s%s%s, %s %lld", m->origin.src_name ? m->origin.src_name : "?",
				m->origin.tgt_name ? " | " : "", m->origin.tgt_name ? m->origin.tgt_name : "",
				strcmp(m->origin.kind, "align") == 0 ? "bead" : "unit", (long long)m->origin.position);
			if (m->origin.seen > 1)
				printf(", seen %lld times", (long long)m->origin.seen);
			putchar('\n');
		}
	}
	if (show_query)
		putchar('\n');
}

static int answer(td_lookup *lk, const char *query, const out_style *st, int show_query,
	const td_sentence *sent)
{
	td_lookup_result r;
	int rc = td_lookup_query(&r, lk, query, strlen(query), st->opts);

	if (rc < 0)
		return rc;
	if (st->json)
		{
		render_lookup(stdout, query, &r, sent);
		putchar('\n');
	}
	else
		print_plain(query, &r, st, show_query);
	td_lookup_result_free(&r);
	return 0;
}

/* Strip a trailing CR/LF. */
static void chomp(char *s, ssize_t *n)
{
	while (*n > 0 && (s[*n - 1] == '\n' || s[*n - 1] == '\r'))
		s[--*n] = '\0';
}

static int from_stdin(td_lookup *lk, const out_style *st)
{
	char *line = NULL, **all = NULL;
	size_t cap = 0, n = 0, acap = 0, i;
	ssize_t len;
	int rc = 0;

	if (!st->opts->exhaustive) {
		size_t lineno = 0;
		while (rc == 0 && (len = getline(&line, &cap, stdin)) >= 0) {
			chomp(line, &len);
			lineno++;
			rc = answer(lk, line, st, 1, NULL);
			if (rc == 0 && fflush(stdout) != 0)
				break;
		}
		if (rc < 0) {
			char why[512];
			snprintf(why, sizeof(why), "%s", td_error_last());
			rc = td_error_set(rc, "stdin: line %zu: %s", lineno, why);
		}
		free(line);
		return rc;
	}
	/* Exhaustive: all queries first, then one pass over the TM. */
	while ((len = getline(&line, &cap, stdin)) >= 0) {
		chomp(line, &len);
		if (td_grow((void **)&all, &acap, n + 1, sizeof(*all)) < 0) {
			rc = td_error_set(TD_ENOMEM, "lookup: out of memory");
			goto cleanup;
		}
		all[n] = line;
		line = NULL;
		cap = 0;
		n++;
	}
	{
		td_lookup_result *res = calloc(n ? n : 1, sizeof(*res));
		if (!res) {
			rc = td_error_set(TD_ENOMEM, "lookup: out of memory");
			goto cleanup;
		}
		rc = td_lookup_query_many(res, lk, (const char *const *)all, n, st->opts);
		for (i = 0; rc == 0 && i < n; i++) {
			if (st->json)
				{
				render_lookup(stdout, all[i], &res[i], NULL);
				putchar('\n');
			}
			else
				print_plain(all[i], &res[i], st, 1);
		}
		td_lookup_results_free(res, n);
		free(res);
	}
cleanup:
	for (i = 0; i < n; i++)
		free(all[i]);
	free(all);
	free(line);
	return rc;
}

static int from_file(td_lookup *lk, const char *path, const out_style *st)
{
	td_seg_opts so = TD_SEG_OPTS_INIT;
	td_doc *doc = NULL;
	char *text = NULL;
	size_t len = 0, i;
	int rc;

	so.lang = st->opts->src_lang;
	rc = td_text_decode_file(&text, &len, path, NULL);
	if (rc == 0)
		rc = td_seg_split(&doc, text, len, &so);
	for (i = 0; rc == 0 && i < doc->n; i++) {
		if (!st->json)
			printf("[%zu] ", i + 1);
		rc = answer(lk, doc->v[i].text, st, 1, &doc->v[i]);
	}
	td_doc_free(doc);
	free(text);
	return rc;
}

static int parse_num(double *out, const char *s, double lo, double hi)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || *end || !(v >= lo && v <= hi))
		return -1;
	*out = v;
	return 0;
}

int cmd_lookup(int argc, char **argv)
{
	enum { OPT_EXH = 256, OPT_TM, OPT_COLOR, OPT_CAND };
	static const struct option longopts[] = {
		{ "src", required_argument, NULL, 's' },
		{ "tgt", required_argument, NULL, 't' },
		{ "min", required_argument, NULL, 'm' },
		{ "max", required_argument, NULL, 'n' },
		{ "json", no_argument, NULL, 'j' },
		{ "file", required_argument, NULL, 'f' },
		{ "exhaustive", no_argument, NULL, OPT_EXH },
		{ "candidates", required_argument, NULL, OPT_CAND },
		{ "color", required_argument, NULL, OPT_COLOR },
		{ "tm", required_argument, NULL, OPT_TM },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	td_lookup_opts opts = TD_LOOKUP_OPTS_INIT;
	out_style st = { 0, -1, &opts };
	const char *tm = NULL, *file = NULL;
	char src[64] = "", tgt[64] = "", *query = NULL, *pairs = NULL;
	td_lookup *lk = NULL;
	double v;
	int c, rc, has = 0, i;
	size_t qlen = 0;

	optind = 1;
	while ((c = cli_getopt("lookup", argc, argv, "s:t:m:n:jf:h", longopts)) != -1) {
		switch (c) {
		case 's': snprintf(src, sizeof(src), "%s", optarg); break;
		case 't': snprintf(tgt, sizeof(tgt), "%s", optarg); break;
		case 'm':
			if (parse_num(&opts.min, optarg, 0, 100) < 0)
				return cli_usage_error("lookup", "--min wants a percentage 0..100, not '%s'", optarg);
			break;
		case 'n':
			if (parse_num(&v, optarg, 1, 1000) < 0 || v != (double)(size_t)v)
				return cli_usage_error("lookup", "--max wants a whole number 1..1000, not '%s'", optarg);
			opts.max = (size_t)v;
			break;
		case OPT_CAND:
			if (parse_num(&v, optarg, 1, 100000) < 0 || v != (double)(size_t)v)
				return cli_usage_error("lookup", "--candidates wants a whole number 1..100000, not '%s'", optarg);
			opts.candidates = (size_t)v;
			break;
		case 'j': st.json = 1; break;
		case 'f': file = optarg; break;
		case OPT_EXH: opts.exhaustive = 1; break;
		case OPT_TM: tm = optarg; break;
		case OPT_COLOR:
			if ((st.color = cli_color_option("lookup", optarg)) < -1)
				return CLI_USAGE;
			break;
		case 'h':
			usage(stdout);
			return cli_finish(CLI_OK);
		default:
			return CLI_USAGE;  /* cli_getopt said why */
		}
	}
	if (file && optind < argc)
		return cli_usage_error("lookup", "give either TEXT, '-' or --file, not several");
	if (!file && optind >= argc)
		return cli_usage_error("lookup", "no query: give TEXT, '-' or --file DOC");
	if (cli_lang_pair("lookup", src[0] ? src : NULL, tgt[0] ? tgt : NULL, 0) != 0)
		return CLI_USAGE;
	st.color = cli_color_stdout(st.color);
	if (!file && !(optind + 1 == argc && strcmp(argv[optind], "-") == 0)) {
		for (i = optind; i < argc; i++)
			qlen += strlen(argv[i]) + 1;
		query = malloc(qlen + 1);
		if (!query) {
			rc = cli_lib_error();
			goto cleanup;
		}
		query[0] = '\0';
		for (i = optind; i < argc; i++) {
			if (i > optind)
				strcat(query, " ");
			strcat(query, argv[i]);
		}
		if (strspn(query, " \t\r\n") == strlen(query)) {
			rc = cli_usage_error("lookup", "the query is empty");
			goto cleanup;
		}
	}
	rc = td_lookup_open(&lk, cli_tm_path(tm));
	if (rc < 0) {
		rc = cli_lib_error();
		goto cleanup;
	}
	if (!*src || !*tgt) {
		char dsrc[64], dtgt[64];
		/* No pair named: the TM's only one; several are ambiguous. */
		rc = td_lookup_default_pair(dsrc, dtgt, sizeof(dsrc), lk);
		if (rc == TD_EINVAL) {
			cli_error("lookup: %s; choose one with -s and -t", td_error_last());
			rc = CLI_USAGE;
			goto cleanup;
		}
		if (rc < 0) {
			rc = cli_lib_error();
			goto cleanup;
		}
		if (!*src)
			snprintf(src, sizeof(src), "%s", dsrc);
		if (!*tgt)
			snprintf(tgt, sizeof(tgt), "%s", dtgt);
	}
	opts.src_lang = src;
	opts.tgt_lang = tgt;
	rc = td_lookup_has_pair(&has, lk, src, tgt);
	if (rc == 0 && !has && td_lookup_pairs(&pairs, lk) == 0) {
		cli_error("lookup: the TM has no units from %s to %s (it has: %s)", src, tgt,
			*pairs ? pairs : "none");
		rc = CLI_FAIL;
		goto cleanup;
	}
	if (rc < 0) {
		rc = cli_lib_error();
		goto cleanup;
	}
	/* Many queries follow: pre-score candidates from fingerprints in memory. */
	if ((file || (optind + 1 == argc && strcmp(argv[optind], "-") == 0)) && !opts.exhaustive &&
	    td_lookup_preload(lk) < 0) {
		rc = cli_lib_error();
		goto cleanup;
	}
	if (file) {
		rc = from_file(lk, file, &st);
	} else if (optind + 1 == argc && strcmp(argv[optind], "-") == 0) {
		rc = from_stdin(lk, &st);
	} else {
		rc = answer(lk, query, &st, 0, NULL);
	}
	if (rc < 0) {
		rc = rc == TD_EINVAL ? (cli_lib_error(), CLI_USAGE) : cli_lib_error();
		goto cleanup;
	}
	rc = CLI_OK;
cleanup:
	free(pairs);
	free(query);
	td_lookup_close(lk);
	return cli_finish(rc);
}
