/*
 * The term's own translation inside a unit: a word alignment of the unit
 * in which the term's words compete with the other source words for each
 * target word (model in include/tandem/terms.h).
 *
 * The association of a source word and a target word is the strongest of:
 * the bilingual lexicon pairs their stems (1; German compounds split by the
 * lexicon), the same word or stem (1), a cognate (edit similarity of the
 * words with accents folded, from 0.7), the same number (1), and the TM's
 * word model (Dice of the two stems over the model's counts,
 * memory/wordmodel.h). A German term word is also split into parts the
 * lexicon or the model knows (Pressefreiheit: presse + freiheit), and each
 * part is associated in the same ways. The term's own TM evidence is local:
 * its units (those examined) with each target stem, against how many units
 * of the TM hold that stem (the model's word counts): the stronger of Dice
 * and an association leaning to P(target | term) (leaning()), weighed by
 * how many of the term's units show it (one unit is weak evidence).
 *
 * A target word goes to the term when the term's association, times a
 * diagonal prior on relative positions, beats every other source word's:
 * its posterior is term / (term + best other + a small null weight). The
 * term's translation in the unit is the best such word and those of the
 * others within a few tokens of it (several words for a compound or a
 * multi-word term); the unit's confidence is the posterior times the
 * strength of the evidence. No word over the thresholds: no clear
 * translation in this unit.
 */
#include "terms_internal.h"

#include <libxml/hash.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

#include "tandem/error.h"
#include "wordmodel.h"

#define MAX_PARTS 4         /* parts of one term word */
#define MIN_PART 3          /* bytes of a compound part at least */
#define COGNATE_MIN 0.7     /* edit similarity a cognate needs */
#define DIAG 1.0            /* the diagonal prior's slope: exp(-DIAG * |x - y|) */
#define WEAK_LEX 0.5        /* a lexicon pair from an entry of several words */
#define CLAIM 0.7           /* a source word claims target words within this share of its best */
#define WEAK_CLAIM 0.3      /* and counts this much for the others */
#define NULL_WEIGHT 0.03    /* a target word explained by no source word */
#define POSTERIOR_MIN 0.45  /* the term must (nearly) win a target word */
#define LEX_POSTERIOR_MIN 0.25 /* or, a word the lexicon gives for the term, this much */
#define ALT_POSTERIOR_MIN 0.3 /* an alternative word: posterior, */
#define ALT_STRENGTH_MIN 0.03 /* association, */
#define ALT_SHARE 0.5       /* and the share of its value it counts with */
#define STRENGTH_MIN 0.12   /* and be associated with it at least this much */
#define INSIDE_MIN 0.35    /* posterior of a word between two of the translation's words */
#define ADD_SHARE 0.35     /* a further word needs this share of the best word's value */
#define NEAR 4              /* tokens between the words of one translation at most */
#define LEAN 0.75           /* the weight of P(target | source) in the leaning association */
#define DICE_MIN 0.02       /* a model association below this counts as none (beside NULL_WEIGHT) */

/* A source stem's translations in the lexicon, looked up once for all the target words of a unit or a query. */
typedef struct {
	const char *const *tg;
	size_t n, nstrong;
} lexrow;

typedef struct {
	char *stem;          /* the word's or part's stem */
	char *fold;          /* its case-folded form with accents folded, for cognates */
	lexrow lr;           /* its translations in the lexicon */
} tpart;

struct td__talign {
	const td__qterm *q;
	const td_lexicon *lx;
	td__wm_reader *wm;
	char sl[TD_TERMS_LANG_MAX], tl[TD_TERMS_LANG_MAX];  /* the model's pair as stored */
	int rev;                      /* the model's pair is the query's backwards */
	tpart part[TD__TERMS_WORDS][1 + MAX_PARTS];
	size_t npart[TD__TERMS_WORDS];
	size_t nvar[TD__TERMS_WORDS];   /* parts that are spellings of the whole word */
	double units, counted;        /* the model's U and u of the pair */
	xmlHashTablePtr local;        /* target stem -> term units holding it */
	size_t nlocal;                /* term units counted into local */
};

/* ---- the lexicon ---- */

static void lexrow_get(lexrow *r, const td_lexicon *lx, const char *stem)
{
	r->n = r->nstrong = 0;
	r->tg = NULL;
	if (lx)
		r->n = td_lexicon_lookup_ranked(&r->tg, &r->nstrong, lx, stem);
}

/*
 * How surely the lexicon pairs a source word with target stem tstem: 0 when
 * it does not, 1 from an entry of one word a side, WEAK_LEX from a longer
 * entry ("blutende Wunde" does not make Blut a translation of wound).
 */
static double lexrow_strength(const lexrow *r, const char *tstem)
{
	size_t k;

	for (k = 0; k < r->n; k++)
		if (strcmp(r->tg[k], tstem) == 0)
			return k < r->nstrong ? 1.0 : WEAK_LEX;
	return 0.0;
}

/* ---- folding and similarity ---- */

/* 1 - Levenshtein distance / the longer length, over bytes. */
static double similarity(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b), i, j;
	unsigned row[64], prev, tmp;

	if (!na || !nb || na >= 64 || nb >= 64)
		return 0.0;
	for (j = 0; j <= nb; j++)
		row[j] = (unsigned)j;
	for (i = 1; i <= na; i++) {
		prev = row[0];
		row[0] = (unsigned)i;
		for (j = 1; j <= nb; j++) {
			unsigned best = prev + (a[i - 1] != b[j - 1]);
			tmp = row[j];
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			prev = tmp;
		}
	}
	return 1.0 - (double)row[nb] / (double)(na > nb ? na : nb);
}

/* ---- the model ---- */

/* How much k units of co-occurrence are worth: one is weak evidence, a few agreeing strong. */
static double weight(double k)
{
	return 1.0 - 0.75 * pow(0.6, k - 1.0);
}

static int64_t wcount(td__talign *a, int side, const char *stem)
{
	int64_t n = 0;

	td__wm_get(a->wm, td__wm_key_word(a->sl, a->tl, a->rev ? 1 - side : side, stem), &n);
	return n;
}

/*
 * An association of a source word and a target word from P(target | source)
 * and P(source | target), leaning to the first (a weighted geometric
 * mean). Dice weighs them alike, so a rare source word whose translation is
 * a common target word (Meldung: report) scores low; the leaning measure
 * keeps it, and the other source words' claims on the common word (the
 * posterior) still decide whether it is the term's in a unit.
 */
static double leaning(double p_t_given_s, double p_s_given_t)
{
	return pow(p_t_given_s, LEAN) * pow(p_s_given_t, 1.0 - LEAN);
}

/* Dice of source stem s and target stem t over the model's counts. */
static double model_dice(td__talign *a, const char *s, const char *t)
{
	int64_t ns, nt, nst = 0;

	if (a->counted <= 0)
		return 0.0;
	/* The word counts first (a few hundred stems, memoised): a pair of
	 * words that occur in very different numbers of units cannot reach
	 * DICE_MIN, and its own count (a lookup per pair) is not read. */
	ns = wcount(a, 0, s);
	nt = wcount(a, 1, t);
	if (ns == 0 || nt == 0 || 2.0 * (double)(ns < nt ? ns : nt) / (double)(ns + nt) < DICE_MIN)
		return 0.0;
	if (a->rev)
		td__wm_get(a->wm, td__wm_key_pair(a->sl, a->tl, t, s), &nst);
	else
		td__wm_get(a->wm, td__wm_key_pair(a->sl, a->tl, s, t), &nst);
	return nst > 0 ? 2.0 * (double)nst / (double)(ns + nt) * weight((double)nst) : 0.0;
}

/* ---- the term's parts ---- */

static int add_part(td__talign *a, size_t w, const char *stem, const char *norm)
{
	tpart *p;

	if (a->npart[w] == 1 + MAX_PARTS)
		return 0;
	p = &a->part[w][a->npart[w]];
	p->stem = strdup(stem);
	p->fold = td__terms_fold(norm);
	if (!p->stem || !p->fold) {
		free(p->stem);
		free(p->fold);
		return td_error_set(TD_ENOMEM, "terms: out of memory");
	}
	lexrow_get(&p->lr, a->lx, p->stem);
	a->npart[w]++;
	return 0;
}

/* Whether a stem is a word of the source language the lexicon or the model knows. */
static int known(td__talign *a, const char *stem)
{
	const char *const *tg;

	if (a->lx && td_lexicon_lookup(&tg, a->lx, stem) > 0)
		return 1;
	return wcount(a, 0, stem) >= 2;
}

/*
 * Split a German word into a modifier and a head that are both known words
 * (a linking s, es, n, en or e may end the modifier), the longest head
 * first; the head may be split once more.
 */
static int split(td__talign *a, td_tokenizer *tk, size_t w, const char *norm, int depth)
{
	static const char *const link[] = { "", "s", "es", "n", "en", "e" };
	size_t n = strlen(norm), i, l;
	char buf[256], head[256];
	int rc;

	if (n < 2 * MIN_PART || n >= sizeof(buf))
		return 0;
	for (i = MIN_PART; i + MIN_PART <= n; i++) {
		const char *st;
		int hk;
		if (((unsigned char)norm[i] & 0xc0) == 0x80)
			continue;
		strcpy(head, norm + i);
		st = td_tokenizer_stem(tk, head, strlen(head));
		if (!st)
			return td_error_set(TD_ENOMEM, "terms: out of memory");
		hk = known(a, st);
		for (l = 0; hk && l < sizeof(link) / sizeof(*link); l++) {
			size_t ll = strlen(link[l]), ml = i - ll;
			const char *ms;
			char hstem[256];
			if (ml < MIN_PART || strncmp(norm + ml, link[l], ll) != 0)
				continue;
			memcpy(buf, norm, ml);
			buf[ml] = '\0';
			st = td_tokenizer_stem(tk, head, strlen(head));
			if (!st || strlen(st) >= sizeof(hstem))
				return st ? 0 : td_error_set(TD_ENOMEM, "terms: out of memory");
			strcpy(hstem, st);
			ms = td_tokenizer_stem(tk, buf, ml);
			if (!ms)
				return td_error_set(TD_ENOMEM, "terms: out of memory");
			if (!known(a, ms) && !(a->lx == NULL && wcount(a, 0, buf) >= 2))
				continue;
			if ((rc = add_part(a, w, ms, buf)) < 0)
				return rc;
			if (depth == 0 && (rc = split(a, tk, w, head, 1)) < 0)
				return rc;
			return add_part(a, w, hstem, head);
		}
	}
	return 0;
}

int td__talign_new(td__talign **out, const td__qterm *q, td_tokenizer *tsrc, const td_lexicon *lx,
	td__wm_reader *wm, const char *sl, const char *tl, int german)
{
	td__talign *a = calloc(1, sizeof(*a));
	int64_t u = 0, U = 0;
	size_t i;
	int rc = 0;

	*out = NULL;
	if (!a || !(a->local = xmlHashCreate(64))) {
		free(a);
		return td_error_set(TD_ENOMEM, "terms: out of memory");
	}
	a->q = q;
	a->lx = lx;
	a->wm = wm;
	snprintf(a->sl, sizeof(a->sl), "%s", sl);
	snprintf(a->tl, sizeof(a->tl), "%s", tl);
	td__wm_get(wm, td__wm_key_units(sl, tl, 1), &u);
	if (u == 0) {
		/* The pair stored the other way round: read the model backwards. */
		int64_t ur = 0;
		td__wm_get(wm, td__wm_key_units(tl, sl, 1), &ur);
		if (ur > 0) {
			snprintf(a->sl, sizeof(a->sl), "%s", tl);
			snprintf(a->tl, sizeof(a->tl), "%s", sl);
			a->rev = 1;
			u = ur;
		}
	}
	td__wm_get(wm, td__wm_key_units(a->sl, a->tl, 0), &U);
	a->counted = (double)u;
	a->units = (double)(U > u ? U : u);
	for (i = 0; rc == 0 && i < q->n; i++) {
		size_t k;
		for (k = 0; rc == 0 && k < q->w[i].nstem && k < q->w[i].nform; k++)
			rc = add_part(a, i, q->w[i].stem[k], q->w[i].form[k]);
		a->nvar[i] = a->npart[i];
		if (rc == 0 && german && q->w[i].nform)
			rc = split(a, tsrc, i, q->w[i].form[0], 0);
	}
	if (rc < 0) {
		td__talign_free(a);
		return rc;
	}
	*out = a;
	return 0;
}

void td__talign_free(td__talign *a)
{
	size_t i, k;

	if (!a)
		return;
	for (i = 0; i < TD__TERMS_WORDS; i++) {
		for (k = 0; k < a->npart[i]; k++) {
			free(a->part[i][k].stem);
			free(a->part[i][k].fold);
		}
	}
	xmlHashFree(a->local, NULL);
	free(a);
}

size_t td__talign_parts(const td__talign *a)
{
	size_t i, n = 0;

	for (i = 0; i < a->q->n; i++)
		n += a->npart[i] > a->nvar[i] + 1 ? a->npart[i] - a->nvar[i] : 1;
	return n;
}

static int content(const td_token *t)
{
	return t->kind != TD_TOK_PUNCT && !t->stop;
}

int td__talign_count_target(td__talign *a, const td_token *t, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		uintptr_t c;
		if (!content(&t[i]))
			continue;
		for (j = 0; j < i; j++)
			if (content(&t[j]) && strcmp(t[j].stem, t[i].stem) == 0)
				break;
		if (j < i)
			continue;
		c = (uintptr_t)xmlHashLookup(a->local, (const xmlChar *)t[i].stem);
		if (xmlHashUpdateEntry(a->local, (const xmlChar *)t[i].stem, (void *)(c + 1), NULL) != 0)
			return td_error_set(TD_ENOMEM, "terms: out of memory");
	}
	a->nlocal++;
	return 0;
}

/* ---- aligning a unit ---- */

/*
 * The surface signals between a source word (stem, folded form) and a
 * target token; lr: the source word's lexicon row (NULL: the lexicon is not
 * asked). s NULL: a term word, which any lexicon pair links fully.
 */
static double signal(const char *stem, const char *sfold, const td_token *s,
	const td_token *t, char *tfold, const lexrow *lr)
{
	double best = 0.0, sim;

	if (s && s->kind == TD_TOK_NUMBER)
		return t->kind == TD_TOK_NUMBER && strcmp(s->norm, t->norm) == 0 ? 1.0 : 0.0;
	if (t->kind != TD_TOK_WORD)
		return 0.0;
	if (lr && (best = lexrow_strength(lr, t->stem)) > 0.0 && !s)
		return 1.0;
	if (strcmp(stem, t->stem) == 0 || strcmp(sfold, tfold) == 0)
		return 1.0;
	if (strlen(sfold) >= 4 && strlen(tfold) >= 4) {
		sim = similarity(sfold, tfold);
		if (sim >= COGNATE_MIN && sim > best)
			best = sim;
	}
	return best;
}

/*
 * The term's local evidence for target stem t: the stronger of Dice and
 * the leaning association of the term's units and the TM's units with the
 * stem, weighed by the number of the term's units that show it.
 */
static double local_evidence(td__talign *a, const char *stem)
{
	double k = (double)(uintptr_t)xmlHashLookup(a->local, (const xmlChar *)stem), n, dice;
	int64_t c;

	if (k <= 0 || a->nlocal == 0)
		return 0.0;
	c = wcount(a, 1, stem);
	/* The TM's units holding the stem, estimated from the model's sample; at least the term's. */
	n = a->counted > 0 ? (double)c * a->units / a->counted : k;
	if (n < k)
		n = k;
	dice = 2.0 * k / ((double)a->nlocal + n);
	return fmax(dice, leaning(k / (double)a->nlocal, k / n)) * weight(k);
}

/* Whether target word j may be (a word of) the term's translation. */
static int eligible(const double *post, const double *str, const unsigned char *lex, int lexok, size_t j)
{
	if (lexok)
		return lex[j] && post[j] >= LEX_POSTERIOR_MIN;
	return post[j] >= POSTERIOR_MIN && str[j] >= STRENGTH_MIN;
}

static double diag(double x, double y)
{
	return exp(-DIAG * fabs(x - y));
}

/* Whether token x lies inside one of the byte spans. */
static int in_spans(const td_token *x, const td_terms_span *at, size_t nat)
{
	size_t k;

	for (k = 0; k < nat; k++)
		if (x->start >= at[k].start && x->end <= at[k].end)
			return 1;
	return 0;
}

int td__talign_unit(td__talign *a, const td_token *s, size_t ns, const td_token *t, size_t nt,
	const td_terms_span *at, size_t nat, td__talign_out *out)
{
	double *tpost = NULL, *tstr = NULL, *A = NULL, *rowmax = NULL, xterm = 0.0;
	unsigned char *tlex = NULL, *same = NULL;
	char **tfold = NULL, **sfold = NULL;
	unsigned char *in_term = NULL;
	size_t i, j, k, best = (size_t)-1, nterm = 0;
	int rc = 0, lexok = 0, whole_lex = 0;

	memset(out, 0, sizeof(*out));
	if (ns == 0 || nt == 0)
		return 0;
	tpost = calloc(nt, sizeof(*tpost));
	tstr = calloc(nt, sizeof(*tstr));
	tfold = calloc(nt, sizeof(*tfold));
	sfold = calloc(ns, sizeof(*sfold));
	in_term = calloc(ns, 1);
	tlex = calloc(nt, 1);
	same = calloc(nt, 1);
	A = calloc(ns * nt, sizeof(*A));
	rowmax = calloc(ns, sizeof(*rowmax));
	if (!tpost || !tstr || !tfold || !sfold || !in_term || !tlex || !same || !A || !rowmax) {
		rc = td_error_set(TD_ENOMEM, "terms: out of memory");
		goto cleanup;
	}
	for (i = 0; i < ns; i++) {
		size_t e = i;
		if (nat) {
			if (s[i].kind == TD_TOK_PUNCT || !in_spans(&s[i], at, nat))
				continue;
			while (e + 1 < ns && in_spans(&s[e + 1], at, nat))
				e++;
		} else if ((e = td__term_at(a->q, s, ns, i, NULL)) == (size_t)-1) {
			continue;
		}
		for (k = i; k <= e; k++)
			in_term[k] = 1;
		if (nterm == 0)
			xterm = ((double)i + (double)e + 1.0) / 2.0 / (double)ns;
		nterm++;
		i = e;
	}
	if (nterm == 0)
		goto cleanup;
	for (j = 0; j < nt; j++)
		if (content(&t[j]) && !(tfold[j] = td__terms_fold(t[j].norm))) {
			rc = td_error_set(TD_ENOMEM, "terms: out of memory");
			goto cleanup;
		}
	for (i = 0; i < ns; i++)
		if (content(&s[i]) && !in_term[i] && !(sfold[i] = td__terms_fold(s[i].norm))) {
			rc = td_error_set(TD_ENOMEM, "terms: out of memory");
			goto cleanup;
		}
	/* The other source words' associations, with the prior, and each one's best. */
	for (i = 0; i < ns; i++) {
		lexrow lr;
		if (!sfold[i])
			continue;
		lexrow_get(&lr, a->lx, s[i].stem);
		for (j = 0; j < nt; j++) {
			double v, x, y;
			if (!tfold[j])
				continue;
			v = signal(s[i].stem, sfold[i], &s[i], &t[j], tfold[j], &lr);
			if (v >= 1.0 && (strcmp(s[i].stem, t[j].stem) == 0 || strcmp(sfold[i], tfold[j]) == 0))
				same[j] = 1;
			x = ((double)i + 0.5) / (double)ns;
			y = ((double)j + 0.5) / (double)nt;
			/* The model counts a pair only this near (wordmodel.h): farther, it has nothing to say. */
			if (v < 1.0 && fabs(x - y) <= TD__WM_WINDOW) {
				double d = model_dice(a, s[i].stem, t[j].stem);
				if (d > v)
					v = d;
			}
			v *= diag(x, y);
			A[i * nt + j] = v;
			if (v > rowmax[i])
				rowmax[i] = v;
		}
	}
	/* A compound the lexicon knows whole, translated here as a whole: its parts' entries are not used. */
	for (j = 0; j < nt && !whole_lex; j++) {
		size_t w, p;
		for (w = 0; tfold[j] && w < a->q->n; w++)
			for (p = 0; p < a->nvar[w]; p++)
				if (lexrow_strength(&a->part[w][p].lr, t[j].stem) > 0.0)
					whole_lex = 1;
	}
	for (j = 0; j < nt; j++) {
		double y = ((double)j + 0.5) / (double)nt, term = 0.0, other = 0.0;
		size_t w, p;
		int ident = 0;
		if (!tfold[j])
			continue;
		for (w = 0; w < a->q->n; w++) {
			for (p = 0; p < a->npart[w]; p++) {
				int lex = !whole_lex || p < a->nvar[w];
				const tpart *pt = &a->part[w][p];
				double v = signal(pt->stem, pt->fold, NULL, &t[j], tfold[j], lex ? &pt->lr : NULL);
				if (strcmp(a->part[w][p].stem, t[j].stem) == 0 || strcmp(a->part[w][p].fold, tfold[j]) == 0)
					ident = 1;
				if (lex && v >= 1.0 && lexrow_strength(&pt->lr, t[j].stem) > 0.0)
					tlex[j] = 1;
				if (v < 1.0) {
					/* The TM's model for the word and a compound's parts. */
					double d = model_dice(a, a->part[w][p].stem, t[j].stem);
					if (d > v)
						v = d;
				}
				if (v > term)
					term = v;
			}
		}
		{
			double l = local_evidence(a, t[j].stem);
			if (l > term)
				term = l;
		}
		/* A word another source word is written as is that word's (Fitness: fitness, not Form's). */
		if (same[j] && !ident)
			term = 0.0;
		tstr[j] = term;
		if (term <= 0.0) {
			tlex[j] = 0;
			continue;
		}
		/* Competitive linking: a source word claims its best target words,
		 * and others only weakly. */
		for (i = 0; i < ns; i++) {
			double v = A[i * nt + j];
			if (v < CLAIM * rowmax[i])
				v *= WEAK_CLAIM;
			if (v > other)
				other = v;
		}
		term *= diag(xterm, y);
		tpost[j] = term / (term + other + NULL_WEIGHT);
		if (tpost[j] >= LEX_POSTERIOR_MIN && tlex[j])
			lexok = 1;
	}
	/* With the lexicon's word for the term in the unit, the translation is built on it. */
	for (j = 0; j < nt; j++)
		if (eligible(tpost, tstr, tlex, lexok, j) &&
		    (best == (size_t)-1 || tpost[j] * tstr[j] > tpost[best] * tstr[best]))
			best = j;
	if (best == (size_t)-1)
		goto cleanup;
	/* The best word, then the other winners near it, in target order. */
	{
		size_t lo = best, hi = best, room = td__talign_parts(a) + 1, n = 1;
		double anchor = tpost[best] * tstr[best], sum = 0.0;
		for (;;) {
			size_t pick = (size_t)-1;
			for (j = lo > NEAR ? lo - NEAR : 0; j < nt && j <= hi + NEAR; j++) {
				if (j >= lo && j <= hi)
					continue;
				if (eligible(tpost, tstr, tlex, lexok, j) &&
				    (pick == (size_t)-1 || tpost[j] * tstr[j] > tpost[pick] * tstr[pick]))
					pick = j;
			}
			if (pick == (size_t)-1 || n >= room || n >= TD__TALIGN_WORDS)
				break;
			/* A word that adds little next to the best one is not part of the translation. */
			if (tpost[pick] * tstr[pick] < ADD_SHARE * anchor)
				break;
			n++;
			if (pick < lo)
				lo = pick;
			if (pick > hi)
				hi = pick;
		}
		/* Words between the chosen ones join them when the term is their likeliest source too. */
		k = 0;
		for (j = lo; j <= hi && k < TD__TALIGN_WORDS; j++) {
			if (j == best || (eligible(tpost, tstr, tlex, lexok, j) && tpost[j] * tstr[j] >= ADD_SHARE * anchor) ||
			    (tfold[j] && tpost[j] >= INSIDE_MIN && tstr[j] >= STRENGTH_MIN && k < room)) {
				out->tok[k++] = j;
				sum += tpost[j] * tstr[j];
				out->lex |= tlex[j];
			}
		}
		out->n = k;
		/* Runner-up words outside the translation: alternatives, weaker. */
		for (j = 0; j < nt; j++) {
			double v = tpost[j] * tstr[j];
			size_t m;
			if (!tfold[j] || (j >= lo && j <= hi) || tpost[j] < ALT_POSTERIOR_MIN || tstr[j] < ALT_STRENGTH_MIN)
				continue;
			for (m = 0; m < TD__TALIGN_ALTS; m++) {
				if (m == out->nalt || v > out->altconf[m]) {
					size_t z;
					if (out->nalt < TD__TALIGN_ALTS)
						out->nalt++;
					for (z = out->nalt - 1; z > m; z--) {
						out->alt[z] = out->alt[z - 1];
						out->altconf[z] = out->altconf[z - 1];
					}
					out->alt[m] = j;
					out->altconf[m] = v * ALT_SHARE;
					break;
				}
			}
		}
		/* The surest word's confidence, lowered when the words around it are less sure. */
		out->conf = 0.7 * anchor + 0.3 * sum / (double)k;
		if (out->conf > 1.0)
			out->conf = 1.0;
	}
cleanup:
	if (tfold)
		for (j = 0; j < nt; j++)
			free(tfold[j]);
	if (sfold)
		for (i = 0; i < ns; i++)
			free(sfold[i]);
	free(tfold);
	free(sfold);
	free(tpost);
	free(tstr);
	free(in_term);
	free(tlex);
	free(same);
	free(A);
	free(rowmax);
	return rc;
}
