#!/usr/bin/env python3
"""The two models side by side: whole-process `slowreg fit --format json` of
year-long series, interleaved (reference, default, reference, default, ...)
so that both see the same load on a shared machine; median wall and CPU time
(user + sys of the child) per model and their ratio, with the fit's status.

Usage: scripts/bench_models.py [SLOWREG] [REPEATS] [CSV ...]
(default: the reference case year_gaussian and two real series)
"""
import json, os, resource, statistics, subprocess, sys, time

slowreg = sys.argv[1] if len(sys.argv) > 1 else ".build/release/slowreg"
repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
files = sys.argv[3:] or ["../shared/reference/year_gaussian/raw.csv",
                         "../shared/data/mozilla-beta_3891031.csv",
                         "../shared/data/realise/series/mozilla-beta_3892612.csv"]
models = ["reference", "step-level"]


def one(path, model, seed):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    out = subprocess.run([slowreg, "fit", path, "--model", model, "--format", "json", "--seed", str(seed)],
                         capture_output=True, text=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    status = json.loads(out.stdout)["diagnostics"]["status"] if out.returncode == 0 else f"exit {out.returncode}"
    return wall, cpu, status


print(f"{slowreg}; {repeats} interleaved runs per model and series; load average {os.getloadavg()[0]:.1f}")
print("| series | model | wall (median) | CPU (median) | fits good | wall vs reference | CPU vs reference |")
print("|---|---|---|---|---|---|---|")
for path in files:
    results = {m: [] for m in models}
    for r in range(repeats):
        for m in models:
            results[m].append(one(path, m, 100 + r))
    ref_wall = statistics.median(w for w, _, _ in results["reference"])
    ref_cpu = statistics.median(c for _, c, _ in results["reference"])
    for m in models:
        wall = statistics.median(w for w, _, _ in results[m])
        cpu = statistics.median(c for _, c, _ in results[m])
        good = sum(1 for _, _, s in results[m] if s == "good")
        print(f"| {os.path.basename(path)} | {m} | {wall * 1000:.0f} ms | {cpu * 1000:.0f} ms | {good}/{repeats} | "
              f"{wall / ref_wall:.1f}× | {cpu / ref_cpu:.1f}× |")
