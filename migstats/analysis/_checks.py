"""Input checks and table plumbing shared by the analysis helpers (internal to the package).

Every helper validates its inputs here, so the same bad input raises the same
migstats error (with the same wording) whichever helper received it. Errors
say where the bad element is in the caller's terms: the index label of a
Series, the 1-based row of a table (with its entity and year), or the
1-based element of a plain array. Names here carry no underscore because the
analysis modules share them; the module itself is internal.
"""

from __future__ import annotations

from numbers import Number
from typing import Callable

import numpy as np
import pandas as pd

from ..errors import EmptyTableError, InputError, MissingValueError, SpanError, ZeroBaseError
from ..units import convert_values

#: columns that identify an entity in a long table, in order of preference
#: (``code`` is what the official tables and the readers use)
ENTITY_COLUMNS = ("entity_code", "code", "entity")
#: columns an interval table carries (see :mod:`migstats.analysis.intervals`)
INTERVAL_COLUMNS = ("value", "low", "high", "kind", "approximate")
#: the numeric columns of a hedged figure that scale with its unit
SCALED_COLUMNS = ("value", "low", "high")

#: describes element ``i`` of a checked array in the caller's terms
Where = Callable[[int], str]


def label(value) -> str:
    """A key value as messages show it: strings quoted, numbers plain (2000, not np.int64(2000))."""
    if isinstance(value, np.generic):
        value = value.item()
    return repr(value) if isinstance(value, str) else str(value)


def element_where(values) -> Where | None:
    """How to name element ``i`` of ``values``: its index label (Series), its 1-based element, or nothing."""
    if isinstance(values, pd.Series):
        labels = values.index
        return lambda i: f"index label {label(labels[i])}"
    if np.ndim(values) == 0:
        return None
    return lambda i: f"element {i + 1}"


def key_where(frame: pd.DataFrame, keys: list[str]) -> Where:
    """How to name row ``i`` of a derived table by its key values alone (``code 'ABW', year 1970``)."""
    return lambda i: ", ".join(f"{k} {label(frame[k].iloc[i])}" for k in keys)


def row_where(frame: pd.DataFrame, keys: list[str], year: str | None = "year") -> Where:
    """How to name row ``i`` of a caller's table: 1-based row plus its entity and year."""
    shown = keys + ([year] if year is not None and year in frame.columns else [])
    named = key_where(frame, shown)
    return lambda i: f"row {i + 1}" + (f" ({named(i)})" if shown else "")


def _at(where: Where | None, i: int) -> str:
    return "" if where is None else f" at {where(i)}"


def finite_array(values, name: str, where: Where | None = None) -> np.ndarray:
    """``values`` as a float array of finite numbers.

    Raises
    ------
    InputError
        If a value is not a number (a string, None in an object array) or is infinite.
    MissingValueError
        If a value is NaN.
    EmptyTableError
        If there are no values.
    """
    where = where if where is not None else element_where(values)
    raw = np.asarray(values)
    if raw.dtype.kind in "OUS":
        flat = raw.ravel()
        numbers = np.empty(flat.size, dtype=float)
        for i, x in enumerate(flat):
            if x is None or x is pd.NA:
                numbers[i] = np.nan
            elif isinstance(x, (Number, np.number)) and not isinstance(x, (bool, np.bool_)):
                numbers[i] = float(x)
            else:
                raise InputError(f"{name} is not a number{_at(where, i)}: {label(x)}")
        arr = numbers.reshape(raw.shape)
    else:
        try:
            arr = raw.astype(float)
        except (TypeError, ValueError):
            raise InputError(f"{name} is not numeric (dtype {raw.dtype})") from None
    if arr.size == 0:
        raise EmptyTableError(f"{name} is empty")
    hit = _first_bad(arr, np.isnan, where)
    if hit:
        raise MissingValueError(f"{name} is missing (NaN){hit[1]}")
    hit = _first_bad(arr, np.isinf, where)
    if hit:
        raise InputError(f"{name} is infinite ({hit[0]}){hit[1]}; a finite number is needed")
    return arr


def same_shape(**arrays: np.ndarray) -> tuple[np.ndarray, ...]:
    """Broadcast equal-shaped arrays and scalars; other shapes raise :class:`InputError` naming the arguments."""
    shapes = {name: np.shape(a) for name, a in arrays.items() if np.ndim(a) > 0}
    if len(set(shapes.values())) > 1:
        described = ", ".join(f"{name} has shape {shape}" for name, shape in shapes.items())
        raise InputError(f"{described}; the arguments must have the same shape (or be single numbers)")
    return tuple(np.broadcast_arrays(*arrays.values())) if shapes else tuple(arrays.values())


def _first_bad(values, bad, where: Where | None):
    """The first element of ``values`` for which ``bad`` holds, and where it is (" at ..."), or None."""
    flat = np.asarray(values).ravel()
    hits = np.flatnonzero(bad(flat))
    if not hits.size:
        return None
    i = int(hits[0])
    return flat[i], _at(where if where is not None else element_where(values), i)


def nonzero_base(base: np.ndarray, name: str, where: Where | None = None) -> np.ndarray:
    """Return ``base`` unchanged unless an element is zero (:class:`ZeroBaseError`)."""
    hit = _first_bad(base, lambda flat: flat == 0, where)
    if hit:
        raise ZeroBaseError(f"{name} is zero{hit[1]}; a relative measure needs a non-zero base")
    return base


def positive_span(years: np.ndarray, name: str = "span", where: Where | None = None) -> np.ndarray:
    """Return ``years`` unless an element is zero or negative (:class:`SpanError`)."""
    hit = _first_bad(years, lambda flat: flat <= 0, where)
    if hit:
        raise SpanError(f"{name} is {hit[0]} years{hit[1]}; a growth rate needs a span of more than zero years")
    return years


def positive_ratio(ratio: np.ndarray, name: str, where: Where | None = None) -> np.ndarray:
    """Return ``ratio`` unless an element is zero or negative (no real compound root or logarithm)."""
    hit = _first_bad(ratio, lambda flat: flat <= 0, where)
    if hit:
        raise InputError(f"{name} is {hit[0]}{hit[1]}; compound and log growth need a start and an end of the "
                         "same sign, neither zero")
    return ratio


def entity_keys(frame: pd.DataFrame, by=None) -> list[str]:
    """The grouping columns of a long table: ``by`` if given, else the first of :data:`ENTITY_COLUMNS` present."""
    if by is None:
        return [c for c in ENTITY_COLUMNS if c in frame.columns][:1]
    keys = [by] if isinstance(by, str) else list(by)
    missing = [k for k in keys if k not in frame.columns]
    if missing:
        columns = ", ".join(map(str, frame.columns))
        raise InputError(f"cannot group by {missing[0]!r}: no such column (columns: {columns})")
    return keys


def long_table(data, *, value: str = "value", year: str | None = "year",
               by=None) -> tuple[pd.DataFrame, list[str], bool]:
    """Normalise a Series (indexed by year) or a long DataFrame.

    The returned frame keeps the caller's row order (its positions are the
    caller's rows, counted from 1 in messages). A ``year`` column other than
    ``"year"`` is copied to ``year`` so the helpers see one name.

    Returns
    -------
    frame, keys, was_series
        ``frame`` has a ``value`` column (and ``year`` when asked for);
        ``keys`` are its entity columns; ``was_series`` tells the caller to
        hand back a Series.

    Raises
    ------
    EmptyTableError
        If there are no rows.
    InputError
        If a required column is missing, or a value or year is not a finite number.
    MissingValueError
        If a value or year is NaN.
    """
    was_series = isinstance(data, pd.Series)
    if was_series:
        where = element_where(data)
        frame = pd.DataFrame({value: finite_array(data, "value", where)})
        if year is not None:
            finite_array(data.index.to_numpy(), "the year (index)", where)
            frame["year"] = data.index.to_numpy()
            year = "year"
        if data.attrs.get("unit"):
            frame["unit"] = data.attrs["unit"]
    elif isinstance(data, pd.DataFrame):
        frame = data.reset_index(drop=True)
    else:
        raise InputError(f"expected a pandas Series or DataFrame, got {type(data).__name__}")
    if frame.empty:
        raise EmptyTableError("the table has no rows")
    needed = [value] + ([year] if year is not None else [])
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise InputError(f"the table has no {missing[0]!r} column (columns: {', '.join(map(str, frame.columns))})")
    keys = entity_keys(frame, by)
    where = row_where(frame, keys, year)
    for col in needed:
        finite_array(frame[col].to_numpy(), f"column {col!r}", where)
    if year is not None and year != "year":
        if "year" in frame.columns:
            raise InputError(f"the table has both 'year' and year={year!r}; rename one")
        frame["year"] = frame[year]
    return frame, keys, was_series


def in_unit(frame: pd.DataFrame, unit: str, columns=SCALED_COLUMNS) -> pd.DataFrame:
    """``frame`` with ``columns`` (those present) converted from its ``unit`` column to ``unit``.

    The one place where value, low and high are rescaled together. Raises
    :class:`~migstats.errors.UnitError` if a unit cannot convert.
    """
    out = frame.copy()
    for col in columns:
        if col in out.columns:
            out[col] = convert_values(out[col].to_numpy(dtype=float), out["unit"].astype(str), unit)
    out["unit"] = unit
    return out


def common_unit(frame: pd.DataFrame, keys: list[str], columns=SCALED_COLUMNS) -> pd.DataFrame:
    """Convert ``columns`` within each entity to the unit of the entity's first row.

    A table without a ``unit`` column is returned unchanged (its unit is the
    caller's to document). Incompatible units raise
    :class:`~migstats.errors.UnitError`.
    """
    if "unit" not in frame.columns:
        return frame
    groups = frame.groupby(keys, sort=False, dropna=False) if keys else [((), frame)]
    parts = [in_unit(g, str(g["unit"].iloc[0]), columns) for _, g in groups]
    return pd.concat(parts).loc[frame.index]


def input_index(*inputs):
    """The index of the first pandas Series among ``inputs`` (None if there is none).

    Element-wise helpers give their results this index, so labelled inputs
    (countries, years) stay labelled.
    """
    for x in inputs:
        if isinstance(x, pd.Series):
            return x.index
    return None
