"""Image comparison against committed baselines (regenerate with make_baselines.py)."""

from pathlib import Path

import pytest
from matplotlib.testing.compare import compare_images

from migstats import charts

BASELINE = Path(__file__).resolve().parent / "baseline"
DPI = 60
# RMS difference on 0-255 grey levels: anti-aliasing noise stays well below, a moved
# legend, a lost bar or a changed title shows well above
TOLERANCE = 2.0


@pytest.mark.parametrize("name", charts.chart_names())
def test_chart_matches_baseline(name, tmp_path):
    expected = BASELINE / f"{name}.png"
    assert expected.is_file(), f"no baseline for {name}: run python tests/charts/make_baselines.py"
    (actual,) = charts.write_charts(tmp_path, [name], ["png"], DPI)
    result = compare_images(str(expected), str(actual), tol=TOLERANCE)
    assert result is None, result
