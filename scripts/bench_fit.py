#!/usr/bin/env python3
"""Wall time of `slowreg fit` per sampler on a reference case, against the
brms/Stan timings recorded with the reference (same kind of machine).

For each sampler: REPEATS runs of `slowreg fit CASE/raw.csv --format json`
(4 chains, 1000 + 1000 iterations, all cores), median wall time measured
around the process, minimum bulk ESS from the JSON, and ESS per second.

Usage: scripts/bench_fit.py [SLOWREG] [CASE_DIR] [REPEATS]
"""
import json, statistics, subprocess, sys, time
slowreg = sys.argv[1] if len(sys.argv) > 1 else ".build/release/slowreg"
case = sys.argv[2] if len(sys.argv) > 2 else "../shared/reference/year_gaussian"
repeats = int(sys.argv[3]) if len(sys.argv) > 3 else 5
ref = json.load(open(f"{case}/timing.json"))
print(f"case {case}: n = {ref['n']}, K = {ref['k']}")
print(f"reference brms/Stan: compile {ref['compile_s']:.1f} s, sample {ref['sample_s']:.1f} s, "
      f"min n_eff {ref['min_n_eff']:.0f} -> {ref['min_n_eff'] / ref['sample_s']:.1f} ESS/s (sampling only)")
print("| sampler | wall time of `slowreg fit` (median of %d) | min bulk ESS | min bulk ESS / s | vs brms sampling time |" % repeats)
print("|---|---|---|---|---|")
for sampler in ["gibbs", "nuts", "metropolis"]:
    walls, ess = [], []
    for r in range(repeats):
        t0 = time.perf_counter()
        out = subprocess.run([slowreg, "fit", f"{case}/raw.csv", "--sampler", sampler, "--format", "json",
                              "--seed", str(100 + r)], capture_output=True, text=True, check=True)
        walls.append(time.perf_counter() - t0)
        ess.append(json.loads(out.stdout)["diagnostics"]["min_ess_bulk"])
    w, e = statistics.median(walls), statistics.median(ess)
    print(f"| {sampler} | {w * 1000:.0f} ms | {e:.0f} | {e / w:.0f} | {ref['sample_s'] / w:.0f}× faster |")
