/*
 * The flags of a batch's pairs (batch.h): per pair counts against the
 * batch's robust statistics of length ratios (median and MAD, so that a few
 * wrong pairs do not move what they are compared with).
 */
#include "tandem/batch.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define WEAK_SHARE 0.5
#define UNALIGNED_SHARE 0.3
#define UNALIGNED_MIN 3
#define RATIO_MIN_LOG 0.2
#define RATIO_MADS 4.0
#define RATIO_MIN_PAIRS 5

static double log_ratio(const td_batch_stats *s)
{
	return log(((double)s->src_chars + 1.0) / ((double)s->tgt_chars + 1.0));
}

static double pair_size(const td_batch_stats *s)
{
	return (double)(s->src_chars + s->tgt_chars);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Median of v[0..n) (sorts v). */
static double median(double *v, size_t n)
{
	if (!n)
		return 0;
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int td_batch_ratios_of(td_batch_ratios *out, const td_batch_stats *stats, size_t n)
{
	double *v = malloc((n + 1) * sizeof(*v));
	size_t i, k = 0;

	memset(out, 0, sizeof(*out));
	if (!v)
		return td_error_set(TD_ENOMEM, "batch: out of memory");
	for (i = 0; i < n; i++)
		if (stats[i].beads)
			v[k++] = pair_size(&stats[i]);
	out->size = median(v, k);
	for (i = k = 0; i < n; i++)
		if (stats[i].beads)
			v[k++] = log_ratio(&stats[i]);
	out->median = median(v, k);
	for (i = 0; i < k; i++)
		v[i] = fabs(v[i] - out->median);
	out->mad = median(v, k);
	out->n = k;
	free(v);
	return 0;
}

unsigned td_batch_flags_of(const td_batch_stats *s, bool decode_error, const td_batch_ratios *r)
{
	unsigned f = 0;
	size_t unaligned = s->types[TD_BEAD_1_0] + s->types[TD_BEAD_0_1];

	if (decode_error)
		f |= TD_BATCH_FLAG_DECODE_ERROR;
	if (!s->beads)
		return f;
	if (s->linked && (double)s->weak > WEAK_SHARE * (double)s->linked)
		f |= TD_BATCH_FLAG_LOW_CONFIDENCE;
	if (s->regions)
		f |= TD_BATCH_FLAG_REGIONS;
	if (unaligned >= UNALIGNED_MIN && (double)unaligned > UNALIGNED_SHARE * (double)s->beads)
		f |= TD_BATCH_FLAG_MANY_UNALIGNED;
	if (r->n >= RATIO_MIN_PAIRS && pair_size(s) > 0) {
		double d = fabs(log_ratio(s) - r->median);

		if (d > RATIO_MIN_LOG + RATIO_MADS * r->mad * sqrt(r->size / pair_size(s)))
			f |= TD_BATCH_FLAG_LENGTH_RATIO;
	}
	return f;
}

const char *td_batch_flag_name(unsigned flag)
{
	switch (flag) {
	case TD_BATCH_FLAG_LOW_CONFIDENCE: return "low_confidence";
	case TD_BATCH_FLAG_LENGTH_RATIO: return "length_ratio";
	case TD_BATCH_FLAG_MANY_UNALIGNED: return "many_unaligned";
	case TD_BATCH_FLAG_DECODE_ERROR: return "decode_error";
	case TD_BATCH_FLAG_REGIONS: return "low_confidence_regions";
	default: return NULL;
	}
}
