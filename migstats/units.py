"""The one pint unit registry of migstats, and helpers between units and floats.

Everything in migstats that has a unit converts through :data:`ureg`, built on
first use; the units migstats defines itself written with a scale word
(``"thousand person"`` to ``"person"``) convert by that word's factor without
building it (the same factor, exactly).
Currency is a dimension of its own (``[currency]``, base unit ``USD``), so a sum
of dollars and persons raises :class:`~migstats.errors.UnitError` instead of
returning a number. People are counted in ``person`` (``[population]``); other
counted things (countries, censuses, member states) in ``count`` (``[count]``),
which does not convert to a percentage. ``percent`` and ``dimensionless`` are
plain ratios; a ``decade`` is ten years.
Scale words (``thousand``, ``million``, ``billion``) are dimensionless factors,
so ``"billion USD"`` and ``"million person"`` parse, and ``"USD / month"``
converts to ``"USD / year"`` by the calendar factor 12.

Unit strings as stored in migstats tables are pint expressions: juxtaposition
multiplies (``"billion USD"``), ``/`` divides (``"USD / month"``).
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Iterable

import numpy as np
import pandas as pd

from ._deprecation import changed_arguments, renamed_function
from .errors import MissingValueError, UnitError

if TYPE_CHECKING:
    import pint

__all__ = [
    "ureg",
    "Quantity",
    "parse_unit",
    "check_unit",
    "quantity",
    "to_quantities",
    "convert",
    "convert_values",
    "magnitudes",
    "conversion_factor",
    "is_dimension",
    "add_quantities",
    "add",  # deprecated alias of add_quantities
]

# The units and scale words migstats defines on top of pint's defaults. A unit written
# "<scale word> <unit>" or "<unit>" with these words parses, and converts to the plain "<unit>",
# without the registry (see _own_factor): the registry is built from the same definitions, and a
# test checks that both give the same factor for every such pair.
_OWN_UNITS = {
    "USD": "USD = [currency] = US_dollar = dollar",
    "person": "person = [population] = persons = people = migrant = migrants",
}
_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9}


@cache
def _registry() -> pint.UnitRegistry:
    """The migstats registry: pint's default definitions with two changes that matter for statistics.

    pint defines ``count`` as dimensionless (so 5 percent would convert to
    0.05 count) and ``decade`` as a logarithmic factor of ten (so "three
    decades" would be 3000). migstats counts things in their own dimension
    ``[count]`` and means ten years by a decade, so both lines are left out
    when the default definitions are loaded and defined anew.

    Built on first use: importing pint and parsing its definitions takes
    about 0.4 s, which the bundled tables and the flow estimates do not need
    (their units are migstats' own, see :func:`_own_factor`).
    """
    from pathlib import Path

    import pint

    base = Path(pint.__file__).parent
    replaced = {"count = []": "count = [count]", "decade = 1 ; logbase: 10; logfactor: 1": "decade = 10 * year"}
    lines = []
    for line in (base / "default_en.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("@import"):
            lines += (base / line.split()[1]).read_text(encoding="utf-8").splitlines()
        elif line.strip() not in replaced:
            # (should pint reword a replaced line, defining it below raises RedefinitionError)
            lines.append(line)
    registry = pint.UnitRegistry(filename=None, on_redefinition="raise", cache_folder=None)
    registry.load_definitions(lines)
    for definition in (
        *replaced.values(),
        *_OWN_UNITS.values(),
        *(f"{word} = {factor!r}" for word, factor in _SCALES.items()),
    ):
        registry.define(definition)
    registry.formatter.default_format = "~"
    return registry


def __getattr__(name: str):
    # ``ureg`` and ``Quantity`` are built on first access (PEP 562), not on import
    if name == "ureg":
        return _registry()
    if name == "Quantity":
        return _registry().Quantity
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _own_factor(unit: str) -> tuple[float, str] | None:
    """``(factor, unit)`` of ``"<scale word> <unit>"`` or ``"<unit>"`` in migstats' own words, else None."""
    words = unit.split(" ")
    if len(words) == 1 and words[0] in _OWN_UNITS:
        return 1.0, words[0]
    if len(words) == 2 and words[0] in _SCALES and words[1] in _OWN_UNITS:
        return _SCALES[words[0]], words[1]
    return None


def parse_unit(unit: str) -> pint.Unit:
    """Parse a unit string with the migstats registry.

    Parameters
    ----------
    unit : str
        A pint expression such as ``"billion USD"``, ``"percent"``,
        ``"USD / month"`` or ``"person"``.

    Returns
    -------
    pint.Unit

    Raises
    ------
    UnitError
        If the string is empty or not a unit of the registry.

    See Also
    --------
    check_unit : the same, returning the string.

    Examples
    --------
    >>> parse_unit("billion USD").dimensionality == parse_unit("USD").dimensionality
    True
    """
    if not isinstance(unit, str) or not unit.strip():
        raise UnitError(f"unit must be a non-empty string, got {unit!r}")
    try:
        return _registry().parse_units(unit)
    except Exception as exc:  # noqa: BLE001
        # pint's parser raises a zoo of exception types on junk input (even
        # AssertionError); all of them mean "this is not a unit"
        raise UnitError(f"cannot parse unit {unit!r}: {exc}") from None


def check_unit(unit: str) -> str:
    """Return ``unit`` unchanged if it parses, else raise :class:`UnitError`.

    Parameters
    ----------
    unit : str
        A unit string (see :func:`parse_unit`).

    Returns
    -------
    str
        ``unit``, unchanged.

    Raises
    ------
    UnitError
        If the string is empty or not a unit of the registry.

    See Also
    --------
    parse_unit : the parsed unit.

    Examples
    --------
    >>> check_unit("million person")
    'million person'
    """
    if not (isinstance(unit, str) and _own_factor(unit)):
        parse_unit(unit)
    return unit


def quantity(value: float, unit: str) -> pint.Quantity:
    """One value with its unit as a pint Quantity.

    Parameters
    ----------
    value : float
        The number.
    unit : str
        Its unit (see :func:`parse_unit`).

    Returns
    -------
    pint.Quantity

    Raises
    ------
    UnitError
        If the unit does not parse.

    See Also
    --------
    to_quantities : one quantity per row of a table.

    Examples
    --------
    >>> quantity(340, "USD / month").to("USD / year").magnitude
    4080.0
    """
    return _registry().Quantity(value, parse_unit(unit))


def conversion_factor(from_unit: str, to_unit: str) -> float:
    """The factor ``f`` with ``value_in_to = f * value_in_from``.

    Parameters
    ----------
    from_unit, to_unit : str
        Unit strings of the same dimension.

    Returns
    -------
    float
        The factor.

    Raises
    ------
    UnitError
        If a unit does not parse, or the two have different dimensions
        (say USD and person).

    See Also
    --------
    convert : convert one number.

    Examples
    --------
    >>> conversion_factor("billion USD", "million USD")
    1000.0
    """
    own = _own_factor(from_unit) if isinstance(from_unit, str) else None
    if own and own[1] == to_unit:
        # "thousand person" to "person": the scale word's factor, exactly what the registry gives
        return own[0]
    import pint

    src, dst = parse_unit(from_unit), parse_unit(to_unit)
    try:
        return float(_registry().Quantity(1.0, src).to(dst).magnitude)
    except pint.errors.DimensionalityError:
        raise UnitError(
            f"cannot convert {from_unit!r} ({src.dimensionality}) "
            f"to {to_unit!r} ({dst.dimensionality})"
        ) from None


def convert(value: float, from_unit: str, to_unit: str) -> float:
    """Convert one plain number between two units and return a plain float.

    Parameters
    ----------
    value : float
        The number, in ``from_unit``.
    from_unit, to_unit : str
        Unit strings of the same dimension.

    Returns
    -------
    float
        ``value`` in ``to_unit``.

    Raises
    ------
    UnitError
        As :func:`conversion_factor`.

    See Also
    --------
    convert_values : many values, each with its own unit.

    Examples
    --------
    >>> convert(340, "USD / month", "USD / year")
    4080.0
    >>> convert(283, "billion USD", "USD")
    283000000000.0
    """
    return float(value) * conversion_factor(from_unit, to_unit)


@changed_arguments(renamed={"units": "unit"})
def convert_values(values, unit, to_unit: str) -> np.ndarray:
    """Convert values, each with its own unit string, to one unit.

    Parameters
    ----------
    values : array-like of float
        The numbers.
    unit : str or array-like of str
        One unit for all values, or one per value (a ``unit`` column).
    to_unit : str
        The target unit.

    Returns
    -------
    numpy.ndarray of float
        Plain floats in ``to_unit``; NaN stays NaN.

    Raises
    ------
    UnitError
        If any unit does not parse or cannot convert to ``to_unit``.

    See Also
    --------
    convert : one number.

    Examples
    --------
    >>> convert_values([7.5, 500.0], ["billion USD", "million USD"], "million USD").tolist()
    [7500.0, 500.0]
    """
    vals = np.asarray(values, dtype=float)
    if isinstance(unit, str):
        return vals * conversion_factor(unit, to_unit)
    units = list(unit)
    if len(units) != len(vals):
        raise UnitError(f"{len(vals)} values but {len(units)} units")
    factors = {u: conversion_factor(u, to_unit) for u in set(units)}
    return vals * np.array([factors[u] for u in units], dtype=float)


@changed_arguments(renamed={"frame": "data"}, positional=("value", "unit"))
def to_quantities(data: pd.DataFrame, *, value: str = "value", unit: str = "unit") -> list:
    """Turn a value column and a unit column into a list of pint Quantities.

    A plain list (not pint-pandas) because a table of report figures mixes
    units row by row.

    Parameters
    ----------
    data : pandas.DataFrame
        A table with a value column and a unit column.
    value, unit : str, default "value", "unit"
        The names of the two columns.

    Returns
    -------
    list of pint.Quantity
        One per row.

    Raises
    ------
    UnitError
        If a unit does not parse.

    See Also
    --------
    magnitudes : back to plain floats in one unit.

    Examples
    --------
    >>> import pandas as pd
    >>> qs = to_quantities(pd.DataFrame({"value": [7.5, 4.0], "unit": ["billion USD", "billion USD"]}))
    >>> magnitudes(qs, "million USD").tolist()
    [7500.0, 4000.0]
    """
    return [quantity(v, u) for v, u in zip(data[value], data[unit])]


def magnitudes(quantities: Iterable, to_unit: str) -> np.ndarray:
    """Plain floats of quantities expressed in ``to_unit``.

    Parameters
    ----------
    quantities : iterable of pint.Quantity
        The quantities (from :func:`quantity` or :func:`to_quantities`).
    to_unit : str
        The unit of the result.

    Returns
    -------
    numpy.ndarray of float

    Raises
    ------
    UnitError
        If a quantity cannot convert to ``to_unit``.
    MissingValueError
        If an element is not a pint Quantity.

    See Also
    --------
    to_quantities : the way in.

    Examples
    --------
    >>> magnitudes([quantity(2, "billion USD")], "million USD").tolist()
    [2000.0]
    """
    import pint

    dst = parse_unit(to_unit)
    out = []
    for i, q in enumerate(quantities):
        if not isinstance(q, pint.Quantity):
            raise MissingValueError(f"element {i} is not a quantity: {q!r}")
        try:
            out.append(float(q.to(dst).magnitude))
        except pint.errors.DimensionalityError:
            raise UnitError(f"element {i}: cannot convert {q.units} to {to_unit!r}") from None
    return np.array(out, dtype=float)


def is_dimension(unit: str, dimension: str) -> bool:
    """Whether ``unit`` has the given pint dimensionality, e.g. ``"[currency]"``.

    Parameters
    ----------
    unit : str
        A unit string.
    dimension : str
        A pint dimensionality (``"[currency]"``, ``"[person]"``), or
        ``"dimensionless"``.

    Returns
    -------
    bool

    See Also
    --------
    conversion_factor : converts between units of one dimension.

    Examples
    --------
    >>> is_dimension("billion USD", "[currency]"), is_dimension("percent", "dimensionless")
    (True, True)
    """
    dims = parse_unit(unit).dimensionality
    if dimension in ("", "[]", "dimensionless"):
        return len(dims) == 0
    return dims == _registry().get_dimensionality(dimension)


def add_quantities(a: pint.Quantity, b: pint.Quantity) -> pint.Quantity:
    """Sum of two pint quantities, in the unit of ``a``.

    (For hedged figures with intervals, see :func:`migstats.analysis.interval_add`.)

    Parameters
    ----------
    a, b : pint.Quantity
        Quantities of the same dimension (from :func:`quantity`).

    Returns
    -------
    pint.Quantity
        ``a + b`` in the unit of ``a``.

    Raises
    ------
    UnitError
        If the dimensions differ (USD plus persons), instead of pint's
        DimensionalityError, so callers catch one migstats error class.

    See Also
    --------
    convert : convert a plain number between units.

    Examples
    --------
    >>> total = add_quantities(quantity(283, "billion USD"), quantity(500, "million USD"))
    >>> round(total.magnitude, 1)
    283.5
    """
    import pint

    try:
        return a + b
    except pint.errors.DimensionalityError:
        raise UnitError(f"cannot add {b.units} to {a.units}: dimensions differ") from None


add = renamed_function(add_quantities, "add", __name__)
