"""Reader of OECD Data Explorer exports ("CSV with labels") of the International Migration Database."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import numpy as np
import pandas as pd

from ..countries import known_iso3
from ..errors import ReaderError, UnknownCountryError
from ._common import (
    LineNumbers,
    check_last_record,
    check_unique_rows,
    finish,
    parse_numbers,
    read_csv_text,
    read_text,
    require_columns,
    strip_text,
)

__all__ = ["read_oecd", "OECD_LICENCE"]

OECD_LICENCE = "CC-BY-4.0 (OECD Terms and Conditions; OECD data released under CC BY 4.0 since July 2024)"

_REQUIRED = ["STRUCTURE_ID", "STRUCTURE_NAME", "REF_AREA", "Reference area", "MEASURE", "UNIT_MEASURE",
             "TIME_PERIOD", "OBS_VALUE", "OBS_STATUS", "UNIT_MULT"]
# Columns that are not dimensions of the observation (or are handled apart).
_NOT_DIMENSIONS = {"STRUCTURE", "STRUCTURE_ID", "STRUCTURE_NAME", "ACTION", "REF_AREA", "FREQ", "TIME_PERIOD",
                   "OBS_VALUE", "OBS_STATUS", "UNIT_MULT", "DECIMALS", "UNIT_MEASURE"}
_UNITS = {"PS": "person"}
# Columns that describe an observation rather than identify it.
_ATTRIBUTES = {"STRUCTURE", "STRUCTURE_NAME", "ACTION", "OBS_VALUE", "OBS_STATUS", "UNIT_MULT", "DECIMALS"}
_CODE_COLUMN = re.compile(r"[A-Z_]+")


def read_oecd(path, *, vintage: str | None = None) -> pd.DataFrame:
    """Read an OECD Data Explorer "CSV with labels" export (one observation per row).

    Each dimension comes as a code column followed by its label column
    (``REF_AREA``, ``Reference area``, ...); the label columns ``Time period``
    and ``Observation value`` are empty in these exports.

    Parameters
    ----------
    path : path-like
    vintage : str, optional
        The download's edition; the export does not state one.

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
                                P provisional
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
        Binary input, a missing column, a truncated last row, an
        unparsable ``OBS_VALUE``, an empty or unparsable ``TIME_PERIOD`` or
        ``UNIT_MULT``, an unknown unit, two rows for the same observation
        (same code in every dimension column and ``TIME_PERIOD``; the
        message names both lines). Lines are physical lines, blank lines
        counted.
    UnknownCountryError
        A ``REF_AREA`` that is not in the country table.
    """
    path = Path(path)
    text = read_text(path)
    header = next(csv.reader([text.split("\n", 1)[0]]))
    require_columns(header, _REQUIRED, path, row=1, row_kind="line")
    # pandas parses the three number columns (a bad cell leaves its column as text for
    # parse_numbers). Only the columns the reader uses are asked for as text: the others, such as
    # DECIMALS which pandas parses as numbers, would make read_csv_text read them a second time.
    dimensions = _dimensions(header)
    used = {"STRUCTURE_NAME", "Reference area", "OBS_STATUS", *_keys(header)}
    used.update(column for pair in dimensions for column in pair if column is not None)
    text_columns = [c for c in header if c in used and c != "TIME_PERIOD"]
    raw = read_csv_text(text, path, text_columns=text_columns, missing=("",))
    check_last_record(text, len(raw.columns), path)
    lines = LineNumbers(text, len(raw))

    numbers = parse_numbers(raw[["OBS_VALUE", "TIME_PERIOD", "UNIT_MULT"]], path, line_of_row=lines)
    for column in ("TIME_PERIOD", "UNIT_MULT"):
        given = numbers[column].to_numpy()
        bad = ~(np.isfinite(given) & (given == np.round(given)))
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise ReaderError(f"empty or not a whole number: {raw[column].iloc[i]!r}", file=path,
                              row=int(lines[i]), column=column, row_kind="line")
    years = numbers["TIME_PERIOD"].to_numpy()

    codes = strip_text(raw["REF_AREA"])
    unknown = ~codes.isin(known_iso3()).to_numpy()
    if unknown.any():
        i = int(np.flatnonzero(unknown)[0])
        raise UnknownCountryError(f"reference area {codes.iloc[i]!r} is not in the country table",
                                  file=path, row=int(lines[i]), column="REF_AREA", row_kind="line")
    unit_codes = strip_text(raw["UNIT_MEASURE"])
    bad_unit = ~unit_codes.isin(list(_UNITS)).to_numpy()
    if bad_unit.any():
        i = int(np.flatnonzero(bad_unit)[0])
        raise ReaderError(f"unknown unit of measure {unit_codes.iloc[i]!r}", file=path, row=int(lines[i]),
                          column="UNIT_MEASURE", row_kind="line")

    check_unique_rows(
        pd.DataFrame({c: years if c == "TIME_PERIOD" else raw[c].array for c in _keys(raw.columns)}, copy=False),
        lines, path, column="REF_AREA",
    )

    # The columns are gathered as arrays and made a frame once, by finish: inserting them one by
    # one, or building the frame from Series (aligned on their index), costs more than the parse.
    out = {
        "code": codes.array,
        "name": strip_text(raw["Reference area"]).array,
        "year": years.astype("int64"),
        "value": numbers["OBS_VALUE"].to_numpy() * 10.0 ** numbers["UNIT_MULT"].to_numpy(),
        "unit": unit_codes.map(_UNITS).array,
        "flags": strip_text(raw["OBS_STATUS"]).array,
    }
    for column, label in _dimensions(raw.columns):
        out[column.lower()] = strip_text(raw[column]).array
        if label is not None:
            out[f"{column.lower()}_label"] = strip_text(raw[label]).array
    out["dataflow"] = strip_text(raw["STRUCTURE_ID"]).array
    published_empty = np.isnan(out["value"])
    if published_empty.any():
        out = {name: column[~published_empty] for name, column in out.items()}
    source = "OECD, " + ", ".join(strip_text(raw["STRUCTURE_NAME"]).unique())
    out = finish(out, source=source, vintage=vintage, licence=OECD_LICENCE, path=path)
    out.attrs["empty_observations"] = int(published_empty.sum())
    return out


def _keys(columns) -> list[str]:
    """The columns identifying an observation: every code column but the attributes."""
    return [c for c in columns if c not in _ATTRIBUTES and _CODE_COLUMN.fullmatch(c)]


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
