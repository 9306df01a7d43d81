"""Hedged figures as intervals; interval arithmetic carries kinds and flags."""

import operator

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from migstats.analysis import (
    as_intervals,
    hedged_figure,
    interval_add,
    interval_divide,
    interval_multiply,
    interval_subtract,
    propagate,
    rounding_interval,
)
from migstats.errors import InputError, MissingValueError, UnitError, ZeroBaseError


def test_each_qualifier_becomes_an_interval():
    figs = pd.DataFrame({"value": [5.0, 5.0, 26.0, 20.0, 20.0, 50.0, np.nan],
                         "low": [np.nan] * 6 + [340.0], "high": [np.nan] * 6 + [350.0],
                         "qualifier": ["exact", "about", "almost", "more_than", "at_least", "less_than", "range"]})
    out = as_intervals(figs, approx_rel=0.1)
    assert out["kind"].tolist() == ["point", "approximate", "approximate", "lower_bound", "lower_bound",
                                    "upper_bound", "interval"]
    assert out["low"].tolist() == pytest.approx([5.0, 4.5, 23.4, 20.0, 20.0, -np.inf, 340.0])
    assert out["high"].tolist() == pytest.approx([5.0, 5.5, 26.0, np.inf, np.inf, 50.0, 350.0])
    assert out["value"].iloc[-1] == 345.0
    assert out["approximate"].tolist() == [False, True, True, False, False, False, False]


def test_lac_share_from_almost_figures():
    share = interval_divide(hedged_figure(26, "almost", unit="million person"), hedged_figure(200, "almost", unit="million person"))
    row = share.iloc[0]
    # almost 26 -> [24.7, 26]; almost 200 -> [190, 200]: share in [24.7 / 200, 26 / 190]
    assert row["value"] == pytest.approx(0.13)
    assert row["low"] == pytest.approx(0.1235)
    assert row["high"] == pytest.approx(26 / 190)
    assert row["kind"] == "approximate" and row["approximate"]
    assert row["unit"] == "dimensionless"


def test_more_than_input_gives_a_bound_not_a_point():
    total = interval_add(hedged_figure(20, "more_than", unit="billion USD"), hedged_figure(7_500, unit="million USD"))
    row = total.iloc[0]
    assert (row["value"], row["low"], row["high"]) == (27.5, 27.5, np.inf)
    assert row["kind"] == "lower_bound" and row["unit"] == "billion USD"
    rest = interval_subtract(hedged_figure(283), hedged_figure(20, "more_than"))
    assert rest["kind"].iloc[0] == "upper_bound" and rest["high"].iloc[0] == 263


def test_range_times_point():
    year = interval_multiply(hedged_figure(low=340, high=350, qualifier="range", unit="USD / month"), hedged_figure(12, unit="month"))
    assert (year["low"].iloc[0], year["high"].iloc[0]) == (4080, 4200)
    assert year["kind"].iloc[0] == "interval"


def test_rounding_interval():
    assert rounding_interval(73) == (72.5, 73.5)
    assert rounding_interval(7.5, decimals=1) == pytest.approx((7.45, 7.55))
    assert rounding_interval(325600, decimals=-2) == (325550, 325650)


def test_bad_inputs():
    with pytest.raises(ZeroBaseError):
        interval_divide(hedged_figure(1), hedged_figure(low=-1, high=1, qualifier="range"))
    with pytest.raises(UnitError):
        interval_add(hedged_figure(1, unit="USD"), hedged_figure(1, unit="person"))
    with pytest.raises(UnitError):
        interval_add(hedged_figure(1, unit="USD"), hedged_figure(1))
    with pytest.raises(InputError):
        hedged_figure(1, "roughly")
    with pytest.raises(MissingValueError):
        hedged_figure(np.nan, "about")
    with pytest.raises(MissingValueError):
        rounding_interval(np.nan)
    with pytest.raises(InputError):
        hedged_figure(low=3, high=1, qualifier="range")


qualifiers = st.sampled_from(["exact", "about", "almost", "more_than", "less_than", "range"])
numbers = st.floats(min_value=0.5, max_value=1e4, allow_nan=False)


def _make(q, v, w):
    if q == "range":
        return hedged_figure(low=v, high=v + w, qualifier=q)
    return hedged_figure(v, q)


def _ends(op, x, y):
    """The ends of ``op`` over two intervals, by the textbook rules (all inputs here are positive or unbounded)."""
    (al, ah), (bl, bh) = x, y
    if op is operator.add:
        return al + bl, ah + bh
    if op is operator.sub:
        return al - bh, ah - bl
    products = [al * bl, al * bh, ah * bl, ah * bh]
    return min(products), max(products)


@given(qa=qualifiers, qb=qualifiers, a=numbers, b=numbers, wa=numbers, wb=numbers,
       op=st.sampled_from([operator.add, operator.sub, operator.mul]))
def test_interval_ends_follow_interval_arithmetic(qa, qb, a, b, wa, wb, op):
    # (a test asserting low <= value <= high was removed: propagate includes the point in its min and max,
    # so it held by construction)
    x, y = _make(qa, a, wa), _make(qb, b, wb)
    out = propagate(op, x, y).iloc[0]
    low, high = _ends(op, (x["low"].iloc[0], x["high"].iloc[0]), (y["low"].iloc[0], y["high"].iloc[0]))
    assert out["low"] == pytest.approx(low, rel=1e-12)
    assert out["high"] == pytest.approx(high, rel=1e-12)
    assert out["value"] == pytest.approx(op(x["value"].iloc[0], y["value"].iloc[0]), rel=1e-12)
    if "exact" == qa == qb:
        assert out["kind"] == "point"
    if "about" in (qa, qb) or "almost" in (qa, qb):
        assert out["approximate"]


@given(qa=qualifiers, a=numbers, b=numbers, wa=numbers)
def test_quotient_interval_contains_sampled_values(qa, a, b, wa):
    x = _make(qa, a, wa)
    out = interval_divide(x, hedged_figure(b, "about")).iloc[0]
    lo, hi = x["low"].iloc[0], x["high"].iloc[0]
    for t in (lo, hi, x["value"].iloc[0]):
        if np.isfinite(t):
            for d in (b * 0.95, b, b * 1.05):
                assert out["low"] - 1e-9 <= t / d <= out["high"] + 1e-9


def test_hedged_range_from_the_report_is_an_approximate_interval():
    import migstats

    row = migstats.figures().set_index("id").loc[["rem_mex_per_worker_month"]].reset_index()
    out = as_intervals(row).iloc[0]
    # "some US$340 to US$350 per month": ends as stated, midpoint as the point, hedge kept
    assert (out["low"], out["high"], out["value"]) == (340, 350, 345)
    assert out["kind"] == "interval" and out["approximate"] and out["qualifier"] == "some"


# --------------------------------------------------------------------------- review findings 9, 16, 18


def test_infinite_point_result_is_an_error():
    with pytest.raises(InputError, match="infinite"):
        propagate(lambda a, b: a / b, hedged_figure(1), hedged_figure(0))


def test_value_outside_its_stated_range_is_refused():
    with pytest.raises(InputError, match=r"row 1: value 10.0 lies outside its stated range \[1.0, 3.0\]"):
        hedged_figure(10, "range", low=1, high=3)
    # the midpoint or any value inside is fine: (1 + 3) / 2 = 2
    assert hedged_figure(qualifier="range", low=1, high=3)["value"].iloc[0] == 2.0
    assert hedged_figure(1, "range", low=1, high=3)["value"].iloc[0] == 1.0


def test_sums_convert_value_low_and_high_to_the_first_unit():
    # "about 2 billion" (5 %: [1.9, 2.1]) + 500 million exactly = 2.5 billion, [2.4, 2.6]
    total = interval_add(hedged_figure(2, "about", unit="billion USD"), hedged_figure(500, unit="million USD")).iloc[0]
    assert (total["value"], total["low"], total["high"]) == pytest.approx((2.5, 2.4, 2.6))
    assert total["unit"] == "billion USD"


def test_rounding_interval_refuses_non_numbers():
    with pytest.raises(InputError):
        rounding_interval(np.inf)
    with pytest.raises(InputError):
        rounding_interval("73")


def test_analysis_modules_import_no_private_names_from_each_other():
    """Shared helpers live in the internal _checks module under public names (finding 24)."""
    import ast
    from pathlib import Path

    import migstats.analysis as analysis

    for path in Path(analysis.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level > 0:
                private = [a.name for a in node.names if a.name.startswith("_")]
                assert not private, (path.name, node.module, private)
