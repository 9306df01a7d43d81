"""The audit: every claim of the report that its own numbers can test, recomputed.

The claims are data (``data/report/claims.csv``), one row each:

``claim_id``, ``description``
    what is checked, in words;
``stated_figure``
    the figure id of the stated number (empty when the claim is a relation,
    such as "revised upward" or "47 of the 60 censuses");
``inputs``
    ``role:figure_id`` pairs separated by ``;`` (a role may repeat, as the
    parts of a total do);
``check``
    the name of a check in :data:`CHECKS` (a registry of functions, never
    evaluated strings);
``params``
    ``key=value`` pairs separated by ``;``. ``round_<role>=h`` widens that
    role's exact inputs to ``value +- h``, for a number whose rounding
    matters to the result (a rate of "7 per cent" stands for 6.5 to 7.5);
``tolerance``, ``tolerance_basis``
    how far (in the stated figure's unit) the recomputed value may sit from
    the stated one, and why: a percentage stated as a whole number is
    consistent within half a percentage point, since "73 per cent" is what
    any value in [72.5, 73.5) rounds to.

Verdicts: ``consistent`` (the report's numbers reproduce the claim, or
every value their hedges allow satisfies it), ``inconsistent`` (no value
they allow does), ``ambiguous`` (several readings reproduce it, the hedges
of the inputs leave it open, or the numbers cannot decide it, as when a
statement about an aggregate is set against single members).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from ..errors import InputError, UnitError, UnknownFigureError, UnknownNameError, ValidationError
from ..units import conversion_factor
from ._checks import in_unit
from .discrepancy import BASES, matching_bases
from .growth import compound_growth_rate, implied_value
from .intervals import as_intervals, divide, propagate

__all__ = ["CHECKS", "CLAIM_COLUMNS", "AUDIT_COLUMNS", "audit", "load_claims"]

CLAIMS_RESOURCE = "report-claims"
CLAIM_COLUMNS = ["claim_id", "description", "stated_figure", "inputs", "check", "params", "tolerance",
                 "tolerance_basis"]
AUDIT_COLUMNS = ["claim_id", "description", "stated", "recomputed", "recomputed_low", "recomputed_high", "unit",
                 "kind", "tolerance", "verdict", "explanation"]
_SLACK = 1e-9  # float noise allowed on top of a tolerance


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


def _fmt(x: float) -> str:
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
    if abs(value - stated) <= tol + _SLACK:
        return "consistent"
    if high < stated - tol - _SLACK or low > stated + tol + _SLACK:
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


def _range_note(result: pd.DataFrame, fmt=_fmt) -> str:
    low, high = _v(result, "low"), _v(result, "high")
    return "" if low == high else f" (range {fmt(low)} to {fmt(high)} given the inputs' hedges and rounding)"


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
    calc = f"|{_fmt(a)} - {_fmt(b)}| / {_fmt(base_value)} = {_pct(rel[shown])}"
    if len(hits) == 1:
        verdict, how = "consistent", f"on the {labels[shown]} base reproduces the stated {_fmt(_v(stated))}%"
    elif hits:
        verdict, how = "ambiguous", f"and the {', '.join(labels[h] for h in hits)} bases all reproduce it"
    else:
        verdict, how = "inconsistent", f"on the closest ({labels[shown]}) base misses the stated {_fmt(_v(stated))}%"
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
        what = (f"{label}: OECD {_fmt(_v(oecd))} is {_pct(abs(_v(result)))} {side} the national "
                f"{_fmt(_v(national))} (base: national)")
    said = f"the general statement says OECD estimates are {_fmt(_v(stated))}% above national data"
    verdict, tail = _numeric_verdict(_v(stated), tol, result), ""
    if verdict == "inconsistent":
        # a statement about all OECD countries together is not refuted by single members going the other way
        verdict = "ambiguous"
        tail = ("; contradicted by this example, as by every example the report gives, but an aggregate can differ "
                "from its members")
        if "national" in inputs:
            need = _v(stated) / to_stated * _v(national) - (_v(oecd) - _v(national))
            tail += (f": for all countries together to be {_fmt(_v(stated))}% higher, the OECD estimates of the "
                     f"other countries would have to exceed their national figures by {_fmt(need)} "
                     f"{_unit(national)} plus {_fmt(_v(stated))}% of their own national total")
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
    text = (f"{_fmt(_v(value))} x (1 + {_fmt(_v(rate))}%)^({y1} - {y0}) = {_fmt(_v(result))} in {y1}"
            f"{_range_note(result)}, which {how} {_fmt(_v(lower))} and {_fmt(_v(upper))}")
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
    text = (f"{y1} total {_fmt(_v(end))} and {_fmt(_v(rate_after) * pct)}% imply {_fmt(mid)} in {ym}; growth "
            f"{y0}-{ym} from {_fmt(_v(start))} is {_pct(_v(result))}{_range_note(result, _pct)}, which {how} "
            f"({_fmt(hi_rate)}% then {_fmt(lo_rate)}%); the {_fmt(_v(rate_before) * pct)}% rate alone implies "
            f"{_fmt(earlier)} in {y0 - 1}, which no figure of the report tests")
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
        sure, never = _v(after, "low") > _v(before, "high"), _v(after, "high") <= _v(before, "low")
    else:
        sure, never = _v(after, "high") < _v(before, "low"), _v(after, "low") >= _v(before, "high")
    verdict = "consistent" if sure else "inconsistent" if never else "ambiguous"
    text = (f"{_fmt(_v(before))} -> {_fmt(_v(after))} {_unit(before)}: change {_fmt(_v(after) - _v(before))}, "
            f"{_pct(_v(result))} of the earlier figure{_range_note(result, _pct)}, factor "
            f"{_v(after) / _v(before):.4g}")
    if "years" in params:
        span = _param(params, "years", float)
        rate = compound_growth_rate(_v(before), _v(after), span) * pct
        text += f", {_pct(rate)} a year compound over {_fmt(span)} years"
    return _outcome(result, "percent", verdict, f"{text}; stated direction: {direction}")


def check_not_exceeding(stated, inputs, params, tol) -> Outcome:
    """Parts (subsets) must not exceed their whole."""
    whole = _one(inputs, "whole")
    parts = _total(inputs["part"], _unit(whole))
    if _v(parts, "low") > _v(whole, "high"):
        verdict, how = "inconsistent", "exceeds"
    elif _v(parts, "high") <= _v(whole, "low"):
        verdict, how = "consistent", "does not exceed"
    else:
        verdict, how = "ambiguous", "may or may not exceed (the hedges allow both)"
    n = len(inputs["part"])
    label = "the part" if n == 1 else f"the sum of the {n} parts"
    return _outcome(parts, _unit(whole), verdict,
                    f"{label}, {_fmt(_v(parts))}{_range_note(parts)}, {how} the whole, "
                    f"{_fmt(_v(whole))}{_range_note(whole)}")


def check_ranked_above(stated, inputs, params, tol) -> Outcome:
    """Figures said to be the largest must not be exceeded by others the report gives for the same year."""
    unit = _unit(inputs["top"][0])
    tops = [in_unit(f, unit) for f in inputs["top"]]
    others = [in_unit(f, unit) for f in inputs["other"]]
    floor = min(_v(f, "low") for f in tops)
    highest_other = max(_v(f, "high") for f in others)
    if highest_other <= floor:
        verdict, how = "consistent", "is not above the lowest possible value of any of the top figures"
    elif any(_v(o, "low") > _v(t, "high") for o in others for t in tops):
        verdict, how = "inconsistent", "surely exceeds one of the top figures"
    else:
        verdict, how = "ambiguous", "may exceed one of the top figures"
    best = max(others, key=lambda f: _v(f, "high"))
    return Outcome(highest_other, highest_other, highest_other, unit, str(best["kind"].iloc[0]), verdict,
                   f"the largest other figure ({_fmt(highest_other)} {unit}, {best['id'].iloc[0]}) {how} "
                   f"(lowest: {_fmt(floor)} {unit})")


def check_share(stated, inputs, params, tol) -> Outcome:
    """A stated share of a total against part / total (base: the total)."""
    unit = _unit(stated)
    result = in_unit(divide(_one(inputs, "part"), _one(inputs, "total")), unit)
    verdict = _numeric_verdict(_v(stated), tol, result)
    flag = "; approximate inputs" if bool(result["approximate"].iloc[0]) else ""
    text = (f"{_fmt(_v(_one(inputs, 'part')))} / {_fmt(_v(_one(inputs, 'total')))} = {_pct(_v(result))} of the total"
            f"{_range_note(result, _pct)}; stated {_fmt(_v(stated))}% +- {_fmt(tol)}{flag}")
    return _outcome(result, unit, verdict, text)


def check_agree(stated, inputs, params, tol) -> Outcome:
    """Two statements of the same quantity (by different speakers or sections) must agree."""
    frames = inputs["value"]
    unit = _unit(frames[0])
    frames = [in_unit(f, unit) for f in frames]
    values = [_v(f) for f in frames]
    lows, highs = [_v(f, "low") for f in frames], [_v(f, "high") for f in frames]
    if max(values) - min(values) <= _SLACK:
        verdict = "consistent"
    elif max(lows) > min(highs):
        verdict = "inconsistent"
    else:
        verdict = "ambiguous"
    ids = ", ".join(f"{f['id'].iloc[0]} = {_fmt(_v(f))}" for f in frames)
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


# --------------------------------------------------------------------------- claims and the audit


def _pairs(text, sep: str, what: str, where: dict) -> list[tuple[str, str]]:
    if not isinstance(text, str) or not text.strip():
        return []
    out = []
    for item in text.split(";"):
        key, found, value = item.partition(sep)
        if not found or not key.strip() or not value.strip():
            raise ValidationError(f"{what} item {item!r} is not key{sep}value", **where)
        out.append((key.strip(), value.strip()))
    return out


def _tolerance(value, file, row: int) -> float:
    """A claim's tolerance as a float: empty (no stated figure) is 0; negative or junk is an error."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return 0.0
    try:
        tol = float(value)
    except ValueError:
        raise ValidationError(f"tolerance {value!r} is not a number", file=file, row=row, column="tolerance") from None
    if np.isnan(tol):
        return 0.0
    if tol < 0:
        raise ValidationError(f"tolerance {tol} must be >= 0", file=file, row=row, column="tolerance")
    return tol


def load_claims(root=None) -> pd.DataFrame:
    """The claims table, read and validated as the data package's ``report-claims`` resource.

    Parameters
    ----------
    root : path, optional
        Folder holding ``datapackage.json`` and ``report/claims.csv``; the
        bundled data by default.

    Returns
    -------
    pandas.DataFrame
        The columns of :data:`CLAIM_COLUMNS`, typed by the schema (empty
        cells are None, ``tolerance`` a float, NaN when empty); ``attrs``
        hold the resource metadata and the file's ``path``.

    Raises
    ------
    ValidationError
        If a column is missing, a claim id repeats, a check name is not in
        the schema's list or a tolerance is negative or not a number (naming
        file, row and column).
    """
    from ..datasets._paths import data_dir
    from ..datasets.schema import read_table, resource_descriptor

    table = read_table(CLAIMS_RESOURCE, root)
    table.attrs["path"] = str(Path(root or data_dir()) / resource_descriptor(CLAIMS_RESOURCE, root)["path"])
    return table


def _figure_rows(figures: pd.DataFrame, approx_rel: float) -> dict:
    table = as_intervals(figures, approx_rel=approx_rel)
    return {fid: table.iloc[[i]].reset_index(drop=True) for i, fid in enumerate(table["id"])}


def _lookup(rows: dict, fid: str, claim_id: str) -> pd.DataFrame:
    if fid not in rows:
        raise UnknownFigureError(f"claim {claim_id!r}: no figure with id {fid!r} in the report table")
    return rows[fid]


def _half_width(params: dict, role: str, where: dict, claim_id: str) -> float:
    """The ``round_<role>`` parameter: a finite, non-negative half-width (0 when absent)."""
    key = f"round_{role}"
    text = params.get(key, "0")
    try:
        half = float(text)
    except ValueError:
        half = np.nan
    if not np.isfinite(half) or half < 0:
        raise ValidationError(f"claim {claim_id!r}: {key}={text!r} must be a finite number >= 0", **where)
    return half


def _widened(frame: pd.DataFrame, half: float) -> pd.DataFrame:
    if half == 0 or frame["kind"].iloc[0] != "point":
        return frame
    v = _v(frame)
    return frame.assign(low=v - half, high=v + half, kind="interval")


def audit(figures: pd.DataFrame | None = None, claims: pd.DataFrame | None = None,
          approx_rel: float = 0.05) -> pd.DataFrame:
    """Recompute every checkable claim of the report from the report's own figures.

    Parameters
    ----------
    figures : pandas.DataFrame, optional
        The figure table (default: :func:`migstats.datasets.report.figures`).
    claims : pandas.DataFrame, optional
        The claims (default: :func:`load_claims`).
    approx_rel : float, default 0.05
        Relative half-width given to "about"/"almost" figures (see
        :func:`~migstats.analysis.intervals.as_intervals`).

    Returns
    -------
    pandas.DataFrame
        One row per claim: ``claim_id, description, stated`` (the stated
        figure's value, NaN for a relation), ``recomputed`` with
        ``recomputed_low``/``recomputed_high`` (the interval the inputs'
        hedges allow), ``unit``, ``kind`` (point, approximate,
        lower_bound, upper_bound or interval, as in
        :mod:`~migstats.analysis.intervals`), ``tolerance``, ``verdict`` (consistent,
        inconsistent or ambiguous) and a one-line ``explanation``.

    Raises
    ------
    UnknownFigureError
        If a claim names a figure id that the figure table lacks.
    UnknownNameError
        If a claim names an unknown check.
    ValidationError
        If a claim lacks an input role its check needs, lacks a needed
        stated figure, or has a bad parameter (``round_rate=abc``, a
        missing ``from_year``), naming the claims file, row and column.
    ZeroBaseError, UnitError, MissingValueError
        If the figures a claim uses cannot be combined; the message names
        the claim id and its claims row.
    """
    if figures is None:
        from ..datasets.report import figures as report_figures

        figures = report_figures()
    claims = load_claims() if claims is None else claims
    source = claims.attrs.get("path", "claims")
    rows = _figure_rows(figures, approx_rel)
    out = []
    for i, claim in enumerate(claims.to_dict("records"), start=1):
        cid = claim["claim_id"]
        check = CHECKS.get(claim["check"])
        if check is None:
            raise UnknownNameError(f"claim {cid!r}: unknown check {claim['check']!r}")
        at_params = {"file": source, "row": i, "column": "params"}
        params = dict(_pairs(claim.get("params"), "=", f"claim {cid!r}: params", at_params))
        inputs: dict[str, list] = {}
        at_inputs = {"file": source, "row": i, "column": "inputs"}
        for role, fid in _pairs(claim["inputs"], ":", f"claim {cid!r}: inputs", at_inputs):
            half = _half_width(params, role, at_params, cid)
            inputs.setdefault(role, []).append(_widened(_lookup(rows, fid, cid), half))
        lacking = [r for r in check.roles if r not in inputs]
        if lacking:
            raise ValidationError(f"claim {cid!r}: check {claim['check']!r} needs an input with role "
                                  f"{lacking[0]!r}", **at_inputs)
        sid = claim.get("stated_figure")
        sid = sid.strip() if isinstance(sid, str) else ""  # empty cells read as None or NaN
        if check.needs_stated and not sid:
            raise ValidationError(f"claim {cid!r}: check {claim['check']!r} needs a stated figure", file=source,
                                  row=i, column="stated_figure")
        stated = _lookup(rows, sid, cid) if sid else None
        tol = _tolerance(claim.get("tolerance"), source, i)
        try:
            result = check.func(stated, inputs, params, tol)
        except (InputError, UnitError) as exc:
            if type(exc) is InputError:  # a plain InputError from a check is a bad parameter of the claim row
                raise ValidationError(f"claim {cid!r}: {exc}", file=source, row=i, column="params") from None
            # ZeroBaseError, UnitError and kin are about the figures: same class, with the claim named
            raise type(exc)(f"claim {cid!r} ({source}, row {i}): {exc}") from exc
        out.append({
            "claim_id": claim["claim_id"],
            "description": claim["description"],
            "stated": _v(stated) if stated is not None else np.nan,
            "recomputed": result.recomputed,
            "recomputed_low": result.low,
            "recomputed_high": result.high,
            "unit": result.unit,
            "kind": result.kind,
            "tolerance": tol,
            "verdict": result.verdict,
            "explanation": result.explanation,
        })
    return pd.DataFrame(out, columns=AUDIT_COLUMNS)
