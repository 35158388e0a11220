/*
 * The library's threaded code in one process, without Criterion (whose
 * runner cannot start beside ThreadSanitizer's runtime: its inheritable
 * arena fails to map), so that .ci/run can run it under TSan:
 *   - the worker pool (base/pool.c), ordered and unordered, with items that
 *     skip the workers and runs stopped by deliver while workers finish;
 *   - td_batch_run over the sample pairs in bitexts/ with four workers, a
 *     learning pass and a dictionary (the lexicon's memo and fill locks), which
 *     must give the same beads as one worker.
 * Prints one line per failed check and exits 1 when any failed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/pool.h"
#include "tandem/batch.h"
#include "tandem/error.h"
#include "tandem/lexicon.h"

static int failures;

#define CHECK(cond, ...) do { \
	if (!(cond)) { \
		failures++; \
		fprintf(stderr, "threads.c:%d: ", __LINE__); \
		fprintf(stderr, __VA_ARGS__); \
		fputc('\n', stderr); \
	} \
} while (0)

/* Pool: item i becomes i * 1001 on a worker, or stays i when produce skips it. */
typedef struct {
	size_t n, stop_at, skip_every, next, delivered, discarded;
	int ordered;
	unsigned char *seen;
	int slow_discard;   /* workers finish while discard runs */
} pool_run;

static int p_produce(void *ud, size_t i, void **job, void **result)
{
	pool_run *r = ud;
	size_t *v = malloc(sizeof(*v));

	if (!v)
		return TD_ENOMEM;
	*v = i;
	if (r->skip_every && i % r->skip_every == 0)
		*result = v;
	else
		*job = v;
	return 0;
}

static void *p_work(void *ud, void *job, unsigned worker)
{
	size_t *v = job;

	(void)ud;
	(void)worker;
	if (*v % 7 == 0)
		usleep(50);
	*v = *v * 1001;
	return v;
}

static int p_deliver(void *ud, size_t i, void *result)
{
	pool_run *r = ud;
	size_t *v = result, want = r->skip_every && i % r->skip_every == 0 ? i : i * 1001;

	CHECK(*v == want, "pool item %zu: %zu, expected %zu", i, *v, want);
	CHECK(i < r->n && !r->seen[i], "pool item %zu delivered twice or out of range", i);
	if (i < r->n)
		r->seen[i] = 1;
	if (r->ordered)
		CHECK(i == r->next++, "pool item %zu out of order", i);
	r->delivered++;
	free(v);
	return i == r->stop_at ? TD_EINTERRUPTED : 0;
}

static void p_discard(void *ud, void *result)
{
	pool_run *r = ud;

	r->discarded++;
	if (r->slow_discard)
		usleep(1000);
	free(result);
}

static void pool_case(size_t n, unsigned jobs, size_t window, int ordered, size_t skip_every, size_t stop_at)
{
	pool_run r = { n, stop_at, skip_every, 0, 0, 0, ordered, calloc(n + 1, 1), stop_at < n };
	td_pool_opts o = { jobs, window, ordered, p_produce, p_work, p_deliver, p_discard, &r };
	int rc = td_pool_run(n, &o);

	if (stop_at < n) {
		CHECK(rc == TD_EINTERRUPTED, "pool stopped at %zu: %d", stop_at, rc);
		CHECK(r.delivered + r.discarded <= n && r.discarded <= (window ? window : 4 * jobs),
			"pool stopped at %zu: %zu delivered, %zu discarded", stop_at, r.delivered, r.discarded);
	} else {
		CHECK(rc == 0, "pool of %zu items, %u workers: %d", n, jobs, rc);
		CHECK(r.delivered == n, "pool delivered %zu of %zu", r.delivered, n);
	}
	free(r.seen);
}

/* Batch: the beads of every pair, as a string, to compare runs. */
typedef struct {
	char *beads[64];
	size_t delivered;
} batch_run;

static int b_deliver(void *ud, const td_batch_result *res)
{
	batch_run *r = ud;
	size_t k, len = 0, cap;
	char *s;

	CHECK(res->index < 64 && !r->beads[res->index], "batch pair %zu delivered twice", res->index);
	r->delivered++;
	if (res->index >= 64 || !res->ladder)
		return 0;
	cap = 32 * res->ladder->n + 1;
	if (!(s = malloc(cap)))
		return TD_ENOMEM;
	s[0] = '\0';
	for (k = 0; k < res->ladder->n; k++) {
		const td_bead *b = &res->ladder->v[k];
		len += (size_t)snprintf(s + len, cap - len, "%zu+%zu:%zu+%zu ", b->src, b->nsrc, b->tgt, b->ntgt);
	}
	r->beads[res->index] = s;
	return 0;
}

static void batch_case(const td_batch_pairs *pairs, const td_align_opts *ao, batch_run *out, unsigned jobs)
{
	td_batch_opts o = TD_BATCH_OPTS_INIT;
	int rc;

	o.align = ao;
	o.learn = 1;
	o.jobs = jobs;
	o.window = 3;
	o.deliver = b_deliver;
	o.ud = out;
	rc = td_batch_run(pairs, &o);
	CHECK(rc == 0, "batch with %u workers: %s", jobs, td_error_last());
	CHECK(out->delivered == pairs->n, "batch with %u workers delivered %zu of %zu", jobs, out->delivered,
		pairs->n);
}

int main(void)
{
	const char *srcdir = getenv("TANDEM_SRCDIR");
	char dir[4096], lexpath[] = "/tmp/tandem-threads-XXXXXX";
	static const char lexicon[] =
		"Bürgermeister\tmayor\nStadt\ttown\nStadt\tcity\nSturm\tstorm\nSpiel\tgame\nSpiel\tmatch\n"
		"Mannschaft\tteam\nTor\tgoal\nBad\tpool\nRegierung\tgovernment\nKrieg\twar\nJahr\tyear\n";
	td_batch_pairs *pairs = NULL;
	td_align_opts ao = TD_ALIGN_OPTS_INIT;
	td_lexicon *lx = NULL;
	batch_run one = { 0 }, four = { 0 };
	FILE *f;
	int fd;
	size_t i;

	pool_case(2000, 4, 3, 1, 0, (size_t)-1);
	pool_case(2000, 4, 0, 1, 5, (size_t)-1);
	pool_case(2000, 3, 5, 0, 4, (size_t)-1);
	pool_case(2000, 4, 8, 1, 0, 3);
	pool_case(2000, 4, 8, 0, 3, 3);

	snprintf(dir, sizeof(dir), "%s/bitexts", srcdir && *srcdir ? srcdir : ".");
	if (td_batch_pairs_dir(&pairs, dir, "de", "en") < 0 || pairs->n < 2 || pairs->n > 64) {
		fprintf(stderr, "threads: no sample pairs in %s: %s\n", dir, td_error_last());
		return 1;
	}
	if ((fd = mkstemp(lexpath)) < 0 || !(f = fdopen(fd, "w")) || fputs(lexicon, f) < 0 || fclose(f) != 0) {
		perror(lexpath);
		return 1;
	}
	CHECK(td_lexicon_load(&lx, lexpath, "de", "en") == 0, "lexicon: %s", td_error_last());
	ao.lexicon = lx;
	batch_case(pairs, &ao, &one, 1);
	batch_case(pairs, &ao, &four, 4);
	for (i = 0; i < pairs->n; i++) {
		CHECK(one.beads[i] && four.beads[i] && strcmp(one.beads[i], four.beads[i]) == 0,
			"%s: four workers aligned it differently from one", pairs->v[i].name);
		free(one.beads[i]);
		free(four.beads[i]);
	}
	td_lexicon_free(lx);
	unlink(lexpath);
	td_batch_pairs_free(pairs);
	if (failures)
		fprintf(stderr, "threads: %d checks failed\n", failures);
	else
		printf("threads: ok (pool: 5 runs of 2000 items; batch: %zu pairs, 1 and 4 workers)\n", i);
	return failures ? 1 : 0;
}
