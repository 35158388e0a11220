/*
 * Match percentage and token diff (include/tandem/match.h), and the token
 * layer shared by lookup, concordance and the index (memory/index.h).
 */
#include "index.h"
#include "tokenizers.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tandem/error.h"
#include "tandem/match.h"

/* ---- the match percentage (model in include/tandem/match.h) ---- */

unsigned long long td__hash(unsigned long long h, const char *s, size_t n)
{
	return td_fnv1a(h, s, n);
}

static const double kind_weight[] = { 1.0, 0.5, 0.25 };  /* word, number, punctuation */
#define CASE_COST 0.1      /* share of a token's weight when only case differs */
#define DIFF_CELLS_MAX (16u * 1024 * 1024)

int td__mtoks(td__mtok **buf, size_t *cap, double *wsum, const td_token *t, size_t n)
{
	size_t i;
	double w = 0;
	int rc = td_grow((void **)buf, cap, n ? n : 1, sizeof(td__mtok));

	if (rc < 0)
		return rc;
	for (i = 0; i < n; i++) {
		td__mtok *m = &(*buf)[i];
		m->norm = td__hash(TD__HASH_SEED, t[i].norm, strlen(t[i].norm));
		m->w = kind_weight[t[i].kind];
		m->start = t[i].start;
		m->end = t[i].end;
		w += m->w;
	}
	*wsum = w;
	return 0;
}

/* Replacement cost of a by b, and its character cost in *chars. */
static double sub_cost(const td__mtok *a, const char *at, const td__mtok *b, const char *bt, double *chars)
{
	size_t la = a->end - a->start, lb = b->end - b->start, pre = 0, suf = 0;
	size_t lmin = la < lb ? la : lb, lmax = la > lb ? la : lb;
	const char *x = at + a->start, *y = bt + b->start;

	if (la == lb && memcmp(x, y, la) == 0) {
		*chars = 0;
		return 0;
	}
	while (pre < lmin && x[pre] == y[pre])
		pre++;
	while (suf < lmin - pre && x[la - 1 - suf] == y[lb - 1 - suf])
		suf++;
	*chars = (double)(lmax - pre - suf);
	if (a->norm == b->norm)
		return CASE_COST * (a->w > b->w ? a->w : b->w);
	return a->w > b->w ? a->w : b->w;
}

static double tok_bytes(const td__mtok *t, size_t n)
{
	double c = 0;
	size_t i;

	for (i = 0; i < n; i++)
		c += (double)(t[i].end - t[i].start);
	return c;
}

/* Lexicographic (distance, chars) minimum; the epsilon absorbs float noise. */
static int better(double d1, double c1, double d2, double c2)
{
	if (d1 < d2 - 1e-9)
		return 1;
	if (d1 > d2 + 1e-9)
		return 0;
	return c1 < c2;
}

static double to_score(double d, double wq, double ws)
{
	double l = wq > ws ? wq : ws, sc;

	if (l <= 0)
		return 100.0;
	if (d < 1e-9)
		return 100.0;
	sc = 100.0 * (l - d) / l;
	sc = (double)(long long)(sc * 10.0 + 1e-7) / 10.0;
	if (sc >= 100.0)
		sc = 99.9;
	return sc < 0 ? 0 : sc;
}

double td__match_score(td__dp *dp, const td__mtok *q, size_t nq, double wq, const char *qtext,
	const td__mtok *s, size_t ns, double ws, const char *stext, double floor, double *charsim)
{
	double *pd, *pc, *cd, *cc, *tmp, bq = tok_bytes(q, nq), bs = tok_bytes(s, ns), bmax;
	double lmax = wq > ws ? wq : ws, lmin = wq < ws ? wq : ws;
	size_t i, j;

	*charsim = 0;
	if (lmax > 0 && 100.0 * lmin / lmax < floor)
		return -1;
	if (td_grow((void **)&dp->d, &dp->cap, 4 * (ns + 1), sizeof(double)) < 0)
		return -1;
	pd = dp->d;
	pc = pd + (ns + 1);
	cd = pc + (ns + 1);
	cc = cd + (ns + 1);
	pd[0] = pc[0] = 0;
	for (j = 1; j <= ns; j++) {
		pd[j] = pd[j - 1] + s[j - 1].w;
		pc[j] = pc[j - 1] + (double)(s[j - 1].end - s[j - 1].start);
	}
	for (i = 1; i <= nq; i++) {
		double qb = (double)(q[i - 1].end - q[i - 1].start);
		cd[0] = pd[0] + q[i - 1].w;
		cc[0] = pc[0] + qb;
		for (j = 1; j <= ns; j++) {
			double ch, sub = sub_cost(&q[i - 1], qtext, &s[j - 1], stext, &ch);
			double bd = pd[j - 1] + sub, bc = pc[j - 1] + ch;
			double d2 = pd[j] + q[i - 1].w, c2 = pc[j] + qb;
			double d3 = cd[j - 1] + s[j - 1].w, c3 = cc[j - 1] + (double)(s[j - 1].end - s[j - 1].start);
			if (better(d2, c2, bd, bc)) {
				bd = d2;
				bc = c2;
			}
			if (better(d3, c3, bd, bc)) {
				bd = d3;
				bc = c3;
			}
			cd[j] = bd;
			cc[j] = bc;
		}
		tmp = pd; pd = cd; cd = tmp;
		tmp = pc; pc = cc; cc = tmp;
	}
	bmax = bq > bs ? bq : bs;
	*charsim = bmax > 0 ? 1.0 - pc[ns] / bmax : 1.0;
	if (*charsim < 0)
		*charsim = 0;
	return to_score(pd[ns], wq, ws);
}

static int push_span(td__dp *dp, size_t *n, td_diff_op op, size_t start, size_t end, size_t at)
{
	td_diff_span *v;
	int rc = td_grow(&dp->diff, &dp->diffcap, *n + 1, sizeof(td_diff_span));

	if (rc < 0)
		return rc;
	v = dp->diff;
	v[*n].op = op;
	v[*n].start = start;
	v[*n].end = end;
	v[*n].at = at;
	(*n)++;
	return 0;
}

int td__match_diff(td__dp *dp, size_t *ndiff, const td__mtok *q, size_t nq, const char *qtext,
	const td__mtok *s, size_t ns, const char *stext)
{
	size_t cols = ns + 1, i, j, nops = 0, k;
	double *d, *c;
	unsigned char *op = NULL;   /* path, backwards: 0 keep, 1 replace, 2 insert (q), 3 delete (s) */
	int rc = 0;

	*ndiff = 0;
	if ((nq + 1) > DIFF_CELLS_MAX / cols)
		return td_error_set(TD_ELIMIT, "diff of %zu by %zu tokens is too large", nq, ns);
	rc = td_grow((void **)&dp->d, &dp->cap, 2 * (nq + 1) * cols, sizeof(double));
	if (rc < 0)
		return rc;
	d = dp->d;
	c = d + (nq + 1) * cols;
	for (i = 0; i <= nq; i++) {
		for (j = 0; j <= ns; j++) {
			double bd, bc, ch, sub;
			size_t x = i * cols + j;
			if (i == 0 && j == 0) {
				d[x] = c[x] = 0;
				continue;
			}
			bd = 1e300;
			bc = 1e300;
			if (i > 0 && j > 0) {
				sub = sub_cost(&q[i - 1], qtext, &s[j - 1], stext, &ch);
				bd = d[x - cols - 1] + sub;
				bc = c[x - cols - 1] + ch;
			}
			if (i > 0 && better(d[x - cols] + q[i - 1].w,
					c[x - cols] + (double)(q[i - 1].end - q[i - 1].start), bd, bc)) {
				bd = d[x - cols] + q[i - 1].w;
				bc = c[x - cols] + (double)(q[i - 1].end - q[i - 1].start);
			}
			if (j > 0 && better(d[x - 1] + s[j - 1].w,
					c[x - 1] + (double)(s[j - 1].end - s[j - 1].start), bd, bc)) {
				bd = d[x - 1] + s[j - 1].w;
				bc = c[x - 1] + (double)(s[j - 1].end - s[j - 1].start);
			}
			d[x] = bd;
			c[x] = bc;
		}
	}
	op = malloc(nq + ns + 1);
	if (!op)
		return td_error_set(TD_ENOMEM, "diff: out of memory");
	/* Walk back along a cheapest path, preferring the diagonal. */
	for (i = nq, j = ns; i > 0 || j > 0;) {
		size_t x = i * cols + j;
		double ch;
		if (i > 0 && j > 0) {
			double sub = sub_cost(&q[i - 1], qtext, &s[j - 1], stext, &ch);
			if (fabs(d[x - cols - 1] + sub - d[x]) < 1e-9 && fabs(c[x - cols - 1] + ch - c[x]) < 1e-9) {
				op[nops++] = (sub == 0 && ch == 0) ? 0 : 1;
				i--;
				j--;
				continue;
			}
		}
		if (i > 0 && fabs(d[x - cols] + q[i - 1].w - d[x]) < 1e-9 &&
		    fabs(c[x - cols] + (double)(q[i - 1].end - q[i - 1].start) - c[x]) < 1e-9) {
			op[nops++] = 2;
			i--;
			continue;
		}
		op[nops++] = 3;
		j--;
	}
	/* Forward: each run of changes becomes one DELETE span of S and one INSERT span of Q. */
	i = j = 0;
	k = nops;
	while (k > 0) {
		size_t ds = 0, de = 0, is = 0, ie = 0, at;
		int hasd = 0, hasi = 0;
		if (op[k - 1] == 0) {
			i++;
			j++;
			k--;
			continue;
		}
		at = j < ns ? s[j].start : (ns ? s[ns - 1].end : 0);
		while (k > 0 && op[k - 1] != 0) {
			unsigned char o = op[--k];
			if (o == 1 || o == 3) {
				if (!hasd)
					ds = s[j].start;
				de = s[j].end;
				hasd = 1;
				j++;
			}
			if (o == 1 || o == 2) {
				if (!hasi)
					is = q[i].start;
				ie = q[i].end;
				hasi = 1;
				i++;
			}
		}
		if (hasd)
			rc = push_span(dp, ndiff, TD_DIFF_DELETE, ds, de, ds);
		if (rc == 0 && hasi)
			rc = push_span(dp, ndiff, TD_DIFF_INSERT, is, ie, hasd ? de : at);
		if (rc < 0)
			break;
	}
	free(op);
	return rc;
}

void td__dp_free(td__dp *dp)
{
	if (!dp)
		return;
	free(dp->d);
	free(dp->q);
	free(dp->s);
	free(dp->diff);
	memset(dp, 0, sizeof(*dp));
}

static int bag_cmp(const void *a, const void *b)
{
	unsigned long long x = ((const td__bagent *)a)->h, y = ((const td__bagent *)b)->h;

	return (x > y) - (x < y);
}

void td__bag(td__bagent *out, const td__mtok *t, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		out[i].h = t[i].norm;
		out[i].w = t[i].w;
	}
	qsort(out, n, sizeof(*out), bag_cmp);
}

double td__bag_common(const td__bagent *a, size_t na, const td__bagent *b, size_t nb)
{
	size_t i = 0, j = 0;
	double c = 0;

	while (i < na && j < nb) {
		if (a[i].h < b[j].h) {
			i++;
		} else if (a[i].h > b[j].h) {
			j++;
		} else {
			c += a[i].w;
			i++;
			j++;
		}
	}
	return c;
}

/* ---- fingerprints (model in memory/index.h) ---- */

static int u16_cmp(const void *a, const void *b)
{
	unsigned x = *(const unsigned short *)a, y = *(const unsigned short *)b;

	return (x > y) - (x < y);
}

/* 16 bits of a form's hash (mixed first: FNV-1a's high bits alone vary little), low bit = number. */
static unsigned short sig_value(const td__mtok *t)
{
	unsigned long long h = t->norm;

	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	return (unsigned short)(((h >> 48) & 0xfffeu) | (t->w == kind_weight[TD_TOK_NUMBER]));
}

int td__sig_make(td__sig *sig, const td__mtok *t, size_t n)
{
	size_t i;
	int rc = td_grow((void **)&sig->v, &sig->cap, n ? n : 1, sizeof(*sig->v));

	if (rc < 0)
		return rc;
	sig->n = 0;
	sig->npunct = 0;
	sig->w = 0;
	for (i = 0; i < n; i++) {
		sig->w += t[i].w;
		if (t[i].w == kind_weight[TD_TOK_PUNCT])
			sig->npunct++;
		else
			sig->v[sig->n++] = sig_value(&t[i]);
	}
	qsort(sig->v, sig->n, sizeof(*sig->v), u16_cmp);
	return 0;
}

int td__sig_blob(unsigned char **buf, size_t *cap, size_t *len, const td__sig *sig)
{
	size_t i;
	unsigned char *b;
	int rc = td_grow((void **)buf, cap, 4 + 2 * sig->n, 1);

	if (rc < 0)
		return rc;
	b = *buf;
	for (i = 0; i < 4; i++)
		b[i] = (unsigned char)(sig->npunct >> (8 * i));
	for (i = 0; i < sig->n; i++) {
		b[4 + 2 * i] = (unsigned char)(sig->v[i] & 0xff);
		b[5 + 2 * i] = (unsigned char)(sig->v[i] >> 8);
	}
	*len = 4 + 2 * sig->n;
	return 0;
}

double td__sig_bound(const td__sig *q, const unsigned char *s, size_t slen)
{
	size_t ns, i = 0, j;
	unsigned long sp;
	double ws, wc = 0, l;

	if (!s || slen < 4 || (slen - 4) % 2)
		return 100.0;
	sp = (unsigned long)s[0] | (unsigned long)s[1] << 8 | (unsigned long)s[2] << 16 |
		(unsigned long)s[3] << 24;
	ns = (slen - 4) / 2;
	ws = kind_weight[TD_TOK_PUNCT] * (double)sp;
	wc = kind_weight[TD_TOK_PUNCT] * (double)(sp < q->npunct ? sp : q->npunct);
	for (j = 0; j < ns; j++) {
		unsigned v = (unsigned)s[4 + 2 * j] | (unsigned)s[5 + 2 * j] << 8;
		double w = (v & 1) ? kind_weight[TD_TOK_NUMBER] : kind_weight[TD_TOK_WORD];
		ws += w;
		while (i < q->n && q->v[i] < v)
			i++;
		if (i < q->n && q->v[i] == v) {
			wc += w;
			i++;
		}
	}
	l = q->w > ws ? q->w : ws;
	return l > 0 ? 100.0 * wc / l : 100.0;
}

void td__sig_free(td__sig *sig)
{
	if (!sig)
		return;
	free(sig->v);
	memset(sig, 0, sizeof(*sig));
}

/* ---- public API ---- */

struct td_matcher {
	td__tok tok;
	td_tokenizer *toks;       /* tok's */
	td__dp dp;
};

int td_matcher_new(td_matcher **out, const char *lang)
{
	td_matcher *m;
	int rc;

	*out = NULL;
	m = calloc(1, sizeof(*m));
	if (!m)
		return td_error_set(TD_ENOMEM, "matcher: out of memory");
	rc = td__tok_get(&m->toks, &m->tok, lang);
	if (rc < 0) {
		free(m);
		return rc;
	}
	*out = m;
	return 0;
}

void td_matcher_free(td_matcher *m)
{
	if (!m)
		return;
	td__tok_free(&m->tok);
	td__dp_free(&m->dp);
	free(m);
}

int td_match(td_match_result *out, td_matcher *m, const char *query, size_t qlen,
	const char *source, size_t slen)
{
	const td_token *t;
	size_t n, nq, ns;
	double wq, ws;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = td_tokenizer_run(&t, &n, m->toks, query, qlen);
	if (rc == 0)
		rc = td__mtoks(&m->dp.q, &m->dp.qcap, &wq, t, n);
	nq = n;
	if (rc == 0)
		rc = td_tokenizer_run(&t, &n, m->toks, source, slen);
	if (rc == 0)
		rc = td__mtoks(&m->dp.s, &m->dp.scap, &ws, t, n);
	ns = n;
	if (rc < 0)
		return rc;
	if ((nq + 1) > DIFF_CELLS_MAX / (ns + 1))
		return td_error_set(TD_ELIMIT, "match of %zu by %zu tokens is too large", nq, ns);
	out->score = td__match_score(&m->dp, m->dp.q, nq, wq, query, m->dp.s, ns, ws, source,
		0, &out->charsim);
	if (out->score < 0)
		return td_error_set(TD_ENOMEM, "matcher: out of memory");
	rc = td__match_diff(&m->dp, &out->ndiff, m->dp.q, nq, query, m->dp.s, ns, source);
	if (rc == 0 && out->ndiff) {
		/* The answer is the caller's: the matcher's diff buffer serves the next call. */
		out->diff = malloc(out->ndiff * sizeof(*out->diff));
		if (!out->diff) {
			out->ndiff = 0;
			return td_error_set(TD_ENOMEM, "matcher: out of memory");
		}
		memcpy(out->diff, m->dp.diff, out->ndiff * sizeof(*out->diff));
	} else
		out->ndiff = 0;
	return rc;
}

void td_match_result_free(td_match_result *r)
{
	if (!r)
		return;
	free(r->diff);
	r->diff = NULL;
	r->ndiff = 0;
}
