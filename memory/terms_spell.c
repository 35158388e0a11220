/*
 * The query term: its words' German spelling variants (umlauts written out
 * and read back, eszett), stems and FTS prefixes, and where it occurs in
 * tokenized text (model in include/tandem/terms.h).
 */
#include "terms_internal.h"

#include <stdlib.h>
#include <string.h>

#include "tandem/error.h"

#define COMPOUND_MIN 3      /* bytes a word must add to the term to count as a compound */
#define INFLECTION 3        /* bytes of a German inflectional ending at most (-ern, -en, -es) */

char *td__terms_dup_n(const char *s, size_t n)
{
	char *p = malloc(n + 1);

	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

/* s with ä ö ü ß and the common Latin accents as plain letters (caller frees). */
char *td__terms_fold(const char *s)
{
	static const char from[] = "\xa0\xa1\xa2\xa3\xa4\xa5\xa7\xa8\xa9\xaa\xab\xac\xad\xae\xaf"
		"\xb1\xb2\xb3\xb4\xb5\xb6\xb9\xba\xbb\xbc\xbd";
	static const char to[] = "aaaaaaceeeeiiiinooooouuuuy";
	size_t n = strlen(s), i, j = 0;
	char *o = malloc(2 * n + 1);

	if (!o)
		return NULL;
	for (i = 0; i < n; i++) {
		const char *p;
		if ((unsigned char)s[i] == 0xc3 && i + 1 < n) {
			if ((unsigned char)s[i + 1] == 0x9f) {
				o[j++] = 's';
				o[j++] = 's';
				i++;
				continue;
			}
			p = memchr(from, s[i + 1], sizeof(from) - 1);
			if (p && s[i + 1]) {
				o[j++] = to[p - from];
				i++;
				continue;
			}
		}
		o[j++] = s[i];
	}
	o[j] = '\0';
	return o;
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

void td__qterm_free(td__qterm *q)
{
	size_t i, k;

	for (i = 0; i < q->n; i++) {
		for (k = 0; k < q->w[i].nstem; k++)
			free(q->w[i].stem[k]);
		for (k = 0; k < q->w[i].nform; k++)
			free(q->w[i].form[k]);
		for (k = 0; k < q->w[i].nfts; k++)
			free(q->w[i].fts[k]);
		for (k = 0; k < q->w[i].nform; k++)
			free(q->w[i].fold[k]);
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

static int qword_add_spelling(td__qword *w, td_tokenizer *tk, const char *norm, int german)
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
	rc = add_unique(w->form, &w->nform, TD__TERMS_VARIANTS, strdup(norm));
	if (rc == 0)
		rc = add_unique(w->fts, &w->nfts, 2 * TD__TERMS_VARIANTS + 2, strdup(stem));
	/* Stems that are not a prefix of the word ("city" -> "citi") search by the shared part. */
	lcp = common_prefix(stem, norm);
	if (rc == 0 && lcp < strlen(stem) && lcp >= 3)
		rc = add_unique(w->fts, &w->nfts, 2 * TD__TERMS_VARIANTS + 2, td__terms_dup_n(stem, lcp));
	if (rc == 0 && german) {
		char *e = eszett_variant(stem);
		if (e)
			rc = add_unique(w->fts, &w->nfts, 2 * TD__TERMS_VARIANTS + 2, e);
	}
	if (rc == 0)
		rc = add_unique(w->stem, &w->nstem, TD__TERMS_VARIANTS, stem);
	else
		free(stem);
	return rc;
}

/* Whether a word token is written in lower case: its first letter is its case-folded one. */
static int lower_initial(const td_token *t, const char *text)
{
	size_t n = 1;

	while (n < 4 && ((unsigned char)t->norm[n] & 0xc0) == 0x80)
		n++;
	return t->end - t->start >= n && strncmp(text + t->start, t->norm, n) == 0;
}

int td__qterm_parse(td__qterm *q, td_tokenizer *tk, const char *term, int german)
{
	const td_token *t;
	char *norms[TD__TERMS_WORDS];
	int upper[TD__TERMS_WORDS];
	size_t n, i, k, nw = 0;
	int rc;

	memset(q, 0, sizeof(*q));
	rc = td_tokenizer_run(&t, &n, tk, term, strlen(term));
	if (rc < 0)
		return rc;
	for (i = 0; i < n; i++) {
		if (t[i].kind == TD_TOK_PUNCT)
			continue;
		if (nw == TD__TERMS_WORDS) {
			rc = td_error_set(TD_ELIMIT, "terms: a term has at most %d words", TD__TERMS_WORDS);
			goto cleanup;
		}
		upper[nw] = t[i].kind == TD_TOK_WORD && !lower_initial(&t[i], term);
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
		td__qword *w = &q->w[q->n++];
		w->german = german;
		w->upper = german && upper[i];
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
		for (k = 0; rc == 0 && k < w->nform; k++)
			if (!(w->fold[k] = td__terms_fold(w->form[k])))
				rc = td_error_set(TD_ENOMEM, "terms: out of memory");
		if (rc < 0)
			goto cleanup;
	}
cleanup:
	for (i = 0; i < nw; i++)
		free(norms[i]);
	if (rc < 0)
		td__qterm_free(q);
	return rc;
}

/*
 * Whether German word x (folded) is an inflected form of the term word
 * spelt f (folded): what follows their common beginning is an ending of at
 * most INFLECTION bytes on both sides, and not the derivational "ung".
 * Snowball's German stemmer also strips derivational suffixes (-ung,
 * -heit, -keit, -lich, -isch), which makes Neuheit and neu, Bewerb and
 * Bewerbungen one stem: other words, not forms of the term.
 */
static int inflected(const char *x, const char *f)
{
	size_t p = 0;

	while (x[p] && x[p] == f[p])
		p++;
	return strlen(x) - p <= INFLECTION && strlen(f) - p <= INFLECTION && strncmp(x + p, "ung", 3) != 0;
}

int td__qword_is(const td__qword *w, const td_token *t, const char *text)
{
	size_t k;
	char *x;
	int ok = 0;

	if (t->kind == TD_TOK_PUNCT)
		return 0;
	/* German nouns are capitalised: "verhalten", "schon" and "mal" are not Verhalten, Schöne, Male. */
	if (w->upper && text && t->kind == TD_TOK_WORD && lower_initial(t, text))
		return 0;
	for (k = 0; k < w->nstem; k++)
		if (strcmp(t->stem, w->stem[k]) == 0)
			break;
	if (k == w->nstem)
		return 0;
	if (!w->german || t->kind != TD_TOK_WORD)
		return 1;
	if (!(x = td__terms_fold(t->norm)))
		return 1;  /* without memory, the stem decides */
	for (k = 0; k < w->nform && !ok; k++)
		ok = inflected(x, w->fold[k]);
	free(x);
	return ok;
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
size_t td__term_at(const td__qterm *q, const td_token *t, size_t n, size_t i, const char *text)
{
	size_t j = i, k;

	if (!td__qword_is(&q->w[0], &t[i], text))
		return (size_t)-1;
	for (k = 1; k < q->n; k++) {
		j++;
		while (j < n && is_hyphen(&t[j]))
			j++;
		if (j >= n || !td__qword_is(&q->w[k], &t[j], text))
			return (size_t)-1;
	}
	return j;
}

/* Whether each word of the occurrence t[i..e] is spelt as the term's (case-folded). */
static int spelt_as_typed(const td__qterm *q, const td_token *t, size_t i, size_t e)
{
	size_t k = 0, j, f;

	for (j = i; j <= e && k < q->n; j++) {
		if (t[j].kind == TD_TOK_PUNCT)
			continue;
		for (f = 0; f < q->w[k].nform; f++)
			if (strcmp(t[j].norm, q->w[k].form[f]) == 0)
				break;
		if (f == q->w[k].nform)
			return 0;
		k++;
	}
	return 1;
}

size_t td__term_spans(td_terms_span *sp, size_t cap, const td__qterm *q, const td_token *t, size_t n,
	const char *text, int *exact)
{
	size_t i, j, found = 0;

	if (exact)
		*exact = 0;
	for (i = 0; i < n; i++) {
		if ((j = td__term_at(q, t, n, i, text)) == (size_t)-1)
			continue;
		if (exact && !*exact)
			*exact = spelt_as_typed(q, t, i, j);
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
int td__term_compound(const td__qterm *q, const td_token *t)
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
