/*
 * libFuzzer harness for alignment. The first byte chooses:
 *   bit 0 clear: the aligner. The rest is split at the first 0xff byte into
 *     two small documents (UTF-8 checked by td_text_decode, presegmented or running
 *     text by bit 1, paragraph evidence by bit 2, learning by bit 3), which
 *     td_align_run aligns; the ladder must cover both documents in order.
 *   bit 0 set: the alignment-file parser and the scorer (td_alignment_*,
 *     td_alscore_*) on a gold and a hypothesis file split the same way.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tandem/align.h"
#include "tandem/segment.h"
#include "tandem/text.h"

static td_doc *doc(const uint8_t *p, size_t n, const char *lang, td_seg_mode mode)
{
	td_text_opts d = TD_TEXT_OPTS_INIT;
	td_seg_opts s = TD_SEG_OPTS_INIT;
	td_doc *out = NULL;
	char *text = NULL;
	size_t len = 0;

	d.encoding = "UTF-8";
	if (td_text_decode(&text, &len, p, n, &d) != 0)
		return NULL;
	s.lang = lang;
	s.mode = mode;
	if (td_seg_split(&out, text, len, &s) != 0)
		out = NULL;
	free(text);
	return out;
}

static void check_ladder(const td_ladder *l, const td_doc *a, const td_doc *b)
{
	size_t i = 0, j = 0;

	for (size_t k = 0; k < l->n; k++) {
		const td_bead *e = &l->v[k];
		if (e->src != i || e->tgt != j || (e->nsrc == 0 && e->ntgt == 0) ||
		    !(e->score >= 0.0 && e->score <= 1.0))
			abort();
		i += e->nsrc;
		j += e->ntgt;
	}
	if (i != a->n || j != b->n)
		abort();
}

static void run_aligner(unsigned sel, const uint8_t *p, size_t n, const uint8_t *q, size_t m)
{
	td_seg_mode mode = (sel >> 1) & 1 ? TD_SEG_PRESEGMENTED : TD_SEG_TEXT;
	td_doc *a = doc(p, n, "de", mode), *b = doc(q, m, "en", mode);
	td_align_opts o = TD_ALIGN_OPTS_INIT;
	td_ladder *l = NULL;

	o.paragraphs = (sel >> 2) & 1;
	o.learn = (sel >> 3) & 1;
	if (a && b && a->n <= 200 && b->n <= 200 && td_align_run(&l, a, b, &o) == 0)
		check_ladder(l, a, b);
	td_ladder_free(l);
	td_doc_free(a);
	td_doc_free(b);
}

static void run_scorer(const uint8_t *p, size_t n, const uint8_t *q, size_t m, int have_hyp)
{
	td_alignment *gold = NULL, *hyp = NULL;

	if (td_alignment_parse(&gold, (const char *)p, n, "gold") == 0 && have_hyp &&
	    td_alignment_parse(&hyp, (const char *)q, m, "hyp") == 0) {
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
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *cut;
	size_t n;
	unsigned sel;

	if (size < 1)
		return 0;
	sel = data[0];
	data++;
	size--;
	cut = memchr(data, 0xff, size);
	n = cut ? (size_t)(cut - data) : size;
	if (sel & 1)
		run_scorer(data, n, cut ? cut + 1 : data, cut ? size - n - 1 : 0, cut != NULL);
	else
		run_aligner(sel, data, n, cut ? cut + 1 : data + n, cut ? size - n - 1 : 0);
	return 0;
}
