/*
 * Aligner internals shared by the files of align/: side storage (side.c),
 * features (features.c), coarsening (coarsen.c), keys and pair masks
 * (keys.c, pairs.c), the cost model (cost.c), the search (search.c), the
 * Dice learner (learn.c, learned.c) and the driver (align.c).
 *
 * Evidence model. Every token of a sentence is turned into a small set of
 * 64-bit keys in one id space shared by both languages, so that "token s of a
 * source sentence matches token t of a target sentence" is "they share a key":
 *   'w'+stem   target words by stem; source words by the stems of their
 *              dictionary translations and of their learned translations
 *   'i'+norm   the case-folded word itself (names, acronyms, shared words)
 *   'c'+prefix the first TD_COGNATE_PREFIX letters without accents, for words
 *              at least that long: cognates and inflected names
 *              ("Georgien"/"Georgia", "Expedition"/"expédition")
 *   'n'+number numbers as the tokenizer normalised them ("5.000" = "5,000")
 *   'p'+mark   question and exclamation marks, quotation marks (one key)
 * A sentence keeps its entries (key, token bit) sorted by key, so the tokens
 * two sentences share are found by one merge walk. Token k of a sentence with
 * t tokens owns bit k (t <= 64) or bit k*64/t (longer sentences: coverage is
 * then counted in 64ths), so what a group of sentences covers of a sentence
 * is the OR of pairwise masks: a merged bead is scored as the concatenation
 * it is, without re-walking the entries.
 */
#ifndef TANDEM_ALIGN_INT_H
#define TANDEM_ALIGN_INT_H

#include <stddef.h>
#include <stdint.h>

#include "dp.h"
#include "tandem/segment.h"
#include "tandem/lexicon.h"
#include "tandem/align.h"

#define TD_COGNATE_PREFIX 5

/*
 * An entry is one uint64: the key's upper 56 bits and, in the low byte, the
 * token's bit in the unit's coverage mask. Sorting entries sorts by key.
 */
#define TD_KEY_MASK (~(uint64_t)0xFF)
#define TD_ENTRY(key, bit) (((key) & TD_KEY_MASK) | (uint64_t)(bit))
#define TD_ENTRY_BIT(e) ((unsigned)((e) & 0x3F))

/* The mask bit of token k of a unit with nt tokens. */
static inline unsigned td_tok_bit(size_t k, size_t nt)
{
	return nt > 64 ? (unsigned)((uint64_t)k * 64 / nt) : (unsigned)k;
}

/* One side of a document pair at one level (sentences, or blocks of them). */
typedef struct {
	size_t n;            /* units */
	uint32_t *nchar;     /* characters of the unit (sentences joined by a space) */
	uint32_t *ntok;      /* counted tokens */
	uint32_t *para;      /* paragraph of the unit's first sentence */
	uint32_t *para_end;  /* paragraph of the unit's last sentence */
	unsigned char *pstart; /* 1: the unit starts a paragraph */
	unsigned char *label;  /* 1: the unit is a number alone ("IV.", "12"): a section label */
	unsigned char *endc;   /* how the unit's last sentence ends: TD_END_* */
	unsigned char *quotes; /* quotation marks in the unit (at most 255) */
	unsigned char *verse;  /* 1: the unit lies in a run of short lines (verse, a list): td__mark_verse */
	size_t *eoff;        /* n + 1 offsets into ent: unit u has ent[eoff[u] .. eoff[u+1]) */
	uint64_t *ent;
	size_t nent, entcap;
	size_t *toff;        /* n + 1 offsets into tw (and self): the unit's tokens */
	float *tw;           /* weight of every counted token (inverse document frequency) */
	size_t *boff;        /* n + 1 offsets into bw: min(ntok, 64) bits per unit */
	float *bw;           /* weight of each mask bit: the tokens it stands for */
	float *wtot;         /* total token weight of the unit */
	uint64_t *self;      /* sentence level only: every token's own key, for learning */
} td_side;

/*
 * How a sentence ends, after closing quotes and brackets: a full stop,
 * question or exclamation mark or ellipsis; a comma, semicolon or colon; a
 * dash; a letter or digit (a heading, a line of verse); anything else.
 */
enum { TD_END_STOP, TD_END_COMMA, TD_END_DASH, TD_END_WORD, TD_END_OTHER, TD_END_CLASSES };

/* How many more quotation marks one side of a bead holds than the other:
 * 0, 1, 2, 3 or more. */
#define TD_QUOTE_CLASSES 4
static inline unsigned td_quote_class(unsigned qs, unsigned qt)
{
	unsigned d = qs > qt ? qs - qt : qt - qs;

	return d < TD_QUOTE_CLASSES - 1 ? d : TD_QUOTE_CLASSES - 1;
}

/* Coverage (0..1) of unit u by a mask of its bits; -1 when it has no tokens. */
static inline double td_mask_cover(const td_side *side, size_t u, uint64_t mask)
{
	const float *bw = side->bw + side->boff[u];
	double sum = 0;

	if (!(side->wtot[u] > 0))
		return -1.0;
	while (mask) {
		sum += bw[__builtin_ctzll(mask)];
		mask &= mask - 1;
	}
	return sum / side->wtot[u];
}

/* side.c: storage of a side. */
void td_side_release(td_side *s);
/* Arrays for n units (no entries, no tokens yet). */
int td__side_alloc(td_side *s, size_t n);
/* Room for `more` entries after the side's last. */
int td__side_reserve(td_side *s, size_t more);
/* Append an entry to the side's last unit. */
static inline int td__side_push(td_side *s, uint64_t key, unsigned bit)
{
	int rc;

	if (s->nent == s->entcap && (rc = td__side_reserve(s, 1)) < 0)
		return rc;
	s->ent[s->nent++] = TD_ENTRY(key, bit);
	return 0;
}
/* Sort the entries of unit u (pushed since eoff[u]) and drop repeats. */
void td__side_finish(td_side *s, size_t u);
/* Bit weights and total weight of every unit, from the token weights. */
int td__side_bits(td_side *s);
/* Token weights from document frequencies of the tokens' own keys, and the
 * bit weights of every unit (sentence level). */
int td_side_weights(td_side *s);
/* coarsen.c: blocks of `factor` consecutive units of fine, as units of coarse, each
 * summarised by the `sketch` smallest keys it holds; with anchors (sorted
 * keys, not NULL), only those, each numbered by its occurrence on the side. */
int td_side_coarsen(td_side *coarse, const td_side *fine, size_t factor, size_t sketch,
	const uint64_t *anchors, size_t nanchors);

/* The most sentences on one side of a bead: the DP's shapes have at most 3,
 * beads grown after it (grow.c) up to this many. */
#define TD_BEAD_MAX 8

#define LENTAB_STEPS 32        /* length-cost table: steps per standard deviation */
#define LENTAB_SIZE (30 * LENTAB_STEPS)

/* Parameters of the cost (see cost.c) and statistics estimated per pair. */
typedef struct {
	double ratio;        /* target characters per source character */
	double var;          /* variance of (lt - ratio * ls) per source character */
	double tail_w;       /* weight of the wide part of the length model (0: one normal) */
	double tail_k;       /* variance of the wide part over var */
	double cover_rand;   /* mean coverage of a sentence by an unrelated one */
	double cover_true;   /* typical coverage of a sentence by its translation */
	double w_lex;        /* weight of the lexical term per sentence */
	double w_len;        /* weight of the length term */
	double skip;         /* prior cost of leaving one sentence unaligned */
	double merge;        /* prior cost of a 1-2 / 2-1 bead as given, and per sentence beyond four */
	double merge12;      /* prior cost of a 1-2 bead, fitted to the pair (align.c) */
	double merge21;      /* prior cost of a 2-1 bead, fitted to the pair */
	double merge22;      /* prior cost of a 2-2 bead (moved with merge12 and merge21) */
	double merge3;       /* prior cost of a 1-3 / 3-1 bead */
	double para;         /* cost of a bead that starts a paragraph on one side only */
	double x_max;        /* cap of the scaled coverage (1: a translation's typical) */
	size_t nshapes;      /* bead shapes searched: a prefix of td_shapes */
	int use_para;        /* paragraph marks are evidence and merges stay inside them */
	int use_end;         /* the last sentences' endings are evidence (end_pmi) */
	int use_verse;       /* both sides hold verse (td_side.verse): the terms below apply */
	double verse_lex;    /* the lexical weight of a verse line, as a part of w_lex */
	double verse_prior;  /* the priors of shapes other than 1-1 inside verse, times those of prose */
	/* log P(cs, ct) / (P(cs) P(ct)) of the endings of the last source and
	 * target sentence of a linked bead, estimated per pair: */
	double end_pmi[TD_END_CLASSES][TD_END_CLASSES];
	/* log P(d) / P_independent(d) of the difference d in quotation marks
	 * between the two sides of a linked bead (td_quote_class), per pair: */
	int use_quote;
	double quote_pmi[TD_QUOTE_CLASSES];
	/* Derived by td_cost_prepare(), so that the inner loop calls no libm: */
	double lo[TD_BEAD_MAX + 1], hi[TD_BEAD_MAX + 1]; /* coverage scale for a sentence covered by k others */
	/* -log P(|Delta| >= d) at d = i / LENTAB_STEPS standard deviations of the
	 * core part, for the tail_w and tail_k it was filled for: */
	double lentab[LENTAB_SIZE + 1];
	double tab_w, tab_k;
	int tab_ready;
} td_cost_params;

/* Fill the derived fields of cp after changing its statistics. */
void td_cost_prepare(td_cost_params *cp);

extern const td_dp_shape td_shapes[];
extern const size_t td_nshapes;
#define TD_COARSE_SHAPES 5   /* 1-1, 1-0, 0-1, 1-2, 2-1: enough for blocks */

/* Coverage masks of every source/target unit pair a bead in the band can hold. */
typedef struct {
	size_t n;            /* source units */
	size_t *plo, *phi;   /* unit s pairs with target units [plo[s], phi[s]) */
	size_t *poff;        /* n + 1 offsets into msrc/mtgt */
	uint64_t *msrc, *mtgt;
	size_t cap;
} td_pairs;

/* pairs.c */
void td_pairs_release(td_pairs *p);
int td_pairs_compute(td_pairs *p, const td_band *band, const td_side *src, const td_side *tgt);

/*
 * The masks are computed per document, not per pair: every entry of a side
 * in one list sorted by key (then unit), and one merge walk of the two lists
 * visits each key both sides hold once, giving its bits to the cells of the
 * units holding it that lie in the table. Cost: sorting the entries plus
 * the matches, instead of a merge walk of two units per cell.
 */
typedef struct {
	size_t n;            /* entries */
	uint64_t *ent;       /* sorted by key; a key's entries by unit */
	uint32_t *unit;      /* the unit of each entry */
} td_keyindex;

/* The index of n units' entries: unit u has ent[eoff[u] .. eoff[u+1]), sorted. */
int td_keyindex_build(td_keyindex *ix, size_t n, const size_t *eoff, const uint64_t *ent);
void td_keyindex_release(td_keyindex *ix);
/* Masks of the band's pairs (band NULL: every pair, n x m) from two indexes. */
int td_pairs_compute_ix(td_pairs *p, const td_band *band, size_t n, size_t m,
	const td_keyindex *src, const td_keyindex *tgt);
/* OR into p's masks what src's keys (entries added to a side, say) share with tgt. */
void td_pairs_add(td_pairs *p, const td_keyindex *src, const td_keyindex *tgt);
/* Masks of (s, t) from p (0 outside its table), or by a merge walk when p is NULL. */
void td_pairs_masks(uint64_t *ms, uint64_t *mt, const td_pairs *p, const td_side *src, size_t s,
	const td_side *tgt, size_t t);
/* The masks of one pair by a merge walk of the two units' entries (the reference). */
void td_pair_masks(uint64_t *ms, uint64_t *mt, const td_side *src, size_t s, const td_side *tgt, size_t t);

/* The masks of (s, t) from p's table (0 outside it). */
static inline uint64_t td__pair_src(const td_pairs *p, size_t s, size_t t)
{
	if (t < p->plo[s] || t >= p->phi[s])
		return 0;
	return p->msrc[p->poff[s] + (t - p->plo[s])];
}

static inline uint64_t td__pair_tgt(const td_pairs *p, size_t s, size_t t)
{
	if (t < p->plo[s] || t >= p->phi[s])
		return 0;
	return p->mtgt[p->poff[s] + (t - p->plo[s])];
}

/* Coverage (0..1) of unit s by target units [t0, t1), and of t by [s0, s1);
 * p NULL: by merge walks of the units' entries. */
double td_cover_src(const td_pairs *p, const td_side *src, const td_side *tgt, size_t s, size_t t0, size_t t1);
double td_cover_tgt(const td_pairs *p, const td_side *src, const td_side *tgt, size_t t, size_t s0, size_t s1);

/* cost.c: fill cost[cell * td_nshapes + k] for every cell of the band. */
int td_costs_fill(float *cost, const td_band *band, const td_pairs *pairs,
	const td_side *src, const td_side *tgt, const td_cost_params *cp);

/* Cost of one bead of a source and b target units ending at (i, j), a and b
 * up to TD_BEAD_MAX (pairs NULL: masks by merge walks); used for bead scores
 * and for beads beyond the DP's shapes. */
double td_bead_cost(const td_pairs *pairs, const td_side *src, const td_side *tgt,
	const td_cost_params *cp, size_t i, size_t j, unsigned a, unsigned b);

/* Mean over source units of the best coverage by a target unit within w of
 * the proportional diagonal: a first guess at a translation's coverage. */
double td_cover_window(const td_side *src, const td_side *tgt, size_t w);

/* Mean coverage of sentences by unrelated sentences (pairs far off the diagonal);
 * full: the masks of every pair, or NULL. */
double td_cover_random(const td_side *src, const td_side *tgt, const td_pairs *full);

/* search.c: whether a level of n x m units is aligned over the whole grid ... */
int td__full_grid(size_t n, size_t m);
/* ... and the cheapest ladder of src x tgt: *steps (malloc'd, *nsteps) in
 * document order; the band and pair masks used at this level are left in
 * band/pairs for scoring. guide: a path to search around (or NULL); block:
 * units per block of this level; pairs_ready: pairs holds the masks of the
 * full grid already (only when td__full_grid(n, m)). */
int td__align_level(td_dp_step **steps, size_t *nsteps, td_band *band, td_pairs *pairs,
	const td_side *src, const td_side *tgt, const td_cost_params *cp,
	const td_dp_step *guide, size_t nguide, size_t block, int pairs_ready);

/*
 * Learned lexicon (learn.c): from beads judged reliable, Dice coefficients
 * between the source tokens' own keys and the target tokens' keys; pairs that
 * co-occur often enough become extra 'w' keys of the source tokens. The
 * result is a sorted array of (source self key, target key) pairs.
 */
typedef struct {
	uint64_t src, tgt;
} td_keypair;

/*
 * How a source key with more qualifying translations than it keeps settles
 * ties at the last place: KEEP_SORTED (a batch) takes the best Dice, then the
 * smaller target key, whatever the order the candidates come in;
 * KEEP_RUNNING (a pair) walks them in target key order, keeps the first
 * ones and lets a later candidate replace the first of the weakest kept only
 * when its Dice is higher.
 */
enum td_dice_keep { TD_DICE_KEEP_SORTED, TD_DICE_KEEP_RUNNING };

/* The beads a Dice learner counts: every bead's distinct keys, in bead order. */
typedef struct {
	enum td_dice_keep keep;
	uint64_t *cs, *ct;           /* source / target keys of all beads */
	size_t ncs, nct;
	unsigned char *bn;           /* by bead: its source and target key counts, 2 bytes */
	size_t beads;
	size_t np;                   /* word pairs: the sum over beads of ns x nt */
} td_dice_beads;

/* The translations the beads give (malloc'd, sorted by source, then target key). */
int td__dice_learn(td_keypair **out, size_t *nout, const td_dice_beads *db);

/* The same from the beads (bead_s[b], bead_t[b]) of one pair. */
int td_learn_dice(td_keypair **out, size_t *nout, const td_side *src, const td_side *tgt,
	const size_t *bead_s, const size_t *bead_t, size_t nbeads);

/* qsort order: td_keypair by source, then target key. */
int td__cmp_keypair(const void *x, const void *y);

/* The distinct own keys of unit u's first `max` tokens, sorted, into buf. */
size_t td__distinct_keys(uint64_t *buf, size_t max, const td_side *side, size_t u);

/* features.c: the features of a document ... */
int td__build_side(td_side *side, const td_doc *doc, const char *lang, const td_lexicon *lex, int is_src);
/* ... and learned translations (sorted by source key) added to a source side
 * (its entries rebuilt). With delta (not NULL), the added entries alone go
 * there too (delta->n, eoff, ent), so that masks can be updated by what is new. */
int td__add_learned(td_side *src, const td_keypair *kp, size_t nkp, td_side *delta);
/* Mark the units of side in runs of lines shorter than half its median
 * sentence (median, in characters): verse, lists (td_side.verse); how many. */
size_t td__mark_verse(td_side *side, double median);
/* align.c: the length model's tail fitted to the deviations y[0..n) = d^2 / L
 * of a pass's 1-1 beads, starting from cp->var: sets cp->var, tail_w and
 * tail_k; tail_k is never below TD_TAIL_K0. */
#define TD_TAIL_K0 6.25
void td__fit_tail(td_cost_params *cp, const double *y, size_t n);
/* align.c: cp->merge12 and merge21 fitted to the shapes of a pass's ladder,
 * around cp->merge, and cp->merge22 moved by their mean move (once). */
void td__fit_merge_priors(td_cost_params *cp, const td_dp_step *steps, size_t nsteps);
/* features.c: the quotations a sentence opens (td_side.quotes). */
unsigned char td__count_quotes(const char *s);
/* align.c: cp->quote_pmi from the 1-1 beads of a pass's ladder (use_quote). */
void td__quote_stats(td_cost_params *cp, const td_dp_step *steps, size_t nsteps,
	const td_side *src, const td_side *tgt);
/* learned.c: a batch lexicon's translations added to a source side. */
int td__learned_apply(td_side *src, const td_learned *l);

/* keys.c: key of a string in a namespace (FNV-1a, 64 bit). */
uint64_t td_key(char ns, const char *s, size_t len);
/* The same of a NUL-terminated string, in one pass. */
uint64_t td_key_str(char ns, const char *s);

/* The ladder of a path with every bead's score (bead_scores.c): linked beads
 * by their cost per sentence, 1-0 / 0-1 beads by how badly the sentence
 * pairs with its neighbours on the other side. */
int td__make_ladder(td_ladder **out, const td_dp_step *steps, size_t nsteps,
	const td_pairs *pairs, const td_side *src, const td_side *tgt, const td_cost_params *cp);

/* The score of a linked bead of a + b sentences that costs cost. */
double td__bead_score(const td_cost_params *cp, double cost, unsigned a, unsigned b);

#endif
