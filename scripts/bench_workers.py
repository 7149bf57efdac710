#!/usr/bin/env python3
"""Many workers, one store (issue 14): N synthetic year-long series (the
generator of bench_daily.py) through one run date, on

  sqlite-1     one `slowreg run` process on an SQLite file (--threads 2)
  postgres-1   one process on a PostgreSQL store        (--threads 2)
  postgres-1x1 one process with one thread               (--threads 1): a worker's own throughput
  postgres-2x1 two processes at once, one thread each    (--threads 1): the scaling

each from an empty store after the same ingest. For each: wall time, series
per minute, the time the jobs spent in store calls (`store_seconds` of
`run --format json`, summed over threads) as a share of the jobs' time, and
for the one-process configurations the store's live size after the first
run date and the growth of one more run date (the mean increment over the
last run dates; PostgreSQL: the database's size after a VACUUM FULL, which
leaves no free space in the files; SQLite: pages in use).
PostgreSQL is a throwaway server started by scripts/postgres-test-server.sh
--durable (fsync on, as in production).

Usage: scripts/bench_workers.py [SLOWREG] [N] [CONFIG ...]
       (BENCH_RUN_DATES=k: run dates of the size measurement, default 4; the
       growth is the mean increment over the last k − 2; k = 1 runs one run
       date and measures no growth — for a run at full size, where each
       further run date would cost as much again; BENCH_MODEL=reference
       to fit with the reference model, e.g. to put the store under the load
       of many series in less time)
"""
import json, os, sqlite3, subprocess, sys, tempfile, time
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib

slowreg = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else ".build/release/slowreg")
n_series = int(sys.argv[2]) if len(sys.argv) > 2 else 200
configs = sys.argv[3:] or ["sqlite-1", "postgres-1", "postgres-1x1", "postgres-2x1"]
RUN_DATES = int(os.environ.get("BENCH_RUN_DATES", "4"))
if RUN_DATES < 3 and RUN_DATES != 1:
    sys.exit("bench_workers.py: BENCH_RUN_DATES must be 1 (no growth measured) or at least 3 (the growth is measured over the last k − 2)")
MODEL = ["--model", os.environ["BENCH_MODEL"]] if os.environ.get("BENCH_MODEL") else []
LAST = np.datetime64("2024-05-08")
here = os.path.dirname(os.path.abspath(__file__))


def write_csv(path):
    days = 365 + RUN_DATES - 1
    return benchlib.write_series_csv(path, n_series, LAST - np.timedelta64(days - 1, "D"), days, step_after=days - 11)


def start_server():
    out = subprocess.run([os.path.join(here, "postgres-test-server.sh"), "start", "--durable"],
                         check=True, capture_output=True, text=True).stdout
    env = dict(line.replace("export ", "").split("=", 1) for line in out.splitlines() if line.startswith("export "))
    return env


def psql(env, db, sql):
    url = env["SLOWREG_TEST_POSTGRES"].rsplit("/", 1)[0] + "/" + db
    return subprocess.run([env["SLOWREG_TEST_POSTGRES_BIN"] + "/psql", "-X", "-q", "-t", "-A", url, "-c", sql],
                          check=True, capture_output=True, text=True).stdout.strip()


def size(store, env):
    if store.startswith("postgresql://"):
        db = store.rsplit("/", 1)[1]
        # VACUUM FULL rewrites every table without its free space: the live
        # size, as SQLite's pages in use below (a plain VACUUM leaves the
        # space the trimming of the older run date freed inside the files,
        # reused later, so the file size after it swings by run date). After
        # a single run date nothing was trimmed: a plain VACUUM will do.
        psql(env, db, "VACUUM FULL" if RUN_DATES > 1 else "VACUUM")
        return int(psql(env, db, "SELECT pg_database_size(current_database())"))
    con = sqlite3.connect(store)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    pages = con.execute("PRAGMA page_count").fetchone()[0] - con.execute("PRAGMA freelist_count").fetchone()[0]
    return pages * con.execute("PRAGMA page_size").fetchone()[0]


def run_date(store, date, workers, threads):
    t0 = time.perf_counter()
    procs = [subprocess.Popen([slowreg, "run", "--date", str(date), "--threads", str(threads), "--format", "json",
                               "--quiet", "--store", store] + MODEL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(workers)]
    outs = [p.communicate() for p in procs]
    wall = time.perf_counter() - t0
    docs = []
    for (out, err), p in zip(outs, procs):
        if p.returncode not in (0, 1):
            sys.exit(f"run failed ({p.returncode}): {err}")
        docs.append(json.loads(out))
    return wall, docs


with tempfile.TemporaryDirectory() as tmp:
    csv = os.path.join(tmp, "runs.csv")
    write_csv(csv)
    env = start_server() if any(c.startswith("postgres") for c in configs) else {}
    try:
        print(f"{slowreg}; {n_series} year-long series; model {MODEL[1] if MODEL else 'default'}; "
              f"load average {os.getloadavg()[0]:.1f}")
        print("| store, workers × threads | wall | series/min | fitted by each worker | store time / job time "
              "| size after D | + one more run date |")
        print("|---|---|---|---|---|---|---|")
        for config in configs:
            backend, shape = config.split("-")
            workers, threads = (1, 2) if shape == "1" else map(int, shape.split("x"))
            if backend == "sqlite":
                store = os.path.join(tmp, f"{config}.sqlite")
            else:
                db = "bench_" + config.replace("-", "_")
                psql(env, "slowreg_test", f"CREATE DATABASE {db}")
                store = env["SLOWREG_TEST_POSTGRES"].rsplit("/", 1)[0] + "/" + db
            subprocess.run([slowreg, "ingest", csv, "--store", store], check=True, capture_output=True)
            wall, docs = run_date(store, LAST - np.timedelta64(RUN_DATES - 1, "D"), workers, threads)
            fitted = [d["fitted"] for d in docs]
            store_s = sum(d["store_seconds"] for d in docs)
            job_s = wall * workers * threads
            first = growth = None
            if workers == 1 and threads == 2:
                first = size(store, env)
                sizes = [first]
                for k in range(RUN_DATES - 2, -1, -1):
                    run_date(store, LAST - np.timedelta64(k, "D"), workers, threads)
                    sizes.append(size(store, env))
                if RUN_DATES > 1:
                    growth = (sizes[-1] - sizes[1]) / (len(sizes) - 2)
                print(f"<!-- {config}: size after each run date (MB): {', '.join(f'{x / 1e6:.1f}' for x in sizes)} -->",
                      flush=True)
            print(f"| {backend}, {workers} × {threads} | {wall:.0f} s | {sum(fitted) / wall * 60:.0f} | "
                  f"{' + '.join(map(str, fitted))} | {store_s:.1f} s / {job_s:.0f} s = {100 * store_s / job_s:.1f}% | "
                  + (f"{first / 1e6:.0f} MB | " if first is not None else "| ")
                  + (f"+{growth / 1e6:.1f} MB |" if growth is not None else "|"), flush=True)
            # Each configuration's store goes before the next is made (at full size they are tens of GB).
            if backend == "sqlite":
                for suffix in ("", "-wal", "-shm"):
                    if os.path.exists(store + suffix):
                        os.remove(store + suffix)
            else:
                psql(env, "slowreg_test", f"DROP DATABASE {db}")
    finally:
        if env:
            subprocess.run([os.path.join(here, "postgres-test-server.sh"), "stop", env["SLOWREG_TEST_POSTGRES_DIR"]])
