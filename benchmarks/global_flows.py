"""Benchmark of migstats.flows.global_flows on the bundled UN data (232 countries and areas).

Run from the repository root: ``python benchmarks/global_flows.py [--quick]``.

Prints, each measured in this run:

* per method, and for all six methods in one call, the **fresh-process
  ratio**: wall time of the first ``global_flows("2015-2020", method=m)`` in a
  new process, from before ``import migstats`` to the result (interpreter
  start excluded; imports, loading and validating the bundled tables,
  assembly and estimation included), divided by the **warm** time of the same
  call in that process once the result caches are cleared (tables loaded,
  accounts assembled anew). Goal: at most 2. Also the **first-call ratio**,
  which leaves the imports out (first call after ``import`` / warm), and the
  fixed cost split into imports and table loading;
* one period (2015-2020): data assembly against each method's estimation,
  and the share of the time spent in assembly;
* the whole grid, 7 periods x 6 methods: sequentially and in a local process
  pool against the 60 s goal, with the peak resident memory of the process
  that ran it (``ru_maxrss``) and the peak traced memory of one period; and
  the grid's fresh-process ratio (first grid in a new process, imports
  included, against the same grid again with the caches cleared).

* input-perturbation draws (``flow_sensitivity``): 10 draws of 2015-2020
  with ``da_min_closed``, sequentially and in a local process pool, per draw
  and as a ratio, with the peak resident memory of the parent (and of the
  largest pool worker).

``--quick`` skips the grid runs and the draws.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

FRESH = r"""
import json, sys, time
sys.path.insert(0, {root!r})
t0 = time.perf_counter()
from migstats.flows import global_flows
from migstats.flows.world import estimate
t_import = time.perf_counter()
first = global_flows("2015-2020", methods={methods!r})
t1 = time.perf_counter()
estimate._ESTIMATES.clear(); estimate._bundled_accounts.cache_clear()
t2 = time.perf_counter()
global_flows("2015-2020", methods={methods!r})
t3 = time.perf_counter()
print(json.dumps({{"first": t1 - t0, "imports": t_import - t0, "after_import": t1 - t_import, "warm": t3 - t2}}))
"""

TABLES = r"""
import json, sys, time
sys.path.insert(0, {root!r})
from migstats.flows import global_flows
from migstats.datasets import official
t0 = time.perf_counter()
official.undesa_bilateral_countries(); official.undesa_population_countries(); official.wpp_vital()
print(json.dumps({{"tables": time.perf_counter() - t0}}))
"""

GRID = r"""
import json, resource, sys, time
sys.path.insert(0, {root!r})
from migstats.flows import global_flows
from migstats.datasets import official
official.undesa_bilateral_countries(); official.undesa_population_countries(); official.wpp_vital()
t0 = time.perf_counter()
table = global_flows(periods="all", methods="all", executor={executor!r}, progress=False)
t1 = time.perf_counter()
print(json.dumps({{"seconds": t1 - t0, "rows": len(table),
                  "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""

GRID_FRESH = r"""
import json, sys, time
sys.path.insert(0, {root!r})
t0 = time.perf_counter()
from migstats.flows import global_flows
from migstats.flows.world import estimate
global_flows(periods="all", methods="all", progress=False)
t1 = time.perf_counter()
estimate._ESTIMATES.clear(); estimate._bundled_accounts.cache_clear()
t2 = time.perf_counter()
global_flows(periods="all", methods="all", progress=False)
t3 = time.perf_counter()
print(json.dumps({{"first": t1 - t0, "warm": t3 - t2}}))
"""


DRAWS = r"""
import json, resource, sys, time
sys.path.insert(0, {root!r})
from migstats.flows.world import flow_sensitivity, world_accounts
world_accounts("2015-2020")
t0 = time.perf_counter()
run = flow_sensitivity("2015-2020", method="da_min_closed", draws={draws}, seed=1, executor={executor!r},
                       progress=False)
t1 = time.perf_counter()
print(json.dumps({{"seconds": t1 - t0, "p50": float(run.totals["p50"].iloc[0]),
                  "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "worker_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}}))
"""


def _run(code: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def fresh_vs_warm() -> None:
    from migstats.flows.world import METHODS

    tables = _run(TABLES.format(root=str(ROOT)))["tables"]
    print(f"  {'method':14s} {'fresh':>7s} {'imports':>8s} {'warm':>7s} {'ratio':>6s} {'first-call ratio':>17s}")
    for methods in [[m] for m in METHODS] + ["all"]:
        r = _run(FRESH.format(root=str(ROOT), methods=methods))
        name = methods[0] if methods != "all" else "all six"
        print(f"  {name:14s} {r['first']:6.2f}s {r['imports']:7.2f}s {r['warm']:6.2f}s {r['first'] / r['warm']:6.2f} "
              f"{r['after_import'] / r['warm']:17.2f}")
    print(f"  (fresh = imports + first call; loading and validating the three bundled tables alone: {tables:.2f} s)")


def one_period() -> None:
    from migstats.datasets import official
    from migstats.flows.world import METHODS, estimate_period, world_accounts

    official.undesa_bilateral_countries(), official.undesa_population_countries(), official.wpp_vital()
    t0 = time.perf_counter()
    acc = world_accounts("2015-2020")
    assembly = time.perf_counter() - t0
    times = {}
    for method in METHODS:
        t = time.perf_counter()
        estimate_period(acc, [method])
        times[method] = time.perf_counter() - t
    t = time.perf_counter()
    estimate_period(acc, list(METHODS))
    together = time.perf_counter() - t
    print(f"  assembly {assembly:.2f} s; estimation alone: " + ", ".join(f"{m} {s:.2f} s" for m, s in times.items()))
    print(f"  all six together (shared fits) {together:.2f} s; assembly is {100 * assembly / (assembly + together):.0f}% "
          f"of one period")
    tracemalloc.start()
    estimate_period(acc, list(METHODS))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    n = len(acc.codes)
    print(f"  peak traced memory of one period's estimation {peak / 2**20:.0f} MiB "
          f"({peak / (8 * n ** 3):.1f} x one {n}^3 float64 array)")


def grid() -> None:
    for executor in ("sequential", "process"):
        r = _run(GRID.format(root=str(ROOT), executor=executor))
        print(f"  7 periods x 6 methods, {executor:10s}: {r['seconds']:6.1f} s ({r['seconds'] / 60:.2f} of the 60 s goal), "
              f"{r['rows']:,} rows, peak RSS {r['maxrss_mb']:.0f} MiB")


def grid_fresh() -> None:
    r = _run(GRID_FRESH.format(root=str(ROOT)))
    print(f"  7 periods x 6 methods in a fresh process {r['first']:.1f} s (imports included), warm {r['warm']:.1f} s, "
          f"ratio {r['first'] / r['warm']:.2f}")


def draws(count: int = 10) -> None:
    runs = {executor: _run(DRAWS.format(root=str(ROOT), executor=executor, draws=count))
            for executor in ("sequential", "process")}
    for executor, r in runs.items():
        print(f"  {count} draws + the point estimate, da_min_closed, {executor:10s}: {r['seconds']:6.1f} s "
              f"({r['seconds'] / (count + 1):.2f} s a fit), peak RSS {r['maxrss_mb']:.0f} MiB"
              + (f" (largest worker {r['worker_mb']:.0f} MiB)" if executor == "process" else ""))
    same = runs["sequential"]["p50"] == runs["process"]["p50"]
    print(f"  process pool / sequential {runs['process']['seconds'] / runs['sequential']['seconds']:.2f}; "
          f"median world total identical: {same}")


def main() -> None:
    print("fresh process vs warm, global_flows('2015-2020', method=m)")
    fresh_vs_warm()
    print("one period (2015-2020), all 232 countries and areas")
    one_period()
    if "--quick" not in sys.argv:
        print("whole grid")
        grid()
        grid_fresh()
        print("input-perturbation draws, 2015-2020")
        draws()


if __name__ == "__main__":
    main()
