/*
 * The alignment as a picture: an SVG of the sentence grid, source sentences
 * along x, target sentences along y (down), one rectangle per bead spanning
 * its sentences (1-0 / 0-1 beads are thin strips along their side), filled
 * by score from red (0) through yellow to green (1), and the low-confidence
 * regions as translucent boxes with their lines in a tooltip. Coordinates
 * are in sentences (the viewBox), so the file stays exact at any size; the
 * outlines do not scale, so that a one-sentence bead of a long document is
 * still seen. Written directly: SVG is XML text and needs no library.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tandem/align.h"

#define PLOT_PX 800.0    /* the longer side of the grid, in pixels */
#define PLOT_MARGIN 0.08 /* margin for the axes, as a part of the longer side */

/* Red (0) -> yellow (0.5) -> green (1). */
static void score_colour(char buf[8], double s)
{
	int r, g;

	if (s < 0)
		s = 0;
	if (s > 1)
		s = 1;
	r = s < 0.5 ? 215 : (int)(215 * (1 - s) * 2);
	g = s < 0.5 ? (int)(190 * s * 2) : 190;
	snprintf(buf, 8, "#%02x%02x%02x", r, g, 40);
}

int td_ladder_write_svg(FILE *f, const td_ladder *ladder)
{
	size_t n = 0, m = 0, k, nr = 0;
	td_region *r = NULL;
	double side, mg, w, h, font;
	int rc;

	for (k = 0; k < ladder->n; k++) {
		const td_bead *b = &ladder->v[k];

		if (b->src + b->nsrc > n)
			n = b->src + b->nsrc;
		if (b->tgt + b->ntgt > m)
			m = b->tgt + b->ntgt;
	}
	if ((rc = td_ladder_regions(&r, &nr, ladder)) < 0)
		return rc;
	side = (double)(n > m ? n : m);
	if (side < 1)
		side = 1;
	mg = side * PLOT_MARGIN;
	font = side / PLOT_PX * 12.0;
	w = PLOT_PX * ((double)(n ? n : 1) + 2 * mg) / side;
	h = PLOT_PX * ((double)(m ? m : 1) + 2 * mg) / side;
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
		"viewBox=\"%.3f %.3f %.3f %.3f\">\n",
		w, h, -mg, -mg, (double)n + 2 * mg, (double)m + 2 * mg);
	fprintf(f, "<title>alignment: %zu source x %zu target sentences, %zu beads, %zu low-confidence "
		"region%s</title>\n", n, m, ladder->n, nr, nr == 1 ? "" : "s");
	fprintf(f, "<style>.b{stroke-width:1.5;vector-effect:non-scaling-stroke}"
		".r{fill:#d7263d;fill-opacity:0.12;stroke:#d7263d;stroke-width:1;"
		"vector-effect:non-scaling-stroke;stroke-dasharray:4 3}"
		"text{font-family:sans-serif;font-size:%.3fpx;fill:#333}</style>\n", font);
	fprintf(f, "<rect x=\"0\" y=\"0\" width=\"%zu\" height=\"%zu\" fill=\"none\" stroke=\"#999\" "
		"stroke-width=\"1\" vector-effect=\"non-scaling-stroke\"/>\n", n, m);
	fprintf(f, "<text x=\"%.3f\" y=\"%.3f\">source sentence (1-%zu)</text>\n", 0.0, -mg / 3, n);
	fprintf(f, "<text transform=\"translate(%.3f %.3f) rotate(90)\">target sentence (1-%zu)</text>\n",
		-mg / 3, 0.0, m);
	for (k = 0; k < nr; k++)
		fprintf(f, "<rect class=\"r\" x=\"%zu\" y=\"%zu\" width=\"%zu\" height=\"%zu\">"
			"<title>low confidence: source lines %zu-%zu, target lines %zu-%zu, mean score %.2f"
			"</title></rect>\n", r[k].src, r[k].tgt, r[k].nsrc, r[k].ntgt,
			r[k].src + 1, r[k].src + r[k].nsrc, r[k].tgt + 1, r[k].tgt + r[k].ntgt, r[k].mean);
	for (k = 0; k < ladder->n; k++) {
		const td_bead *b = &ladder->v[k];
		char c[8];

		score_colour(c, b->score);
		/* A side with no sentence is drawn a fifth of a sentence thick. */
		fprintf(f, "<rect class=\"b\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
			"fill=\"%s\" stroke=\"%s\"/>\n",
			(double)b->src - (b->nsrc ? 0 : 0.1), (double)b->tgt - (b->ntgt ? 0 : 0.1),
			b->nsrc ? (double)b->nsrc : 0.2, b->ntgt ? (double)b->ntgt : 0.2, c, c);
	}
	fputs("</svg>\n", f);
	free(r);
	if (ferror(f))
		return td_error_set(TD_EIO, "write error: %s", strerror(errno));
	return 0;
}
