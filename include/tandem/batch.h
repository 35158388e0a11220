/*
 * tandem: alignment batches over many document pairs.
 *
 * A batch is a list of document pairs (td_batch_pairs), found in a directory
 * (NAME.SRC next to NAME.TGT) or read from a LIST file of
 * "source<TAB>target[<TAB>name]" lines. Each pair has a NAME, used for output
 * files (DIR/NAME.FORMAT) and in reports.
 */
#ifndef TANDEM_BATCH_H
#define TANDEM_BATCH_H

#include <stddef.h>

#include "tandem/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
	char *name;   /* DIR: the file name without ".SRC"; LIST: third column or source base name */
	char *src;    /* path of the source document */
	char *tgt;    /* path of the target document */
	size_t line;  /* LIST: 1-based line number; DIR: 0 */
} td_batch_pair;

typedef struct {
	td_batch_pair *v;   /* pairs, DIR: sorted by name (bytes); LIST: in file order */
	size_t n;
	char **unmatched;   /* DIR: paths of NAME.SRC without NAME.TGT and the reverse, sorted */
	size_t nunmatched;
} td_batch_pairs;

/*
 * The pairs of a directory: every regular file DIR/NAME.SRC_EXT with a
 * DIR/NAME.TGT_EXT beside it (extensions without the dot, compared exactly).
 * Files with other extensions are ignored; a NAME.SRC_EXT or NAME.TGT_EXT
 * without its partner is listed in `unmatched`. Subdirectories are not entered.
 * *out is owned by the caller (td_batch_pairs_free). Fails with TD_EIO when
 * the directory cannot be read, TD_EINVAL when the extensions are equal or empty.
 */
TD_EXTERN int td_batch_pairs_dir(td_batch_pairs **out, const char *dir,
	const char *src_ext, const char *tgt_ext);

/*
 * The pairs of a LIST file: one "source<TAB>target[<TAB>name]" per line; empty
 * lines and lines starting with '#' are skipped; CR LF line ends are accepted.
 * Paths are used as written (relative ones against the working directory).
 * Without a name, the name is the source's base name without its last
 * extension. Fails with TD_EFORMAT naming the line when a line has the wrong
 * number of fields, an empty field, a name that is not a plain file name, or a
 * name an earlier line already has; TD_EIO when the file cannot be read.
 */
TD_EXTERN int td_batch_pairs_list(td_batch_pairs **out, const char *list_path);

TD_EXTERN void td_batch_pairs_free(td_batch_pairs *pairs);

#ifdef __cplusplus
}
#endif

#endif
