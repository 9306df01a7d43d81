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
    check_last_record,
    check_unique_rows,
    data_lines,
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
    # pandas parses the three number columns; a bad cell leaves its column as text for parse_numbers
    text_columns = [c for c in header if c not in ("OBS_VALUE", "TIME_PERIOD", "UNIT_MULT")]
    raw = read_csv_text(text, path, text_columns=text_columns, missing=("",))
    check_last_record(text, len(raw.columns), path)
    lines = data_lines(text, len(raw))

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

    # Every code column but the attributes identifies an observation: one row each.
    keys = [c for c in raw.columns if c not in _ATTRIBUTES and re.fullmatch(r"[A-Z_]+", c)]
    check_unique_rows(raw[keys].assign(TIME_PERIOD=years), lines, path, column="REF_AREA")

    out = pd.DataFrame(
        {
            "code": codes,
            "name": strip_text(raw["Reference area"]),
            "year": years.astype("int64"),
            "value": numbers["OBS_VALUE"].to_numpy() * 10.0 ** numbers["UNIT_MULT"].to_numpy(),
            "unit": unit_codes.map(_UNITS),
            "flags": strip_text(raw["OBS_STATUS"]),
        }
    )
    columns = list(raw.columns)
    for i, column in enumerate(columns):
        if column in _NOT_DIMENSIONS or not re.fullmatch(r"[A-Z_]+", column):
            continue
        name = column.lower()
        out[name] = strip_text(raw[column])
        if i + 1 < len(columns) and not re.fullmatch(r"[A-Z_]+", columns[i + 1]):
            out[f"{name}_label"] = strip_text(raw[columns[i + 1]])
    out["dataflow"] = strip_text(raw["STRUCTURE_ID"])
    published_empty = out["value"].isna()
    out = out[~published_empty].reset_index(drop=True)
    source = "OECD, " + ", ".join(strip_text(raw["STRUCTURE_NAME"]).unique())
    out = finish(out, source=source, vintage=vintage, licence=OECD_LICENCE, path=path)
    out.attrs["empty_observations"] = int(published_empty.sum())
    return out
