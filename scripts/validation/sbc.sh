#!/usr/bin/env bash
# The full simulation-based calibration (both noise models, Gibbs and NUTS).
# Usage: scripts/validation/sbc.sh [REPLICATES] [THREADS] [all|spline|step-level|two-modes|geweke] [SEED]   (default 500, all cores, all, 2024)
# geweke: Geweke's successive-conditional test of the step-level kernel (6 × REPLICATES chains a noise model)
set -euo pipefail
cd "$(dirname "$0")/../.."
./scripts/setup.sh --no-build
cd Benchmarks
# The filter keeps the build's errors; pipefail keeps its failure (an old binary must not run in its place).
swift build -c release --scratch-path .build-bench --product SBC 2>&1 | { grep -E "error|warning: unre" || true; }
exec .build-bench/release/SBC "${1:-500}" "${2:-$(nproc)}" "${3:-all}" "${4:-2024}"
