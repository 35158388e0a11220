/*
 * `tandem batch` end to end: the sample bitexts as a batch, failing pairs,
 * the report, resume from a TM and SIGKILL in the middle of a batch.
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "helpers.h"
#include "tandem/align.h"
#include "tandem/tm.h"

static const char *const pairs[] = {
	"brandtner", "fussball", "hallenbad-latin1", "nato-russia",
	"schulbau", "sinfonie-utf16", "solarbetrug", "sturm",
};
#define NPAIRS (sizeof(pairs) / sizeof(pairs[0]))

/* The TMs of a test: files, or PostgreSQL TMs when $TANDEM_TEST_TM is set (the cli_batch_pg suite). */
static char tm_main[4096], tm_ref[4096];

static void setup(void)
{
	th_dir_setup();
	snprintf(tm_main, sizeof(tm_main), "%s", th_tm("tm.db"));
	snprintf(tm_ref, sizeof(tm_ref), "%s", th_tm("ref.db"));
}

TestSuite(cli_batch, .init = setup, .fini = th_dir_teardown, .timeout = 120);

static const char *at(const char *rel)
{
	static char buf[16][4096];
	static int k;

	k = (k + 1) % 16;
	snprintf(buf[k], sizeof(buf[k]), "%s/%s", th_dir, rel);
	return buf[k];
}

static th_result run(const char *const *argv)
{
	return th_run(NULL, argv);
}

static void copy(const char *from, const char *to)
{
	size_t len;
	char *data = th_read(from, &len);

	cr_assert_not_null(data, "cannot read %s", from);
	cr_assert_eq(th_write(to, data, len), 0, "cannot write %s", to);
	free(data);
}

/* Units, documents and provenance records of a TM, and PRAGMA integrity_check. */
typedef struct {
	long long units, documents, provenance, duplicates;
	char integrity[64];
	char *content;       /* every unit with its provenance, without times (malloc'd) */
} tm_counts;

/* Units or documents stored twice (the schema's UNIQUE constraints should prevent it). */
#define DUPLICATES_SQL \
	"SELECT (SELECT count(*) FROM (SELECT 1 FROM unit GROUP BY src_lang, tgt_lang, source, target" \
	" HAVING count(*) > 1) AS u) + (SELECT count(*) FROM (SELECT 1 FROM document" \
	" GROUP BY kind, src_hash, tgt_hash HAVING count(*) > 1) AS d)"

/*
 * What makes two TMs the same, apart from the times of writing and the ids
 * the store gave: every unit in id order with its provenance (document
 * order, position, score), through the public iteration on either store.
 */
static char *content(const char *path)
{
	td_tm *tm = NULL;
	td_tm_iter *it = NULL;
	const td_tm_unit *u;
	char *buf = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&buf, &len);
	int rc;

	cr_assert_eq(td_tm_open(&tm, path, TD_TM_READONLY), 0, "%s", td_error_last());
	cr_assert_eq(td_tm_iter_new(&it, tm, NULL, NULL), 0, "%s", td_error_last());
	while ((rc = td_tm_iter_next(&u, it)) > 0) {
		fprintf(f, "%s\t%s\t%lld", u->source, u->target, (long long)u->nprovenance);
		for (i = 0; i < u->norigins; i++)
			fprintf(f, "\t%s %lld %.6f", u->origins[i].src_name, (long long)u->origins[i].position,
				u->origins[i].score);
		fputc('\n', f);
	}
	cr_assert_eq(rc, 0, "%s", td_error_last());
	td_tm_iter_free(it);
	td_tm_close(tm);
	fclose(f);
	return buf;
}

static long long count(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	long long n = -1;

	cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK, "%s: %s", sql,
		sqlite3_errmsg(db));
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

static tm_counts tm_count(const char *path)
{
	tm_counts c = { 0 };
	td_tm *tm = NULL;
	td_tm_stats st;
	sqlite3 *db;
	sqlite3_stmt *s;

	cr_assert_eq(td_tm_open(&tm, path, TD_TM_READONLY), 0, "%s", td_error_last());
	cr_assert_eq(td_tm_stats_get(&st, tm), 0, "%s", td_error_last());
	c.units = st.units;
	c.documents = st.documents;
	c.provenance = st.provenance;
	td_tm_stats_free(&st);
	td_tm_close(tm);
	c.content = content(path);
	if (th_pg()) {
		char *out = th_sql(path, DUPLICATES_SQL);
		c.duplicates = atoll(out);
		free(out);
		snprintf(c.integrity, sizeof(c.integrity), "ok");  /* the server keeps its own */
		return c;
	}
	cr_assert_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &s, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_step(s), SQLITE_ROW);
	snprintf(c.integrity, sizeof(c.integrity), "%s", (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	c.duplicates = count(db, DUPLICATES_SQL);
	sqlite3_close(db);
	return c;
}

/* A directory with the sample pairs: NAME.de + NAME.en (running text). */
static void sample_dir(const char *dir)
{
	char from[4096], to[4096];
	size_t i;

	mkdir(dir, 0700);
	for (i = 0; i < NPAIRS; i++) {
		snprintf(from, sizeof(from), "%s", th_src("bitexts"));
		snprintf(from + strlen(from), sizeof(from) - strlen(from), "/%s.de", pairs[i]);
		snprintf(to, sizeof(to), "%s/%s.de", dir, pairs[i]);
		copy(from, to);
		from[strlen(from) - 2] = '\0';
		strcat(from, "en");
		snprintf(to, sizeof(to), "%s/%s.en", dir, pairs[i]);
		copy(from, to);
	}
}

Test(cli_batch, help_and_usage_errors)
{
	const char *help[] = { "batch", "--help", NULL };
	const char *none[] = { "batch", NULL };
	const char *nolang[] = { "batch", "--report", "r.json", "/tmp", NULL };
	const char *nothing[] = { "batch", "-s", "de", "-t", "en", "/tmp", NULL };
	const char *badj[] = { "batch", "-j", "zwei", "--report", "r", "/tmp", NULL };
	const char *badfmt[] = { "batch", "-f", "docx", "--report", "r", "/tmp", NULL };
	th_result r = run(help);

	cr_assert_eq(r.status, 0);
	cr_assert(strstr(r.out, "usage: tandem batch") != NULL);
	th_result_free(&r);
	r = run(none);
	cr_assert_eq(r.status, 2);
	th_result_free(&r);
	r = run(nolang);
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "needs -s and -t") != NULL, "%s", r.err);
	th_result_free(&r);
	r = run(nothing);
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "nothing to do") != NULL, "%s", r.err);
	th_result_free(&r);
	r = run(badj);
	cr_assert_eq(r.status, 2);
	th_result_free(&r);
	r = run(badfmt);
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "docx") != NULL, "%s", r.err);
	th_result_free(&r);
}

/* The presegmented sample bitexts as one batch, scored against their gold. */
Test(cli_batch, bitexts_as_a_batch_match_their_gold)
{
	const char *argv[] = { "batch", "-s", "de", "-t", "en", "--presegmented", "-j", "2",
		"-f", "beads", "--out", at("out"), "--report", at("report.json"), th_src("bitexts/seg"), NULL };
	td_alscore acc = TD_ALSCORE_INIT;
	td_alscore_result res;
	th_result r = run(argv);
	size_t i;

	cr_assert_eq(r.status, 0, "stderr: %s", r.err);
	cr_assert_eq(r.outlen, 0, "batch prints nothing on stdout");
	cr_assert(strstr(r.err, "batch: 8 pairs: 8 aligned, 0 skipped, 0 failed") != NULL, "%s", r.err);
	for (i = 0; i < NPAIRS; i++) {
		char gold[4096], hyp[4096];
		td_alignment *g = NULL, *h = NULL;

		snprintf(gold, sizeof(gold), "%s/%s.gold", th_src("bitexts/gold"), pairs[i]);
		snprintf(hyp, sizeof(hyp), "%s/%s.beads", at("out"), pairs[i]);
		cr_assert_eq(td_alignment_read(&g, gold), 0, "%s", td_error_last());
		cr_assert_eq(td_alignment_read(&h, hyp), 0, "%s", td_error_last());
		cr_assert_eq(td_alscore_add(&acc, g, h), 0);
		td_alignment_free(g);
		td_alignment_free(h);
	}
	td_alscore_compute(&res, &acc);
	cr_assert_geq(res.f_strict, 0.85, "strict F1 of the batch: %.3f", res.f_strict);
	th_result_free(&r);
}

Test(cli_batch, report_has_the_fields_a_corpus_builder_needs)
{
	const char *argv[] = { "batch", "-s", "de", "-t", "en", "--no-learn", "--no-lexicon",
		"--report", at("r.json"), at("in"), NULL };
	const char *fields[] = {
		"{\n  \"documents\": [\n", "\"name\": \"brandtner\"", "\"status\": \"aligned\"",
		"\"sentences\": {\"source\": ", "\"beads\": {\"total\": ", "\"1-1\": ", "\"0-1\": ",
		"\"2-1\": ", "\"score\": {\"mean\": ", "\"min\": ", "\"length_ratio\": ", "\"flags\": [", "\"regions\": [",
		"\"summary\": {\"pairs\": 8, \"aligned\": 8, \"skipped\": 0, \"failed\": 0",
		"\"unmatched\": [\"", "nur-deutsch.de\"]", "\"sentences_per_second\": ",
	};
	th_result r;
	char *rep;
	size_t i;

	sample_dir(at("in"));
	cr_assert_eq(th_write(at("in/nur-deutsch.de"), "Nur auf Deutsch.\n", 17), 0);
	r = run(argv);
	cr_assert_eq(r.status, 0, "stderr: %s", r.err);
	cr_assert(strstr(r.err, "nur-deutsch.de: no partner file") != NULL, "%s", r.err);
	rep = th_read(at("r.json"), NULL);
	cr_assert_not_null(rep);
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		cr_assert(strstr(rep, fields[i]) != NULL, "report lacks %s:\n%s", fields[i], rep);
	if (access("/usr/bin/python3", X_OK) == 0) {
		char cmd[8192];

		snprintf(cmd, sizeof(cmd), "/usr/bin/python3 -c 'import json,sys; "
			"d=json.load(open(sys.argv[1])); assert len(d[\"documents\"])==8' %s", at("r.json"));
		cr_assert_eq(system(cmd), 0, "the report is not the JSON expected");
	}
	free(rep);
	th_result_free(&r);
}

/* A missing file and a binary file fail their pairs; the others are aligned. */
Test(cli_batch, failing_pairs_do_not_stop_the_batch)
{
	const char *argv[] = { "batch", "--no-learn", "--no-lexicon", "--tm", tm_main,
		"--report", at("r.json"), at("list.tsv"), NULL };
	char list[16384];
	th_result r;
	char *rep;

	sample_dir(at("in"));
	cr_assert_eq(th_write(at("in/binär.de"), "Bin\0\0\1\2 Daten", 14), 0);
	snprintf(list, sizeof(list),
		"%s\t%s\n"
		"%s\t%s\tfehlt\n"
		"%s\t%s\n"
		"%s\t%s\n",
		at("in/sturm.de"), at("in/sturm.en"),
		at("in/gibt-es-nicht.de"), at("in/sturm.en"),
		at("in/binär.de"), at("in/fussball.en"),
		at("in/schulbau.de"), at("in/schulbau.en"));
	cr_assert_eq(th_write(at("list.tsv"), list, strlen(list)), 0);
	r = run(argv);
	cr_assert_eq(r.status, 1, "stderr: %s", r.err);
	cr_assert(strstr(r.err, "tandem: fehlt: ") != NULL, "%s", r.err);
	cr_assert(strstr(r.err, "gibt-es-nicht.de") != NULL, "%s", r.err);
	cr_assert(strstr(r.err, "tandem: binär: ") != NULL, "%s", r.err);
	cr_assert(strstr(r.err, "2 aligned, 0 skipped, 2 failed") != NULL, "%s", r.err);
	rep = th_read(at("r.json"), NULL);
	cr_assert_not_null(rep);
	cr_assert(strstr(rep, "\"name\": \"fehlt\"") != NULL);
	cr_assert(strstr(rep, "\"status\": \"failed\", \"error\": \"") != NULL, "%s", rep);
	cr_assert(strstr(rep, "\"flags\": [\"decode_error\"]") != NULL, "%s", rep);
	free(rep);
	{
		tm_counts tc = tm_count(tm_main);

		cr_assert_eq(tc.documents, 2);
		free(tc.content);
	}
	th_result_free(&r);
}

Test(cli_batch, bad_list_line_is_named)
{
	const char *argv[] = { "batch", "--report", at("r.json"), at("list"), NULL };
	th_result r;

	cr_assert_eq(th_write(at("list"), "a.de\tb.en\nnur-ein-feld\n", 23), 0);
	r = run(argv);
	cr_assert_eq(r.status, 1);
	cr_assert(strstr(r.err, "line 2: expected source<TAB>target") != NULL, "%s", r.err);
	th_result_free(&r);
}

Test(cli_batch, resume_skips_pairs_the_tm_holds)
{
	const char *all[] = { "batch", "-s", "de", "-t", "en", "--no-lexicon", "--tm", tm_main,
		at("in"), NULL };
	const char *ref[] = { "batch", "-s", "de", "-t", "en", "--no-lexicon", "--tm", tm_ref,
		at("in"), NULL };
	char list[8192];
	tm_counts a, b;
	th_result r;

	sample_dir(at("in"));
	/* First three pairs only, through a LIST. */
	snprintf(list, sizeof(list), "%s\t%s\n%s\t%s\n%s\t%s\n",
		at("in/brandtner.de"), at("in/brandtner.en"),
		at("in/fussball.de"), at("in/fussball.en"),
		at("in/sturm.de"), at("in/sturm.en"));
	cr_assert_eq(th_write(at("three"), list, strlen(list)), 0);
	{
		const char *argv[] = { "batch", "-s", "de", "-t", "en", "--no-lexicon", "--tm", tm_main,
			at("three"), NULL };

		r = run(argv);
		cr_assert_eq(r.status, 0, "%s", r.err);
		th_result_free(&r);
	}
	r = run(all);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.err, "8 pairs: 5 aligned, 3 skipped, 0 failed") != NULL, "%s", r.err);
	th_result_free(&r);
	r = run(all);
	cr_assert(strstr(r.err, "8 pairs: 0 aligned, 8 skipped, 0 failed") != NULL, "%s", r.err);
	th_result_free(&r);
	r = run(ref);
	cr_assert_eq(r.status, 0, "%s", r.err);
	th_result_free(&r);
	a = tm_count(tm_main);
	b = tm_count(tm_ref);
	cr_assert_eq(a.units, b.units);
	cr_assert_eq(a.documents, 8);
	cr_assert_eq(a.provenance, b.provenance);
	cr_assert_eq(a.duplicates, 0);
	free(a.content);
	free(b.content);
}

/*
 * Copies of the samples, each made distinct by an extra closing sentence, so
 * the batch is long enough to be killed in the middle.
 */
static void many_pairs(const char *dir, int copies)
{
	char path[4096];
	int k;
	size_t i;

	mkdir(dir, 0700);
	for (k = 0; k < copies; k++) {
		for (i = 0; i < NPAIRS; i++) {
			const char *side[2] = { "de", "en" };
			int s;

			if (strstr(pairs[i], "utf16") || strstr(pairs[i], "latin1"))
				continue;
			for (s = 0; s < 2; s++) {
				char src[4096], tail[128];
				size_t len;
				char *data;
				FILE *f;

				snprintf(src, sizeof(src), "%s/%s.%s", th_src("bitexts"), pairs[i], side[s]);
				data = th_read(src, &len);
				cr_assert_not_null(data);
				snprintf(path, sizeof(path), "%s/k%03d-%s.%s", dir, k, pairs[i], side[s]);
				f = fopen(path, "wb");
				cr_assert_not_null(f);
				fwrite(data, 1, len, f);
				snprintf(tail, sizeof(tail), s == 0 ? "\n\nDas war Ausgabe Nr. %d." :
					"\n\nThat was issue no. %d.", k + 1);
				fputs(tail, f);
				fclose(f);
				free(data);
			}
		}
	}
}

static pid_t spawn(const char *const *argv)
{
	const char *bin = getenv("TANDEM_BIN");
	pid_t pid = fork();

	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, 1);
		dup2(null, 2);
		execv(bin ? bin : "tandem", (char *const *)argv);
		_exit(127);
	}
	return pid;
}

Test(cli_batch, sigkill_and_resume_gives_the_same_tm, .timeout = 300)
{
	const char *ref[] = { "tandem", "batch", "-s", "de", "-t", "en", "-j", "2", "--no-lexicon",
		"--tm", tm_ref, at("in"), NULL };
	tm_counts want, got;
	struct timespec t0, t1;
	double full;
	int trial, status;
	pid_t pid;

	many_pairs(at("in"), 12);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = spawn(ref);
	waitpid(pid, &status, 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	full = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	want = tm_count(tm_ref);
	cr_assert_eq(want.documents, 12 * (NPAIRS - 2));
	srand(42);
	for (trial = 0; trial < 2; trial++) {
		char db[64];
		const char *argv[] = { "tandem", "batch", "-s", "de", "-t", "en", "-j", "2", "--no-lexicon",
			"--tm", NULL, at("in"), NULL };
		useconds_t delay = (useconds_t)(full * 1e6 * (0.3 + 0.5 * rand() / (double)RAND_MAX));

		snprintf(db, sizeof(db), "trial%d.db", trial);
		argv[10] = strdup(th_tm(db));
		pid = spawn(argv);
		usleep(delay);
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		pid = spawn(argv);
		waitpid(pid, &status, 0);
		cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "resume failed");
		got = tm_count(argv[10]);
		cr_assert_str_eq(got.integrity, "ok");
		cr_assert_eq(got.units, want.units, "trial %d: %lld units, want %lld", trial, got.units, want.units);
		cr_assert_eq(got.documents, want.documents);
		cr_assert_eq(got.provenance, want.provenance);
		cr_assert_eq(got.duplicates, 0);
		cr_assert_str_eq(got.content, want.content, "trial %d: the TM differs from an uninterrupted run", trial);
		free(got.content);
		free((char *)argv[10]);
	}
	free(want.content);
}
