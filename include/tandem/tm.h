/*
 * tandem: the translation memory (TM): one SQLite file, or a PostgreSQL
 * database named by a libpq connection string ("postgresql://USER@HOST/DB"
 * or "host=... dbname=..."; credentials the libpq way: ~/.pgpass,
 * PGPASSFILE, service files, the PG* environment). Messages never show a
 * password of the string.
 *
 * Model. A translation unit is a pair (source text, target text) in a pair of
 * languages. A unit is stored once per (source language, target language,
 * source, target); every time it is seen again (another document pair,
 * another imported file, another position) only a provenance record is
 * added. A provenance record ties a unit to a "document": either an aligned
 * document pair (two file names with the SHA-256 of their bytes) or an
 * imported file (its name and SHA-256), with the position of the unit in it
 * (bead index, line or TU number), the alignment score when there is one,
 * the tool version and the time.
 *
 * Writing happens only inside a document: td_tm_begin_document opens one
 * SQLite transaction, td_tm_add_unit adds to it, td_tm_commit_document makes
 * all of it durable at once and td_tm_rollback forgets all of it. A failure
 * or a killed process leaves the TM exactly as it was before the document.
 *
 * Languages are BCP 47 tags, normalised on the way in and matched as
 * tandem/lang.h says: "de" selects "de", "de-DE" and "de-AT".
 *
 * Threads: a td_tm is used by one thread at a time. Give every thread or
 * process its own td_tm on the same file; SQLite's WAL mode and busy timeout
 * let them read concurrently and take turns writing.
 */
#ifndef TANDEM_TM_H
#define TANDEM_TM_H

#include <stddef.h>
#include <stdint.h>

#include "tandem/align.h"
#include "tandem/error.h"
#include "tandem/lang.h"
#include "tandem/segment.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct td_tm td_tm;
typedef struct td_tm_iter td_tm_iter;

/* A SHA-256 in lower-case hex, with its NUL. */
#define TD_HASH_HEX 65

enum {
	TD_TM_MUST_EXIST = 1 << 0, /* fail with TD_ENOTFOUND instead of creating a new TM */
	TD_TM_READONLY = 1 << 1    /* open for reading only (implies MUST_EXIST) */
};

/*
 * Open the TM at path, creating it when it does not exist (unless flags say
 * otherwise), and bring its schema up to date. A file that is not a tandem
 * TM (random bytes, another program's SQLite database, a TM written by a
 * newer tandem) is refused with TD_EFORMAT and left untouched.
 * *out is freed with td_tm_close.
 */
TD_EXTERN int td_tm_open(td_tm **out, const char *path, unsigned flags);

/* Close the TM; an open document is rolled back. td_tm_close(NULL) does nothing. */
TD_EXTERN void td_tm_close(td_tm *tm);

/* Where a document comes from. Strings are copied; NULL where not known. */
typedef struct {
	const char *kind;      /* "align" (a document pair) or "import" (an exchange file) */
	const char *src_name;  /* source file name, or the imported file */
	const char *tgt_name;  /* target file name (NULL for an import) */
	const char *src_hash;  /* hex SHA-256 of the source file's bytes (td_tm_hash_file) */
	const char *tgt_hash;  /* hex SHA-256 of the target file's bytes (NULL for an import) */
	const char *src_lang;  /* languages of the document pair, if known */
	const char *tgt_lang;
} td_tm_doc_info;
#define TD_TM_DOC_INFO_INIT { .kind = "align", .src_name = NULL, .tgt_name = NULL, .src_hash = NULL, \
	.tgt_hash = NULL, .src_lang = NULL, .tgt_lang = NULL }

/*
 * Start a document: opens the write transaction. A document already stored
 * (same kind and hashes) is reused, so storing the same file twice adds
 * nothing. Only one document is open at a time per td_tm.
 */
TD_EXTERN int td_tm_begin_document(td_tm *tm, const td_tm_doc_info *info);

/* One unit of the open document. Texts are UTF-8 (NFC-normalised on the way in). */
typedef struct {
	const char *src_lang, *tgt_lang; /* BCP 47; NULL: the document's languages */
	const char *source, *target;     /* non-empty after trimming outer white space */
	int64_t position;                /* bead index, line or TU number in the document */
	double score;                    /* alignment score in [0,1], or < 0 when none */
	int64_t src_first, src_count;    /* source sentences of the bead, or -1 / 0 */
	int64_t tgt_first, tgt_count;    /* target sentences of the bead, or -1 / 0 */
} td_tm_unit_in;
#define TD_TM_UNIT_IN_INIT { .src_lang = NULL, .tgt_lang = NULL, .source = NULL, .target = NULL, \
	.position = 0, .score = -1.0, .src_first = -1, .src_count = 0, .tgt_first = -1, .tgt_count = 0 }

typedef enum {
	TD_TM_ADDED = 0,    /* a new unit */
	TD_TM_PRESENT = 1,  /* the unit was there: provenance added (or already recorded) */
	TD_TM_PENDING = 2   /* a PostgreSQL TM: known when the document is committed */
} td_tm_add_result;

/*
 * Add a unit to the open document. *out (may be NULL) says whether it
 * was new; on a PostgreSQL TM, where units are written at commit, it is
 * TD_TM_PENDING. Invalid UTF-8, an empty text or an unknown language is TD_EINVAL
 * and leaves the transaction open (the caller decides to skip or roll back).
 */
TD_EXTERN int td_tm_add_unit(td_tm_add_result *out, td_tm *tm, const td_tm_unit_in *unit);

/* Make the open document durable. */
TD_EXTERN int td_tm_commit_document(td_tm *tm);
/* The same, and *added: how many of its units were new (on every store, PENDING ones counted). */
TD_EXTERN int td_tm_commit_document_counted(int64_t *added, td_tm *tm);

/* Forget everything since td_tm_begin_document; a no-op when none is open. */
TD_EXTERN int td_tm_rollback(td_tm *tm);

/*
 * Whether a document pair with these hashes is stored (tgt_hash NULL for an
 * imported file): *out is 1 or 0. Batch resume skips pairs already stored.
 */
TD_EXTERN int td_tm_has_document(int *out, td_tm *tm, const char *src_hash, const char *tgt_hash);

/* What td_tm_store_ladder did with the beads of a ladder. */
typedef struct {
	int64_t beads;          /* beads in the ladder */
	int64_t added;          /* new units */
	int64_t present;        /* units already stored (provenance added) */
	int64_t below_score;    /* 1-1 / n-m beads left out for a score under min_score */
	int64_t one_sided;      /* 1-0 and 0-1 beads (or blank text on a side): never units */
} td_tm_store_report;

/*
 * Store an aligned document pair as one document (info->kind "align", with
 * both file names and hashes): every bead with sentences on both sides and
 * a score >= min_score becomes a unit, its texts the bead's sentences joined
 * by one space, with the bead index, score and sentence spans as provenance.
 * All or nothing: one transaction. *out (may be NULL) gets the counts.
 */
TD_EXTERN int td_tm_store_ladder(td_tm_store_report *out, td_tm *tm, const td_tm_doc_info *info,
	const td_ladder *ladder, const td_doc *src, const td_doc *tgt, double min_score);

/* Figures for `tandem stats`. */
typedef struct {
	char src_lang[TD_LANG_MAX], tgt_lang[TD_LANG_MAX];
	int64_t units;
} td_tm_pair_count;

typedef struct {
	char kind[16];          /* "align" or "import" */
	int64_t documents;      /* documents of this kind */
	int64_t provenance;     /* provenance records pointing at them */
} td_tm_source_count;

typedef struct {
	int64_t units, documents, provenance;
	int64_t file_size;      /* bytes of the database file plus its WAL */
	int schema_version;
	td_tm_pair_count *pairs; size_t npairs;       /* most units first */
	td_tm_source_count *sources; size_t nsources;
} td_tm_stats;

/* Fill *out; release with td_tm_stats_free. */
TD_EXTERN int td_tm_stats_get(td_tm_stats *out, td_tm *tm);
TD_EXTERN void td_tm_stats_free(td_tm_stats *st);

/* One provenance record of a unit, as iteration gives it. */
typedef struct {
	const char *kind;       /* "align" or "import" */
	const char *src_name, *tgt_name;  /* tgt_name NULL for an import */
	const char *tool;       /* "tandem 0.1.0" */
	int64_t position;
	double score;           /* < 0 when none */
	int64_t time;           /* seconds since the epoch, UTC */
} td_tm_origin;

/* A unit as iteration gives it; valid until the next td_tm_iter_next. */
typedef struct {
	int64_t id;
	const char *src_lang, *tgt_lang, *source, *target;
	int64_t created;        /* seconds since the epoch, UTC */
	const td_tm_origin *origins; size_t norigins; /* the first few, oldest first */
	int64_t nprovenance;    /* how many provenance records the unit has in all */
} td_tm_unit;

/*
 * Iterate the units in storage order, optionally of one language pair (NULL
 * for any; matched as described at the top). Free with td_tm_iter_free.
 */
TD_EXTERN int td_tm_iter_new(td_tm_iter **out, td_tm *tm, const char *src_lang, const char *tgt_lang);
/* 1 and *out set: a unit; 0: the end; < 0: an error. */
TD_EXTERN int td_tm_iter_next(const td_tm_unit **out, td_tm_iter *it);
TD_EXTERN void td_tm_iter_free(td_tm_iter *it);

/*
 * spec (a TM file name or a PostgreSQL connection string) as it may be
 * printed: a password in it replaced by "***". malloc'd; NULL without memory.
 */
TD_EXTERN char *td_tm_display_name(const char *spec);

/* What td_tm_merge did: the input's records, and how many of them were new. */
typedef struct {
	int64_t documents, documents_added;
	int64_t units, units_added;
	int64_t provenance, provenance_added;
} td_tm_merge_report;

/*
 * Merge the TM at in_path into tm: every document (matched on kind and
 * hashes), every unit (matched on languages and texts, as td_tm_add_unit
 * does) and every provenance record (matched on unit, document and
 * position) of the input that tm does not hold is added, with the input's
 * names, scores, spans and times. One transaction: a failure or a killed
 * process leaves tm as it was, and merging the same input again adds
 * nothing, so a merge can simply be run again. The input is only read; it
 * must be a TM of this build's schema and not tm's own file (TD_EINVAL).
 * *out (may be NULL) gets the counts.
 */
TD_EXTERN int td_tm_merge(td_tm_merge_report *out, td_tm *tm, const char *in_path);

/*
 * The normalised form used for matching: NFC, case-folded, runs of white
 * space collapsed to one space, outer white space removed. *out is malloc'd.
 */
TD_EXTERN int td_tm_normalize_text(char **out, const char *text, size_t len);

/* SHA-256 of a file's bytes (hex into out, TD_HASH_HEX bytes), or of a buffer. */
TD_EXTERN int td_tm_hash_file(char *out, const char *path);
TD_EXTERN void td_tm_hash_bytes(char *out, const void *data, size_t len);

#ifdef __cplusplus
}
#endif

#endif
