/*
 * Ranking a term's candidates: Dice against the concordance index in order
 * of their unit counts (stopping when no later one can reach the best),
 * longer expressions absorbing their parts, the lexicon's boost.
 */
#include "terms_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tandem/error.h"

#define ABSORB 0.8          /* a longer expression with >= 80 % of a part's units absorbs it */
#define LEX_BOOST 0.25      /* share of the distance to 1 added for lexicon support */
#define PREFER 0.9          /* a longer expression with >= 90 % of a part's Dice ranks above it */

static int by_a_desc(const void *x, const void *y)
{
	const td__cand *a = *(const td__cand *const *)x, *b = *(const td__cand *const *)y;

	if (a->a != b->a)
		return a->a > b->a ? -1 : 1;
	return strcmp(a->key, b->key);
}

static int by_score_desc(const void *x, const void *y)
{
	const td__cand *a = *(const td__cand *const *)x, *b = *(const td__cand *const *)y;

	if (a->rank != b->rank)
		return a->rank > b->rank ? -1 : 1;
	if (a->words != b->words)
		return a->words > b->words ? -1 : 1;
	if (a->a != b->a)
		return a->a > b->a ? -1 : 1;
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

/* Whether the lexicon pairs a word of the term with a word of the candidate. */
static int lexicon_supports(const td_lexicon *lx, const td__qterm *q, const char *key)
{
	size_t i, k, m, j;

	for (i = 0; i < q->n; i++) {
		for (k = 0; k < q->w[i].nstem; k++) {
			const char *const *tg;
			size_t nt = td_lexicon_lookup(lx, q->w[i].stem[k], &tg);
			for (m = 0; m < nt; m++) {
				size_t tl = strlen(tg[m]);
				const char *p = key;
				/* compare with each word of the key */
				for (;;) {
					const char *e = strchr(p, ' ');
					j = e ? (size_t)(e - p) : strlen(p);
					if (j == tl && memcmp(p, tg[m], tl) == 0)
						return 1;
					if (!e)
						break;
					p = e + 1;
				}
			}
		}
	}
	return 0;
}

/*
 * Score candidates in order of a: Dice needs n_E (one FTS count each), and
 * 2a / (n_T + a) bounds what a candidate can reach, so the loop stops when
 * the bound falls below the k-th best score found or below TD__TERMS_FLOOR times the
 * best one (not shown), and each count stops where n_E would push the
 * candidate below that.
 */
int td__terms_score(td_terms *c, td__terms_work *w, td__cand **order, size_t *norder, double nt,
	double scale, size_t k, int64_t min_a, const char *tcol)
{
	double *best = NULL;   /* the best k dice values, descending */
	size_t nbest = 0, i, m = 0, j;
	int rc = 0;

	best = calloc(k + 1, sizeof(*best));
	if (!best)
		return td_error_set(TD_ENOMEM, "terms: out of memory");
	for (i = 0; i < w->n; i++)
		order[i] = &w->v[i];
	qsort(order, w->n, sizeof(*order), by_a_desc);
	for (i = 0; i < w->n; i++) {
		td__cand *cd = order[i];
		double ahat = (double)cd->a * scale, kth = nbest == k ? best[k - 1] : 0.0, ub;
		double ne = 0;
		int64_t limit = -1;

		/* Under a TD__TERMS_FLOOR of the best Dice is as good as out of the best k. */
		if (kth < TD__TERMS_FLOOR * best[0])
			kth = TD__TERMS_FLOOR * best[0];
		if (cd->a < min_a)
			break;
		ub = 2.0 * ahat / (nt + ahat);
		if (kth > 0 && ub <= kth)
			break;
		if (kth > 0) {
			double lim = 2.0 * ahat / kth - nt + 2.0;
			limit = lim > 9e18 ? -1 : (int64_t)lim;
		}
		rc = td__terms_count_forms(c, &ne, &cd->surf, limit, tcol);
		if (rc < 0)
			goto cleanup;
		if (ne < ahat)
			ne = ceil(ahat);
		cd->ahat = ahat;
		cd->dice = 2.0 * ahat / (nt + ne);
		if (cd->dice > 1.0)
			cd->dice = 1.0;
		cd->evaluated = 1;
		order[m++] = cd;
		for (j = nbest; j > 0 && best[j - 1] < cd->dice; j--)
			best[j] = best[j - 1];
		best[j] = cd->dice;
		if (nbest < k)
			nbest++;
	}
	*norder = m;
cleanup:
	free(best);
	return rc;
}

void td__terms_absorb(td__cand **order, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		for (j = 0; j < n; j++) {
			td__cand *l = order[i], *s = order[j];
			if (l->words <= s->words || s->dropped)
				continue;
			if ((double)l->a >= ABSORB * (double)s->a && td__terms_key_inside(s->key, l->key))
				s->dropped = 1;
		}
	}
}

/*
 * The longest expression that is as strongly associated as its parts goes
 * first: "indoor swimming pool" before "indoor" when its Dice is within
 * PREFER of the part's. Longer expressions are visited first, so a chain
 * of three words climbs over its parts in one pass.
 */
static void prefer_longer(td__cand **order, size_t n)
{
	size_t i, j, len;

	for (len = 3; len > 1; len--) {
		for (i = 0; i < n; i++) {
			td__cand *l = order[i];
			if (l->words != len || l->dropped)
				continue;
			for (j = 0; j < n; j++) {
				td__cand *s = order[j];
				if (s->words >= l->words || s->dropped || !td__terms_key_inside(s->key, l->key))
					continue;
				if (l->dice >= PREFER * s->dice && l->rank < s->rank)
					l->rank = s->rank;
			}
		}
	}
}

/*
 * Scores from Dice and the lexicon, then the order shown: best rank first,
 * absorbed candidates last.
 */
void td__terms_rank(td__cand **order, size_t norder, const td__qterm *q, const td_lexicon *lexicon)
{
	size_t i;

	for (i = 0; i < norder; i++) {
		td__cand *cd = order[i];
		cd->lex = lexicon && lexicon_supports(lexicon, q, cd->key);
		cd->score = cd->lex ? cd->dice + LEX_BOOST * (1.0 - cd->dice) : cd->dice;
		cd->rank = cd->dropped ? -1.0 : cd->score;
	}
	prefer_longer(order, norder);
	if (norder)
		qsort(order, norder, sizeof(*order), by_score_desc);
}
