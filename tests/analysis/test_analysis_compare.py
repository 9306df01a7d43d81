"""Shares, ranks, comparisons to a reference and threshold tests that respect hedges."""

import numpy as np
import pandas as pd
import pytest
from pandas import NA
from hypothesis import given
from hypothesis import strategies as st

from migstats.analysis import ranks, relative_to, shares, threshold_test
from migstats.errors import EmptyTableError, InputError, MissingValueError, UnitError, ZeroBaseError


def test_lac_share_of_world_migrants():
    # 26 / 200 = 0.13
    s = shares(pd.Series([26.0], index=["LCN"]), total=200.0)
    assert s.loc["LCN"] == pytest.approx(0.13)


@given(st.lists(st.floats(min_value=0, max_value=1e9, allow_nan=False), min_size=1, max_size=30).filter(
    lambda xs: sum(xs) > 0))
def test_shares_sum_to_one(values):
    assert shares(pd.Series(values)).sum() == pytest.approx(1.0)


def test_shares_per_group_with_units():
    table = pd.DataFrame({"year": [2000, 2000, 2005, 2005], "entity_code": ["A", "B", "A", "B"],
                          "value": [1.0, 3_000_000.0, 2.0, 2.0], "unit": ["million person", "person",
                                                                          "million person", "million person"]})
    out = shares(table, by="year")
    # 2000: 1 million of 4 million; 2005: 2 of 4
    assert out["share"].tolist() == pytest.approx([0.25, 0.75, 0.5, 0.5])


def test_ranks_largest_first_ties_share():
    r = ranks(pd.Series([20.0, 18.0, 20.0, 7.5], index=["IND", "NGA", "MEX", "EGY"]))
    assert r.to_dict() == {"IND": 1, "NGA": 3, "MEX": 1, "EGY": 4}


def test_relative_to_reference_entity():
    table = pd.DataFrame({"entity_code": ["JPN", "DEU"], "value": [325600.0, 558500.0], "unit": ["person"] * 2})
    out = relative_to(table, "DEU").set_index("entity_code")
    assert out.loc["JPN", "ratio"] == pytest.approx(325600 / 558500)
    assert out.loc["JPN", "difference"] == pytest.approx(325600 - 558500)
    with pytest.raises(InputError):
        relative_to(table, "USA")


def _hedged():
    return pd.DataFrame({"value": [20.0, 20.0, 20.0, 25.0, np.nan, 26.0, 20.0],
                         "low": [np.nan] * 4 + [15.0, np.nan, np.nan], "high": [np.nan] * 4 + [25.0, np.nan, np.nan],
                         "qualifier": ["more_than", "at_least", "about", "exact", "range", "almost", "less_than"]})


def test_threshold_respects_qualifiers():
    ge = threshold_test(_hedged(), 20, op=">=")["passes"].tolist()
    assert ge == [True, True, NA, True, NA, True, False]
    gt = threshold_test(_hedged(), 20, op=">")["passes"].tolist()
    assert gt == [True, NA, NA, True, NA, True, False]
    # "almost 26" is below 26 for sure; "more than 20" may or may not be
    lt = threshold_test(_hedged(), 26, op="<")["passes"].tolist()
    assert lt == [NA, NA, True, True, True, True, True]


def test_threshold_more_than_30_per_cent_of_gdp():
    tjk = pd.DataFrame({"value": [30.0], "qualifier": ["more_than"], "unit": ["percent"]})
    assert threshold_test(tjk, 0.3, op=">", unit="dimensionless")["passes"].iloc[0] == True  # noqa: E712 (np.True_)
    assert threshold_test(tjk, 0.35, op=">", unit="dimensionless")["passes"].iloc[0] is NA


def test_threshold_converts_units():
    ind = pd.DataFrame({"value": [20.0], "qualifier": ["more_than"], "unit": ["billion USD"]})
    assert threshold_test(ind, 20_000, op=">", unit="million USD")["passes"].iloc[0] == True  # noqa: E712 (np.True_)
    with pytest.raises(UnitError):
        threshold_test(ind, 20, op=">", unit="person")


def test_bad_inputs():
    with pytest.raises(ZeroBaseError):
        shares(pd.Series([0.0, 0.0]))
    with pytest.raises(MissingValueError):
        shares(pd.Series([1.0, np.nan]))
    with pytest.raises(EmptyTableError):
        shares(pd.Series([], dtype=float))
    with pytest.raises(EmptyTableError):
        threshold_test(pd.DataFrame({"value": [], "qualifier": []}), 1)
    with pytest.raises(InputError):
        threshold_test(_hedged(), 20, op="=>")
    with pytest.raises(UnitError):
        shares(pd.DataFrame({"value": [1.0, 2.0], "unit": ["USD", "person"]}))


def test_relative_to_within_groups():
    table = pd.DataFrame({"entity_code": ["JPN", "DEU", "JPN", "DEU"], "year": [2005, 2005, 2006, 2006],
                          "value": [10.0, 20.0, 325.6, 558.5], "unit": ["person", "person", "thousand person",
                                                                         "thousand person"]})
    out = relative_to(table, "DEU", by="year")
    assert out["ratio"].tolist() == pytest.approx([0.5, 1.0, 325.6 / 558.5, 1.0])
    # converted to the first row's unit (person): 325,600 - 558,500
    assert out["difference"].iloc[2] == pytest.approx(-232_900)
    with pytest.raises(InputError):
        relative_to(table[table["entity_code"] != "DEU"].iloc[:1], "DEU", by="year")


# --------------------------------------------------------------------------- review findings 4, 11, 18


def test_shares_refuse_aggregates_in_a_summed_total(upstream_dir):
    """KNOMAD 2008: a summed total with the World row in it counts every country twice."""
    import migstats

    k2008 = migstats.knomad_inflows()
    k2008 = k2008[k2008["year"] == 2008]
    with pytest.raises(InputError, match=r"row \d+ \(code '[A-Z]+'.*is an aggregate"):
        shares(k2008, by="year")
    upstream = pd.read_csv(upstream_dir / "knomad-remittances" / "remittance-inflow.csv").set_index(
        "Migrant remittance inflows (US$ million)")
    world, india = float(upstream.loc["World", "2008"]), float(upstream.loc["India", "2008"])
    with_total = shares(k2008, total=world).set_index("code")
    assert with_total.loc["IND", "share"] == pytest.approx(india / world)
    assert india == pytest.approx(49_977, abs=1)  # PROVENANCE: India 2008, US$ million
    countries = shares(k2008[~k2008["is_aggregate"]], by="year").set_index("code")
    assert countries["share"].sum() == pytest.approx(1.0)
    # explicitly allowed: the caller says the rows do not overlap
    small = pd.DataFrame({"code": ["A", "GRP"], "value": [1.0, 3.0], "is_aggregate": [False, True]})
    assert shares(small, include_aggregates=True)["share"].tolist() == [0.25, 0.75]


def test_threshold_test_type_problems_are_input_errors():
    with pytest.raises(InputError, match="needs a DataFrame"):
        threshold_test(pd.Series([1.0]), 20)
    with pytest.raises(EmptyTableError):
        threshold_test(pd.DataFrame({"value": [], "qualifier": []}), 20)
    figure = pd.DataFrame({"value": [25.0], "qualifier": ["more_than"], "unit": ["billion USD"]})
    with pytest.raises(InputError, match="threshold is not a number"):
        threshold_test(figure, "twenty")
    with pytest.raises(InputError, match="single number"):
        threshold_test(figure, [20, 30])


def test_threshold_unit_converts_value_low_and_high():
    # "more than 25 billion" in million USD is [25,000, inf]; > 20,000 million surely
    figure = pd.DataFrame({"value": [25.0], "qualifier": ["more_than"], "unit": ["billion USD"]})
    out = threshold_test(figure, 20_000, op=">", unit="million USD").iloc[0]
    assert (out["value"], out["low"], out["high"]) == (25_000.0, 25_000.0, np.inf)
    assert out["unit"] == "million USD" and out["passes"] == True  # noqa: E712
