/* Batches: finding pairs (DIR, LIST) and the bounded worker pool. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/pool.h"
#include "helpers.h"
#include "tandem/align.h"
#include "tandem/batch.h"
#include "tandem/segment.h"

static void put(const char *rel, const char *text)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", th_dir, rel);
	cr_assert_eq(th_write(path, text, strlen(text)), 0, "cannot write %s", path);
}

static const char *at(const char *rel)
{
	static char path[4096];

	snprintf(path, sizeof(path), "%s/%s", th_dir, rel);
	return path;
}

TestSuite(batch_pairs, .init = th_dir_setup, .fini = th_dir_teardown);

Test(batch_pairs, dir_pairs_by_name_and_reports_the_unmatched)
{
	td_batch_pairs *p = NULL;

	put("b.de", "Grüße aus Köln.\n");
	put("b.en", "Greetings from Cologne.\n");
	put("a.de", "„Ja“, sagte er.\n");
	put("a.en", "\"Yes,\" he said.\n");
	put("a.gold", "[0]:[0]\n");           /* other extension: ignored */
	put("nur-deutsch.de", "Straße.\n");   /* no partner */
	put("only-english.en", "Street.\n");  /* no partner */
	put("news.de.213584.de", "Älter.\n"); /* dots inside the name */
	put("news.de.213584.en", "Older.\n");
	mkdir(at("sub.de"), 0700);            /* a directory is not a document */
	mkdir(at("sub.en"), 0700);
	cr_assert_eq(td_batch_pairs_dir(&p, th_dir, "de", "en"), 0, "%s", td_error_last());
	cr_assert_eq(p->n, 3);
	cr_assert_str_eq(p->v[0].name, "a");
	cr_assert_str_eq(p->v[1].name, "b");
	cr_assert_str_eq(p->v[2].name, "news.de.213584");
	cr_assert_str_eq(p->v[2].src, at("news.de.213584.de"));
	cr_assert_str_eq(p->v[2].tgt, at("news.de.213584.en"));
	cr_assert_eq(p->v[0].line, 0);
	cr_assert_eq(p->nunmatched, 2);
	cr_assert_str_eq(p->unmatched[0], at("nur-deutsch.de"));
	cr_assert_str_eq(p->unmatched[1], at("only-english.en"));
	td_batch_pairs_free(p);
}

Test(batch_pairs, dir_empty_and_missing)
{
	td_batch_pairs *p = NULL;

	cr_assert_eq(td_batch_pairs_dir(&p, th_dir, "de", "en"), 0);
	cr_assert_eq(p->n, 0);
	td_batch_pairs_free(p);
	cr_assert_eq(td_batch_pairs_dir(&p, at("nowhere"), "de", "en"), TD_EIO);
	cr_assert_null(p);
	cr_assert(strstr(td_error_last(), "nowhere") != NULL, "%s", td_error_last());
	cr_assert_eq(td_batch_pairs_dir(&p, th_dir, "de", "de"), TD_EINVAL);
	td_batch_pairs_free(NULL);
}

Test(batch_pairs, list_fields_names_comments_and_crlf)
{
	td_batch_pairs *p = NULL;

	put("list.tsv",
		"# source\ttarget\tname\n"
		"x/Überblick.de\ty/overview.en\n"
		"\n"
		"a.txt\tb.txt\tpaar-2\r\n"
		"noext\tother\n");
	cr_assert_eq(td_batch_pairs_list(&p, at("list.tsv")), 0, "%s", td_error_last());
	cr_assert_eq(p->n, 3);
	cr_assert_str_eq(p->v[0].src, "x/Überblick.de");
	cr_assert_str_eq(p->v[0].tgt, "y/overview.en");
	cr_assert_str_eq(p->v[0].name, "Überblick");
	cr_assert_eq(p->v[0].line, 2);
	cr_assert_str_eq(p->v[1].name, "paar-2");
	cr_assert_str_eq(p->v[1].tgt, "b.txt");
	cr_assert_eq(p->v[1].line, 4);
	cr_assert_str_eq(p->v[2].name, "noext");
	cr_assert_eq(p->nunmatched, 0);
	td_batch_pairs_free(p);
}

/* Arrays, not pointers: Criterion copies parameters into each test's process. */
struct bad_list {
	char text[80];
	char message[80];  /* expected in the error, with the line number */
};

ParameterizedTestParameters(batch_pairs, list_bad_line_names_the_line)
{
	static struct bad_list rows[] = {
		{ "a.de\tb.en\nnur-eine-spalte.de\n", "line 2: expected source<TAB>target" },
		{ "a.de\tb.en\tn\textra\n", "line 1: expected source<TAB>target[<TAB>name], found 4" },
		{ "# Kopf\n\ta.en\n", "line 2: empty field" },
		{ "a.de\tb.en\tx/y\n", "line 1: name 'x/y' is not a plain file name" },
		{ "d1/a.de\td1/a.en\nd2/a.de\td2/a.en\n", "line 2: name 'a' is already used on line 1" },
		{ "a.de\tb.en\t..\n", "line 1: name '..'" },
	};
	return cr_make_param_array(struct bad_list, rows, sizeof(rows) / sizeof(rows[0]));
}

ParameterizedTest(struct bad_list *row, batch_pairs, list_bad_line_names_the_line)
{
	td_batch_pairs *p = NULL;

	put("list", row->text);
	cr_assert_eq(td_batch_pairs_list(&p, at("list")), TD_EFORMAT);
	cr_assert_null(p);
	cr_assert(strstr(td_error_last(), row->message) != NULL, "got: %s", td_error_last());
}

Test(batch_pairs, list_missing_file)
{
	td_batch_pairs *p = NULL;

	cr_assert_eq(td_batch_pairs_list(&p, at("keine-liste.tsv")), TD_EIO);
	cr_assert(strstr(td_error_last(), "keine-liste.tsv") != NULL);
}

/* The pool: a job is an index; work squares it after a delay that makes the
 * completion order differ from the input order. */
typedef struct {
	size_t n;
	size_t next;          /* next index expected by deliver (ordered) */
	size_t delivered;
	unsigned char *seen;
	size_t stop_at;       /* deliver fails on this index (SIZE_MAX: never) */
	size_t skip_every;    /* produce hands a ready result for i % skip_every == 0 */
	int ordered;
	size_t inflight, max_inflight;
	size_t discarded;
	int slow_discard;     /* discard takes a millisecond (workers finish meanwhile) */
} pool_state;

static int p_produce(void *ud, size_t i, void **job, void **result)
{
	pool_state *s = ud;
	size_t *v = malloc(sizeof(*v));

	*v = i;
	if (s->skip_every && i % s->skip_every == 0)
		*result = v;
	else
		*job = v;
	__atomic_add_fetch(&s->inflight, 1, __ATOMIC_SEQ_CST);
	if (s->inflight > s->max_inflight)
		s->max_inflight = s->inflight;
	return 0;
}

static void *p_work(void *ud, void *job, unsigned worker)
{
	size_t *v = job;

	(void)ud;
	(void)worker;
	if (*v % 3 == 0)
		usleep(500);
	*v = *v * 1000 + *v;
	return v;
}

static int p_deliver(void *ud, size_t i, void *result)
{
	pool_state *s = ud;
	size_t *v = result;
	size_t expect = s->skip_every && i % s->skip_every == 0 ? i : i * 1001;

	__atomic_sub_fetch(&s->inflight, 1, __ATOMIC_SEQ_CST);
	cr_assert_eq(*v, expect, "item %zu: got %zu", i, *v);
	cr_assert_lt(i, s->n);
	cr_assert(!s->seen[i], "item %zu delivered twice", i);
	s->seen[i] = 1;
	if (s->ordered)
		cr_assert_eq(i, s->next++, "out of order");
	s->delivered++;
	free(v);
	return i == s->stop_at ? TD_EINTERRUPTED : 0;
}

static void p_discard(void *ud, void *result)
{
	pool_state *s = ud;

	s->discarded++;
	if (s->slow_discard)
		usleep(1000);
	free(result);
}

static void run_pool(size_t n, unsigned jobs, size_t window, int ordered, size_t skip_every)
{
	pool_state s = { .n = n, .stop_at = (size_t)-1, .ordered = ordered, .skip_every = skip_every };
	td_pool_opts o = { jobs, window, ordered, p_produce, p_work, p_deliver, p_discard, &s };
	size_t i;

	s.seen = calloc(n + 1, 1);
	cr_assert_eq(td_pool_run(n, &o), 0);
	cr_assert_eq(s.delivered, n);
	for (i = 0; i < n; i++)
		cr_assert(s.seen[i], "item %zu never delivered", i);
	cr_assert_leq(s.max_inflight, window ? window : 4 * jobs, "window exceeded: %zu", s.max_inflight);
	free(s.seen);
}

Test(batch_pool, ordered_delivers_every_item_once_in_order)
{
	run_pool(500, 2, 3, 1, 0);
	run_pool(200, 4, 0, 1, 7);
	run_pool(1, 1, 1, 1, 0);
	run_pool(0, 2, 0, 1, 0);
}

Test(batch_pool, unordered_delivers_every_item_once)
{
	run_pool(500, 2, 3, 0, 0);
	run_pool(300, 3, 5, 0, 4);
}

Test(batch_pool, a_failing_deliver_stops_and_discards_the_rest)
{
	pool_state s = { .n = 1000, .stop_at = 10, .ordered = 1 };
	td_pool_opts o = { 2, 8, 1, p_produce, p_work, p_deliver, p_discard, &s };

	s.seen = calloc(s.n, 1);
	cr_assert_eq(td_pool_run(s.n, &o), TD_EINTERRUPTED);
	cr_assert_eq(s.delivered, 11);
	cr_assert_lt(s.discarded, 8, "only the window is in flight");
	cr_assert_eq(s.inflight, s.discarded);
	free(s.seen);
}

/*
 * A stop while workers still run: they finish while discard runs, with the
 * pool's lock released, so their signals reach no waiter; the pool must
 * still see every result done and return (it used to wait forever).
 */
Test(batch_pool, a_stop_drains_results_finished_during_discard)
{
	for (int k = 0; k < 20; k++) {
		pool_state s = { .n = 1000, .stop_at = 3, .ordered = k % 2, .slow_discard = 1 };
		td_pool_opts o = { 4, 8, k % 2, p_produce, p_work, p_deliver, p_discard, &s };

		s.seen = calloc(s.n, 1);
		cr_assert_eq(td_pool_run(s.n, &o), TD_EINTERRUPTED);
		cr_assert_eq(s.inflight, s.discarded, "every undelivered result is discarded");
		free(s.seen);
	}
}

Test(batch_pool, rejects_no_workers)
{
	td_pool_opts o = { 0, 1, 1, p_produce, p_work, p_deliver, NULL, NULL };

	cr_assert_eq(td_pool_run(3, &o), TD_EINVAL);
	cr_assert_geq(td_pool_default_jobs(), 1);
}

/* td_batch_run: order, failures, skips, tags, progress, the learning pass. */
typedef struct {
	size_t delivered, failed, skipped, tags_freed, checks;
	size_t last_index;
	unsigned max_pass, passes_seen;
	size_t final_done, final_total;
	char error[512];
	size_t nsrc[8];
} run_state;

static size_t tags_freed;

static void count_tag_free(void *tag)
{
	tags_freed++;
	free(tag);
}

static int r_check(void *ud, const td_batch_pair *pair, const void *src, size_t src_len,
	const void *tgt, size_t tgt_len, int *skip, void **tag)
{
	run_state *s = ud;

	(void)tgt;
	cr_assert_gt(src_len, 0);
	cr_assert_gt(tgt_len, 0);
	cr_assert(memcmp(src, "Der", 3) == 0 || memcmp(src, "Die", 3) == 0, "raw bytes of %s", pair->src);
	s->checks++;
	*skip = strcmp(pair->name, "c") == 0;
	*tag = strdup(pair->name);
	return 0;
}

static int r_deliver(void *ud, const td_batch_result *r)
{
	run_state *s = ud;

	if (s->delivered)
		cr_assert_gt(r->index, s->last_index, "input order");
	s->last_index = r->index;
	s->delivered++;
	cr_assert_str_eq(r->tag, r->pair->name, "the tag of check comes back");
	if (r->status) {
		s->failed++;
		snprintf(s->error, sizeof(s->error), "%s", r->error);
		cr_assert_null(r->ladder);
	} else if (r->skipped) {
		s->skipped++;
		cr_assert_null(r->ladder);
	} else {
		cr_assert_not_null(r->ladder);
		cr_assert_eq(r->stats.nsrc, r->src->n);
		cr_assert_eq(r->stats.beads, r->ladder->n);
		cr_assert_geq(r->stats.mean_score, r->stats.min_score);
		s->nsrc[r->index] = r->stats.nsrc;
	}
	return 0;
}

static void r_progress(void *ud, const td_batch_progress *p)
{
	run_state *s = ud;

	if (p->pass > s->max_pass) {
		s->max_pass = p->pass;
		s->passes_seen++;
	}
	cr_assert_leq(p->done, p->total);
	s->final_done = p->done;
	s->final_total = p->total;
}

static void run_small_batch(int learn, unsigned jobs)
{
	td_batch_pairs *p = NULL;
	td_batch_opts o = TD_BATCH_OPTS_INIT;
	run_state s = { 0 };

	put("a.de", "Der Bürgermeister eröffnete das Hallenbad.\n\nDie Stadt zahlte 5.000 Euro.\n");
	put("a.en", "The mayor opened the indoor pool.\n\nThe town paid 5,000 euros.\n");
	put("b.de", "Die Ärzte warnten vor der Grippe. Sie rieten zur Impfung.\n");
	put("b.en", "The doctors warned of the flu. They advised vaccination.\n");
	put("c.de", "Der Zug fiel aus.\n");
	put("c.en", "The train was cancelled.\n");
	cr_assert_eq(th_write(at("d.de"), "Die Datei ist kaputt: \0\1\n", 24), 0); /* binary */
	put("d.en", "The file is broken.\n");
	put("e.de", "Der Sturm „Xaver“ kam am 5. Dezember.\n");
	put("e.en", "Storm \"Xaver\" arrived on 5 December.\n");
	cr_assert_eq(td_batch_pairs_dir(&p, th_dir, "de", "en"), 0);
	cr_assert_eq(p->n, 5);
	o.learn = learn;
	o.jobs = jobs;
	o.window = 2;
	o.check = r_check;
	o.deliver = r_deliver;
	o.progress = r_progress;
	o.tag_free = count_tag_free;
	o.ud = &s;
	tags_freed = 0;
	cr_assert_eq(td_batch_run(p, &o), 0, "%s", td_error_last());
	cr_assert_eq(s.delivered, 5);
	cr_assert_eq(s.checks, 5, "check runs once per pair, in the last pass only");
	cr_assert_eq(tags_freed, 5);
	cr_assert_eq(s.skipped, 1);
	cr_assert_eq(s.failed, 1);
	cr_assert(strstr(s.error, "d.de") != NULL, "the error names the file: %s", s.error);
	cr_assert_eq(s.nsrc[0], 2);
	cr_assert_eq(s.nsrc[1], 2);
	cr_assert_eq(s.passes_seen, learn ? 2u : 1u);
	cr_assert_eq(s.final_done, 5);
	cr_assert_eq(s.final_total, 5);
	td_batch_pairs_free(p);
}

Test(batch_pairs, run_delivers_in_order_with_failures_and_skips)
{
	run_small_batch(0, 2);
}

Test(batch_pairs, run_with_a_learning_pass)
{
	run_small_batch(1, 3);
}

Test(batch_pairs, run_rejects_missing_callbacks)
{
	td_batch_pairs p = { 0 };
	td_batch_opts o = TD_BATCH_OPTS_INIT;

	cr_assert_eq(td_batch_run(&p, &o), TD_EINVAL);
	cr_assert_str_eq(td_bead_type_name(TD_BEAD_2_1), "2-1");
	{
		td_bead b = { 0, 1, 0, 3, 0.5 };

		cr_assert_eq(td_bead_type_of(&b), TD_BEAD_1_3);
		b.nsrc = 4;
		cr_assert_eq(td_bead_type_of(&b), TD_BEAD_OTHER);
	}
}

/* ---- the batch lexicon (align/learned.c) ---- */

static td_doc *lines(const char *text, const char *lang)
{
	td_seg_opts o = TD_SEG_OPTS_INIT;

	o.lang = lang;
	o.mode = TD_SEG_PRESEGMENTED;
	td_doc *d = NULL;
	cr_assert_eq(td_seg_split(&d, text, strlen(text), &o), 0, "%s", td_error_last());
	return d;
}

/* Pair i: three confident 1-1 beads; the words recur across pairs so that their pairs are counted twice or more. */
static const char *const learn_de[] = {
	"Das Haus ist rot.\nDer Hund bellt laut.\nDie Katze schläft.\n",
	"Das Haus brennt.\nDie Katze frisst.\nDer Hund schläft.\n",
	"Der Hund und die Katze.\nDas Haus ist alt.\nDer Garten blüht.\n",
	"Der Garten ist groß.\nDas Haus steht.\nDie Katze bellt nicht.\n",
};
static const char *const learn_en[] = {
	"The house is red.\nThe dog barks loudly.\nThe cat sleeps.\n",
	"The house burns.\nThe cat eats.\nThe dog sleeps.\n",
	"The dog and the cat.\nThe house is old.\nThe garden blooms.\n",
	"The garden is large.\nThe house stands.\nThe cat does not bark.\n",
};

static size_t learn_in_order(const int *order, double score)
{
	td_learned *l = NULL;
	td_align_opts o = TD_ALIGN_OPTS_INIT;
	td_bead beads[3];
	o.src_lang = "de";
	o.tgt_lang = "en";
	cr_assert_eq(td_learned_new(&l), 0);
	for (size_t b = 0; b < 3; b++)
		beads[b] = (td_bead){ .src = b, .nsrc = 1, .tgt = b, .ntgt = 1, .score = score };
	td_ladder ladder = { beads, 3 };
	for (int k = 0; k < 4; k++) {
		td_doc *s = lines(learn_de[order[k]], "de"), *t = lines(learn_en[order[k]], "en");
		cr_assert_eq(td_learned_add(l, s, t, &ladder, &o), 0, "%s", td_error_last());
		td_doc_free(s);
		td_doc_free(t);
	}
	cr_assert_eq(td_learned_finish(l), 0);
	cr_assert_eq(td_learned_finish(l), 0, "finishing twice is harmless");
	size_t n = td_learned_size(l);
	td_learned_free(l);
	return n;
}

Test(batch_learned, learns_the_same_whatever_the_order_of_the_pairs)
{
	static const int fwd[] = { 0, 1, 2, 3 }, back[] = { 3, 2, 1, 0 }, mixed[] = { 2, 0, 3, 1 };
	size_t a = learn_in_order(fwd, 1.0);
	cr_assert_gt(a, 0, "recurring word pairs are learned");
	cr_expect_eq(learn_in_order(back, 1.0), a);
	cr_expect_eq(learn_in_order(mixed, 1.0), a);
	/* Beads below the confidence floor teach nothing. */
	cr_expect_eq(learn_in_order(fwd, 0.5), 0);
}

Test(batch_learned, an_empty_batch_learns_nothing)
{
	td_learned *l = NULL;
	cr_assert_eq(td_learned_new(&l), 0);
	cr_assert_eq(td_learned_finish(l), 0);
	cr_expect_eq(td_learned_size(l), 0);
	td_learned_free(l);
	td_learned_free(NULL);
}

/* ---- flags (td_batch_flags_of) ---- */

static td_batch_stats pair_stats(size_t src_chars, size_t tgt_chars, size_t one_one,
	size_t unaligned, size_t weak)
{
	td_batch_stats s;

	memset(&s, 0, sizeof(s));
	s.src_chars = src_chars;
	s.tgt_chars = tgt_chars;
	s.types[TD_BEAD_1_1] = one_one;
	s.types[TD_BEAD_1_0] = unaligned;
	s.beads = one_one + unaligned;
	s.linked = one_one;
	s.weak = weak;
	return s;
}

Test(batch_flags, rules)
{
	td_batch_stats v[7];
	td_batch_ratios r;
	size_t i;

	for (i = 0; i < 6; i++)
		v[i] = pair_stats(1000 + 10 * i, 1000, 20, 0, 0);
	v[6] = pair_stats(2000, 1000, 20, 0, 0);   /* twice as long as its translation */
	cr_assert_eq(td_batch_ratios_of(&r, v, 7), 0);
	cr_assert_eq(r.n, 7);
	cr_assert_float_eq(r.median, log(1031.0 / 1001.0), 1e-9);
	for (i = 0; i < 6; i++)
		cr_assert_eq(td_batch_flags_of(&v[i], 0, &r), 0, "pair %zu", i);
	cr_assert_eq(td_batch_flags_of(&v[6], 0, &r), TD_BATCH_FLAG_LENGTH_RATIO);

	/* 11 of 20 linked beads weak: low confidence; 10 of 20 is not. */
	v[0].weak = 11;
	cr_assert_eq(td_batch_flags_of(&v[0], 0, &r), TD_BATCH_FLAG_LOW_CONFIDENCE);
	v[0].weak = 10;
	cr_assert_eq(td_batch_flags_of(&v[0], 0, &r), 0);

	/* 1-0 beads: 9 of 29 (31 %) flag, 2 of 6 (33 %) do not (fewer than 3). */
	v[1] = pair_stats(1000, 1000, 20, 9, 0);
	cr_assert_eq(td_batch_flags_of(&v[1], 0, &r), TD_BATCH_FLAG_MANY_UNALIGNED);
	v[1] = pair_stats(1000, 1000, 4, 2, 0);
	cr_assert_eq(td_batch_flags_of(&v[1], 0, &r), 0);

	/* A failed pair: zero stats, only its decode error. */
	memset(&v[2], 0, sizeof(v[2]));
	cr_assert_eq(td_batch_flags_of(&v[2], 1, &r), TD_BATCH_FLAG_DECODE_ERROR);
	cr_assert_eq(td_batch_flags_of(&v[2], 0, &r), 0);
}

Test(batch_flags, length_ratio_needs_five_pairs)
{
	td_batch_stats v[4];
	td_batch_ratios r;
	size_t i;

	for (i = 0; i < 3; i++)
		v[i] = pair_stats(1000, 1000, 20, 0, 0);
	v[3] = pair_stats(3000, 1000, 20, 0, 0);
	cr_assert_eq(td_batch_ratios_of(&r, v, 4), 0);
	cr_assert_eq(r.n, 4);
	cr_assert_eq(td_batch_flags_of(&v[3], 0, &r), 0);
}

Test(batch_flags, names)
{
	cr_assert_str_eq(td_batch_flag_name(TD_BATCH_FLAG_LOW_CONFIDENCE), "low_confidence");
	cr_assert_str_eq(td_batch_flag_name(TD_BATCH_FLAG_LENGTH_RATIO), "length_ratio");
	cr_assert_str_eq(td_batch_flag_name(TD_BATCH_FLAG_MANY_UNALIGNED), "many_unaligned");
	cr_assert_str_eq(td_batch_flag_name(TD_BATCH_FLAG_DECODE_ERROR), "decode_error");
	cr_assert_null(td_batch_flag_name(3));
}
