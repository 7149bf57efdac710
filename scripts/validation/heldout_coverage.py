#!/usr/bin/env python3
"""Held-out predictive coverage on the real Mozilla series (issue 11, "Must
show", second item): does the 90% predictive interval of a day the model did
not see hold 90% of that day's runs?

Data: /work/shared/data/*.csv and /work/shared/data/realise/series/*.csv
(--data-dir to change; the Treeherder export layout, `push_timestamp` without
a zone = UTC, and `value`). Each is converted to a `time,value` CSV.

How it measures, per series and per split (--splits, default 1; seeded):
1. The calendar days (UTC) with runs are listed; the first and last are
   always kept so the fitted day range is the same with and without the
   hidden days (a model that extends past the last run is not favoured, and
   the reference model, whose range ends at the last kept run, can score
   every hidden day). Of the days strictly between, round(20%) are hidden
   at random.
2. The series without the hidden days is fitted:
   `slowreg fit TRAIN --format json --omit-timing --threads 1 --seed 1
   [--model NAME]`.
3. Each hidden day keeps its first five runs by time (the SPEC §4 daily cap,
   the same the fit applies to the training days); each such run is scored
   inside when predictive.p05 <= y <= predictive.p95 of that day in `days[]`
   (the recalibrated interval), and likewise for predictive_raw (as fitted).
Reported per series and pooled: runs scored, 90% coverage (recalibrated and
raw) with its binomial standard error, the shares below p05 and above p95,
the coverage over runs that the SPEC §4 outlier rule does not flag (flags
from one extra fit of the full series, its `points[].outlier`: the
reference model drops flagged runs from its fit, so this shows how much of
the miss is outliers), and the fit's recalibration factor. Target: 0.88-0.92
on every series. Pooled = all scored runs of all series together.
Note the SE ignores the correlation of runs within a day, so it is a lower
bound.

Usage:
  scripts/validation/heldout_coverage.py [--slowreg BIN] [--model NAME ...]
      [--splits K] [--hide 0.2] [--seed 20261129] [--quick] [--out raw.json]
--quick: the first two series, one split. Markdown tables on stdout.
"""
import argparse
import collections
import csv
import datetime as dt
import glob
import os
import random
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fitlib  # noqa: E402

DATA = '/work/shared/data'
MAX_DAILY_RUNS = 5  # SPEC §4


def load_series(path):
    """[(datetime UTC naive, float value)], sorted by time, and a description."""
    with open(path, newline='') as fh:
        rows = list(csv.DictReader(fh))
    pts = []
    for r in rows:
        t = dt.datetime.fromisoformat(r['push_timestamp'].replace('Z', '').replace(' ', 'T'))
        pts.append((t, float(r['value'])))
    pts.sort(key=lambda x: x[0])
    r0 = rows[0] if rows else {}
    desc = ' '.join(x for x in (r0.get('suite', ''), r0.get('test', '')) if x) + \
        f" ({r0.get('machine_platform', '?').replace('-shippable-qr', '')})"
    return pts, desc


def split_days(pts, frac, rng):
    days = sorted({t.date() for t, _ in pts})
    interior = days[1:-1]
    k = round(frac * len(interior))
    return set(rng.sample(interior, k))


def capped_by_day(pts):
    by = collections.defaultdict(list)
    for t, v in pts:  # pts sorted by time
        if len(by[t.date()]) < MAX_DAILY_RUNS:
            by[t.date()].append((t, v))
    return by


def outlier_flags(j):
    """{(time to the second, value): outlier} from a full-series fit's points[]."""
    flags = {}
    for p in j.get('points', []):
        t = str(p.get('time', ''))[:19]
        flags[(t, round(float(p['y']), 6))] = bool(p.get('outlier'))
    return flags


def score(j, hidden, capped, flags):
    days = {d['date']: d for d in j.get('days', [])}
    out = []
    for day in sorted(hidden):
        d = days.get(day.isoformat())
        for t, v in capped[day]:
            rec = dict(day=day.isoformat(), y=v,
                       flagged=flags.get((t.strftime('%Y-%m-%dT%H:%M:%S'), round(v, 6))))
            if d is None:
                rec['missing'] = True
            else:
                for kind in ('predictive', 'predictive_raw'):
                    q = d[kind]
                    rec[kind] = 'below' if v < q['p05'] else 'above' if v > q['p95'] else 'inside'
            out.append(rec)
    return out


def summarize(runs):
    sc = [r for r in runs if not r.get('missing')]
    n = len(sc)
    ins = sum(r['predictive'] == 'inside' for r in sc)
    raw = sum(r['predictive_raw'] == 'inside' for r in sc)
    below = sum(r['predictive'] == 'below' for r in sc)
    above = sum(r['predictive'] == 'above' for r in sc)
    clean = [r for r in sc if r['flagged'] is False]
    cin = sum(r['predictive'] == 'inside' for r in clean)
    return dict(n=n, missing=len(runs) - n, ins=ins, raw=raw, below=below, above=above,
                clean=(cin, len(clean)), unknown_flag=sum(r['flagged'] is None for r in sc))


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    fitlib.add_common_args(p)
    p.add_argument('--data-dir', default=DATA, help='folder with *.csv and realise/series/*.csv')
    p.add_argument('--splits', type=int, default=1, help='random splits per series (default 1)')
    p.add_argument('--hide', type=float, default=0.2, help='share of (interior) days hidden (default 0.2)')
    p.add_argument('--seed', type=int, default=20261129, help='seed for the hidden days')
    args = p.parse_args(argv)
    files = sorted(glob.glob(os.path.join(args.data_dir, '*.csv'))) + \
        sorted(glob.glob(os.path.join(args.data_dir, 'realise', 'series', '*.csv')))
    if args.quick:
        files, args.splits = files[:2], 1
    fitlib.wait_for_binary(args.slowreg)
    version = fitlib.slowreg_version(args.slowreg)
    models = fitlib.models_of(args)
    t0 = time.monotonic()
    with tempfile.TemporaryDirectory(prefix='heldout_') as tmp:
        tasks, series = [], {}
        for fi, f in enumerate(files):
            pts, desc = load_series(f)
            name = os.path.basename(f)[:-4]
            full = os.path.join(tmp, f'{name}_full.csv')
            fitlib.write_series_csv(full, pts)
            series[name] = dict(desc=desc, pts=pts, full=full, capped=capped_by_day(pts), splits=[])
            for s in range(args.splits):
                rng = random.Random(f'{args.seed}/{name}/{s}')
                hidden = split_days(pts, args.hide, rng)
                train = os.path.join(tmp, f'{name}_split{s}.csv')
                fitlib.write_series_csv(train, [(t, v) for t, v in pts if t.date() not in hidden])
                series[name]['splits'].append(hidden)
                for m in models:
                    tasks.append(dict(name=name, split=s, model=m, path=train))
            for m in models:
                tasks.append(dict(name=name, split=None, model=m, path=full))

        def one(task):
            ok, j, wall = fitlib.fit(args.slowreg, task['path'], model=task['model'], seed=1, timeout=args.timeout)
            return task, ok, j, wall

        results = fitlib.parallel_map(one, tasks, args.jobs)
    wall_total = time.monotonic() - t0

    flags = {}
    for task, ok, j, wall in results:
        if task['split'] is None:
            flags[(task['name'], task['model'])] = outlier_flags(j) if ok else {}
    per = collections.defaultdict(list)  # (model label, name) -> runs
    info = collections.defaultdict(list)
    failures = []
    for task, ok, j, wall in results:
        if task['split'] is None:
            continue
        label = fitlib.model_label(task['model'], args.default_label)
        if not ok:
            failures.append(f"{task['name']} split {task['split']} ({label}): {j}")
            continue
        s = series[task['name']]
        runs = score(j, s['splits'][task['split']], s['capped'], flags.get((task['name'], task['model']), {}))
        per[(label, task['name'])] += runs
        info[(label, task['name'])].append(dict(wall=wall, factor=(j.get('recalibration') or {}).get('factor'),
                                                 diag=j.get('diagnostics', {}).get('status'),
                                                 n_outliers=j.get('model', {}).get('n_outliers'),
                                                 noise=j.get('model', {}).get('noise')))
    labels = [fitlib.model_label(m, args.default_label) for m in models]

    fs = fitlib.fmt_share
    print('## Held-out 90% predictive coverage on the real series\n')
    print(f'slowreg {version}; {len(series)} series, {args.splits} split(s) hiding {args.hide:.0%} of the interior '
          f'days (seed {args.seed}); {len(results)} fits, wall {wall_total:.0f} s with {args.jobs} job(s); '
          f'{fitlib.today_utc()}. Target 0.88-0.92 on every series.\n')
    rows = []
    pooled = {lab: [] for lab in labels}
    for name in series:
        for lab in labels:
            runs = per.get((lab, name), [])
            pooled[lab] += runs
            x = summarize(runs)
            inf = info.get((lab, name), [])
            fac = [i['factor'] for i in inf if i['factor'] is not None]
            ok = x['n'] and 0.88 <= x['ins'] / x['n'] <= 0.92
            rows.append([name.replace('mozilla-beta_', ''), series[name]['desc'], lab, x['n'],
                         fs(x['ins'], x['n']) + ('' if ok else ' ✗'), fs(x['raw'], x['n']),
                         fitlib.fmt(fitlib.share(x['below'], x['n'])), fitlib.fmt(fitlib.share(x['above'], x['n'])),
                         f"{fs(*x['clean'])} (n {x['clean'][1]})",
                         fitlib.fmt(sum(fac) / len(fac)) if fac else '–',
                         ','.join(sorted({str(i['diag']) for i in inf})) or '–'])
    for lab in labels:
        x = summarize(pooled[lab])
        rows.append(['**pooled**', f'{len(series)} series', lab, x['n'], fs(x['ins'], x['n']), fs(x['raw'], x['n']),
                     fitlib.fmt(fitlib.share(x['below'], x['n'])), fitlib.fmt(fitlib.share(x['above'], x['n'])),
                     f"{fs(*x['clean'])} (n {x['clean'][1]})", '', ''])
    print(fitlib.table(['series', 'test (platform)', 'model', 'runs scored', '90% cover (recal.)',
                        '90% cover (raw)', 'below p05', 'above p95', 'cover, runs not flagged §4',
                        'recal. factor', 'diag'], rows))
    print('\n✗ = outside 0.88-0.92. "± x" is the binomial SE treating runs as independent (a lower bound). '
          '"runs not flagged §4": the hidden runs the SPEC §4 rule does not flag on the full series.')
    missing = sum(summarize(v)['missing'] for v in per.values())
    if missing:
        print(f'\n{missing} hidden runs fell on days missing from the fit\'s days[] and were not scored.')
    if failures:
        print('\nFailed fits: ' + '; '.join(failures))
    note = fitlib.binary_changed_note(args.slowreg, version)
    if note:
        print(note)
    if args.out:
        import json
        with open(args.out, 'w') as fh:
            json.dump(dict(version=version, seed=args.seed,
                           runs={f'{k[0]}|{k[1]}': v for k, v in per.items()},
                           fits={f'{k[0]}|{k[1]}': v for k, v in info.items()}), fh, indent=0, default=str)
    return 0


if __name__ == '__main__':
    sys.exit(main())
