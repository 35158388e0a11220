/*
 * A TM of the sample bitexts for the terminology suites: the hand
 * segmentation (bitexts/seg) and the gold beads (bitexts/gold) give the
 * units, stored through the TM's API as `tandem align --tm` would store them
 * (beads with both sides, sentences joined by a space).
 */
#ifndef TANDEM_TEST_TERMS_FIXTURE_H
#define TANDEM_TEST_TERMS_FIXTURE_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "tandem/tm.h"

static const char *const tf_pairs[] = {
	"brandtner", "fussball", "hallenbad-latin1", "nato-russia",
	"schulbau", "sinfonie-utf16", "solarbetrug", "sturm",
};

/* The non-empty lines of a seg file (each malloc'd), their number in *n. */
static char **tf_lines(const char *rel, size_t *n)
{
	char *text = th_read(th_src(rel), NULL), *p, *nl;
	char **v = NULL;

	cr_assert_not_null(text, "cannot read %s", rel);
	*n = 0;
	for (p = text; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		if (!nl)
			nl = p + strlen(p);
		if (nl > p) {
			v = realloc(v, (*n + 1) * sizeof(*v));
			v[*n] = strndup(p, (size_t)(nl - p));
			(*n)++;
		}
		if (!*nl)
			break;
	}
	free(text);
	return v;
}

/* "[1, 2]" -> ids into ids[], count returned. */
static size_t tf_ids(const char *s, size_t *ids, size_t cap)
{
	size_t n = 0;

	while (*s && *s != ']') {
		char *end;
		unsigned long v = strtoul(s, &end, 10);
		if (end == s) {
			s++;
			continue;
		}
		cr_assert_lt(n, cap);
		ids[n++] = v;
		s = end;
	}
	return n;
}

static char *tf_join(char **lines, size_t nlines, const size_t *ids, size_t n)
{
	size_t len = 1, i;
	char *out;

	for (i = 0; i < n; i++) {
		cr_assert_lt(ids[i], nlines);
		len += strlen(lines[ids[i]]) + 1;
	}
	out = calloc(1, len);
	for (i = 0; i < n; i++) {
		if (i)
			strcat(out, " ");
		strcat(out, lines[ids[i]]);
	}
	return out;
}

/* Write the TM of every sample pair to path; returns the number of units. */
static size_t tf_build(const char *path)
{
	td_tm *tm = NULL;
	size_t k, total = 0;

	cr_assert_eq(td_tm_open(&tm, path, 0), 0, "%s", td_error_last());
	for (k = 0; k < sizeof(tf_pairs) / sizeof(tf_pairs[0]); k++) {
		char rel[128], *gold, *p;
		char **de, **en;
		size_t nde, nen, i, pos = 0;
		td_tm_doc_info info = TD_TM_DOC_INFO_INIT;

		snprintf(rel, sizeof(rel), "bitexts/seg/%s.de", tf_pairs[k]);
		de = tf_lines(rel, &nde);
		snprintf(rel, sizeof(rel), "bitexts/seg/%s.en", tf_pairs[k]);
		en = tf_lines(rel, &nen);
		snprintf(rel, sizeof(rel), "bitexts/gold/%s.gold", tf_pairs[k]);
		gold = th_read(th_src(rel), NULL);
		cr_assert_not_null(gold);
		info.src_name = tf_pairs[k];
		info.tgt_name = tf_pairs[k];
		info.src_hash = tf_pairs[k];
		info.tgt_hash = tf_pairs[k];
		info.src_lang = "de";
		info.tgt_lang = "en";
		cr_assert_eq(td_tm_begin_document(tm, &info), 0, "%s", td_error_last());
		for (p = gold; *p; pos++) {
			size_t s[8], t[8], ns, nt;
			char *colon, *nl;
			if (*p == '\n') {
				p++;
				continue;
			}
			colon = strstr(p, "]:[");
			nl = strchr(p, '\n');
			cr_assert_not_null(colon);
			ns = tf_ids(p + 1, s, 8);
			nt = tf_ids(colon + 3, t, 8);
			if (ns && nt) {
				td_tm_unit_in u = TD_TM_UNIT_IN_INIT;
				char *src = tf_join(de, nde, s, ns), *tgt = tf_join(en, nen, t, nt);
				u.source = src;
				u.target = tgt;
				u.position = (int64_t)pos;
				cr_assert_eq(td_tm_add_unit(NULL, tm, &u), 0, "%s", td_error_last());
				free(src);
				free(tgt);
				total++;
			}
			if (!nl)
				break;
			p = nl + 1;
		}
		cr_assert_eq(td_tm_commit_document(tm), 0, "%s", td_error_last());
		for (i = 0; i < nde; i++)
			free(de[i]);
		for (i = 0; i < nen; i++)
			free(en[i]);
		free(de);
		free(en);
		free(gold);
	}
	td_tm_close(tm);
	return total;
}

#endif
