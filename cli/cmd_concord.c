/*
 * tandem concord: every unit whose source (or target) contains a word or a
 * phrase, with the phrase highlighted and the translation beside it.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "render.h"
#include "tandem/concord.h"
#include "tandem/lookup.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: tandem concord [-s LANG -t LANG] [--lang LANG] [--max N] [--sort newest|frequent]\n"
		"                      [--exact] [--json] [--tm FILE] PHRASE...\n"
		"\n"
		"Show the units whose source contains PHRASE (its words in this order,\n"
		"next to each other), with PHRASE marked and the translation beside it.\n"
		"Case and diacritics are ignored: 'munchen' finds 'München'.\n"
		"\n"
		"  -s, --src LANG      only units with this source language (de also selects de-AT)\n"
		"  -t, --tgt LANG      only units with this target language\n"
		"  -l, --lang LANG     search the side in LANG: the target when LANG is the\n"
		"                      target language of -t (or of the newest unit)\n"
		"  -n, --max N         most units shown (default 50)\n"
		"      --sort ORDER    newest (default) or frequent: most often seen first,\n"
		"                      among the newest 5000 units that contain PHRASE\n"
		"      --exact         case and diacritics must match too\n"
		"  -j, --json          one JSON object per unit: {\"source\", \"target\", \"hits\": [[start,\n"
		"                      end], ...] (bytes of the searched side), \"unit\", \"seen\"}\n"
		"      --color WHEN    auto (default), always or never\n"
		"      --tm FILE       the TM (default $TANDEM_TM, else ./tandem.db)\n"
		"  -h, --help          this help\n");
}

static void print_marked(const char *text, const td_concord_hit *h, int color)
{
	const char *on = color ? "\033[1;33m" : "[", *off = color ? "\033[0m" : "]";
	size_t pos = 0, i;

	for (i = 0; i < h->nhits; i++) {
		fwrite(text + pos, 1, h->hits[2 * i] - pos, stdout);
		fputs(on, stdout);
		fwrite(text + h->hits[2 * i], 1, h->hits[2 * i + 1] - h->hits[2 * i], stdout);
		fputs(off, stdout);
		pos = h->hits[2 * i + 1];
	}
	fputs(text + pos, stdout);
}

int cmd_concord(int argc, char **argv)
{
	enum { OPT_TM = 256, OPT_SORT, OPT_EXACT, OPT_COLOR };
	static const struct option longopts[] = {
		{ "src", required_argument, NULL, 's' },
		{ "tgt", required_argument, NULL, 't' },
		{ "lang", required_argument, NULL, 'l' },
		{ "max", required_argument, NULL, 'n' },
		{ "sort", required_argument, NULL, OPT_SORT },
		{ "exact", no_argument, NULL, OPT_EXACT },
		{ "json", no_argument, NULL, 'j' },
		{ "color", required_argument, NULL, OPT_COLOR },
		{ "tm", required_argument, NULL, OPT_TM },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	td_concord_opts opts = TD_CONCORD_OPTS_INIT;
	td_concord_result r;
	td_lookup *lk = NULL;
	const char *tm = NULL, *lang = NULL, *src = NULL, *tgt = NULL;
	char dsrc[64], dtgt[64], *phrase = NULL, *end;
	int c, rc, json = 0, color = -1, i;
	size_t plen = 0, k;
	long n;

	optind = 1;
	while ((c = cli_getopt("concord", argc, argv, "s:t:l:n:jh", longopts)) != -1) {
		switch (c) {
		case 's': src = optarg; break;
		case 't': tgt = optarg; break;
		case 'l': lang = optarg; break;
		case 'n':
			n = strtol(optarg, &end, 10);
			if (end == optarg || *end || n < 1 || n > 100000)
				return cli_usage_error("concord", "--max wants a whole number 1..100000, not '%s'", optarg);
			opts.max = (size_t)n;
			break;
		case OPT_SORT:
			if (strcmp(optarg, "newest") == 0)
				opts.order = TD_CONCORD_NEWEST;
			else if (strcmp(optarg, "frequent") == 0)
				opts.order = TD_CONCORD_FREQUENT;
			else
				return cli_usage_error("concord", "--sort is newest or frequent, not '%s'", optarg);
			break;
		case OPT_EXACT: opts.exact = 1; break;
		case 'j': json = 1; break;
		case OPT_COLOR:
			if ((color = cli_color_option("concord", optarg)) < -1)
				return CLI_USAGE;
			break;
		case OPT_TM: tm = optarg; break;
		case 'h':
			usage(stdout);
			return cli_finish(CLI_OK);
		default:
			return CLI_USAGE;  /* cli_getopt said why */
		}
	}
	if (optind >= argc)
		return cli_usage_error("concord", "no word or phrase to search for");
	if (cli_lang_pair("concord", src, tgt, 0) != 0 || (lang && cli_lang_pair("concord", lang, NULL, 0) != 0))
		return CLI_USAGE;
	color = cli_color_stdout(color);
	for (i = optind; i < argc; i++)
		plen += strlen(argv[i]) + 1;
	phrase = calloc(1, plen + 1);
	if (!phrase) {
		rc = cli_lib_error();
		goto cleanup;
	}
	for (i = optind; i < argc; i++) {
		if (i > optind)
			strcat(phrase, " ");
		strcat(phrase, argv[i]);
	}
	rc = td_lookup_open(&lk, cli_tm_path(tm));
	/* Without -s/-t every pair is searched; --lang then needs the TM's only pair. */
	if (rc == 0 && lang && (!src || !tgt))
		rc = td_lookup_default_pair(dsrc, dtgt, sizeof(dsrc), lk);
	if (rc == TD_EINVAL) {
		cli_error("concord: %s; choose one with -s and -t", td_error_last());
		rc = CLI_USAGE;
		goto cleanup;
	}
	if (rc < 0) {
		rc = cli_lib_error();
		goto cleanup;
	}
	if (lang) {
		const char *t = tgt ? tgt : dtgt, *s = src ? src : dsrc;
		if (strcmp(lang, t) == 0 && strcmp(lang, s) != 0) {
			opts.in_target = 1;
		} else if (strcmp(lang, s) != 0) {
			rc = cli_usage_error("concord", "--lang %s is neither the source (%s) nor the target (%s)",
				lang, s, t);
			goto cleanup;
		}
	}
	opts.src_lang = src;
	opts.tgt_lang = tgt;
	if (opts.in_target && !opts.tgt_lang)
		opts.tgt_lang = dtgt;
	rc = td_concord(&r, lk, phrase, &opts);
	if (rc < 0) {
		rc = rc == TD_EINVAL ? (cli_lib_error(), CLI_USAGE) : cli_lib_error();
		goto cleanup;
	}
	for (k = 0; k < r.n; k++) {
		const td_concord_hit *h = &r.v[k];
		const char *searched = opts.in_target ? h->target : h->source;
		if (json) {
			render_concord_hit(stdout, h, opts.in_target);
			putchar('\n');
			continue;
		}
		print_marked(searched, h, color);
		printf("\n    %s", opts.in_target ? h->source : h->target);
		if (h->seen > 1)
			printf("   (seen %lld times)", (long long)h->seen);
		putchar('\n');
	}
	if (!json && r.n == 0)
		printf("no unit contains '%s'\n", phrase);
	rc = CLI_OK;
cleanup:
	free(phrase);
	td_lookup_close(lk);
	return cli_finish(rc);
}
