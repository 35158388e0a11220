/*
 * libFuzzer harness: the dictionary readers (Ding, FreeDict, TSV) on a file
 * holding the input. The first byte picks the format and direction; for
 * FreeDict the rest is split at the first 0xff byte into the .index and the
 * .dict text (stored uncompressed, which dictd also reads). Then a few lookups.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "tandem/lexicon.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	td_lexicon_opts opts = TD_LEXICON_OPTS_INIT;
	td_lexicon *lx = NULL;
	const char *const *tr;
	unsigned sel;

	if (size < 1)
		return 0;
	sel = data[0];
	data++;
	size--;
	opts.src_lang = "de";
	opts.tgt_lang = "en";
	opts.cache_dir = "";
	opts.reverse = (sel >> 2) & 1;
	opts.decompound = (sel >> 3) & 1;
	switch (sel & 3) {
	case 0:
		opts.format = TD_LEX_DING;
		opts.path = fz_write("de-en.ding", data, size);
		break;
	case 1: {
		const uint8_t *cut = memchr(data, 0xff, size);
		size_t ilen = cut ? (size_t)(cut - data) : size;
		opts.format = TD_LEX_FREEDICT;
		fz_write("fz-deu-eng.dict", cut ? cut + 1 : data, cut ? size - ilen - 1 : 0);
		opts.path = fz_write("fz-deu-eng.index", data, ilen);
		break;
	}
	default:
		opts.format = TD_LEX_TSV;
		opts.path = fz_write("de-en.tsv", data, size);
		break;
	}
	if (td_lexicon_load_opts(&lx, &opts) == 0) {
		static const char *const keys[] = { "hund", "haus", "", "a", "\xc3\xa4rger" };
		for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			(void)td_lexicon_lookup(&tr, lx, keys[i]);
		(void)td_lexicon_nkeys(lx);
		(void)td_lexicon_npairs(lx);
	}
	td_lexicon_free(lx);
	return 0;
}
