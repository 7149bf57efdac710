#!/usr/bin/env bash
# The whole test suite: system packages, a release build, every Swift test.
# (Release mode: the statistical tests run thousands of MCMC iterations.)
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh --no-build
# A throwaway PostgreSQL server for the store tests of the second backend,
# stopped however the tests end; SLOWREG_TEST_POSTGRES_REQUIRED makes a test
# fail if the tests were somehow run without it.
eval "$(./scripts/postgres-test-server.sh start)"
# The tests' temporary stores and files (a few hundred directories, ~40 MB a
# run) go into one directory of their own, removed with the server.
TEST_TMPDIR=$(mktemp -d -t slowreg-tests.XXXXXX)
trap './scripts/postgres-test-server.sh stop "$SLOWREG_TEST_POSTGRES_DIR"; rm -rf "$TEST_TMPDIR"' EXIT
export TMPDIR=$TEST_TMPDIR
export SLOWREG_TEST_POSTGRES_REQUIRED=1
swift test -c release "$@"
# The notebooks and the report screenshots run the slowreg the tests just built.
SLOWREG_BINARY="$PWD/.build/release/slowreg" ./scripts/notebooks.sh
