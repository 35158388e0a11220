/*
 * The aligner: from two segmented documents to a ladder of scored beads.
 * Features (keys per token, see align_int.h) are built here; costs come from
 * score.c, the learned lexicon from learn.c, the search from dp.c.
 *
 * Passes. Pass 1 aligns with the dictionary (if any), identical tokens,
 * cognates, numbers and lengths. Its 1-1 beads whose cost is low give the
 * length variance, the typical coverage of a translation, and the training
 * beads of the learned lexicon; pass 2 aligns with all of it.
 *
 * Search. A pair small enough (FULL_CELLS) is aligned over the whole grid.
 * A larger one is first aligned on blocks of COARSE_FACTOR sentences per side
 * (recursively), and the fine DP runs in a band of BAND_MARGIN sentences
 * around the blocks that path goes through: time and memory are linear in the
 * length of the documents.
 */
#include "tandem/align.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/unorm2.h>
#include <unicode/utf8.h>

#include "align_int.h"
#include "tandem/token.h"
#include "text/token_int.h"

#define FULL_CELLS ((size_t)1 << 16)
#define COARSE_FACTOR 4
#define BAND_MARGIN 4
#define MAX_TRANSLATIONS 32   /* dictionary translations used per source stem */

void td_ladder_free(td_ladder *ladder)
{
	if (!ladder)
		return;
	free(ladder->v);
	free(ladder);
}

void td_side_release(td_side *s)
{
	free(s->nchar);
	free(s->ntok);
	free(s->para);
	free(s->para_end);
	free(s->pstart);
	free(s->eoff);
	free(s->ent);
	free(s->toff);
	free(s->tw);
	free(s->boff);
	free(s->bw);
	free(s->wtot);
	free(s->self);
	memset(s, 0, sizeof(*s));
}

static int side_alloc(td_side *s, size_t n)
{
	memset(s, 0, sizeof(*s));
	s->n = n;
	s->nchar = calloc(n + 1, sizeof(uint32_t));
	s->ntok = calloc(n + 1, sizeof(uint32_t));
	s->para = calloc(n + 1, sizeof(uint32_t));
	s->para_end = calloc(n + 1, sizeof(uint32_t));
	s->pstart = calloc(n + 1, 1);
	s->eoff = calloc(n + 1, sizeof(size_t));
	s->toff = calloc(n + 1, sizeof(size_t));
	s->boff = calloc(n + 1, sizeof(size_t));
	s->wtot = calloc(n + 1, sizeof(float));
	if (!s->nchar || !s->ntok || !s->para || !s->para_end || !s->pstart || !s->eoff ||
	    !s->toff || !s->boff || !s->wtot) {
		td_side_release(s);
		return td_error_set(TD_ENOMEM, "aligner: out of memory");
	}
	return 0;
}

/* Room for `more` entries after the side's last. */
static int reserve_entries(td_side *s, size_t more)
{
	size_t c = s->entcap ? s->entcap : 4096;
	uint64_t *p;

	if (s->nent + more <= s->entcap)
		return 0;
	while (c < s->nent + more)
		c *= 2;
	if (!(p = realloc(s->ent, c * sizeof(*p))))
		return td_error_set(TD_ENOMEM, "aligner: out of memory for token keys");
	s->ent = p;
	s->entcap = c;
	return 0;
}

static int push_entry(td_side *s, uint64_t key, unsigned bit)
{
	int rc;

	if (s->nent == s->entcap && (rc = reserve_entries(s, 1)) < 0)
		return rc;
	s->ent[s->nent++] = TD_ENTRY(key, bit);
	return 0;
}

static int cmp_u64(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;

	return a < b ? -1 : a > b;
}

static void insertion_sort(uint64_t *v, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		uint64_t x = v[i];
		size_t k = i;

		while (k > 0 && v[k - 1] > x) {
			v[k] = v[k - 1];
			k--;
		}
		v[k] = x;
	}
}

/*
 * Sort 64-bit values ascending. qsort calls its comparison through a pointer
 * and merge-sorts through a buffer; the aligner sorts keys by the million
 * (per sentence, per block, per side), so this is a quicksort on the values
 * themselves: median of three, Hoare partition (runs of equal keys split
 * evenly), insertion sort for short ranges, the smaller part first by
 * recursion. Keys are hashes, so a bad pivot sequence is improbable; past
 * a depth limit the range goes to qsort all the same.
 */
static void sort_u64(uint64_t *v, size_t n, unsigned depth)
{
	while (n > 16) {
		uint64_t a = v[0], b = v[n / 2], c = v[n - 1], pivot, t;
		size_t i = 0, j = n - 1;

		if (depth-- == 0) {
			qsort(v, n, sizeof(uint64_t), cmp_u64);
			return;
		}
		pivot = a < b ? (b < c ? b : a < c ? c : a) : (a < c ? a : b < c ? c : b);
		for (;;) {
			while (v[i] < pivot)
				i++;
			while (v[j] > pivot)
				j--;
			if (i >= j)
				break;
			t = v[i];
			v[i++] = v[j];
			v[j--] = t;
		}
		/* [0, j] <= pivot <= [j + 1, n) */
		if (j + 1 < n - j - 1) {
			sort_u64(v, j + 1, depth);
			v += j + 1;
			n -= j + 1;
		} else {
			sort_u64(v + j + 1, n - j - 1, depth);
			n = j + 1;
		}
	}
	insertion_sort(v, n);
}

static void quicksort_u64(uint64_t *v, size_t n)
{
	unsigned depth = 0;
	size_t m;

	for (m = n; m > 1; m >>= 1)
		depth += 2;
	sort_u64(v, n, depth + 8);
}

#define BUCKET_MIN 32          /* below: the quicksort (insertion sort) */
#define BUCKET_STACK 4096      /* up to this many values the buffer is on the stack */
#define BUCKET_MAX_BITS 16

/*
 * Most sorts are of hashes (a unit's entries, a document's keys): spread
 * evenly over their range, so one counting pass on the top bits below the
 * common prefix puts them in buckets of about one value each, already in
 * order between buckets; an insertion sort finishes the few inside. A
 * bucket holding many values (not hashes after all) gets the quicksort.
 */
void td_sort_u64(uint64_t *v, size_t n)
{
	uint64_t stack[BUCKET_STACK], *tmp = stack, lo, hi, mask;
	uint32_t cstack[BUCKET_STACK + 1], *cnt = cstack;
	unsigned k = 1, h, shift;
	size_t i, nb, start = 0;

	if (n < BUCKET_MIN) {
		quicksort_u64(v, n);
		return;
	}
	lo = hi = v[0];
	for (i = 1; i < n; i++) {
		lo = v[i] < lo ? v[i] : lo;
		hi = v[i] > hi ? v[i] : hi;
	}
	if (lo == hi)
		return;
	while (((size_t)1 << k) < n && k < BUCKET_MAX_BITS)
		k++;
	nb = (size_t)1 << k;
	if (n > BUCKET_STACK)
		tmp = malloc(n * sizeof(uint64_t));
	if (nb > BUCKET_STACK)
		cnt = malloc((nb + 1) * sizeof(uint32_t));
	if (!tmp || !cnt) {   /* no memory: sort in place */
		if (tmp != stack)
			free(tmp);
		if (cnt != cstack)
			free(cnt);
		quicksort_u64(v, n);
		return;
	}
	memset(cnt, 0, (nb + 1) * sizeof(uint32_t));
	/* All values share the bits above h (lo and hi do): bucket by the k bits below. */
	h = 63 - (unsigned)__builtin_clzll(lo ^ hi);
	shift = h + 1 >= k ? h + 1 - k : 0;
	mask = nb - 1;
	for (i = 0; i < n; i++)
		cnt[((v[i] >> shift) & mask) + 1]++;
	for (i = 0; i < nb; i++)
		cnt[i + 1] += cnt[i];
	for (i = 0; i < n; i++)
		tmp[cnt[(v[i] >> shift) & mask]++] = v[i];
	for (i = 0; i < nb; i++) {   /* cnt[b]: the end of bucket b */
		if (cnt[i] - start > 16)
			quicksort_u64(tmp + start, cnt[i] - start);
		start = cnt[i];
	}
	insertion_sort(tmp, n);
	memcpy(v, tmp, n * sizeof(uint64_t));
	if (tmp != stack)
		free(tmp);
	if (cnt != cstack)
		free(cnt);
}

size_t td_sort_unique(uint64_t *v, size_t n)
{
	size_t k, w = 0;

	td_sort_u64(v, n);
	for (k = 0; k < n; k++)
		if (w == 0 || v[k] != v[w - 1])
			v[w++] = v[k];
	return w;
}

/* Sort the entries of unit u (pushed since eoff[u]) and drop repeats. */
static void finish_unit(td_side *s, size_t u)
{
	size_t a = s->eoff[u];

	if (s->nent - a > 1)   /* (ent is NULL while a side has no entry) */
		s->nent = a + td_sort_unique(s->ent + a, s->nent - a);
	s->eoff[u + 1] = s->nent;
}

/* Bit weights and total weight of every unit, from the token weights. */
static int side_bits(td_side *s)
{
	size_t u, k, total = 0;

	for (u = 0; u < s->n; u++) {
		s->boff[u] = total;
		total += s->ntok[u] > 64 ? 64 : s->ntok[u];
	}
	s->boff[s->n] = total;
	free(s->bw);
	s->bw = calloc(total + 1, sizeof(float));
	if (!s->bw)
		return td_error_set(TD_ENOMEM, "aligner: out of memory");
	for (u = 0; u < s->n; u++) {
		uint32_t nt = s->ntok[u];
		double sum = 0;

		for (k = 0; k < nt; k++) {
			float w = s->tw[s->toff[u] + k];
			size_t bit = nt > 64 ? (size_t)((uint64_t)k * 64 / nt) : k;

			s->bw[s->boff[u] + bit] += w;
			sum += w;
		}
		s->wtot[u] = (float)sum;
	}
	return 0;
}

/* The key of the k-th occurrence of an anchor key (a 64-bit mix, so that
 * the smallest keys of a block stay a random sample). */
static uint64_t occurrence_key(uint64_t key, uint32_t k)
{
	uint64_t z = key + 0x9E3779B97F4A7C15ull * ((uint64_t)k + 1);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

/*
 * A block is summarised by a bottom-k sketch: the `sketch` smallest of the
 * keys its sentences hold, each one "token" of weight 1. Keys are hashes
 * in an id space shared by both languages, so both sides keep the same keys
 * when they hold them (MinHash): the coverage of one sketch by another
 * estimates how much the blocks share, at a cost bounded whatever the block
 * size.
 *
 * From sentences, only anchor keys count (see anchor_keys), each as the key
 * of its k-th occurrence: a word common in the document would otherwise sit
 * in the sketch of every block, and a text that repeats itself would look
 * the same everywhere, so that the coarse path drifts from one copy to the
 * next. Higher levels keep these keys.
 */
int td_side_coarsen(td_side *coarse, const td_side *fine, size_t factor, size_t sketch,
	const uint64_t *anchors, size_t nanchors)
{
	size_t n = (fine->n + factor - 1) / factor, u, f, k, e, cap = 0;
	uint64_t *keys = NULL;
	uint32_t *seen = NULL;
	int rc = side_alloc(coarse, n);

	if (rc < 0)
		return rc;
	coarse->tw = malloc((n * sketch + 1) * sizeof(float));
	if (anchors)
		seen = calloc(nanchors + 1, sizeof(uint32_t));
	if (!coarse->tw || (anchors && !seen)) {
		rc = td_error_set(TD_ENOMEM, "aligner: out of memory");
		goto cleanup;
	}
	for (u = 0; u < n; u++) {
		size_t f0 = u * factor, f1 = f0 + factor < fine->n ? f0 + factor : fine->n;
		size_t nk = 0, w = 0;

		coarse->para[u] = fine->para[f0];
		coarse->para_end[u] = fine->para_end[f1 - 1];
		coarse->pstart[u] = fine->pstart[f0];
		coarse->toff[u] = coarse->toff[u > 0 ? u - 1 : 0] + (u > 0 ? coarse->ntok[u - 1] : 0);
		for (f = f0; f < f1; f++) {
			size_t ne = fine->eoff[f + 1] - fine->eoff[f];

			coarse->nchar[u] += fine->nchar[f] + (f > f0);
			if (cap < nk + ne) {
				uint64_t *p;

				cap = 2 * (nk + ne) + 64;
				p = realloc(keys, cap * sizeof(*p));
				if (!p) {
					rc = td_error_set(TD_ENOMEM, "aligner: out of memory");
					goto cleanup;
				}
				keys = p;
			}
			for (e = fine->eoff[f]; e < fine->eoff[f + 1]; e++) {
				uint64_t key = fine->ent[e] & TD_KEY_MASK;
				const uint64_t *a;

				if (!anchors) {
					keys[nk++] = key;
					continue;
				}
				/* Entries of a unit are sorted: a key's repeats are adjacent. */
				if (e > fine->eoff[f] && (fine->ent[e - 1] & TD_KEY_MASK) == key)
					continue;
				a = bsearch(&key, anchors, nanchors, sizeof(*anchors), cmp_u64);
				if (a)
					keys[nk++] = occurrence_key(key, seen[a - anchors]++);
			}
		}
		td_sort_u64(keys, nk);
		for (k = 0; k < nk && w < sketch; k++)
			if (k == 0 || keys[k] != keys[k - 1]) {
				coarse->tw[coarse->toff[u] + w] = 1.0f;
				if ((rc = push_entry(coarse, keys[k], (unsigned)w)) < 0)
					goto cleanup;
				w++;
			}
		coarse->ntok[u] = (uint32_t)w;
		finish_unit(coarse, u);
	}
	coarse->toff[n] = n ? coarse->toff[n - 1] + coarse->ntok[n - 1] : 0;
	rc = side_bits(coarse);
cleanup:
	free(keys);
	free(seen);
	return rc;
}

/*
 * Inverse document frequency of each token's own key on its side:
 * log((N + 1) / (df + 0.5)), N units, df units holding the key. A word in
 * every sentence says little about which sentence is the translation; a
 * number or a name found once says much.
 */
static float weight_of(size_t n, size_t df)
{
	float w = (float)log((n + 1.0) / (df + 0.5));

	return w < 0.1f ? 0.1f : w;
}

#define DF_MEMO 64

int td_side_weights(td_side *s)
{
	float memo[DF_MEMO] = { 0 };
	size_t ntok = s->toff[s->n], u, k, w = 0;
	uint64_t *keys = malloc((ntok + 1) * sizeof(uint64_t));

	free(s->tw);
	s->tw = malloc((ntok + 1) * sizeof(float));
	if (!keys || !s->tw) {
		free(keys);
		return td_error_set(TD_ENOMEM, "aligner: out of memory");
	}
	/* Distinct keys per unit, then all of them sorted: df by counting. */
	for (u = 0; u < s->n; u++) {
		size_t a = w;

		for (k = s->toff[u]; k < s->toff[u + 1]; k++)
			keys[w++] = s->self[k];
		w = a + td_sort_unique(keys + a, w - a);
	}
	td_sort_u64(keys, w);
	for (k = 0; k < ntok; k++) {
		size_t df = td_count_sorted(keys, w, s->self[k]);

		if (df < DF_MEMO) {   /* most tokens have a small df: one log per value */
			if (!(memo[df] > 0))
				memo[df] = weight_of(s->n, df);
			s->tw[k] = memo[df];
		} else {
			s->tw[k] = weight_of(s->n, df);
		}
	}
	free(keys);
	return side_bits(s);
}

/* ---- features ----------------------------------------------------------- */

typedef struct {
	td_tokenizer *tk;
	const td_lexicon *lex;   /* source side only */
	int is_src;
	const UNormalizer2 *nfd;
	uint64_t *self;          /* grown per token */
	size_t nself, selfcap;
} feat_ctx;

static int push_self(feat_ctx *fc, uint64_t key)
{
	if (fc->nself == fc->selfcap) {
		size_t c = fc->selfcap ? fc->selfcap * 2 : 4096;
		uint64_t *p = realloc(fc->self, c * sizeof(*p));
		if (!p)
			return td_error_set(TD_ENOMEM, "aligner: out of memory");
		fc->self = p;
		fc->selfcap = c;
	}
	fc->self[fc->nself++] = key;
	return 0;
}

/*
 * The cognate key of a folded word: its first TD_COGNATE_PREFIX letters with
 * accents removed (the first code point of each letter's canonical
 * decomposition). 0 when the word is shorter.
 */
static uint64_t cognate_key(const UNormalizer2 *nfd, const char *w, size_t len)
{
	char buf[TD_COGNATE_PREFIX * 4];
	size_t used = 0, letters = 0;
	int32_t i = 0;

	while ((size_t)i < len && letters < TD_COGNATE_PREFIX) {
		UChar32 c;
		UChar d[8];
		UErrorCode err = U_ZERO_ERROR;
		int32_t dn;
		UBool bad = 0;

		U8_NEXT(w, i, (int32_t)len, c);
		if (c < 0)
			return 0;
		if (c >= 0x80) {
			dn = unorm2_getDecomposition(nfd, c, d, 8, &err);
			if (U_SUCCESS(err) && dn > 0)
				U16_GET(d, 0, 0, dn, c);
		}
		U8_APPEND(buf, used, (int32_t)sizeof(buf), c, bad);
		if (bad)
			return 0;
		letters++;
	}
	if (letters < TD_COGNATE_PREFIX)
		return 0;
	/* Long enough: at least one more letter, or exactly the prefix. */
	return td_key('c', buf, used);
}

static int is_quote(const char *s)
{
	static const char *const q[] = { "\"", "'", "\xe2\x80\x9e", "\xe2\x80\x9c", "\xe2\x80\x9d",
		"\xc2\xab", "\xc2\xbb", "\xe2\x80\x9a", "\xe2\x80\x98", "\xe2\x80\x99", "\xe2\x80\xb9",
		"\xe2\x80\xba" };
	size_t k;

	for (k = 0; k < sizeof(q) / sizeof(q[0]); k++)
		if (strcmp(s, q[k]) == 0)
			return 1;
	return 0;
}

static uint32_t count_chars(const char *s)
{
	uint32_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* Whether a token counts (and gets keys): numbers, content words, the
 * question and exclamation marks and quotation marks. */
static int counted(const td_token *t)
{
	if (t->kind == TD_TOK_NUMBER)
		return 1;
	if (t->kind == TD_TOK_PUNCT)
		return strcmp(t->norm, "?") == 0 || strcmp(t->norm, "!") == 0 || is_quote(t->norm);
	return !t->stop;
}

/* Tokens of one sentence as entries of unit u. */
static int sentence_features(td_side *side, feat_ctx *fc, size_t u, const char *text)
{
	const td_token *tok;
	size_t nt, k, l, ntok = 0, idx = 0;
	int rc;

	if ((rc = td_tokenize(fc->tk, &tok, &nt, text, strlen(text))) < 0)
		return rc;
	for (k = 0; k < nt; k++)
		ntok += counted(&tok[k]);
	for (k = 0; k < nt; k++) {
		const td_token *t = &tok[k];
		size_t nlen = strlen(t->norm), slen = strlen(t->stem);
		unsigned bit;
		uint64_t key;

		if (!counted(t))
			continue;
		bit = td_tok_bit(idx++, ntok);
		if (t->kind == TD_TOK_NUMBER) {
			key = td_key('n', t->norm, nlen);
			if ((rc = push_entry(side, key, bit)) < 0 || (rc = push_self(fc, key)) < 0)
				return rc;
			continue;
		}
		if (t->kind == TD_TOK_PUNCT) {
			key = is_quote(t->norm) ? td_key('p', "q", 1) : td_key('p', t->norm, 1);
			if ((rc = push_entry(side, key, bit)) < 0 || (rc = push_self(fc, key)) < 0)
				return rc;
			continue;
		}
		if ((rc = push_entry(side, td_key('i', t->norm, nlen), bit)) < 0)
			return rc;
		key = cognate_key(fc->nfd, t->norm, nlen);
		if (key && (rc = push_entry(side, key, bit)) < 0)
			return rc;
		if (fc->is_src) {
			const char *const *tr = NULL;
			size_t ntr = fc->lex ? td_lexicon_lookup(fc->lex, t->stem, &tr) : 0;

			for (l = 0; l < ntr && l < MAX_TRANSLATIONS; l++)
				if ((rc = push_entry(side, td_key_str('w', tr[l]), bit)) < 0)
					return rc;
			rc = push_self(fc, td_key('s', t->stem, slen));
		} else {
			key = td_key('w', t->stem, slen);
			if ((rc = push_entry(side, key, bit)) < 0)
				return rc;
			rc = push_self(fc, key);
		}
		if (rc < 0)
			return rc;
	}
	side->ntok[u] = (uint32_t)ntok;
	finish_unit(side, u);
	return 0;
}

static int build_side(td_side *side, const td_doc *doc, const char *lang, const td_lexicon *lex, int is_src)
{
	feat_ctx fc = { 0 };
	UErrorCode err = U_ZERO_ERROR;
	size_t u;
	int rc;

	if ((rc = side_alloc(side, doc->n)) < 0)
		return rc;
	fc.lex = lex;
	fc.is_src = is_src;
	fc.nfd = unorm2_getNFDInstance(&err);
	if (U_FAILURE(err)) {
		rc = td_error_set(TD_EINVAL, "aligner: ICU normaliser: %s", u_errorName(err));
		goto cleanup;
	}
	if ((rc = td__tokenizer_take(&fc.tk, lang)) < 0)
		goto cleanup;
	for (u = 0; u < doc->n; u++) {
		const td_sentence *s = &doc->v[u];

		side->nchar[u] = count_chars(s->text);
		side->para[u] = side->para_end[u] = s->paragraph;
		side->pstart[u] = u == 0 || doc->v[u - 1].paragraph != s->paragraph;
		side->toff[u] = fc.nself;
		if ((rc = sentence_features(side, &fc, u, s->text)) < 0)
			goto cleanup;
	}
	side->toff[doc->n] = fc.nself;
	side->self = fc.self;
	fc.self = NULL;
	rc = td_side_weights(side);
cleanup:
	free(fc.self);
	td__tokenizer_give(fc.tk);
	return rc;
}

/*
 * Add the learned translations to the source entries (rebuilds them). A
 * unit's entries are sorted already and it gains a few: those are sorted
 * and merged in. With delta (not NULL), the added entries alone go there
 * too (delta->n, eoff, ent), so that masks can be updated by what is new.
 */
static int add_learned(td_side *src, const td_keypair *kp, size_t nkp, td_side *delta)
{
	uint64_t *old = src->ent, *add = NULL;
	size_t *oldoff = malloc((src->n + 1) * sizeof(size_t));
	size_t u, k, addcap = 0;
	int rc = 0;

	if (delta) {
		memset(delta, 0, sizeof(*delta));
		delta->n = src->n;
		delta->eoff = calloc(src->n + 1, sizeof(size_t));
	}
	if (!oldoff || (delta && !delta->eoff)) {
		free(oldoff);
		return td_error_set(TD_ENOMEM, "aligner: out of memory");
	}
	memcpy(oldoff, src->eoff, (src->n + 1) * sizeof(size_t));
	src->ent = NULL;
	src->nent = src->entcap = 0;
	if ((rc = reserve_entries(src, oldoff[src->n] + oldoff[src->n] / 4)) < 0)
		goto cleanup;
	for (u = 0; u < src->n; u++) {
		size_t nadd = 0, i = oldoff[u], ie = oldoff[u + 1], j = 0;

		for (k = src->toff[u]; k < src->toff[u + 1]; k++) {
			size_t lo = 0, hi = nkp;
			uint64_t key = src->self[k];

			while (lo < hi) {   /* first pair with this source key */
				size_t mid = lo + (hi - lo) / 2;
				if (kp[mid].src < key)
					lo = mid + 1;
				else
					hi = mid;
			}
			for (; lo < nkp && kp[lo].src == key; lo++) {
				if (nadd == addcap) {
					size_t c = addcap ? 2 * addcap : 64;
					uint64_t *p = realloc(add, c * sizeof(*p));

					if (!p) {
						rc = td_error_set(TD_ENOMEM, "aligner: out of memory for token keys");
						goto cleanup;
					}
					add = p;
					addcap = c;
				}
				add[nadd++] = TD_ENTRY(kp[lo].tgt, td_tok_bit(k - src->toff[u], src->ntok[u]));
			}
		}
		nadd = td_sort_unique(add, nadd);
		src->eoff[u] = src->nent;
		if ((rc = reserve_entries(src, ie - i + nadd)) < 0)
			goto cleanup;
		while (i < ie || j < nadd) {
			uint64_t x = j >= nadd || (i < ie && old[i] <= add[j]) ? old[i++] : add[j++];

			if (src->nent == src->eoff[u] || src->ent[src->nent - 1] != x)
				src->ent[src->nent++] = x;
		}
		src->eoff[u + 1] = src->nent;
		if (delta) {
			for (k = 0; k < nadd; k++)
				if ((rc = push_entry(delta, add[k], TD_ENTRY_BIT(add[k]))) < 0)
					goto cleanup;
			delta->eoff[u + 1] = delta->nent;
		}
	}
cleanup:
	free(old);
	free(oldoff);
	free(add);
	return rc;
}

/* ---- search ------------------------------------------------------------- */

/* Band of the fine level around the blocks (f units each) the coarse path
 * goes through, widened by r units. */
static int project_band(td_band *band, const td_dp_step *steps, size_t nsteps, size_t n, size_t m,
	size_t f, size_t r)
{
	size_t i, s, pi = 0, pj = 0;
	size_t *lo2 = NULL, *hi2 = NULL;
	int rc = td_band_init(band, n, m);

	if (rc < 0)
		return rc;
	for (i = 0; i <= n; i++) {
		band->lo[i] = m;
		band->hi[i] = 0;
	}
	for (s = 0; s < nsteps; s++) {
		size_t r0 = pi * f, r1 = steps[s].i * f, c0 = pj * f, c1 = steps[s].j * f;

		if (r1 > n)
			r1 = n;
		if (c1 > m)
			c1 = m;
		if (r0 > n)
			r0 = n;
		if (c0 > m)
			c0 = m;
		for (i = r0; i <= r1; i++) {
			if (c0 < band->lo[i])
				band->lo[i] = c0;
			if (c1 > band->hi[i])
				band->hi[i] = c1;
		}
		pi = steps[s].i;
		pj = steps[s].j;
	}
	/* Widen by r rows and columns, then make both edges monotone. */
	lo2 = malloc((n + 1) * sizeof(size_t));
	hi2 = malloc((n + 1) * sizeof(size_t));
	if (!lo2 || !hi2) {
		rc = td_error_set(TD_ENOMEM, "aligner: out of memory for a band");
		goto cleanup;
	}
	for (i = 0; i <= n; i++) {
		size_t a = i > r ? i - r : 0, b = i + r < n ? i + r : n, k, lo = m, hi = 0;

		for (k = a; k <= b; k++) {
			if (band->lo[k] < lo)
				lo = band->lo[k];
			if (band->hi[k] > hi)
				hi = band->hi[k];
		}
		lo2[i] = lo > r ? lo - r : 0;
		hi2[i] = hi + r < m ? hi + r : m;
	}
	for (i = 1; i <= n; i++)
		if (hi2[i] < hi2[i - 1])
			hi2[i] = hi2[i - 1];
	for (i = n; i-- > 0;)
		if (lo2[i] > lo2[i + 1])
			lo2[i] = lo2[i + 1];
	lo2[0] = 0;
	hi2[n] = m;
	for (i = 0; i <= n; i++) {
		band->lo[i] = lo2[i];
		band->hi[i] = hi2[i] > lo2[i] ? hi2[i] : lo2[i];
	}
	rc = td_band_finish(band);
cleanup:
	free(lo2);
	free(hi2);
	return rc;
}

/* The keys of a side, once per unit holding it, sorted. */
static int side_keys(uint64_t **out, size_t *nout, const td_side *s)
{
	size_t u, e, w = 0;
	uint64_t *v = malloc((s->nent + 1) * sizeof(uint64_t));

	if (!v)
		return td_error_set(TD_ENOMEM, "aligner: out of memory");
	for (u = 0; u < s->n; u++)
		for (e = s->eoff[u]; e < s->eoff[u + 1]; e++)
			if (e == s->eoff[u] || ((s->ent[e] ^ s->ent[e - 1]) & TD_KEY_MASK))
				v[w++] = s->ent[e] & TD_KEY_MASK;
	if (w > 1)
		td_sort_u64(v, w);
	*out = v;
	*nout = w;
	return 0;
}

/*
 * Anchor keys (sorted, malloc'd): keys that as many units hold on one side
 * as on the other. The k-th unit holding such a key on one side most likely
 * goes with the k-th on the other, so at the coarse levels the key counts
 * per occurrence: a name, a number, a word used as often in both documents
 * says where a block belongs even when the text repeats itself.
 */
static int anchor_keys(uint64_t **out, size_t *nout, const td_side *a, const td_side *b)
{
	uint64_t *ka = NULL, *kb = NULL;
	size_t na = 0, nb = 0, i = 0, j = 0, w = 0;
	int rc;

	if ((rc = side_keys(&ka, &na, a)) < 0 || (rc = side_keys(&kb, &nb, b)) < 0) {
		free(ka);
		free(kb);
		return rc;
	}
	while (i < na && j < nb) {
		if (ka[i] < kb[j]) {
			i++;
		} else if (ka[i] > kb[j]) {
			j++;
		} else {
			uint64_t key = ka[i];
			size_t ci = 0, cj = 0;

			while (i < na && ka[i] == key)
				i++, ci++;
			while (j < nb && kb[j] == key)
				j++, cj++;
			if (ci == cj)
				ka[w++] = key;
		}
	}
	free(kb);
	*out = ka;
	*nout = w;
	return 0;
}

/* Whether a level of n x m units is aligned over the whole grid. */
static int full_grid(size_t n, size_t m)
{
	return (n + 1) * (m + 1) <= FULL_CELLS || (n < 2 * COARSE_FACTOR && m < 2 * COARSE_FACTOR);
}

/*
 * The cheapest ladder of src x tgt. *steps (malloc'd, *nsteps) in document
 * order; the band and pair masks used at this level are left in band/pairs
 * for scoring. pairs_ready: pairs holds the masks of the full grid already
 * (only when full_grid(n, m)).
 */
static int align_level(td_dp_step **steps, size_t *nsteps, td_band *band, td_pairs *pairs,
	const td_side *src, const td_side *tgt, const td_cost_params *cp,
	const td_dp_step *guide, size_t nguide, size_t block, int pairs_ready)
{
	size_t n = src->n, m = tgt->n;
	td_side cs = { 0 }, ct = { 0 };
	td_band cband = { 0 };
	td_pairs cpairs = { 0 };
	td_dp_step *csteps = NULL;
	size_t ncsteps = 0, cells;
	td_dp *dp = NULL;
	const td_dp_step *out;
	float *cost = NULL;
	uint64_t *anchors = NULL;
	size_t nanchors = 0;
	double total;
	int rc;

	*steps = NULL;
	*nsteps = 0;
	if (full_grid(n, m)) {
		rc = td_band_full(band, n, m);
	} else if (guide) {
		/* A path found before at this level (the previous pass). */
		rc = project_band(band, guide, nguide, n, m, 1, BAND_MARGIN);
	} else {
		td_cost_params ccp = *cp;

		ccp.use_para = 0;
		ccp.nshapes = TD_COARSE_SHAPES;
		/* A block stands for B sentences: leaving it unaligned costs what
		 * leaving B sentences does, and its length is noisier than a
		 * sentence's because block edges cut through the other side's
		 * sentences; an n-m block bead is mostly the two sides drifting by
		 * a few sentences, not a merge. */
		{
			double b = (double)(block * COARSE_FACTOR);

			ccp.w_lex *= b;
			ccp.skip *= b;
			ccp.var *= b;
			ccp.merge = ccp.merge22 = ccp.merge3 = cp->merge;
		}
		/* A sketch of 64 keys: one mask bit per key at every level. */
		size_t sketch = 64;

		if (block == 1 && (rc = anchor_keys(&anchors, &nanchors, src, tgt)) < 0)
			goto cleanup;
		if (nanchors == 0) {  /* nothing to number: the plain keys */
			free(anchors);
			anchors = NULL;
		}
		if ((rc = td_side_coarsen(&cs, src, COARSE_FACTOR, sketch, anchors, nanchors)) < 0 ||
		    (rc = td_side_coarsen(&ct, tgt, COARSE_FACTOR, sketch, anchors, nanchors)) < 0)
			goto cleanup;
		free(anchors);
		anchors = NULL;
		ccp.cover_rand = td_cover_random(&cs, &ct, NULL);
		ccp.cover_true = td_cover_window(&cs, &ct, 3);
		if (ccp.cover_true < ccp.cover_rand + 0.1)
			ccp.cover_true = ccp.cover_rand + 0.1;
		td_cost_prepare(&ccp);
		rc = align_level(&csteps, &ncsteps, &cband, &cpairs, &cs, &ct, &ccp, NULL, 0,
			block * COARSE_FACTOR, 0);
		td_side_release(&cs);
		td_side_release(&ct);
		td_pairs_release(&cpairs);
		td_band_release(&cband);
		if (rc < 0)
			goto cleanup;
		rc = project_band(band, csteps, ncsteps, n, m, COARSE_FACTOR, BAND_MARGIN);
	}
	if (rc < 0)
		goto cleanup;
	if (!pairs_ready && (rc = td_pairs_compute(pairs, band, src, tgt)) < 0)
		goto cleanup;
	cells = band->off[n + 1];
	cost = malloc(cells * cp->nshapes * sizeof(float));
	if (!cost) {
		rc = td_error_set(TD_ENOMEM, "aligner: out of memory for %zu cells", cells);
		goto cleanup;
	}
	if ((rc = td_costs_fill(cost, band, pairs, src, tgt, cp)) < 0)
		goto cleanup;
	if ((rc = td_dp_new(&dp)) < 0)
		goto cleanup;
	if ((rc = td_dp_run(&out, nsteps, &total, dp, band, td_shapes, cp->nshapes, cost)) < 0)
		goto cleanup;
	*steps = malloc((*nsteps ? *nsteps : 1) * sizeof(**steps));
	if (!*steps) {
		rc = td_error_set(TD_ENOMEM, "aligner: out of memory");
		goto cleanup;
	}
	memcpy(*steps, out, *nsteps * sizeof(**steps));
cleanup:
	td_side_release(&cs);
	td_side_release(&ct);
	td_pairs_release(&cpairs);
	td_band_release(&cband);
	free(csteps);
	free(cost);
	free(anchors);
	td_dp_free(dp);
	return rc;
}

/* ---- statistics between the passes --------------------------------------- */

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return a < b ? -1 : a > b;
}

/*
 * Statistics from the 1-1 beads of a pass:
 *  - the length variance, robustly: the median of d^2 / L over all 1-1 beads
 *    (d = lt - r ls) is 0.455 variances for a normal variable; blended with
 *    the prior variance as if that were VAR_PRIOR_WEIGHT beads, because short
 *    documents give few beads;
 *  - from the 1-1 beads in the cheaper half (reliable ones): the typical
 *    coverage of a translation, and the beads to learn from (indices written
 *    to bs/bt, their count in *nb).
 */
#define VAR_PRIOR_WEIGHT 10.0
static void pass_stats(td_cost_params *cp, size_t *bs, size_t *bt, size_t *nb,
	const td_dp_step *steps, size_t nsteps, const td_side *src, const td_side *tgt, double var_prior,
	const td_pairs *full)
{
	size_t k, n11 = 0, nz = 0;
	double *costs = malloc((nsteps ? nsteps : 1) * sizeof(double));
	double *z = malloc((nsteps ? nsteps : 1) * sizeof(double));
	double median, cov = 0;
	size_t ncov = 0;

	*nb = 0;
	if (!costs || !z)
		goto cleanup;
	for (k = 0; k < nsteps; k++) {
		size_t i = steps[k].i, j = steps[k].j;
		double ls, lt, d;

		if (td_shapes[steps[k].k].a != 1 || td_shapes[steps[k].k].b != 1)
			continue;
		costs[n11++] = steps[k].cost;
		ls = src->nchar[i - 1];
		lt = tgt->nchar[j - 1];
		d = lt - cp->ratio * ls;
		z[nz++] = d * d / ((ls + lt / cp->ratio) / 2.0 + 1.0);
	}
	if (nz > 0) {
		double est;

		qsort(z, nz, sizeof(double), cmp_double);
		est = z[nz / 2] / 0.455;
		cp->var = (nz * est + VAR_PRIOR_WEIGHT * var_prior) / (nz + VAR_PRIOR_WEIGHT);
		if (cp->var < 0.5)
			cp->var = 0.5;
	}
	if (n11 < 3)
		goto cleanup;
	qsort(costs, n11, sizeof(double), cmp_double);
	median = costs[n11 / 2];
	for (k = 0; k < nsteps; k++) {
		size_t i = steps[k].i, j = steps[k].j;
		double c, ct;
		uint64_t ms, mt;

		if (td_shapes[steps[k].k].a != 1 || td_shapes[steps[k].k].b != 1 || steps[k].cost > median)
			continue;
		td_pairs_masks(&ms, &mt, full, src, i - 1, tgt, j - 1);
		c = td_mask_cover(src, i - 1, ms);
		ct = td_mask_cover(tgt, j - 1, mt);
		if (c >= 0) {
			cov += c;
			ncov++;
		}
		if (ct >= 0) {
			cov += ct;
			ncov++;
		}
		bs[*nb] = i - 1;
		bt[*nb] = j - 1;
		(*nb)++;
	}
	if (ncov > 0)
		cp->cover_true = cov / ncov;
cleanup:
	free(costs);
	free(z);
}

static double median_chars(const td_side *s)
{
	double *v = malloc((s->n ? s->n : 1) * sizeof(double)), med;
	size_t k;

	if (!v || s->n == 0) {
		free(v);
		return 0;
	}
	for (k = 0; k < s->n; k++)
		v[k] = s->nchar[k];
	qsort(v, s->n, sizeof(double), cmp_double);
	med = v[s->n / 2];
	free(v);
	return med;
}

static double median_ratio(const td_side *src, const td_side *tgt)
{
	double a = median_chars(src), b = median_chars(tgt);

	return a > 0 && b > 0 ? b / a : 0;
}

/* Target characters per source character over the 1-1 beads of a pass. */
static void pass_ratio(td_cost_params *cp, const td_dp_step *steps, size_t nsteps,
	const td_side *src, const td_side *tgt)
{
	double ls = 0, lt = 0;
	size_t k, n = 0;

	for (k = 0; k < nsteps; k++)
		if (td_shapes[steps[k].k].a == 1 && td_shapes[steps[k].k].b == 1) {
			ls += src->nchar[steps[k].i - 1];
			lt += tgt->nchar[steps[k].j - 1];
			n++;
		}
	if (n >= 3 && ls > 0 && lt > 0)
		cp->ratio = lt / ls;
}

static double sigmoid(double x)
{
	return 1.0 / (1.0 + exp(-x));
}

/* Beads with scores from the final pass. */
static int make_ladder(td_ladder **out, const td_dp_step *steps, size_t nsteps,
	const td_pairs *pairs, const td_side *src, const td_side *tgt, const td_cost_params *cp)
{
	td_ladder *l = calloc(1, sizeof(*l));
	double mid = (cp->skip + cp->w_lex) / 2.0;
	size_t k;

	if (!l || !(l->v = malloc((nsteps ? nsteps : 1) * sizeof(td_bead)))) {
		free(l);
		return td_error_set(TD_ENOMEM, "aligner: out of memory");
	}
	for (k = 0; k < nsteps; k++) {
		unsigned a = td_shapes[steps[k].k].a, b = td_shapes[steps[k].k].b;
		td_bead *bd = &l->v[k];
		double sc;

		bd->src = steps[k].i - a;
		bd->nsrc = a;
		bd->tgt = steps[k].j - b;
		bd->ntgt = b;
		if (a && b) {
			sc = sigmoid(2.0 * (mid - steps[k].cost / (a + b)));
		} else {
			/* Confidence that the sentence has no counterpart: how badly it
			 * would pair with its neighbours on the other side. */
			size_t i = steps[k].i, j = steps[k].j;
			double best = INFINITY, c;

			if (a && j < tgt->n && (c = td_bead_cost(pairs, src, tgt, cp, i, j + 1, 1, 1)) < best)
				best = c;
			if (a && j > 0 && (c = td_bead_cost(pairs, src, tgt, cp, i, j, 1, 1)) < best)
				best = c;
			if (b && i < src->n && (c = td_bead_cost(pairs, src, tgt, cp, i + 1, j, 1, 1)) < best)
				best = c;
			if (b && i > 0 && (c = td_bead_cost(pairs, src, tgt, cp, i, j, 1, 1)) < best)
				best = c;
			sc = best < INFINITY ? sigmoid(2.0 * (best / 2.0 - mid)) : 1.0;
		}
		bd->score = sc < 0 ? 0 : sc > 1 ? 1 : sc;
	}
	l->n = nsteps;
	*out = l;
	return 0;
}

int td_align_run(td_ladder **out, const td_doc *src, const td_doc *tgt, const td_align_opts *opts)
{
	td_align_opts defaults = TD_ALIGN_OPTS_INIT;
	td_side ss = { 0 }, ts = { 0 };
	td_band band = { 0 };
	td_pairs pairs = { 0 };
	td_dp_step *steps = NULL;
	size_t nsteps = 0, nb = 0, k;
	size_t *bs = NULL, *bt = NULL;
	td_keypair *kp = NULL;
	size_t nkp = 0;
	td_cost_params cp;
	double cs = 0, ct = 0, var_prior = 4.0;
	td_keyindex six = { 0 }, tix = { 0 };
	td_side delta = { 0 };
	const td_pairs *full = NULL;
	int rc;

	*out = NULL;
	if (!opts)
		opts = &defaults;
	if ((rc = build_side(&ss, src, opts->src_lang, opts->lexicon, 1)) < 0 ||
	    (rc = td__learned_apply(&ss, opts->learned)) < 0 ||
	    (rc = build_side(&ts, tgt, opts->tgt_lang, NULL, 0)) < 0)
		goto cleanup;

	memset(&cp, 0, sizeof(cp));
	for (k = 0; k < ss.n; k++)
		cs += ss.nchar[k];
	for (k = 0; k < ts.n; k++)
		ct += ts.nchar[k];
	/* The ratio of the totals, unless one document has over three times the
	 * sentences of the other: then it must hold material the other lacks,
	 * and the ratio of the median sentence lengths is the better guess.
	 * Pass 1's 1-1 beads refine it. */
	cp.ratio = cs > 0 && ct > 0 ? ct / cs : 1.0;
	if (ss.n > 3 * ts.n || ts.n > 3 * ss.n) {
		double med = median_ratio(&ss, &ts);

		if (med > 0)
			cp.ratio = med;
	}
	cp.var = var_prior;
	cp.w_lex = opts->w_lex;
	cp.w_len = opts->w_len;
	cp.skip = opts->skip;
	cp.merge = opts->merge;
	cp.merge22 = opts->merge22;
	cp.merge3 = opts->merge3;
	cp.para = opts->para;
	cp.x_max = opts->x_max;
	cp.nshapes = td_nshapes;
	cp.use_para = opts->paragraphs && src->nparagraphs > 1 && tgt->nparagraphs > 1;
	/* On the whole grid, the masks of every pair serve both passes and the
	 * statistics: computed once, then updated by the learned keys. */
	if (full_grid(ss.n, ts.n)) {
		if ((rc = td_keyindex_build(&six, ss.n, ss.eoff, ss.ent)) < 0 ||
		    (rc = td_keyindex_build(&tix, ts.n, ts.eoff, ts.ent)) < 0 ||
		    (rc = td_pairs_compute_ix(&pairs, NULL, ss.n, ts.n, &six, &tix)) < 0)
			goto cleanup;
		td_keyindex_release(&six);
		full = &pairs;
	}
	cp.cover_rand = td_cover_random(&ss, &ts, full);
	cp.cover_true = cp.cover_rand + 0.3;

	/* Pass 1. */
	td_cost_prepare(&cp);
	if ((rc = align_level(&steps, &nsteps, &band, &pairs, &ss, &ts, &cp, NULL, 0, 1, full != NULL)) < 0)
		goto cleanup;
	bs = malloc((nsteps + 1) * sizeof(size_t));
	bt = malloc((nsteps + 1) * sizeof(size_t));
	if (!bs || !bt) {
		rc = td_error_set(TD_ENOMEM, "aligner: out of memory");
		goto cleanup;
	}
	pass_ratio(&cp, steps, nsteps, &ss, &ts);
	pass_stats(&cp, bs, bt, &nb, steps, nsteps, &ss, &ts, var_prior, full);
	td_band_release(&band);
	if (!full)
		td_pairs_release(&pairs);
	if (opts->learn && nb >= 2) {
		if ((rc = td_learn_dice(&kp, &nkp, &ss, &ts, bs, bt, nb)) < 0)
			goto cleanup;
		if (nkp > 0) {
			if ((rc = add_learned(&ss, kp, nkp, full ? &delta : NULL)) < 0)
				goto cleanup;
			if (full) {
				if ((rc = td_keyindex_build(&six, delta.n, delta.eoff, delta.ent)) < 0)
					goto cleanup;
				td_pairs_add(&pairs, &six, &tix);
			}
			cp.cover_rand = td_cover_random(&ss, &ts, full);
			/* Coverage of translations grows with the learned words too. */
			pass_stats(&cp, bs, bt, &nb, steps, nsteps, &ss, &ts, var_prior, full);
		}
	}
	if (cp.cover_true < cp.cover_rand + 0.1)
		cp.cover_true = cp.cover_rand + 0.1;
	td_cost_prepare(&cp);

	/* Pass 2, in a band around the path of pass 1. */
	{
		td_dp_step *guide = steps;
		size_t nguide = nsteps;

		steps = NULL;
		rc = align_level(&steps, &nsteps, &band, &pairs, &ss, &ts, &cp, guide, nguide, 1, full != NULL);
		free(guide);
		if (rc < 0)
			goto cleanup;
	}
	rc = make_ladder(out, steps, nsteps, &pairs, &ss, &ts, &cp);
cleanup:
	td_side_release(&ss);
	td_side_release(&ts);
	td_side_release(&delta);
	td_keyindex_release(&six);
	td_keyindex_release(&tix);
	td_band_release(&band);
	td_pairs_release(&pairs);
	free(steps);
	free(bs);
	free(bt);
	free(kp);
	return rc;
}

int td__build_side(td_side *side, const td_doc *doc, const char *lang, const td_lexicon *lex, int is_src)
{
	return build_side(side, doc, lang, lex, is_src);
}

int td__add_learned(td_side *src, const td_keypair *kp, size_t nkp)
{
	return add_learned(src, kp, nkp, NULL);
}
