/*
 * tandem: terminology from the TM ("how did we render Bundesregierung so
 * far, how often, and where?").
 *
 * Model. A query term is one or more words of the source language. A unit
 * of the language pair "has the term" when its source contains the words in
 * order, each in any inflected form: the tokens' Snowball stems (td_token.stem)
 * equal the term words' stems, and a German token differs from the word
 * only by an ending of up to 3 letters (umlauts read as plain vowels), not
 * "-ung": Snowball's German stems also join derived words (Bewerb and
 * Bewerbung), which are other words. German spellings with and without umlauts
 * ("München" / "Muenchen") and any case or Unicode normal form count as the
 * same word. A single-word term that begins a longer word
 * ("Bundesregierungssprecher" for "Bundesregierung") makes that word a
 * related compound: counted and shown apart, not used as evidence.
 *
 * The term's translation in a unit is found by a word alignment inside the
 * unit: the term's words (and a German compound's parts) compete with the
 * unit's other source words for each target word, by the bilingual lexicon,
 * identical words and cognates, numbers, and the word statistics the TM
 * keeps as units are added (memory/wordmodel.h). The aligned words (one or
 * a few, contiguous or not) of up to 24 units are the candidates, merged
 * when they are the same expression. A translation's score reflects how
 * sure the alignments are and how many units agree; a unit where nothing
 * aligns well is reported as unclear instead.
 *
 * Retrieval does not scan the TM: the units come from the concordance index
 * (FTS5 prefix queries on the term's stems, memory/index.h), and when more
 * than opts->sample units match, an evenly spread sample of them is
 * examined; counts are then estimates scaled to all matching units
 * (td_terms_result.sampled).
 *
 * A td_terms holds a read-only connection to the TM, two tokenizers and the
 * prepared queries; a glossary runs hundreds of queries through one. Use
 * one per thread. Results are plain data, owned by the caller.
 */
#ifndef TANDEM_TERMS_H
#define TANDEM_TERMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "tandem/error.h"
#include "tandem/lexicon.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct td_terms td_terms;

/*
 * Open the TM at path for term queries (read-only; never creates or changes
 * it). TD_ENOTFOUND when the file is missing, TD_EFORMAT when it is not a
 * tandem TM with the concordance index. Free with td_terms_close.
 */
TD_EXTERN int td_terms_open(td_terms **out, const char *path);
TD_EXTERN void td_terms_close(td_terms *tt);

typedef struct {
	unsigned version;  /* TD_TERMS_OPTS_VERSION, set by TD_TERMS_OPTS_INIT */
	const char *src_lang, *tgt_lang; /* required: the language pair ("de" also selects "de-AT") */
	size_t max;                      /* translations to return (10) */
	const td_lexicon *lexicon;       /* NULL: the TM's evidence alone */
	size_t sample;                   /* units examined at most (500) */
	size_t examples;                 /* example units per translation, at most 3 (3) */
} td_terms_opts;
#define TD_TERMS_OPTS_VERSION 1
#define TD_TERMS_OPTS_INIT { .version = TD_TERMS_OPTS_VERSION, .src_lang = NULL, .tgt_lang = NULL, \
	.max = 10, .lexicon = NULL, .sample = 500, .examples = 3 }

typedef struct { size_t start, end; } td_terms_span; /* byte offsets */

/* A unit that shows a translation, with the term and the translation marked. */
typedef struct {
	int64_t unit;                    /* unit id in the TM */
	char *source, *target;
	td_terms_span *src_spans; size_t nsrc_spans; /* the term in source */
	td_terms_span *tgt_spans; size_t ntgt_spans; /* the translation in target */
} td_terms_example;

typedef struct {
	char *target;          /* the expression as most often written ("a \u2026 b" when not contiguous) */
	size_t words;          /* its content words, 1 to 6 */
	int64_t count;         /* units with the term where it is the aligned translation (estimate
	                          when not every unit was aligned) */
	double share;          /* count / units */
	double dice;           /* mean alignment confidence of its units, in [0,1] */
	double score;          /* confidence in [0,1]: its units' alignment confidences against all
	                          aligned units, with a prior doubt (one sure unit ~0.85) */
	bool in_lexicon;       /* the lexicon pairs the term with a word of it */
	td_terms_example *examples; size_t nexamples;
} td_terms_translation;

typedef struct {
	char *form;            /* a longer word that begins with the term, as written */
	int64_t count;         /* units examined that contain it */
} td_terms_related;

typedef struct {
	char *term;            /* the query as given (NFC) */
	int64_t units;         /* units of the pair that have the term (estimate when sampled) */
	int64_t examined;      /* units whose text was examined */
	bool sampled;          /* true when not every matching unit was examined */
	int64_t aligned;       /* units the term was aligned in */
	td_terms_translation *v; size_t n;       /* best first */
	/* Units where no word aligns well with the term (no clear translation), a few. */
	td_terms_example *unclear; size_t nunclear;
	td_terms_related *related; size_t nrelated; /* most frequent first */
} td_terms_result;

/*
 * How the term in `term` (UTF-8, any case or normal form) has been
 * translated in the TM. An unknown term gives a result with n == 0 (not an
 * error). TD_EINVAL for a term without words or a missing language;
 * TD_EDB when the TM fails. Free *out with td_terms_result_free.
 */
TD_EXTERN int td_terms_query(td_terms_result **out, td_terms *tt, const char *term,
	const td_terms_opts *opts);

TD_EXTERN void td_terms_result_free(td_terms_result *r);

/* ---- glossary extraction ---- */

#define TD_TERMS_LANG_MAX 64

typedef struct {
	unsigned version;  /* TD_TERMS_EXTRACT_OPTS_VERSION, set by TD_TERMS_EXTRACT_OPTS_INIT */
	const char *src_lang, *tgt_lang; /* required */
	int64_t min_count;               /* units a term must occur in (3) */
	size_t max;                      /* terms at most, most frequent first (200) */
	const td_lexicon *lexicon;       /* NULL: the TM's evidence alone */
} td_terms_extract_opts;
#define TD_TERMS_EXTRACT_OPTS_VERSION 1
#define TD_TERMS_EXTRACT_OPTS_INIT { .version = TD_TERMS_EXTRACT_OPTS_VERSION, .src_lang = NULL, \
	.tgt_lang = NULL, .min_count = 3, .max = 200, .lexicon = NULL }

typedef struct {
	char *term;            /* as most often written in the sources */
	int64_t count;         /* units of the pair whose source has it */
	char *target;          /* best translation, NULL when none was found */
	int64_t target_count;  /* units supporting it */
	double score;          /* its confidence (td_terms_translation.score) */
} td_glossary_entry;

typedef struct {
	char src_lang[TD_TERMS_LANG_MAX], tgt_lang[TD_TERMS_LANG_MAX];
	td_glossary_entry *v; size_t n;  /* most frequent first */
} td_glossary;

/*
 * A glossary of the pair's frequent source terms with their best
 * translations. Terms: for German, capitalised words that do not begin a
 * sentence (nouns and names) and runs of two or three of them ("Angela
 * Merkel"); for other languages, content words and two-word collocations
 * by frequency. A term inside a longer term that holds >= 80 % of its
 * occurrences is left out. Every unit of the pair is read once (this is a
 * batch job). Free with td_glossary_free.
 */
TD_EXTERN int td_terms_extract(td_glossary **out, td_terms *tt, const td_terms_extract_opts *opts);

/* "term<TAB>translation<TAB>comment" lines, as OmegaT reads glossaries. */
TD_EXTERN int td_glossary_write_tsv(FILE *f, const td_glossary *g);

/*
 * TBX (TBX-Basic in the TBX 2019 core structure: martif, martifHeader,
 * text/body, termEntry, langSet xml:lang, tig/term), as OmegaT reads it.
 * Entries without a translation carry only the source langSet.
 */
TD_EXTERN int td_glossary_write_tbx(FILE *f, const td_glossary *g);

TD_EXTERN void td_glossary_free(td_glossary *g);

#ifdef __cplusplus
}
#endif

#endif
