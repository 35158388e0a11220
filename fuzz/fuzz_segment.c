/*
 * libFuzzer harness: decode arbitrary bytes, then split them into sentences
 * in every mode for German and English. Checks the segment.h contract:
 * offsets inside the text and in order, sentences non-empty.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tandem/segment.h"
#include "tandem/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const langs[] = { "de", "en", "fr", "xx" };
	td_seg_opts opts = TD_SEG_OPTS_INIT;
	td_text_opts dopts = TD_TEXT_OPTS_INIT;
	char *text = NULL;
	size_t len = 0;
	td_doc *doc = NULL;

	if (size < 1)
		return 0;
	opts.lang = langs[data[0] & 3];
	opts.mode = (td_seg_mode)((data[0] >> 2) % 3);
	dopts.encoding = "UTF-8";
	if (td_text_decode(&text, &len, data + 1, size - 1, &dopts) != 0)
		return 0;
	if (td_seg_split(&doc, text, len, &opts) == 0) {
		size_t prev_end = 0;
		unsigned prev_par = 0;
		for (size_t i = 0; i < doc->n; i++) {
			const td_sentence *s = &doc->v[i];
			if (!s->text || !s->text[0] || s->start > s->end || s->end > len ||
			    s->start < prev_end || s->paragraph < prev_par ||
			    s->paragraph >= doc->nparagraphs)
				abort();
			prev_end = s->end;
			prev_par = s->paragraph;
		}
	}
	td_doc_free(doc);
	free(text);
	return 0;
}
