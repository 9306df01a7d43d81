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
    rel = revision_summary(table, measure="relative").iloc[0]
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
        revision_summary(revisions(*_vintages()), measure="squared")
    prev, rev = _vintages()
    with pytest.raises(EmptyTableError):
        revisions(prev, rev.assign(entity_code=["X", "Y"]))
    with pytest.raises(InputError):
        revisions(pd.concat([prev, prev]), rev)
