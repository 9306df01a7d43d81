"""Hedged figures as intervals, and arithmetic that carries the hedge through.

A report rarely states a bare number: it says "about 5 per cent", "almost 26
million", "more than US$20 billion", "US$340 to US$350". migstats represents
such a figure as one row with the columns

``value``
    the number as stated (the midpoint for a stated range);
``low``, ``high``
    what the statement allows: ``-inf``/``inf`` where it sets no limit;
``kind``
    ``point`` (exact), ``approximate`` (about, almost, some ...),
    ``lower_bound`` (more than, at least), ``upper_bound`` (less than, up to)
    or ``interval`` (a stated range, or any finite interval computed from
    one);
``approximate``
    True if a hedged ("about", "almost") figure went into it;
``qualifier``
    the hedge as stated (inputs only; derived rows say ``derived``).

:func:`propagate` evaluates any function that is monotone in each argument
on such rows: the point result from the values, and ``low``/``high`` as the
smallest and largest result over the corners of the input box. That is exact
interval arithmetic for ``+ - * /`` and for growth rates, shares and ratios,
which are monotone in each input.
"""

from __future__ import annotations

import itertools
import operator

import numpy as np
import pandas as pd

from .._deprecation import changed_arguments, renamed_function
from ..errors import InputError, MissingValueError, UnitError, ZeroBaseError
from ..units import parse_unit
from ._checks import INTERVAL_COLUMNS, finite_array, in_unit
from .._docstrings import fill_doc

__all__ = [
    "QUALIFIER_KIND",
    "KINDS",
    "as_intervals",
    "hedged_figure",
    "propagate",
    "interval_add",
    "interval_subtract",
    "interval_multiply",
    "interval_divide",
    "rounding_interval",
    # deprecated aliases (one release)
    "estimate",
    "add",
    "subtract",
    "multiply",
    "divide",
]

#: what each qualifier of the report figure table means for the interval
QUALIFIER_KIND = {
    "exact": "point",
    "about": "approximate",
    "approximately": "approximate",
    "some": "approximate",
    "almost": "approximate",
    "nearly": "approximate",
    "over": "lower_bound",
    "more_than": "lower_bound",
    "at_least": "lower_bound",
    "less_than": "upper_bound",
    "up_to": "upper_bound",
    "range": "interval",
}
KINDS = ("point", "approximate", "lower_bound", "upper_bound", "interval")
#: qualifiers whose stated number is itself excluded ("more than 20" is not 20)
STRICT_LOW = frozenset({"over", "more_than"})
STRICT_HIGH = frozenset({"less_than", "almost", "nearly"})
_BELOW_ONLY = frozenset({"almost", "nearly"})


@fill_doc
@changed_arguments(renamed={"frame": "data"}, positional=("approx_rel",))
def as_intervals(data: pd.DataFrame, *, approx_rel: float = 0.05) -> pd.DataFrame:
    """Add interval columns to a table of hedged figures.

    Parameters
    ----------
    data : pandas.DataFrame
        Columns ``value`` and ``qualifier`` (one of :data:`QUALIFIER_KIND`),
        and ``low``/``high`` for stated ranges (as in the report figure
        table, where a range's qualifier keeps its hedge: "some US$340 to
        US$350" is ``some`` with low 340 and high 350; ``range`` marks a
        plain range in user data). Rows without a ``qualifier`` column count
        as ``exact``.
    approx_rel : float, default 0.05
        Relative half-width given to approximate figures: "about v" becomes
        ``[v (1 - approx_rel), v (1 + approx_rel)]`` and "almost/nearly v"
        becomes ``[v (1 - approx_rel), v]`` (almost 26 is below 26). It is a
        convention, not something the report states; 0 keeps approximate
        figures as flagged points.

    Returns
    -------
    pandas.DataFrame
        A copy with ``value, low, high, kind, approximate`` set:
        exact ``[v, v]``; more than / over / at least ``[v, inf]``; less than
        / up to ``[-inf, v]``; range ``[low, high]`` with ``value`` the
        midpoint ``(low + high) / 2`` when no value is stated; a hedged
        range is an ``interval`` flagged ``approximate``.

    Raises
    ------
    InputError
        On an unknown qualifier, a negative ``approx_rel``, a range whose
        low exceeds its high, or a stated value outside its stated range
        (each naming the 1-based row).
    MissingValueError
        If a value (or a range end) is missing.

    See Also
    --------
    hedged_figure : one hedged figure as a one-row interval table.
    propagate : carry the intervals through a calculation.

    Examples
    --------
    >>> import pandas as pd
    >>> t = as_intervals(pd.DataFrame({"value": [26.0, 20.0], "qualifier": ["almost", "more_than"]}))
    >>> t[["low", "high", "kind"]].values.tolist()
    [[24.7, 26.0, 'approximate'], [20.0, inf, 'lower_bound']]
    """
    if approx_rel < 0:
        raise InputError(f"approx_rel must be >= 0, got {approx_rel}")
    out = data.reset_index(drop=True).copy()
    qual = out["qualifier"].astype(object) if "qualifier" in out.columns else pd.Series("exact", index=out.index)
    unknown = sorted(set(qual) - set(QUALIFIER_KIND))
    if unknown:
        raise InputError(f"unknown qualifier {unknown[0]!r}; known: {', '.join(QUALIFIER_KIND)}")
    value = np.array(out["value"], dtype=float) if "value" in out.columns else np.full(len(out), np.nan)
    given_low = out["low"].to_numpy(dtype=float) if "low" in out.columns else np.full(len(out), np.nan)
    given_high = out["high"].to_numpy(dtype=float) if "high" in out.columns else np.full(len(out), np.nan)
    low, high = value.copy(), value.copy()
    kinds, approximate = [], []
    for i, q in enumerate(qual):
        # a stated range is known by its ends; its qualifier keeps the hedge ("some 340 to 350")
        stated_range = q == "range" or not (np.isnan(given_low[i]) and np.isnan(given_high[i]))
        kind = "interval" if stated_range else QUALIFIER_KIND[q]
        kinds.append(kind)
        approximate.append(QUALIFIER_KIND[q] == "approximate")
        if kind == "interval":
            if np.isnan(given_low[i]) or np.isnan(given_high[i]):
                raise MissingValueError(f"row {i + 1}: a range needs both low and high")
            if given_low[i] > given_high[i]:
                raise InputError(f"row {i + 1}: range low {given_low[i]} exceeds high {given_high[i]}")
            low[i], high[i] = given_low[i], given_high[i]
            if np.isnan(value[i]):
                value[i] = (low[i] + high[i]) / 2
            elif not low[i] <= value[i] <= high[i]:
                raise InputError(f"row {i + 1}: value {value[i]} lies outside its stated range "
                                 f"[{low[i]}, {high[i]}]")
            continue
        if np.isnan(value[i]):
            raise MissingValueError(f"row {i + 1}: value is missing for a {q!r} figure")
        if kind == "approximate":
            low[i] = value[i] - abs(value[i]) * approx_rel
            high[i] = value[i] if q in _BELOW_ONLY else value[i] + abs(value[i]) * approx_rel
        elif kind == "lower_bound":
            high[i] = np.inf
        elif kind == "upper_bound":
            low[i] = -np.inf
    out["value"], out["low"], out["high"] = value, low, high
    out["qualifier"] = list(qual)
    out["kind"] = kinds
    out["approximate"] = approximate
    return out


@fill_doc
def hedged_figure(value=np.nan, qualifier: str = "exact", *, low=np.nan, high=np.nan, unit: str | None = None,
                  approx_rel: float = 0.05) -> pd.DataFrame:
    """One hedged figure ("more than US$20 billion") as a one-row interval table.

    The row is what :func:`as_intervals` makes of the figure: the stated
    ``value``, the ``low``/``high`` its hedge allows and its ``kind``. (This
    builds a figure; it estimates nothing: flow estimation is
    :mod:`migstats.flows`.)

    Parameters
    ----------
    value : float
        The stated number (may be omitted for a ``range``).
    qualifier : str, default "exact"
        The hedge, one of :data:`QUALIFIER_KIND`.
    low, high : float, optional
        Ends of a stated range.
    unit : str, optional
        Unit string (checked with the migstats registry), kept in a ``unit`` column.
    %(approx_rel)s

    Returns
    -------
    pandas.DataFrame
        One row with ``value, low, high, qualifier, kind, approximate`` (and
        ``unit``), as :func:`as_intervals` makes them.

    Raises
    ------
    InputError
        As :func:`as_intervals` (a value outside its stated range, an unknown qualifier).
    UnitError
        If ``unit`` does not parse.

    See Also
    --------
    as_intervals : the same for a table of figures.
    propagate : carry the intervals through a calculation.

    Examples
    --------
    >>> row = hedged_figure(20, "more_than", unit="billion USD").iloc[0]
    >>> float(row["low"]), float(row["high"]), row["kind"]
    (20.0, inf, 'lower_bound')
    """
    row = {"value": [float(value)], "low": [float(low)], "high": [float(high)], "qualifier": [qualifier]}
    if unit is not None:
        parse_unit(unit)
        row["unit"] = [unit]
    return as_intervals(pd.DataFrame(row), approx_rel=approx_rel)


def _columns(frame: pd.DataFrame, n: int, position: int) -> dict:
    missing = [c for c in INTERVAL_COLUMNS if c not in frame.columns]
    if missing:
        raise InputError(f"input {position} lacks interval column {missing[0]!r}; build it with as_intervals()")
    if len(frame) not in (1, n):
        raise InputError(f"input {position} has {len(frame)} rows; expected 1 or {n}")
    cols = {}
    for c in ("value", "low", "high"):
        arr = frame[c].to_numpy(dtype=float)
        if np.isnan(arr).any():
            raise MissingValueError(f"input {position}: column {c!r} is missing (NaN)")
        cols[c] = np.broadcast_to(arr, (n,))
    cols["kind"] = np.broadcast_to(frame["kind"].to_numpy(dtype=object), (n,))
    cols["approximate"] = np.broadcast_to(frame["approximate"].to_numpy(dtype=bool), (n,))
    return cols


def _result_kind(low, high, kinds, approx) -> np.ndarray:
    bounded_input = np.isin(kinds, ["interval", "lower_bound", "upper_bound"]).any(axis=0)
    kind = np.where(bounded_input, "interval", np.where(approx.any(axis=0), "approximate", "point"))
    kind = np.where(np.isposinf(high) & np.isfinite(low), "lower_bound", kind)
    kind = np.where(np.isneginf(low) & np.isfinite(high), "upper_bound", kind)
    return kind.astype(object)


def propagate(func, *inputs: pd.DataFrame, unit: str | None = None) -> pd.DataFrame:
    """Evaluate ``func`` on hedged inputs, carrying their intervals and flags.

    Parameters
    ----------
    func : callable
        A vectorised function of as many arrays as there are inputs,
        monotone in each argument over the input intervals (true of sums,
        differences, products and quotients away from zero, growth rates,
        shares and relative differences).
    *inputs : pandas.DataFrame
        Interval tables (from :func:`as_intervals` or :func:`hedged_figure`),
        each with 1 row (broadcast) or the common number of rows.
    unit : str, optional
        The unit of the result, stored in a ``unit`` column.

    Returns
    -------
    pandas.DataFrame
        ``value = func(values)``; ``low``/``high`` the min/max of ``func``
        over the 2**k corners of the input box (and the point result);
        ``kind``: ``lower_bound``/``upper_bound`` when one end is infinite,
        ``interval`` when any input was a range or bound (with both ends
        infinite when the bounds leave the result open, as for "more than
        a" minus "more than b"), else
        ``approximate`` when any input was approximate, else ``point``;
        ``approximate`` True when any input was; ``qualifier`` "derived".
        Corner evaluations that are undefined (``0 * inf``) are skipped.

    Raises
    ------
    InputError
        If an input lacks the interval columns or has a wrong row count.
    MissingValueError
        If an input value is NaN, or the point result is NaN.
    InputError
        If the point result is infinite (say a division by an exact zero):
        a stated figure is never infinite, only the bounds of a hedge are.

    See Also
    --------
    interval_add, interval_subtract, interval_multiply, interval_divide : the four operations, with units.

    Examples
    --------
    The 2007 remittance total implied by "US$283 billion" in 2008 and "about
    7 per cent" growth:

    >>> r = propagate(lambda v, g: v / (1 + g), hedged_figure(283), hedged_figure(0.07, "about"))
    >>> r[["value", "low", "high", "kind"]].round(2).values.tolist()
    [[264.49, 263.62, 265.35, 'approximate']]
    """
    if not inputs:
        raise InputError("propagate needs at least one input")
    n = max(len(f) for f in inputs)
    cols = [_columns(f, n, i + 1) for i, f in enumerate(inputs)]
    with np.errstate(all="ignore"):
        point = np.broadcast_to(np.asarray(func(*[c["value"] for c in cols]), dtype=float), (n,))
        corners = [
            np.broadcast_to(np.asarray(func(*[c[end] for c, end in zip(cols, ends)]), dtype=float), (n,))
            for ends in itertools.product(("low", "high"), repeat=len(cols))
        ]
    if np.isnan(point).any():
        raise MissingValueError(f"the result is undefined (NaN) at row {int(np.flatnonzero(np.isnan(point))[0]) + 1}")
    if np.isinf(point).any():
        row = int(np.flatnonzero(np.isinf(point))[0])
        raise InputError(f"the result is infinite ({point[row]}) at row {row + 1}; is a divisor zero?")
    stack = np.vstack(corners + [point])
    low, high = np.nanmin(stack, axis=0), np.nanmax(stack, axis=0)
    kinds = np.vstack([c["kind"] for c in cols])
    approx = np.vstack([c["approximate"] for c in cols])
    out = pd.DataFrame(
        {
            "value": point,
            "low": low,
            "high": high,
            "kind": _result_kind(low, high, kinds, approx),
            "approximate": approx.any(axis=0),
            "qualifier": "derived",
        }
    )
    if unit is not None:
        out["unit"] = unit
    return out


def _units(a: pd.DataFrame, b: pd.DataFrame) -> tuple[str | None, str | None]:
    ua = a["unit"].iloc[0] if "unit" in a.columns else None
    ub = b["unit"].iloc[0] if "unit" in b.columns else None
    for frame, u in ((a, ua), (b, ub)):
        if u is not None and frame["unit"].nunique() > 1:
            raise UnitError(f"an interval input mixes units ({', '.join(map(str, frame['unit'].unique()))})")
    if (ua is None) != (ub is None):
        raise UnitError("one input has a unit and the other has none; give both or neither")
    return ua, ub


def _same_unit(op, a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
    """``op(a, b)`` after converting ``b`` to ``a``'s unit (for sums and differences)."""
    ua, ub = _units(a, b)
    b = in_unit(b, ua) if ua else b
    return propagate(op, a, b, unit=ua)


@fill_doc
def interval_add(a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
    """``a + b`` on interval tables: ``[a_low + b_low, a_high + b_high]``, in ``a``'s unit.

    Parameters
    ----------
    %(interval_pair)s

    Returns
    -------
    %(interval_result)s

    Raises
    ------
    UnitError
        If the units have different dimensions.

    See Also
    --------
    propagate : any monotone function of interval tables.

    Examples
    --------
    >>> s = interval_add(hedged_figure(20, "more_than", unit="billion USD"), hedged_figure(283, unit="billion USD"))
    >>> s[["value", "low", "high", "kind", "unit"]].values.tolist()
    [[303.0, 303.0, inf, 'lower_bound', 'billion USD']]
    """
    return _same_unit(operator.add, a, b)


@fill_doc
def interval_subtract(a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
    """``a - b`` on interval tables: ``[a_low - b_high, a_high - b_low]``, in ``a``'s unit.

    Parameters
    ----------
    %(interval_pair)s

    Returns
    -------
    %(interval_result)s

    Raises
    ------
    UnitError
        If the units have different dimensions.

    See Also
    --------
    propagate : any monotone function of interval tables.

    Examples
    --------
    >>> d = interval_subtract(hedged_figure(26, "almost"), hedged_figure(21))
    >>> d[["value", "low", "high", "kind"]].round(2).values.tolist()
    [[5.0, 3.7, 5.0, 'approximate']]
    """
    return _same_unit(operator.sub, a, b)


@fill_doc
def interval_multiply(a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
    """``a * b`` on interval tables: min/max of the four endpoint products; unit ``a·b``.

    Parameters
    ----------
    %(interval_pair)s

    Returns
    -------
    %(interval_result)s

    Raises
    ------
    UnitError
        If one input has a unit and the other has none.

    See Also
    --------
    propagate : any monotone function of interval tables.

    Examples
    --------
    >>> p = interval_multiply(hedged_figure(340, qualifier="range", low=340, high=350), hedged_figure(12))
    >>> p[["low", "high", "kind"]].values.tolist()
    [[4080.0, 4200.0, 'interval']]
    """
    ua, ub = _units(a, b)
    unit = f"({ua}) * ({ub})" if ua else None
    return propagate(operator.mul, a, b, unit=unit)


@fill_doc
def interval_divide(a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
    """``a / b`` on interval tables: min/max of the four endpoint quotients.

    When ``a`` and ``b`` have the same dimension, ``b`` is converted to
    ``a``'s unit and the result is ``dimensionless`` (a plain ratio, not a
    percentage: 0.13 means 13 per cent of ``b``).

    Parameters
    ----------
    %(interval_pair)s

    Returns
    -------
    %(interval_result)s

    Raises
    ------
    ZeroBaseError
        If ``b``'s interval contains zero.
    UnitError
        If one input has a unit and the other has none.

    See Also
    --------
    propagate : any monotone function of interval tables.

    Examples
    --------
    Latin America's share of the world's migrants, "almost 26 million" of
    about 191 million (base: the world total):

    >>> q = interval_divide(hedged_figure(26, "almost", unit="million person"),
    ...                     hedged_figure(191, "about", unit="million person"))
    >>> q[["value", "low", "high", "unit"]].round(4).values.tolist()
    [[0.1361, 0.1232, 0.1433, 'dimensionless']]
    """
    ua, ub = _units(a, b)
    unit = None
    if ua:
        try:
            b = in_unit(b, ua)
            unit = "dimensionless"
        except UnitError:
            unit = f"({ua}) / ({ub})"
    blo, bhi = b["low"].to_numpy(dtype=float), b["high"].to_numpy(dtype=float)
    zero = np.flatnonzero((blo <= 0) & (bhi >= 0))
    if zero.size:
        raise ZeroBaseError(f"divisor interval [{blo[zero[0]]}, {bhi[zero[0]]}] at row {zero[0] + 1} contains zero")
    return propagate(operator.truediv, a, b, unit=unit)


@changed_arguments(positional=("decimals",))
def rounding_interval(value, *, decimals: int = 0) -> tuple[float, float]:
    """The interval a number rounded to ``decimals`` places stands for.

    ``[value - h, value + h]`` with ``h = 0.5 * 10**-decimals``: a stated
    "73 per cent" (``decimals=0``) is any value in [72.5, 73.5]; "US$7.5
    billion" (``decimals=1``) any value in [7.45, 7.55]. ``decimals`` may be
    negative: 325,600 stated to the hundred is ``decimals=-2``.

    Parameters
    ----------
    value : float
        The stated (rounded) number.
    decimals : int, default 0
        The decimal places it is stated to.

    Returns
    -------
    tuple of float
        ``(low, high)``.

    Raises
    ------
    MissingValueError
        If ``value`` is NaN.
    InputError
        If ``value`` is infinite or not a number.

    See Also
    --------
    as_intervals : the interval a hedged figure allows.

    Examples
    --------
    >>> rounding_interval(7.5, decimals=1)
    (7.45, 7.55)
    """
    v = float(finite_array(value, "the rounded value"))
    half = 0.5 * 10.0 ** (-decimals)
    return v - half, v + half


_HERE = __name__.rpartition(".")[0]  # the aliases are announced under migstats.analysis, where users import them
estimate = renamed_function(hedged_figure, "estimate", _HERE)
add = renamed_function(interval_add, "add", _HERE)
subtract = renamed_function(interval_subtract, "subtract", _HERE)
multiply = renamed_function(interval_multiply, "multiply", _HERE)
divide = renamed_function(interval_divide, "divide", _HERE)
