/*
 * Cluster runs end to end on the sample bitexts: batch --shard + merge give
 * the TM of one batch; batch --stdin as a pipeline filter.
 */
#include <criterion/criterion.h>
#include <nettle/base64.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

TestSuite(cli_cluster, .init = th_dir_setup, .fini = th_dir_teardown, .timeout = 120);

static th_result run(const char *input, const char *const *argv)
{
	return th_run(input, argv);
}

static void ok(th_result *r, const char *what)
{
	cr_assert_eq(r->status, 0, "%s: exit %d: %s", what, r->status, r->err);
}

/* Sorted TSV export of a TM (malloc'd). */
static char *export_sorted(const char *tm)
{
	char cmd[8192];
	FILE *p;
	char *buf = NULL;
	size_t len = 0, n;
	char chunk[4096];
	FILE *out = open_memstream(&buf, &len);

	snprintf(cmd, sizeof(cmd), "'%s' export --format tsv --tm '%s' | LC_ALL=C sort", getenv("TANDEM_BIN"), tm);
	p = popen(cmd, "r");
	cr_assert_not_null(p);
	while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0)
		fwrite(chunk, 1, n, out);
	cr_assert_eq(pclose(p), 0, "export of %s failed", tm);
	fclose(out);
	return buf;
}

/* "units documents provenance" of a TM from stats --json. */
static void counts(const char *tm, long long *u, long long *d, long long *p)
{
	const char *argv[] = { "stats", "--json", "--tm", tm, NULL };
	th_result r = run(NULL, argv);
	const char *s;

	ok(&r, "stats");
	cr_assert((s = strstr(r.out, "\"units\": ")) && sscanf(s, "\"units\": %lld", u) == 1);
	cr_assert((s = strstr(r.out, "\"documents\": ")) && sscanf(s, "\"documents\": %lld", d) == 1);
	cr_assert((s = strstr(r.out, "\"provenance\": ")) && sscanf(s, "\"provenance\": %lld", p) == 1);
	th_result_free(&r);
}

Test(cli_cluster, shards_merged_equal_one_batch)
{
	const char *bitexts = th_src("bitexts");
	char tm[3][4096], all[4096], *one, *merged;
	long long u1, d1, p1, u2, d2, p2;
	int k, nonempty = 0;

	{
		const char *argv[] = { "batch", "-s", "de", "-t", "en", "--no-learn", "-j", "2", "--tm",
			th_path("one.db"), bitexts, NULL };
		th_result r = run(NULL, argv);

		ok(&r, "batch");
		th_result_free(&r);
	}
	for (k = 0; k < 3; k++) {
		char shard[8];
		const char *argv[] = { "batch", "-s", "de", "-t", "en", "--no-learn", "-j", "1",
			"--shard", shard, "--tm", tm[k], "--report", th_path("r.json"), bitexts, NULL };
		th_result r;
		long long u, d, p;

		snprintf(shard, sizeof(shard), "%d/3", k);
		/* PostgreSQL shards in the suite pg: merged there, compared with the file TM one.db. */
		snprintf(tm[k], sizeof(tm[k]), "%s", th_tm(k == 0 ? "s0.db" : k == 1 ? "s1.db" : "s2.db"));
		argv[11] = tm[k];
		r = run(NULL, argv);
		ok(&r, "batch --shard");
		th_result_free(&r);
		counts(tm[k], &u, &d, &p);
		cr_expect_lt(d, 8, "shard %d holds every pair", k);
		nonempty += d > 0;
	}
	cr_expect_geq(nonempty, 2, "the 8 pairs fall in one shard only");
	snprintf(all, sizeof(all), "%s", th_tm("all.db"));
	{
		const char *argv[] = { "merge", "--report", th_path("m.json"), all,
			tm[0], tm[1], tm[2], NULL };
		th_result r = run(NULL, argv);

		ok(&r, "merge");
		th_result_free(&r);
		/* Again: nothing changes. */
		r = run(NULL, argv);
		ok(&r, "merge again");
		cr_expect(strstr(r.err, "(0 new)") != NULL, "%s", r.err);
		cr_expect(strstr(r.err, "units (0 new)") != NULL, "%s", r.err);
		th_result_free(&r);
	}
	counts(th_path("one.db"), &u1, &d1, &p1);
	counts(all, &u2, &d2, &p2);
	cr_expect_eq(d1, 8);
	cr_expect_eq(u2, u1);
	cr_expect_eq(d2, d1);
	cr_expect_eq(p2, p1);
	one = export_sorted(th_path("one.db"));
	merged = export_sorted(all);
	cr_expect(strlen(one) > 1000);
	cr_expect_str_eq(merged, one);
	free(one);
	free(merged);
	merged = th_read(th_path("m.json"), NULL);
	cr_assert_not_null(merged);
	cr_expect(strstr(merged, "\"merged\": {\"documents\": 8,") != NULL, "%s", merged);
	free(merged);
}

Test(cli_cluster, shard_is_checked)
{
	static const char *const bad[] = { "3/3", "1", "-1/2", "1/0", "a/b", "1/2x", "" };
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *argv[] = { "batch", "-s", "de", "-t", "en", "--shard", bad[i], "--tm",
			th_path("x.db"), th_src("bitexts"), NULL };
		th_result r = run(NULL, argv);

		cr_expect_eq(r.status, 2, "--shard '%s': exit %d", bad[i], r.status);
		cr_expect(strstr(r.err, "--shard") != NULL, "%s", r.err);
		th_result_free(&r);
	}
}

/* A file's bytes as base64 (malloc'd). */
static char *b64_file(const char *path)
{
	size_t len;
	char *data = th_read(path, &len);
	char *out;
	struct base64_encode_ctx ctx;
	size_t n;

	cr_assert_not_null(data, "cannot read %s", path);
	out = malloc(BASE64_ENCODE_LENGTH(len) + BASE64_ENCODE_FINAL_LENGTH + 1);
	base64_encode_init(&ctx);
	n = base64_encode_update(&ctx, out, len, (const uint8_t *)data);
	n += base64_encode_final(&ctx, out + n);
	out[n] = '\0';
	free(data);
	return out;
}

/* Lines of the aligned pair NAME as align -f tsv gives them, linked beads only, URL columns in front. */
static char *expected_lines(const char *name, const char *src_url, const char *tgt_url)
{
	char de[256], en[256], *buf = NULL, *line, *save = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	const char *argv[] = { "align", "-s", "de", "-t", "en", "--no-learn", "-f", "tsv", de, en, NULL };
	th_result r;

	snprintf(de, sizeof(de), "%s", th_src("bitexts"));
	snprintf(de + strlen(de), sizeof(de) - strlen(de), "/%s.de", name);
	snprintf(en, sizeof(en), "%s", th_src("bitexts"));
	snprintf(en + strlen(en), sizeof(en) - strlen(en), "/%s.en", name);
	r = run(NULL, argv);
	ok(&r, "align");
	for (line = strtok_r(r.out, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		if (line[0] != '\t' && !strstr(line, "\t\t"))
			fprintf(out, "%s\t%s\t%s\n", src_url, tgt_url, line);
	th_result_free(&r);
	fclose(out);
	return buf;
}

Test(cli_cluster, stdin_filter_aligns_each_line_and_skips_malformed_ones)
{
	char *a_de = b64_file(th_src("bitexts/sturm.de")), *a_en = b64_file(th_src("bitexts/sturm.en"));
	char *b_de = b64_file(th_src("bitexts/schulbau.de")), *b_en = b64_file(th_src("bitexts/schulbau.en"));
	char *input = NULL, *want = NULL, *w1, *w2;
	const char *argv[] = { "batch", "--stdin", "-s", "de", "-t", "en", "--no-learn", "-j", "2", NULL };
	th_result r;

	cr_assert(asprintf(&input, "http://a/de\thttp://a/en\t%s\t%s\n"
		"just one field\n"
		"http://c/de\thttp://c/en\tnot base64!\t%s\n"
		"\n"
		"http://b/de\thttp://b/en\t%s\t%s\textra\tcolumns\n", a_de, a_en, a_en, b_de, b_en) > 0);
	r = run(input, argv);
	cr_expect_eq(r.status, 1, "malformed lines make the exit status 1");
	cr_expect(strstr(r.err, "stdin: line 2: 1 field") != NULL, "%s", r.err);
	cr_expect(strstr(r.err, "stdin: line 3: the source text is not base64") != NULL, "%s", r.err);
	cr_expect(strstr(r.err, "4 documents from stdin: 2 aligned, 2 failed") != NULL, "%s", r.err);
	w1 = expected_lines("sturm", "http://a/de", "http://a/en");
	w2 = expected_lines("schulbau", "http://b/de", "http://b/en");
	cr_assert(asprintf(&want, "%s%s", w1, w2) > 0);
	cr_expect(strlen(w1) > 200 && strlen(w2) > 200);
	cr_expect_str_eq(r.out, want, "the sentence pairs of align, in input order");
	th_result_free(&r);
	free(want);
	free(w1);
	free(w2);
	free(input);
	/* By name from a header; jsonl. */
	cr_assert(asprintf(&input, "src_index\ttrg_index\ttrg_url\tsrc_url\ttrg_text\tsrc_text\n"
		"0\t0\thttp://a/en\thttp://a/de\t%s\t%s\n", a_en, a_de) > 0);
	{
		const char *argv2[] = { "batch", "--stdin", "-s", "de", "-t", "en", "--no-learn", "-f", "jsonl",
			"--columns", "src_url,trg_url,src_text,trg_text", NULL };
		const char *head = "{\"src_url\":\"http://a/de\",\"trg_url\":\"http://a/en\",\"src_sentence\":";

		r = run(input, argv2);
		ok(&r, "--columns");
		cr_expect(strncmp(r.out, head, strlen(head)) == 0, "%s", r.out);
		th_result_free(&r);
		argv2[10] = "src_url,trg_url,src_text,text";
		r = run(input, argv2);
		cr_expect_eq(r.status, 1);
		cr_expect(strstr(r.err, "line 1: the header has no column 'text'") != NULL, "%s", r.err);
		th_result_free(&r);
	}
	free(input);
	free(a_de);
	free(a_en);
	free(b_de);
	free(b_en);
}

Test(cli_cluster, stdin_refuses_what_a_stream_cannot_do)
{
	static const char *const extra[][2] = {
		{ "-f", "beads" }, { "-f", "moses" }, { "--tm", "x.db" }, { "--report", "r.json" },
		{ "--shard", "0/2" }, { "--out", "dir" },
	};
	size_t i;

	for (i = 0; i < sizeof(extra) / sizeof(extra[0]); i++) {
		const char *argv[] = { "batch", "--stdin", "-s", "de", "-t", "en", extra[i][0], extra[i][1], NULL };
		th_result r = run("", argv);

		cr_expect_eq(r.status, 2, "%s %s: exit %d", extra[i][0], extra[i][1], r.status);
		th_result_free(&r);
	}
	{
		const char *argv[] = { "batch", "--stdin", "-s", "de", NULL };
		th_result r = run("", argv);

		cr_expect_eq(r.status, 2, "no -t");
		th_result_free(&r);
	}
}
