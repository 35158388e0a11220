/*
 * A PostgreSQL TM read through a private SQLite copy (snapshot.c), for the
 * readers written against SQLite: lookup, concordance, terms, and merge.
 * Private to libtandem-memory.
 */
#ifndef TANDEM_MEMORY_SNAPSHOT_H
#define TANDEM_MEMORY_SNAPSHOT_H

#include "tm_internal.h"

/*
 * A new SQLite TM file in a directory of its own under $TMPDIR (else /tmp)
 * holding every row of the TM spec (any store that can dump), with the ids
 * a SQLite TM storing the same units in the same order would have. *out_path
 * is given to td__snapshot_remove when done.
 */
int td__snapshot(char **out_path, const char *spec);
/* Unlink a snapshot and its directory, and free path (NULL: nothing). */
void td__snapshot_remove(char *path);
/*
 * The reading connection of lookup, concordance and terms: td__open_reader
 * on a TM file, or on a snapshot of a PostgreSQL TM (already unlinked when
 * this returns).
 */
int td__open_tm_reader(sqlite3 **out, const char *spec, int oflags);

#endif
