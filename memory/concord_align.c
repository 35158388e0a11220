/*
 * The words of a concordance hit's other side that translate the searched
 * phrase: the terms' word alignment (memory/terms_align.c) with the phrase
 * as the term, placed where the concordance found it. The units of one
 * language pair are aligned together, so that the phrase's own evidence
 * (the other-side words its units share) counts as it does for a term.
 */
#include "tandem/lang.h"
#include "lookup_int.h"
#include "terms_internal.h"

#include <stdlib.h>
#include <string.h>

#include "tandem/error.h"

/* The searched side's and the other side's language and text of hit h. */
static void sides(const td_concord_hit *h, int in_target, const char **lang, const char **text)
{
	lang[0] = in_target ? h->tgt_lang : h->src_lang;
	lang[1] = in_target ? h->src_lang : h->tgt_lang;
	text[0] = in_target ? h->target : h->source;
	text[1] = in_target ? h->source : h->target;
}

static int same_pair(const td_concord_hit *a, const td_concord_hit *b)
{
	return strcmp(a->src_lang, b->src_lang) == 0 && strcmp(a->tgt_lang, b->tgt_lang) == 0;
}

/* Whether the phrase has a word that is not a stop word (only such a phrase has a translation to mark). */
static int has_content(td_tokenizer *tk, const char *phrase, int *rc)
{
	const td_token *t;
	size_t n, i;

	if ((*rc = td_tokenizer_run(&t, &n, tk, phrase, strlen(phrase))) < 0)
		return 0;
	for (i = 0; i < n; i++)
		if (t[i].kind != TD_TOK_PUNCT && !t[i].stop)
			return 1;
	return 0;
}

/* Align the phrase in the hits of hit[first]'s pair, from first on (done marks them). */
static int align_pair(td__reader *rd, td_concord_hit *hit, size_t n, size_t first, unsigned char *done,
	const char *phrase, const td_concord_opts *o)
{
	const char *lang[2], *text[2];
	const td_lexicon *lx = o->src_lang && o->tgt_lang ? o->lexicon : NULL;
	td__talign *a = NULL;
	td_tokenizer *tk[2];      /* the searched language's, the other one's */
	td__wm_reader *wm;
	td__qterm q;
	size_t i;
	int rc, german;

	sides(&hit[first], o->in_target, lang, text);
	german = td_lang_is(lang[0], "de");
	if ((rc = td__reader_tokenizer(&tk[0], rd, 0, lang[0])) < 0 ||
	    (rc = td__reader_tokenizer(&tk[1], rd, 1, lang[1])) < 0 || (rc = td__reader_wm(&wm, rd)) < 0)
		return rc;
	for (i = first; i < n; i++)
		if (same_pair(&hit[i], &hit[first]))
			done[i] = 1;
	if (!has_content(tk[0], phrase, &rc))
		return rc;
	rc = td__qterm_parse(&q, tk[0], phrase, german);
	if (rc == TD_ELIMIT)
		return 0;  /* a phrase longer than a term can be: shown without marks */
	if (rc < 0)
		return rc;
	rc = td__talign_new(&a, &q, tk[0], lx, wm, lang[0], lang[1], german);
	for (i = first; rc == 0 && i < n; i++) {
		const td_token *t;
		size_t nt;
		if (!same_pair(&hit[i], &hit[first]))
			continue;
		sides(&hit[i], o->in_target, lang, text);
		rc = td_tokenizer_run(&t, &nt, tk[1], text[1], strlen(text[1]));
		if (rc == 0)
			rc = td__talign_count_target(a, t, nt);
	}
	for (i = first; rc == 0 && i < n; i++) {
		td_concord_hit *h = &hit[i];
		td_terms_span at[64], sp[TD__TALIGN_WORDS];
		const td_token *s, *t;
		size_t ns, nt, nat = 0, m, k;
		td__talign_out out;
		size_t *v;
		if (!same_pair(h, &hit[first]))
			continue;
		sides(h, o->in_target, lang, text);
		for (k = 0; k < h->nhits && nat < sizeof(at) / sizeof(*at); k++, nat++) {
			at[nat].start = h->hits[2 * k];
			at[nat].end = h->hits[2 * k + 1];
		}
		rc = td_tokenizer_run(&s, &ns, tk[0], text[0], strlen(text[0]));
		if (rc == 0)
			rc = td_tokenizer_run(&t, &nt, tk[1], text[1], strlen(text[1]));
		if (rc == 0)
			rc = td__talign_unit(a, s, ns, t, nt, at, nat, &out);
		if (rc < 0 || out.n == 0)
			continue;
		m = td__talign_spans(sp, &out, t, text[1]);
		if (!(v = malloc(2 * m * sizeof(*v)))) {
			rc = td_error_set(TD_ENOMEM, "concordance: out of memory");
			break;
		}
		for (k = 0; k < m; k++) {
			v[2 * k] = sp[k].start;
			v[2 * k + 1] = sp[k].end;
		}
		h->aligned = v;
		h->naligned = m;
	}
	td__talign_free(a);
	td__qterm_free(&q);
	return rc;
}

int td__concord_align(td_lookup *lk, const char *phrase, const td_concord_opts *o, size_t n)
{
	unsigned char *done;
	size_t i;
	int rc = 0;

	if (n == 0)
		return 0;
	/* The model may have grown since the last query. */
	if (lk->rd.wm)
		td__wm_reader_forget(lk->rd.wm);
	if (!(done = calloc(n, 1)))
		return td_error_set(TD_ENOMEM, "concordance: out of memory");
	for (i = 0; rc == 0 && i < n; i++)
		if (!done[i])
			rc = align_pair(&lk->rd, lk->ch, n, i, done, phrase, o);
	free(done);
	return rc;
}
