"""Benchmark of migstats.flows and migstats.flows.indices on seeded 200-region inputs.

Run from the repository root: ``python benchmarks/flows.py``.

For each case: median wall time over a few runs, peak traced memory
(tracemalloc, which sees numpy's allocations), the ratio of the time to a
floor measured in the same run (one numpy pass, ``arr.sum()``, over the
largest array the case involves), the peak memory over that array's size,
and the speed-up against migest 2.0.5's median time on a similar machine
(as given in issue 6).

Then the cost of a fresh process (issue 11): ``ffs_demo`` at 200 regions run
in new Python processes, split into importing numpy/pandas, importing
migstats.flows, the first call and a warm (third) call, with the ratios of a
fresh process's total and of the first call to the warm call.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from migstats.flows import cm3, example_stocks, ffs_demo, ipf2, ipf3  # noqa: E402
from migstats.flows.indices import index_connectivity, index_distance  # noqa: E402

N = 200
MIGEST_SECONDS = {"ffs_demo": 2.7, "ipf3 (2-d offset)": 22.0, "cm3 200x200x4": 93.0,
                  "index_connectivity": 27.0, "index_distance": 14.0, "ipf2": 0.02}


def _gravity(seed: int):
    rng = np.random.default_rng(seed)
    xy = rng.uniform(size=(N, 2))
    dist = np.sqrt(((xy[:, None] - xy[None]) ** 2).sum(axis=2)) * 1000 + 1.0
    pop = rng.lognormal(13, 1, size=N)
    lam = np.outer(pop, pop) ** 0.5 / dist ** 1.2 / 50
    flows = rng.poisson(lam).astype(float)
    np.fill_diagonal(flows, 0.0)
    return flows, dist


def build_inputs():
    labels = [f"R{i + 1:03d}" for i in range(N)]
    s1, s2 = example_stocks(N, seed=7, labels=labels)
    rng = np.random.default_rng(11)
    births = pd.Series(np.round(s2.sum(axis=0).to_numpy() * rng.uniform(0.005, 0.02, N)), index=labels)
    deaths = births.copy()  # stocks have equal totals, so natural growth must be 0 as well
    deaths[:] = np.round(births.to_numpy() * rng.uniform(0.5, 1.5, N))
    deaths.iloc[-1] += births.sum() - deaths.sum()
    deaths = deaths.clip(lower=0)
    xy = np.random.default_rng(7).uniform(size=(N, 2))
    offset2d = 1 / (np.sqrt(((xy[:, None] - xy[None]) ** 2).sum(axis=2)) + 0.05)
    flows, dist = _gravity(20240604)
    m3 = np.round(np.random.default_rng(20240603).gamma(2.0, 0.5, size=(N, N, 4)), 3) * (flows > 0)[:, :, None]
    row_tot, col_tot = flows.sum(axis=1), flows.sum(axis=0)
    return dict(s1=s1, s2=s2, births=births, deaths=deaths, offset2d=offset2d, flows=flows, dist=dist,
                m3=m3, row_tot=row_tot, col_tot=col_tot, m2=np.where(flows > 0, 1 / dist, 0.0))


def measure(fn, repeats: int):
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return statistics.median(times), peak


def floor_time(arr: np.ndarray, repeats: int = 7) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        arr.sum()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


FRESH = r"""
import json, time
t0 = time.perf_counter()
import numpy, pandas
t1 = time.perf_counter()
from migstats.flows import example_stocks, ffs_demo
t2 = time.perf_counter()
s1, s2 = example_stocks(200, seed=7, labels=[f"R{i + 1:03d}" for i in range(200)])
t3 = time.perf_counter()
ffs_demo(s1, s2)
t4 = time.perf_counter()
ffs_demo(s1, s2)
t5 = time.perf_counter()
ffs_demo(s1, s2)
t6 = time.perf_counter()
print(json.dumps({"import numpy+pandas": t1 - t0, "import migstats.flows": t2 - t1, "first call": t4 - t3,
                  "warm call": t6 - t5}))
"""


def fresh_process(runs: int = 5) -> None:
    """Median over ``runs`` new processes of each phase of a first ffs_demo call (200 regions)."""
    root = str(Path(__file__).resolve().parents[1])
    env = {**__import__("os").environ, "PYTHONPATH": root}
    rows = [json.loads(subprocess.run([sys.executable, "-c", FRESH], check=True, capture_output=True, text=True,
                                      env=env).stdout) for _ in range(runs)]
    med = {k: statistics.median(r[k] for r in rows) for k in rows[0]}
    print(f"\nffs_demo, 200 regions, fresh process (median of {runs} processes):")
    for k, v in med.items():
        print(f"  {k:24s} {v:8.3f} s")
    fresh = med["import numpy+pandas"] + med["import migstats.flows"] + med["first call"]
    print(f"  first call / warm call   {med['first call'] / med['warm call']:8.2f}")
    print(f"  imports + first / warm   {fresh / med['warm call']:8.2f}")


def main() -> None:
    x = build_inputs()
    big3 = np.ones((N, N, N))
    mat = np.ones((N, N))
    cases = [
        ("ffs_demo", lambda: ffs_demo(x["s1"], x["s2"], x["births"], x["deaths"]), big3, 5),
        ("ipf3 (2-d offset)", lambda: ipf3(x["s1"], x["s2"], x["offset2d"]), big3, 5),
        ("cm3 200x200x4", lambda: cm3(x["row_tot"], x["col_tot"], x["m3"]), x["m3"], 9),
        ("index_connectivity", lambda: index_connectivity(x["flows"]), mat, 9),
        ("index_distance", lambda: index_distance(x["flows"], x["dist"]), mat, 5),
        ("ipf2", lambda: ipf2(x["row_tot"], x["col_tot"], x["m2"]), mat, 21),
    ]
    header = (f"{'case':22s} {'median s':>10s} {'peak MB':>9s} {'largest MB':>10s} {'mem x':>6s} "
              f"{'floor s':>10s} {'x floor':>9s} {'migest s':>9s} {'speed-up':>9s}")
    print(header)
    print("-" * len(header))
    for name, fn, largest, repeats in cases:
        t, peak = measure(fn, repeats)
        fl = floor_time(largest)
        mb = largest.nbytes / 1e6
        print(f"{name:22s} {t:10.4f} {peak / 1e6:9.1f} {mb:10.1f} {peak / largest.nbytes:6.2f} "
              f"{fl:10.6f} {t / fl:9.1f} {MIGEST_SECONDS[name]:9.2f} {MIGEST_SECONDS[name] / t:9.1f}")
    fresh_process()


if __name__ == "__main__":
    main()
