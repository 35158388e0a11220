/*
 * Glossary extraction: frequent source terms of a language pair with their
 * best translations (model in include/tandem/terms.h).
 */
#include "tandem/lang.h"
#include "terms_internal.h"

#include <assert.h>
#include <libxml/hash.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "tandem/error.h"
#include "base/opts.h"

#define MAX_RUN 3
#define ABSORB 0.8

typedef struct {
	char *key;                 /* stems joined by ' ' */
	size_t words;
	int64_t n;                 /* units whose source has it */
	size_t last;               /* 1 + the last unit counted */
	td__surfaces surf;         /* written forms */
	int dropped;
} xterm;

typedef struct {
	xterm *v; size_t n, cap;
	xmlHashTablePtr h;
} xset;

static void xset_free(xset *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		free(s->v[i].key);
		td__surfaces_free(&s->v[i].surf);
	}
	free(s->v);
	if (s->h)
		xmlHashFree(s->h, NULL);
}

static int oom(void)
{
	return td_error_set(TD_ENOMEM, "terms: out of memory");
}

static int xset_add(xset *s, size_t unit, const char *key, size_t words, const char *surf, size_t len)
{
	size_t i;
	bool added;
	xterm *x;
	int rc = td__terms_slot(&i, &added, s->h, (void **)&s->v, &s->n, &s->cap, sizeof(*s->v), key);

	if (rc < 0)
		return rc;
	x = &s->v[i];
	if (added) {
		x->words = words;
		if (!(x->key = strdup(key)))
			return oom();
	}
	if (x->last == unit + 1)
		return 0;
	x->last = unit + 1;
	x->n++;
	return td__surfaces_add(&x->surf, surf, len);
}

/* Whether the token's written form begins with an upper-case letter. */
static int capitalised(const char *text, const td_token *t)
{
	int32_t i = 0, len = (int32_t)(t->end - t->start);
	UChar32 ch;

	U8_NEXT((const uint8_t *)text + t->start, i, len, ch);
	return ch >= 0 && u_isupper(ch);
}

/* Punctuation after which a new sentence starts; quotes and brackets are looked through. */
static int ends_sentence(const td_token *t)
{
	return strcmp(t->norm, ".") == 0 || strcmp(t->norm, "!") == 0 || strcmp(t->norm, "?") == 0 ||
		strcmp(t->norm, ":") == 0 || strcmp(t->norm, "\xe2\x80\xa6") == 0; /* … */
}

static int sentence_initial(const td_token *t, size_t i)
{
	while (i > 0) {
		i--;
		if (t[i].kind != TD_TOK_PUNCT)
			return 0;
		if (ends_sentence(&t[i]))
			return 1;
	}
	return 1;
}

static int candidate_word(const td_token *t)
{
	return t->kind == TD_TOK_WORD && !t->stop && strlen(t->norm) >= 3;
}

/* The terms of one source text into s. German: nouns and names by capitals. */
static int scan_source(xset *s, size_t unit, td_tokenizer *tk, const char *text, int german)
{
	const td_token *t;
	char key[512];
	size_t n, i, len, j;
	int rc = td_tokenizer_run(&t, &n, tk, text, strlen(text));

	for (i = 0; rc == 0 && i < n; i++) {
		int ok = candidate_word(&t[i]);
		if (ok && german)
			ok = capitalised(text, &t[i]) && !sentence_initial(t, i);
		if (!ok)
			continue;
		key[0] = '\0';
		for (len = 1; len <= (german ? MAX_RUN : 2) && i + len <= n; len++) {
			j = i + len - 1;
			if (!candidate_word(&t[j]) || (german && !capitalised(text, &t[j])))
				break;
			if (strlen(key) + strlen(t[j].stem) + 2 > sizeof(key))
				break;
			if (len > 1)
				strcat(key, " ");
			strcat(key, t[j].stem);
			rc = xset_add(s, unit, key, len, text + t[i].start, t[j].end - t[i].start);
			if (rc < 0)
				break;
		}
	}
	return rc;
}

static int by_count(const void *a, const void *b)
{
	const xterm *x = *(const xterm *const *)a, *y = *(const xterm *const *)b;

	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	if (x->words != y->words)
		return x->words > y->words ? -1 : 1;
	return strcmp(x->key, y->key);
}

/* Keep the frequent terms: sorted, longer terms absorbing their parts, weak collocations out. */
static int select_terms(xterm ***out, size_t *nout, xset *s, int64_t min_count, int german)
{
	xterm **v = NULL;
	size_t i, j, n = 0;

	for (i = 0; i < s->n; i++)
		if (s->v[i].n >= min_count)
			n++;
	v = malloc((n ? n : 1) * sizeof(*v));
	if (!v)
		return oom();
	n = 0;
	for (i = 0; i < s->n; i++)
		if (s->v[i].n >= min_count)
			v[n++] = &s->v[i];
	qsort(v, n, sizeof(*v), by_count);
	for (i = 0; i < n; i++) {
		for (j = 0; j < n; j++) {
			xterm *l = v[i], *p = v[j];
			if (l->words <= p->words || l->dropped)
				continue;
			if (!td__terms_key_inside(p->key, l->key))
				continue;
			if ((double)l->n >= ABSORB * (double)p->n)
				p->dropped = 1;
			/* A collocation must hold a good part of its words' uses. */
			else if (!german && (double)l->n < 0.5 * (double)p->n && p->n > 2 * min_count)
				l->dropped = 1;
		}
	}
	j = 0;
	for (i = 0; i < n; i++)
		if (!v[i]->dropped)
			v[j++] = v[i];
	*out = v;
	*nout = j;
	return 0;
}

static int by_entry_count(const void *a, const void *b)
{
	const td_glossary_entry *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->term, y->term);
}

int td_terms_extract(td_glossary **out, td_terms *tt, const td_terms_extract_opts *opts)
{
	xset s;
	xterm **sel = NULL;
	sqlite3_stmt *st = NULL;
	td_glossary *g = NULL;
	size_t unit = 0, nsel = 0, i;
	int rc, step, german;

	assert(out && tt && opts);
	*out = NULL;
	td__reader_refresh(&tt->rd);
	if ((rc = td_opts_version(opts->version, TD_TERMS_EXTRACT_OPTS_VERSION, "terms")) < 0)
		return rc;
	memset(&s, 0, sizeof(s));
	rc = td__terms_pair(tt, opts->src_lang, opts->tgt_lang);
	if (rc < 0)
		return rc;
	g = calloc(1, sizeof(*g));
	if (!g)
		return oom();
	snprintf(g->src_lang, sizeof(g->src_lang), "%s", opts->src_lang);
	snprintf(g->tgt_lang, sizeof(g->tgt_lang), "%s", opts->tgt_lang);
	german = td_lang_is(g->src_lang, "de");
	s.h = xmlHashCreate(4096);
	if (!s.h) {
		rc = oom();
		goto cleanup;
	}
	/* One pass over the units; those stored the other way round give their target. */
	if (sqlite3_prepare_v2(tt->rd.db, "SELECT src_lang, tgt_lang, source, target FROM unit",
		-1, &st, NULL) != SQLITE_OK) {
		rc = td_error_set(TD_EDB, "terms: reading the units: %s", sqlite3_errmsg(tt->rd.db));
		goto cleanup;
	}
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *sl = (const char *)sqlite3_column_text(st, 0);
		const char *tl = (const char *)sqlite3_column_text(st, 1);
		int col = td_lang_matches(sl, g->src_lang) && td_lang_matches(tl, g->tgt_lang) ? 2
			: td_lang_matches(sl, g->tgt_lang) && td_lang_matches(tl, g->src_lang) ? 3 : -1;
		if (col < 0)
			continue;
		rc = scan_source(&s, unit++, tt->tsrc, (const char *)sqlite3_column_text(st, col), german);
		if (rc < 0)
			goto cleanup;
	}
	if (step != SQLITE_DONE) {
		rc = td_error_set(TD_EDB, "terms: reading the units: %s", sqlite3_errmsg(tt->rd.db));
		goto cleanup;
	}
	rc = select_terms(&sel, &nsel, &s, opts->min_count > 0 ? opts->min_count : 1, german);
	if (rc < 0)
		goto cleanup;
	if (nsel > opts->max)
		nsel = opts->max;
	g->v = calloc(nsel ? nsel : 1, sizeof(*g->v));
	if (!g->v) {
		rc = oom();
		goto cleanup;
	}
	for (i = 0; i < nsel; i++) {
		td_terms_opts q = TD_TERMS_OPTS_INIT;
		td_terms_result *r = NULL;
		td_glossary_entry *e = &g->v[g->n++];

		e->term = strdup(td__surfaces_best(&sel[i]->surf));
		if (!e->term) {
			rc = oom();
			goto cleanup;
		}
		e->count = sel[i]->n;
		q.src_lang = opts->src_lang;
		q.tgt_lang = opts->tgt_lang;
		q.max = 1;
		q.examples = 0;
		q.lexicon = opts->lexicon;
		rc = td_terms_query(&r, tt, e->term, &q);
		if (rc < 0)
			goto cleanup;
		/* The query counts every inflected form, also at the start of a sentence. */
		if (r->units > e->count)
			e->count = r->units;
		if (r->n) {
			e->target = strdup(r->v[0].target);
			e->target_count = r->v[0].count;
			e->score = r->v[0].score;
			if (!e->target)
				rc = oom();
		}
		td_terms_result_free(r);
		if (rc < 0)
			goto cleanup;
	}
	qsort(g->v, g->n, sizeof(*g->v), by_entry_count);
cleanup:
	sqlite3_finalize(st);
	free(sel);
	xset_free(&s);
	if (rc < 0) {
		td_glossary_free(g);
		return rc;
	}
	*out = g;
	return 0;
}

void td_glossary_free(td_glossary *g)
{
	size_t i;

	if (!g)
		return;
	for (i = 0; i < g->n; i++) {
		free(g->v[i].term);
		free(g->v[i].target);
	}
	free(g->v);
	free(g);
}
