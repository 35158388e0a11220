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
/* A reader's copy of a PostgreSQL TM in the cache, kept up to date. */
typedef struct td__follow td__follow;

/*
 * The reading connection of lookup, concordance and terms: td__open_reader
 * on a TM file, or on an up-to-date copy of a PostgreSQL TM in the cache
 * directory, or (without one) on a private snapshot, already unlinked when
 * this returns. follow (may be NULL): for a copy in the cache, *follow is
 * set for td__follow_refresh (else NULL); released with td__follow_free.
 */
int td__open_tm_reader(sqlite3 **out, td__follow **follow, const char *spec, int oflags);
/*
 * Append to the copy what the TM gained since (one query when nothing);
 * the reader's connection sees it on its next read. A copy of an older
 * epoch stays as it is, and a server that cannot be asked leaves the copy
 * answering: never fails. f may be NULL (nothing to do).
 */
int td__follow_refresh(td__follow *f);
void td__follow_free(td__follow *f);

/*
 * The directory of the copies of PostgreSQL TMs (malloc'd): $TANDEM_TM_CACHE,
 * else $XDG_CACHE_HOME/tandem, else ~/.cache/tandem; NULL when
 * $TANDEM_TM_CACHE is empty (no cache) or none is known.
 */
char *td__tm_cache_dir(void);

#endif
