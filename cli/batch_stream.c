/*
 * tandem batch --stdin: a filter in a corpus pipeline. Document pairs come
 * in on stdin, one per line (td_batch_stream); the sentence pairs of each
 * go to stdout as soon as it is aligned, flushed, so the next step (or
 * `parallel --pipe`) sees whole documents. Malformed lines are reported on
 * stderr and skipped.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "tandem/align.h"
#include "tandem/batch.h"

typedef struct {
	td_align_format fmt;
	double min_score;
	size_t aligned, failed, sentences;
	double seconds;
	int tty, progress_shown;
} stream_ctx;

static void clear_progress(stream_ctx *c)
{
	if (c->progress_shown) {
		fputs("\r\033[K", stderr);
		c->progress_shown = 0;
	}
}

static void on_progress(void *ud, const td_batch_progress *p)
{
	stream_ctx *c = ud;

	c->seconds = p->elapsed;
	if (!c->tty || p->done % 64)
		return;
	fprintf(stderr, "\r\033[K%zu documents, %.0f sentences/s, %zu failed", p->done, p->rate, p->failed);
	c->progress_shown = 1;
}

static int on_deliver(void *ud, const td_batch_result *res)
{
	stream_ctx *c = ud;
	int rc;

	if (res->status) {
		c->failed++;
		clear_progress(c);
		/* Malformed lines name the stream and line already; other failures name the URL. */
		if (strncmp(res->error, "stdin: line ", 12) == 0)
			cli_error("%s", res->error);
		else
			cli_error("stdin: %s: %s", res->pair->name, res->error);
		return 0;
	}
	rc = td_ladder_write_urls(stdout, c->fmt, res->pair->src, res->pair->tgt, res->ladder,
		res->src, res->tgt, c->min_score);
	if (rc == 0 && fflush(stdout) != 0)
		rc = td_error_set(TD_EIO, "stdout: write error");
	if (rc < 0)
		return rc;  /* a closed pipe or a full disk: nothing more can go out */
	c->aligned++;
	c->sentences += res->stats.nsrc;
	return 0;
}

int cli_batch_stream(td_batch_opts *bo, const char *columns, td_align_format fmt, double min_score)
{
	stream_ctx c = { 0 };
	td_batch_stream *s = NULL;
	int brc, rc = CLI_OK;

	c.fmt = fmt;
	c.min_score = min_score;
	c.tty = cli_stderr_is_tty();
	if (td_batch_stream_new(&s, stdin, "stdin", columns) < 0)
		return cli_lib_error();
	bo->deliver = on_deliver;
	bo->progress = on_progress;
	bo->check = NULL;
	bo->ud = &c;
	brc = td_batch_run_stream(s, bo);
	clear_progress(&c);
	fprintf(stderr, "batch: %zu documents from stdin: %zu aligned, %zu failed; %zu sentences "
		"in %.2f s (%.0f sentences/s)\n", c.aligned + c.failed, c.aligned, c.failed,
		c.sentences, c.seconds, c.seconds > 0 ? (double)c.sentences / c.seconds : 0.0);
	if (brc < 0)
		rc = cli_lib_error();
	else if (c.failed)
		rc = CLI_FAIL;
	td_batch_stream_free(s);
	return rc;
}
