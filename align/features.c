/*
 * Features: the keys of every token of a document's sentences (the evidence
 * model of align_int.h), and learned translations added to a source side.
 */
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/utf8.h>

#include "base/buf.h"
#include "align_int.h"
#include "base/sort.h"
#include "tandem/error.h"
#include "tandem/token.h"
#include "text/token_int.h"

#define MAX_TRANSLATIONS 32   /* dictionary translations used per source stem */

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
	if (td_grow((void **)&fc->self, &fc->selfcap, fc->nself + 1, sizeof(*fc->self)) < 0)
		return TD_ENOMEM;
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

/* Quotation marks: straight, curly, low-9, guillemets, single and double. */
static int is_quote_char(UChar32 c)
{
	static const UChar32 q[] = { 0x22, 0x27, 0xab, 0xbb, 0x2018, 0x2019, 0x201a, 0x201c, 0x201d,
		0x201e, 0x2039, 0x203a };
	size_t k;

	for (k = 0; k < sizeof(q) / sizeof(q[0]); k++)
		if (c == q[k])
			return 1;
	return 0;
}

/* Whether a token is a quotation mark. */
static int is_quote(const char *s)
{
	int32_t i = 0, len = (int32_t)strlen(s);
	UChar32 c;

	if (len == 0)
		return 0;
	U8_NEXT(s, i, len, c);
	return i == len && is_quote_char(c);
}

/* Whether a letter comes at byte j of s (the character after the next). */
static int followed_by_letter(const char *s, int32_t j, int32_t len)
{
	UChar32 c;

	if (j >= len)
		return 0;
	U8_NEXT(s, j, len, c);
	return u_isalpha(c);
}

/*
 * The quotations a sentence opens: dialogue shows in them across languages
 * and conventions (»…« sagte K. »…«, "…," said K. "…", « … » : two each).
 * A mark opens a quotation where it follows the start, a space or an
 * opening bracket and the next character but spaces is a letter or digit,
 * so that closing marks (either direction: German »…«, French « … »),
 * elisions (hab', l'eau) and possessives are not counted, nor is an
 * apostrophe before a clitic letter alone (k, m, n, s, t: Dutch 's avonds,
 * 't huis, 'k, English rock 'n' roll; no quotation opens with such a
 * word, while one may open with "a" or "y"). A dash that
 * starts the sentence opens a turn of dialogue as French and Russian mark
 * it (— Étant jeune…).
 */
unsigned char td__count_quotes(const char *s)
{
	int32_t i = 0, len = (int32_t)strlen(s);
	UChar32 prev = ' ', c;
	unsigned n = 0;
	int first = 1;

	while (i < len) {
		U8_NEXT(s, i, len, c);
		if (first && (c == 0x2014 || c == 0x2013))
			n++;
		if (is_quote_char(c) && (u_isspace(prev) || prev == '(' || prev == '[' || first)) {
			int32_t j = i;
			UChar32 next = ' ';

			while (j < len) {
				U8_NEXT(s, j, len, next);
				if (!u_isspace(next))
					break;
			}
			if (u_isalnum(next) && !((c == 0x27 || c == 0x2019) && next < 0x80 && strchr("kmnst", (int)next) &&
			    !followed_by_letter(s, j, len)) && n < 255)
				n++;
		}
		if (!u_isspace(c))
			first = 0;
		prev = c;
	}
	return (unsigned char)n;
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

	if ((rc = td_tokenizer_run(&tok, &nt, fc->tk, text, strlen(text))) < 0)
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
			if ((rc = td__side_push(side, key, bit)) < 0 || (rc = push_self(fc, key)) < 0)
				return rc;
			continue;
		}
		if (t->kind == TD_TOK_PUNCT) {
			key = is_quote(t->norm) ? td_key('p', "q", 1) : td_key('p', t->norm, 1);
			if ((rc = td__side_push(side, key, bit)) < 0 || (rc = push_self(fc, key)) < 0)
				return rc;
			continue;
		}
		if ((rc = td__side_push(side, td_key('i', t->norm, nlen), bit)) < 0)
			return rc;
		key = cognate_key(fc->nfd, t->norm, nlen);
		if (key && (rc = td__side_push(side, key, bit)) < 0)
			return rc;
		if (fc->is_src) {
			const char *const *tr = NULL;
			size_t ntr = fc->lex ? td_lexicon_lookup(&tr, fc->lex, t->stem) : 0;

			for (l = 0; l < ntr && l < MAX_TRANSLATIONS; l++)
				if ((rc = td__side_push(side, td_key_str('w', tr[l]), bit)) < 0)
					return rc;
			rc = push_self(fc, td_key('s', t->stem, slen));
		} else {
			key = td_key('w', t->stem, slen);
			if ((rc = td__side_push(side, key, bit)) < 0)
				return rc;
			rc = push_self(fc, key);
		}
		if (rc < 0)
			return rc;
	}
	side->ntok[u] = (uint32_t)ntok;
	td__side_finish(side, u);
	return 0;
}

/*
 * Whether a sentence is a number alone, Arabic or upper-case Roman, with at
 * most a '.', ')' or ':' after it ("IV.", "12", "3)"): a section label,
 * which pairs with a label or with nothing, never inside a merged bead.
 */
static int is_label(const char *t)
{
	size_t n = strlen(t), k, digits = 0, roman = 0;

	if (n > 0 && (t[n - 1] == '.' || t[n - 1] == ')' || t[n - 1] == ':'))
		n--;
	if (n == 0 || n > 8)
		return 0;
	for (k = 0; k < n; k++) {
		if (t[k] >= '0' && t[k] <= '9')
			digits++;
		else if (strchr("IVXLCDM", t[k]) && t[k])
			roman++;
		else
			return 0;
	}
	return digits == n || roman == n;
}

/* The TD_END_* class of a sentence's ending. */
static unsigned char end_class(const char *t)
{
	static const char *const closing[] = { "\"", "'", ")", "]", "*", "\xc2\xbb", "\xc2\xab",
		"\xe2\x80\x9c", "\xe2\x80\x9d", "\xe2\x80\x98", "\xe2\x80\x99", "\xe2\x80\xb9",
		"\xe2\x80\xba", "\xe2\x80\x9e" };
	size_t n = strlen(t), k;
	int again = 1;

	while (again && n > 0) {
		again = 0;
		if (t[n - 1] == ' ' || t[n - 1] == '\t' || t[n - 1] == '\r' || t[n - 1] == '\n') {
			n--;
			again = 1;
			continue;
		}
		for (k = 0; k < sizeof(closing) / sizeof(closing[0]); k++) {
			size_t l = strlen(closing[k]);

			if (n >= l && memcmp(t + n - l, closing[k], l) == 0) {
				n -= l;
				again = 1;
				break;
			}
		}
	}
	if (n == 0)
		return TD_END_OTHER;
	if (strchr(".!?", t[n - 1]) || (n >= 3 && memcmp(t + n - 3, "\xe2\x80\xa6", 3) == 0))
		return TD_END_STOP;
	if (strchr(",;:", t[n - 1]))
		return TD_END_COMMA;
	if (t[n - 1] == '-' || (n >= 3 && (memcmp(t + n - 3, "\xe2\x80\x93", 3) == 0 ||
					 memcmp(t + n - 3, "\xe2\x80\x94", 3) == 0)))
		return TD_END_DASH;
	if ((unsigned char)t[n - 1] >= 0x80 || (t[n - 1] >= '0' && t[n - 1] <= '9') ||
	    ((t[n - 1] | 0x20) >= 'a' && (t[n - 1] | 0x20) <= 'z'))
		return TD_END_WORD;
	return TD_END_OTHER;
}

/*
 * Verse and lists: a run of at least VERSE_RUN consecutive lines shorter
 * than VERSE_SHORT times the side's median sentence, most of which
 * (VERSE_OPEN, section labels not counted) do not end like a sentence.
 * Inside such runs a translation keeps the lines but not the words of each
 * line: it reorders them across lines to keep metre and rhyme.
 */
#define VERSE_RUN 4
#define VERSE_SHORT 0.5
#define VERSE_OPEN 0.5

size_t td__mark_verse(td_side *side, double median)
{
	double limit = VERSE_SHORT * median;
	size_t i, j, k, nverse = 0;

	for (i = 0; i < side->n; i = j > i ? j : i + 1) {
		size_t open = 0, lines = 0;

		for (j = i; j < side->n && side->nchar[j] < limit; j++)
			if (!side->label[j]) {
				lines++;
				open += side->endc[j] != TD_END_STOP;
			}
		if (j - i < VERSE_RUN || (double)open < VERSE_OPEN * (double)lines)
			continue;
		for (k = i; k < j; k++)
			side->verse[k] = 1;
		nverse += j - i;
	}
	return nverse;
}

int td__build_side(td_side *side, const td_doc *doc, const char *lang, const td_lexicon *lex, int is_src)
{
	feat_ctx fc = { 0 };
	UErrorCode err = U_ZERO_ERROR;
	size_t u;
	int rc;

	if ((rc = td__side_alloc(side, doc->n)) < 0)
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
		side->label[u] = (unsigned char)is_label(s->text);
		side->endc[u] = end_class(s->text);
		side->quotes[u] = td__count_quotes(s->text);
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
int td__add_learned(td_side *src, const td_keypair *kp, size_t nkp, td_side *delta)
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
	if ((rc = td__side_reserve(src, oldoff[src->n] + oldoff[src->n] / 4)) < 0)
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
				if (nadd == addcap && td_grow((void **)&add, &addcap, nadd + 1, sizeof(*add)) < 0) {
					rc = td_error_set(TD_ENOMEM, "aligner: out of memory for token keys");
					goto cleanup;
				}
				add[nadd++] = TD_ENTRY(kp[lo].tgt, td_tok_bit(k - src->toff[u], src->ntok[u]));
			}
		}
		nadd = td_sort_unique(add, nadd);
		src->eoff[u] = src->nent;
		if ((rc = td__side_reserve(src, ie - i + nadd)) < 0)
			goto cleanup;
		while (i < ie || j < nadd) {
			uint64_t x = j >= nadd || (i < ie && old[i] <= add[j]) ? old[i++] : add[j++];

			if (src->nent == src->eoff[u] || src->ent[src->nent - 1] != x)
				src->ent[src->nent++] = x;
		}
		src->eoff[u + 1] = src->nent;
		if (delta) {
			for (k = 0; k < nadd; k++)
				if ((rc = td__side_push(delta, add[k], TD_ENTRY_BIT(add[k]))) < 0)
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
