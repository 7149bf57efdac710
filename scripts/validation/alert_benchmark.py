#!/usr/bin/env python3
"""Alert precision and recall with default settings on synthetic series with
known truth (issue "A contract that alerting scripts and schedulers can
trust").

N year-long series (365 days to D = 2024-05-06, 1-5 runs a day, level 10-1000):
- 50% unchanged (half of them with a 3-5% *improvement* step or drift, which
  must not alert),
- 30% a step of 3-5% that started 3-20 days before D,
- 20% a slow drift of 0.5-2.5% a week over the last 8 weeks;
a fifth of the series are higher-is-better scores (worse = lower). Noise shapes
rotate over Gaussian 2%, Student-t(3) 1.5%, bimodal (two modes 6% apart),
heteroscedastic (1% then 4% in the last quarter), spiky (2% noise, 2% of runs
1.5x) and quantized (rounded to 1% of the level).

Truth: a series *truly regressed* when its true level on D is worse than on
D-7 or D-14 (the comparison days without a version calendar) by more than the
default minimum change (2%). `slowreg ingest`, `slowreg run --date D` and
`slowreg alert --date D` run with default settings; an alerted series is one
in `alerts` (flagged fits are held back by default). Prints the confusion
table, precision (share of alerted series that truly regressed) and recall
(share of truly regressed series alerted), and the same by kind, by noise
and by the size of the true change (the larger of the worse changes against
D-7 and D-14): a calibrated rule misses many series whose truth is just
above the minimum, where P(change > 2%) is near one half.

Usage: scripts/validation/alert_benchmark.py [SLOWREG] [N] [--model NAME] [--save FILE] [--subset]
(--save writes each series' truth, whether it alerted and its alert row, as JSON.
--subset runs only every second truly regressed step and drift and every
eleventh series that did not regress, 227 of the 1,000, the same runs as in
the whole benchmark: a quick check of a trial, ~5 minutes, whose tables are
the subset's.)
"""
import collections, json, os, subprocess, sys, tempfile, time
import numpy as np

if "-h" in sys.argv or "--help" in sys.argv:
    print(__doc__)
    sys.exit(0)

args = [a for a in sys.argv[1:] if not a.startswith("--")]
extra = sys.argv[sys.argv.index("--model"):sys.argv.index("--model") + 2] if "--model" in sys.argv else []
save = sys.argv[sys.argv.index("--save") + 1] if "--save" in sys.argv else None
args = [a for a in args if a != save and (not extra or a != extra[1])]
subset = "--subset" in sys.argv
slowreg = os.path.abspath(args[0] if args else ".build/release/slowreg")
n_series = int(args[1]) if len(args) > 1 else 1000
LAST = np.datetime64("2024-05-06")
DAYS = 365
MIN_CHANGE = 2.0
SEED = 20241129  # the series and their runs
NOISES = ["gaussian", "student-t", "bimodal", "heteroscedastic", "spiky", "quantized"]


def truth_multiplier(kind, size, start, d):
    """The true level on day d (0 = first, DAYS-1 = D) relative to the base."""
    if kind == "step":
        return 1 + size / 100 if d > DAYS - 1 - start else 1.0
    if kind == "drift":  # size % a week over the last 8 weeks
        weeks = max(0.0, (d - (DAYS - 1 - 56)) / 7)
        return 1 + size / 100 * weeks
    return 1.0


def noisy(rng, level, noise, d):
    if noise == "gaussian":
        return level * (1 + 0.02 * rng.standard_normal())
    if noise == "student-t":
        return level * (1 + 0.015 * rng.standard_t(3))
    if noise == "bimodal":
        return level * (1 + (0.06 if rng.random() < 0.3 else 0) + 0.01 * rng.standard_normal())
    if noise == "heteroscedastic":
        return level * (1 + (0.04 if d > DAYS * 3 // 4 else 0.01) * rng.standard_normal())
    if noise == "spiky":
        v = level * (1 + 0.02 * rng.standard_normal())
        return v * 1.5 if rng.random() < 0.02 else v
    if noise == "quantized":
        step = level * 0.01
        return step * round(level * (1 + 0.02 * rng.standard_normal()) / step)
    raise ValueError(noise)


def make_series(rng, i):
    u = rng.random()
    if u < 0.5:
        kind = "none"
        improvement = rng.random() < 0.5
        size = rng.uniform(3, 5)
        sub = rng.choice(["step", "drift"])
        if improvement:
            kind = f"improving-{sub}"
    elif u < 0.8:
        kind, size = "step", rng.uniform(3, 5)
    else:
        kind, size = "drift", rng.uniform(0.5, 2.5)
    start = int(rng.integers(3, 21))
    lower_is_better = rng.random() >= 0.2
    noise = NOISES[i % len(NOISES)]
    sign = 1 if lower_is_better else -1  # a regression raises times, lowers scores
    if kind.startswith("improving"):
        sign = -sign
        shape = kind.split("-")[1]
        amount = size if shape == "step" else size / 4
    else:
        shape, amount = kind, (size if kind != "none" else 0.0)
    return dict(kind=kind, shape=shape, amount=sign * amount, start=start, lower_is_better=lower_is_better,
                noise=noise, level=rng.uniform(10, 1000))


def true_change(s, baseline_offset):
    m = lambda d: truth_multiplier(s["shape"], s["amount"], s["start"], d)
    return (m(DAYS - 1) / m(DAYS - 1 - baseline_offset) - 1) * 100


def truly_regressed(s):
    worse = [true_change(s, k) * (1 if s["lower_is_better"] else -1) for k in (7, 14)]
    return max(worse) > MIN_CHANGE


def in_subset(series):
    """--subset: every second truly regressed step and drift, every eleventh series that did not regress."""
    steps = [i for i, s in enumerate(series) if s["kind"] == "step" and truly_regressed(s)][::2]
    drifts = [i for i, s in enumerate(series) if s["kind"] == "drift" and truly_regressed(s)][::2]
    others = [i for i, s in enumerate(series) if not truly_regressed(s)][::11]
    return set(steps + drifts + others)


def draw_runs(series, rng):
    """Every series' runs in the order the rng draws them: (series index, day, run of the day, value)."""
    for i, s in enumerate(series):
        for d in range(DAYS):
            level = s["level"] * truth_multiplier(s["shape"], s["amount"], s["start"], d)
            for r in range(rng.integers(1, 6)):
                yield i, d, r, noisy(rng, level, s["noise"], d)


def write_csv(path, series, rng, only=None):
    """Every series' runs, drawn in order; with `only`, those series' are written (the runs are the same)."""
    with open(path, "w") as f:
        f.write("push_timestamp,value,machine_platform,suite,lower_is_better\n")
        for i, d, r, v in draw_runs(series, rng):
            if only is not None and i not in only:
                continue
            s, day = series[i], LAST - np.timedelta64(DAYS - 1 - d, "D")
            f.write(f"{day} {1 + 4 * r:02d}:00:00,{v:.6g},{s['noise']},bench-{i:04d},{s['lower_is_better']}\n")


def main():
    rng = np.random.default_rng(SEED)
    series = [make_series(rng, i) for i in range(n_series)]
    with tempfile.TemporaryDirectory() as tmp:
        csv, store = os.path.join(tmp, "runs.csv"), os.path.join(tmp, "bench.sqlite")
        chosen = in_subset(series) if subset else None
        write_csv(csv, series, rng, chosen)
        subprocess.run([slowreg, "ingest", csv, "--store", store], check=True, capture_output=True)
        t0 = time.perf_counter()
        run = subprocess.run([slowreg, "run", "--date", str(LAST), "--store", store, "--quiet", "--format", "json"] + extra,
                             capture_output=True, text=True)
        wall = time.perf_counter() - t0
        if run.returncode not in (0, 1):
            sys.exit(f"run failed: {run.stderr}")
        summary = json.loads(run.stdout)
        alert = subprocess.run([slowreg, "alert", "--date", str(LAST), "--store", store], capture_output=True, text=True)
        report = json.loads(alert.stdout)
    alerted = {int(a["suite"].split("-")[1]) for a in report["alerts"]}
    held = {int(a["suite"].split("-")[1]) for a in report["held_back"]}
    table = collections.Counter()
    by = collections.defaultdict(collections.Counter)
    for i, s in enumerate(series):
        if chosen is not None and i not in chosen:
            continue
        truth, said = truly_regressed(s), i in alerted
        table[(truth, said)] += 1
        worst = max(true_change(s, k) * (1 if s["lower_is_better"] else -1) for k in (7, 14))
        band = ("true change <= 2%" if worst <= MIN_CHANGE else "true change 2-2.5%" if worst < 2.5
                else "true change 2.5-3%" if worst < 3 else "true change >= 3%")
        # A step's age: one that started 12-15 days before D sits next to the
        # D-14 comparison day, where noise leaves its day (before or after
        # D-14) uncertain.
        age = (("step age", "3-6 days" if s["start"] <= 6 else "7-11 days" if s["start"] <= 11
                else "12-15 days" if s["start"] <= 15 else "16-20 days") if s["kind"] == "step" else None)
        for key in (("kind", s["kind"]), ("noise", s["noise"]), ("size", band), age):
            if key is None:
                continue
            by[key][(truth, said)] += 1
        if s["kind"] == "step":
            by[("step age, " + s["noise"], age[1])][(truth, said)] += 1
    if save:
        rows = {int(a["suite"].split("-")[1]): a for a in report["alerts"] + report["held_back"]}
        with open(save, "w") as f:
            json.dump([dict(s, index=i, truly_regressed=truly_regressed(s), alerted=i in alerted, held_back=i in held,
                            row=rows.get(i)) for i, s in enumerate(series) if chosen is None or i in chosen],
                      f, indent=1, default=float)
    tp, fp, fn, tn = table[(True, True)], table[(False, True)], table[(True, False)], table[(False, False)]
    precision = tp / (tp + fp) if tp + fp else float("nan")
    recall = tp / (tp + fn) if tp + fn else float("nan")
    print(f"{len(chosen) if chosen is not None else n_series} series{' (--subset)' if chosen is not None else ''}, run {wall:.1f} s: fitted {summary['fitted']}, failed {summary['failed']}, "
          f"flagged {summary['flagged']}; alerts {len(alerted)}, held back (flagged) {len(held)}")
    print(f"truly regressed and alerted {tp}, not alerted {fn}; not regressed and alerted {fp}, not alerted {tn}")
    print(f"precision {precision:.3f}  recall {recall:.3f}")
    print(f"{'group':<40}{'regressed':>10}{'alerted':>9}{'recall':>8}{'unchanged':>11}{'false':>7}")
    for key in sorted(by):
        c = by[key]
        reg, det = c[(True, True)] + c[(True, False)], c[(True, True)]
        neg, fa = c[(False, True)] + c[(False, False)], c[(False, True)]
        rec = f"{det / reg:.2f}" if reg else "-"
        print(f"{key[0] + ' ' + key[1]:<40}{reg:>10}{det:>9}{rec:>8}{neg:>11}{fa:>7}")


if __name__ == "__main__":
    main()
