"""Input checks and table plumbing shared by the analysis helpers.

Every helper validates its inputs here, so the same bad input raises the same
migstats error (with the same wording) whichever helper received it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import EmptyTableError, InputError, MissingValueError, SpanError, ZeroBaseError
from ..units import conversion_factor

#: columns that identify an entity in a long table, in order of preference
ENTITY_COLUMNS = ("entity_code", "entity")


def finite_array(values, name: str) -> np.ndarray:
    """``values`` as a float array; NaN anywhere raises :class:`MissingValueError`."""
    arr = np.asarray(values, dtype=float)
    if arr.size == 0:
        raise EmptyTableError(f"{name} is empty")
    bad = np.flatnonzero(np.isnan(arr))
    if bad.size:
        raise MissingValueError(f"{name} is missing (NaN) at position {int(bad[0])}")
    return arr


def nonzero_base(base: np.ndarray, name: str) -> np.ndarray:
    """Return ``base`` unchanged unless an element is zero (:class:`ZeroBaseError`)."""
    zero = np.flatnonzero(np.asarray(base) == 0)
    if zero.size:
        raise ZeroBaseError(f"{name} is zero at position {int(zero[0])}; a relative measure needs a non-zero base")
    return base


def positive_span(years: np.ndarray, name: str = "span") -> np.ndarray:
    """Return ``years`` unless an element is zero or negative (:class:`SpanError`)."""
    bad = np.flatnonzero(np.asarray(years) <= 0)
    if bad.size:
        raise SpanError(
            f"{name} of {np.asarray(years).ravel()[bad[0]]} years at position {int(bad[0])}; "
            "a growth rate needs a span of more than zero years"
        )
    return years


def positive_ratio(ratio: np.ndarray, name: str) -> np.ndarray:
    """Return ``ratio`` unless an element is zero or negative (no real root or logarithm)."""
    bad = np.flatnonzero(np.asarray(ratio) <= 0)
    if bad.size:
        raise InputError(
            f"{name} is {np.asarray(ratio).ravel()[bad[0]]} at position {int(bad[0])}; compound and log "
            "growth need values of the same sign and non-zero"
        )
    return ratio


def entity_keys(frame: pd.DataFrame) -> list[str]:
    """The entity column of a long table (``entity_code`` preferred), or none."""
    return [c for c in ENTITY_COLUMNS if c in frame.columns][:1]


def long_table(data, *, value: str = "value", year: str | None = "year") -> tuple[pd.DataFrame, list[str], bool]:
    """Normalise a Series (indexed by year) or a long DataFrame.

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
        If a required column is missing.
    MissingValueError
        If a value or year is NaN.
    """
    was_series = isinstance(data, pd.Series)
    if was_series:
        frame = pd.DataFrame({value: data.to_numpy(dtype=float)})
        if year is not None:
            frame[year] = data.index.to_numpy()
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
    for col in needed:
        finite_array(frame[col], f"column {col!r}")
    return frame, entity_keys(frame), was_series


def common_unit(frame: pd.DataFrame, keys: list[str], columns=("value",)) -> pd.DataFrame:
    """Convert ``columns`` within each entity to the unit of the entity's first row.

    A table without a ``unit`` column is returned unchanged (its unit is the
    caller's to document). Incompatible units raise
    :class:`~migstats.errors.UnitError`.
    """
    if "unit" not in frame.columns:
        return frame
    out = frame.copy()
    first = out.groupby(keys, sort=False)["unit"].transform("first") if keys else out["unit"].iloc[0]
    targets = pd.Series(first, index=out.index)
    factors = [conversion_factor(u, t) for u, t in zip(out["unit"], targets)]
    for col in columns:
        out[col] = out[col].to_numpy(dtype=float) * np.asarray(factors)
    out["unit"] = targets
    return out


def input_index(*inputs):
    """The index of the first pandas Series among ``inputs`` (None if there is none).

    Element-wise helpers give their results this index, so labelled inputs
    (countries, years) stay labelled.
    """
    for x in inputs:
        if isinstance(x, pd.Series):
            return x.index
    return None
