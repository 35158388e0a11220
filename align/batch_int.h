/*
 * Batch internals shared by batch.c (the driver) and batch_stream.c (reading
 * pairs from a stream). Private to libtandem-align.
 */
#ifndef TANDEM_ALIGN_BATCH_INT_H
#define TANDEM_ALIGN_BATCH_INT_H

#include <stddef.h>

#include "tandem/batch.h"

/* The fields of a stream line: src_url, trg_url, src_text, trg_text. */
#define TD__STREAM_FIELDS 4

/*
 * One line of a stream. The item owns `line` (free it); the fields point
 * into it, NUL-terminated. A malformed line comes back with `error` set (a
 * one-line reason without the line number) and is skipped by the caller.
 */
typedef struct {
	char *line;
	size_t lineno;                          /* 1-based, header included */
	const char *field[TD__STREAM_FIELDS];
	size_t len[TD__STREAM_FIELDS];
	const char *error;                      /* NULL, or why the line is malformed */
	char msg[128];                          /* room for error */
} td__stream_item;

/* The next pair: 1 and *it set, 0 at the end, < 0 a failure to read (or a bad header). */
int td__stream_next(td_batch_stream *s, td__stream_item *it);

/* The stream's name for messages ("stdin"). */
const char *td__stream_name(const td_batch_stream *s);

/* Decode base64 text (nettle); *out is malloc'd and NUL-terminated. TD_EFORMAT when it is not base64. */
int td__base64_decode(char **out, size_t *out_len, const char *b64, size_t len);

#endif
