"""Comparisons within one table: shares of a total, ranks, ratios and differences
to a reference entity, and threshold tests that respect the figures' hedges.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._deprecation import changed_arguments
from ..errors import EmptyTableError, InputError
from ._checks import (
    INTERVAL_COLUMNS,
    common_unit,
    entity_keys,
    finite_array,
    in_unit,
    long_table,
    nonzero_base,
    row_where,
)
from .._docstrings import fill_doc
from .intervals import STRICT_HIGH, STRICT_LOW, as_intervals

__all__ = ["shares", "ranks", "relative_to", "threshold_test"]


def _groups(by) -> list[str]:
    return [by] if isinstance(by, str) else list(by or [])


def _prepared(data, by):
    frame, _, was_series = long_table(data, year=None)
    keys = _groups(by)
    missing = [k for k in keys if k not in frame.columns]
    if missing:
        raise InputError(f"cannot group by {missing[0]!r}: no such column")
    return common_unit(frame, keys), keys, was_series


@changed_arguments(positional=("by", "total"))
def shares(data, *, by=None, total=None, include_aggregates: bool = False):
    """Each value's share of a total.

    ``share = value / total``: a fraction (0.13 is 13 per cent) whose base is
    the sum of the values in the row's group (``by``), or an explicit
    ``total`` (say the world figure when the rows are only some countries).
    A summed total must not count aggregates (World, income groups) beside
    their members, so a table whose ``is_aggregate`` column marks a row is
    refused unless ``total`` is given or ``include_aggregates=True`` says the
    rows do not overlap.

    Parameters
    ----------
    data : pandas.Series or pandas.DataFrame
        Values (a long table needs a ``value`` column; ``unit`` is
        converted within each group).
    by : str or list of str, optional
        Column(s) whose groups each have their own total (``year``);
        default one total for the whole table.
    total : float, optional
        A stated total in the unit of the values; not allowed with ``by``.
    include_aggregates : bool, default False
        Sum rows marked ``is_aggregate`` into the totals as well.

    Returns
    -------
    pandas.Series or pandas.DataFrame
        The shares (a Series for Series input), else the table with a
        dimensionless ``share`` column (``unit`` stays the unit of
        ``value``, converted to one unit per group).

    Raises
    ------
    ZeroBaseError
        If a total is zero.
    InputError
        If both ``by`` and ``total`` are given, or a row is an aggregate and
        neither ``total`` nor ``include_aggregates=True`` is given (naming
        the first such row).

    See Also
    --------
    ranks : the rank of each value within its group.

    Examples
    --------
    Latin America's share of the world's international migrants in 2005
    (about 26 of 191 million; base: the world total):

    >>> round(float(shares(pd.Series([26.0]), total=191.0).iloc[0]), 3)
    0.136
    """
    if by is not None and total is not None:
        raise InputError("give either by= (group totals) or total= (one stated total), not both")
    frame, keys, was_series = _prepared(data, by)
    if total is None and not include_aggregates and "is_aggregate" in frame.columns:
        aggregate = frame["is_aggregate"].fillna(False).to_numpy(dtype=bool)
        if aggregate.any():
            i = int(np.flatnonzero(aggregate)[0])
            named = [c for c in ("entity_code", "code", "entity", "name") if c in frame.columns]
            raise InputError(f"{row_where(frame, named)(i)} is an "
                             "aggregate, so a summed total would count its members twice; drop aggregate rows, "
                             "give total=, or pass include_aggregates=True")
    values = frame["value"].to_numpy(dtype=float)
    if total is not None:
        denom = np.full(len(frame), finite_array(total, "total").item())
    elif keys:
        denom = frame.groupby(keys, sort=False)["value"].transform("sum").to_numpy(dtype=float)
    else:
        denom = np.full(len(frame), values.sum())
    share = values / nonzero_base(denom, "the total")
    if was_series:
        return pd.Series(share, index=data.index, name="share")
    return frame.assign(share=share)


@changed_arguments(positional=("by", "ascending"))
def ranks(data, *, by=None, ascending: bool = False):
    """Rank of each value (1 = largest unless ``ascending``), ties sharing the lowest rank.

    Parameters
    ----------
    data : pandas.Series or pandas.DataFrame
        Values (a long table needs a ``value`` column; ``unit`` is
        converted within each group before ranking).
    by : str or list of str, optional
        Column(s) whose groups are ranked separately (``year``); default
        one ranking of the whole table.
    ascending : bool, default False
        Rank 1 for the smallest value instead of the largest.

    Returns
    -------
    pandas.Series or pandas.DataFrame
        Integer ranks (a Series for Series input), else the table with a
        ``rank`` column; ranks restart in each ``by`` group.

    Raises
    ------
    InputError
        If a ``by`` column is missing or a value is not a finite number.
    UnitError
        If the units of a group cannot convert to one another.

    See Also
    --------
    shares : each value's share of its group's total.

    Examples
    --------
    >>> ranks(pd.Series([52.0, 49.0, 26.0, 52.0])).tolist()
    [1, 3, 4, 1]
    """
    frame, keys, was_series = _prepared(data, by)
    col = frame.groupby(keys, sort=False)["value"] if keys else frame["value"]
    rank = col.rank(method="min", ascending=ascending).astype(int)
    if was_series:
        return pd.Series(rank.to_numpy(), index=data.index, name="rank")
    return frame.assign(rank=rank.to_numpy())


@changed_arguments(renamed={"column": "entity"}, positional=("column", "by"))
def relative_to(data: pd.DataFrame, reference, *, entity: str | None = None, by=None) -> pd.DataFrame:
    """Ratio and difference of each row to a reference row of its group.

    ``ratio = value / value_ref`` (base: the reference entity's value) and
    ``difference = value - value_ref`` (in the table's unit).

    Parameters
    ----------
    data : pandas.DataFrame
        Long table with ``value`` (and ``unit``).
    reference : str
        The entity (a value of the ``entity`` column) whose row is the reference.
    entity : str, optional
        The column that names entities; default the entity column found in
        the table (the first of ``entity_code``, ``code``, ``entity``).
    by : str or list of str, optional
        Column(s) (``year``) within which to compare; each group needs one
        reference row.

    Returns
    -------
    pandas.DataFrame
        The table, converted to the unit of its first row, with ``ratio``
        (dimensionless) and ``difference`` (in ``unit``) added.

    Raises
    ------
    InputError
        If a group lacks the reference row or has more than one.
    ZeroBaseError
        If a reference value is zero.

    See Also
    --------
    migstats.analysis.relative_difference : the same for two plain numbers, with a choice of base.

    Examples
    --------
    Remittances in 2008 (US$ billion) relative to India's:

    >>> import pandas as pd
    >>> t = pd.DataFrame({"code": ["IND", "CHN", "MEX"], "value": [52.0, 49.0, 26.0]})
    >>> relative_to(t, "IND")["ratio"].round(3).tolist()
    [1.0, 0.942, 0.5]
    """
    frame, _, _ = long_table(data, year=None)
    keys = _groups(by)
    found = entity_keys(frame) if entity is None else [entity]
    if not found:
        raise InputError("the table has no entity column (entity_code, code or entity); pass entity=")
    column = found[0]
    missing = [c for c in [column, *keys] if c not in frame.columns]
    if missing:
        raise InputError(f"the table has no {missing[0]!r} column")
    # one unit for the whole table: every row is compared with a reference row
    frame = common_unit(frame, [])
    is_ref = frame[column] == reference
    ref = frame[is_ref]
    if keys:
        counts = ref.groupby(keys).size()
        groups = frame[keys].drop_duplicates()
        idx = pd.MultiIndex.from_frame(groups) if len(keys) > 1 else pd.Index(groups[keys[0]])
        counts = counts.reindex(idx, fill_value=0)
        if (counts != 1).any():
            raise InputError(f"group {counts.index[counts != 1][0]!r} needs exactly one {reference!r} row")
        ref_values = ref.set_index(keys)["value"]
        lookup = pd.MultiIndex.from_frame(frame[keys]) if len(keys) > 1 else pd.Index(frame[keys[0]])
        base = ref_values.reindex(lookup).to_numpy(dtype=float)
    else:
        if len(ref) != 1:
            raise InputError(f"the table needs exactly one {reference!r} row, found {len(ref)}")
        base = np.full(len(frame), float(ref["value"].iloc[0]))
    values = frame["value"].to_numpy(dtype=float)
    return frame.assign(ratio=values / nonzero_base(base, f"the {reference!r} value"), difference=values - base)


@fill_doc
@changed_arguments(positional=("op", "unit", "approx_rel"))
def threshold_test(data: pd.DataFrame, threshold: float, *, op: str = ">", unit: str | None = None,
                   approx_rel: float = 0.05) -> pd.DataFrame:
    """Does each hedged figure pass a threshold ("more than US$20 billion")?

    The figure's interval (see :func:`~migstats.analysis.intervals.as_intervals`)
    decides: the test is True if every value the statement allows passes,
    False if none does, else ``<NA>`` (cannot tell). So a figure stated as
    "more than 20" passes ``>= 20`` and ``> 20`` for sure, "at least 20"
    passes ``>= 20`` but cannot tell for ``> 20``, and "about 20" cannot
    tell for either.
    %(three_valued)s

    Parameters
    ----------
    data : pandas.DataFrame
        Figures with ``value`` and ``qualifier`` (and ``low``/``high`` for
        ranges; ``unit`` when ``unit`` is given), or results of
        :func:`~migstats.analysis.intervals.propagate`, whose
        ``low``/``high``/``kind`` are used as they are.
    threshold : float
        The threshold, in ``unit`` (or in the figures' unit).
    op : {">", ">=", "<", "<="}
    unit : str, optional
        Unit of the threshold; figures are converted to it.
    %(approx_rel)s

    Returns
    -------
    pandas.DataFrame
        The figures with ``low, high, kind``, ``passes`` (nullable
        ``boolean``: True, False, or ``<NA>`` for cannot tell) and
        ``passes_note`` (why).

    Raises
    ------
    InputError
        On an unknown operator, ``data`` that is not a DataFrame, or a
        threshold that is not a finite number.
    EmptyTableError
        If ``data`` has no rows.
    UnitError
        If a figure's unit cannot convert to ``unit``.

    See Also
    --------
    as_intervals : the interval each hedge allows.

    Examples
    --------
    >>> import pandas as pd
    >>> figs = pd.DataFrame({"value": [20.0, 20.0, 20.0], "qualifier": ["more_than", "at_least", "about"]})
    >>> threshold_test(figs, 20, op=">")["passes"].tolist()
    [True, <NA>, <NA>]
    """
    if op not in (">", ">=", "<", "<="):
        raise InputError(f"unknown comparison {op!r}; choose one of >, >=, <, <=")
    if not isinstance(data, pd.DataFrame):
        raise InputError(f"threshold_test needs a DataFrame of figures (value, qualifier, ...), "
                         f"got {type(data).__name__}")
    if data.empty:
        raise EmptyTableError("threshold_test needs a DataFrame with at least one row")
    if np.ndim(threshold) != 0:
        raise InputError(f"threshold must be a single number, got {type(threshold).__name__}")
    t = float(finite_array(threshold, "threshold"))
    # rows computed by propagate() already carry their interval; stated figures get one from their hedge
    derived = set(INTERVAL_COLUMNS) <= set(data.columns)
    out = data.reset_index(drop=True).copy() if derived else as_intervals(data, approx_rel=approx_rel)
    if unit is not None:
        if "unit" not in out.columns:
            raise InputError("a threshold unit was given but the table has no 'unit' column")
        out = in_unit(out, unit)
    lo, hi = out["low"].to_numpy(), out["high"].to_numpy()
    strict_lo = out["qualifier"].isin(STRICT_LOW).to_numpy()
    strict_hi = out["qualifier"].isin(STRICT_HIGH).to_numpy()
    # an end of the interval is a possible value unless the hedge excludes it ("more than 20" is not 20)
    if op in (">", ">="):
        sure = (lo > t) | ((lo == t) & ((op == ">=") | strict_lo))
        never = (hi < t) | ((hi == t) & ((op == ">") | strict_hi))
    else:
        sure = (hi < t) | ((hi == t) & ((op == "<=") | strict_hi))
        never = (lo > t) | ((lo == t) & ((op == "<") | strict_lo))
    # an approximate figure's interval is a convention, so touching the threshold decides nothing
    touching = out["kind"].eq("approximate").to_numpy() & ((lo == t) | ((hi == t) & ~strict_hi))
    sure &= ~touching
    never &= ~touching
    out["passes"] = pd.array(np.where(sure, True, np.where(never, False, None)), dtype="boolean")
    out["passes_note"] = np.select(
        [sure, never, touching],
        ["every value the statement allows passes", "no value the statement allows passes",
         "an approximate figure's interval touches the threshold, and its width is a convention"],
        "the statement allows values on both sides of the threshold",
    )
    return out
