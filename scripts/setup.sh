#!/usr/bin/env bash
# Installs the system packages slowreg needs when they are missing (quietly,
# idempotently), then builds. Safe to run any number of times.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
for pkg in liblapack-dev libblas-dev liblapacke-dev libsqlite3-dev; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]}" >&2
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

if [ "${1:-}" != "--no-build" ]; then
  # Progress lines are filtered out; with pipefail (set above) a failed build
  # still fails the pipeline and the script. grep's own status is ignored: it
  # is 1 when every line was filtered out.
  swift build -c release 2>&1 | { grep -vE '^\[[0-9]+/[0-9]+\]' || true; }
  test -x .build/release/slowreg
fi
