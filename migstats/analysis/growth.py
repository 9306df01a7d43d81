"""Growth: changes between periods, compound and log rates, implied values, index numbers.

Rates are fractions (0.07 is 7 per cent) and, unless a name says otherwise,
per year and compound. Every rate's base is the earlier value.

Table helpers take a Series indexed by year, or a long DataFrame with
``year`` and ``value`` columns, grouped by ``entity_code`` (or ``entity``)
when present; a ``unit`` column is converted to one unit per entity.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import EmptyTableError, InputError
from ._checks import common_unit, finite_array, long_table, nonzero_base, positive_ratio, positive_span

__all__ = [
    "compound_growth_rate",
    "log_growth_rate",
    "implied_value",
    "period_changes",
    "average_growth",
    "index_to_base",
    "fill_from_rates",
]


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
        If ``end / start`` is negative (no real root).

    Examples
    --------
    >>> round(compound_growth_rate(229, 283, 2), 4)   # remittances 2006-2008
    0.1117
    """
    s, e, n = (finite_array(x, name) for x, name in ((start, "start"), (end, "end"), (years, "years")))
    positive_span(n, "years")
    ratio = positive_ratio(e / nonzero_base(s, "start"), "end / start")
    out = ratio ** (1.0 / n) - 1.0
    return float(out) if out.ndim == 0 else out


def log_growth_rate(start, end, years=1):
    """Average annual log (continuously compounded) growth rate.

    ``g = ln(end / start) / years``; the base is ``start``. Log rates add up
    over consecutive spans and are symmetric: going back from ``end`` to
    ``start`` gives ``-g``.

    Raises
    ------
    SpanError, ZeroBaseError, MissingValueError, InputError
        As :func:`compound_growth_rate`.
    """
    s, e, n = (finite_array(x, name) for x, name in ((start, "start"), (end, "end"), (years, "years")))
    positive_span(n, "years")
    out = np.log(positive_ratio(e / nonzero_base(s, "start"), "end / start")) / n
    return float(out) if out.ndim == 0 else out


def implied_value(value, rate, from_year, to_year):
    """The value a stated annual compound rate implies in another year.

    ``value * (1 + rate) ** (to_year - from_year)``: forward when
    ``to_year > from_year``, backward (``value / (1 + rate) ** n``) when it
    is earlier. ``rate`` is a fraction per year whose base is the earlier
    year's value.

    Examples
    --------
    The 2007 remittance total implied by US$283 billion in 2008 and 7 per
    cent growth in 2007-2008:

    >>> round(implied_value(283, 0.07, 2008, 2007), 2)
    264.49

    Raises
    ------
    SpanError
        If ``to_year == from_year`` (nothing to imply).
    MissingValueError
        If an input is NaN.
    InputError
        If ``rate <= -1`` (a fall of 100 per cent or more has no inverse).
    """
    v, r, y0, y1 = (finite_array(x, n) for x, n in ((value, "value"), (rate, "rate"), (from_year, "from_year"),
                                                     (to_year, "to_year")))
    positive_span(np.abs(y1 - y0), "to_year - from_year")
    positive_ratio(1.0 + r, "1 + rate")
    out = v * (1.0 + r) ** (y1 - y0)
    return float(out) if out.ndim == 0 else out


def _sorted(data):
    frame, keys, was_series = long_table(data)
    frame = common_unit(frame, keys)
    dup = frame.duplicated(keys + ["year"])
    if dup.any():
        i = int(np.flatnonzero(dup)[0])
        raise InputError(f"row {i + 1}: year {frame['year'].iloc[i]} appears twice for the same entity")
    return frame.sort_values(keys + ["year"], kind="stable").reset_index(drop=True), keys, was_series


def period_changes(data) -> pd.DataFrame:
    """Change between each pair of consecutive observed years, per entity.

    Parameters
    ----------
    data : pandas.Series or pandas.DataFrame
        Values indexed by year, or a long table (``year``, ``value``,
        optional ``entity_code``/``entity`` and ``unit``).

    Returns
    -------
    pandas.DataFrame
        One row per consecutive pair, with the entity columns and
        ``year_start, year_end, span, start, end, change, relative_change,
        annual_rate, log_rate`` (and ``unit``, the unit of ``start``, ``end``
        and ``change``):

        - ``change = end - start``
        - ``relative_change = (end - start) / start`` (base: the earlier value)
        - ``annual_rate = (end / start) ** (1 / span) - 1`` (compound per year
          over irregular gaps)
        - ``log_rate = ln(end / start) / span``

    Raises
    ------
    EmptyTableError
        If there are no rows, or no entity has two years.
    ZeroBaseError
        If an earlier value is zero.
    """
    frame, keys, _ = _sorted(data)
    groups = frame.groupby(keys, sort=False) if keys else [((), frame)]
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
    out["relative_change"] = out["change"] / nonzero_base(out["start"].to_numpy(), "start")
    out["annual_rate"] = compound_growth_rate(out["start"], out["end"], out["span"])
    out["log_rate"] = log_growth_rate(out["start"], out["end"], out["span"])
    return out


def average_growth(data, year_start=None, year_end=None) -> pd.DataFrame:
    """Average annual compound growth of each entity between two years.

    ``rate = (v[year_end] / v[year_start]) ** (1 / (year_end - year_start)) - 1``,
    base the ``year_start`` value; also ``log_rate = ln(v_end / v_start) /
    span``. Without years, each entity's first and last observed years.

    Returns
    -------
    pandas.DataFrame
        Entity columns and ``year_start, year_end, span, start, end, rate,
        log_rate`` (and ``unit``, that of ``start`` and ``end``).

    Raises
    ------
    SpanError
        If ``year_end <= year_start`` (or an entity has a single year).
    InputError
        If an entity has no value for a requested year.
    """
    frame, keys, _ = _sorted(data)
    groups = frame.groupby(keys, sort=False) if keys else [((), frame)]
    rows = []
    for key, g in groups:
        years = g.set_index("year")["value"]
        y0 = years.index[0] if year_start is None else year_start
        y1 = years.index[-1] if year_end is None else year_end
        for y in (y0, y1):
            if y not in years.index:
                raise InputError(f"no value for year {y}" + (f" of {key}" if keys else ""))
        row = dict(zip(keys, key if isinstance(key, tuple) else (key,)))
        row.update(year_start=y0, year_end=y1, span=float(y1 - y0), start=float(years[y0]), end=float(years[y1]))
        if "unit" in g.columns:
            row["unit"] = g["unit"].iloc[0]
        rows.append(row)
    out = pd.DataFrame(rows)
    out["rate"] = compound_growth_rate(out["start"], out["end"], out["span"])
    out["log_rate"] = log_growth_rate(out["start"], out["end"], out["span"])
    return out


def index_to_base(data, base_year, base: float = 100.0):
    """Index numbers: each value relative to its entity's value in ``base_year``.

    ``index = base * value / value[base_year]`` (the base is the entity's
    ``base_year`` value; with ``base=100`` an index of 112 means 12 per cent
    above it).

    Returns
    -------
    pandas.Series or pandas.DataFrame
        A Series (indexed by year) for Series input, else the table with a
        dimensionless ``index`` column added (``unit`` stays the unit of
        ``value``, converted to one unit per entity).

    Raises
    ------
    InputError
        If an entity has no value in ``base_year``.
    ZeroBaseError
        If a base-year value is zero.
    """
    frame, keys, was_series = _sorted(data)
    at_base = frame[frame["year"] == base_year]
    if keys:
        base_values = at_base.set_index(keys)["value"]
        lookup = frame.set_index(keys).index
        missing = lookup.difference(base_values.index)
        if len(missing):
            raise InputError(f"no value in base year {base_year} for {missing[0]!r}")
        denom = base_values.reindex(lookup).to_numpy()
    else:
        if at_base.empty:
            raise InputError(f"no value in base year {base_year}")
        denom = np.full(len(frame), at_base["value"].iloc[0])
    idx = base * frame["value"].to_numpy() / nonzero_base(denom, f"the {base_year} value")
    if was_series:
        return pd.Series(idx, index=frame["year"].to_numpy(), name="index")
    out = frame.copy()
    out["index"] = idx
    return out


def fill_from_rates(data, rates: pd.DataFrame) -> pd.DataFrame:
    """Fill missing years from stated growth rates.

    For each rate row (entity, ``year_start``, ``year_end``, ``rate``) where
    exactly one end of the span has a value, the other is implied by
    :func:`implied_value`: forward ``v_start * (1 + rate) ** span``, or
    backward ``v_end / (1 + rate) ** span``. ``rate`` is a fraction per year
    whose base is the earlier year. Filled values can feed further rates
    (chains are followed until nothing changes). Where both ends are known
    the rate is not used: checking it is :func:`~migstats.analysis.audit`'s job.

    Parameters
    ----------
    data : pandas.Series or pandas.DataFrame
        Observed values (as in :func:`period_changes`).
    rates : pandas.DataFrame
        Columns ``year_start, year_end, rate`` and the same entity column
        as ``data`` (if any).

    Returns
    -------
    pandas.DataFrame
        The observed rows plus the implied ones, sorted, with a ``method``
        column: ``"observed"`` or ``"implied"``.

    Examples
    --------
    >>> totals = pd.Series([283.0], index=[2008])
    >>> filled = fill_from_rates(totals, pd.DataFrame({"year_start": [2007], "year_end": [2008], "rate": [0.07]}))
    >>> [(int(y), round(float(v), 2), m) for y, v, m in zip(filled["year"], filled["value"], filled["method"])]
    [(2007, 264.49, 'implied'), (2008, 283.0, 'observed')]
    """
    frame, keys, _ = _sorted(data)
    for col in ["year_start", "year_end", "rate", *keys]:
        if col not in rates.columns:
            raise InputError(f"the rates table has no {col!r} column")
    if rates.empty:
        raise EmptyTableError("the rates table has no rows")
    for col in ("year_start", "year_end", "rate"):
        finite_array(rates[col], f"rates column {col!r}")
    positive_span((rates["year_end"] - rates["year_start"]).to_numpy(dtype=float), "rate span")
    frame = frame.assign(method="observed")
    known = {tuple(r[k] for k in keys) + (r["year"],): r for r in frame.to_dict("records")}
    changed = True
    while changed:
        changed = False
        for r in rates.to_dict("records"):
            ent = tuple(r[k] for k in keys)
            a, b = known.get(ent + (r["year_start"],)), known.get(ent + (r["year_end"],))
            if (a is None) == (b is None):
                continue
            src, target = (a, r["year_end"]) if a is not None else (b, r["year_start"])
            new = dict(src, year=target, method="implied",
                       value=implied_value(src["value"], r["rate"], src["year"], target))
            known[ent + (target,)] = new
            changed = True
    out = pd.DataFrame(list(known.values()))
    return out.sort_values(keys + ["year"], kind="stable").reset_index(drop=True)
