#!/usr/bin/env python3
"""The two models side by side: whole-process `slowreg fit --format json` of
year-long series, interleaved (reference, default, reference, default, ...)
so that both see the same load on a shared machine; median wall and CPU time
(user + sys of the child) per model and their ratio, with the fit's status.

Usage: scripts/bench_models.py [SLOWREG[,SLOWREG2,...]] [REPEATS] [CSV ...]
(default: the reference case year_gaussian and two real series). With
several comma-separated binaries (e.g. builds before and after a change),
the reference model is run by the first and the step-level model by each,
all interleaved, so that their ratios to the reference are measured in the
same run.
"""
import json, os, resource, statistics, subprocess, sys, time

binaries = (sys.argv[1] if len(sys.argv) > 1 else ".build/release/slowreg").split(",")
slowreg = binaries[0]
repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
files = sys.argv[3:] or ["../shared/reference/year_gaussian/raw.csv",
                         "../shared/data/mozilla-beta_3891031.csv",
                         "../shared/data/realise/series/mozilla-beta_3892612.csv"]
# (label, binary, model) of each row: the reference by the first binary, the step-level model by each.
runs = [("reference", slowreg, "reference")] + [
    ("step-level" if len(binaries) == 1 else f"step-level ({b})", b, "step-level") for b in binaries]


def one(binary, path, model, seed):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    out = subprocess.run([binary, "fit", path, "--model", model, "--format", "json", "--seed", str(seed)],
                         capture_output=True, text=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    status = json.loads(out.stdout)["diagnostics"]["status"] if out.returncode == 0 else f"exit {out.returncode}"
    return wall, cpu, status


print(f"{', '.join(binaries)}; {repeats} interleaved runs per model and series; load average {os.getloadavg()[0]:.1f}")
print("| series | model | wall (median) | CPU (median) | fits good | wall vs reference | CPU vs reference |")
print("|---|---|---|---|---|---|---|")
for path in files:
    results = {label: [] for label, _, _ in runs}
    for r in range(repeats):
        for label, binary, model in runs:
            results[label].append(one(binary, path, model, 100 + r))
    ref_wall = statistics.median(w for w, _, _ in results["reference"])
    ref_cpu = statistics.median(c for _, c, _ in results["reference"])
    for label, _, _ in runs:
        wall = statistics.median(w for w, _, _ in results[label])
        cpu = statistics.median(c for _, c, _ in results[label])
        good = sum(1 for _, _, s in results[label] if s == "good")
        print(f"| {os.path.basename(path)} | {label} | {wall * 1000:.0f} ms | {cpu * 1000:.0f} ms | {good}/{repeats} | "
              f"{wall / ref_wall:.1f}× | {cpu / ref_cpu:.1f}× |")
