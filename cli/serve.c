/*
 * tandem serve: HTTP on libmicrohttpd (model in serve.h).
 *
 * A request's life: libmicrohttpd parses it; the URI log callback keeps the
 * request target exactly as received (the path's segments are split before
 * percent-decoding, so a "%2F" inside a unit's text stays text) and opens
 * the request's record; the access handler collects a body up to its limit
 * and answers; the completion callback writes the access-log line.
 *
 * Slow clients: libmicrohttpd's timeout counts idle time, and a client that
 * sends one byte a second is never idle. A watchdog thread therefore gives
 * every connection a deadline for sending a whole request (--timeout) and
 * answers 408 and shuts the socket when it passes.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unicode/utf8.h>
#include <unistd.h>

#include "base/json.h"
#include "base/buf.h"
#include "cli.h"
#include "mhd.h"
#include "render.h"
#include "serve.h"
#include "tandem/concord.h"
#include "tandem/lang.h"
#include "tandem/lexicon.h"
#include "tandem/lookup.h"
#include "tandem/terms.h"
#include "tandem/tm.h"
#include "tandem/tmx.h"

/* One connection, for the watchdog. */
typedef struct conn {
	struct conn *prev, *next;
	int fd;
	double deadline;            /* monotonic seconds; 0 while the server has the turn */
} conn;

/* One request (libmicrohttpd's request context). */
typedef struct {
	char *uri;                  /* the request target as received */
	char method[16], version[16];
	char *body;
	size_t nbody, cap;
	int too_big;                /* the body passed its limit: the rest is dropped, 413 */
	int handled;                /* the access handler has seen the headers */
	int status;
	size_t bytes;               /* body bytes of the answer */
	double start;
	conn *cn;
} req;

/* What one thread needs to answer: the TM's engines (one per thread, lookup.h). */
typedef struct {
	td_lookup *lk;
	td_terms *tt;               /* opened on first use */
} worker;

typedef struct {
	char src[TD_LANG_MAX], tgt[TD_LANG_MAX];
	td_lexicon *lx;             /* NULL: no dictionary for the pair */
} lexicon_slot;

/* A request waiting for a worker: served in the order they came (worker_get). */
typedef struct waiter {
	struct waiter *next;
	pthread_cond_t cv;
	worker *w;                  /* handed over by worker_put */
} waiter;

typedef struct {
	const serve_opts *o;
	worker *workers, **idle;
	size_t nworkers, nidle;
	waiter *wait_head, *wait_tail;
	pthread_mutex_t mu;         /* idle workers, waiters, language cache, in-flight count */
	pthread_mutex_t lex_mu;     /* lexicons (loading one takes seconds) */
	lexicon_slot lex[16];
	size_t nlex;
	char *langs;                /* cached answer of /languages/ */
	double langs_time;
	int inflight;               /* requests between their first line and their answer */
	pthread_mutex_t write_mu;   /* one writer at a time (SQLite takes turns anyway) */
	pthread_mutex_t conn_mu;    /* conns, and the log */
	conn conns;                 /* circular list head */
	int stop;
} server;

static double now_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- answers ---- */

/* Answer with buf[0, len) (malloc'd; taken over). */
static enum MHD_Result reply(struct MHD_Connection *c, req *r, unsigned status, const char *ctype,
	char *buf, size_t len)
{
	struct MHD_Response *resp = MHD_create_response_from_buffer(len, buf, MHD_RESPMEM_MUST_FREE);
	enum MHD_Result ok;

	if (!resp) {
		free(buf);
		return MHD_NO;
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	if (strncmp(ctype, "text/html", 9) == 0)
		MHD_add_response_header(resp, "Content-Security-Policy",
			"default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
			"connect-src 'self'; img-src data:");
	else
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ACCESS_CONTROL_ALLOW_ORIGIN, "*");
	if (r) {
		r->status = status;
		r->bytes = len;
	}
	ok = MHD_queue_response(c, status, resp);
	MHD_destroy_response(resp);
	return ok;
}

/* A memory stream for an answer's body. */
typedef struct {
	FILE *f;
	char *buf;
	size_t len;
} membuf;

static int mb_open(membuf *m)
{
	m->buf = NULL;
	m->len = 0;
	m->f = open_memstream(&m->buf, &m->len);
	return m->f ? 0 : -1;
}

/* Close the stream; the bytes stay in m->buf (NULL when writing failed). */
static int mb_close(membuf *m)
{
	if (fclose(m->f) != 0) {
		free(m->buf);
		m->buf = NULL;
		return -1;
	}
	return 0;
}

static enum MHD_Result reply_error(struct MHD_Connection *c, req *r, unsigned status, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static enum MHD_Result reply_error(struct MHD_Connection *c, req *r, unsigned status, const char *fmt, ...)
{
	char msg[1024];
	membuf m;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (mb_open(&m) < 0)
		return MHD_NO;
	fputs("{\"error\":", m.f);
	td_json_cstring(m.f, msg);
	fputs("}\n", m.f);
	if (mb_close(&m) < 0)
		return MHD_NO;
	return reply(c, r, status, "application/json; charset=utf-8", m.buf, m.len);
}

/* The HTTP status for a library error code. */
static unsigned status_of(int rc)
{
	switch (rc) {
	case TD_EINVAL: case TD_EENCODING: case TD_EFORMAT: return MHD_HTTP_BAD_REQUEST;
	case TD_ENOTFOUND: return MHD_HTTP_NOT_FOUND;
	case TD_ELIMIT: return MHD_HTTP_URI_TOO_LONG;
	default: return MHD_HTTP_INTERNAL_SERVER_ERROR;
	}
}

static enum MHD_Result reply_lib_error(struct MHD_Connection *c, req *r, int rc)
{
	return reply_error(c, r, status_of(rc), "%s", td_error_last());
}

/*
 * Send a JSON body built in m, or as JSONP when the request names a callback
 * (jsoncallback= or callback=, as amaGama and tmserver accept): CALLBACK(json);
 */
static enum MHD_Result reply_json(struct MHD_Connection *c, req *r, membuf *m, int jsonp)
{
	const char *cb = NULL;
	size_t i;

	if (mb_close(m) < 0)
		return reply_error(c, r, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
	if (jsonp && !(cb = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "jsoncallback")))
		cb = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "callback");
	if (cb && *cb) {
		char *out;
		size_t n = strlen(cb);
		/* A JavaScript name, nothing a page could be made to run. */
		for (i = 0; i < n; i++)
			if (!((cb[i] >= 'a' && cb[i] <= 'z') || (cb[i] >= 'A' && cb[i] <= 'Z') ||
			      (cb[i] >= '0' && cb[i] <= '9') || cb[i] == '_' || cb[i] == '$' || cb[i] == '.'))
				break;
		if (i < n || n > 100) {
			free(m->buf);
			return reply_error(c, r, MHD_HTTP_BAD_REQUEST,
				"callback: letters, digits, '_', '$' and '.' only, at most 100");
		}
		out = malloc(n + m->len + 4);
		if (!out) {
			free(m->buf);
			return reply_error(c, r, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
		}
		while (m->len && m->buf[m->len - 1] == '\n')
			m->len--;
		memcpy(out, cb, n);
		out[n] = '(';
		memcpy(out + n + 1, m->buf, m->len);
		memcpy(out + n + 1 + m->len, ");\n", 3);
		free(m->buf);
		return reply(c, r, MHD_HTTP_OK, "application/javascript; charset=utf-8", out, n + m->len + 4);
	}
	return reply(c, r, MHD_HTTP_OK, "application/json; charset=utf-8", m->buf, m->len);
}

/* ---- workers ---- */

/*
 * Borrow a worker: an idle one, or the next one given back, first come first
 * served. Every connection has its own thread and the requests queue here,
 * so a slow lookup delays the requests behind it in one queue, not those
 * that happen to share its connection's thread.
 */
static worker *worker_get(server *s)
{
	worker *w;

	pthread_mutex_lock(&s->mu);
	if (s->nidle > 0 && !s->wait_head) {
		w = s->idle[--s->nidle];
	} else {
		waiter me = { NULL, PTHREAD_COND_INITIALIZER, NULL };
		if (s->wait_tail)
			s->wait_tail->next = &me;
		else
			s->wait_head = &me;
		s->wait_tail = &me;
		while (!me.w)
			pthread_cond_wait(&me.cv, &s->mu);
		pthread_cond_destroy(&me.cv);
		w = me.w;
	}
	pthread_mutex_unlock(&s->mu);
	return w;
}

/* Give a worker back: straight to the longest waiting request, if any. */
static void worker_put(server *s, worker *w)
{
	waiter *h;

	pthread_mutex_lock(&s->mu);
	if ((h = s->wait_head)) {
		s->wait_head = h->next;
		if (!s->wait_head)
			s->wait_tail = NULL;
		h->w = w;
		pthread_cond_signal(&h->cv);
	} else {
		s->idle[s->nidle++] = w;
	}
	pthread_mutex_unlock(&s->mu);
}

/* The dictionary for a pair, loaded once (NULL when Debian has none for it). */
static int lexicon_for(const td_lexicon **out, server *s, const char *src, const char *tgt)
{
	size_t i;
	int rc = 0;

	*out = NULL;
	pthread_mutex_lock(&s->lex_mu);
	for (i = 0; i < s->nlex; i++)
		if (strcmp(s->lex[i].src, src) == 0 && strcmp(s->lex[i].tgt, tgt) == 0)
			break;
	if (i == s->nlex && i < sizeof(s->lex) / sizeof(s->lex[0])) {
		td_lexicon *lx = NULL;
		rc = cli_lexicon_load(&lx, NULL, src, tgt, 1);
		if (rc == 0) {
			snprintf(s->lex[i].src, sizeof(s->lex[i].src), "%s", src);
			snprintf(s->lex[i].tgt, sizeof(s->lex[i].tgt), "%s", tgt);
			s->lex[i].lx = lx;
			s->nlex++;
		}
	}
	if (rc == 0 && i < s->nlex)
		*out = s->lex[i].lx;
	pthread_mutex_unlock(&s->lex_mu);
	return rc;
}

/* ---- request parts ---- */

/* Whether s[0, n) is UTF-8 without NUL or other C0 controls but tab, CR and LF. */
static int text_ok(const char *s, size_t n)
{
	int32_t i = 0, len = n > INT32_MAX ? INT32_MAX : (int32_t)n;
	UChar32 ch;

	while (i < len) {
		U8_NEXT(s, i, len, ch);
		if (ch < 0 || (ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r'))
			return 0;
	}
	return 1;
}

/* Every '%' of the raw target followed by two hex digits, and none of them %00. */
static int escapes_ok(const char *uri)
{
	const char *p;

	for (p = strchr(uri, '%'); p; p = strchr(p + 1, '%')) {
		if (!isxdigit((unsigned char)p[1]) || !isxdigit((unsigned char)p[2]))
			return 0;
		if (p[1] == '0' && p[2] == '0')
			return 0;
	}
	return 1;
}

/* A query argument, checked: NULL when absent; *bad set when not UTF-8 text. */
static const char *arg(struct MHD_Connection *c, const char *name, int *bad)
{
	const char *v = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, name);

	if (v && !text_ok(v, strlen(v)))
		*bad = 1;
	return v;
}

/* A language code as clients write it (de, de_DE, de-de, DE) into a BCP 47 tag. */
static int lang_code(char *out, const char *code)
{
	char tmp[TD_LANG_MAX];
	size_t i;

	if (!code || !*code || strlen(code) >= sizeof(tmp))
		return td_error_set(TD_EINVAL, "language code missing or too long");
	for (i = 0; code[i]; i++)
		tmp[i] = code[i] == '_' ? '-' : code[i];
	tmp[i] = '\0';
	return td_lang_normalize(out, tmp);
}

/* A whole number in [lo, hi] from a query argument, or def when absent; -1 when bad. */
static int num_arg(double *out, const char *v, double lo, double hi, double def)
{
	char *end;
	double d;

	if (!v || !*v) {
		*out = def;
		return 0;
	}
	d = strtod(v, &end);
	if (end == v || *end || !(d >= lo && d <= hi))
		return -1;
	*out = d;
	return 0;
}

/* ---- the tmserver / amaGama API ---- */

/* Write tag in the forms clients compare with: as stored, lower case with '_', the bare language. */
static void lang_forms(FILE *f, const char *tag, int *first, char (*seen)[TD_LANG_MAX], size_t *nseen, size_t maxseen)
{
	char forms[3][TD_LANG_MAX];
	size_t i, k, j;

	snprintf(forms[0], TD_LANG_MAX, "%s", tag);
	for (i = 0; tag[i] && i + 1 < TD_LANG_MAX; i++)
		forms[1][i] = tag[i] == '-' ? '_' : (char)((tag[i] >= 'A' && tag[i] <= 'Z') ? tag[i] + 32 : tag[i]);
	forms[1][i] = '\0';
	snprintf(forms[2], TD_LANG_MAX, "%.*s", (int)strcspn(tag, "-"), tag);
	for (k = 0; k < 3; k++) {
		for (j = 0; j < *nseen; j++)
			if (strcmp(seen[j], forms[k]) == 0)
				break;
		if (j < *nseen || *nseen == maxseen)
			continue;
		memcpy(seen[(*nseen)++], forms[k], TD_LANG_MAX);
		fputs(*first ? "" : ",", f);
		td_json_cstring(f, forms[k]);
		*first = 0;
	}
}

/*
 * {"sourceLanguages": [...], "targetLanguages": [...]} of the pairs the TM
 * holds, cached for a second (a pair added meanwhile shows up after it).
 */
static enum MHD_Result tm_languages(struct MHD_Connection *c, req *r, server *s, worker *w)
{
	char *pairs = NULL, *p, (*seen)[TD_LANG_MAX] = NULL;
	membuf m;
	size_t nseen, side;
	int rc, first;

	pthread_mutex_lock(&s->mu);
	if (s->langs && now_mono() - s->langs_time < 1.0 && (m.buf = strdup(s->langs))) {
		pthread_mutex_unlock(&s->mu);
		m.len = strlen(m.buf);
		m.f = NULL;
		goto send;
	}
	pthread_mutex_unlock(&s->mu);
	rc = td_lookup_pairs(&pairs, w->lk);
	if (rc < 0)
		return reply_lib_error(c, r, rc);
	seen = calloc(256, sizeof(*seen));
	if (!seen || mb_open(&m) < 0) {
		free(pairs);
		free(seen);
		return reply_error(c, r, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
	}
	/* td_lookup_pairs: "de -> en, fr -> en" (tags hold neither spaces nor commas). */
	for (side = 0; side < 2; side++) {
		fputs(side ? "],\"targetLanguages\":[" : "{\"sourceLanguages\":[", m.f);
		first = 1;
		nseen = 0;
		for (p = pairs; p && *p;) {
			char a[TD_LANG_MAX], b[TD_LANG_MAX];
			int used = 0;
			if (sscanf(p, "%63s -> %63[^,]%n", a, b, &used) != 2 || used <= 0)
				break;
			lang_forms(m.f, side ? b : a, &first, seen, &nseen, 256);
			p += used;
			p += strspn(p, ", ");
		}
	}
	fputs("]}\n", m.f);
	free(pairs);
	free(seen);
	if (mb_close(&m) < 0)
		return reply_error(c, r, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
	pthread_mutex_lock(&s->mu);
	free(s->langs);
	s->langs = strdup(m.buf);
	s->langs_time = now_mono();
	pthread_mutex_unlock(&s->mu);
send:
	{
		/* reply_json closes the stream: give it one over the cached bytes. */
		membuf out;
		if (mb_open(&out) < 0) {
			free(m.buf);
			return reply_error(c, r, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
		}
		fwrite(m.buf, 1, m.len, out.f);
		free(m.buf);
		return reply_json(c, r, &out, 1);
	}
}

/* Source and target language of a request (codes as clients write them); 404 when unusable. */
static int pair_of(struct MHD_Connection *c, req *r, worker *w, const char *a, const char *b,
	char *src, char *tgt, enum MHD_Result *res)
{
	int has = 0, rc, k;

	if (lang_code(src, a) < 0 || lang_code(tgt, b) < 0) {
		*res = reply_error(c, r, MHD_HTTP_NOT_FOUND, "unknown language: %s", td_error_last());
		return -1;
	}
	if (strcmp(src, tgt) == 0) {
		*res = reply_error(c, r, MHD_HTTP_NOT_FOUND, "source and target are the same language (%s)", src);
		return -1;
	}
	/*
	 * de-DE selects only de-DE units (RFC 4647), but a client that says
	 * de_DE is served from plain "de" units too: try the bare languages.
	 */
	for (k = 0; k < 4 && !has; k++) {
		char s2[TD_LANG_MAX], t2[TD_LANG_MAX];
		snprintf(s2, sizeof(s2), "%.*s", (int)(k & 1 ? strcspn(src, "-") : strlen(src)), src);
		snprintf(t2, sizeof(t2), "%.*s", (int)(k & 2 ? strcspn(tgt, "-") : strlen(tgt)), tgt);
		if (k > 0 && strcmp(s2, src) == 0 && strcmp(t2, tgt) == 0)
			continue;
		rc = td_lookup_has_pair(&has, w->lk, s2, t2);
		if (rc < 0) {
			*res = reply_lib_error(c, r, rc);
			return -1;
		}
		if (has) {
			memcpy(src, s2, sizeof(s2));
			memcpy(tgt, t2, sizeof(t2));
		}
	}
	if (!has) {
		*res = reply_error(c, r, MHD_HTTP_NOT_FOUND, "the TM has no units from %s to %s", src, tgt);
		return -1;
	}
	return 0;
}

/* [{"source", "target", "quality", "rank"}] for one text: amaGama's unit lookup. */
static enum MHD_Result tm_unit_get(struct MHD_Connection *c, req *r, server *s, worker *w,
	const char *a, const char *b, const char *text)
{
	td_lookup_opts lo = TD_LOOKUP_OPTS_INIT;
	td_lookup_result res;
	char src[TD_LANG_MAX], tgt[TD_LANG_MAX];
	enum MHD_Result ans;
	double minsim, maxc;
	int bad = 0, rc;
	const char *vmin = arg(c, "min_similarity", &bad), *vmax = arg(c, "max_candidates", &bad);
	membuf m;
	size_t i;

	if (pair_of(c, r, w, a, b, src, tgt, &ans) < 0)
		return ans;
	if (bad || num_arg(&minsim, vmin, 0, 100, 70) < 0 || num_arg(&maxc, vmax, 1, 100, 5) < 0)
		return reply_error(c, r, MHD_HTTP_BAD_REQUEST,
			"min_similarity is a percentage 0..100, max_candidates a number 1..100");
	if (strlen(text) > s->o->max_query)
		return reply_error(c, r, MHD_HTTP_URI_TOO_LONG, "the text is longer than %zu bytes", s->o->max_query);
	/* amaGama never goes below 30 %: lower matches are noise to a translator. */
	lo.min = minsim < 30 ? 30 : minsim;
	lo.max = (size_t)maxc;
	lo.src_lang = src;
	lo.tgt_lang = tgt;
	rc = td_lookup_query(&res, w->lk, text, strlen(text), &lo);
	if (rc < 0)
		return reply_lib_error(c, r, rc);
	if (mb_open(&m) < 0) {
		td_lookup_result_free(&res);
		return reply_error(c, r, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
	}
	putc('[', m.f);
	for (i = 0; i < res.n; i++) {
		fputs(i ? ",{\"source\":" : "{\"source\":", m.f);
		td_json_cstring(m.f, res.v[i].source);
		fputs(",\"target\":", m.f);
		td_json_cstring(m.f, res.v[i].target);
		fprintf(m.f, ",\"quality\":%.1f,\"rank\":%zu}", res.v[i].score, i + 1);
	}
	fputs("]\n", m.f);
	td_lookup_result_free(&res);
	return reply_json(c, r, &m, 1);
}

/* Whether the request carries "Authorization: Bearer TOKEN" with the server's token. */
static int token_ok(struct MHD_Connection *c, const char *token)
{
	const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
	size_t n, i;
	unsigned char diff = 0;

	if (!h || !token || strncmp(h, "Bearer ", 7) != 0)
		return 0;
	h += 7;
	n = strlen(token);
	if (strlen(h) != n || n == 0)
		return 0;
	for (i = 0; i < n; i++)   /* every byte compared: the time says nothing about the token */
		diff |= (unsigned char)(h[i] ^ token[i]);
	return diff == 0;
}

static enum MHD_Result write_refused(struct MHD_Connection *c, req *r, server *s)
{
	if (!s->o->allow_write)
		return reply_error(c, r, MHD_HTTP_FORBIDDEN,
			"writing is off: start tandem serve with --allow-write --token-file FILE");
	return reply_error(c, r, MHD_HTTP_FORBIDDEN, "writing needs the header 'Authorization: Bearer TOKEN'");
}

/* POST a unit: {"source", "target"} (source defaults to the text in the path). */
static enum MHD_Result tm_unit_post(struct MHD_Connection *c, req *r, server *s, worker *w,
	const char *a, const char *b, const char *text)
{
	char src[TD_LANG_MAX], tgt[TD_LANG_MAX], hash[TD_HASH_HEX];
	const char *source, *target;
	td_tm_doc_info info = TD_TM_DOC_INFO_INIT;
	td_tm_unit_in u = TD_TM_UNIT_IN_INIT;
	int64_t nadded = 0;
	json_error_t jerr;
	json_t *doc, *js, *jt;
	td_tm *tm = NULL;
	membuf m;
	int rc;

	if (lang_code(src, a) < 0 || lang_code(tgt, b) < 0)
		return reply_error(c, r, MHD_HTTP_NOT_FOUND, "unknown language: %s", td_error_last());
	if (strcmp(src, tgt) == 0)
		return reply_error(c, r, MHD_HTTP_NOT_FOUND, "source and target are the same language (%s)", src);
	doc = json_loadb(r->body ? r->body : "", r->nbody, JSON_REJECT_DUPLICATES, &jerr);
	if (!doc)
		return reply_error(c, r, MHD_HTTP_BAD_REQUEST, "body: not JSON: %s (byte %d)", jerr.text, jerr.position);
	js = json_object_get(doc, "source");
	jt = json_object_get(doc, "target");
	source = json_is_string(js) ? json_string_value(js) : text;
	target = json_is_string(jt) ? json_string_value(jt) : NULL;
	if (!json_is_object(doc) || !target || !source || !*source || !*target ||
	    !text_ok(source, strlen(source)) || !text_ok(target, strlen(target))) {
		json_decref(doc);
		return reply_error(c, r, MHD_HTTP_BAD_REQUEST,
			"body: a JSON object {\"source\": TEXT, \"target\": TEXT} with non-empty texts");
	}
	/* All served units belong to one document "serve"; the position is the time. */
	td_tm_hash_bytes(hash, "tandem serve", 12);
	info.kind = "import";
	info.src_name = "serve";
	info.src_hash = hash;
	info.src_lang = src;
	info.tgt_lang = tgt;
	u.source = source;
	u.target = target;
	u.position = (int64_t)time(NULL);
	pthread_mutex_lock(&s->write_mu);
	rc = td_tm_open(&tm, s->o->tm_path, TD_TM_MUST_EXIST);
	if (rc == 0)
		rc = td_tm_begin_document(tm, &info);
	if (rc == 0)
		rc = td_tm_add_unit(NULL, tm, &u);
	if (rc == 0)
		rc = td_tm_commit_document_counted(&nadded, tm);
	if (rc < 0 && tm)
		td_tm_rollback(tm);
	td_tm_close(tm);
	pthread_mutex_unlock(&s->write_mu);
	json_decref(doc);
	(void)w;
	if (rc < 0)
		return reply_lib_error(c, r, rc);
	if (mb_open(&m) < 0)
		return reply_error(c, r, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
	/* A PostgreSQL TM knows at commit (the unit was PENDING until then). */
	fprintf(m.f, "{\"added\":%s}\n", nadded > 0 ? "true" : "false");
	return reply_json(c, r, &m, 0);
}

/* POST /api/v1/import: a TMX body, all or nothing, as `tandem import` does. */
static enum MHD_Result tm_import(struct MHD_Connection *c, req *r, server *s)
{
	td_import_opts io = TD_IMPORT_OPTS_INIT;
	td_import_report rep;
	char dir[] = "/tmp/tandem-serve-XXXXXX", path[64], src[TD_LANG_MAX], tgt[TD_LANG_MAX];
	int bad = 0, rc;
	const char *vs = arg(c, "src", &bad), *vt = arg(c, "tgt", &bad);
	td_tm *tm = NULL;
	FILE *f;
	membuf m;

	if (bad)
		return reply_error(c, r, MHD_HTTP_BAD_REQUEST, "src and tgt: language codes");
	if ((vs && lang_code(src, vs) < 0) || (vt && lang_code(tgt, vt) < 0))
		return reply_error(c, r, MHD_HTTP_NOT_FOUND, "unknown language: %s", td_error_last());
	io.format = TD_FORMAT_TMX;
	io.src_lang = vs ? src : NULL;
	io.tgt_lang = vt ? tgt : NULL;
	/* td_tmx_import reads a file: the body goes to a private one first. */
	if (!mkdtemp(dir))
		return reply_error(c, r, MHD_HTTP_INTERNAL_SERVER_ERROR, "cannot make a temporary directory: %s",
			strerror(errno));
	snprintf(path, sizeof(path), "%s/import.tmx", dir);
	f = fopen(path, "wb");
	if (!f || fwrite(r->body ? r->body : "", 1, r->nbody, f) != r->nbody || fclose(f) != 0) {
		if (f)
			unlink(path);
		rmdir(dir);
		return reply_error(c, r, MHD_HTTP_INTERNAL_SERVER_ERROR, "cannot keep the body: %s", strerror(errno));
	}
	pthread_mutex_lock(&s->write_mu);
	rc = td_tm_open(&tm, s->o->tm_path, TD_TM_MUST_EXIST);
	if (rc == 0)
		rc = td_tmx_import(&rep, tm, path, &io);
	td_tm_close(tm);
	pthread_mutex_unlock(&s->write_mu);
	unlink(path);
	rmdir(dir);
	if (rc < 0)
		return reply_error(c, r, rc == TD_EDB || rc == TD_EIO || rc == TD_ENOMEM ?
			MHD_HTTP_INTERNAL_SERVER_ERROR : MHD_HTTP_BAD_REQUEST,
			"%s; nothing imported, the TM is unchanged", td_error_last());
	if (mb_open(&m) < 0)
		return reply_error(c, r, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
	fprintf(m.f, "{\"read\":%lld,\"added\":%lld,\"present\":%lld,\"skipped\":%lld}\n", (long long)rep.read,
		(long long)rep.added, (long long)rep.present, (long long)rep.skipped);
	return reply_json(c, r, &m, 0);
}

/* ---- tandem's own API: the objects of --json ---- */

/* src/tgt of the request, else the TM's only pair; 0, or -1 with the answer queued. */
static int own_pair(struct MHD_Connection *c, req *r, worker *w, char *src, char *tgt, enum MHD_Result *res)
{
	int bad = 0, rc;
	const char *vs = arg(c, "src", &bad), *vt = arg(c, "tgt", &bad);
	char ds[TD_LANG_MAX] = "", dt[TD_LANG_MAX] = "";

	if (bad) {
		*res = reply_error(c, r, MHD_HTTP_BAD_REQUEST, "src and tgt: language codes");
		return -1;
	}
	if (!vs || !vt) {
		rc = td_lookup_default_pair(ds, dt, sizeof(ds), w->lk);
		if (rc < 0) {
			*res = reply_error(c, r, status_of(rc), "%s%s", td_error_last(),
				rc == TD_EINVAL ? "; choose one with src= and tgt=" : "");
			return -1;
		}
	}
	return pair_of(c, r, w, vs ? vs : ds, vt ? vt : dt, src, tgt, res);
}

/* The query q=, checked: NULL with the answer queued when missing or unusable. */
static const char *own_query(struct MHD_Connection *c, req *r, server *s, enum MHD_Result *res)
{
	int bad = 0;
	const char *q = arg(c, "q", &bad);

	if (bad) {
		*res = reply_error(c, r, MHD_HTTP_BAD_REQUEST, "q: not UTF-8 text");
		return NULL;
	}
	if (!q || !*q || strspn(q, " \t\r\n") == strlen(q)) {
		*res = reply_error(c, r, MHD_HTTP_BAD_REQUEST, "q: the query is missing or empty");
		return NULL;
	}
	if (strlen(q) > s->o->max_query) {
		*res = reply_error(c, r, MHD_HTTP_URI_TOO_LONG, "q: longer than %zu bytes", s->o->max_query);
		return NULL;
	}
	return q;
}

static enum MHD_Result api_lookup(struct MHD_Connection *c, req *r, server *s, worker *w)
{
	td_lookup_opts lo = TD_LOOKUP_OPTS_INIT;
	td_lookup_result res;
	char src[TD_LANG_MAX], tgt[TD_LANG_MAX];
	enum MHD_Result ans;
	const char *q;
	double mn, mx;
	int bad = 0, rc;
	membuf m;

	if (!(q = own_query(c, r, s, &ans)) || own_pair(c, r, w, src, tgt, &ans) < 0)
		return ans;
	if (num_arg(&mn, arg(c, "min", &bad), 0, 100, 70) < 0 || num_arg(&mx, arg(c, "max", &bad), 1, 1000, 5) < 0 ||
	    bad || mx != (double)(size_t)mx)
		return reply_error(c, r, MHD_HTTP_BAD_REQUEST, "min is a percentage 0..100, max a whole number 1..1000");
	lo.src_lang = src;
	lo.tgt_lang = tgt;
	lo.min = mn;
	lo.max = (size_t)mx;
	rc = td_lookup_query(&res, w->lk, q, strlen(q), &lo);
	if (rc < 0)
		return reply_lib_error(c, r, rc);
	if (mb_open(&m) < 0) {
		td_lookup_result_free(&res);
		return reply_error(c, r, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
	}
	render_lookup(m.f, q, &res, NULL);
	putc('\n', m.f);
	td_lookup_result_free(&res);
	return reply_json(c, r, &m, 1);
}

static enum MHD_Result api_concord(struct MHD_Connection *c, req *r, server *s, worker *w)
{
	td_concord_opts co = TD_CONCORD_OPTS_INIT;
	td_concord_result res;
	char src[TD_LANG_MAX], tgt[TD_LANG_MAX], lang[TD_LANG_MAX];
	enum MHD_Result ans;
	const char *q, *vl;
	double mx;
	int bad = 0, rc;
	size_t k;
	membuf m;

	if (!(q = own_query(c, r, s, &ans)) || own_pair(c, r, w, src, tgt, &ans) < 0)
		return ans;
	vl = arg(c, "lang", &bad);
	if (num_arg(&mx, arg(c, "max", &bad), 1, 1000, 50) < 0 || bad || mx != (double)(size_t)mx)
		return reply_error(c, r, MHD_HTTP_BAD_REQUEST, "max is a whole number 1..1000");
	if (vl) {
		if (lang_code(lang, vl) < 0)
			return reply_error(c, r, MHD_HTTP_NOT_FOUND, "unknown language: %s", td_error_last());
		if (strcmp(lang, tgt) == 0)
			co.in_target = 1;
		else if (strcmp(lang, src) != 0)
			return reply_error(c, r, MHD_HTTP_BAD_REQUEST, "lang %s is neither the source (%s) nor the target (%s)",
				lang, src, tgt);
	}
	co.src_lang = src;
	co.tgt_lang = tgt;
	co.max = (size_t)mx;
	/* The aligned-word marks use the dictionary from the searched language to the other one. */
	if (!s->o->no_lexicon && (rc = co.in_target ? lexicon_for(&co.lexicon, s, tgt, src) :
			lexicon_for(&co.lexicon, s, src, tgt)) < 0)
		return reply_lib_error(c, r, rc);
	rc = td_concord(&res, w->lk, q, &co);
	if (rc < 0)
		return reply_lib_error(c, r, rc);
	if (mb_open(&m) < 0) {
		td_concord_result_free(&res);
		return reply_error(c, r, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
	}
	putc('[', m.f);
	for (k = 0; k < res.n; k++) {
		if (k)
			putc(',', m.f);
		render_concord_hit(m.f, &res.v[k], co.in_target);
	}
	fputs("]\n", m.f);
	td_concord_result_free(&res);
	return reply_json(c, r, &m, 1);
}

static enum MHD_Result api_terms(struct MHD_Connection *c, req *r, server *s, worker *w)
{
	td_terms_opts to = TD_TERMS_OPTS_INIT;
	td_terms_result *res = NULL;
	const td_lexicon *lx = NULL;
	char src[TD_LANG_MAX], tgt[TD_LANG_MAX];
	enum MHD_Result ans;
	const char *q;
	double mx;
	int bad = 0, rc;
	membuf m;

	if (!(q = own_query(c, r, s, &ans)) || own_pair(c, r, w, src, tgt, &ans) < 0)
		return ans;
	if (num_arg(&mx, arg(c, "max", &bad), 1, 100, 10) < 0 || bad || mx != (double)(size_t)mx)
		return reply_error(c, r, MHD_HTTP_BAD_REQUEST, "max is a whole number 1..100");
	if (!w->tt && (rc = td_terms_open(&w->tt, s->o->tm_path)) < 0)
		return reply_lib_error(c, r, rc);
	if (!s->o->no_lexicon && (rc = lexicon_for(&lx, s, src, tgt)) < 0)
		return reply_lib_error(c, r, rc);
	to.src_lang = src;
	to.tgt_lang = tgt;
	to.max = (size_t)mx;
	to.lexicon = lx;
	rc = td_terms_query(&res, w->tt, q, &to);
	if (rc < 0)
		return reply_lib_error(c, r, rc);
	if (mb_open(&m) < 0) {
		td_terms_result_free(res);
		return reply_error(c, r, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
	}
	render_terms(m.f, res, src, tgt);
	putc('\n', m.f);
	td_terms_result_free(res);
	return reply_json(c, r, &m, 1);
}

static enum MHD_Result api_stats(struct MHD_Connection *c, req *r, server *s)
{
	td_tm_stats st;
	td_tm *tm = NULL;
	membuf m;
	int rc;

	rc = td_tm_open(&tm, s->o->tm_path, TD_TM_READONLY);
	if (rc == 0)
		rc = td_tm_stats_get(&st, tm);
	td_tm_close(tm);
	if (rc < 0)
		return reply_lib_error(c, r, rc);
	if (mb_open(&m) < 0) {
		td_tm_stats_free(&st);
		return reply_error(c, r, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
	}
	{
		/* A PostgreSQL TM's password is not shown. */
		char *shown = td_tm_display_name(s->o->tm_path);
		render_stats(m.f, shown ? shown : "", &st);
		free(shown);
	}
	putc('\n', m.f);
	td_tm_stats_free(&st);
	return reply_json(c, r, &m, 1);
}

/* ---- routing ---- */

#define MAX_SEGS 8

/*
 * Split the raw path (before '?') at '/' and percent-decode each segment
 * (MHD_http_unescape). Segments after the MAX_SEGS-1st stay joined: a unit's
 * text may hold a '/' its client did not encode. *n segments; -1 when the
 * path is not text.
 */
static int split_path(char **seg, size_t *n, char *path)
{
	char *p = path, *slash;

	*n = 0;
	if (*p == '/')
		p++;
	while (*n < MAX_SEGS) {
		slash = *n + 1 < MAX_SEGS ? strchr(p, '/') : NULL;
		if (slash)
			*slash = '\0';
		seg[(*n)++] = p;
		if (!slash)
			break;
		p = slash + 1;
	}
	for (size_t i = 0; i < *n; i++) {
		size_t len = MHD_http_unescape(seg[i]);
		seg[i][len] = '\0';
		if (!text_ok(seg[i], len))
			return -1;
	}
	return 0;
}

static enum MHD_Result route(struct MHD_Connection *c, req *r, server *s, int post)
{
	char *path, *seg[MAX_SEGS];
	size_t n = 0;
	enum MHD_Result ans;
	worker *w = NULL;
	int is_tm;

	if (!escapes_ok(r->uri))
		return reply_error(c, r, MHD_HTTP_BAD_REQUEST, "bad percent-encoding in the request target");
	path = strndup(r->uri, strcspn(r->uri, "?#"));
	if (!path)
		return reply_error(c, r, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
	if (path[0] != '/' || split_path(seg, &n, path) < 0) {
		free(path);
		return reply_error(c, r, MHD_HTTP_BAD_REQUEST, "the path is not UTF-8 text");
	}
	is_tm = n >= 2 && (strcmp(seg[0], "tmserver") == 0 || (strcmp(seg[0], "api") == 0 && strcmp(seg[1], "v1") == 0));
	if (is_tm && seg[0][0] == 'a') {  /* /api/v1/...: drop "v1" so both prefixes look alike */
		memmove(seg + 1, seg + 2, (n - 2) * sizeof(*seg));
		n--;
	}
	if (post) {
		if (!s->o->allow_write || !token_ok(c, s->o->token))
			ans = write_refused(c, r, s);
		else if (is_tm && n >= 4 && strcmp(seg[3], "unit") == 0 && n >= 5 && *seg[4]) {
			w = worker_get(s);
			ans = tm_unit_post(c, r, s, w, seg[1], seg[2], seg[4]);
		} else if (is_tm && n == 2 && strcmp(seg[1], "import") == 0)
			ans = tm_import(c, r, s);
		else
			ans = reply_error(c, r, MHD_HTTP_NOT_FOUND, "nothing to write at this path");
		goto done;
	}
	if (n == 1 && !*seg[0]) {
		char *page = malloc(serve_page_len);
		if (!page)
			ans = reply_error(c, r, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
		else {
			memcpy(page, serve_page, serve_page_len);
			ans = reply(c, r, MHD_HTTP_OK, "text/html; charset=utf-8", page, serve_page_len);
		}
		goto done;
	}
	if (n == 1 && strcmp(seg[0], "healthz") == 0) {
		char *ok = strdup("{\"status\":\"ok\"}\n");
		ans = ok ? reply(c, r, MHD_HTTP_OK, "application/json; charset=utf-8", ok, strlen(ok)) : MHD_NO;
		goto done;
	}
	if (n == 2 && strcmp(seg[0], "api") == 0 && strcmp(seg[1], "stats") == 0) {
		ans = api_stats(c, r, s);
		goto done;
	}
	if (n == 2 && strcmp(seg[0], "api") == 0 &&
	    (!strcmp(seg[1], "lookup") || !strcmp(seg[1], "concord") || !strcmp(seg[1], "terms"))) {
		w = worker_get(s);
		ans = seg[1][0] == 'l' ? api_lookup(c, r, s, w) : seg[1][0] == 'c' ? api_concord(c, r, s, w) :
			api_terms(c, r, s, w);
		goto done;
	}
	if (is_tm && (n == 2 || (n == 3 && !*seg[2])) && strcmp(seg[1], "languages") == 0) {
		w = worker_get(s);
		ans = tm_languages(c, r, s, w);
		goto done;
	}
	if (is_tm && n >= 4 && strcmp(seg[3], "unit") == 0) {
		int bad = 0;
		const char *text = n >= 5 && *seg[4] ? seg[4] : arg(c, "source", &bad);
		if (bad)
			ans = reply_error(c, r, MHD_HTTP_BAD_REQUEST, "source: not UTF-8 text");
		else if (!text || !*text)
			ans = reply_error(c, r, MHD_HTTP_BAD_REQUEST, "no text: /{src}/{tgt}/unit/{text} or ?source=TEXT");
		else {
			w = worker_get(s);
			ans = tm_unit_get(c, r, s, w, seg[1], seg[2], text);
		}
		goto done;
	}
	ans = reply_error(c, r, MHD_HTTP_NOT_FOUND, "no such page");
done:
	if (w)
		worker_put(s, w);
	free(path);
	return ans;
}

/* ---- libmicrohttpd callbacks ---- */

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
	const char *version, const char *upload_data, size_t *upload_data_size, void **req_cls)
{
	server *s = cls;
	req *r = *req_cls;
	int post = strcmp(method, MHD_HTTP_METHOD_POST) == 0;
	size_t limit;

	(void)url;
	if (!r)   /* the URI log callback makes it; without one there is nothing to log to */
		return MHD_NO;
	if (!r->handled) {
		const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
		r->handled = 1;
		snprintf(r->method, sizeof(r->method), "%s", method);
		snprintf(r->version, sizeof(r->version), "%s", version);
		limit = post && strncmp(r->uri, "/api/v1/import", 14) == 0 ? s->o->max_import : s->o->max_body;
		if (!post && strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
			return reply_error(c, r, MHD_HTTP_METHOD_NOT_ALLOWED, "%s: only GET, HEAD and POST", method);
		if (cl && strtoull(cl, NULL, 10) > limit)
			return reply_error(c, r, MHD_HTTP_CONTENT_TOO_LARGE, "the body is larger than %zu bytes", limit);
		return MHD_YES;
	}
	if (*upload_data_size) {
		limit = post && strncmp(r->uri, "/api/v1/import", 14) == 0 ? s->o->max_import : s->o->max_body;
		if (r->too_big || r->nbody + *upload_data_size > limit) {
			r->too_big = 1;
		} else {
			if (td_grow((void **)&r->body, &r->cap, r->nbody + *upload_data_size + 1, 1) < 0)
				return MHD_NO;
			memcpy(r->body + r->nbody, upload_data, *upload_data_size);
			r->nbody += *upload_data_size;
			r->body[r->nbody] = '\0';
		}
		*upload_data_size = 0;
		if (now_mono() - r->start > s->o->timeout)
			return reply_error(c, r, MHD_HTTP_REQUEST_TIMEOUT, "the request took longer than %u s", s->o->timeout);
		return MHD_YES;
	}
	/* The whole request is in: the server has the turn, the watchdog waits. */
	pthread_mutex_lock(&s->conn_mu);
	if (r->cn)
		r->cn->deadline = 0;
	pthread_mutex_unlock(&s->conn_mu);
	if (r->too_big)
		return reply_error(c, r, MHD_HTTP_CONTENT_TOO_LARGE, "the body is larger than its limit (--max-body)");
	return route(c, r, s, post);
}

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
	server *s = cls;
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	req *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->uri = strdup(uri ? uri : "");
	r->start = now_mono();
	r->cn = ci ? ci->socket_context : NULL;
	pthread_mutex_lock(&s->mu);
	s->inflight++;
	pthread_mutex_unlock(&s->mu);
	return r;
}

/* The request target for the log: bytes outside printable ASCII and '"' as \xHH. */
static void log_target(FILE *f, const char *u)
{
	for (; *u; u++) {
		unsigned char ch = (unsigned char)*u;
		if (ch < 0x21 || ch > 0x7e || ch == '"' || ch == '\\')
			fprintf(f, "\\x%02X", ch);
		else
			putc(ch, f);
	}
}

static void on_done(void *cls, struct MHD_Connection *c, void **req_cls, enum MHD_RequestTerminationCode toe)
{
	server *s = cls;
	req *r = *req_cls;
	const union MHD_ConnectionInfo *ci;
	char host[INET6_ADDRSTRLEN] = "-", when[64];
	struct tm tm;
	time_t t = time(NULL);

	(void)toe;
	if (!r)
		return;
	if (!s->o->quiet) {
		ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
		if (ci && ci->client_addr) {
			const struct sockaddr *sa = ci->client_addr;
			if (sa->sa_family == AF_INET)
				inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, host, sizeof(host));
			else if (sa->sa_family == AF_INET6)
				inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, host, sizeof(host));
		}
		gmtime_r(&t, &tm);
		strftime(when, sizeof(when), "%d/%b/%Y:%H:%M:%S +0000", &tm);
		/* Common log format: host ident user [time] "request" status bytes */
		pthread_mutex_lock(&s->conn_mu);
		fprintf(stderr, "%s - - [%s] \"%s ", host, when, r->method[0] ? r->method : "-");
		log_target(stderr, r->uri);
		fprintf(stderr, " %s\" %d %zu\n", r->version[0] ? r->version : "-", r->status ? r->status : 0, r->bytes);
		pthread_mutex_unlock(&s->conn_mu);
	}
	/* A kept-alive connection has --timeout again for its next request. */
	pthread_mutex_lock(&s->conn_mu);
	if (r->cn)
		r->cn->deadline = now_mono() + s->o->timeout;
	pthread_mutex_unlock(&s->conn_mu);
	pthread_mutex_lock(&s->mu);
	s->inflight--;
	pthread_mutex_unlock(&s->mu);
	free(r->uri);
	free(r->body);
	free(r);
	*req_cls = NULL;
}

static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
	enum MHD_ConnectionNotificationCode code)
{
	server *s = cls;
	conn *cn;

	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
		if (!ci || !(cn = calloc(1, sizeof(*cn))))
			return;
		cn->fd = ci->connect_fd;
		pthread_mutex_lock(&s->conn_mu);
		cn->deadline = now_mono() + s->o->timeout;
		cn->next = s->conns.next;
		cn->prev = &s->conns;
		s->conns.next->prev = cn;
		s->conns.next = cn;
		pthread_mutex_unlock(&s->conn_mu);
		*socket_context = cn;
	} else if (code == MHD_CONNECTION_NOTIFY_CLOSED && (cn = *socket_context)) {
		pthread_mutex_lock(&s->conn_mu);
		cn->prev->next = cn->next;
		cn->next->prev = cn->prev;
		pthread_mutex_unlock(&s->conn_mu);
		free(cn);
		*socket_context = NULL;
	}
}

/* Every quarter second: a connection past its deadline gets 408 and is shut. */
static void *watchdog(void *arg)
{
	static const char late[] = "HTTP/1.1 408 Request Timeout\r\nContent-Type: application/json\r\n"
		"Connection: close\r\nContent-Length: 38\r\n\r\n{\"error\":\"the request took too long\"}\n";
	server *s = arg;
	struct timespec q = { 0, 250000000 };

	for (;;) {
		conn *cn;
		double t;
		nanosleep(&q, NULL);
		t = now_mono();
		pthread_mutex_lock(&s->conn_mu);
		if (s->stop) {
			pthread_mutex_unlock(&s->conn_mu);
			return NULL;
		}
		for (cn = s->conns.next; cn != &s->conns; cn = cn->next) {
			if (cn->deadline > 0 && t > cn->deadline) {
				ssize_t wr = send(cn->fd, late, sizeof(late) - 1, MSG_NOSIGNAL | MSG_DONTWAIT);
				(void)wr;
				shutdown(cn->fd, SHUT_RDWR);
				cn->deadline = 0;
			}
		}
		pthread_mutex_unlock(&s->conn_mu);
	}
}

/* ---- start and stop ---- */

/* Load the dictionary of the TM's main pair before the first term question needs it. */
static void *warm_lexicon(void *arg)
{
	server *s = arg;
	worker *w = worker_get(s);
	char src[TD_LANG_MAX], tgt[TD_LANG_MAX];
	const td_lexicon *lx;
	int rc = td_lookup_default_pair(src, tgt, sizeof(src), w->lk);

	worker_put(s, w);
	if (rc == 0)
		lexicon_for(&lx, s, src, tgt);
	return NULL;
}

static int open_workers(server *s)
{
	size_t i;

	s->workers = calloc(s->o->threads, sizeof(*s->workers));
	s->idle = calloc(s->o->threads, sizeof(*s->idle));
	if (!s->workers || !s->idle)
		return td_error_set(TD_ENOMEM, "out of memory");
	for (i = 0; i < s->o->threads; i++) {
		int rc = td_lookup_open(&s->workers[i].lk, s->o->tm_path);
		if (rc < 0)
			return rc;
		/* Fingerprints once, shared: every thread pre-scores from the same copy. */
		if (i == 0 && (rc = td_lookup_preload(s->workers[0].lk)) < 0)
			return rc;
		if (i > 0)
			td_lookup_share_preload(s->workers[i].lk, s->workers[0].lk);
		s->idle[s->nidle++] = &s->workers[i];
		s->nworkers++;
	}
	return 0;
}

static void close_workers(server *s)
{
	size_t i;

	/* The one holding the fingerprints last. */
	for (i = s->nworkers; i-- > 0;) {
		td_terms_close(s->workers[i].tt);
		td_lookup_close(s->workers[i].lk);
	}
	for (i = 0; i < s->nlex; i++)
		td_lexicon_free(s->lex[i].lx);
	free(s->workers);
	free(s->idle);
	free(s->langs);
}

int serve_run(const serve_opts *o)
{
	server s;
	struct MHD_Daemon *d = NULL;
	struct sockaddr_storage ss;
	const union MHD_DaemonInfo *di;
	pthread_t wd, warm;
	sigset_t sigs;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION | MHD_USE_AUTO |
		MHD_USE_ERROR_LOG | MHD_USE_ITC;
	int sig = 0, rc = CLI_FAIL, wd_started = 0, warm_started = 0;
	size_t salen;
	double until;

	if (cli_mhd_load() < 0) {
		cli_lib_error();
		return CLI_FAIL;
	}
	memset(&s, 0, sizeof(s));
	s.o = o;
	s.conns.next = s.conns.prev = &s.conns;
	pthread_mutex_init(&s.mu, NULL);
	pthread_mutex_init(&s.lex_mu, NULL);
	pthread_mutex_init(&s.write_mu, NULL);
	pthread_mutex_init(&s.conn_mu, NULL);
	memset(&ss, 0, sizeof(ss));
	if (inet_pton(AF_INET, o->bind, &((struct sockaddr_in *)(void *)&ss)->sin_addr) == 1) {
		struct sockaddr_in *sin = (struct sockaddr_in *)(void *)&ss;
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)o->port);
		salen = sizeof(*sin);
	} else if (inet_pton(AF_INET6, o->bind, &((struct sockaddr_in6 *)(void *)&ss)->sin6_addr) == 1) {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)(void *)&ss;
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)o->port);
		salen = sizeof(*sin6);
		flags |= MHD_USE_IPv6;
	} else {
		cli_error("serve: --bind %s: not an IPv4 or IPv6 address", o->bind);
		return CLI_USAGE;
	}
	(void)salen;
	if (open_workers(&s) < 0) {
		cli_lib_error();
		goto cleanup;
	}
	/* SIGTERM and SIGINT wait for sigwait below: every thread started now inherits the mask. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);
	d = MHD_start_daemon(flags, (uint16_t)o->port, NULL, NULL, on_request, &s,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)o->timeout,
		/* Room for a request line of a 100,000-character query, answered 414 by us in JSON. */
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(1 << 20),
		MHD_OPTION_CONNECTION_LIMIT, (unsigned int)512,
		MHD_OPTION_URI_LOG_CALLBACK, on_uri, &s,
		MHD_OPTION_NOTIFY_COMPLETED, on_done, &s,
		MHD_OPTION_NOTIFY_CONNECTION, on_connection, &s,
		MHD_OPTION_END);
	if (!d) {
		cli_error("serve: cannot listen on %s port %u: %s", o->bind, o->port, strerror(errno));
		goto cleanup;
	}
	if (pthread_create(&wd, NULL, watchdog, &s) == 0)
		wd_started = 1;
	if (!o->no_lexicon && pthread_create(&warm, NULL, warm_lexicon, &s) == 0)
		warm_started = 1;
	di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	if (!o->quiet) {
		char *shown = td_tm_display_name(o->tm_path);
		fprintf(stderr, "tandem serve: %s on http://%s%s%s:%u/ (%u threads)\n", shown ? shown : "",
			strchr(o->bind, ':') ? "[" : "", o->bind, strchr(o->bind, ':') ? "]" : "",
			di ? di->port : o->port, o->threads);
		free(shown);
	}
	if (o->port_file) {
		char tmp[4096];
		FILE *pf;
		snprintf(tmp, sizeof(tmp), "%s.tmp", o->port_file);
		pf = fopen(tmp, "w");
		if (!pf || fprintf(pf, "%u\n", di ? di->port : o->port) < 0 || fclose(pf) != 0 ||
		    rename(tmp, o->port_file) != 0) {
			cli_error("serve: %s: %s", o->port_file, strerror(errno));
			goto cleanup;
		}
	}
	while (sigwait(&sigs, &sig) != 0)
		;
	/* Stop accepting; answer what has begun (10 s at most); then close. */
	{
		MHD_socket ls = MHD_quiesce_daemon(d);
		if (ls != MHD_INVALID_SOCKET)
			close(ls);
	}
	until = now_mono() + 10;
	for (;;) {
		int busy;
		struct timespec q = { 0, 20000000 };
		pthread_mutex_lock(&s.mu);
		busy = s.inflight;
		pthread_mutex_unlock(&s.mu);
		if (!busy || now_mono() > until)
			break;
		nanosleep(&q, NULL);
	}
	if (!o->quiet)
		fprintf(stderr, "tandem serve: %s, stopped\n", strsignal(sig));
	rc = CLI_OK;
cleanup:
	if (d)
		MHD_stop_daemon(d);
	if (wd_started) {
		pthread_mutex_lock(&s.conn_mu);
		s.stop = 1;
		pthread_mutex_unlock(&s.conn_mu);
		pthread_join(wd, NULL);
	}
	if (warm_started)
		pthread_join(warm, NULL);
	close_workers(&s);
	return rc;
}
