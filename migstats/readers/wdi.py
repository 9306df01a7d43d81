"""Reader of the World Bank WDI bulk-download CSV (``API_<indicator>_DS2_*.csv``)."""

from __future__ import annotations

import csv
import re
from datetime import datetime
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
    melt_columns,
    parse_numbers,
    read_csv_text,
    read_text,
    require_columns,
)

__all__ = ["read_wdi", "WDI_LICENCE"]

WDI_LICENCE = "CC-BY-4.0 (World Bank Terms of Use for Datasets)"

_ID_COLUMNS = ["Country Name", "Country Code", "Indicator Name", "Indicator Code"]
_UNITS = {"current US$": "USD", "% of GDP": "percent"}
_YEAR = re.compile(r"^\d{4}$")


def read_wdi(path, *, metadata_country=None, metadata_indicator=None) -> pd.DataFrame:
    """Read one WDI indicator file in the bulk-download layout.

    The pristine layout (UTF-8 BOM, CRLF, all fields quoted, four preamble
    lines, a trailing empty column) and the Excel re-save of it (no BOM, LF,
    M/D/YYYY date, no trailing column, E notation) are both accepted: the
    header is the first line starting with ``Country Name``.

    Parameters
    ----------
    path : path-like
        The ``API_<indicator>_DS2_*.csv`` file.
    metadata_country, metadata_indicator : path-like, optional
        The companion files; by default ``Metadata_Country_<name>`` and
        ``Metadata_Indicator_<name>`` beside ``path``, used when they exist.

    Returns
    -------
    DataFrame
        One row per non-empty cell. Column mapping:

        ========================  ==========================================
        ``code``                  ``Country Code`` (ISO3, or the World Bank
                                  aggregate code such as WLD, LMY)
        ``name``                  ``Country Name``
        ``year``                  the year column header (int)
        ``value``                 the cell (float); empty cells are omitted
        ``unit``                  from ``Indicator Name``: "(current US$)" ->
                                  ``USD``, "(% of GDP)" -> ``percent``
        ``flags``                 always '' (WDI publishes no flags)
        ``indicator``             ``Indicator Code``
        ``is_aggregate``          True when the metadata gives no Region;
                                  without metadata, when the code is not a
                                  country ISO3 code of :mod:`migstats.countries`.
                                  A code missing from the metadata is an error
                                  unless its row is empty (INX "Not
                                  classified")
        ``region``                metadata ``Region`` (NA for aggregates)
        ``income_group``          metadata ``IncomeGroup``
        ``source``                the preamble "Data Source"
        ``vintage``               the preamble "Last Updated Date" (ISO date)
        ========================  ==========================================

        ``attrs`` holds source, vintage, licence, file, indicator and, with the
        indicator metadata, its definition and source organisation.

    Raises
    ------
    ReaderError
        No header line, a missing column, a truncated last row, a cell that is
        not a number, an unknown unit, two rows for the same country code
        (naming both lines). Lines are physical lines of the file, blank
        lines counted.
    UnknownCountryError
        A code with data that the metadata does not list, or that the
        metadata classes as a country but is not in the country table.
    """
    path = Path(path)
    text = read_text(path)
    lines = text.split("\n", 12)
    header_at = next((i for i, line in enumerate(lines[:12]) if line.lstrip('"').startswith("Country Name")), None)
    if header_at is None:
        raise ReaderError("no header line starting with 'Country Name' in the first 12 lines", file=path)
    preamble = {row[0]: row[1] for row in csv.reader(lines[:header_at]) if len(row) >= 2 and row[0]}
    header = next(csv.reader([lines[header_at]]))
    require_columns(header, _ID_COLUMNS, path, row=header_at + 1, row_kind="line")
    check_last_record(text, len(header), path)

    raw = read_csv_text(text, path, skiprows=header_at, text_columns=_ID_COLUMNS, missing=("",))
    line_of_row = LineNumbers(text, len(raw), skip=header_at)
    years = {c: int(c) for c in raw.columns if _YEAR.match(str(c))}
    if not years:
        raise ReaderError("no year columns in the header", file=path, row=header_at + 1, row_kind="line")
    # Taken by position: selecting 60 columns by label costs more than the parse of a small file.
    year_at = [i for i, c in enumerate(raw.columns) if c in years]
    values = parse_numbers(raw.take(year_at, axis=1), path, line_of_row=line_of_row)

    unit = _unit(raw, path, line_of_row)
    codes = raw["Country Code"].str.strip()
    check_unique_rows(pd.DataFrame({"Country Code": codes}), line_of_row, path, column="Country Code")
    regions, incomes, is_aggregate, unclassified = _classify(codes, path, metadata_country)
    # A code the metadata does not list can only be left out if it has no data (INX "Not classified").
    problems = [
        (unclassified & values.notna().any(axis=1).to_numpy(), "is not in the Metadata_Country file"),
        (~is_aggregate & ~codes.isin(known_iso3()).to_numpy(), "is not in the country table"),
    ]
    for mask, what in problems:
        if mask.any():
            i = int(np.flatnonzero(mask)[0])
            raise UnknownCountryError(
                f"country code {codes.iloc[i]!r} {what}",
                file=path, row=int(line_of_row[i]), column="Country Code", row_kind="line",
            )

    ids = {
        "code": codes.array,
        "name": raw["Country Name"].str.strip().array,
        "indicator": raw["Indicator Code"].str.strip().array,
        "is_aggregate": is_aggregate,
        "region": regions.array,
        "income_group": incomes.array,
    }
    long = melt_columns(ids, values, list(years.values()))
    # Built once by finish, in the final column order: assigning and then reordering the
    # columns of a frame copies it twice.
    long = {
        "code": long["code"],
        "name": long["name"],
        "year": long["year"],
        "value": long["value"],
        "unit": unit,
        "flags": "",
        **{column: long[column] for column in ("indicator", "is_aggregate", "region", "income_group")},
    }
    out = finish(
        long,
        source=preamble.get("Data Source", "World Development Indicators"),
        vintage=_iso_date(preamble.get("Last Updated Date"), path),
        licence=WDI_LICENCE,
        path=path,
    )
    out.attrs["indicator"] = raw["Indicator Code"].iloc[0].strip() if len(raw) else None
    out.attrs.update(_indicator_metadata(path, metadata_indicator))
    return out


def _unit(raw: pd.DataFrame, path, line_of_row) -> str:
    names = raw["Indicator Name"].str.strip()
    if names.empty:
        raise ReaderError("no data rows after the header", file=path)
    other = (names != names.iloc[0]).to_numpy()
    if other.any():
        i = int(np.flatnonzero(other)[0])
        raise ReaderError(
            f"the file mixes several indicators: {names.iloc[i]!r} after {names.iloc[0]!r}",
            file=path, row=int(line_of_row[i]), column="Indicator Name", row_kind="line",
        )
    match = re.search(r"\(([^()]*)\)\s*$", names.iloc[0])
    if match is None or match.group(1) not in _UNITS:
        raise ReaderError(
            f"no known unit in indicator name {names.iloc[0]!r}",
            file=path, row=int(line_of_row[0]), column="Indicator Name", row_kind="line",
        )
    return _UNITS[match.group(1)]


def _classify(codes: pd.Series, path: Path, metadata_country):
    """Region, income group, aggregate mask and not-in-metadata mask of each code."""
    meta_path = Path(metadata_country) if metadata_country else path.with_name(f"Metadata_Country_{path.name}")
    if metadata_country is None and not meta_path.is_file():
        missing = pd.Series(pd.NA, index=codes.index, dtype="str")
        return missing, missing, ~codes.isin(known_iso3()).to_numpy(), np.zeros(len(codes), dtype=bool)
    text = read_text(meta_path)
    meta = read_csv_text(text, meta_path)
    require_columns(meta.columns, ["Country Code", "Region", "IncomeGroup"], meta_path)
    check_last_record(text, len(meta.columns), meta_path)
    meta = meta.set_index(meta["Country Code"].str.strip())
    region = codes.map(meta["Region"].str.strip().replace("", pd.NA))
    income = codes.map(meta["IncomeGroup"].str.strip().replace("", pd.NA))
    return region, income, region.isna().to_numpy(), ~codes.isin(meta.index).to_numpy()


def _indicator_metadata(path: Path, metadata_indicator) -> dict:
    meta_path = Path(metadata_indicator) if metadata_indicator else path.with_name(f"Metadata_Indicator_{path.name}")
    if metadata_indicator is None and not meta_path.is_file():
        return {}
    meta = read_csv_text(read_text(meta_path), meta_path)
    require_columns(meta.columns, ["INDICATOR_CODE", "SOURCE_NOTE", "SOURCE_ORGANIZATION"], meta_path)
    if meta.empty:
        raise ReaderError("no indicator row", file=meta_path, row=1)
    return {
        "indicator_definition": meta["SOURCE_NOTE"].iloc[0].strip(),
        "source_organisation": meta["SOURCE_ORGANIZATION"].iloc[0].strip(),
    }


def _iso_date(text: str | None, path) -> str | None:
    if not text:
        return None
    for fmt in ("%Y-%m-%d", "%m/%d/%Y"):
        try:
            return datetime.strptime(text.strip(), fmt).date().isoformat()
        except ValueError:
            continue
    raise ReaderError(f"cannot read the 'Last Updated Date' {text!r}", file=path)
