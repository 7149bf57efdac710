#!/usr/bin/env bash
# Performance benchmarks. They live in a separate package (Benchmarks/) that
# depends on this one by path, so neither the main build nor CI ever builds
# the benchmark harness.
#
#   scripts/bench.sh             package-benchmark run (median, p90 … per call)
#                                plus a plain loop timed by wall and thread-CPU
#                                clocks (on a busy machine read the CPU median:
#                                preemption inflates every wall-clock figure)
#   scripts/bench.sh --profile   callgrind profile of the same workload
#                                (instruction counts: repeatable on a busy machine)
#
# Workload: log density + gradient of the Student-t spline model on a year of
# runs (365 days × 4 runs = 1,460 points, K = 46). Target: median < 20 µs.
#
# package-benchmark 1.38.1 needs no system package of its own on Linux (its
# malloc metrics come from the MallocInterposer trait, not jemalloc); the
# profiler needs valgrind.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh --no-build   # LAPACK/BLAS, as for the main build

bench_packages=()
[ "${1:-}" = "--profile" ] && bench_packages+=(valgrind)
need=()
for pkg in "${bench_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "bench: installing ${need[*]}" >&2
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

cd Benchmarks
scratch=.build-bench
if [ "${1:-}" = "--profile" ]; then
  swift build -c release --scratch-path "$scratch" --product SplineModelProfile 2>&1 | { grep -vE '^\[[0-9]+/[0-9]+\]' || true; }
  out="$scratch/callgrind.out"
  valgrind --tool=callgrind --callgrind-out-file="$out" "$scratch/release/SplineModelProfile" 2000 2>/dev/null
  callgrind_annotate --inclusive=no "$out" 2>/dev/null | head -40
else
  swift package --scratch-path "$scratch" --disable-sandbox benchmark --target SplineModelDensity --no-progress
  swift run -c release --scratch-path "$scratch" SplineModelProfile 2>&1 | grep -vE '^\[[0-9]+/[0-9]+\]|^Building|^Build of'
fi
