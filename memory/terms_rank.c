/*
 * Ranking a term's candidates: a translation's score is the alignment
 * confidence it gathered over the aligned units, against all of them plus
 * a prior (EVIDENCE_PRIOR units' worth of doubt): one unit with a sure
 * alignment scores about 0.9, a weak one or a translation that other
 * units contradict much lower, several agreeing units near 1.
 */
#include "terms_internal.h"

#include <stdlib.h>
#include <string.h>

#define EVIDENCE_PRIOR 0.05

static int by_score_desc(const void *x, const void *y)
{
	const td__cand *a = *(const td__cand *const *)x, *b = *(const td__cand *const *)y;

	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	if (a->a != b->a)
		return a->a > b->a ? -1 : 1;
	if (a->words != b->words)
		return a->words > b->words ? -1 : 1;
	return strcmp(a->key, b->key);
}

int td__terms_key_inside(const char *s, const char *l)
{
	size_t ns = strlen(s), nl = strlen(l);
	const char *p = l;

	while ((p = strstr(p, s)) != NULL) {
		if ((p == l || p[-1] == ' ') && (p + ns == l + nl || p[ns] == ' '))
			return 1;
		p++;
	}
	return 0;
}


void td__terms_rank(td__cand **order, td__terms_work *w, double aligned)
{
	size_t i;

	for (i = 0; i < w->n; i++) {
		td__cand *c = &w->v[i];
		c->score = c->conf / (aligned + EVIDENCE_PRIOR);
		if (c->score > 1.0)
			c->score = 1.0;
		order[i] = c;
	}
	if (w->n)
		qsort(order, w->n, sizeof(*order), by_score_desc);
}
