/*
 * The bounded worker pool (see pool.h for the model).
 *
 * Invariants, all under `mu`:
 *  - every slot is FREE, QUEUED (its job waits in `work`), BUSY (a worker has
 *    it) or DONE (its result waits for deliver);
 *  - ordered mode: the items in flight are exactly [delivered, produced), so
 *    item i lives in slot i % window and no free list is needed;
 *  - unordered mode: free slots are on the `free` stack and DONE slots in the
 *    `done` ring in completion order.
 */
#include "base/pool.h"

#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "tandem/error.h"

enum { SLOT_FREE, SLOT_QUEUED, SLOT_BUSY, SLOT_DONE };

typedef struct {
	size_t index;
	void *job;
	void *result;
	int state;
} slot;

typedef struct {
	const td_pool_opts *o;
	size_t window;
	slot *slots;
	size_t *work, work_head, work_n;  /* ring of QUEUED slot ids */
	size_t *done, done_head, done_n;  /* ring of DONE slot ids (unordered) */
	size_t *free, free_n;             /* stack of FREE slot ids (unordered) */
	int quit;
	pthread_mutex_t mu;
	pthread_cond_t has_work;
	pthread_cond_t has_done;
} pool;

typedef struct {
	pool *p;
	unsigned id;
} worker_arg;

static void ring_push(size_t *ring, size_t head, size_t *n, size_t cap, size_t v)
{
	ring[(head + *n) % cap] = v;
	(*n)++;
}

static size_t ring_pop(size_t *ring, size_t *head, size_t *n, size_t cap)
{
	size_t v = ring[*head];

	*head = (*head + 1) % cap;
	(*n)--;
	return v;
}

static void *worker_main(void *arg)
{
	worker_arg *wa = arg;
	pool *p = wa->p;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		size_t s;
		void *job, *result;

		while (!p->work_n && !p->quit)
			pthread_cond_wait(&p->has_work, &p->mu);
		if (!p->work_n)
			break;
		s = ring_pop(p->work, &p->work_head, &p->work_n, p->window);
		p->slots[s].state = SLOT_BUSY;
		job = p->slots[s].job;
		pthread_mutex_unlock(&p->mu);
		result = p->o->work(p->o->ud, job, wa->id);
		pthread_mutex_lock(&p->mu);
		p->slots[s].job = NULL;
		p->slots[s].result = result;
		p->slots[s].state = SLOT_DONE;
		if (!p->o->ordered)
			ring_push(p->done, p->done_head, &p->done_n, p->window, s);
		pthread_cond_signal(&p->has_done);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

unsigned td_pool_default_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1u : (unsigned)n;
}

/* A slot for item i, or SIZE_MAX when the window is full. Under mu. */
static size_t take_slot(pool *p, size_t i, size_t delivered)
{
	if (p->o->ordered)
		return i - delivered < p->window ? i % p->window : (size_t)-1;
	return p->free_n ? p->free[--p->free_n] : (size_t)-1;
}

/* The slot whose result is next to deliver, or SIZE_MAX. Under mu. */
static size_t next_done(pool *p, size_t delivered, size_t produced)
{
	if (p->o->ordered) {
		size_t s = delivered % p->window;
		return delivered < produced && p->slots[s].state == SLOT_DONE ? s : (size_t)-1;
	}
	return p->done_n ? ring_pop(p->done, &p->done_head, &p->done_n, p->window) : (size_t)-1;
}

static void release_slot(pool *p, size_t s)
{
	p->slots[s].state = SLOT_FREE;
	p->slots[s].result = NULL;
	if (!p->o->ordered)
		p->free[p->free_n++] = s;
}

/* Produce, work and deliver until all n are delivered or a callback stops the run. */
static int drive(pool *p, size_t n)
{
	size_t produced = 0, delivered = 0, inflight = 0, s;
	int rc = 0;

	pthread_mutex_lock(&p->mu);
	while (delivered < n && !rc) {
		/* What is finished goes out first; then one more item comes in. */
		s = next_done(p, delivered, produced);
		if (s != (size_t)-1) {
			void *result = p->slots[s].result;
			size_t index = p->slots[s].index;

			release_slot(p, s);
			inflight--;
			delivered++;
			pthread_mutex_unlock(&p->mu);
			rc = p->o->deliver(p->o->ud, index, result);
			pthread_mutex_lock(&p->mu);
			continue;
		}
		if (produced < n && (s = take_slot(p, produced, delivered)) != (size_t)-1) {
			void *job = NULL, *result = NULL;

			pthread_mutex_unlock(&p->mu);
			rc = p->o->produce(p->o->ud, produced, &job, &result);
			pthread_mutex_lock(&p->mu);
			if (rc) {
				if (!p->o->ordered)
					p->free[p->free_n++] = s;
				if (rc == TD_POOL_END) {
					n = produced;
					rc = 0;
				}
				continue;
			}
			p->slots[s].index = produced++;
			inflight++;
			if (job) {
				p->slots[s].job = job;
				p->slots[s].state = SLOT_QUEUED;
				ring_push(p->work, p->work_head, &p->work_n, p->window, s);
				pthread_cond_signal(&p->has_work);
			} else {
				p->slots[s].result = result;
				p->slots[s].state = SLOT_DONE;
				if (!p->o->ordered)
					ring_push(p->done, p->done_head, &p->done_n, p->window, s);
			}
			continue;
		}
		if (delivered < n)
			pthread_cond_wait(&p->has_done, &p->mu);
	}
	/*
	 * Stopped early: let the workers finish what they hold, then drop it.
	 * Wait only after a whole scan under the lock found nothing done: a
	 * worker that finishes while discard runs (the lock released) signals
	 * nobody, and a wait after a scan interrupted by discard could wait for
	 * that signal forever.
	 */
	while (inflight) {
		size_t k = 0;
		void *result;

		while (k < p->window && p->slots[k].state != SLOT_DONE)
			k++;
		if (k == p->window) {
			pthread_cond_wait(&p->has_done, &p->mu);
			continue;
		}
		result = p->slots[k].result;
		p->slots[k].state = SLOT_FREE;
		p->slots[k].result = NULL;
		inflight--;
		pthread_mutex_unlock(&p->mu);
		if (p->o->discard)
			p->o->discard(p->o->ud, result);
		pthread_mutex_lock(&p->mu);
	}
	pthread_mutex_unlock(&p->mu);
	return rc;
}

int td_pool_run(size_t n, const td_pool_opts *opts)
{
	pool p = { 0 };
	pthread_t *threads = NULL;
	worker_arg *args = NULL;
	unsigned started = 0, i;
	int rc = 0;

	if (!opts || !opts->produce || !opts->work || !opts->deliver || opts->jobs < 1)
		return td_error_set(TD_EINVAL, "worker pool: missing callback or no worker");
	p.o = opts;
	p.window = opts->window ? opts->window : 4 * (size_t)opts->jobs;
	p.slots = calloc(p.window, sizeof(*p.slots));
	p.work = calloc(p.window, sizeof(*p.work));
	p.done = calloc(p.window, sizeof(*p.done));
	p.free = calloc(p.window, sizeof(*p.free));
	threads = calloc(opts->jobs, sizeof(*threads));
	args = calloc(opts->jobs, sizeof(*args));
	if (!p.slots || !p.work || !p.done || !p.free || !threads || !args) {
		rc = td_error_set(TD_ENOMEM, "worker pool: out of memory");
		goto cleanup;
	}
	for (i = 0; i < p.window; i++)
		p.free[i] = p.window - 1 - i;
	p.free_n = p.window;
	pthread_mutex_init(&p.mu, NULL);
	pthread_cond_init(&p.has_work, NULL);
	pthread_cond_init(&p.has_done, NULL);
	for (i = 0; i < opts->jobs; i++) {
		args[i].p = &p;
		args[i].id = i;
		if (pthread_create(&threads[i], NULL, worker_main, &args[i]) != 0)
			break;
		started++;
	}
	if (!started)
		rc = td_error_set(TD_ENOMEM, "worker pool: cannot start a thread");
	else
		rc = drive(&p, n);
	pthread_mutex_lock(&p.mu);
	p.quit = 1;
	pthread_cond_broadcast(&p.has_work);
	pthread_mutex_unlock(&p.mu);
	for (i = 0; i < started; i++)
		pthread_join(threads[i], NULL);
	pthread_cond_destroy(&p.has_done);
	pthread_cond_destroy(&p.has_work);
	pthread_mutex_destroy(&p.mu);
cleanup:
	free(args);
	free(threads);
	free(p.free);
	free(p.done);
	free(p.work);
	free(p.slots);
	return rc;
}
