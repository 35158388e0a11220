/*
 * tandem: sentence alignment of translated documents and a translation memory.
 * This umbrella header includes every public module header.
 *
 * Conventions of every header:
 * - Names: a header's functions begin with its module's prefix (td_tm_ in
 *   tm.h, td_seg_ in segment.h) or with the name of a type it defines
 *   (td_ladder_free in align.h, td_doc_free in segment.h).
 * - Errors: a function that can fail returns 0 or a negative TD_E* code
 *   (error.h) and leaves a one-line message in td_error_last().
 * - Out parameters come first and are named out (out_len, out_count ... when
 *   there are several). A function that cannot fail returns its value (a
 *   count, a name, a flag) directly; its out parameters still come first.
 * - Options: a struct td_X_opts starts with `unsigned version` and is
 *   initialised with its TD_X_OPTS_INIT macro (designated initialisers), then
 *   changed field by field; a struct of another version is refused with
 *   TD_EINVAL. Passing NULL for options means the defaults.
 * - Ownership, one rule, told by the type: what a function hands out as a
 *   pointer to non-const (T **out, or a caller's struct it fills: a
 *   td_ladder, a td_lookup_result, a td_tm_stats) belongs to the caller and
 *   is released with the td_X_free named in that function's comment
 *   (td_X_free(NULL) does nothing); what it hands out as a pointer to const
 *   (const T **out, a const char * returned) is a view into the handle it
 *   was asked (td_tokenizer_run's tokens, td_tm_iter_next's unit,
 *   td_lexicon_lookup's stems, td_error_last's message): valid until the
 *   next call on that handle or its free, and never freed by the caller.
 *   Strings passed in are copied when they are kept.
 */
#ifndef TANDEM_H
#define TANDEM_H

#include "tandem/error.h"
#include "tandem/lang.h"
#include "tandem/text.h"
#include "tandem/segment.h"
#include "tandem/token.h"
#include "tandem/lexicon.h"
#include "tandem/align.h"
#include "tandem/batch.h"
#include "tandem/tm.h"
#include "tandem/tmx.h"
#include "tandem/match.h"
#include "tandem/lookup.h"
#include "tandem/concord.h"
#include "tandem/terms.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The library version, "MAJOR.MINOR.PATCH". */
TD_EXTERN const char *td_version(void);

#ifdef __cplusplus
}
#endif

#endif
