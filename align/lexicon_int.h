/*
 * The lexicon's inside, private to libtandem-align: a builder the readers
 * feed with (left phrase, right phrase) pairs (lexicon_build.c), and the
 * frozen table.
 *
 * Frozen table: src stems are ids 0..nsrc-1 of `src`; the targets of id i
 * are tgts[off[i] .. off[i+1]), distinct pointers into the strings of `tgt`;
 * the first nstrong[i] of them came from one-word-to-one-word entries
 * (strong), the rest only from phrases (weak).
 *
 * Mapped table (loaded from the cache, map != NULL): the cache file is
 * mapped read-only and nothing is built on load; `src`, `off` and `nstrong`
 * are unused. Source stems are found through the hash index m_bucket (bucket
 * b: sources m_bucket[2b] .. m_bucket[2b+2], their stems consecutive from
 * m_src + m_bucket[2b+1]); the targets of source i are tgts[m_off[i] .. m_off[i+1]), filled
 * from m_tid/m_toff on its first lookup (under fill_mu, published through
 * m_ready[i]), so a lookup returns pointers like a built table's: one per
 * distinct target string.
 *
 * Nothing else changes after td_lexicon_load returns. The mutable parts are
 * the memo of compound splits, behind `memo_mu`, and the mapped table's
 * filled slots, behind `fill_mu`.
 */
#ifndef TD_LEXICON_INT_H
#define TD_LEXICON_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/strtab.h"
#include "tandem/lexicon.h"
#include "tandem/token.h"

struct td_lexicon {
	char *path;
	uint64_t gen;                      /* this load's number (thread memos of lookups) */
	char src_lang[16], tgt_lang[16];   /* language subtags, "de" */
	td_strtab src, tgt;                /* stems */
	uint32_t *off;                     /* src.n + 1 offsets into tgts */
	uint32_t *nstrong;                 /* by src id: the first nstrong targets are strong */
	const char **tgts;
	size_t npairs;

	/* Mapped from the cache (see above). */
	void *map;
	size_t maplen;
	const uint32_t *m_bucket, *m_off, *m_nstrong, *m_tid, *m_toff;
	const char *m_src, *m_tgt;         /* NUL-terminated strings; both blobs end with NUL */
	size_t m_nsrc, m_ntgt, m_srcbytes, m_tgtbytes, m_nbucket;
	atomic_uchar *m_ready;             /* by source index: its tgts slots are filled */
	pthread_mutex_t fill_mu;
	bool fill_mu_init;

	/* Loading only: pairs (src id << 32 | tgt id), in any order, with repeats. */
	uint64_t *pairs;
	size_t npairs_raw, cappairs;

	/* Compound splitting (German sources), memoised across lookups. */
	bool decompound;
	pthread_mutex_t memo_mu;
	bool memo_mu_init;
	td_tokenizer *memo_tk;             /* stems modifier pieces; used under memo_mu */
	td_strtab memo;                    /* looked-up stem -> memo id */
	const char *const **memo_res;      /* by memo id: union of translations (in memo_arena) */
	uint32_t *memo_n;                  /* by memo id: count at 2 id, strong ones at 2 id + 1 */
	size_t memo_rescap, memo_ncap;
	td_arena memo_arena;
};

/* A reader's view while loading: the tokenizers of the file's two sides. */
typedef struct {
	td_lexicon *lx;
	td_tokenizer *left, *right;  /* the file's left (headword) and right languages */
	bool reverse;                /* file left side is the lexicon's target language */
	const char *path;            /* for messages */
	size_t nentries;             /* entries that gave at least one pair */
} td_lexbuild;

/*
 * Content-word stems of `text` (tokenized with tk) interned into tab, in ids
 * (room for TD_LEXICON_MAX_WORDS). Returns the count, or 0 when there are
 * none or more than TD_LEXICON_MAX_WORDS; negative TD_E* on failure.
 */
int td_lexbuild_phrase(td_lexbuild *b, bool left, const char *text, size_t len, uint32_t *ids);

/* Add every pair of left ids x right ids (in lexicon direction). */
int td_lexbuild_pairs(td_lexbuild *b, const uint32_t *left, int nleft, const uint32_t *right, int nright);

/* The raw pairs as the frozen table: lx->off, lx->nstrong, lx->npairs and
 * *tid (malloc'd target ids, npairs of them). */
int td_lexbuild_freeze(td_lexicon *lx, uint32_t **tid);
/* Target ids -> the pointers lookups return (lx->tgts), from the strings tstr. */
int td_lexbuild_point(td_lexicon *lx, const uint32_t *tid, const char *const *tstr);

/*
 * The cache of frozen lexicons (lexicon_cache.c). td_lexcache_key: false
 * when there is no cache for this load (no cache directory, a small
 * dictionary, a file that cannot be identified); else the cache file's path
 * and the key its header must carry: a hash of everything that shapes the
 * table (dictionary files' identity and times, languages, format,
 * direction, TD_LEXICON_MAX_WORDS, the identity of the binary holding the
 * tokenizer). td_lexcache_read: 0 loaded (mapped), 1 no usable cache, <0
 * error. td_lexcache_find: the index of a source stem in a mapped table, or
 * -1; td_lexcache_targets: its targets (filled on first use), their count.
 */
bool td_lexcache_key(uint64_t *key, char *path, size_t cap, const char *cache_dir, const td_lexicon *lx,
		     td_lex_format format, bool reverse, const char *other_file);
int td_lexcache_read(td_lexicon *lx, const char *path, uint64_t key);
void td_lexcache_write(const td_lexicon *lx, const uint32_t *tid, const char *path, uint64_t key);
int64_t td_lexcache_find(const td_lexicon *lx, const char *stem, size_t len);
size_t td_lexcache_targets(td_lexicon *lx, size_t i, const char *const **out, size_t *nstrong);
void td_lexcache_unmap(td_lexicon *lx);

/* The readers. Each reads path and feeds b; errors name path and line. */
int td_lexread_ding(td_lexbuild *b, const char *path);
int td_lexread_tsv(td_lexbuild *b, const char *path);
int td_lexread_freedict(td_lexbuild *b, const char *index_path, const char *dict_path);

#endif
