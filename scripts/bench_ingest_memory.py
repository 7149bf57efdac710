#!/usr/bin/env python3
"""Peak memory of `slowreg ingest` on a large Treeherder-layout CSV export
(issue 12: ingest must stream, memory bounded independently of file size;
target: at most 300 MB peak RSS for a 500 MB export).

Generates the export in a temporary directory (2,000 series over a year, the
column layout of a Treeherder CSV export), runs `slowreg ingest` on it into an
empty store under GNU time (falling back to getrusage), and prints the file
size, rows, wall time and peak resident set size.

Usage: scripts/bench_ingest_memory.py [--size-mb 500] [--slowreg .build/release/slowreg] [--keep]
Not part of the test suite: it takes minutes and needs ~2 GB of free disk.
"""
import argparse, os, random, re, resource, shutil, subprocess, sys, tempfile, time

HEADER = ("push_timestamp,value,revision,repository_name,signature_id,framework_id,machine_platform,"
          "test,suite,lower_is_better,measurement_unit,job_id\n")
PLATFORMS = ["linux1804-64-shippable-qr", "windows10-64-shippable-qr", "macosx1015-64-shippable-qr",
             "android-hw-a51-11-0-aarch64-shippable-qr"]
FIRST_DAY = 1_672_531_200          # 2023-01-01T00:00:00Z


def write_export(path, target_bytes, series=2000, seed=7):
    rng = random.Random(seed)
    levels = [rng.uniform(10, 1e6) for _ in range(series)]
    written, rows, block = 0, 0, []
    with open(path, "w") as f:
        f.write(HEADER)
        while written < target_bytes:
            s = rng.randrange(series)
            t = FIRST_DAY + rng.randrange(365 * 86_400)
            day = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(t))
            value = levels[s] * (1 + 0.03 * rng.gauss(0, 1))
            line = (f"{day},{value:.10g},{rng.getrandbits(48):012x},mozilla-beta,{3_000_000 + s},13,"
                    f"{PLATFORMS[s % len(PLATFORMS)]},subtest-{s % 17},suite-{s // 17},True,ms,{400_000_000 + rows}\n")
            block.append(line)
            written += len(line)
            rows += 1
            if len(block) == 10_000:
                f.write("".join(block))
                block = []
        f.write("".join(block))
    return rows


def run_measured(command):
    """(exit status, seconds, peak RSS in MB, stderr) of `command`."""
    gnu_time = shutil.which("time") or ("/usr/bin/time" if os.path.exists("/usr/bin/time") else None)
    started = time.perf_counter()
    if gnu_time:
        done = subprocess.run([gnu_time, "-v"] + command, capture_output=True, text=True)
        elapsed = time.perf_counter() - started
        match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
        peak_mb = int(match.group(1)) / 1024 if match else float("nan")
    else:
        done = subprocess.run(command, capture_output=True, text=True)
        elapsed = time.perf_counter() - started
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024   # kB on Linux
    return done.returncode, elapsed, peak_mb, done.stdout, done.stderr


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size-mb", type=float, default=500)
    parser.add_argument("--slowreg", default=".build/release/slowreg")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()
    slowreg = os.path.abspath(args.slowreg)
    directory = tempfile.mkdtemp(prefix="slowreg-bench-ingest-")
    try:
        export = os.path.join(directory, "export.csv")
        started = time.perf_counter()
        rows = write_export(export, int(args.size_mb * 1e6))
        size_mb = os.path.getsize(export) / 1e6
        print(f"export: {size_mb:.0f} MB, {rows} rows, written in {time.perf_counter() - started:.0f} s", flush=True)
        status, elapsed, peak_mb, out, err = run_measured(
            [slowreg, "ingest", export, "--store", os.path.join(directory, "bench.sqlite")])
        if status != 0:
            print(f"slowreg ingest failed ({status}): {err[-2000:]}", file=sys.stderr)
            return 1
        print(out.strip())
        print(f"ingest: {elapsed:.0f} s, peak RSS {peak_mb:.0f} MB ({peak_mb / size_mb:.2f}× the file); target ≤ 300 MB")
        return 0 if peak_mb <= 300 else 1
    finally:
        if args.keep:
            print(f"kept {directory}")
        else:
            shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
