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
trap './scripts/postgres-test-server.sh stop "$SLOWREG_TEST_POSTGRES_DIR"' EXIT
export SLOWREG_TEST_POSTGRES_REQUIRED=1
swift test -c release "$@"
# The notebooks and the report screenshots run the slowreg the tests just built.
SLOWREG_BINARY="$PWD/.build/release/slowreg" ./scripts/notebooks.sh
