/*
 * The cache of frozen lexicons: one file per dictionary and language pair,
 * so loading trans-de-en costs mapping a file instead of tokenizing 25 MB.
 *
 * File layout (native byte order; the magic fails on another one):
 *   char     magic[8]         "TDLEXC05"
 *   uint64   key              td_lexcache_key() of the table's inputs
 *   uint64   nsrc, ntgt, npairs, srcbytes, tgtbytes
 *   uint64   nbucket          a power of two, about nsrc / 4
 *   uint64   sum              checksum of everything after the header
 *   uint32   bucket[2 * (nbucket + 1)]  bucket b: its first source bucket[2b] and
 *                             that source's stem at src + bucket[2b + 1]; its
 *                             sources are [bucket[2b], bucket[2b + 2])
 *   uint32   off[nsrc + 1]    targets of source i: tid[off[i] .. off[i+1])
 *   uint32   nstrong[nsrc]    the first nstrong[i] of them are strong
 *   uint32   tid[npairs]      target ids, < ntgt
 *   uint32   toff[ntgt]       target id t's stem at tgt + toff[t]
 *   char     src[srcbytes]    NUL-terminated source stems
 *   char     tgt[tgtbytes]    NUL-terminated target stems
 * Only source stems with a translation are written. The sources are ordered
 * by their hash bucket (zlib's crc32 of the stem, modulo nbucket), within a
 * bucket by strcmp, and their stems are written in that order, so the bucket
 * array is a hash index: a lookup reads one pair of words and walks the
 * consecutive stems of one bucket (about four, in a cache line or two). It
 * replaced a stem offset per source sorted for bisection (TDLEXC03): the
 * index is smaller than those offsets were, so loading maps no more. A reader maps the file and
 * builds nothing: lookups hash, compare and fill a source's target pointers
 * on first use. The index lives in the file rather than in a library's
 * hash table (libxml2's, ICU's) because those are built in memory: loading
 * would cost building one over 200,000 stems, where now it costs a mmap. The sizes, the checksum and the ends of the
 * arrays are checked on loading (a file that does not fit is ignored and
 * rewritten); every offset is checked again where it is used, so even a
 * file changed after loading cannot make a lookup read outside the map.
 * Writing goes to a temporary name and is renamed into place, so a reader
 * never sees half a file.
 */
#include "lexicon_int.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include "base/hash.h"

#define MIN_CACHED_BYTES (1 << 20)  /* smaller dictionaries load fast enough */

static const char magic[8] = { 'T', 'D', 'L', 'E', 'X', 'C', '0', '5' };

typedef struct {
	char magic[8];
	uint64_t key, nsrc, ntgt, npairs, srcbytes, tgtbytes, nbucket, sum;
} cache_header;

/* The hash bucket of a stem: zlib's crc32 (stable across runs and builds, as the file needs). */
static uint32_t stem_bucket(const char *s, size_t len, uint64_t nbucket)
{
	return (uint32_t)(crc32_z(0, (const Bytef *)s, len) & (nbucket - 1));
}

/* FNV-1a of s with its NUL (which separates fields). */
static uint64_t fnv_str(uint64_t h, const char *s)
{
	return td_fnv1a(h, s, strlen(s) + 1);
}

/* Identity of a file: path, size, modification time, inode. */
static bool file_identity(uint64_t *h, const char *path, off_t *size)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return false;
	*h = fnv_str(*h, path);
	*h = td_fnv1a(*h, &st.st_size, sizeof(st.st_size));
	*h = td_fnv1a(*h, &st.st_mtim, sizeof(st.st_mtim));
	*h = td_fnv1a(*h, &st.st_ino, sizeof(st.st_ino));
	if (size)
		*size = st.st_size;
	return true;
}

bool td_lexcache_key(uint64_t *key, char *path, size_t cap, const char *cache_dir, const td_lexicon *lx,
		     td_lex_format format, bool reverse, const char *other_file)
{
	char dir[4096], *abs = NULL;
	uint64_t h = TD_FNV_SEED;
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
	h = td_fnv1a(h, magic, sizeof(magic));
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
	h = td_fnv1a(h, settings, sizeof(settings));
	*key = h;
	/* One file per dictionary and pair: a changed input overwrites it. */
	n = snprintf(path, cap, "%s/lexicon-%s-%s-%016llx.bin", dir, lx->src_lang, lx->tgt_lang,
		     (unsigned long long)fnv_str(TD_FNV_SEED, abs));
	free(abs);
	return n > 0 && (size_t)n < cap;
}

/*
 * A checksum of p[0, n) (catches a damaged file, not an attack): four
 * independent lanes of eight bytes, so the multiplications overlap and a
 * load of the 10 MB cache spends about a millisecond here.
 */
static uint64_t checksum(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h[4] = { 0x9e3779b97f4a7c15ull ^ n, 0xc2b2ae3d27d4eb4full, 0x165667b19e3779f9ull,
			  0x27d4eb2f165667c5ull };
	uint64_t w;
	size_t i = 0;

	for (; i + 32 <= n; i += 32)
		for (int l = 0; l < 4; l++) {
			memcpy(&w, s + i + 8 * l, 8);
			h[l] = (h[l] ^ w) * 0xff51afd7ed558ccdull;
			h[l] ^= h[l] >> 32;
		}
	for (int l = 1; l < 4; l++)
		h[0] = (h[0] ^ h[l]) * 0xff51afd7ed558ccdull;
	for (; i < n; i++)
		h[0] = (h[0] ^ s[i]) * 0x100000001b3ull;
	return h[0];
}

int td_lexcache_read(td_lexicon *lx, const char *path, uint64_t key)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	const cache_header *hd;
	struct stat st;
	uint64_t words;
	void *map;

	if (fd < 0)
		return 1;
	if (fstat(fd, &st) != 0 || st.st_size < (off_t)sizeof(cache_header)) {
		close(fd);
		return 1;
	}
	/* Populated at once: the checksum reads every page anyway. */
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		return 1;
	hd = map;
	if (memcmp(hd->magic, magic, sizeof(magic)) || hd->key != key || hd->nsrc >= UINT32_MAX ||
	    hd->ntgt >= UINT32_MAX || hd->npairs >= UINT32_MAX || hd->srcbytes >= UINT32_MAX ||
	    hd->tgtbytes >= UINT32_MAX || hd->nbucket == 0 || hd->nbucket >= UINT32_MAX ||
	    (hd->nbucket & (hd->nbucket - 1)))
		goto unusable;
	words = 2 * (hd->nbucket + 1) + 2 * hd->nsrc + 1 + hd->npairs + hd->ntgt;
	if ((uint64_t)st.st_size != sizeof(*hd) + 4 * words + hd->srcbytes + hd->tgtbytes ||
	    checksum(hd + 1, (size_t)st.st_size - sizeof(*hd)) != hd->sum)
		goto unusable;
	lx->m_bucket = (const uint32_t *)(hd + 1);
	lx->m_off = lx->m_bucket + 2 * (hd->nbucket + 1);
	lx->m_nstrong = lx->m_off + hd->nsrc + 1;
	lx->m_tid = lx->m_nstrong + hd->nsrc;
	lx->m_toff = lx->m_tid + hd->npairs;
	lx->m_src = (const char *)(lx->m_toff + hd->ntgt);
	lx->m_tgt = lx->m_src + hd->srcbytes;
	if (lx->m_off[0] != 0 || lx->m_off[hd->nsrc] != hd->npairs || lx->m_bucket[0] != 0 ||
	    lx->m_bucket[1] != 0 || lx->m_bucket[2 * hd->nbucket] != hd->nsrc ||
	    lx->m_bucket[2 * hd->nbucket + 1] != hd->srcbytes ||
	    (hd->srcbytes && lx->m_src[hd->srcbytes - 1] != '\0') ||
	    (hd->tgtbytes && lx->m_tgt[hd->tgtbytes - 1] != '\0'))
		goto unusable;
	lx->m_nsrc = hd->nsrc;
	lx->m_nbucket = hd->nbucket;
	lx->m_ntgt = hd->ntgt;
	lx->m_srcbytes = hd->srcbytes;
	lx->m_tgtbytes = hd->tgtbytes;
	lx->npairs = hd->npairs;
	/* Zeroed pages come from the kernel when touched: a lookup costs its own slots only. */
	lx->tgts = calloc(hd->npairs ? hd->npairs : 1, sizeof(*lx->tgts));
	lx->m_ready = calloc(hd->nsrc ? hd->nsrc : 1, sizeof(*lx->m_ready));
	if (!lx->tgts || !lx->m_ready || pthread_mutex_init(&lx->fill_mu, NULL) != 0) {
		free(lx->tgts);
		free(lx->m_ready);
		lx->tgts = NULL;
		lx->m_ready = NULL;
		munmap(map, (size_t)st.st_size);
		return td_error_set(TD_ENOMEM, "lexicon: out of memory");
	}
	lx->fill_mu_init = true;
	lx->map = map;
	lx->maplen = (size_t)st.st_size;
	return 0;
unusable:
	munmap(map, (size_t)st.st_size);
	return 1;
}

void td_lexcache_unmap(td_lexicon *lx)
{
	if (lx->map)
		munmap(lx->map, lx->maplen);
	if (lx->fill_mu_init)
		pthread_mutex_destroy(&lx->fill_mu);
	free(lx->m_ready);
	lx->map = NULL;
	lx->m_ready = NULL;
	lx->fill_mu_init = false;
}

int64_t td_lexcache_find(const td_lexicon *lx, const char *stem, size_t len)
{
	uint32_t b = stem_bucket(stem, len, lx->m_nbucket);
	uint32_t i = lx->m_bucket[2 * b], o = lx->m_bucket[2 * b + 1], end = lx->m_bucket[2 * b + 2];

	if (end > lx->m_nsrc)
		return -1;
	/* The blob ends with a NUL: o < srcbytes keeps every read below inside it. */
	for (; i < end && o < lx->m_srcbytes; i++) {
		const char *t = lx->m_src + o;
		size_t tl = strlen(t);
		if (tl == len && !memcmp(t, stem, len))
			return (int64_t)i;
		o += (uint32_t)tl + 1;
	}
	return -1;
}

size_t td_lexcache_targets(td_lexicon *lx, size_t i, const char *const **out, size_t *nstrong)
{
	uint32_t a = lx->m_off[i], b = lx->m_off[i + 1];

	if (a > b || b > lx->npairs || lx->m_nstrong[i] > b - a)
		return 0;
	if (!atomic_load_explicit(&lx->m_ready[i], memory_order_acquire)) {
		pthread_mutex_lock(&lx->fill_mu);
		if (!atomic_load_explicit(&lx->m_ready[i], memory_order_relaxed)) {
			for (uint32_t j = a; j < b; j++) {
				uint32_t t = lx->m_tid[j];
				/* A bad id or offset (a file changed under us): the empty string. */
				lx->tgts[j] = t < lx->m_ntgt && lx->m_toff[t] < lx->m_tgtbytes
					? lx->m_tgt + lx->m_toff[t] : lx->m_tgt + lx->m_tgtbytes - 1;
			}
			atomic_store_explicit(&lx->m_ready[i], 1, memory_order_release);
		}
		pthread_mutex_unlock(&lx->fill_mu);
	}
	*out = lx->tgts + a;
	*nstrong = lx->m_nstrong[i];
	return b - a;
}

typedef struct {
	const char *s;
	uint32_t id, bucket;
} keyed;

/* Bucket order, then strcmp within a bucket (a total order: the file does not depend on qsort). */
static int by_bucket(const void *a, const void *b)
{
	const keyed *x = a, *y = b;

	if (x->bucket != y->bucket)
		return x->bucket < y->bucket ? -1 : 1;
	return strcmp(x->s, y->s);
}

void td_lexcache_write(const td_lexicon *lx, const uint32_t *tid, const char *path, uint64_t key)
{
	char tmp[4200], dir[4096];
	cache_header hd;
	keyed *ids = NULL;
	uint32_t *bucket, *off, *nstrong, *ptid, *toff;
	char *body = NULL, *src, *tgt;
	size_t ns = 0, bodylen;
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
	/* The sources with a translation, in bucket order (the hash index). */
	ids = malloc((lx->src.n ? lx->src.n : 1) * sizeof(*ids));
	if (!ids)
		return;
	for (size_t i = 0; i < lx->src.n; i++)
		if (lx->off[i] != lx->off[i + 1]) {
			ids[ns].s = td_strtab_str(&lx->src, (uint32_t)i);
			ids[ns++].id = (uint32_t)i;
			hd.srcbytes += strlen(ids[ns - 1].s) + 1;
		}
	hd.nbucket = 1;
	while (hd.nbucket < ns / 4)
		hd.nbucket *= 2;
	if (hd.nbucket >= UINT32_MAX)
		goto cleanup;
	for (size_t k = 0; k < ns; k++)
		ids[k].bucket = stem_bucket(ids[k].s, strlen(ids[k].s), hd.nbucket);
	qsort(ids, ns, sizeof(*ids), by_bucket);
	hd.nsrc = ns;
	for (size_t i = 0; i < lx->tgt.n; i++)
		hd.tgtbytes += strlen(td_strtab_str(&lx->tgt, (uint32_t)i)) + 1;
	if (hd.srcbytes >= UINT32_MAX || hd.tgtbytes >= UINT32_MAX)
		goto cleanup;
	bodylen = 4 * (2 * (hd.nbucket + 1) + 2 * ns + 1 + hd.npairs + hd.ntgt) + hd.srcbytes + hd.tgtbytes;
	body = malloc(bodylen);
	if (!body)
		goto cleanup;
	bucket = (uint32_t *)body;
	off = bucket + 2 * (hd.nbucket + 1);
	nstrong = off + ns + 1;
	ptid = nstrong + ns;
	toff = ptid + hd.npairs;
	src = (char *)(toff + hd.ntgt);
	tgt = src + hd.srcbytes;
	size_t so = 0, po = 0, to = 0, k = 0;
	uint64_t bk = 0;
	for (k = 0; k < ns; k++) {
		uint32_t i = ids[k].id, a = lx->off[i], n = lx->off[i + 1] - a;
		const char *s = ids[k].s;
		size_t sl = strlen(s) + 1;
		for (; bk <= ids[k].bucket; bk++) {  /* buckets up to this one start here */
			bucket[2 * bk] = (uint32_t)k;
			bucket[2 * bk + 1] = (uint32_t)so;
		}
		memcpy(src + so, s, sl);
		so += sl;
		off[k] = (uint32_t)po;
		nstrong[k] = lx->nstrong[i];
		memcpy(ptid + po, tid + a, n * sizeof(*tid));
		po += n;
	}
	off[ns] = (uint32_t)po;
	for (; bk <= hd.nbucket; bk++) {
		bucket[2 * bk] = (uint32_t)ns;
		bucket[2 * bk + 1] = (uint32_t)so;
	}
	for (size_t t = 0; t < lx->tgt.n; t++) {
		const char *s = td_strtab_str(&lx->tgt, (uint32_t)t);
		size_t sl = strlen(s) + 1;
		toff[t] = (uint32_t)to;
		memcpy(tgt + to, s, sl);
		to += sl;
	}
	hd.sum = checksum(body, bodylen);

	f = fopen(tmp, "wb");
	if (!f)
		goto cleanup;
	ok = fwrite(&hd, sizeof(hd), 1, f) == 1 && fwrite(body, 1, bodylen, f) == bodylen;
	ok = (fclose(f) == 0) && ok;
	f = NULL;
	if (ok)
		ok = rename(tmp, path) == 0;
	if (!ok)
		unlink(tmp);
cleanup:
	free(ids);
	free(body);
}
