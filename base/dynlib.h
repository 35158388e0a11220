/*
 * Shared libraries loaded when first needed. libpq (PostgreSQL TMs) and
 * libmicrohttpd (tandem serve) pull in about twenty more libraries (TLS,
 * Kerberos, LDAP); linked into the binary, the dynamic loader maps and
 * relocates all of them at every start, about 10 ms of each command that
 * never talks to a server. They are opened by their soname on first use
 * instead, and their functions reached through a table of pointers.
 */
#ifndef TD_BASE_DYNLIB_H
#define TD_BASE_DYNLIB_H

#include <stddef.h>

/*
 * Open the shared library SONAME once per process (later calls return the
 * same handle). WHAT says what needs it ("PostgreSQL TMs") and PACKAGE the
 * Debian package that ships it, for the message ("WHAT need the library
 * ..."). Returns NULL with the error set (TD_ENOTFOUND) when it cannot be
 * loaded.
 */
void *td_dynlib_open(const char *soname, const char *what, const char *package);

/*
 * Store the address of function NAME of library H into *FN (a function
 * pointer of any type, SIZE its size). 0, or < 0 with the error set when
 * the library lacks it (an older version than the one built against).
 */
int td_dynlib_fn(void *h, const char *soname, const char *name, void *fn, size_t size);

#endif
