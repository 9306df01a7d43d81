"""Growth: changes between periods, compound and log rates, implied values, index numbers.

Rates are fractions (0.07 is 7 per cent) and, unless a name says otherwise,
per year and compound. Every rate's base is the earlier value.

Table helpers take a Series indexed by year, or a long DataFrame with
``year`` and ``value`` columns, split into one series per entity by ``by=``
(default: the entity column found in the table); a ``unit`` column is
converted to one unit per entity.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._deprecation import changed_arguments
from ..errors import EmptyTableError, InputError, SpanError
from .._docstrings import fill_doc
from ._checks import (
    common_unit,
    element_where,
    finite_array,
    key_where,
    label,
    long_table,
    nonzero_base,
    positive_ratio,
    positive_span,
    row_where,
    same_shape,
)

__all__ = [
    "compound_growth_rate",
    "log_growth_rate",
    "implied_value",
    "period_changes",
    "average_growth",
    "index_to_base",
    "fill_from_rates",
]


def _numbers(**named) -> tuple[np.ndarray, ...]:
    """Each argument as a finite float array, all of one shape (scalars broadcast)."""
    return same_shape(**{name: finite_array(x, name) for name, x in named.items()})


def _growth_ratio(start, end, years) -> tuple[np.ndarray, np.ndarray]:
    """``end / start`` and the span, checked for a compound or log rate."""
    s, e, n = _numbers(start=start, end=end, years=years)
    positive_span(n, "years", element_where(years))
    ratio = positive_ratio(e / nonzero_base(s, "start", element_where(start)), "end / start", element_where(end))
    return ratio, n


def _scalar(out: np.ndarray):
    return float(out) if out.ndim == 0 else out


def compound_growth_rate(start, end, years):
    """Average annual compound growth rate between two values.

    ``r = (end / start) ** (1 / years) - 1``, so ``start * (1 + r) ** years
    == end``. The base is ``start`` (the earlier value). ``years`` may be
    any positive number, so irregular gaps (2000 to 2005, 2006 to 2008) are
    fine.

    Parameters
    ----------
    start, end : float or array-like
        Values at the start and the end of the span (same unit).
    years : float or array-like
        Length of the span in years (``year_end - year_start``).

    Returns
    -------
    float or numpy.ndarray
        The rate as a fraction per year.

    Raises
    ------
    SpanError
        If a span is zero or negative.
    ZeroBaseError
        If ``start`` is zero.
    MissingValueError
        If an input is NaN.
    InputError
        If ``end / start`` is zero or negative (no real root), an input is
        infinite or not a number, or the arrays differ in shape.

    See Also
    --------
    log_growth_rate : the continuously compounded rate.
    average_growth : the same rate per entity of a table.

    Examples
    --------
    >>> round(compound_growth_rate(229, 283, 2), 4)   # remittances 2006-2008
    0.1117
    """
    ratio, n = _growth_ratio(start, end, years)
    return _scalar(ratio ** (1.0 / n) - 1.0)


def log_growth_rate(start, end, years=1):
    """Average annual log (continuously compounded) growth rate.

    ``g = ln(end / start) / years``; the base is ``start``. Log rates add up
    over consecutive spans and are symmetric: going back from ``end`` to
    ``start`` gives ``-g``.

    Parameters
    ----------
    start, end : float or array-like
        Values at the start and the end of the span (same unit, same sign).
    years : float or array-like, default 1
        Length of the span in years.

    Returns
    -------
    float or numpy.ndarray
        The log rate per year (0.1 is a log change of 0.1 a year; ``exp(g) - 1``
        is the compound rate).

    Raises
    ------
    SpanError, ZeroBaseError, MissingValueError, InputError
        As :func:`compound_growth_rate`.

    See Also
    --------
    compound_growth_rate : the annual compound rate.

    Examples
    --------
    >>> round(log_growth_rate(229, 283, 2), 4)
    0.1059
    """
    ratio, n = _growth_ratio(start, end, years)
    return _scalar(np.log(ratio) / n)


def implied_value(value, rate, from_year, to_year):
    """The value a stated annual compound rate implies in another year.

    ``value * (1 + rate) ** (to_year - from_year)``: forward when
    ``to_year > from_year``, backward (``value / (1 + rate) ** n``) when it
    is earlier. ``rate`` is a fraction per year whose base is the earlier
    year's value.

    Parameters
    ----------
    value : float or array-like
        The known value, in ``from_year``.
    rate : float or array-like
        Annual compound growth rate as a fraction (0.07 for 7 per cent).
    from_year, to_year : float or array-like
        The year of ``value`` and the year wanted.

    Returns
    -------
    float or numpy.ndarray
        The implied value in ``to_year``, in the unit of ``value``.

    Raises
    ------
    SpanError
        If ``to_year == from_year`` (nothing to imply).
    MissingValueError
        If an input is NaN.
    InputError
        If ``rate <= -1`` (a fall of 100 per cent or more has no inverse),
        an input is infinite or not a number, or the arrays differ in shape.

    See Also
    --------
    fill_from_rates : fill the missing years of a table from stated rates.

    Examples
    --------
    The 2007 remittance total implied by US$283 billion in 2008 and 7 per
    cent growth in 2007-2008:

    >>> round(implied_value(283, 0.07, 2008, 2007), 2)
    264.49
    """
    v, r, y0, y1 = _numbers(value=value, rate=rate, from_year=from_year, to_year=to_year)
    positive_span(np.abs(y1 - y0), "to_year - from_year", element_where(to_year))
    positive_ratio(1.0 + r, "1 + rate", element_where(rate))
    return _scalar(v * (1.0 + r) ** (y1 - y0))


def _sorted(data, by=None, year: str = "year"):
    """The caller's table, checked, in one unit per entity, sorted by entity and year."""
    frame, keys, was_series = long_table(data, by=by, year=year)
    frame = common_unit(frame, keys)
    dup = frame.duplicated(keys + ["year"])
    if dup.any():
        i = int(np.flatnonzero(dup)[0])
        first = int(np.flatnonzero((frame[keys + ["year"]] == frame[keys + ["year"]].iloc[i]).all(axis=1))[0])
        raise InputError(f"{row_where(frame, keys)(i)} repeats the entity and year of row {first + 1}"
                         + ("" if keys else "; a table of several entities needs an entity column (by=)"))
    return frame.sort_values(keys + ["year"], kind="stable").reset_index(drop=True), keys, was_series


def _pair_where(frame: pd.DataFrame, keys: list[str]):
    """Names a row of a pair table by entity and years (``entity_code 'B', 2000 to 2005``)."""
    entity = key_where(frame, keys)
    years = frame["year_start"], frame["year_end"]
    return lambda i: (f"{entity(i)}, " if keys else "") + f"{label(years[0].iloc[i])} to {label(years[1].iloc[i])}"


_NOTES = ("start is zero: no relative change or rate", "start and end have opposite signs: no compound or log rate",
          "end is zero: no log rate")


def _pair_rates(start, end, span, undefined: str, where) -> dict:
    """Relative change, compound and log rate of pairs, NaN (with a note) or an error where they do not exist."""
    if undefined not in ("mark", "raise"):
        raise InputError(f"undefined must be 'mark' or 'raise', got {undefined!r}")
    if undefined == "raise":
        positive_ratio(end / nonzero_base(start, "the start", where), "end / start", where)
    zero_start = start == 0
    safe_start = np.where(zero_start, 1.0, start)
    ratio = np.where(zero_start, np.nan, end / safe_start)
    positive = ratio > 0
    return {
        "relative_change": np.where(zero_start, np.nan, (end - start) / safe_start),
        # a zero end falls by 100 per cent (compound rate -1) but has no logarithm
        "annual_rate": np.where(ratio >= 0, np.abs(ratio) ** (1.0 / span) - 1.0, np.nan),
        "log_rate": np.where(positive, np.log(np.where(positive, ratio, 1.0)) / span, np.nan),
        "note": np.select([zero_start, ratio < 0, ratio == 0], _NOTES, ""),
    }


@fill_doc
@changed_arguments(renamed={"entity": "by"})
def period_changes(data, *, by=None, year: str = "year", undefined: str = "mark") -> pd.DataFrame:
    """Change between each pair of consecutive observed years, per entity.

    Parameters
    ----------
    %(data_by_year)s
    %(by_entity)s
    %(year)s
    %(undefined)s

    Returns
    -------
    pandas.DataFrame
        One row per consecutive pair, with the entity columns and
        ``year_start, year_end, span, start, end, change, relative_change,
        annual_rate, log_rate, note`` (and ``unit``, the unit of ``start``,
        ``end`` and ``change``):

        - ``change = end - start``
        - ``relative_change = (end - start) / start`` (base: the earlier value)
        - ``annual_rate = (end / start) ** (1 / span) - 1`` (compound per year
          over irregular gaps)
        - ``log_rate = ln(end / start) / span``
        - ``note``: empty, or why a measure is NaN.

    Raises
    ------
    EmptyTableError
        If there are no rows, or no entity has two years.
    ZeroBaseError
        With ``undefined="raise"``, if an earlier value is zero (naming the
        entity and years).
    InputError
        With ``undefined="raise"``, if a start and end have opposite signs or
        the end is zero; on a repeated entity and year, or a value or year
        that is not a finite number (naming the caller's row).

    See Also
    --------
    average_growth : one rate per entity between two chosen years.
    compound_growth_rate : the same rate for plain numbers.

    Examples
    --------
    >>> import pandas as pd
    >>> out = period_changes(pd.Series([229.0, 283.0], index=[2006, 2008]))
    >>> round(float(out["annual_rate"].iloc[0]), 4)
    0.1117
    """
    frame, keys, _ = _sorted(data, by, year)
    groups = frame.groupby(keys, sort=False, dropna=False) if keys else [((), frame)]
    parts = []
    for _, g in groups:
        if len(g) < 2:
            continue
        a, b = g.iloc[:-1].reset_index(drop=True), g.iloc[1:].reset_index(drop=True)
        part = a[keys].copy()
        part["year_start"], part["year_end"] = a["year"].to_numpy(), b["year"].to_numpy()
        part["span"] = (b["year"] - a["year"]).to_numpy(dtype=float)
        part["start"], part["end"] = a["value"].to_numpy(dtype=float), b["value"].to_numpy(dtype=float)
        if "unit" in g.columns:
            part["unit"] = a["unit"].to_numpy()
        parts.append(part)
    if not parts:
        raise EmptyTableError("no entity has two years to compare")
    out = pd.concat(parts, ignore_index=True)
    out["change"] = out["end"] - out["start"]
    rates = _pair_rates(out["start"].to_numpy(), out["end"].to_numpy(), out["span"].to_numpy(), undefined,
                        _pair_where(out, keys))
    return out.assign(**rates)


@fill_doc
@changed_arguments(renamed={"entity": "by"}, positional=("year_start", "year_end"))
def average_growth(data, *, year_start=None, year_end=None, by=None, year: str = "year",
                   undefined: str = "mark") -> pd.DataFrame:
    """Average annual compound growth of each entity between two years.

    ``rate = (v[year_end] / v[year_start]) ** (1 / (year_end - year_start)) - 1``,
    base the ``year_start`` value; also ``log_rate = ln(v_end / v_start) /
    span``.

    Parameters
    ----------
    %(data_by_year)s
    year_start, year_end : int, optional
        The two years; by default each entity's first and last observed years.
    %(by_entity)s
    %(year)s
    %(undefined)s

    Returns
    -------
    pandas.DataFrame
        Entity columns and ``year_start, year_end, span, start, end, rate,
        log_rate, note`` (and ``unit``, that of ``start`` and ``end``).

    Raises
    ------
    SpanError
        If ``year_end <= year_start``, or an entity has a single year
        (naming the entity).
    InputError
        If an entity has no value for a requested year; with
        ``undefined="raise"``, if its start and end differ in sign or the
        end is zero.
    ZeroBaseError
        With ``undefined="raise"``, if an entity's start value is zero
        (naming the entity and years).

    See Also
    --------
    period_changes : the change between every pair of consecutive years.
    compound_growth_rate : the same rate for plain numbers.

    Examples
    --------
    Remittances to developing countries, US$229 billion in 2006 and US$283
    billion in 2008:

    >>> import pandas as pd
    >>> out = average_growth(pd.Series([229.0, 251.0, 283.0], index=[2006, 2007, 2008]))
    >>> round(float(out["rate"].iloc[0]), 4), float(out["span"].iloc[0])
    (0.1117, 2.0)
    """
    frame, keys, _ = _sorted(data, by, year)
    groups = frame.groupby(keys, sort=False, dropna=False) if keys else [((), frame)]
    rows = []
    for key, g in groups:
        who = f" for {', '.join(f'{k} {label(v)}' for k, v in zip(keys, key))}" if keys else ""
        years = g.set_index("year")["value"]
        y0 = years.index[0] if year_start is None else year_start
        y1 = years.index[-1] if year_end is None else year_end
        for y in (y0, y1):
            if y not in years.index:
                raise InputError(f"no value in {y}{who}")
        if y1 <= y0:
            raise SpanError(f"{y0} to {y1}{who}: a growth rate needs a later end year"
                            + (" (the entity has a single year)" if len(years) == 1 else ""))
        row = dict(zip(keys, key))
        row.update(year_start=y0, year_end=y1, span=float(y1 - y0), start=float(years[y0]), end=float(years[y1]))
        if "unit" in g.columns:
            row["unit"] = g["unit"].iloc[0]
        rows.append(row)
    out = pd.DataFrame(rows)
    rates = _pair_rates(out["start"].to_numpy(), out["end"].to_numpy(), out["span"].to_numpy(), undefined,
                        _pair_where(out, keys))
    return out.assign(rate=rates["annual_rate"], log_rate=rates["log_rate"], note=rates["note"])


@fill_doc
@changed_arguments(renamed={"base": "scale", "entity": "by"}, positional=("base",))
def index_to_base(data, base_year, *, scale: float = 100.0, by=None, year: str = "year"):
    """Index numbers: each value relative to its entity's value in ``base_year``.

    ``index = scale * value / value[base_year]`` (the base, the denominator,
    is the entity's ``base_year`` value; with ``scale=100`` an index of 112
    means 12 per cent above it).

    Parameters
    ----------
    %(data_by_year)s
    base_year : int
        The year whose value is the base.
    scale : float, default 100
        The value the index takes in the base year.
    %(by_entity)s
    %(year)s

    Returns
    -------
    pandas.Series or pandas.DataFrame
        A Series (indexed by year) for Series input, else the table, sorted
        by entity and year, with a dimensionless ``index`` column added
        (``unit`` stays the unit of ``value``, converted to one unit per
        entity).

    Raises
    ------
    InputError
        If an entity has no value in ``base_year``.
    ZeroBaseError
        If a base-year value is zero (naming the entity).

    See Also
    --------
    period_changes : changes between consecutive years.

    Examples
    --------
    >>> import pandas as pd
    >>> index_to_base(pd.Series([229.0, 283.0], index=[2006, 2008]), 2006).round(2).tolist()
    [100.0, 123.58]
    """
    frame, keys, was_series = _sorted(data, by, year)
    at_base = frame[frame["year"] == base_year].reset_index(drop=True)
    if keys:
        base_values = at_base.set_index(keys)["value"]
        lookup = frame.set_index(keys).index
        missing = lookup.difference(base_values.index)
        if len(missing):
            raise InputError(f"no value in base year {base_year} for {missing[0]!r}")
        nonzero_base(base_values.to_numpy(), f"the {base_year} value", key_where(at_base, keys))
        denom = base_values.reindex(lookup).to_numpy()
    else:
        if at_base.empty:
            raise InputError(f"no value in base year {base_year}")
        denom = np.full(len(frame), nonzero_base(at_base["value"].iloc[0], f"the {base_year} value"))
    idx = scale * frame["value"].to_numpy() / denom
    if was_series:
        return pd.Series(idx, index=frame["year"].to_numpy(), name="index")
    out = frame.copy()
    out["index"] = idx
    return out


def _rate_where(rates: pd.DataFrame, keys: list[str]):
    entity = key_where(rates, keys)

    def where(i: int) -> str:
        r = rates.iloc[i]
        who = f"{entity(i)}, " if keys else ""
        return f"rates row {i + 1} ({who}{label(r['year_start'])}-{label(r['year_end'])}, rate {r['rate']})"
    return where


@fill_doc
@changed_arguments(renamed={"entity": "by"})
def fill_from_rates(data, rates: pd.DataFrame, *, by=None, year: str = "year", rtol: float = 1e-6) -> pd.DataFrame:
    """Fill missing years from stated growth rates, whatever the order of the rates.

    A rate (entity, ``year_start``, ``year_end``, ``rate``) with exactly one
    known end implies the other by :func:`implied_value`: forward
    ``v_start * (1 + rate) ** span`` or backward ``v_end / (1 + rate) **
    span``. ``rate`` is a fraction per year whose base is the earlier year.
    Filling goes in rounds: each round collects every value that any rate
    implies from the values known so far, so filled values feed further
    rates. When two rates imply values for the same year that differ by more
    than ``rtol`` (relative to the larger), or a rate contradicts an implied
    value it touches, the rates disagree and an error names both. A rate
    between two *observed* values is not used: checking it is
    :func:`~migstats.analysis.audit`'s job.

    Parameters
    ----------
    %(data_by_year)s
    rates : pandas.DataFrame
        Columns ``year_start, year_end, rate`` and the same entity
        column(s) as ``data`` (if any).
    %(by_entity)s
    %(year)s
    rtol : float, default 1e-6
        Relative difference up to which two implied values count as the same
        (then the mean of them is used).

    Returns
    -------
    pandas.DataFrame
        The observed rows plus the implied ones, sorted, with a ``method``
        column: ``"observed"`` or ``"implied"``.

    Raises
    ------
    InputError
        If ``rates`` is not a DataFrame or lacks a column, or two rates
        imply different values for one year (naming both rates rows).
    EmptyTableError
        If ``rates`` has no rows.
    SpanError
        If a rate's ``year_end`` is not after its ``year_start``.

    See Also
    --------
    implied_value : the value one rate implies, for plain numbers.

    Examples
    --------
    >>> import pandas as pd
    >>> totals = pd.Series([283.0], index=[2008])
    >>> filled = fill_from_rates(totals, pd.DataFrame({"year_start": [2007], "year_end": [2008], "rate": [0.07]}))
    >>> [(int(y), round(float(v), 2), m) for y, v, m in zip(filled["year"], filled["value"], filled["method"])]
    [(2007, 264.49, 'implied'), (2008, 283.0, 'observed')]
    """
    if not isinstance(rates, pd.DataFrame):
        raise InputError(f"rates must be a DataFrame with year_start, year_end and rate columns, "
                         f"got {type(rates).__name__}")
    frame, keys, _ = _sorted(data, by, year)
    for col in ["year_start", "year_end", "rate", *keys]:
        if col not in rates.columns:
            raise InputError(f"the rates table has no {col!r} column")
    if rates.empty:
        raise EmptyTableError("the rates table has no rows")
    rates = rates.reset_index(drop=True)
    where = _rate_where(rates, keys)
    for col in ("year_start", "year_end", "rate"):
        finite_array(rates[col].to_numpy(), f"rates column {col!r}", where)
    positive_span((rates["year_end"] - rates["year_start"]).to_numpy(dtype=float), "the rate's span", where)
    positive_ratio(1.0 + rates["rate"].to_numpy(dtype=float), "1 + rate", where)
    frame = frame.assign(method="observed")
    known = {tuple(r[k] for k in keys) + (r["year"],): r for r in frame.to_dict("records")}
    source: dict = {}  # implied key -> rates row that implied it
    records = rates.to_dict("records")

    def implied_from(r, ent):
        a, b = known.get(ent + (r["year_start"],)), known.get(ent + (r["year_end"],))
        if (a is None) == (b is None):
            return None
        src, target = (a, r["year_end"]) if a is not None else (b, r["year_start"])
        return target, src, implied_value(src["value"], r["rate"], src["year"], target)

    def differ(x, y):
        return abs(x - y) > rtol * max(abs(x), abs(y))

    while True:
        candidates: dict = {}
        for i, r in enumerate(records):
            ent = tuple(r[k] for k in keys)
            hit = implied_from(r, ent)
            if hit is not None:
                target, src, value = hit
                candidates.setdefault(ent + (target,), []).append((i, src, value))
        if not candidates:
            break
        for key, found in candidates.items():
            (i, src, v), *rest = found
            for j, _, w in rest:
                if differ(v, w):
                    raise InputError(f"{where(i)} implies {v:.6g} in {key[-1]} but {where(j)} implies {w:.6g}; "
                                     "the rates disagree")
            known[key] = dict(src, year=key[-1], method="implied", value=float(np.mean([x[2] for x in found])))
            source[key] = i
    # a rate that touches an implied value must agree with it (otherwise the rates order would decide)
    for j, r in enumerate(records):
        ent = tuple(r[k] for k in keys)
        a, b = known.get(ent + (r["year_start"],)), known.get(ent + (r["year_end"],))
        if a is None or b is None or (a["method"] == "observed" and b["method"] == "observed"):
            continue
        expected = implied_value(a["value"], r["rate"], a["year"], b["year"])
        if differ(expected, b["value"]):
            implied_key = ent + ((r["year_end"],) if b["method"] == "implied" else (r["year_start"],))
            raise InputError(f"{where(j)} implies {expected:.6g} in {r['year_end']}, but {where(source[implied_key])} "
                             f"gives {b['value']:.6g}; the rates disagree")
    out = pd.DataFrame(list(known.values()))
    return out.sort_values(keys + ["year"], kind="stable").reset_index(drop=True)
