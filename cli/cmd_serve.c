/*
 * tandem serve: the TM over HTTP for CAT tools (the tmserver / amaGama API
 * that Weblate, Virtaal and Pootle speak), tandem's own JSON API and a page
 * for translators. The server itself is serve.c.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "serve.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: tandem serve [--tm FILE] [--bind ADDR] [--port N] [-j N]\n"
		"                    [--allow-write --token-file FILE] [--quiet]\n"
		"\n"
		"Answer lookups, concordance and term questions over HTTP until SIGTERM or\n"
		"Ctrl-C; units stored meanwhile by import, align --tm or batch --tm are found\n"
		"at once. Pages and APIs:\n"
		"\n"
		"  /                                  a search page for translators\n"
		"  /tmserver/{src}/{tgt}/unit/{text}  tmserver / amaGama lookup (also under\n"
		"  /api/v1/{src}/{tgt}/unit/?source=  /api/v1/); min_similarity (70, never\n"
		"                                     below 30), max_candidates (5), callback\n"
		"  /tmserver/languages/               the languages (also /api/v1/languages/)\n"
		"  /api/lookup?q=&src=&tgt=&min=&max= the objects of lookup --json\n"
		"  /api/concord?q=&src=&tgt=&lang=&max=, /api/terms?q=&src=&tgt=&max=,\n"
		"  /api/stats, /healthz\n"
		"  POST /tmserver/{src}/{tgt}/unit/{text} with {\"source\", \"target\"}, and\n"
		"  POST /api/v1/import with a TMX body: only with --allow-write and the\n"
		"  header 'Authorization: Bearer TOKEN'\n"
		"\n"
		"  --tm FILE          the TM (default $TANDEM_TM, else ./tandem.db)\n"
		"  --bind ADDR        address to listen on (default 127.0.0.1: this machine only)\n"
		"  -p, --port N       port (default %d; 0: any free port)\n"
		"  -j, --threads N    requests answered at once (default: the CPUs, at most 8;\n"
		"                     the others wait their turn, first come first served)\n"
		"  --allow-write      accept units and TMX imports (needs --token-file)\n"
		"  --token-file FILE  the bearer token writes must carry (first line of FILE;\n"
		"                     never on the command line, where ps shows it)\n"
		"  --max-body N       largest request body in bytes (default 8192)\n"
		"  --max-import N     largest TMX body of /api/v1/import (default 4194304)\n"
		"  --max-query N      longest query in bytes (default 8192; longer: 414)\n"
		"  --timeout S        seconds a client may take to send a request (default 10)\n"
		"  --no-lexicon       terms from the TM's evidence alone (no dictionary; the\n"
		"                     dictionary of the TM's main pair loads in the background)\n"
		"  --port-file FILE   write the port to FILE once listening\n"
		"  -q, --quiet        no access log (common log format on stderr)\n"
		"  -h, --help         this help\n", SERVE_DEFAULT_PORT);
}

static int read_token(char *out, size_t n, const char *path)
{
	FILE *f = fopen(path, "r");
	struct stat sb;
	size_t len;

	if (!f) {
		cli_error("serve: %s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fileno(f), &sb) == 0 && (sb.st_mode & 077))
		cli_error("serve: warning: %s can be read by other users", path);
	if (!fgets(out, (int)n, f)) {
		fclose(f);
		cli_error("serve: %s: empty token file", path);
		return -1;
	}
	fclose(f);
	len = strcspn(out, "\r\n");
	out[len] = '\0';
	if (len < 16) {
		cli_error("serve: %s: the token must have at least 16 characters", path);
		return -1;
	}
	return 0;
}

static int parse_size(size_t *out, const char *s, size_t lo, size_t hi)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (end == s || *end || errno || *s == '-' || v < lo || v > hi)
		return -1;
	*out = (size_t)v;
	return 0;
}

int cmd_serve(int argc, char **argv)
{
	enum { OPT_TM = 256, OPT_BIND, OPT_WRITE, OPT_TOKEN, OPT_BODY, OPT_IMPORT, OPT_QUERY, OPT_TIMEOUT,
		OPT_PORTFILE, OPT_NOLEX };
	static const struct option longopts[] = {
		{ "tm", required_argument, NULL, OPT_TM },
		{ "bind", required_argument, NULL, OPT_BIND },
		{ "port", required_argument, NULL, 'p' },
		{ "threads", required_argument, NULL, 'j' },
		{ "allow-write", no_argument, NULL, OPT_WRITE },
		{ "token-file", required_argument, NULL, OPT_TOKEN },
		{ "max-body", required_argument, NULL, OPT_BODY },
		{ "max-import", required_argument, NULL, OPT_IMPORT },
		{ "max-query", required_argument, NULL, OPT_QUERY },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "port-file", required_argument, NULL, OPT_PORTFILE },
		{ "quiet", no_argument, NULL, 'q' },
		{ "no-lexicon", no_argument, NULL, OPT_NOLEX },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	serve_opts o;
	const char *tm = NULL, *token_file = NULL;
	char token[512];
	size_t v;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int c;

	memset(&o, 0, sizeof(o));
	o.bind = "127.0.0.1";
	o.port = SERVE_DEFAULT_PORT;
	o.threads = ncpu < 1 ? 1 : ncpu > 8 ? 8 : (unsigned)ncpu;
	o.max_body = 8192;
	o.max_import = 4u << 20;
	o.max_query = 8192;
	o.timeout = 10;
	optind = 1;
	while ((c = cli_getopt("serve", argc, argv, "p:j:qh", longopts)) != -1) {
		switch (c) {
		case OPT_TM: tm = optarg; break;
		case OPT_BIND: o.bind = optarg; break;
		case 'p':
			if (parse_size(&v, optarg, 0, 65535) < 0)
				return cli_usage_error("serve", "--port wants 0..65535, not '%s'", optarg);
			o.port = (unsigned)v;
			break;
		case 'j':
			if (parse_size(&v, optarg, 1, 64) < 0)
				return cli_usage_error("serve", "--threads wants 1..64, not '%s'", optarg);
			o.threads = (unsigned)v;
			break;
		case OPT_WRITE: o.allow_write = 1; break;
		case OPT_TOKEN: token_file = optarg; break;
		case OPT_BODY:
			if (parse_size(&o.max_body, optarg, 64, (size_t)1 << 30) < 0)
				return cli_usage_error("serve", "--max-body wants bytes 64..2^30, not '%s'", optarg);
			break;
		case OPT_IMPORT:
			if (parse_size(&o.max_import, optarg, 64, (size_t)1 << 31) < 0)
				return cli_usage_error("serve", "--max-import wants bytes 64..2^31, not '%s'", optarg);
			break;
		case OPT_QUERY:
			if (parse_size(&o.max_query, optarg, 2000, 65536) < 0)
				return cli_usage_error("serve", "--max-query wants bytes 2000..65536, not '%s'", optarg);
			break;
		case OPT_TIMEOUT:
			if (parse_size(&v, optarg, 1, 3600) < 0)
				return cli_usage_error("serve", "--timeout wants seconds 1..3600, not '%s'", optarg);
			o.timeout = (unsigned)v;
			break;
		case OPT_PORTFILE: o.port_file = optarg; break;
		case 'q': o.quiet = 1; break;
		case OPT_NOLEX: o.no_lexicon = 1; break;
		case 'h':
			usage(stdout);
			return cli_finish(CLI_OK);
		default:
			return CLI_USAGE;  /* cli_getopt said why */
		}
	}
	if (optind != argc)
		return cli_usage_error("serve", "unexpected argument '%s'", argv[optind]);
	if (o.allow_write && !token_file)
		return cli_usage_error("serve", "--allow-write needs --token-file FILE");
	if (token_file && !o.allow_write)
		return cli_usage_error("serve", "--token-file is for --allow-write");
	if (token_file) {
		if (read_token(token, sizeof(token), token_file) < 0)
			return CLI_USAGE;
		o.token = token;
	}
	o.tm_path = cli_tm_path(tm);
	return serve_run(&o);
}
