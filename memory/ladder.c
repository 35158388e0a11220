/*
 * Storing an aligned document pair: the beads of a ladder with sentences on
 * both sides become units of one document.
 */
#include "tm_internal.h"
#include "base/buf.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

/* The sentences [first, first+n) of doc joined by one space, into *buf. */
static int join(char **buf, size_t *cap, const td_doc *doc, size_t first, size_t n)
{
	size_t need = 1, i, o = 0;

	if (first + n > doc->n)
		return td_error_set(TD_EINVAL, "bead sentences %zu..%zu beyond the document's %zu",
			first, first + n, doc->n);
	for (i = first; i < first + n; i++)
		need += strlen(doc->v[i].text) + 1;
	if (td_grow((void **)buf, cap, need, 1) < 0)
		return td_error_set(TD_ENOMEM, "out of memory joining sentences");
	for (i = first; i < first + n; i++) {
		size_t len = strlen(doc->v[i].text);
		if (o)
			(*buf)[o++] = ' ';
		memcpy(*buf + o, doc->v[i].text, len);
		o += len;
	}
	(*buf)[o] = '\0';
	return TD_OK;
}

int td_tm_store_ladder(td_tm_store_report *out, td_tm *tm, const td_tm_doc_info *info,
	const td_ladder *ladder, const td_doc *src, const td_doc *tgt, double min_score)
{
	td_tm_store_report r;
	char *sbuf = NULL, *tbuf = NULL;
	size_t scap = 0, tcap = 0, i;
	int rc;

	assert(tm && info && ladder && src && tgt);
	memset(&r, 0, sizeof(r));
	rc = td_tm_begin_document(tm, info);
	if (rc < 0)
		goto cleanup;
	for (i = 0; i < ladder->n; i++) {
		const td_bead *b = &ladder->v[i];
		td_tm_unit_in u = TD_TM_UNIT_IN_INIT;
		td_tm_add_result res;

		r.beads++;
		if (!b->nsrc || !b->ntgt) {
			r.one_sided++;
			continue;
		}
		if (b->score < min_score) {
			r.below_score++;
			continue;
		}
		if ((rc = join(&sbuf, &scap, src, b->src, b->nsrc)) < 0 ||
		    (rc = join(&tbuf, &tcap, tgt, b->tgt, b->ntgt)) < 0)
			goto cleanup;
		if (td__is_blank(sbuf, strlen(sbuf)) || td__is_blank(tbuf, strlen(tbuf))) {
			r.one_sided++;
			continue;
		}
		u.source = sbuf;
		u.target = tbuf;
		u.position = (int64_t)i;
		u.score = b->score;
		u.src_first = (int64_t)b->src;
		u.src_count = (int64_t)b->nsrc;
		u.tgt_first = (int64_t)b->tgt;
		u.tgt_count = (int64_t)b->ntgt;
		rc = td_tm_add_unit(&res, tm, &u);
		if (rc < 0) {
			char why[1024];
			snprintf(why, sizeof(why), "%s", td_error_last());
			rc = td_error_set(rc, "%s + %s: bead %zu: %s", info->src_name, info->tgt_name, i, why);
			goto cleanup;
		}
		if (res == TD_TM_ADDED)
			r.added++;
		else
			r.present++;
	}
	{
		int64_t units = r.added + r.present;
		rc = td__tm_commit(tm, &r.added);
		if (rc == 0)
			r.present = units - r.added;
	}
cleanup:
	if (rc < 0)
		td_tm_rollback(tm);
	if (out)
		*out = r;
	free(sbuf);
	free(tbuf);
	return rc;
}
