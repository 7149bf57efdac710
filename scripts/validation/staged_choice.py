#!/usr/bin/env python3
"""The staged noise choice against choosing on full runs (FitOptions.stagedNoiseChoice).

The step-level model chooses its noise among candidates by PSIS-LOO. Staged,
every candidate runs its warm-up and the first quarter of its draws; when all
of them mixed that far, the choice is made on those draws and only the chosen
one's chains go on (so its draws are those of a full run). This script fits
the same inputs with a build that chooses on full runs (--baseline, e.g. the
v7 binary, or the same build with --full-noise-choice) and with the staged
build (--slowreg), and reports per input set:

- fits with more than one candidate, and of those the share chosen in stages
  (the rest fell back to full runs: a candidate unmixed after the first
  stage, or the staged choice flagged in full);
- the share whose chosen noise agrees with the baseline's, and of those the
  share whose days[] and comparisons[] are identical to the bit (they must
  all be: the chosen candidate's chains are the same);
- the CPU seconds of both (fits run one thread each, two at a time).

Inputs:
- real: the real series of /work/shared/data (and realise/series), each fitted
  at its last day and at 30, 60, 90 and 120 days before it (--run-date);
- synthetic: year-long series with 1-5 runs a day, steps of 3-5%, drifts or
  nothing, in the six noises of alert_benchmark.py (gaussian, student-t,
  bimodal, heteroscedastic, spiky, quantized), --per-noise of each.

Usage:
  scripts/validation/staged_choice.py --slowreg NEW --baseline OLD
      [--baseline-args "--full-noise-choice"] [--per-noise 8] [--jobs 2]
      [--env NAME=VALUE ...] [--out raw.json]
"""
import argparse
import datetime as dt
import glob
import json
import os
import random
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fitlib  # noqa: E402

DATA = '/work/shared/data'
NOISES = ['gaussian', 'student-t', 'bimodal', 'heteroscedastic', 'spiky', 'quantized']
DAYS = 365


def real_inputs(tmp):
    """[(name, csv, run_date)] for the real series at five run dates."""
    out = []
    paths = sorted(glob.glob(os.path.join(DATA, '*.csv')) + glob.glob(os.path.join(DATA, 'realise', 'series', '*.csv')))
    for path in paths:
        rows = []
        with open(path, newline='') as fh:
            import csv
            for r in csv.DictReader(fh):
                try:
                    t = dt.datetime.fromisoformat(r['push_timestamp'].replace('Z', ''))
                    rows.append((t, float(r['value'])))
                except (KeyError, ValueError):
                    continue
        if not rows:
            continue
        rows.sort()
        name = os.path.splitext(os.path.basename(path))[0]
        last = rows[-1][0].date()
        for back in (0, 30, 60, 90, 120):
            # The series as it stood on that run date: its runs up to the end of the day.
            day = last - dt.timedelta(days=back)
            cut = os.path.join(tmp, f'{name}-{back}.csv')
            fitlib.write_series_csv(cut, [r for r in rows if r[0].date() <= day])
            out.append((f'{name}@-{back}', cut, day.isoformat()))
    return out


def noisy(rng, level, noise, d):
    if noise == 'gaussian':
        return level * (1 + 0.02 * rng.gauss(0, 1))
    if noise == 'student-t':
        # t(3) as a normal over the root of a scaled chi-square(3)
        chi = sum(rng.gauss(0, 1) ** 2 for _ in range(3)) / 3
        return level * (1 + 0.015 * rng.gauss(0, 1) / chi ** 0.5)
    if noise == 'bimodal':
        return level * (1 + (0.06 if rng.random() < 0.3 else 0) + 0.01 * rng.gauss(0, 1))
    if noise == 'heteroscedastic':
        return level * (1 + (0.04 if d > DAYS * 3 // 4 else 0.01) * rng.gauss(0, 1))
    if noise == 'spiky':
        v = level * (1 + 0.02 * rng.gauss(0, 1))
        return v * 1.5 if rng.random() < 0.02 else v
    if noise == 'quantized':
        step = level * 0.01
        return step * round(level * (1 + 0.02 * rng.gauss(0, 1)) / step)
    raise ValueError(noise)


def synthetic_inputs(tmp, per_noise, seed):
    rng = random.Random(seed)
    start_day = dt.datetime(2025, 1, 1)
    out = []
    for noise in NOISES:
        for k in range(per_noise):
            kind = rng.choice(['none', 'step', 'step', 'drift'])
            size = rng.uniform(3, 5) * rng.choice([1, -1])
            age = rng.randint(3, 20)
            base = rng.uniform(10, 1000)
            rows = []
            for d in range(DAYS):
                if kind == 'step':
                    m = 1 + size / 100 if d > DAYS - 1 - age else 1
                elif kind == 'drift':
                    m = 1 + size / 400 * max(0.0, (d - (DAYS - 1 - 56)) / 7)
                else:
                    m = 1
                for r in range(rng.randint(1, 5)):
                    t = start_day + dt.timedelta(days=d, hours=1 + 4 * r)
                    rows.append((t, noisy(rng, base * m, noise, d)))
            name = f'{noise}-{k}'
            path = os.path.join(tmp, name + '.csv')
            fitlib.write_series_csv(path, rows)
            out.append((name, path, None))
    return out


def run_fit(binary, csv_path, run_date, extra, env):
    cmd = [binary, 'fit', csv_path, '--format', 'json', '--omit-timing', '--threads', '1', '--seed', '1']
    if run_date:
        cmd += ['--run-date', run_date]
    cmd += extra
    # The fit's own CPU seconds (user + system) from /usr/bin/time: the
    # fits run two at a time, so the children's rusage of this process mixes them.
    with tempfile.NamedTemporaryFile('r', suffix='.time') as timing:
        p = subprocess.run(['/usr/bin/time', '-o', timing.name, '-f', '%U %S'] + cmd, capture_output=True, text=True,
                           env={**os.environ, **env})
        fields = timing.read().split()
    cpu = float(fields[-2]) + float(fields[-1]) if len(fields) >= 2 else float('nan')
    if p.returncode != 0:
        return None, cpu
    return json.loads(p.stdout), cpu


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--slowreg', required=True)
    ap.add_argument('--baseline', required=True)
    ap.add_argument('--baseline-args', default='')
    ap.add_argument('--per-noise', type=int, default=8)
    ap.add_argument('--seed', type=int, default=20261201)
    ap.add_argument('--jobs', type=int, default=2)
    ap.add_argument('--env', action='append', default=[])
    ap.add_argument('--out')
    args = ap.parse_args()
    env = dict(e.split('=', 1) for e in args.env)
    base_extra = args.baseline_args.split()
    t0 = time.time()
    with tempfile.TemporaryDirectory() as tmp:
        sets = {'real': real_inputs(tmp), 'synthetic': synthetic_inputs(tmp, args.per_noise, args.seed)}

        def both(item):
            name, path, run_date = item
            new, new_cpu = run_fit(args.slowreg, path, run_date, [], env)
            old, old_cpu = run_fit(args.baseline, path, run_date, base_extra, {})
            rec = dict(name=name, run_date=run_date, new_cpu=new_cpu, old_cpu=old_cpu, ok=new is not None and old is not None)
            if rec['ok']:
                nc, oc = new.get('noise_choice') or {}, old.get('noise_choice') or {}
                rec.update(candidates=len(nc.get('candidates') or []), new_choice=nc.get('chosen'),
                           old_choice=oc.get('chosen'), staged='chosen on the first' in (nc.get('reason') or ''),
                           reason=nc.get('reason'), status=new['diagnostics']['status'],
                           old_status=old['diagnostics']['status'],
                           identical=new['days'] == old['days'] and new['comparisons'] == old['comparisons'])
            return rec

        results = {k: fitlib.parallel_map(both, v, args.jobs) for k, v in sets.items()}
    rows = []
    for k, recs in results.items():
        ok = [r for r in recs if r['ok']]
        multi = [r for r in ok if r['candidates'] > 1]
        staged = [r for r in multi if r['staged']]
        agree = [r for r in multi if r['new_choice'] == r['old_choice']]
        agree_staged = [r for r in staged if r['new_choice'] == r['old_choice']]
        identical = [r for r in agree if r['identical']]
        single_identical = [r for r in ok if r['candidates'] <= 1 and r['identical']]
        new_cpu = sum(r['new_cpu'] for r in ok)
        old_cpu = sum(r['old_cpu'] for r in ok)
        multi_new = sum(r['new_cpu'] for r in multi)
        multi_old = sum(r['old_cpu'] for r in multi)
        rows.append([k, f"{len(ok)} of {len(recs)}", len(multi), f"{len(staged)} of {len(multi)}",
                     f"{len(agree)} of {len(multi)}", f"{len(agree_staged)} of {len(staged)}",
                     f"{len(identical)} of {len(agree)}", f"{len(single_identical)} of {len(ok) - len(multi)}",
                     f"{multi_new:.0f} / {multi_old:.0f} s = {multi_new / max(multi_old, 1e-9):.2f}",
                     f"{new_cpu:.0f} / {old_cpu:.0f} s = {new_cpu / max(old_cpu, 1e-9):.2f}"])
    print(f"staged: {args.slowreg} ({fitlib.binary_sha(args.slowreg)}); baseline: {args.baseline} {args.baseline_args}"
          f" ({fitlib.binary_sha(args.baseline)}); env {env}; {time.time() - t0:.0f} s")
    print(fitlib.table(['inputs', 'fitted', 'with 2+ candidates', 'chosen in stages', 'same choice',
                        'same choice, staged ones', 'identical days and comparisons (same choice)',
                        'identical (one candidate)', 'CPU, 2+ candidates (staged / baseline)', 'CPU, all'], rows))
    for k, recs in results.items():
        for r in recs:
            if r['ok'] and r['candidates'] > 1 and (r['new_choice'] != r['old_choice'] or not r['identical']):
                print(f"- {k} {r['name']}: staged {r['new_choice']} ({r['status']}), baseline {r['old_choice']}"
                      f" ({r['old_status']}), identical {r['identical']}; {r['reason']}")
    if args.out:
        with open(args.out, 'w') as fh:
            json.dump(results, fh, indent=1)


if __name__ == '__main__':
    main()
