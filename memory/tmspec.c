/*
 * Telling a PostgreSQL connection string from a TM file name, and the form
 * of it that may be shown: every message names the TM by td__tm_display(),
 * which never contains a password.
 */
#include "store.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* libpq's keywords a key-value connection string may start with. */
static const char *const pg_keywords[] = {
	"host", "hostaddr", "port", "dbname", "user", "password", "passfile", "service",
	"sslmode", "options", "connect_timeout", "application_name", "target_session_attrs",
	"sslcert", "sslkey", "sslrootcert", "gssencmode", "channel_binding", NULL
};

static int is_url(const char *s)
{
	return strncmp(s, "postgresql://", 13) == 0 || strncmp(s, "postgres://", 11) == 0;
}

int td__tm_is_pg(const char *spec)
{
	const char *p = spec, *k;
	size_t n, i;

	if (!spec)
		return 0;
	if (is_url(spec))
		return 1;
	while (isspace((unsigned char)*p))
		p++;
	for (k = p; isalnum((unsigned char)*p) || *p == '_'; p++)
		;
	n = (size_t)(p - k);
	while (isspace((unsigned char)*p))
		p++;
	if (!n || *p != '=')
		return 0;
	for (i = 0; pg_keywords[i]; i++)
		if (strlen(pg_keywords[i]) == n && strncmp(pg_keywords[i], k, n) == 0)
			return 1;
	return 0;
}

/* Append s[0, n) to out. Masking adds at most 3 bytes per "password" (8 bytes or more): 2 * len + 16 is room. */
static size_t put(char *out, size_t o, const char *s, size_t n)
{
	memcpy(out + o, s, n);
	return o + n;
}

static char *mask_url(const char *s)
{
	size_t len = strlen(s), o = 0;
	char *out = malloc(2 * len + 16);
	const char *auth = strstr(s, "://") + 3, *end, *at, *colon, *q, *p;

	if (!out)
		return NULL;
	end = auth + strcspn(auth, "/?#");
	/* userinfo ends at the last '@' of the authority */
	for (at = NULL, p = auth; p < end; p++)
		if (*p == '@')
			at = p;
	colon = NULL;
	if (at)
		for (p = auth; p < at; p++)
			if (*p == ':') {
				colon = p;
				break;
			}
	if (colon) {
		o = put(out, o, s, (size_t)(colon + 1 - s));
		o = put(out, o, "***", 3);
		p = at;
	} else {
		p = s;
	}
	/* the query: password=... up to the next '&' */
	q = strchr(end, '?');
	if (!q) {
		o = put(out, o, p, strlen(p));
		out[o] = '\0';
		return out;
	}
	o = put(out, o, p, (size_t)(q + 1 - p));
	p = q + 1;
	while (*p) {
		size_t n = strcspn(p, "&");
		if (strncmp(p, "password=", 9) == 0) {
			o = put(out, o, "password=***", 12);
		} else {
			o = put(out, o, p, n);
		}
		p += n;
		if (*p == '&')
			o = put(out, o, p++, 1);
	}
	out[o] = '\0';
	return out;
}

static char *mask_keyvalue(const char *s)
{
	size_t len = strlen(s), o = 0;
	char *out = malloc(2 * len + 16);
	const char *p = s;

	if (!out)
		return NULL;
	while (*p) {
		const char *k = p, *v;
		int secret;

		while (*p && !isspace((unsigned char)*p) && *p != '=')
			p++;
		secret = (size_t)(p - k) == 8 && strncmp(k, "password", 8) == 0;
		while (isspace((unsigned char)*p))
			p++;
		if (*p != '=') {        /* not key=value: copy the rest as it is */
			o = put(out, o, k, strlen(k));
			break;
		}
		p++;
		while (isspace((unsigned char)*p))
			p++;
		v = p;
		if (*p == '\'') {       /* quoted value, backslash escapes */
			for (p++; *p && *p != '\''; p++)
				if (*p == '\\' && p[1])
					p++;
			if (*p)
				p++;
		} else {
			while (*p && !isspace((unsigned char)*p))
				p++;
		}
		o = put(out, o, k, (size_t)(v - k));
		if (secret)
			o = put(out, o, "***", 3);
		else
			o = put(out, o, v, (size_t)(p - v));
		while (isspace((unsigned char)*p))
			o = put(out, o, p++, 1);
	}
	out[o] = '\0';
	return out;
}

char *td__tm_display(const char *spec)
{
	if (!td__tm_is_pg(spec))
		return strdup(spec);
	return is_url(spec) ? mask_url(spec) : mask_keyvalue(spec);
}
