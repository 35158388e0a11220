/*
 * The aligner's driver: from two segmented documents to a ladder of scored
 * beads. Features come from features.c, costs from cost.c and pairs.c, the
 * learned lexicon from learn.c, the search from search.c and dp.c.
 *
 * Passes. Pass 1 aligns with the dictionary (if any), identical tokens,
 * cognates, numbers and lengths. Its 1-1 beads whose cost is low give the
 * length variance, the typical coverage of a translation, and the training
 * beads of the learned lexicon, its shapes the priors of 1-2 and 2-1 beads;
 * pass 2 aligns with all of it. Stretches
 * of its ladder that score low are searched again (recover.c).
 */
#include "tandem/align.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "align_int.h"
#include "base/opts.h"
#include "recover.h"
#include "tandem/error.h"

/* ---- statistics between the passes --------------------------------------- */

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return a < b ? -1 : a > b;
}

/*
 * Statistics from the 1-1 beads of a pass (with lengths 0, the coverage and
 * the training beads alone: the length model is fitted once per pass):
 *  - the length variance, robustly: the median of d^2 / L over all 1-1 beads
 *    (d = lt - r ls) is 0.455 variances for a normal variable; blended with
 *    the prior variance as if that were VAR_PRIOR_WEIGHT beads, because short
 *    documents give few beads;
 *  - from the 1-1 beads in the cheaper half (reliable ones): the typical
 *    coverage of a translation, and the beads to learn from (indices written
 *    to bs/bt, their count in *nb).
 */
#define VAR_PRIOR_WEIGHT 10.0

/*
 * The length model's tail, fitted to the document: the deviations y = d^2 / L
 * of pass 1's 1-1 beads as a mixture of two zero-mean normals, a core of
 * variance v1 and a wide part of variance v2 with weight w (EM, up to 30
 * rounds, fewer when the parameters stop moving).
 * Literary translations stray from the length ratio far more often than a
 * normal allows (their sentences are rephrased, split and joined), news
 * translations hardly ever; one normal made every large deviation a reason
 * to merge. The prior counts as TAIL_PRIOR_BEADS beads: a wide part of
 * weight TAIL_W0 with TAIL_K0 times the variance estimated before, so that a
 * short document keeps about that.
 * The fit may widen the wide part but not narrow it below TAIL_K0 times the
 * core: the sample lacks the largest deviations, because pass 1 read those
 * beads as merges (a 2-2 bead whose halves stray in opposite directions
 * has a small deviation in all), so the variance of the wide part fitted
 * to what is left is too small, and every later pass merged more. Its
 * weight is seen well enough: beads of moderate deviation stay 1-1. In
 * Der Process (de-en) the gold 1-1 beads fit a wide part 6.2 times the
 * core, pass 1's 1-1 beads 3.0 times; with the floor the book's false 2-2
 * beads fall from 16 to 12 and strict F1 rises from 0.9474 to 0.9515.
 */
#define TAIL_PRIOR_BEADS 10.0
#define TAIL_W0 0.1
#define TAIL_K0 TD_TAIL_K0
void td__fit_tail(td_cost_params *cp, const double *y, size_t n)
{
	double v0 = cp->var, v1 = v0, v2 = TAIL_K0 * v0, w = TAIL_W0, p = TAIL_PRIOR_BEADS;
	unsigned it;
	size_t q;

	for (it = 0; it < 30; it++) {
		double s1 = 0, s1y = 0, s2 = 0, s2y = 0, w0 = w, v10 = v1, v20 = v2;

		for (q = 0; q < n; q++) {
			double a = (1.0 - w) / sqrt(v1) * exp(-y[q] / (2.0 * v1));
			double b = w / sqrt(v2) * exp(-y[q] / (2.0 * v2));
			double r = a + b > 0 ? b / (a + b) : 1.0;

			s2 += r;
			s2y += r * y[q];
			s1 += 1.0 - r;
			s1y += (1.0 - r) * y[q];
		}
		w = (s2 + p * TAIL_W0) / ((double)n + p);
		v1 = (s1y + p * (1.0 - TAIL_W0) * v0) / (s1 + p * (1.0 - TAIL_W0));
		v2 = (s2y + p * TAIL_W0 * TAIL_K0 * v0) / (s2 + p * TAIL_W0);
		if (v2 < v1)
			v2 = v1;
		if (fabs(w - w0) < 1e-9 && fabs(v1 - v10) < 1e-9 * v1 && fabs(v2 - v20) < 1e-9 * v2)
			break;   /* converged: further rounds change nothing that counts */
	}
	cp->var = v1 < 0.5 ? 0.5 : v1;
	cp->tail_w = w;
	cp->tail_k = v2 / cp->var;
	if (cp->tail_k < TAIL_K0)
		cp->tail_k = TAIL_K0;
}

static void pass_stats(td_cost_params *cp, size_t *bs, size_t *bt, size_t *nb,
	const td_dp_step *steps, size_t nsteps, const td_side *src, const td_side *tgt, double var_prior,
	const td_pairs *full, int lengths)
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
	if (nz > 0 && lengths) {
		double est;

		qsort(z, nz, sizeof(double), cmp_double);
		est = z[nz / 2] / 0.455;
		cp->var = (nz * est + VAR_PRIOR_WEIGHT * var_prior) / (nz + VAR_PRIOR_WEIGHT);
		if (cp->var < 0.5)
			cp->var = 0.5;
	}
	if (nz > 0 && lengths)
		td__fit_tail(cp, z, nz);
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

/*
 * How the endings of a linked bead's last sentences go together
 * (TD_END_*), from pass 1's 1-1 beads: for every pair of classes, the log
 * of (observed + END_PRIOR) / (expected + END_PRIOR), where expected is
 * what the beads would hold if the two endings were independent (each
 * side's share of the class over all its sentences): a rate ratio shrunk
 * towards 1, so that a pair of classes the beads rarely could hold says
 * nothing. Prose ends nearly every sentence with a full stop, and the
 * term is about 0 there; a heading, a line of verse, a sentence cut at a
 * comma pairs with one that ends alike, and a bead that ends in a heading
 * on one side and a full stop on the other pays. The table is centred on
 * its mean over the beads, so that the term favours no number of beads
 * and leaves the shape priors' balance alone.
 */
#define END_PRIOR 1.0

/* pmi[c] = log((obs[c] + prior) / (expect[c] + prior)) over nc classes,
 * centred on its mean over the n observations: what end_stats and
 * td__quote_stats make of their counts. */
static void centred_rate_ratio(double *pmi, const double *obs, const double *expect, size_t nc,
	double n, double prior)
{
	double mean = 0;
	size_t c;

	for (c = 0; c < nc; c++) {
		pmi[c] = log((obs[c] + prior) / (expect[c] + prior));
		mean += obs[c] / n * pmi[c];
	}
	for (c = 0; c < nc; c++)
		pmi[c] -= mean;
}

static void end_stats(td_cost_params *cp, const td_dp_step *steps, size_t nsteps,
	const td_side *src, const td_side *tgt)
{
	double ps[TD_END_CLASSES] = { 0 }, pt[TD_END_CLASSES] = { 0 };
	double joint[TD_END_CLASSES][TD_END_CLASSES] = { { 0 } }, n = 0;
	double expect[TD_END_CLASSES][TD_END_CLASSES];
	size_t k;
	unsigned x, y;

	cp->use_end = 0;
	for (k = 0; k < nsteps; k++)
		if (td_shapes[steps[k].k].a == 1 && td_shapes[steps[k].k].b == 1) {
			joint[src->endc[steps[k].i - 1]][tgt->endc[steps[k].j - 1]] += 1;
			n += 1;
		}
	if (n == 0)
		return;
	for (k = 0; k < src->n; k++)
		ps[src->endc[k]] += 1.0 / (double)src->n;
	for (k = 0; k < tgt->n; k++)
		pt[tgt->endc[k]] += 1.0 / (double)tgt->n;
	for (x = 0; x < TD_END_CLASSES; x++)
		for (y = 0; y < TD_END_CLASSES; y++)
			expect[x][y] = n * ps[x] * pt[y];
	centred_rate_ratio(&cp->end_pmi[0][0], &joint[0][0], &expect[0][0],
		TD_END_CLASSES * TD_END_CLASSES, n, END_PRIOR);
	cp->use_end = 1;
}

/*
 * The priors of 1-2 and 2-1 beads fitted to the pair: -log of how often
 * pass 1 made each against its 1-1 beads, with the given prior (`merge`)
 * counted as MERGE_PRIOR_BEADS beads. How often a translator splits or
 * joins sentences, and in which direction, belongs to the translator and
 * the pair of languages: the English Der Process has 259 1-2 beads for 59
 * 2-1 and 2968 1-1 in pass 1 (priors 2.42 and 3.74 instead of 2), the
 * French Candide 85 for 146 and 924 (2.34 and 1.86), a news article of 20
 * sentences at most one or two.
 * One fixed prior charged Alice's many splits too much and let Der Process
 * join sentences its translator rarely joins (strict F1, fitted: Alice
 * de-fr 0.771 -> 0.788, de-en 0.860 -> 0.864, Der Process 0.9515 ->
 * 0.9524; Text+Berg 0.894 -> 0.886, where pass 1 makes more 1-2 beads than
 * the gold has). A 2-2 bead joins on both sides: its prior moves by the
 * mean of the two moves (Der Process 5 -> 6.08, Alice de-en 5 -> 4.65; Der
 * Process 0.9541 -> 0.9569, pooled 0.9112 -> 0.9126). 1-3 and 3-1 beads
 * keep the given prior: moved with 1-2 and 2-1, they took Alice's 1-2
 * beads (0.8648 -> 0.8612). A short document keeps about the given
 * priors: 100 beads of prior outweigh its counts. Called once per pair.
 */
#define MERGE_PRIOR_BEADS 100.0
void td__fit_merge_priors(td_cost_params *cp, const td_dp_step *steps, size_t nsteps)
{
	double n11 = 0, n12 = 0, n21 = 0, p0 = exp(-cp->merge);
	size_t k;

	for (k = 0; k < nsteps; k++) {
		unsigned a = td_shapes[steps[k].k].a, b = td_shapes[steps[k].k].b;

		n11 += a == 1 && b == 1;
		n12 += a == 1 && b == 2;
		n21 += a == 2 && b == 1;
	}
	cp->merge12 = -log((n12 + MERGE_PRIOR_BEADS * p0) / (n11 + MERGE_PRIOR_BEADS));
	cp->merge21 = -log((n21 + MERGE_PRIOR_BEADS * p0) / (n11 + MERGE_PRIOR_BEADS));
	cp->merge22 += (cp->merge12 + cp->merge21) / 2.0 - cp->merge;
}

/*
 * How the quotations of a linked bead's two sides go together, from pass
 * 1's 1-1 beads: for each class of the difference in the quotations they
 * open (td_quote_class), the log of (observed + QUOTE_PRIOR) / (expected +
 * QUOTE_PRIOR), expected being what the beads would hold if the two sides'
 * counts were independent (each side's distribution over its sentences),
 * centred on its mean over the beads as end_stats centres its table. Where
 * the translator keeps the dialogue's turns (Der Process: a bead of one
 * more quotation on one side pays 4.1) the term splits a sentence's
 * quotations from its neighbour's; where the conventions differ (Candide's
 * French dialogue) the table is about 0. QUOTE_PRIOR is 5 beads per class,
 * so that a news article's 20 beads do not make a rule of a few.
 */
#define QUOTE_PRIOR 5.0
#define QUOTE_MAX 16
void td__quote_stats(td_cost_params *cp, const td_dp_step *steps, size_t nsteps,
	const td_side *src, const td_side *tgt)
{
	double ps[QUOTE_MAX] = { 0 }, pt[QUOTE_MAX] = { 0 }, obs[TD_QUOTE_CLASSES] = { 0 };
	double expect[TD_QUOTE_CLASSES] = { 0 }, n = 0;
	size_t k;
	unsigned x, y;

	cp->use_quote = 0;
	for (k = 0; k < nsteps; k++)
		if (td_shapes[steps[k].k].a == 1 && td_shapes[steps[k].k].b == 1) {
			obs[td_quote_class(src->quotes[steps[k].i - 1], tgt->quotes[steps[k].j - 1])] += 1;
			n += 1;
		}
	if (n == 0)
		return;
	for (k = 0; k < src->n; k++)
		ps[src->quotes[k] < QUOTE_MAX ? src->quotes[k] : QUOTE_MAX - 1] += 1.0 / (double)src->n;
	for (k = 0; k < tgt->n; k++)
		pt[tgt->quotes[k] < QUOTE_MAX ? tgt->quotes[k] : QUOTE_MAX - 1] += 1.0 / (double)tgt->n;
	for (x = 0; x < QUOTE_MAX; x++)
		for (y = 0; y < QUOTE_MAX; y++)
			expect[td_quote_class(x, y)] += n * ps[x] * pt[y];
	centred_rate_ratio(cp->quote_pmi, obs, expect, TD_QUOTE_CLASSES, n, QUOTE_PRIOR);
	cp->use_quote = 1;
}

/* The median sentence length of a side in characters (0 without sentences). */
static int median_chars(const td_side *s, double *med)
{
	double *v;
	size_t k;

	*med = 0;
	if (s->n == 0)
		return 0;
	if (!(v = malloc(s->n * sizeof(double))))
		return td_error_set(TD_ENOMEM, "aligner: out of memory");
	for (k = 0; k < s->n; k++)
		v[k] = s->nchar[k];
	qsort(v, s->n, sizeof(double), cmp_double);
	*med = v[s->n / 2];
	free(v);
	return 0;
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

/*
 * A translated poem keeps its lines but not the words of each line: to
 * keep metre and rhyme the words move across the lines of a stanza, and a
 * path that follows the words slips by a line (a 0-1, then a 1-0 bead a
 * few lines on, or a 2-1 and a 1-2). Inside verse on both sides the
 * lexical term weighs VERSE_LEX of prose's and the priors of every shape
 * but 1-1 VERSE_PRIOR times prose's, so that the poem aligns line by line
 * unless the words disagree strongly. The Fall of the House of Usher
 * (de-en), a 48-line poem: strict F1 0.934 -> 0.991; the same F1 for
 * VERSE_PRIOR from 2 to 4 and VERSE_LEX from 0.33 to 0.5.
 */
#define VERSE_LEX 0.5
#define VERSE_PRIOR 3.0

int td_align_run(td_ladder **out, const td_doc *src, const td_doc *tgt, const td_align_opts *opts)
{
	td_align_opts defaults = TD_ALIGN_OPTS_INIT;
	td_side ss = { 0 }, ts = { 0 };
	td_band band = { 0 };
	td_pairs pairs = { 0 };
	td_dp_step *steps = NULL;
	size_t nsteps = 0, nb = 0, k, nverse_s, nverse_t;
	size_t *bs = NULL, *bt = NULL;
	td_keypair *kp = NULL;
	size_t nkp = 0;
	td_cost_params cp;
	double cs = 0, ct = 0, var_prior = 4.0, med_s, med_t;
	td_keyindex six = { 0 }, tix = { 0 };
	td_side delta = { 0 };
	const td_pairs *full = NULL;
	int rc;

	*out = NULL;
	if (!opts)
		opts = &defaults;
	if ((rc = td_opts_version(opts->version, TD_ALIGN_OPTS_VERSION, "align")) < 0)
		return rc;
	if ((rc = td__build_side(&ss, src, opts->src_lang, opts->lexicon, 1)) < 0 ||
	    (rc = td__learned_apply(&ss, opts->learned)) < 0 ||
	    (rc = td__build_side(&ts, tgt, opts->tgt_lang, NULL, 0)) < 0)
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
	if ((rc = median_chars(&ss, &med_s)) < 0 || (rc = median_chars(&ts, &med_t)) < 0)
		goto cleanup;
	if ((ss.n > 3 * ts.n || ts.n > 3 * ss.n) && med_s > 0 && med_t > 0)
		cp.ratio = med_t / med_s;
	cp.var = var_prior;
	cp.w_lex = opts->w_lex;
	cp.w_len = opts->w_len;
	cp.skip = opts->skip;
	cp.merge = cp.merge12 = cp.merge21 = opts->merge;
	cp.merge22 = opts->merge22;
	cp.merge3 = opts->merge3;
	cp.para = opts->para;
	cp.x_max = opts->x_max;
	cp.nshapes = td_nshapes;
	cp.use_para = opts->paragraphs && src->nparagraphs > 1 && tgt->nparagraphs > 1;
	/* Verse on both sides: inside it position and length count more than
	 * the words (cost.c). */
	nverse_s = td__mark_verse(&ss, med_s);
	nverse_t = td__mark_verse(&ts, med_t);
	cp.use_verse = nverse_s > 0 && nverse_t > 0;
	cp.verse_lex = VERSE_LEX;
	cp.verse_prior = VERSE_PRIOR;
	/* On the whole grid, the masks of every pair serve both passes and the
	 * statistics: computed once, then updated by the learned keys. */
	if (td__full_grid(ss.n, ts.n)) {
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
	if ((rc = td__align_level(&steps, &nsteps, &band, &pairs, &ss, &ts, &cp, NULL, 0, 1, full != NULL)) < 0)
		goto cleanup;
	bs = malloc((nsteps + 1) * sizeof(size_t));
	bt = malloc((nsteps + 1) * sizeof(size_t));
	if (!bs || !bt) {
		rc = td_error_set(TD_ENOMEM, "aligner: out of memory");
		goto cleanup;
	}
	pass_ratio(&cp, steps, nsteps, &ss, &ts);
	td__fit_merge_priors(&cp, steps, nsteps);
	end_stats(&cp, steps, nsteps, &ss, &ts);
	td__quote_stats(&cp, steps, nsteps, &ss, &ts);
	pass_stats(&cp, bs, bt, &nb, steps, nsteps, &ss, &ts, var_prior, full, 1);
	td_band_release(&band);
	if (!full)
		td_pairs_release(&pairs);
	if (opts->learn && nb >= 2) {
		if ((rc = td_learn_dice(&kp, &nkp, &ss, &ts, bs, bt, nb)) < 0)
			goto cleanup;
		if (nkp > 0) {
			if ((rc = td__add_learned(&ss, kp, nkp, full ? &delta : NULL)) < 0)
				goto cleanup;
			if (full) {
				if ((rc = td_keyindex_build(&six, delta.n, delta.eoff, delta.ent)) < 0)
					goto cleanup;
				td_pairs_add(&pairs, &six, &tix);
			}
			cp.cover_rand = td_cover_random(&ss, &ts, full);
			/* Coverage of translations grows with the learned words too;
			 * the length model depends on pass 1's path alone: fitted already. */
			pass_stats(&cp, bs, bt, &nb, steps, nsteps, &ss, &ts, var_prior, full, 0);
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
		rc = td__align_level(&steps, &nsteps, &band, &pairs, &ss, &ts, &cp, guide, nguide, 1, full != NULL);
		free(guide);
		if (rc < 0)
			goto cleanup;
	}
	rc = td__make_ladder(out, steps, nsteps, &pairs, &ss, &ts, &cp);
	if (rc == 0) {
		/* Lost regions: searched again, more widely (recover.c). */
		size_t nfound;

		td_band_release(&band);
		td_pairs_release(&pairs);
		rc = td__recover(*out, &ss, &ts, &cp, &nfound);
		/* Beads larger than the DP's shapes (grow.c). */
		if (rc == 0)
			rc = td__grow(*out, &ss, &ts, &cp);
	}
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
