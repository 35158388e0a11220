/*
 * BCP 47 language tags: normalisation, matching and the primary subtag, the
 * one place tags are compared (case-insensitively, as BCP 47 says, with ICU's
 * '_' taken for '-').
 *
 * ICU parses the tag (uloc_forLanguageTag) and writes it back in canonical
 * case (uloc_toLanguageTag): "de_DE", "DE-de", "de-de" all become "de-DE".
 * ICU accepts any well-formed tag, "xx" included, so a language is known
 * only when ICU has an ISO 639 code for it, and a two-letter region only when
 * it has an ISO 3166 code (numeric UN M.49 regions such as "419" pass).
 */
#include "tandem/lang.h"

#include <ctype.h>
#include <string.h>

#include <unicode/uloc.h>

int td_lang_normalize(char *out, const char *tag)
{
	char buf[TD_LANG_MAX], loc[ULOC_FULLNAME_CAPACITY], region[ULOC_COUNTRY_CAPACITY];
	UErrorCode err = U_ZERO_ERROR;
	int32_t parsed = 0;
	size_t i, len;

	out[0] = '\0';
	if (!tag || !*tag)
		return td_error_set(TD_EINVAL, "empty language code");
	len = strlen(tag);
	if (len >= sizeof(buf))
		return td_error_set(TD_EINVAL, "language code too long: '%.20s...'", tag);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)tag[i];
		if (!isalnum(c) && c != '-' && c != '_')
			return td_error_set(TD_EINVAL, "'%s' is not a language code (BCP 47, e.g. de or en-GB)", tag);
		buf[i] = c == '_' ? '-' : (char)c;
	}
	buf[len] = '\0';
	uloc_forLanguageTag(buf, loc, sizeof(loc), &parsed, &err);
	if (U_FAILURE(err) || parsed != (int32_t)len || !*loc)
		return td_error_set(TD_EINVAL, "'%s' is not a language code (BCP 47, e.g. de or en-GB)", tag);
	if (!*uloc_getISO3Language(loc))
		return td_error_set(TD_EINVAL, "unknown language code '%s'", tag);
	err = U_ZERO_ERROR;
	uloc_getCountry(loc, region, sizeof(region), &err);
	if (U_FAILURE(err) || (*region && isalpha((unsigned char)region[0]) && !*uloc_getISO3Country(loc)))
		return td_error_set(TD_EINVAL, "unknown region in language code '%s'", tag);
	err = U_ZERO_ERROR;
	uloc_toLanguageTag(loc, out, TD_LANG_MAX, 1, &err);
	if (U_FAILURE(err) || err == U_STRING_NOT_TERMINATED_WARNING) {
		out[0] = '\0';
		return td_error_set(TD_EINVAL, "'%s' is not a language code (BCP 47, e.g. de or en-GB)", tag);
	}
	return TD_OK;
}

int td_lang_matches(const char *stored, const char *query)
{
	size_t n, i;

	if (!query || !*query)
		return 1;
	if (!stored)
		return 0;
	n = strlen(query);
	for (i = 0; i < n; i++) {
		int a = tolower((unsigned char)stored[i]), b = tolower((unsigned char)query[i]);
		if (!a)
			return 0;
		if (a == '_')
			a = '-';
		if (b == '_')
			b = '-';
		if (a != b)
			return 0;
	}
	return stored[n] == '\0' || stored[n] == '-' || stored[n] == '_';
}

size_t td_lang_primary(char *out, size_t cap, const char *tag)
{
	size_t i = 0;

	if (cap)
		out[0] = '\0';
	if (!tag)
		return 0;
	while (isalpha((unsigned char)tag[i]))
		i++;
	if (i == 0 || i >= cap || (tag[i] && tag[i] != '-' && tag[i] != '_' && tag[i] != '@'))
		return 0;
	for (size_t k = 0; k < i; k++)
		out[k] = (char)tolower((unsigned char)tag[k]);
	out[i] = '\0';
	return i;
}

int td_lang_is(const char *tag, const char *primary)
{
	char p[16];

	return td_lang_primary(p, sizeof(p), tag) > 0 && strcmp(p, primary) == 0;
}
