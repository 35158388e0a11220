/*
 * Side storage: the arrays of one side of a pair at one level (td_side in
 * align_int.h), their entries, and the token and bit weights.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "align_int.h"
#include "base/sort.h"
#include "tandem/error.h"

void td_side_release(td_side *s)
{
	free(s->nchar);
	free(s->ntok);
	free(s->para);
	free(s->para_end);
	free(s->pstart);
	free(s->label);
	free(s->endc);
	free(s->quotes);
	free(s->verse);
	free(s->eoff);
	free(s->ent);
	free(s->toff);
	free(s->tw);
	free(s->boff);
	free(s->bw);
	free(s->wtot);
	free(s->self);
	memset(s, 0, sizeof(*s));
}

int td__side_alloc(td_side *s, size_t n)
{
	memset(s, 0, sizeof(*s));
	s->n = n;
	s->nchar = calloc(n + 1, sizeof(uint32_t));
	s->ntok = calloc(n + 1, sizeof(uint32_t));
	s->para = calloc(n + 1, sizeof(uint32_t));
	s->para_end = calloc(n + 1, sizeof(uint32_t));
	s->pstart = calloc(n + 1, 1);
	s->label = calloc(n + 1, 1);
	s->endc = calloc(n + 1, 1);
	s->quotes = calloc(n + 1, 1);
	s->verse = calloc(n + 1, 1);
	s->eoff = calloc(n + 1, sizeof(size_t));
	s->toff = calloc(n + 1, sizeof(size_t));
	s->boff = calloc(n + 1, sizeof(size_t));
	s->wtot = calloc(n + 1, sizeof(float));
	if (!s->nchar || !s->ntok || !s->para || !s->para_end || !s->pstart || !s->label || !s->endc ||
	    !s->quotes || !s->verse || !s->eoff || !s->toff || !s->boff || !s->wtot) {
		td_side_release(s);
		return td_error_set(TD_ENOMEM, "aligner: out of memory");
	}
	return 0;
}

/* Room for `more` entries after the side's last. */
int td__side_reserve(td_side *s, size_t more)
{
	return td_grow((void **)&s->ent, &s->entcap, s->nent + more, sizeof(*s->ent));
}

/* Sort the entries of unit u (pushed since eoff[u]) and drop repeats. */
void td__side_finish(td_side *s, size_t u)
{
	size_t a = s->eoff[u];

	if (s->nent - a > 1)   /* (ent is NULL while a side has no entry) */
		s->nent = a + td_sort_unique(s->ent + a, s->nent - a);
	s->eoff[u + 1] = s->nent;
}

/* Bit weights and total weight of every unit, from the token weights. */
int td__side_bits(td_side *s)
{
	size_t u, k, total = 0;

	for (u = 0; u < s->n; u++) {
		s->boff[u] = total;
		total += s->ntok[u] > 64 ? 64 : s->ntok[u];
	}
	s->boff[s->n] = total;
	free(s->bw);
	s->bw = calloc(total + 1, sizeof(float));
	if (!s->bw)
		return td_error_set(TD_ENOMEM, "aligner: out of memory");
	for (u = 0; u < s->n; u++) {
		uint32_t nt = s->ntok[u];
		double sum = 0;

		for (k = 0; k < nt; k++) {
			float w = s->tw[s->toff[u] + k];
			size_t bit = nt > 64 ? (size_t)((uint64_t)k * 64 / nt) : k;

			s->bw[s->boff[u] + bit] += w;
			sum += w;
		}
		s->wtot[u] = (float)sum;
	}
	return 0;
}

/*
 * Inverse document frequency of each token's own key on its side:
 * log((N + 1) / (df + 0.5)), N units, df units holding the key. A word in
 * every sentence says little about which sentence is the translation; a
 * number or a name found once says much.
 */
static float weight_of(size_t n, size_t df)
{
	float w = (float)log((n + 1.0) / (df + 0.5));

	return w < 0.1f ? 0.1f : w;
}

#define DF_MEMO 64

int td_side_weights(td_side *s)
{
	float memo[DF_MEMO] = { 0 };
	size_t ntok = s->toff[s->n], u, k, w = 0;
	uint64_t *keys = malloc((ntok + 1) * sizeof(uint64_t));

	free(s->tw);
	s->tw = malloc((ntok + 1) * sizeof(float));
	if (!keys || !s->tw) {
		free(keys);
		return td_error_set(TD_ENOMEM, "aligner: out of memory");
	}
	/* Distinct keys per unit, then all of them sorted: df by counting. */
	for (u = 0; u < s->n; u++) {
		size_t a = w;

		for (k = s->toff[u]; k < s->toff[u + 1]; k++)
			keys[w++] = s->self[k];
		w = a + td_sort_unique(keys + a, w - a);
	}
	td_sort_u64(keys, w);
	for (k = 0; k < ntok; k++) {
		size_t df = td_count_sorted(keys, w, s->self[k]);

		if (df < DF_MEMO) {   /* most tokens have a small df: one log per value */
			if (!(memo[df] > 0))
				memo[df] = weight_of(s->n, df);
			s->tw[k] = memo[df];
		} else {
			s->tw[k] = weight_of(s->n, df);
		}
	}
	free(keys);
	return td__side_bits(s);
}
