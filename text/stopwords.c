#include "text/stopwords.h"

#include <stdlib.h>
#include <string.h>

/*
 * Sorted by strcmp (bytes), case-folded as td_token.norm has them (ß -> ss).
 * tests/test_token.c checks the order.
 */
static const char *const de_words[] = {
	"aber", "als", "also", "am", "an", "andere", "anderen", "auch", "auf", "aus",
	"bei", "beim", "bin", "bis", "bist", "bzw", "da", "dabei", "damit", "dann", "dar",
	"darauf", "darin", "das", "dass", "dasselbe", "dazu", "dein", "deine", "dem",
	"den", "denen", "denn", "der", "deren", "des", "dessen", "desto", "dich", "die",
	"dies", "diese", "diesem", "diesen", "dieser", "dieses", "dir", "doch", "dort",
	"du", "durch", "ein", "eine", "einem", "einen", "einer", "eines", "er", "es",
	"etw", "etwa", "etwas", "euch", "euer", "eure", "fur", "für", "gegen", "gewesen",
	"hab", "habe", "haben", "hat", "hatte", "hatten", "hier", "ich", "ihm", "ihn",
	"ihnen", "ihr", "ihre", "ihrem", "ihren", "ihrer", "ihres", "im", "in", "indem",
	"ins", "ist", "ja", "jd", "jdm", "jdn", "jds", "jede", "jedem", "jeden", "jeder",
	"jedes", "jemand", "jemandem", "jemanden", "jemandes", "jene", "jenem", "jenen",
	"jener", "jenes", "kann", "konnte", "können", "man", "mehr", "mein", "meine",
	"meinem", "meinen", "meiner", "mich", "mir", "mit", "muss", "musste", "nach",
	"nicht", "noch", "nun", "nur", "ob", "oder", "ohne", "sehr", "sei", "seid", "sein",
	"seine", "seinem", "seinen", "seiner", "seines", "seit", "sich", "sie", "sind",
	"so", "solche", "soll", "sollte", "sondern", "uber", "um", "und", "uns", "unser",
	"unsere", "unter", "vom", "von", "vor", "war", "waren", "warst", "was", "weil",
	"welche", "welchem", "welchen", "welcher", "welches", "wenn", "wer", "werde",
	"werden", "wie", "wieder", "will", "wir", "wird", "wo", "wurde", "wurden", "wäre",
	"zu", "zum", "zur", "zwar", "zwischen", "über",
};
static const char *const en_words[] = {
	"a", "about", "after", "again", "against", "all", "also", "am", "an", "and", "any",
	"are", "as", "at", "be", "because", "been", "before", "being", "between", "both",
	"but", "by", "can", "could", "did", "do", "does", "doing", "down", "during",
	"each", "few", "for", "from", "further", "had", "has", "have", "having", "he",
	"her", "here", "hers", "herself", "him", "himself", "his", "how", "i", "if", "in",
	"into", "is", "it", "it's", "its", "itself", "just", "me", "more", "most", "my",
	"myself", "no", "nor", "not", "of", "off", "on", "once", "one", "one's", "oneself",
	"only", "or", "other", "our", "ours", "ourselves", "out", "over", "own", "same",
	"sb", "sb's", "she", "should", "so", "some", "somebody", "somebody's", "someone",
	"something", "sth", "sth's", "such", "than", "that", "the", "their", "theirs",
	"them", "themselves", "then", "there", "these", "they", "this", "those", "through",
	"to", "too", "under", "until", "up", "very", "was", "we", "were", "what", "when",
	"where", "which", "while", "who", "whom", "why", "will", "with", "would", "you",
	"your", "yours", "yourself", "yourselves",
};
static const char *const fr_words[] = {
	"a", "ai", "au", "aux", "avec", "c", "c'est", "ce", "ces", "cet", "cette", "d",
	"dans", "de", "des", "du", "elle", "elles", "en", "est", "et", "eu", "il", "ils",
	"j", "je", "l", "la", "le", "les", "leur", "leurs", "lui", "m", "ma", "mais", "me",
	"mes", "moi", "mon", "n", "ne", "nos", "notre", "nous", "on", "ont", "ou", "où",
	"par", "pas", "pour", "qc", "qch", "qn", "qu", "que", "quelqu", "quelqu'un",
	"quelque", "qui", "s", "sa", "se", "ses", "si", "son", "sont", "sur", "t", "ta",
	"te", "tes", "toi", "ton", "tu", "un", "une", "vos", "votre", "vous", "y", "à",
	"été", "être",
};

void td_stopwords_init(td_stopwords *s, const char *lang)
{
	s->v = NULL;
	s->n = 0;
	if (!strcmp(lang, "de")) {
		s->v = de_words;
		s->n = sizeof(de_words) / sizeof(de_words[0]);
	} else if (!strcmp(lang, "en")) {
		s->v = en_words;
		s->n = sizeof(en_words) / sizeof(en_words[0]);
	} else if (!strcmp(lang, "fr")) {
		s->v = fr_words;
		s->n = sizeof(fr_words) / sizeof(fr_words[0]);
	}
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

bool td_stopwords_has(const td_stopwords *s, const char *norm)
{
	return s->n && bsearch(&norm, s->v, s->n, sizeof(s->v[0]), cmp) != NULL;
}
