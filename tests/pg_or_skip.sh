#!/bin/sh
# Run a test suite against PostgreSQL: $TANDEM_TEST_PG names a server's
# database (scripts/test sets it inside pg_virtualenv) and becomes the
# suite's TANDEM_TEST_TM (tests/helpers.c: th_tm). Skipped (77) without it.
[ -n "${TANDEM_TEST_PG:-}" ] || { echo "TANDEM_TEST_PG is not set: no PostgreSQL server to test against"; exit 77; }
TANDEM_TEST_TM=$TANDEM_TEST_PG exec "$@"
