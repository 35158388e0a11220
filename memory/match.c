/*
 * Match percentage and token diff (include/tandem/match.h), and the token
 * layer shared by lookup, concordance and the index (memory/index.h).
 */
#include "index.h"

#include <stdlib.h>
#include <string.h>

#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/ustring.h>
#include <unicode/utext.h>

#include "tandem/error.h"

/*
 * Interim tokenizer: ICU word boundaries and full case folding. It is
 * replaced by td_tokenize (include/tandem/token.h, owner: lexicon) once that
 * is on main; the td__toks interface stays.
 */
struct td__toks {
	UBreakIterator *bi;
	td__tok *v;          /* tokens of the last call */
	size_t cap;
	char *arena;         /* norms of the last call, NUL-separated */
	size_t arena_cap;
};

size_t td__lang_primary_len(const char *lang)
{
	size_t n = 0;

	while (lang[n] && lang[n] != '-' && lang[n] != '_')
		n++;
	return n;
}

int td__lang_same(const char *a, const char *b)
{
	size_t na = td__lang_primary_len(a), nb = td__lang_primary_len(b), i;

	if (na != nb)
		return 0;
	for (i = 0; i < na; i++) {
		char ca = a[i], cb = b[i];
		if (ca >= 'A' && ca <= 'Z')
			ca = (char)(ca - 'A' + 'a');
		if (cb >= 'A' && cb <= 'Z')
			cb = (char)(cb - 'A' + 'a');
		if (ca != cb)
			return 0;
	}
	return 1;
}

static int lang_ok(const char *lang)
{
	size_t n, i;

	if (!lang)
		return 0;
	n = td__lang_primary_len(lang);
	if (n < 2 || n > 3)
		return 0;
	for (i = 0; lang[i]; i++) {
		char c = lang[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return 0;
	}
	return i <= 35;
}

int td__toks_new(td__toks **out, const char *lang)
{
	td__toks *t;
	UErrorCode st = U_ZERO_ERROR;
	char loc[16];
	size_t n;

	*out = NULL;
	if (!lang_ok(lang))
		return td_error_set(TD_EINVAL, "'%s': not a language tag", lang ? lang : "(null)");
	n = td__lang_primary_len(lang);
	memcpy(loc, lang, n);
	loc[n] = '\0';
	t = calloc(1, sizeof(*t));
	if (!t)
		return td_error_set(TD_ENOMEM, "tokenizer: out of memory");
	t->bi = ubrk_open(UBRK_WORD, loc, NULL, 0, &st);
	if (U_FAILURE(st)) {
		free(t);
		return td_error_set(TD_EINVAL, "%s: no word breaker: %s", lang, u_errorName(st));
	}
	*out = t;
	return 0;
}

void td__toks_free(td__toks *t)
{
	if (!t)
		return;
	ubrk_close(t->bi);
	free(t->v);
	free(t->arena);
	free(t);
}

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
	size_t c = *cap ? *cap : 64;
	void *q;

	if (need <= *cap)
		return 0;
	while (c < need)
		c *= 2;
	q = realloc(*p, c * elem);
	if (!q)
		return td_error_set(TD_ENOMEM, "tokenizer: out of memory");
	*p = q;
	*cap = c;
	return 0;
}

/* Case-fold the UTF-8 span s[0,len) into the arena at *used. */
static int fold_into(td__toks *t, size_t *used, const char *s, size_t len)
{
	UChar buf[256], fold[512];
	UChar *u = buf, *f = fold;
	int32_t ulen, flen, blen;
	UErrorCode st = U_ZERO_ERROR;
	int rc = 0;

	u_strFromUTF8WithSub(u, 256, &ulen, s, (int32_t)len, 0xFFFD, NULL, &st);
	if (st == U_BUFFER_OVERFLOW_ERROR) {
		u = malloc(((size_t)ulen + 1) * sizeof(UChar));
		if (!u)
			return td_error_set(TD_ENOMEM, "tokenizer: out of memory");
		st = U_ZERO_ERROR;
		u_strFromUTF8WithSub(u, ulen + 1, &ulen, s, (int32_t)len, 0xFFFD, NULL, &st);
	}
	flen = u_strFoldCase(f, 512, u, ulen, U_FOLD_CASE_DEFAULT, &st);
	if (st == U_BUFFER_OVERFLOW_ERROR) {
		f = malloc(((size_t)flen + 1) * sizeof(UChar));
		if (!f) {
			rc = td_error_set(TD_ENOMEM, "tokenizer: out of memory");
			goto cleanup;
		}
		st = U_ZERO_ERROR;
		flen = u_strFoldCase(f, flen + 1, u, ulen, U_FOLD_CASE_DEFAULT, &st);
	}
	if (U_FAILURE(st) && st != U_STRING_NOT_TERMINATED_WARNING) {
		rc = td_error_set(TD_EENCODING, "tokenizer: %s", u_errorName(st));
		goto cleanup;
	}
	st = U_ZERO_ERROR;
	u_strToUTF8(NULL, 0, &blen, f, flen, &st);
	rc = grow((void **)&t->arena, &t->arena_cap, *used + (size_t)blen + 1, 1);
	if (rc < 0)
		goto cleanup;
	st = U_ZERO_ERROR;
	u_strToUTF8(t->arena + *used, blen + 1, NULL, f, flen, &st);
	t->arena[*used + (size_t)blen] = '\0';
	*used += (size_t)blen + 1;
cleanup:
	if (u != buf)
		free(u);
	if (f != fold)
		free(f);
	return rc;
}

int td__toks_run(td__toks *t, const td__tok **out, size_t *n, const char *text, size_t len)
{
	UText *ut = NULL;
	UErrorCode st = U_ZERO_ERROR;
	int32_t a, b;
	size_t count = 0, used = 0, i;
	size_t *offs = NULL, offcap = 0;
	int rc = 0;

	*out = NULL;
	*n = 0;
	if (len == 0)
		return 0;
	if (len > INT32_MAX)
		return td_error_set(TD_ELIMIT, "text of %zu bytes is too long to tokenize", len);
	ut = utext_openUTF8(NULL, text, (int64_t)len, &st);
	ubrk_setUText(t->bi, ut, &st);
	if (U_FAILURE(st)) {
		rc = td_error_set(TD_EENCODING, "tokenizer: %s", u_errorName(st));
		goto cleanup;
	}
	a = ubrk_first(t->bi);
	for (b = ubrk_next(t->bi); b != UBRK_DONE; a = b, b = ubrk_next(t->bi)) {
		int32_t status = ubrk_getRuleStatus(t->bi);
		td__tok_kind kind;
		UChar32 c;
		int32_t k = a;

		/* Skip pure whitespace runs. */
		U8_NEXT(text, k, b, c);
		if (status < UBRK_WORD_NONE_LIMIT && (u_isUWhiteSpace(c) || c == 0))
			continue;
		if (status >= UBRK_WORD_NUMBER && status < UBRK_WORD_NUMBER_LIMIT)
			kind = TD__TOK_NUMBER;
		else if (status >= UBRK_WORD_NONE_LIMIT)
			kind = TD__TOK_WORD;
		else
			kind = TD__TOK_PUNCT;
		rc = grow((void **)&t->v, &t->cap, count + 1, sizeof(td__tok));
		if (rc == 0)
			rc = grow((void **)&offs, &offcap, count + 1, sizeof(size_t));
		if (rc < 0)
			goto cleanup;
		t->v[count].start = (size_t)a;
		t->v[count].end = (size_t)b;
		t->v[count].kind = kind;
		offs[count] = used;
		rc = fold_into(t, &used, text + a, (size_t)(b - a));
		if (rc < 0)
			goto cleanup;
		count++;
	}
	/* The arena may have moved while growing: point norms in at the end. */
	for (i = 0; i < count; i++)
		t->v[i].norm = t->arena + offs[i];
	*out = t->v;
	*n = count;
cleanup:
	free(offs);
	utext_close(ut);
	return rc;
}
