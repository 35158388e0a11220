/*
 * Options structs of the public API start with `unsigned version`, set by
 * their _INIT macro (designated initialisers), so that a field added later
 * cannot shift the others and a program built against other headers is
 * refused instead of misread.
 */
#ifndef TD_OPTS_H
#define TD_OPTS_H

#include "tandem/error.h"

/* 0 when version is the one this library knows, else TD_EINVAL naming what. */
static inline int td_opts_version(unsigned version, unsigned known, const char *what)
{
	if (version == known)
		return 0;
	return td_error_set(TD_EINVAL, "%s: options of version %u, this library knows %u "
		"(initialise them with their _INIT macro)", what, version, known);
}

#endif
