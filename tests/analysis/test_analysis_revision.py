"""Revisions between vintages: Egypt and Nigeria by hand, summaries, identical vintages."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from migstats.analysis import revision, revision_summary, revisions
from migstats.errors import EmptyTableError, InputError, MissingValueError, UnitError, ZeroBaseError


def _vintages():
    previous = pd.DataFrame({"entity_code": ["EGY", "NGA"], "year": [2008, 2008], "value": [4.0, 3.0],
                             "unit": ["billion USD"] * 2})
    revised = pd.DataFrame({"entity_code": ["NGA", "EGY"], "year": [2008, 2008], "value": [18_000.0, 7.5],
                            "unit": ["million USD", "billion USD"]})
    return previous, revised


def test_egypt_and_nigeria_by_hand():
    out = revision([4, 3], [7.5, 18])
    # Egypt: 7.5 - 4 = 3.5; 3.5 / 4 = 0.875; 7.5 / 4 = 1.875
    assert out.loc[0, ["absolute", "relative", "factor"]].tolist() == [3.5, 0.875, 1.875]
    # Nigeria: 18 - 3 = 15; 15 / 3 = 5; 18 / 3 = 6
    assert out.loc[1, ["absolute", "relative", "factor"]].tolist() == [15.0, 5.0, 6.0]


def test_vintage_tables_match_keys_and_convert_units():
    out = revisions(*_vintages()).set_index("entity_code")
    assert out.loc["NGA", "revised"] == pytest.approx(18.0)
    assert out.loc["NGA", "unit"] == "billion USD"
    assert out.loc["EGY", "factor"] == pytest.approx(1.875)


def test_summary_by_hand():
    table = revisions(*_vintages())
    s = revision_summary(table).iloc[0]
    assert s["n"] == 2
    # mean (3.5 + 15) / 2 = 9.25; rms sqrt((3.5**2 + 15**2) / 2) = sqrt(118.625) = 10.891510
    assert s["mean_revision"] == pytest.approx(9.25)
    assert s["mean_absolute_revision"] == pytest.approx(9.25)
    assert s["rms_revision"] == pytest.approx(10.891510, abs=1e-6)
    rel = revision_summary(table, relative=True).iloc[0]
    # relative revisions 0.875 and 5: mean 2.9375
    assert rel["mean_revision"] == pytest.approx(2.9375)


def test_summary_grouped_by_period_and_entity():
    table = pd.DataFrame({"entity_code": ["A", "A", "B", "B"], "year": [2000, 2001, 2000, 2001],
                          "absolute": [1.0, -3.0, 2.0, 0.0]})
    by_year = revision_summary(table, by="year").set_index("year")
    assert by_year.loc[2000, "mean_revision"] == pytest.approx(1.5)
    # 2001: revisions -3 and 0: mean -1.5, mean absolute 1.5, rms sqrt(9 / 2)
    assert by_year.loc[2001, "mean_revision"] == pytest.approx(-1.5)
    assert by_year.loc[2001, "mean_absolute_revision"] == pytest.approx(1.5)
    assert by_year.loc[2001, "rms_revision"] == pytest.approx(math.sqrt(4.5))
    by_entity = revision_summary(table, by="entity_code").set_index("entity_code")
    assert by_entity.loc["A", "mean_absolute_revision"] == pytest.approx(2.0)


@given(st.lists(st.floats(min_value=1e-3, max_value=1e9, allow_nan=False), min_size=1, max_size=20))
def test_identical_vintages_have_zero_revisions(values):
    table = pd.DataFrame({"entity_code": [f"E{i}" for i in range(len(values))], "value": values})
    out = revisions(table, table)
    assert (out["absolute"] == 0).all() and (out["relative"] == 0).all() and (out["factor"] == 1).all()
    s = revision_summary(out).iloc[0]
    assert s["mean_revision"] == 0 and s["mean_absolute_revision"] == 0 and s["rms_revision"] == 0


def test_bad_inputs():
    with pytest.raises(ZeroBaseError):
        revision(0, 5)
    with pytest.raises(MissingValueError):
        revision(np.nan, 5)
    with pytest.raises(EmptyTableError):
        revisions(pd.DataFrame({"entity_code": [], "value": []}), _vintages()[1])
    with pytest.raises(UnitError):
        revision(1, 2, previous_unit="USD", revised_unit="person")
    with pytest.raises(InputError):
        revision_summary(revisions(*_vintages()), relative="squared")
    prev, rev = _vintages()
    with pytest.raises(EmptyTableError):
        revisions(prev, rev.assign(entity_code=["X", "Y"]))
    with pytest.raises(InputError):
        revisions(pd.concat([prev, prev]), rev)


# --------------------------------------------------------------------------- review findings 5, 28


def test_summary_converts_absolute_revisions_to_one_unit():
    # 3.5 billion USD, 500 million USD (= 0.5 billion), 2 billion USD: mean 2.0, rms sqrt((12.25+0.25+4)/3)
    table = pd.concat([revision(4, 7.5, previous_unit="billion USD", revised_unit="billion USD"),
                       revision(1000, 1500, previous_unit="million USD", revised_unit="million USD"),
                       revision(1, 3, previous_unit="billion USD", revised_unit="billion USD")])
    out = revision_summary(table).iloc[0]
    assert out["unit"] == "billion USD"
    assert out["mean_revision"] == pytest.approx(2.0)
    assert out["rms_revision"] == pytest.approx(math.sqrt((12.25 + 0.25 + 4) / 3))


def test_summary_refuses_to_average_dollars_and_persons():
    table = pd.concat([revision(4, 7.5, previous_unit="billion USD", revised_unit="billion USD"),
                       revision(1000, 1500, previous_unit="million USD", revised_unit="million USD"),
                       revision(100, 20000, previous_unit="person", revised_unit="person")])
    with pytest.raises(UnitError):
        revision_summary(table)
    # relative revisions are fractions: 0.875, 0.5, 199 -> mean 66.79166...
    assert revision_summary(table, relative=True)["mean_revision"].iloc[0] == pytest.approx(
        (0.875 + 0.5 + 199) / 3)
    by_unit = revision_summary(table, by="unit").set_index("unit")
    assert by_unit.loc["person", "mean_revision"] == 19_900


def test_revisions_match_official_tables_on_code():
    import migstats

    knomad = migstats.knomad_inflows()
    later = knomad.assign(value=knomad["value"] * 2)
    out = revisions(knomad, later).set_index(["code", "year"])
    assert len(out) == len(knomad)
    india = out.loc[("IND", 2008)]
    # 49,977 -> 99,954 US$ million: +49,977, relative 1, factor 2
    assert (india["absolute"], india["relative"], india["factor"]) == pytest.approx((49_977, 1.0, 2.0), abs=1)
    zero = out[out["previous"] == 0]
    assert len(zero) > 0 and zero["relative"].isna().all() and zero["note"].str.contains("zero").all()
    with pytest.raises(ZeroBaseError, match=r"code '[A-Z]+', year \d{4}"):
        revisions(knomad, later, undefined="raise")


def test_revision_shapes_and_non_numbers():
    with pytest.raises(InputError, match=r"previous has shape \(2,\), revised has shape \(3,\)"):
        revision([1.0, 2.0], [1.0, 2.0, 3.0])
    with pytest.raises(InputError, match="not a number"):
        revision("4", 7.5)
