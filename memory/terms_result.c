/*
 * A term query's result: the translations shown with their counts and
 * scores, example units with the term and the translation marked, the
 * related compounds; freeing it.
 */
#include "terms_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tandem/error.h"

#define MAX_RELATED 10

/* Unit u as an example: the term marked in its source, tgt (ntgt spans) in its target. */
static int make_example(td_terms_example *ex, td_terms *c, const td__qterm *q, const td_terms_span *tgt,
	size_t ntgt, const td__sunit *u)
{
	td_terms_span sp[16];
	const td_token *t;
	size_t n, ns;
	int rc;

	memset(ex, 0, sizeof(*ex));
	ex->unit = u->id;
	ex->source = strdup(u->source);
	ex->target = strdup(u->target);
	if (!ex->source || !ex->target)
		return td_error_set(TD_ENOMEM, "terms: out of memory");
	rc = td_tokenizer_run(&t, &n, c->tsrc, u->source, strlen(u->source));
	if (rc < 0)
		return rc;
	ns = td__term_spans(sp, 16, q, t, n, u->source, NULL);
	if (ns > 16)
		ns = 16;
	ex->src_spans = malloc((ns ? ns : 1) * sizeof(*sp));
	if (!ex->src_spans)
		return td_error_set(TD_ENOMEM, "terms: out of memory");
	memcpy(ex->src_spans, sp, ns * sizeof(*sp));
	ex->nsrc_spans = ns;
	ex->tgt_spans = malloc((ntgt ? ntgt : 1) * sizeof(*sp));
	if (!ex->tgt_spans)
		return td_error_set(TD_ENOMEM, "terms: out of memory");
	if (ntgt)  /* tgt is NULL for a unit without a clear translation */
		memcpy(ex->tgt_spans, tgt, ntgt * sizeof(*sp));
	ex->ntgt_spans = ntgt;
	return 0;
}

static int by_rel_desc(const void *x, const void *y)
{
	const td_terms_related *a = x, *b = y;

	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	return strcmp(a->form, b->form);
}

/* Fill the result from the scored candidates. */
int td__terms_fill(td_terms_result *r, td_terms *c, td__terms_work *w, const td__qterm *q,
	td__cand **order, size_t norder, const size_t *unclear, size_t nunclear,
	const td_terms_opts *opts, double nt, double scale)
{
	size_t i, k, nex = opts->examples < TD__TERMS_EXAMPLES ? opts->examples : TD__TERMS_EXAMPLES;
	int64_t maxa = 0;
	double maxscore = 0.0;
	int rc;

	r->v = calloc(opts->max ? opts->max : 1, sizeof(*r->v));
	if (!r->v)
		return td_error_set(TD_ENOMEM, "terms: out of memory");
	for (i = 0; i < norder; i++) {
		if (order[i]->a > maxa)
			maxa = order[i]->a;
		if (order[i]->score > maxscore)
			maxscore = order[i]->score;
	}
	for (i = 0; i < norder && r->n < opts->max; i++) {
		td__cand *cd = order[i];
		td_terms_translation *tr = &r->v[r->n];
		/* One unit is no evidence of a rendering while another one repeats. */
		if ((cd->a < 2 && maxa >= 3) || cd->score < TD__TERMS_FLOOR * maxscore)
			continue;
		r->n++;
		tr->target = strdup(td__surfaces_best(&cd->surf));
		if (!tr->target)
			return td_error_set(TD_ENOMEM, "terms: out of memory");
		tr->words = cd->words;
		tr->count = (int64_t)llround((double)cd->a * scale);
		if (tr->count < 1)
			tr->count = 1;
		tr->share = nt > 0 ? (double)tr->count / nt : 0.0;
		if (tr->share > 1.0)
			tr->share = 1.0;
		tr->dice = cd->a ? cd->conf / (double)cd->a : 0.0;
		tr->score = cd->score;
		tr->in_lexicon = cd->lex != 0;
		tr->examples = calloc(nex ? nex : 1, sizeof(*tr->examples));
		if (!tr->examples)
			return td_error_set(TD_ENOMEM, "terms: out of memory");
		for (k = 0; k < cd->nex && k < nex; k++) {
			rc = make_example(&tr->examples[k], c, q, cd->exsp[k], cd->nexsp[k], &w->u[cd->ex[k]]);
			tr->nexamples++;
			if (rc < 0)
				return rc;
		}
	}
	if (nunclear) {
		r->unclear = calloc(nunclear, sizeof(*r->unclear));
		if (!r->unclear)
			return td_error_set(TD_ENOMEM, "terms: out of memory");
		for (k = 0; k < nunclear; k++) {
			rc = make_example(&r->unclear[k], c, q, NULL, 0, &w->u[unclear[k]]);
			r->nunclear++;
			if (rc < 0)
				return rc;
		}
	}
	if (w->nrel) {
		r->related = calloc(w->nrel, sizeof(*r->related));
		if (!r->related)
			return td_error_set(TD_ENOMEM, "terms: out of memory");
		for (i = 0; i < w->nrel; i++) {
			r->related[i].form = w->rel[i].form;
			w->rel[i].form = NULL;
			r->related[i].count = w->rel[i].n;
		}
		qsort(r->related, w->nrel, sizeof(*r->related), by_rel_desc);
		r->nrelated = w->nrel;
		for (i = MAX_RELATED; i < r->nrelated; i++)
			free(r->related[i].form);
		if (r->nrelated > MAX_RELATED)
			r->nrelated = MAX_RELATED;
	}
	return 0;
}

static void example_free(td_terms_example *ex)
{
	free(ex->source);
	free(ex->target);
	free(ex->src_spans);
	free(ex->tgt_spans);
}

void td_terms_result_free(td_terms_result *r)
{
	size_t i, k;

	if (!r)
		return;
	for (i = 0; i < r->n; i++) {
		for (k = 0; k < r->v[i].nexamples; k++)
			example_free(&r->v[i].examples[k]);
		free(r->v[i].examples);
		free(r->v[i].target);
	}
	free(r->v);
	for (i = 0; i < r->nunclear; i++)
		example_free(&r->unclear[i]);
	free(r->unclear);
	for (i = 0; i < r->nrelated; i++)
		free(r->related[i].form);
	free(r->related);
	free(r->term);
	free(r);
}
