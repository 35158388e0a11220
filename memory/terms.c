/*
 * Term queries: units with the term, candidate target expressions, Dice
 * against the concordance index (model in include/tandem/terms.h).
 */
#include "terms_internal.h"

#include <assert.h>
#include <libxml/hash.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tandem/error.h"
#include "lookup_int.h"
#include "tm_internal.h"

#define MAX_TERM_WORDS 8
#define MAX_VARIANTS 4      /* spellings of one term word (as typed, umlauts, digraphs) */
#define MAX_EXAMPLES 3
#define MAX_RELATED 10
#define ABSORB 0.8          /* a longer expression with >= 80 % of a part's units absorbs it */
#define LEX_BOOST 0.25      /* share of the distance to 1 added for lexicon support */
#define PREFER 0.9          /* a longer expression with >= 90 % of a part's Dice ranks above it */
#define FLOOR 0.2           /* translations under this share of the best Dice are not shown */
#define COMPOUND_MIN 3      /* bytes a word must add to the term to count as a compound */

/* ---- small helpers ---- */

static char *dup_n(const char *s, size_t n)
{
	char *p = malloc(n + 1);

	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

static int is_vowel(char c)
{
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

/*
 * German spelling variants of a case-folded word: umlauts written out
 * ("münchen" -> "muenchen") and digraphs read as umlauts ("muenchen" ->
 * "münchen"; not "ue" after a vowel or q, as in "neue", "Quelle"). ICU's
 * de-ASCII transliterator covers only the first direction and would also
 * strip every other accent, so both are written out here: three letters.
 */
static char *umlaut_variant(const char *s, int expand)
{
	static const char *const um[3] = { "\xc3\xa4", "\xc3\xb6", "\xc3\xbc" }; /* ä ö ü */
	static const char dg[3] = { 'a', 'o', 'u' };
	size_t n = strlen(s), i, j = 0, k;
	char *out = malloc(2 * n + 1);
	int changed = 0;

	if (!out)
		return NULL;
	for (i = 0; i < n;) {
		int done = 0;
		for (k = 0; k < 3 && !done; k++) {
			if (expand && strncmp(s + i, um[k], 2) == 0) {
				out[j++] = dg[k];
				out[j++] = 'e';
				i += 2;
				done = 1;
			} else if (!expand && s[i] == dg[k] && s[i + 1] == 'e' &&
				   !(k == 2 && i > 0 && (is_vowel(s[i - 1]) || s[i - 1] == 'q'))) {
				memcpy(out + j, um[k], 2);
				j += 2;
				i += 2;
				done = 1;
			}
		}
		if (done)
			changed = 1;
		else
			out[j++] = s[i++];
	}
	out[j] = '\0';
	if (!changed) {
		free(out);
		return NULL;
	}
	return out;
}

/* s with every "ss" as "ß" (the FTS index keeps ß, our stems spell it ss), or NULL. */
static char *eszett_variant(const char *s)
{
	const char *p = strstr(s, "ss");
	size_t n = strlen(s), i, j = 0;
	char *out;

	if (!p)
		return NULL;
	out = malloc(n + 1);
	if (!out)
		return NULL;
	for (i = 0; i < n;) {
		if (s[i] == 's' && s[i + 1] == 's') {
			out[j++] = '\xc3';
			out[j++] = '\x9f';
			i += 2;
		} else {
			out[j++] = s[i++];
		}
	}
	out[j] = '\0';
	return out;
}

/* ---- the term ---- */

typedef struct {
	char *stem[MAX_VARIANTS]; size_t nstem;   /* a token matches when its stem is one of these */
	char *form[MAX_VARIANTS]; size_t nform;   /* case-folded spellings, for compounds */
	char *fts[2 * MAX_VARIANTS + 2]; size_t nfts; /* FTS prefixes */
} qword;

typedef struct {
	qword w[MAX_TERM_WORDS];
	size_t n;
} qterm;

static void qterm_free(qterm *q)
{
	size_t i, k;

	for (i = 0; i < q->n; i++) {
		for (k = 0; k < q->w[i].nstem; k++)
			free(q->w[i].stem[k]);
		for (k = 0; k < q->w[i].nform; k++)
			free(q->w[i].form[k]);
		for (k = 0; k < q->w[i].nfts; k++)
			free(q->w[i].fts[k]);
	}
	q->n = 0;
}

static int add_unique(char **v, size_t *n, size_t cap, char *s)
{
	size_t i;

	if (!s)
		return td_error_set(TD_ENOMEM, "terms: out of memory");
	for (i = 0; i < *n; i++)
		if (strcmp(v[i], s) == 0)
			break;
	if (i < *n || *n == cap || !*s) {
		free(s);
		return 0;
	}
	v[(*n)++] = s;
	return 0;
}

/* The longest common prefix of a and b, in whole UTF-8 characters. */
static size_t common_prefix(const char *a, const char *b)
{
	size_t i = 0;

	while (a[i] && a[i] == b[i])
		i++;
	while (i > 0 && ((unsigned char)a[i] & 0xc0) == 0x80)
		i--;
	return i;
}

static int qword_add_spelling(qword *w, td_tokenizer *tk, const char *norm, int german)
{
	const char *st = td_tokenizer_stem(tk, norm, strlen(norm));
	char *stem;
	size_t lcp;
	int rc;

	if (!st)
		return td_error_set(TD_ENOMEM, "terms: out of memory");
	stem = strdup(st);
	if (!stem)
		return td_error_set(TD_ENOMEM, "terms: out of memory");
	rc = add_unique(w->form, &w->nform, MAX_VARIANTS, strdup(norm));
	if (rc == 0)
		rc = add_unique(w->fts, &w->nfts, 2 * MAX_VARIANTS + 2, strdup(stem));
	/* Stems that are not a prefix of the word ("city" -> "citi") search by the shared part. */
	lcp = common_prefix(stem, norm);
	if (rc == 0 && lcp < strlen(stem) && lcp >= 3)
		rc = add_unique(w->fts, &w->nfts, 2 * MAX_VARIANTS + 2, dup_n(stem, lcp));
	if (rc == 0 && german) {
		char *e = eszett_variant(stem);
		if (e)
			rc = add_unique(w->fts, &w->nfts, 2 * MAX_VARIANTS + 2, e);
	}
	if (rc == 0)
		rc = add_unique(w->stem, &w->nstem, MAX_VARIANTS, stem);
	else
		free(stem);
	return rc;
}

static int qterm_parse(qterm *q, td_tokenizer *tk, const char *term, int german)
{
	const td_token *t;
	char *norms[MAX_TERM_WORDS];
	size_t n, i, nw = 0;
	int rc;

	memset(q, 0, sizeof(*q));
	rc = td_tokenize(tk, &t, &n, term, strlen(term));
	if (rc < 0)
		return rc;
	for (i = 0; i < n; i++) {
		if (t[i].kind == TD_TOK_PUNCT)
			continue;
		if (nw == MAX_TERM_WORDS) {
			rc = td_error_set(TD_ELIMIT, "terms: a term has at most %d words", MAX_TERM_WORDS);
			goto cleanup;
		}
		norms[nw] = strdup(t[i].norm);
		if (!norms[nw]) {
			rc = td_error_set(TD_ENOMEM, "terms: out of memory");
			goto cleanup;
		}
		nw++;
	}
	if (nw == 0) {
		rc = td_error_set(TD_EINVAL, "terms: the term '%s' has no words", term);
		goto cleanup;
	}
	/* td_tokenizer_stem reuses the tokenizer's arena: the norms were copied first. */
	for (i = 0; i < nw; i++) {
		qword *w = &q->w[q->n++];
		rc = qword_add_spelling(w, tk, norms[i], german);
		if (rc == 0 && german) {
			char *v[2] = { umlaut_variant(norms[i], 1), umlaut_variant(norms[i], 0) };
			size_t k;
			for (k = 0; k < 2; k++) {
				if (v[k] && rc == 0)
					rc = qword_add_spelling(w, tk, v[k], german);
				free(v[k]);
			}
		}
		if (rc < 0)
			goto cleanup;
	}
cleanup:
	for (i = 0; i < nw; i++)
		free(norms[i]);
	if (rc < 0)
		qterm_free(q);
	return rc;
}

/* Append s to the FTS query as a quoted string ('"' doubled). */
static int buf_quoted(char **buf, size_t *len, size_t *cap, const char *s, size_t n, const char *after)
{
	size_t need = *len + 2 * n + strlen(after) + 4, i;

	if (need > *cap) {
		size_t nc = need * 2;
		char *p = realloc(*buf, nc);
		if (!p)
			return td_error_set(TD_ENOMEM, "terms: out of memory");
		*buf = p;
		*cap = nc;
	}
	(*buf)[(*len)++] = '"';
	for (i = 0; i < n; i++) {
		if (s[i] == '"')
			(*buf)[(*len)++] = '"';
		(*buf)[(*len)++] = s[i];
	}
	(*buf)[(*len)++] = '"';
	memcpy(*buf + *len, after, strlen(after) + 1);
	*len += strlen(after);
	return 0;
}

static int buf_str(char **buf, size_t *len, size_t *cap, const char *s)
{
	size_t n = strlen(s);

	if (*len + n + 1 > *cap) {
		size_t nc = (*len + n + 1) * 2;
		char *p = realloc(*buf, nc);
		if (!p)
			return td_error_set(TD_ENOMEM, "terms: out of memory");
		*buf = p;
		*cap = nc;
	}
	memcpy(*buf + *len, s, n + 1);
	*len += n;
	return 0;
}

/* "COL : (("p1"* OR "p2"*) AND ("q1"*))" */
static int qterm_fts(char **out, const qterm *q, const char *col)
{
	char *buf = NULL;
	size_t len = 0, cap = 0, i, k;
	int rc = buf_str(&buf, &len, &cap, col);

	if (rc == 0)
		rc = buf_str(&buf, &len, &cap, " : (");

	for (i = 0; rc == 0 && i < q->n; i++) {
		rc = buf_str(&buf, &len, &cap, i ? " AND (" : "(");
		for (k = 0; rc == 0 && k < q->w[i].nfts; k++)
			rc = buf_quoted(&buf, &len, &cap, q->w[i].fts[k], strlen(q->w[i].fts[k]),
				k + 1 < q->w[i].nfts ? "* OR " : "*)");
	}
	if (rc == 0)
		rc = buf_str(&buf, &len, &cap, ")");
	if (rc < 0) {
		free(buf);
		return rc;
	}
	*out = buf;
	return 0;
}

static int word_is(const qword *w, const td_token *t)
{
	size_t k;

	if (t->kind == TD_TOK_PUNCT)
		return 0;
	for (k = 0; k < w->nstem; k++)
		if (strcmp(t->stem, w->stem[k]) == 0)
			return 1;
	return 0;
}

static int is_hyphen(const td_token *t)
{
	return t->kind == TD_TOK_PUNCT && (strcmp(t->norm, "-") == 0 ||
		strcmp(t->norm, "\xe2\x80\x90") == 0 || strcmp(t->norm, "\xe2\x80\x91") == 0);
}

/*
 * Where the term occurs in tokens t[0,n): spans (up to cap) into sp, their
 * number returned. The words must follow each other, a hyphen may join them.
 */
static size_t term_spans(td_terms_span *sp, size_t cap, const qterm *q, const td_token *t, size_t n)
{
	size_t i, j, k, found = 0;

	for (i = 0; i < n; i++) {
		if (!word_is(&q->w[0], &t[i]))
			continue;
		j = i;
		for (k = 1; k < q->n; k++) {
			j++;
			while (j < n && is_hyphen(&t[j]))
				j++;
			if (j >= n || !word_is(&q->w[k], &t[j]))
				break;
		}
		if (k < q->n)
			continue;
		if (found < cap) {
			sp[found].start = t[i].start;
			sp[found].end = t[j].end;
		}
		found++;
		i = j;
	}
	return found;
}

/* Whether t is a longer word that begins with the one-word term. */
static int is_compound(const qterm *q, const td_token *t)
{
	size_t k, n = strlen(t->norm);

	if (q->n != 1 || t->kind != TD_TOK_WORD)
		return 0;
	for (k = 0; k < q->w[0].nform; k++) {
		size_t m = strlen(q->w[0].form[k]);
		if (n >= m + COMPOUND_MIN && strncmp(t->norm, q->w[0].form[k], m) == 0)
			return 1;
	}
	return 0;
}

/* ---- candidates ---- */

typedef struct {
	char *key;               /* stems joined by ' ' */
	size_t words;
	int64_t a;               /* examined term units whose target has it */
	size_t last;             /* 1 + index of the last unit counted */
	td__surfaces surf;       /* written forms */
	size_t ex[MAX_EXAMPLES], nex;
	double ahat, dice, score;
	double rank;             /* sort key: score, or a part's when it is as strong as the part */
	int evaluated, dropped, lex;
} cand;

typedef struct {
	int64_t id;
	char *source, *target;
} sunit;

typedef struct {
	cand *v; size_t n, cap;
	xmlHashTablePtr h;
	sunit *u; size_t nu, ucap;     /* examined units with the term */
	struct { char *key, *form; int64_t n; size_t last; } *rel;
	size_t nrel, relcap;
	xmlHashTablePtr hrel;
} work;

static void work_free(work *w)
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
	s->v[s->n].s = dup_n(text, len);
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
static int collect(work *w, size_t ui, const td_token *t, size_t n, const char *text)
{
	char key[1024];
	size_t i, len, j;
	int rc;

	for (i = 0; i < n; i++) {
		if (!is_content(&t[i]))
			continue;
		key[0] = '\0';
		for (len = 1; len <= 3 && i + len <= n; len++) {
			cand *c;
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
			rc = td__terms_slot(&ci, &added, w->h, (void **)&w->v, &w->n, &w->cap, sizeof(cand), key);
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
			if (c->nex < MAX_EXAMPLES)
				c->ex[c->nex++] = ui;
			rc = td__surfaces_add(&c->surf, text + t[i].start, t[j].end - t[i].start);
			if (rc < 0)
				return rc;
		}
	}
	return 0;
}

static int note_related(work *w, size_t ui, const td_token *t, const char *text)
{
	size_t r;
	bool added;
	int rc = td__terms_slot(&r, &added, w->hrel, (void **)&w->rel, &w->nrel, &w->relcap,
		sizeof(*w->rel), t->norm);

	if (rc < 0)
		return rc;
	if (added && (!(w->rel[r].key = strdup(t->norm)) ||
		      !(w->rel[r].form = dup_n(text + t->start, t->end - t->start))))
		return td_error_set(TD_ENOMEM, "terms: out of memory");
	if (w->rel[r].last != ui + 1) {
		w->rel[r].last = ui + 1;
		w->rel[r].n++;
	}
	return 0;
}

/* ---- the handle ---- */

int td__terms_german(const char *lang)
{
	return strncasecmp(lang, "de", 2) == 0 && (lang[2] == '\0' || lang[2] == '-' || lang[2] == '_');
}

int td_terms_open(td_terms **out, const char *path)
{
	td_terms *tt;
	int rc;

	assert(out);
	*out = NULL;
	if (!path || !*path)
		return td_error_set(TD_EINVAL, "terms: no TM file given");
	tt = calloc(1, sizeof(*tt));
	if (!tt || !(tt->path = strdup(path))) {
		free(tt);
		return td_error_set(TD_ENOMEM, "terms: out of memory");
	}
	rc = td__open_reader(&tt->db, path, SQLITE_OPEN_NOMUTEX, 0);
	if (rc < 0)
		goto cleanup;
	sqlite3_busy_timeout(tt->db, 5000);
	/* No mmap: a query reads a few hundred scattered pages once, and a
	 * read() of a page costs less than a page fault does (measured). */
	if (sqlite3_prepare_v3(tt->db, "BEGIN", -1, SQLITE_PREPARE_PERSISTENT, &tt->st_begin, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v3(tt->db, "COMMIT", -1, SQLITE_PREPARE_PERSISTENT, &tt->st_commit, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v3(tt->db, "SELECT rowid FROM td_concord WHERE td_concord MATCH ?1",
		-1, SQLITE_PREPARE_PERSISTENT, &tt->st_ids, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v3(tt->db, "SELECT src_lang, tgt_lang, source, target FROM unit WHERE id = ?1",
		-1, SQLITE_PREPARE_PERSISTENT, &tt->st_unit, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v3(tt->db, "SELECT count(*) FROM td_concord WHERE td_concord MATCH ?1",
		-1, SQLITE_PREPARE_PERSISTENT, &tt->st_count_all, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v3(tt->db, "SELECT count(*) FROM (SELECT 1 FROM td_concord"
		" WHERE td_concord MATCH ?1 LIMIT ?2)", -1, SQLITE_PREPARE_PERSISTENT,
		&tt->st_count, NULL) != SQLITE_OK) {
		rc = td_error_set(TD_EFORMAT, "%s: not a tandem TM with a concordance index: %s",
			path, sqlite3_errmsg(tt->db));
		goto cleanup;
	}
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
	sqlite3_close(tt->db);
	td_tokenizer_free(tt->tsrc);
	td_tokenizer_free(tt->ttgt);
	free(tt->path);
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
	td_tokenizer_free(tt->tsrc);
	td_tokenizer_free(tt->ttgt);
	tt->tsrc = tt->ttgt = NULL;
	tt->src[0] = tt->tgt[0] = '\0';
	rc = td_tokenizer_new(&tt->tsrc, src_lang);
	if (rc == 0)
		rc = td_tokenizer_new(&tt->ttgt, tgt_lang);
	if (rc < 0) {
		td_tokenizer_free(tt->tsrc);
		tt->tsrc = NULL;
		return rc;
	}
	strcpy(tt->src, src_lang);
	strcpy(tt->tgt, tgt_lang);
	return 0;
}

static int db_fail(td_terms *c, const char *what)
{
	return td_error_set(TD_EDB, "terms: %s: %s", what, sqlite3_errmsg(c->db));
}

typedef struct {
	sqlite3_int64 *v;
	size_t n, cap;
} idvec;

/*
 * Rows of the concordance index matching fts: with ids, all their rowids in
 * rowid order into it; without, their number up to limit (< 0: all). (No
 * rowid range in the query: FTS5 then reads every row half again slower;
 * a count without a limit goes without the subquery, a quarter faster.)
 */
static int rows_in(td_terms *c, int64_t *n, idvec *ids, const char *fts, int64_t limit)
{
	sqlite3_stmt *st = ids ? c->st_ids : limit < 0 ? c->st_count_all : c->st_count;
	int s, rc = 0;

	*n = 0;
	sqlite3_bind_text(st, 1, fts, -1, SQLITE_STATIC);
	if (st == c->st_count)
		sqlite3_bind_int64(st, 2, limit);
	while ((s = sqlite3_step(st)) == SQLITE_ROW) {
		if (!ids) {
			*n = sqlite3_column_int64(st, 0);
			continue;
		}
		rc = td__grow((void **)&ids->v, &ids->cap, ids->n + 1, sizeof(*ids->v));
		if (rc < 0)
			break;
		ids->v[ids->n++] = sqlite3_column_int64(st, 0);
		++*n;
	}
	if (rc == 0 && s != SQLITE_DONE)
		rc = db_fail(c, "searching the concordance index");
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc;
}

/* Target rows of the whole TM with one of the candidate's written forms, up to limit (< 0: all). */
static int count_target(td_terms *c, double *out, const cand *cd, int64_t limit, const char *col)
{
	char *q = NULL;
	size_t len = 0, cap = 0, k;
	int64_t n = 0;
	int rc = buf_str(&q, &len, &cap, col);

	if (rc == 0)
		rc = buf_str(&q, &len, &cap, " : (");

	for (k = 0; rc == 0 && k < cd->surf.n; k++)
		rc = buf_quoted(&q, &len, &cap, cd->surf.v[k].s, strlen(cd->surf.v[k].s),
			k + 1 < cd->surf.n ? " OR " : ")");
	if (rc == 0)
		rc = rows_in(c, &n, NULL, q, limit);
	*out = (double)n;
	free(q);
	return rc;
}

static int by_a_desc(const void *x, const void *y)
{
	const cand *a = *(const cand *const *)x, *b = *(const cand *const *)y;

	if (a->a != b->a)
		return a->a > b->a ? -1 : 1;
	return strcmp(a->key, b->key);
}

static int by_score_desc(const void *x, const void *y)
{
	const cand *a = *(const cand *const *)x, *b = *(const cand *const *)y;

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
static int lexicon_supports(const td_lexicon *lx, const qterm *q, const char *key)
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
 * the bound falls below the k-th best score found or below FLOOR times the
 * best one (not shown), and each count stops where n_E would push the
 * candidate below that.
 */
static int score_cands(td_terms *c, work *w, cand **order, size_t *norder, double nt,
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
		cand *cd = order[i];
		double ahat = (double)cd->a * scale, kth = nbest == k ? best[k - 1] : 0.0, ub;
		double ne = 0;
		int64_t limit = -1;

		/* Under a FLOOR of the best Dice is as good as out of the best k. */
		if (kth < FLOOR * best[0])
			kth = FLOOR * best[0];
		if (cd->a < min_a)
			break;
		ub = 2.0 * ahat / (nt + ahat);
		if (kth > 0 && ub <= kth)
			break;
		if (kth > 0) {
			double lim = 2.0 * ahat / kth - nt + 2.0;
			limit = lim > 9e18 ? -1 : (int64_t)lim;
		}
		rc = count_target(c, &ne, cd, limit, tcol);
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

static void absorb(cand **order, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		for (j = 0; j < n; j++) {
			cand *l = order[i], *s = order[j];
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
static void prefer_longer(cand **order, size_t n)
{
	size_t i, j, len;

	for (len = 3; len > 1; len--) {
		for (i = 0; i < n; i++) {
			cand *l = order[i];
			if (l->words != len || l->dropped)
				continue;
			for (j = 0; j < n; j++) {
				cand *s = order[j];
				if (s->words >= l->words || s->dropped || !td__terms_key_inside(s->key, l->key))
					continue;
				if (l->dice >= PREFER * s->dice && l->rank < s->rank)
					l->rank = s->rank;
			}
		}
	}
}

/* Spans of the candidate (by stems) in a tokenized target. */
static size_t cand_spans(td_terms_span *sp, size_t cap, const cand *cd, const td_token *t, size_t n)
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

static int make_example(td_terms_example *ex, td_terms *c, const qterm *q, const cand *cd,
	const sunit *u)
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
	ns = term_spans(sp, 16, q, t, n);
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
static int fill_result(td_terms_result *r, td_terms *c, work *w, const qterm *q,
	cand **order, size_t norder, const td_terms_opts *opts, double nt, double scale)
{
	size_t i, k, nex = opts->examples < MAX_EXAMPLES ? opts->examples : MAX_EXAMPLES;
	int64_t maxa = 0;
	double maxdice = 0.0;
	int rc;

	for (i = 0; i < norder; i++) {
		cand *cd = order[i];
		cd->lex = opts->lexicon && lexicon_supports(opts->lexicon, q, cd->key);
		cd->score = cd->lex ? cd->dice + LEX_BOOST * (1.0 - cd->dice) : cd->dice;
		cd->rank = cd->dropped ? -1.0 : cd->score;
	}
	prefer_longer(order, norder);
	if (norder)
		qsort(order, norder, sizeof(*order), by_score_desc);
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
		cand *cd = order[i];
		td_terms_translation *tr = &r->v[r->n];
		if (cd->dropped)
			break;
		/* One unit is no evidence of a rendering while another one repeats. */
		if ((cd->a < 2 && maxa >= 2) || cd->dice < FLOOR * maxdice)
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

static int terms_run(td_terms_result **out, td_terms *c, const char *term, const td_terms_opts *opts)
{
	td_terms_result *r = NULL;
	qterm q;
	work w;
	char *fts = NULL;
	idvec ids = { NULL, 0, 0 };
	cand **order = NULL;
	size_t take, i, norder = 0, fetched = 0, direct = 0;
	double nt, scale;
	int64_t nids = 0;
	/* The column holding the target language: units seen stored in the
	 * pair's direction, the other one (read backwards), or both. */
	static const char *const tcols[4] = { "target", "source", "target", "{source target}" };
	int rc, german = td__terms_german(c->src), fwd = 0, rev = 0;

	*out = NULL;
	memset(&w, 0, sizeof(w));
	memset(&q, 0, sizeof(q));
	rc = qterm_parse(&q, c->tsrc, term, german);
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
	rc = qterm_fts(&fts, &q, "{source target}");
	if (rc == 0)
		rc = rows_in(c, &nids, &ids, fts, -1);
	if (rc < 0)
		goto cleanup;

	/* An evenly spread sample when there are more rows than we examine. */
	take = opts->sample && ids.n > opts->sample ? opts->sample : ids.n;
	for (i = 0; i < take; i++) {
		size_t at = take == ids.n ? i : (size_t)((double)i * (double)ids.n / (double)take);
		const td_token *t;
		const char *sl, *tl;
		size_t n, j, ui;
		int s, any = 0, back;

		sqlite3_bind_int64(c->st_unit, 1, ids.v[at]);
		s = sqlite3_step(c->st_unit);
		if (s != SQLITE_ROW) {
			sqlite3_reset(c->st_unit);
			if (s == SQLITE_DONE)
				continue;
			rc = db_fail(c, "reading a unit");
			goto cleanup;
		}
		fetched++;
		sl = (const char *)sqlite3_column_text(c->st_unit, 0);
		tl = (const char *)sqlite3_column_text(c->st_unit, 1);
		if (td__lang_sel(sl, c->src) && td__lang_sel(tl, c->tgt)) {
			back = 0;
			fwd = 1;
		} else if (td__lang_sel(sl, c->tgt) && td__lang_sel(tl, c->src)) {
			back = 1;
			rev = 1;
		} else {
			sqlite3_reset(c->st_unit);
			continue;
		}
		rc = td__grow((void **)&w.u, &w.ucap, w.nu + 1, sizeof(*w.u));
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
		rc = td_tokenize(c->tsrc, &t, &n, w.u[ui].source, strlen(w.u[ui].source));
		if (rc < 0)
			goto cleanup;
		any = term_spans(NULL, 0, &q, t, n) > 0;
		for (j = 0; j < n; j++) {
			if (!word_is(&q.w[0], &t[j]) && is_compound(&q, &t[j])) {
				rc = note_related(&w, ui, &t[j], w.u[ui].source);
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
		rc = td_tokenize(c->ttgt, &t, &n, w.u[ui].target, strlen(w.u[ui].target));
		if (rc == 0)
			rc = collect(&w, ui, t, n, w.u[ui].target);
		if (rc < 0)
			goto cleanup;
	}
	r->examined = (int64_t)fetched;
	r->sampled = take < ids.n;
	nt = fetched ? (double)direct * (double)nids / (double)fetched : 0.0;
	if (!r->sampled)
		nt = (double)direct;
	r->units = (int64_t)llround(nt);
	if (direct == 0)
		goto related;
	scale = nt / (double)direct;
	order = malloc((w.n ? w.n : 1) * sizeof(*order));
	if (!order) {
		rc = td_error_set(TD_ENOMEM, "terms: out of memory");
		goto cleanup;
	}
	{
		/* A few more than shown, so that absorbed parts leave room. */
		size_t k = opts->max + 4;
		rc = score_cands(c, &w, order, &norder, nt, scale, k, direct >= 4 ? 2 : 1, tcols[2 * fwd + rev]);
	}
	if (rc < 0)
		goto cleanup;
	absorb(order, norder);
related:
	rc = fill_result(r, c, &w, &q, order, norder, opts, nt, direct ? nt / (double)direct : 1.0);
cleanup:
	free(order);
	free(ids.v);
	free(fts);
	work_free(&w);
	qterm_free(&q);
	if (rc < 0) {
		td_terms_result_free(r);
		return rc;
	}
	*out = r;
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

/* ---- public entry ---- */

int td_terms_query(td_terms_result **out, td_terms *tt, const char *term, const td_terms_opts *opts)
{
	int rc;

	assert(out && tt && term && opts);
	*out = NULL;
	rc = td__terms_pair(tt, opts->src_lang, opts->tgt_lang);
	if (rc < 0)
		return rc;
	/* One read transaction: every count sees the same TM (an import may be
	 * running), and the statements do not take and drop a lock each. */
	if (sqlite3_step(tt->st_begin) != SQLITE_DONE) {
		rc = db_fail(tt, "starting a read transaction");
		sqlite3_reset(tt->st_begin);
		return rc;
	}
	sqlite3_reset(tt->st_begin);
	rc = terms_run(out, tt, term, opts);
	sqlite3_step(tt->st_commit);  /* ends a read: nothing to fail */
	sqlite3_reset(tt->st_commit);
	return rc;
}
