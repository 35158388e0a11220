/*
 * tandem: a bilingual lexicon of stems, for lexical evidence in alignment.
 *
 * Model. A lexicon maps a source stem to the set of target stems it may
 * translate to. Keys and values are stems exactly as td_tokenizer_run() produces
 * them for the two languages (td_token.stem), because every dictionary is
 * loaded through the same tokenizers. A dictionary entry "A B :: C D" (after
 * its annotations are stripped) contributes every content word (WORD tokens
 * that are not stop words) of the source side paired with every content word
 * of the target side; sides with more than TD_LEXICON_MAX_WORDS content words
 * (examples, idioms) are skipped because they pair mostly unrelated words.
 * Pairs from entries with one content word a side are strong, the others
 * weak; td_lexicon_lookup_ranked() puts the strong ones first.
 *
 * Readers (chosen by file name and content):
 *   Ding     "German :: English" lines as in Debian's trans-de-en
 *            (/usr/share/trans/de-en): '|' separates parallel alternatives
 *            (inflected forms, sub-entries), ';' synonyms; {…} […] (…) <…>
 *            are annotations and are dropped; '#' lines are comments.
 *   FreeDict dictd files as Debian ships them
 *            (/usr/share/dictd/freedict-deu-eng.index + .dict.dz): the index
 *            names headwords and base64 offsets into the gzip'ed (dictzip)
 *            text; an entry is the headword line, then senses whose
 *            translations are lines, separated by ',' or ';'.
 *   TSV      "src<TAB>tgt" lines; '#' lines and empty lines are skipped.
 *
 * German compounds. Looking up a German stem that is not a key tries to split
 * it into a modifier and the longest known head ("bundesregierungssprech" ->
 * "bundesregierung" + "sprech"), dropping a linking "s"/"es"/"n"/"en"/"e"
 * between them and splitting the modifier again when needed; the result is
 * the union of the parts' translations. Results of splitting (also failures)
 * are memoised inside the lexicon under a mutex, so td_lexicon_lookup() stays
 * safe to call from many threads on one shared lexicon.
 *
 * Cache. Reading a big dictionary through the tokenizers takes seconds, so
 * the frozen table of a dictionary of 1 MB or more is kept in a cache file
 * (opts.cache_dir; by default $XDG_CACHE_HOME/tandem or ~/.cache/tandem, one
 * file per dictionary and language pair) and read back in a fraction of that
 * when nothing it depends on changed: the dictionary files (size, time,
 * inode), the settings, and the program or library holding this code (any
 * rebuild starts afresh). Failing to write the cache is not an error.
 *
 * Threads. After td_lexicon_load() returns, the lexicon is read-only from
 * the caller's point of view: share one across threads.
 */
#ifndef TANDEM_LEXICON_H
#define TANDEM_LEXICON_H

#include <stdbool.h>
#include <stddef.h>

#include "tandem/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct td_lexicon td_lexicon;  /* immutable after load: share across threads */

#define TD_LEXICON_MAX_WORDS 2  /* content words per side of an entry, more: entry skipped */

typedef enum {
	TD_LEX_AUTO = 0,     /* by file name and content */
	TD_LEX_DING,
	TD_LEX_FREEDICT,     /* path is the .index or the .dict.dz; the other is beside it */
	TD_LEX_TSV
} td_lex_format;

typedef struct {
	unsigned version;  /* TD_LEXICON_OPTS_VERSION, set by TD_LEXICON_OPTS_INIT */
	const char *path;        /* NULL: search trans_dir and dictd_dir for the pair */
	const char *src_lang;    /* ISO 639-1 ("de") or an ICU locale */
	const char *tgt_lang;
	td_lex_format format;
	int reverse;             /* -1: from the file name (freedict-deu-eng, de-en), 0 no, 1 yes */
	const char *trans_dir;   /* NULL: /usr/share/trans */
	const char *dictd_dir;   /* NULL: /usr/share/dictd */
	bool decompound;         /* split unknown German compounds in lookups */
	const char *cache_dir;   /* NULL: $XDG_CACHE_HOME/tandem or ~/.cache/tandem; "": no cache */
} td_lexicon_opts;

#define TD_LEXICON_OPTS_VERSION 1
#define TD_LEXICON_OPTS_INIT { .version = TD_LEXICON_OPTS_VERSION, .path = NULL, .src_lang = NULL, \
	.tgt_lang = NULL, .format = TD_LEX_AUTO, .reverse = -1, .trans_dir = NULL, .dictd_dir = NULL, \
	.decompound = true, .cache_dir = NULL }

/*
 * path NULL: find Debian's dictionary for the pair (trans-de-en,
 * freedict-XXX-YYY, either direction). ISO 639-1 codes map to FreeDict's
 * 639-3 names (de deu, en eng, fr fra ...). TD_ENOTFOUND naming the places
 * looked at when none is installed; TD_EIO naming the path when a file
 * cannot be read; TD_EFORMAT naming the file and line of a malformed entry.
 * Free with td_lexicon_free().
 */
TD_EXTERN int td_lexicon_load(td_lexicon **out, const char *path, const char *src_lang, const char *tgt_lang);

/* The same with every setting; opts->src_lang and opts->tgt_lang are required. */
TD_EXTERN int td_lexicon_load_opts(td_lexicon **out, const td_lexicon_opts *opts);

/*
 * Target stems for a source stem (keys as td_token.stem); returns count, *out
 * valid while lx lives. 0 (and *out NULL) when the stem is unknown.
 */
TD_EXTERN size_t td_lexicon_lookup(const char *const **out, const td_lexicon *lx, const char *src_stem);

/*
 * The same, ranked: the first *nstrong targets are strong, from entries
 * whose two sides are one content word each ("Haus :: house"); the rest are
 * weak, known only from phrases ("Haus und Hof :: house and home" pairs
 * "haus" with "home"). Weak pairs find more true translations and more
 * chance matches; weigh them less. nstrong may be NULL.
 */
TD_EXTERN size_t td_lexicon_lookup_ranked(const char *const **out, size_t *nstrong, const td_lexicon *lx,
					  const char *src_stem);

/* True when tgt_stem is among the translations of src_stem. */
TD_EXTERN bool td_lexicon_has(const td_lexicon *lx, const char *src_stem, const char *tgt_stem);

/* The file the lexicon was read from (the .index for FreeDict). */
TD_EXTERN const char *td_lexicon_path(const td_lexicon *lx);

/* Number of source stems and of (source, target) pairs loaded. */
TD_EXTERN size_t td_lexicon_nkeys(const td_lexicon *lx);
TD_EXTERN size_t td_lexicon_npairs(const td_lexicon *lx);

TD_EXTERN void td_lexicon_free(td_lexicon *lx);

#ifdef __cplusplus
}
#endif

#endif
