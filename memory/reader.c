/* A TM's reading side (model in reader.h). */
#include "reader.h"

#include <stdlib.h>
#include <string.h>

#include "snapshot.h"
#include "tandem/error.h"
#include "tm_internal.h"

int td__reader_open(td__reader *r, const char *path, const char *who, int mapped)
{
	int rc;

	if (!path || !*path)
		return td_error_set(TD_EINVAL, "%s: no TM file given", who);
	if (!(r->path = td__tm_display(path)))
		return td_error_set(TD_ENOMEM, "%s: out of memory", who);
	rc = td__open_tm_reader(&r->db, &r->follow, path, SQLITE_OPEN_NOMUTEX);
	if (rc < 0)
		return rc;
	sqlite3_busy_timeout(r->db, 5000);
	/*
	 * Lookup and concordance read pages through a memory map (up to
	 * SQLite's limit, 2 GiB as built by Debian): a concordance's word
	 * alignment reads a few thousand word-model pages, which through read()
	 * cost a copy and a page-cache allocation each. tandem never shrinks a
	 * TM file (no VACUUM), which is what would make a mapped read fault.
	 * Terms does not: a query reads a few hundred scattered unit pages
	 * once, and a read() of a page costs less than a page fault, which maps
	 * the pages around it too (whole `tandem terms` on a 1,000,000-unit TM,
	 * CPU per command, perf stat, 15 runs alternated: Sonntag 80.6 -> 68.3
	 * ms, Jahr 86.4 -> 63.8, Team 81.7 -> 57.9, Essen 77.4 -> 51.3).
	 */
	if (mapped)
		sqlite3_exec(r->db, "PRAGMA mmap_size = 4294967296", NULL, NULL, NULL);
	return 0;
}

void td__reader_refresh(td__reader *r)
{
	td__follow_refresh(r->follow);
}

void td__reader_close(td__reader *r)
{
	td__follow_free(r->follow);
	td__wm_reader_free(r->wm);
	sqlite3_close(r->db);
	td__tok_free(&r->side[0]);
	td__tok_free(&r->side[1]);
	free(r->path);
	memset(r, 0, sizeof(*r));
}

int td__reader_tokenizer(td_tokenizer **out, td__reader *r, int side, const char *lang)
{
	return td__tok_get(out, &r->side[side], lang);
}

int td__reader_wm(td__wm_reader **out, td__reader *r)
{
	int rc = 0;

	if (!r->wm)
		rc = td__wm_reader_new(&r->wm, r->db);
	*out = r->wm;
	return rc;
}

char *td__strdup(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	char *d = malloc(n + 1);

	if (d) {
		if (n)
			memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}
