/*
 * The lexicon (model in tandem/lexicon.h) on small dictionaries written here
 * into a temporary directory: Ding, FreeDict (index + dictzip'ed text made
 * with zlib), TSV; discovery, reversal, compounds, errors.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "align/lexicon_int.h"
#include "tandem/lexicon.h"
#include "tandem/token.h"

static char dir[256];

static void setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/td-lexicon-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
}

static void teardown(void)
{
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

static const char *at(const char *name)
{
	static char path[2][512];
	static int k;
	k = !k;
	snprintf(path[k], sizeof(path[k]), "%s/%s", dir, name);
	return path[k];
}

static void put(const char *name, const char *text)
{
	FILE *f = fopen(at(name), "wb");
	cr_assert_not_null(f);
	cr_assert_eq(fwrite(text, 1, strlen(text), f), strlen(text));
	cr_assert_eq(fclose(f), 0);
}

static const char ding[] =
	"# Version :: test\n"
	"# a comment line :: is not an entry\n"
	"Haus {n} | Häuser {pl} :: house | houses\n"
	"Regierung {f} [pol.] :: government; administration\n"
	"Sprecher {m}; Sprecherin {f} :: spokesman; spokeswoman; speaker\n"
	"Bund {m} (Staatenbund) :: federation; union\n"
	"etw. machen {vt} :: to make sth.\n"
	"Aal blau {m} [cook.] :: eel au bleu\n"
	"Straße {f} <Strasse> :: street\n"
	"Eisenbahn {f} :: railway\n"
	"Haus und Hof :: house and home\n"
	"\n";

static td_lexicon *load(const char *path, const char *s, const char *t)
{
	td_lexicon *lx = NULL;
	int rc = td_lexicon_load(&lx, path, s, t);
	cr_assert_eq(rc, 0, "%s", td_error_last());
	cr_assert_not_null(lx);
	return lx;
}

/* Translations of src_stem, space-separated in sorted order, for comparisons. */
static void targets(char *out, size_t cap, const td_lexicon *lx, const char *src)
{
	const char *const *v;
	size_t n = td_lexicon_lookup(&v, lx, src), o = 0;
	const char *sorted[64];
	cr_assert_leq(n, 64);
	for (size_t i = 0; i < n; i++)
		sorted[i] = v[i];
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && strcmp(sorted[j - 1], sorted[j]) > 0; j--) {
			const char *x = sorted[j];
			sorted[j] = sorted[j - 1];
			sorted[j - 1] = x;
		}
	out[0] = '\0';
	for (size_t i = 0; i < n && o < cap; i++)
		o += (size_t)snprintf(out + o, cap - o, "%s%s", i ? " " : "", sorted[i]);
}

TestSuite(lexicon, .init = setup, .fini = teardown);

/* Arrays, not pointers: Criterion copies parameters into each test's process. */
typedef struct {
	char src[40];
	char want[120];
} lookup_case;

ParameterizedTestParameters(lexicon, ding_lookups)
{
	static lookup_case cases[] = {
		{ "haus", "home hous" },                      /* inflected forms give one stem pair */
		{ "hof", "home hous" },                       /* "und", "and": stop words */
		{ "regier", "administr govern" },            /* ';' synonyms, [pol.] dropped */
		{ "sprech", "speaker spokesman spokeswoman" },
		{ "bund", "feder union" },                   /* (…) dropped */
		{ "mach", "make" },                          /* etw., to, sth. are filler */
		{ "aal", "" },                               /* three target words: skipped */
		{ "strass", "street" },                      /* ß folded, <…> dropped */
		{ "pol", "" },                               /* annotations are no entries */
		{ "comment", "" },
		/* Compounds: longest known head, Fugen-s, modifier split again. */
		{ "bundesregierungssprech", "administr feder govern speaker spokesman spokeswoman union" },
		{ "regierungshaus", "administr govern home hous" },
		{ "eisenbahnstrass", "railway street" },
		/* No known head: nothing. */
		{ "xyzabcdef", "" },
	};
	return cr_make_param_array(lookup_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(lookup_case *c, lexicon, ding_lookups)
{
	char got[512];
	put("de-en", ding);
	td_lexicon *lx = load(at("de-en"), "de", "en");
	targets(got, sizeof(got), lx, c->src);
	cr_expect_str_eq(got, c->want, "%s: got \"%s\"", c->src, got);
	/* Twice: the second answer comes from the memo and must be the same. */
	targets(got, sizeof(got), lx, c->src);
	cr_expect_str_eq(got, c->want, "%s (again): got \"%s\"", c->src, got);
	td_lexicon_free(lx);
}

Test(lexicon, keys_are_the_tokenizer_stems)
{
	td_tokenizer *de = NULL, *en = NULL;
	const td_token *t;
	size_t n;

	put("de-en", ding);
	td_lexicon *lx = load(at("de-en"), "de", "en");
	cr_assert_eq(td_tokenizer_new(&de, "de"), 0);
	cr_assert_eq(td_tokenizer_new(&en, "en"), 0);
	cr_assert_eq(td_tokenizer_run(&t, &n, de, "Häusern", 8), 0);
	cr_assert_eq(n, 1);
	char stem[64];
	snprintf(stem, sizeof(stem), "%s", t[0].stem);
	cr_assert_eq(td_tokenizer_run(&t, &n, en, "HOUSES", 6), 0);
	cr_assert(td_lexicon_has(lx, stem, t[0].stem));
	cr_assert_not(td_lexicon_has(lx, stem, "street"));
	/* haus regier sprech sprecherin bund mach strass eisenbahn hof; not aal (3 English words) */
	cr_assert_eq(td_lexicon_nkeys(lx), 9);
	td_tokenizer_free(de);
	td_tokenizer_free(en);
	td_lexicon_free(lx);
}

Test(lexicon, one_word_entries_rank_first)
{
	const char *const *v;
	size_t ns = 99;

	put("de-en", ding);
	td_lexicon *lx = load(at("de-en"), "de", "en");
	cr_assert_eq(td_lexicon_lookup_ranked(&v, &ns, lx, "haus"), 2);
	cr_assert_eq(ns, 1);
	cr_assert_str_eq(v[0], "hous");  /* "Haus :: house" */
	cr_assert_str_eq(v[1], "home");   /* only from "Haus und Hof :: house and home" */
	cr_assert_eq(td_lexicon_lookup_ranked(&v, &ns, lx, "hof"), 2);
	cr_assert_eq(ns, 0);
	cr_assert_eq(td_lexicon_lookup_ranked(&v, &ns, lx, "regier"), 2);
	cr_assert_eq(ns, 2);
	/* A compound: strong parts first, from head and modifier alike. */
	size_t n = td_lexicon_lookup_ranked(&v, &ns, lx, "regierungshaus");
	cr_assert_eq(n, 4);
	cr_assert_eq(ns, 3);
	cr_assert_str_eq(v[3], "home");
	cr_assert_eq(td_lexicon_lookup_ranked(&v, NULL, lx, "regierungshaus"), 4);
	cr_assert_eq(td_lexicon_lookup_ranked(&v, &ns, lx, "unbekannt"), 0);
	cr_assert_eq(ns, 0);
	td_lexicon_free(lx);
}

Test(lexicon, found_for_the_pair_and_reversed)
{
	td_lexicon_opts o = TD_LEXICON_OPTS_INIT;
	td_lexicon *lx = NULL;
	char got[256];

	put("de-en", ding);
	o.trans_dir = dir;
	o.dictd_dir = dir;
	o.src_lang = "de";
	o.tgt_lang = "en";
	cr_assert_eq(td_lexicon_load_opts(&lx, &o), 0, "%s", td_error_last());
	cr_assert_str_eq(td_lexicon_path(lx), at("de-en"));
	targets(got, sizeof(got), lx, "haus");
	cr_assert_str_eq(got, "home hous");
	td_lexicon_free(lx);

	/* en-de uses de-en the other way round. */
	o.src_lang = "en";
	o.tgt_lang = "de";
	cr_assert_eq(td_lexicon_load_opts(&lx, &o), 0, "%s", td_error_last());
	targets(got, sizeof(got), lx, "govern");
	cr_assert_str_eq(got, "regier");
	targets(got, sizeof(got), lx, "union");
	cr_assert_str_eq(got, "bund");
	/* No compound splitting for English sources. */
	targets(got, sizeof(got), lx, "streethous");
	cr_assert_str_eq(got, "");
	td_lexicon_free(lx);

	/* An explicit file named the other way round is reversed too. */
	cr_assert_eq(td_lexicon_load(&lx, at("de-en"), "en", "de"), 0);
	cr_assert(td_lexicon_has(lx, "railway", "eisenbahn"));
	td_lexicon_free(lx);
}

Test(lexicon, none_installed_names_where_it_looked)
{
	td_lexicon_opts o = TD_LEXICON_OPTS_INIT;
	td_lexicon *lx = (td_lexicon *)1;

	o.trans_dir = dir;
	o.dictd_dir = dir;
	o.src_lang = "de";
	o.tgt_lang = "it";
	cr_assert_eq(td_lexicon_load_opts(&lx, &o), TD_ENOTFOUND);
	cr_assert_null(lx);
	cr_assert(strstr(td_error_last(), at("de-it")) != NULL, "%s", td_error_last());
	cr_assert(strstr(td_error_last(), "freedict-deu-ita.index") != NULL, "%s", td_error_last());
	cr_assert(strstr(td_error_last(), "freedict-ita-deu.index") != NULL, "%s", td_error_last());
}

Test(lexicon, missing_file_names_the_path)
{
	td_lexicon *lx = NULL;
	cr_assert_eq(td_lexicon_load(&lx, at("fehlt.tsv"), "de", "en"), TD_EIO);
	cr_assert_null(lx);
	cr_assert(strstr(td_error_last(), at("fehlt.tsv")) != NULL, "%s", td_error_last());
	cr_assert_eq(td_lexicon_load(&lx, at("freedict-deu-eng.index"), "de", "en"), TD_EIO);
	cr_assert(strstr(td_error_last(), "freedict-deu-eng.index") != NULL, "%s", td_error_last());
}

Test(lexicon, bad_languages)
{
	td_lexicon *lx = NULL;
	put("x.tsv", "a\tb\n");
	cr_assert_eq(td_lexicon_load(&lx, at("x.tsv"), "", "en"), TD_EINVAL);
	cr_assert_eq(td_lexicon_load(&lx, at("x.tsv"), "de", NULL), TD_EINVAL);
	cr_assert_eq(td_lexicon_load(&lx, at("x.tsv"), "d3", "en"), TD_EINVAL);
	td_lexicon_free(NULL);
}

typedef struct {
	char name[24];
	char text[200];
	char message[80];  /* expected in the error, with the line */
} bad_case;

ParameterizedTestParameters(lexicon, malformed_lines_name_the_line)
{
	static bad_case cases[] = {
		{ "de-en", "# c :: d\nHaus :: house\nBaum tree\n", "de-en: line 3: no \"::\"" },
		{ "bad.txt", "Haus :: house\n\nBaum - tree\n", "bad.txt: line 3: no \"::\"" },
		{ "w.tsv", "# Kopf\nHaus\thouse\nBaum tree\n", "w.tsv: line 3: no tab" },
		{ "freedict-deu-eng.index", "haus\tA\tB\nbaum 12 3\n", "freedict-deu-eng.index: line 2: not" },
		{ "freedict-deu-fra.index", "haus\tA\t!!\n", "freedict-deu-fra.index: line 1: not" },
	};
	return cr_make_param_array(bad_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(bad_case *c, lexicon, malformed_lines_name_the_line)
{
	td_lexicon *lx = NULL;
	put(c->name, c->text);
	cr_assert_eq(td_lexicon_load(&lx, at(c->name), "de", "en"), TD_EFORMAT);
	cr_assert_null(lx);
	cr_assert(strstr(td_error_last(), c->message) != NULL, "got: %s", td_error_last());
}

Test(lexicon, tsv)
{
	char got[256];
	put("w.tsv",
	    "# German\tEnglish\n"
	    "Häuser\thouses\n"
	    "Bundesregierung\tfederal government\t0.9\n"
	    "die Straße\tthe street\n"
	    "\n"
	    "Ölpreis\toil price\n");
	td_lexicon *lx = load(at("w.tsv"), "de", "en");
	targets(got, sizeof(got), lx, "haus");
	cr_assert_str_eq(got, "hous");
	targets(got, sizeof(got), lx, "bundesregier");
	cr_assert_str_eq(got, "feder govern");  /* third column ignored */
	targets(got, sizeof(got), lx, "strass");
	cr_assert_str_eq(got, "street");
	targets(got, sizeof(got), lx, "olpreis");
	cr_assert_str_eq(got, "oil price");
	targets(got, sizeof(got), lx, "german");
	cr_assert_str_eq(got, "");  /* the comment line */
	cr_assert_eq(td_lexicon_npairs(lx), 6);
	td_lexicon_free(lx);
}

/* ---- FreeDict ---- */

static void b64(char *out, unsigned long v)
{
	static const char al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char tmp[16];
	int n = 0;
	do {
		tmp[n++] = al[v % 64];
		v /= 64;
	} while (v);
	for (int i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	out[n] = '\0';
}

/* Write NAME.index and NAME.dict.dz for headword/entry pairs, index in alphabetical order. */
static void put_freedict(const char *name, const char *const *heads, const char *const *entries, size_t n)
{
	char path[600], o[16], l[16];
	snprintf(path, sizeof(path), "%s/%s.dict.dz", dir, name);
	gzFile gz = gzopen(path, "wb9");
	cr_assert_not_null(gz);
	snprintf(path, sizeof(path), "%s/%s.index", dir, name);
	FILE *ix = fopen(path, "wb");
	cr_assert_not_null(ix);
	unsigned long off = 0;
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(entries[i]);
		cr_assert_eq(gzwrite(gz, entries[i], (unsigned)len), (int)len);
		b64(o, off);
		b64(l, len);
		fprintf(ix, "%s\t%s\t%s\n", heads[i], o, l);
		off += len;
	}
	cr_assert_eq(gzclose(gz), Z_OK);
	cr_assert_eq(fclose(ix), 0);
}

static const char *const fd_heads[] = { "00-database-info", "berg", "haus", "machen", "gipfel" };
static const char *const fd_entries[] = {
	"00-database-info\nThis is a test dictionary.\n\n",
	"Berg /b\xc9\x9b\xca\x81k/ <n, masc>\nmontagne, mont\ngro\xc3\x9f" "e, steile Erhebung\n\n",
	"Haus /ha\xca\x8as/ <n, neut>\n1. maison 2.\nzu einem bestimmten Zweck erbautes Geb\xc3\xa4ude\n 3.\n"
	"Gesamtheit der Bewohner\n2. chambre\ngesetzgebende K\xc3\xb6rperschaft\n\n",
	"machen /m\xcb\x88" "ax\xc9\x99n/ <v>\nfaire <v>, fabriquer qc <v>\n   Synonyms: {herstellen}\n"
	" see: {gemacht}\n\n",
	"Gipfel /\xcb\x88\xc9\xa1\xc9\xaap\xcd\xa1" "fl\xcc\xa9/ <n, masc>\n [fig.] sommet, comble\n"
	"      \"der Gipfel der Frechheit\"  - le comble de l'insolence\n\n",
};

Test(lexicon, freedict)
{
	char got[256];
	put_freedict("freedict-deu-fra", fd_heads, fd_entries, 5);
	td_lexicon *lx = load(at("freedict-deu-fra.index"), "de", "fr");
	targets(got, sizeof(got), lx, "berg");
	cr_expect_str_eq(got, "mont montagn", "berg: %s", got);  /* the German gloss line is no translation */
	targets(got, sizeof(got), lx, "haus");
	cr_expect_str_eq(got, "chambr maison", "haus: %s", got);  /* numbered senses; definitions skipped */
	targets(got, sizeof(got), lx, "mach");
	cr_expect_str_eq(got, "fabriqu fair", "mach: %s", got);  /* Synonyms:, see: skipped; qc filler */
	targets(got, sizeof(got), lx, "gipfel");
	cr_expect_str_eq(got, "combl sommet", "gipfel: %s", got);  /* examples skipped */
	targets(got, sizeof(got), lx, "gross");
	cr_expect_str_eq(got, "");
	targets(got, sizeof(got), lx, "databas");
	cr_expect_str_eq(got, "");
	targets(got, sizeof(got), lx, "berggipfel");  /* a compound of two entries */
	cr_expect_str_eq(got, "combl mont montagn sommet", "berggipfel: %s", got);
	td_lexicon_free(lx);

	/* Found by the pair, and through the .dict.dz name. */
	td_lexicon_opts o = TD_LEXICON_OPTS_INIT;
	o.trans_dir = dir;
	o.dictd_dir = dir;
	o.src_lang = "fr";
	o.tgt_lang = "de";
	cr_assert_eq(td_lexicon_load_opts(&lx, &o), 0, "%s", td_error_last());
	cr_assert(td_lexicon_has(lx, "montagn", "berg"));
	td_lexicon_free(lx);
	lx = load(at("freedict-deu-fra.dict.dz"), "de", "fr");
	cr_assert(td_lexicon_has(lx, "berg", "mont"));
	td_lexicon_free(lx);
}

Test(lexicon, freedict_entry_past_the_end)
{
	td_lexicon *lx = NULL;
	put_freedict("freedict-deu-fra", fd_heads, fd_entries, 2);
	FILE *ix = fopen(at("freedict-deu-fra.index"), "ab");
	cr_assert_not_null(ix);
	fputs("zzz\tBAAA\tBA\n", ix);
	fclose(ix);
	cr_assert_eq(td_lexicon_load(&lx, at("freedict-deu-fra.index"), "de", "fr"), TD_EFORMAT);
	cr_assert(strstr(td_error_last(), "zzz") != NULL, "%s", td_error_last());
}

Test(lexicon, freedict_text_not_gzip)
{
	td_lexicon *lx = NULL;
	put_freedict("freedict-deu-fra", fd_heads, fd_entries, 3);
	put("freedict-deu-fra.dict.dz", "\x1f\x8b\x08\x00garbage that is not deflate");
	cr_assert_eq(td_lexicon_load(&lx, at("freedict-deu-fra.index"), "de", "fr"), TD_EFORMAT);
	cr_assert(strstr(td_error_last(), "freedict-deu-fra") != NULL, "%s", td_error_last());
}

/* ---- threads ---- */

static void *lookups(void *arg)
{
	const td_lexicon *lx = arg;
	static const char *const words[] = { "bundesregierungssprech", "regierungshaus",
					     "eisenbahnstrass", "haus", "hausbund", "strassenbund" };
	for (int r = 0; r < 200; r++)
		for (size_t i = 0; i < 6; i++) {
			const char *const *v;
			size_t n = td_lexicon_lookup(&v, lx, words[i]);
			if (n == 0 || !v[0] || !v[n - 1][0])
				return (void *)1;
		}
	return NULL;
}

Test(lexicon, shared_across_threads)
{
	pthread_t th[4];
	void *res;
	put("de-en", ding);
	td_lexicon *lx = load(at("de-en"), "de", "en");
	for (int i = 0; i < 4; i++)
		cr_assert_eq(pthread_create(&th[i], NULL, lookups, lx), 0);
	for (int i = 0; i < 4; i++) {
		cr_assert_eq(pthread_join(th[i], &res), 0);
		cr_assert_null(res);
	}
	td_lexicon_free(lx);
}

/*
 * A thread remembers its recent lookups (lexicon.c): a lexicon loaded after
 * another was freed, maybe at the same address, answers from its own table;
 * repeated, long and compound lookups answer as the first time.
 */
Test(lexicon, a_thread_memo_never_answers_for_another_lexicon)
{
	char got[256];
	put("a.tsv", "Haus\thouse\nBundesregierungsgeb\xc3\xa4udekomplexverwaltung\tadministration\n");
	put("b.tsv", "Haus\tbuilding\n");
	for (int round = 0; round < 3; round++) {
		td_lexicon *a = load(at("a.tsv"), "de", "en");
		for (int k = 0; k < 2; k++) {
			targets(got, sizeof(got), a, "haus");
			cr_assert_str_eq(got, "hous", "round %d lookup %d", round, k);
			targets(got, sizeof(got), a, "bundesregierungsgebaudekomplexverwalt");
			cr_assert_str_eq(got, "administr");
			targets(got, sizeof(got), a, "zzz");
			cr_assert_str_eq(got, "");
		}
		td_lexicon_free(a);
		td_lexicon *b = load(at("b.tsv"), "de", "en");
		for (int k = 0; k < 2; k++) {
			targets(got, sizeof(got), b, "haus");
			cr_assert_str_eq(got, "build", "round %d lookup %d", round, k);
			targets(got, sizeof(got), b, "bundesregierungsgebaudekomplexverwalt");
			cr_assert_str_eq(got, "");
		}
		td_lexicon_free(b);
	}
}

/* ---- the cache of frozen tables ---- */

/* A TSV dictionary over the 1 MB a cache needs: "hausN<TAB>houseN" lines. */
static void put_big_tsv(const char *name, const char *extra)
{
	FILE *f = fopen(at(name), "wb");
	cr_assert_not_null(f);
	for (int i = 0; i < 70000; i++)
		fprintf(f, "haus%d\thouse%d\n", i, i);
	fputs(extra, f);
	cr_assert_eq(fclose(f), 0);
}

static size_t count_files(const char *sub)
{
	char cmd[600], buf[64];
	snprintf(cmd, sizeof(cmd), "ls '%s' 2>/dev/null | wc -l", at(sub));
	FILE *p = popen(cmd, "r");
	cr_assert_not_null(p);
	cr_assert_not_null(fgets(buf, sizeof(buf), p));
	pclose(p);
	return (size_t)atol(buf);
}

static td_lexicon *load_cached(const char *name)
{
	td_lexicon_opts o = TD_LEXICON_OPTS_INIT;
	td_lexicon *lx = NULL;
	char cache[512];
	snprintf(cache, sizeof(cache), "%s", at("cache"));
	o.path = at(name);
	o.src_lang = "de";
	o.tgt_lang = "en";
	o.cache_dir = cache;
	cr_assert_eq(td_lexicon_load_opts(&lx, &o), 0, "%s", td_error_last());
	return lx;
}

Test(lexicon, cache_gives_the_same_table)
{
	put_big_tsv("big.tsv", "Bundesregierung\tfederal government\n");
	td_lexicon *a = load_cached("big.tsv");
	cr_assert_eq(count_files("cache"), 1);
	td_lexicon *b = load_cached("big.tsv");  /* from the cache */
	cr_assert_eq(td_lexicon_npairs(a), td_lexicon_npairs(b));
	cr_assert_eq(td_lexicon_nkeys(a), td_lexicon_nkeys(b));
	cr_assert_eq(td_lexicon_npairs(b), 70002);
	cr_assert(td_lexicon_has(b, "haus69999", "house69999"));
	cr_assert(td_lexicon_has(b, "bundesregier", "feder"));
	/* Compounds work on a cached table too. */
	cr_assert(td_lexicon_has(b, "bundesregierungshaus12", "house12"));
	td_lexicon_free(a);
	td_lexicon_free(b);
}

/* Every 7th pair of put_big_tsv, looked up by one thread. */
static void *big_lookups(void *arg)
{
	const td_lexicon *lx = arg;
	char s[32], t[32];
	for (int i = 0; i < 70000; i += 7) {
		snprintf(s, sizeof(s), "haus%d", i);
		snprintf(t, sizeof(t), "house%d", i);
		if (!td_lexicon_has(lx, s, t))
			return (void *)1;
	}
	return NULL;
}

Test(lexicon, cached_table_answers_like_the_built_one)
{
	put_big_tsv("big.tsv", "Haus\thouse\nHaus\tbuilding site\nBundesregierung\tfederal government\n"
			       "Stra\xc3\x9f" "e\tstreet\n\xc3\x84rger\tanger\n");
	td_lexicon *a = load_cached("big.tsv");  /* built, then written */
	td_lexicon *b = load_cached("big.tsv");  /* mapped */
	static const char *const stems[] = { "haus", "bundesregier", "strass", "\xc3\xa4rg", "haus0",
					     "haus69999", "haus70000", "hau", "", "zzz", "bundesregierungshaus12" };
	for (size_t k = 0; k < sizeof(stems) / sizeof(stems[0]); k++) {
		const char *const *va, *const *vb;
		size_t sa, sb, na = td_lexicon_lookup_ranked(&va, &sa, a, stems[k]);
		size_t nb = td_lexicon_lookup_ranked(&vb, &sb, b, stems[k]);
		cr_assert_eq(na, nb, "%s: %zu vs %zu targets", stems[k], na, nb);
		cr_assert_eq(sa, sb, "%s: strong", stems[k]);
		for (size_t i = 0; i < na; i++)
			cr_assert_str_eq(va[i], vb[i], "%s: target %zu", stems[k], i);
	}
	cr_assert_eq(td_lexicon_nkeys(a), td_lexicon_nkeys(b));
	cr_assert(td_lexicon_has(b, "haus", "hous") && td_lexicon_has(b, "strass", "street"));
	td_lexicon_free(b);
	/* A fresh mapped table fills its targets on first use, from many threads at once. */
	b = load_cached("big.tsv");
	pthread_t th[4];
	void *res;
	for (int i = 0; i < 4; i++)
		cr_assert_eq(pthread_create(&th[i], NULL, big_lookups, b), 0);
	for (int i = 0; i < 4; i++) {
		cr_assert_eq(pthread_join(th[i], &res), 0);
		cr_assert_null(res);
	}
	td_lexicon_free(a);
	td_lexicon_free(b);
}

Test(lexicon, cache_follows_a_changed_dictionary)
{
	put_big_tsv("big.tsv", "");
	td_lexicon *a = load_cached("big.tsv");
	cr_assert_not(td_lexicon_has(a, "gipfel", "summit"));
	td_lexicon_free(a);
	sleep(1);  /* a new modification time even on coarse clocks */
	put_big_tsv("big.tsv", "Gipfel\tsummit\n");
	a = load_cached("big.tsv");
	cr_assert(td_lexicon_has(a, "gipfel", "summit"));
	cr_assert_eq(count_files("cache"), 1);  /* overwritten, not piled up */
	td_lexicon_free(a);
}

Test(lexicon, broken_cache_is_ignored)
{
	char cmd[700];
	put_big_tsv("big.tsv", "");
	td_lexicon_free(load_cached("big.tsv"));
	/* Cut every cache file in half, then garble another copy's middle. */
	snprintf(cmd, sizeof(cmd), "for f in '%s'/*.bin; do truncate -s 5000 \"$f\"; done", at("cache"));
	cr_assert_eq(system(cmd), 0);
	td_lexicon *a = load_cached("big.tsv");
	cr_assert(td_lexicon_has(a, "haus5", "house5"));
	td_lexicon_free(a);
	snprintf(cmd, sizeof(cmd), "for f in '%s'/*.bin; do printf 'XXXXXXXXXXXXXXXX' | dd of=\"$f\" bs=1 seek=200 conv=notrunc 2>/dev/null; done", at("cache"));
	cr_assert_eq(system(cmd), 0);
	a = load_cached("big.tsv");
	cr_assert_null(a->map, "a garbled file is not mapped");
	cr_assert(td_lexicon_has(a, "haus5", "house5"));
	cr_assert_eq(td_lexicon_npairs(a), 70000);
	td_lexicon_free(a);
}

/* The hash index of a mapped table: every source stem is found, nothing else is. */
Test(lexicon, cache_index_finds_every_stem_and_no_other)
{
	put_big_tsv("big.tsv", "Stra\xc3\x9f" "e\tstreet\n\xc3\x84rger\tanger\n");
	td_lexicon_free(load_cached("big.tsv"));
	td_lexicon *b = load_cached("big.tsv");
	char s[32];

	cr_assert_not_null(b->map, "the second load maps the cache");
	cr_assert_eq(b->m_nsrc, 70002);
	for (int i = 0; i < 70000; i++) {
		size_t n = (size_t)snprintf(s, sizeof(s), "haus%d", i);
		int64_t k = td_lexcache_find(b, s, n);
		cr_assert(k >= 0, "%s not found", s);
		const char *const *v;
		size_t ns, nt = td_lexcache_targets(b, (size_t)k, &v, &ns);
		cr_assert_eq(nt, 1, "%s: %zu targets", s, nt);
		cr_assert_eq(strncmp(v[0], "house", 5), 0, "%s -> %s", s, v[0]);
		cr_assert_str_eq(v[0] + 5, s + 4, "%s -> %s", s, v[0]);
	}
	cr_assert(td_lexcache_find(b, "strass", 6) >= 0);
	cr_assert(td_lexcache_find(b, "arg", 3) >= 0);  /* the stemmer drops the umlaut */
	for (int i = 70000; i < 71000; i++) {
		size_t n = (size_t)snprintf(s, sizeof(s), "haus%d", i);
		cr_assert_eq(td_lexcache_find(b, s, n), -1, "%s found", s);
	}
	/* Prefixes, extensions, another case, the empty string. */
	static const char *const absent[] = { "", "h", "hau", "haus", "haus1 ", "Haus1", "haus01",
					      "haus123456", "strasse", "stras", "\xc3\xa4r" };
	for (size_t k = 0; k < sizeof(absent) / sizeof(absent[0]); k++)
		cr_assert_eq(td_lexcache_find(b, absent[k], strlen(absent[k])), -1, "'%s' found", absent[k]);
	/* A length shorter than the string: its prefix is looked up. */
	cr_assert(td_lexcache_find(b, "haus12x", 6) >= 0);
	td_lexicon_free(b);
}

/* A cache file of an older format (another magic) is rebuilt, never mapped. */
Test(lexicon, old_cache_version_is_rebuilt)
{
	char cmd[700], path[600], magic[9] = { 0 };
	put_big_tsv("big.tsv", "");
	td_lexicon_free(load_cached("big.tsv"));
	snprintf(cmd, sizeof(cmd), "for f in '%s'/*.bin; do printf 'TDLEXC04' | dd of=\"$f\" bs=1 seek=0 conv=notrunc 2>/dev/null; done", at("cache"));
	cr_assert_eq(system(cmd), 0);
	td_lexicon *a = load_cached("big.tsv");
	cr_assert_null(a->map, "an old version is not mapped");
	cr_assert(td_lexicon_has(a, "haus5", "house5"));
	td_lexicon_free(a);
	/* Rewritten in the current format: the next load maps it. */
	snprintf(cmd, sizeof(cmd), "ls '%s'/*.bin", at("cache"));
	FILE *p = popen(cmd, "r");
	cr_assert_not_null(p);
	cr_assert_not_null(fgets(path, sizeof(path), p));
	pclose(p);
	path[strcspn(path, "\n")] = '\0';
	FILE *f = fopen(path, "rb");
	cr_assert_not_null(f);
	cr_assert_eq(fread(magic, 1, 8, f), 8);
	fclose(f);
	cr_expect_str_eq(magic, "TDLEXC05");
	a = load_cached("big.tsv");
	cr_assert_not_null(a->map);
	cr_assert(td_lexicon_has(a, "haus5", "house5"));
	td_lexicon_free(a);
}

Test(lexicon, small_dictionaries_are_not_cached)
{
	put("de-en", ding);
	td_lexicon *lx = load_cached("de-en");
	cr_assert(td_lexicon_has(lx, "haus", "hous"));
	cr_assert_eq(count_files("cache"), 0);
	td_lexicon_free(lx);
}
