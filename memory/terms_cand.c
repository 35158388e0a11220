/*
 * Candidate translations of a term: the target expressions of the units
 * with the term, counted once per unit with their written forms, and the
 * longer source words that begin with the term (related compounds).
 */
#include "terms_internal.h"

#include <libxml/hash.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tandem/error.h"
#include "index.h"

void td__terms_work_free(td__terms_work *w)
{
	size_t i;

	for (i = 0; i < w->n; i++) {
		free(w->v[i].key);
		td__surfaces_free(&w->v[i].surf);
	}
	free(w->v);
	for (i = 0; i < w->nu; i++) {
		free(w->u[i].source);
		free(w->u[i].target);
	}
	free(w->u);
	for (i = 0; i < w->nrel; i++) {
		free(w->rel[i].key);
		free(w->rel[i].form);
	}
	free(w->rel);
	if (w->h)
		xmlHashFree(w->h, NULL);
	if (w->hrel)
		xmlHashFree(w->hrel, NULL);
}

int td__terms_slot(size_t *idx, bool *added, xmlHashTablePtr h, void **v, size_t *n, size_t *cap,
	size_t size, const char *key)
{
	void *found = xmlHashLookup(h, (const xmlChar *)key);
	int rc;

	*added = false;
	*idx = 0;   /* set on failure too: -O3 cannot tell td_error_set's code is negative */
	if (found) {
		*idx = (uintptr_t)found - 1;
		return 0;
	}
	rc = td_grow(v, cap, *n + 1, size);
	if (rc < 0)
		return rc;
	memset((char *)*v + *n * size, 0, size);
	if (xmlHashAddEntry(h, (const xmlChar *)key, (void *)(uintptr_t)(*n + 1)) != 0)
		return td_error_set(TD_ENOMEM, "terms: out of memory");
	*idx = (*n)++;
	*added = true;
	return 0;
}

int td__surfaces_add(td__surfaces *s, const char *text, size_t len)
{
	size_t k;

	for (k = 0; k < s->n; k++) {
		if (strlen(s->v[k].s) == len && memcmp(s->v[k].s, text, len) == 0) {
			s->v[k].n++;
			return 0;
		}
	}
	if (s->n == TD__TERMS_SURFACES)
		return 0;
	s->v[s->n].s = td__terms_dup_n(text, len);
	if (!s->v[s->n].s)
		return td_error_set(TD_ENOMEM, "terms: out of memory");
	s->v[s->n++].n = 1;
	return 0;
}

const char *td__surfaces_best(const td__surfaces *s)
{
	size_t k, b = 0;

	for (k = 1; k < s->n; k++)
		if (s->v[k].n > s->v[b].n)
			b = k;
	return s->n ? s->v[b].s : "";
}

void td__surfaces_free(td__surfaces *s)
{
	size_t k;

	for (k = 0; k < s->n; k++)
		free(s->v[k].s);
	s->n = 0;
}

/* Whether the tokens between two words of a translation can be shown with it ("freedom of the press"). */
static int joins(const td_token *t, size_t from, size_t to)
{
	size_t j;

	if (to - from > 3)
		return 0;
	for (j = from; j < to; j++)
		if (!(t[j].kind == TD_TOK_WORD && t[j].stop) &&
		    !(t[j].kind == TD_TOK_PUNCT && (strcmp(t[j].norm, "-") == 0 || strcmp(t[j].norm, "'") == 0)))
			return 0;
	return 1;
}

static int only_spaces(const char *p, const char *end)
{
	for (; p < end; p++)
		if (*p != ' ')
			return 0;
	return 1;
}

size_t td__talign_spans(td_terms_span *sp, const td__talign_out *al, const td_token *t, const char *text)
{
	size_t m = 0, k;

	for (k = 0; k < al->n && k < TD__TALIGN_WORDS; k++) {
		const td_token *x = &t[al->tok[k]];
		/* Words next to each other are marked as one span. */
		if (m && only_spaces(text + sp[m - 1].end, text + x->start)) {
			sp[m - 1].end = x->end;
			continue;
		}
		sp[m].start = x->start;
		sp[m++].end = x->end;
	}
	return m;
}

/* The length of surf without an English possessive ending ("cinema's" -> "cinema"). */
static size_t drop_possessive(char *surf, size_t n)
{
	if (n > 3 && strcmp(surf + n - 2, "'s") == 0)
		n -= 2;
	else if (n > 5 && strcmp(surf + n - 4, "\xe2\x80\x99s") == 0)
		n -= 4;
	surf[n] = '\0';
	return n;
}

int td__terms_add_aligned(td__terms_work *w, size_t ui, const td__talign_out *al, const td_token *t,
	const char *text)
{
	char key[1024], surf[1024];
	size_t k, ci, klen = 0, slen = 0;
	bool added;
	td__cand *c;
	int rc;

	key[0] = surf[0] = '\0';
	for (k = 0; k < al->n; k++) {
		const td_token *x = &t[al->tok[k]];
		size_t n = strlen(x->stem), from = k ? t[al->tok[k - 1]].end : x->start;
		const char *sep = k == 0 ? "" : joins(t, al->tok[k - 1] + 1, al->tok[k]) ? NULL : " \xe2\x80\xa6 ";
		size_t sl = sep ? strlen(sep) : x->start - from;
		if (klen + n + 2 > sizeof(key) || slen + sl + (x->end - x->start) + 1 > sizeof(surf))
			return 0;
		if (k)
			key[klen++] = ' ';
		memcpy(key + klen, x->stem, n + 1);
		klen += n;
		if (sep)
			memcpy(surf + slen, sep, sl);
		else
			memcpy(surf + slen, text + from, sl);
		slen += sl;
		memcpy(surf + slen, text + x->start, x->end - x->start);
		slen += x->end - x->start;
		surf[slen] = '\0';
		if (k + 1 == al->n)
			slen = drop_possessive(surf, slen);
	}
	rc = td__terms_slot(&ci, &added, w->h, (void **)&w->v, &w->n, &w->cap, sizeof(td__cand), key);
	if (rc < 0)
		return rc;
	c = &w->v[ci];
	if (added) {
		c->words = al->n;
		if (!(c->key = strdup(key)))
			return td_error_set(TD_ENOMEM, "terms: out of memory");
	}
	if (c->last == ui + 1)
		return 0;
	c->last = ui + 1;
	c->a++;
	c->conf += al->conf * w->u[ui].weight;
	c->lex |= al->lex;
	if (c->nex < TD__TERMS_EXAMPLES) {
		c->nexsp[c->nex] = td__talign_spans(c->exsp[c->nex], al, t, text);
		c->ex[c->nex++] = ui;
	}
	return td__surfaces_add(&c->surf, surf, slen);
}

int td__terms_note_related(td__terms_work *w, size_t ui, const td_token *t, const char *text)
{
	size_t r;
	bool added;
	int rc = td__terms_slot(&r, &added, w->hrel, (void **)&w->rel, &w->nrel, &w->relcap,
		sizeof(*w->rel), t->norm);

	if (rc < 0)
		return rc;
	if (added && (!(w->rel[r].key = strdup(t->norm)) ||
		      !(w->rel[r].form = td__terms_dup_n(text + t->start, t->end - t->start))))
		return td_error_set(TD_ENOMEM, "terms: out of memory");
	if (w->rel[r].last != ui + 1) {
		w->rel[r].last = ui + 1;
		w->rel[r].n++;
	}
	return 0;
}
