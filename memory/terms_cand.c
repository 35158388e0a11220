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
	if (found) {
		*idx = (uintptr_t)found - 1;
		return 0;
	}
	rc = td__grow(v, cap, *n + 1, size);
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

static int is_content(const td_token *t)
{
	return t->kind == TD_TOK_WORD && !t->stop;
}

/* Count the candidate expressions of one target (unit index ui in w->u). */
int td__terms_collect(td__terms_work *w, size_t ui, const td_token *t, size_t n, const char *text)
{
	char key[1024];
	size_t i, len, j;
	int rc;

	for (i = 0; i < n; i++) {
		if (!is_content(&t[i]))
			continue;
		key[0] = '\0';
		for (len = 1; len <= 3 && i + len <= n; len++) {
			td__cand *c;
			size_t ci;
			bool added;
			j = i + len - 1;
			if (t[j].kind == TD_TOK_PUNCT)
				break;
			if (strlen(key) + strlen(t[j].stem) + 2 > sizeof(key))
				break;
			if (len > 1)
				strcat(key, " ");
			strcat(key, t[j].stem);
			if (!is_content(&t[j]))
				continue;
			rc = td__terms_slot(&ci, &added, w->h, (void **)&w->v, &w->n, &w->cap, sizeof(td__cand), key);
			if (rc < 0)
				return rc;
			c = &w->v[ci];
			if (added) {
				c->words = len;
				if (!(c->key = strdup(key)))
					return td_error_set(TD_ENOMEM, "terms: out of memory");
			}
			if (c->last == ui + 1)
				continue;
			c->last = ui + 1;
			c->a++;
			if (c->nex < TD__TERMS_EXAMPLES)
				c->ex[c->nex++] = ui;
			rc = td__surfaces_add(&c->surf, text + t[i].start, t[j].end - t[i].start);
			if (rc < 0)
				return rc;
		}
	}
	return 0;
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
