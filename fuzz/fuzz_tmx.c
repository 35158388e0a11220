/*
 * libFuzzer harness: TMX (and TSV) import of arbitrary bytes into a TM in a
 * scratch directory. After every input the TM must still be consistent: an
 * import either wholly succeeds or leaves nothing (td_tmx_import runs in one
 * transaction), so the unit count may only grow on success.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_util.h"
#include "tandem/tm.h"
#include "tandem/tmx.h"

static td_tm *tm;
static unsigned long inputs;

static int64_t units(void)
{
	td_tm_stats st;
	int64_t n;

	if (td_tm_stats_get(&st, tm) != 0)
		abort();
	n = st.units;
	td_tm_stats_free(&st);
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	td_import_opts opts = TD_IMPORT_OPTS_INIT;
	td_import_report rep;
	const char *path;
	int64_t before;
	int rc;

	/* A fresh TM now and then keeps it small (and the fuzzer fast). */
	if (!tm || ++inputs % 2000 == 0) {
		const char *p = fz_path("fuzz.tm");
		td_tm_close(tm);
		unlink(p);
		unlink(fz_path("fuzz.tm-wal"));
		unlink(fz_path("fuzz.tm-shm"));
		if (td_tm_open(&tm, p, 0) != 0)
			abort();
	}
	if (size && data[0] == '\t') {
		/* A TSV file: the rest of the input. */
		path = fz_write("in.tsv", data + 1, size - 1);
		opts.format = TD_FORMAT_TSV;
		opts.src_lang = "de";
		opts.tgt_lang = "en";
	} else {
		path = fz_write("in.tmx", data, size);
		opts.format = TD_FORMAT_TMX;
		if (size && (data[size - 1] & 1))
			opts.src_lang = "de";
	}
	before = units();
	rc = td_tmx_import(&rep, tm, path, &opts);
	if (rc != 0 && units() != before)
		abort();  /* a failed import left units behind */
	if (rc == 0 && units() != before + rep.added)
		abort();
	return 0;
}
