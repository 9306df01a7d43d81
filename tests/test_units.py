import math

import pint
import pytest

from migstats import units
from migstats.errors import UnitError


def test_per_month_to_per_year_is_times_twelve():
    # the report's US$340 to 350 a month per worker, as a yearly amount
    assert units.convert(340, "USD / month", "USD / year") == pytest.approx(340 * 12)
    assert units.convert(350, "USD / month", "USD / year") == pytest.approx(4200)


def test_billion_and_million_scaling():
    assert units.convert(283, "billion USD", "USD") == pytest.approx(283e9)
    assert units.convert(283, "billion USD", "million USD") == pytest.approx(283_000)
    assert units.convert(1.5, "million person", "person") == pytest.approx(1_500_000)
    assert units.convert(7, "percent", "dimensionless") == pytest.approx(0.07)


def test_counts_are_not_percentages_and_a_decade_is_ten_years():
    # "over three decades" of census data (section VII): 30 years, not pint's logarithmic decade
    assert units.convert(3, "decade", "year") == pytest.approx(30)
    # 60 censuses is a count: it must not silently become 6000 percent
    with pytest.raises(UnitError):
        units.convert(60, "count", "percent")
    assert units.is_dimension("count", "[count]")


def test_every_figure_unit_has_the_dimension_its_measure_implies():
    import migstats

    figs = migstats.figures()
    for _, row in figs.iterrows():
        unit, measure = row["unit"], row["measure"]
        if "share" in measure or measure.endswith("_growth") or measure.endswith("_difference"):
            assert units.is_dimension(unit, ""), (row["id"], unit)
        if "USD" in unit:
            assert units.is_dimension(unit.split("/")[0], "[currency]"), row["id"]
        if unit == "count":
            assert units.is_dimension(unit, "[count]")
        people = ("participants", "delegates", "attendance", "experts", "migrants", "speakers")
        if any(w in measure for w in people) and "share" not in measure:
            assert units.is_dimension(unit, "[population]"), (row["id"], unit)
