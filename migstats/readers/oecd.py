"""Reader of OECD Data Explorer exports ("CSV with labels") of the International Migration Database."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from ..countries import known_iso3
from ..errors import ReaderError
from ._numbers import check_domain, parse_numbers
from ._text import read_records, read_text
from ._tidy import (
    add_flag,
    check_one_name_per_code,
    check_unique_rows,
    check_unknown_choice,
    coded,
    finish,
    mapped,
    stripped,
)

__all__ = ["read_oecd", "OECD_LICENCE"]

OECD_LICENCE = "CC-BY-4.0 (OECD Terms and Conditions; OECD data released under CC BY 4.0 since July 2024)"

_REQUIRED = ["STRUCTURE_ID", "STRUCTURE_NAME", "REF_AREA", "Reference area", "MEASURE", "UNIT_MEASURE",
             "TIME_PERIOD", "OBS_VALUE", "OBS_STATUS", "UNIT_MULT"]
# Columns that are not dimensions of the observation (or are handled apart).
_NOT_DIMENSIONS = {"STRUCTURE", "STRUCTURE_ID", "STRUCTURE_NAME", "ACTION", "REF_AREA", "FREQ", "TIME_PERIOD",
                   "OBS_VALUE", "OBS_STATUS", "UNIT_MULT", "DECIMALS", "UNIT_MEASURE"}
_UNITS = {"PS": "person"}
# Number columns, whose label column stays empty.
_NUMBERS = {"TIME_PERIOD", "OBS_VALUE"}
# Columns that describe an observation rather than identify it.
_ATTRIBUTES = {"STRUCTURE", "STRUCTURE_NAME", "ACTION", "OBS_VALUE", "OBS_STATUS", "UNIT_MULT", "DECIMALS"}
_CODE_COLUMN = re.compile(r"[A-Z_]+")
# The International Migration Database starts in the 1980s; a wider window still refuses a mangled year.
_FIRST_YEAR, _LAST_YEAR = 1900, 2100


def read_oecd(path, *, vintage: str | None = None, unknown: str = "raise"):
    """Read an OECD Data Explorer "CSV with labels" export (one observation per row).

    Each dimension comes as a code column followed by its label column
    (``REF_AREA``, ``Reference area``, ...); the label columns ``Time period``
    and ``Observation value`` are empty in these exports.

    Parameters
    ----------
    path : path-like
    vintage : str, optional
        The download's edition; the export does not state one.
    unknown : {"raise", "keep"}
        A ``REF_AREA`` that is not in the country table: raise (default), or
        keep its rows with an empty ``code`` and the flag ``u``.

    Returns
    -------
    DataFrame
        One row per observation with a value; rows whose ``OBS_VALUE`` is
        published empty are left out and counted in
        ``attrs["empty_observations"]``. Mapping:

        ======================  ================================================
        ``code``                ``REF_AREA`` (ISO3 of the reporting country)
        ``name``                ``Reference area``
        ``year``                ``TIME_PERIOD`` (int)
        ``value``               ``OBS_VALUE`` x 10 ** ``UNIT_MULT``
        ``unit``                from ``UNIT_MEASURE`` (PS -> ``person``)
        ``flags``               ``OBS_STATUS``: A normal, E estimated,
                                P provisional (``u`` added for a kept
                                unknown area)
        ``measure``             ``MEASURE`` (B11 national inflows of foreign
                                population; MIG_FLW standardised flows)
        ``<dimension>``         every other dimension code column in lower
                                case (``citizenship``, ``sex``,
                                ``migration_type``, ...), with its label as
                                ``<dimension>_label``
        ``dataflow``            ``STRUCTURE_ID``
        ``source``              ``STRUCTURE_NAME``, with "OECD, " prefixed
        ======================  ================================================

    Raises
    ------
    ReaderError
        Binary input, a missing column, a line with more or fewer fields than
        the header, no data lines, an ``OBS_VALUE`` that is not a number with a
        decimal point, a negative, infinite or implausible value (above 1e10
        persons), an empty or unparsable ``TIME_PERIOD`` or
        ``UNIT_MULT``, an unknown unit, two rows for the same observation
        (same code in every dimension column and ``TIME_PERIOD``; the
        message names both lines). Lines are physical lines, blank lines
        counted.
    UnknownCountryError
        A ``REF_AREA`` that is not in the country table.

    Examples
    --------
    Germany's 2006 inflow of foreign population, as the national-definition export writes it:

    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "imd.csv"
    >>> _ = path.write_text(
    ...     "STRUCTURE,STRUCTURE_ID,STRUCTURE_NAME,ACTION,REF_AREA,Reference area,MEASURE,Measure,"
    ...     "UNIT_MEASURE,Unit of measure,TIME_PERIOD,Time period,OBS_VALUE,Observation value,"
    ...     "OBS_STATUS,Observation status,UNIT_MULT,Unit multiplier\\n"
    ...     "DATAFLOW,OECD.ELS.IMD:DSD_MIG@DF_MIG(1.0),International migration database,I,DEU,Germany,"
    ...     "B11,Inflows of foreign population,PS,Persons,2006,,558467,,A,Normal value,0,Units\\n")
    >>> print(read_oecd(path)[["code", "year", "value", "unit", "flags", "measure"]].to_string(index=False))
    code  year    value   unit flags measure
     DEU  2006 558467.0 person     A     B11
    """
    path = Path(path)
    check_unknown_choice(unknown)
    records = read_records(read_text(path), path, required=_REQUIRED)
    header = [cell.strip() for cell in records.header]
    lines = records.lines

    def text(name):
        return stripped(records.cells[:, header.index(name)])

    number_columns = ["OBS_VALUE", "TIME_PERIOD", "UNIT_MULT"]
    numbers = parse_numbers(np.stack([records.cells[:, header.index(c)] for c in number_columns], axis=1), path,
                            lines=lines, columns=number_columns, convention="OECD writes a decimal point")
    for k, column in enumerate(number_columns[1:], start=1):
        given = numbers[:, k]
        bad = ~(np.isfinite(given) & (given == np.round(given)) & (np.abs(given) < 1e4))
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise ReaderError(f"empty or not a whole number: {records.cells[i, header.index(column)]!r}", file=path,
                              row=int(lines[i]), column=column, row_kind="line")
    years = numbers[:, 1]
    implausible = (years < _FIRST_YEAR) | (years > _LAST_YEAR)
    if implausible.any():
        i = int(np.flatnonzero(implausible)[0])
        raise ReaderError(f"year {years[i]:g} is outside {_FIRST_YEAR}-{_LAST_YEAR}", file=path, row=int(lines[i]),
                          column="TIME_PERIOD", row_kind="line")

    unit_codes = text("UNIT_MEASURE")
    units = mapped(unit_codes, _UNITS)
    bad_unit = np.equal(units, None)
    if bad_unit.any():
        i = int(np.flatnonzero(bad_unit)[0])
        raise ReaderError(f"unknown unit of measure {unit_codes[i]!r}", file=path, row=int(lines[i]),
                          column="UNIT_MEASURE", row_kind="line")
    values = numbers[:, 0] * 10.0 ** numbers[:, 2]
    for unit in set(units):
        check_domain(np.where(units == unit, values, np.nan), path=path, unit=unit, signed=False,
                     what="migrant inflows", lines=lines, columns=["OBS_VALUE"])

    codes = text("REF_AREA")
    codes, kept = coded(codes, ~mapped(codes, dict.fromkeys(known_iso3(), True), False).astype(bool), unknown=unknown, path=path, lines=lines,
                        column="REF_AREA", what="reference area {!r} is not in the country table")
    # Each code has one label and each label one code, throughout the file: a damaged byte in either
    # shows up here instead of passing into the table (countries kept unknown on request aside).
    for code_column, label in _labelled(header):
        rows = ~kept if code_column == "REF_AREA" else slice(None)
        pair = text(code_column)[rows], text(label)[rows]
        check_one_name_per_code(*pair, lines[rows], path, column=label)
        check_one_name_per_code(*reversed(pair), lines[rows], path, column=code_column)
    check_unique_rows({c: years if c == "TIME_PERIOD" else text(c) for c in _keys(header)}, lines, path,
                      column="REF_AREA")

    out = {
        "code": codes,
        "name": text("Reference area"),
        "year": years.astype("int64"),
        "value": values,
        "unit": units,
        "flags": add_flag(text("OBS_STATUS"), kept),
    }
    for column, label in _dimensions(header):
        out[column.lower()] = text(column)
        if label is not None:
            out[f"{column.lower()}_label"] = text(label)
    out["dataflow"] = text("STRUCTURE_ID")
    published_empty = np.isnan(values)
    if published_empty.any():
        out = {name: column[~published_empty] for name, column in out.items()}
    source = "OECD, " + ", ".join(dict.fromkeys(text("STRUCTURE_NAME")))
    return finish(out, source=source, vintage=vintage, licence=OECD_LICENCE, path=path,
                  empty_observations=int(published_empty.sum()))


def _keys(columns) -> list[str]:
    """The columns identifying an observation: every code column but the attributes."""
    return [c for c in columns if c not in _ATTRIBUTES and _CODE_COLUMN.fullmatch(c)]


def _labelled(columns) -> list[tuple[str, str]]:
    """Each code column and the label column beside it (``STRUCTURE_ID`` and ``STRUCTURE_NAME`` too)."""
    columns = list(columns)
    pairs = [(code, label) for code, label in zip(columns, columns[1:])
             if _CODE_COLUMN.fullmatch(code) and not _CODE_COLUMN.fullmatch(label) and code not in _NUMBERS]
    return pairs + [("STRUCTURE_ID", "STRUCTURE_NAME")]


def _dimensions(columns) -> list[tuple[str, str | None]]:
    """Each dimension code column and its label column (the next one, unless a code column too)."""
    columns = list(columns)
    pairs = []
    for i, column in enumerate(columns):
        if column in _NOT_DIMENSIONS or not _CODE_COLUMN.fullmatch(column):
            continue
        label = columns[i + 1] if i + 1 < len(columns) and not _CODE_COLUMN.fullmatch(columns[i + 1]) else None
        pairs.append((column, label))
    return pairs
