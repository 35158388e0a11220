/*
 * tandem: decoding bytes into text.
 *
 * Every document enters tandem through here and leaves as UTF-8 in Unicode
 * normalisation form C with LF line ends, NUL-terminated. The encoding is
 * decided in this order:
 *   1. a byte order mark (UTF-8, UTF-16LE/BE, UTF-32LE/BE) wins and is removed;
 *   2. an explicit encoding (any name iconv knows) is used as given;
 *   3. bytes that are valid UTF-8 are taken as UTF-8;
 *   4. bytes that start as UTF-8 (valid multi-byte sequences before the first
 *      bad byte) are UTF-8 with a bad byte: an error at that byte;
 *   5. otherwise ICU's charset detector proposes an encoding, used only when
 *      its confidence is at least TD_TEXT_MIN_CONFIDENCE; below that the
 *      error lists the likely encodings and asks for --encoding.
 * CRLF and lone CR become LF. A NUL character means a binary file: error.
 * Nothing else in the text is changed.
 *
 * Error messages name the file (opts->name, else "input") and, for bad bytes,
 * the 1-based line and the 0-based byte offset of the first bad byte in the
 * input: "de.txt: line 3, byte 117: invalid UTF-8 (0xE4)".
 */
#ifndef TANDEM_TEXT_H
#define TANDEM_TEXT_H

#include <stddef.h>

#include "tandem/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * ICU ucsdet confidence (0..100) from which a detected encoding is trusted.
 * Latin-1 German news scores 47..89 (newstest dev documents, whole or their
 * first 300 bytes); a few bytes score about 10
 * and must be given an explicit encoding.
 */
#define TD_TEXT_MIN_CONFIDENCE 30

/* Input files larger than this are refused with TD_ELIMIT. */
#define TD_TEXT_MAX_BYTES ((size_t)1 << 30)

typedef struct {
	unsigned version;  /* TD_TEXT_OPTS_VERSION, set by TD_TEXT_OPTS_INIT */
	const char *encoding;  /* iconv name to force; NULL: detect */
	const char *name;      /* file name for messages; NULL: "input" */
} td_text_opts;
#define TD_TEXT_OPTS_VERSION 1
#define TD_TEXT_OPTS_INIT { .version = TD_TEXT_OPTS_VERSION, .encoding = NULL, .name = NULL }

/*
 * Bytes -> malloc'd UTF-8, NFC, LF line ends, NUL-terminated, in *out (the
 * caller frees it with free()); *out_len is its length without the NUL.
 * opts may be NULL. Returns 0, TD_EENCODING (bad bytes, binary, unknown or
 * uncertain encoding), TD_EINVAL (unknown explicit encoding) or TD_ENOMEM.
 * On failure *out is NULL.
 */
TD_EXTERN int td_text_decode(char **out, size_t *out_len, const void *bytes, size_t len,
			     const td_text_opts *opts);

/*
 * Read the file at path ("-" is standard input, named "stdin" in messages)
 * and td_text_decode() it; encoding NULL means detect. Adds TD_EIO (cannot open or
 * read) and TD_ELIMIT (larger than TD_TEXT_MAX_BYTES) to td_text_decode's codes.
 */
TD_EXTERN int td_text_decode_file(char **out, size_t *out_len, const char *path,
				  const char *encoding);

/*
 * The encoding td_text_decode() would use for bytes (a static or interned name
 * such as "UTF-8", "UTF-16LE", "ISO-8859-1"), with the detector's confidence
 * (100 for a BOM or valid UTF-8). Returns 0 or td_text_decode's error for them.
 */
TD_EXTERN int td_text_decode_guess(const char **out, int *confidence, const void *bytes,
				   size_t len, const td_text_opts *opts);

#ifdef __cplusplus
}
#endif

#endif
