/*
 * The cache of frozen lexicons: one file per dictionary and language pair,
 * so loading trans-de-en costs a file read instead of tokenizing 25 MB.
 *
 * File layout (native byte order; the magic fails on another one):
 *   char     magic[8]         "TDLEXC02"
 *   uint64   key              td_lexcache_key() of the table's inputs
 *   uint64   nsrc, ntgt, npairs, srcbytes, tgtbytes
 *   uint32   off[nsrc + 1]    targets of source i: tid[off[i] .. off[i+1])
 *   uint32   nstrong[nsrc]    the first nstrong[i] of them are strong
 *   uint32   tid[npairs]      target ids, < ntgt
 *   char     src[srcbytes]    nsrc NUL-terminated source stems, by id
 *   char     tgt[tgtbytes]    ntgt NUL-terminated target stems, by id
 * Only source stems with a translation are written. Every count and index is
 * checked on reading; a file that does not fit is ignored and rewritten.
 * Writing goes to a temporary name and is renamed into place, so a reader
 * never sees half a file.
 */
#include "lexicon_int.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MIN_CACHED_BYTES (1 << 20)  /* smaller dictionaries load fast enough */

static const char magic[8] = { 'T', 'D', 'L', 'E', 'X', 'C', '0', '2' };

typedef struct {
	char magic[8];
	uint64_t key, nsrc, ntgt, npairs, srcbytes, tgtbytes;
} cache_header;

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;
	for (size_t i = 0; i < n; i++) {
		h ^= s[i];
		h *= 1099511628211ull;
	}
	return h;
}

static uint64_t fnv_str(uint64_t h, const char *s)
{
	return fnv(h, s, strlen(s) + 1);
}

/* Identity of a file: path, size, modification time, inode. */
static bool file_identity(uint64_t *h, const char *path, off_t *size)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return false;
	*h = fnv_str(*h, path);
	*h = fnv(*h, &st.st_size, sizeof(st.st_size));
	*h = fnv(*h, &st.st_mtim, sizeof(st.st_mtim));
	*h = fnv(*h, &st.st_ino, sizeof(st.st_ino));
	if (size)
		*size = st.st_size;
	return true;
}

bool td_lexcache_key(uint64_t *key, char *path, size_t cap, const char *cache_dir, const td_lexicon *lx,
		     td_lex_format format, bool reverse, const char *other_file)
{
	char dir[4096], *abs = NULL;
	uint64_t h = 14695981039346656037ull;
	off_t size = 0, size2 = 0;
	Dl_info info;
	const char *env;
	int n;

	if (cache_dir && !*cache_dir)
		return false;
	if (cache_dir)
		n = snprintf(dir, sizeof(dir), "%s", cache_dir);
	else if ((env = getenv("XDG_CACHE_HOME")) && env[0] == '/')
		n = snprintf(dir, sizeof(dir), "%s/tandem", env);
	else if ((env = getenv("HOME")) && env[0] == '/')
		n = snprintf(dir, sizeof(dir), "%s/.cache/tandem", env);
	else
		return false;
	if (n < 0 || (size_t)n >= sizeof(dir))
		return false;

	abs = realpath(lx->path, NULL);
	if (!abs)
		return false;
	h = fnv(h, magic, sizeof(magic));
	bool ok = file_identity(&h, abs, &size) &&
		  (!other_file || file_identity(&h, other_file, &size2));
	/* Whatever binary holds this code: a rebuild may tokenize differently. */
	ok = ok && dladdr(magic, &info);
	if (ok) {
		/* The main program's name may be relative or empty: ask the kernel. */
		const char *bin = info.dli_fname && info.dli_fname[0] == '/' ? info.dli_fname : "/proc/self/exe";
		ok = file_identity(&h, bin, NULL);
	}
	if (!ok || size + size2 < MIN_CACHED_BYTES) {
		free(abs);
		return false;
	}
	h = fnv_str(h, lx->src_lang);
	h = fnv_str(h, lx->tgt_lang);
	int settings[3] = { (int)format, reverse, TD_LEXICON_MAX_WORDS };
	h = fnv(h, settings, sizeof(settings));
	*key = h;
	/* One file per dictionary and pair: a changed input overwrites it. */
	n = snprintf(path, cap, "%s/lexicon-%s-%s-%016llx.bin", dir, lx->src_lang, lx->tgt_lang,
		     (unsigned long long)fnv_str(14695981039346656037ull, abs));
	free(abs);
	return n > 0 && (size_t)n < cap;
}

/* Offsets of the n NUL-terminated strings in blob[0, len), or false. */
static bool string_starts(const char **out, const char *blob, uint64_t len, uint64_t n)
{
	uint64_t k = 0, start = 0;
	if (len == 0)
		return n == 0;
	if (blob[len - 1] != '\0')
		return false;
	for (uint64_t i = 0; i < len; i++)
		if (blob[i] == '\0') {
			if (k == n)
				return false;
			out[k++] = blob + start;
			start = i + 1;
		}
	return k == n;
}

int td_lexcache_read(td_lexicon *lx, const char *path, uint64_t key)
{
	FILE *f = fopen(path, "rb");
	cache_header hd;
	char *blob = NULL;
	const char **tstr = NULL;
	uint64_t bytes;
	struct stat st;
	int rc = 1;

	if (!f)
		return 1;
	if (fstat(fileno(f), &st) != 0 || fread(&hd, sizeof(hd), 1, f) != 1 ||
	    memcmp(hd.magic, magic, sizeof(magic)) || hd.key != key || hd.nsrc >= UINT32_MAX ||
	    hd.ntgt >= UINT32_MAX || hd.npairs >= UINT32_MAX || hd.srcbytes > (1ull << 34) ||
	    hd.tgtbytes > (1ull << 34))
		goto cleanup;
	bytes = (2 * hd.nsrc + 1 + hd.npairs) * 4 + hd.srcbytes + hd.tgtbytes;
	if ((uint64_t)st.st_size != sizeof(hd) + bytes)
		goto cleanup;
	blob = malloc(bytes ? bytes : 1);
	tstr = malloc((hd.ntgt ? hd.ntgt : 1) * sizeof(*tstr));
	if (!blob || !tstr) {
		rc = td_error_set(TD_ENOMEM, "lexicon: out of memory");
		goto cleanup;
	}
	if (fread(blob, 1, bytes, f) != bytes)
		goto cleanup;
	uint32_t *off = (uint32_t *)blob, *nstrong = off + hd.nsrc + 1, *tid = nstrong + hd.nsrc;
	char *src = (char *)(tid + hd.npairs), *tgt = src + hd.srcbytes;
	if (off[0] != 0 || off[hd.nsrc] != hd.npairs)
		goto cleanup;
	for (uint64_t i = 0; i < hd.nsrc; i++)
		if (off[i] > off[i + 1] || nstrong[i] > off[i + 1] - off[i])
			goto cleanup;
	for (uint64_t i = 0; i < hd.npairs; i++)
		if (tid[i] >= hd.ntgt)
			goto cleanup;
	if (!string_starts(tstr, tgt, hd.tgtbytes, hd.ntgt))
		goto cleanup;

	/* Source stems into the table, by reference into the blob: ids 0.. in order. */
	const char *p = src, *end = src + hd.srcbytes;
	for (uint64_t i = 0; i < hd.nsrc; i++) {
		const char *z = p < end ? memchr(p, '\0', (size_t)(end - p)) : NULL;
		uint32_t id;
		if (!z) {
			rc = 1;
			goto reset;
		}
		if ((rc = td_strtab_intern_ref(&lx->src, &id, p, (size_t)(z - p))) < 0)
			goto reset;
		if (id != i) {  /* a repeated stem: not a file we wrote */
			rc = 1;
			goto reset;
		}
		p = z + 1;
	}
	lx->off = malloc((hd.nsrc + 1) * sizeof(*lx->off));
	lx->nstrong = malloc((hd.nsrc + 1) * sizeof(*lx->nstrong));
	lx->tgts = malloc((hd.npairs ? hd.npairs : 1) * sizeof(*lx->tgts));
	if (!lx->off || !lx->nstrong || !lx->tgts) {
		rc = td_error_set(TD_ENOMEM, "lexicon: out of memory");
		goto reset;
	}
	memcpy(lx->off, off, (hd.nsrc + 1) * sizeof(*lx->off));
	memcpy(lx->nstrong, nstrong, hd.nsrc * sizeof(*lx->nstrong));
	for (uint64_t i = 0; i < hd.npairs; i++)
		lx->tgts[i] = tstr[tid[i]];
	lx->npairs = hd.npairs;
	lx->blob = blob;
	blob = NULL;
	rc = 0;
	goto cleanup;
reset:
	/* Leave lx as it was, for a load from the dictionary itself. */
	td_strtab_free(&lx->src);
	free(lx->off);
	free(lx->nstrong);
	free(lx->tgts);
	lx->off = NULL;
	lx->nstrong = NULL;
	lx->tgts = NULL;
	if (rc > 0 && td_strtab_init(&lx->src, 1 << 16) < 0)
		rc = TD_ENOMEM;
cleanup:
	free(blob);
	free(tstr);
	fclose(f);
	return rc;
}

static bool put(FILE *f, const void *p, size_t n)
{
	return n == 0 || fwrite(p, 1, n, f) == n;
}

void td_lexcache_write(const td_lexicon *lx, const uint32_t *tid, const char *path, uint64_t key)
{
	char tmp[4200], dir[4096];
	cache_header hd;
	uint32_t *off = NULL;
	FILE *f = NULL;
	bool ok = false;

	/* mkdir -p of the directory part. */
	snprintf(dir, sizeof(dir), "%s", path);
	char *slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return;
	*slash = '\0';
	for (char *q = dir + 1; *q; q++)
		if (*q == '/') {
			*q = '\0';
			mkdir(dir, 0700);
			*q = '/';
		}
	mkdir(dir, 0700);
	snprintf(tmp, sizeof(tmp), "%s.%ld.tmp", path, (long)getpid());

	memset(&hd, 0, sizeof(hd));
	memcpy(hd.magic, magic, sizeof(magic));
	hd.key = key;
	hd.ntgt = lx->tgt.n;
	hd.npairs = lx->npairs;
	off = malloc((2 * lx->src.n + 1) * sizeof(*off));
	if (!off)
		return;
	uint32_t *nstrong = off + lx->src.n + 1;
	off[0] = 0;
	for (size_t i = 0; i < lx->src.n; i++) {
		if (lx->off[i] == lx->off[i + 1])
			continue;
		hd.srcbytes += strlen(td_strtab_str(&lx->src, (uint32_t)i)) + 1;
		nstrong[hd.nsrc] = lx->nstrong[i];
		off[++hd.nsrc] = lx->off[i + 1];
	}
	for (size_t i = 0; i < lx->tgt.n; i++)
		hd.tgtbytes += strlen(td_strtab_str(&lx->tgt, (uint32_t)i)) + 1;

	f = fopen(tmp, "wb");
	if (!f)
		goto cleanup;
	ok = put(f, &hd, sizeof(hd)) && put(f, off, (hd.nsrc + 1) * sizeof(*off)) &&
	     put(f, nstrong, hd.nsrc * sizeof(*nstrong)) && put(f, tid, lx->npairs * sizeof(*tid));
	for (size_t i = 0; ok && i < lx->src.n; i++)
		if (lx->off[i] != lx->off[i + 1]) {
			const char *s = td_strtab_str(&lx->src, (uint32_t)i);
			ok = put(f, s, strlen(s) + 1);
		}
	for (size_t i = 0; ok && i < lx->tgt.n; i++) {
		const char *s = td_strtab_str(&lx->tgt, (uint32_t)i);
		ok = put(f, s, strlen(s) + 1);
	}
	ok = (fclose(f) == 0) && ok;
	f = NULL;
	if (ok)
		ok = rename(tmp, path) == 0;
cleanup:
	if (!ok)
		unlink(tmp);
	free(off);
}
