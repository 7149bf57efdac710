#!/usr/bin/env python3
"""The tail acceptance checks of issue 11 ("Must show", fourth item): a new
level in the last days of a series is called worse, with the run date kept;
a lone spike on the last day is not.

Series: a stable year (365 days ending D = 2024-05-06, 1-5 runs a day at
random times, level 100, Gaussian noise sd 2%, lower is better), then
- `tail k d` (k = 1, 2, 3): the last k days have --tail-runs runs each
  (default 2, about the rate of the real series), all at 150% of the level
  (same 2% noise). Must: P(worse) >= 0.8 against D-14, and
  the run date unchanged (model.run_date == D and the last day of days[] is
  D).
- `spike`: the last day has --tail-runs runs, one of them x1.5 (the others
  normal).
  Must: P(worse) < 0.8 against D-14, run date D.
- `spike, only run` (information, not a pass/fail case): the last day has a
  single run, x1.5. One run cannot tell a spike from a new level; what the
  model says is printed for the record.

Every case is fitted with `slowreg fit FILE --compare D-14 --format json
--omit-timing --threads 1 --seed 1 [--model NAME]` for each of --seeds noise
seeds (default 3; --quick: 1). Prints a markdown table with pass/fail per
case and seed; exit status 1 when any case fails (or a fit fails), else 0.

Usage:
  scripts/validation/tail_test.py [--slowreg BIN] [--model NAME ...] [--seeds N] [--quick]
"""
import argparse
import json
import datetime as dt
import os
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fitlib  # noqa: E402

DAYS = 365
LAST = dt.date(2024, 5, 6)
BACK = 14
CASES = [('tail 1 d', 'worse'), ('tail 2 d', 'worse'), ('tail 3 d', 'worse'), ('spike', 'not worse'),
         ('spike, only run', 'info')]


def make(case, seed, tail_runs):
    rng = np.random.default_rng([20261129, seed])
    first = LAST - dt.timedelta(days=DAYS - 1)
    tail_days = int(case.split()[1]) if case.startswith('tail') else 0
    rows = []
    for d in range(DAYS):
        day = dt.datetime.combine(first + dt.timedelta(days=d), dt.time())
        from_end = DAYS - 1 - d  # 0 on D
        if from_end < tail_days or (case == 'spike' and from_end == 0):
            n = tail_runs
        elif case == 'spike, only run' and from_end == 0:
            n = 1
        else:
            n = int(rng.integers(1, 6))
        secs = np.sort(rng.choice(86400, size=n, replace=False))
        spike_at = int(rng.integers(0, n)) if from_end == 0 and case.startswith('spike') else -1
        for i, sec in enumerate(secs):
            v = 100 * (1 + 0.02 * rng.standard_normal())
            if from_end < tail_days or i == spike_at:
                v *= 1.5
            rows.append((day + dt.timedelta(seconds=int(sec)), float(v)))
    return rows


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    fitlib.add_common_args(p)
    p.add_argument('--tail-runs', type=int, default=2,
                   help='runs on each tail day and on the spike day (default 2, about the real series\' '
                        'rate; at 3 a day two tail days already outvote the 10-run outlier window)')
    p.add_argument('--seeds', type=int, default=3, help='noise seeds per case (default 3; --quick 1)')
    args = p.parse_args(argv)
    seeds = 1 if args.quick else args.seeds
    compare_day = (LAST - dt.timedelta(days=BACK)).isoformat()
    fitlib.wait_for_binary(args.slowreg)
    version = fitlib.slowreg_version(args.slowreg)
    with tempfile.TemporaryDirectory(prefix='tail_test_') as tmp:
        tasks = []
        for case, want in CASES:
            for s in range(seeds):
                path = os.path.join(tmp, f"{case.replace(' ', '_').replace(',', '')}_{s}.csv")
                fitlib.write_series_csv(path, make(case, s, args.tail_runs))
                for m in fitlib.models_of(args):
                    tasks.append(dict(case=case, want=want, seed=s, model=m, path=path))

        def one(t):
            return t, fitlib.fit(args.slowreg, t['path'], model=t['model'], compare=[compare_day], seed=1,
                                 timeout=args.timeout)

        results = fitlib.parallel_map(one, tasks, args.jobs)
    rows, failed, records = [], 0, []
    for t, (ok, j, wall) in results:
        lab = fitlib.model_label(t['model'], args.default_label)
        if not ok:
            failed += t['want'] != 'info'
            rows.append([t['case'], t['seed'], lab, t['want'], '–', '–', '–', '–', f'**FAIL** ({j})'])
            continue
        c = fitlib.comparison(j, compare_day)
        run_date = j.get('model', {}).get('run_date')
        last_day = j['days'][-1]['date'] if j.get('days') else None
        pw = c['p_worse'] if c else None
        date_ok = run_date == LAST.isoformat() and last_day == LAST.isoformat()
        if t['want'] == 'worse':
            good = pw is not None and pw >= 0.8 and date_ok
        elif t['want'] == 'not worse':
            good = pw is not None and pw < 0.8 and date_ok
        else:
            good = None
        failed += good is False
        verdict = 'info' if good is None else ('pass' if good else '**FAIL**')
        rows.append([t['case'], t['seed'], lab, t['want'], fitlib.fmt(pw, 3),
                     fitlib.fmt(c['p50']) if c else '–', run_date, last_day, verdict])
        records.append(dict(case=t['case'], seed=t['seed'], model=lab, must_be=t['want'], p_worse=pw,
                            p50=c['p50'] if c else None, run_date=run_date, last_day=last_day, result=verdict))
    print('## Tail acceptance checks (issue 11)\n')
    print(f'slowreg {version}; D = {LAST}, compared with {compare_day}; {args.tail_runs} runs on each tail/spike '
          f'day; {fitlib.today_utc()}.\n')
    print(fitlib.table(['case', 'seed', 'model', 'must be', 'P(worse)', 'p50 change %', 'model.run_date',
                        'last day in days[]', 'result'], rows))
    n_checked = sum(1 for t, _ in results if t['want'] != 'info')
    print(f'\n{n_checked - failed}/{n_checked} checks pass'
          f' (worse: P(worse) ≥ 0.8; not worse: P(worse) < 0.8; both need run date = last day = {LAST}).')
    if args.out:
        # The raw per-fit records (the --out every validation script takes).
        with open(args.out, 'w') as fh:
            json.dump(dict(slowreg=version, run_date=LAST.isoformat(), compared_with=compare_day,
                           tail_runs=args.tail_runs, fits=records), fh, indent=1)
    note = fitlib.binary_changed_note(args.slowreg, version)
    if note:
        print(note)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
