"""Regenerate the image baselines of tests/charts/test_images.py.

Run after an intended change of a chart's look, then look at every PNG:

    python tests/charts/make_baselines.py
"""

import sys
from pathlib import Path

BASELINE = Path(__file__).resolve().parent / "baseline"
DPI = 60  # small files; layout regressions still show at this size

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the checkout, installed or not
    from migstats import charts

    charts.write_charts(BASELINE, formats=["png"], dpi=DPI, on_written=print)
