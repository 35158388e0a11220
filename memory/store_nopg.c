/*
 * The PostgreSQL store of a build without libpq: every connection string
 * is refused with a message that says so.
 */
#include "tm_internal.h"

int td__pg_open(td_tm *tm, const char *spec)
{
	(void)spec;
	return td_error_set(TD_EINVAL, "%s: this tandem was built without PostgreSQL support "
		"(libpq was missing at build time); use a TM file, or rebuild with libpq-dev installed",
		tm->path);
}

static void nopg_close(td_tm *tm)
{
	(void)tm;
}

/* Never called: no TM is ever opened on this store. */
const td__store_ops td__pg_store = { "PostgreSQL", nopg_close, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL };
