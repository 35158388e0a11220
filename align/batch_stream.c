/*
 * Reading document pairs from a stream, as corpus pipelines (bitextor,
 * ParaCrawl's scripts) pass them between their steps: one pair per line,
 * tab-separated fields, the documents' texts base64-encoded (nettle's
 * decoder). The columns are found by position (the default: src_url trg_url
 * src_text trg_text, no header) or by name in a header line.
 *
 * The reader only splits lines; the base64 text is decoded by the worker
 * that aligns the pair (batch.c), so the thread that reads the stream stays
 * light.
 */
#include "batch_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nettle/base64.h>

/* The roles of the four columns, in the order of the default columns. */
static const char *const default_columns[TD__STREAM_FIELDS] = {
	"src_url", "trg_url", "src_text", "trg_text"
};

struct td_batch_stream {
	FILE *in;
	char *name;                         /* for messages */
	char *names[TD__STREAM_FIELDS];     /* header names of the roles; NULL: positions */
	size_t col[TD__STREAM_FIELDS];      /* the column of each role */
	size_t need;                        /* fields a line must have */
	size_t lineno;
	int header_read;
	char *line;
	size_t cap;
};

void td_batch_stream_free(td_batch_stream *s)
{
	int i;

	if (!s)
		return;
	for (i = 0; i < TD__STREAM_FIELDS; i++)
		free(s->names[i]);
	free(s->name);
	free(s->line);
	free(s);
}

/* "a,b,c,d" into four names; TD_EINVAL unless there are four non-empty ones. */
static int parse_columns(td_batch_stream *s, const char *columns)
{
	const char *p = columns;
	int i;

	for (i = 0; i < TD__STREAM_FIELDS; i++) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if (!len || (i < TD__STREAM_FIELDS - 1 && !end) || (i == TD__STREAM_FIELDS - 1 && end))
			return td_error_set(TD_EINVAL, "columns '%s': want four names separated by commas "
				"(%s,%s,%s,%s)", columns, default_columns[0], default_columns[1],
				default_columns[2], default_columns[3]);
		if (!(s->names[i] = strndup(p, len)))
			return td_error_set(TD_ENOMEM, "stream: out of memory");
		p = end ? end + 1 : p + len;
	}
	return 0;
}

int td_batch_stream_new(td_batch_stream **out, FILE *in, const char *name, const char *columns)
{
	td_batch_stream *s = calloc(1, sizeof(*s));
	int rc = 0, i;

	*out = NULL;
	if (!s || !(s->name = strdup(name ? name : "stdin"))) {
		free(s);
		return td_error_set(TD_ENOMEM, "stream: out of memory");
	}
	s->in = in;
	for (i = 0; i < TD__STREAM_FIELDS; i++)
		s->col[i] = (size_t)i;
	s->need = TD__STREAM_FIELDS;
	if (columns && (rc = parse_columns(s, columns)) < 0) {
		td_batch_stream_free(s);
		return rc;
	}
	s->header_read = !columns;
	*out = s;
	return 0;
}

/* Find the roles' columns in the header line (the first column of a name wins). */
static int read_header(td_batch_stream *s, const char *line)
{
	int found[TD__STREAM_FIELDS] = { 0 }, i;
	const char *p = line;
	size_t k = 0;

	for (;;) {
		const char *tab = strchr(p, '\t');
		size_t l = tab ? (size_t)(tab - p) : strlen(p);

		for (i = 0; i < TD__STREAM_FIELDS; i++)
			if (!found[i] && l == strlen(s->names[i]) && memcmp(p, s->names[i], l) == 0) {
				s->col[i] = k;
				found[i] = 1;
			}
		if (!tab)
			break;
		p = tab + 1;
		k++;
	}
	s->need = 0;
	for (i = 0; i < TD__STREAM_FIELDS; i++) {
		if (!found[i])
			return td_error_set(TD_EFORMAT, "%s: line %zu: the header has no column '%s'",
				s->name, s->lineno, s->names[i]);
		if (s->col[i] + 1 > s->need)
			s->need = s->col[i] + 1;
	}
	return 0;
}

int td__stream_next(td_batch_stream *s, td__stream_item *it)
{
	size_t n;
	ssize_t got;
	int i;

	memset(it, 0, sizeof(*it));
	for (;;) {
		errno = 0;
		got = getline(&s->line, &s->cap, s->in);
		if (got < 0) {
			if (ferror(s->in))
				return td_error_set(TD_EIO, "%s: %s", s->name, strerror(errno ? errno : EIO));
			if (!s->header_read)
				return td_error_set(TD_EFORMAT, "%s: no header line (--columns wants one)", s->name);
			return 0;
		}
		s->lineno++;
		while (got > 0 && (s->line[got - 1] == '\n' || s->line[got - 1] == '\r'))
			s->line[--got] = '\0';
		if (!s->header_read) {
			int rc;

			if ((size_t)got != strlen(s->line))
				return td_error_set(TD_EFORMAT, "%s: line %zu: NUL byte in the header",
					s->name, s->lineno);
			rc = read_header(s, s->line);
			if (rc < 0)
				return rc;
			s->header_read = 1;
			continue;
		}
		if (got == 0)
			continue;  /* an empty line carries no pair */
		break;
	}
	it->lineno = s->lineno;
	it->line = s->line;
	s->line = NULL;
	s->cap = 0;
	if ((size_t)got != strlen(it->line)) {
		it->error = "NUL byte in the line";
		return 1;
	}
	/* Walk the tabs: the roles' fields, NUL-terminated in place. */
	{
		char *p = it->line;

		n = 1;
		for (;;) {
			char *tab = strchr(p, '\t');
			size_t l = tab ? (size_t)(tab - p) : strlen(p);

			for (i = 0; i < TD__STREAM_FIELDS; i++)
				if (s->col[i] == n - 1) {
					it->field[i] = p;
					it->len[i] = l;
				}
			if (!tab)
				break;
			*tab = '\0';
			p = tab + 1;
			n++;
		}
	}
	if (n < s->need) {
		snprintf(it->msg, sizeof(it->msg), "%zu field%s, want at least %zu (%s)", n,
			n == 1 ? "" : "s", s->need, s->names[0] ? "the header's columns" :
			"src_url, trg_url, src_text, trg_text");
		it->error = it->msg;
		return 1;
	}
	for (i = 0; i < TD__STREAM_FIELDS; i++)
		if (!it->field[i] || (i < 2 && it->len[i] == 0)) {
			snprintf(it->msg, sizeof(it->msg), "empty %s", s->names[i] ? s->names[i] :
				default_columns[i]);
			it->error = it->msg;
			return 1;
		}
	return 1;
}

const char *td__stream_name(const td_batch_stream *s)
{
	return s->name;
}

int td__base64_decode(char **out, size_t *out_len, const char *b64, size_t len)
{
	struct base64_decode_ctx ctx;
	size_t n = BASE64_DECODE_LENGTH(len);
	char *buf = malloc(n + 1);

	*out = NULL;
	*out_len = 0;
	if (!buf)
		return td_error_set(TD_ENOMEM, "stream: out of memory");
	base64_decode_init(&ctx);
	if (!base64_decode_update(&ctx, &n, (uint8_t *)buf, len, b64) || !base64_decode_final(&ctx)) {
		free(buf);
		return td_error_set(TD_EFORMAT, "not base64");
	}
	buf[n] = '\0';
	*out = buf;
	*out_len = n;
	return 0;
}
