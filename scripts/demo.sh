#!/usr/bin/env bash
# The main job on bundled data: installs what the build needs, builds, and runs
# `slowreg demo` into ./slowreg.sqlite (or $SLOWREG_STORE).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
exec .build/release/slowreg demo --store "${SLOWREG_STORE:-./slowreg.sqlite}" "$@"
