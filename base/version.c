#include "tandem/tandem.h"
#include "td_config.h"

const char *td_version(void)
{
	return TD_VERSION;
}
