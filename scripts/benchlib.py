"""The synthetic series the throughput and store benchmarks share
(`bench_daily.py`, `bench_workers.py`, `bench_store_growth.py`): one CSV in
the Perfherder export's columns, so every benchmark ingests the same kind of
data and a change to it is made once."""
import numpy as np


def write_series_csv(path, n_series, first_day, days, step_after):
    """N series of `days` days from `first_day` (a numpy datetime64), 1-5
    runs a day at 01:00, 05:00, ... UTC: level 10-1000, Gaussian noise 1-5%,
    a drift of N(0, 0.02)% a week, and in two of five series a 3% step
    (up or down) on the days after day index `step_after`. Seed 7, so every
    benchmark of the same shape reads the same data. Returns the runs written."""
    rng = np.random.default_rng(7)
    rows = 0
    with open(path, "w") as f:
        f.write("push_timestamp,value,machine_platform,suite,lower_is_better\n")
        for s in range(n_series):
            level, noise = rng.uniform(10, 1000), rng.uniform(0.01, 0.05)
            drift, step = rng.normal(0, 0.02), rng.choice([0.0, 0.0, 0.0, 3.0, -3.0])   # % a week; %
            for d in range(days):
                day = first_day + np.timedelta64(d, "D")
                mult = 1 + drift / 100 * d / 7 + (step / 100 if d > step_after else 0)
                for r in range(rng.integers(1, 6)):
                    v = level * mult * (1 + noise * rng.standard_normal())
                    f.write(f"{day} {1 + 4 * r:02d}:00:00,{v:.6g},platform-{s % 6},suite-{s},True\n")
                    rows += 1
    return rows
