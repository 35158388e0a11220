/*
 * Placeholder translation unit so that libtandem-memory exists before its
 * first module lands; removed when memory/tm.c is added.
 */
#include "tandem/error.h"

int td__memory_placeholder(void);
int td__memory_placeholder(void)
{
	return TD_OK;
}
