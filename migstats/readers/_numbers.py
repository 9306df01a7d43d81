"""Numbers from published cells: each publication's convention, and the domain of each series.

A cell is a number only in the convention its publication declares: a
decimal point, and a thousands separator in groups of three where the
publication uses one (``1,161`` in a KNOMAD 2012 export, ``4 517 870`` in the
UN DESA CSV). ``12,5``, ``1.234,5``, ``inf`` or ``NaN`` are errors, never
125, 1.2345 or a missing value. A parsed value must then lie in the domain
of its series: finite, non-negative where the concept demands it (stocks,
flows, births, deaths, remittances received), and at most a plausibility
bound per unit. The bounds are loose on purpose: the world population is
8.2e9 persons (WPP 2024) and world GDP about 1.1e14 USD (WDI
NY.GDP.MKTP.CD, 2023), so no country holds 1e10 persons or receives 1e13 USD
of remittances in a year.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..errors import ReaderError, UnitError

__all__ = ["UPPER_BOUNDS", "parse_numbers", "check_domain"]

#: unit -> the largest absolute value a country or area can have in that unit
UPPER_BOUNDS: dict[str, float] = {
    "person": 1e10,
    "thousand person": 1e7,
    "USD": 1e13,
    "thousand USD": 1e10,
    "million USD": 1e7,
    "billion USD": 1e4,
    # Remittances as a share of GDP can pass 100 per cent of a small economy's GDP (236 per cent
    # is the highest in the WDI file of 2025-07-01); a fourfold margin on that.
    "percent": 1e3,
}

_EXPONENT = r"(?:[eE][-+]?\d+)?"


def _pattern(thousands: str | None) -> re.Pattern:
    plain = r"(?:\d+(?:\.\d*)?|\.\d+)"
    if thousands is None:
        return re.compile(rf"[-+]?{plain}{_EXPONENT}")
    grouped = rf"\d{{1,3}}(?:{re.escape(thousands)}\d{{3}})+(?:\.\d+)?"
    return re.compile(rf"[-+]?(?:{grouped}|{plain}{_EXPONENT})")


def parse_numbers(cells, path, *, lines, columns, missing=("",), thousands: str | None = None,
                  row_kind: str = "line", convention: str = "a decimal point") -> np.ndarray:
    """Floats of a block of text cells, NaN where a cell is a missing marker.

    Parameters
    ----------
    cells : array-like of str, 2-D
        One row per file row, one column per value column.
    path : path-like
        For the message.
    lines : array-like of int
        The line (or row, per ``row_kind``) of each row.
    columns : sequence of str
        The label of each column, for the message.
    missing : tuple of str
        Cell texts (after stripping white space) that mean "no value".
    thousands : str, optional
        The publication's thousands separator; groups must be of three digits.
    convention : str
        How the publication writes numbers, for the message.

    Returns
    -------
    ndarray of float, 2-D

    Raises
    ------
    ReaderError
        At the first cell (in file order) that is neither a number in the
        convention nor a missing marker, naming its line and column.

    Examples
    --------
    >>> parse_numbers([["1,161", ".."]], "f.csv", lines=[2], columns=["2008", "2009"],
    ...               missing=("..",), thousands=",")
    array([[1161.,   nan]])
    >>> parse_numbers([["12,5"]], "f.csv", lines=[2], columns=["2008"], thousands=",")
    Traceback (most recent call last):
    ...
    migstats.errors.ReaderError: f.csv, line 2, column '2008': cannot read '12,5' as a number (a decimal point)
    """
    cells = np.asarray(cells, dtype=object)
    if cells.ndim == 1:
        cells = cells[:, None]
    pattern = _pattern(thousands)
    # Each distinct text checked and converted once, by pandas' vectorised string methods.
    codes, uniques = pd.factorize(cells.ravel(), use_na_sentinel=False)
    texts = pd.Series(uniques, dtype=object)
    if pd.api.types.infer_dtype(uniques, skipna=False) != "string":
        texts = texts.map(str, na_action="ignore")  # a sheet's numbers; a text file's cells are all str already
    texts = texts.astype("str").str.strip()
    is_missing = (texts.isna() | texts.isin(list(missing))).to_numpy()
    good = texts.str.fullmatch(pattern.pattern).fillna(False).to_numpy(dtype=bool) & ~is_missing
    bad = ~good & ~is_missing
    parsed = np.full(len(uniques), np.nan)
    numbers = texts[good]
    if thousands:
        numbers = numbers.str.replace(thousands, "", regex=False)
    parsed[good] = numbers.astype("float64").to_numpy()
    if bad.any():
        i, j = (int(v) for v in np.argwhere(bad[codes].reshape(cells.shape))[0])
        raise ReaderError(f"cannot read {cells[i, j]!r} as a number ({convention})", file=path,
                          row=int(np.asarray(lines)[i]), column=str(columns[j]), row_kind=row_kind)
    return parsed[codes].reshape(cells.shape)


def check_domain(values, *, path, unit: str, signed: bool, what: str, lines, columns, row_kind: str = "line") -> None:
    """Raise at the first value (in file order) outside the domain of the series.

    A value is in the domain when it is finite, at most ``UPPER_BOUNDS[unit]``
    in absolute value, and not negative unless ``signed``; NaN (a missing
    cell) is not checked.

    Parameters
    ----------
    values : array-like of float, 2-D
        One row per file row, one column per value column.
    path : path-like
        For the message.
    unit : str
        The unit of ``values``, a key of :data:`UPPER_BOUNDS`.
    signed : bool
        Whether negative values are allowed (net migration) or not (stocks,
        flows, births, deaths, remittances received).
    what : str
        What the values count, for the message ("births").
    lines : array-like of int
        The line (or row, per ``row_kind``) of each row.
    columns : sequence of str
        The label of each column.

    Returns
    -------
    None

    Raises
    ------
    ReaderError
        Naming file, line, column, the value and the violated bound.
    UnitError
        A unit without a bound in :data:`UPPER_BOUNDS`.

    Examples
    --------
    >>> import numpy as np
    >>> check_domain(np.array([[1.0, np.nan]]), path="f.csv", unit="person", signed=False,
    ...              what="migrants", lines=[2], columns=["1990", "1995"])
    >>> check_domain(np.array([[1.0, -2.0]]), path="f.csv", unit="person", signed=False,
    ...              what="migrants", lines=[2], columns=["1990", "1995"])
    Traceback (most recent call last):
    ...
    migstats.errors.ReaderError: f.csv, line 2, column '1995': -2 person is negative; migrants cannot be negative
    """
    values = np.asarray(values, dtype="float64")
    if values.ndim == 1:
        values = values[:, None]
    bound = UPPER_BOUNDS.get(unit)
    if bound is None:
        raise UnitError(f"no plausibility bound for the unit {unit!r}; known units: {', '.join(UPPER_BOUNDS)}")
    with np.errstate(invalid="ignore"):
        bad = ~np.isnan(values) & (~np.isfinite(values) | (np.abs(values) > bound))
        if not signed:
            bad |= values < 0
    if not bad.any():
        return
    i, j = (int(k) for k in np.argwhere(bad)[0])
    value = float(values[i, j])
    if not np.isfinite(value):
        problem = f"{value} is not a finite number"
    elif value < 0 and not signed:
        problem = f"{value:g} {unit} is negative; {what} cannot be negative"
    else:
        problem = f"{value:g} {unit} is beyond the plausibility bound of {bound:g} {unit} for {what}"
    raise ReaderError(problem, file=path, row=int(np.asarray(lines)[i]), column=str(columns[j]), row_kind=row_kind)
