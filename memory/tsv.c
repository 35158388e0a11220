/*
 * TSV import (source TAB target, one unit per line) and the line-based
 * exports: TSV and Moses (two files, line i of one translates line i of the
 * other).
 */
#include "tm_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int td__import_tsv(td_import_report *r, td_tm *tm, const char *path, const td_import_opts *o)
{
	td_tm_doc_info info = TD_TM_DOC_INFO_INIT;
	char hash[TD_HASH_HEX], sl[TD_LANG_MAX], tl[TD_LANG_MAX];
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	FILE *f = NULL;
	int rc;

	if (!o->src_lang || !o->tgt_lang)
		return td_error_set(TD_EINVAL, "%s: a TSV file needs the source and target languages (-s, -t)", o->name);
	if ((rc = td_lang_normalize(sl, o->src_lang)) < 0 || (rc = td_lang_normalize(tl, o->tgt_lang)) < 0)
		return rc;
	rc = td_tm_hash_file(hash, path);
	if (rc < 0)
		return rc;
	f = fopen(path, "rb");
	if (!f)
		return td_error_set(TD_EIO, "%s: %s", o->name, strerror(errno));
	info.kind = "import";
	info.src_name = o->name;
	info.src_hash = hash;
	info.src_lang = sl;
	info.tgt_lang = tl;
	rc = td_tm_begin_document(tm, &info);
	if (rc < 0)
		goto cleanup;
	while ((n = getline(&line, &cap, f)) >= 0) {
		td_tm_unit_in u = TD_TM_UNIT_IN_INIT;
		td_tm_add_result added;
		char *text = line, *tab;
		int64_t lineno = ++r->read;

		if (n > 0 && line[n - 1] == '\n')
			line[--n] = '\0';
		if (n > 0 && line[n - 1] == '\r')
			line[--n] = '\0';
		if (lineno == 1 && n >= 3 && memcmp(line, "\xEF\xBB\xBF", 3) == 0) {
			text += 3;
			n -= 3;
		}
		if (td__is_blank(text, (size_t)n)) {
			td__skip(r, TD_SKIP_EMPTY_LINE, lineno);
			continue;
		}
		if ((size_t)n != strlen(text)) {
			rc = td_error_set(TD_EENCODING, "%s: line %lld: NUL byte (binary file?)", o->name, (long long)lineno);
			goto cleanup;
		}
		tab = strchr(text, '\t');
		if (!tab) {
			rc = td_error_set(TD_EFORMAT, "%s: line %lld: no tab; expected source<TAB>target",
				o->name, (long long)lineno);
			goto cleanup;
		}
		*tab = '\0';
		if (strchr(tab + 1, '\t')) {
			rc = td_error_set(TD_EFORMAT, "%s: line %lld: more than one tab; expected source<TAB>target",
				o->name, (long long)lineno);
			goto cleanup;
		}
		if (td__is_blank(text, strlen(text)) || td__is_blank(tab + 1, strlen(tab + 1))) {
			td__skip(r, TD_SKIP_EMPTY, lineno);
			continue;
		}
		u.source = text;
		u.target = tab + 1;
		u.position = lineno;
		rc = td_tm_add_unit(&added, tm, &u);
		if (rc < 0) {
			rc = td__error_at(rc, o->name, lineno);
			goto cleanup;
		}
		if (added == TD_TM_ADDED)
			r->added++;
		else
			r->present++;
	}
	if (ferror(f)) {
		rc = td_error_set(TD_EIO, "%s: read error after line %lld", o->name, (long long)r->read);
		goto cleanup;
	}
	rc = td__import_commit(tm, r, o->name);
cleanup:
	if (rc < 0)
		td_tm_rollback(tm);
	free(line);
	if (f)
		fclose(f);
	return rc;
}

/* Write text with tabs and line breaks as spaces, so one unit stays one line. */
static void put_flat(FILE *f, const char *s)
{
	size_t n;

	while (*s) {
		n = strcspn(s, "\t\n\r");
		fwrite(s, 1, n, f);
		s += n;
		if (*s) {
			fputc(' ', f);
			s++;
		}
	}
}

int td__export_lines(int64_t *count, td_tm *tm, FILE *f, FILE *f2, const td_export_opts *o)
{
	td_tm_iter *it = NULL;
	const td_tm_unit *u;
	int rc;

	rc = td_tm_iter_new(&it, tm, o->src_lang, o->tgt_lang);
	if (rc < 0)
		return rc;
	while ((rc = td_tm_iter_next(&u, it)) > 0) {
		put_flat(f, u->source);
		if (f2) {
			fputc('\n', f);
			put_flat(f2, u->target);
			fputc('\n', f2);
		} else {
			fputc('\t', f);
			put_flat(f, u->target);
			fputc('\n', f);
		}
		(*count)++;
		if (ferror(f) || (f2 && ferror(f2))) {
			rc = td_error_set(TD_EIO, "export: write error: %s", strerror(errno));
			break;
		}
	}
	td_tm_iter_free(it);
	return rc < 0 ? rc : TD_OK;
}
