/*
 * Sentence segmentation: paragraphs by blank lines (or lines), sentences by
 * ICU's BreakIterator, corrected by the rules of segrules.c.
 *
 * ICU runs over each paragraph through a UText on the UTF-8 bytes, so the
 * boundaries it returns are byte offsets and no UTF-16 copy of the document
 * is made. Inside a TD_SEG_TEXT paragraph a line break is a soft wrap: it is
 * shown to ICU as a space (same byte length, so offsets stay valid).
 */
#include "tandem/segment.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/uloc.h>
#include <unicode/utext.h>

#include "base/buf.h"
#include "base/opts.h"
#include "text/segrules.h"

#define MAX_LOCALE 120

typedef struct {
	td_doc *doc;
	size_t cap;
	unsigned para;       /* index of the current paragraph */
	int para_used;       /* the current paragraph has a sentence */
	size_t line_pos;     /* bytes before it counted into line */
	size_t line;         /* 0-based line of text[line_pos] */
} builder;

/* The 1-based line of text[pos]; sentences come in text order, so each
 * byte is looked at once. */
static size_t line_at(builder *bd, const char *text, size_t pos)
{
	for (; bd->line_pos < pos; bd->line_pos++)
		bd->line += text[bd->line_pos] == '\n';
	return bd->line + 1;
}

static int is_space_at(const char *s, size_t len, size_t i, size_t *next)
{
	UChar32 c;
	size_t j = i;

	c = seg_next(s, &j, len);
	*next = j;
	return c >= 0 && (u_isUWhiteSpace(c) || c == 0xFEFF);
}

/* Shrink [*a, *b) to exclude leading and trailing white space. */
static void trim(const char *s, size_t *a, size_t *b)
{
	size_t next;

	while (*a < *b && is_space_at(s, *b, *a, &next))
		*a = next;
	while (*b > *a) {
		size_t j = *b;
		UChar32 c;
		c = seg_prev(s, *a, &j);
		if (c < 0 || !(u_isUWhiteSpace(c) || c == 0xFEFF))
			break;
		*b = j;
	}
}

/* Append the trimmed sentence text[a..b) to the current paragraph. */
static int emit(builder *bd, const char *text, size_t a, size_t b)
{
	td_sentence *s;
	size_t i;

	trim(text, &a, &b);
	if (a >= b)
		return 0;
	if (td_grow((void **)&bd->doc->v, &bd->cap, bd->doc->n + 1, sizeof(*bd->doc->v)) < 0)
		return td_error_set(TD_ENOMEM, "segmentation: out of memory");
	s = &bd->doc->v[bd->doc->n];
	s->text = malloc(b - a + 1);
	if (!s->text)
		return td_error_set(TD_ENOMEM, "segmentation: out of memory");
	memcpy(s->text, text + a, b - a);
	s->text[b - a] = '\0';
	for (i = 0; i < b - a; i++)
		if (s->text[i] == '\n' || s->text[i] == '\t' || s->text[i] == '\r')
			s->text[i] = ' ';
	s->start = a;
	s->end = b;
	s->paragraph = bd->para;
	s->line = line_at(bd, text, a);
	s->line_end = line_at(bd, text, b);
	bd->doc->n++;
	bd->para_used = 1;
	return 0;
}

static void end_paragraph(builder *bd)
{
	if (bd->para_used) {
		bd->para++;
		bd->para_used = 0;
	}
}

/* Whether text[a..b) holds only white space. */
static int blank(const char *text, size_t a, size_t b)
{
	trim(text, &a, &b);
	return a >= b;
}

typedef struct {
	UBreakIterator *bi;
	const seg_rules *rules;
	char *buf;           /* the paragraph as ICU sees it */
	size_t bufcap;
} splitter;

/*
 * Emit the piece buf[from..to) of the paragraph that starts at text[a], split
 * further where the rules find a sentence end ICU missed.
 */
static int emit_piece(builder *bd, const splitter *sp, const char *text, size_t a, size_t len,
		      size_t from, size_t to)
{
	size_t i;
	int rc;

	for (i = from + 1; sp->rules && i < to; i++) {
		if (sp->buf[i - 1] != ' ' || sp->buf[i] == ' ' ||
		    !seg_rules_split(sp->rules, sp->buf, len, i))
			continue;
		rc = emit(bd, text, a + from, a + i);
		if (rc < 0)
			return rc;
		from = i;
	}
	return emit(bd, text, a + from, a + to);
}

/* Split the paragraph text[a..b) into sentences. */
static int split_paragraph(builder *bd, splitter *sp, const char *text, size_t a, size_t b)
{
	UErrorCode st = U_ZERO_ERROR;
	UText *ut = NULL;
	size_t len = b - a, i, start = 0;
	int32_t brk;
	int rc = 0;

	if (td_grow((void **)&sp->buf, &sp->bufcap, len + 1, 1) < 0)
		return td_error_set(TD_ENOMEM, "segmentation: out of memory");
	memcpy(sp->buf, text + a, len);
	sp->buf[len] = '\0';
	for (i = 0; i < len; i++)
		if (sp->buf[i] == '\n')
			sp->buf[i] = ' ';
	if (len > INT32_MAX)
		return td_error_set(TD_ELIMIT, "segmentation: a paragraph of %zu bytes is too long", len);
	ut = utext_openUTF8(NULL, sp->buf, (int64_t)len, &st);
	if (U_SUCCESS(st))
		ubrk_setUText(sp->bi, ut, &st);
	if (U_FAILURE(st)) {
		rc = td_error_set(TD_EENCODING, "segmentation: ICU refused the text at byte %zu: %s",
				  a, u_errorName(st));
		goto cleanup;
	}
	ubrk_first(sp->bi);
	while ((brk = ubrk_next(sp->bi)) != UBRK_DONE) {
		size_t at = (size_t)brk;
		if (at < len && sp->rules && seg_rules_join(sp->rules, sp->buf, len, start, at))
			continue;
		rc = emit_piece(bd, sp, text, a, len, start, at);
		if (rc < 0)
			goto cleanup;
		start = at;
	}
	if (start < len)
		rc = emit_piece(bd, sp, text, a, len, start, len);
cleanup:
	utext_close(ut);
	return rc;
}

/* A locale: letters, digits, '_', '-', optionally '@' keywords; a language ICU knows. */
int td_seg_lang_valid(const char *lang)
{
	size_t i, n;

	if (!lang)
		return 0;
	n = strlen(lang);
	if (n < 2 || n >= MAX_LOCALE)
		return 0;
	for (i = 0; i < n && lang[i] != '@'; i++)
		if (!((lang[i] >= 'a' && lang[i] <= 'z') || (lang[i] >= 'A' && lang[i] <= 'Z') ||
		      (lang[i] >= '0' && lang[i] <= '9') || lang[i] == '_' || lang[i] == '-'))
			return 0;
	return i >= 2 && *uloc_getISO3Language(lang) != '\0';
}

static int open_splitter(splitter *sp, const char *lang, bool plain_icu)
{
	UErrorCode st = U_ZERO_ERROR;
	char locale[MAX_LOCALE];
	size_t i;

	memset(sp, 0, sizeof(*sp));
	/* ICU spells locales with '_'; accept BCP 47's '-' too. */
	snprintf(locale, sizeof(locale), "%s", lang);
	for (i = 0; locale[i] && locale[i] != '@'; i++)
		if (locale[i] == '-')
			locale[i] = '_';
	sp->bi = ubrk_open(UBRK_SENTENCE, locale, NULL, 0, &st);
	if (U_FAILURE(st))
		return td_error_set(TD_EINVAL, "segmentation: ICU has no sentence rules for '%s': %s",
				    lang, u_errorName(st));
	sp->rules = plain_icu ? NULL : seg_rules_for(lang);
	return 0;
}

static void close_splitter(splitter *sp)
{
	if (sp->bi)
		ubrk_close(sp->bi);
	free(sp->buf);
}

/* The end of the line that starts at i (the offset of its '\n', or len). */
static size_t line_end(const char *text, size_t len, size_t i)
{
	const char *nl = memchr(text + i, '\n', len - i);
	return nl ? (size_t)(nl - text) : len;
}

int td_seg_split(td_doc **out, const char *text, size_t len, const td_seg_opts *opts)
{
	static const td_seg_opts default_opts = TD_SEG_OPTS_INIT;
	builder bd = { 0 };
	splitter sp = { 0 };
	size_t i = 0, para_start = 0;
	int in_para = 0, rc = 0;

	assert(out);
	*out = NULL;
	if (!opts)
		opts = &default_opts;
	if ((rc = td_opts_version(opts->version, TD_SEG_OPTS_VERSION, "segmentation")) < 0)
		return rc;
	if (!text && len)
		return td_error_set(TD_EINVAL, "segmentation: no text");
	if (!td_seg_lang_valid(opts->lang))
		return td_error_set(TD_EINVAL, "segmentation: '%s' is not a language ICU knows (try de, en, fr_CH)",
				    opts->lang ? opts->lang : "(null)");
	bd.doc = calloc(1, sizeof(*bd.doc));
	if (!bd.doc)
		return td_error_set(TD_ENOMEM, "segmentation: out of memory");
	if (opts->mode != TD_SEG_PRESEGMENTED) {
		rc = open_splitter(&sp, opts->lang, opts->plain_icu);
		if (rc < 0)
			goto cleanup;
	}
	while (i < len) {
		size_t e = line_end(text, len, i);
		int is_blank = blank(text, i, e);

		switch (opts->mode) {
		case TD_SEG_PRESEGMENTED:
			if (is_blank)
				end_paragraph(&bd);
			else
				rc = emit(&bd, text, i, e);
			break;
		case TD_SEG_LINE_PARAGRAPHS:
			if (!is_blank) {
				rc = split_paragraph(&bd, &sp, text, i, e);
				end_paragraph(&bd);
			}
			break;
		default:
			if (is_blank && in_para) {
				rc = split_paragraph(&bd, &sp, text, para_start, i);
				end_paragraph(&bd);
				in_para = 0;
			} else if (!is_blank && !in_para) {
				para_start = i;
				in_para = 1;
			}
			break;
		}
		if (rc < 0)
			goto cleanup;
		i = e < len ? e + 1 : len;
	}
	if (in_para) {
		rc = split_paragraph(&bd, &sp, text, para_start, len);
		if (rc < 0)
			goto cleanup;
	}
	end_paragraph(&bd);
	bd.doc->nparagraphs = bd.para;
	*out = bd.doc;
	bd.doc = NULL;
cleanup:
	close_splitter(&sp);
	td_doc_free(bd.doc);
	return rc;
}

void td_doc_free(td_doc *doc)
{
	size_t i;

	if (!doc)
		return;
	for (i = 0; i < doc->n; i++)
		free(doc->v[i].text);
	free(doc->v);
	free(doc);
}

int td_doc_join(char **out, const td_doc *doc, size_t first, size_t n)
{
	size_t len = 0, k, pos = 0;
	char *s;

	*out = NULL;
	if (first > doc->n || n > doc->n - first)
		return td_error_set(TD_EINVAL, "sentences %zu..%zu outside a document of %zu", first, first + n, doc->n);
	for (k = first; k < first + n; k++)
		len += strlen(doc->v[k].text) + 1;
	s = malloc(len + 1);
	if (!s)
		return td_error_set(TD_ENOMEM, "out of memory joining sentences");
	for (k = first; k < first + n; k++) {
		size_t l = strlen(doc->v[k].text);

		if (k > first)
			s[pos++] = ' ';
		memcpy(s + pos, doc->v[k].text, l);
		pos += l;
	}
	s[pos] = '\0';
	for (k = 0; k < pos; k++)
		if (s[k] == '\t' || s[k] == '\n' || s[k] == '\r')
			s[k] = ' ';
	*out = s;
	return 0;
}
