/*
 * Concordance: every unit whose source (or target) contains a word or phrase,
 * through the FTS5 table td_concord (memory/index.h). FTS5 finds the units
 * newest first and marks the phrase with highlight(); the marks (bytes 0x01
 * and 0x02, which the TM never stores) are turned into byte spans here.
 * The units shown then get their aligned-word marks (concord_align.c).
 */
#include "tandem/lang.h"
#include "lookup_int.h"
#include "base/opts.h"

#include <stdlib.h>
#include <string.h>

#define FREQUENT_WINDOW 5000  /* newest units ranked by how often they were seen */

/* FTS5 phrase query on one column: the phrase in double quotes, inner quotes doubled. */
static char *fts_phrase(const char *col, const char *phrase)
{
	size_t n = strlen(phrase), i, len;
	char *q = malloc(strlen(col) + 2 * n + 8);

	if (!q)
		return NULL;
	len = (size_t)sprintf(q, "%s : \"", col);
	for (i = 0; i < n; i++) {
		if (phrase[i] == '"')
			q[len++] = '"';
		q[len++] = phrase[i];
	}
	q[len++] = '"';
	q[len] = '\0';
	return q;
}

/* Remove the highlight marks from h into text, recording spans. */
static int unmark(char **text, size_t **spans, size_t *nspans, const char *h)
{
	size_t n = strlen(h), len = 0, ns = 0, cap = 0, i;
	char *t = malloc(n + 1);
	size_t *s = NULL;

	*text = NULL;
	*spans = NULL;
	*nspans = 0;
	if (!t)
		return TD_ENOMEM;
	for (i = 0; i < n; i++) {
		if (h[i] == '\x01' || h[i] == '\x02') {
			if (td_grow((void **)&s, &cap, ns + 1, sizeof(size_t)) < 0) {
				free(t);
				free(s);
				return TD_ENOMEM;
			}
			s[ns++] = len;
			continue;
		}
		t[len++] = h[i];
	}
	t[len] = '\0';
	*text = t;
	*spans = s;
	*nspans = ns / 2;
	return 0;
}

/* a equals b when runs of white space count as one space. */
static int same_spaced(const char *a, size_t na, const char *b, size_t nb)
{
	size_t i = 0, j = 0;

	for (;;) {
		int sa = 0, sb = 0;
		while (i < na && (a[i] == ' ' || a[i] == '\t' || a[i] == '\n')) {
			i++;
			sa = 1;
		}
		while (j < nb && (b[j] == ' ' || b[j] == '\t' || b[j] == '\n')) {
			j++;
			sb = 1;
		}
		if (i == na || j == nb)
			return i == na && j == nb;
		if (sa != sb && i > 0 && j > 0)
			return 0;
		if (a[i] != b[j])
			return 0;
		i++;
		j++;
	}
}

/* Keep only the spans that spell the phrase exactly (case and diacritics). */
static size_t exact_spans(size_t *s, size_t n, const char *text, const char *phrase)
{
	size_t i, k = 0, pl = strlen(phrase);

	while (pl && (phrase[pl - 1] == ' ' || phrase[pl - 1] == '\t'))
		pl--;
	while (pl && (*phrase == ' ' || *phrase == '\t')) {
		phrase++;
		pl--;
	}
	for (i = 0; i < n; i++) {
		if (same_spaced(text + s[2 * i], s[2 * i + 1] - s[2 * i], phrase, pl)) {
			s[2 * k] = s[2 * i];
			s[2 * k + 1] = s[2 * i + 1];
			k++;
		}
	}
	return k;
}

static int more_seen(const void *a, const void *b)
{
	const td_concord_hit *x = a, *y = b;

	if (x->seen != y->seen)
		return (x->seen < y->seen) - (x->seen > y->seen);
	return (x->unit_id < y->unit_id) - (x->unit_id > y->unit_id);
}

static int has_word(td_lookup *lk, const char *phrase, const char *lang)
{
	const td_token *t;
	size_t n, i;
	int rc = td__lookup_tokenizer(lk, lang);

	if (rc == 0)
		rc = td_tokenizer_run(&t, &n, lk->tk, phrase, strlen(phrase));
	if (rc < 0)
		return rc;
	for (i = 0; i < n; i++)
		if (t[i].kind != TD_TOK_PUNCT)
			return 1;
	return 0;
}

int td_concord(td_concord_result *out, td_lookup *lk, const char *phrase, const td_concord_opts *opts)
{
	td_concord_opts o = opts ? *opts : (td_concord_opts)TD_CONCORD_OPTS_INIT;
	const char *col = o.in_target ? "target" : "source";
	const char *lang = o.in_target ? o.tgt_lang : o.src_lang;
	size_t window = o.order == TD_CONCORD_FREQUENT ? FREQUENT_WINDOW : o.max, seen = 0;
	sqlite3_stmt *st = NULL;
	char *q = NULL, sql[512];
	int rc, step = SQLITE_DONE;

	memset(out, 0, sizeof(*out));
	td__reader_refresh(&lk->rd);
	if ((rc = td_opts_version(o.version, TD_CONCORD_OPTS_VERSION, "concordance")) < 0)
		return rc;
	if (o.max == 0)
		return td_error_set(TD_EINVAL, "concordance: at least one unit must be asked for");
	rc = has_word(lk, phrase, lang && *lang ? lang : "en");
	if (rc < 0)
		return rc;
	if (rc == 0)
		return td_error_set(TD_EINVAL, "concordance: '%s' has no word to search for", phrase);
	rc = 0;
	q = fts_phrase(col, phrase);
	if (!q)
		return td_error_set(TD_ENOMEM, "concordance: out of memory");
	snprintf(sql, sizeof(sql),
		"SELECT c.rowid, u.src_lang, u.tgt_lang, u.created, highlight(td_concord, %d, char(1), char(2)),"
		" u.%s FROM td_concord c JOIN unit u ON u.id = c.rowid"
		" WHERE td_concord MATCH ?1 ORDER BY c.rowid DESC",
		o.in_target ? 1 : 0, o.in_target ? "source" : "target");
	if (sqlite3_prepare_v2(lk->rd.db, sql, -1, &st, NULL) != SQLITE_OK) {
		rc = td_error_set(TD_EFORMAT, "%s: not a tandem TM with a concordance index (%s)",
			lk->rd.path, sqlite3_errmsg(lk->rd.db));
		goto cleanup;
	}
	sqlite3_bind_text(st, 1, q, -1, SQLITE_STATIC);
	while (seen < window && (step = sqlite3_step(st)) == SQLITE_ROW) {
		td_concord_hit *h;
		const char *sl = (const char *)sqlite3_column_text(st, 1);
		const char *tl = (const char *)sqlite3_column_text(st, 2);
		const char *hl = (const char *)sqlite3_column_text(st, 4);
		const char *other = (const char *)sqlite3_column_text(st, 5);
		char *text = NULL;
		size_t *spans = NULL, nspans = 0;
		if (!sl || !tl || !hl || !other || !td_lang_matches(sl, o.src_lang) || !td_lang_matches(tl, o.tgt_lang))
			continue;
		if (unmark(&text, &spans, &nspans, hl) < 0) {
			rc = td_error_set(TD_ENOMEM, "concordance: out of memory");
			goto cleanup;
		}
		if (o.exact)
			nspans = exact_spans(spans, nspans, text, phrase);
		if (nspans == 0) {
			free(text);
			free(spans);
			continue;
		}
		rc = td_grow((void **)&lk->ch, &lk->chcap, lk->nch + 1, sizeof(*lk->ch));
		if (rc < 0) {
			free(text);
			free(spans);
			goto cleanup;
		}
		h = &lk->ch[lk->nch++];
		memset(h, 0, sizeof(*h));
		h->unit_id = sqlite3_column_int64(st, 0);
		h->time = sqlite3_column_int64(st, 3);
		h->src_lang = td__strdup(sl);
		h->tgt_lang = td__strdup(tl);
		h->source = o.in_target ? td__strdup(other) : text;
		h->target = o.in_target ? text : td__strdup(other);
		h->hits = spans;
		h->nhits = nspans;
		if (!h->src_lang || !h->tgt_lang || !h->source || !h->target) {
			rc = td_error_set(TD_ENOMEM, "concordance: out of memory");
			goto cleanup;
		}
		seen++;
	}
	if (seen < window && step != SQLITE_DONE) {
		rc = td_error_set(TD_EDB, "%s: concordance: %s", lk->rd.path, sqlite3_errmsg(lk->rd.db));
		goto cleanup;
	}
	{
		size_t i;
		for (i = 0; i < lk->nch; i++) {
			sqlite3_bind_int64(lk->st_seen, 1, lk->ch[i].unit_id);
			if (sqlite3_step(lk->st_seen) == SQLITE_ROW)
				lk->ch[i].seen = sqlite3_column_int64(lk->st_seen, 0);
			sqlite3_reset(lk->st_seen);
		}
	}
	if (o.order == TD_CONCORD_FREQUENT && lk->nch > 1)
		qsort(lk->ch, lk->nch, sizeof(*lk->ch), more_seen);
	/* The answer is the caller's: the hits past max (the frequent order's window) go. */
	out->n = lk->nch < o.max ? lk->nch : o.max;
	if (o.align)
		rc = td__concord_align(lk, phrase, &o, out->n);
	if (rc == 0) {
		if (lk->nch > out->n) /* no hits: lk->ch may be NULL */
			td__concord_hits_free(lk->ch + out->n, lk->nch - out->n);
		out->v = lk->ch;
		lk->ch = NULL;
		lk->nch = lk->chcap = 0;
	} else
		memset(out, 0, sizeof(*out));
cleanup:
	if (rc < 0)
		td__concord_free(lk);
	sqlite3_finalize(st);
	free(q);
	return rc;
}

void td__concord_hits_free(td_concord_hit *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free((char *)v[i].src_lang);
		free((char *)v[i].tgt_lang);
		free((char *)v[i].source);
		free((char *)v[i].target);
		free((void *)v[i].hits);
		free((void *)v[i].aligned);
	}
}

void td__concord_free(td_lookup *lk)
{
	td__concord_hits_free(lk->ch, lk->nch);
	free(lk->ch);
	lk->ch = NULL;
	lk->nch = lk->chcap = 0;
}

void td_concord_result_free(td_concord_result *r)
{
	if (!r)
		return;
	td__concord_hits_free((td_concord_hit *)r->v, r->n);
	free((void *)r->v);
	r->v = NULL;
	r->n = 0;
}
