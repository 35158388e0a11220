/*
 * tandem: sentence alignment of translated documents and a translation memory.
 * This umbrella header includes every public module header.
 */
#ifndef TANDEM_H
#define TANDEM_H

#include "tandem/error.h"
#include "tandem/lang.h"
#include "tandem/text.h"
#include "tandem/segment.h"
#include "tandem/token.h"
#include "tandem/lexicon.h"
#include "tandem/align.h"
#include "tandem/batch.h"
#include "tandem/tm.h"
#include "tandem/tmx.h"
#include "tandem/match.h"
#include "tandem/lookup.h"
#include "tandem/concord.h"
#include "tandem/terms.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The library version, "MAJOR.MINOR.PATCH". */
TD_EXTERN const char *td_version(void);

#ifdef __cplusplus
}
#endif

#endif
