/*
 * One pair as a report shows it: the entry of `batch --report`'s "pairs"
 * and the whole of `align --report`, so that one schema serves both.
 */
#include <stdio.h>

#include "base/json.h"
#include "cli.h"

void cli_json_types(FILE *f, const size_t *types, size_t total)
{
	int t;

	fprintf(f, "{\"total\": %zu", total);
	for (t = 0; t < TD_BEAD_NTYPES; t++)
		fprintf(f, ", \"%s\": %zu", td_bead_type_name((td_bead_type)t), types[t]);
	fputc('}', f);
}

static void json_flags(FILE *f, unsigned flags)
{
	unsigned bit;
	int first = 1;

	fputc('[', f);
	for (bit = 1; bit <= TD_BATCH_FLAG_REGIONS; bit <<= 1) {
		if (flags & bit) {
			fprintf(f, "%s\"%s\"", first ? "" : ", ", td_batch_flag_name(bit));
			first = 0;
		}
	}
	fputc(']', f);
}

void cli_pair_json(FILE *f, const cli_pair_entry *e)
{
	const td_batch_stats *s = e->stats;

	td_json_field(f, "{\"name\": ", e->name);
	td_json_field(f, ", \"source\": ", e->src);
	td_json_field(f, ", \"target\": ", e->tgt);
	fprintf(f, ", \"status\": \"%s\"", e->status);
	if (e->error) {
		td_json_field(f, ", \"error\": ", e->error);
	}
	if (s) {
		fprintf(f, ", \"sentences\": {\"source\": %zu, \"target\": %zu}", s->nsrc, s->ntgt);
		fprintf(f, ", \"characters\": {\"source\": %zu, \"target\": %zu}",
			s->src_chars, s->tgt_chars);
		fprintf(f, ", \"length_ratio\": %.4f", s->tgt_chars ?
			(double)s->src_chars / (double)s->tgt_chars : 0.0);
		fputs(", \"beads\": ", f);
		cli_json_types(f, s->types, s->beads);
		fprintf(f, ", \"score\": {\"mean\": %.4f, \"min\": %.4f, \"weak\": %zu, \"linked\": %zu}",
			s->mean_score, s->min_score, s->weak, s->linked);
		if (e->has_units)
			fprintf(f, ", \"units\": %zu", e->units);
		fprintf(f, ", \"regions\": %s", e->regions ? e->regions : "[]");
	}
	fputs(", \"flags\": ", f);
	json_flags(f, e->flags);
	fputc('}', f);
}
