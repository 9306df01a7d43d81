"""Reader of UN World Population Prospects 2024 tables of births, deaths and net migration.

The layout is that of the ``wpp2024`` R package's raw data (``data-raw/*.txt``):
tab-separated UTF-8 text, no quoting, a header ``country_code``, ``country``
and one column per calendar year, numbers with a decimal point and no
thousands separator, values in thousands. Which code is a country and which
an aggregate comes from the package's location list, ``UNlocations.txt``
(``location_type`` 4 is a country or area).
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import numpy as np
import pandas as pd

from ..countries import iso3_from_m49
from ..errors import InputError, ReaderError, UnknownCountryError, UnknownNameError
from ._common import finish, melt_columns, read_text
from ._domain import check_domain

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
# Decimal point, optional sign and exponent, as R writes numbers; no thousands separator.
_NUMBER = re.compile(r"-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")
_LAST_OBSERVED = "last.observed"


def read_wpp(path, *, variable=None, unknown: str = "raise", vintage=None, locations=None) -> pd.DataFrame:
    """Read a WPP 2024 table of births, deaths or net migration by area and calendar year.

    Parameters
    ----------
    path : path-like
        ``births.txt``, ``deaths.txt``, ``migration.txt`` (estimates,
        1950-2023) or ``birthsprojMed.txt``, ``deathsprojMed.txt``
        (medium-variant projection, 2024-2100).
    variable : {"births", "deaths", "net_migration"}, optional
        What the file holds. Default: inferred from the file name; a value
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
        An unknown ``variable`` or ``unknown`` choice, or a file name that
        names no variable while ``variable`` is not given.
    InputError
        A ``variable`` that contradicts the file name.

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
    if unknown not in ("raise", "keep"):
        raise UnknownNameError(f"unknown choice unknown={unknown!r}; choose 'raise' or 'keep'")
    variable, projection = _variable(path, variable)
    header, records, lines = _records(read_text(path), path)
    years, last_observed_at = _year_columns(header, path)

    m49 = np.array([_code(rec[0], path, line) for rec, line in zip(records, lines)], dtype="int64")
    _check_unique(m49, lines, path)
    values = np.array(
        [[_number(cell, path, line, header[2 + j]) for j, cell in enumerate(rec[2 : 2 + len(years)])]
         for rec, line in zip(records, lines)],
        dtype="float64",
    ).reshape(len(records), len(years))
    check_domain(values, path=path, unit=_UNIT, signed=_SIGNED[variable], what=variable.replace("_", " "),
                 lines=lines, columns=header[2 : 2 + len(years)])

    location_types = _location_types(Path(locations) if locations else path.with_name("UNlocations.txt"))
    codes, aggregate, flags = _classify(m49, location_types, path, lines, unknown)
    ids = {
        "m49": m49,
        "code": codes,
        "name": np.array([rec[1].strip() for rec in records], dtype=object),
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
    out = finish(columns, source=source, vintage=vintage or _VINTAGE, licence=WPP_LICENCE, path=path)
    out["name"] = out["name"].astype("str")
    out["code"] = out["code"].astype("str")
    out.attrs.update(unit=_UNIT, citation=WPP_CITATION, variable=variable, variant=variant)
    if last_observed_at is not None:
        out.attrs["last_observed"] = {
            int(code): _year_cell(rec[last_observed_at], path, line)
            for code, rec, line in zip(m49, records, lines)
        }
    return out


def _variable(path: Path, given) -> tuple[str, bool]:
    """The variable of the file and whether it is a projection, from its name and ``given``."""
    stem = path.stem.lower()
    projection = stem.endswith(_PROJECTION)
    base = stem[: -len(_PROJECTION)] if projection else stem
    inferred = _STEMS.get(base)
    if given is None:
        if inferred is None:
            raise UnknownNameError(
                f"cannot tell the variable from the file name {path.name!r}; pass variable= "
                f"({', '.join(map(repr, _SIGNED))})"
            )
        return inferred, projection
    if given not in _SIGNED:
        raise UnknownNameError(f"unknown variable {given!r}; choose from {', '.join(map(repr, _SIGNED))}")
    if inferred is not None and inferred != given:
        raise InputError(f"variable={given!r} but the file name {path.name!r} says {inferred!r}")
    return given, projection


def _records(text: str, path) -> tuple[list[str], list[list[str]], list[int]]:
    """Header, data records and their physical lines; every record as long as the header."""
    reader = csv.reader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE)
    header, records, lines = None, [], []
    for record in reader:
        if not record:
            continue
        if header is None:
            header = [cell.strip() for cell in record]
            continue
        if len(record) != len(header):
            raise ReaderError(
                f"{len(record)} fields, the header has {len(header)}", file=path, row=reader.line_num, row_kind="line"
            )
        records.append(record)
        lines.append(reader.line_num)
    if not records:
        raise ReaderError("no data lines after the header", file=path)
    return header, records, lines


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
        raise ReaderError(f"location code {cell!r} is not a whole number", file=path, row=line,
                          column="country_code", row_kind="line")
    return int(cell)


def _number(cell: str, path, line: int, column: str) -> float:
    text = cell.strip()
    if not _NUMBER.fullmatch(text):
        raise ReaderError(
            f"cannot read {cell!r} as a number (WPP writes a decimal point, no thousands separator, "
            "and a value in every cell)",
            file=path, row=line, column=column, row_kind="line",
        )
    return float(text)


def _year_cell(cell: str, path, line: int) -> int:
    if not _YEAR.fullmatch(cell.strip()):
        raise ReaderError(f"{cell!r} is not a year", file=path, row=line, column=_LAST_OBSERVED, row_kind="line")
    return int(cell)


def _check_unique(m49: np.ndarray, lines: list[int], path) -> None:
    seen: dict[int, int] = {}
    for code, line in zip(m49.tolist(), lines):
        if code in seen:
            raise ReaderError(f"location code {code} on line {seen[code]} and line {line}", file=path, row=line,
                              column="country_code", row_kind="line")
        seen[code] = line


def _location_types(path: Path) -> dict[int, int]:
    """M49 code -> ``location_type`` from the WPP location list."""
    if not path.is_file():
        raise ReaderError(
            "the WPP location list is needed to tell countries from aggregates: put UNlocations.txt beside the "
            "file or pass locations=",
            file=path,
        )
    header, records, lines = _records(read_text(path), path)
    for name in ("country_code", "location_type"):
        if name not in header:
            raise ReaderError("required column is missing", file=path, row=1, column=name, row_kind="line")
    code_at, type_at = header.index("country_code"), header.index("location_type")
    types = {}
    for rec, line in zip(records, lines):
        kind = rec[type_at].strip()
        if not _CODE.fullmatch(kind):
            raise ReaderError(f"location type {kind!r} is not a whole number", file=path, row=line,
                              column="location_type", row_kind="line")
        types[_code(rec[code_at], path, line)] = int(kind)
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
            raise UnknownCountryError(f"location code {code} {why}", file=path, row=lines[i],
                                      column="country_code", row_kind="line")
    return codes, aggregate, flags
