/*
 * tandem's corrections to ICU's sentence breaks, as data per language.
 *
 * ICU breaks after "." when a capital letter follows. News text has many such
 * places that are not sentence ends: German ordinals ("am 27. Januar", "die
 * 36. Minute", "(45.)"), abbreviations ("z. B.", "Prof.", "Nr. 5", "U.S."),
 * initials ("John F. Kennedy"). For each ICU break after a full stop the word
 * before the stop and the word after the break are looked up in the tables
 * below; the procedure in seg_rules_join() is the same for every language.
 *
 * To extend: add words to a table (keep them generic, not fitted to one
 * text), or a language to `languages`.
 */
#include "tandem/lang.h"
#include "text/segrules.h"

#include <string.h>
#include <strings.h>

#include <unicode/uchar.h>

typedef enum {
	ABBR_ALWAYS,        /* never ends a sentence: titles, "z. B.", "ca." */
	ABBR_BEFORE_NUMBER, /* no end before a number: "Nr. 5", "Jan. 12" */
	ABBR_UNLESS_START   /* an end only before a typical sentence start: "U.S.", "Mio." */
} abbr_kind;

typedef struct {
	const char *word;   /* without its final '.', case as written: "Prof", "U.S", "z" */
	abbr_kind kind;
} abbr;

struct seg_rules {
	const char *lang;              /* language code, the part before '_', '-', '@' */
	const abbr *abbrs;             /* abbreviations, terminated by { NULL } */
	const char *const *months;     /* "N." before these is a date: "27. Januar" */
	const char *const *ordinal_cues; /* "N." after these is an ordinal: "am 27.", "der 36." */
	const char *const *starters;   /* words that often begin a sentence */
	int ordinal_dot;               /* ordinals are written "27." (in the language or in translations from one) */
};

/* ---- German ---------------------------------------------------------- */

static const abbr de_abbrs[] = {
	{ "z", ABBR_ALWAYS }, { "B", ABBR_ALWAYS }, { "d", ABBR_ALWAYS }, { "h", ABBR_ALWAYS },
	{ "u", ABBR_ALWAYS }, { "a", ABBR_ALWAYS }, { "v", ABBR_ALWAYS }, { "Chr", ABBR_UNLESS_START },
	{ "z.B", ABBR_ALWAYS }, { "d.h", ABBR_ALWAYS }, { "u.a", ABBR_UNLESS_START },
	{ "o.ä", ABBR_UNLESS_START }, { "s.o", ABBR_UNLESS_START }, { "s.u", ABBR_UNLESS_START },
	{ "St", ABBR_ALWAYS }, { "Prof", ABBR_ALWAYS }, { "Dr", ABBR_ALWAYS }, { "Hr", ABBR_ALWAYS },
	{ "Fr", ABBR_ALWAYS }, { "Frl", ABBR_ALWAYS }, { "Hl", ABBR_ALWAYS }, { "Dipl", ABBR_ALWAYS },
	{ "Ing", ABBR_ALWAYS }, { "Mag", ABBR_ALWAYS }, { "Bf", ABBR_ALWAYS }, { "Hbf", ABBR_ALWAYS },
	{ "ca", ABBR_ALWAYS }, { "bzw", ABBR_ALWAYS }, { "vgl", ABBR_ALWAYS }, { "evtl", ABBR_ALWAYS },
	{ "ggf", ABBR_ALWAYS }, { "sog", ABBR_ALWAYS }, { "inkl", ABBR_ALWAYS }, { "zzgl", ABBR_ALWAYS },
	{ "ehem", ABBR_ALWAYS }, { "gem", ABBR_ALWAYS }, { "bzgl", ABBR_ALWAYS }, { "geb", ABBR_ALWAYS },
	{ "insb", ABBR_ALWAYS }, { "einschl", ABBR_ALWAYS }, { "lt", ABBR_ALWAYS }, { "max", ABBR_UNLESS_START },
	{ "min", ABBR_UNLESS_START }, { "mind", ABBR_ALWAYS }, { "rd", ABBR_ALWAYS }, { "zB", ABBR_ALWAYS },
	{ "Nr", ABBR_ALWAYS }, { "Art", ABBR_BEFORE_NUMBER }, { "Abs", ABBR_BEFORE_NUMBER },
	{ "S", ABBR_BEFORE_NUMBER }, { "Bd", ABBR_BEFORE_NUMBER }, { "Kap", ABBR_BEFORE_NUMBER },
	{ "Tel", ABBR_ALWAYS }, { "Str", ABBR_UNLESS_START }, { "Jh", ABBR_UNLESS_START },
	{ "Jhd", ABBR_UNLESS_START }, { "Mio", ABBR_UNLESS_START }, { "Mrd", ABBR_UNLESS_START },
	{ "Tsd", ABBR_UNLESS_START }, { "Std", ABBR_UNLESS_START }, { "Min", ABBR_UNLESS_START },
	{ "Sek", ABBR_UNLESS_START }, { "Jan", ABBR_BEFORE_NUMBER }, { "Feb", ABBR_BEFORE_NUMBER },
	{ "Febr", ABBR_BEFORE_NUMBER }, { "Apr", ABBR_BEFORE_NUMBER }, { "Aug", ABBR_BEFORE_NUMBER },
	{ "Sept", ABBR_BEFORE_NUMBER }, { "Sep", ABBR_BEFORE_NUMBER }, { "Okt", ABBR_BEFORE_NUMBER },
	{ "Nov", ABBR_BEFORE_NUMBER }, { "Dez", ABBR_BEFORE_NUMBER }, { "Mo", ABBR_UNLESS_START },
	{ "Di", ABBR_UNLESS_START }, { "Mi", ABBR_UNLESS_START }, { "Do", ABBR_UNLESS_START },
	{ "Sa", ABBR_UNLESS_START }, { "So", ABBR_UNLESS_START },
	{ "Abb", ABBR_BEFORE_NUMBER }, { "Tab", ABBR_BEFORE_NUMBER }, { "Ziff", ABBR_BEFORE_NUMBER },
	{ "usw", ABBR_UNLESS_START }, { "etc", ABBR_UNLESS_START }, { "Co", ABBR_UNLESS_START },
	{ "Gebr", ABBR_ALWAYS }, { "Bsp", ABBR_ALWAYS }, { "Verf", ABBR_ALWAYS }, { "Hrsg", ABBR_UNLESS_START },
	{ "Pkt", ABBR_BEFORE_NUMBER }, { "Az", ABBR_BEFORE_NUMBER }, { "Aktz", ABBR_BEFORE_NUMBER }, { "Kl", ABBR_BEFORE_NUMBER }, { "Reg", ABBR_ALWAYS },
	{ NULL, ABBR_ALWAYS }
};

static const char *const de_months[] = {
	"Januar", "Jänner", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
	"September", "Oktober", "November", "Dezember", "Jan", "Feb", "Febr", "Mär", "Apr",
	"Jun", "Jul", "Aug", "Sep", "Sept", "Okt", "Nov", "Dez", NULL
};

/*
 * Articles, contracted prepositions, possessives and demonstratives stand
 * before ordinals ("am 27.", "ihres 38."); a bare preposition mostly stands
 * before a cardinal ("stieg auf 400."), so none is listed.
 */
static const char *const de_ordinal_cues[] = {
	"am", "vom", "zum", "im", "beim", "zur", "den", "dem", "der", "die", "das", "des",
	"ein", "eine", "einem", "einen", "einer", "eines", "ihr", "ihre", "ihrem", "ihren",
	"ihrer", "ihres", "sein", "seine", "seinem", "seinen", "seiner", "seines", "unser",
	"unsere", "unserem", "unseren", "unserer", "unseres", "jeder", "jede", "jedem", "jeden",
	"jedes", "dieser", "diese", "diesem", "diesen", "dieses", NULL
};

static const char *const de_starters[] = {
	"Der", "Die", "Das", "Den", "Dem", "Des", "Ein", "Eine", "Einen", "Einem", "Er", "Sie",
	"Es", "Ich", "Wir", "Ihr", "Man", "Dies", "Diese", "Dieser", "Dieses", "Dann", "Doch",
	"Aber", "Auch", "Und", "So", "Nun", "Jetzt", "Damit", "Deshalb", "Daher", "Dabei",
	"Danach", "Dazu", "Zudem", "Außerdem", "Im", "In", "Am", "Auf", "Bei", "Mit", "Nach",
	"Vor", "Für", "Seit", "Als", "Wenn", "Wie", "Was", "Wer", "Wo", "Warum", "Zum", "Zur",
	"Trotz", "Unter", "Laut", "Sein", "Seine", "Ihre", "Mein", "Meine", "Unser",
	"Unsere", "Da", "Hier", "Dort", "Heute", "Gestern", "Morgen", "Bereits", "Schon",
	"Noch", "Nur", "Allerdings", "Insgesamt", "Vom", "Beim", "Ob", "Nicht", "Kein", "Keine",
	NULL
};

/* ---- English --------------------------------------------------------- */

static const abbr en_abbrs[] = {
	{ "Mr", ABBR_ALWAYS }, { "Mrs", ABBR_ALWAYS }, { "Ms", ABBR_ALWAYS }, { "Dr", ABBR_ALWAYS },
	{ "Prof", ABBR_ALWAYS }, { "St", ABBR_ALWAYS }, { "Sen", ABBR_ALWAYS }, { "Rep", ABBR_ALWAYS },
	{ "Gov", ABBR_ALWAYS }, { "Gen", ABBR_ALWAYS }, { "Col", ABBR_ALWAYS }, { "Lt", ABBR_ALWAYS },
	{ "Sgt", ABBR_ALWAYS }, { "Capt", ABBR_ALWAYS }, { "Rev", ABBR_ALWAYS }, { "Hon", ABBR_ALWAYS },
	{ "Mt", ABBR_ALWAYS }, { "Ft", ABBR_ALWAYS }, { "vs", ABBR_ALWAYS }, { "e.g", ABBR_ALWAYS },
	{ "i.e", ABBR_ALWAYS }, { "cf", ABBR_ALWAYS }, { "approx", ABBR_ALWAYS }, { "ca", ABBR_ALWAYS },
	{ "No", ABBR_BEFORE_NUMBER }, { "no", ABBR_BEFORE_NUMBER }, { "Nos", ABBR_BEFORE_NUMBER }, { "Art", ABBR_BEFORE_NUMBER },
	{ "p", ABBR_BEFORE_NUMBER }, { "pp", ABBR_BEFORE_NUMBER }, { "Vol", ABBR_BEFORE_NUMBER },
	{ "Fig", ABBR_BEFORE_NUMBER }, { "Jan", ABBR_BEFORE_NUMBER }, { "Feb", ABBR_BEFORE_NUMBER },
	{ "Mar", ABBR_BEFORE_NUMBER }, { "Apr", ABBR_BEFORE_NUMBER }, { "Jun", ABBR_BEFORE_NUMBER },
	{ "Jul", ABBR_BEFORE_NUMBER }, { "Aug", ABBR_BEFORE_NUMBER }, { "Sep", ABBR_BEFORE_NUMBER },
	{ "Sept", ABBR_BEFORE_NUMBER }, { "Oct", ABBR_BEFORE_NUMBER }, { "Nov", ABBR_BEFORE_NUMBER },
	{ "Dec", ABBR_BEFORE_NUMBER }, { "U.S", ABBR_UNLESS_START }, { "U.K", ABBR_UNLESS_START },
	{ "U.N", ABBR_UNLESS_START }, { "E.U", ABBR_UNLESS_START }, { "Inc", ABBR_UNLESS_START },
	{ "Corp", ABBR_UNLESS_START }, { "Co", ABBR_UNLESS_START }, { "Ltd", ABBR_UNLESS_START },
	{ "Jr", ABBR_UNLESS_START }, { "Sr", ABBR_UNLESS_START }, { "etc", ABBR_UNLESS_START },
	{ "a.m", ABBR_UNLESS_START }, { "p.m", ABBR_UNLESS_START }, { "bn", ABBR_UNLESS_START },
	{ "mn", ABBR_UNLESS_START }, { "est", ABBR_UNLESS_START },
	{ NULL, ABBR_ALWAYS }
};

static const char *const en_months[] = {
	"January", "February", "March", "April", "May", "June", "July", "August", "September",
	"October", "November", "December", NULL
};

/* German ordinals survive in translations: "the 3. Liga", "on 27. January". */
static const char *const en_ordinal_cues[] = {
	"the", "his", "her", "its", "their", "our", NULL
};

static const char *const en_starters[] = {
	"The", "A", "An", "He", "She", "It", "They", "We", "I", "You", "This", "That", "These",
	"Those", "There", "But", "And", "So", "In", "On", "At", "As", "After", "Before", "For",
	"If", "When", "While", "Its", "His", "Her", "Their", "Our", "My", "Then", "However",
	"Now", "Yet", "What", "Who", "Why", "How", "Where", "Since", "According", "Some", "Many",
	"Most", "All", "No", "Not", "One", "Also", "By", "From", "With", "Under", "To", NULL
};

static const seg_rules languages[] = {
	{ "de", de_abbrs, de_months, de_ordinal_cues, de_starters, 1 },
	{ "en", en_abbrs, en_months, en_ordinal_cues, en_starters, 1 },
};

const seg_rules *seg_rules_for(const char *lang)
{
	size_t i;

	for (i = 0; i < sizeof(languages) / sizeof(languages[0]); i++)
		if (td_lang_is(lang, languages[i].lang))
			return &languages[i];
	return NULL;
}

/* ---- the procedure --------------------------------------------------- */

typedef struct {
	size_t a, b;        /* s[a..b): the word, without quotes, brackets, final '.' */
	UChar32 term;       /* the character that ends the piece before the break ('.', '!' ...) */
	int opened;         /* a bracket or quote stood before the word: "(45", "„1" */
	int closed;         /* a bracket or quote followed the terminator: "45.)" */
} word;

/* What a rule says about a break. */
typedef enum { PASS = 0, JOIN, BREAK } verdict;

/* Everything a rule may look at. */
typedef struct {
	const seg_rules *r;
	const char *s;
	word prev;          /* the word before the terminator */
	word next;          /* the word after the break */
	word before;        /* the word before prev: "am" in "am 27." */
	size_t from;        /* where the sentence that prev ends began */
} context;

static int is_wrap(UChar32 c)
{
	int8_t t = u_charType(c);

	return c == '"' || c == '\'' || t == U_START_PUNCTUATION || t == U_END_PUNCTUATION ||
	       t == U_INITIAL_PUNCTUATION || t == U_FINAL_PUNCTUATION;
}

static int is_space(UChar32 c)
{
	return c < 0 || u_isUWhiteSpace(c);
}

/*
 * Every scan below looks at most MAX_SCAN bytes away from where it starts, so
 * that a break costs constant time even inside a megabyte without spaces. A
 * longer word is no abbreviation or number: it is treated as empty.
 */
#define MAX_SCAN 64

static size_t scan_floor(size_t at)
{
	return at > MAX_SCAN ? at - MAX_SCAN : 0;
}

/* The terminator that ends s[0..brk) and, for a '.', the word before it. */
static void word_before(word *w, const char *s, size_t brk)
{
	size_t i = brk, j, lo = scan_floor(brk);
	UChar32 c = 0;

	memset(w, 0, sizeof(*w));
	while (i > lo) {       /* white space, then closing quotes and brackets */
		j = i;
		c = seg_prev(s, lo, &j);
		if (!is_space(c) && !is_wrap(c))
			break;
		if (is_wrap(c))
			w->closed = 1;
		i = j;
	}
	if (i == lo)
		return;
	j = i;
	w->term = seg_prev(s, lo, &j);
	if (w->term != '.')
		return;
	w->b = i = j;
	lo = scan_floor(w->b);
	while (i > lo) {
		j = i;
		c = seg_prev(s, lo, &j);
		if (is_space(c))
			break;
		i = j;
	}
	w->a = i == lo && lo > 0 ? w->b : i;
	while (w->a < w->b) {  /* leading quotes and brackets */
		j = w->a;
		c = seg_next(s, &j, w->b);
		if (!is_wrap(c))
			break;
		w->opened = 1;
		w->a = j;
	}
}

/* The word that starts at brk, without the quotes or brackets before it. */
static void word_after(word *w, const char *s, size_t len, size_t brk)
{
	size_t i = brk, j, hi = len - brk > MAX_SCAN ? brk + MAX_SCAN : len;
	UChar32 c;

	memset(w, 0, sizeof(*w));
	while (i < hi) {
		j = i;
		c = seg_next(s, &j, len);
		if (!is_space(c) && !(is_wrap(c) && c != ')' && c != ']'))
			break;
		i = j;
	}
	w->a = i;
	hi = len - i > MAX_SCAN ? i + MAX_SCAN : len;
	while (i < hi) {
		j = i;
		c = seg_next(s, &j, len);
		if (is_space(c) || is_wrap(c) || (u_ispunct(c) && i > w->a))
			break;
		i = j;
		if (u_ispunct(c))
			break;  /* a word that starts with punctuation is that character */
	}
	w->b = i;
}

/* The word that ends before s[end] (white space, commas and quotes skipped). */
static void word_ending_at(word *w, const char *s, size_t end)
{
	size_t i = end, j, lo = scan_floor(end);
	UChar32 c;

	memset(w, 0, sizeof(*w));
	while (i > lo) {
		j = i;
		c = seg_prev(s, lo, &j);
		if (!is_space(c) && !is_wrap(c) && c != ',')
			break;
		i = j;
	}
	w->b = i;
	lo = scan_floor(i);
	while (i > lo) {
		j = i;
		c = seg_prev(s, lo, &j);
		if (is_space(c) || is_wrap(c))
			break;
		i = j;
	}
	w->a = i == lo && lo > 0 ? w->b : i;
}

static int word_is(const char *s, const word *w, const char *x, int fold)
{
	size_t n = w->b - w->a;

	return strlen(x) == n && (fold ? strncasecmp(s + w->a, x, n) : strncmp(s + w->a, x, n)) == 0;
}

static int in_list(const char *s, const word *w, const char *const *list, int fold)
{
	for (; list && *list; list++)
		if (word_is(s, w, *list, fold))
			return 1;
	return 0;
}

static int all_digits(const char *s, const word *w)
{
	size_t i;

	if (w->a == w->b)
		return 0;
	for (i = w->a; i < w->b; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static UChar32 first_char(const char *s, const word *w)
{
	size_t i = w->a;

	return w->a < w->b ? seg_next(s, &i, w->b) : 0;
}

static UChar32 last_char(const char *s, const word *w)
{
	size_t i = w->b;

	return w->a < w->b ? seg_prev(s, w->a, &i) : 0;
}

static int is_starter(const context *cx)
{
	return in_list(cx->s, &cx->next, cx->r->starters, 0);
}

/* ---- the rules, in the order they are asked -------------------------- */

/* A sentence does not begin with a small letter or "/", ",", ";", ")": "„Warum?“ fragte er". */
static verdict rule_next_continues(const context *cx)
{
	UChar32 c = first_char(cx->s, &cx->next);

	if (c && (u_islower(c) || strchr("/,;:)]%", c > 0 && c < 128 ? (int)c : '@')))
		return JOIN;
	return cx->prev.term == '.' ? PASS : BREAK;
}

/* A known abbreviation, in the context where it does not end a sentence. */
static verdict rule_abbreviation(const context *cx)
{
	const abbr *ab;

	for (ab = cx->r->abbrs; ab->word; ab++) {
		if (!word_is(cx->s, &cx->prev, ab->word, 0))
			continue;
		switch (ab->kind) {
		case ABBR_ALWAYS:
			return JOIN;
		case ABBR_BEFORE_NUMBER:
			return u_isdigit(first_char(cx->s, &cx->next)) ? JOIN : PASS;
		case ABBR_UNLESS_START:
			return is_starter(cx) ? BREAK : JOIN;
		}
	}
	return PASS;
}

/* Initials: one letter, or letters joined by dots ("F.", "U.S.", "z.B."). */
static verdict rule_initials(const context *cx)
{
	const char *s = cx->s;
	size_t i = cx->prev.a;
	int letters = 0;

	if (i == cx->prev.b)
		return PASS;
	while (i < cx->prev.b) {
		if (!u_isalpha(seg_next(s, &i, cx->prev.b)))
			return PASS;
		letters++;
		if (i < cx->prev.b && s[i++] != '.')
			return PASS;
	}
	return letters && !is_starter(cx) ? JOIN : PASS;
}

/* A number opened by a bracket or quote: "(45.)", "(26./49.)", "„1. Renaissance". */
static verdict rule_number_in_brackets(const context *cx)
{
	return all_digits(cx->s, &cx->prev) && cx->prev.opened ? JOIN : PASS;
}

/*
 * A numbered item: after a colon or a dash ("Wertung: 1. Huber - 2. Peier"),
 * or a number that would be a sentence of its own ("1. FC Köln" at the start).
 */
static verdict rule_enumeration(const context *cx)
{
	UChar32 c = last_char(cx->s, &cx->before);

	if (!all_digits(cx->s, &cx->prev))
		return PASS;
	if (cx->before.b <= cx->from)
		return JOIN;
	return c == ':' || c == '-' || c == 0x2013 || c == 0x2014 ? JOIN : PASS;
}

/* Ordinals written "27." (German): before a month, after an article, before a noun. */
static verdict rule_ordinal(const context *cx)
{
	const context *c = cx;

	if (!c->r->ordinal_dot || !all_digits(c->s, &c->prev) || c->prev.b - c->prev.a > 3)
		return PASS;
	if (in_list(c->s, &c->next, c->r->months, 0))
		return JOIN;              /* "27. Januar" */
	if (in_list(c->s, &c->before, c->r->ordinal_cues, 1))
		return JOIN;              /* "in der 36. Minute" */
	return PASS;
}

static verdict (*const rules[])(const context *) = {
	rule_next_continues,
	rule_abbreviation,
	rule_initials,
	rule_number_in_brackets,
	rule_enumeration,
	rule_ordinal,
};

/*
 * ICU does not break between "Frankenwald. 1991 endete ..." because it looks
 * past the number for a small letter. A full stop after an ordinary word
 * (four letters or more, not an abbreviation) or after a closing bracket or
 * quote, before a number or a bracket, ends the sentence.
 */
int seg_rules_split(const seg_rules *r, const char *s, size_t len, size_t at)
{
	context cx;
	size_t i, letters = 0;
	int bracket;
	UChar32 c;

	cx.r = r;
	cx.s = s;
	word_before(&cx.prev, s, at);
	if (cx.prev.term != '.')
		return 0;
	word_after(&cx.next, s, len, at);
	bracket = cx.next.a > at && s[cx.next.a - 1] == '(';
	if (!(u_isdigit(first_char(s, &cx.next)) || bracket))
		return 0;
	/*
	 * "... Saisonsieg (1:0). (sda) Viermal"; not before a number: "Agüero
	 * (65). 2:0 gegen ..." is a German minute list "(65.) 2:0" translated.
	 */
	c = last_char(s, &cx.prev);
	if (is_wrap(c) && u_charType(c) != U_START_PUNCTUATION)
		return bracket;
	if (cx.prev.opened)
		return 0;
	for (i = cx.prev.a; i < cx.prev.b; letters++)
		if (!u_isalpha(seg_next(s, &i, cx.prev.b)))
			return 0;
	if (letters < 4)
		return 0;
	return rule_abbreviation(&cx) == PASS;
}

int seg_rules_join(const seg_rules *r, const char *s, size_t len, size_t from, size_t brk)
{
	context cx;
	size_t i;

	cx.r = r;
	cx.s = s;
	cx.from = from;
	word_before(&cx.prev, s, brk);
	if (!cx.prev.term)
		return 0;
	word_after(&cx.next, s, len, brk);
	word_ending_at(&cx.before, s, cx.prev.a);
	for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		verdict v = rules[i](&cx);
		if (v != PASS)
			return v == JOIN;
	}
	return 0;
}
