/* libpq's functions, looked up once when the first PostgreSQL TM is opened. */
#define TD__PQ_IMPL
#include "pq.h"

#include <pthread.h>

#include "base/dynlib.h"
#include "tandem/error.h"

/* The soname of libpq's stable ABI (every release since PostgreSQL 8.0). */
#define PQ_SONAME "libpq.so.5"

td__pq_api td__pq;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int loaded;

int td__pq_load(void)
{
	void *h;
	int rc = 0;

	pthread_mutex_lock(&lock);
	if (loaded)
		goto done;
	h = td_dynlib_open(PQ_SONAME, "PostgreSQL TMs", "libpq5");
	if (!h) {
		rc = TD_ENOTFOUND;
		goto done;
	}
#define TD__PQ_LOAD(f) \
	if (rc == 0) \
		rc = td_dynlib_fn(h, PQ_SONAME, #f, &td__pq.f, sizeof(td__pq.f));
	TD__PQ_FUNCS(TD__PQ_LOAD)
#undef TD__PQ_LOAD
	loaded = rc == 0;
done:
	pthread_mutex_unlock(&lock);
	return rc;
}
