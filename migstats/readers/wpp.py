"""Reader of UN World Population Prospects 2024 tables of births, deaths and net migration.

The layout is that of the ``wpp2024`` R package's raw data (``data-raw/*.txt``):
tab-separated UTF-8 text, no quoting, a header ``country_code``, ``country``
and one column per calendar year, numbers with a decimal point and no
thousands separator, values in thousands. Which code is a country and which
an aggregate comes from the package's location list, ``UNlocations.txt``
(``location_type`` 4 is a country or area).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from ..countries import iso3_from_m49
from ..errors import InputError, ReaderError, UnknownCountryError, UnknownNameError
from ._numbers import check_domain, parse_numbers
from ._text import read_records, read_text
from ._tidy import check_unique_rows, check_unknown_choice, finish, melt_columns, require_columns

__all__ = ["read_wpp", "WPP_LICENCE", "WPP_CITATION", "WPP_SOURCE"]

WPP_LICENCE = "CC-BY-3.0-IGO (2024 United Nations, DESA, Population Division)"
WPP_CITATION = (
    "United Nations, Department of Economic and Social Affairs, Population Division (2024). "
    "World Population Prospects 2024. https://population.un.org/wpp/"
)
WPP_SOURCE = "UN DESA Population Division, World Population Prospects 2024"
_VINTAGE = "2024"
# The files do not state their unit; the package documents every table in thousands.
_UNIT = "thousand person"
# variable -> whether negative values are allowed
_SIGNED = {"births": False, "deaths": False, "net_migration": True}
# file-name stem (lower case, before any "projMed") -> variable
_STEMS = {"births": "births", "deaths": "deaths", "migration": "net_migration"}
_PROJECTION = "projmed"
_COUNTRY_TYPE = 4
_YEAR = re.compile(r"\d{4}")
_CODE = re.compile(r"\d+")
_CONVENTION = "WPP writes a decimal point, no thousands separator, and a value in every cell"
_LAST_OBSERVED = "last.observed"


def read_wpp(path, *, series=None, unknown: str = "raise", vintage=None, locations=None) -> pd.DataFrame:
    """Read a WPP 2024 table of births, deaths or net migration by area and calendar year.

    Parameters
    ----------
    path : path-like
        ``births.txt``, ``deaths.txt``, ``migration.txt`` (estimates,
        1950-2023) or ``birthsprojMed.txt``, ``deathsprojMed.txt``
        (medium-variant projection, 2024-2100).
    series : {"births", "deaths", "net_migration"}, optional
        The series the file holds (the table's ``variable`` column). Default: inferred from the file name; a value
        that contradicts the file name is an error.
    unknown : {"raise", "keep"}
        What to do with a location code that ``UNlocations.txt`` does not list,
        or that it lists as a country or area the country table lacks:
        raise :class:`~migstats.errors.UnknownCountryError` (default), or keep
        its rows with an empty ``code`` and the flag ``u``.
    vintage : str, optional
        The release, default ``"2024"``.
    locations : path-like, optional
        The location list; default ``UNlocations.txt`` beside ``path``.

    Returns
    -------
    DataFrame
        One row per area and year:

        =============  ==================================================
        ``m49``        ``country_code``, the UN M49 location code (int)
        ``code``       ISO3 for countries and areas; '' for aggregates
                       (World, SDG and geographic regions, income groups)
        ``name``       ``country``
        ``aggregate``  True unless ``location_type`` is 4
        ``year``       the calendar year of the column (int)
        ``variable``   ``births``, ``deaths`` or ``net_migration``
        ``value``      thousands of persons in the calendar year (net
                       migration signed: immigrants minus emigrants)
        ``unit``       ``thousand person``
        ``flags``      '' (``u`` for a kept unknown location)
        ``source``     WPP 2024, with the variant for projections
        ``vintage``    ``vintage``
        =============  ==================================================

        ``attrs`` holds source, vintage, unit, licence, citation, file,
        variable, variant (``estimates`` or ``medium-variant projection``)
        and, for net migration, ``last_observed``: the file's
        ``last.observed`` year of each M49 code.

    Raises
    ------
    ReaderError
        A header other than ``country_code``, ``country``, years (and
        ``last.observed``); a line with more or fewer fields than the header;
        a cell that is not a number in the file's convention (empty cells
        included: WPP publishes a value for every area and year); a value that
        is not finite, negative births or deaths, or beyond 1e7 thousand
        persons; a code on two lines; no data lines. Lines are physical lines.
    UnknownCountryError
        An unknown location (see ``unknown``).
    UnknownNameError
        An unknown ``series`` or ``unknown`` choice, or a file name that
        names no series while ``series`` is not given.
    InputError
        A ``series`` that contradicts the file name.

    See Also
    --------
    read_undesa_stock : migrant stocks by area, the same M49 codes.

    References
    ----------
    United Nations, Department of Economic and Social Affairs, Population
    Division (2024). World Population Prospects 2024.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "births.txt").write_text(
    ...     "country_code\\tcountry\\t2020\\t2023\\n"
    ...     "900\\tWorld\\t134719.611\\t132110.264\\n392\\tJapan\\t840.688\\t749.884\\n")
    >>> _ = (folder / "UNlocations.txt").write_text(
    ...     "name\\tcountry_code\\tlocation_type\\nWorld\\t900\\t0\\nJapan\\t392\\t4\\n")
    >>> births = read_wpp(folder / "births.txt")
    >>> print(births[["m49", "code", "aggregate", "year", "value"]].to_string(index=False))
     m49 code  aggregate  year      value
     900            True  2020 134719.611
     392  JPN      False  2020    840.688
     900            True  2023 132110.264
     392  JPN      False  2023    749.884
    >>> births.attrs["unit"], births.attrs["variable"]
    ('thousand person', 'births')
    """
    path = Path(path)
    check_unknown_choice(unknown)
    variable, projection = _variable(path, series)
    records = read_records(read_text(path), path, delimiter="\t", quoting=False)
    header = [cell.strip() for cell in records.header]
    years, last_observed_at = _year_columns(header, path)
    lines = records.lines
    m49 = np.array([_code(cell, path, line) for cell, line in zip(records.cells[:, 0], lines)], dtype="int64")
    check_unique_rows({"country_code": m49}, lines, path, column="country_code")
    labels = header[2 : 2 + len(years)]
    values = parse_numbers(records.cells[:, 2 : 2 + len(years)], path, lines=lines, columns=labels, missing=(),
                           convention=_CONVENTION)
    check_domain(values, path=path, unit=_UNIT, signed=_SIGNED[variable], what=variable.replace("_", " "),
                 lines=lines, columns=labels)

    location_types = _location_types(Path(locations) if locations else path.with_name("UNlocations.txt"))
    codes, aggregate, flags = _classify(m49, location_types, path, lines, unknown)
    ids = {
        "m49": m49,
        "code": codes,
        "name": np.array([cell.strip() for cell in records.cells[:, 1]], dtype=object),
        "aggregate": aggregate,
        "flags": flags,
    }
    long = melt_columns(ids, values, years)
    variant = "medium-variant projection" if projection else "estimates"
    source = WPP_SOURCE + (", medium-variant projection" if projection else "")
    columns = {
        **{name: long[name] for name in ("m49", "code", "name", "aggregate", "year")},
        "variable": variable,
        "value": long["value"],
        "unit": _UNIT,
        "flags": long["flags"],
    }
    last_observed = None
    if last_observed_at is not None:
        last_observed = {int(code): _year_cell(cell, path, line)
                         for code, cell, line in zip(m49, records.cells[:, last_observed_at], lines)}
    return finish(columns, source=source, vintage=vintage or _VINTAGE, licence=WPP_LICENCE, path=path, unit=_UNIT,
                  citation=WPP_CITATION, variable=variable, variant=variant, last_observed=last_observed)


def _variable(path: Path, given) -> tuple[str, bool]:
    """The variable of the file and whether it is a projection, from its name and ``given``."""
    stem = path.stem.lower()
    projection = stem.endswith(_PROJECTION)
    base = stem[: -len(_PROJECTION)] if projection else stem
    inferred = _STEMS.get(base)
    if given is None:
        if inferred is None:
            raise UnknownNameError(
                f"cannot tell the variable from the file name {path.name!r}; pass series= "
                f"({', '.join(map(repr, _SIGNED))})"
            )
        return inferred, projection
    if given not in _SIGNED:
        raise UnknownNameError(f"unknown series {given!r}; choose from {', '.join(map(repr, _SIGNED))}")
    if inferred is not None and inferred != given:
        raise InputError(f"series={given!r} but the file name {path.name!r} says {inferred!r}")
    return given, projection


def _year_columns(header: list[str], path) -> tuple[list[int], int | None]:
    """The years of the value columns, and the position of ``last.observed`` (None if absent)."""
    for position, expected in enumerate(("country_code", "country")):
        if position >= len(header) or header[position] != expected:
            raise ReaderError(f"the header must start with 'country_code', 'country'; found {header[:2]}",
                              file=path, row=1, row_kind="line")
    years, last_observed_at = [], None
    for position, label in enumerate(header[2:], start=2):
        if _YEAR.fullmatch(label) and last_observed_at is None:
            years.append(int(label))
        elif label == _LAST_OBSERVED and last_observed_at is None and position == len(header) - 1:
            last_observed_at = position
        else:
            raise ReaderError("a header cell that is not a year (after the years only 'last.observed' may come)",
                              file=path, row=1, column=label, row_kind="line")
    if not years:
        raise ReaderError("no year columns in the header", file=path, row=1, row_kind="line")
    if len(set(years)) < len(years):
        repeated = next(year for year in years if years.count(year) > 1)
        raise ReaderError("year column appears twice", file=path, row=1, column=str(repeated), row_kind="line")
    return years, last_observed_at


def _code(cell: str, path, line: int) -> int:
    if not _CODE.fullmatch(cell.strip()):
        raise ReaderError(f"location code {cell!r} is not a whole number", file=path, row=int(line),
                          column="country_code", row_kind="line")
    return int(cell)


def _year_cell(cell: str, path, line: int) -> int:
    if not _YEAR.fullmatch(cell.strip()):
        raise ReaderError(f"{cell!r} is not a year", file=path, row=int(line), column=_LAST_OBSERVED, row_kind="line")
    return int(cell)


def _location_types(path: Path) -> dict[int, int]:
    """M49 code -> ``location_type`` from the WPP location list."""
    if not path.is_file():
        raise ReaderError(
            "the WPP location list is needed to tell countries from aggregates: put UNlocations.txt beside the "
            "file or pass locations=",
            file=path,
        )
    records = read_records(read_text(path), path, delimiter="\t", quoting=False)
    header = [cell.strip() for cell in records.header]
    require_columns(header, ("country_code", "location_type"), path, row=1, row_kind="line")
    types = {}
    for code, kind, line in zip(records.column("country_code"), records.column("location_type"), records.lines):
        if not _CODE.fullmatch(kind.strip()):
            raise ReaderError(f"location type {kind!r} is not a whole number", file=path, row=int(line),
                              column="location_type", row_kind="line")
        types[_code(code, path, line)] = int(kind)
    return types


def _classify(m49, location_types, path, lines, unknown):
    """ISO3 code ('' for aggregates and kept unknowns), aggregate mask and flags of each row."""
    codes = np.empty(len(m49), dtype=object)
    aggregate = np.zeros(len(m49), dtype=bool)
    flags = np.full(len(m49), "", dtype=object)
    for i, code in enumerate(m49.tolist()):
        kind = location_types.get(code)
        iso3 = iso3_from_m49(code) if kind == _COUNTRY_TYPE else None
        if kind is not None and kind != _COUNTRY_TYPE:
            codes[i], aggregate[i] = "", True
        elif iso3 is not None:
            codes[i] = iso3
        elif unknown == "keep":
            codes[i], flags[i] = "", "u"
        else:
            why = ("is not in the location list UNlocations.txt" if kind is None
                   else "is a country or area missing from the country table (migstats.countries)")
            raise UnknownCountryError(f"location code {code} {why}", file=path, row=int(lines[i]),
                                      column="country_code", row_kind="line")
    return codes, aggregate, flags
