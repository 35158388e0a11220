/*
 * A TM's reading side as lookup (lookup.c), concordance (concord.c,
 * concord_align.c) and terms (terms*.c) hold it, private to
 * libtandem-memory: one read-only connection (td__open_tm_reader, so a
 * PostgreSQL store is read from its snapshot), the TM's name for messages,
 * a tokenizer per side of the query's language pair, and the word model's
 * reader, made on first use.
 */
#ifndef TANDEM_MEMORY_READER_H
#define TANDEM_MEMORY_READER_H

#include <sqlite3.h>

#include "tandem/token.h"
#include "tokenizers.h"
#include "wordmodel.h"

typedef struct {
	sqlite3 *db;              /* read-only connection */
	char *path;               /* the TM as messages name it */
	td__tok side[2];          /* the query's language, the other side's */
	td__wm_reader *wm;        /* NULL until td__reader_wm */
	struct td__follow *follow; /* a PostgreSQL TM's cached copy (snapshot.h), else NULL */
} td__reader;

/*
 * Open the TM at path (a file or a store's connection string) for reading
 * into r (zeroed by the caller); who names the caller in messages; mapped:
 * read pages through a memory map (reader.c says when that pays). On
 * failure the caller still releases r with td__reader_close.
 */
int td__reader_open(td__reader *r, const char *path, const char *who, int mapped);
void td__reader_close(td__reader *r);

/* Bring a PostgreSQL TM's cached copy up to date before a query (nothing for a file); never fails. */
void td__reader_refresh(td__reader *r);

/* *out: r's tokenizer for side (0 the query's, 1 the other) in lang; valid until the side's language changes. */
int td__reader_tokenizer(td_tokenizer **out, td__reader *r, int side, const char *lang);

/* *out: r's word model reader, made on first use. */
int td__reader_wm(td__wm_reader **out, td__reader *r);

/* A copy of s ("" for NULL), NULL without memory: for the strings an answer owns. */
char *td__strdup(const char *s);

#endif
