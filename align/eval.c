/*
 * Alignment files and the strict/lax score (see align.h). A bead is stored as
 * its two id lists in one pool; sets of beads are sorted arrays, so equality
 * and membership are comparisons and binary searches, and the "gold-aligned
 * (source, target) id pairs" relation is a sorted array of pairs.
 */
#include "base/buf.h"
#include "tandem/align.h"
#include "base/file.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
	size_t off;          /* first id in the pool: nsrc source ids, then ntgt target ids */
	size_t nsrc, ntgt;
} al_bead;

struct td_alignment {
	al_bead *v;
	size_t n, cap;
	size_t *ids;         /* the pool */
	size_t nids, idcap;
};

/* qsort has no context argument; the pool being sorted is passed through this. */
static _Thread_local const size_t *sort_pool;

size_t td_alignment_size(const td_alignment *a)
{
	return a ? a->n : 0;
}

void td_alignment_free(td_alignment *a)
{
	if (!a)
		return;
	free(a->v);
	free(a->ids);
	free(a);
}

static int push_id(td_alignment *a, size_t id)
{
	if (td_grow((void **)&a->ids, &a->idcap, a->nids + 1, sizeof(*a->ids)) < 0)
		return TD_ENOMEM;
	a->ids[a->nids++] = id;
	return 0;
}

static int push_bead(td_alignment *a, size_t off, size_t nsrc, size_t ntgt)
{
	if (td_grow((void **)&a->v, &a->cap, a->n + 1, sizeof(*a->v)) < 0)
		return TD_ENOMEM;
	a->v[a->n].off = off;
	a->v[a->n].nsrc = nsrc;
	a->v[a->n].ntgt = ntgt;
	a->n++;
	return 0;
}

static const char *skip_space(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\f' || *p == '\v'))
		p++;
	return p;
}

/* Parse "[1, 2]" (trailing comma allowed, as Python allows) in [p, end). */
static int parse_list(td_alignment *a, size_t *count, const char *p, const char *end)
{
	int rc;

	*count = 0;
	p = skip_space(p, end);
	if (p == end || *p != '[')
		return -1;
	p = skip_space(p + 1, end);
	while (p < end && *p != ']') {
		size_t v = 0;
		const char *d = p;

		while (p < end && *p >= '0' && *p <= '9') {
			if (v > (SIZE_MAX - 9) / 10)
				return -1;
			v = v * 10 + (size_t)(*p - '0');
			p++;
		}
		if (p == d)
			return -1;
		if ((rc = push_id(a, v)) < 0)
			return rc;
		(*count)++;
		p = skip_space(p, end);
		if (p < end && *p == ',')
			p = skip_space(p + 1, end);
		else if (p < end && *p != ']')
			return -1;
	}
	if (p == end)
		return -1;
	p = skip_space(p + 1, end);
	return p == end ? 0 : -1;
}

/* The next ':'-separated field of [*p, end) that is not blank, or NULL. */
static const char *next_field(const char **p, const char *end, const char **fend)
{
	while (*p < end) {
		const char *s = *p, *e = memchr(s, ':', (size_t)(end - s));
		const char *t;

		if (!e)
			e = end;
		*p = e < end ? e + 1 : end;
		for (t = s; t < e; t++)
			if (*t != ' ' && *t != '\t' && *t != '\r' && *t != '\f' && *t != '\v')
				break;
		if (t < e) {
			*fend = e;
			return s;
		}
	}
	return NULL;
}

int td_alignment_parse(td_alignment **out, const char *text, size_t len, const char *name)
{
	td_alignment *a = calloc(1, sizeof(*a));
	const char *p = text, *end = text + len;
	size_t lineno = 0;
	int rc = 0;

	*out = NULL;
	if (!a)
		return td_error_set(TD_ENOMEM, "alignment: out of memory");
	if (!name)
		name = "alignment";
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *q, *f1, *e1, *f2, *e2;
		size_t off = a->nids, ns, nt;

		if (!eol)
			eol = end;
		lineno++;
		q = p;
		p = eol < end ? eol + 1 : end;
		f1 = next_field(&q, eol, &e1);
		if (!f1)
			continue;  /* blank line */
		f2 = next_field(&q, eol, &e2);
		if (!f2) {
			rc = td_error_set(TD_EFORMAT, "%s: line %zu: need \"[src ids]:[tgt ids]\"", name, lineno);
			goto cleanup;
		}
		rc = parse_list(a, &ns, f1, e1);
		if (rc == 0)
			rc = parse_list(a, &nt, f2, e2);
		if (rc == -1)
			rc = td_error_set(TD_EFORMAT, "%s: line %zu: cannot parse \"%.*s\"", name, lineno,
				(int)(eol - f1 > 80 ? 80 : eol - f1), f1);
		if (rc < 0)
			goto cleanup;
		if ((rc = push_bead(a, off, ns, nt)) < 0)
			goto cleanup;
	}
	*out = a;
	a = NULL;
cleanup:
	td_alignment_free(a);
	return rc;
}

int td_alignment_read(td_alignment **out, const char *path)
{
	char *buf = NULL;
	size_t len = 0;
	int rc;

	*out = NULL;
	if ((rc = td_read_file(&buf, &len, path, NULL, 0)) < 0)
		return rc;
	rc = td_alignment_parse(out, buf, len, path);
	free(buf);
	return rc;
}

int td_alignment_from_ladder(td_alignment **out, const td_ladder *ladder)
{
	td_alignment *a = calloc(1, sizeof(*a));
	size_t i, k;
	int rc = 0;

	*out = NULL;
	if (!a)
		return td_error_set(TD_ENOMEM, "alignment: out of memory");
	for (i = 0; i < ladder->n; i++) {
		const td_bead *b = &ladder->v[i];
		size_t off = a->nids;

		for (k = 0; k < b->nsrc && rc == 0; k++)
			rc = push_id(a, b->src + k);
		for (k = 0; k < b->ntgt && rc == 0; k++)
			rc = push_id(a, b->tgt + k);
		if (rc == 0)
			rc = push_bead(a, off, b->nsrc, b->ntgt);
		if (rc < 0) {
			td_alignment_free(a);
			return rc;
		}
	}
	*out = a;
	return 0;
}

/* ---- scoring ------------------------------------------------------------ */

/* A bead set: beads (pointing into a pool), sorted and without duplicates. */
typedef struct {
	const size_t *pool;
	al_bead *v;
	size_t n;
} bead_set;

static int cmp_seq(const size_t *x, size_t nx, const size_t *y, size_t ny)
{
	size_t k;

	if (nx != ny)
		return nx < ny ? -1 : 1;
	for (k = 0; k < nx; k++)
		if (x[k] != y[k])
			return x[k] < y[k] ? -1 : 1;
	return 0;
}

static int cmp_bead_in(const size_t *pool, const al_bead *x, const al_bead *y)
{
	int c = cmp_seq(pool + x->off, x->nsrc, pool + y->off, y->nsrc);

	if (c)
		return c;
	return cmp_seq(pool + x->off + x->nsrc, x->ntgt, pool + y->off + y->nsrc, y->ntgt);
}

static int cmp_bead(const void *x, const void *y)
{
	return cmp_bead_in(sort_pool, x, y);
}

/* Copy the beads of a that pass the filter (both sides non-empty when
 * need_both, else at least one side), then sort and de-duplicate. */
static int make_set(bead_set *s, const td_alignment *a, int need_both)
{
	size_t i, n = 0;

	s->pool = a->ids;
	s->v = malloc((a->n ? a->n : 1) * sizeof(*s->v));
	s->n = 0;
	if (!s->v)
		return td_error_set(TD_ENOMEM, "score: out of memory");
	for (i = 0; i < a->n; i++) {
		const al_bead *b = &a->v[i];
		if (need_both ? (b->nsrc && b->ntgt) : (b->nsrc || b->ntgt))
			s->v[n++] = *b;
	}
	sort_pool = a->ids;
	qsort(s->v, n, sizeof(*s->v), cmp_bead);
	s->n = 0;
	for (i = 0; i < n; i++)
		if (s->n == 0 || cmp_bead_in(a->ids, &s->v[s->n - 1], &s->v[i]) != 0)
			s->v[s->n++] = s->v[i];
	return 0;
}

static int cmp_pair(const void *x, const void *y)
{
	const size_t *a = x, *b = y;

	if (a[0] != b[0])
		return a[0] < b[0] ? -1 : 1;
	if (a[1] != b[1])
		return a[1] < b[1] ? -1 : 1;
	return 0;
}

/* Is bead x (ids in xpool) in the sorted set? */
static int set_has(const bead_set *s, const size_t *xpool, const al_bead *x)
{
	size_t lo = 0, hi = s->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const al_bead *y = &s->v[mid];
		int c = cmp_seq(xpool + x->off, x->nsrc, s->pool + y->off, y->nsrc);

		if (c == 0)
			c = cmp_seq(xpool + x->off + x->nsrc, x->ntgt, s->pool + y->off + y->nsrc, y->ntgt);
		if (c == 0)
			return 1;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return 0;
}

/* counts[] += { strict TP, strict FP, lax TP, lax FP } of test against gold. */
static int precision_counts(unsigned long counts[4], const bead_set *gold, const bead_set *test)
{
	size_t i, k, l, npairs = 0, *pairs;

	for (i = 0; i < gold->n; i++)
		npairs += gold->v[i].nsrc * gold->v[i].ntgt;
	pairs = malloc((npairs ? npairs : 1) * 2 * sizeof(size_t));
	if (!pairs)
		return td_error_set(TD_ENOMEM, "score: out of memory");
	npairs = 0;
	for (i = 0; i < gold->n; i++) {
		const al_bead *b = &gold->v[i];
		for (k = 0; k < b->nsrc; k++)
			for (l = 0; l < b->ntgt; l++) {
				pairs[2 * npairs] = gold->pool[b->off + k];
				pairs[2 * npairs + 1] = gold->pool[b->off + b->nsrc + l];
				npairs++;
			}
	}
	qsort(pairs, npairs, 2 * sizeof(size_t), cmp_pair);

	for (i = 0; i < test->n; i++) {
		const al_bead *b = &test->v[i];
		int lax = 0;

		if (set_has(gold, test->pool, b)) {
			counts[0]++;
			counts[2]++;
			continue;
		}
		counts[1]++;
		for (k = 0; k < b->nsrc && !lax; k++)
			for (l = 0; l < b->ntgt && !lax; l++) {
				size_t key[2] = { test->pool[b->off + k], test->pool[b->off + b->nsrc + l] };
				lax = bsearch(key, pairs, npairs, 2 * sizeof(size_t), cmp_pair) != NULL;
			}
		counts[lax ? 2 : 3]++;
	}
	free(pairs);
	return 0;
}

int td_alscore_add(td_alscore *acc, const td_alignment *gold, const td_alignment *hyp)
{
	bead_set g = { 0 }, t = { 0 }, gnd = { 0 }, tnd = { 0 };
	unsigned long p[4] = { 0 }, r[4] = { 0 };
	int rc, k;

	if ((rc = make_set(&g, gold, 0)) < 0 || (rc = make_set(&t, hyp, 0)) < 0 ||
	    (rc = make_set(&gnd, gold, 1)) < 0 || (rc = make_set(&tnd, hyp, 1)) < 0)
		goto cleanup;
	if ((rc = precision_counts(p, &g, &t)) < 0)
		goto cleanup;
	/* Recall: the roles swapped, insertions and deletions removed from both. */
	if ((rc = precision_counts(r, &tnd, &gnd)) < 0)
		goto cleanup;
	for (k = 0; k < 4; k++) {
		acc->prec[k] += p[k];
		acc->rec[k] += r[k];
	}
cleanup:
	free(g.v);
	free(t.v);
	free(gnd.v);
	free(tnd.v);
	return rc;
}

static double ratio(unsigned long a, unsigned long b)
{
	return a + b == 0 ? 0.0 : (double)a / (double)(a + b);
}

static double f1(double x, double y)
{
	return x + y == 0 ? 0.0 : 2 * x * y / (x + y);
}

void td_alscore_compute(td_alscore_result *out, const td_alscore *acc)
{
	out->p_strict = ratio(acc->prec[0], acc->prec[1]);
	out->p_lax = ratio(acc->prec[2], acc->prec[3]);
	out->r_strict = ratio(acc->rec[0], acc->rec[1]);
	out->r_lax = ratio(acc->rec[2], acc->rec[3]);
	out->f_strict = f1(out->p_strict, out->r_strict);
	out->f_lax = f1(out->p_lax, out->r_lax);
}
