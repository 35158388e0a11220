/*
 * Dictionary readers: Ding ("de :: en" lines), FreeDict (dictd index plus
 * dictzip'ed text) and TSV. Each turns entries into phrase pairs for the
 * builder in lexicon.c; formats are described in include/tandem/lexicon.h.
 */
#include "lexicon_int.h"
#include "base/buf.h"
#include "base/file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* Phrases of one side of an entry: NUL-terminated strings in buf, grouped. */
typedef struct {
	char *buf;
	size_t len, cap;
	size_t start[512];   /* phrase starts in buf */
	unsigned group[512]; /* the '|' part a phrase belongs to (Ding) */
	size_t n;
} phrases;

static int ph_reserve(phrases *p, size_t extra)
{
	if (td_grow((void **)&p->buf, &p->cap, p->len + extra, 1) < 0)
		return td_error_set(TD_ENOMEM, "lexicon: out of memory");
	return 0;
}

/* Close the phrase being written (if not empty after trimming). */
static void ph_end(phrases *p, size_t *cur, unsigned group)
{
	size_t s = *cur, e = p->len;
	while (s < e && (p->buf[s] == ' ' || p->buf[s] == '\t'))
		s++;
	while (e > s && (p->buf[e - 1] == ' ' || p->buf[e - 1] == '\t'))
		e--;
	if (e > s && p->n < sizeof(p->start) / sizeof(p->start[0])) {
		memmove(p->buf + *cur, p->buf + s, e - s);
		p->buf[*cur + (e - s)] = '\0';
		p->start[p->n] = *cur;
		p->group[p->n] = group;
		p->n++;
		p->len = *cur + (e - s) + 1;
	} else {
		p->len = *cur;
	}
	*cur = p->len;
}

/*
 * Split s[0, n) into phrases: `seps` end a phrase, `groupsep` ends a phrase
 * and a group; text inside {} [] () <> (nested) is an annotation and dropped,
 * as is a /pronunciation/ when `slashes` is set.
 */
static int split_side(phrases *p, const char *s, size_t n, const char *seps, char groupsep, bool slashes)
{
	size_t cur;
	unsigned group = 0;
	int depth = 0;
	int rc;

	p->len = p->n = 0;
	if ((rc = ph_reserve(p, n + 1)) < 0)
		return rc;
	cur = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '{' || c == '[' || c == '(' || c == '<') {
			depth++;
			continue;
		}
		if (c == '}' || c == ']' || c == ')' || c == '>') {
			if (depth > 0)
				depth--;
			continue;
		}
		if (depth > 0)
			continue;
		if (slashes && c == '/' && (i == 0 || s[i - 1] == ' ')) {
			const char *close = memchr(s + i + 1, '/', n - i - 1);
			if (close) {
				i = (size_t)(close - s);
				continue;
			}
		}
		if (groupsep && c == groupsep) {
			ph_end(p, &cur, group);
			group++;
			continue;
		}
		if (strchr(seps, c)) {
			ph_end(p, &cur, group);
			continue;
		}
		p->buf[p->len++] = c;
	}
	ph_end(p, &cur, group);
	return 0;
}

/* Content stems of each phrase: ids[i*MAX ..], counts k[i]. */
typedef struct {
	uint32_t ids[512][TD_LEXICON_MAX_WORDS];
	int k[512];
} phrase_ids;

static int side_ids(td_lexbuild *b, bool left, const phrases *p, phrase_ids *out)
{
	for (size_t i = 0; i < p->n; i++) {
		const char *s = p->buf + p->start[i];
		int k = td_lexbuild_phrase(b, left, s, strlen(s), out->ids[i]);
		if (k < 0)
			return k;
		out->k[i] = k;
	}
	return 0;
}

/* Pair phrases of the two sides whose groups match (all x all when both have one group). */
static int pair_sides(td_lexbuild *b, const phrases *l, const phrase_ids *li, const phrases *r,
		      const phrase_ids *ri)
{
	for (size_t i = 0; i < l->n; i++) {
		if (!li->k[i])
			continue;
		for (size_t j = 0; j < r->n; j++) {
			if (!ri->k[j] || l->group[i] != r->group[j])
				continue;
			int rc = td_lexbuild_pairs(b, li->ids[i], li->k[i], ri->ids[j], ri->k[j]);
			if (rc < 0)
				return rc;
		}
	}
	return 0;
}

typedef struct {
	phrases l, r;
	phrase_ids li, ri;
} entry_buf;

static void entry_buf_free(entry_buf *e)
{
	if (!e)
		return;
	free(e->l.buf);
	free(e->r.buf);
	free(e);
}

/* ---------- Ding ---------- */

int td_lexread_ding(td_lexbuild *b, const char *path)
{
	FILE *f = fopen(path, "rb");
	entry_buf *e = NULL;
	char *line = NULL;
	size_t cap = 0, lineno = 0;
	ssize_t n;
	int rc = 0;

	if (!f)
		return td_error_set(TD_EIO, "%s: cannot open: %s", path, strerror(errno));
	e = calloc(1, sizeof(*e));
	if (!e) {
		rc = td_error_set(TD_ENOMEM, "lexicon: out of memory");
		goto cleanup;
	}
	while ((n = getline(&line, &cap, f)) >= 0) {
		lineno++;
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (n == 0 || line[0] == '#')
			continue;
		char *sep = strstr(line, " :: ");
		size_t sl = 4;
		if (!sep) {
			sep = strstr(line, "::");
			sl = 2;
		}
		if (!sep) {
			rc = td_error_set(TD_EFORMAT, "%s: line %zu: no \"::\" between the two languages",
					  path, lineno);
			goto cleanup;
		}
		const char *right = sep + sl;
		if ((rc = split_side(&e->l, line, (size_t)(sep - line), ";", '|', false)) < 0 ||
		    (rc = split_side(&e->r, right, (size_t)(line + n - right), ";", '|', false)) < 0 ||
		    (rc = side_ids(b, true, &e->l, &e->li)) < 0 ||
		    (rc = side_ids(b, false, &e->r, &e->ri)) < 0 ||
		    (rc = pair_sides(b, &e->l, &e->li, &e->r, &e->ri)) < 0)
			goto cleanup;
	}
	if (ferror(f))
		rc = td_error_set(TD_EIO, "%s: line %zu: read error: %s", path, lineno + 1, strerror(errno));
cleanup:
	free(line);
	entry_buf_free(e);
	fclose(f);
	return rc;
}

/* ---------- TSV ---------- */

int td_lexread_tsv(td_lexbuild *b, const char *path)
{
	FILE *f = fopen(path, "rb");
	char *line = NULL;
	size_t cap = 0, lineno = 0;
	ssize_t n;
	int rc = 0;
	uint32_t l[TD_LEXICON_MAX_WORDS], r[TD_LEXICON_MAX_WORDS];

	if (!f)
		return td_error_set(TD_EIO, "%s: cannot open: %s", path, strerror(errno));
	while ((n = getline(&line, &cap, f)) >= 0) {
		lineno++;
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (n == 0 || line[0] == '#')
			continue;
		char *tab = memchr(line, '\t', (size_t)n);
		if (!tab) {
			rc = td_error_set(TD_EFORMAT, "%s: line %zu: no tab between source and target",
					  path, lineno);
			goto cleanup;
		}
		char *tgt = tab + 1, *end = memchr(tgt, '\t', (size_t)(line + n - tgt));
		if (!end)
			end = line + n;
		int nl = td_lexbuild_phrase(b, true, line, (size_t)(tab - line), l);
		if (nl < 0) {
			rc = nl;
			goto cleanup;
		}
		int nr = td_lexbuild_phrase(b, false, tgt, (size_t)(end - tgt), r);
		if (nr < 0) {
			rc = nr;
			goto cleanup;
		}
		if ((rc = td_lexbuild_pairs(b, l, nl, r, nr)) < 0)
			goto cleanup;
	}
	if (ferror(f))
		rc = td_error_set(TD_EIO, "%s: line %zu: read error: %s", path, lineno + 1, strerror(errno));
cleanup:
	free(line);
	fclose(f);
	return rc;
}

/* ---------- FreeDict ---------- */

typedef struct {
	uint64_t off, len;
	size_t head;      /* headword offset in the index text */
	size_t headlen;
} fd_entry;

static int b64_value(uint64_t *out, const char *s, size_t n)
{
	static const char al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	uint64_t v = 0;
	if (n == 0 || n > 10)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const char *p = s[i] ? strchr(al, s[i]) : NULL;
		if (!p)
			return -1;
		v = v * 64 + (uint64_t)(p - al);
	}
	*out = v;
	return 0;
}

static int cmp_entry(const void *a, const void *b)
{
	const fd_entry *x = a, *y = b;
	return (x->off > y->off) - (x->off < y->off);
}

/* Index lines "headword TAB base64-offset TAB base64-length". */
static int parse_index(fd_entry **out, size_t *nout, char *text, size_t len, const char *path)
{
	fd_entry *v = NULL;
	size_t n = 0, cap = 0, lineno = 0;
	char *p = text, *end = text + len;

	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		char *le = nl ? nl : end;
		lineno++;
		if (le > p && le[-1] == '\r')
			le[-1] = '\0', le--;
		if (le == p) {
			p = le + 1;
			continue;
		}
		char *t1 = memchr(p, '\t', (size_t)(le - p));
		char *t2 = t1 ? memchr(t1 + 1, '\t', (size_t)(le - t1 - 1)) : NULL;
		char *t3 = t2 ? memchr(t2 + 1, '\t', (size_t)(le - t2 - 1)) : NULL;
		uint64_t off, ln;
		if (!t2 || b64_value(&off, t1 + 1, (size_t)(t2 - t1 - 1)) < 0 ||
		    b64_value(&ln, t2 + 1, (size_t)((t3 ? t3 : le) - t2 - 1)) < 0) {
			free(v);
			return td_error_set(TD_EFORMAT, "%s: line %zu: not \"headword<TAB>offset<TAB>length\" "
					    "with base64 numbers", path, lineno);
		}
		/* dictd's own entries ("00-database-info", "00databaseurl"). */
		if (strncmp(p, "00-database", 11) && strncmp(p, "00database", 10) && t1 > p) {
			if (td_grow((void **)&v, &cap, n + 1, sizeof(*v)) < 0) {
				free(v);
				return td_error_set(TD_ENOMEM, "%s: out of memory", path);
			}
			v[n].off = off;
			v[n].len = ln;
			v[n].head = (size_t)(p - text);
			v[n].headlen = (size_t)(t1 - p);
			n++;
		}
		p = le + 1;
	}
	*out = v;
	*nout = n;
	return 0;
}

/*
 * One entry's text: the headword line, then sense lines. Translations are
 * the first line after the headword line unless it is indented, and every
 * "N. ..." line; other lines are definitions, examples, "Synonyms:", "see:".
 */
static int freedict_entry(td_lexbuild *b, entry_buf *e, const char *head, size_t headlen,
			  const char *text, size_t len)
{
	const char *p = text, *end;
	bool first = true;
	int rc;

	if (len == 0)  /* an index entry of length 0: no text (and text may be NULL) */
		return 0;
	end = text + len;
	if ((rc = split_side(&e->l, head, headlen, ";", 0, true)) < 0 || (rc = side_ids(b, true, &e->l, &e->li)) < 0)
		return rc;
	/* Skip the headword line. */
	const char *nl = memchr(p, '\n', len);
	p = nl ? nl + 1 : end;
	while (p < end) {
		const char *le = memchr(p, '\n', (size_t)(end - p));
		if (!le)
			le = end;
		const char *s = p;
		size_t sp = 0;
		while (s < le && *s == ' ')
			s++, sp++;
		bool numbered = false;
		if (sp <= 2 && s < le && *s >= '0' && *s <= '9') {
			const char *d = s;
			while (d < le && *d >= '0' && *d <= '9')
				d++;
			if (d + 1 < le && *d == '.' && d[1] == ' ') {
				numbered = true;
				s = d + 2;
			}
		}
		bool take = numbered || (first && s < le && sp <= 1 && *s != '"');
		if (s < le)
			first = false;
		if (take) {
			if ((rc = split_side(&e->r, s, (size_t)(le - s), ",;", 0, true)) < 0 ||
			    (rc = side_ids(b, false, &e->r, &e->ri)) < 0 ||
			    (rc = pair_sides(b, &e->l, &e->li, &e->r, &e->ri)) < 0)
				return rc;
		}
		p = le + 1;
	}
	return 0;
}

int td_lexread_freedict(td_lexbuild *b, const char *index_path, const char *dict_path)
{
	char *index = NULL, *buf = NULL;
	size_t ilen = 0, n = 0, bufcap = 0, buflen = 0;
	uint64_t bufoff = 0;  /* uncompressed offset of buf[0] */
	fd_entry *v = NULL;
	entry_buf *e = NULL;
	gzFile gz = NULL;
	int rc;

	if ((rc = td_read_file(&index, &ilen, index_path, NULL, 0)) < 0)
		return rc;
	if ((rc = parse_index(&v, &n, index, ilen, index_path)) < 0)
		goto cleanup;
	/* Entries in file order, so the dictionary text streams through once. */
	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_entry);
	gz = gzopen(dict_path, "rb");
	if (!gz) {
		rc = td_error_set(TD_EIO, "%s: cannot open: %s", dict_path, errno ? strerror(errno) : "out of memory");
		goto cleanup;
	}
	gzbuffer(gz, 1 << 17);
	e = calloc(1, sizeof(*e));
	if (!e) {
		rc = td_error_set(TD_ENOMEM, "lexicon: out of memory");
		goto cleanup;
	}
	for (size_t i = 0; i < n; i++) {
		if (v[i].len > (1u << 24)) {
			rc = td_error_set(TD_EFORMAT, "%s: entry \"%.*s\" claims %llu bytes", index_path,
					  (int)v[i].headlen, index + v[i].head, (unsigned long long)v[i].len);
			goto cleanup;
		}
		if (v[i].off < bufoff) {
			/* Entries overlapping the previous one: rare; skip rather than rewind. */
			continue;
		}
		/* Drop what lies before this entry, then read until it is whole. */
		uint64_t drop = v[i].off - bufoff;
		if (drop >= buflen) {
			/* Skip forward in the stream. */
			if (drop > buflen && gzseek(gz, (z_off_t)v[i].off, SEEK_SET) < 0) {
				rc = td_error_set(TD_EFORMAT, "%s: offset %llu of \"%.*s\" is past the end",
						  dict_path, (unsigned long long)v[i].off,
						  (int)v[i].headlen, index + v[i].head);
				goto cleanup;
			}
			buflen = 0;
		} else {
			memmove(buf, buf + drop, buflen - drop);
			buflen -= drop;
		}
		bufoff = v[i].off;
		while (buflen < v[i].len) {
			if (td_grow((void **)&buf, &bufcap, buflen + 65536, 1) < 0) {
				rc = td_error_set(TD_ENOMEM, "lexicon: out of memory");
				goto cleanup;
			}
			int r = gzread(gz, buf + buflen, (unsigned)(bufcap - buflen));
			if (r < 0) {
				int zerr;
				const char *m = gzerror(gz, &zerr);
				rc = td_error_set(TD_EFORMAT, "%s: byte %llu: %s", dict_path,
						  (unsigned long long)(bufoff + buflen), m);
				goto cleanup;
			}
			if (r == 0) {
				rc = td_error_set(TD_EFORMAT, "%s: entry \"%.*s\" at %llu+%llu is past the end "
						  "of the text (%llu bytes)", index_path, (int)v[i].headlen,
						  index + v[i].head, (unsigned long long)v[i].off,
						  (unsigned long long)v[i].len,
						  (unsigned long long)(bufoff + buflen));
				goto cleanup;
			}
			buflen += (size_t)r;
		}
		rc = freedict_entry(b, e, index + v[i].head, v[i].headlen, buf, (size_t)v[i].len);
		if (rc < 0)
			goto cleanup;
	}
cleanup:
	if (gz)
		gzclose(gz);
	free(buf);
	free(index);
	free(v);
	entry_buf_free(e);
	return rc;
}
