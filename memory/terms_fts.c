/*
 * The concordance index for term queries: FTS5 query text for the term and
 * for a candidate's written forms, counting or listing the rows that match.
 */
#include "terms_internal.h"
#include "base/buf.h"

#include <stdlib.h>
#include <string.h>

#include "tandem/error.h"
#include "index.h"

/* Append s to the FTS query as a quoted string ('"' doubled). */
static int buf_quoted(char **buf, size_t *len, size_t *cap, const char *s, size_t n, const char *after)
{
	size_t need = *len + 2 * n + strlen(after) + 4, i;

	if (td_grow((void **)buf, cap, need, 1) < 0)
		return td_error_set(TD_ENOMEM, "terms: out of memory");
	(*buf)[(*len)++] = '"';
	for (i = 0; i < n; i++) {
		if (s[i] == '"')
			(*buf)[(*len)++] = '"';
		(*buf)[(*len)++] = s[i];
	}
	(*buf)[(*len)++] = '"';
	memcpy(*buf + *len, after, strlen(after) + 1);
	*len += strlen(after);
	return 0;
}

static int buf_str(char **buf, size_t *len, size_t *cap, const char *s)
{
	size_t n = strlen(s);

	if (td_grow((void **)buf, cap, *len + n + 1, 1) < 0)
		return td_error_set(TD_ENOMEM, "terms: out of memory");
	memcpy(*buf + *len, s, n + 1);
	*len += n;
	return 0;
}

/* "COL : (("p1"* OR "p2"*) AND ("q1"*))" */
int td__qterm_fts(char **out, const td__qterm *q, const char *col)
{
	char *buf = NULL;
	size_t len = 0, cap = 0, i, k;
	int rc = buf_str(&buf, &len, &cap, col);

	if (rc == 0)
		rc = buf_str(&buf, &len, &cap, " : (");

	for (i = 0; rc == 0 && i < q->n; i++) {
		rc = buf_str(&buf, &len, &cap, i ? " AND (" : "(");
		for (k = 0; rc == 0 && k < q->w[i].nfts; k++)
			rc = buf_quoted(&buf, &len, &cap, q->w[i].fts[k], strlen(q->w[i].fts[k]),
				k + 1 < q->w[i].nfts ? "* OR " : "*)");
	}
	if (rc == 0)
		rc = buf_str(&buf, &len, &cap, ")");
	if (rc < 0) {
		free(buf);
		return rc;
	}
	*out = buf;
	return 0;
}

int td__terms_db_fail(td_terms *c, const char *what)
{
	return td_error_set(TD_EDB, "terms: %s: %s", what, sqlite3_errmsg(c->rd.db));
}

/*
 * Rows of the concordance index matching fts: with ids, all their rowids in
 * rowid order into it; without, their number up to limit (< 0: all). (No
 * rowid range in the query: FTS5 then reads every row half again slower;
 * a count without a limit goes without the subquery, a quarter faster.)
 */
int td__terms_rows(td_terms *c, int64_t *n, td__idvec *ids, const char *fts, int64_t limit)
{
	sqlite3_stmt *st = ids ? c->st_ids : limit < 0 ? c->st_count_all : c->st_count;
	int s, rc = 0;

	*n = 0;
	sqlite3_bind_text(st, 1, fts, -1, SQLITE_STATIC);
	if (st == c->st_count)
		sqlite3_bind_int64(st, 2, limit);
	while ((s = sqlite3_step(st)) == SQLITE_ROW) {
		if (!ids) {
			*n = sqlite3_column_int64(st, 0);
			continue;
		}
		rc = td_grow((void **)&ids->v, &ids->cap, ids->n + 1, sizeof(*ids->v));
		if (rc < 0)
			break;
		ids->v[ids->n++] = sqlite3_column_int64(st, 0);
		++*n;
	}
	if (rc == 0 && s != SQLITE_DONE)
		rc = td__terms_db_fail(c, "searching the concordance index");
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc;
}
