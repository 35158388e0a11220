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

/* Whether a stored (normalised) tag is selected by a (normalised) query tag. */
TD_EXTERN int td_lang_matches(const char *stored, const char *query);

#ifdef __cplusplus
}
#endif

#endif
