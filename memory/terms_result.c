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

/* Spans of the candidate (by stems) in a tokenized target. */
static size_t cand_spans(td_terms_span *sp, size_t cap, const td__cand *cd, const td_token *t, size_t n)
{
	char key[1024];
	size_t i, j, found = 0;

	for (i = 0; i + cd->words <= n; i++) {
		key[0] = '\0';
		for (j = i; j < i + cd->words; j++) {
			if (t[j].kind == TD_TOK_PUNCT || strlen(key) + strlen(t[j].stem) + 2 > sizeof(key))
				break;
			if (j > i)
				strcat(key, " ");
			strcat(key, t[j].stem);
		}
		if (j < i + cd->words || strcmp(key, cd->key) != 0)
			continue;
		if (found < cap) {
			sp[found].start = t[i].start;
			sp[found].end = t[i + cd->words - 1].end;
		}
		found++;
		i += cd->words - 1;
	}
	return found;
}

static int make_example(td_terms_example *ex, td_terms *c, const td__qterm *q, const td__cand *cd,
	const td__sunit *u)
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
	rc = td_tokenize(c->tsrc, &t, &n, u->source, strlen(u->source));
	if (rc < 0)
		return rc;
	ns = td__term_spans(sp, 16, q, t, n);
	if (ns > 16)
		ns = 16;
	ex->src_spans = malloc((ns ? ns : 1) * sizeof(*sp));
	if (!ex->src_spans)
		return td_error_set(TD_ENOMEM, "terms: out of memory");
	memcpy(ex->src_spans, sp, ns * sizeof(*sp));
	ex->nsrc_spans = ns;
	rc = td_tokenize(c->ttgt, &t, &n, u->target, strlen(u->target));
	if (rc < 0)
		return rc;
	ns = cand_spans(sp, 16, cd, t, n);
	if (ns > 16)
		ns = 16;
	ex->tgt_spans = malloc((ns ? ns : 1) * sizeof(*sp));
	if (!ex->tgt_spans)
		return td_error_set(TD_ENOMEM, "terms: out of memory");
	memcpy(ex->tgt_spans, sp, ns * sizeof(*sp));
	ex->ntgt_spans = ns;
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
	td__cand **order, size_t norder, const td_terms_opts *opts, double nt, double scale)
{
	size_t i, k, nex = opts->examples < TD__TERMS_EXAMPLES ? opts->examples : TD__TERMS_EXAMPLES;
	int64_t maxa = 0;
	double maxdice = 0.0;
	int rc;

	r->v = calloc(opts->max ? opts->max : 1, sizeof(*r->v));
	if (!r->v)
		return td_error_set(TD_ENOMEM, "terms: out of memory");
	for (i = 0; i < norder; i++) {
		if (!order[i]->dropped && order[i]->a > maxa)
			maxa = order[i]->a;
		if (order[i]->dice > maxdice)
			maxdice = order[i]->dice;
	}
	for (i = 0; i < norder && r->n < opts->max; i++) {
		td__cand *cd = order[i];
		td_terms_translation *tr = &r->v[r->n];
		if (cd->dropped)
			break;
		/* One unit is no evidence of a rendering while another one repeats. */
		if ((cd->a < 2 && maxa >= 2) || cd->dice < TD__TERMS_FLOOR * maxdice)
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
		tr->dice = cd->dice;
		tr->score = cd->score;
		tr->in_lexicon = cd->lex != 0;
		tr->examples = calloc(nex ? nex : 1, sizeof(*tr->examples));
		if (!tr->examples)
			return td_error_set(TD_ENOMEM, "terms: out of memory");
		for (k = 0; k < cd->nex && k < nex; k++) {
			rc = make_example(&tr->examples[k], c, q, cd, &w->u[cd->ex[k]]);
			tr->nexamples++;
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
	for (i = 0; i < r->nrelated; i++)
		free(r->related[i].form);
	free(r->related);
	free(r->term);
	free(r);
}
