"""reconcile() at its edges: each way of forming an official value, and each reading of a statement.

Small made-up tables, so that every expected number is worked out by hand
beside the assertion. ``tests/README.md`` lists the bugs these tests were
checked against.
"""

from __future__ import annotations

import pandas as pd
import pytest

from migstats.analysis import reconcile
from migstats.errors import InputError, MissingValueError, UnknownFigureError

pytestmark = pytest.mark.filterwarnings("error::DeprecationWarning")

COUNTERPART_COLUMNS = ["figure_id", "comparison", "table", "code", "year", "series", "matches_report", "concept"]


def figure(value, qualifier="exact", unit="billion USD", fid="f", low=float("nan"), high=float("nan")):
    return {"id": fid, "entity_code": "XXX", "measure": "m", "year_start": 2008, "value": value, "low": low,
            "high": high, "unit": unit, "qualifier": qualifier}


def official(rows, vintage="2025"):
    table = pd.DataFrame(rows, columns=["code", "year", "value", "unit"])
    table.attrs["vintage"] = vintage
    return table


def one(fig, official_value, official_unit="billion USD", comparison="point", code="XXX"):
    """reconcile() of one figure against one official value; returns the single output row."""
    figures = pd.DataFrame([fig])
    tables = {"t": official([(code, 2008, official_value, official_unit)])}
    counterparts = pd.DataFrame([(fig["id"], comparison, "t", code, 2008, "series", True, "c")],
                                columns=COUNTERPART_COLUMNS)
    out = reconcile(figures, tables, counterparts)
    assert len(out) == 1
    return out.iloc[0]


def holds(row):
    value = row["statement_holds"]
    return None if pd.isna(value) else bool(value)


# --------------------------------------------------------------------------- hedged statements

@pytest.mark.parametrize(("official_value", "expected"), [
    (20.0, False),        # "more than 20" is not satisfied by exactly 20
    (20.000001, True),
    (19.999999, False),
    (1e6, True),
])
def test_more_than_is_strict(official_value, expected):
    assert holds(one(figure(20, "more_than"), official_value)) is expected


@pytest.mark.parametrize(("official_value", "expected"), [(20.0, True), (19.999999, False), (20.5, True)])
def test_at_least_includes_its_number(official_value, expected):
    assert holds(one(figure(20, "at_least"), official_value)) is expected


@pytest.mark.parametrize(("official_value", "expected"), [
    (26.0, False),     # "almost 26" is below 26
    (25.999, True),
    (24.7, True),      # 0.95 x 26: the low end of the 5 per cent convention is included
    (24.699, False),
])
def test_almost_is_below_its_number(official_value, expected):
    assert holds(one(figure(26, "almost", unit="million person"), official_value, "million person")) is expected


@pytest.mark.parametrize(("official_value", "expected"), [
    (9.5, True), (10.5, True),      # "about 10": [9.5, 10.5], both ends allowed
    (9.49, False), (10.51, False),
])
def test_about_includes_both_ends(official_value, expected):
    assert holds(one(figure(10, "about"), official_value)) is expected


@pytest.mark.parametrize(("official_value", "expected"), [(20.0, False), (19.999, True), (20.001, False)])
def test_less_than_is_strict(official_value, expected):
    # "less than 20" is [-inf, 20): 20 itself does not satisfy it
    assert holds(one(figure(20, "less_than"), official_value)) is expected


@pytest.mark.parametrize(("official_value", "expected"), [(340.0, True), (350.0, True), (339.99, False),
                                                          (350.01, False)])
def test_stated_range_includes_its_ends(official_value, expected):
    row = one(figure(float("nan"), "range", unit="USD", low=340.0, high=350.0), official_value, "USD")
    assert holds(row) is expected
    assert row["report_value"] == 345.0  # the midpoint is the base of the revision
    assert row["relative"] == pytest.approx((official_value - 345.0) / 345.0)


# --------------------------------------------------------------------------- exact figures: the precision stated

@pytest.mark.parametrize(("stated", "official_value", "expected"), [
    (7.5, 7.45, True), (7.5, 7.55, True),          # 7.5 stands for [7.45, 7.55]
    (7.5, 7.4499, False), (7.5, 7.5501, False),
    (283.0, 282.5, True), (283.0, 283.5, True),    # 283 stands for [282.5, 283.5]
    (283.0, 282.49, False), (283.0, 283.51, False),
    (325_600.0, 325_550.0, True), (325_600.0, 325_650.0, True),  # stated to the hundred
    (325_600.0, 325_549.0, False), (325_600.0, 325_651.0, False),
])
def test_exact_figures_hold_within_their_rounding(stated, official_value, expected):
    assert holds(one(figure(stated, unit="person"), official_value, "person")) is expected


def test_units_are_converted_before_comparing():
    # 20,000.001 million USD is more than 20 billion USD; 20,000 million is not
    assert holds(one(figure(20, "more_than"), 20_000.001, "million USD")) is True
    row = one(figure(20, "more_than"), 20_000.0, "million USD")
    assert holds(row) is False
    assert row["official_value"] == 20.0 and row["official_unit"] == "billion USD"
    assert row["relative"] == 0.0 and row["factor"] == 1.0


# --------------------------------------------------------------------------- how the official value is formed

def _run(figures, tables, rows):
    return reconcile(pd.DataFrame(figures), tables, pd.DataFrame(rows, columns=COUNTERPART_COLUMNS))


def test_sum_if_present_sums_the_rows_and_is_na_when_there_are_none():
    tables = {"t": official([("JPN", 2006, 50_000.0, "person"), ("JPN", 2006, 37_600.0, "person"),
                             ("JPN", 2007, 1.0, "person")])}
    figs = [figure(87_600, unit="person", fid="jpn")]
    out = _run(figs, tables, [("jpn", "sum_if_present", "t", "JPN", 2006, "s", True, "c"),
                              ("jpn", "sum_if_present", "t", "JPN", 2005, "s", True, "c")])
    assert out["official_value"].iloc[0] == 87_600.0 and holds(out.iloc[0]) is True
    assert pd.isna(out["official_value"].iloc[1]) and pd.isna(out["statement_holds"].iloc[1])
    assert out["statement_holds_note"].iloc[1] == "no official value in the tables"


def test_share_of_world_is_a_percentage_of_the_world_row():
    # 26 of 200 million is 13 per cent (base: the world of the same table and year)
    tables = {"t": official([("904", 2005, 26e6, "person"), ("900", 2005, 200e6, "person")])}
    out = _run([figure(13, "about", unit="percent", fid="s")], tables,
               [("s", "share_of_world", "t", "904", 2005, "s", True, "c")]).iloc[0]
    assert out["official_value"] == 13.0 and out["official_unit"] == "percent"
    assert out["official_code"] == "904/900"
    assert holds(out) is True


def test_knomad_developing_sums_low_and_middle_income_economies_only():
    wdi = official([("AAA", 2008, 1.0, "USD"), ("BBB", 2008, 1.0, "USD"), ("CCC", 2008, 1.0, "USD")])
    wdi["income_group"] = ["Low income", "Upper middle income", "High income"]
    knomad = official([("AAA", 2008, 100.0, "million USD"), ("BBB", 2008, 183.0, "million USD"),
                       ("CCC", 2008, 1_000.0, "million USD")])
    out = _run([figure(0.283, unit="billion USD", fid="dev")], {"knomad": knomad, "wdi_usd": wdi},
               [("dev", "knomad_developing", "knomad", None, 2008, "s", True, "c")]).iloc[0]
    assert out["official_value"] == pytest.approx(0.283)  # (100 + 183) million USD, not the high-income 1,000
    assert holds(out) is True


def test_context_rows_are_shown_but_never_tested():
    tables = {"t": official([("CAN", 2006, 251_641.0, "person")])}
    out = _run([figure(0, unit="percent", fid="can")], tables,
               [("can", "context", "t", "CAN", 2006, "s", False, "c")]).iloc[0]
    assert out["official_value"] == 251_641.0 and out["official_unit"] == "person"
    assert pd.isna(out["statement_holds"]) and pd.isna(out["relative"])
    assert out["statement_holds_note"].startswith("context only")


def test_a_point_needs_exactly_one_row():
    tables = {"t": official([("XXX", 2008, 1.0, "billion USD"), ("XXX", 2008, 2.0, "billion USD")])}
    with pytest.raises(MissingValueError, match="found 2"):
        _run([figure(1)], tables, [("f", "point", "t", "XXX", 2008, "s", True, "c")])
    with pytest.raises(MissingValueError, match="found 0"):
        _run([figure(1)], tables, [("f", "point", "t", "YYY", 2008, "s", True, "c")])


def test_bad_counterpart_rows_are_named():
    tables = {"t": official([("XXX", 2008, 1.0, "billion USD")])}
    with pytest.raises(UnknownFigureError, match="'g'"):
        _run([figure(1)], tables, [("g", "point", "t", "XXX", 2008, "s", True, "c")])
    with pytest.raises(InputError, match="no official table 'u'"):
        _run([figure(1)], tables, [("f", "point", "u", "XXX", 2008, "s", True, "c")])
    with pytest.raises(InputError, match="unknown comparison 'nearest'"):
        _run([figure(1)], tables, [("f", "nearest", "t", "XXX", 2008, "s", True, "c")])


def test_revisions_are_against_the_report_figure():
    row = one(figure(7.5), 8.694)
    assert row["absolute"] == pytest.approx(1.194)
    assert row["relative"] == pytest.approx(1.194 / 7.5)  # base: the report's figure
    assert row["factor"] == pytest.approx(8.694 / 7.5)
    assert holds(row) is False
