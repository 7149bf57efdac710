#!/usr/bin/env bash
# The whole test suite: system packages, a release build, every Swift test.
# (Release mode: the statistical tests run thousands of MCMC iterations.)
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh --no-build
swift test -c release "$@"
# The notebooks and the report screenshots run the slowreg the tests just built.
SLOWREG_BINARY="$PWD/.build/release/slowreg" ./scripts/notebooks.sh
