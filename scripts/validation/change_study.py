#!/usr/bin/env python3
"""Simulation study with known truth: is the change of the level between D and
D-14 estimated at its true size, with honest 80% intervals and calibrated
P(worse)? (issue 11, "Must show", first item)

What it simulates. Year-long series (365 days ending D = 2024-05-06; 1-5 runs
a day at random times; base level log-uniform on 10-1000, or 100 with
--fixed-level; lower is better). The true level is base * m(day) with
- step  s% (s in +-2, +-3, +-4, +-5) that starts `age` days before D
  (age in 3, 5, 8, 13, 20): m = 1 + s/100 on days >= D - age, else 1.
  An age of 20 puts D-14 after the step too, so the true change is 0:
  those series test that an old step does not leak into the comparison;
- drift r %/week over the last 8 weeks (r in +-0.25, +-0.5, +-0.75, +-1):
  m = 1 + r/100 * max(0, (day - (D - 56)) / 7);
- none: m = 1.
Noise is multiplicative on the true level, one of six shapes:
gaussian (sd 2%), student-t (t with 3 df, scale 1.5%), bimodal (sd 1% around
two modes 6% apart, 30% of runs in the upper), heteroscedastic (sd 1%, x4 =
4% in the last quarter of the year), spiky (sd 2%, 2% of runs x1.5),
quantized (sd 2%, values rounded to 1% of the base level: many exact ties).
Because the noise is multiplicative with a fixed distribution, the true
change of the level in percent, 100 * (m(D) / m(D-14) - 1), is the same
whether "level" means the noise-free value, the mean or the median.

How it measures. Every series is fitted with
`slowreg fit FILE --compare D-14 --format json --omit-timing --threads 1
--seed S [--model NAME]` and the comparison's p05/p10/p50/p90/p95/p_worse
(percent change of the level, D against D-14) are read. Per model:
(a) 80% coverage: share of series with p10 <= truth <= p90 (target 0.75-0.85;
    also the 90% coverage with p05/p95 and the share with truth < p50, which
    is 0.5 for a calibrated posterior);
(b) median absolute error |p50 - truth| over the 4% steps whose true change is
    non-zero (age 3-13; target < 1 percentage point);
(c) among unchanged series (scenario none), the share with P(worse) >= 0.8.
    For a true change of exactly zero a posterior that is calibrated at that
    point gives P(worse) ~ Uniform(0, 1), so about 0.20 exceed 0.8; a model that
    shrinks changes toward zero gives fewer, an overconfident one more;
(d) the same by noise shape, by scenario (step age, drift, none) and by
    step size.
Shares are shown as "share ± binomial Monte Carlo standard error".
Also counted: failed fits, fits whose run date is not D (the reference
model moves it back when the last runs are flagged as outliers; the
comparison then is of another day against D-14, scored against the truth for
D all the same), and fits whose diagnostics are not "good".

Design: per noise shape, one series for each of the 40 step cells, the 8
drifts and 12 unchanged series = 60 series, so 360 fits in all (MC standard
error about 0.02 on the pooled 80% coverage, 0.05 on the null share).
--per-noise-reps R repeats that design R times with new noise. --quick runs
6 series per noise shape (36 fits). Everything is seeded (--seed).

Usage:
  scripts/validation/change_study.py [--slowreg BIN] [--model NAME ...] [--quick]
      [--per-noise-reps R] [--fixed-level] [--seed 20261129] [--out raw.json]
Prints markdown tables on stdout, progress on stderr.
"""
import argparse
import collections
import datetime as dt
import math
import os
import statistics
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fitlib  # noqa: E402

DAYS = 365
LAST = dt.date(2024, 5, 6)  # D
BACK = 14
NOISES = ['gaussian', 'student-t', 'bimodal', 'heteroscedastic', 'spiky', 'quantized']
STEP_SIZES = [-5, -4, -3, -2, 2, 3, 4, 5]
STEP_AGES = [3, 5, 8, 13, 20]
DRIFT_RATES = [-1.0, -0.75, -0.5, -0.25, 0.25, 0.5, 0.75, 1.0]
NULLS_PER_NOISE = 12
QUICK_DESIGN = [('step', 4, 3), ('step', -4, 8), ('step', 3, 13), ('step', -2, 5), ('drift', 0.5, None),
                ('none', 0, None)]


def multiplier(kind, size, age, d):
    """True level on day index d (0 = first day, DAYS-1 = D), relative to the base."""
    D = DAYS - 1
    if kind == 'step':
        return 1 + size / 100 if d >= D - age else 1.0
    if kind == 'drift':
        return 1 + size / 100 * max(0.0, (d - (D - 56)) / 7)
    return 1.0


def true_change(s):
    D = DAYS - 1
    return 100 * (multiplier(s['kind'], s['size'], s['age'], D) /
                  multiplier(s['kind'], s['size'], s['age'], D - BACK) - 1)


def noisy(rng, mean, base, noise, d):
    if noise == 'gaussian':
        return mean * (1 + 0.02 * rng.standard_normal())
    if noise == 'student-t':
        return mean * (1 + 0.015 * rng.standard_t(3))
    if noise == 'bimodal':
        return mean * (1 + (0.06 if rng.random() < 0.3 else 0.0) + 0.01 * rng.standard_normal())
    if noise == 'heteroscedastic':
        return mean * (1 + (0.04 if d >= DAYS * 3 // 4 else 0.01) * rng.standard_normal())
    if noise == 'spiky':
        v = mean * (1 + 0.02 * rng.standard_normal())
        return v * 1.5 if rng.random() < 0.02 else v
    if noise == 'quantized':
        q = 0.01 * base
        return q * round(mean * (1 + 0.02 * rng.standard_normal()) / q)
    raise ValueError(noise)


def design(quick, reps):
    cells = []
    if quick:
        base = QUICK_DESIGN
    else:
        base = ([('step', s, a) for s in STEP_SIZES for a in STEP_AGES] +
                [('drift', r, None) for r in DRIFT_RATES] + [('none', 0, None)] * NULLS_PER_NOISE)
    for _ in range(reps):
        for noise in NOISES:
            for kind, size, age in base:
                cells.append(dict(noise=noise, kind=kind, size=size, age=age))
    return cells


def simulate(s, rng, fixed_level):
    base = 100.0 if fixed_level else float(math.exp(rng.uniform(math.log(10), math.log(1000))))
    s['base'] = base
    rows = []
    first = LAST - dt.timedelta(days=DAYS - 1)
    for d in range(DAYS):
        day = dt.datetime.combine(first + dt.timedelta(days=d), dt.time())
        n = int(rng.integers(1, 6))
        secs = np.sort(rng.integers(0, 86400, size=n))
        mean = base * multiplier(s['kind'], s['size'], s['age'], d)
        for sec in secs:
            rows.append((day + dt.timedelta(seconds=int(sec)), float(noisy(rng, mean, base, s['noise'], d))))
    return rows


def scenario_name(s):
    if s['kind'] == 'step':
        return f"step, age {s['age']:2d} d"
    return s['kind']


def run_all(args, cells, tmp):
    recs = []
    compare_day = (LAST - dt.timedelta(days=BACK)).isoformat()
    for i, s in enumerate(cells):
        rng = np.random.default_rng([args.seed, i])
        rows = simulate(s, rng, args.fixed_level)
        path = os.path.join(tmp, f'series{i:04d}.csv')
        fitlib.write_series_csv(path, rows)
        s.update(idx=i, path=path, truth=true_change(s), fit_seed=1000 + i)
    tasks = [(m, s) for m in fitlib.models_of(args) for s in cells]
    t0 = time.monotonic()
    done = [0]

    def one(task):
        m, s = task
        ok, j, wall = fitlib.fit(args.slowreg, s['path'], model=m, compare=[compare_day], seed=s['fit_seed'],
                                 timeout=args.timeout)
        r = {k: v for k, v in s.items() if k != 'path'}
        r.update(model=fitlib.model_label(m, args.default_label), ok=ok, wall_s=wall)
        if not ok:
            r['error'] = j
        else:
            c = fitlib.comparison(j, compare_day)
            r.update(run_date=j.get('model', {}).get('run_date'),
                     diag=j.get('diagnostics', {}).get('status'))
            if c is None:
                r['ok'] = False
                r['error'] = 'no comparison with D-14 in the output'
            else:
                r.update({k: c.get(k) for k in ('p05', 'p10', 'p50', 'p90', 'p95', 'p_worse')})
        done[0] += 1
        if done[0] % 30 == 0 or done[0] == len(tasks):
            print(f'  {done[0]}/{len(tasks)} fits, {time.monotonic() - t0:.0f} s', file=sys.stderr)
        return r

    recs = fitlib.parallel_map(one, tasks, args.jobs)
    return recs, time.monotonic() - t0


# ------------------------------------------------------------ metrics

def metrics(rs):
    ok = [r for r in rs if r['ok']]
    n = len(ok)
    c80 = sum(r['p10'] <= r['truth'] <= r['p90'] for r in ok)
    c90 = sum(r['p05'] <= r['truth'] <= r['p95'] for r in ok)
    below = sum(r['truth'] < r['p50'] for r in ok)
    s4 = [r for r in ok if r['kind'] == 'step' and abs(r['size']) == 4 and r['truth'] != 0]
    mae4 = statistics.median(abs(r['p50'] - r['truth']) for r in s4) if s4 else None
    nulls = [r for r in ok if r['kind'] == 'none']
    pw8 = sum(r['p_worse'] >= 0.8 for r in nulls)
    q = np.quantile([r['p_worse'] for r in nulls], [0.25, 0.5, 0.75]) if nulls else None
    return dict(n=len(rs), ok=n, failed=len(rs) - n, c80=(c80, n), c90=(c90, n), below=(below, n),
                mae4=mae4, n4=len(s4), null=(pw8, len(nulls)),
                null_q=('–' if q is None else f'{q[1]:.2f} [{q[0]:.2f}, {q[2]:.2f}]'),
                mae_all=statistics.median(abs(r['p50'] - r['truth']) for r in ok) if ok else None,
                bias=statistics.median(r['p50'] - r['truth'] for r in ok) if ok else None,
                moved=sum(r.get('run_date') not in (None, LAST.isoformat()) for r in ok),
                flagged=sum(r.get('diag') not in (None, 'good') for r in ok),
                detect=(sum(r['p_worse'] >= 0.8 for r in ok if r['truth'] > 0),
                        sum(r['truth'] > 0 for r in ok)),
                false_alarm=(sum(r['p_worse'] >= 0.8 for r in ok if r['truth'] <= 0),
                             sum(r['truth'] <= 0 for r in ok)),
                med_abs_truth=statistics.median(abs(r['truth']) for r in ok) if ok else None,
                # the estimate signed so that positive is toward the true change (as is for a zero truth)
                med_toward=statistics.median(r['p50'] * (-1 if r['truth'] < 0 else 1) for r in ok) if ok else None,
                wall=statistics.mean(r['wall_s'] for r in rs) if rs else None)


def report(recs, args, total_wall, version):
    models = list(dict.fromkeys(r['model'] for r in recs))
    by_model = {m: [r for r in recs if r['model'] == m] for m in models}
    fs = fitlib.fmt_share
    print(f'## Change study: D vs D-14 on simulated series with known truth\n')
    print(f'slowreg {version}; {len(recs)} fits ({"quick" if args.quick else "full"} design, '
          f'{args.per_noise_reps} rep(s), seed {args.seed}, level {"100" if args.fixed_level else "10-1000"}); '
          f'wall {total_wall:.0f} s with {args.jobs} job(s); {fitlib.today_utc()}.\n')
    print('Targets: 80% cover 0.75-0.85; MAE (4% steps) < 1 pp; null P(worse)>=0.8 near 0.20 '
          '(uniform P(worse) under a true zero change: median 0.50 [IQR 0.25, 0.75]).\n')
    rows = []
    for m in models:
        x = metrics(by_model[m])
        rows.append([m, x['n'], x['failed'], fs(*x['c80']), fs(*x['c90']), fs(*x['below']),
                     f"{fitlib.fmt(x['mae4'])} (n {x['n4']})", f"{fs(*x['null'])} (n {x['null'][1]})", x['null_q'],
                     x['moved'], x['flagged'], fitlib.fmt(x['wall'], 3)])
    print(fitlib.table(['model', 'fits', 'failed', '80% cover', '90% cover', 'truth < p50',
                        'MAE p50, 4% steps (pp)', 'null P(worse)≥0.8', 'null P(worse) median [IQR]', 'run date ≠ D', 'diag not good',
                        's/fit'], rows))

    def breakdown(title, key, order):
        print(f'\n### By {title}\n')
        rows = []
        for g in order:
            for m in models:
                rs = [r for r in by_model[m] if key(r) == g]
                if not rs:
                    continue
                x = metrics(rs)
                rows.append([g, m, x['n'], fitlib.fmt(x['med_abs_truth']), fitlib.fmt(x['med_toward']),
                             fs(*x['c80']), fs(*x['c90']), fitlib.fmt(x['mae_all']),
                             fitlib.fmt(x['mae4']) if x['n4'] else '–',
                             f"{fs(*x['detect'])} (n {x['detect'][1]})" if x['detect'][1] else '–',
                             f"{fs(*x['false_alarm'])} (n {x['false_alarm'][1]})" if x['false_alarm'][1] else '–',
                             fs(*x['null']) if x['null'][1] else '–', x['moved']])
        print(fitlib.table([title, 'model', 'n', 'median abs(truth) %', 'median p50 toward truth %', '80% cover',
                            '90% cover', 'MAE all (pp)', 'MAE 4% steps', 'worse called, truth > 0',
                            'worse called, truth ≤ 0', 'null P(worse)≥0.8', 'run date ≠ D'], rows))

    breakdown('noise', lambda r: r['noise'], NOISES)
    breakdown('scenario', scenario_name,
              [f'step, age {a:2d} d' for a in STEP_AGES] + ['drift', 'none'])
    breakdown('step size', lambda r: f"step {r['size']:+d}%" if r['kind'] == 'step' else None,
              [f'step {s:+d}%' for s in STEP_SIZES])
    print('\nMAE all = median |p50 - truth| over the group. "p50 toward truth": p50 with the sign flipped '
          'for negative truths, so it reads against |truth|. "worse called" = P(worse) ≥ 0.8: a detection '
          'rate where the truth is a regression (> 0), a false-alarm rate where it is not (≤ 0; includes '
          'improvements). Step age a: the new level holds on D-a … D; at age 20 D-14 is already at the new '
          'level, so the true change against D-14 is 0. Null = scenario none.')
    fails = [r for r in recs if not r['ok']]
    if fails:
        print(f'\nFailed fits ({len(fails)}): ' + '; '.join(
            f"#{r['idx']} {r['noise']} {r['kind']} ({r['model']}): {r.get('error')}" for r in fails[:8]))


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    fitlib.add_common_args(p)
    p.add_argument('--seed', type=int, default=20261129, help='master seed for the simulated series')
    p.add_argument('--per-noise-reps', type=int, default=1, help='repeat the design this many times')
    p.add_argument('--fixed-level', action='store_true', help='base level 100 instead of log-uniform 10-1000')
    args = p.parse_args(argv)
    cells = design(args.quick, args.per_noise_reps)
    fitlib.wait_for_binary(args.slowreg)
    version = fitlib.slowreg_version(args.slowreg)
    with tempfile.TemporaryDirectory(prefix='change_study_') as tmp:
        recs, wall = run_all(args, cells, tmp)
    report(recs, args, wall, version)
    note = fitlib.binary_changed_note(args.slowreg, version)
    if note:
        print(note)
    if args.out:
        import json
        with open(args.out, 'w') as fh:
            json.dump(dict(version=version, seed=args.seed, quick=args.quick, records=recs), fh, indent=0,
                      default=str)
    return 0


if __name__ == '__main__':
    sys.exit(main())
