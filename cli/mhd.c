/* libmicrohttpd's functions, looked up when `tandem serve` starts (one thread). */
#define CLI_MHD_IMPL
#include "mhd.h"

#include "base/dynlib.h"
#include "tandem/error.h"

/* The soname of the ABI Debian 12 ships (libmicrohttpd12). */
#define MHD_SONAME "libmicrohttpd.so.12"

cli_mhd_api cli_mhd;

int cli_mhd_load(void)
{
	void *h = td_dynlib_open(MHD_SONAME, "HTTP commands (tandem serve)", "libmicrohttpd12");
	int rc = 0;

	if (!h)
		return TD_ENOTFOUND;
#define CLI_MHD_LOAD(f) \
	if (rc == 0) \
		rc = td_dynlib_fn(h, MHD_SONAME, #f, &cli_mhd.f, sizeof(cli_mhd.f));
	CLI_MHD_FUNCS(CLI_MHD_LOAD)
#undef CLI_MHD_LOAD
	return rc;
}
