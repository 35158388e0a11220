/*
 * tandem: error codes and the last error message.
 *
 * Every library function that can fail returns an int: 0 on success or one of
 * the negative codes below. The failing function also records a one-line
 * message (no trailing newline) that names the file and, where it applies, the
 * line or byte offset: "de.txt: line 3, byte 117: invalid UTF-8 sequence".
 * The message is per thread, so workers of a batch do not overwrite each
 * other's errors. Callers pass codes up unchanged; the first message set
 * describes the root cause.
 */
#ifndef TANDEM_ERROR_H
#define TANDEM_ERROR_H

#include <stdarg.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
# define TD_EXTERN __attribute__((visibility("default")))
#else
# define TD_EXTERN
#endif

typedef enum {
	TD_OK = 0,
	TD_EINVAL = -1,     /* invalid argument or option value */
	TD_ENOMEM = -2,     /* allocation failed */
	TD_EIO = -3,        /* a file could not be opened, read or written */
	TD_EENCODING = -4,  /* input bytes are not text in a known encoding */
	TD_EFORMAT = -5,    /* input is text but not in the expected format */
	TD_EDB = -6,        /* the translation memory (SQLite) failed */
	TD_ENOTFOUND = -7,  /* a requested item (dictionary, unit ...) is absent */
	TD_ELIMIT = -8,     /* input exceeds a documented limit */
	TD_EINTERRUPTED = -9 /* the operation was cancelled by the caller */
} td_error_code;

/* The last error message of this thread, or "" when none was set. */
TD_EXTERN const char *td_error_last(void);

/* The code that went with the last message, TD_OK when none. */
TD_EXTERN int td_error_last_code(void);

/* A short English name for a code ("invalid argument", "I/O error" ...). */
TD_EXTERN const char *td_error_name(int code);

/* Forget the last error of this thread. */
TD_EXTERN void td_error_clear(void);

/*
 * Record a message and return `code`, so failures read as
 *     return td_error_set(TD_EIO, "%s: %s", path, strerror(errno));
 * The message is cut to 1 KiB and has newlines replaced by spaces.
 */
TD_EXTERN int td_error_set(int code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
TD_EXTERN int td_error_setv(int code, const char *fmt, va_list ap);

#ifdef __cplusplus
}
#endif

#endif
