#include "helpers.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *tandem_bin(void)
{
	const char *b = getenv("TANDEM_BIN");
	return b ? b : "tandem";
}

static void append(char **buf, size_t *len, size_t *cap, const char *data, size_t n)
{
	if (*len + n + 1 > *cap) {
		size_t c = *cap ? *cap : 4096;
		while (c < *len + n + 1)
			c *= 2;
		*buf = realloc(*buf, c);
		if (!*buf)
			abort();
		*cap = c;
	}
	memcpy(*buf + *len, data, n);
	*len += n;
	(*buf)[*len] = '\0';
}

th_result th_run(const char *input, const char *const *argv)
{
	th_result r = { 0 };
	int in[2], out[2], err[2];
	size_t argc = 0, i, outcap = 0, errcap = 0, inlen = input ? strlen(input) : 0, inoff = 0;
	char **args;
	pid_t pid;
	int status;

	while (argv[argc])
		argc++;
	args = calloc(argc + 2, sizeof(*args));
	args[0] = (char *)tandem_bin();
	for (i = 0; i < argc; i++)
		args[i + 1] = (char *)argv[i];
	if (pipe(in) || pipe(out) || pipe(err))
		abort();
	pid = fork();
	if (pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		dup2(err[1], 2);
		close(in[0]); close(in[1]); close(out[0]); close(out[1]); close(err[0]); close(err[1]);
		execvp(args[0], args);
		_exit(127);
	}
	close(in[0]); close(out[1]); close(err[1]);
	signal(SIGPIPE, SIG_IGN);
	if (!inlen) {
		close(in[1]);
		in[1] = -1;
	}
	append(&r.out, &r.outlen, &outcap, "", 0);
	append(&r.err, &r.errlen, &errcap, "", 0);
	for (;;) {
		struct pollfd p[3];
		int n = 0, open_fds = 0;
		char buf[65536];
		p[n].fd = out[0]; p[n].events = POLLIN; n++;
		p[n].fd = err[0]; p[n].events = POLLIN; n++;
		if (in[1] >= 0) { p[n].fd = in[1]; p[n].events = POLLOUT; n++; }
		for (i = 0; i < (size_t)n; i++)
			if (p[i].fd >= 0)
				open_fds++;
		if (p[0].fd < 0 && p[1].fd < 0)
			break;
		if (poll(p, (nfds_t)n, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (i = 0; i < 2; i++) {
			if (p[i].fd >= 0 && (p[i].revents & (POLLIN | POLLHUP | POLLERR))) {
				ssize_t k = read(p[i].fd, buf, sizeof(buf));
				if (k <= 0) {
					close(p[i].fd);
					if (i == 0) out[0] = -1; else err[0] = -1;
				} else if (i == 0) {
					append(&r.out, &r.outlen, &outcap, buf, (size_t)k);
				} else {
					append(&r.err, &r.errlen, &errcap, buf, (size_t)k);
				}
			}
		}
		if (n == 3 && (p[2].revents & (POLLOUT | POLLERR | POLLHUP))) {
			ssize_t k = (p[2].revents & POLLOUT) ? write(in[1], input + inoff, inlen - inoff) : -1;
			if (k > 0)
				inoff += (size_t)k;
			if (k <= 0 || inoff >= inlen) {
				close(in[1]);
				in[1] = -1;
			}
		}
		if (out[0] < 0 && err[0] < 0)
			break;
		(void)open_fds;
	}
	if (in[1] >= 0)
		close(in[1]);
	waitpid(pid, &status, 0);
	r.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	free(args);
	return r;
}

void th_result_free(th_result *r)
{
	free(r->out);
	free(r->err);
	r->out = r->err = NULL;
}

const char *th_src(const char *rel)
{
	static char buf[4096];
	const char *root = getenv("TANDEM_SRCDIR");
	snprintf(buf, sizeof(buf), "%s/%s", root ? root : ".", rel);
	return buf;
}

char *th_tmpdir(void)
{
	char *t = strdup("/tmp/tandem-test-XXXXXX");
	if (!t || !mkdtemp(t))
		abort();
	return t;
}

static int rm_cb(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb; (void)flag; (void)ftw;
	return remove(path);
}

void th_rmtree(const char *path)
{
	if (path)
		nftw(path, rm_cb, 16, FTW_DEPTH | FTW_PHYS);
}

char *th_dir;

void th_dir_setup(void)
{
	th_dir = th_tmpdir();
}

void th_dir_teardown(void)
{
	th_rmtree(th_dir);
	free(th_dir);
	th_dir = NULL;
}

const char *th_path(const char *name)
{
	static char buf[8][4096];
	static int k;

	k = (k + 1) % 8;
	snprintf(buf[k], sizeof(buf[k]), "%s/%s", th_dir, name);
	return buf[k];
}

char *th_read(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0;
	char tmp[65536];
	size_t k;

	if (!f)
		return NULL;
	while ((k = fread(tmp, 1, sizeof(tmp), f)) > 0)
		append(&buf, &n, &cap, tmp, k);
	fclose(f);
	if (!buf)
		append(&buf, &n, &cap, "", 0);
	if (len)
		*len = n;
	return buf;
}

int th_write(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	if (fwrite(data, 1, len, f) != len) {
		fclose(f);
		return -1;
	}
	return fclose(f);
}

int th_pg(void)
{
	const char *base = getenv("TANDEM_TEST_TM");

	return base && *base;
}

const char *th_tm(const char *name)
{
	static char buf[8][4096];
	static int k, serial;
	const char *base = getenv("TANDEM_TEST_TM");
	char schema[64], cmd[8192];
	int st;

	if (!th_pg())
		return th_path(name);
	k = (k + 1) % 8;
	/* A schema of its own: the test's TM starts empty whatever ran before. */
	snprintf(schema, sizeof(schema), "t%ld_%d", (long)getpid(), ++serial);
	snprintf(cmd, sizeof(cmd), "psql -X -q -v ON_ERROR_STOP=1 -d '%s' -c "
		"'SET client_min_messages = warning; DROP SCHEMA IF EXISTS %s CASCADE; CREATE SCHEMA %s' >/dev/null", base, schema, schema);
	st = system(cmd);
	if (st != 0) {
		fprintf(stderr, "th_tm: could not make schema %s in %s\n", schema, base);
		abort();
	}
	snprintf(buf[k], sizeof(buf[k]), "%s%soptions=-csearch_path%%3D%s", base, strchr(base, '?') ? "&" : "?",
		schema);
	return buf[k];
}

char *th_sql(const char *tm, const char *sql)
{
	char cmd[16384], out[64];
	char *got;
	size_t n;
	int st;

	snprintf(out, sizeof(out), "/tmp/th_sql.%ld", (long)getpid());
	snprintf(cmd, sizeof(cmd), "psql -X -q -At -v ON_ERROR_STOP=1 -d '%s' -c \"%s\" > '%s' 2>&1", tm, sql, out);
	st = system(cmd);
	got = th_read(out, &n);
	unlink(out);
	if (st != 0 || !got) {
		fprintf(stderr, "th_sql: psql failed on %s: %s\n", sql, got ? got : "");
		abort();
	}
	if (n && got[n - 1] == '\n')
		got[n - 1] = '\0';
	return got;
}
