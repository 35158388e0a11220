/*
 * Low-confidence regions of a ladder and the SVG picture of it, on ladders
 * built by hand (the aligner's own regions are checked in test_align.c).
 */
#include <criterion/criterion.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tandem/align.h"

/* n 1-1 beads scored 0.9, those in [w0, w1) scored `weak`. */
static td_ladder *ladder_11(size_t n, size_t w0, size_t w1, double weak)
{
	td_ladder *l = calloc(1, sizeof(*l));
	size_t k;

	cr_assert(l);
	l->v = calloc(n, sizeof(td_bead));
	cr_assert(l->v);
	l->n = n;
	for (k = 0; k < n; k++) {
		l->v[k] = (td_bead){ k, 1, k, 1, k >= w0 && k < w1 ? weak : 0.9 };
	}
	return l;
}

Test(regions, a_weak_stretch_is_one_region)
{
	td_ladder *l = ladder_11(100, 40, 60, 0.1);
	td_region *r = NULL;
	size_t n = 0;

	cr_assert_eq(td_ladder_regions(&r, &n, l), 0);
	cr_assert_eq(n, 1);
	cr_assert_eq(r[0].bead, 40);
	cr_assert_eq(r[0].nbeads, 20);
	cr_assert_eq(r[0].src, 40);
	cr_assert_eq(r[0].nsrc, 20);
	cr_assert_eq(r[0].tgt, 40);
	cr_assert_eq(r[0].ntgt, 20);
	cr_assert_float_eq(r[0].mean, 0.1, 1e-9);
	free(r);
	td_ladder_free(l);
}

Test(regions, lone_weak_beads_are_not_a_region)
{
	td_ladder *l = ladder_11(100, 0, 0, 0);
	td_region *r = NULL;
	size_t n = 5, k;

	for (k = 5; k < 100; k += 10)
		l->v[k].score = 0.05;
	l->v[6].score = 0.2;   /* two in a row */
	cr_assert_eq(td_ladder_regions(&r, &n, l), 0);
	cr_assert_eq(n, 0);
	cr_assert_null(r);
	td_ladder_free(l);
}

Test(regions, an_unaligned_run_is_not_low_confidence)
{
	td_ladder *l = ladder_11(60, 0, 0, 0);
	td_region *r = NULL;
	size_t n = 0, k;

	/* Beads 20..39 become 1-0 beads (a passage left out): targets shift. */
	for (k = 0; k < 60; k++) {
		l->v[k].tgt = k < 20 ? k : k < 40 ? 20 : k - 20;
		if (k >= 20 && k < 40) {
			l->v[k].ntgt = 0;
			l->v[k].score = 0.3;
		}
	}
	cr_assert_eq(td_ladder_regions(&r, &n, l), 0);
	cr_assert_eq(n, 0);
	td_ladder_free(l);
}

Test(regions, empty_ladder)
{
	td_ladder l = { NULL, 0 };
	td_region *r = NULL;
	size_t n = 3;

	cr_assert_eq(td_ladder_regions(&r, &n, &l), 0);
	cr_assert_eq(n, 0);
}

static size_t count_class(xmlNode *node, const char *cls)
{
	size_t c = 0;

	for (; node; node = node->next) {
		if (node->type == XML_ELEMENT_NODE && !strcmp((const char *)node->name, "rect")) {
			xmlChar *v = xmlGetProp(node, (const xmlChar *)"class");

			c += v && !strcmp((const char *)v, cls);
			xmlFree(v);
		}
		c += count_class(node->children, cls);
	}
	return c;
}

Test(regions, svg_is_well_formed_with_one_rect_per_bead)
{
	td_ladder *l = ladder_11(50, 10, 30, 0.05);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	xmlDoc *doc;
	xmlNode *root;

	cr_assert(f);
	l->v[3].ntgt = 0;   /* a 1-0 bead is drawn too */
	for (size_t k = 4; k < 50; k++)
		l->v[k].tgt--;
	cr_assert_eq(td_ladder_write_svg(f, l), 0);
	fclose(f);
	doc = xmlReadMemory(buf, (int)len, "plot.svg", NULL, XML_PARSE_NONET | XML_PARSE_NOERROR);
	cr_assert_not_null(doc, "not well-formed XML:\n%s", buf);
	root = xmlDocGetRootElement(doc);
	cr_assert_str_eq((const char *)root->name, "svg");
	cr_assert_eq(count_class(root, "b"), 50);
	cr_assert_eq(count_class(root, "r"), 1);
	cr_assert(strstr(buf, "low confidence: source lines 11-30, target lines 10-29, mean score 0.05"), "%s", buf);
	xmlFreeDoc(doc);
	free(buf);
	td_ladder_free(l);
}
