"""Benchmark: regenerating the chart set, against a floor measured in the same run.

The floor saves the same number of *empty* figures of the same size, dpi and
format: the unavoidable cost of creating a figure and encoding a file. The
goal is the full set within 3x of that floor.

    python benchmarks/charts.py [--dpi 150] [--format png] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _median_time(func, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dpi", type=int, default=150)
    parser.add_argument("--format", default="png")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from migstats import charts
    from migstats._io import atomic_write_bytes
    from migstats.charts._save import figure_bytes
    from migstats.charts._style import style

    names = charts.chart_names()
    charts.render(names[0])  # warm imports and data caches outside the timings
    plt.close("all")
    sizes = {}
    for name in names:
        fig = charts.render(name)
        sizes[name] = tuple(fig.get_size_inches())
        plt.close(fig)

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)

        def floor():
            for name in names:
                with style():
                    fig = plt.figure(figsize=sizes[name])
                atomic_write_bytes(out / f"empty_{name}.{args.format}", figure_bytes(fig, args.format, args.dpi))
                plt.close(fig)

        def full():
            charts.write_charts(out, names, formats=[args.format], dpi=args.dpi)

        t_floor = _median_time(floor, args.repeat)
        t_full = _median_time(full, args.repeat)
        per_chart = {}
        for name in names:
            per_chart[name] = _median_time(lambda: charts.write_charts(out, [name], formats=[args.format], dpi=args.dpi),
                                           args.repeat)

    print(f"charts: {len(names)}, format {args.format}, dpi {args.dpi}, median of {args.repeat} runs")
    print(f"floor (same number of empty figures): {t_floor:8.3f} s")
    print(f"full set:                             {t_full:8.3f} s   ratio to floor {t_full / t_floor:5.2f}x "
          f"(goal <= 3x)")
    floor_each = t_floor / len(names)
    for name, t in per_chart.items():
        print(f"  {name:32s} {t:7.3f} s   ratio to one empty figure {t / floor_each:5.2f}x")


if __name__ == "__main__":
    main()
