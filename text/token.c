/*
 * Tokenizer: ICU word breaks, case folding and NFC, number canonicalisation,
 * Snowball stems. See include/tandem/token.h for the model.
 *
 * The break iterator reads the UTF-8 input through a UText, so its boundaries
 * are byte offsets and the text is never copied as a whole. Only a word that
 * is not plain ASCII goes through UTF-16 (fold, NFC) and back.
 */
#include "tandem/token.h"
#include "tandem/lang.h"

#include <ctype.h>
#include <libstemmer.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/unum.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utext.h>

#include "base/arena.h"
#include "base/buf.h"
#include "text/stopwords.h"
#include "base/strtab.h"
#include "text/token_int.h"

/* Distinct words whose stems are remembered; then the cache starts afresh. */
#define STEM_CACHE_MAX 200000

struct td_tokenizer {
	char lang[32];               /* as given */
	char base[8];                /* lower-case language subtag: "de" */
	char dec;                    /* the locale's decimal mark: '.' or ',' */
	UBreakIterator *bi;
	UText *ut;                   /* reused across calls */
	struct sb_stemmer *stemmer;  /* NULL: no Snowball stemmer for the language */
	const UNormalizer2 *nfc;
	td_stopwords stops;
	td_arena arena;              /* strings of the current call */
	td_token *tok;               /* tokens of the current call, grown by doubling */
	size_t ntok, captok;
	UChar *u16;                  /* scratch: 3 * u16cap UChars (input, folded, NFC) */
	int32_t u16cap;
	/* Words seen before (Snowball is the costliest step): norms interned
	 * in cache, their stem and stop mark at cache_ent[id], stems in
	 * cache_arena. Kept across calls (and, through td__tokenizer_take, across
	 * documents); cleared only at the start of a call, so the tokens of one
	 * call never point into a cleared cache. */
	td_strtab cache;
	struct cache_ent { const char *stem; bool stop; } *cache_ent;  /* stem NULL: == norm */
	size_t cache_cap;
	td_arena cache_arena;
};

/* ---------- small helpers ---------- */

static int ensure_u16(td_tokenizer *tk, int32_t need)
{
	UChar *p;
	int32_t cap;

	if (need <= tk->u16cap)
		return 0;
	cap = tk->u16cap ? tk->u16cap : 256;
	while (cap < need)
		cap *= 2;
	p = realloc(tk->u16, (size_t)cap * 3 * sizeof(UChar));
	if (!p)
		return td_error_set(TD_ENOMEM, "tokenizer: out of memory");
	tk->u16 = p;
	tk->u16cap = cap;
	return 0;
}

/* Append a token for text[a, b); norm NULL (a failed allocation) or no room: TD_ENOMEM. */
static int add_token(td_tokenizer *tk, size_t a, size_t b, td_tok_kind kind, const char *norm,
	const char *stem, bool stop)
{
	td_token *t;

	if (!norm || !stem)
		return td_error_set(TD_ENOMEM, "tokenizer: out of memory");
	if (tk->ntok == tk->captok && td_grow((void **)&tk->tok, &tk->captok, tk->ntok + 1, sizeof(*tk->tok)) < 0)
		return td_error_set(TD_ENOMEM, "tokenizer: out of memory");
	t = &tk->tok[tk->ntok++];
	t->start = a;
	t->end = b;
	t->kind = kind;
	t->norm = norm;
	t->stem = stem;
	t->stop = stop;
	return 0;
}

/* ASCII s[0, n) lower-cased into the arena, then `suffix` (NULL on failure). */
static char *lower_ascii(td_tokenizer *tk, const char *s, size_t n, const char *suffix)
{
	size_t sl = strlen(suffix);
	char *out = td_arena_alloc(&tk->arena, n + sl + 1);

	if (!out)
		return NULL;
	for (size_t i = 0; i < n; i++)
		out[i] = (char)tolower((unsigned char)s[i]);
	memcpy(out + n, suffix, sl + 1);
	return out;
}

static bool is_ascii(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80)
			return false;
	return true;
}

/* Length of a space that may group digits ("5 000"): NBSP, narrow NBSP, thin space. */
static size_t group_space_len(const char *s, size_t n)
{
	if (n >= 2 && (unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xA0)
		return 2;
	if (n >= 3 && (unsigned char)s[0] == 0xE2 && (unsigned char)s[1] == 0x80 &&
	    ((unsigned char)s[2] == 0xAF || (unsigned char)s[2] == 0x89))
		return 3;
	return 0;
}

static bool is_space_run(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		size_t g;
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
			i++;
		} else if ((g = group_space_len(s + i, n - i)) > 0) {
			i += g;
		} else if (n - i >= 3 && c == 0xE2 && (unsigned char)s[i + 1] == 0x80 &&
			   (((unsigned char)s[i + 2] >= 0x80 && (unsigned char)s[i + 2] <= 0x8B) ||
			    (unsigned char)s[i + 2] == 0xA8 || (unsigned char)s[i + 2] == 0xA9)) {
			i += 3;  /* U+2000..U+200B, line and paragraph separators */
		} else if (n - i >= 3 && c == 0xE3 && (unsigned char)s[i + 1] == 0x80 &&
			   (unsigned char)s[i + 2] == 0x80) {
			i += 3;  /* ideographic space */
		} else if (n - i >= 3 && c == 0xEF && (unsigned char)s[i + 1] == 0xBB &&
			   (unsigned char)s[i + 2] == 0xBF) {
			i += 3;  /* BOM / zero-width no-break space */
		} else {
			return false;
		}
	}
	return true;
}

/* ---------- numbers ---------- */

static bool is_num_sep(char c)
{
	return c == '.' || c == ',' || c == '\'';
}

/*
 * Canonical form of a digit string with separators (see token.h). `s` holds
 * ASCII digits and single separators between digit groups (the caller has
 * checked); dec is the language's decimal mark, '.' or ','. Writes at most
 * n+1 bytes into out.
 *
 * The last separator is a decimal mark when it is dec and occurs once, or
 * when it differs from all the separators before it ("1.234,5" in English
 * text). The separators before it group thousands when they are one
 * character that cannot be a decimal mark there (not dec, or dec twice or
 * more: "1.234.567", or before a decimal mark), the first group has 1 to 3
 * digits and every other group 3. Two groups that do not group thousands are a decimal after all
 * ("3.5" in German text). Anything else (dates, versions) keeps its digit
 * groups joined by '.'.
 */
static void canon_number(char *out, const char *s, size_t n, char dec)
{
	size_t gstart[64], glen[64], k = 0, i = 0, o = 0, ndec = 0, j;
	char sep[64];
	bool frac = false, grouped = true;

	while (i < n && k < 64) {
		gstart[k] = i;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
		glen[k] = i - gstart[k];
		if (i < n) {
			sep[k] = s[i++];
			ndec += sep[k] == dec;
		}
		k++;
	}
	if (k == 1 || i < n) {
		memcpy(out, s, n);
		out[n] = '\0';
		return;
	}
	/* k groups, k-1 separators. */
	char last = sep[k - 2];
	if (last == dec && ndec == 1)
		frac = true;
	else if (last != '\'' && k >= 3) {
		frac = true;
		for (j = 0; j + 2 < k; j++)
			frac = frac && sep[j] != last;
	}
	size_t nint = frac ? k - 1 : k;
	for (j = 0; j + 1 < nint; j++)
		grouped = grouped && sep[j] == sep[0] && glen[j + 1] == 3;
	grouped = grouped && glen[0] >= 1 && glen[0] <= 3 && !(glen[0] == 1 && s[0] == '0' && nint > 1) &&
		  (nint <= 2 ? nint == 1 || sep[0] != dec || frac : true);
	if (!grouped && k == 2 && sep[0] != '\'') {
		frac = true;   /* "3.5" in German, "1,5" in English: a decimal all the same */
		nint = 1;
		grouped = true;
	}
	if (!grouped) {
		for (j = 0; j < k; j++) {
			if (j)
				out[o++] = '.';
			memcpy(out + o, s + gstart[j], glen[j]);
			o += glen[j];
		}
		out[o] = '\0';
		return;
	}
	for (j = 0; j < nint; j++) {
		memcpy(out + o, s + gstart[j], glen[j]);
		o += glen[j];
	}
	if (frac) {
		size_t fl = glen[k - 1];
		while (fl > 0 && s[gstart[k - 1] + fl - 1] == '0')
			fl--;   /* "1.500" in English is "1.5", as "1,5" in German */
		if (fl > 0) {
			out[o++] = '.';
			memcpy(out + o, s + gstart[k - 1], fl);
			o += fl;
		}
	}
	out[o] = '\0';
}

/* The decimal mark of the locale from ICU's number symbols: ',' or '.' (also for any other). */
static char decimal_mark(const char *locale)
{
	UErrorCode st = U_ZERO_ERROR;
	UNumberFormat *nf = unum_open(UNUM_DECIMAL, NULL, 0, locale, NULL, &st);
	UChar sym[8];
	int32_t len = 0;

	if (U_SUCCESS(st))
		len = unum_getSymbol(nf, UNUM_DECIMAL_SEPARATOR_SYMBOL, sym, 8, &st);
	unum_close(nf);
	return U_SUCCESS(st) && len == 1 && sym[0] == ',' ? ',' : '.';
}

/* A digit string with single separators between groups? */
static bool is_grouped_digits(const char *s, size_t n)
{
	if (n == 0 || !isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[n - 1]))
		return false;
	for (size_t i = 0; i < n; i++) {
		if (isdigit((unsigned char)s[i]))
			continue;
		if (!is_num_sep(s[i]) || !isdigit((unsigned char)s[i + 1]))
			return false;
	}
	return true;
}

/* English "1st" "2nd" "3rd" "27th", French "1er" "1re" "2e" "27e" "2ème": digits length or 0. */
static size_t ordinal_digits(const td_tokenizer *tk, const char *s, size_t n)
{
	size_t d = 0;
	while (d < n && isdigit((unsigned char)s[d]))
		d++;
	if (d == 0 || d == n)
		return 0;
	const char *suf = s + d;
	size_t sn = n - d;
	static const char *const en[] = { "st", "nd", "rd", "th", NULL };
	static const char *const fr[] = { "er", "re", "e", "ème", "eme", "ère", "nd", "nde", NULL };
	const char *const *list = NULL;
	if (!strcmp(tk->base, "en"))
		list = en;
	else if (!strcmp(tk->base, "fr"))
		list = fr;
	if (!list)
		return 0;
	for (size_t i = 0; list[i]; i++)
		if (strlen(list[i]) == sn && !strncasecmp(suf, list[i], sn))
			return d;
	return 0;
}

/* ---------- words ---------- */

/* Case-folded NFC copy of s[0,n) in the arena; typographic apostrophes -> '. */
static char *fold_word(td_tokenizer *tk, const char *s, size_t n, size_t *out_len)
{
	UErrorCode st = U_ZERO_ERROR;
	int32_t len16, lenf, lenn, len8;
	UChar *in, *fold, *nfc;
	char *out;

	if (is_ascii(s, n)) {
		out = td_arena_alloc(&tk->arena, n + 1);
		if (!out)
			return NULL;
		for (size_t i = 0; i < n; i++)
			out[i] = (char)tolower((unsigned char)s[i]);
		out[n] = '\0';
		*out_len = n;
		return out;
	}
	if (n > INT32_MAX / 4 || ensure_u16(tk, (int32_t)n * 3 + 8) < 0)
		return NULL;
	in = tk->u16;
	fold = tk->u16 + tk->u16cap;
	nfc = tk->u16 + 2 * tk->u16cap;
	u_strFromUTF8WithSub(in, tk->u16cap, &len16, s, (int32_t)n, 0xFFFD, NULL, &st);
	if (U_FAILURE(st))
		return NULL;
	lenf = u_strFoldCase(fold, tk->u16cap, in, len16, U_FOLD_CASE_DEFAULT, &st);
	if (U_FAILURE(st))
		return NULL;
	for (int32_t i = 0; i < lenf; i++)
		if (fold[i] == 0x2019 || fold[i] == 0x02BC)
			fold[i] = '\'';
	if (unorm2_quickCheck(tk->nfc, fold, lenf, &st) == UNORM_YES) {
		nfc = fold;
		lenn = lenf;
	} else {
		st = U_ZERO_ERROR;
		lenn = unorm2_normalize(tk->nfc, fold, lenf, nfc, tk->u16cap, &st);
		if (U_FAILURE(st))
			return NULL;
	}
	out = td_arena_alloc(&tk->arena, (size_t)lenn * 3 + 1);
	if (!out)
		return NULL;
	st = U_ZERO_ERROR;
	u_strToUTF8WithSub(out, lenn * 3 + 1, &len8, nfc, lenn, 0xFFFD, NULL, &st);
	if (U_FAILURE(st))
		return NULL;
	*out_len = (size_t)len8;
	return out;
}

const char *td_tokenizer_stem(td_tokenizer *tk, const char *norm, size_t len)
{
	const sb_symbol *r;
	int rl;

	if (!tk->stemmer || len > INT32_MAX)
		return td_arena_strndup(&tk->arena, norm, len);
	r = sb_stemmer_stem(tk->stemmer, (const sb_symbol *)norm, (int)len);
	if (!r)
		return NULL;
	rl = sb_stemmer_length(tk->stemmer);
	return td_arena_strndup(&tk->arena, (const char *)r, (size_t)rl);
}

static void cache_clear(td_tokenizer *tk)
{
	td_strtab_free(&tk->cache);
	td_arena_free(&tk->cache_arena);
	free(tk->cache_ent);
	tk->cache_ent = NULL;
	tk->cache_cap = 0;
}

/* Remember stem and stop mark for norm; failure only means they are not remembered. */
static void cache_put(td_tokenizer *tk, const char *norm, size_t len, const char *stem, bool stop)
{
	uint32_t id;
	const char *copy = NULL;

	if (!tk->cache.slot) {
		if (td_strtab_init(&tk->cache, 4096) < 0)
			return;
		td_arena_init(&tk->cache_arena, 65536);
	}
	if (td_grow((void **)&tk->cache_ent, &tk->cache_cap, tk->cache.n + 1, sizeof(*tk->cache_ent)) < 0) {
		td_error_clear();   /* a word left out of the cache is only stemmed again */
		return;
	}
	if (stem != norm && !(copy = td_arena_strndup(&tk->cache_arena, stem, strlen(stem))))
		return;
	if (td_strtab_intern(&tk->cache, &id, norm, len) < 0)
		return;
	tk->cache_ent[id].stem = copy;
	tk->cache_ent[id].stop = stop;
}

/* Stem and stop mark of a WORD's norm: from the cache, else Snowball and the stop list. */
static const char *stem_of(td_tokenizer *tk, const char *norm, size_t len, bool *stop)
{
	const sb_symbol *r;
	const char *stem;
	int64_t id;
	int rl;

	if (tk->cache.slot && (id = td_strtab_find(&tk->cache, norm, len)) >= 0) {
		*stop = tk->cache_ent[id].stop;
		return tk->cache_ent[id].stem ? tk->cache_ent[id].stem : norm;
	}
	*stop = td_stopwords_has(&tk->stops, norm);
	if (!tk->stemmer || len > INT32_MAX) {
		stem = norm;
	} else {
		r = sb_stemmer_stem(tk->stemmer, (const sb_symbol *)norm, (int)len);
		if (!r)
			return NULL;
		rl = sb_stemmer_length(tk->stemmer);
		if ((size_t)rl == len && !memcmp(r, norm, len))
			stem = norm;
		else if (!(stem = td_arena_strndup(&tk->arena, (const char *)r, (size_t)rl)))
			return NULL;
	}
	cache_put(tk, norm, len, stem, *stop);
	return stem;
}

/* Length of a URL starting at s ("http://", "https://", "www."), or 0. */
static size_t url_len(const char *s, size_t n, bool at_word_start)
{
	size_t i;

	if (!at_word_start || n < 5 || (*s != 'h' && *s != 'H' && *s != 'w' && *s != 'W'))
		return 0;
	if (n >= 8 && !strncasecmp(s, "https://", 8))
		i = 8;
	else if (n >= 7 && !strncasecmp(s, "http://", 7))
		i = 7;
	else if (n >= 5 && !strncasecmp(s, "www.", 4) && isalnum((unsigned char)s[4]))
		i = 4;
	else
		return 0;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		if (c <= ' ' || c == '"' || c == '<' || c == '>')
			break;
		/* „ “ ” « » and spaces above U+007F end a URL too. */
		if (c == 0xC2 && i + 1 < n && ((unsigned char)s[i + 1] == 0xAB ||
					       (unsigned char)s[i + 1] == 0xBB ||
					       (unsigned char)s[i + 1] == 0xA0))
			break;
		if (c == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
		    ((unsigned char)s[i + 2] >= 0x9C && (unsigned char)s[i + 2] <= 0x9E))
			break;
		i++;
	}
	while (i > 0 && strchr(".,;:!?)]}'", s[i - 1]))
		i--;
	return i;
}

/* ---------- the tokenizer ---------- */

int td_tokenizer_new(td_tokenizer **out, const char *lang)
{
	td_tokenizer *tk = NULL;
	UErrorCode st = U_ZERO_ERROR;
	size_t i, n;
	int rc = 0;

	*out = NULL;
	if (!lang || !*lang || (n = strlen(lang)) >= sizeof(tk->lang))
		return td_error_set(TD_EINVAL, "tokenizer: bad language tag '%s'", lang ? lang : "(null)");
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)lang[i]) && lang[i] != '_' && lang[i] != '-')
			return td_error_set(TD_EINVAL, "tokenizer: bad language tag '%s'", lang);
	tk = calloc(1, sizeof(*tk));
	if (!tk)
		return td_error_set(TD_ENOMEM, "tokenizer: out of memory");
	memcpy(tk->lang, lang, n + 1);
	if (td_lang_primary(tk->base, sizeof(tk->base), lang) == 0) {
		rc = td_error_set(TD_EINVAL, "tokenizer: bad language tag '%s'", lang);
		goto cleanup;
	}
	td_arena_init(&tk->arena, 16384);
	tk->bi = ubrk_open(UBRK_WORD, tk->lang, NULL, 0, &st);
	if (U_FAILURE(st)) {
		rc = td_error_set(TD_EINVAL, "tokenizer: ICU has no word breaker for '%s': %s",
				  lang, u_errorName(st));
		goto cleanup;
	}
	tk->nfc = unorm2_getNFCInstance(&st);
	if (U_FAILURE(st)) {
		rc = td_error_set(TD_EINVAL, "tokenizer: ICU NFC data missing: %s", u_errorName(st));
		goto cleanup;
	}
	tk->dec = decimal_mark(tk->lang);
	tk->stemmer = sb_stemmer_new(tk->base, "UTF_8");  /* NULL: none for this language */
	td_stopwords_init(&tk->stops, tk->base);
	*out = tk;
	return 0;
cleanup:
	td_tokenizer_free(tk);
	return rc;
}

void td_tokenizer_free(td_tokenizer *tk)
{
	if (!tk)
		return;
	if (tk->bi)
		ubrk_close(tk->bi);
	if (tk->ut)
		utext_close(tk->ut);
	if (tk->stemmer)
		sb_stemmer_delete(tk->stemmer);
	td_arena_free(&tk->arena);
	cache_clear(tk);
	free(tk->tok);
	free(tk->u16);
	free(tk);
}

const char *td_tokenizer_lang(const td_tokenizer *tk)
{
	return tk->lang;
}

bool td_tokenizer_has_stemmer(const td_tokenizer *tk)
{
	return tk->stemmer != NULL;
}

bool td_tokenizer_is_stop(const td_tokenizer *tk, const char *norm)
{
	return td_stopwords_has(&tk->stops, norm);
}

static int do_word(td_tokenizer *tk, const char *text, size_t a, size_t b);

static int emit_number(td_tokenizer *tk, size_t a, size_t b, const char *digits, size_t nd)
{
	char *norm = td_arena_alloc(&tk->arena, nd + 1);

	if (norm)
		canon_number(norm, digits, nd, tk->dec);
	return add_token(tk, a, b, TD_TOK_NUMBER, norm, norm, false);
}

/*
 * A number token text[a,b) from ICU, possibly continued over grouping spaces
 * ("5 000", "1 234 567" with NBSP / narrow NBSP / thin space, or a plain
 * space in French). Returns the end of what was consumed.
 */
static int do_number(td_tokenizer *tk, const char *text, size_t len, size_t a, size_t b, size_t *end)
{
	char buf[128];
	size_t nd = 0, e = b;

	/* Digits, with apostrophes and spaces inside (ICU keeps "5'000" and,
	 * in some locales, "5 000" together) mapped to the separator '\''. */
	for (size_t i = a; i < b && nd < sizeof(buf) - 1;) {
		size_t g = group_space_len(text + i, b - i);
		if (g || text[i] == ' ') {
			buf[nd++] = '\'';
			i += g ? g : 1;
		} else if (b - i >= 3 && !memcmp(text + i, "\xe2\x80\x99", 3)) {
			buf[nd++] = '\'';
			i += 3;
		} else {
			buf[nd++] = text[i++];
		}
	}
	if (nd >= sizeof(buf) - 1 || !is_grouped_digits(buf, nd)) {
		for (size_t i = a; i < b; i++)
			if (isalpha((unsigned char)text[i])) {
				*end = b;
				return do_word(tk, text, a, b);  /* "G20", "4K" */
			}
		/* Other scripts' digits, "_": a number token with its folded text. */
		size_t fl;
		char *norm = fold_word(tk, text + a, b - a, &fl);
		*end = b;
		return add_token(tk, a, b, TD_TOK_NUMBER, norm, norm, false);
	}
	/* Leading group of 1-3 digits without separators, then spaced groups of 3. */
	if (nd <= 3) {
		for (;;) {
			size_t g = group_space_len(text + e, len - e);
			if (!g && e < len && text[e] == ' ' && !strcmp(tk->base, "fr"))
				g = 1;
			if (!g || e + g + 3 > len)
				break;
			const char *d = text + e + g;
			if (!isdigit((unsigned char)d[0]) || !isdigit((unsigned char)d[1]) ||
			    !isdigit((unsigned char)d[2]))
				break;
			if (e + g + 3 < len && isalnum((unsigned char)d[3]))
				break;
			if (nd + 4 >= sizeof(buf))
				break;
			buf[nd++] = '\'';
			memcpy(buf + nd, d, 3);
			nd += 3;
			e += g + 3;
			/* A decimal part after the last group: "1 234,5". */
			if (e + 1 < len && text[e] == ',' && isdigit((unsigned char)text[e + 1])) {
				size_t f = e + 1;
				while (f < len && isdigit((unsigned char)text[f]) && nd + (f - e) + 1 < sizeof(buf))
					f++;
				buf[nd++] = ',';
				memcpy(buf + nd, text + e + 1, f - e - 1);
				nd += f - e - 1;
				e = f;
				break;
			}
		}
	}
	*end = e;
	return emit_number(tk, a, e, buf, nd);
}

/*
 * Elided articles and pronouns that ICU keeps on the word ("l'alpiniste",
 * "qu'il", Italian "dell'anno"): the length of the prefix through its
 * apostrophe (' or U+2019) in text[a, b), or 0. Only for languages that
 * elide; "aujourd'hui" has no such prefix and stays whole.
 */
static size_t elision_len(const td_tokenizer *tk, const char *s, size_t n)
{
	static const char *const fr[] = { "c", "d", "j", "l", "m", "n", "s", "t", "qu", "jusqu",
					  "lorsqu", "puisqu", "quoiqu", "presqu", NULL };
	static const char *const it[] = { "l", "d", "c", "un", "dell", "all", "dall", "nell", "sull",
					  "coll", "quell", "quest", "sant", NULL };
	const char *const *list = !strcmp(tk->base, "fr") ? fr : !strcmp(tk->base, "it") ? it : NULL;
	size_t p = 0, al;

	if (!list)
		return 0;
	while (p < n && p < 8 && isalpha((unsigned char)s[p]))
		p++;
	if (p == 0 || p >= n)
		return 0;
	if (s[p] == '\'')
		al = 1;
	else if (n - p >= 3 && !memcmp(s + p, "\xe2\x80\x99", 3))
		al = 3;
	else
		return 0;
	if (p + al >= n)
		return 0;  /* nothing after the apostrophe */
	for (size_t i = 0; list[i]; i++)
		if (strlen(list[i]) == p && !strncasecmp(s, list[i], p))
			return p + al;
	return 0;
}

static int do_word(td_tokenizer *tk, const char *text, size_t a, size_t b)
{
	size_t fl, od, el;
	char *norm;

	if ((od = ordinal_digits(tk, text + a, b - a)) > 0)
		return emit_number(tk, a, b, text + a, od);
	if ((el = elision_len(tk, text + a, b - a)) > 0) {
		/* "l'" as a stop word of its own, then the word. */
		size_t k = 0;
		while (isalpha((unsigned char)text[a + k]))
			k++;
		char *p = lower_ascii(tk, text + a, k, "'");
		int rc = add_token(tk, a, a + el, TD_TOK_WORD, p, p, true);
		return rc < 0 ? rc : do_word(tk, text, a + el, b);
	}
	norm = fold_word(tk, text + a, b - a, &fl);
	if (!norm)
		return td_error_set(TD_ENOMEM, "tokenizer: out of memory");
	bool stop = false;
	const char *stem = stem_of(tk, norm, fl, &stop);
	return add_token(tk, a, b, TD_TOK_WORD, norm, stem, stop);
}

static int do_punct(td_tokenizer *tk, const char *text, size_t a, size_t b)
{
	char *norm;

	if (is_space_run(text + a, b - a))
		return 0;
	if (!is_ascii(text + a, b - a)) {
		/* Bytes that are not UTF-8 get U+FFFD, so norms are always text. */
		UErrorCode st = U_ZERO_ERROR;
		u_strFromUTF8(NULL, 0, NULL, text + a, (int32_t)(b - a), &st);
		if (st == U_INVALID_CHAR_FOUND || st == U_ILLEGAL_CHAR_FOUND || st == U_TRUNCATED_CHAR_FOUND) {
			norm = td_arena_strndup(&tk->arena, "\xef\xbf\xbd", 3);
			goto push;
		}
	}
	norm = td_arena_strndup(&tk->arena, text + a, b - a);
push:
	return add_token(tk, a, b, TD_TOK_PUNCT, norm, norm, false);
}

int td_tokenizer_run(const td_token **out, size_t *n, td_tokenizer *tk, const char *text, size_t len)
{
	UErrorCode st = U_ZERO_ERROR;
	size_t pos = 0;
	int rc = 0;

	*out = NULL;
	*n = 0;
	tk->ntok = 0;
	td_arena_reset(&tk->arena);
	if (tk->cache.n >= STEM_CACHE_MAX)
		cache_clear(tk);
	if (len == 0)
		return 0;
	if (!text)
		return td_error_set(TD_EINVAL, "tokenize: text is NULL");
	if (len > INT32_MAX)
		return td_error_set(TD_ELIMIT, "tokenize: text of %zu bytes exceeds 2 GiB", len);
	tk->ut = utext_openUTF8(tk->ut, text, (int64_t)len, &st);
	if (U_FAILURE(st))
		return td_error_set(TD_ENOMEM, "tokenize: ICU: %s", u_errorName(st));
	ubrk_setUText(tk->bi, tk->ut, &st);
	if (U_FAILURE(st))
		return td_error_set(TD_ENOMEM, "tokenize: ICU: %s", u_errorName(st));

	while (pos < len) {
		size_t u, next, e = 0;
		int32_t b, status;
		bool word_start = pos == 0 || !isalnum((unsigned char)text[pos - 1]);

		if ((u = url_len(text + pos, len - pos, word_start)) > 0) {
			char *norm = lower_ascii(tk, text + pos, u, "");
			if ((rc = add_token(tk, pos, pos + u, TD_TOK_WORD, norm, norm, false)) < 0)
				return rc;
			pos += u;
			continue;
		}
		b = ubrk_following(tk->bi, (int32_t)pos);
		if (b == UBRK_DONE || (size_t)b <= pos)
			next = len;
		else
			next = (size_t)b;
		status = ubrk_getRuleStatus(tk->bi);
		if (status >= UBRK_WORD_NUMBER && status < UBRK_WORD_NUMBER_LIMIT) {
			rc = do_number(tk, text, len, pos, next, &e);
			next = e;
		} else if (status >= UBRK_WORD_LETTER) {
			rc = do_word(tk, text, pos, next);
		} else {
			rc = do_punct(tk, text, pos, next);
		}
		if (rc < 0)
			return rc;
		pos = next;
	}
	*out = tk->tok;
	*n = tk->ntok;
	return 0;
}

/* ---------- tokenizers kept per thread ---------- */

/*
 * A thread's spare tokenizers, handed out again by td__tokenizer_take: the
 * aligner tokenizes two documents per pair, and a fresh tokenizer would
 * open an ICU iterator and number format and start with an empty stem
 * cache every time. The spares of a thread are freed when it exits (the key's
 * destructor); the main thread's live until the process ends.
 */
#define SPARE_MAX 4

static _Thread_local td_tokenizer *spare[SPARE_MAX];
static pthread_key_t spare_key;
static pthread_once_t spare_once = PTHREAD_ONCE_INIT;
static bool spare_key_ok;

static void spare_free(void *p)
{
	td_tokenizer **v = p;

	for (size_t i = 0; i < SPARE_MAX; i++) {
		td_tokenizer_free(v[i]);
		v[i] = NULL;
	}
}

static void spare_init(void)
{
	spare_key_ok = pthread_key_create(&spare_key, spare_free) == 0;
}

int td__tokenizer_take(td_tokenizer **out, const char *lang)
{
	for (size_t i = 0; i < SPARE_MAX; i++)
		if (spare[i] && lang && !strcmp(spare[i]->lang, lang)) {
			*out = spare[i];
			spare[i] = NULL;
			return 0;
		}
	return td_tokenizer_new(out, lang);
}

void td__tokenizer_give(td_tokenizer *tk)
{
	if (!tk)
		return;
	pthread_once(&spare_once, spare_init);
	/* Without the key the thread could not free its spares when it exits. */
	if (spare_key_ok && (pthread_getspecific(spare_key) || pthread_setspecific(spare_key, spare) == 0))
		for (size_t i = 0; i < SPARE_MAX; i++)
			if (!spare[i]) {
				spare[i] = tk;
				return;
			}
	td_tokenizer_free(tk);
}
