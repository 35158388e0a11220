/*
 * Term queries: the handle, and a query's steps (the units with the term
 * from the concordance index, their candidates, ranking, the result; each
 * in a terms_*.c file of its own; model in include/tandem/terms.h).
 */
#include "tandem/lang.h"
#include "terms_internal.h"

#include "snapshot.h"

#include <assert.h>
#include <libxml/hash.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tandem/error.h"
#include "tm_internal.h"
#include "base/buf.h"
#include "base/opts.h"

/* Units the term is aligned in at most: a frequent term's translations show in a few dozen. */
#define ALIGN_MAX 24
/*
 * The weight of a unit with another inflected form of the term than the one
 * typed: the form typed is the surest evidence, another may be another word
 * (Male and Mal, Bewerb and Bewerber) or used in another sense.
 */
#define OTHER_FORM 0.4


/* ---- the handle ---- */


int td_terms_open(td_terms **out, const char *path)
{
	td_terms *tt;
	int rc;

	assert(out);
	*out = NULL;
	tt = calloc(1, sizeof(*tt));
	if (!tt)
		return td_error_set(TD_ENOMEM, "terms: out of memory");
	/* Not mapped: reader.c says why. */
	rc = td__reader_open(&tt->rd, path, "terms", 0);
	if (rc < 0)
		goto cleanup;
	if (sqlite3_prepare_v3(tt->rd.db, "BEGIN", -1, SQLITE_PREPARE_PERSISTENT, &tt->st_begin, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v3(tt->rd.db, "COMMIT", -1, SQLITE_PREPARE_PERSISTENT, &tt->st_commit, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v3(tt->rd.db, "SELECT rowid FROM td_concord WHERE td_concord MATCH ?1",
		-1, SQLITE_PREPARE_PERSISTENT, &tt->st_ids, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v3(tt->rd.db, "SELECT src_lang, tgt_lang, source, target FROM unit WHERE id = ?1",
		-1, SQLITE_PREPARE_PERSISTENT, &tt->st_unit, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v3(tt->rd.db, "SELECT count(*) FROM td_concord WHERE td_concord MATCH ?1",
		-1, SQLITE_PREPARE_PERSISTENT, &tt->st_count_all, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v3(tt->rd.db, "SELECT count(*) FROM (SELECT 1 FROM td_concord"
		" WHERE td_concord MATCH ?1 LIMIT ?2)", -1, SQLITE_PREPARE_PERSISTENT,
		&tt->st_count, NULL) != SQLITE_OK) {
		rc = td_error_set(TD_EFORMAT, "%s: not a tandem TM with a concordance index: %s",
			tt->rd.path, sqlite3_errmsg(tt->rd.db));
		goto cleanup;
	}
	rc = td__reader_wm(&tt->wm, &tt->rd);
	if (rc < 0)
		goto cleanup;
	*out = tt;
	return 0;
cleanup:
	td_terms_close(tt);
	return rc;
}

void td_terms_close(td_terms *tt)
{
	if (!tt)
		return;
	sqlite3_finalize(tt->st_ids);
	sqlite3_finalize(tt->st_unit);
	sqlite3_finalize(tt->st_count);
	sqlite3_finalize(tt->st_count_all);
	sqlite3_finalize(tt->st_begin);
	sqlite3_finalize(tt->st_commit);
	td__reader_close(&tt->rd);
	free(tt);
}

int td__terms_pair(td_terms *tt, const char *src_lang, const char *tgt_lang)
{
	int rc;

	if (!src_lang || !tgt_lang || !*src_lang || !*tgt_lang)
		return td_error_set(TD_EINVAL, "terms: the source and the target language are required");
	if (strlen(src_lang) >= sizeof(tt->src) || strlen(tgt_lang) >= sizeof(tt->tgt))
		return td_error_set(TD_EINVAL, "terms: language tag too long");
	if (tt->tsrc && strcmp(tt->src, src_lang) == 0 && strcmp(tt->tgt, tgt_lang) == 0)
		return 0;
	tt->tsrc = tt->ttgt = NULL;
	tt->src[0] = tt->tgt[0] = '\0';
	rc = td__reader_tokenizer(&tt->tsrc, &tt->rd, 0, src_lang);
	if (rc == 0)
		rc = td__reader_tokenizer(&tt->ttgt, &tt->rd, 1, tgt_lang);
	if (rc < 0) {
		tt->tsrc = tt->ttgt = NULL;
		return rc;
	}
	strcpy(tt->src, src_lang);
	strcpy(tt->tgt, tgt_lang);
	return 0;
}

/*
 * Align the term in up to ALIGN_MAX of the w->nu units with it (evenly
 * spread), their translations into w's candidates; the units without a
 * clear translation (a few) into unclear.
 */
static int align_units(td_terms *c, td__terms_work *w, const td__qterm *q, const td_terms_opts *opts,
	int german, double *aligned, size_t *unclear, size_t *nunclear)
{
	td__talign *a = NULL;
	size_t n = w->nu < ALIGN_MAX ? w->nu : ALIGN_MAX, k, j;
	int rc;

	*aligned = 0.0;
	td__wm_reader_forget(c->wm);
	rc = td__talign_new(&a, q, c->tsrc, opts->lexicon, c->wm, c->src, c->tgt, german);
	for (k = 0; rc == 0 && k < n; k++) {
		const td__sunit *u = &w->u[k * w->nu / n];
		const td_token *t;
		size_t nt;
		rc = td_tokenizer_run(&t, &nt, c->ttgt, u->target, strlen(u->target));
		if (rc == 0)
			rc = td__talign_count_target(a, t, nt);
	}
	for (k = 0; rc == 0 && k < n; k++) {
		size_t ui = k * w->nu / n, ns, nt, nat;
		const td__sunit *u = &w->u[ui];
		const td_token *s, *t;
		td_terms_span at[16];
		td__talign_out out;
		rc = td_tokenizer_run(&s, &ns, c->tsrc, u->source, strlen(u->source));
		nat = rc == 0 ? td__term_spans(at, 16, q, s, ns, u->source, NULL) : 0;
		if (nat > 16)
			nat = 16;
		if (rc == 0)
			rc = td_tokenizer_run(&t, &nt, c->ttgt, u->target, strlen(u->target));
		if (rc == 0)
			rc = td__talign_unit(a, s, ns, t, nt, at, nat, &out);
		if (rc < 0)
			break;
		*aligned += u->weight;
		if (out.n == 0) {
			if (*nunclear < TD__TERMS_EXAMPLES)
				unclear[(*nunclear)++] = ui;
			continue;
		}
		rc = td__terms_add_aligned(w, ui, &out, t, u->target);
		for (j = 0; rc == 0 && j < out.nalt; j++) {
			td__talign_out alt;
			memset(&alt, 0, sizeof(alt));
			alt.tok[0] = out.alt[j];
			alt.n = 1;
			alt.conf = out.altconf[j];
			rc = td__terms_add_aligned(w, ui, &alt, t, u->target);
		}
	}
	td__talign_free(a);
	return rc;
}

static int terms_run(td_terms_result **out, td_terms *c, const char *term, const td_terms_opts *opts)
{
	td_terms_result *r = NULL;
	td__qterm q;
	td__terms_work w;
	char *fts = NULL;
	td__idvec ids = { NULL, 0, 0 };
	td__cand **order = NULL;
	size_t take, i, norder = 0, fetched = 0, direct = 0;
	double aligned = 0.0;
	size_t unclear[TD__TERMS_EXAMPLES], nunclear = 0;
	double nt;
	int64_t nids = 0;
	int rc, german = td_lang_is(c->src, "de");

	*out = NULL;
	memset(&w, 0, sizeof(w));
	memset(&q, 0, sizeof(q));
	rc = td__qterm_parse(&q, c->tsrc, term, german);
	if (rc < 0)
		return rc;
	r = calloc(1, sizeof(*r));
	w.h = xmlHashCreate(256);
	w.hrel = xmlHashCreate(16);
	if (!r || !w.h || !w.hrel || !(r->term = strdup(term))) {
		rc = td_error_set(TD_ENOMEM, "terms: out of memory");
		goto cleanup;
	}
	/* Both columns: the pair may be stored either way round (no index on
	 * the languages to ask first); each unit is then read in its direction. */
	rc = td__qterm_fts(&fts, &q, "{source target}");
	if (rc == 0)
		rc = td__terms_rows(c, &nids, &ids, fts, -1);
	if (rc < 0)
		goto cleanup;

	/* An evenly spread sample when there are more rows than we examine. */
	take = opts->sample && ids.n > opts->sample ? opts->sample : ids.n;
	for (i = 0; i < take; i++) {
		size_t at = take == ids.n ? i : (size_t)((double)i * (double)ids.n / (double)take);
		const td_token *t;
		const char *sl, *tl;
		size_t n, j, ui;
		int s, any = 0, back, exact = 0;

		sqlite3_bind_int64(c->st_unit, 1, ids.v[at]);
		s = sqlite3_step(c->st_unit);
		if (s != SQLITE_ROW) {
			sqlite3_reset(c->st_unit);
			if (s == SQLITE_DONE)
				continue;
			rc = td__terms_db_fail(c, "reading a unit");
			goto cleanup;
		}
		fetched++;
		sl = (const char *)sqlite3_column_text(c->st_unit, 0);
		tl = (const char *)sqlite3_column_text(c->st_unit, 1);
		if (td_lang_matches(sl, c->src) && td_lang_matches(tl, c->tgt)) {
			back = 0;
		} else if (td_lang_matches(sl, c->tgt) && td_lang_matches(tl, c->src)) {
			back = 1;
		} else {
			sqlite3_reset(c->st_unit);
			continue;
		}
		rc = td_grow((void **)&w.u, &w.ucap, w.nu + 1, sizeof(*w.u));
		if (rc < 0) {
			sqlite3_reset(c->st_unit);
			goto cleanup;
		}
		ui = w.nu;
		w.u[ui].id = ids.v[at];
		w.u[ui].source = strdup((const char *)sqlite3_column_text(c->st_unit, 2 + back));
		w.u[ui].target = strdup((const char *)sqlite3_column_text(c->st_unit, 3 - back));
		sqlite3_reset(c->st_unit);
		w.nu++;
		if (!w.u[ui].source || !w.u[ui].target) {
			rc = td_error_set(TD_ENOMEM, "terms: out of memory");
			goto cleanup;
		}
		rc = td_tokenizer_run(&t, &n, c->tsrc, w.u[ui].source, strlen(w.u[ui].source));
		if (rc < 0)
			goto cleanup;
		any = td__term_spans(NULL, 0, &q, t, n, w.u[ui].source, &exact) > 0;
		w.u[ui].weight = exact ? 1.0 : OTHER_FORM;
		for (j = 0; j < n; j++) {
			if (!td__qword_is(&q.w[0], &t[j], w.u[ui].source) && td__term_compound(&q, &t[j])) {
				rc = td__terms_note_related(&w, ui, &t[j], w.u[ui].source);
				if (rc < 0)
					goto cleanup;
			}
		}
		if (!any) {
			/* Only a compound or a longer word with the same beginning: not evidence. */
			free(w.u[ui].source);
			free(w.u[ui].target);
			w.nu--;
			continue;
		}
		direct++;
	}
	r->examined = (int64_t)fetched;
	r->sampled = take < ids.n;
	nt = fetched ? (double)direct * (double)nids / (double)fetched : 0.0;
	if (!r->sampled)
		nt = (double)direct;
	r->units = (int64_t)llround(nt);
	if (direct == 0)
		goto related;
	rc = align_units(c, &w, &q, opts, german, &aligned, unclear, &nunclear);
	if (rc < 0)
		goto cleanup;
	r->aligned = (int64_t)(w.nu < ALIGN_MAX ? w.nu : ALIGN_MAX);
	order = malloc((w.n ? w.n : 1) * sizeof(*order));
	if (!order) {
		rc = td_error_set(TD_ENOMEM, "terms: out of memory");
		goto cleanup;
	}
	td__terms_rank(order, &w, aligned);
	norder = w.n;
related:
	rc = td__terms_fill(r, c, &w, &q, order, norder, unclear, nunclear, opts, nt,
		r->aligned ? nt / (double)r->aligned : 1.0);
cleanup:
	free(order);
	free(ids.v);
	free(fts);
	td__terms_work_free(&w);
	td__qterm_free(&q);
	if (rc < 0) {
		td_terms_result_free(r);
		return rc;
	}
	*out = r;
	return 0;
}

/* ---- public entry ---- */

int td_terms_query(td_terms_result **out, td_terms *tt, const char *term, const td_terms_opts *opts)
{
	int rc;

	assert(out && tt && term && opts);
	*out = NULL;
	td__reader_refresh(&tt->rd);
	if ((rc = td_opts_version(opts->version, TD_TERMS_OPTS_VERSION, "terms")) < 0)
		return rc;
	rc = td__terms_pair(tt, opts->src_lang, opts->tgt_lang);
	if (rc < 0)
		return rc;
	/* One read transaction: every count sees the same TM (an import may be
	 * running), and the statements do not take and drop a lock each. */
	if (sqlite3_step(tt->st_begin) != SQLITE_DONE) {
		rc = td__terms_db_fail(tt, "starting a read transaction");
		sqlite3_reset(tt->st_begin);
		return rc;
	}
	sqlite3_reset(tt->st_begin);
	rc = terms_run(out, tt, term, opts);
	sqlite3_step(tt->st_commit);  /* ends a read: nothing to fail */
	sqlite3_reset(tt->st_commit);
	return rc;
}
