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
 * on a TM file, or on an up-to-date copy of a PostgreSQL TM in the cache
 * directory, or (without one) on a private snapshot, already unlinked when
 * this returns.
 */
int td__open_tm_reader(sqlite3 **out, const char *spec, int oflags);

/*
 * The directory of the copies of PostgreSQL TMs (malloc'd): $TANDEM_TM_CACHE,
 * else $XDG_CACHE_HOME/tandem, else ~/.cache/tandem; NULL when
 * $TANDEM_TM_CACHE is empty (no cache) or none is known.
 */
char *td__tm_cache_dir(void);

#endif
