/*
 * A worker pool with a bounded window, private to the library (batch.c uses it).
 *
 * Model: items 0..n-1 flow through three stages (n may be unknown: a stream
 * of items ends when produce says so).
 *   produce(i)  on the calling thread, in index order: reads what the item needs
 *               and either hands back a job for the workers or a finished result
 *               (an item that is skipped or failed before any work);
 *   work(job)   on one of `jobs` worker threads, in any order;
 *   deliver(i)  on the calling thread, in index order (`ordered`) or in the
 *               order the results come in.
 * At most `window` items are between produce and deliver at any time, so memory
 * is bounded by the window, not by n: a run over a million items holds no more
 * than `window` jobs and results. The calling thread is the only one that calls
 * produce and deliver, so whatever they touch (a database, an output file) is
 * owned by one thread and needs no lock.
 */
#ifndef TANDEM_POOL_H
#define TANDEM_POOL_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
	unsigned jobs;   /* worker threads, >= 1 */
	size_t window;   /* items in flight, >= 1 (0: 4 * jobs) */
	int ordered;     /* deliver in index order (1) or completion order (0) */
	/*
	 * Item i: set *job to work on it, or *result to deliver it as is. Return 0,
	 * or a negative code to stop the run (nothing more is produced; the items in
	 * flight are finished and passed to discard, and td_pool_run returns it).
	 * TD_POOL_END (with neither set): there is no item i, the items before it
	 * are the whole run.
	 */
	int (*produce)(void *ud, size_t i, void **job, void **result);
	/* Turn a job into a result (never NULL); runs on worker `worker` (0..jobs-1). */
	void *(*work)(void *ud, void *job, unsigned worker);
	/* Hand result i over (the callee owns it). Non-zero stops the run, as produce. */
	int (*deliver)(void *ud, size_t i, void *result);
	/* Free a result that will not be delivered because the run stops. */
	void (*discard)(void *ud, void *result);
	void *ud;
} td_pool_opts;

#define TD_POOL_END 1

/*
 * Run items 0..n-1 through the pool (n = SIZE_MAX: until produce returns
 * TD_POOL_END). A result that is ready is delivered before the next item is
 * produced, so a produce that waits for input (a pipe) does not hold back
 * what is finished. 0, or the first non-zero code of a callback. */
int td_pool_run(size_t n, const td_pool_opts *opts);

/* Worker threads to use by default: the number of online processors, at least 1. */
unsigned td_pool_default_jobs(void);

#endif
