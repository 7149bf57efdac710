#!/usr/bin/env python3
"""What one more run date costs in the store: N year-long synthetic series
(1-5 runs a day, the generator of bench_daily.py), ingested once with data
for several consecutive days, then `slowreg run` for each of those run dates
in turn. After each run date it prints the store's live size (pages in use ×
page size, after a WAL checkpoint: what the data takes, free pages left by
trimming excluded) and the file size; the growth between consecutive run
dates is the figure of issue 14 (target: at most 5 MB per 100 series).

Usage: scripts/bench_store_growth.py [SLOWREG] [N] [RUN_DATES]
       (e.g. an older build as SLOWREG to compare layouts; BENCH_STORE=path
       keeps the store for a look with sqlite3's dbstat)
"""
import os, sqlite3, subprocess, sys, tempfile, time
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib

slowreg = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else ".build/release/slowreg")
n_series = int(sys.argv[2]) if len(sys.argv) > 2 else 100
n_dates = int(sys.argv[3]) if len(sys.argv) > 3 else 4
FIRST_RUN = np.datetime64("2024-05-06")
DAYS = 365 + n_dates - 1          # a full year of history for every run date


def write_csv(path):
    return benchlib.write_series_csv(path, n_series, FIRST_RUN - np.timedelta64(364, "D"), DAYS, step_after=354)


def sizes(store):
    db = sqlite3.connect(store)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page = db.execute("PRAGMA page_size").fetchone()[0]
    used = db.execute("PRAGMA page_count").fetchone()[0] - db.execute("PRAGMA freelist_count").fetchone()[0]
    db.close()
    return used * page / 1e6, os.path.getsize(store) / 1e6


with tempfile.TemporaryDirectory() as tmp:
    csv = os.path.join(tmp, "runs.csv")
    store = os.environ.get("BENCH_STORE", os.path.join(tmp, "growth.sqlite"))   # BENCH_STORE keeps it
    rows = write_csv(csv)
    subprocess.run([slowreg, "ingest", csv, "--store", store], check=True, capture_output=True)
    live0, file0 = sizes(store)
    print(f"{slowreg}: {n_series} series, {rows} runs; after ingest: live {live0:.1f} MB, file {file0:.1f} MB")
    previous = live0
    growth = []
    for i in range(n_dates):
        date = str(FIRST_RUN + np.timedelta64(i, "D"))
        t0 = time.perf_counter()
        subprocess.run([slowreg, "run", "--date", date, "--store", store, "--quiet"], check=True, capture_output=True)
        wall = time.perf_counter() - t0
        live, file = sizes(store)
        print(f"run {date}: {wall:5.1f} s; live {live:7.1f} MB (+{live - previous:5.1f}), file {file:7.1f} MB")
        if i > 0:
            growth.append(live - previous)
        previous = live
    if growth:
        print(f"one more run date of {n_series} series adds {np.mean(growth):.2f} MB (live; mean of {len(growth)})")
