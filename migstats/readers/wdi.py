"""Reader of the World Bank WDI bulk-download CSV (``API_<indicator>_DS2_*.csv``)."""

from __future__ import annotations

import csv
import re
from datetime import datetime
from pathlib import Path

import numpy as np

from ..countries import iso3_from_name, known_iso3
from ..errors import ReaderError, UnknownCountryError
from ._numbers import check_domain, parse_numbers
from ._text import read_records, read_text
from ._tidy import (
    add_flag,
    check_one_value,
    check_unique_rows,
    check_unknown_choice,
    coded,
    finish,
    mapped,
    melt_columns,
    require_columns,
    stripped,
)

__all__ = ["read_wdi", "WDI_LICENCE"]

WDI_LICENCE = "CC-BY-4.0 (World Bank Terms of Use for Datasets)"

_ID_COLUMNS = ["Country Name", "Country Code", "Indicator Name", "Indicator Code"]
_UNITS = {"current US$": "USD", "% of GDP": "percent"}
_YEAR = re.compile(r"^\d{4}$")
# The World Bank's aggregate codes: those without a region in the Metadata_Country file of the
# personal remittances download (API_BX.TRF.PWKR.CD.DT_DS2_en_csv_v2_38454, WDI 2025-07-01), and INX
# ("Not classified"), a row of the data file that the metadata file does not list (an aggregate
# either way). Without a metadata file, a code that is neither a country's ISO3 code nor one of
# these is unknown.
_AGGREGATES = frozenset(
    "AFE AFW ARB CEB CSS EAP EAR EAS ECA ECS EMU EUU FCS HIC HPC IBD IBT IDA IDB IDX LAC LCN LDC LIC LMC LMY "
    "LTE MEA MIC MNA NAC OED OSS PRE PSS PST SAS SSA SSF SST TEA TEC TLA TMN TSA TSS UMC WLD INX".split()
)


def read_wdi(path, *, metadata_country=None, metadata_indicator=None, unknown: str = "raise"):
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
    unknown : {"raise", "keep"}
        A country code with data that the metadata does not list, or that it
        classes as a country the country table lacks: raise (default), or
        keep its rows with an empty ``code`` and the flag ``u``.

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
        ``flags``                 '' (WDI publishes no flags); ``u`` on a
                                  kept unknown code
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
        No header line, a missing column, a line with more or fewer fields
        than the header, no data lines, a cell that is not a number with a
        decimal point (no thousands separator), a value that is negative,
        not finite or beyond 1e13 USD (1e3 percent of GDP), an unknown unit,
        two rows for the same country code (naming both lines). Lines are
        physical lines of the file, blank lines counted.
    UnknownCountryError
        A code with data that the metadata does not list, or that the
        metadata classes as a country but is not in the country table.

    Examples
    --------
    India's row of the 2025-07-01 file, with two of its year columns:

    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "API_BX.TRF.PWKR.CD.DT_DS2_en_csv_v2_38454.csv"
    >>> _ = path.write_text(
    ...     '"Data Source","World Development Indicators",\\n\\n"Last Updated Date","2025-07-01",\\n\\n'
    ...     '"Country Name","Country Code","Indicator Name","Indicator Code","2007","2008",\\n'
    ...     '"India","IND","Personal remittances, received (current US$)","BX.TRF.PWKR.CD.DT",'
    ...     '"37216755275.2503","49977276916.3209",\\n')
    >>> wdi = read_wdi(path)
    >>> print(wdi[["code", "year", "value", "unit", "vintage"]].to_string(index=False))
    code  year        value unit    vintage
     IND  2007 3.721676e+10  USD 2025-07-01
     IND  2008 4.997728e+10  USD 2025-07-01
    """
    path = Path(path)
    check_unknown_choice(unknown)
    text = read_text(path)
    lines = text.split("\n", 12)
    header_at = next((i for i, line in enumerate(lines[:12]) if line.lstrip('"').startswith("Country Name")), None)
    if header_at is None:
        raise ReaderError("no header line starting with 'Country Name' in the first 12 lines", file=path)
    preamble = {row[0]: row[1] for row in csv.reader(lines[:header_at]) if len(row) >= 2 and row[0]}
    records = read_records(text, path, header_line=header_at + 1, required=_ID_COLUMNS)
    header = [cell.strip() for cell in records.header]
    year_at = [i for i, c in enumerate(header) if _YEAR.match(c)]
    if not year_at:
        raise ReaderError("no year columns in the header", file=path, row=records.header_line, row_kind="line")
    year_labels = [header[i] for i in year_at]
    line_of_row = records.lines
    values = parse_numbers(records.cells[:, year_at], path, lines=line_of_row, columns=year_labels,
                           convention="WDI writes a decimal point, no thousands separator")
    column = {name: stripped(records.cells[:, header.index(name)]) for name in _ID_COLUMNS}
    unit = _unit(column["Indicator Name"], path, line_of_row)
    check_one_value(column["Indicator Code"], line_of_row, path, column="Indicator Code", what="indicators")
    check_domain(values, path=path, unit=unit, signed=False, what="remittances received", lines=line_of_row,
                 columns=year_labels)
    codes = column["Country Code"]
    check_unique_rows({"Country Code": codes}, line_of_row, path, column="Country Code")
    regions, incomes, is_aggregate, unclassified = _classify(codes, path, metadata_country)
    # A code the metadata does not list can only be left out if it has no data (INX "Not classified").
    has_data = ~np.isnan(values).all(axis=1)
    codes, kept = coded(codes, unclassified & has_data, unknown=unknown, path=path, lines=line_of_row,
                        column="Country Code", what="country code {!r} is not in the Metadata_Country file")
    not_in_table = ~is_aggregate & ~kept & ~mapped(codes, dict.fromkeys(known_iso3(), True), False).astype(bool)
    codes, kept_too = coded(codes, not_in_table, unknown=unknown, path=path, lines=line_of_row,
                            column="Country Code", what="country code {!r} is not in the country table")
    # A country's name must be one of its spellings in the country table: a damaged name cannot pass.
    misnamed = ~is_aggregate & ~kept & ~kept_too & ~_names_match(codes, column["Country Name"])
    if unknown == "raise":
        _refuse_misnamed(codes, column["Country Name"], misnamed, path, line_of_row)
    flags = add_flag(np.full(len(codes), "", dtype=object), kept | kept_too | misnamed)

    ids = {
        "code": codes,
        "name": column["Country Name"],
        "flags": flags,
        "indicator": column["Indicator Code"],
        "is_aggregate": is_aggregate,
        "region": regions,
        "income_group": incomes,
    }
    long = melt_columns(ids, values, [int(label) for label in year_labels])
    long = {
        "code": long["code"],
        "name": long["name"],
        "year": long["year"],
        "value": long["value"],
        "unit": unit,
        "flags": long["flags"],
        **{name: long[name] for name in ("indicator", "is_aggregate", "region", "income_group")},
    }
    return finish(
        long,
        source=preamble.get("Data Source", "World Development Indicators"),
        vintage=_iso_date(preamble.get("Last Updated Date"), path),
        licence=WDI_LICENCE,
        path=path,
        indicator=column["Indicator Code"][0],
        **_indicator_metadata(path, metadata_indicator),
    )


def _names_match(codes, names) -> np.ndarray:
    """Whether each row's name is a spelling of its code in the country table."""
    def code_of(name):
        try:
            return iso3_from_name(name)
        except UnknownCountryError:
            return None

    resolved = {name: code_of(name) for name in set(names)}
    return np.array([resolved[name] == code for name, code in zip(names, codes)], dtype=bool)


def _refuse_misnamed(codes, names, misnamed, path, line_of_row) -> None:
    """Raise at the first country row whose name does not name its code."""
    if misnamed.any():
        i = int(np.flatnonzero(misnamed)[0])
        raise UnknownCountryError(
            f"country name {names[i]!r} is not a spelling of {codes[i]} in the country table (a damaged name, or "
            "a new spelling: add it to data/countries/countries.csv, or read with unknown='keep')",
            file=path, row=int(line_of_row[i]), column="Country Name", row_kind="line")


def _unit(names: np.ndarray, path, line_of_row) -> str:
    check_one_value(names, line_of_row, path, column="Indicator Name", what="indicators")
    match = re.search(r"\(([^()]*)\)\s*$", names[0])
    if match is None or match.group(1) not in _UNITS:
        raise ReaderError(
            f"no known unit in indicator name {names[0]!r}",
            file=path, row=int(line_of_row[0]), column="Indicator Name", row_kind="line",
        )
    return _UNITS[match.group(1)]


def _classify(codes: np.ndarray, path: Path, metadata_country):
    """Region, income group, aggregate mask and not-in-metadata mask of each code."""
    columns = _metadata_columns(path, metadata_country, "Country", ("Country Code", "Region", "IncomeGroup"))
    if columns is None:
        missing = np.full(len(codes), None, dtype=object)
        aggregate = np.isin(codes, list(_AGGREGATES))
        return missing, missing, aggregate, ~aggregate & ~np.isin(codes, list(known_iso3()))
    lookup = {name: [cell.strip() or None for cell in cells] for name, cells in columns.items()}
    region = dict(zip(lookup["Country Code"], lookup["Region"]))
    income = dict(zip(lookup["Country Code"], lookup["IncomeGroup"]))
    regions = np.array([region.get(code) for code in codes], dtype=object)
    incomes = np.array([income.get(code) for code in codes], dtype=object)
    return regions, incomes, np.array([r is None for r in regions]), ~np.isin(codes, list(region))


def _indicator_metadata(path: Path, metadata_indicator) -> dict:
    columns = _metadata_columns(path, metadata_indicator, "Indicator",
                                ("INDICATOR_CODE", "SOURCE_NOTE", "SOURCE_ORGANIZATION"))
    if columns is None:
        return {}
    return {
        "indicator_definition": columns["SOURCE_NOTE"][0].strip(),
        "source_organisation": columns["SOURCE_ORGANIZATION"][0].strip(),
    }


def _metadata_columns(path: Path, given, kind: str, names) -> dict | None:
    """The columns ``names`` of a metadata file: ``given``, or ``Metadata_<kind>_<data file>`` beside ``path``.

    None when none is given and none lies beside the data file; an error
    naming the file when one lacks a column.
    """
    meta_path = Path(given) if given else path.with_name(f"Metadata_{kind}_{path.name}")
    if given is None and not meta_path.is_file():
        return None
    meta = read_records(read_text(meta_path), meta_path)
    header = [cell.strip() for cell in meta.header]
    require_columns(header, list(names), meta_path, row=1, row_kind="line")
    return {name: meta.cells[:, header.index(name)] for name in names}


def _iso_date(text: str | None, path) -> str | None:
    if not text:
        return None
    for fmt in ("%Y-%m-%d", "%m/%d/%Y"):
        try:
            return datetime.strptime(text.strip(), fmt).date().isoformat()
        except ValueError:
            continue
    raise ReaderError(f"cannot read the 'Last Updated Date' {text!r}", file=path)
