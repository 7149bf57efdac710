#!/usr/bin/env bash
# Executes the analyst notebooks (Notebooks/*.ipynb) headless on a fresh demo
# store and fails if any cell fails; then checks on the same store that the
# HTML report renders in headless Chromium (scripts/report-screenshot.sh), and
# again on 1,000 synthetic series (the page at scale, under its size budget).
#
# Python packages (pinned below) go into the project-local virtual environment
# .venv, installed once and reinstalled only when the pins change. slowreg is
# built when needed (release, scratch path $SLOWREG_SCRATCH_PATH or .build).
#
# Usage: scripts/notebooks.sh                 (the test command runs this)
# Environment: SLOWREG_NOTEBOOK_OUT=DIR keeps the executed notebooks in DIR
#              (SLOWREG_NOTEBOOK_OUT=Notebooks refreshes the committed outputs);
#              SLOWREG_REPORT_SERIES=N the synthetic series of the scale check
#              (default 1000; 0 skips it).
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=.venv
# Jupyter's headless runner and what the notebooks import (pillow: the screenshot check).
REQUIREMENTS=(
  nbclient==0.10.2 nbformat==5.10.4 ipykernel==6.29.5
  pandas==2.2.3 numpy==2.1.3 matplotlib==3.9.4 pillow==11.0.0
)
SCRATCH=${SLOWREG_SCRATCH_PATH:-.build}
# Longest a notebook cell may run, in seconds (each takes well under one on the demo store).
CELL_TIMEOUT=600
# Run dates fitted before the demo's own (2024-05-06), so that a series has a
# history of P(worse): every other day of the three weeks before it.
HISTORY_RUN_DATES=(2024-04-14 2024-04-16 2024-04-18 2024-04-20 2024-04-22 2024-04-24 2024-04-26 2024-04-28 2024-04-30 2024-05-02 2024-05-04)
REPORT_SERIES=${SLOWREG_REPORT_SERIES:-1000}

can_install_packages() { [ "$(id -u)" -eq 0 ] || command -v sudo >/dev/null 2>&1; }
apt_install() {
  local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# 1. The virtual environment (Debian's python3 needs python3-venv for ensurepip).
if [ ! -x "$VENV/bin/python" ]; then
  if ! python3 -c 'import ensurepip' 2>/dev/null; then
    can_install_packages || { echo "notebooks: python3 cannot make a venv; install python3-venv" >&2; exit 1; }
    echo "notebooks: installing python3-venv" >&2
    apt_install python3-venv
  fi
  python3 -m venv "$VENV"
fi
stamp="$VENV/.slowreg-requirements"
if [ "$(cat "$stamp" 2>/dev/null)" != "${REQUIREMENTS[*]}" ]; then
  echo "notebooks: installing ${REQUIREMENTS[*]} into $VENV" >&2
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "${REQUIREMENTS[@]}"
  echo "${REQUIREMENTS[*]}" > "$stamp"
fi

# 2. slowreg: the binary the test run just built (SLOWREG_BINARY, from
# scripts/test.sh: a `swift build --product` after `swift test` compiles every
# module again without testability, minutes for nothing), else a build.
if [ -n "${SLOWREG_BINARY:-}" ] && [ -x "$SLOWREG_BINARY" ]; then
  SLOWREG="$SLOWREG_BINARY"
else
  swift build -c release --product slowreg --scratch-path "$SCRATCH" 2>&1 | { grep -vE '^\[[0-9]+/[0-9]+\]|^Building|^Build (of product .*)?complete' || true; }
  SLOWREG="$SCRATCH/release/slowreg"
fi
test -x "$SLOWREG" || { echo "notebooks: $SLOWREG was not built" >&2; exit 1; }

# 3. A demo store in a temporary directory.
work=$(mktemp -d "${TMPDIR:-/tmp}/slowreg-notebooks.XXXXXX")
trap 'rm -rf "$work"' EXIT
store="$work/demo.sqlite"
if ! "$SLOWREG" demo --store "$store" >"$work/demo.log" 2>&1; then
  cat "$work/demo.log" >&2
  echo "notebooks: slowreg demo failed" >&2
  exit 1
fi
# The earlier run dates of the history notebook (the demo's own run date keeps
# every fitted day's draws: a default run does, for a series' latest run date).
: >"$work/run.log"
for day in "${HISTORY_RUN_DATES[@]}"; do
  "$SLOWREG" run --date "$day" --store "$store" --quiet >>"$work/run.log" 2>&1 \
    || { cat "$work/run.log" >&2; echo "notebooks: slowreg run --date $day failed" >&2; exit 1; }
done

# 4. Every notebook, every cell; the first failing cell stops the run with its traceback.
out=${SLOWREG_NOTEBOOK_OUT:-$work/executed}
mkdir -p "$out"
SLOWREG_STORE="$store" SLOWREG="$(cd "$(dirname "$SLOWREG")" && pwd)/slowreg" PATH="$PWD/$VENV/bin:$PATH" "$VENV/bin/python" - "$out" "$CELL_TIMEOUT" Notebooks/*.ipynb <<'PY'
import os
import sys

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

out, timeout, paths = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
failed = 0
for path in paths:
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}})
    try:
        client.execute()
        print(f"notebooks: {path}: {sum(c.cell_type == 'code' for c in notebook.cells)} cells ran")
    except CellExecutionError as error:
        failed += 1
        print(f"notebooks: {path}: a cell failed\n{error}", file=sys.stderr)
    nbformat.write(notebook, os.path.join(out, os.path.basename(path)))
sys.exit(1 if failed else 0)
PY

# 5. The report of the same store, in headless Chromium; then of many series.
./scripts/report-screenshot.sh --store "$store" --slowreg "$SLOWREG" --python "$VENV/bin/python"
if [ "$REPORT_SERIES" -gt 0 ]; then
  ./scripts/report-screenshot.sh --series "$REPORT_SERIES" --slowreg "$SLOWREG" --python "$VENV/bin/python"
fi
