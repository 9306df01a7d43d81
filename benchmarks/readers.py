"""Time and peak memory of each migstats reader against a plain pandas read of the same file.

Run from the repository root::

    python benchmarks/readers.py [--upstream PATH] [--repeat N]

For every upstream file the reader and the plain ``pandas.read_csv`` /
``pandas.read_excel`` (with only the arguments needed to get a table at all)
run in the same process: one warm-up call each, then ``--repeat`` rounds of
one reader call and one plain call (alternating, so that both meet the same
load of a shared machine), keeping the best wall time of each, then one call
under ``tracemalloc`` for the peak of Python-allocated memory. The goal is a
reader within 3x of the plain read. The ``parse`` column says how the reader
parsed the file: ``fast`` (lines split, quoted lines through :mod:`csv` one
each), ``record`` (:mod:`csv` record by record) or ``sheet`` (a workbook).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import tracemalloc
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

import migstats.readers._text as _text  # noqa: E402
from migstats.readers import (  # noqa: E402
    read_knomad_bilateral,
    read_knomad_inflows,
    read_oecd,
    read_undesa_origin_destination,
    read_undesa_stock,
    read_wdi,
    read_wpp,
)
from upstream_files import upstream_path  # noqa: E402


def _plain_wdi_with_metadata(path: Path):
    """The plain reads of the three files read_wdi reads: data, Metadata_Country, Metadata_Indicator."""
    return (
        pd.read_csv(path, skiprows=4),
        pd.read_csv(path.with_name(f"Metadata_Country_{path.name}")),
        pd.read_csv(path.with_name(f"Metadata_Indicator_{path.name}")),
    )


CASES = [
    # (label, key of UPSTREAM_FILES, reader, plain read)
    ("WDI US$ (+ 2 metadata files)", "wdi_usd", read_wdi, _plain_wdi_with_metadata),
    ("WDI % of GDP (re-saved)", "wdi_pct", read_wdi, lambda p: pd.read_csv(p, skiprows=4)),
    ("KNOMAD inflows 2017", "knomad_2017", read_knomad_inflows, pd.read_csv),
    ("KNOMAD inflows Nov 2012", "knomad_2012", read_knomad_inflows, lambda p: pd.read_csv(p, header=None, skiprows=1)),
    ("KNOMAD bilateral 2016", "knomad_bilateral", read_knomad_bilateral, pd.read_csv),
    ("UN DESA by destination", "un_dest", read_undesa_stock, lambda p: pd.read_excel(p, sheet_name="Table 1", header=None)),
    ("UN DESA by origin", "un_orig", read_undesa_stock, lambda p: pd.read_excel(p, sheet_name="Table 1", header=None)),
    ("UN DESA dest x origin CSV", "un_od", read_undesa_origin_destination, lambda p: pd.read_csv(p, encoding="cp1252")),
    ("OECD IMD national", "oecd_national", read_oecd, pd.read_csv),
    ("OECD standardised permanent", "oecd_permanent", read_oecd, pd.read_csv),
    ("OECD standardised temporary", "oecd_temporary", read_oecd, pd.read_csv),
    ("WPP 2024 births", "wpp_births", read_wpp, lambda p: pd.read_csv(p, sep="\t")),
]


def parse_taken(reader, path: Path) -> tuple[int, str]:
    """The rows the reader returns, and which parse took the file (the first text it parsed)."""
    fast_cells, taken = _text._fast_cells, []

    def watched(body, delimiter, quoting):
        cells = fast_cells(body, delimiter, quoting)
        taken.append("fast" if cells is not None else "record")
        return cells

    _text._fast_cells = watched
    try:
        rows = len(reader(path))
    finally:
        _text._fast_cells = fast_cells
    return rows, taken[0] if taken else "sheet"


def timed(functions, path, repeat: int) -> list[float]:
    """Best wall time in seconds of each function over ``repeat`` rounds, after one warm-up call each.

    A round calls every function once, in turn: a burst of load on the
    machine then slows them alike instead of the one that happened to run
    during it. The minimum, as ``timeit`` recommends: the other runs measure
    the load of the machine, not the code.
    """
    for function in functions:
        function(path)
    best = [float("inf")] * len(functions)
    for _ in range(repeat):
        for k, function in enumerate(functions):
            start = time.perf_counter()
            function(path)
            best[k] = min(best[k], time.perf_counter() - start)
    return best


def peak_bytes(function, path) -> int:
    """Peak of Python-allocated memory during one call (tracemalloc)."""
    tracemalloc.start()
    try:
        function(path)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def main(argv=None) -> int:
    shared = Path(os.environ.get("MIGSTATS_SHARED", REPO.parent / "shared"))
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--upstream", type=Path, default=shared / "upstream")
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args(argv)

    header = f"{'file':30} {'size':>9} {'rows out':>9} {'parse':>7} {'reader ms':>10} {'plain ms':>9} {'time x':>7} {'reader MB':>10} {'plain MB':>9} {'mem x':>6}"
    print(header)
    print("-" * len(header))
    worst = 0.0
    for label, key, reader, plain in CASES:
        path = upstream_path(args.upstream, key)
        rows, parse = parse_taken(reader, path)
        t_reader, t_plain = timed([reader, plain], path, args.repeat)
        m_reader, m_plain = peak_bytes(reader, path), peak_bytes(plain, path)
        worst = max(worst, t_reader / t_plain)
        print(
            f"{label:30} {path.stat().st_size / 1024:8.0f}K {rows:9,d} {parse:>7} {t_reader * 1e3:10.1f} {t_plain * 1e3:9.1f} "
            f"{t_reader / t_plain:7.2f} {m_reader / 2**20:10.2f} {m_plain / 2**20:9.2f} {m_reader / m_plain:6.2f}"
        )
    print(f"\nworst time ratio {worst:.2f}x (goal: within 3x of the plain read)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
