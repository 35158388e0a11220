/* `tandem segment`: output, modes, exit codes, messages, jsonl offsets, stdin, bitexts/. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "tandem/text.h"

/* Write data to th_dir/name; returns the path (static buffer). */
static const char *put(const char *name, const char *data, size_t len)
{
	static char path[4096];

	snprintf(path, sizeof(path), "%s/%s", th_dir, name);
	cr_assert_eq(th_write(path, data, len), 0);
	return path;
}

TestSuite(cli_segment, .init = th_dir_setup, .fini = th_dir_teardown);

Test(cli_segment, text_output_one_sentence_per_line)
{
	const char *in = "Am 27. Januar kam er. Er blieb z. B. lange.\n\nZweiter Absatz.\n";
	const char *argv[] = { "segment", put("a.de", in, strlen(in)), NULL };
	th_result r = th_run(NULL, argv);

	cr_assert_eq(r.status, 0, "stderr: %s", r.err);
	cr_assert_str_eq(r.out, "Am 27. Januar kam er.\nEr blieb z. B. lange.\n\nZweiter Absatz.\n");
	cr_assert_eq(r.errlen, 0);
	th_result_free(&r);
}

Test(cli_segment, lang_option_overrides_extension)
{
	const char *in = "Er kam am 27. Januar. Dann ging er.";
	const char *path = put("a.txt", in, strlen(in));
	const char *argv_de[] = { "segment", "-l", "de", path, NULL };
	th_result r = th_run(NULL, argv_de);

	cr_assert_eq(r.status, 0, "stderr: %s", r.err);
	cr_assert_str_eq(r.out, "Er kam am 27. Januar.\nDann ging er.\n");
	th_result_free(&r);
}

Test(cli_segment, no_language_is_usage_error)
{
	const char *path = put("notes", "Text.", 5);
	const char *argv[] = { "segment", path, NULL };
	th_result r = th_run(NULL, argv);

	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "-l LANG"), "got: %s", r.err);
	cr_assert_eq(r.outlen, 0);
	th_result_free(&r);
}

Test(cli_segment, unknown_language_from_extension_is_usage_error)
{
	const char *path = put("notes.txt", "Text.", 5);
	const char *argv[] = { "segment", path, NULL };
	th_result r = th_run(NULL, argv);

	cr_assert_eq(r.status, 2, "'txt' is not a language; stderr: %s", r.err);
	th_result_free(&r);
}

Test(cli_segment, stdin_with_lang)
{
	const char *argv[] = { "segment", "-", "-l", "en", NULL };
	th_result r = th_run("Mr. Smith left. He was tired.\n", argv);

	cr_assert_eq(r.status, 0, "stderr: %s", r.err);
	cr_assert_str_eq(r.out, "Mr. Smith left.\nHe was tired.\n");
	th_result_free(&r);
}

Test(cli_segment, stdin_without_lang_is_usage_error)
{
	const char *argv[] = { "segment", "-", NULL };
	th_result r = th_run("Hallo.", argv);

	cr_assert_eq(r.status, 2);
	th_result_free(&r);
}

Test(cli_segment, missing_file_names_it)
{
	const char *argv[] = { "segment", "/nonexistent/zeitung.de", NULL };
	th_result r = th_run(NULL, argv);

	cr_assert_eq(r.status, 1);
	cr_assert(strstr(r.err, "tandem: /nonexistent/zeitung.de: "), "got: %s", r.err);
	cr_assert_eq(r.outlen, 0);
	th_result_free(&r);
}

Test(cli_segment, invalid_utf8_names_file_line_and_byte)
{
	const char *path = put("bad.de", "Grüße\nNoch ein \xff Satz.\n", 24);
	const char *argv[] = { "segment", path, NULL };
	th_result r = th_run(NULL, argv);
	char want[4200];

	cr_assert_eq(r.status, 1);
	snprintf(want, sizeof(want), "tandem: %s: line 2, byte 17: invalid UTF-8", path);
	cr_assert(strstr(r.err, want), "got: %s, want: %s", r.err, want);
	cr_assert_eq(r.outlen, 0, "nothing on stdout for a bad file");
	th_result_free(&r);
}

Test(cli_segment, binary_file_fails)
{
	const char *path = put("bin.de", "ab\0cd", 5);
	const char *argv[] = { "segment", path, NULL };
	th_result r = th_run(NULL, argv);

	cr_assert_eq(r.status, 1);
	cr_assert(strstr(r.err, "binary"), "got: %s", r.err);
	th_result_free(&r);
}

Test(cli_segment, explicit_encoding)
{
	const char *path = put("l1.de", "Die Stra\xdf" "e ist gesperrt. Umleitung \xfc" "ber B 12.", 45);
	const char *argv[] = { "segment", "--encoding", "ISO-8859-1", path, NULL };
	const char *argv_bad[] = { "segment", "--encoding", "NO-SUCH-CHARSET", path, NULL };
	th_result r = th_run(NULL, argv);

	cr_assert_eq(r.status, 0, "stderr: %s", r.err);
	cr_assert_str_eq(r.out, "Die Straße ist gesperrt.\nUmleitung über B 12.\n");
	th_result_free(&r);
	r = th_run(NULL, argv_bad);
	cr_assert_eq(r.status, 2, "an unknown encoding name is a usage error");
	cr_assert(strstr(r.err, "NO-SUCH-CHARSET"), "got: %s", r.err);
	th_result_free(&r);
}

Test(cli_segment, uncertain_encoding_asks_for_option)
{
	const char *path = put("short.de", "\xe4\xf6\xfc\xdf", 4);
	const char *argv[] = { "segment", path, NULL };
	th_result r = th_run(NULL, argv);

	cr_assert_eq(r.status, 1);
	cr_assert(strstr(r.err, "--encoding"), "got: %s", r.err);
	th_result_free(&r);
}

Test(cli_segment, modes)
{
	const char *in = "Kopfzeile ohne Punkt\nSatz eins. Satz zwei.\n\nDritter\n";
	const char *path = put("m.de", in, strlen(in));
	const char *argv_line[] = { "segment", "--line-paragraphs", path, NULL };
	const char *argv_pre[] = { "segment", "--presegmented", path, NULL };
	const char *argv_text[] = { "segment", path, NULL };
	th_result r = th_run(NULL, argv_line);

	cr_assert_eq(r.status, 0);
	cr_assert_str_eq(r.out, "Kopfzeile ohne Punkt\n\nSatz eins.\nSatz zwei.\n\nDritter\n");
	th_result_free(&r);
	r = th_run(NULL, argv_pre);
	cr_assert_eq(r.status, 0);
	cr_assert_str_eq(r.out, "Kopfzeile ohne Punkt\nSatz eins. Satz zwei.\n\nDritter\n");
	th_result_free(&r);
	r = th_run(NULL, argv_text);
	cr_assert_eq(r.status, 0);
	cr_assert_str_eq(r.out, "Kopfzeile ohne Punkt Satz eins.\nSatz zwei.\n\nDritter\n");
	th_result_free(&r);
}

/* Every jsonl record's offsets cut its text out of the decoded document. */
Test(cli_segment, jsonl_offsets_point_into_decoded_text)
{
	const char *in = "\xEF\xBB\xBF„Grüße“, sagte sie.\r\nÄrger gab es nicht.\r\n\r\nMünchen, am 3. Mai.\r\n";
	const char *path = put("j.de", in, strlen(in));
	const char *argv[] = { "segment", "--format", "jsonl", path, NULL };
	th_result r = th_run(NULL, argv);
	char *text = NULL, *line;
	size_t len = 0, n = 0;
	unsigned last_para = 0;

	cr_assert_eq(r.status, 0, "stderr: %s", r.err);
	cr_assert_eq(td_text_decode_file(&text, &len, path, NULL), 0);
	for (line = strtok(r.out, "\n"); line; line = strtok(NULL, "\n"), n++) {
		unsigned para;
		size_t idx, start, end;
		int off = 0;
		const char *t, *q;
		cr_assert_eq(sscanf(line, "{\"paragraph\":%u,\"sentence\":%zu,\"start\":%zu,\"end\":%zu,\"text\":\"%n",
				    &para, &idx, &start, &end, &off), 4, "line: %s", line);
		cr_assert_eq(idx, n);
		cr_assert_leq(end, len);
		t = line + off;
		q = strstr(t, "\"}");
		cr_assert_not_null(q, "line: %s", line);
		cr_assert_eq((size_t)(q - t), end - start, "line: %s", line);
		cr_assert(strncmp(text + start, t, end - start) == 0, "offsets %zu..%zu of '%s' vs '%.*s'",
			  start, end, text, (int)(q - t), t);
		last_para = para;
	}
	cr_assert_eq(n, 3);
	cr_assert_eq(last_para, 1);
	free(text);
	th_result_free(&r);
}

Test(cli_segment, jsonl_escapes_quotes)
{
	const char *argv[] = { "segment", "-l", "en", "-f", "jsonl", "-", NULL };
	th_result r = th_run("He said \"no\\yes\".\n", argv);

	cr_assert_eq(r.status, 0);
	cr_assert(strstr(r.out, "\"text\":\"He said \\\"no\\\\yes\\\".\"}"), "got: %s", r.out);
	th_result_free(&r);
}

Test(cli_segment, usage_errors)
{
	const char *bad_format[] = { "segment", "-l", "de", "-f", "xml", "x.de", NULL };
	const char *unknown_opt[] = { "segment", "--frobnicate", "x.de", NULL };
	const char *no_file[] = { "segment", NULL };
	const char *two_files[] = { "segment", "a.de", "b.de", NULL };
	const char *no_value[] = { "segment", "x.de", "-l", NULL };
	const char *bad_lang[] = { "segment", "-l", "d e", "-", NULL };
	const char *const *cases[] = { bad_format, unknown_opt, no_file, two_files, no_value, bad_lang };
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		th_result r = th_run("", cases[i]);
		cr_assert_eq(r.status, 2, "case %zu: status %d, stderr %s", i, r.status, r.err);
		cr_assert(strstr(r.err, "tandem"), "case %zu: %s", i, r.err);
		cr_assert_eq(r.outlen, 0);
		th_result_free(&r);
	}
}

Test(cli_segment, help_on_stdout)
{
	const char *argv[] = { "segment", "--help", NULL };
	th_result r = th_run(NULL, argv);

	cr_assert_eq(r.status, 0);
	cr_assert(strstr(r.out, "usage: tandem segment"), "got: %s", r.out);
	cr_assert_eq(r.errlen, 0);
	th_result_free(&r);
}

/* Sentence boundaries as positions in the text with white space removed. */
static size_t boundaries(size_t *out, size_t max, const char *s, unsigned *paragraphs)
{
	size_t n = 0, pos = 0;
	int in_para = 0;

	*paragraphs = 0;
	for (; *s; s++) {
		if (*s == '\n') {
			if (s[1] == '\n' || s[1] == '\0')
				in_para = 0;
			if (pos && (n == 0 || out[n - 1] != pos) && n < max)
				out[n++] = pos;
			continue;
		}
		if (*s != ' ' && *s != '\t') {
			pos++;
			if (!in_para) {
				in_para = 1;
				(*paragraphs)++;
			}
		}
	}
	if (pos && (n == 0 || out[n - 1] != pos) && n < max)
		out[n++] = pos;
	return n;
}

/*
 * The sample bitexts against their hand segmentation. Tolerance: at least 95 %
 * of the hand boundaries found and at least 95 % of ours right, per file, and
 * the same paragraphs. (Measured when written: every file agrees exactly.)
 */
Test(cli_segment, bitexts_agree_with_hand_segmentation)
{
	static const char *const names[] = {
		"brandtner", "fussball", "hallenbad-latin1", "nato-russia", "schulbau",
		"sinfonie-utf16", "solarbetrug", "sturm",
	};
	static const char *const langs[] = { "de", "en" };
	size_t i, k, total_ref = 0, total_hyp = 0, total_tp = 0;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		for (k = 0; k < 2; k++) {
			char rel[256], relseg[256], *ref;
			size_t hb[512], rb[512], nh, nr, a = 0, b = 0, tp = 0;
			unsigned hp, rp;
			const char *argv[] = { "segment", rel, NULL };
			th_result r;

			snprintf(rel, sizeof(rel), "%s", th_src("bitexts/"));
			snprintf(rel + strlen(rel), sizeof(rel) - strlen(rel), "%s.%s", names[i], langs[k]);
			snprintf(relseg, sizeof(relseg), "bitexts/seg/%s.%s", names[i], langs[k]);
			ref = th_read(th_src(relseg), NULL);
			cr_assert_not_null(ref, "%s", relseg);
			r = th_run(NULL, argv);
			cr_assert_eq(r.status, 0, "%s: %s", rel, r.err);
			nh = boundaries(hb, 512, r.out, &hp);
			nr = boundaries(rb, 512, ref, &rp);
			while (a < nh && b < nr) {
				if (hb[a] == rb[b]) {
					tp++; a++; b++;
				} else if (hb[a] < rb[b]) {
					a++;
				} else {
					b++;
				}
			}
			cr_assert_eq(hp, rp, "%s: %u paragraphs, hand segmentation has %u", rel, hp, rp);
			cr_assert_geq(tp * 100, nr * 95, "%s: found %zu of %zu hand boundaries", rel, tp, nr);
			cr_assert_geq(tp * 100, nh * 95, "%s: %zu of %zu boundaries right", rel, tp, nh);
			total_ref += nr;
			total_hyp += nh;
			total_tp += tp;
			free(ref);
			th_result_free(&r);
		}
	}
	cr_log_info("bitexts: %zu of %zu hand boundaries found, %zu proposed", total_tp, total_ref,
		    total_hyp);
}
