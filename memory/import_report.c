/*
 * How an import format (tsv.c, tmx.c) reports: skipped items counted in the
 * report, errors named by file and line, and the document committed or
 * refused when it gave no unit at all.
 */
#include "tm_internal.h"

#include <stdio.h>

void td__skip(td_import_report *r, td_skip_reason why, int64_t line)
{
	if (!r->skips[why])
		r->first_skip_line[why] = line;
	r->skips[why]++;
	r->skipped++;
}

int td__import_commit(td_tm *tm, td_import_report *r, const char *name)
{
	int64_t units = r->added + r->present;
	int rc;

	if (r->added + r->present == 0) {
		if (r->read == 0)
			return td_error_set(TD_EFORMAT, "%s: empty: no translation units", name);
		return td_error_set(TD_EFORMAT, "%s: no translation units (%lld read, %lld skipped)", name,
			(long long)r->read, (long long)r->skipped);
	}
	/* The store tells at commit which units were new (PostgreSQL writes them then). */
	rc = td__tm_commit(tm, &r->added);
	if (rc == 0)
		r->present = units - r->added;
	return rc;
}

int td__error_at(int rc, const char *name, int64_t line)
{
	char why[1024];

	snprintf(why, sizeof(why), "%s", td_error_last());
	return td_error_set(rc, "%s: line %lld: %s", name, (long long)line, why);
}
