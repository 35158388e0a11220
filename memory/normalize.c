/*
 * Texts of units: validation and NFC for storing, and the normalised form
 * for matching (NFC, case-folded, white space collapsed). ICU does the
 * Unicode work; ASCII-only texts, the common case, take a short path that
 * gives the same result without converting to UTF-16.
 */
#include "tm_internal.h"
#include "base/buf.h"

#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>

/* White space as ICU's u_isUWhiteSpace, without the call for ASCII. */
static inline int is_space(UChar32 c)
{
	if (c < 0x80)
		return c == ' ' || (c >= '\t' && c <= '\r');
	return u_isUWhiteSpace(c);
}

void td__normbuf_free(td__normbuf *b)
{
	if (!b)
		return;
	free(b->u[0]);
	free(b->u[1]);
	free(b->s);
	memset(b, 0, sizeof(*b));
}

static int reserve(td__normbuf *b, size_t len)
{
	/* Case folding and NFC can grow a text; three times is ICU's documented bound for folding. */
	size_t need = 3 * len + 16;

	if (need > INT32_MAX / 2)
		return td_error_set(TD_ELIMIT, "text of %zu bytes is too long for a unit", len);
	if ((size_t)b->ucap < need) {
		UChar *u0 = realloc(b->u[0], need * sizeof(UChar));
		UChar *u1;
		if (u0)
			b->u[0] = u0;
		u1 = realloc(b->u[1], need * sizeof(UChar));
		if (u1)
			b->u[1] = u1;
		if (!u0 || !u1)
			return td_error_set(TD_ENOMEM, "out of memory normalising a text");
		b->ucap = (int32_t)need;
	}
	if (td_grow((void **)&b->s, &b->scap, 3 * need, 1) < 0)
		return td_error_set(TD_ENOMEM, "out of memory normalising a text");
	return TD_OK;
}

static int utf16_to_b(td__normbuf *b, const char **out, size_t *out_len, const UChar *u, int32_t n)
{
	UErrorCode err = U_ZERO_ERROR;
	int32_t len = 0;

	u_strToUTF8(b->s, (int32_t)b->scap, &len, u, n, &err);
	if (U_FAILURE(err) || (size_t)len >= b->scap)
		return td_error_set(TD_EENCODING, "converting a text to UTF-8: %s", u_errorName(err));
	b->s[len] = '\0';
	*out = b->s;
	*out_len = (size_t)len;
	return TD_OK;
}

int td__text_clean(td__normbuf *b, const char **out, size_t *out_len, const char *text, size_t len)
{
	const uint8_t *s = (const uint8_t *)text;
	int32_t i = 0, n, start = -1, end = 0, ulen = 0;
	int ascii = 1;
	UErrorCode err = U_ZERO_ERROR;
	const UNormalizer2 *nfc;
	UChar32 c;
	int rc;

	if (len > INT32_MAX / 4)
		return td_error_set(TD_ELIMIT, "text of %zu bytes is too long for a unit", len);
	n = (int32_t)len;
	while (i < n) {
		int32_t at = i;
		U8_NEXT(s, i, n, c);
		if (c < 0)
			return td_error_set(TD_EENCODING, "invalid UTF-8 at byte %d", (int)at);
		if (c == 0)
			return td_error_set(TD_EENCODING, "NUL character at byte %d", (int)at);
		if (c >= 0x80)
			ascii = 0;
		if (!is_space(c)) {
			if (start < 0)
				start = at;
			end = i;
		}
	}
	if (start < 0) {
		*out = text;
		*out_len = 0;
		return TD_OK;
	}
	text += start;
	n = end - start;
	if (ascii) {
		*out = text;
		*out_len = (size_t)n;
		return TD_OK;
	}
	rc = reserve(b, (size_t)n);
	if (rc < 0)
		return rc;
	u_strFromUTF8(b->u[0], b->ucap, &ulen, text, n, &err);
	nfc = unorm2_getNFCInstance(&err);
	if (U_FAILURE(err))
		return td_error_set(TD_EENCODING, "decoding a text: %s", u_errorName(err));
	if (unorm2_quickCheck(nfc, b->u[0], ulen, &err) == UNORM_YES && U_SUCCESS(err)) {
		*out = text;
		*out_len = (size_t)n;
		return TD_OK;
	}
	err = U_ZERO_ERROR;
	ulen = unorm2_normalize(nfc, b->u[0], ulen, b->u[1], b->ucap, &err);
	if (U_FAILURE(err))
		return td_error_set(TD_EENCODING, "NFC normalisation: %s", u_errorName(err));
	return utf16_to_b(b, out, out_len, b->u[1], ulen);
}

/* Collapse runs of white space to one space and drop it at both ends, in place. */
static int32_t collapse_u(UChar *u, int32_t n)
{
	int32_t i = 0, o = 0, pending = 0;

	while (i < n) {
		UChar32 c;
		int32_t at = i;
		U16_NEXT(u, i, n, c);
		if (is_space(c)) {
			pending = o > 0;
			continue;
		}
		if (pending)
			u[o++] = ' ';
		pending = 0;
		while (at < i)
			u[o++] = u[at++];
	}
	return o;
}

int td__text_norm(td__normbuf *b, const char **out, size_t *out_len, const char *text, size_t len)
{
	UErrorCode err = U_ZERO_ERROR;
	const UNormalizer2 *nfc;
	int32_t ulen = 0, flen;
	size_t i, o = 0;
	int ascii = 1, pending = 0, rc;

	rc = reserve(b, len);
	if (rc < 0)
		return rc;
	for (i = 0; i < len && ascii; i++)
		ascii = (unsigned char)text[i] < 0x80;
	if (ascii) {
		for (i = 0; i < len; i++) {
			unsigned char c = (unsigned char)text[i];
			if (c == ' ' || (c >= '\t' && c <= '\r')) {
				pending = o > 0;
				continue;
			}
			if (pending)
				b->s[o++] = ' ';
			pending = 0;
			b->s[o++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
		}
		b->s[o] = '\0';
		*out = b->s;
		*out_len = o;
		return TD_OK;
	}
	u_strFromUTF8(b->u[0], b->ucap, &ulen, text, (int32_t)len, &err);
	if (U_FAILURE(err))
		return td_error_set(TD_EENCODING, "decoding a text: %s", u_errorName(err));
	flen = u_strFoldCase(b->u[1], b->ucap, b->u[0], ulen, U_FOLD_CASE_DEFAULT, &err);
	nfc = unorm2_getNFCInstance(&err);
	if (U_FAILURE(err))
		return td_error_set(TD_EENCODING, "case folding: %s", u_errorName(err));
	ulen = unorm2_normalize(nfc, b->u[1], flen, b->u[0], b->ucap, &err);
	if (U_FAILURE(err))
		return td_error_set(TD_EENCODING, "NFC normalisation: %s", u_errorName(err));
	ulen = collapse_u(b->u[0], ulen);
	return utf16_to_b(b, out, out_len, b->u[0], ulen);
}

int td_tm_normalize_text(char **out, const char *text, size_t len)
{
	td__normbuf b = { 0 };
	const char *clean, *norm;
	size_t clen, nlen;
	int rc;

	*out = NULL;
	rc = td__text_clean(&b, &clean, &clen, text, len);
	if (rc < 0)
		goto cleanup;
	{
		/* clean may point into b; normalise from a copy. */
		char *copy = malloc(clen + 1);
		if (!copy) {
			rc = td_error_set(TD_ENOMEM, "out of memory normalising a text");
			goto cleanup;
		}
		memcpy(copy, clean, clen);
		copy[clen] = '\0';
		rc = td__text_norm(&b, &norm, &nlen, copy, clen);
		if (rc == 0) {
			*out = malloc(nlen + 1);
			if (!*out)
				rc = td_error_set(TD_ENOMEM, "out of memory normalising a text");
			else
				memcpy(*out, norm, nlen + 1);
		}
		free(copy);
	}
cleanup:
	td__normbuf_free(&b);
	return rc;
}

int td__is_blank(const char *text, size_t len)
{
	const uint8_t *s = (const uint8_t *)text;
	int32_t i = 0, n = len > INT32_MAX ? INT32_MAX : (int32_t)len;
	UChar32 c;

	while (i < n) {
		U8_NEXT(s, i, n, c);
		if (c < 0 || !is_space(c))
			return 0;
	}
	return 1;
}
