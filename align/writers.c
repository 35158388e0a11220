/*
 * Writing a ladder: beads (score.py's format), TSV, JSONL and Moses plain
 * text. Texts of merged sentences are joined by one space; tabs and line
 * breaks inside a text become spaces so that one bead stays one line.
 */
#include "tandem/align.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"

static void put_ids(FILE *f, size_t first, size_t n, const char *sep)
{
	size_t k;

	fputc('[', f);
	for (k = 0; k < n; k++)
		fprintf(f, "%s%zu", k ? sep : "", first + k);
	fputc(']', f);
}

static int write_error(void)
{
	return td_error_set(TD_EIO, "write error: %s", strerror(errno));
}

/* A URL on one TSV field: tabs and line breaks become spaces. */
static void put_field(FILE *f, const char *s)
{
	for (; *s; s++)
		fputc(*s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s, f);
}

/* The writer of both: with urls, the linked beads in the pipeline's fields. */
static int write_ladder(FILE *f, td_align_format fmt, const char *const *urls,
	const td_ladder *ladder, const td_doc *src, const td_doc *tgt, double min_score)
{
	size_t k;
	int rc = 0;

	for (k = 0; k < ladder->n && rc == 0; k++) {
		const td_bead *b = &ladder->v[k];
		char *st = NULL, *tt = NULL;

		if (b->score < min_score || (urls && (b->nsrc == 0 || b->ntgt == 0)))
			continue;
		if (fmt == TD_ALIGN_FMT_BEADS) {
			put_ids(f, b->src, b->nsrc, ", ");
			fputc(':', f);
			put_ids(f, b->tgt, b->ntgt, ", ");
			fprintf(f, ":%.4f\n", b->score);
			continue;
		}
		if ((rc = td_doc_join(&st, src, b->src, b->nsrc)) < 0 ||
		    (rc = td_doc_join(&tt, tgt, b->tgt, b->ntgt)) < 0) {
			free(st);
			return rc;
		}
		if (urls && fmt == TD_ALIGN_FMT_TSV) {
			put_field(f, urls[0]);
			fputc('\t', f);
			put_field(f, urls[1]);
			fprintf(f, "\t%s\t%s\t%.4f\n", st, tt, b->score);
		} else if (urls) {
			fputs("{\"src_url\":", f);
			td_json_cstring(f, urls[0]);
			fputs(",\"trg_url\":", f);
			td_json_cstring(f, urls[1]);
			fputs(",\"src_sentence\":", f);
			td_json_cstring(f, st);
			fputs(",\"trg_sentence\":", f);
			td_json_cstring(f, tt);
			fprintf(f, ",\"score\":%.4f}\n", b->score);
		} else if (fmt == TD_ALIGN_FMT_TSV) {
			fprintf(f, "%s\t%s\t%.4f\n", st, tt, b->score);
		} else {
			fputs("{\"src\":", f);
			put_ids(f, b->src, b->nsrc, ",");
			fputs(",\"tgt\":", f);
			put_ids(f, b->tgt, b->ntgt, ",");
			fprintf(f, ",\"score\":%.4f,\"src_text\":", b->score);
			td_json_cstring(f, st);
			fputs(",\"tgt_text\":", f);
			td_json_cstring(f, tt);
			fputs("}\n", f);
		}
		free(st);
		free(tt);
	}
	if (ferror(f))
		return write_error();
	return rc;
}

int td_ladder_write(FILE *f, td_align_format fmt, const td_ladder *ladder,
	const td_doc *src, const td_doc *tgt, double min_score)
{
	return write_ladder(f, fmt, NULL, ladder, src, tgt, min_score);
}

int td_ladder_write_urls(FILE *f, td_align_format fmt, const char *src_url, const char *tgt_url,
	const td_ladder *ladder, const td_doc *src, const td_doc *tgt, double min_score)
{
	const char *urls[2] = { src_url, tgt_url };

	if (fmt != TD_ALIGN_FMT_TSV && fmt != TD_ALIGN_FMT_JSONL)
		return td_error_set(TD_EINVAL, "sentence pairs with URLs are written as tsv or jsonl");
	return write_ladder(f, fmt, urls, ladder, src, tgt, min_score);
}

int td_ladder_write_moses(FILE *fsrc, FILE *ftgt, const td_ladder *ladder,
	const td_doc *src, const td_doc *tgt, double min_score)
{
	size_t k;
	int rc = 0;

	for (k = 0; k < ladder->n && rc == 0; k++) {
		const td_bead *b = &ladder->v[k];
		char *st = NULL, *tt = NULL;

		if (b->score < min_score || b->nsrc == 0 || b->ntgt == 0)
			continue;
		if ((rc = td_doc_join(&st, src, b->src, b->nsrc)) == 0 &&
		    (rc = td_doc_join(&tt, tgt, b->tgt, b->ntgt)) == 0) {
			fprintf(fsrc, "%s\n", st);
			fprintf(ftgt, "%s\n", tt);
		}
		free(st);
		free(tt);
	}
	if (ferror(fsrc) || ferror(ftgt))
		return write_error();
	return rc;
}
