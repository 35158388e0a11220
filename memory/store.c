/*
 * The public TM functions: argument checks, the languages and texts of
 * units, and the call into the store that holds the TM (store.h).
 */
#include "tm_internal.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int td_tm_open(td_tm **out, const char *path, unsigned flags)
{
	td_tm *tm;
	int rc;

	assert(out && path);
	*out = NULL;
	if (flags & TD_TM_READONLY)
		flags |= TD_TM_MUST_EXIST;
	tm = calloc(1, sizeof(*tm));
	if (!tm || !(tm->path = td__tm_display(path))) {
		free(tm);
		return td_error_set(TD_ENOMEM, "out of memory opening a TM");
	}
	tm->flags = flags;
	tm->ops = td__tm_is_pg(path) ? &td__pg_store : &td__sqlite_store;
	rc = tm->ops == &td__pg_store ? td__pg_open(tm, path) : td__sqlite_open(tm, path);
	if (rc < 0) {
		td_tm_close(tm);
		return rc;
	}
	*out = tm;
	return TD_OK;
}

void td_tm_close(td_tm *tm)
{
	int i;

	if (!tm)
		return;
	if (tm->in_doc)
		td_tm_rollback(tm);
	tm->ops->close(tm);
	for (i = 0; i < 4; i++)
		td__normbuf_free(&tm->nb[i]);
	free(tm->path);
	free(tm);
}

static int lang_or(char *out, const char *tag, const char *fallback)
{
	if (tag && *tag)
		return td_lang_normalize(out, tag);
	strcpy(out, fallback ? fallback : "");
	return TD_OK;
}

int td_tm_begin_document(td_tm *tm, const td_tm_doc_info *info)
{
	int is_import, rc;

	assert(tm && info && !tm->in_doc);
	if (tm->flags & TD_TM_READONLY)
		return td_error_set(TD_EINVAL, "%s: opened read-only", tm->path);
	is_import = info->kind && strcmp(info->kind, "import") == 0;
	if (!info->kind || (!is_import && strcmp(info->kind, "align") != 0))
		return td_error_set(TD_EINVAL, "document kind must be \"align\" or \"import\"");
	if (!info->src_name || !info->src_hash || (!is_import && (!info->tgt_name || !info->tgt_hash)))
		return td_error_set(TD_EINVAL, "a document needs its file names and hashes");
	rc = lang_or(tm->doc_src_lang, info->src_lang, NULL);
	if (rc == 0)
		rc = lang_or(tm->doc_tgt_lang, info->tgt_lang, NULL);
	if (rc < 0)
		return rc;
	tm->doc_time = (int64_t)time(NULL);
	tm->doc_added = 0;
	rc = tm->ops->begin(tm, info, is_import);
	if (rc < 0)
		return rc;
	tm->in_doc = 1;
	return TD_OK;
}

/* Normalise a unit's language through the one-entry cache of slot i. */
static int unit_lang(td_tm *tm, const char **out, int i, const char *tag, const char *doc_lang)
{
	int rc;

	if (!tag || !*tag) {
		if (!*doc_lang)
			return td_error_set(TD_EINVAL, "unit without %s language", i ? "target" : "source");
		*out = doc_lang;
		return TD_OK;
	}
	if (strcmp(tag, tm->last_raw[i]) != 0) {
		tm->last_raw[i][0] = '\0';
		rc = td_lang_normalize(tm->last_norm[i], tag);
		if (rc < 0)
			return rc;
		snprintf(tm->last_raw[i], TD_LANG_MAX, "%s", tag);
	}
	*out = tm->last_norm[i];
	return TD_OK;
}

int td_tm_add_unit(td_tm_add_result *out_result, td_tm *tm, const td_tm_unit_in *in)
{
	td__unit u;
	td_tm_add_result res;
	int rc;

	assert(tm && in && in->source && in->target);
	if (!tm->in_doc)
		return td_error_set(TD_EINVAL, "td_tm_add_unit outside a document");
	rc = unit_lang(tm, &u.sl, 0, in->src_lang, tm->doc_src_lang);
	if (rc == 0)
		rc = unit_lang(tm, &u.tl, 1, in->tgt_lang, tm->doc_tgt_lang);
	if (rc < 0)
		return rc;
	if ((rc = td__text_clean(&tm->nb[0], &u.src, &u.slen, in->source, strlen(in->source))) < 0 ||
	    (rc = td__text_clean(&tm->nb[1], &u.tgt, &u.tlen, in->target, strlen(in->target))) < 0)
		return rc;
	if (!u.slen || !u.tlen)
		return td_error_set(TD_EINVAL, "empty %s text", u.slen ? "target" : "source");
	u.in = in;
	rc = tm->ops->add(tm, &res, &u);
	if (rc < 0)
		return rc;
	if (out_result)
		*out_result = res;
	return TD_OK;
}

int td__tm_commit(td_tm *tm, int64_t *added)
{
	int64_t n = 0;
	int rc;

	assert(tm);
	if (!tm->in_doc)
		return td_error_set(TD_EINVAL, "no document to commit");
	rc = tm->ops->commit(tm, &n);
	if (rc < 0) {
		td_tm_rollback(tm);
		return rc;
	}
	tm->in_doc = 0;
	if (added)
		*added = n;
	return TD_OK;
}

int td_tm_commit_document(td_tm *tm)
{
	return td__tm_commit(tm, NULL);
}

int td_tm_commit_document_counted(int64_t *added, td_tm *tm)
{
	assert(added);
	*added = 0;
	return td__tm_commit(tm, added);
}

int td_tm_rollback(td_tm *tm)
{
	assert(tm);
	if (!tm->in_doc)
		return TD_OK;
	tm->in_doc = 0;
	return tm->ops->rollback(tm);
}

int td_tm_has_document(int *out, td_tm *tm, const char *src_hash, const char *tgt_hash)
{
	assert(out && tm && src_hash);
	*out = 0;
	return tm->ops->has_document(out, tm, tgt_hash ? "align" : "import", src_hash, tgt_hash ? tgt_hash : "");
}

int td_tm_stats_get(td_tm_stats *out, td_tm *tm)
{
	int rc;

	assert(out && tm);
	memset(out, 0, sizeof(*out));
	rc = tm->ops->stats(out, tm);
	if (rc < 0)
		td_tm_stats_free(out);
	return rc;
}

void td_tm_stats_free(td_tm_stats *st)
{
	if (!st)
		return;
	free(st->pairs);
	free(st->sources);
	st->pairs = NULL;
	st->sources = NULL;
	st->npairs = st->nsources = 0;
}

char *td_tm_display_name(const char *spec)
{
	assert(spec);
	return td__tm_display(spec);
}

/* ---- dump ---- */

const char *const td__dump_sql[3] = {
	"SELECT row_number() OVER (ORDER BY id), kind, src_name, tgt_name, src_hash, tgt_hash, "
	"src_lang, tgt_lang, tool, created FROM document ORDER BY id",
	"SELECT row_number() OVER (ORDER BY id), src_lang, tgt_lang, source, target, source_norm, "
	"target_norm, created FROM unit ORDER BY id",
	/* In the order a store writing document after document would have written them. */
	"SELECT u.n, d.n, p.position, p.score, p.src_first, p.src_count, p.tgt_first, p.tgt_count, p.created "
	"FROM provenance p "
	"JOIN (SELECT id, row_number() OVER (ORDER BY id) AS n FROM unit) u ON u.id = p.unit_id "
	"JOIN (SELECT id, row_number() OVER (ORDER BY id) AS n FROM document) d ON d.id = p.document_id "
	"ORDER BY d.n, p.position, u.n",
};

/* ---- iteration ---- */

int td_tm_iter_new(td_tm_iter **out, td_tm *tm, const char *src_lang, const char *tgt_lang)
{
	td_tm_iter *it;
	int rc;

	assert(out && tm);
	*out = NULL;
	it = calloc(1, sizeof(*it));
	if (!it)
		return td_error_set(TD_ENOMEM, "out of memory");
	it->tm = tm;
	if ((rc = lang_or(it->src_lang, src_lang, NULL)) < 0 || (rc = lang_or(it->tgt_lang, tgt_lang, NULL)) < 0 ||
	    (rc = tm->ops->iter_new(it)) < 0) {
		td_tm_iter_free(it);
		return rc;
	}
	*out = it;
	return TD_OK;
}

int td_tm_iter_next(const td_tm_unit **out, td_tm_iter *it)
{
	int rc;

	assert(it && out);
	*out = NULL;
	td__iter_clear(it);
	rc = it->tm->ops->iter_next(it);
	if (rc <= 0)
		return rc;
	*out = &it->cur;
	return 1;
}

void td_tm_iter_free(td_tm_iter *it)
{
	if (!it)
		return;
	td__iter_clear(it);
	it->tm->ops->iter_free(it);
	free(it);
}
