"""Discrepancies between two sources' figures for the same thing.

A "difference of 73 per cent" means nothing until its base is known: the
same two numbers differ by 73 per cent of one and by 272 per cent of the
other. Every relative measure here therefore takes its base as a required
argument, or names its columns by base.

Values ``a`` (the *first* source) and ``b`` (the *second*):

- signed difference ``d = a - b``;
- relative to the first: ``d / a``; to the second: ``d / b``;
- relative to their mean (symmetric): ``d / ((a + b) / 2)``;
- ratio ``a / b`` and log ratio ``ln(a / b)`` (which exists only when ``a``
  and ``b`` have the same sign).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import InputError
from ..units import conversion_factor
from ._checks import finite_array, input_index, label, nonzero_base, same_shape

__all__ = ["BASES", "relative_difference", "discrepancies", "matching_bases"]

#: the bases a relative difference can be taken on
BASES = ("first", "second", "mean")


def _pair(a, b, a_unit, b_unit):
    if (a_unit is None) != (b_unit is None):
        raise InputError("give units for both values or for neither")
    x, y = same_shape(a=finite_array(a, "a (the first value)"), b=finite_array(b, "b (the second value)"))
    if a_unit is not None:
        y = y * conversion_factor(b_unit, a_unit)
    return x, y


def _where(a, b):
    """Names an element by the index label of a Series input, else by its 1-based position."""
    index = input_index(a, b)
    if index is not None:
        return lambda i: f"index label {label(index[i])}"
    return None if np.ndim(a) == 0 and np.ndim(b) == 0 else (lambda i: f"element {i + 1}")


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

    See Also
    --------
    discrepancies : every measure at once, columns named by base.
    matching_bases : which base reproduces a stated difference.

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
    where = _where(a, b)
    out = _scalar((x - y) / nonzero_base(denominators[base], f"the {base} base", where))
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
        b``) and ``log_ratio`` (``ln(a / b)``). Values of opposite signs
        (a net flow, a balance) have every measure but the log ratio, which
        does not exist for them: ``log_ratio`` is NaN on exactly those rows,
        and ``log_ratio_note`` says so ("opposite signs"; empty elsewhere).
        Plus ``unit`` when units are given. The index of a Series ``a``
        is kept.

    Raises
    ------
    ZeroBaseError
        If a value (or ``a + b``) is zero: every relative measure needs
        non-zero bases.
    InputError
        If units are given for one value only, a value is infinite or not
        a number, or ``a`` and ``b`` differ in shape.
    MissingValueError
        If a value is NaN.

    See Also
    --------
    relative_difference : one measure on a chosen base.

    Examples
    --------
    >>> out = discrepancies(-1, 2).iloc[0]
    >>> float(out["rel_to_second"]), float(out["ratio"]), out["log_ratio_note"]
    (-1.5, -0.5, 'opposite signs')
    """
    x, y = _pair(a, b, a_unit, b_unit)
    where = _where(a, b)
    x, y = np.atleast_1d(x), np.atleast_1d(y)
    ratio = x / nonzero_base(y, "b (the second value)", where)
    nonzero_base(x, "a (the first value)", where)
    same_sign = ratio > 0
    out = pd.DataFrame(
        {
            "first": x,
            "second": y,
            "difference": x - y,
            "rel_to_first": (x - y) / x,
            "rel_to_second": (x - y) / y,
            "rel_to_mean": (x - y) / nonzero_base((x + y) / 2, "the mean of a and b", where),
            "ratio": ratio,
            "log_ratio": np.where(same_sign, np.log(np.where(same_sign, ratio, 1.0)), np.nan),
            "log_ratio_note": np.where(same_sign, "", "opposite signs"),
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
        The two values (first and second source, same unit); single
        numbers, since one stated difference is matched.
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

    Raises
    ------
    InputError
        If ``a``, ``b`` or ``stated`` is not a single finite number, or
        ``tolerance`` is negative.
    ZeroBaseError
        If a base is zero.

    See Also
    --------
    relative_difference : the difference on one base.

    Examples
    --------
    >>> m = matching_bases(325600, 87600, 0.73, 0.005)
    >>> m.loc[m["matches"], "base"].tolist()
    ['first']
    """
    for name, x in (("a", a), ("b", b), ("stated", stated), ("tolerance", tolerance)):
        if np.ndim(x) != 0:
            raise InputError(f"{name} must be a single number, got an array of shape {np.shape(x)}; "
                             "matching_bases compares one pair with one stated difference")
        finite_array(x, name)
    if tolerance < 0:
        raise InputError(f"tolerance must be >= 0, got {tolerance}")
    rel = np.array([relative_difference(a, b, base=base) for base in BASES])
    compared = rel if signed else np.abs(rel)
    gap = compared - float(stated)
    return pd.DataFrame({"base": list(BASES), "relative": rel, "gap": gap, "matches": np.abs(gap) <= tolerance})
