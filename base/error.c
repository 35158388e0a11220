/*
 * The per-thread last error. A fixed buffer is fine here: the message is
 * produced by us, cut to its size, never read from input as a whole.
 */
#include "tandem/error.h"

#include <stdio.h>
#include <string.h>

static _Thread_local char last_msg[1024];
static _Thread_local int last_code;

const char *td_error_last(void)
{
	return last_msg;
}

int td_error_last_code(void)
{
	return last_code;
}

void td_error_clear(void)
{
	last_msg[0] = '\0';
	last_code = TD_OK;
}

const char *td_error_name(int code)
{
	switch (code) {
	case TD_OK: return "success";
	case TD_EINVAL: return "invalid argument";
	case TD_ENOMEM: return "out of memory";
	case TD_EIO: return "I/O error";
	case TD_EENCODING: return "encoding error";
	case TD_EFORMAT: return "format error";
	case TD_EDB: return "translation memory error";
	case TD_ENOTFOUND: return "not found";
	case TD_ELIMIT: return "limit exceeded";
	case TD_EINTERRUPTED: return "interrupted";
	default: return "unknown error";
	}
}

int td_error_setv(int code, const char *fmt, va_list ap)
{
	char *p;

	vsnprintf(last_msg, sizeof(last_msg), fmt, ap);
	for (p = last_msg; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	last_code = code;
	return code;
}

int td_error_set(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	td_error_setv(code, fmt, ap);
	va_end(ap);
	return code;
}
