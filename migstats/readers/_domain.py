"""The value domain of each series a reader returns: finite, signed or not, below a plausibility bound.

A count of persons or an amount of money that is infinite, negative where the
concept cannot be, or larger than anything on Earth is a broken file (an
overflow such as ``1e400``, a stray minus sign, a shifted decimal point),
never a finding; a reader refuses it and names where it is.

The bounds are deliberately loose: the world population is 8.2e9 persons
(WPP 2024, 2024 estimate) and world GDP about 1.1e14 USD (World Bank WDI
NY.GDP.MKTP.CD, 2023), so no country holds 1e10 persons or receives 1e13 USD
of remittances in a year.
"""

from __future__ import annotations

import numpy as np

from ..errors import ReaderError

__all__ = ["UPPER_BOUNDS", "check_domain"]

#: unit -> the largest absolute value a country or area can have in that unit
UPPER_BOUNDS: dict[str, float] = {
    "person": 1e10,
    "thousand person": 1e7,
    "USD": 1e13,
    "million USD": 1e7,
    # Remittances as a share of GDP: above 100 per cent of GDP in no economy (Tonga,
    # the highest in WDI, is near 50), but a tenfold margin keeps the bound loose.
    "percent": 1e3,
}


def check_domain(values, *, path, unit: str, signed: bool, what: str, lines, columns, row_kind: str = "line") -> None:
    """Raise at the first value (in file order) outside the domain of the series.

    Parameters
    ----------
    values : array-like of float, 2-D
        One row per file row, one column per value column; NaN marks a
        missing cell and is not checked here.
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

    Raises
    ------
    ReaderError
        Naming file, line, column, the value and the violated bound.

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
    bound = UPPER_BOUNDS[unit]
    with np.errstate(invalid="ignore"):
        magnitude = np.abs(values)
        bad = ~np.isnan(values) & (~np.isfinite(values) | (magnitude > bound))
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
