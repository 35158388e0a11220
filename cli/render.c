/* The JSON objects of the CLI's --json output and of tandem serve (render.h). */
#include <string.h>
#include <time.h>

#include "base/json.h"
#include "render.h"

static void put_time(FILE *out, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	char buf[32];

	if (t > 0 && gmtime_r(&tt, &tm) && strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm))
		fprintf(out, "\"%s\"", buf);
	else
		fputs("null", out);
}

void render_lookup(FILE *out, const char *query, const td_lookup_result *r, const td_sentence *sent)
{
	size_t i, j;

	td_json_field(out, "{\"query\":", query);
	if (sent)
		fprintf(out, ",\"paragraph\":%u,\"start\":%zu,\"end\":%zu", sent->paragraph, sent->start, sent->end);
	fputs(",\"matches\":[", out);
	for (i = 0; i < r->n; i++) {
		const td_lookup_match *m = &r->v[i];
		fprintf(out, "%s{\"score\":%.1f,\"source\":", i ? "," : "", m->score);
		td_json_cstring(out, m->source);
		td_json_field(out, ",\"target\":", m->target);
		td_json_field(out, ",\"src_lang\":", m->src_lang);
		td_json_field(out, ",\"tgt_lang\":", m->tgt_lang);
		fputs(",\"diff\":[", out);
		for (j = 0; j < m->ndiff; j++) {
			const td_diff_span *d = &m->diff[j];
			if (d->op == TD_DIFF_DELETE) {
				fprintf(out, "%s{\"op\":\"delete\",\"start\":%zu,\"end\":%zu,\"text\":", j ? "," : "",
					d->start, d->end);
				td_json_string(out, m->source + d->start, d->end - d->start);
			} else {
				fprintf(out, "%s{\"op\":\"insert\",\"at\":%zu,\"query_start\":%zu,\"query_end\":%zu,\"text\":",
					j ? "," : "", d->at, d->start, d->end);
				td_json_string(out, query + d->start, d->end - d->start);
			}
			putc('}', out);
		}
		fprintf(out, "],\"origin\":{\"unit\":%lld,\"kind\":", (long long)m->unit_id);
		td_json_cstring(out, m->origin.kind);
		td_json_field(out, ",\"source_file\":", m->origin.src_name);
		td_json_field(out, ",\"target_file\":", m->origin.tgt_name);
		fprintf(out, ",\"position\":%lld,\"stored\":", (long long)m->origin.position);
		put_time(out, m->origin.time);
		fprintf(out, ",\"seen\":%lld}}", (long long)m->origin.seen);
	}
	fputs("]}", out);
}

void render_concord_hit(FILE *out, const td_concord_hit *h, int in_target)
{
	size_t j;

	fprintf(out, "{\"unit\":%lld,\"src_lang\":", (long long)h->unit_id);
	td_json_cstring(out, h->src_lang);
	td_json_field(out, ",\"tgt_lang\":", h->tgt_lang);
	td_json_field(out, ",\"source\":", h->source);
	td_json_field(out, ",\"target\":", h->target);
	fprintf(out, ",\"side\":\"%s\",\"hits\":[", in_target ? "target" : "source");
	for (j = 0; j < h->nhits; j++)
		fprintf(out, "%s[%zu,%zu]", j ? "," : "", h->hits[2 * j], h->hits[2 * j + 1]);
	fputs("],\"aligned\":[", out);
	for (j = 0; j < h->naligned; j++)
		fprintf(out, "%s[%zu,%zu]", j ? "," : "", h->aligned[2 * j], h->aligned[2 * j + 1]);
	fprintf(out, "],\"seen\":%lld}", (long long)h->seen);
}

static void terms_spans(FILE *out, const td_terms_span *sp, size_t n)
{
	size_t i;

	putc('[', out);
	for (i = 0; i < n; i++)
		fprintf(out, "%s[%zu,%zu]", i ? "," : "", sp[i].start, sp[i].end);
	putc(']', out);
}

static void terms_example(FILE *out, const td_terms_example *e, int first)
{
	fprintf(out, "%s{\"unit\":%lld,\"source\":", first ? "" : ",", (long long)e->unit);
	td_json_cstring(out, e->source);
	td_json_field(out, ",\"target\":", e->target);
	fputs(",\"source_spans\":", out);
	terms_spans(out, e->src_spans, e->nsrc_spans);
	fputs(",\"target_spans\":", out);
	terms_spans(out, e->tgt_spans, e->ntgt_spans);
	putc('}', out);
}

void render_terms(FILE *out, const td_terms_result *r, const char *src, const char *tgt)
{
	size_t i, k;

	td_json_field(out, "{\"term\":", r->term);
	td_json_field(out, ",\"source_lang\":", src);
	td_json_field(out, ",\"target_lang\":", tgt);
	fprintf(out, ",\"units\":%lld,\"examined\":%lld,\"sampled\":%s,\"translations\":[",
		(long long)r->units, (long long)r->examined, r->sampled ? "true" : "false");
	for (i = 0; i < r->n; i++) {
		const td_terms_translation *t = &r->v[i];
		fputs(i ? ",{\"target\":" : "{\"target\":", out);
		td_json_cstring(out, t->target);
		fprintf(out, ",\"words\":%zu,\"count\":%lld,\"share\":%.4f,\"score\":%.4f,\"dice\":%.4f,"
			"\"lexicon\":%s,\"examples\":[", t->words, (long long)t->count, t->share,
			t->score, t->dice, t->in_lexicon ? "true" : "false");
		for (k = 0; k < t->nexamples; k++)
			terms_example(out, &t->examples[k], k == 0);
		fputs("]}", out);
	}
	fprintf(out, "],\"aligned\":%lld,\"unclear\":[", (long long)r->aligned);
	for (k = 0; k < r->nunclear; k++)
		terms_example(out, &r->unclear[k], k == 0);
	fputs("],\"related\":[", out);
	for (i = 0; i < r->nrelated; i++) {
		fputs(i ? ",{\"form\":" : "{\"form\":", out);
		td_json_cstring(out, r->related[i].form);
		fprintf(out, ",\"count\":%lld}", (long long)r->related[i].count);
	}
	fputs("]}", out);
}

void render_stats(FILE *out, const char *path, const td_tm_stats *st)
{
	size_t i;

	td_json_field(out, "{\"tm\": ", path);
	fprintf(out, ", \"units\": %lld, \"documents\": %lld, \"provenance\": %lld, \"file_size\": %lld, "
		"\"schema_version\": %d, \"pairs\": [", (long long)st->units, (long long)st->documents,
		(long long)st->provenance, (long long)st->file_size, st->schema_version);
	for (i = 0; i < st->npairs; i++) {
		fprintf(out, "%s{\"src\": ", i ? ", " : "");
		td_json_cstring(out, st->pairs[i].src_lang);
		td_json_field(out, ", \"tgt\": ", st->pairs[i].tgt_lang);
		fprintf(out, ", \"units\": %lld}", (long long)st->pairs[i].units);
	}
	fputs("], \"sources\": [", out);
	for (i = 0; i < st->nsources; i++) {
		fprintf(out, "%s{\"kind\": ", i ? ", " : "");
		td_json_cstring(out, st->sources[i].kind);
		fprintf(out, ", \"documents\": %lld, \"provenance\": %lld}", (long long)st->sources[i].documents,
			(long long)st->sources[i].provenance);
	}
	fputs("]}", out);
}
