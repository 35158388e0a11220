/*
 * tandem: alignment batches over many document pairs.
 *
 * A batch is a list of document pairs (td_batch_pairs), found in a directory
 * (NAME.SRC next to NAME.TGT) or read from a LIST file of
 * "source<TAB>target[<TAB>name]" lines. Each pair has a NAME, used for output
 * files (DIR/NAME.FORMAT) and in reports.
 *
 * td_batch_run aligns the pairs with a pool of worker threads. The calling
 * thread reads each pair's files, asks `check` whether to skip it (resume),
 * and receives every result through `deliver`, in input order: it is the one
 * writer, so whatever deliver writes to (a TM, output files) is touched by one
 * thread only. Workers decode, segment and align; they share the read-only
 * alignment options (the lexicon) and never call back. At most `window`
 * pairs are between reading and delivery, so memory does not grow with the
 * number of pairs. A pair that fails (unreadable, undecodable, ...) is
 * delivered with its error and the batch goes on.
 *
 * With `learn`, a first pass aligns up to 1000 pairs spread evenly over the
 * batch and collects their confident beads; the aligner learns word
 * translation probabilities from all of them, and the second pass aligns
 * every pair again with that batch lexicon (and, when the options have a
 * dictionary, with what it learns from the pair itself). Only the second pass
 * is delivered. The first pass includes pairs that `check` would skip, so a
 * resumed batch learns the same lexicon as an uninterrupted one.
 */
#ifndef TANDEM_BATCH_H
#define TANDEM_BATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "tandem/align.h"
#include "tandem/error.h"
#include "tandem/segment.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
	char *name;   /* DIR: the file name without ".SRC"; LIST: third column or source base name */
	char *src;    /* path of the source document */
	char *tgt;    /* path of the target document */
	size_t line;  /* LIST: 1-based line number; DIR: 0 */
} td_batch_pair;

typedef struct {
	td_batch_pair *v;   /* pairs, DIR: sorted by name (bytes); LIST: in file order */
	size_t n;
	char **unmatched;   /* DIR: paths of NAME.SRC without NAME.TGT and the reverse, sorted */
	size_t nunmatched;
} td_batch_pairs;

/*
 * The pairs of a directory: every regular file DIR/NAME.SRC_EXT with a
 * DIR/NAME.TGT_EXT beside it (extensions without the dot, compared exactly).
 * Files with other extensions are ignored; a NAME.SRC_EXT or NAME.TGT_EXT
 * without its partner is listed in `unmatched`. Subdirectories are not entered.
 * *out is owned by the caller (td_batch_pairs_free). Fails with TD_EIO when
 * the directory cannot be read, TD_EINVAL when the extensions are equal or empty.
 */
TD_EXTERN int td_batch_pairs_dir(td_batch_pairs **out, const char *dir,
	const char *src_ext, const char *tgt_ext);

/*
 * The pairs of a LIST file: one "source<TAB>target[<TAB>name]" per line; empty
 * lines and lines starting with '#' are skipped; CR LF line ends are accepted.
 * Paths are used as written (relative ones against the working directory).
 * Without a name, the name is the source's base name without its last
 * extension. Fails with TD_EFORMAT naming the line when a line has the wrong
 * number of fields, an empty field, a name that is not a plain file name, or a
 * name an earlier line already has; TD_EIO when the file cannot be read.
 */
TD_EXTERN int td_batch_pairs_list(td_batch_pairs **out, const char *list_path);

TD_EXTERN void td_batch_pairs_free(td_batch_pairs *pairs);

/*
 * Shards: a cluster splits one list of pairs over N machines, each taking
 * shard K (0 <= K < N), without talking to the others. A pair belongs to
 * shard (the first 8 bytes of the SHA-256 of its NAME's bytes, read as a
 * big-endian unsigned 64-bit number) mod N; in Python
 *   int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big") % n
 * The split depends only on the names, never on the order or the machine.
 */
TD_EXTERN unsigned td_batch_shard_of(const char *name, unsigned nshards);

/*
 * Keep only the pairs of shard k of n (in their order); unmatched files are
 * kept with the shard their name would have. TD_EINVAL unless n >= 1 and
 * k < n.
 */
TD_EXTERN int td_batch_pairs_shard(td_batch_pairs *pairs, unsigned k, unsigned n);

/* Bead types counted per pair; TD_BEAD_OTHER is any other shape. */
typedef enum {
	TD_BEAD_1_1, TD_BEAD_1_0, TD_BEAD_0_1, TD_BEAD_1_2, TD_BEAD_2_1,
	TD_BEAD_2_2, TD_BEAD_1_3, TD_BEAD_3_1, TD_BEAD_OTHER, TD_BEAD_NTYPES
} td_bead_type;

/* The type of a bead, and its name ("1-1", "other"). */
TD_EXTERN td_bead_type td_bead_type_of(const td_bead *b);
TD_EXTERN const char *td_bead_type_name(td_bead_type t);

/* A linked bead scoring below this is weak (td_batch_stats.weak). */
#define TD_BATCH_WEAK_SCORE 0.5

/* What a corpus builder wants to know about one aligned pair. */
typedef struct {
	size_t nsrc, ntgt;               /* sentences */
	size_t src_chars, tgt_chars;     /* characters (code points) in the sentences */
	size_t beads;
	size_t types[TD_BEAD_NTYPES];    /* beads by type */
	size_t linked;                   /* beads with sentences on both sides */
	size_t weak;                     /* linked beads scoring below TD_BATCH_WEAK_SCORE */
	double mean_score, min_score;    /* over all beads; 0 when there is none */
	size_t regions;                  /* low-confidence regions (td_ladder_regions) */
} td_batch_stats;

/* The stats of src and tgt aligned by ladder. */
TD_EXTERN void td_batch_stats_of(td_batch_stats *st, const td_doc *src, const td_doc *tgt,
	const td_ladder *ladder);

/*
 * Flags that point a corpus builder at the pairs worth a look. The rules,
 * set on newstest2019 hard (145 correct pairs) against the same documents
 * paired wrongly (each German article with the next article's English): with
 * the dictionary no correct pair gets a flag and 115 of the wrong ones do
 * (85 low_confidence, 65 many_unaligned); without it 7 correct pairs are
 * low_confidence and 141 wrong pairs get a flag.
 *   low_confidence  more than half of the linked beads are weak (score below
 *                   TD_BATCH_WEAK_SCORE);
 *   many_unaligned  1-0 and 0-1 beads are more than 30 % of all beads and at
 *                   least 3;
 *   length_ratio    |log(src chars / tgt chars) - the batch's median| is more
 *                   than 0.2 + 4 MAD * sqrt(median size / size): short
 *                   documents vary more (needs 5 aligned pairs in the batch);
 *   decode_error    a side could not be decoded (td_batch_result.decode_error);
 *   low_confidence_regions  the ladder has low-confidence regions
 *                   (td_ladder_regions): a stretch lost even if the rest is good.
 */
typedef enum {
	TD_BATCH_FLAG_LOW_CONFIDENCE = 1 << 0,  /* most linked beads are weak */
	TD_BATCH_FLAG_LENGTH_RATIO = 1 << 1,    /* character ratio far from the batch's median */
	TD_BATCH_FLAG_MANY_UNALIGNED = 1 << 2,  /* many 1-0 / 0-1 beads: maybe not translations */
	TD_BATCH_FLAG_DECODE_ERROR = 1 << 3,    /* a side could not be decoded */
	TD_BATCH_FLAG_REGIONS = 1 << 4          /* low-confidence regions in the ladder */
} td_batch_flag;

/* The batch's length ratios: what length_ratio compares a pair with. */
typedef struct {
	double median;      /* of log((src chars + 1) / (tgt chars + 1)) */
	double mad;         /* median absolute deviation from it */
	double size;        /* median characters of a pair (both sides) */
	size_t n;           /* pairs with beads they come from */
} td_batch_ratios;

/*
 * The length ratios of stats[0, n): the pairs with at least one bead count
 * (give failed and skipped pairs zeroed stats). TD_ENOMEM, else 0.
 */
TD_EXTERN int td_batch_ratios_of(td_batch_ratios *out, const td_batch_stats *stats, size_t n);

/*
 * The flags (td_batch_flag bits) of a pair with stats s (zeroed when it was
 * not aligned) in a batch with ratios r; decode_error as delivered.
 */
TD_EXTERN unsigned td_batch_flags_of(const td_batch_stats *s, bool decode_error,
	const td_batch_ratios *r);

/* The name of one flag bit ("low_confidence"), NULL for anything else. */
TD_EXTERN const char *td_batch_flag_name(unsigned flag);

typedef struct {
	const td_batch_pair *pair;
	size_t index;          /* position of the pair in the list */
	int status;            /* 0, or the TD_E* code of the failure */
	const char *error;     /* the failure, one line ("" when status is 0) */
	bool decode_error;     /* the failure was decoding a side (bad bytes, unknown encoding) */
	bool skipped;          /* check said skip: nothing was aligned */
	const td_doc *src;     /* the documents and their alignment: NULL when */
	const td_doc *tgt;     /* the pair failed or was skipped */
	const td_ladder *ladder;
	td_batch_stats stats;  /* zero when failed or skipped */
	void *tag;             /* what check set, handed back (freed with tag_free after deliver) */
} td_batch_result;

typedef struct {
	unsigned pass, npasses;  /* 1-based: with learn, pass 1 of 2 learns */
	size_t done, total;      /* pairs of this pass handled (aligned, skipped or failed) */
	size_t failed, skipped;  /* of this pass */
	size_t sentences;        /* source sentences aligned in this pass */
	double elapsed;          /* seconds since the batch started */
	double rate;             /* source sentences per second in this pass */
	double eta;              /* seconds until the batch ends (estimate; < 0 unknown) */
} td_batch_progress;

/*
 * On the calling thread, before pair `pair` is aligned (second pass only):
 * its raw file bytes, to decide whether to skip it (*skip = 1; e.g. because a
 * TM already holds it) and to compute something the deliver callback needs
 * (*tag, freed by tag_free). Non-zero stops the batch with that code.
 */
typedef int (*td_batch_check_fn)(void *ud, const td_batch_pair *pair,
	const void *src, size_t src_len, const void *tgt, size_t tgt_len, int *skip, void **tag);
/* On the calling thread, in input order; the result is valid during the call. */
typedef int (*td_batch_deliver_fn)(void *ud, const td_batch_result *result);
typedef void (*td_batch_progress_fn)(void *ud, const td_batch_progress *progress);

typedef struct {
	unsigned version;  /* TD_BATCH_OPTS_VERSION, set by TD_BATCH_OPTS_INIT */
	const char *src_lang, *tgt_lang;  /* languages of all pairs (segmentation, lexicon) */
	const char *encoding;             /* input encoding; NULL: detect per file */
	td_seg_mode seg_mode;             /* TD_SEG_TEXT, TD_SEG_PRESEGMENTED, ... */
	const td_align_opts *align;       /* aligner options (NULL: defaults), shared read-only */
	bool learn;                       /* two passes with a lexicon learned from the batch */
	unsigned jobs;                    /* worker threads; 0: the number of online processors */
	size_t window;                    /* pairs in flight; 0: 4 per worker */
	bool ordered;                     /* deliver in input order, else as finished */
	td_batch_check_fn check;          /* may be NULL: nothing is skipped */
	td_batch_deliver_fn deliver;      /* required */
	td_batch_progress_fn progress;    /* may be NULL */
	void (*tag_free)(void *tag);      /* may be NULL when check sets no tag */
	void *ud;                         /* passed to the callbacks */
} td_batch_opts;
#define TD_BATCH_OPTS_VERSION 1
#define TD_BATCH_OPTS_INIT { .version = TD_BATCH_OPTS_VERSION, .src_lang = "de", .tgt_lang = "en", \
	.encoding = NULL, .seg_mode = TD_SEG_TEXT, .align = NULL, .learn = true, .jobs = 0, .window = 0, \
	.ordered = true, .check = NULL, .deliver = NULL, .progress = NULL, .tag_free = NULL, .ud = NULL }

/*
 * Align every pair of `pairs`. Returns 0 when every pair was delivered
 * (failed pairs included: see their status), else the first non-zero code of
 * a callback or TD_ENOMEM, TD_EINVAL (bad options) with the batch stopped.
 */
TD_EXTERN int td_batch_run(const td_batch_pairs *pairs, const td_batch_opts *opts);

/*
 * A stream of document pairs, one per line, as corpus pipelines pass them
 * (bitextor's document-pair files): tab-separated fields, the texts
 * base64-encoded. Without `columns` every line is a pair and its first four
 * fields are src_url, trg_url, src_text, trg_text (more fields are ignored).
 * With columns, "A,B,C,D" names those four in that order, and the first line
 * is a header that must have a column of each name (bitextor's "src_index
 * trg_index src_url trg_url src_text trg_text ..."). Empty lines are skipped.
 * `name` names the stream in messages ("stdin"). The stream reads `in` from
 * where it is and never closes it.
 */
typedef struct td_batch_stream td_batch_stream;

TD_EXTERN int td_batch_stream_new(td_batch_stream **out, FILE *in, const char *name,
	const char *columns);
TD_EXTERN void td_batch_stream_free(td_batch_stream *s);

/*
 * Align the pairs of a stream as td_batch_run aligns a list, until the end of
 * the input. The results' pairs are valid during deliver: name "line N",
 * src and tgt the two URLs, line N (1-based, the header counted). A line that
 * is malformed (too few fields, an empty URL, a text that is not base64 or
 * does not decode) is delivered as a failed pair whose error names the
 * stream and the line; the stream goes on. The decoded bytes are read as a
 * file's would be (opts->encoding, else detection; opts->seg_mode). A stream
 * has no first pass: opts->learn must be 0 (TD_EINVAL); the aligner's own
 * options (opts->align: lexicon, learning from each pair) apply. Progress
 * has total 0 and eta -1 (unknown). opts->check is not called.
 */
TD_EXTERN int td_batch_run_stream(td_batch_stream *s, const td_batch_opts *opts);

#ifdef __cplusplus
}
#endif

#endif
