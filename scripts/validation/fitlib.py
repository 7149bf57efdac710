"""Shared helpers for the validation scripts: run `slowreg fit`, write series,
format markdown tables.

Not a script. Python 3 standard library plus numpy.

The binary is found, in order, from `--slowreg`, the SLOWREG environment
variable, and `.build/release/slowreg` at the repository root. `--model NAME`
is passed through to `slowreg fit` only when given (several `--model` options
run the study once per model and put the models side by side in the tables).
"""
import argparse
import concurrent.futures as cf
import hashlib
import datetime as dt
import json
import math
import os
import subprocess
import sys
import time

REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..'))
DEFAULT_MODEL_LABEL = '(binary default)'
RETRIES = 12        # a binary rebuilt in place is briefly busy or missing
RETRY_WAIT_S = 5
START_WAIT_S = 600  # how long a script waits for a missing binary before giving up


def add_common_args(p):
    p.add_argument('--slowreg', default=os.environ.get('SLOWREG', os.path.join(REPO, '.build', 'release', 'slowreg')),
                   help='slowreg binary (default: $SLOWREG, else .build/release/slowreg)')
    p.add_argument('--model', action='append', default=None,
                   help='passed as `slowreg fit --model NAME`; repeat to compare models side by side '
                        '(default: not passed, the binary\'s default model)')
    p.add_argument('--default-label', default=DEFAULT_MODEL_LABEL,
                   help='name shown for the run without --model (e.g. "reference" for a binary whose '
                        'default is the reference model)')
    p.add_argument('--jobs', type=int, default=2, help='fits run at once (default 2; each uses --threads 1)')
    p.add_argument('--timeout', type=float, default=120, help='seconds per fit before it counts as failed')
    p.add_argument('--quick', action='store_true', help='small smoke run')
    p.add_argument('--out', default=None, help='also write the raw per-fit records as JSON here')
    return p


def models_of(args):
    """The models to run: [None] means 'do not pass --model'."""
    return args.model if args.model else [None]


def model_label(m, default_label=DEFAULT_MODEL_LABEL):
    return m if m is not None else default_label


def binary_sha(binary):
    try:
        with open(binary, 'rb') as fh:
            return hashlib.sha256(fh.read()).hexdigest()[:12]
    except OSError:
        return '?'


def wait_for_binary(binary):
    """Wait (up to START_WAIT_S) for an executable binary; exit with a clear message if none appears."""
    t0 = time.monotonic()
    while not (os.path.isfile(binary) and os.access(binary, os.X_OK)):
        if time.monotonic() - t0 > START_WAIT_S:
            raise SystemExit(f'error: no executable slowreg at {binary} (give --slowreg or set SLOWREG)')
        print(f'waiting for {binary} ...', file=sys.stderr)
        time.sleep(15)


def slowreg_version(binary):
    """'0.2.0 (sha256 712f4e1324d0)': the version and the binary's hash, so a
    table says which build made it (a rebuild in place keeps the version)."""
    try:
        v = subprocess.run([binary, '--version'], capture_output=True, text=True, timeout=30).stdout.strip()
    except Exception:
        v = '?'
    return f'{v} (sha256 {binary_sha(binary)})'


def fit(binary, csv_path, model=None, compare=(), run_date=None, seed=1, timeout=120, extra=()):
    """Run `slowreg fit CSV --format json --omit-timing --threads 1` and return
    (ok, json_or_error_string, wall_seconds)."""
    cmd = [binary, 'fit', csv_path, '--format', 'json', '--omit-timing', '--threads', '1', '--seed', str(seed)]
    if compare:
        cmd += ['--compare'] + [str(c) for c in compare]
    if run_date is not None:
        cmd += ['--run-date', str(run_date)]
    if model is not None:
        cmd += ['--model', model]
    cmd += list(extra)
    for attempt in range(RETRIES):
        t0 = time.monotonic()
        try:
            p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
            break
        except subprocess.TimeoutExpired:
            return False, f'timeout after {timeout:.0f} s', time.monotonic() - t0
        except OSError as e:  # binary being rebuilt (ETXTBSY) or missing: wait and retry
            if attempt == RETRIES - 1:
                return False, f'cannot run {binary}: {e}', time.monotonic() - t0
            time.sleep(RETRY_WAIT_S)
    wall = time.monotonic() - t0
    if p.returncode != 0:
        lines = [x for x in p.stderr.strip().splitlines() if x.strip()]
        return False, f'exit {p.returncode}: {lines[0] if lines else ""}', wall
    try:
        return True, json.loads(p.stdout), wall
    except ValueError as e:
        return False, f'bad JSON: {e}', wall


def parallel_map(fn, items, jobs):
    """Map fn over items with at most `jobs` fits at a time; keeps order."""
    with cf.ThreadPoolExecutor(max_workers=max(1, jobs)) as ex:
        return list(ex.map(fn, items))


def write_series_csv(path, rows):
    """rows: iterable of (datetime (UTC, naive), value)."""
    with open(path, 'w') as fh:
        fh.write('time,value\n')
        for t, v in rows:
            fh.write(f'{t.strftime("%Y-%m-%dT%H:%M:%S")},{v!r}\n')


def comparison(j, date):
    """The comparison of the fit's run date with `date` (ISO string), or None."""
    for c in j.get('comparisons', []):
        if c.get('date') == date and c.get('p_worse') is not None and not c.get('skipped'):
            return c
    return None


# ------------------------------------------------------------ formatting

def share(k, n):
    return None if n == 0 else k / n


def fmt(x, nd=2):
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return '–'
    return f'{x:.{nd}f}'


def fmt_share(k, n, nd=2):
    """'0.78 ± 0.02 (n)': a share with its binomial Monte Carlo standard error."""
    if n == 0:
        return '–'
    p = k / n
    se = math.sqrt(max(p * (1 - p), 0.25 / n) / n)  # floor keeps 0/n and n/n honest
    return f'{p:.{nd}f} ± {se:.{nd}f}'


def table(header, rows):
    """A compact markdown table."""
    out = ['| ' + ' | '.join(header) + ' |', '|' + '|'.join('---' for _ in header) + '|']
    for r in rows:
        out.append('| ' + ' | '.join(str(x) for x in r) + ' |')
    return '\n'.join(out)


def today_utc():
    return dt.datetime.now(dt.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')


def binary_changed_note(binary, version_at_start):
    """A warning line when the binary was rebuilt during the run (its results mix builds)."""
    now = slowreg_version(binary)
    if now != version_at_start:
        return f'\n**Warning**: the binary changed during the run ({version_at_start} → {now}); results mix builds.'
    return ''
