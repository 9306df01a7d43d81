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
    assert units.convert(7, "percent", "count") == pytest.approx(0.07)


def test_convert_values_per_row_units():
    out = units.convert_values([283, 265_000], ["billion USD", "million USD"], "billion USD")
    assert out.tolist() == pytest.approx([283, 265])


def test_adding_dollars_to_persons_is_a_unit_error():
    with pytest.raises(UnitError, match="cannot add"):
        units.add(units.quantity(1, "USD"), units.quantity(1, "person"))
    with pytest.raises(UnitError, match="cannot convert"):
        units.convert(1, "billion USD", "person")


def test_currency_and_population_are_their_own_dimensions():
    assert units.is_dimension("billion USD", "[currency]")
    assert units.is_dimension("million person", "[population]")
    assert units.is_dimension("percent", "")
    assert not units.is_dimension("USD", "[population]")


@pytest.mark.parametrize("bad", ["", "dollars of gold", "2 +", None, "USD /"])
def test_bad_unit_strings_raise_unit_error(bad):
    with pytest.raises(UnitError):
        units.parse_unit(bad)


def test_quantities_round_trip_to_plain_floats():
    import pandas as pd

    frame = pd.DataFrame({"value": [283.0, 340.0], "unit": ["billion USD", "USD / month"]})
    qs = units.to_quantities(frame)
    assert all(isinstance(q, pint.Quantity) for q in qs)
    assert units.magnitudes(qs[:1], "USD").tolist() == [283e9]
    assert units.magnitudes(qs[1:], "USD / year").tolist() == [4080.0]
    with pytest.raises(UnitError):
        units.magnitudes(qs, "USD")
    assert not math.isnan(units.magnitudes(qs[:1], "billion USD")[0])
