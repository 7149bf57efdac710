#!/usr/bin/env bash
# Renders `slowreg report` in headless Chromium and checks the screenshot is a
# chart, not a blank page: the pixels vary, and the 90% band's colour covers a
# real area. Checks the page's size against the budget of 40 KB a series and
# that it has a section for every series. Debian's `chromium` is installed when
# missing and this user can install packages (root or sudo); when it cannot,
# the screenshot is skipped (exit 0) with a message, so a developer without a
# browser can still run the tests.
#
# Usage: scripts/report-screenshot.sh [--store FILE | --series N] [--date D] [--out DIR]
#                                     [--slowreg BIN] [--python PY] [--section]
#   --store    the store to report on (default: a demo store made in a temporary directory)
#   --series   instead, N synthetic year-long series (1-5 runs a day, revisions,
#              versions; a tenth with a 3% step 10 days before D) ingested and
#              fitted in a temporary store with a short sampler run: the report at scale
#   --date     the run date (default: the demo date 2024-05-06)
#   --out      keep report.html and report.png in DIR (default: a temporary directory)
#   --slowreg  the slowreg binary (default: built into .build)
#   --python   a Python with Pillow (and NumPy for --series) (default: .venv/bin/python, else python3)
#   --section  also screenshot the first series' section alone (section.png, for the README);
#              always with --series, whose first screen is the summary of 1,000 rows
#   --section-of TEXT  … the first section whose HTML contains TEXT
set -euo pipefail
cd "$(dirname "$0")/.."

store="" series="" date="2024-05-06" out="" slowreg="" python="" section="" match=""
while [ $# -gt 0 ]; do
  case "$1" in
    --store) store=$2; shift 2 ;;
    --series) series=$2; shift 2 ;;
    --section) section=1; shift ;;
    --section-of) section=1; match=$2; shift 2 ;;
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
# The page may weigh this much per series (issue 13), plus the fixed part
# (style, script, legend) below.
BUDGET_PER_SERIES=40000
BUDGET_FIXED=60000
# Sampler settings of --series: enough for a chart (one chain: the page is what is checked,
# not the fits), a fraction of the default run's time.
SYNTHETIC_SAMPLER=(--chains 1 --warmup 150 --draws 200 --kept-draws 200)

work=$(mktemp -d "${TMPDIR:-/tmp}/slowreg-report.XXXXXX")
trap 'rm -rf "$work"' EXIT
out=${out:-$work}
mkdir -p "$out"

if [ -z "$slowreg" ]; then
  swift build -c release --product slowreg 2>&1 | { grep -vE '^\[[0-9]+/[0-9]+\]|^Building|^Build (of product .*)?complete' || true; }
  slowreg=.build/release/slowreg
fi
if [ -z "$python" ]; then
  python=python3
  [ -x .venv/bin/python ] && python=.venv/bin/python
fi
if [ -n "$series" ]; then
  store="$work/synthetic.sqlite"
  start=$(date +%s)
  "$python" - "$series" "$date" "$work/synthetic.csv" <<'PY'
import sys
import numpy as np

n, last, path = int(sys.argv[1]), np.datetime64(sys.argv[2]), sys.argv[3]
rng = np.random.default_rng(13)
with open(path, "w") as f:
    f.write("push_timestamp,value,revision,repository_name,machine_platform,suite,test,lower_is_better,measurement_unit,version\n")
    for s in range(n):
        level, noise = rng.uniform(10, 1000), rng.uniform(0.01, 0.05)
        step = 3.0 if s % 10 == 0 else 0.0
        for d in range(365):
            day = last - np.timedelta64(364 - d, "D")
            major = 113 + d // 28
            version = f"{major}.0" if d % 28 >= 21 else f"{major}.0b{1 + d % 28 // 3}"
            for r in range(rng.integers(1, 6)):
                v = level * (1 + (step / 100 if d > 354 else 0)) * (1 + noise * rng.standard_normal())
                revision = "%040x" % int(rng.integers(0, 2**62))
                f.write(f"{day} {1 + 4 * r:02d}:{int(rng.integers(0, 60)):02d}:00,{v:.6g},{revision},mozilla-beta,"
                        f"platform-{s % 6},suite-{s // 6},subtest-{s % 7},True,ms,{version}\n")
PY
  "$slowreg" ingest "$work/synthetic.csv" --store "$store" >"$work/ingest.log" 2>&1 || { cat "$work/ingest.log" >&2; exit 1; }
  "$slowreg" run --date "$date" --store "$store" --quiet "${SYNTHETIC_SAMPLER[@]}" >"$work/run.log" 2>&1 \
    || { cat "$work/run.log" >&2; echo "report-screenshot: the synthetic run failed" >&2; exit 1; }
  echo "report-screenshot: $series synthetic series ingested and fitted in $(( $(date +%s) - start )) s" >&2
fi
if [ -z "$store" ]; then
  store="$work/demo.sqlite"
  "$slowreg" demo --store "$store" >"$work/demo.log" 2>&1 || { cat "$work/demo.log" >&2; exit 1; }
fi

start=$(date +%s)
"$slowreg" report --date "$date" --store "$store" --out "$out/report.html" >/dev/null
sections=$(grep -o '<details class="series"' "$out/report.html" | wc -l)
bytes=$(stat -c %s "$out/report.html")
budget=$(( sections * BUDGET_PER_SERIES + BUDGET_FIXED ))
echo "report-screenshot: report.html: $sections series, $bytes bytes ($(( (bytes - BUDGET_FIXED) / (sections > 0 ? sections : 1) )) a series beyond the fixed part), written in $(( $(date +%s) - start )) s" >&2
if [ -n "$series" ] && [ "$sections" -ne "$series" ]; then
  echo "report-screenshot: the report has $sections series sections, not $series" >&2; exit 1
fi
if [ "$bytes" -gt "$budget" ]; then
  echo "report-screenshot: the report is over its size budget: $bytes > $budget bytes ($BUDGET_PER_SERIES a series + $BUDGET_FIXED)" >&2; exit 1
fi
browser=""
for name in chromium chromium-browser google-chrome; do
  if command -v "$name" >/dev/null 2>&1; then browser=$(command -v "$name"); break; fi
done
if [ -z "$browser" ]; then
  if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    echo "report-screenshot: screenshot skipped: no chromium, and this user cannot install it (apt-get as root or with sudo)" >&2
    exit 0
  fi
  echo "report-screenshot: installing chromium" >&2
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
  browser=$(command -v chromium)
fi

# --no-sandbox: Chromium's sandbox refuses to run as root (CI); the page is our own file.
timeout 120 "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
  --user-data-dir="$work/profile" --window-size="$WINDOW" --screenshot="$out/report.png" \
  "file://$(cd "$(dirname "$out/report.html")" && pwd)/report.html" >"$work/chromium.log" 2>&1 \
  || { cat "$work/chromium.log" >&2; echo "report-screenshot: chromium failed" >&2; exit 1; }

[ -n "$series" ] && section=1
if [ -n "$section" ]; then
  # One series' section alone: the page cut at the next section, the window
  # as tall as a section (a README screenshot).
  "$python" - "$out/report.html" "$out/section.html" "$match" <<'PY'
import re, sys
html = open(sys.argv[1], encoding="utf-8").read()
match = sys.argv[3]
head, rest = html.split("<body>", 1)
starts = [m.start() for m in re.finditer('<details class="series"', rest)] + [rest.index("<script>")]
pick = next(i for i in range(len(starts) - 1) if not match or match in rest[starts[i]:starts[i + 1]])
body = rest[starts[pick]:starts[pick + 1]]
body = body.replace('<details class="series"', '<details open class="series"', 1)
open(sys.argv[2], "w", encoding="utf-8").write(head + "<body>\n" + body + "</body></html>\n")
PY
  timeout 120 "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
    --user-data-dir="$work/profile" --window-size=1240,1240 --screenshot="$out/section.png" \
    "file://$(cd "$out" && pwd)/section.html" >"$work/chromium.log" 2>&1 \
    || { cat "$work/chromium.log" >&2; echo "report-screenshot: chromium failed" >&2; exit 1; }
fi

# The page, and (when taken) the section: neither blank; the band's colour on
# the section, or on the page's first screen when it shows charts (a few series).
"$python" - "$MIN_GREY_SD" "$MIN_BAND_PIXELS" "$out/report.png" ${section:+"$out/section.png"} <<'PY'
import sys
from PIL import Image, ImageStat

min_sd, min_band, paths = float(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
band = (0xC6, 0xDB, 0xEF)
for i, path in enumerate(paths):
    image = Image.open(path).convert("RGB")
    sd = ImageStat.Stat(image.convert("L")).stddev[0]
    band_pixels = sum(1 for p in image.getdata() if all(abs(a - b) <= 6 for a, b in zip(p, band)))
    print(f"report-screenshot: {path}: {image.width}x{image.height}, grey sd {sd:.1f}, {band_pixels} band pixels")
    if sd <= min_sd:
        sys.exit(f"report-screenshot: {path} looks blank (grey sd {sd:.1f} <= {min_sd})")
    if i == len(paths) - 1 and band_pixels < min_band:
        sys.exit(f"report-screenshot: {path} shows no chart ({band_pixels} band pixels < {min_band})")
PY
