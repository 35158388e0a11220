/*
 * tandem: exchanging a TM with other tools: TMX (1.1 to 1.4), TSV and Moses.
 *
 * Import reads a file into the TM as one document (kind "import"): one
 * transaction, so a malformed or truncated file, or a killed process,
 * leaves the TM as it was. Importing the same file (same SHA-256) again
 * adds nothing. TMX is streamed with libxml2's reader in constant memory;
 * the network is never used, external entities and DTDs are never loaded,
 * and entity references other than XML's five predefined ones are refused.
 *
 * What a translator sees of TMX inline markup: <bpt>, <ept>, <it> and <ut>
 * hold native formatting codes of the original format (RTF, HTML tags ...)
 * and are dropped like the formatting they stand for; <ph> holds a native
 * code standing for something (a line break, an image, a variable) and is
 * dropped, but separates the words around it; <hi> text is kept; <sub> text
 * (a footnote or an alt text inside a code) is kept, set apart by spaces.
 * White space on both sides of a dropped code becomes one. So
 * "<seg>Der <bpt i="1">&lt;b></bpt>Hund<ept i="1">&lt;/b></ept></seg>" is
 * stored as "Der Hund", and "foo<ph/>bar" and "foo <ph>x</ph> bar" as "foo bar".
 *
 * Languages in a TMX: a <tuv>'s xml:lang (TMX 1.4) or lang (1.1, 1.2). The
 * source language is opts->src_lang, else the <tu>'s srclang, else the
 * header's srclang; when that is "*all*", the first <tuv> of each <tu>.
 * Each other language of the <tu> that opts->tgt_lang selects (all when
 * NULL) gives one unit.
 *
 * Export writes units (optionally of one language pair) as TMX 1.4 valid
 * against the TMX 1.4b DTD, as TSV (source TAB target, one unit per line;
 * tabs and line breaks inside a text become spaces), or as Moses (two files,
 * line i of one translates line i of the other). Characters XML 1.0 forbids
 * are left out of TMX.
 */
#ifndef TANDEM_TMX_H
#define TANDEM_TMX_H

#include <stdint.h>
#include <stdio.h>

#include "tandem/tm.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum { TD_FORMAT_AUTO = 0, TD_FORMAT_TMX, TD_FORMAT_TSV, TD_FORMAT_MOSES } td_format;

/* The format named by a file's extension (.tmx, .tsv, .txt), or TD_FORMAT_AUTO when unknown. */
TD_EXTERN td_format td_format_from_path(const char *path);

typedef struct {
	unsigned version;  /* TD_IMPORT_OPTS_VERSION, set by TD_IMPORT_OPTS_INIT */
	td_format format;        /* AUTO: from the file name's extension */
	const char *src_lang;    /* TSV: required; TMX: see the top of this file */
	const char *tgt_lang;    /* TSV: required; TMX: NULL for every language in the file */
	const char *name;        /* file name recorded as provenance (NULL: the path) */
} td_import_opts;
#define TD_IMPORT_OPTS_VERSION 1
#define TD_IMPORT_OPTS_INIT { .version = TD_IMPORT_OPTS_VERSION, .format = TD_FORMAT_AUTO, \
	.src_lang = NULL, .tgt_lang = NULL, .name = NULL }

/* Why an item of the input did not become a unit. */
typedef enum {
	TD_SKIP_EMPTY = 0,        /* an empty source or target text */
	TD_SKIP_NO_SOURCE,        /* a <tu> without a variant in the source language */
	TD_SKIP_NO_TARGET,        /* a <tu> without a variant in a requested target language */
	TD_SKIP_DUPLICATE_LANG,   /* a second <tuv> of a language already seen in the <tu> */
	TD_SKIP_EMPTY_LINE,       /* a TSV line with nothing on it */
	TD_SKIP_NREASONS
} td_skip_reason;

typedef struct {
	int64_t read;                          /* <tu> elements or TSV lines read */
	int64_t added;                         /* new units */
	int64_t present;                       /* units already in the TM (provenance added) */
	int64_t skipped;                       /* items that gave no unit, by reason below */
	int64_t skips[TD_SKIP_NREASONS];
	int64_t first_skip_line[TD_SKIP_NREASONS];  /* line of the first item skipped for each reason */
} td_import_report;

/* A short English text for a skip reason ("empty source or target"). */
TD_EXTERN const char *td_skip_reason_name(td_skip_reason r);

/* Import a TMX or TSV file into the TM in one transaction. *out is filled even on failure. */
TD_EXTERN int td_tmx_import(td_import_report *out, td_tm *tm, const char *path, const td_import_opts *opts);

typedef struct {
	unsigned version;  /* TD_EXPORT_OPTS_VERSION, set by TD_EXPORT_OPTS_INIT */
	td_format format;        /* TMX, TSV or MOSES */
	const char *src_lang;    /* NULL: any */
	const char *tgt_lang;    /* NULL: any */
} td_export_opts;
#define TD_EXPORT_OPTS_VERSION 1
#define TD_EXPORT_OPTS_INIT { .version = TD_EXPORT_OPTS_VERSION, .format = TD_FORMAT_TMX, \
	.src_lang = NULL, .tgt_lang = NULL }

/*
 * Write the units to f (TMX, TSV) or to f and f2 (MOSES: source lines to f,
 * target lines to f2). *out_count gets the number of units written.
 * Write errors are TD_EIO.
 */
TD_EXTERN int td_tmx_export(int64_t *out_count, td_tm *tm, FILE *f, FILE *f2, const td_export_opts *opts);

#ifdef __cplusplus
}
#endif

#endif
