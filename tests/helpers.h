/*
 * Shared helpers for the Criterion suites: running the built `tandem` binary,
 * temporary directories, reading and writing whole files.
 */
#ifndef TANDEM_TEST_HELPERS_H
#define TANDEM_TEST_HELPERS_H

#include <stddef.h>

typedef struct {
	int status;   /* exit code, or 128+signal when killed */
	char *out;    /* captured stdout, NUL-terminated (owned; th_result_free) */
	size_t outlen;
	char *err;    /* captured stderr, NUL-terminated */
	size_t errlen;
} th_result;

/*
 * Run the built tandem with argv (NULL-terminated, without the program name),
 * feeding `input` (may be NULL) on stdin, in the current directory.
 * The child inherits the environment (meson sets TANDEM_TM empty for the tests).
 */
th_result th_run(const char *input, const char *const *argv);
void th_result_free(th_result *r);

/* $TANDEM_SRCDIR/<rel>: a path into the source tree (static buffer per call). */
const char *th_src(const char *rel);

/* A fresh empty directory under /tmp, removed with th_rmtree. Returns a malloc'd path. */
char *th_tmpdir(void);
void th_rmtree(const char *path);

/*
 * A fresh temporary directory per test: pass th_dir_setup / th_dir_teardown
 * as .init / .fini; th_dir is its path and th_path(name) joins a file name to
 * it (eight rotating static buffers, so a few results can be used at once).
 */
extern char *th_dir;
void th_dir_setup(void);
void th_dir_teardown(void);
const char *th_path(const char *name);

/*
 * The TM a test writes: th_path(name), or, when $TANDEM_TEST_TM holds a
 * PostgreSQL URL (scripts/test sets it inside a throwaway cluster), that
 * URL with a fresh empty schema of its own as search_path. th_pg() says
 * which (1: PostgreSQL). Eight rotating static buffers, as th_path.
 */
const char *th_tm(const char *name);
int th_pg(void);
/* SQL on a PostgreSQL TM of th_tm through psql: its output without the last newline (malloc'd). */
char *th_sql(const char *tm, const char *sql);

/* Whole-file helpers; th_read returns malloc'd NUL-terminated data or NULL. */
char *th_read(const char *path, size_t *len);
int th_write(const char *path, const void *data, size_t len);

#endif
