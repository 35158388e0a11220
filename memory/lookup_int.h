/*
 * Private to lookup.c, concord.c and concord_align.c: the body of
 * td_lookup and what they share of it.
 */
#ifndef TANDEM_MEMORY_LOOKUP_INT_H
#define TANDEM_MEMORY_LOOKUP_INT_H

#include <sqlite3.h>
#include <stdio.h>

#include "index.h"
#include "reader.h"
#include "tandem/concord.h"
#include "tandem/lookup.h"
#include "tandem/token.h"

/*
 * What a query's index reads found out about one unit: the idf weight and
 * the query weight of the rare keys in it (from their posting lists), and
 * the same for the frequent keys (from AND queries). One struct per unit the
 * query touched, in the order they were touched, so that ranking them reads
 * one array front to back.
 */
typedef struct {
	int64_t id;
	float acc, cnt;           /* rare keys */
	float accf, cntf;         /* frequent keys */
} td__acc;

/*
 * A posting list that was slow to read, kept until the TM changes. A key
 * that few sources hold but many targets do (an English word or name in a
 * German query) costs FTS5 a walk over every target occurrence to find the
 * few in a source column: reading "The" takes as long as 40 ordinary keys.
 */
typedef struct {
	char *match;              /* the FTS5 query */
	int64_t limit;            /* the LIMIT it was read with */
	int64_t *ids;
	size_t n;
} td__slowpost;
#define TD__SLOWPOST_MAX 64

/* One scored unit. */
typedef struct {
	int64_t id;
	double score, charsim;
} td__scored;

struct td_lookup {
	td__reader rd;            /* the connection, its tokenizers and word model */
	sqlite3_stmt *st_post, *st_newest, *st_unit, *st_origin, *st_seen, *st_maxid, *st_scan;
	td_tokenizer *tk;         /* rd's for the query's language, from td__lookup_tokenizer on */
	td__dp dp;                /* dp.q: the query's tokens */
	td_lookup_match *m;       /* the last answer; strings and diffs owned */
	size_t nm, mcap;
	uint32_t *slot;           /* per unit id: 0, or 1 + its place in `touched` during a query */
	size_t slotcap;
	td__acc *touched;         /* the units the query's index reads found */
	size_t ntouched, touchedcap;
	unsigned long long *freq; /* hashes of words known to be frequent, sorted */
	size_t nfreq, freqcap;
	int64_t *ids;             /* rowids of the last posting-list read */
	size_t nids, idscap;
	td__slowpost slow[TD__SLOWPOST_MAX];  /* slow posting lists of the TM as of data_version */
	size_t nslow, slownext;
	int64_t slow_base_ns, slow_row_ns;  /* what counts as slow (SLOW_BASE_NS, SLOW_ROW_NS; tests: all) */
	sqlite3_stmt *st_dver;    /* PRAGMA data_version: other connections' commits */
	sqlite3_stmt *st_pair;    /* td_lookup_has_pair, prepared on first use */
	int64_t dver;
	td__scored *top;
	size_t topcap;
	int has_sig;              /* the TM has fingerprints (td_sig, schema 4) */
	sqlite3_blob *blob;       /* on td_sig.sig during a query, NULL otherwise */
	unsigned char *sigs;      /* td_lookup_preload: every fingerprint, in id order */
	size_t *sigoff;           /* unit id's blob is sigs[sigoff[id], sigoff[id + 1]) */
	int64_t sigmax;           /* the highest id loaded; newer units are read one by one */
	int sigs_shared;          /* sigs/sigoff belong to another td_lookup (td_lookup_share_preload) */
	td__sig qsig;             /* the query's fingerprint */
	unsigned char *sigbuf;
	size_t sigcap;
	/* concordance answer */
	td_concord_hit *ch;
	size_t nch, chcap;
};

/* concord.c: release the concordance answer being built; release hits. */
void td__concord_free(td_lookup *lk);
void td__concord_hits_free(td_concord_hit *v, size_t n);
/* Make lk->tk the reader's tokenizer for lang (valid until the next query). */
static inline int td__lookup_tokenizer(td_lookup *lk, const char *lang)
{
	return td__reader_tokenizer(&lk->tk, &lk->rd, 0, lang);
}
/* concord_align.c: mark in lk->ch[0, n) the other side's words aligned to the phrase. */
int td__concord_align(td_lookup *lk, const char *phrase, const td_concord_opts *o, size_t n);

#endif
