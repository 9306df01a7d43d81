"""Discrepancies between two sources' figures for the same thing.

A "difference of 73 per cent" means nothing until its base is known: the
same two numbers differ by 73 per cent of one and by 272 per cent of the
other. Every relative measure here therefore takes its base as a required
argument, or names its columns by base.

Values ``a`` (the *first* source) and ``b`` (the *second*):

- signed difference ``d = a - b``;
- relative to the first: ``d / a``; to the second: ``d / b``;
- relative to their mean (symmetric): ``d / ((a + b) / 2)``;
- ratio ``a / b`` and log ratio ``ln(a / b)``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import InputError
from ..units import conversion_factor
from ._checks import finite_array, input_index, nonzero_base, positive_ratio

__all__ = ["BASES", "relative_difference", "discrepancies", "matching_bases"]

#: the bases a relative difference can be taken on
BASES = ("first", "second", "mean")


def _pair(a, b, a_unit, b_unit):
    if (a_unit is None) != (b_unit is None):
        raise InputError("give units for both values or for neither")
    x, y = finite_array(a, "first value"), finite_array(b, "second value")
    if a_unit is not None:
        y = y * conversion_factor(b_unit, a_unit)
    return x, y


def _scalar(arr):
    return float(arr) if np.ndim(arr) == 0 else arr


def relative_difference(a, b, *, base: str, a_unit: str | None = None, b_unit: str | None = None):
    """Relative difference ``(a - b) / base`` on an explicitly chosen base.

    Parameters
    ----------
    a, b : float or array-like
        The first and second source's values.
    base : {"first", "second", "mean"}
        Required. ``"first"``: ``(a - b) / a``; ``"second"``: ``(a - b) /
        b``; ``"mean"`` (symmetric): ``(a - b) / ((a + b) / 2)``.
    a_unit, b_unit : str, optional
        Units of ``a`` and ``b``; ``b`` is converted to ``a_unit``.

    Returns
    -------
    float, numpy.ndarray or pandas.Series
        A signed fraction (0.73 is 73 per cent of the chosen base); a
        Series with the input's index when ``a`` or ``b`` is a Series.

    Raises
    ------
    InputError
        On an unknown base, or units for only one value.
    ZeroBaseError
        If the base is zero.
    UnitError
        If the units cannot convert.
    MissingValueError
        If a value is NaN.

    Examples
    --------
    Japan's immigrants in 2006, Statistics Bureau 325,600 vs OECD 87,600:

    >>> round(relative_difference(325600, 87600, base="first"), 4)
    0.731
    >>> round(relative_difference(325600, 87600, base="second"), 4)
    2.7169
    """
    x, y = _pair(a, b, a_unit, b_unit)
    denominators = {"first": x, "second": y, "mean": (x + y) / 2}
    if base not in denominators:
        raise InputError(f"unknown base {base!r}; choose one of {', '.join(BASES)}")
    out = _scalar((x - y) / nonzero_base(denominators[base], f"the {base} base"))
    index = input_index(a, b)
    return out if index is None else pd.Series(out, index=index, name=f"relative_to_{base}")


def discrepancies(a, b, *, a_unit: str | None = None, b_unit: str | None = None) -> pd.DataFrame:
    """Every discrepancy measure of two sources, columns named by base.

    Parameters
    ----------
    a, b : float or array-like (or aligned Series)
        First and second source's values.
    a_unit, b_unit : str, optional
        Units; ``b`` is converted to ``a_unit`` and the result carries it.

    Returns
    -------
    pandas.DataFrame
        Columns ``first, second, difference`` (``a - b``, in ``a``'s unit),
        ``rel_to_first`` (``(a - b) / a``), ``rel_to_second`` (``(a - b) /
        b``), ``rel_to_mean`` (``(a - b) / ((a + b) / 2)``), ``ratio`` (``a /
        b``) and ``log_ratio`` (``ln(a / b)``, NaN-free: both values must
        have the same sign). Plus ``unit`` when units are given. The index
        of a Series ``a`` is kept.

    Raises
    ------
    ZeroBaseError
        If a value (or ``a + b``) is zero.
    InputError
        If ``a / b`` is negative (no log ratio), or units for one value only.
    """
    x, y = _pair(a, b, a_unit, b_unit)
    x, y = np.broadcast_arrays(np.atleast_1d(x), np.atleast_1d(y))
    ratio = positive_ratio(x / nonzero_base(y, "the second value"), "a / b")
    out = pd.DataFrame(
        {
            "first": x,
            "second": y,
            "difference": x - y,
            "rel_to_first": (x - y) / nonzero_base(x, "the first value"),
            "rel_to_second": (x - y) / y,
            "rel_to_mean": (x - y) / nonzero_base((x + y) / 2, "the mean of the two values"),
            "ratio": ratio,
            "log_ratio": np.log(ratio),
        },
        index=a.index if isinstance(a, pd.Series) and len(a) == len(x) else None,
    )
    if a_unit is not None:
        out["unit"] = a_unit
    return out


def matching_bases(a, b, stated, tolerance, *, signed: bool = False) -> pd.DataFrame:
    """Which base(s) reproduce a stated relative difference.

    Parameters
    ----------
    a, b : float
        The two values (first and second source, same unit).
    stated : float
        The stated difference as a fraction (0.73 for "73 per cent").
    tolerance : float
        Largest gap, as a fraction, still counted as a match. For a
        percentage stated as a whole number use 0.005 (half a percentage
        point: "73 per cent" stands for anything in [72.5, 73.5)).
    signed : bool, default False
        Compare signed differences. Reports usually state "a difference of
        73 per cent" without a sign, so by default ``|(a - b) / base|`` is
        compared.

    Returns
    -------
    pandas.DataFrame
        One row per base in :data:`BASES`: ``base``, ``relative``
        (``(a - b) / base``), ``gap`` (compared value minus ``stated``) and
        ``matches`` (``|gap| <= tolerance``).

    Examples
    --------
    >>> m = matching_bases(325600, 87600, 0.73, 0.005)
    >>> m.loc[m["matches"], "base"].tolist()
    ['first']
    """
    if tolerance < 0:
        raise InputError(f"tolerance must be >= 0, got {tolerance}")
    finite_array(stated, "stated difference")
    rel = np.array([relative_difference(a, b, base=base) for base in BASES])
    compared = rel if signed else np.abs(rel)
    gap = compared - float(stated)
    return pd.DataFrame({"base": list(BASES), "relative": rel, "gap": gap, "matches": np.abs(gap) <= tolerance})
