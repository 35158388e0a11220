/*
 * Decoding: bytes -> UTF-8 NFC with LF line ends (see include/tandem/text.h
 * for the order in which the encoding is decided).
 *
 * All conversion goes through iconv into UTF-8, including UTF-8 itself: glibc's
 * decoder rejects overlong forms, surrogates and truncated sequences and tells
 * where, which gives the byte offset of the first bad byte without a
 * hand-written validator. Detection is ICU's ucsdet; normalisation ICU's unorm2.
 */
#include "tandem/text.h"
#include "base/file.h"
#include "base/buf.h"
#include "base/opts.h"

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ucsdet.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

/* The detector looks at no more than this many bytes: enough to be sure, fast on big files. */
#define DETECT_SAMPLE ((size_t)1 << 20)

typedef struct {
	const char *bom;
	size_t len;
	const char *encoding;
} bom_entry;

/* Longer marks first: FF FE 00 00 is UTF-32LE, not UTF-16LE. */
static const bom_entry boms[] = {
	{ "\xFF\xFE\x00\x00", 4, "UTF-32LE" },
	{ "\x00\x00\xFE\xFF", 4, "UTF-32BE" },
	{ "\xEF\xBB\xBF", 3, "UTF-8" },
	{ "\xFF\xFE", 2, "UTF-16LE" },
	{ "\xFE\xFF", 2, "UTF-16BE" },
};

static const char *display_name(const td_text_opts *opts)
{
	return opts && opts->name ? opts->name : "input";
}

/* 1 + the number of line ends (LF, CRLF, lone CR) in s[0..n). */
static size_t line_of(const char *s, size_t n)
{
	size_t i, line = 1;

	for (i = 0; i < n; i++)
		if (s[i] == '\n' || (s[i] == '\r' && (i + 1 >= n || s[i + 1] != '\n')))
			line++;
	return line;
}

static const bom_entry *find_bom(const unsigned char *b, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(boms) / sizeof(boms[0]); i++)
		if (len >= boms[i].len && memcmp(b, boms[i].bom, boms[i].len) == 0)
			return &boms[i];
	return NULL;
}

/*
 * iconv in[0..len) from `from` into malloc'd UTF-8 (NUL-terminated). On a bad
 * sequence, *bad_at is its input offset and the return is TD_EENCODING with a
 * message; base is added to offsets in messages (a removed BOM).
 */
static int convert(char **out, size_t *out_len, const char *in, size_t len, const char *from,
		   const char *name, size_t base, size_t *bad_at)
{
	iconv_t cd;
	char *buf = NULL, *inp = (char *)in, *outp;
	size_t cap, inleft = len, outleft, used;
	int rc = 0, flushing = 0;

	*out = NULL;
	cd = iconv_open("UTF-8", from);
	if (cd == (iconv_t)-1)
		return td_error_set(TD_EINVAL, "%s: unknown encoding '%s'", name, from);
	cap = len + len / 2 + 16;
	buf = malloc(cap);
	if (!buf) {
		rc = td_error_set(TD_ENOMEM, "%s: out of memory", name);
		goto cleanup;
	}
	outp = buf;
	outleft = cap - 1;
	for (;;) {
		/* With the input used up, one more call flushes a stateful encoding. */
		size_t r = flushing ? iconv(cd, NULL, NULL, &outp, &outleft)
				    : iconv(cd, &inp, &inleft, &outp, &outleft);
		size_t off, line;

		if (r != (size_t)-1) {
			if (flushing)
				break;
			flushing = !inleft;
			continue;
		}
		if (errno == E2BIG) {
			used = (size_t)(outp - buf);
			if (td_grow((void **)&buf, &cap, 2 * cap, 1) < 0) {
				rc = td_error_set(TD_ENOMEM, "%s: out of memory", name);
				goto cleanup;
			}
			outp = buf + used;
			outleft = cap - 1 - used;
			continue;
		}
		off = (size_t)(inp - in);
		line = line_of(buf, (size_t)(outp - buf));
		if (bad_at)
			*bad_at = off;
		if (errno == EINVAL)
			rc = td_error_set(TD_EENCODING,
				"%s: line %zu, byte %zu: truncated %s sequence at end of input",
				name, line, base + off, from);
		else
			rc = td_error_set(TD_EENCODING,
				"%s: line %zu, byte %zu: invalid %s sequence (0x%02X)",
				name, line, base + off, from, (unsigned)(unsigned char)in[off]);
		goto cleanup;
	}
	*outp = '\0';
	*out_len = (size_t)(outp - buf);
	*out = buf;
	buf = NULL;
cleanup:
	free(buf);
	iconv_close(cd);
	return rc;
}

/* Ask ICU which encodings the bytes may be in. */
static int detect(const char **out, int *confidence, const char *bytes, size_t len,
		  const char *name, size_t bad_at)
{
	UErrorCode st = U_ZERO_ERROR;
	UCharsetDetector *csd = ucsdet_open(&st);
	const UCharsetMatch **m;
	int32_t n = 0, i;
	char likely[256] = "";
	size_t ll = 0;
	int rc = 0;

	*out = NULL;
	*confidence = 0;
	if (U_FAILURE(st))
		return td_error_set(TD_ENOMEM, "%s: cannot open the charset detector: %s", name,
				    u_errorName(st));
	ucsdet_setText(csd, bytes, (int32_t)(len < DETECT_SAMPLE ? len : DETECT_SAMPLE), &st);
	m = ucsdet_detectAll(csd, &n, &st);
	if (U_FAILURE(st))
		n = 0;
	for (i = 0; i < n; i++) {
		const char *enc = ucsdet_getName(m[i], &st);
		int32_t conf = ucsdet_getConfidence(m[i], &st);
		iconv_t cd;

		if (U_FAILURE(st) || conf <= 0)
			break;
		if (i < 3 && ll < sizeof(likely) - 40)
			ll += (size_t)snprintf(likely + ll, sizeof(likely) - ll, "%s%s %d%%",
					       ll ? ", " : "", enc, (int)conf);
		if (conf < TD_TEXT_MIN_CONFIDENCE || *out)
			continue;
		/* ICU knows encodings iconv does not (IBM424_rtl ...): skip those. */
		cd = iconv_open("UTF-8", enc);
		if (cd == (iconv_t)-1)
			continue;
		iconv_close(cd);
		*out = enc;  /* names are static strings inside ICU */
		*confidence = (int)conf;
	}
	if (!*out)
		rc = td_error_set(TD_EENCODING,
			"%s: line %zu, byte %zu: not UTF-8, and the encoding is uncertain "
			"(likely: %s); pass --encoding NAME",
			name, line_of(bytes, bad_at), bad_at, ll ? likely : "none");
	ucsdet_close(csd);
	return rc;
}

/*
 * Decide the encoding. *skip is the length of a BOM to drop. *decided is set
 * when the bytes were already converted on the way (valid UTF-8).
 */
static int choose(const char **enc, int *conf, size_t *skip, char **decided, size_t *dlen,
		  const char *b, size_t len, const td_text_opts *opts)
{
	const char *name = display_name(opts);
	const bom_entry *bom = find_bom((const unsigned char *)b, len);
	const char *nul;
	size_t bad = 0, i;
	int rc;

	*skip = 0;
	*decided = NULL;
	*conf = 100;
	if (bom) {
		*enc = bom->encoding;
		*skip = bom->len;
		return 0;
	}
	if (opts && opts->encoding && *opts->encoding) {
		*enc = opts->encoding;
		return 0;
	}
	nul = memchr(b, '\0', len);
	if (nul)
		return td_error_set(TD_EENCODING, "%s: line %zu, byte %zu: NUL byte: a binary file, "
				    "or UTF-16/UTF-32 without a byte order mark (pass --encoding)",
				    name, line_of(b, (size_t)(nul - b)), (size_t)(nul - b));
	*enc = "UTF-8";
	rc = convert(decided, dlen, b, len, "UTF-8", name, 0, &bad);
	if (rc != TD_EENCODING)
		return rc;
	/* Valid multi-byte sequences before the bad byte: UTF-8 with a bad byte. */
	for (i = 0; i < bad; i++)
		if ((unsigned char)b[i] >= 0x80)
			return rc;
	td_error_clear();
	return detect(enc, conf, b, len, name, bad);
}

int td_text_decode_guess(const char **out, int *confidence, const void *bytes, size_t len,
			 const td_text_opts *opts)
{
	char *decided = NULL;
	size_t skip, dlen;
	int rc;

	rc = choose(out, confidence, &skip, &decided, &dlen, bytes, len, opts);
	free(decided);
	return rc;
}

/* CRLF and lone CR -> LF, in place; returns the new length. */
static size_t unify_newlines(char *s, size_t n)
{
	size_t i, j = 0;

	for (i = 0; i < n; i++) {
		if (s[i] == '\r') {
			s[j++] = '\n';
			if (i + 1 < n && s[i + 1] == '\n')
				i++;
		} else {
			s[j++] = s[i];
		}
	}
	s[j] = '\0';
	return j;
}

/* Replace *s (UTF-8) by its NFC form when it is not already in NFC. */
static int to_nfc(char **s, size_t *n, const char *name)
{
	UErrorCode st = U_ZERO_ERROR;
	const UNormalizer2 *nfc;
	UChar *u = NULL, *v = NULL;
	int32_t ulen = 0, vlen, olen = 0;
	char *o = NULL;
	size_t i;
	int rc = 0;

	for (i = 0; i < *n && (unsigned char)(*s)[i] < 0x80; i++)
		;
	if (i == *n)
		return 0;  /* ASCII is NFC */
	if (*n > INT32_MAX / 2)
		return td_error_set(TD_ELIMIT, "%s: too large to normalise", name);
	nfc = unorm2_getNFCInstance(&st);
	u = malloc(((*n) + 1) * sizeof(UChar));
	if (!u)
		goto nomem;
	u_strFromUTF8(u, (int32_t)*n + 1, &ulen, *s, (int32_t)*n, &st);
	if (U_FAILURE(st))
		goto icu;
	if (unorm2_spanQuickCheckYes(nfc, u, ulen, &st) == ulen && U_SUCCESS(st))
		goto cleanup;
	st = U_ZERO_ERROR;
	vlen = unorm2_normalize(nfc, u, ulen, NULL, 0, &st);
	if (st != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(st))
		goto icu;
	st = U_ZERO_ERROR;
	v = malloc(((size_t)vlen + 1) * sizeof(UChar));
	if (!v)
		goto nomem;
	unorm2_normalize(nfc, u, ulen, v, vlen + 1, &st);
	if (U_FAILURE(st))
		goto icu;
	u_strToUTF8(NULL, 0, &olen, v, vlen, &st);
	if (st != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(st))
		goto icu;
	st = U_ZERO_ERROR;
	o = malloc((size_t)olen + 1);
	if (!o)
		goto nomem;
	u_strToUTF8(o, olen + 1, NULL, v, vlen, &st);
	if (U_FAILURE(st))
		goto icu;
	free(*s);
	*s = o;
	*n = (size_t)olen;
	o = NULL;
	goto cleanup;
nomem:
	rc = td_error_set(TD_ENOMEM, "%s: out of memory", name);
	goto cleanup;
icu:
	rc = td_error_set(TD_EENCODING, "%s: NFC normalisation failed: %s", name, u_errorName(st));
cleanup:
	free(u);
	free(v);
	free(o);
	return rc;
}

int td_text_decode(char **out, size_t *out_len, const void *bytes, size_t len,
		   const td_text_opts *opts)
{
	const char *name = display_name(opts);
	const char *b = bytes;
	const char *enc, *nul;
	char *text = NULL;
	size_t skip, n = 0;
	int conf, rc;

	*out = NULL;
	if (out_len)
		*out_len = 0;
	if (opts && (rc = td_opts_version(opts->version, TD_TEXT_OPTS_VERSION, "decode")) < 0)
		return rc;
	if (!b && len)
		return td_error_set(TD_EINVAL, "%s: no input bytes", name);
	if (len > TD_TEXT_MAX_BYTES)
		return td_error_set(TD_ELIMIT, "%s: %zu bytes exceed the limit of %zu", name, len,
				    TD_TEXT_MAX_BYTES);
	rc = choose(&enc, &conf, &skip, &text, &n, b ? b : "", len, opts);
	if (rc < 0)
		goto cleanup;
	if (!text) {
		rc = convert(&text, &n, b + skip, len - skip, enc, name, skip, NULL);
		if (rc < 0)
			goto cleanup;
	}
	nul = memchr(text, '\0', n);
	if (nul) {
		rc = td_error_set(TD_EENCODING, "%s: line %zu: NUL character: a binary file, not text",
				  name, line_of(text, (size_t)(nul - text)));
		goto cleanup;
	}
	n = unify_newlines(text, n);
	rc = to_nfc(&text, &n, name);
	if (rc < 0)
		goto cleanup;
	*out = text;
	if (out_len)
		*out_len = n;
	text = NULL;
cleanup:
	free(text);
	return rc;
}

int td_text_decode_file(char **out, size_t *out_len, const char *path, const char *encoding)
{
	td_text_opts opts = TD_TEXT_OPTS_INIT;
	char *bytes = NULL;
	size_t len = 0;
	int rc;

	*out = NULL;
	if (!path)
		return td_error_set(TD_EINVAL, "no file name");
	opts.name = strcmp(path, "-") == 0 ? "stdin" : path;
	opts.encoding = encoding;
	rc = td_read_file(&bytes, &len, path, opts.name, TD_TEXT_MAX_BYTES);
	if (rc < 0)
		return rc;
	rc = td_text_decode(out, out_len, bytes, len, &opts);
	free(bytes);
	return rc;
}
