/*
 * The lexicon: finding a dictionary, loading it (the file formats are read
 * in lexicon_read.c, the stem table built in lexicon_build.c), lookups and
 * German compound splitting.
 */
#include "lexicon_int.h"
#include "tandem/lang.h"
#include "base/buf.h"
#include "base/opts.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

/* Every loaded lexicon gets its own number: a thread's memo (below) tells them apart by it. */
static atomic_uint_fast64_t generations;


/* ---------- finding the dictionary ---------- */

static const struct { const char *iso1, *iso3; } iso_map[] = {
	{ "af", "afr" }, { "ar", "ara" }, { "bg", "bul" }, { "br", "bre" }, { "ca", "cat" },
	{ "cs", "ces" }, { "cy", "cym" }, { "da", "dan" }, { "de", "deu" }, { "el", "ell" },
	{ "en", "eng" }, { "eo", "epo" }, { "es", "spa" }, { "et", "est" }, { "fi", "fin" },
	{ "fr", "fra" }, { "ga", "gle" }, { "gd", "gla" }, { "he", "heb" }, { "hi", "hin" },
	{ "hr", "hrv" }, { "hu", "hun" }, { "is", "isl" }, { "it", "ita" }, { "ja", "jpn" },
	{ "ko", "kor" }, { "la", "lat" }, { "lt", "lit" }, { "lv", "lav" }, { "nb", "nob" },
	{ "nl", "nld" }, { "nn", "nno" }, { "no", "nor" }, { "pl", "pol" }, { "pt", "por" },
	{ "ro", "ron" }, { "ru", "rus" }, { "sk", "slk" }, { "sl", "slv" }, { "sq", "sqi" },
	{ "sr", "srp" }, { "sv", "swe" }, { "sw", "swh" }, { "th", "tha" }, { "tr", "tur" },
	{ "uk", "ukr" }, { "zh", "zho" },
};

/* ISO 639-3 name of a 639-1 subtag; the subtag itself when unknown. */
static const char *iso3(const char *lang)
{
	for (size_t i = 0; i < sizeof(iso_map) / sizeof(iso_map[0]); i++)
		if (!strcmp(iso_map[i].iso1, lang) || !strcmp(iso_map[i].iso3, lang))
			return iso_map[i].iso3;
	return lang;
}

static bool is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The lower-case language subtag of a tag ("de_CH" -> "de") into out. */
static int lang_base(char *out, size_t outlen, const char *lang, const char *what)
{
	if (!lang || !*lang)
		return td_error_set(TD_EINVAL, "lexicon: no %s language", what);
	if (td_lang_primary(out, outlen, lang) == 0)
		return td_error_set(TD_EINVAL, "lexicon: bad %s language '%s'", what, lang);
	return 0;
}

typedef struct {
	char path[4096];
	td_lex_format format;
	bool reverse;
} found_dict;

static int find_dict(found_dict *f, const char *src, const char *tgt, const td_lexicon_opts *o)
{
	const char *tdir = o->trans_dir ? o->trans_dir : "/usr/share/trans";
	const char *ddir = o->dictd_dir ? o->dictd_dir : "/usr/share/dictd";
	char looked[4 * 4096 + 64];
	size_t lo = 0;
	struct { const char *dir, *fmt, *a, *b; td_lex_format format; bool reverse; } cand[] = {
		{ tdir, "%s/%s-%s", src, tgt, TD_LEX_DING, false },
		{ tdir, "%s/%s-%s", tgt, src, TD_LEX_DING, true },
		{ ddir, "%s/freedict-%s-%s.index", iso3(src), iso3(tgt), TD_LEX_FREEDICT, false },
		{ ddir, "%s/freedict-%s-%s.index", iso3(tgt), iso3(src), TD_LEX_FREEDICT, true },
	};

	looked[0] = '\0';
	for (size_t i = 0; i < sizeof(cand) / sizeof(cand[0]); i++) {
		snprintf(f->path, sizeof(f->path), cand[i].fmt, cand[i].dir, cand[i].a, cand[i].b);
		if (is_file(f->path)) {
			f->format = cand[i].format;
			f->reverse = cand[i].reverse;
			return 0;
		}
		lo += (size_t)snprintf(looked + lo, sizeof(looked) - lo, "%s%s", i ? ", " : "", f->path);
		if (lo >= sizeof(looked))
			lo = sizeof(looked) - 1;
	}
	return td_error_set(TD_ENOTFOUND,
			    "no %s-%s dictionary installed (looked for %s); install trans-de-en or "
			    "dict-freedict-%s-%s, or give a TSV file", src, tgt, looked, iso3(src), iso3(tgt));
}

/* Does the file name say it runs tgt -> src ("freedict-eng-deu.index", "en-de")? */
static bool name_is_reversed(const char *path, const char *src, const char *tgt)
{
	const char *base = strrchr(path, '/');
	char a[16], b[16];
	base = base ? base + 1 : path;
	if (!strncmp(base, "freedict-", 9))
		base += 9;
	if (sscanf(base, "%15[a-z]-%15[a-z]", a, b) != 2)
		return false;
	bool a_tgt = !strcmp(a, tgt) || !strcmp(a, iso3(tgt));
	bool b_src = !strcmp(b, src) || !strcmp(b, iso3(src));
	bool a_src = !strcmp(a, src) || !strcmp(a, iso3(src));
	return a_tgt && b_src && !a_src;
}

static bool ends_with(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);
	return n >= m && !strcmp(s + n - m, suf);
}

/* Ding when one of the first lines that are not comments has " :: ". */
static int sniff_format(td_lex_format *out, const char *path)
{
	FILE *f = fopen(path, "rb");
	char line[4096];
	int lines = 0;

	if (!f)
		return td_error_set(TD_EIO, "%s: cannot open: %s", path, strerror(errno));
	*out = TD_LEX_TSV;
	while (lines < 20 && fgets(line, sizeof(line), f)) {
		if (line[0] == '#' || line[0] == '\n')
			continue;
		lines++;
		if (strstr(line, " :: ")) {
			*out = TD_LEX_DING;
			break;
		}
	}
	fclose(f);
	return 0;
}

/* ---------- load ---------- */

int td_lexicon_load(td_lexicon **out, const char *path, const char *src_lang, const char *tgt_lang)
{
	td_lexicon_opts o = TD_LEXICON_OPTS_INIT;
	o.path = path;
	o.src_lang = src_lang;
	o.tgt_lang = tgt_lang;
	return td_lexicon_load_opts(out, &o);
}

int td_lexicon_load_opts(td_lexicon **out, const td_lexicon_opts *opts)
{
	td_lexicon *lx = NULL;
	td_lexbuild b = { 0 };
	found_dict f = { .format = TD_LEX_AUTO };
	char other[4096], cache_path[4096];
	uint32_t *tid = NULL;
	uint64_t key = 0;
	bool cached;
	int rc;

	*out = NULL;
	if ((rc = td_opts_version(opts->version, TD_LEXICON_OPTS_VERSION, "lexicon")) < 0)
		return rc;
	lx = calloc(1, sizeof(*lx));
	if (!lx)
		return td_error_set(TD_ENOMEM, "lexicon: out of memory");
	td_arena_init(&lx->memo_arena, 16384);
	rc = lang_base(lx->src_lang, sizeof(lx->src_lang), opts->src_lang, "source");
	if (rc < 0)
		goto cleanup;
	rc = lang_base(lx->tgt_lang, sizeof(lx->tgt_lang), opts->tgt_lang, "target");
	if (rc < 0)
		goto cleanup;

	if (!opts->path) {
		rc = find_dict(&f, lx->src_lang, lx->tgt_lang, opts);
		if (rc < 0)
			goto cleanup;
	} else {
		if (strlen(opts->path) >= sizeof(f.path)) {
			rc = td_error_set(TD_EINVAL, "lexicon: path too long");
			goto cleanup;
		}
		strcpy(f.path, opts->path);
		f.format = opts->format;
		if (f.format == TD_LEX_AUTO) {
			if (ends_with(f.path, ".index") || ends_with(f.path, ".dict.dz") || ends_with(f.path, ".dict"))
				f.format = TD_LEX_FREEDICT;
			else if ((rc = sniff_format(&f.format, f.path)) < 0)
				goto cleanup;
		}
		f.reverse = opts->reverse < 0 ? name_is_reversed(f.path, lx->src_lang, lx->tgt_lang)
					      : opts->reverse > 0;
	}
	if (f.format == TD_LEX_FREEDICT && !ends_with(f.path, ".index")) {
		/* Given the .dict.dz (or .dict): the index is beside it. */
		size_t n = strlen(f.path);
		if (ends_with(f.path, ".dict.dz"))
			n -= 8;
		else if (ends_with(f.path, ".dict"))
			n -= 5;
		if (n + 7 > sizeof(f.path)) {
			rc = td_error_set(TD_EINVAL, "lexicon: path too long");
			goto cleanup;
		}
		memcpy(f.path + n, ".index", 7);
	}
	lx->path = strdup(f.path);
	if (!lx->path) {
		rc = td_error_set(TD_ENOMEM, "lexicon: out of memory");
		goto cleanup;
	}

	if ((rc = td_strtab_init(&lx->src, 1 << 16)) < 0 || (rc = td_strtab_init(&lx->tgt, 1 << 16)) < 0)
		goto cleanup;
	if (f.format == TD_LEX_FREEDICT) {
		size_t n = strlen(lx->path) - 6;
		snprintf(other, sizeof(other), "%.*s.dict.dz", (int)n, lx->path);
		if (!is_file(other))
			snprintf(other, sizeof(other), "%.*s.dict", (int)n, lx->path);
	}
	cached = td_lexcache_key(&key, cache_path, sizeof(cache_path), opts->cache_dir, lx, f.format,
				 f.reverse, f.format == TD_LEX_FREEDICT ? other : NULL);
	if (cached && (rc = td_lexcache_read(lx, cache_path, key)) != 1) {
		if (rc < 0)
			goto cleanup;
		goto loaded;
	}
	b.lx = lx;
	b.reverse = f.reverse;
	b.path = lx->path;
	rc = td_tokenizer_new(&b.left, f.reverse ? lx->tgt_lang : lx->src_lang);
	if (rc < 0)
		goto cleanup;
	rc = td_tokenizer_new(&b.right, f.reverse ? lx->src_lang : lx->tgt_lang);
	if (rc < 0)
		goto cleanup;

	switch (f.format) {
	case TD_LEX_DING:
		rc = td_lexread_ding(&b, lx->path);
		break;
	case TD_LEX_TSV:
		rc = td_lexread_tsv(&b, lx->path);
		break;
	case TD_LEX_FREEDICT:
		rc = td_lexread_freedict(&b, lx->path, other);
		break;
	default:
		rc = td_error_set(TD_EINVAL, "lexicon: unknown format %d", (int)f.format);
	}
	if (rc < 0)
		goto cleanup;
	rc = td_lexbuild_freeze(lx, &tid);
	if (rc < 0)
		goto cleanup;
	if (cached)
		td_lexcache_write(lx, tid, cache_path, key);  /* best effort */
	rc = td_lexbuild_point(lx, tid, lx->tgt.str);
	if (rc < 0)
		goto cleanup;
loaded:
	lx->gen = atomic_fetch_add(&generations, 1) + 1;

	lx->decompound = opts->decompound && !strcmp(lx->src_lang, "de");
	if (lx->decompound) {
		if ((rc = td_strtab_init(&lx->memo, 1024)) < 0)
			goto cleanup;
		if (pthread_mutex_init(&lx->memo_mu, NULL) != 0) {
			rc = td_error_set(TD_ENOMEM, "lexicon: cannot create a mutex");
			goto cleanup;
		}
		lx->memo_mu_init = true;
		/* A source-language tokenizer stems modifier pieces in lookups. */
		if ((rc = td_tokenizer_new(&lx->memo_tk, lx->src_lang)) < 0)
			goto cleanup;
	}
	*out = lx;
	lx = NULL;
cleanup:
	free(tid);
	td_tokenizer_free(b.left);
	td_tokenizer_free(b.right);
	td_lexicon_free(lx);
	return rc;
}

void td_lexicon_free(td_lexicon *lx)
{
	if (!lx)
		return;
	free(lx->path);
	td_strtab_free(&lx->src);
	td_strtab_free(&lx->tgt);
	free(lx->off);
	free(lx->nstrong);
	free(lx->tgts);
	free(lx->pairs);
	td_lexcache_unmap(lx);
	if (lx->memo_mu_init)
		pthread_mutex_destroy(&lx->memo_mu);
	td_tokenizer_free(lx->memo_tk);
	if (lx->memo.slot)
		td_strtab_free(&lx->memo);
	free(lx->memo_res);
	free(lx->memo_n);
	td_arena_free(&lx->memo_arena);
	free(lx);
}

/* ---------- lookup ---------- */

static size_t direct(td_lexicon *lx, const char *stem, size_t len, const char *const **out,
		     size_t *nstrong)
{
	if (lx->map) {
		int64_t i = td_lexcache_find(lx, stem, len);
		return i < 0 ? 0 : td_lexcache_targets(lx, (size_t)i, out, nstrong);
	}
	int64_t id = td_strtab_find(&lx->src, stem, len);
	if (id < 0 || lx->off[id] == lx->off[id + 1])
		return 0;
	*out = lx->tgts + lx->off[id];
	*nstrong = lx->nstrong[id];
	return lx->off[id + 1] - lx->off[id];
}

/* Collected translations of the parts of a compound (pointers into the table). */
typedef struct {
	const char *v[256];
	bool strong[256];
	size_t n;
} tgt_set;

static void set_add(tgt_set *s, const char *const *v, size_t n, size_t nstrong)
{
	for (size_t i = 0; i < n; i++) {
		size_t j;
		for (j = 0; j < s->n && s->v[j] != v[i]; j++)
			;
		if (j == s->n) {
			if (s->n == sizeof(s->v) / sizeof(s->v[0]))
				continue;
			s->v[s->n] = v[i];
			s->strong[s->n++] = false;
		}
		s->strong[j] |= i < nstrong;
	}
}

static void set_union(tgt_set *s, const tgt_set *t)
{
	for (size_t i = 0; i < t->n; i++)
		set_add(s, &t->v[i], 1, t->strong[i]);
}

#define MIN_MODIFIER 3
#define MIN_HEAD 3
#define MIN_LONE_HEAD 5  /* bytes of a head that counts without a known modifier */

static bool split_compound(td_lexicon *lx, const char *s, size_t len, int depth, tgt_set *acc);

/*
 * A modifier piece: itself, without a linking element (Fugen-s and kin), or
 * stemmed; failing those, each of them split again. Adds what it finds to acc.
 */
static bool modifier(td_lexicon *lx, const char *m, size_t len, int depth, tgt_set *acc)
{
	static const char *const links[] = { "", "s", "es", "n", "en", "e", "er" };
	const char *cand[2 * sizeof(links) / sizeof(links[0])];
	size_t clen[sizeof(cand) / sizeof(cand[0])], nc = 0;
	const char *const *v;
	size_t n, ns;

	for (size_t k = 0; k < sizeof(links) / sizeof(links[0]); k++) {
		size_t ll = strlen(links[k]);
		if (len < ll + MIN_MODIFIER || memcmp(m + len - ll, links[k], ll))
			continue;
		size_t pl = len - ll;
		cand[nc] = m;
		clen[nc++] = pl;
		const char *st = lx->memo_tk ? td_tokenizer_stem(lx->memo_tk, m, pl) : NULL;
		if (st && (strlen(st) != pl || memcmp(st, m, pl))) {
			cand[nc] = st;
			clen[nc++] = strlen(st);
		}
	}
	for (size_t c = 0; c < nc; c++)
		if ((n = direct(lx, cand[c], clen[c], &v, &ns)) > 0) {
			set_add(acc, v, n, ns);
			return true;
		}
	if (depth >= 2)
		return false;
	for (size_t c = 0; c < nc; c++)
		if (split_compound(lx, cand[c], clen[c], depth + 1, acc))
			return true;
	return false;
}

/* The longest known head of s, then its modifier; true when the head is found. */
static bool split_compound(td_lexicon *lx, const char *s, size_t len, int depth, tgt_set *acc)
{
	const char *const *v;
	size_t n, ns;

	for (size_t i = MIN_MODIFIER; i + MIN_HEAD <= len; i++) {
		if ((s[i] & 0xC0) == 0x80)
			continue;  /* not at a UTF-8 character start */
		if ((n = direct(lx, s + i, len - i, &v, &ns)) == 0)
			continue;
		tgt_set mod = { .n = 0 };
		bool have_mod = modifier(lx, s, i, depth, &mod);
		if (len - i < MIN_LONE_HEAD && !have_mod)
			continue;  /* a short head alone is weak: "Stoltenberg" is no "berg" */
		set_add(acc, v, n, ns);
		set_union(acc, &mod);
		return true;
	}
	return false;
}

/* Split src_stem (under memo_mu) and remember the answer: strong targets first. */
static size_t split_memo(td_lexicon *lx, const char *src_stem, size_t len, const char *const **out,
			 size_t *nstrong)
{
	tgt_set acc = { .n = 0 };
	const td_token *t;
	size_t nt, k = 0;
	uint32_t id;

	td_tokenizer_run(&t, &nt, lx->memo_tk, "", 0);  /* rewinds its arena */
	split_compound(lx, src_stem, len, 0, &acc);
	if (td_strtab_intern(&lx->memo, &id, src_stem, len) < 0)
		return 0;  /* out of memory: no answer rather than one that dangles */
	if (td_grow((void **)&lx->memo_res, &lx->memo_rescap, (size_t)id + 1, sizeof(*lx->memo_res)) < 0 ||
	    td_grow((void **)&lx->memo_n, &lx->memo_ncap, 2 * ((size_t)id + 1), sizeof(*lx->memo_n)) < 0)
		return 0;
	const char **res = NULL;
	if (acc.n && !(res = td_arena_alloc(&lx->memo_arena, acc.n * sizeof(*res))))
		acc.n = 0;
	for (int pass = 1; pass >= 0; pass--)
		for (size_t i = 0; i < acc.n; i++)
			if (acc.strong[i] == (pass == 1))
				res[k++] = acc.v[i];
	size_t ns = 0;
	for (size_t i = 0; i < acc.n; i++)
		ns += acc.strong[i];
	lx->memo_res[id] = res;
	lx->memo_n[2 * id] = (uint32_t)acc.n;
	lx->memo_n[2 * id + 1] = (uint32_t)ns;
	*out = res;
	*nstrong = ns;
	return acc.n;
}

/*
 * A thread's memo of its recent lookups, in front of the table: a batch looks
 * up the same few thousand stems millions of times, and each lookup in the
 * 10 MB mapped table (or the compound memo, behind a mutex) costs a few
 * cache and TLB misses, where a hit here costs a hash and one compare. Direct
 * mapped, stems up to FRONT_STEM bytes; an entry holds the answer (pointers
 * that live as long as the lexicon) and the generation of the lexicon it came
 * from, so a lexicon freed and another loaded at the same address never
 * answers from the old one's entries. Freed when the thread exits.
 */
#define FRONT_SLOTS 8192
#define FRONT_STEM 22

typedef struct {
	uint64_t gen;                /* 0: empty */
	const char *const *v;
	uint32_t n, ns;
	unsigned char len;
	char stem[FRONT_STEM];
} front_ent;

static _Thread_local front_ent *front;
static pthread_key_t front_key;
static pthread_once_t front_once = PTHREAD_ONCE_INIT;
static bool front_key_ok;

static void front_free(void *p)
{
	free(p);
	front = NULL;
}

static void front_init(void)
{
	front_key_ok = pthread_key_create(&front_key, front_free) == 0;
}

/* The calling thread's slot for stem, or NULL (no memo for this thread). */
static front_ent *front_slot(const char *stem, size_t len)
{
	if (!front) {
		pthread_once(&front_once, front_init);
		if (!front_key_ok || !(front = calloc(FRONT_SLOTS, sizeof(*front))))
			return NULL;
		if (pthread_setspecific(front_key, front) != 0) {
			free(front);
			front = NULL;
			return NULL;
		}
	}
	return &front[crc32_z(0, (const Bytef *)stem, len) & (FRONT_SLOTS - 1)];
}

static size_t lookup(td_lexicon *lx, const char *src_stem, size_t len, const char *const **out, size_t *nstrong)
{
	size_t n, ns = 0;
	int64_t mid;

	if ((n = direct(lx, src_stem, len, out, &ns)) > 0 || !lx->decompound || len < MIN_MODIFIER + MIN_HEAD)
		goto done;
	pthread_mutex_lock(&lx->memo_mu);
	mid = td_strtab_find(&lx->memo, src_stem, len);
	if (mid >= 0) {
		*out = lx->memo_res[mid];
		n = lx->memo_n[2 * mid];
		ns = lx->memo_n[2 * mid + 1];
	} else {
		n = split_memo(lx, src_stem, len, out, &ns);
	}
	pthread_mutex_unlock(&lx->memo_mu);
done:
	*nstrong = ns;
	return n;
}

size_t td_lexicon_lookup_ranked(const char *const **out, size_t *nstrong, const td_lexicon *clx,
				const char *src_stem)
{
	td_lexicon *lx = (td_lexicon *)clx;  /* only the memo, under its mutex, changes */
	size_t len = strlen(src_stem), n, ns = 0;
	front_ent *f = len <= FRONT_STEM ? front_slot(src_stem, len) : NULL;

	*out = NULL;
	if (f && f->gen == lx->gen && f->len == len && !memcmp(f->stem, src_stem, len)) {
		*out = f->v;
		n = f->n;
		ns = f->ns;
	} else {
		n = lookup(lx, src_stem, len, out, &ns);
		if (f && n <= UINT32_MAX) {
			f->gen = lx->gen;
			f->v = *out;
			f->n = (uint32_t)n;
			f->ns = (uint32_t)ns;
			f->len = (unsigned char)len;
			memcpy(f->stem, src_stem, len);
		}
	}
	if (nstrong)
		*nstrong = ns;
	return n;
}

size_t td_lexicon_lookup(const char *const **out, const td_lexicon *lx, const char *src_stem)
{
	return td_lexicon_lookup_ranked(out, NULL, lx, src_stem);
}

bool td_lexicon_has(const td_lexicon *lx, const char *src_stem, const char *tgt_stem)
{
	const char *const *v;
	size_t n = td_lexicon_lookup(&v, lx, src_stem);
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i], tgt_stem))
			return true;
	return false;
}

const char *td_lexicon_path(const td_lexicon *lx)
{
	return lx->path;
}

size_t td_lexicon_nkeys(const td_lexicon *lx)
{
	size_t k = 0;
	if (lx->map)
		return lx->m_nsrc;  /* only sources with a translation are mapped */
	for (size_t i = 0; i < lx->src.n; i++)
		k += lx->off[i] != lx->off[i + 1];
	return k;
}

size_t td_lexicon_npairs(const td_lexicon *lx)
{
	return lx->npairs;
}
