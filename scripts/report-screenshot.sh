#!/usr/bin/env bash
# Renders `slowreg report` in headless Chromium and checks the screenshot is a
# chart, not a blank page: the pixels vary, and the 90% band's colour covers a
# real area. Debian's `chromium` is installed when missing and this user can
# install packages (root or sudo); when it cannot, the check is skipped (exit 0)
# with a message, so a developer without a browser can still run the tests.
#
# Usage: scripts/report-screenshot.sh [--store FILE] [--date D] [--out DIR]
#                                     [--slowreg BIN] [--python PY]
#   --store    the store to report on (default: a demo store made in a temporary directory)
#   --date     the run date (default: the demo date 2024-05-06)
#   --out      keep report.html and report.png in DIR (default: a temporary directory)
#   --slowreg  the slowreg binary (default: built into .build)
#   --python   a Python with Pillow (default: .venv/bin/python, else python3)
set -euo pipefail
cd "$(dirname "$0")/.."

store="" date="2024-05-06" out="" slowreg="" python=""
while [ $# -gt 0 ]; do
  case "$1" in
    --store) store=$2; shift 2 ;;
    --date) date=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --slowreg) slowreg=$2; shift 2 ;;
    --python) python=$2; shift 2 ;;
    *) echo "report-screenshot: unknown argument $1" >&2; exit 2 ;;
  esac
done

# Page size of the screenshot: wide enough for a chart at full size, tall
# enough for the summary table and the first series' charts.
WINDOW=1100,3000
# The screenshot passes when the grey levels' standard deviation exceeds this
# (a blank page has 0; a page of text alone about 10) ...
MIN_GREY_SD=10
# ... and at least this many pixels have the 90% band's colour (#c6dbef): one
# chart's band covers tens of thousands, text and tables none.
MIN_BAND_PIXELS=5000

browser=""
for name in chromium chromium-browser google-chrome; do
  if command -v "$name" >/dev/null 2>&1; then browser=$(command -v "$name"); break; fi
done
if [ -z "$browser" ]; then
  if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    echo "report-screenshot: skipped: no chromium, and this user cannot install it (apt-get as root or with sudo)" >&2
    exit 0
  fi
  echo "report-screenshot: installing chromium" >&2
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
  browser=$(command -v chromium)
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/slowreg-report.XXXXXX")
trap 'rm -rf "$work"' EXIT
out=${out:-$work}
mkdir -p "$out"

if [ -z "$slowreg" ]; then
  swift build -c release --product slowreg 2>&1 | grep -vE '^\[[0-9]+/[0-9]+\]|^Building|^Build (of product .*)?complete' || true
  slowreg=.build/release/slowreg
fi
if [ -z "$store" ]; then
  store="$work/demo.sqlite"
  "$slowreg" demo --store "$store" >"$work/demo.log" 2>&1 || { cat "$work/demo.log" >&2; exit 1; }
fi
if [ -z "$python" ]; then
  python=python3
  [ -x .venv/bin/python ] && python=.venv/bin/python
fi

"$slowreg" report --date "$date" --store "$store" --out "$out/report.html" >/dev/null
# --no-sandbox: Chromium's sandbox refuses to run as root (CI); the page is our own file.
timeout 120 "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
  --user-data-dir="$work/profile" --window-size="$WINDOW" --screenshot="$out/report.png" \
  "file://$(cd "$(dirname "$out/report.html")" && pwd)/report.html" >"$work/chromium.log" 2>&1 \
  || { cat "$work/chromium.log" >&2; echo "report-screenshot: chromium failed" >&2; exit 1; }

"$python" - "$out/report.png" "$MIN_GREY_SD" "$MIN_BAND_PIXELS" <<'PY'
import sys
from PIL import Image, ImageStat

path, min_sd, min_band = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
image = Image.open(path).convert("RGB")
sd = ImageStat.Stat(image.convert("L")).stddev[0]
band = (0xC6, 0xDB, 0xEF)
band_pixels = sum(1 for p in image.getdata() if all(abs(a - b) <= 6 for a, b in zip(p, band)))
print(f"report-screenshot: {path}: {image.width}x{image.height}, grey sd {sd:.1f}, {band_pixels} band pixels")
if sd <= min_sd or band_pixels < min_band:
    sys.exit(f"report-screenshot: the rendered report looks blank (grey sd {sd:.1f} <= {min_sd} "
             f"or band pixels {band_pixels} < {min_band})")
PY
