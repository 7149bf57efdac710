#!/usr/bin/env python3
"""The daily run over N synthetic series (365 days, 1-5 runs a day), from an
empty store to done: ingest, then `slowreg run`, measuring wall time and peak
memory (GNU time), then the diagnostics status of every fit.

Usage: scripts/bench_daily.py [SLOWREG] [N]
"""
import json, os, re, sqlite3, subprocess, sys, tempfile, time
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib

slowreg = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else ".build/release/slowreg")
n_series = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
LAST = np.datetime64("2024-05-06")

def write_csv(path):
    return benchlib.write_series_csv(path, n_series, LAST - np.timedelta64(364, "D"), 365, step_after=354)

with tempfile.TemporaryDirectory() as tmp:
    csv, store = os.path.join(tmp, "runs.csv"), os.environ.get("BENCH_STORE", os.path.join(tmp, "bench.sqlite"))
    t0 = time.perf_counter(); rows = write_csv(csv); t_gen = time.perf_counter() - t0
    t0 = time.perf_counter()
    subprocess.run([slowreg, "ingest", csv, "--store", store], check=True, capture_output=True)
    t_ingest = time.perf_counter() - t0
    t0 = time.perf_counter()
    run = subprocess.run(["/usr/bin/time", "-v", slowreg, "run", "--date", str(LAST), "--store", store],
                         capture_output=True, text=True)
    t_run = time.perf_counter() - t0
    rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", run.stderr).group(1))
    db = sqlite3.connect(store)
    status = dict(db.execute("SELECT status, count(*) FROM diagnostics GROUP BY status").fetchall())
    size_mb = os.path.getsize(store) / 1e6
    print(run.stdout)
    print(f"{n_series} series, {rows} runs: ingest {t_ingest:.1f} s; run {t_run:.1f} s wall, "
          f"peak memory {rss_kb / 1024:.0f} MiB; fits {status}; store {size_mb:.0f} MB")
