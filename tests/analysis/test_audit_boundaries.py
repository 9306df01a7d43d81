"""Every audit check at its edges: exactly at, just inside and just outside each tolerance and bound.

The inputs are made-up figures chosen so that the boundary values are exact
in binary floating point (25 per cent, 156.25, 0.125), and each expected
verdict follows from the rule the check's docstring states, worked out by
hand in the comment beside it. ``tests/README.md`` lists the bugs these tests
were checked against.
"""

from __future__ import annotations

import pandas as pd
import pytest

from migstats.analysis import CHECKS, audit, hedged_figure
from migstats.datasets.report import CLAIM_COLUMNS

pytestmark = pytest.mark.filterwarnings("error::DeprecationWarning")


def fig(value, qualifier="exact", unit="person", fid="x", **range_):
    return hedged_figure(value, qualifier, unit=unit, **range_).assign(id=fid)


def run(check, stated=None, params=None, tol=0.0, **inputs):
    inputs = {role: frames if isinstance(frames, list) else [frames] for role, frames in inputs.items()}
    return CHECKS[check].func(stated, inputs, params or {}, tol)


# --------------------------------------------------------------------------- share (numeric tolerance)

@pytest.mark.parametrize(("part", "verdict"), [
    (27.0, "consistent"),     # 27 / 200 = 13.5 %: exactly at 13 + 0.5
    (26.98, "consistent"),    # 13.49 %: just inside
    (27.02, "inconsistent"),  # 13.51 %: just outside, and exact inputs leave no doubt
    (25.0, "consistent"),     # 12.5 %: exactly at the lower end, 13 - 0.5
    (24.98, "inconsistent"),  # 12.49 %
])
def test_share_tolerance_edges(part, verdict):
    out = run("share", stated=fig(13, unit="percent"), tol=0.5, part=fig(part), total=fig(200))
    assert out.verdict == verdict
    assert out.recomputed == pytest.approx(part / 2)


def test_share_ambiguous_when_only_the_hedge_reaches_the_tolerance():
    # "about 27" of 200: 12.825 % to 14.175 % around 13.5 %; with tolerance 0.4 the point (13.5) is out
    # but the interval still reaches [12.6, 13.4]
    out = run("share", stated=fig(13, unit="percent"), tol=0.4, part=fig(27, "about"), total=fig(200))
    assert out.verdict == "ambiguous"
    assert (out.low, out.high) == pytest.approx((12.825, 14.175))


# --------------------------------------------------------------------------- general_vs_cases

@pytest.mark.parametrize(("tol", "verdict"), [
    (1.0, "consistent"),   # OECD 119 vs national 100: +19 % (base: national); stated 20, |19 - 20| = 1 = tol
    (1.5, "consistent"),   # inside
    (0.99, "ambiguous"),   # outside: inconsistent with this example, but an aggregate may differ: ambiguous
])
def test_general_vs_cases_tolerance_edges(tol, verdict):
    out = run("general_vs_cases", stated=fig(20, unit="percent"), tol=tol,
              national=fig(100), oecd=fig(119))
    assert out.verdict == verdict
    assert out.recomputed == pytest.approx(19.0)


# --------------------------------------------------------------------------- difference_base

@pytest.mark.parametrize(("tol", "verdict"), [
    (12.5, "consistent"),     # |8 - 4| / 8 = 50 %; stated 37.5: gap 12.5 = tol on the first base only
    (13.0, "consistent"),     # inside (the mean base, 66.7 %, is 29.2 away; the second, 100 %, 62.5)
    (12.4, "inconsistent"),   # outside on every base
])
def test_difference_base_tolerance_edges(tol, verdict):
    out = run("difference_base", stated=fig(37.5, unit="percent"), tol=tol, first=fig(8), second=fig(4))
    assert out.verdict == verdict
    assert out.recomputed == pytest.approx(50.0)


def test_difference_base_two_bases_within_tolerance_is_ambiguous():
    # stated 75 %: first base 50 % and second base 100 % are both exactly 25 away
    out = run("difference_base", stated=fig(75, unit="percent"), tol=25, first=fig(8), second=fig(4))
    assert out.verdict == "ambiguous"


# --------------------------------------------------------------------------- implied_between

@pytest.mark.parametrize(("lower", "verdict"), [
    (99.99, "consistent"),    # 125 / 1.25 = 100 in 2007, strictly above the lower figure
    (100.0, "ambiguous"),     # exactly at the lower figure: "between" needs strictly inside
    (100.01, "inconsistent"),  # below the lower figure
])
def test_implied_between_lower_edge(lower, verdict):
    out = run("implied_between", params={"from_year": "2008", "to_year": "2007"},
              value=fig(125, unit="billion USD"), rate=fig(25, unit="percent"),
              lower=fig(lower, unit="billion USD"), upper=fig(200, unit="billion USD"))
    assert out.verdict == verdict
    assert out.recomputed == 100.0


@pytest.mark.parametrize(("upper", "verdict"), [
    (100.01, "consistent"), (100.0, "ambiguous"), (99.99, "inconsistent"),
])
def test_implied_between_upper_edge(upper, verdict):
    out = run("implied_between", params={"from_year": "2008", "to_year": "2007"},
              value=fig(125), rate=fig(25, unit="percent"), lower=fig(50), upper=fig(upper))
    assert out.verdict == verdict


# --------------------------------------------------------------------------- implied_rate_between

@pytest.mark.parametrize(("end", "verdict"), [
    (156.25, "consistent"),   # 156.25 / 1.25 = 125 in 2007: 2006-2007 growth from 100 is 25 %, exactly the later rate
    (157.0, "consistent"),    # 125.6: 25.6 %, between 25 % and 50 %
    (156.0, "inconsistent"),  # 124.8: 24.8 %, below both rates
    (187.5, "consistent"),    # 150: 50 %, exactly the earlier rate
])
def test_implied_rate_between_edges(end, verdict):
    out = run("implied_rate_between", params={"start_year": "2006", "middle_year": "2007", "end_year": "2008"},
              start=fig(100), end=fig(end), rate_before=fig(50, unit="percent"),
              rate_after=fig(25, unit="percent"))
    assert out.verdict == verdict


def test_implied_rate_between_just_above_the_earlier_rate():
    # 188 / 1.25 = 150.4: growth 50.4 %, above the earlier 50 %
    out = run("implied_rate_between", params={"start_year": "2006", "middle_year": "2007", "end_year": "2008"},
              start=fig(100), end=fig(188), rate_before=fig(50, unit="percent"), rate_after=fig(25, unit="percent"))
    assert out.verdict == "inconsistent"
    assert out.recomputed == pytest.approx(50.4)


# --------------------------------------------------------------------------- direction

@pytest.mark.parametrize(("after", "direction", "verdict"), [
    (100.0, "up", "inconsistent"),   # no change is not a rise
    (100.01, "up", "consistent"),
    (99.99, "up", "inconsistent"),
    (100.0, "down", "inconsistent"),  # nor a fall
    (99.99, "down", "consistent"),
    (100.01, "down", "inconsistent"),
])
def test_direction_exact_edges(after, direction, verdict):
    assert run("direction", params={"direction": direction}, before=fig(100), after=fig(after)).verdict == verdict


@pytest.mark.parametrize(("after", "verdict"), [
    (105.0, "ambiguous"),     # "about 100" allows 105: a rise is not sure
    (105.01, "consistent"),   # above everything "about 100" allows
    (95.0, "inconsistent"),   # at the lowest value it allows: a rise is impossible
    (95.01, "ambiguous"),
])
def test_direction_hedged_edges(after, verdict):
    out = run("direction", params={"direction": "up"}, before=fig(100, "about"), after=fig(after))
    assert out.verdict == verdict


# --------------------------------------------------------------------------- not_exceeding

@pytest.mark.parametrize(("parts", "verdict"), [
    ([60.0, 40.0], "consistent"),      # 100 of 100: equal does not exceed
    ([60.0, 39.99], "consistent"),
    ([60.0, 40.01], "inconsistent"),
])
def test_not_exceeding_exact_edges(parts, verdict):
    out = run("not_exceeding", whole=fig(100), part=[fig(p) for p in parts])
    assert out.verdict == verdict
    assert out.recomputed == pytest.approx(sum(parts))


@pytest.mark.parametrize(("part", "qualifier", "verdict"), [
    (100.0, "more_than", "inconsistent"),  # more than 100 always exceeds 100
    (99.99, "more_than", "ambiguous"),     # more than 99.99 may or may not
    (100.0, "at_least", "ambiguous"),      # at least 100 may equal it
])
def test_not_exceeding_bounded_part(part, qualifier, verdict):
    assert run("not_exceeding", whole=fig(100), part=fig(part, qualifier)).verdict == verdict


def test_not_exceeding_sum_with_a_strict_part():
    # "more than 20" + 80 is more than 100: it exceeds a whole of exactly 100; "at least 20" + 80 may equal it
    assert run("not_exceeding", whole=fig(100), part=[fig(20, "more_than"), fig(80)]).verdict == "inconsistent"
    assert run("not_exceeding", whole=fig(100), part=[fig(20, "at_least"), fig(80)]).verdict == "ambiguous"
    # a whole of "almost 100" is below 100, so parts of exactly 100 exceed it
    assert run("not_exceeding", whole=fig(100, "almost"), part=fig(100)).verdict == "inconsistent"


# --------------------------------------------------------------------------- ranked_above

@pytest.mark.parametrize(("other", "verdict"), [
    (20.0, "consistent"),     # not above the top figure: ties allowed
    (19.99, "consistent"),
    (20.01, "inconsistent"),  # surely above the exact top figure
])
def test_ranked_above_exact_edges(other, verdict):
    assert run("ranked_above", top=fig(20, fid="top"), other=fig(other, fid="o")).verdict == verdict


@pytest.mark.parametrize(("other", "verdict"), [
    (20.0, "consistent"),    # "more than 20" is never below 20
    (20.01, "ambiguous"),    # but may be below 20.01
])
def test_ranked_above_lower_bound_top(other, verdict):
    assert run("ranked_above", top=fig(20, "more_than", fid="top"), other=fig(other, fid="o")).verdict == verdict


def test_ranked_above_strict_other():
    # another figure of "more than 20" is surely above a top figure of exactly 20; "at least 20" may tie
    assert run("ranked_above", top=fig(20, fid="t"), other=fig(20, "more_than", fid="o")).verdict == "inconsistent"
    assert run("ranked_above", top=fig(20, fid="t"), other=fig(20, "at_least", fid="o")).verdict == "ambiguous"


def test_direction_strict_bounds():
    # "more than 100" after an exact 100 is surely a rise; "at least 100" is not
    assert run("direction", params={"direction": "up"}, before=fig(100), after=fig(100, "more_than")).verdict == "consistent"
    assert run("direction", params={"direction": "up"}, before=fig(100), after=fig(100, "at_least")).verdict == "ambiguous"
    # "almost 100" after an exact 100 is surely a fall
    assert run("direction", params={"direction": "down"}, before=fig(100), after=fig(100, "almost")).verdict == "consistent"


# --------------------------------------------------------------------------- agree

@pytest.mark.parametrize(("first", "second", "verdict"), [
    (("exact", 10.0), ("exact", 10.0), "consistent"),
    (("exact", 10.0), ("exact", 10.01), "inconsistent"),
    (("exact", 10.0), ("about", 10.5), "ambiguous"),    # "about 10.5" is [9.975, 11.025]: it allows 10
    (("about", 10.0), ("exact", 10.5), "ambiguous"),    # "about 10" is [9.5, 10.5]: its upper end is 10.5
    (("about", 10.0), ("exact", 10.51), "inconsistent"),
])
def test_agree_edges(first, second, verdict):
    out = run("agree", value=[fig(first[1], first[0], fid="a"), fig(second[1], second[0], fid="b")])
    assert out.verdict == verdict


# --------------------------------------------------------------------------- the driver: rounding of inputs

def _figures(rows):
    return pd.DataFrame(rows, columns=["id", "value", "low", "high", "unit", "qualifier"])


def _claim(**fields):
    row = {"claim_id": "c", "description": "d", "stated_figure": None, "params": None, "tolerance": float("nan"),
           "tolerance_basis": "b", **fields}
    return pd.DataFrame([row], columns=CLAIM_COLUMNS)


def test_rounding_widens_exact_inputs_only():
    # round_before=10 widens an exact figure to value +- 10, but must leave a hedged one as its hedge has it
    figs = _figures([("b_exact", 100.0, None, None, "person", "exact"),
                     ("b_about", 100.0, None, None, "person", "about"),
                     ("after", 104.0, None, None, "person", "exact")])
    claims = pd.concat([
        _claim(claim_id="exact", inputs="before:b_exact;after:after", check="direction",
               params="direction=up;round_before=10"),
        _claim(claim_id="about", inputs="before:b_about;after:after", check="direction",
               params="direction=up;round_before=10"),
    ], ignore_index=True)
    out = audit(figs, claims).set_index("claim_id")
    # exact 100 +- 10 is [90, 110]: (104 - a) / a over it gives -5.45 % to +15.56 %
    assert out.loc["exact", ["recomputed_low", "recomputed_high"]].tolist() == pytest.approx(
        [(104 - 110) / 110 * 100, (104 - 90) / 90 * 100])
    # "about 100" stays [95, 105]: -0.95 % to +9.47 %
    assert out.loc["about", ["recomputed_low", "recomputed_high"]].tolist() == pytest.approx(
        [(104 - 105) / 105 * 100, (104 - 95) / 95 * 100])


def test_rounding_leaves_a_bound_alone():
    figs = _figures([("whole", 100.0, None, None, "person", "exact"),
                     ("part", 99.0, None, None, "person", "more_than")])
    claims = _claim(inputs="part:part;whole:whole", check="not_exceeding", params="round_part=5")
    out = audit(figs, claims).iloc[0]
    # "more than 99" stays [99, inf] (widening it to [94, 104] would lose its open end)
    assert (out["recomputed_low"], out["recomputed_high"]) == (99.0, float("inf"))


def test_driver_tolerance_edges_through_the_claims_table():
    # the tolerance read from the claims row reaches the check unchanged: 27 / 200 = 13.5 %, stated 13
    figs = _figures([("s", 13.0, None, None, "percent", "exact"),
                     ("p", 27.0, None, None, "person", "exact"),
                     ("t", 200.0, None, None, "person", "exact")])
    at = _claim(stated_figure="s", inputs="part:p;total:t", check="share", tolerance=0.5)
    below = at.assign(tolerance=0.49)
    assert audit(figs, at).iloc[0]["verdict"] == "consistent"
    assert audit(figs, below).iloc[0]["verdict"] == "inconsistent"
    assert audit(figs, at.assign(tolerance=0.25)).iloc[0]["verdict"] == "inconsistent"
