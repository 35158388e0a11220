/*
 * Bead costs from the evidence of align_int.h: the cost model.
 *
 * The cost of a bead is a sum of these parts:
 *   prior     per shape: nothing for 1-1, `skip` per unaligned sentence for
 *             1-0 / 0-1, `merge12` / `merge21` (fitted to the pair, align.c),
 *             `merge22` / `merge3` for the other n-m shapes of the DP, and
 *             `merge3` plus `merge` for each sentence beyond four for the
 *             larger beads grown after it (grow.c);
 *             a section label (a number alone, td_side.label) is never part
 *             of a bead of more than two sentences: it pairs with one
 *             sentence or with none;
 *   endings   a linked bead gains end_pmi of how its last source and target
 *             sentences end (full stop, comma, dash, a word: align.c
 *             estimates the table per pair), so that a heading or a line
 *             of verse pairs with one that ends alike rather than joining
 *             a sentence that ends in a full stop;
 *   quotes    a linked bead gains quote_pmi of the difference between the
 *             quotations its two sides open (align.c estimates the table
 *             per pair), so that a sentence holding two turns of dialogue
 *             pairs with the two sentences that hold them;
 *   length    Gale-Church: delta = (lt - r*ls) / sqrt(v * L) with r and v
 *             estimated from the document pair, L the mean length; the cost
 *             is -log P(|Delta| >= |delta|) = -log erfc(|delta|/sqrt 2).
 *             A bead of a >= 2 and b >= 2 sentences also pays min(a, b) - 1
 *             times the mean of that cost over true beads (1: it is -log of
 *             a p-value), for the length terms of the 1-1 beads it could be
 *             split into: one length term instead of two would otherwise
 *             make a 2-2 bead about one unit cheaper than two 1-1 beads
 *             whatever the evidence;
 *   lexical   per sentence of the bead, w_lex * (1 - x), where x is the part
 *             of its tokens that the other side of the bead covers, scaled so
 *             that the coverage of an unrelated sentence is 0 and the typical
 *             coverage by a translation is 1 (both estimated per pair), and
 *             weighed down for sentences of few tokens (lex_unit). An
 *             unaligned sentence has x = 0;
 *   verse     inside verse on both sides (every sentence of a linked bead
 *             in a run of short lines, td__mark_verse; an unaligned line
 *             facing one) the priors above count verse_prior times and the
 *             lexical terms verse_lex times: a translated poem keeps its
 *             lines but moves words across them, and follows position.
 * Summing the lexical part per sentence rather than per bead makes a 2-1 bead
 * compete fairly with a 1-1 bead plus a 1-0 bead: all three sentences pay in
 * both, and the merge only wins when the third sentence is really covered.
 */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "align_int.h"
#include "tandem/error.h"

const td_dp_shape td_shapes[] = {
	{ 1, 1 }, { 1, 0 }, { 0, 1 }, { 1, 2 }, { 2, 1 }, { 2, 2 }, { 1, 3 }, { 3, 1 },
};
const size_t td_nshapes = sizeof(td_shapes) / sizeof(td_shapes[0]);


/*
 * Lexical cost of one sentence with coverage c (-1: it has no tokens) by k
 * sentences of the other side. Unrelated sentences cover some tokens by
 * chance, and k of them more than one: the scale runs from the coverage
 * expected of k unrelated sentences (x = 0) to that of a translation plus
 * k - 1 unrelated ones (x = 1), so a merge gains nothing from chance matches.
 */
/*
 * The length-cost table of a mixture of two normals: the core (variance 1
 * in the table's units) with weight 1 - w, and a wide part (variance k)
 * with weight w. One normal's table (w = 0) is filled once per process; a
 * mixture's is filled when w or k changed, once per pair: exactly at every
 * LENTAB_EXACT-th entry and linearly between (the curve is smooth; the
 * error is below 0.01 of a cost unit), so that a batch of short pairs does
 * not spend its time in erfc.
 */
#define LENTAB_EXACT 4
static double normtab[LENTAB_SIZE + 1];
static pthread_once_t normtab_once = PTHREAD_ONCE_INIT;

static double tail_cost(double x, double w, double s2)
{
	double p = (1.0 - w) * erfc(x / M_SQRT2) + (w > 0 ? w * erfc(x / s2 / M_SQRT2) : 0.0);

	return -log(p > 1e-300 ? p : 1e-300);
}

static void normtab_init(void)
{
	size_t i;

	for (i = 0; i <= LENTAB_SIZE; i++)
		normtab[i] = tail_cost((double)i / LENTAB_STEPS, 0.0, 1.0);
}

static void lentab_fill(td_cost_params *cp)
{
	double w = cp->tail_w, s2 = sqrt(cp->tail_k > 1.0 ? cp->tail_k : 1.0);
	size_t i, q;

	if (w > 0) {
		for (i = 0; i <= LENTAB_SIZE; i += LENTAB_EXACT)
			cp->lentab[i] = tail_cost((double)i / LENTAB_STEPS, w, s2);
		for (i = 0; i + LENTAB_EXACT <= LENTAB_SIZE; i += LENTAB_EXACT)
			for (q = 1; q < LENTAB_EXACT; q++)
				cp->lentab[i + q] = cp->lentab[i] +
					(cp->lentab[i + LENTAB_EXACT] - cp->lentab[i]) * (double)q / LENTAB_EXACT;
	} else {
		pthread_once(&normtab_once, normtab_init);
		memcpy(cp->lentab, normtab, sizeof(normtab));
	}
	cp->tab_w = cp->tail_w;
	cp->tab_k = cp->tail_k;
	cp->tab_ready = 1;
}

void td_cost_prepare(td_cost_params *cp)
{
	double miss = 1.0 - cp->cover_rand;
	unsigned k;

	for (k = 1; k <= TD_BEAD_MAX; k++) {
		double missk = pow(miss, (double)(k - 1));

		cp->lo[k] = 1.0 - missk * miss;
		cp->hi[k] = 1.0 - (1.0 - cp->cover_true) * missk;
		if (cp->hi[k] < cp->lo[k] + 0.05)
			cp->hi[k] = cp->lo[k] + 0.05;
	}
	if (!cp->tab_ready || cp->tab_w != cp->tail_w || cp->tab_k != cp->tail_k)
		lentab_fill(cp);
}

/*
 * A sentence of nt tokens shows its coverage with the weight nt / (nt +
 * LEX_SHRINK): the part of a short line (verse, a reply) that one shared
 * word covers says little, and at full weight one chance match made a
 * merge that pairs it with the wrong line look like a translation.
 */
#define LEX_SHRINK 1.0
static inline double lex_unit(const td_cost_params *cp, double c, unsigned k, unsigned nt)
{
	double x;

	if (c < 0)
		return cp->w_lex * 0.5;
	x = (c - cp->lo[k]) / (cp->hi[k] - cp->lo[k]);
	if (x < 0)
		x = 0;
	if (x > cp->x_max)
		x = cp->x_max;
	x *= nt / (nt + LEX_SHRINK);
	return cp->w_lex * (1.0 - x);
}

/*
 * Whether a line of verse at unit u of one side faces verse on the other
 * side, at unit v or the one before it (the two a bead ending at the line
 * could start or end at).
 */
static inline int verse_here(const td_side *side, size_t u, const td_side *other, size_t v)
{
	return side->verse[u] && !side->label[u] && (other->verse[v] || (v > 0 && other->verse[v - 1]));
}

/* Gale-Church: -log P(|Delta| >= |delta|), from the table, interpolated. */
static inline double len_cost(const td_cost_params *cp, double ls, double lt)
{
	double mean = (ls + lt / cp->ratio) / 2.0;
	double d = fabs(lt - cp->ratio * ls) / sqrt(cp->var * (mean > 1.0 ? mean : 1.0));
	double pos = d * LENTAB_STEPS, f;
	size_t i;

	if (pos >= LENTAB_SIZE)
		return cp->lentab[LENTAB_SIZE];
	i = (size_t)pos;
	f = pos - (double)i;
	return cp->lentab[i] * (1.0 - f) + cp->lentab[i + 1] * f;
}

/* The part of a bead's cost that does not depend on coverage: the prior of
 * its shape, the paragraph terms and the length (INFINITY: forbidden), and
 * in *lexw the weight of its lexical terms (verse_lex inside verse). */
static inline double bead_base(const td_side *src, const td_side *tgt, const td_cost_params *cp,
	size_t i, size_t j, unsigned a, unsigned b, double *len, double *lexw)
{
	double prior, cost, ls = 0, lt = 0;
	unsigned qs = 0, qt = 0;
	size_t s, t;
	int verse = cp->use_verse;

	if (cp->use_para && ((a > 1 && src->para[i - a] != src->para_end[i - 1]) ||
			     (b > 1 && tgt->para[j - b] != tgt->para_end[j - 1])))
		return INFINITY;
	for (s = i - a; s < i; s++) {
		if (a + b > 2 && src->label[s])
			return INFINITY;
		ls += src->nchar[s];
		qs += src->quotes[s];
		verse &= src->verse[s];
	}
	for (t = j - b; t < j; t++) {
		if (a + b > 2 && tgt->label[t])
			return INFINITY;
		lt += tgt->nchar[t];
		qt += tgt->quotes[t];
		verse &= tgt->verse[t];
	}
	if (a == 1 && b == 1)
		prior = 0;
	else if (a + b > 4)
		prior = cp->merge3 + cp->merge * (double)(a + b - 4);
	else if (a == 2 && b == 2)
		prior = cp->merge22;
	else if (a == 3 || b == 3)
		prior = cp->merge3;
	else
		prior = a < b ? cp->merge12 : cp->merge21;
	cost = verse ? prior * cp->verse_prior : prior;
	*lexw = verse ? cp->verse_lex : 1.0;
	if (cp->use_para && src->pstart[i - a] != tgt->pstart[j - b])
		cost += cp->para;
	if (cp->use_end)
		cost -= cp->end_pmi[src->endc[i - 1]][tgt->endc[j - 1]];
	if (cp->use_quote)
		cost -= cp->quote_pmi[td_quote_class(qs, qt)];
	*len = cp->w_len * (len_cost(cp, ls + a - 1, lt + b - 1) + (double)((a < b ? a : b) - 1));
	return cost;
}

/* A sentence left unaligned: its prior, and it is not covered at all. */
static inline double skip_cost(const td_side *src, const td_side *tgt, const td_cost_params *cp,
	size_t i, size_t j, unsigned a)
{
	int has = a ? src->wtot[i - 1] > 0 : tgt->wtot[j - 1] > 0;

	if (cp->use_verse && (a ? verse_here(src, i - 1, tgt, j) : verse_here(tgt, j - 1, src, i)))
		return cp->skip * cp->verse_prior + cp->w_lex * cp->verse_lex * (has ? 1.0 : 0.5);
	return cp->skip + cp->w_lex * (has ? 1.0 : 0.5);
}

double td_bead_cost(const td_pairs *pairs, const td_side *src, const td_side *tgt,
	const td_cost_params *cp, size_t i, size_t j, unsigned a, unsigned b)
{
	double cost, len, lexw, lex = 0;
	size_t s, t;

	if (a > i || b > j || a > TD_BEAD_MAX || b > TD_BEAD_MAX)
		return INFINITY;
	if (b == 0 || a == 0)
		return skip_cost(src, tgt, cp, i, j, a);
	cost = bead_base(src, tgt, cp, i, j, a, b, &len, &lexw);
	if (!(cost < INFINITY))
		return cost;
	for (s = i - a; s < i; s++)
		lex += lex_unit(cp, td_cover_src(pairs, src, tgt, s, j - b, j), b, src->ntok[s]);
	for (t = j - b; t < j; t++)
		lex += lex_unit(cp, td_cover_tgt(pairs, src, tgt, t, i - a, i), a, tgt->ntok[t]);
	return cost + lex * lexw + len;
}

/*
 * Every bead ending at (i, j) as td_bead_cost computes it (the same terms
 * in the same order), but each sentence's coverage is computed once per
 * cell: ls[d][b] is the lexical cost of source sentence i-1-d covered by
 * the b target sentences before j, lt[d][a] that of target sentence j-1-d
 * covered by the a source sentences before i. The eight shapes need twelve
 * of them instead of twenty.
 */
int td_costs_fill(float *cost, const td_band *band, const td_pairs *pairs,
	const td_side *src, const td_side *tgt, const td_cost_params *cp)
{
	size_t i, j, k, width = 1;
	double (*rows)[4], col[3][4];

	/* ls[d] of cell (i, j) is ls[0] of cell (i - d, j) and lt[d] is lt[0] of
	 * (i, j - d): each is computed once, where d = 0, and read from the two
	 * rows / columns before while those cells are in the band. */
	for (i = 0; i <= band->n; i++)
		if (band->hi[i] - band->lo[i] + 1 > width)
			width = band->hi[i] - band->lo[i] + 1;
	rows = malloc(3 * width * sizeof(*rows));
	if (!rows)
		return td_error_set(TD_ENOMEM, "aligner: out of memory for bead costs");
	for (i = 0; i <= band->n; i++)
		for (j = band->lo[i]; j <= band->hi[i]; j++) {
			float *c = cost + (band->off[i] + (j - band->lo[i])) * cp->nshapes;
			double ls[3][4], lt[3][4];
			unsigned d, x;

			/* Masks ORed over 1, 2, 3 sentences of the other side. */
			for (d = 0; d < 3 && d < i; d++) {
				uint64_t m = 0;
				size_t r = i - d;

				if (d > 0 && j >= band->lo[r] && j <= band->hi[r]) {
					memcpy(ls[d], rows[(r % 3) * width + (j - band->lo[r])], sizeof(ls[d]));
					continue;
				}
				for (x = 1; x <= 3 - d && x <= j; x++) {
					m |= td__pair_src(pairs, i - 1 - d, j - x);
					ls[d][x] = lex_unit(cp, td_mask_cover(src, i - 1 - d, m), x,
						src->ntok[i - 1 - d]);
				}
			}
			if (i > 0)
				memcpy(rows[(i % 3) * width + (j - band->lo[i])], ls[0], sizeof(ls[0]));
			for (d = 0; d < 3 && d < j; d++) {
				uint64_t m = 0;

				if (d > 0 && j - d >= band->lo[i]) {
					memcpy(lt[d], col[(j - d) % 3], sizeof(lt[d]));
					continue;
				}
				for (x = 1; x <= 3 - d && x <= i; x++) {
					m |= td__pair_tgt(pairs, i - x, j - 1 - d);
					lt[d][x] = lex_unit(cp, td_mask_cover(tgt, j - 1 - d, m), x,
						tgt->ntok[j - 1 - d]);
				}
			}
			if (j > 0)
				memcpy(col[j % 3], lt[0], sizeof(lt[0]));
			for (k = 0; k < cp->nshapes; k++) {
				unsigned a = td_shapes[k].a, b = td_shapes[k].b;
				double v, len, lexw, lex = 0;

				if (a > i || b > j) {
					c[k] = INFINITY;
					continue;
				}
				if (a == 0 || b == 0) {
					c[k] = (float)skip_cost(src, tgt, cp, i, j, a);
					continue;
				}
				v = bead_base(src, tgt, cp, i, j, a, b, &len, &lexw);
				if (v < INFINITY) {
					for (d = a; d-- > 0;)
						lex += ls[d][b];
					for (d = b; d-- > 0;)
						lex += lt[d][a];
					v += lex * lexw + len;
				}
				c[k] = (float)v;
			}
		}
	free(rows);
	return 0;
}
