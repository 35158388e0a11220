/*
 * What lookup (lookup.c) and concordance (concord.c) share of a td_lookup,
 * so that neither calls the other: the tokenizer for the query's language,
 * string copies, and releasing a concordance answer (one being built when
 * a query fails, or one handed to the caller).
 */
#include "lookup_int.h"

#include <stdlib.h>
#include <string.h>

char *td__strdup(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	char *d = malloc(n + 1);

	if (d) {
		if (n)
			memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

int td__tokenizer_keep(td_tokenizer **tk, char *tk_lang, size_t cap, const char *lang)
{
	int rc;

	if (*tk && strcmp(tk_lang, lang) == 0)
		return 0;
	td_tokenizer_free(*tk);
	*tk = NULL;
	tk_lang[0] = '\0';
	if (strlen(lang) >= cap)
		return td_error_set(TD_EINVAL, "'%s': language tag too long", lang);
	rc = td_tokenizer_new(tk, lang);
	if (rc < 0)
		return rc;
	strcpy(tk_lang, lang);
	return 0;
}

int td__lookup_tokenizer(td_lookup *lk, const char *lang)
{
	return td__tokenizer_keep(&lk->tk, lk->tk_lang, sizeof(lk->tk_lang), lang);
}

void td__concord_hits_free(td_concord_hit *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free((char *)v[i].src_lang);
		free((char *)v[i].tgt_lang);
		free((char *)v[i].source);
		free((char *)v[i].target);
		free((void *)v[i].hits);
		free((void *)v[i].aligned);
	}
}

void td__concord_free(td_lookup *lk)
{
	td__concord_hits_free(lk->ch, lk->nch);
	free(lk->ch);
	lk->ch = NULL;
	lk->nch = lk->chcap = 0;
}
