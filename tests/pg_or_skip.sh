#!/bin/sh
# Run a test suite against PostgreSQL: $TANDEM_TEST_PG names a server's
# database (scripts/test sets it inside pg_virtualenv) and becomes the
# suite's TANDEM_TEST_TM (tests/helpers.c: th_tm). Skipped (77) without it.
# The readers' copies of the suite's TMs go to a cache directory of its own,
# removed afterwards.
[ -n "${TANDEM_TEST_PG:-}" ] || { echo "TANDEM_TEST_PG is not set: no PostgreSQL server to test against"; exit 77; }
cache=$(mktemp -d "${TMPDIR:-/tmp}/tandem-tm-cache-XXXXXX") || exit 1
TANDEM_TEST_TM=$TANDEM_TEST_PG TANDEM_TM_CACHE=$cache "$@"
rc=$?
rm -rf "$cache"
exit $rc
