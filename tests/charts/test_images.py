"""Image comparison against committed baselines (regenerate with make_baselines.py)."""

from pathlib import Path

import pytest
from matplotlib.testing.compare import compare_images

from migstats import charts

BASELINE = Path(__file__).resolve().parent / "baseline"
DPI = 60
# RMS difference on 0-255 grey levels. Rendering here is deterministic (same fonts, Agg),
# so reruns differ by 0; measured when choosing it: a moved legend gives 13-17, one
# changed digit in a title 1.4.
TOLERANCE = 1.0


@pytest.mark.parametrize("name", charts.chart_names())
def test_chart_matches_baseline(name, tmp_path):
    expected = BASELINE / f"{name}.png"
    assert expected.is_file(), f"no baseline for {name}: run python tests/charts/make_baselines.py"
    (actual,) = charts.write_charts(tmp_path, [name], formats=["png"], dpi=DPI)
    result = compare_images(str(expected), str(actual), tol=TOLERANCE)
    assert result is None, result


def test_comparison_catches_a_moved_legend(tmp_path, monkeypatch):
    """The guard itself: a layout change must fail the comparison."""
    import migstats.charts.report as report

    label_and_lay_out = report.label_and_lay_out

    def moved_legend(fig, ax, **kwargs):
        ax.get_legend().set_loc("upper left")
        return label_and_lay_out(fig, ax, **kwargs)

    monkeypatch.setattr(report, "label_and_lay_out", moved_legend)
    (actual,) = charts.write_charts(tmp_path, ["egypt_nigeria_revision"], formats=["png"], dpi=DPI)
    result = compare_images(str(BASELINE / "egypt_nigeria_revision.png"), str(actual), tol=TOLERANCE)
    assert result is not None and "RMS" in result
