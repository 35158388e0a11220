/*
 * Terminology internals shared by terms.c (the handle and the query),
 * terms_spell.c (the query term), terms_fts.c (the concordance index),
 * terms_cand.c (candidates), terms_rank.c (scoring), terms_result.c (the
 * result), termx.c (glossary extraction) and tbx.c (glossary writers).
 * Private to libtandem-memory; the model is in include/tandem/terms.h.
 */
#ifndef TANDEM_MEMORY_TERMS_INTERNAL_H
#define TANDEM_MEMORY_TERMS_INTERNAL_H

#include <libxml/hash.h>
#include <sqlite3.h>
#include <stdbool.h>

#include "tandem/terms.h"
#include "reader.h"
#include "tandem/token.h"
#include "wordmodel.h"

/*
 * A term-query handle. Invariants: rd.db is a read-only connection to a
 * file with the TM's unit table and the concordance index; every statement
 * is reset after use; tsrc/ttgt are rd's tokenizers for src/tgt, the pair
 * of the last query (made again when the pair changes).
 */
struct td_terms {
	td__reader rd;            /* the connection, its tokenizers and word model */
	char src[TD_TERMS_LANG_MAX], tgt[TD_TERMS_LANG_MAX];
	td_tokenizer *tsrc, *ttgt;
	sqlite3_stmt *st_ids;    /* rowids of the concordance rows matching ?1 */
	sqlite3_stmt *st_unit;   /* languages and texts of unit ?1 */
	sqlite3_stmt *st_count;  /* concordance rows matching ?1, at most ?2 */
	sqlite3_stmt *st_count_all; /* concordance rows matching ?1 */
	sqlite3_stmt *st_begin, *st_commit; /* a query's read transaction */
	td__wm_reader *wm;          /* rd's word model (wordmodel.h) */
};

/* The written forms of one expression with how often each was seen (a few kept). */
#define TD__TERMS_SURFACES 4
typedef struct {
	struct { char *s; int64_t n; } v[TD__TERMS_SURFACES];
	size_t n;
} td__surfaces;

int td__surfaces_add(td__surfaces *s, const char *text, size_t len);
const char *td__surfaces_best(const td__surfaces *s);
void td__surfaces_free(td__surfaces *s);

/*
 * The record keyed `key` in the array *v of *n records of `size` bytes,
 * found through h (which maps keys to index + 1): its index in *idx. When
 * absent, a zeroed record is appended and *added set; the caller fills it
 * (its key too). Used for the candidates, related words and glossary terms.
 */
int td__terms_slot(size_t *idx, bool *added, xmlHashTablePtr h, void **v, size_t *n, size_t *cap,
	size_t size, const char *key);

/* Whether the words of key `part` (stems joined by ' ') occur in order inside key `whole`. */
int td__terms_key_inside(const char *part, const char *whole);

/* Make tt's tokenizers those of the pair (kept while it stays the same). */
int td__terms_pair(td_terms *tt, const char *src_lang, const char *tgt_lang);

/* ---- the query term (terms_spell.c) ---- */

#define TD__TERMS_VARIANTS 4  /* spellings of one term word (as typed, umlauts, digraphs) */
#define TD__TERMS_WORDS 8     /* words of a term at most */

typedef struct {
	char *stem[TD__TERMS_VARIANTS]; size_t nstem;   /* a token matches when its stem is one of these */
	char *form[TD__TERMS_VARIANTS]; size_t nform;   /* case-folded spellings, for compounds */
	char *fts[2 * TD__TERMS_VARIANTS + 2]; size_t nfts; /* FTS prefixes */
	char *fold[TD__TERMS_VARIANTS];                 /* the spellings folded (td__terms_fold) */
	int german;          /* a German word: a token must also be an inflected form of a spelling */
	int upper;           /* German, typed with a capital: a noun, which a lower-case token is not */
} td__qword;

typedef struct {
	td__qword w[TD__TERMS_WORDS];
	size_t n;
} td__qterm;

char *td__terms_dup_n(const char *s, size_t n);

/* s with ä ö ü ß and the common Latin accents as plain letters (caller frees; NULL: no memory). */
char *td__terms_fold(const char *s);

/*
 * Parse term with tk (the source language's tokenizer): each word's stems,
 * spellings and FTS prefixes; German adds the umlaut, digraph and eszett
 * spellings. Free with td__qterm_free.
 */
int td__qterm_parse(td__qterm *q, td_tokenizer *tk, const char *term, int german);
void td__qterm_free(td__qterm *q);

/*
 * Whether token t of text is the word w: its stem is one of w's, and for
 * German an inflected form of one of its spellings (not a derived word with
 * the same stem), capitalised when w was typed so (text NULL: case unknown).
 */
int td__qword_is(const td__qword *w, const td_token *t, const char *text);

/*
 * Where the term occurs in tokens t[0,n) of text: spans (up to cap) into
 * sp, their number returned. The words must follow each other, a hyphen
 * may join them. exact (may be NULL): set when one occurrence is spelt as
 * typed (case aside), not another inflected form.
 */
size_t td__term_spans(td_terms_span *sp, size_t cap, const td__qterm *q, const td_token *t, size_t n,
	const char *text, int *exact);

/* The index of the term's last token when it begins at token i, else (size_t)-1. */
size_t td__term_at(const td__qterm *q, const td_token *t, size_t n, size_t i, const char *text);

/* Whether t is a longer word that begins with the one-word term. */
int td__term_compound(const td__qterm *q, const td_token *t);

/* ---- the concordance index (terms_fts.c) ---- */

typedef struct {
	sqlite3_int64 *v;
	size_t n, cap;
} td__idvec;

int td__terms_db_fail(td_terms *c, const char *what);

/* "COL : (("p1"* OR "p2"*) AND ("q1"*))": units with every word of the term. */
int td__qterm_fts(char **out, const td__qterm *q, const char *col);

/*
 * Rows of the concordance index matching fts: with ids, all their rowids in
 * rowid order into it; without, their number up to limit (< 0: all).
 */
int td__terms_rows(td_terms *c, int64_t *n, td__idvec *ids, const char *fts, int64_t limit);

/* ---- aligning the term inside a unit (terms_align.c) ---- */

typedef struct td__talign td__talign;

#define TD__TALIGN_WORDS 6
#define TD__TALIGN_ALTS 2

/* The target tokens that translate the term in one unit (none: no clear translation). */
typedef struct {
	size_t tok[TD__TALIGN_WORDS], n;   /* token indices, in target order */
	double conf;                        /* in [0,1] */
	int lex;                            /* the lexicon pairs the term with one of them */
	size_t alt[TD__TALIGN_ALTS], nalt;  /* runner-up single words, surest first */
	double altconf[TD__TALIGN_ALTS];
} td__talign_out;

/*
 * An aligner for term q (parsed with tsrc, the source tokenizer, which also
 * stems the parts of German compounds) with the lexicon lx (NULL: none) and
 * the TM's word model wm for the query's pair sl -> tl.
 */
int td__talign_new(td__talign **out, const td__qterm *q, td_tokenizer *tsrc, const td_lexicon *lx,
	td__wm_reader *wm, const char *sl, const char *tl, int german);
void td__talign_free(td__talign *a);

/* Words the term's translation may have: its words, a compound's parts counted. */
size_t td__talign_parts(const td__talign *a);

/* Count the target of a unit with the term into the term's own evidence (before aligning). */
int td__talign_count_target(td__talign *a, const td_token *t, size_t n);

/*
 * Align the term in one unit (source tokens s, target tokens t). The term
 * is where the nat byte spans at of the source say (a concordance's hits),
 * or, without spans, where its words occur.
 */
int td__talign_unit(td__talign *a, const td_token *s, size_t ns, const td_token *t, size_t nt,
	const td_terms_span *at, size_t nat, td__talign_out *out);

/*
 * The byte spans of an alignment's target words in text (their tokens t),
 * words with only spaces between them as one span; their number (at most
 * TD__TALIGN_WORDS) returned.
 */
size_t td__talign_spans(td_terms_span *sp, const td__talign_out *al, const td_token *t, const char *text);

/* ---- candidates (terms_cand.c) ---- */

#define TD__TERMS_EXAMPLES 3
#define TD__TERMS_FLOOR 0.2  /* translations under this share of the best Dice are not shown */

typedef struct {
	char *key;               /* stems of its content words joined by ' ' */
	size_t words;
	int64_t a;               /* aligned term units where it is the translation */
	size_t last;             /* 1 + index of the last unit counted */
	td__surfaces surf;       /* written forms */
	size_t ex[TD__TERMS_EXAMPLES], nex;
	td_terms_span exsp[TD__TERMS_EXAMPLES][TD__TALIGN_WORDS]; /* its words in each example */
	size_t nexsp[TD__TERMS_EXAMPLES];
	double conf;             /* sum of the units' alignment confidences times their weights */
	double score;
	int lex;
} td__cand;

typedef struct {
	int64_t id;
	char *source, *target;
	double weight;           /* 1 when the term is spelt as typed in it, less for another form */
} td__sunit;

/* A query's working set: candidates, examined units, related compounds. */
typedef struct {
	td__cand *v; size_t n, cap;
	xmlHashTablePtr h;
	td__sunit *u; size_t nu, ucap;     /* examined units with the term */
	struct { char *key, *form; int64_t n; size_t last; } *rel;
	size_t nrel, relcap;
	xmlHashTablePtr hrel;
} td__terms_work;

void td__terms_work_free(td__terms_work *w);

/* Count the translation aligned in unit ui (target tokens t of text) as a candidate. */
int td__terms_add_aligned(td__terms_work *w, size_t ui, const td__talign_out *al, const td_token *t,
	const char *text);

/* Count token t of unit ui's source (text) as a related compound. */
int td__terms_note_related(td__terms_work *w, size_t ui, const td_token *t, const char *text);

/* ---- ranking (terms_rank.c) ---- */

/*
 * Scores of the w->n candidates of the aligned units (their weights sum to
 * `aligned`), and their order shown (into order, room for w->n): best first.
 */
void td__terms_rank(td__cand **order, td__terms_work *w, double aligned);

/* ---- the result (terms_result.c) ---- */

/*
 * Fill r from the ranked candidates (td__terms_rank) and the units without
 * a clear translation (unclear: indices into w->u); scale turns aligned
 * counts into estimates for the nt units with the term.
 */
int td__terms_fill(td_terms_result *r, td_terms *c, td__terms_work *w, const td__qterm *q,
	td__cand **order, size_t norder, const size_t *unclear, size_t nunclear,
	const td_terms_opts *opts, double nt, double scale);

#endif
