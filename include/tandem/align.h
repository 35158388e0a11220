/*
 * tandem: sentence alignment.
 *
 * A bead pairs nsrc consecutive source sentences with ntgt consecutive target
 * sentences (1-1, 1-0, 0-1, 1-2, 2-1, 2-2, 1-3, 3-1). A ladder is the
 * sequence of beads that covers both documents in order; every bead carries a
 * score in [0,1], the aligner's confidence in it, that a user can threshold on.
 *
 * The score of an alignment against a gold alignment (`tandem score`) follows
 * the strict/lax precision/recall of Sennrich & Volk (2011) as implemented by
 * vecalign's score.py: counts are summed over document pairs, then P/R/F1.
 */
#ifndef TANDEM_ALIGN_H
#define TANDEM_ALIGN_H

#include <stddef.h>
#include <stdio.h>

#include "tandem/error.h"
#include "tandem/lexicon.h"
#include "tandem/segment.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
	size_t src, nsrc;    /* source sentences [src, src+nsrc) */
	size_t tgt, ntgt;    /* target sentences [tgt, tgt+ntgt) */
	double score;        /* confidence in [0,1] */
} td_bead;

typedef struct {
	td_bead *v;
	size_t n;
} td_ladder;

/* Free a ladder made by the library (td_align_run ...); NULL is a no-op. */
TD_EXTERN void td_ladder_free(td_ladder *ladder);

/*
 * A low-confidence region: a stretch of the ladder where most linked beads
 * score below 0.5 (a lone weak bead is not one), where the alignment has
 * probably gone wrong. Sentence numbers are 0-based.
 */
typedef struct {
	size_t bead, nbeads;     /* beads [bead, bead+nbeads) of the ladder */
	size_t src, nsrc;        /* source sentences [src, src+nsrc) */
	size_t tgt, ntgt;        /* target sentences [tgt, tgt+ntgt) */
	double mean;             /* mean score of the region's linked beads */
} td_region;

/* The low-confidence regions of a ladder in document order: *out malloc'd
 * (NULL when there is none, *nout 0). TD_ENOMEM. */
TD_EXTERN int td_ladder_regions(td_region **out, size_t *nout, const td_ladder *ladder);

/*
 * The regions as a JSON array, each {"source_lines": [first, last],
 * "target_lines": [..], "source_sentences": [..], "target_sentences": [..],
 * "beads": n, "mean_score": x}: lines 1-based in the decoded input files
 * (td_sentence.line), sentences 1-based. TD_EINVAL for a region outside the
 * documents, TD_EIO when a write fails.
 */
TD_EXTERN int td_region_write_json(FILE *f, const td_region *r, size_t n,
	const td_doc *src, const td_doc *tgt);

/* One line for a user: "low confidence: source lines 301-712, target lines
 * 402-889, mean score 0.21" (lines 1-based) into buf (cap bytes). */
TD_EXTERN int td_region_describe(char *buf, size_t cap, const td_region *r,
	const td_doc *src, const td_doc *tgt);

/* ---- Aligning a document pair ------------------------------------------- */

/*
 * How td_align_run works, in short (align/align_int.h and align/score.c have
 * the details): every sentence becomes a set of keys (dictionary translations,
 * the word itself, a cognate prefix, normalised numbers, question marks and
 * quotes) in an id space shared by both languages; the cost of a bead adds a
 * prior per shape, a Gale-Church length term (ratio and variance estimated
 * from the pair) and, per sentence, how little of it the other side covers.
 * A first pass gives confident 1-1 beads; from them the length variance is
 * re-estimated and a lexicon is learned (Dice), then the pair is aligned
 * again. The DP runs in a band around a path found on blocks of sentences
 * (coarse to fine), so time and memory grow linearly.
 *
 * The cost weights are exposed for benchmarks and experiments; the defaults
 * (TD_ALIGN_OPTS_INIT) are what the tool uses.
 */
typedef struct {
	unsigned version;  /* TD_ALIGN_OPTS_VERSION, set by TD_ALIGN_OPTS_INIT */
	const char *src_lang;        /* tokenizer language of the source ("de") */
	const char *tgt_lang;        /* ... of the target ("en") */
	const td_lexicon *lexicon;   /* NULL: no dictionary */
	bool learn;                  /* learn a lexicon from a first pass and realign */
	bool paragraphs;             /* paragraph marks are evidence, merges stay inside */
	double w_lex;                /* weight of the lexical term per sentence */
	double w_len;                /* weight of the length term */
	double skip;                 /* prior cost of an unaligned sentence */
	double merge;                /* prior cost of a 1-2 or 2-1 bead */
	double merge22;              /* prior cost of a 2-2 bead */
	double merge3;               /* prior cost of a 1-3 or 3-1 bead */
	double para;                 /* cost of a bead starting a paragraph on one side only */
	double x_max;                /* cap of the scaled coverage (1: a translation's typical) */
	const struct td_learned *learned; /* NULL, or word translations learned from a batch (td_learned) */
} td_align_opts;

#define TD_ALIGN_OPTS_VERSION 1
#define TD_ALIGN_OPTS_INIT { .version = TD_ALIGN_OPTS_VERSION, .src_lang = "de", .tgt_lang = "en", \
	.lexicon = NULL, .learn = true, .paragraphs = true, .w_lex = 4.0, .w_len = 1.0, .skip = 3.0, \
	.merge = 2.0, .merge22 = 5.0, .merge3 = 5.0, .para = 2.0, .x_max = 2.0, .learned = NULL }

/*
 * Align src with tgt. *out receives a ladder covering both documents in order
 * (free with td_ladder_free). Either document may be empty. TD_EINVAL for a
 * language the tokenizer refuses, TD_ENOMEM.
 */
TD_EXTERN int td_align_run(td_ladder **out, const td_doc *src, const td_doc *tgt, const td_align_opts *opts);

/* ---- A lexicon learned from a batch ------------------------------------- */

/*
 * Word translations learned from many aligned pairs (align/learned.c): the
 * Dice model td_align_run learns from one pair, with the counts summed over
 * the confident 1-1 beads of every pair added. td_learned_add may be called
 * from many threads at once; after td_learned_finish the lexicon is read-only
 * and is shared by all threads through td_align_opts.learned, whose
 * translations are added to the source words before a pair is aligned. The
 * result does not depend on the order of the adds.
 */
typedef struct td_learned td_learned;

TD_EXTERN int td_learned_new(td_learned **out);
/* Learn from the ladder td_align_run gave for src and tgt (opts: the languages). */
TD_EXTERN int td_learned_add(td_learned *l, const td_doc *src, const td_doc *tgt,
	const td_ladder *ladder, const td_align_opts *opts);
/* Compute the translations; no more adds after this. */
TD_EXTERN int td_learned_finish(td_learned *l);
/* Word pairs learned (after td_learned_finish). */
TD_EXTERN size_t td_learned_size(const td_learned *l);
TD_EXTERN void td_learned_free(td_learned *l);

/* ---- Writing a ladder --------------------------------------------------- */

typedef enum {
	TD_ALIGN_FMT_BEADS = 0,  /* "[0]:[0, 1]:0.93", the format of score.py */
	TD_ALIGN_FMT_TSV,        /* source TAB target TAB score, sentences joined by a space */
	TD_ALIGN_FMT_JSONL       /* {"src":[0],"tgt":[0,1],"score":0.93,"src_text":..,"tgt_text":..} */
} td_align_format;

/*
 * Write the beads with score >= min_score to f. src and tgt (the documents
 * that were aligned) are needed for TSV and JSONL; 1-0 and 0-1 beads are
 * written in every format (an empty text for the missing side). TD_EIO when a
 * write fails.
 */
TD_EXTERN int td_ladder_write(FILE *f, td_align_format fmt, const td_ladder *ladder,
	const td_doc *src, const td_doc *tgt, double min_score);

/*
 * Moses plain text: line k of fsrc and of ftgt hold the two sides of the k-th
 * bead with nsrc > 0, ntgt > 0 and score >= min_score (1-0 and 0-1 beads are
 * left out).
 */
TD_EXTERN int td_ladder_write_moses(FILE *fsrc, FILE *ftgt, const td_ladder *ladder,
	const td_doc *src, const td_doc *tgt, double min_score);

/*
 * The ladder as an SVG picture of the sentence grid (source along x, target
 * down y): one rect element per bead (class "b") coloured by its score from
 * red (0) to green (1), and one per low-confidence region (class "r", with
 * its 1-based lines in a title). TD_EIO when a write fails.
 */
TD_EXTERN int td_ladder_write_svg(FILE *f, const td_ladder *ladder);

/*
 * The sentence pairs of a ladder as corpus pipelines take them: every bead
 * with sentences on both sides and score >= min_score, as TSV
 * "src_url TAB trg_url TAB source TAB target TAB score" (fmt TSV; tabs and
 * line breaks in the URLs become spaces) or as JSON lines {"src_url",
 * "trg_url", "src_sentence", "trg_sentence", "score"} (fmt JSONL; others are
 * TD_EINVAL). Texts as td_ladder_write's. TD_EIO when a write fails.
 */
TD_EXTERN int td_ladder_write_urls(FILE *f, td_align_format fmt, const char *src_url,
	const char *tgt_url, const td_ladder *ladder, const td_doc *src, const td_doc *tgt,
	double min_score);

/* ---- Alignment files and their score ------------------------------------ */

/*
 * An alignment as read from a file in the vecalign format: one bead per line,
 * "[src ids]:[tgt ids]" with 0-based ids, optionally ":score"; e.g.
 * "[0]:[0, 1]", "[3, 4]:[5]:0.93", "[]:[6]". Blank lines are skipped. Id lists
 * are kept as written (they need not be contiguous).
 */
typedef struct td_alignment td_alignment;

/* Parse text (len bytes); name is used in messages ("gold.txt: line 3: ..."). */
TD_EXTERN int td_alignment_parse(td_alignment **out, const char *text, size_t len, const char *name);
/* Read and parse a file. */
TD_EXTERN int td_alignment_read(td_alignment **out, const char *path);
/* The beads of a ladder as an alignment. */
TD_EXTERN int td_alignment_from_ladder(td_alignment **out, const td_ladder *ladder);
/* Number of beads (lines) read. */
TD_EXTERN size_t td_alignment_size(const td_alignment *a);
TD_EXTERN void td_alignment_free(td_alignment *a);

/*
 * Counts accumulated over document pairs: prec[] for the hypothesis beads
 * (after de-duplication, beads with both sides empty dropped) checked against
 * the gold, rec[] for the gold beads checked against the hypothesis after
 * removing beads with an empty side from both. Each holds
 * { strict TP, strict FP, lax TP, lax FP }. A bead is a strict TP when it is
 * identical to a bead of the other side; a lax TP when some of its target ids
 * is aligned in the other side to some of its source ids.
 */
typedef struct {
	unsigned long prec[4], rec[4];
} td_alscore;
#define TD_ALSCORE_INIT { { 0, 0, 0, 0 }, { 0, 0, 0, 0 } }

typedef struct {
	double p_strict, r_strict, f_strict;
	double p_lax, r_lax, f_lax;
} td_alscore_result;

/* Add the counts of one document pair (gold, hypothesis) to acc. */
TD_EXTERN int td_alscore_add(td_alscore *acc, const td_alignment *gold, const td_alignment *hyp);
/* Precision, recall and F1 from the counts (0 where undefined). */
TD_EXTERN void td_alscore_compute(td_alscore_result *out, const td_alscore *acc);

#ifdef __cplusplus
}
#endif

#endif
