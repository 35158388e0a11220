/* A small TM for the lookup suites: eleven units, one of them seen twice. */
#ifndef TANDEM_TEST_LOOKUP_FIXTURE_H
#define TANDEM_TEST_LOOKUP_FIXTURE_H

#include <criterion/criterion.h>
#include <stdio.h>

#include "tandem/error.h"
#include "tandem/tm.h"

typedef struct { const char *src_lang, *tgt_lang, *source, *target; } lf_unit;

static const lf_unit lf_units[] = {
	{ "de", "en", "Die Regierung hat das Gesetz beschlossen.", "The government passed the law." },
	{ "de", "en", "Die Regierung hat das Gesetz abgelehnt.", "The government rejected the law." },
	{ "de", "en", "Der Zug hält heute nicht in München.", "The train does not stop in Munich today." },
	{ "de", "en", "Der Preis beträgt 5.000 Euro.", "The price is 5,000 euros." },
	{ "de", "en", "\xe2\x80\x9e" "Das ist gut\xe2\x80\x9c, sagte die Ministerin.", "\"That is good,\" said the minister." },
	{ "de", "en", "Die Straße ist wegen Bauarbeiten gesperrt.", "The road is closed for construction." },
	{ "de", "en", "Das Wetter wird morgen schön.", "The weather will be nice tomorrow." },
	{ "de", "en", "Ich bin müde.", "I am tired." },
	{ "de", "en", "Die Bundesregierung plant neue Gesetze für München.", "The federal government plans new laws for Munich." },
	{ "de", "en", "Die Regierung hat das neue Gesetz heute beschlossen.", "Today the government passed the new law." },
	{ "en", "de", "The train is late.", "Der Zug hat Verspätung." },
};
#define LF_NUNITS (sizeof(lf_units) / sizeof(lf_units[0]))

/* Write the fixture TM to path through the TM's own API (which fills our index). */
static void lf_build(const char *path)
{
	td_tm *tm = NULL;
	td_tm_doc_info doc = TD_TM_DOC_INFO_INIT, imp = TD_TM_DOC_INFO_INIT;
	td_tm_unit_in in = TD_TM_UNIT_IN_INIT;
	char h1[TD_HASH_HEX], h2[TD_HASH_HEX], h3[TD_HASH_HEX];
	size_t i;

	td_tm_hash_bytes(h1, "news.de", 7);
	td_tm_hash_bytes(h2, "news.en", 7);
	td_tm_hash_bytes(h3, "old.tmx", 7);
	cr_assert_eq(td_tm_open(&tm, path, 0), 0, "%s", td_error_last());
	doc.src_name = "news.de";
	doc.tgt_name = "news.en";
	doc.src_hash = h1;
	doc.tgt_hash = h2;
	doc.src_lang = "de";
	doc.tgt_lang = "en";
	cr_assert_eq(td_tm_begin_document(tm, &doc), 0, "%s", td_error_last());
	for (i = 0; i < LF_NUNITS; i++) {
		in.src_lang = lf_units[i].src_lang;
		in.tgt_lang = lf_units[i].tgt_lang;
		in.source = lf_units[i].source;
		in.target = lf_units[i].target;
		in.position = (int64_t)i;
		in.score = 0.9;
		cr_assert_eq(td_tm_add_unit(NULL, tm, &in), 0, "%s", td_error_last());
	}
	cr_assert_eq(td_tm_commit_document(tm), 0, "%s", td_error_last());
	/* The first unit is seen again in an imported file. */
	imp.kind = "import";
	imp.src_name = "old.tmx";
	imp.src_hash = h3;
	imp.src_lang = "de";
	imp.tgt_lang = "en";
	cr_assert_eq(td_tm_begin_document(tm, &imp), 0, "%s", td_error_last());
	in = (td_tm_unit_in)TD_TM_UNIT_IN_INIT;
	in.source = lf_units[0].source;
	in.target = lf_units[0].target;
	in.position = 7;
	cr_assert_eq(td_tm_add_unit(NULL, tm, &in), 0, "%s", td_error_last());
	cr_assert_eq(td_tm_commit_document(tm), 0, "%s", td_error_last());
	td_tm_close(tm);
}

#endif
