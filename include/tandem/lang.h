/*
 * tandem: language tags.
 *
 * Languages are BCP 47 tags, normalised on the way in ("de_DE", "DE-de" ->
 * "de-DE"); codes ICU does not know are refused. A language asked for in a
 * query matches a stored tag when they are equal or the stored tag starts
 * with the query and a hyphen: "de" selects "de", "de-DE" and "de-AT";
 * "de-DE" selects only "de-DE" (RFC 4647 basic filtering).
 */
#ifndef TANDEM_LANG_H
#define TANDEM_LANG_H

#include <stddef.h>

#include "tandem/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Longest normalised language tag we keep, with its NUL. */
#define TD_LANG_MAX 64

/*
 * Normalise a BCP 47 language tag into out (TD_LANG_MAX bytes): "de_DE",
 * "DE-de" -> "de-DE". Unknown languages or regions and malformed tags are
 * TD_EINVAL with a message naming the tag.
 */
TD_EXTERN int td_lang_normalize(char *out, const char *tag);

/*
 * Whether a stored tag is selected by a query tag (NULL or "" selects
 * every tag). Tags compare case-insensitively, as BCP 47 says, with '_'
 * taken for '-': "DE" and "de" select "de-AT" and "de_at".
 */
TD_EXTERN int td_lang_matches(const char *stored, const char *query);

/*
 * The primary language subtag of a tag, lower case, into out (cap bytes):
 * "de-CH", "DE_ch", "de@collation=phonebook" -> "de". Returns its length, or
 * 0 (out "") for a tag that does not start with letters followed by '-',
 * '_', '@' or its end, or whose subtag does not fit.
 */
TD_EXTERN size_t td_lang_primary(char *out, size_t cap, const char *tag);

/* Whether tag's primary subtag is `primary` (lower case): td_lang_is("de-AT", "de"). */
TD_EXTERN int td_lang_is(const char *tag, const char *primary);

#ifdef __cplusplus
}
#endif

#endif
