/*
 * The lexicon builder: the readers (lexicon_read.c) feed it (left phrase,
 * right phrase) pairs of stems; frozen, they become the stem table that
 * lexicon.c looks up.
 */
#include "lexicon_int.h"
#include "base/buf.h"

#include <stdlib.h>
#include <string.h>

#include "tandem/error.h"

#define STRONG 0x80000000u  /* flag on a target id in raw pairs */

int td_lexbuild_phrase(td_lexbuild *b, bool left, const char *text, size_t len, uint32_t *ids)
{
	td_tokenizer *tk = left ? b->left : b->right;
	td_strtab *tab = (left != b->reverse) ? &b->lx->src : &b->lx->tgt;
	const td_token *t;
	size_t n;
	int k = 0, rc, words = 0;

	/* Example sentences and idioms: more words than MAX_WORDS content words
	 * could come with, skipped before the costly tokenizing. */
	for (size_t i = 0; i < len; i++)
		if ((i == 0 || text[i - 1] == ' ') && text[i] != ' ' && ++words > 3 * TD_LEXICON_MAX_WORDS)
			return 0;
	rc = td_tokenizer_run(&t, &n, tk, text, len);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < n; i++) {
		if (t[i].kind != TD_TOK_WORD || t[i].stop)
			continue;
		if (!t[i].norm[1])
			continue;  /* single letters: "A", "x" */
		if (k == TD_LEXICON_MAX_WORDS)
			return 0;
		uint32_t id;
		rc = td_strtab_intern(tab, &id, t[i].stem, strlen(t[i].stem));
		if (rc < 0)
			return rc;
		int dup = 0;
		for (int j = 0; j < k; j++)
			dup |= ids[j] == id;
		if (!dup)
			ids[k++] = id;
	}
	return k;
}

int td_lexbuild_pairs(td_lexbuild *b, const uint32_t *left, int nleft, const uint32_t *right, int nright)
{
	td_lexicon *lx = b->lx;
	const uint32_t *s = b->reverse ? right : left, *t = b->reverse ? left : right;
	int ns = b->reverse ? nright : nleft, nt = b->reverse ? nleft : nright;

	if (td_grow((void **)&lx->pairs, &lx->cappairs, lx->npairs_raw + (size_t)(ns * nt), sizeof(*lx->pairs)) < 0)
		return td_error_set(TD_ENOMEM, "%s: out of memory", b->path);
	if (lx->tgt.n >= STRONG)
		return td_error_set(TD_ELIMIT, "%s: more than 2^31 target words", b->path);
	/* A one-word-to-one-word entry is a direct translation: marked strong. */
	uint32_t strong = ns == 1 && nt == 1 ? STRONG : 0;
	for (int i = 0; i < ns; i++)
		for (int j = 0; j < nt; j++)
			lx->pairs[lx->npairs_raw++] = (uint64_t)s[i] << 32 | t[j] | strong;
	if (ns && nt)
		b->nentries++;
	return 0;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

/*
 * Raw pairs -> CSR: off, nstrong and *tid (target ids, npairs of them),
 * deduplicated, strong targets first in each run, by a counting sort on the
 * source id. The caller owns *tid.
 */
int td_lexbuild_freeze(td_lexicon *lx, uint32_t **tid)
{
	size_t ns = lx->src.n, np = lx->npairs_raw, o = 0;
	uint32_t *cnt = NULL, *tg = NULL;
	int rc = 0;

	*tid = NULL;
	lx->off = calloc(ns + 1, sizeof(*lx->off));
	lx->nstrong = calloc(ns + 1, sizeof(*lx->nstrong));
	cnt = calloc(ns + 1, sizeof(*cnt));
	tg = malloc((np ? np : 1) * sizeof(*tg));
	if (!lx->off || !lx->nstrong || !cnt || !tg) {
		rc = td_error_set(TD_ENOMEM, "lexicon: out of memory");
		goto cleanup;
	}
	for (size_t i = 0; i < np; i++)
		cnt[(lx->pairs[i] >> 32) + 1]++;
	for (size_t i = 1; i <= ns; i++)
		cnt[i] += cnt[i - 1];
	for (size_t i = 0; i < np; i++) {
		uint32_t s = (uint32_t)(lx->pairs[i] >> 32);
		tg[cnt[s]++] = (uint32_t)lx->pairs[i];
	}
	free(lx->pairs);
	lx->pairs = NULL;
	/* cnt[s] is now the end of s's run; sort and compact each run in place. */
	size_t begin = 0;
	for (size_t s = 0; s < ns; s++) {
		size_t end = cnt[s];
		lx->off[s] = (uint32_t)o;
		/* Flip the flag so strong pairs sort first: [strong by id][weak by id]. */
		for (size_t i = begin; i < end; i++)
			tg[i] ^= STRONG;
		qsort(tg + begin, end - begin, sizeof(*tg), cmp_u32);
		size_t first = o, mid, i = begin;
		for (; i < end && !(tg[i] & STRONG); i++)
			if (o == first || tg[o - 1] != tg[i])
				tg[o++] = tg[i];
		mid = o;
		for (; i < end; i++) {
			uint32_t id = tg[i] & ~STRONG;
			if ((o == mid || tg[o - 1] != id) &&
			    !bsearch(&id, tg + first, mid - first, sizeof(*tg), cmp_u32))
				tg[o++] = id;
		}
		lx->nstrong[s] = (uint32_t)(mid - first);
		begin = end;
	}
	lx->off[ns] = (uint32_t)o;
	lx->npairs = o;
	*tid = tg;
	tg = NULL;
cleanup:
	free(cnt);
	free(tg);
	return rc;
}

/* Target ids -> the pointers lookups return. */
int td_lexbuild_point(td_lexicon *lx, const uint32_t *tid, const char *const *tstr)
{
	lx->tgts = malloc((lx->npairs ? lx->npairs : 1) * sizeof(*lx->tgts));
	if (!lx->tgts)
		return td_error_set(TD_ENOMEM, "lexicon: out of memory");
	for (size_t i = 0; i < lx->npairs; i++)
		lx->tgts[i] = tstr[tid[i]];
	return 0;
}
