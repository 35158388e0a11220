/* A tokenizer kept for one language (model in tokenizers.h). */
#include "tokenizers.h"

#include <string.h>

#include "tandem/error.h"

int td__tok_get(td_tokenizer **out, td__tok *t, const char *lang)
{
	int rc;

	*out = NULL;
	if (t->tk && strcmp(t->lang, lang) == 0) {
		*out = t->tk;
		return 0;
	}
	td__tok_free(t);
	if (strlen(lang) >= sizeof(t->lang))
		return td_error_set(TD_EINVAL, "'%s': language tag too long", lang);
	rc = td_tokenizer_new(&t->tk, lang);
	if (rc < 0)
		return rc;
	strcpy(t->lang, lang);
	*out = t->tk;
	return 0;
}

void td__tok_free(td__tok *t)
{
	td_tokenizer_free(t->tk);
	t->tk = NULL;
	t->lang[0] = '\0';
}
