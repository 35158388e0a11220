/*
 * libFuzzer harness: fuzzy lookup and concordance queries against a small TM
 * built once per process. The first byte picks the query kind and options;
 * the rest is the query (any bytes: the library must reject or survive
 * invalid UTF-8).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "tandem/concord.h"
#include "tandem/lookup.h"
#include "tandem/tm.h"

static const char *const pairs[][2] = {
	{ "Die Regierung hat das Gesetz beschlossen.", "The government passed the law." },
	{ "Die Regierung hat das Gesetz abgelehnt.", "The government rejected the law." },
	{ "Der Zug h\xc3\xa4lt heute nicht in M\xc3\xbcnchen.", "The train does not stop in Munich today." },
	{ "Der Preis betr\xc3\xa4gt 5.000 Euro.", "The price is 5,000 euros." },
	{ "\xe2\x80\x9e" "Das ist gut\xe2\x80\x9c, sagte die Ministerin.", "\"That is good,\" said the minister." },
	{ "Die Stra\xc3\x9f" "e ist wegen Bauarbeiten gesperrt.", "The road is closed for construction." },
	{ "Ich bin m\xc3\xbc" "de.", "I am tired." },
	{ "Die Bundesregierung plant neue Gesetze f\xc3\xbcr M\xc3\xbcnchen.", "The federal government plans new laws for Munich." },
	{ "Die Mannschaft gewann 3:1.", "The team won 3-1." },
	{ "Am 27. Januar stieg der Kurs um 5.000 Punkte.", "On 27 January the index rose by 5,000 points." },
};

static td_lookup *lk;

static void build(void)
{
	const char *p = fz_path("lookup.tm");
	td_tm_doc_info info = TD_TM_DOC_INFO_INIT;
	td_tm *tm = NULL;

	unlink(p);
	info.kind = "import";
	info.src_name = "fixture.tsv";
	info.src_hash = "0000000000000000000000000000000000000000000000000000000000000000";
	info.src_lang = "de";
	info.tgt_lang = "en";
	if (td_tm_open(&tm, p, 0) != 0 || td_tm_begin_document(tm, &info) != 0) {
		fprintf(stderr, "fuzz_lookup: %s\n", td_error_last());
		abort();
	}
	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		td_tm_unit_in u = TD_TM_UNIT_IN_INIT;
		td_tm_add_result r;
		u.source = pairs[i][0];
		u.target = pairs[i][1];
		u.position = (int64_t)i + 1;
		if (td_tm_add_unit(&r, tm, &u) != 0)
			abort();
	}
	if (td_tm_commit_document(tm) != 0)
		abort();
	td_tm_close(tm);
	if (td_lookup_open(&lk, p) != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *q;
	unsigned sel;

	if (!lk)
		build();
	if (size < 1)
		return 0;
	sel = data[0];
	q = malloc(size);
	if (!q)
		return 0;
	memcpy(q, data + 1, size - 1);
	q[size - 1] = '\0';
	if (sel & 1) {
		td_concord_opts o = TD_CONCORD_OPTS_INIT;
		td_concord_result res = { NULL, 0 };
		o.in_target = (sel >> 1) & 1;
		o.exact = (sel >> 2) & 1;
		o.order = (sel >> 3) & 1 ? TD_CONCORD_FREQUENT : TD_CONCORD_NEWEST;
		o.src_lang = (sel >> 4) & 1 ? "de" : NULL;
		if (td_concord(&res, lk, q, &o) == 0) {
			for (size_t i = 0; i < res.n; i++) {
				const td_concord_hit *h = &res.v[i];
				size_t tl = strlen(o.in_target ? h->target : h->source);
				for (size_t k = 0; k < h->nhits; k++)
					if (h->hits[2 * k] > h->hits[2 * k + 1] || h->hits[2 * k + 1] > tl)
						abort();
			}
			td_concord_result_free(&res);
		}
	} else {
		td_lookup_opts o = TD_LOOKUP_OPTS_INIT;
		td_lookup_result res;
		o.src_lang = "de";
		o.tgt_lang = "en";
		o.min = (sel >> 1) & 1 ? 0.0 : 50.0;
		o.exhaustive = (sel >> 2) & 1;
		if ((sel >> 3) & 1) {
			/* The batch path (one scan for many queries). */
			const char *qs[2] = { q, q };
			td_lookup_result many[2];
			if (td_lookup_query_many(many, lk, qs, 2, &o) == 0)
				td_lookup_results_free(many, 2);
		} else if (td_lookup_query(&res, lk, q, size - 1, &o) == 0) {
			for (size_t i = 0; i < res.n; i++)
				if (res.v[i].score < 0 || res.v[i].score > 100.0001)
					abort();
			td_lookup_result_free(&res);
		}
	}
	free(q);
	return 0;
}
