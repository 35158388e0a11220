/*
 * Reading a PostgreSQL TM with the SQLite readers (lookup, concordance,
 * terms): the TM's rows are copied in one consistent read into a SQLite TM
 * file, written as the SQLite store writes (the same ids, keys, matching
 * forms, lookup indexes, fingerprints and word model), and the readers open
 * that file. Their answers are then those of a SQLite TM holding the same
 * units, because they are computed by the same code from the same rows.
 *
 * The copy is kept between commands in a cache directory (td__tm_cache_dir)
 * and brought up to date incrementally: the store keeps change counters
 * (td__dump_pos) that every writing transaction bumps, and writers run one
 * after the other, so a copy made at generation g catches up by the rows
 * whose ids are larger than the largest it holds (td__store_ops.since),
 * appended in one SQLite transaction. The copy's ids are the store's ids
 * renumbered 1, 2, ... in order (a SQLite TM storing the same units one
 * by one has those); td_pgmap keeps the store's id of each copied row for
 * the provenance of later rows, td_pgcache where the copy stands.
 *
 * Files: DIR/tm-P-S.db, P a hash of where the TM is (server, port,
 * database, user, schema; no password), S of its identity, its epoch and
 * this tandem's version. A new epoch (a merge) or another TM at the same
 * place gets a new file, built under a temporary name and linked into
 * place when complete, after which the older files of P are removed; a
 * reader that has one open keeps reading it. DIR/tm-P.lock (flock) lets
 * one process at a time build or update the files of P; the others wait
 * and then find them current. Readers only read (SQLite's WAL: they see
 * whole updates). Without a cache directory, the copy is private to the
 * reader and unlinked as soon as it is open, as is the copy that merge
 * makes (td__snapshot).
 */
#include "snapshot.h"

#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nettle/sha2.h>

#include "index.h"
#include "td_config.h"
#include "wordmodel.h"

typedef struct {
	td_tm *tm;                /* the SQLite copy */
	sqlite3_stmt *doc, *unit, *prov, *map, *find;
	td__wm_writer *wm;
	td__dump_pos *pos;        /* where the copy stands: units and documents counted here */
} loader;

static const char cache_tables[] =
	"CREATE TABLE IF NOT EXISTS td_pgcache (tm_id TEXT NOT NULL, generation INTEGER NOT NULL, "
	"epoch INTEGER NOT NULL, unit_id INTEGER NOT NULL, document_id INTEGER NOT NULL, "
	"units INTEGER NOT NULL, documents INTEGER NOT NULL);"
	"CREATE TABLE IF NOT EXISTS td_pgmap (kind INTEGER NOT NULL, pg INTEGER NOT NULL, "
	"id INTEGER NOT NULL, PRIMARY KEY (kind, pg)) WITHOUT ROWID";

static void bind_text_or_null(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

static void bind_int_or_null(sqlite3_stmt *st, int i, int64_t v, int null)
{
	if (null)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_int64(st, i, v);
}

static int step(loader *l, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	return rc == SQLITE_DONE ? TD_OK : td__db_error(l->tm, what);
}

/* Remember that the store's row pg (kind 0 document, 1 unit) is id in the copy. */
static int map_add(loader *l, int kind, int64_t pg, int64_t id)
{
	sqlite3_bind_int(l->map, 1, kind);
	sqlite3_bind_int64(l->map, 2, pg);
	sqlite3_bind_int64(l->map, 3, id);
	return step(l, l->map, "copying a row's id");
}

/* The copy's id of the store's row pg (kind as above). */
static int map_find(int64_t *out, loader *l, int kind, int64_t pg)
{
	int rc;

	sqlite3_bind_int(l->find, 1, kind);
	sqlite3_bind_int64(l->find, 2, pg);
	rc = sqlite3_step(l->find);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(l->find, 0);
	sqlite3_reset(l->find);
	if (rc == SQLITE_ROW)
		return TD_OK;
	if (rc == SQLITE_DONE)
		return td_error_set(TD_EFORMAT, "%s: provenance of a %s (id %lld) the copy lacks", l->tm->path,
			kind ? "unit" : "document", (long long)pg);
	return td__db_error(l->tm, "copying provenance");
}

static int load_document(void *arg, const td__doc_row *d)
{
	loader *l = arg;
	sqlite3_stmt *st = l->doc;
	int64_t id = ++l->pos->documents;
	int rc;

	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, d->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, d->src_name, -1, SQLITE_STATIC);
	bind_text_or_null(st, 4, d->tgt_name);
	sqlite3_bind_text(st, 5, d->src_hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, d->tgt_hash, -1, SQLITE_STATIC);
	bind_text_or_null(st, 7, d->src_lang);
	bind_text_or_null(st, 8, d->tgt_lang);
	sqlite3_bind_text(st, 9, d->tool, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 10, d->created);
	if ((rc = step(l, st, "copying a document")) < 0)
		return rc;
	return map_add(l, 0, d->id, id);
}

static int load_unit(void *arg, const td__unit_row *u)
{
	loader *l = arg;
	sqlite3_stmt *st = l->unit;
	size_t slen = strlen(u->source), tlen = strlen(u->target);
	sqlite3_int64 key = td__unit_key(u->src_lang, u->tgt_lang, u->source, slen, u->target, tlen);
	int64_t id = ++l->pos->units;
	int rc;

	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, u->src_lang, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, u->tgt_lang, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, u->source, (int)slen, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, u->target, (int)tlen, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, u->source_norm, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, u->target_norm, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 8, u->created);
	sqlite3_bind_int64(st, 9, key);
	if ((rc = step(l, st, "copying a unit")) < 0 || (rc = map_add(l, 1, u->id, id)) < 0 ||
	    (rc = td__index_add(l->tm->db, id, u->src_lang, u->tgt_lang, u->source, u->target)) < 0)
		return rc;
	return td__wm_add_unit(l->wm, l->tm->db, u->src_lang, u->tgt_lang, u->source, u->target, key);
}

static int load_provenance(void *arg, const td__prov_row *p)
{
	loader *l = arg;
	sqlite3_stmt *st = l->prov;
	int64_t unit, doc;
	int rc;

	if ((rc = map_find(&unit, l, 1, p->unit_id)) < 0 || (rc = map_find(&doc, l, 0, p->document_id)) < 0)
		return rc;
	sqlite3_bind_int64(st, 1, unit);
	sqlite3_bind_int64(st, 2, doc);
	sqlite3_bind_int64(st, 3, p->position);
	if (p->score >= 0)
		sqlite3_bind_double(st, 4, p->score);
	else
		sqlite3_bind_null(st, 4);
	bind_int_or_null(st, 5, p->src_first, p->src_first < 0);
	bind_int_or_null(st, 6, p->src_count, p->src_first < 0);
	bind_int_or_null(st, 7, p->tgt_first, p->tgt_first < 0);
	bind_int_or_null(st, 8, p->tgt_count, p->tgt_first < 0);
	sqlite3_bind_int64(st, 9, p->created);
	return step(l, st, "copying provenance");
}

/* Where the copy db stands (td_pgcache); 1 when it has no such record. */
static int read_pos(sqlite3 *db, td__dump_pos *pos)
{
	sqlite3_stmt *st = NULL;
	int rc = 1;

	memset(pos, 0, sizeof(*pos));
	if (sqlite3_prepare_v2(db, "SELECT tm_id, generation, epoch, unit_id, document_id, units, documents "
		"FROM td_pgcache", -1, &st, NULL) != SQLITE_OK)
		return 1;
	if (sqlite3_step(st) == SQLITE_ROW) {
		snprintf(pos->tm_id, sizeof(pos->tm_id), "%s", (const char *)sqlite3_column_text(st, 0));
		pos->generation = sqlite3_column_int64(st, 1);
		pos->epoch = sqlite3_column_int64(st, 2);
		pos->unit_id = sqlite3_column_int64(st, 3);
		pos->document_id = sqlite3_column_int64(st, 4);
		pos->units = sqlite3_column_int64(st, 5);
		pos->documents = sqlite3_column_int64(st, 6);
		rc = 0;
	}
	sqlite3_finalize(st);
	return rc;
}

static int write_pos(td_tm *dst, const td__dump_pos *pos)
{
	sqlite3_stmt *st = NULL;
	int rc = TD_OK;

	if (sqlite3_exec(dst->db, "DELETE FROM td_pgcache", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(dst->db, "INSERT INTO td_pgcache VALUES (?, ?, ?, ?, ?, ?, ?)", -1, &st,
		NULL) != SQLITE_OK)
		return td__db_error(dst, "recording where the copy stands");
	sqlite3_bind_text(st, 1, pos->tm_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, pos->generation);
	sqlite3_bind_int64(st, 3, pos->epoch);
	sqlite3_bind_int64(st, 4, pos->unit_id);
	sqlite3_bind_int64(st, 5, pos->document_id);
	sqlite3_bind_int64(st, 6, pos->units);
	sqlite3_bind_int64(st, 7, pos->documents);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = td__db_error(dst, "recording where the copy stands");
	sqlite3_finalize(st);
	return rc;
}

/*
 * Bring the SQLite TM dst up to date with src in one transaction: the rows
 * added since where dst stands (all of them in a new copy), by the store's
 * since, else its dump (ids already renumbered). 1: dst is of another
 * identity or epoch than src (nothing changed).
 */
static int copy_into(td_tm *dst, td_tm *src)
{
	td__dump_pos pos;
	loader l = { dst, NULL, NULL, NULL, NULL, NULL, NULL, &pos };
	td__sink sink = { load_document, load_unit, load_provenance, &l };
	sqlite3 *db = dst->db;
	int rc;

	if (sqlite3_exec(db, "PRAGMA cache_size = -65536; BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(db, cache_tables, NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO document (id, kind, src_name, tgt_name, src_hash, tgt_hash, "
		"src_lang, tgt_lang, tool, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", -1, &l.doc, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO unit (id, src_lang, tgt_lang, source, target, source_norm, "
		"target_norm, created, key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", -1, &l.unit, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO provenance (unit_id, document_id, position, score, src_first, "
		"src_count, tgt_first, tgt_count, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", -1, &l.prov,
		NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO td_pgmap (kind, pg, id) VALUES (?, ?, ?)", -1, &l.map,
		NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT id FROM td_pgmap WHERE kind = ? AND pg = ?", -1, &l.find,
		NULL) != SQLITE_OK) {
		rc = td__db_error(dst, "preparing a copy");
		goto done;
	}
	read_pos(db, &pos);
	if ((rc = td__wm_writer_new(&l.wm)) < 0)
		goto done;
	if (src->ops->since) {
		rc = src->ops->since(src, &sink, &pos);
	} else {
		rc = src->ops->dump(src, &sink);
		pos.unit_id = pos.units;
		pos.document_id = pos.documents;
	}
	if (rc == 0)
		rc = td__wm_flush(l.wm, db);
	if (rc == 0)
		rc = write_pos(dst, &pos);
	if (rc == 0 && sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		rc = td__db_error(dst, "committing a copy");
done:
	if (!sqlite3_get_autocommit(db))
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_finalize(l.doc);
	sqlite3_finalize(l.unit);
	sqlite3_finalize(l.prov);
	sqlite3_finalize(l.map);
	sqlite3_finalize(l.find);
	td__wm_writer_free(l.wm);
	return rc;
}

void td__snapshot_remove(char *path)
{
	char *slash;

	if (!path)
		return;
	unlink(path);
	slash = strrchr(path, '/');
	if (slash) {
		*slash = '\0';
		rmdir(path);
	}
	free(path);
}

/* A new private copy of src in a directory of its own under $TMPDIR. */
static int private_copy(char **out_path, td_tm *src)
{
	const char *tmp = getenv("TMPDIR");
	td_tm *dst = NULL;
	char *path;
	size_t n;
	int rc;

	*out_path = NULL;
	if (!tmp || !*tmp)
		tmp = "/tmp";
	n = strlen(tmp) + 40;
	if (!(path = malloc(n)))
		return td_error_set(TD_ENOMEM, "out of memory copying a TM");
	snprintf(path, n, "%s/tandem-tm-XXXXXX", tmp);
	if (!mkdtemp(path)) {
		rc = td_error_set(TD_EIO, "%s: cannot make a directory for a copy of the TM", path);
		free(path);
		return rc;
	}
	strcat(path, "/tm.db");
	if (!src->ops->dump)
		rc = td_error_set(TD_EINVAL, "%s: this store cannot be copied", src->path);
	else
		rc = td_tm_open(&dst, path, 0);
	if (rc == 0)
		rc = copy_into(dst, src);
	td_tm_close(dst);
	if (rc != 0) {
		td__snapshot_remove(path);
		return rc < 0 ? rc : td_error_set(TD_EDB, "%s: the TM changed while it was copied", src->path);
	}
	*out_path = path;
	return TD_OK;
}

int td__snapshot(char **out_path, const char *spec)
{
	td_tm *src = NULL;
	int rc;

	*out_path = NULL;
	rc = td_tm_open(&src, spec, TD_TM_READONLY);
	if (rc == 0)
		rc = private_copy(out_path, src);
	td_tm_close(src);
	return rc;
}

/* ---- the cache ---- */

char *td__tm_cache_dir(void)
{
	const char *env = getenv("TANDEM_TM_CACHE"), *base;
	const char *sub = "";
	char *dir;
	size_t n;

	if (env) {
		if (!*env)
			return NULL;
		base = env;
	} else if ((base = getenv("XDG_CACHE_HOME")) && base[0] == '/') {
		sub = "/tandem";
	} else if ((base = getenv("HOME")) && base[0] == '/') {
		sub = "/.cache/tandem";
	} else {
		return NULL;
	}
	n = strlen(base) + strlen(sub) + 1;
	if (!(dir = malloc(n)))
		return NULL;
	snprintf(dir, n, "%s%s", base, sub);
	return dir;
}

/* mkdir -p dir (new directories 0700: the copies hold the TM's texts); 0 when it is there. */
static int make_dir(char *dir)
{
	char *p;

	for (p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
			*p = '/';
			return -1;
		}
		*p = '/';
	}
	return mkdir(dir, 0700) == 0 || errno == EEXIST ? 0 : -1;
}

/* 16 hex digits of the SHA-256 of s. */
static void hash16(char out[17], const char *s)
{
	static const char hex[] = "0123456789abcdef";
	struct sha256_ctx ctx;
	uint8_t d[SHA256_DIGEST_SIZE];
	int i;

	sha256_init(&ctx);
	sha256_update(&ctx, strlen(s), (const uint8_t *)s);
	sha256_digest(&ctx, sizeof(d), d);
	for (i = 0; i < 8; i++) {
		out[2 * i] = hex[d[i] >> 4];
		out[2 * i + 1] = hex[d[i] & 15];
	}
	out[16] = '\0';
}

/* DIR/tm-P-S.db for a copy standing at pos (see the top). */
static void cache_name(char *out, size_t cap, const char *dir, const char *place_hash, const td__dump_pos *pos)
{
	char what[128], h[17];

	snprintf(what, sizeof(what), "%s %lld tandem %s schema %d", pos->tm_id, (long long)pos->epoch,
		TD_VERSION, td__schema_version());
	hash16(h, what);
	snprintf(out, cap, "%s/tm-%s-%s.db", dir, place_hash, h);
}

/* Remove DIR/tm-P-*.db (with -wal, -shm) other than keep. */
static void remove_others(const char *dir, const char *place_hash, const char *keep)
{
	char prefix[64], path[4200];
	const char *base = strrchr(keep, '/') + 1;
	struct dirent *e;
	DIR *d = opendir(dir);
	size_t n;

	if (!d)
		return;
	n = (size_t)snprintf(prefix, sizeof(prefix), "tm-%s-", place_hash);
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		if (strncmp(e->d_name, prefix, n) != 0 || len < 3 || strcmp(e->d_name + len - 3, ".db") != 0 ||
		    strcmp(e->d_name, base) == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		unlink(path);
		snprintf(path, sizeof(path), "%s/%s-wal", dir, e->d_name);
		unlink(path);
		snprintf(path, sizeof(path), "%s/%s-shm", dir, e->d_name);
		unlink(path);
	}
	closedir(d);
}

/* The generation a copy stands at, read by a reader's connection; -1: not a usable copy. */
static int64_t copy_generation(sqlite3 *db)
{
	td__dump_pos pos;

	return read_pos(db, &pos) == 0 ? pos.generation : -1;
}

/*
 * Make a whole new copy of src as DIR/tm-P-S.db (final: its name). Built
 * under a temporary name and linked into place when complete.
 */
static int build_copy(char *final, size_t cap, td_tm *src, const char *dir, const char *place_hash)
{
	char tmp[4200];
	td__dump_pos pos;
	td_tm *dst = NULL;
	int fd, rc;

	snprintf(tmp, sizeof(tmp), "%s/tm-%s.new.XXXXXX", dir, place_hash);
	if ((fd = mkstemp(tmp)) < 0)
		return td_error_set(TD_EIO, "%s: cannot make a copy of the TM here: %s", dir, strerror(errno));
	close(fd);
	rc = td_tm_open(&dst, tmp, 0);
	if (rc == 0)
		rc = copy_into(dst, src);
	if (rc == 0 && read_pos(dst->db, &pos) != 0)
		rc = td__db_error(dst, "reading where the copy stands");
	td_tm_close(dst);
	if (rc == 0) {
		cache_name(final, cap, dir, place_hash, &pos);
		if (link(tmp, final) != 0 && errno != EEXIST)
			rc = td_error_set(TD_EIO, "%s: cannot put a copy of the TM in place: %s", final,
				strerror(errno));
	}
	unlink(tmp);
	if (rc == 0)
		remove_others(dir, place_hash, final);
	return rc == 1 ? td_error_set(TD_EDB, "%s: the TM changed while it was copied", src->path) : rc;
}

/*
 * Under the lock: bring DIR/tm-P-S.db (path, for the state now) up to
 * date, or build a new copy; path is then the copy to read.
 */
static int update_copy(char *path, size_t cap, td_tm *src, const char *dir, const char *place_hash)
{
	td_tm *dst = NULL;
	int rc = 1;

	if (access(path, F_OK) == 0 && td_tm_open(&dst, path, TD_TM_MUST_EXIST) == 0) {
		rc = copy_into(dst, src);
		td_tm_close(dst);
		if (rc < 0)
			return rc;
	}
	td_error_clear();
	/* No copy yet, an unusable one, or the TM's epoch moved on since the state was read. */
	return rc == 0 ? TD_OK : build_copy(path, cap, src, dir, place_hash);
}

/* A reader's copy in the cache, followed as the TM changes (td__follow_refresh). */
struct td__follow {
	td_tm *src;               /* the TM, open read-only */
	char dir[4096], place_hash[17], path[4200];
	int64_t generation;       /* the TM's generation the copy is known to hold */
};

/* Run update under DIR/tm-P.lock; 1 when the lock cannot be had. */
static int locked_update(char *path, size_t cap, td_tm *src, const char *dir, const char *place_hash,
	int (*update)(char *path, size_t cap, td_tm *src, const char *dir, const char *place_hash))
{
	char lock[4200];
	int fd, rc;

	snprintf(lock, sizeof(lock), "%s/tm-%s.lock", dir, place_hash);
	if ((fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) < 0)
		return 1;
	if (flock(fd, LOCK_EX) != 0) {
		close(fd);
		return 1;
	}
	rc = update(path, cap, src, dir, place_hash);
	close(fd);
	return rc;
}

/* Append to the copy at path what src gained since; a copy of another epoch is left as it is. */
static int update_in_place(char *path, size_t cap, td_tm *src, const char *dir, const char *place_hash)
{
	td_tm *dst = NULL;
	int rc;

	(void)cap;
	(void)dir;
	(void)place_hash;
	if ((rc = td_tm_open(&dst, path, TD_TM_MUST_EXIST)) == 0)
		rc = copy_into(dst, src);
	td_tm_close(dst);
	return rc;
}

int td__follow_refresh(td__follow *f)
{
	td__dump_pos now;

	if (!f)
		return TD_OK;
	memset(&now, 0, sizeof(now));
	/* The copy keeps answering when the server cannot be asked. */
	if (f->src->ops->state(f->src, &now, NULL, 0) < 0 || now.generation <= f->generation) {
		td_error_clear();
		return TD_OK;
	}
	if (locked_update(f->path, sizeof(f->path), f->src, f->dir, f->place_hash, update_in_place) < 0)
		td_error_clear();
	/* Caught up, or of an older epoch (a merge): asked again after the next write. */
	f->generation = now.generation;
	return TD_OK;
}

void td__follow_free(td__follow *f)
{
	if (!f)
		return;
	td_tm_close(f->src);
	free(f);
}

/*
 * The reading connection on an up-to-date copy of the PostgreSQL TM src in
 * the cache directory dir. 1: no cache to use (nothing set). With follow,
 * *follow takes src over, to bring the copy up to date later.
 */
static int open_cached(sqlite3 **out, td__follow **follow, td_tm *src, char *dir, int oflags)
{
	char place[1024], place_hash[17], path[4200];
	td__dump_pos now;
	sqlite3 *db = NULL;
	int rc;

	if (!src->ops->state || make_dir(dir) != 0)
		return 1;
	memset(&now, 0, sizeof(now));
	if ((rc = src->ops->state(src, &now, place, sizeof(place))) < 0)
		return rc;
	hash16(place_hash, place);
	cache_name(path, sizeof(path), dir, place_hash, &now);
	if (access(path, F_OK) != 0 || td__open_reader(&db, path, oflags, 0) != 0 ||
	    copy_generation(db) < now.generation) {
		sqlite3_close(db);
		db = NULL;
		td_error_clear();
		rc = locked_update(path, sizeof(path), src, dir, place_hash, update_copy);
		if (rc != 0)
			return rc;
		if ((rc = td__open_reader(&db, path, oflags, 0)) < 0)
			return rc;
	}
	if (follow) {
		td__follow *f = calloc(1, sizeof(*f));
		if (!f) {
			sqlite3_close(db);
			return td_error_set(TD_ENOMEM, "out of memory opening %s", src->path);
		}
		f->src = src;
		snprintf(f->dir, sizeof(f->dir), "%s", dir);
		memcpy(f->place_hash, place_hash, sizeof(f->place_hash));
		snprintf(f->path, sizeof(f->path), "%s", path);
		f->generation = copy_generation(db);
		*follow = f;
	}
	*out = db;
	return TD_OK;
}

int td__open_tm_reader(sqlite3 **out, td__follow **follow, const char *spec, int oflags)
{
	td_tm *src = NULL;
	char *path = NULL, *dir;
	int rc;

	*out = NULL;
	if (follow)
		*follow = NULL;
	if (!td__tm_is_pg(spec))
		return td__open_reader(out, spec, oflags, 0);
	if ((rc = td_tm_open(&src, spec, TD_TM_READONLY)) < 0)
		return rc;
	dir = td__tm_cache_dir();
	rc = dir ? open_cached(out, follow, src, dir, oflags) : 1;
	free(dir);
	if (follow && *follow)
		return rc;
	if (rc == 1)
		rc = private_copy(&path, src);
	td_tm_close(src);
	if (rc < 0 || *out)
		return rc;
	/* Immutable: no locks, no -wal or -shm beside a file about to be unlinked. */
	rc = td__open_reader(out, path, oflags, 1);
	td__snapshot_remove(path);
	return rc;
}
