#!/usr/bin/env python3
"""False-alarm rate of `slowreg fit --compare` on series with no change.

For each of N seeds: a steady series (120 days ending 2024-06-30, 1-5 runs a
day, level 100, 2% noise, occasional broken runs), fitted with the default
model (or MODEL), comparing the last day with 14 days earlier. Prints one line per seed
and a summary; exits non-zero when fewer than 90% of seeds stay below
P(worse) = 0.8. Also checks a 3% step regression 10 days before the end is
found (P(worse) > 0.95) for each seed.

Usage: scripts/validation/false_alarms.py [SLOWREG] [N] [MODEL]
       (MODEL: a --model value, e.g. reference; default: the default model)
"""
import json, subprocess, sys, tempfile, os
import numpy as np

slowreg = sys.argv[1] if len(sys.argv) > 1 else ".build/release/slowreg"
n_seeds = int(sys.argv[2]) if len(sys.argv) > 2 else 50
model = ["--model", sys.argv[3]] if len(sys.argv) > 3 else []
LAST = np.datetime64("2024-06-30")
DAYS = 120

def series(seed, step):
    rng = np.random.default_rng(seed)
    lines = ["time,value"]
    for d in range(DAYS):
        day = LAST - np.timedelta64(DAYS - 1 - d, "D")
        for r in range(rng.integers(1, 6)):
            level = 100 * (1 + (step / 100 if d > DAYS - 1 - 10 else 0))
            value = level * (1 + 0.02 * rng.standard_normal())
            if rng.random() < 0.01:
                value *= 1.5
            lines.append(f"{day}T{1 + 4 * r:02d}:00:00,{value}")
    return "\n".join(lines) + "\n"

def p_worse(path, seed):
    out = subprocess.run([slowreg, "fit", path, "--compare", "2024-06-16", "--format", "json",
                          "--seed", str(seed), "--omit-timing"] + model, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)["comparisons"][0]["p_worse"]

quiet = found = 0
with tempfile.TemporaryDirectory() as tmp:
    for seed in range(n_seeds):
        flat, step = os.path.join(tmp, "flat.csv"), os.path.join(tmp, "step.csv")
        open(flat, "w").write(series(seed, 0))
        open(step, "w").write(series(seed, 3))
        pf, ps = p_worse(flat, seed), p_worse(step, seed)
        quiet += pf < 0.8
        found += ps > 0.95
        print(f"seed {seed:3d}  no change: P(worse) {pf:.3f}   3% step: P(worse) {ps:.3f}")
print(f"no change: {quiet}/{n_seeds} seeds below 0.8 ({100 * quiet / n_seeds:.0f}%); "
      f"3% step: {found}/{n_seeds} seeds above 0.95 ({100 * found / n_seeds:.0f}%)")
sys.exit(0 if quiet >= 0.9 * n_seeds else 1)
