#!/usr/bin/env python3
"""Information bound for the alert benchmark: the precision and recall of an
ideal Bayesian oracle on exactly the series and runs of alert_benchmark.py
(seed 20241129), under the same alert rule.

The oracle knows, for each series, everything but the size of the change: the
base level, the direction (lower or higher is better), the exact noise family
and scale of every run (as `noisy` draws them) and the time profile of the
truth (the step's day; a drift always spans the last 8 weeks). An unchanged
series ("none") is treated as a step on its `start` day of unknown amount
(truly 0), so every series has one unknown, the amount a (percent, or percent
a week for a drift). Flat prior on a in [-15, 15] on a grid of 3001 points;
the exact likelihood of every run (quantized runs: the probability of the
rounding interval around the value, ignoring that the values sit on an exact
lattice of 1% of the true level, which would give the level away). It alerts
when P(worse change > 2%) >= 0.8 against D-7 or D-14 (SPEC §8), like
`slowreg alert`, and its posterior is calibrated by construction.

What it means: the recall a calibrated P(worse) >= 0.8 rule can reach on this
benchmark's truths when only the amount is unknown. A method that also has
to find the change's day and shape, the level and the noise cannot expect to
do better at the same precision (an overconfident one can buy recall with
false alerts), so it says how much of the goal (recall 0.9) the data allow;
it is no bound for other data or other rules. Prints the benchmark's tables
for the oracle and the regressed series it misses; --compare FILE puts them
next to slowreg's from `alert_benchmark.py --save FILE` (of all the series, or
of its --subset: then on those series only). --check compares the
regenerated runs with those `write_csv` writes for the first 5 series.

--unknown-change: a fairer oracle that knows the base level, the direction and
the noise family and scale as above, but not the change's shape or day: only
that the truth is at most one change, either a step on an unknown day or a
linear drift from an unknown day, of unknown size. Hypotheses: a step whose
new level holds from s days before D on (the level is base * (1 + a/100) on
days d > D - s, as `truth_multiplier("step", a, s, d)`), s in 1..60, a in
[-15, 15] % on the --grid grid; or a drift whose ramp starts w days before D
(level base * (1 + a/100 * max(0, (d - (D - w)) / 7)), the benchmark's drift
with its 56 generalized), w in 7..120, a in [-8, 8] % a week on a grid of
--drift-grid K points (default 1601, 0.01 %/week). Prior: P(step) = P(drift)
= 1/2, the start uniform over its range, the amount flat on its grid (for a
drift, on the part of the grid where the level stays positive up to D). An
unchanged series is the a = 0 region of every hypothesis; a drift steeper
than 8 %/week (a change over 8% in its first week) is left to the steps.
Posterior over (shape, start, a) by the exact likelihoods above; P(worse
change > 2%) against D-7 and D-14 marginalizes over all three. Runs more
than 120 days before D have the base level under every hypothesis and add the
same constant, so only the last 120 days are evaluated; a step's log
likelihood for every start is a cumulative sum over the runs after it. A
drift's is evaluated on every 10th grid point (every 0.1 %/week) for every
start, then on the whole grid only in the cells of that coarse grid where it
is within 50 of the largest log likelihood of any hypothesis (the points left
out sit some 50 below it unless the log likelihood peaks sharply between two
coarse points); --full evaluates every drift grid point instead, to check that
pruning (on the 1000 series it moves no probability by more than 1e-20). Its
posterior is calibrated for its own prior, not for the benchmark's draws
(steps 3-20 days old, drifts always 8 weeks long), so unlike the first oracle
it can alert falsely, e.g. on an old step in heteroscedastic noise that it
takes for a drift. The tables are the same; the oracle misses also print the
posterior P(step).

Usage: scripts/validation/alert_oracle.py [N] [--compare FILE] [--check] [--grid K]
       [--unknown-change [--drift-grid K] [--full]]
Needs numpy and scipy. ~90 s for 1,000 series; --unknown-change ~9 min.
"""
import collections, json, os, sys, tempfile, time
import numpy as np
from scipy.special import ndtr

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
# alert_benchmark parses sys.argv when imported: give it its default arguments.
_argv, sys.argv = sys.argv, [os.path.join(HERE, "alert_benchmark.py")]
import alert_benchmark as ab  # noqa: E402
sys.argv = _argv

SEED, THRESHOLD, COMPARISONS = ab.SEED, 0.8, (7, 14)
opts = sys.argv[1:]
compare = opts[opts.index("--compare") + 1] if "--compare" in opts else None
grid_points = int(opts[opts.index("--grid") + 1]) if "--grid" in opts else 3001
unknown_change, full_drift_grid = "--unknown-change" in opts, "--full" in opts
drift_points = int(opts[opts.index("--drift-grid") + 1]) if "--drift-grid" in opts else 1601
positional = [a for i, a in enumerate(opts)
              if not a.startswith("--") and (i == 0 or opts[i - 1] not in ("--compare", "--grid", "--drift-grid"))]
n_series = int(positional[0]) if positional else 1000


def generate(n):
    """The benchmark's series and runs (days, values), drawn as write_csv draws them, values rounded as in the CSV."""
    rng = np.random.default_rng(SEED)
    series = [ab.make_series(rng, i) for i in range(n)]
    days, values = [[] for _ in series], [[] for _ in series]
    for i, d, _, v in ab.draw_runs(series, rng):
        days[i].append(d)
        values[i].append(float(f"{v:.6g}"))
    return series, [(np.array(d), np.array(v)) for d, v in zip(days, values)]


def check(runs, first=5):
    """The first series' runs as ab.write_csv writes them (same seed, same N) equal ours."""
    rng = np.random.default_rng(SEED)
    again = [ab.make_series(rng, i) for i in range(len(runs))]
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "runs.csv")
        ab.write_csv(path, again[:first], rng)
        rows = [line.split(",") for line in open(path).read().splitlines()[1:]]
    for i in range(first):
        mine = [r for r in rows if r[3] == f"bench-{i:04d}"]
        days = np.array([(np.datetime64(r[0][:10]) - ab.LAST).astype(int) + ab.DAYS - 1 for r in mine])
        same = np.array_equal(days, runs[i][0]) and np.array_equal([float(r[1]) for r in mine], runs[i][1])
        print(f"check series {i}: {len(mine)} runs, {'identical' if same else 'DIFFERENT'}")
        if not same:
            sys.exit("regenerated runs differ from write_csv's")


def log_norm(x, sd):
    return -0.5 * (x / sd) ** 2 - np.log(sd) - 0.5 * np.log(2 * np.pi)


def log_lik(noise, v, mu, d):
    """log p(v | true level mu) per run for ab.noisy's families; v, d (runs, 1), mu (runs, grid)."""
    x = v / mu - 1  # relative residual; the density in v carries the Jacobian 1/mu
    if noise == "gaussian":
        return log_norm(x, 0.02) - np.log(mu)
    if noise == "student-t":  # t(3) density 2 / (pi sqrt 3) (1 + t^2/3)^-2
        return np.log(2 / (np.pi * np.sqrt(3))) - 2 * np.log1p((x / 0.015) ** 2 / 3) - np.log(0.015 * mu)
    if noise == "bimodal":
        return np.logaddexp(np.log(0.7) + log_norm(x, 0.01), np.log(0.3) + log_norm(x - 0.06, 0.01)) - np.log(mu)
    if noise == "heteroscedastic":
        return log_norm(x, np.where(d > ab.DAYS * 3 // 4, 0.04, 0.01)) - np.log(mu)
    if noise == "spiky":  # 2% of runs are 1.5x a 2% Gaussian draw: density scaled by 1/1.5
        return np.logaddexp(np.log(0.98) + log_norm(x, 0.02),
                            np.log(0.02 / 1.5) + log_norm(v / (1.5 * mu) - 1, 0.02)) - np.log(mu)
    if noise == "quantized":
        # P(the unrounded mu (1 + 0.02 z) lies in the rounding interval v -+ w/2). The interval must not
        # depend on the candidate (cells of width mu/100 would make the candidates' likelihoods
        # probabilities of different events); the true width is 1% of the true level, which v is within 6% of.
        w = 0.01 * v
        p = ndtr(((v + w / 2) / mu - 1) / 0.02) - ndtr(((v - w / 2) / mu - 1) / 0.02)
        return np.log(np.maximum(p, 1e-300))
    raise ValueError(noise)


def oracle(s, days, values, grid):
    """P(worse change > MIN_CHANGE) against D-7 and D-14 under the posterior of the amount."""
    shape = "step" if s["shape"] == "none" else s["shape"]
    # Candidate true multipliers, one row per day, one column per candidate amount.
    m = np.array([np.broadcast_to(ab.truth_multiplier(shape, grid, s["start"], d), grid.shape)
                  for d in range(ab.DAYS)])
    m = m[:, (m > 0).all(axis=0)]  # a drift below -12.5%/week would take the level to <= 0: impossible
    varies = np.ptp(m, axis=1) > 0  # days whose level does not depend on a add a constant
    keep = varies[days]
    mu = s["level"] * m[days[keep]]
    ll = log_lik(s["noise"], values[keep][:, None], mu, days[keep][:, None]).sum(axis=0)
    post = np.exp(ll - ll.max())
    post /= post.sum()
    sign = 1 if s["lower_is_better"] else -1
    last = ab.DAYS - 1
    return [post[sign * (m[last] / m[last - k] - 1) * 100 > ab.MIN_CHANGE].sum() for k in COMPARISONS]


STEP_STARTS, DRIFT_STARTS = np.arange(1, 61), np.arange(7, 121)  # days before D
DRIFT_RANGE, COARSE_STEP, PRUNE = 8.0, 0.1, 50.0  # %/week; coarse drift grid step; log-lik margin


def drift_multiplier(a, t):
    """The drift's true multiplier t days after its start (w days before D); a in % a week."""
    return 1 + a / 100 * np.maximum(0, t) / 7


def oracle_unknown(s, days, values, step_grid, drift_grid, full=False):
    """P(worse change > MIN_CHANGE) against D-7 and D-14, and P(step), under the posterior of (shape, start, a)."""
    last, level, noise = ab.DAYS - 1, s["level"], s["noise"]
    window = days > last - DRIFT_STARTS.max()  # earlier runs have the base level under every hypothesis
    order = np.argsort(-days[window], kind="stable")
    d, v = days[window][order], values[window][order]
    ago = last - d  # days before D, ascending: the runs after a start s are the first searchsorted(ago, s)
    base = log_lik(noise, v[:, None], np.full((len(v), 1), level), d[:, None])[:, 0]

    def delta(n, m):
        """Log likelihood of the first n runs under multipliers m (n, candidates), less that under the base level."""
        return log_lik(noise, v[:n, None], level * m, d[:n, None]) - base[:n, None]

    # Steps: the runs after the step are the first searchsorted(ago, s); cumulative sums give every start.
    after = np.searchsorted(ago, STEP_STARTS)
    cum = np.cumsum(delta(after[-1], np.broadcast_to(1 + step_grid / 100, (after[-1], len(step_grid)))), axis=0)
    ll_step = cum[after - 1]  # (starts, grid); every day has a run, so after >= 1

    # Drifts: valid where the level stays positive up to D (the lowest point of a falling drift).
    valid = 1 + drift_grid[None, :] / 100 * DRIFT_STARTS[:, None] / 7 > 0  # (starts, grid)
    n_after = np.searchsorted(ago, DRIFT_STARTS)
    ll_drift = np.full(valid.shape, -np.inf)
    if full:
        fine = [np.flatnonzero(valid[i]) for i in range(len(DRIFT_STARTS))]
    else:
        # Coarse pass: every start at once on every c-th grid point (and the last).
        c = max(1, int(round(COARSE_STEP / (drift_grid[1] - drift_grid[0]))))
        coarse = np.unique(np.append(np.arange(0, len(drift_grid), c), len(drift_grid) - 1))
        run = np.concatenate([np.arange(n) for n in n_after])
        t = np.repeat(DRIFT_STARTS, n_after) - ago[run]
        m = drift_multiplier(drift_grid[coarse][None, :], t[:, None])
        m = np.where(m > 0, m, 1.0)  # invalid candidates, masked below
        dl = log_lik(noise, v[run, None], level * m, d[run, None]) - base[run, None]
        ll_c = np.add.reduceat(dl, np.concatenate([[0], np.cumsum(n_after)[:-1]]), axis=0)
        ll_c[~valid[:, coarse]] = -np.inf
        top = max(ll_step.max(), ll_c.max())
        cell = np.maximum(ll_c[:, :-1], ll_c[:, 1:]) > top - PRUNE  # (starts, coarse cells)
        fine = []
        for i in range(len(DRIFT_STARTS)):
            idx = [np.arange(coarse[k], coarse[k + 1] + 1) for k in np.flatnonzero(cell[i])]
            idx = np.unique(np.concatenate(idx)) if idx else np.array([], dtype=int)
            fine.append(idx[valid[i, idx]])
    for i, (w, n) in enumerate(zip(DRIFT_STARTS, n_after)):
        if len(fine[i]):
            m = drift_multiplier(drift_grid[fine[i]][None, :], w - ago[:n, None])
            ll_drift[i, fine[i]] = delta(n, m).sum(axis=0)

    # Prior: 1/2 per shape, uniform start, amount flat on its (valid) grid.
    lp_step = ll_step + np.log(0.5 / len(STEP_STARTS) / len(step_grid))
    lp_drift = ll_drift + np.log(0.5 / len(DRIFT_STARTS) / valid.sum(axis=1))[:, None]
    top = max(lp_step.max(), lp_drift.max())
    p_step, p_drift = np.exp(lp_step - top), np.exp(lp_drift - top)
    total = p_step.sum() + p_drift.sum()
    sign = 1 if s["lower_is_better"] else -1
    out = []
    for k in COMPARISONS:
        worse_step = (STEP_STARTS[:, None] <= k) & (sign * step_grid[None, :] > ab.MIN_CHANGE)
        w = DRIFT_STARTS[:, None]
        with np.errstate(divide="ignore", invalid="ignore"):  # invalid candidates' levels reach 0
            change = (drift_multiplier(drift_grid[None, :], w) / drift_multiplier(drift_grid[None, :], w - k) - 1) * 100
        worse_drift = valid & (sign * np.where(valid, change, 0) > ab.MIN_CHANGE)
        out.append((p_step[worse_step].sum() + p_drift[worse_drift].sum()) / total)
    return out + [p_step.sum() / total]


def groups(s):
    """The benchmark's groups of a series: kind, noise, size band, step age, step age by noise."""
    worst = max(ab.true_change(s, k) * (1 if s["lower_is_better"] else -1) for k in COMPARISONS)
    band = ("true change <= 2%" if worst <= ab.MIN_CHANGE else "true change 2-2.5%" if worst < 2.5
            else "true change 2.5-3%" if worst < 3 else "true change >= 3%")
    keys = [("kind", s["kind"]), ("noise", s["noise"]), ("size", band)]
    if s["kind"] == "step":
        age = ("3-6 days" if s["start"] <= 6 else "7-11 days" if s["start"] <= 11
               else "12-15 days" if s["start"] <= 15 else "16-20 days")
        keys += [("step age", age), ("step age, " + s["noise"], age)]
    return keys


def tally(series, truths, said):
    total, by = collections.Counter(), collections.defaultdict(collections.Counter)
    for s, t, a in zip(series, truths, said):
        total[(t, a)] += 1
        for key in groups(s):
            by[key][(t, a)] += 1
    return total, by


def rates(c):
    reg, det = c[(True, True)] + c[(True, False)], c[(True, True)]
    neg, fa = c[(False, True)] + c[(False, False)], c[(False, True)]
    return reg, det, (f"{det / reg:.2f}" if reg else "-"), neg, fa


def main():
    t0 = time.perf_counter()
    series, runs = generate(n_series)
    t_gen = time.perf_counter() - t0
    if "--check" in opts:
        check(runs)
    grid = np.linspace(-15, 15, grid_points)
    if unknown_change:
        drift_grid = np.linspace(-DRIFT_RANGE, DRIFT_RANGE, drift_points)
        probs = [oracle_unknown(s, d, v, grid, drift_grid, full_drift_grid) for s, (d, v) in zip(series, runs)]
        what = (f"oracle, change unknown (step grid {grid_points}, drift grid {drift_points}"
                f"{', full' if full_drift_grid else ''})")
    else:
        probs = [oracle(s, d, v, grid) for s, (d, v) in zip(series, runs)]
        what = f"oracle (grid {grid_points})"
    said = [max(p[:2]) >= THRESHOLD for p in probs]
    truths = [ab.truly_regressed(s) for s in series]
    total, by = tally(series, truths, said)
    tp, fp, fn, tn = total[(True, True)], total[(False, True)], total[(True, False)], total[(False, False)]
    print(f"{n_series} series, {what}, generated {t_gen:.1f} s, "
          f"total {time.perf_counter() - t0:.1f} s: alerts {sum(said)}")
    print(f"truly regressed and alerted {tp}, not alerted {fn}; not regressed and alerted {fp}, not alerted {tn}")
    print(f"precision {tp / (tp + fp) if tp + fp else float('nan'):.3f}  "
          f"recall {tp / (tp + fn) if tp + fn else float('nan'):.3f}")
    print(f"{'group':<40}{'regressed':>10}{'alerted':>9}{'recall':>8}{'unchanged':>11}{'false':>7}")
    for key in sorted(by):
        reg, det, rec, neg, fa = rates(by[key])
        print(f"{key[0] + ' ' + key[1]:<40}{reg:>10}{det:>9}{rec:>8}{neg:>11}{fa:>7}")
    for i in (i for i in range(n_series) if truths[i] and not said[i]):
        describe("oracle misses", i, series[i], truths[i], probs[i])
    if compare:
        compare_with(compare, series, truths, said, probs)


def compare_with(path, series, truths, said, probs):
    """slowreg's alerts (all the benchmark's series, or the ones of its --subset) beside the oracle's on the same series."""
    saved = {r["index"]: r for r in json.load(open(path))}
    fields = ("kind", "shape", "start", "lower_is_better", "noise")
    if any(i >= len(series) or any(r[f] != series[i][f] for f in fields) or abs(r["amount"] - series[i]["amount"]) > 1e-9
           for i, r in saved.items()):
        sys.exit(f"{path} does not hold series of this benchmark's {len(series)}")
    keep = sorted(saved)
    series, truths, said, probs = ([x[i] for i in keep] for x in (series, truths, said, probs))
    slow = [saved[i]["alerted"] for i in keep]
    s_total, s_by = tally(series, truths, slow)
    o_total, o_by = tally(series, truths, said)
    print(f"\nslowreg ({path}) against the oracle: recall and false alerts")
    print(f"{'group':<40}{'regressed':>10}{'slowreg':>9}{'oracle':>8}{'unchanged':>11}{'false s/o':>11}")
    for key in [("all", "series")] + sorted(o_by):
        s_c, o_c = (s_total, o_total) if key[0] == "all" else (s_by[key], o_by[key])
        reg, _, s_rec, neg, s_fa = rates(s_c)
        _, _, o_rec, _, o_fa = rates(o_c)
        print(f"{key[0] + ' ' + key[1]:<40}{reg:>10}{s_rec:>9}{o_rec:>8}{neg:>11}{f'{s_fa}/{o_fa}':>11}")
    only_o = [k for k in range(len(keep)) if said[k] and not slow[k]]
    only_s = [k for k in range(len(keep)) if slow[k] and not said[k]]
    print(f"oracle alerts, slowreg does not: {len(only_o)} ({sum(truths[k] for k in only_o)} truly regressed, "
          f"{sum(saved[keep[k]]['held_back'] for k in only_o)} held back by slowreg)")
    print(f"slowreg alerts, oracle does not: {len(only_s)} ({sum(truths[k] for k in only_s)} truly regressed)")
    for k in only_s:
        describe("slowreg only", keep[k], series[k], truths[k], probs[k])


def describe(what, i, s, truth, p):
    print(f"{what}: bench-{i:04d} {s['kind']:<14}{s['noise']:<16}start {s['start']:>2}  amount {s['amount']:+.2f}  "
          f"truly regressed {truth}  oracle P(worse) D-7 {p[0]:.2f}, D-14 {p[1]:.2f}"
          + (f", P(step) {p[2]:.2f}" if len(p) > 2 else ""))


if __name__ == "__main__":
    main()
