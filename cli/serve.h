/*
 * tandem serve: the TM over HTTP (libmicrohttpd). One process, a thread per
 * connection; each request borrows one of `threads` workers (a td_lookup and
 * a td_terms on the TM, one per thread as lookup.h asks; the fingerprints
 * are loaded once and shared), waiting its turn in one queue when all are
 * busy. Answers:
 *
 *   tmserver / amaGama API (what Weblate, Virtaal and Pootle speak):
 *     GET  /tmserver/languages/, /api/v1/languages/
 *     GET  /tmserver/{src}/{tgt}/unit/{text}, /api/v1/{src}/{tgt}/unit/?source=TEXT
 *     POST the same with {"source", "target"}    (--allow-write and the token)
 *     POST /api/v1/import with a TMX body         (--allow-write and the token)
 *   tandem's own: /api/lookup, /api/concord, /api/terms, /api/stats, /healthz
 *   the page for translators at /.
 *
 * Every failure is a 4xx/5xx with {"error": "..."}; the server goes on.
 */
#ifndef TANDEM_CLI_SERVE_H
#define TANDEM_CLI_SERVE_H

#include <stddef.h>

#define SERVE_DEFAULT_PORT 8765

typedef struct {
	const char *tm_path;
	const char *bind;           /* IPv4 or IPv6 address to listen on */
	unsigned port;              /* 0: any free port (printed on stderr) */
	unsigned threads;           /* workers: requests answered at once */
	int allow_write;
	const char *token;          /* the bearer token writes need (read from --token-file) */
	size_t max_body;            /* largest request body except imports */
	size_t max_import;          /* largest TMX body of /api/v1/import */
	size_t max_query;           /* longest query text in bytes */
	unsigned timeout;           /* seconds a client may take to send one request */
	int quiet;                  /* no access log */
	int no_lexicon;             /* terms from the TM's evidence alone (no dictionary) */
	const char *port_file;      /* write the bound port here once listening (tests) */
} serve_opts;

/* Serve until SIGTERM or SIGINT; CLI_OK or CLI_FAIL after printing why. */
int serve_run(const serve_opts *o);

/* The page at / (serve_page.c, made from serve_page.html at build time). */
extern const char serve_page[];
extern const size_t serve_page_len;

#endif
