/*
 * Finding the document pairs of a batch: a directory of NAME.SRC + NAME.TGT
 * files, or a LIST file of "source<TAB>target[<TAB>name]" lines.
 *
 * Both build the whole list of paths up front (a few hundred bytes per pair);
 * the documents themselves are read only when a worker needs them.
 */
#include "tandem/batch.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <nettle/sha2.h>

#include "base/buf.h"

typedef struct {
	char *file;   /* the directory entry's name */
	size_t base;  /* length of NAME (file without ".EXT") */
	int side;     /* 0 source, 1 target */
} dir_entry;


static char *join_path(const char *dir, const char *file)
{
	size_t a = strlen(dir), b = strlen(file);
	char *p = malloc(a + b + 2);

	if (!p)
		return NULL;
	memcpy(p, dir, a);
	p[a] = '/';
	memcpy(p + a + 1, file, b + 1);
	if (a && dir[a - 1] == '/')
		memmove(p + a, p + a + 1, b + 1);
	return p;
}

void td_batch_pairs_free(td_batch_pairs *pairs)
{
	size_t i;

	if (!pairs)
		return;
	for (i = 0; i < pairs->n; i++) {
		free(pairs->v[i].name);
		free(pairs->v[i].src);
		free(pairs->v[i].tgt);
	}
	for (i = 0; i < pairs->nunmatched; i++)
		free(pairs->unmatched[i]);
	free(pairs->v);
	free(pairs->unmatched);
	free(pairs);
}

/* Order by NAME, then source before target. */
static int entry_cmp(const void *a, const void *b)
{
	const dir_entry *x = a, *y = b;
	size_t n = x->base < y->base ? x->base : y->base;
	int c = memcmp(x->file, y->file, n);

	if (c)
		return c;
	if (x->base != y->base)
		return x->base < y->base ? -1 : 1;
	return x->side - y->side;
}

/* Whether `file` ends in ".EXT" with a non-empty name before it; sets *base. */
static int has_ext(const char *file, const char *ext, size_t *base)
{
	size_t f = strlen(file), e = strlen(ext);

	if (f < e + 2 || file[f - e - 1] != '.' || strcmp(file + f - e, ext) != 0)
		return 0;
	*base = f - e - 1;
	return 1;
}

static int is_regular(const char *dir, const char *file)
{
	char *path = join_path(dir, file);
	struct stat st;
	int ok;

	if (!path)
		return 0;
	ok = stat(path, &st) == 0 && S_ISREG(st.st_mode);
	free(path);
	return ok;
}

static int add_unmatched(td_batch_pairs *p, size_t *cap, const char *dir, const char *file)
{
	int rc = td_grow((void **)&p->unmatched, cap, p->nunmatched + 1, sizeof(char *));

	if (rc)
		return rc;
	if (!(p->unmatched[p->nunmatched] = join_path(dir, file)))
		return td_error_set(TD_ENOMEM, "batch: out of memory");
	p->nunmatched++;
	return 0;
}

static int add_pair(td_batch_pairs *p, size_t *cap, const char *dir, const dir_entry *s,
	const dir_entry *t)
{
	td_batch_pair *pr;
	int rc = td_grow((void **)&p->v, cap, p->n + 1, sizeof(*p->v));

	if (rc)
		return rc;
	pr = &p->v[p->n];
	pr->name = strndup(s->file, s->base);
	pr->src = join_path(dir, s->file);
	pr->tgt = join_path(dir, t->file);
	pr->line = 0;
	p->n++;
	if (!pr->name || !pr->src || !pr->tgt)
		return td_error_set(TD_ENOMEM, "batch: out of memory");
	return 0;
}

int td_batch_pairs_dir(td_batch_pairs **out, const char *dir, const char *src_ext,
	const char *tgt_ext)
{
	td_batch_pairs *p = NULL;
	dir_entry *ents = NULL;
	size_t n = 0, cap = 0, pcap = 0, ucap = 0, i;
	DIR *d = NULL;
	struct dirent *de;
	int rc = 0;

	*out = NULL;
	if (!src_ext || !tgt_ext || !*src_ext || !*tgt_ext || strcmp(src_ext, tgt_ext) == 0)
		return td_error_set(TD_EINVAL, "%s: the source and target extensions must differ", dir);
	if (!(d = opendir(dir)))
		return td_error_set(TD_EIO, "%s: %s", dir, strerror(errno));
	if (!(p = calloc(1, sizeof(*p)))) {
		rc = td_error_set(TD_ENOMEM, "batch: out of memory");
		goto cleanup;
	}
	errno = 0;
	while ((de = readdir(d)) != NULL) {
		size_t base;
		int side;

		if (has_ext(de->d_name, src_ext, &base))
			side = 0;
		else if (has_ext(de->d_name, tgt_ext, &base))
			side = 1;
		else
			continue;
		if (!is_regular(dir, de->d_name))
			continue;
		if ((rc = td_grow((void **)&ents, &cap, n + 1, sizeof(*ents))) < 0)
			goto cleanup;
		if (!(ents[n].file = strdup(de->d_name))) {
			rc = td_error_set(TD_ENOMEM, "batch: out of memory");
			goto cleanup;
		}
		ents[n].base = base;
		ents[n].side = side;
		n++;
	}
	if (errno) {
		rc = td_error_set(TD_EIO, "%s: %s", dir, strerror(errno));
		goto cleanup;
	}
	if (n > 1)
		qsort(ents, n, sizeof(*ents), entry_cmp);
	for (i = 0; i < n; i++) {
		int paired = i + 1 < n && ents[i].side == 0 && ents[i + 1].side == 1 &&
			ents[i].base == ents[i + 1].base &&
			memcmp(ents[i].file, ents[i + 1].file, ents[i].base) == 0;

		if (paired) {
			rc = add_pair(p, &pcap, dir, &ents[i], &ents[i + 1]);
			i++;
		} else {
			rc = add_unmatched(p, &ucap, dir, ents[i].file);
		}
		if (rc < 0)
			goto cleanup;
	}
	*out = p;
	p = NULL;
cleanup:
	for (i = 0; i < n; i++)
		free(ents[i].file);
	free(ents);
	td_batch_pairs_free(p);
	if (d)
		closedir(d);
	return rc;
}

/* The name a LIST line gets without a third column: base name minus last extension. */
static char *name_from_path(const char *path)
{
	const char *base = strrchr(path, '/');
	const char *dot;

	base = base ? base + 1 : path;
	dot = strrchr(base, '.');
	return strndup(base, dot && dot != base ? (size_t)(dot - base) : strlen(base));
}

static int plain_name(const char *name)
{
	return *name && !strchr(name, '/') && strcmp(name, ".") != 0 && strcmp(name, "..") != 0;
}

static int pair_by_name(const void *a, const void *b)
{
	const td_batch_pair *x = *(const td_batch_pair *const *)a;
	const td_batch_pair *y = *(const td_batch_pair *const *)b;
	int c = strcmp(x->name, y->name);

	return c ? c : (x->line < y->line ? -1 : x->line > y->line);
}

/* Two lines with the same name would write the same output file. */
static int check_unique(const td_batch_pairs *p, const char *list_path)
{
	const td_batch_pair **by = malloc((p->n ? p->n : 1) * sizeof(*by));
	size_t i;
	int rc = 0;

	if (!by)
		return td_error_set(TD_ENOMEM, "batch: out of memory");
	for (i = 0; i < p->n; i++)
		by[i] = &p->v[i];
	qsort(by, p->n, sizeof(*by), pair_by_name);
	for (i = 1; i < p->n && !rc; i++)
		if (strcmp(by[i - 1]->name, by[i]->name) == 0)
			rc = td_error_set(TD_EFORMAT,
				"%s: line %zu: name '%s' is already used on line %zu (give a third column)",
				list_path, by[i]->line, by[i]->name, by[i - 1]->line);
	free(by);
	return rc;
}

static int parse_line(td_batch_pairs *p, size_t *cap, char *s, size_t lineno, const char *list_path)
{
	char *field[3] = { NULL, NULL, NULL };
	size_t nf = 0;
	char *t = s;
	td_batch_pair *pr;
	int rc;

	for (;;) {
		char *tab = strchr(t, '\t');

		if (nf < 3)
			field[nf] = t;
		nf++;
		if (!tab)
			break;
		*tab = '\0';
		t = tab + 1;
	}
	if (nf < 2 || nf > 3)
		return td_error_set(TD_EFORMAT,
			"%s: line %zu: expected source<TAB>target[<TAB>name], found %zu field%s",
			list_path, lineno, nf, nf == 1 ? "" : "s");
	if (!*field[0] || !*field[1] || (nf == 3 && !*field[2]))
		return td_error_set(TD_EFORMAT, "%s: line %zu: empty field", list_path, lineno);
	if (nf == 3 && !plain_name(field[2]))
		return td_error_set(TD_EFORMAT, "%s: line %zu: name '%s' is not a plain file name",
			list_path, lineno, field[2]);
	if ((rc = td_grow((void **)&p->v, cap, p->n + 1, sizeof(*p->v))) < 0)
		return rc;
	pr = &p->v[p->n++];
	pr->src = strdup(field[0]);
	pr->tgt = strdup(field[1]);
	pr->name = nf == 3 ? strdup(field[2]) : name_from_path(field[0]);
	pr->line = lineno;
	if (!pr->src || !pr->tgt || !pr->name)
		return td_error_set(TD_ENOMEM, "batch: out of memory");
	if (!plain_name(pr->name))
		return td_error_set(TD_EFORMAT, "%s: line %zu: no usable name in '%s' (give a third column)",
			list_path, lineno, field[0]);
	return 0;
}

int td_batch_pairs_list(td_batch_pairs **out, const char *list_path)
{
	td_batch_pairs *p = NULL;
	FILE *f = NULL;
	char *line = NULL;
	size_t linecap = 0, cap = 0, lineno = 0;
	ssize_t len;
	int rc = 0;

	*out = NULL;
	if (!(f = fopen(list_path, "r")))
		return td_error_set(TD_EIO, "%s: %s", list_path, strerror(errno));
	if (!(p = calloc(1, sizeof(*p)))) {
		rc = td_error_set(TD_ENOMEM, "batch: out of memory");
		goto cleanup;
	}
	while ((len = getline(&line, &linecap, f)) >= 0) {
		lineno++;
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if ((size_t)len != strlen(line)) {
			rc = td_error_set(TD_EFORMAT, "%s: line %zu: NUL byte in a path", list_path, lineno);
			goto cleanup;
		}
		if (len == 0 || line[0] == '#')
			continue;
		if ((rc = parse_line(p, &cap, line, lineno, list_path)) < 0)
			goto cleanup;
	}
	if (ferror(f)) {
		rc = td_error_set(TD_EIO, "%s: %s", list_path, strerror(errno));
		goto cleanup;
	}
	if ((rc = check_unique(p, list_path)) < 0)
		goto cleanup;
	*out = p;
	p = NULL;
cleanup:
	free(line);
	td_batch_pairs_free(p);
	if (f)
		fclose(f);
	return rc;
}

unsigned td_batch_shard_of(const char *name, unsigned nshards)
{
	struct sha256_ctx ctx;
	uint8_t d[SHA256_DIGEST_SIZE];
	uint64_t v = 0;
	int i;

	if (nshards <= 1)
		return 0;
	sha256_init(&ctx);
	sha256_update(&ctx, strlen(name), (const uint8_t *)name);
	sha256_digest(&ctx, sizeof(d), d);
	for (i = 0; i < 8; i++)
		v = v << 8 | d[i];
	return (unsigned)(v % nshards);
}

/* The NAME an unmatched path would have: its base name without the extension. */
static unsigned unmatched_shard(const char *path, unsigned n)
{
	const char *base = strrchr(path, '/'), *dot;
	char *name;
	unsigned s;

	base = base ? base + 1 : path;
	dot = strrchr(base, '.');
	if (!(name = strndup(base, dot && dot != base ? (size_t)(dot - base) : strlen(base))))
		return 0;
	s = td_batch_shard_of(name, n);
	free(name);
	return s;
}

int td_batch_pairs_shard(td_batch_pairs *pairs, unsigned k, unsigned n)
{
	size_t i, kept = 0;

	if (!pairs || n < 1 || k >= n)
		return td_error_set(TD_EINVAL, "shard %u/%u: want K/N with 0 <= K < N", k, n);
	for (i = 0; i < pairs->n; i++) {
		if (td_batch_shard_of(pairs->v[i].name, n) == k) {
			pairs->v[kept++] = pairs->v[i];
		} else {
			free(pairs->v[i].name);
			free(pairs->v[i].src);
			free(pairs->v[i].tgt);
		}
	}
	pairs->n = kept;
	for (i = kept = 0; i < pairs->nunmatched; i++) {
		if (unmatched_shard(pairs->unmatched[i], n) == k)
			pairs->unmatched[kept++] = pairs->unmatched[i];
		else
			free(pairs->unmatched[i]);
	}
	pairs->nunmatched = kept;
	return 0;
}
