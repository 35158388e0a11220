/*
 * TMX import (streamed with libxml2's xmlTextReader, constant memory) and
 * export (xmlTextWriter). The rules for languages and inline markup are in
 * include/tandem/tmx.h.
 *
 * Safety: the reader gets only our own read callback (no URL, so libxml2
 * does no I/O of its own and prints nothing), XML_PARSE_NONET, and neither
 * XML_PARSE_NOENT nor XML_PARSE_DTDLOAD: external entities and DTDs are
 * never fetched. Entity references other than the predefined five arrive as
 * entity-reference nodes and are refused; libxml2's own limits stop entity
 * expansion bombs during parsing.
 */
#include "tm_internal.h"
#include "base/buf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <libxml/xmlreader.h>
#include <libxml/xmlwriter.h>

#include "td_config.h"

/* One <tuv> of the <tu> being read. */
typedef struct {
	char lang[TD_LANG_MAX];   /* normalised */
	char *text;               /* what a translator sees, NUL-terminated */
	size_t len, cap;
	int has_seg;
} variant;

/*
 * What an element inside a <seg> does to the text a translator sees:
 *   TEXT: hi and anything unknown; its text is part of the sentence.
 *   FORMAT: bpt, ept, it, ut; native formatting codes, dropped like the tags
 *     they stand for (so "Haus<bpt/>tür" stays one word).
 *   PLACEHOLDER: ph; a native code standing for something (a line break, an
 *     image): dropped, but it separates the words around it.
 *   SUB: sub; translatable text inside a native code (a footnote, an alt
 *     text): kept, set apart by spaces.
 */
typedef enum { INLINE_TEXT = 0, INLINE_FORMAT, INLINE_PLACEHOLDER, INLINE_SUB } inline_kind;

/* What lies between the text kept so far and the next text: nothing, a dropped code, or a separator. */
enum { GAP_NONE = 0, GAP_CODE, GAP_SEPARATE };

/*
 * The reader's state. Invariants: variants[0..nvar) are the <tuv>s of the
 * current <tu> read so far; in_seg is 1 between <seg> and </seg> of the
 * current <tuv>; shown[0..nshown) has one entry per element open inside
 * that <seg>, 1 where its text is kept (see inline_kind); gap says what was
 * dropped since the last text kept.
 */
typedef struct {
	const char *name;
	FILE *f;
	xmlTextReaderPtr reader;
	char err[512];            /* first error libxml2 reported */
	int err_line;
	char header_src[TD_LANG_MAX];  /* normalised, "*all*" or "" */
	char tu_src[TD_LANG_MAX];
	char opt_src[TD_LANG_MAX], opt_tgt[TD_LANG_MAX];  /* "" when not asked */
	variant *var;
	size_t nvar, capvar;
	unsigned char *shown;
	size_t nshown, capshown;
	int in_tu, in_tuv, in_seg, gap;
	int64_t tu_line;
	int saw_root;
} tmx_reader;

static int io_read(void *ctx, char *buf, int len)
{
	tmx_reader *t = ctx;
	size_t n = fread(buf, 1, (size_t)len, t->f);

	if (n == 0 && ferror(t->f))
		return -1;
	return (int)n;
}

static int io_close(void *ctx)
{
	(void)ctx;
	return 0;
}

static void on_error(void *ctx, xmlErrorPtr e)
{
	tmx_reader *t = ctx;
	size_t n;

	if (!e || e->level < XML_ERR_ERROR || t->err[0])
		return;
	snprintf(t->err, sizeof(t->err), "%s", e->message ? e->message : "malformed XML");
	n = strlen(t->err);
	while (n && (t->err[n - 1] == '\n' || t->err[n - 1] == ' '))
		t->err[--n] = '\0';
	t->err_line = e->line;
}

/* The line of the node being read (the parser itself may have read ahead). */
static int line_now(tmx_reader *t)
{
	xmlNodePtr n = xmlTextReaderCurrentNode(t->reader);
	long line = n ? xmlGetLineNo(n) : -1;

	return line > 0 ? (int)line : xmlTextReaderGetParserLineNumber(t->reader);
}

static int fail(tmx_reader *t, int code, const char *fmt, const char *arg)
{
	char what[600];

	snprintf(what, sizeof(what), fmt, arg);
	return td_error_set(code, "%s: line %d: %s", t->name, line_now(t), what);
}

static inline_kind inline_kind_of(const char *name)
{
	if (!strcmp(name, "bpt") || !strcmp(name, "ept") || !strcmp(name, "it") || !strcmp(name, "ut"))
		return INLINE_FORMAT;
	if (!strcmp(name, "ph"))
		return INLINE_PLACEHOLDER;
	if (!strcmp(name, "sub"))
		return INLINE_SUB;
	return INLINE_TEXT;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int append(variant *v, const char *s, size_t n)
{
	if (td_grow((void **)&v->text, &v->cap, v->len + n + 1, 1) < 0)
		return td_error_set(TD_ENOMEM, "out of memory reading a segment");
	memcpy(v->text + v->len, s, n);
	v->len += n;
	v->text[v->len] = '\0';
	return TD_OK;
}

/*
 * Text s[0,n) inside a <seg>, after t->gap: where codes were dropped, white
 * space on both sides becomes the one on the left, and a separating code
 * (ph, a sub's bounds) between two non-space characters becomes a space,
 * so "foo<ph/>bar" and "foo <ph>x</ph> bar" both read "foo bar".
 */
static int append_text(tmx_reader *t, const char *s, size_t n)
{
	variant *v = &t->var[t->nvar - 1];
	int rc;

	if (t->gap != GAP_NONE && v->len) {
		if (is_space(v->text[v->len - 1])) {
			while (n && is_space(*s)) {
				s++;
				n--;
			}
		} else if (t->gap == GAP_SEPARATE && n && !is_space(*s) && (rc = append(v, " ", 1)) < 0) {
			return rc;
		}
	}
	if (!n)
		return TD_OK;
	t->gap = GAP_NONE;
	return append(v, s, n);
}

/* An element opens (empty: and closes) inside a <seg>. */
static int inline_start(tmx_reader *t, const char *name, int empty)
{
	inline_kind k = inline_kind_of(name);
	int shown = t->nshown ? t->shown[t->nshown - 1] : 1;

	if (k == INLINE_PLACEHOLDER || k == INLINE_SUB)
		t->gap = GAP_SEPARATE;
	else if (k == INLINE_FORMAT && t->gap == GAP_NONE)
		t->gap = GAP_CODE;
	if (empty)
		return TD_OK;
	if (td_grow((void **)&t->shown, &t->capshown, t->nshown + 1, 1) < 0)
		return td_error_set(TD_ENOMEM, "out of memory reading a segment");
	t->shown[t->nshown++] = (unsigned char)(k == INLINE_SUB ? 1 : k == INLINE_TEXT ? shown : 0);
	return TD_OK;
}

/* An element inside a <seg> closes. */
static void inline_end(tmx_reader *t, const char *name)
{
	inline_kind k = inline_kind_of(name);

	if (t->nshown)
		t->nshown--;
	if (k == INLINE_PLACEHOLDER || k == INLINE_SUB)
		t->gap = GAP_SEPARATE;
	else if (k == INLINE_FORMAT && t->gap == GAP_NONE)
		t->gap = GAP_CODE;
}

/* A language attribute's value v (freed here; may be NULL: out is ""): "*all*" or a normalised tag. */
static int lang_value(tmx_reader *t, char *out, xmlChar *v)
{
	int rc = TD_OK;

	out[0] = '\0';
	if (!v)
		return TD_OK;
	if (strcasecmp((const char *)v, "*all*") == 0)
		strcpy(out, "*all*");
	else if (td_lang_normalize(out, (const char *)v) < 0)
		rc = td__error_at(TD_EINVAL, t->name, line_now(t));
	xmlFree(v);
	return rc;
}

/* The language of the current <tuv>: xml:lang, else the older lang. */
static int lang_attr(tmx_reader *t, char *out)
{
	xmlChar *v = xmlTextReaderGetAttributeNs(t->reader, BAD_CAST "lang", XML_XML_NAMESPACE);

	if (!v)
		v = xmlTextReaderGetAttribute(t->reader, BAD_CAST "lang");
	if (!v)
		return fail(t, TD_EFORMAT, "%s", "<tuv> without xml:lang");
	return lang_value(t, out, v);
}

static int start_element(tmx_reader *t, const char *name)
{
	int empty = xmlTextReaderIsEmptyElement(t->reader);
	int rc = TD_OK;

	if (!t->saw_root) {
		t->saw_root = 1;
		if (strcmp(name, "tmx") != 0)
			return fail(t, TD_EFORMAT, "not a TMX file (the root element is <%s>)", name);
		return TD_OK;
	}
	if (t->in_seg)
		return inline_start(t, name, empty);
	if (!strcmp(name, "header"))
		return lang_value(t, t->header_src, xmlTextReaderGetAttribute(t->reader, BAD_CAST "srclang"));
	if (!strcmp(name, "tu")) {
		if (t->in_tu)
			return fail(t, TD_EFORMAT, "%s", "<tu> inside a <tu>");
		t->in_tu = 1;
		t->nvar = 0;
		t->tu_line = line_now(t);
		rc = lang_value(t, t->tu_src, xmlTextReaderGetAttribute(t->reader, BAD_CAST "srclang"));
		if (empty)
			t->in_tu = 0;
		return rc;
	}
	if (!strcmp(name, "tuv") && t->in_tu) {
		variant *v;
		if (t->in_tuv)
			return fail(t, TD_EFORMAT, "%s", "<tuv> inside a <tuv>");
		if (t->nvar == t->capvar) {
			size_t old = t->capvar;
			if (td_grow((void **)&t->var, &t->capvar, t->nvar + 1, sizeof(*t->var)) < 0)
				return td_error_set(TD_ENOMEM, "out of memory reading a <tu>");
			memset(t->var + old, 0, (t->capvar - old) * sizeof(*t->var));
		}
		v = &t->var[t->nvar++];
		v->len = 0;
		v->has_seg = 0;
		if (v->text)
			v->text[0] = '\0';
		rc = lang_attr(t, v->lang);
		t->in_tuv = !empty;
		return rc;
	}
	if (!strcmp(name, "seg") && t->in_tuv) {
		t->var[t->nvar - 1].has_seg = 1;
		t->in_seg = !empty;
		t->nshown = 0;
		t->gap = GAP_NONE;
	}
	return TD_OK;
}

/* Lenient language match for finding the source variant: either selects the other. */
static int same_lang(const char *a, const char *b)
{
	return td_lang_matches(a, b) || td_lang_matches(b, a);
}

static int add(td_import_report *r, td_tm *tm, tmx_reader *t, const variant *s, const variant *v)
{
	td_tm_unit_in u = TD_TM_UNIT_IN_INIT;
	td_tm_add_result res;
	int rc;

	if (!s->has_seg || !v->has_seg || td__is_blank(s->text ? s->text : "", s->len) ||
	    td__is_blank(v->text ? v->text : "", v->len)) {
		td__skip(r, TD_SKIP_EMPTY, t->tu_line);
		return TD_OK;
	}
	u.src_lang = s->lang;
	u.tgt_lang = v->lang;
	u.source = s->text;
	u.target = v->text;
	u.position = r->read;
	rc = td_tm_add_unit(&res, tm, &u);
	if (rc < 0)
		return td__error_at(rc, t->name, t->tu_line);
	if (res == TD_TM_ADDED)
		r->added++;
	else
		r->present++;
	return TD_OK;
}

/* The end of a <tu>: one unit per selected target variant. */
static int end_tu(td_import_report *r, td_tm *tm, tmx_reader *t)
{
	const char *src = t->opt_src[0] ? t->opt_src : t->tu_src[0] ? t->tu_src : t->header_src;
	const variant *s = NULL;
	size_t i, j;
	int targets = 0, rc;

	r->read++;
	if (!t->nvar) {
		td__skip(r, TD_SKIP_NO_SOURCE, t->tu_line);
		return TD_OK;
	}
	if (!*src || !strcmp(src, "*all*"))
		s = &t->var[0];
	for (i = 0; i < t->nvar && !s; i++)
		if (same_lang(t->var[i].lang, src))
			s = &t->var[i];
	if (!s) {
		td__skip(r, TD_SKIP_NO_SOURCE, t->tu_line);
		return TD_OK;
	}
	for (i = 0; i < t->nvar; i++) {
		const variant *v = &t->var[i];
		int dup = 0;
		if (v == s || !strcmp(v->lang, s->lang))
			continue;
		if (t->opt_tgt[0] && !td_lang_matches(v->lang, t->opt_tgt))
			continue;
		for (j = 0; j < i && !dup; j++)
			dup = !strcmp(t->var[j].lang, v->lang);
		if (dup) {
			td__skip(r, TD_SKIP_DUPLICATE_LANG, t->tu_line);
			continue;
		}
		targets++;
		rc = add(r, tm, t, s, v);
		if (rc < 0)
			return rc;
	}
	if (!targets)
		td__skip(r, TD_SKIP_NO_TARGET, t->tu_line);
	return TD_OK;
}

static int end_element(td_import_report *r, td_tm *tm, tmx_reader *t, const char *name)
{
	if (t->in_seg) {
		if (!t->nshown && !strcmp(name, "seg"))
			t->in_seg = 0;
		else
			inline_end(t, name);
		return TD_OK;
	}
	if (!strcmp(name, "tuv"))
		t->in_tuv = 0;
	else if (!strcmp(name, "tu") && t->in_tu) {
		t->in_tu = 0;
		return end_tu(r, tm, t);
	}
	return TD_OK;
}

static int read_all(td_import_report *r, td_tm *tm, tmx_reader *t)
{
	int ret, rc = TD_OK;

	while ((ret = xmlTextReaderRead(t->reader)) == 1) {
		int type = xmlTextReaderNodeType(t->reader);
		const char *name = (const char *)xmlTextReaderConstLocalName(t->reader);
		switch (type) {
		case XML_READER_TYPE_ELEMENT:
			rc = start_element(t, name);
			break;
		case XML_READER_TYPE_END_ELEMENT:
			rc = end_element(r, tm, t, name);
			break;
		case XML_READER_TYPE_TEXT:
		case XML_READER_TYPE_CDATA:
		case XML_READER_TYPE_WHITESPACE:
		case XML_READER_TYPE_SIGNIFICANT_WHITESPACE:
			if (t->in_seg && (!t->nshown || t->shown[t->nshown - 1])) {
				const char *s = (const char *)xmlTextReaderConstValue(t->reader);
				if (s)
					rc = append_text(t, s, strlen(s));
			}
			break;
		case XML_READER_TYPE_ENTITY_REFERENCE:
			rc = fail(t, TD_EFORMAT, "entity reference &%s; refused (only XML's predefined "
				"entities and character references are read)", name);
			break;
		default:
			break;
		}
		if (rc < 0)
			return rc;
	}
	if (ret < 0 || t->err[0]) {
		if (t->err[0])
			return td_error_set(TD_EFORMAT, "%s: line %d: %s", t->name,
				t->err_line > 0 ? t->err_line : line_now(t), t->err);
		return fail(t, TD_EFORMAT, "%s", "malformed XML");
	}
	if (!t->saw_root)
		return td_error_set(TD_EFORMAT, "%s: empty file, not TMX", t->name);
	return TD_OK;
}

int td__import_tmx(td_import_report *r, td_tm *tm, const char *path, const td_import_opts *o)
{
	td_tm_doc_info info = TD_TM_DOC_INFO_INIT;
	tmx_reader t;
	char hash[TD_HASH_HEX];
	size_t i;
	int rc;

	memset(&t, 0, sizeof(t));
	t.name = o->name;
	if (o->src_lang && (rc = td_lang_normalize(t.opt_src, o->src_lang)) < 0)
		return rc;
	if (o->tgt_lang && (rc = td_lang_normalize(t.opt_tgt, o->tgt_lang)) < 0)
		return rc;
	rc = td_tm_hash_file(hash, path);
	if (rc < 0)
		return rc;
	t.f = fopen(path, "rb");
	if (!t.f)
		return td_error_set(TD_EIO, "%s: %s", o->name, strerror(errno));
	t.reader = xmlReaderForIO(io_read, io_close, &t, NULL, NULL, XML_PARSE_NONET);
	if (!t.reader) {
		rc = td_error_set(TD_ENOMEM, "%s: cannot create an XML reader", o->name);
		goto cleanup;
	}
	xmlTextReaderSetStructuredErrorHandler(t.reader, on_error, &t);
	info.kind = "import";
	info.src_name = o->name;
	info.src_hash = hash;
	rc = td_tm_begin_document(tm, &info);
	if (rc < 0)
		goto cleanup;
	rc = read_all(r, tm, &t);
	if (rc == 0)
		rc = td__import_commit(tm, r, o->name);
cleanup:
	if (rc < 0)
		td_tm_rollback(tm);
	xmlFreeTextReader(t.reader);
	for (i = 0; i < t.capvar; i++)
		free(t.var[i].text);
	free(t.var);
	free(t.shown);
	fclose(t.f);
	return rc;
}

/* ---- export ---- */

/*
 * Copy s without the characters XML 1.0 forbids: C0 controls other than
 * tab, LF and CR, and U+FFFE / U+FFFF (stored texts are valid UTF-8, so no
 * surrogates). Returns buf or s itself when nothing needed removing.
 */
static const char *xml_clean(char **buf, size_t *cap, const char *s)
{
	const unsigned char *p;
	size_t n = strlen(s), o = 0;
	int dirty = 0;

	for (p = (const unsigned char *)s; *p && !dirty; p++)
		dirty = (*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r') ||
			(p[0] == 0xEF && p[1] == 0xBF && (p[2] == 0xBE || p[2] == 0xBF));
	if (!dirty)
		return s;
	if (td_grow((void **)buf, cap, n + 1, 1) < 0)
		return NULL;
	for (p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r')
			continue;
		if (p[0] == 0xEF && p[1] == 0xBF && (p[2] == 0xBE || p[2] == 0xBF)) {
			p += 2;
			continue;
		}
		(*buf)[o++] = (char)*p;
	}
	(*buf)[o] = '\0';
	return *buf;
}

static void tmx_date(char *out, size_t n, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tmv;

	gmtime_r(&tt, &tmv);
	strftime(out, n, "%Y%m%dT%H%M%SZ", &tmv);
}

struct srclang_seen {
	const char *q;
	char *out;
	int n;
};

static int srclang_each(void *arg, const char *l)
{
	struct srclang_seen *a = arg;

	if (td_lang_matches(l, a->q) && a->n++ == 0)
		snprintf(a->out, TD_LANG_MAX, "%s", l);
	return TD_OK;
}

/* The header's srclang: the one source language of the selected units, else "*all*". */
static int header_srclang(char *out, td_tm *tm, const td_export_opts *o)
{
	char q[TD_LANG_MAX] = "";
	struct srclang_seen a = { q, out, 0 };
	int rc;

	if (o->src_lang && (rc = td_lang_normalize(q, o->src_lang)) < 0)
		return rc;
	strcpy(out, "*all*");
	if ((rc = tm->ops->src_langs(tm, srclang_each, &a)) < 0)
		return rc;
	if (a.n != 1)
		strcpy(out, a.n ? "*all*" : (q[0] ? q : "*all*"));
	return TD_OK;
}

#define W(call) do { if ((call) < 0) goto write_error; } while (0)

static int write_unit(xmlTextWriterPtr w, const td_tm_unit *u, int tu_srclang, char **buf, size_t *cap)
{
	char date[32];
	const char *s;
	size_t i;

	tmx_date(date, sizeof(date), u->created);
	W(xmlTextWriterStartElement(w, BAD_CAST "tu"));
	W(xmlTextWriterWriteAttribute(w, BAD_CAST "creationdate", BAD_CAST date));
	if (tu_srclang)
		W(xmlTextWriterWriteAttribute(w, BAD_CAST "srclang", BAD_CAST u->src_lang));
	for (i = 0; i < u->norigins; i++) {
		const td_tm_origin *g = &u->origins[i];
		char tmp[64];
		W(xmlTextWriterStartElement(w, BAD_CAST "prop"));
		W(xmlTextWriterWriteAttribute(w, BAD_CAST "type", BAD_CAST "x-tandem-document"));
		s = xml_clean(buf, cap, g->src_name ? g->src_name : "");
		if (!s)
			goto write_error;
		W(xmlTextWriterWriteString(w, BAD_CAST s));
		if (g->tgt_name) {
			W(xmlTextWriterWriteString(w, BAD_CAST " | "));
			s = xml_clean(buf, cap, g->tgt_name);
			if (!s)
				goto write_error;
			W(xmlTextWriterWriteString(w, BAD_CAST s));
		}
		W(xmlTextWriterEndElement(w));
		if (g->score >= 0)
			snprintf(tmp, sizeof(tmp), "%s %lld score %.3f", g->kind, (long long)g->position, g->score);
		else
			snprintf(tmp, sizeof(tmp), "%s %lld", g->kind, (long long)g->position);
		W(xmlTextWriterStartElement(w, BAD_CAST "prop"));
		W(xmlTextWriterWriteAttribute(w, BAD_CAST "type", BAD_CAST "x-tandem-position"));
		W(xmlTextWriterWriteString(w, BAD_CAST tmp));
		W(xmlTextWriterEndElement(w));
	}
	for (i = 0; i < 2; i++) {
		W(xmlTextWriterStartElement(w, BAD_CAST "tuv"));
		W(xmlTextWriterWriteAttribute(w, BAD_CAST "xml:lang", BAD_CAST(i ? u->tgt_lang : u->src_lang)));
		s = xml_clean(buf, cap, i ? u->target : u->source);
		if (!s)
			goto write_error;
		W(xmlTextWriterWriteElement(w, BAD_CAST "seg", BAD_CAST s));
		W(xmlTextWriterEndElement(w));
	}
	W(xmlTextWriterEndElement(w));
	return 0;
write_error:
	return -1;
}

int td__export_tmx(int64_t *count, td_tm *tm, FILE *f, const td_export_opts *o)
{
	xmlOutputBufferPtr out = NULL;
	xmlTextWriterPtr w = NULL;
	td_tm_iter *it = NULL;
	const td_tm_unit *u;
	char srclang[TD_LANG_MAX], date[32];
	char *buf = NULL;
	size_t cap = 0;
	int rc;

	rc = header_srclang(srclang, tm, o);
	if (rc < 0)
		return rc;
	rc = td_tm_iter_new(&it, tm, o->src_lang, o->tgt_lang);
	if (rc < 0)
		return rc;
	out = xmlOutputBufferCreateFile(f, NULL);
	w = out ? xmlNewTextWriter(out) : NULL;
	if (!w) {
		if (out)
			xmlOutputBufferClose(out);
		rc = td_error_set(TD_ENOMEM, "export: cannot create an XML writer");
		goto cleanup;
	}
	tmx_date(date, sizeof(date), (int64_t)time(NULL));
	W(xmlTextWriterSetIndent(w, 1));
	W(xmlTextWriterSetIndentString(w, BAD_CAST "  "));
	W(xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL));
	W(xmlTextWriterStartElement(w, BAD_CAST "tmx"));
	W(xmlTextWriterWriteAttribute(w, BAD_CAST "version", BAD_CAST "1.4"));
	W(xmlTextWriterStartElement(w, BAD_CAST "header"));
	W(xmlTextWriterWriteAttribute(w, BAD_CAST "creationtool", BAD_CAST "tandem"));
	W(xmlTextWriterWriteAttribute(w, BAD_CAST "creationtoolversion", BAD_CAST TD_VERSION));
	W(xmlTextWriterWriteAttribute(w, BAD_CAST "segtype", BAD_CAST "sentence"));
	W(xmlTextWriterWriteAttribute(w, BAD_CAST "o-tmf", BAD_CAST "tandem"));
	W(xmlTextWriterWriteAttribute(w, BAD_CAST "adminlang", BAD_CAST "en"));
	W(xmlTextWriterWriteAttribute(w, BAD_CAST "srclang", BAD_CAST srclang));
	W(xmlTextWriterWriteAttribute(w, BAD_CAST "datatype", BAD_CAST "plaintext"));
	W(xmlTextWriterWriteAttribute(w, BAD_CAST "creationdate", BAD_CAST date));
	W(xmlTextWriterEndElement(w));
	W(xmlTextWriterStartElement(w, BAD_CAST "body"));
	while ((rc = td_tm_iter_next(&u, it)) > 0) {
		W(write_unit(w, u, !strcmp(srclang, "*all*"), &buf, &cap));
		(*count)++;
	}
	if (rc < 0)
		goto cleanup;
	W(xmlTextWriterEndDocument(w));
	W(xmlTextWriterFlush(w));
	if (fflush(f) != 0 || ferror(f))
		goto write_error;
	rc = TD_OK;
	goto cleanup;
write_error:
	rc = td_error_set(TD_EIO, "export: write error%s%s", errno ? ": " : "", errno ? strerror(errno) : "");
cleanup:
	xmlFreeTextWriter(w);
	td_tm_iter_free(it);
	free(buf);
	return rc;
}
