/*
 * Reading a PostgreSQL TM with the SQLite readers (lookup, concordance,
 * terms): the TM's rows are copied in one consistent read (the store's
 * dump) into a private SQLite TM file, written as the SQLite store writes
 * (the same ids, keys, matching forms, lookup indexes, fingerprints and
 * word model), and the readers open that file. Their answers are then those
 * of a SQLite TM holding the same units, because they are computed by the
 * same code from the same rows. The copy reflects the TM when it was made;
 * the file is unlinked as soon as the reader has it open, so nothing is
 * left behind however the process ends.
 */
#include "snapshot.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "index.h"
#include "wordmodel.h"

typedef struct {
	td_tm *tm;                /* the SQLite copy */
	sqlite3_stmt *doc, *unit, *prov;
	td__wm_writer *wm;
} loader;

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

static int load_document(void *arg, const td__doc_row *d)
{
	loader *l = arg;
	sqlite3_stmt *st = l->doc;

	sqlite3_bind_int64(st, 1, d->id);
	sqlite3_bind_text(st, 2, d->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, d->src_name, -1, SQLITE_STATIC);
	bind_text_or_null(st, 4, d->tgt_name);
	sqlite3_bind_text(st, 5, d->src_hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, d->tgt_hash, -1, SQLITE_STATIC);
	bind_text_or_null(st, 7, d->src_lang);
	bind_text_or_null(st, 8, d->tgt_lang);
	sqlite3_bind_text(st, 9, d->tool, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 10, d->created);
	return step(l, st, "copying a document");
}

static int load_unit(void *arg, const td__unit_row *u)
{
	loader *l = arg;
	sqlite3_stmt *st = l->unit;
	size_t slen = strlen(u->source), tlen = strlen(u->target);
	sqlite3_int64 key = td__unit_key(u->src_lang, u->tgt_lang, u->source, slen, u->target, tlen);
	int rc;

	sqlite3_bind_int64(st, 1, u->id);
	sqlite3_bind_text(st, 2, u->src_lang, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, u->tgt_lang, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, u->source, (int)slen, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, u->target, (int)tlen, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, u->source_norm, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, u->target_norm, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 8, u->created);
	sqlite3_bind_int64(st, 9, key);
	if ((rc = step(l, st, "copying a unit")) < 0 ||
	    (rc = td__index_add(l->tm->db, u->id, u->src_lang, u->tgt_lang, u->source, u->target)) < 0)
		return rc;
	return td__wm_add_unit(l->wm, l->tm->db, u->src_lang, u->tgt_lang, u->source, u->target, key);
}

static int load_provenance(void *arg, const td__prov_row *p)
{
	loader *l = arg;
	sqlite3_stmt *st = l->prov;

	sqlite3_bind_int64(st, 1, p->unit_id);
	sqlite3_bind_int64(st, 2, p->document_id);
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

/* Copy src (any store) into the fresh SQLite TM dst in one transaction. */
static int copy_into(td_tm *dst, td_tm *src)
{
	loader l = { dst, NULL, NULL, NULL, NULL };
	td__sink sink = { load_document, load_unit, load_provenance, &l };
	sqlite3 *db = dst->db;
	int rc;

	if (sqlite3_exec(db, "PRAGMA cache_size = -65536; BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO document (id, kind, src_name, tgt_name, src_hash, tgt_hash, "
		"src_lang, tgt_lang, tool, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", -1, &l.doc, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO unit (id, src_lang, tgt_lang, source, target, source_norm, "
		"target_norm, created, key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", -1, &l.unit, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO provenance (unit_id, document_id, position, score, src_first, "
		"src_count, tgt_first, tgt_count, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", -1, &l.prov,
		NULL) != SQLITE_OK) {
		rc = td__db_error(dst, "preparing a copy");
		goto done;
	}
	if ((rc = td__wm_writer_new(&l.wm)) < 0)
		goto done;
	rc = src->ops->dump(src, &sink);
	if (rc == 0)
		rc = td__wm_flush(l.wm, db);
	if (rc == 0 && sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		rc = td__db_error(dst, "committing a copy");
done:
	if (!sqlite3_get_autocommit(db))
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_finalize(l.doc);
	sqlite3_finalize(l.unit);
	sqlite3_finalize(l.prov);
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

int td__snapshot(char **out_path, const char *spec)
{
	const char *tmp = getenv("TMPDIR");
	td_tm *src = NULL, *dst = NULL;
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
	rc = td_tm_open(&src, spec, TD_TM_READONLY);
	if (rc == 0 && !src->ops->dump)
		rc = td_error_set(TD_EINVAL, "%s: this store cannot be copied", src->path);
	if (rc == 0)
		rc = td_tm_open(&dst, path, 0);
	if (rc == 0)
		rc = copy_into(dst, src);
	td_tm_close(src);
	td_tm_close(dst);
	if (rc < 0) {
		td__snapshot_remove(path);
		return rc;
	}
	*out_path = path;
	return TD_OK;
}

int td__open_tm_reader(sqlite3 **out, const char *spec, int oflags)
{
	char *path = NULL;
	int rc;

	if (!td__tm_is_pg(spec))
		return td__open_reader(out, spec, oflags, 0);
	*out = NULL;
	if ((rc = td__snapshot(&path, spec)) < 0)
		return rc;
	/* Immutable: no locks, no -wal or -shm beside a file about to be unlinked. */
	rc = td__open_reader(out, path, oflags, 1);
	td__snapshot_remove(path);
	return rc;
}
