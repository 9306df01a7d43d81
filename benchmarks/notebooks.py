"""Benchmark: run time of each example notebook, against a floor measured in the same run.

The floor executes a one-cell notebook (``import migstats``) in a fresh kernel:
the cost of starting a kernel and importing the package. The promise to a new
user is each notebook in under a minute.

    python benchmarks/notebooks.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

import nbclient
import nbformat

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}


def _run(nb) -> float:
    client = nbclient.NotebookClient(nb, kernel_name="python3", timeout=600,
                                     resources={"metadata": {"path": str(REPO / "notebooks")}})
    start = time.perf_counter()
    client.execute(env=ENV)
    return time.perf_counter() - start


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    floor_nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import migstats")])
    floor = statistics.median(_run(nbformat.from_dict(floor_nb)) for _ in range(args.repeat))
    print(f"floor (fresh kernel + import migstats): {floor:6.2f} s")
    for path in NOTEBOOKS:
        t = statistics.median(_run(nbformat.read(path, as_version=4)) for _ in range(args.repeat))
        print(f"{path.name:45s} {t:6.2f} s   ratio to floor {t / floor:5.2f}x   (promise: < 60 s)")


if __name__ == "__main__":
    main()
