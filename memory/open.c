/*
 * Opening a TM file: the check before SQLite sees it, and the one way every
 * reader (td_tm_open read-only, td_lookup_open, td_terms_open) connects.
 */
#include "tm_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* First bytes of every SQLite 3 database file. */
static const char sqlite_magic[16] = "SQLite format 3";

/*
 * The first n bytes of the file (zeros past its end), read through SQLite's
 * VFS, not fopen: closing any descriptor of a file drops every POSIX lock
 * the process holds on it, so an fclose here would take the shared lock of
 * the process's other connections to the TM away, and another process
 * closing its connection would then think itself the last one and delete
 * the -wal and -shm those connections still use. SQLite's own close keeps
 * the descriptor open while the file has locks.
 */
static int read_head(char *head, int n, const char *path)
{
	sqlite3_vfs *vfs = sqlite3_vfs_find(NULL);
	sqlite3_file *f;
	int outflags = 0, rc;

	if (!vfs || !(f = calloc(1, (size_t)vfs->szOsFile)))
		return td_error_set(TD_ENOMEM, "out of memory opening %s", path);
	rc = vfs->xOpen(vfs, path, f, SQLITE_OPEN_READONLY | SQLITE_OPEN_MAIN_DB, &outflags);
	if (rc == SQLITE_OK) {
		rc = f->pMethods->xRead(f, head, n, 0);
		if (rc == SQLITE_IOERR_SHORT_READ)
			rc = SQLITE_OK;
	}
	if (f->pMethods)
		f->pMethods->xClose(f);
	free(f);
	if (rc != SQLITE_OK)
		return td_error_set(TD_EIO, "%s: cannot read it (SQLite error %d)", path, rc);
	return TD_OK;
}

int td__check_tm_file(int *out_new, const char *path, unsigned flags)
{
	struct stat sb;
	char head[16];
	int rc;

	*out_new = 0;
	if (stat(path, &sb) != 0) {
		if (errno != ENOENT)
			return td_error_set(TD_EIO, "%s: %s", path, strerror(errno));
		if (flags & (TD_TM_MUST_EXIST | TD_TM_READONLY))
			return td_error_set(TD_ENOTFOUND, "%s: no such translation memory", path);
		*out_new = 1;
		return TD_OK;
	}
	if (!S_ISREG(sb.st_mode))
		return td_error_set(TD_EFORMAT, "%s: not a tandem translation memory (not a regular file)", path);
	if (sb.st_size == 0) {
		/* Nothing to lose: writing makes it a new TM (as `touch tm.db` then
		 * import expects); reading has nothing to read. */
		*out_new = !(flags & TD_TM_READONLY);
		if (!*out_new)
			return td_error_set(TD_EFORMAT, "%s: empty file, not a translation memory yet", path);
		return TD_OK;
	}
	rc = read_head(head, sizeof(head), path);
	if (rc < 0)
		return rc;
	if (memcmp(head, sqlite_magic, sizeof(head)) != 0)
		return td_error_set(TD_EFORMAT, "%s: not a tandem translation memory (not an SQLite database); "
			"refusing to touch it", path);
	return TD_OK;
}

/* "file:" and path with every byte outside a safe set %-escaped (an SQLite URI). */
static char *file_uri(const char *path, const char *query)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(path), o = 0;
	char *uri = malloc(5 + 3 * n + strlen(query) + 1);
	const unsigned char *p;

	if (!uri)
		return NULL;
	memcpy(uri, "file:", 5);
	o = 5;
	for (p = (const unsigned char *)path; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    strchr("/._-~", *p)) {
			uri[o++] = (char)*p;
		} else {
			uri[o++] = '%';
			uri[o++] = hex[*p >> 4];
			uri[o++] = hex[*p & 15];
		}
	}
	strcpy(uri + o, query);
	return uri;
}

/* Whether the directory of path may be written (where SQLite puts -shm). */
static int dir_writable(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir;
	int ok;

	if (!slash)
		return access(".", W_OK) == 0;
	if (slash == path)
		return access("/", W_OK) == 0;
	if (!(dir = strndup(path, (size_t)(slash - path))))
		return 1;
	ok = access(dir, W_OK) == 0;
	free(dir);
	return ok;
}

static int file_exists(const char *path, const char *suffix)
{
	struct stat sb;
	char *p = malloc(strlen(path) + strlen(suffix) + 1);
	int yes;

	if (!p)
		return 1;
	strcpy(p, path);
	strcat(p, suffix);
	yes = stat(p, &sb) == 0;
	free(p);
	return yes;
}

/* Open and read the schema once, so that a connection that cannot read fails here. */
static int try_open(sqlite3 **db, const char *name, int oflags, int query_only)
{
	int rc = sqlite3_open_v2(name, db, oflags, NULL);

	if (rc == SQLITE_OK)
		sqlite3_busy_timeout(*db, 5000);
	if (rc == SQLITE_OK && query_only)
		rc = sqlite3_exec(*db, "PRAGMA query_only = 1", NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(*db, "SELECT count(*) FROM sqlite_schema", NULL, NULL, NULL);
	return rc;
}

int td__open_reader(sqlite3 **out, const char *path, int oflags, int force_immutable)
{
	sqlite3 *db = NULL;
	char *uri = NULL;
	int is_new, rc;

	*out = NULL;
	rc = td__check_tm_file(&is_new, path, TD_TM_READONLY);
	if (rc < 0)
		return rc;
	/*
	 * Read-write without CREATE, and query_only: a WAL database's reader
	 * creates -wal and -shm beside it, and only a connection that may write
	 * removes them when it is the last to close (SQLite then checkpoints an
	 * empty log and deletes both). A read-only connection would leave them
	 * behind. A write-protected file is opened read-only by SQLite itself.
	 */
	if (!force_immutable) {
		rc = try_open(&db, path, SQLITE_OPEN_READWRITE | oflags, 1);
		if (rc == SQLITE_OK) {
			*out = db;
			return TD_OK;
		}
		if (rc == SQLITE_NOTADB) {
			rc = td_error_set(TD_EFORMAT, "%s: not a tandem translation memory (damaged SQLite "
				"database); refusing to touch it", path);
			sqlite3_close(db);
			return rc;
		}
		/*
		 * WAL needs PATH-shm beside the file. In a directory the user
		 * cannot write, a file without a -wal (no transaction of another
		 * process pending) is read as it is, immutable: no locks, no -shm.
		 */
		if (dir_writable(path) || file_exists(path, "-wal")) {
			rc = td_error_set(rc == SQLITE_CANTOPEN ? TD_ENOTFOUND : TD_EDB,
				"%s: cannot open the TM: %s", path, sqlite3_errmsg(db));
			sqlite3_close(db);
			return rc;
		}
		sqlite3_close(db);
		db = NULL;
	}
	if (!(uri = file_uri(path, "?immutable=1")))
		return td_error_set(TD_ENOMEM, "out of memory opening %s", path);
	rc = try_open(&db, uri, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | oflags, 0);
	free(uri);
	if (rc != SQLITE_OK) {
		rc = td_error_set(TD_EDB, "%s: cannot open the TM (its directory is not writable, and "
			"reading it unchanged failed too): %s", path, sqlite3_errmsg(db));
		sqlite3_close(db);
		return rc;
	}
	*out = db;
	return TD_OK;
}
