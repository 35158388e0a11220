/*
 * The JSON objects of lookup, concord, terms and stats, written to a stream:
 * `--json` on the command line writes them to stdout (one per line), `tandem
 * serve` to a memory stream (open_memstream) for its answers. One writer for
 * both, so the command and the server answer with the same objects.
 * Strings are escaped by td_json_string (base/json.h).
 */
#ifndef TANDEM_CLI_RENDER_H
#define TANDEM_CLI_RENDER_H

#include <stdio.h>

#include "tandem/concord.h"
#include "tandem/lookup.h"
#include "tandem/segment.h"
#include "tandem/terms.h"
#include "tandem/tm.h"

/*
 * {"query", ["paragraph", "start", "end" when sent],
 *  "matches": [{"score", "source", "target", "src_lang", "tgt_lang", "diff", "origin"}]}
 */
void render_lookup(FILE *out, const char *query, const td_lookup_result *r, const td_sentence *sent);

/* {"unit", "src_lang", "tgt_lang", "source", "target", "side", "hits": [[start, end]...], "seen"} */
void render_concord_hit(FILE *out, const td_concord_hit *h, int in_target);

/* {"term", "source_lang", "target_lang", "units", "examined", "sampled", "translations", "aligned",
 *  "unclear", "related"} */
void render_terms(FILE *out, const td_terms_result *r, const char *src, const char *tgt);

/* {"tm", "units", "documents", "provenance", "file_size", "schema_version", "pairs", "sources"} */
void render_stats(FILE *out, const char *path, const td_tm_stats *st);

#endif
