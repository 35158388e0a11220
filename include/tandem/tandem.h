/*
 * tandem: sentence alignment of translated documents and a translation memory.
 * This umbrella header includes every public module header.
 */
#ifndef TANDEM_H
#define TANDEM_H

#include "tandem/error.h"
#include "tandem/segment.h"
#include "tandem/text.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The library version, "MAJOR.MINOR.PATCH". */
TD_EXTERN const char *td_version(void);

#ifdef __cplusplus
}
#endif

#endif
