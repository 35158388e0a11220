/*
 * `tandem align` through the built binary: quality floors on the sample
 * bitexts against their hand-made gold alignments (a drop fails the suite),
 * the output formats, and bad input (empty side, one side ten times longer,
 * the same file twice, a 10 MB single line, binary data, unknown languages).
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"
#include "tandem/align.h"

static void put(const char *name, const char *text)
{
	cr_assert_eq(th_write(th_path(name), text, strlen(text)), 0);
}

static size_t count_lines(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* Strict F1 of `tandem align --presegmented EXTRA` over every bitexts pair. */
static double bitexts_f1(const char *extra, size_t *npairs)
{
	char gdir[1024];
	DIR *d;
	struct dirent *e;
	td_alscore acc = TD_ALSCORE_INIT;
	td_alscore_result res;

	snprintf(gdir, sizeof(gdir), "%s", th_src("bitexts/gold"));
	d = opendir(gdir);
	cr_assert_not_null(d, "no %s", gdir);
	*npairs = 0;
	while ((e = readdir(d)) != NULL) {
		char name[256], de[2048], en[2048], gold[2048], seg[1024];
		const char *argv[8];
		size_t len = strlen(e->d_name), glen;
		td_alignment *g, *h;
		char *gtext;
		th_result r;
		int a = 0;

		if (len < 6 || strcmp(e->d_name + len - 5, ".gold") != 0)
			continue;
		snprintf(name, sizeof(name), "%.*s", (int)(len - 5), e->d_name);
		snprintf(seg, sizeof(seg), "%s", th_src("bitexts/seg"));
		snprintf(de, sizeof(de), "%s/%s.de", seg, name);
		snprintf(en, sizeof(en), "%s/%s.en", seg, name);
		snprintf(gold, sizeof(gold), "%s/%s", gdir, e->d_name);
		argv[a++] = "align";
		argv[a++] = "--presegmented";
		argv[a++] = "--format=beads";
		if (extra)
			argv[a++] = extra;
		argv[a++] = de;
		argv[a++] = en;
		argv[a] = NULL;
		r = th_run(NULL, argv);
		cr_assert_eq(r.status, 0, "%s: %s", name, r.err);
		gtext = th_read(gold, &glen);
		cr_assert_not_null(gtext);
		cr_assert_eq(td_alignment_parse(&g, gtext, glen, gold), 0, "%s", td_error_last());
		cr_assert_eq(td_alignment_parse(&h, r.out, r.outlen, name), 0, "%s", td_error_last());
		cr_assert_eq(td_alscore_add(&acc, g, h), 0);
		td_alignment_free(g);
		td_alignment_free(h);
		free(gtext);
		th_result_free(&r);
		(*npairs)++;
	}
	closedir(d);
	td_alscore_compute(&res, &acc);
	return res.f_strict;
}

/* Floors a little below what the aligner measures (0.956 without a
 * dictionary, 0.981 with trans-de-en): a drop in quality fails here. */
Test(align_cli, bitexts_quality_without_dictionary, .timeout = 120)
{
	size_t n;
	double f1 = bitexts_f1("--no-lexicon", &n);

	cr_assert_geq(n, 8, "only %zu bitexts pairs found", n);
	cr_assert_geq(f1, 0.94, "strict F1 on bitexts without a dictionary fell to %.4f", f1);
}

Test(align_cli, bitexts_quality_with_trans_de_en, .timeout = 300)
{
	size_t n;
	double f1;

	if (access("/usr/share/trans/de-en", R_OK) != 0)
		cr_skip_test("trans-de-en is not installed");
	f1 = bitexts_f1(NULL, &n);
	cr_assert_geq(n, 8);
	cr_assert_geq(f1, 0.97, "strict F1 on bitexts with trans-de-en fell to %.4f", f1);
}

Test(align_cli, running_text_is_segmented_and_aligned, .timeout = 60)
{
	const char *argv[] = { "align", "--no-lexicon", "-f", "jsonl", NULL, NULL, NULL };
	char de[1024], en[1024];
	th_result r;

	snprintf(de, sizeof(de), "%s", th_src("bitexts/schulbau.de"));
	snprintf(en, sizeof(en), "%s", th_src("bitexts/schulbau.en"));
	argv[4] = de;
	argv[5] = en;
	r = th_run(NULL, argv);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_geq(count_lines(r.out), 15);
	cr_assert(strstr(r.out, "\"src_text\":") != NULL);
	th_result_free(&r);
}

Test(align_cli, help_goes_to_stdout)
{
	const char *argv[] = { "align", "--help", NULL };
	th_result r = th_run(NULL, argv);

	cr_assert_eq(r.status, 0);
	cr_assert(strstr(r.out, "--presegmented") != NULL);
	cr_assert_eq(r.errlen, 0);
	th_result_free(&r);
}

Test(align_cli, formats_and_min_score, .init = th_dir_setup, .fini = th_dir_teardown)
{
	const char *argv[] = { "align", "--no-lexicon", "--presegmented", "-f", "tsv", NULL, NULL, NULL, NULL, NULL };
	th_result r;

	put("a.de", "Der Zug nach München fährt um 8 Uhr.\nEr hat 12 Wagen.\nDas wissen nur wenige.\n");
	put("a.en", "The train to Munich leaves at 8 o'clock.\nIt has 12 carriages.\n");
	argv[5] = th_path("a.de");
	argv[6] = th_path("a.en");
	r = th_run(NULL, argv);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "Der Zug nach München fährt um 8 Uhr.\tThe train to Munich leaves at 8 o'clock.\t") == r.out,
		"got: %s", r.out);
	th_result_free(&r);

	argv[4] = "moses";
	argv[5] = "--out";
	argv[6] = th_path("out");
	argv[7] = th_path("a.de");
	argv[8] = th_path("a.en");
	r = th_run(NULL, argv);
	cr_assert_eq(r.status, 0, "%s", r.err);
	th_result_free(&r);
	{
		size_t l1, l2;
		char *m1 = th_read(th_path("out.de"), &l1), *m2 = th_read(th_path("out.en"), &l2);

		cr_assert_not_null(m1);
		cr_assert_not_null(m2);
		cr_assert_eq(count_lines(m1), count_lines(m2));
		cr_assert_geq(count_lines(m1), 2);
		cr_assert(strstr(m1, "Der Zug") == m1);
		free(m1);
		free(m2);
	}
	{
		const char *argv2[] = { "align", "--no-lexicon", "--presegmented", "-f", "beads", "--min-score", "1.0", NULL, NULL, NULL };
		argv2[7] = th_path("a.de");
		argv2[8] = th_path("a.en");
		r = th_run(NULL, argv2);
		cr_assert_eq(r.status, 0);
		cr_assert_lt(count_lines(r.out), 3, "--min-score 1.0 kept: %s", r.out);
		th_result_free(&r);
	}
}

Test(align_cli, empty_side, .init = th_dir_setup, .fini = th_dir_teardown)
{
	const char *argv[] = { "align", "--no-lexicon", "-f", "beads", NULL, NULL, NULL };
	th_result r;

	put("e.de", "");
	put("b.en", "One sentence. Another one.\n");
	argv[4] = th_path("e.de");
	argv[5] = th_path("b.en");
	r = th_run(NULL, argv);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strncmp(r.out, "[]:[0]:", 7) == 0, "got: %s", r.out);
	cr_assert_eq(count_lines(r.out), 2);
	th_result_free(&r);
}

Test(align_cli, same_file_twice, .init = th_dir_setup, .fini = th_dir_teardown)
{
	const char *argv[] = { "align", "--no-lexicon", "-s", "de", "-t", "de", "-f", "beads", NULL, NULL, NULL };
	th_result r;

	put("x.txt", "Erster Satz über Köln. Zweiter Satz mit 5.000 Euro. „Dritter“ Satz?\n");
	argv[8] = th_path("x.txt");
	argv[9] = th_path("x.txt");
	r = th_run(NULL, argv);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strncmp(r.out, "[0]:[0]:", 8) == 0 && strstr(r.out, "[1]:[1]:") && strstr(r.out, "[2]:[2]:"),
		"got: %s", r.out);
	th_result_free(&r);
}

Test(align_cli, one_side_ten_times_longer, .init = th_dir_setup, .fini = th_dir_teardown, .timeout = 60)
{
	const char *argv[] = { "align", "--no-lexicon", "--presegmented", "-f", "beads", NULL, NULL, NULL };
	char *big = malloc(300 * 80);
	size_t pos = 0, k;
	th_result r;

	for (k = 0; k < 300; k++)
		pos += (size_t)sprintf(big + pos, "Sentence %zu is about the year %zu.\n", k, 1700 + k);
	put("long.en", big);
	put("short.de", "Satz 0 handelt vom Jahr 1700.\nSatz 1 handelt vom Jahr 1701.\n"
		"Satz 2 handelt vom Jahr 1702.\n");
	free(big);
	argv[5] = th_path("short.de");
	argv[6] = th_path("long.en");
	r = th_run(NULL, argv);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strncmp(r.out, "[0]:[0]:", 8) == 0, "got: %.200s", r.out);
	cr_assert_eq(count_lines(r.out), 300);
	th_result_free(&r);
}

Test(align_cli, ten_megabyte_single_line, .init = th_dir_setup, .fini = th_dir_teardown, .timeout = 120)
{
	const char *argv[] = { "align", "--no-lexicon", "-f", "beads", NULL, NULL, NULL };
	size_t n = 10u << 20, k;
	char *line = malloc(n + 2);
	th_result r;

	for (k = 0; k < n; k++)
		line[k] = "Wort und Zahl 17 "[k % 17];
	line[n] = '\n';
	line[n + 1] = '\0';
	cr_assert_eq(th_write(th_path("huge.de"), line, n + 1), 0);
	free(line);
	put("small.en", "A word and a number 17.\n");
	argv[4] = th_path("huge.de");
	argv[5] = th_path("small.en");
	r = th_run(NULL, argv);
	cr_assert(r.status == 0 || (r.status == 1 && strncmp(r.err, "tandem: ", 8) == 0),
		"status %d: %s", r.status, r.err);
	cr_assert_lt(r.status, 128, "crashed");
	th_result_free(&r);
}

Test(align_cli, binary_input_is_a_clear_error, .init = th_dir_setup, .fini = th_dir_teardown)
{
	const char *argv[] = { "align", NULL, NULL, NULL };
	th_result r;

	static const char bin[] = "\x00\x01\x02\xff\xfe\x00\x00binary";

	cr_assert_eq(th_write(th_path("bin.de"), bin, sizeof(bin) - 1), 0);
	put("ok.en", "Fine.\n");
	argv[1] = th_path("bin.de");
	argv[2] = th_path("ok.en");
	r = th_run(NULL, argv);
	cr_assert_eq(r.status, 1, "status %d: %s", r.status, r.err);
	cr_assert(strncmp(r.err, "tandem: ", 8) == 0 && strstr(r.err, "bin.de"), "got: %s", r.err);
	th_result_free(&r);
}

Test(align_cli, missing_file, .init = th_dir_setup, .fini = th_dir_teardown)
{
	const char *argv[] = { "align", NULL, NULL, NULL };
	th_result r;

	argv[1] = th_path("nope.de");
	argv[2] = th_path("nope.en");
	r = th_run(NULL, argv);
	cr_assert_eq(r.status, 1);
	cr_assert(strstr(r.err, "nope.de") != NULL, "got: %s", r.err);
	th_result_free(&r);
}

Test(align_cli, usage_errors)
{
	const char *cases[][8] = {
		{ "align", "a.txt", "b.txt", NULL },                  /* languages unknown */
		{ "align", "a.de", NULL },                            /* one file */
		{ "align", "-f", "xml", "a.de", "b.en", NULL },       /* bad format */
		{ "align", "-f", "moses", "a.de", "b.en", NULL },     /* moses without --out */
		{ "align", "--min-score", "2", "a.de", "b.en", NULL },
		{ "align", "--lexicon", "x", "--no-lexicon", "a.de", "b.en", NULL },
		{ "align", "-s", "klingonisch", "a.de", "b.en", NULL },
	};
	size_t k;

	for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		th_result r = th_run(NULL, cases[k]);

		cr_assert_eq(r.status, 2, "case %zu: status %d (%s)", k, r.status, r.err);
		cr_assert_eq(r.outlen, 0);
		cr_assert(strncmp(r.err, "tandem align: ", 14) == 0, "case %zu: %s", k, r.err);
		th_result_free(&r);
	}
}

/*
 * Forty numbered sentences on both sides, but target lines 16-25 are about
 * something else: the low-confidence region is named on stderr with its
 * lines, listed in --report and drawn in --plot.
 */
Test(align_cli, low_confidence_region_is_told, .init = th_dir_setup, .fini = th_dir_teardown)
{
	static const char *const other[] = { "Nothing in this line is like the other side.",
		"Completely unrelated words follow here, friend.", "Blue whales sing slowly.",
		"Whatever it was, it is gone now.", "Quiet rooms tell no stories." };
	char *de = NULL, *en = NULL, *rep, *svg, *p;
	size_t dl = 0, el = 0, k, s0 = 0, s1 = 0, t0 = 0, t1 = 0, beads = 0, rects = 0;
	FILE *fd = open_memstream(&de, &dl), *fe = open_memstream(&en, &el);
	th_result r;

	for (k = 1; k <= 40; k++) {
		fprintf(fd, "Im Jahr %zu hatte die Stadt %zu Einwohner und %zu Häuser.\n", 1800 + k, 1000 * k + 17, 31 * k);
		if (k >= 16 && k <= 25)
			fprintf(fe, "%s\n", other[k % 5]);
		else
			fprintf(fe, "In %zu the town had %zu inhabitants and %zu houses.\n", 1800 + k, 1000 * k + 17, 31 * k);
	}
	fclose(fd);
	fclose(fe);
	put("doc.de", de);
	put("doc.en", en);
	r = th_run(NULL, (const char *const[]){ "align", "--presegmented", "--no-lexicon", "-f", "beads",
		"--report", th_path("r.json"), "--plot", th_path("p.svg"), th_path("doc.de"), th_path("doc.en"), NULL });
	cr_assert_eq(r.status, 0, "%s", r.err);
	p = strstr(r.err, "tandem: low confidence: source lines ");
	cr_assert_not_null(p, "no region named: %s", r.err);
	cr_assert_eq(sscanf(p, "tandem: low confidence: source lines %zu-%zu, target lines %zu-%zu, mean score 0.",
		&s0, &s1, &t0, &t1), 4, "%s", p);
	cr_assert(s0 >= 15 && s0 <= 17 && s1 >= 24 && s1 <= 26, "source lines %zu-%zu", s0, s1);
	cr_assert(t0 >= 15 && t0 <= 17 && t1 >= 24 && t1 <= 26, "target lines %zu-%zu", t0, t1);
	cr_assert_null(strstr(p + strlen("tandem: low"), "low confidence"), "one region only: %s", r.err);
	rep = th_read(th_path("r.json"), NULL);
	cr_assert_not_null(rep);
	cr_assert(strstr(rep, "\"regions\": [{\"source_lines\": ["), "%s", rep);
	cr_assert(strstr(rep, "\"low_confidence_regions\""), "%s", rep);
	cr_assert(strstr(rep, "\"status\": \"aligned\""), "%s", rep);
	svg = th_read(th_path("p.svg"), NULL);
	cr_assert_not_null(svg);
	for (p = r.out; (p = strchr(p, '\n')); p++)
		beads++;
	for (p = svg; (p = strstr(p, "<rect class=\"b\"")); p++)
		rects++;
	cr_assert_eq(rects, beads, "%zu rects for %zu beads", rects, beads);
	cr_assert_eq(strstr(svg, "<rect class=\"r\"") != NULL, 1);
	free(rep);
	free(svg);
	free(de);
	free(en);
	th_result_free(&r);
}

/* A pair aligned without doubt names no region and reports none. */
Test(align_cli, no_region_no_line, .init = th_dir_setup, .fini = th_dir_teardown)
{
	char *rep;
	th_result r;

	put("a.de", "Im Jahr 1901 gab es 12 Häuser.\nIm Jahr 1902 gab es 15 Häuser.\n");
	put("a.en", "In 1901 there were 12 houses.\nIn 1902 there were 15 houses.\n");
	r = th_run(NULL, (const char *const[]){ "align", "--presegmented", "--no-lexicon", "--report",
		th_path("r.json"), th_path("a.de"), th_path("a.en"), NULL });
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_null(strstr(r.err, "low confidence"), "%s", r.err);
	rep = th_read(th_path("r.json"), NULL);
	cr_assert(rep && strstr(rep, "\"regions\": []") && strstr(rep, "\"flags\": []"), "%s", rep);
	free(rep);
	th_result_free(&r);
}
