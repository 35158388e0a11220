/*
 * libmicrohttpd, opened when `tandem serve` starts (base/dynlib.h says why).
 * serve.c includes this header after <microhttpd.h>: each MHD function it
 * calls becomes a call through cli_mhd, filled by cli_mhd_load.
 */
#ifndef TD_CLI_MHD_H
#define TD_CLI_MHD_H

#include <microhttpd.h>

#define CLI_MHD_FUNCS(X) \
	X(MHD_add_response_header) X(MHD_create_response_from_buffer) X(MHD_destroy_response) \
	X(MHD_get_connection_info) X(MHD_get_daemon_info) X(MHD_http_unescape) \
	X(MHD_lookup_connection_value) X(MHD_queue_response) X(MHD_quiesce_daemon) \
	X(MHD_start_daemon) X(MHD_stop_daemon)

#define CLI_MHD_FIELD(f) __typeof__(f) *f;
typedef struct {
	CLI_MHD_FUNCS(CLI_MHD_FIELD)
} cli_mhd_api;
#undef CLI_MHD_FIELD

extern cli_mhd_api cli_mhd;

/* Open libmicrohttpd; 0, or < 0 with the library's error set. */
int cli_mhd_load(void);

#ifndef CLI_MHD_IMPL
#define MHD_add_response_header (cli_mhd.MHD_add_response_header)
#define MHD_create_response_from_buffer (cli_mhd.MHD_create_response_from_buffer)
#define MHD_destroy_response (cli_mhd.MHD_destroy_response)
#define MHD_get_connection_info (cli_mhd.MHD_get_connection_info)
#define MHD_get_daemon_info (cli_mhd.MHD_get_daemon_info)
#define MHD_http_unescape (cli_mhd.MHD_http_unescape)
#define MHD_lookup_connection_value (cli_mhd.MHD_lookup_connection_value)
#define MHD_queue_response (cli_mhd.MHD_queue_response)
#define MHD_quiesce_daemon (cli_mhd.MHD_quiesce_daemon)
#define MHD_start_daemon (cli_mhd.MHD_start_daemon)
#define MHD_stop_daemon (cli_mhd.MHD_stop_daemon)
#endif

#endif
