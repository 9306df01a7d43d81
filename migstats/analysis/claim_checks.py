"""The checks of the audit: one function per kind of claim, in the registry :data:`CHECKS`.

Each check takes the claim's stated figure (a one-row interval table, or
None for a relation), its inputs by role (lists of one-row interval tables,
see :mod:`migstats.analysis.intervals`), its parameters and its tolerance (in
the stated figure's unit), and returns an :class:`Outcome`: the recomputed
value and the interval the inputs' hedges allow, and a verdict:

``consistent``
    the report's numbers reproduce the claim, or every value their hedges
    allow satisfies it;
``inconsistent``
    no value they allow does;
``ambiguous``
    several readings reproduce it, the hedges leave it open, or the numbers
    cannot decide it (a statement about an aggregate set against single
    members).

The driver that reads the claims and calls these is :func:`migstats.analysis.audit`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd

from ..errors import InputError
from ..units import conversion_factor
from ._checks import in_unit
from .discrepancy import BASES, matching_bases
from .growth import compound_growth_rate, implied_value
from .intervals import STRICT_HIGH, STRICT_LOW, interval_divide, propagate

__all__ = ["CHECKS", "Check", "Outcome", "SLACK"]

SLACK = 1e-9  # float noise allowed on top of a tolerance


@dataclass(frozen=True)
class Outcome:
    """What a check returns: the recomputed value, its interval, unit and kind, verdict, explanation."""

    recomputed: float
    low: float
    high: float
    unit: str
    kind: str
    verdict: str
    explanation: str


@dataclass(frozen=True)
class Check:
    """A named check: the function, the input roles it needs, whether it needs a stated figure."""

    func: Callable
    roles: tuple
    needs_stated: bool


# --------------------------------------------------------------------------- helpers


def _num(x: float) -> str:
    if not np.isfinite(x):
        return "inf" if x > 0 else "-inf"
    return f"{x:,.2f}".rstrip("0").rstrip(".")


def _pct(x: float) -> str:
    return f"{x:.2f}%"


def _one(inputs: dict, role: str) -> pd.DataFrame:
    return inputs[role][0]


def _v(frame: pd.DataFrame, col: str = "value") -> float:
    return float(frame[col].iloc[0])


def _unit(frame: pd.DataFrame) -> str:
    return str(frame["unit"].iloc[0])


def _total(frames: list, unit: str) -> pd.DataFrame:
    return propagate(lambda *xs: np.sum(xs, axis=0), *[in_unit(f, unit) for f in frames], unit=unit)


def _numeric_verdict(stated: float, tol: float, result: pd.DataFrame) -> str:
    value, low, high = _v(result), _v(result, "low"), _v(result, "high")
    if abs(value - stated) <= tol + SLACK:
        return "consistent"
    if high < stated - tol - SLACK or low > stated + tol + SLACK:
        return "inconsistent"
    return "ambiguous"


def _param(params: dict, key: str, convert=str):
    if key not in params:
        raise InputError(f"check parameter {key!r} is missing")
    try:
        return convert(params[key])
    except ValueError:
        raise InputError(f"check parameter {key}={params[key]!r} is not a {convert.__name__}") from None


def _outcome(result: pd.DataFrame, unit: str, verdict: str, explanation: str) -> Outcome:
    return Outcome(_v(result), _v(result, "low"), _v(result, "high"), unit, str(result["kind"].iloc[0]), verdict,
                   explanation)


def _point_kind(frames) -> str:
    """Kind of a value read (not computed) from figures: approximate if any of them is."""
    return "approximate" if any(bool(f["approximate"].iloc[0]) for f in frames) else "point"


def _range_note(result: pd.DataFrame, fmt=_num) -> str:
    low, high = _v(result, "low"), _v(result, "high")
    return "" if low == high else f" (range {fmt(low)} to {fmt(high)} given the inputs' hedges and rounding)"


def _strict(frames, qualifiers) -> bool:
    """Whether a bound of these stated figures (or of their sum) excludes its end ("more than 20" is not 20)."""
    return any(str(f["qualifier"].iloc[0]) in qualifiers for f in frames if "qualifier" in f.columns)


def _surely_above(x: pd.DataFrame, y: pd.DataFrame, x_parts=None, y_parts=None) -> bool:
    """Every value ``x`` allows is above every value ``y`` allows.

    The ends touch only when one of them is excluded by its hedge: "more
    than 100" is surely above an exact 100, "at least 100" is not.
    ``x_parts``/``y_parts`` are the stated figures a sum was made of.
    """
    low, high = _v(x, "low"), _v(y, "high")
    if low != high:
        return low > high
    return _strict(x_parts or [x], STRICT_LOW) or _strict(y_parts or [y], STRICT_HIGH)


# --------------------------------------------------------------------------- checks


def check_difference_base(stated, inputs, params, tol) -> Outcome:
    """Which base reproduces a stated unsigned relative difference between two sources."""
    first, second = _one(inputs, "first"), _one(inputs, "second")
    a, b = _v(first), _v(in_unit(second, _unit(first)))
    to_stated = conversion_factor("dimensionless", _unit(stated))
    m = matching_bases(a, b, _v(stated) / to_stated, tol / to_stated)
    labels = {"first": params.get("first_label", "first"), "second": params.get("second_label", "second"),
              "mean": "mean (symmetric)"}
    rel = dict(zip(m["base"], np.abs(m["relative"]) * to_stated))
    hits = list(m.loc[m["matches"], "base"])
    shown = hits[0] if hits else min(BASES, key=lambda k: abs(rel[k] - _v(stated)))
    others = ", ".join(f"{labels[k]} base {_pct(rel[k])}" for k in BASES if k != shown)
    base_value = {"first": a, "second": b, "mean": (a + b) / 2}[shown]
    calc = f"|{_num(a)} - {_num(b)}| / {_num(base_value)} = {_pct(rel[shown])}"
    if len(hits) == 1:
        verdict, how = "consistent", f"on the {labels[shown]} base reproduces the stated {_num(_v(stated))}%"
    elif hits:
        verdict, how = "ambiguous", f"and the {', '.join(labels[h] for h in hits)} bases all reproduce it"
    else:
        verdict, how = "inconsistent", f"on the closest ({labels[shown]}) base misses the stated {_num(_v(stated))}%"
    return Outcome(rel[shown], rel[shown], rel[shown], _unit(stated), _point_kind([first, second]), verdict,
                   f"{calc} {how}; {others}")


def check_general_vs_cases(stated, inputs, params, tol) -> Outcome:
    """A general signed relative difference (second vs base source) against the report's examples."""
    unit = _unit(stated)
    to_stated = conversion_factor("dimensionless", unit)
    label = params.get("label", "the examples")
    if "difference" not in inputs and not {"national", "oecd"} <= set(inputs):
        raise InputError("general_vs_cases needs a 'difference' input, or 'national' and 'oecd' inputs")
    if "difference" in inputs:
        result = in_unit(_one(inputs, "difference"), unit)
        what = f"{label}: the two sources do not differ ({_pct(_v(result))})"
    else:
        base_unit = _unit(inputs["national"][0])
        national, oecd = _total(inputs["national"], base_unit), _total(inputs["oecd"], base_unit)
        result = propagate(lambda o, n: (o - n) / n * to_stated, oecd, national, unit=unit)
        side = "below" if _v(result) < 0 else "above"
        what = (f"{label}: OECD {_num(_v(oecd))} is {_pct(abs(_v(result)))} {side} the national "
                f"{_num(_v(national))} (base: national)")
    said = f"the general statement says OECD estimates are {_num(_v(stated))}% above national data"
    verdict, tail = _numeric_verdict(_v(stated), tol, result), ""
    if verdict == "inconsistent":
        # a statement about all OECD countries together is not refuted by single members going the other way
        verdict = "ambiguous"
        tail = ("; contradicted by this example, as by every example the report gives, but an aggregate can differ "
                "from its members")
        if "national" in inputs:
            need = _v(stated) / to_stated * _v(national) - (_v(oecd) - _v(national))
            tail += (f": for all countries together to be {_num(_v(stated))}% higher, the OECD estimates of the "
                     f"other countries would have to exceed their national figures by {_num(need)} "
                     f"{_unit(national)} plus {_num(_v(stated))}% of their own national total")
    return _outcome(result, unit, verdict, f"{what}; {said}{tail}")


def check_implied_between(stated, inputs, params, tol) -> Outcome:
    """A value implied by a stated rate must lie between two stated values."""
    value, rate = _one(inputs, "value"), _one(inputs, "rate")
    lower, upper = in_unit(_one(inputs, "lower"), _unit(value)), in_unit(_one(inputs, "upper"), _unit(value))
    y0, y1 = _param(params, "from_year", int), _param(params, "to_year", int)
    rate_frac = in_unit(rate, "dimensionless")
    result = propagate(lambda v, r: implied_value(v, r, y0, y1), value, rate_frac, unit=_unit(value))
    lo, hi = _v(result, "low"), _v(result, "high")
    if _v(lower, "high") < lo and hi < _v(upper, "low"):
        verdict, how = "consistent", "lies between"
    elif hi < _v(lower, "low") or lo > _v(upper, "high"):
        verdict, how = "inconsistent", "lies outside"
    else:
        verdict, how = "ambiguous", "overlaps the ends of"
    text = (f"{_num(_v(value))} x (1 + {_num(_v(rate))}%)^({y1} - {y0}) = {_num(_v(result))} in {y1}"
            f"{_range_note(result)}, which {how} {_num(_v(lower))} and {_num(_v(upper))}")
    return _outcome(result, _unit(value), verdict, text)


def check_implied_rate_between(stated, inputs, params, tol) -> Outcome:
    """The rate of a middle period, implied by two totals and a later rate, against the earlier and later rates."""
    start, end = _one(inputs, "start"), in_unit(_one(inputs, "end"), _unit(_one(inputs, "start")))
    rate_before = in_unit(_one(inputs, "rate_before"), "dimensionless")
    rate_after = in_unit(_one(inputs, "rate_after"), "dimensionless")
    y0, ym, y1 = (_param(params, k, int) for k in ("start_year", "middle_year", "end_year"))
    pct = conversion_factor("dimensionless", "percent")

    def middle_rate(s, e, r):
        return compound_growth_rate(s, implied_value(e, r, y1, ym), ym - y0) * pct

    result = propagate(middle_rate, start, end, rate_after, unit="percent")
    mid = implied_value(_v(end), _v(rate_after), y1, ym)
    lo_rate, hi_rate = sorted((_v(rate_after) * pct, _v(rate_before) * pct))
    if lo_rate <= _v(result, "low") and _v(result, "high") <= hi_rate:
        verdict, how = "consistent", ("lies between the stated earlier and later rates, so the stated change "
                                      "fits the totals")
    elif _v(result, "high") < lo_rate or _v(result, "low") > hi_rate:
        verdict, how = "inconsistent", "lies outside the stated rates"
    else:
        verdict, how = "ambiguous", "straddles a stated rate"
    earlier = implied_value(_v(start), _v(rate_before), y0, y0 - 1)
    text = (f"{y1} total {_num(_v(end))} and {_num(_v(rate_after) * pct)}% imply {_num(mid)} in {ym}; growth "
            f"{y0}-{ym} from {_num(_v(start))} is {_pct(_v(result))}{_range_note(result, _pct)}, which {how} "
            f"({_num(hi_rate)}% then {_num(lo_rate)}%); the {_num(_v(rate_before) * pct)}% rate alone implies "
            f"{_num(earlier)} in {y0 - 1}, which no figure of the report tests")
    return _outcome(result, "percent", verdict, text)


def check_direction(stated, inputs, params, tol) -> Outcome:
    """A stated rise (or fall) between two figures: relative change, base the earlier figure."""
    before = _one(inputs, "before")
    after = in_unit(_one(inputs, "after"), _unit(before))
    direction = _param(params, "direction")
    if direction not in ("up", "down"):
        raise InputError(f"direction must be 'up' or 'down', got {direction!r}")
    pct = conversion_factor("dimensionless", "percent")
    result = propagate(lambda a, b: (b - a) / a * pct, before, after, unit="percent")
    if direction == "up":
        sure, never = _surely_above(after, before), _v(after, "high") <= _v(before, "low")
    else:
        sure, never = _surely_above(before, after), _v(after, "low") >= _v(before, "high")
    verdict = "consistent" if sure else "inconsistent" if never else "ambiguous"
    text = (f"{_num(_v(before))} -> {_num(_v(after))} {_unit(before)}: change {_num(_v(after) - _v(before))}, "
            f"{_pct(_v(result))} of the earlier figure{_range_note(result, _pct)}, factor "
            f"{_v(after) / _v(before):.4g}")
    if "years" in params:
        span = _param(params, "years", float)
        rate = compound_growth_rate(_v(before), _v(after), span) * pct
        text += f", {_pct(rate)} a year compound over {_num(span)} years"
    return _outcome(result, "percent", verdict, f"{text}; stated direction: {direction}")


def check_not_exceeding(stated, inputs, params, tol) -> Outcome:
    """Parts (subsets) must not exceed their whole."""
    whole = _one(inputs, "whole")
    parts = _total(inputs["part"], _unit(whole))
    if _surely_above(parts, whole, x_parts=inputs["part"]):
        verdict, how = "inconsistent", "exceeds"
    elif _v(parts, "high") <= _v(whole, "low"):
        verdict, how = "consistent", "does not exceed"
    else:
        verdict, how = "ambiguous", "may or may not exceed (the hedges allow both)"
    n = len(inputs["part"])
    label = "the part" if n == 1 else f"the sum of the {n} parts"
    return _outcome(parts, _unit(whole), verdict,
                    f"{label}, {_num(_v(parts))}{_range_note(parts)}, {how} the whole, "
                    f"{_num(_v(whole))}{_range_note(whole)}")


def check_ranked_above(stated, inputs, params, tol) -> Outcome:
    """Figures said to be the largest must not be exceeded by others the report gives for the same year."""
    unit = _unit(inputs["top"][0])
    tops = [in_unit(f, unit) for f in inputs["top"]]
    others = [in_unit(f, unit) for f in inputs["other"]]
    floor = min(_v(f, "low") for f in tops)
    highest_other = max(_v(f, "high") for f in others)
    if highest_other <= floor:
        verdict, how = "consistent", "is not above the lowest possible value of any of the top figures"
    elif any(_surely_above(o, t) for o in others for t in tops):
        verdict, how = "inconsistent", "surely exceeds one of the top figures"
    else:
        verdict, how = "ambiguous", "may exceed one of the top figures"
    best = max(others, key=lambda f: _v(f, "high"))
    return Outcome(highest_other, highest_other, highest_other, unit, str(best["kind"].iloc[0]), verdict,
                   f"the largest other figure ({_num(highest_other)} {unit}, {best['id'].iloc[0]}) {how} "
                   f"(lowest: {_num(floor)} {unit})")


def check_share(stated, inputs, params, tol) -> Outcome:
    """A stated share of a total against part / total (base: the total)."""
    unit = _unit(stated)
    result = in_unit(interval_divide(_one(inputs, "part"), _one(inputs, "total")), unit)
    verdict = _numeric_verdict(_v(stated), tol, result)
    flag = "; approximate inputs" if bool(result["approximate"].iloc[0]) else ""
    text = (f"{_num(_v(_one(inputs, 'part')))} / {_num(_v(_one(inputs, 'total')))} = {_pct(_v(result))} of the total"
            f"{_range_note(result, _pct)}; stated {_num(_v(stated))}% +- {_num(tol)}{flag}")
    return _outcome(result, unit, verdict, text)


def check_agree(stated, inputs, params, tol) -> Outcome:
    """Two statements of the same quantity (by different speakers or sections) must agree."""
    frames = inputs["value"]
    unit = _unit(frames[0])
    frames = [in_unit(f, unit) for f in frames]
    values = [_v(f) for f in frames]
    lows, highs = [_v(f, "low") for f in frames], [_v(f, "high") for f in frames]
    if max(values) - min(values) <= SLACK:
        verdict = "consistent"
    elif max(lows) > min(highs):
        verdict = "inconsistent"
    else:
        verdict = "ambiguous"
    ids = ", ".join(f"{f['id'].iloc[0]} = {_num(_v(f))}" for f in frames)
    kind = "point" if min(lows) == max(highs) else "interval"
    return Outcome(values[0], min(lows), max(highs), unit, kind, verdict, f"{ids} {unit}")


#: name -> check; claims.csv names one of these in its ``check`` column
CHECKS = {
    "difference_base": Check(check_difference_base, ("first", "second"), True),
    "general_vs_cases": Check(check_general_vs_cases, (), True),
    "implied_between": Check(check_implied_between, ("value", "rate", "lower", "upper"), False),
    "implied_rate_between": Check(check_implied_rate_between, ("start", "end", "rate_before", "rate_after"), False),
    "direction": Check(check_direction, ("before", "after"), False),
    "not_exceeding": Check(check_not_exceeding, ("part", "whole"), False),
    "ranked_above": Check(check_ranked_above, ("top", "other"), False),
    "share": Check(check_share, ("part", "total"), True),
    "agree": Check(check_agree, ("value",), False),
}
