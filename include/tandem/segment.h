/*
 * tandem: sentence segmentation.
 *
 * A document is a sequence of paragraphs, a paragraph a sequence of
 * sentences. td_seg_split cuts decoded text (td_text_decode's output: UTF-8, LF
 * line ends) into sentences and records, for each, its byte range in the text
 * and the paragraph it belongs to.
 *
 * Modes:
 *   TD_SEG_TEXT            an empty (or blank) line separates paragraphs; a
 *                          single line break inside a paragraph is a space.
 *   TD_SEG_LINE_PARAGRAPHS every non-empty line is one paragraph; a sentence
 *                          never continues across a line break.
 *   TD_SEG_PRESEGMENTED    every non-empty line is one sentence, as given; an
 *                          empty line ends a paragraph.
 * In the first two modes sentences come from ICU's sentence BreakIterator for
 * the language (any ICU locale; "@ss=standard" abbreviation suppressions are
 * added unless the locale names its own keywords), then tandem's own rules
 * for the language join pieces where ICU breaks wrongly on news text:
 * ordinals and dates ("am 27. Januar"), abbreviations ("z. B.", "Nr.",
 * "U.S."), initials. The rules are data tables in text/segrules.c.
 */
#ifndef TANDEM_SEGMENT_H
#define TANDEM_SEGMENT_H

#include <stdbool.h>
#include <stddef.h>

#include "tandem/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
	char *text;          /* the sentence, UTF-8, NUL-terminated, outer whitespace
			      * trimmed; inner line breaks and tabs become spaces */
	size_t start, end;   /* byte offsets into the decoded text: text[start..end)
			      * is the trimmed sentence as it stands there */
	unsigned paragraph;  /* 0-based paragraph index */
	size_t line, line_end; /* 1-based lines of the decoded text where it starts and ends */
} td_sentence;

typedef struct {
	td_sentence *v;      /* n sentences in text order */
	size_t n;
	unsigned nparagraphs; /* paragraphs holding at least one sentence */
} td_doc;

typedef enum { TD_SEG_TEXT = 0, TD_SEG_LINE_PARAGRAPHS, TD_SEG_PRESEGMENTED } td_seg_mode;

typedef struct {
	unsigned version;  /* TD_SEG_OPTS_VERSION, set by TD_SEG_OPTS_INIT */
	const char *lang;    /* ICU locale: "de", "en", "fr_CH", "de@ss=standard" ... */
	td_seg_mode mode;
	bool plain_icu;      /* ICU's breaks alone, without suppressions or tandem's rules
			      * (to compare with plain ICU) */
} td_seg_opts;
#define TD_SEG_OPTS_VERSION 1
#define TD_SEG_OPTS_INIT { .version = TD_SEG_OPTS_VERSION, .lang = "en", .mode = TD_SEG_TEXT, \
	.plain_icu = false }

/*
 * Split text[0..len) into *out (free with td_doc_free). opts NULL means
 * TD_SEG_OPTS_INIT. Returns 0, TD_EINVAL (not a language: td_seg_lang_valid), TD_EENCODING
 * (ICU refused the text) or TD_ENOMEM. Empty input gives a doc with n == 0.
 */
TD_EXTERN int td_seg_split(td_doc **out, const char *text, size_t len,
			   const td_seg_opts *opts);

/* Free a document from td_seg_split; td_doc_free(NULL) does nothing. */
TD_EXTERN void td_doc_free(td_doc *doc);

/*
 * The sentences [first, first+n) of doc joined by single spaces, tabs and
 * line breaks inside them made spaces too, so that the text fits one line of
 * a TSV or Moses file (malloc'd into *out; the caller frees it with free()).
 * TD_EINVAL when the range is outside the document.
 */
TD_EXTERN int td_doc_join(char **out, const td_doc *doc, size_t first, size_t n);

/* 1 when lang is a locale whose language ICU knows ("de", "en_GB", "gsw"), else 0. */
TD_EXTERN int td_seg_lang_valid(const char *lang);

#ifdef __cplusplus
}
#endif

#endif
