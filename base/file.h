/*
 * Reading a whole file into memory: the one reader behind decoding, batch
 * pairs, gold alignments and FreeDict indexes.
 */
#ifndef TD_BASE_FILE_H
#define TD_BASE_FILE_H

#include <stddef.h>

/*
 * The bytes of the file at path ("-": standard input) in *out, malloc'd
 * and NUL-terminated (the NUL not counted in *out_len); the caller frees
 * them. name is the file's name in messages (NULL: path). A file of more
 * than max bytes (0: no limit) is TD_ELIMIT; a file that cannot be opened
 * or read is TD_EIO, with the system's reason. *out is NULL on failure.
 */
int td_read_file(char **out, size_t *out_len, const char *path, const char *name, size_t max);

#endif
