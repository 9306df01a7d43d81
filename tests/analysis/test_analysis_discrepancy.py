"""Discrepancies between sources: the report's Japan and Germany cases by hand, base relations."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from migstats.analysis import discrepancies, matching_bases, relative_difference
from migstats.errors import InputError, MissingValueError, UnitError, ZeroBaseError

values = st.floats(min_value=1e-2, max_value=1e7, allow_nan=False)


def test_japan_on_each_base():
    # (325600 - 87600) / 325600 = 238000 / 325600 = 0.7309582
    assert relative_difference(325600, 87600, base="first") == pytest.approx(0.7310, abs=5e-5)
    # 238000 / 87600 = 2.7168950
    assert relative_difference(325600, 87600, base="second") == pytest.approx(2.7169, abs=5e-5)
    # 238000 / ((325600 + 87600) / 2) = 238000 / 206600 = 1.1519845
    assert relative_difference(325600, 87600, base="mean") == pytest.approx(1.1520, abs=5e-5)


def test_germany_national_base():
    # (558500 - 216000) / 558500 = 342500 / 558500 = 0.6132498
    assert relative_difference(558500, 216000, base="first") == pytest.approx(0.6132, abs=5e-5)


def test_base_is_required():
    with pytest.raises(TypeError):
        relative_difference(325600, 87600)  # noqa: the missing base is the point
    with pytest.raises(InputError):
        relative_difference(325600, 87600, base="national")


def test_stated_73_per_cent_matches_the_national_base_only():
    m = matching_bases(325600, 87600, 0.73, 0.005)
    assert m.loc[m["matches"], "base"].tolist() == ["first"]
    m = matching_bases(558500, 216000, 0.61, 0.005)
    assert m.loc[m["matches"], "base"].tolist() == ["first"]


def test_a_stated_figure_no_base_reproduces():
    m = matching_bases(325600, 87600, 0.50, 0.005)
    assert not m["matches"].any()


def test_discrepancies_named_by_base():
    out = discrepancies(325600, 87600).iloc[0]
    assert out["difference"] == 238000
    assert out["ratio"] == pytest.approx(325600 / 87600)
    assert out["log_ratio"] == pytest.approx(math.log(325600 / 87600))
    assert out["rel_to_first"] == pytest.approx(238000 / 325600)


def test_units_convert_and_are_carried():
    out = discrepancies(325600, 87.6, a_unit="person", b_unit="thousand person").iloc[0]
    assert out["second"] == pytest.approx(87600)
    assert out["unit"] == "person"
    with pytest.raises(UnitError):
        discrepancies(1, 1, a_unit="person", b_unit="USD")
    with pytest.raises(InputError):
        relative_difference(1, 2, base="first", a_unit="person")


def test_series_keep_their_index():
    a = pd.Series([325600.0, 558500.0], index=["JPN", "DEU"])
    b = pd.Series([87600.0, 216000.0], index=["JPN", "DEU"])
    out = discrepancies(a, b)
    assert out.loc["DEU", "rel_to_first"] == pytest.approx(342500 / 558500)


def test_bad_inputs():
    with pytest.raises(ZeroBaseError):
        relative_difference(0, 5, base="first")
    with pytest.raises(ZeroBaseError):
        relative_difference(5, -5, base="mean")
    with pytest.raises(MissingValueError):
        relative_difference(np.nan, 5, base="second")


@given(a=values, b=values)
def test_bases_relate_as_they_must(a, b):
    out = discrepancies(a, b).iloc[0]
    d = a - b
    assert out["rel_to_first"] * a == pytest.approx(d, rel=1e-9, abs=1e-9)
    assert out["rel_to_second"] * b == pytest.approx(d, rel=1e-9, abs=1e-9)
    assert out["rel_to_first"] * a == pytest.approx(out["rel_to_second"] * b, rel=1e-9, abs=1e-9)
    # a - b = b (a / b - 1): relative to the second is the ratio minus one
    assert out["rel_to_second"] == pytest.approx(out["ratio"] - 1, rel=1e-9, abs=1e-12)
    # swapping the sources flips the sign of the symmetric difference only
    swapped = discrepancies(b, a).iloc[0]
    assert swapped["rel_to_mean"] == pytest.approx(-out["rel_to_mean"], rel=1e-9, abs=1e-12)
    assert swapped["log_ratio"] == pytest.approx(-out["log_ratio"], rel=1e-9, abs=1e-12)


@given(a=values, b=values)
def test_matching_bases_finds_the_base_a_value_was_computed_on(a, b):
    assume(abs(a - b) > 1e-6 * max(a, b))
    stated = abs(a - b) / b
    m = matching_bases(a, b, stated, 1e-9)
    assert "second" in m.loc[m["matches"], "base"].tolist()


def test_labelled_inputs_keep_their_labels():
    import pandas as pd

    from migstats.analysis import relative_difference, revision

    national = pd.Series([325_600, 558_500], index=["JPN", "DEU"])
    oecd = pd.Series([87_600, 216_000], index=["JPN", "DEU"])
    rel = relative_difference(national, oecd, base="first")
    assert list(rel.index) == ["JPN", "DEU"]
    assert rel["DEU"] == pytest.approx((558_500 - 216_000) / 558_500)
    rev = revision(pd.Series([4.0, 3.0], index=["EGY", "NGA"]), pd.Series([7.5, 18.0], index=["EGY", "NGA"]))
    assert rev.loc["NGA", "factor"] == 6.0


# --------------------------------------------------------------------------- review findings 11, 15


def test_opposite_signs_have_every_measure_but_the_log_ratio():
    # a = -1, b = 2: d = -3; d / a = 3; d / b = -1.5; d / mean(0.5) = -6; a / b = -0.5
    out = discrepancies(-1, 2).iloc[0]
    assert (out["difference"], out["rel_to_first"], out["rel_to_second"], out["rel_to_mean"], out["ratio"]) == (
        -3.0, 3.0, -1.5, -6.0, -0.5)
    assert np.isnan(out["log_ratio"]) and out["log_ratio_note"] == "opposite signs"
    same = discrepancies(325600, 87600).iloc[0]
    assert same["log_ratio"] == pytest.approx(math.log(325600 / 87600)) and same["log_ratio_note"] == ""


def test_discrepancy_errors_are_function_specific():
    with pytest.raises(ZeroBaseError, match="b \\(the second value\\) is zero at element 2"):
        discrepancies([1.0, 2.0], [3.0, 0.0])
    with pytest.raises(ZeroBaseError, match="mean of a and b"):
        discrepancies(-1, 1)
    with pytest.raises(InputError, match=r"a has shape \(2,\), b has shape \(3,\)"):
        discrepancies([1.0, 2.0], [1.0, 2.0, 3.0])
    with pytest.raises(InputError, match="not a number"):
        relative_difference("a", 2, base="first")


def test_matching_bases_wants_single_numbers():
    with pytest.raises(InputError, match="a must be a single number"):
        matching_bases([1, 2], [2, 3], 0.5, 0.005)
    with pytest.raises(InputError, match="stated is infinite"):
        matching_bases(1, 2, np.inf, 0.005)
