/*
 * libFuzzer harness: the alignment-file parser and the scorer (td_alignment_*,
 * td_alscore_*). The input is split at the first 0xff byte into a gold and a
 * hypothesis alignment file; both are parsed and, when valid, scored.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tandem/align.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *cut = memchr(data, 0xff, size);
	size_t glen = cut ? (size_t)(cut - data) : size;
	td_alignment *gold = NULL, *hyp = NULL;

	if (td_alignment_parse(&gold, (const char *)data, glen, "gold") == 0 && cut &&
	    td_alignment_parse(&hyp, (const char *)cut + 1, size - glen - 1, "hyp") == 0) {
		td_alscore acc = TD_ALSCORE_INIT;
		td_alscore_result r;
		if (td_alscore_add(&acc, gold, hyp) == 0) {
			td_alscore_compute(&r, &acc);
			if (r.f_strict < 0 || r.f_strict > 1 || r.f_lax < 0 || r.f_lax > 1)
				abort();
		}
	}
	td_alignment_free(gold);
	td_alignment_free(hyp);
	return 0;
}
