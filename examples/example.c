/*
 * A program outside tandem's tree using the installed library:
 *
 *   cc example.c $(pkg-config --cflags --libs tandem) -o example
 *   TANDEM_TM=tm.db ./example text.de text.en
 *
 * It aligns two documents (languages from the file extensions), stores the
 * aligned sentence pairs in the translation memory $TANDEM_TM and looks the
 * source document's first sentence up in it. Every call returns 0 or a
 * negative TD_E* code with a one-line message in td_error_last().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tandem/tandem.h>

/* The language of a file name: its extension ("text.de" -> "de"). */
static const char *lang_of(const char *path)
{
	const char *slash = strrchr(path, '/'), *dot = strrchr(path, '.');

	return dot && (!slash || dot > slash) && dot[1] ? dot + 1 : NULL;
}

/* Decode a file (any encoding, detected) and split it into sentences. */
static int read_doc(td_doc **out, const char *path, const char *lang)
{
	td_seg_opts so = TD_SEG_OPTS_INIT;
	char *text = NULL;
	size_t len = 0;
	int rc;

	*out = NULL;
	if ((rc = td_text_decode_file(&text, &len, path, NULL)) < 0)
		return rc;
	so.lang = lang;
	rc = td_seg_split(out, text, len, &so);
	free(text);
	return rc;
}

int main(int argc, char **argv)
{
	const char *tm_path = getenv("TANDEM_TM"), *src_lang, *tgt_lang;
	td_align_opts ao = TD_ALIGN_OPTS_INIT;
	td_tm_doc_info info = TD_TM_DOC_INFO_INIT;
	td_lookup_opts lo = TD_LOOKUP_OPTS_INIT;
	td_tm_store_report rep;
	td_lookup_result res;
	td_doc *src = NULL, *tgt = NULL;
	td_ladder *ladder = NULL;
	td_tm *tm = NULL;
	td_lookup *lk = NULL;
	char src_hash[TD_HASH_HEX], tgt_hash[TD_HASH_HEX];
	int rc;

	if (argc != 3 || !tm_path || !*tm_path) {
		fprintf(stderr, "usage: TANDEM_TM=FILE example SRC.LANG TGT.LANG\n");
		return 2;
	}
	src_lang = lang_of(argv[1]);
	tgt_lang = lang_of(argv[2]);
	if (!src_lang || !tgt_lang) {
		fprintf(stderr, "example: name the languages by the extensions (text.de text.en)\n");
		return 2;
	}
	printf("tandem %s\n", td_version());

	if ((rc = read_doc(&src, argv[1], src_lang)) < 0 || (rc = read_doc(&tgt, argv[2], tgt_lang)) < 0)
		goto cleanup;

	/* Align without a dictionary (ao.lexicon: see td_lexicon_load). */
	ao.src_lang = src_lang;
	ao.tgt_lang = tgt_lang;
	if ((rc = td_align_run(&ladder, src, tgt, &ao)) < 0)
		goto cleanup;
	printf("%zu + %zu sentences, %zu beads\n", src->n, tgt->n, ladder->n);

	/* Store the beads as one document; the hashes make a second run add nothing. */
	if ((rc = td_tm_hash_file(src_hash, argv[1])) < 0 || (rc = td_tm_hash_file(tgt_hash, argv[2])) < 0 ||
	    (rc = td_tm_open(&tm, tm_path, 0)) < 0)
		goto cleanup;
	info.src_name = argv[1];
	info.tgt_name = argv[2];
	info.src_hash = src_hash;
	info.tgt_hash = tgt_hash;
	info.src_lang = src_lang;
	info.tgt_lang = tgt_lang;
	if ((rc = td_tm_store_ladder(&rep, tm, &info, ladder, src, tgt, 0.0)) < 0)
		goto cleanup;
	printf("units added %lld, already present %lld\n", (long long)rep.added, (long long)rep.present);
	td_tm_close(tm);
	tm = NULL;

	/* Look the first source sentence up. */
	if (src->n == 0)
		goto cleanup;
	if ((rc = td_lookup_open(&lk, tm_path)) < 0)
		goto cleanup;
	lo.src_lang = src_lang;
	lo.tgt_lang = tgt_lang;
	if ((rc = td_lookup_query(&res, lk, src->v[0].text, strlen(src->v[0].text), &lo)) < 0)
		goto cleanup;
	printf("lookup: %s\n", src->v[0].text);
	if (res.n)
		printf("%.0f%%: %s\n", res.v[0].score, res.v[0].target);
	else
		printf("no match\n");
	td_lookup_result_free(&res);

cleanup:
	if (rc < 0)
		fprintf(stderr, "example: %s\n", td_error_last());
	td_lookup_close(lk);
	td_tm_close(tm);
	td_ladder_free(ladder);
	td_doc_free(src);
	td_doc_free(tgt);
	return rc < 0 ? 1 : 0;
}
