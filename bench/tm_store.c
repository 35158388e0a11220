/*
 * tm-store: the TM writer alone, as `tandem batch --tm` drives it: one
 * document (one transaction) per pair, its units added one by one.
 *
 * Input: a TSV of "DOC<TAB>position<TAB>score<TAB>source<TAB>target" lines;
 * consecutive lines with the same DOC are one document pair (bench/tm-writer
 * makes it from a TM that `tandem batch` wrote). Prints the documents, units,
 * CPU seconds (this thread) and wall seconds of the writing, open and close
 * included. Run by hand (bench/tm-writer), never as a test.
 *
 * usage: tm-store UNITS.tsv TM
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"
#include "tandem/tm.h"

/* Split line at tabs into f[0..n); returns the number of fields. */
static int split(char *line, char **f, int n)
{
	int k = 0;

	f[k++] = line;
	for (char *p = line; *p && k < n; p++) {
		if (*p == '\t') {
			*p = '\0';
			f[k++] = p + 1;
		}
	}
	return k;
}

static int flush(td_tm *tm, const char *doc, long *ndocs)
{
	int rc = td_tm_commit_document(tm);

	(void)doc;
	if (rc == 0)
		(*ndocs)++;
	return rc;
}

int main(int argc, char **argv)
{
	char *line = NULL, *f[5], doc[256] = "", hash[TD_HASH_HEX], thash[TD_HASH_HEX];
	size_t cap = 0;
	ssize_t len;
	long ndocs = 0, nunits = 0;
	double c0, w0;
	td_tm *tm = NULL;
	FILE *in;
	int rc = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: tm-store UNITS.tsv TM\n");
		return 2;
	}
	if (!(in = fopen(argv[1], "r"))) {
		perror(argv[1]);
		return 1;
	}
	c0 = bench_ms(CLOCK_THREAD_CPUTIME_ID);
	w0 = bench_ms(CLOCK_MONOTONIC);
	if (td_tm_open(&tm, argv[2], 0) < 0)
		goto fail;
	while ((len = getline(&line, &cap, in)) > 0) {
		td_tm_unit_in u = TD_TM_UNIT_IN_INIT;

		if (line[len - 1] == '\n')
			line[len - 1] = '\0';
		if (split(line, f, 5) != 5)
			continue;
		if (strcmp(f[0], doc) != 0) {
			td_tm_doc_info info = TD_TM_DOC_INFO_INIT;

			if (*doc && flush(tm, doc, &ndocs) < 0)
				goto fail;
			snprintf(doc, sizeof(doc), "%s", f[0]);
			td_tm_hash_bytes(hash, doc, strlen(doc));
			td_tm_hash_bytes(thash, f[0], strlen(f[0]) + 1);
			info.src_name = doc;
			info.tgt_name = doc;
			info.src_hash = hash;
			info.tgt_hash = thash;
			info.src_lang = "de";
			info.tgt_lang = "en";
			if (td_tm_begin_document(tm, &info) < 0)
				goto fail;
		}
		u.source = f[3];
		u.target = f[4];
		u.position = strtoll(f[1], NULL, 10);
		u.score = strtod(f[2], NULL);
		u.src_first = u.tgt_first = u.position;
		u.src_count = u.tgt_count = 1;
		if (td_tm_add_unit(NULL, tm, &u) < 0)
			goto fail;
		nunits++;
	}
	if (*doc && flush(tm, doc, &ndocs) < 0)
		goto fail;
	td_tm_close(tm);
	tm = NULL;
	printf("%ld documents, %ld units: %.2f s cpu, %.2f s wall\n", ndocs, nunits,
		(bench_ms(CLOCK_THREAD_CPUTIME_ID) - c0) / 1e3, (bench_ms(CLOCK_MONOTONIC) - w0) / 1e3);
	goto done;
fail:
	fprintf(stderr, "tm-store: %s\n", td_error_last());
	rc = 1;
done:
	td_tm_close(tm);
	free(line);
	fclose(in);
	return rc;
}
