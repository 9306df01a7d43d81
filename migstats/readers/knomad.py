"""Readers of the World Bank / KNOMAD remittance tables saved as CSV."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import numpy as np
import pandas as pd

from ..countries import iso3_from_names
from ..errors import ReaderError
from ._common import (
    check_last_record,
    check_unique_rows,
    data_lines,
    finish,
    melt_years,
    parse_numbers,
    read_csv_text,
    read_text,
    require_columns,
)

__all__ = ["read_knomad_inflows", "read_knomad_bilateral", "KNOMAD_LICENCE", "KNOMAD_SOURCE"]

KNOMAD_LICENCE = "CC-BY-4.0 (World Bank Terms of Use for Datasets)"
KNOMAD_SOURCE = "World Bank / KNOMAD, Migration and Remittances Data"

# A year column: four digits, then an optional suffix letter (p projection, e estimate).
_YEAR = re.compile(r"^\s*(\d{4})([a-z]?)\s*$")
_UNIT_IN_TITLE = re.compile(r"\(US\$ ?(million|billion|thousand)?\)", re.IGNORECASE)
_WORLD = "WLD"


def read_knomad_inflows(path, *, vintage: str | None = None, unit: str = "million USD") -> pd.DataFrame:
    """Read a KNOMAD "Migrant remittance inflows" table (one row per country, one column per year).

    Accepts the 2017 layout (first header cell is the table title, e.g.
    ``Migrant remittance inflows (US$ million)``, last year ``2017p``, a
    ``World`` row, CRLF) and the November 2012 Excel-to-CSV layout (``Name``
    first, added ``iso2,lon,lat`` columns, lone-CR line ends, ``"1,161"``
    thousands commas, ``..`` for missing, ``2012e``, a share-of-GDP column and
    surplus empty fields). Columns that are not years are ignored.

    Parameters
    ----------
    path : path-like
    vintage : str, optional
        The edition, e.g. "2017" or "2012-11"; the files do not state it.
    unit : str
        Used when the title cell names no unit (the 2012 file); the World Bank
        tables are in US$ million.

    Returns
    -------
    DataFrame
        One row per country (or World) and year with a value. Mapping:

        ===============  ==================================================
        ``code``         ISO3 of the first column's name (``World`` -> WLD)
        ``name``         first column, as published
        ``year``         the four digits of the year header
        ``value``        the cell, thousands commas removed; ``..`` and
                         empty cells are omitted. In the 2017 file missing
                         data are written ``0`` and are kept as 0 (see
                         ``attrs['note']`` and the flag ``z``)
        ``unit``         from the title cell ("(US$ million)"), else ``unit``
        ``flags``        codes separated by a space: the year suffix (``p``
                         projection, ``e`` estimate), then ``z`` for a 0
                         in a table that writes missing data as 0 (a table
                         without a single empty or ``..`` cell, as the 2017
                         one): that zero may mean "no data"
        ``is_aggregate`` True for ``World``
        ===============  ==================================================

        Line numbers in errors are physical lines of the file (blank lines
        counted).

    Raises
    ------
    ReaderError
        Truncated file, no year columns, an empty country name, a cell that
        is not a number, two rows for the same country (naming both lines).
    UnknownCountryError
        A name not in :mod:`migstats.countries`, with its line.
    """
    path = Path(path)
    text = read_text(path)
    header = next(csv.reader([text.split("\n", 1)[0]]))
    years = {}
    flags = {}
    for i, cell in enumerate(header):
        match = _YEAR.match(cell)
        if match:
            years[i] = int(match.group(1))
            flags[i] = match.group(2)
    if not years:
        raise ReaderError("no year columns (1970, ..., 2017p) in the header", file=path, row=1, row_kind="line")
    title_unit = _UNIT_IN_TITLE.search(header[0])
    if title_unit:
        unit = f"{(title_unit.group(1) or '').lower()} USD".strip()
    check_last_record(text, len(header), path)

    # Rows may carry more fields than the header (the 2012 export): read only the header's columns.
    raw = read_csv_text(
        text, path, header=None, skiprows=1, usecols=[0, *years], text_columns=[0], missing=("", ".."), thousands=","
    )
    line_of_row = data_lines(text, len(raw), skip=1, header=False)
    names = raw[0].str.strip()
    if (names == "").any():
        i = int((names == "").to_numpy().argmax())
        raise ReaderError("empty country name", file=path, row=int(line_of_row[i]), column=header[0], row_kind="line")
    cells = raw[list(years)].rename(columns=lambda i: header[i].strip())
    values = parse_numbers(cells, path, line_of_row=line_of_row, missing=("", ".."), thousands=",")

    is_world = names.str.casefold() == "world"
    codes = pd.Series(_iso3_or_world(names, path, header[0], line_of_row), dtype="str")
    check_unique_rows(pd.DataFrame({"code": codes}), line_of_row, path, column=header[0])
    ids = pd.DataFrame({"code": codes, "name": names, "is_aggregate": is_world})
    long = melt_years(ids, values, list(years.values()))
    flag_of = {y: flags[i] for i, y in years.items()}
    row_flags = long["year"].map(flag_of)
    note = None
    # A table without a single missing cell is the 2017 layout, whose gaps are written as 0.
    if not values.isna().any().any():
        note = "missing data are published as 0 in this table: zeros (flag 'z') cannot be told from missing values"
        # The flag travels with each row, where the note in attrs is lost by concat and merge.
        zero_flag_of = {y: f"{flag} z".strip() for y, flag in flag_of.items()}
        zero = (long["value"] == 0).to_numpy()
        row_flags = pd.Series(np.where(zero, long["year"].map(zero_flag_of), row_flags), dtype="str")
    long = long.assign(unit=unit, flags=row_flags)[["code", "name", "year", "value", "unit", "flags", "is_aggregate"]]
    return finish(long, source=KNOMAD_SOURCE, vintage=vintage, licence=KNOMAD_LICENCE, path=path, note=note)


def read_knomad_bilateral(path, *, year: int = 2016, vintage: str | None = None, unit: str = "million USD") -> pd.DataFrame:
    """Read a World Bank bilateral remittance matrix (sending rows, receiving columns) as a long table.

    Layout: an unnamed index column, then ``Remittance-sending country``, then
    one column per receiving country; the last row and column are ``World``
    totals. Values are US$ million.

    Parameters
    ----------
    path : path-like
    year : int
        The year of the matrix; the file does not state it (the published
        matrix behind the Kaggle copy is the 2016 one).
    vintage, unit : str
        As in :func:`read_knomad_inflows`.

    Returns
    -------
    DataFrame
        One row per (sending, receiving) cell with a value. Mapping:

        ====================  ============================================
        ``orig_code``         ISO3 of ``Remittance-sending country``
                              (``World`` -> WLD)
        ``orig_name``         that cell, as published
        ``dest_code``         ISO3 of the receiving column header
        ``dest_name``         the column header
        ``year``              ``year``
        ``value``             the cell (US$ million); empty cells omitted
        ``unit``              ``unit``
        ``flags``             ``*`` where the cell carries the footnote
                              asterisk (``0*``: India-Pakistan), else ''
        ====================  ============================================

        Remittances flow from the sending (origin of the money, where the
        migrant lives) to the receiving country.

    Raises
    ------
    ReaderError, UnknownCountryError
        As in :func:`read_knomad_inflows`; also two rows for the same sending
        country (naming both lines).
    """
    path = Path(path)
    text = read_text(path)
    header = next(csv.reader([text.split("\n", 1)[0]]))
    sending = "Remittance-sending country"
    require_columns(header, [sending], path, row=1, row_kind="line")
    check_last_record(text, len(header), path)
    raw = read_csv_text(text, path, text_columns=[sending], missing=("",))
    first_data = header.index(sending) + 1
    receivers = list(raw.columns[first_data:])
    if not receivers:
        raise ReaderError("no receiving-country columns after 'Remittance-sending country'", file=path, row=1, row_kind="line")
    line_of_row = data_lines(text, len(raw))
    cells = raw[receivers]
    # A few cells carry a footnote asterisk ("0*" India-Pakistan): kept as the flag, stripped from the number.
    starred = np.zeros(cells.shape, dtype=bool)
    text_columns = [j for j, dtype in enumerate(cells.dtypes) if not pd.api.types.is_numeric_dtype(dtype)]
    if text_columns:
        cells = cells.copy()
        for j in text_columns:
            cell_text = cells.iloc[:, j].fillna("").str.strip()
            starred[:, j] = cell_text.str.endswith("*").to_numpy(dtype=bool)
            cells.isetitem(j, cell_text.str.rstrip("*"))
    values = parse_numbers(cells, path, line_of_row=line_of_row)
    orig_names = raw[sending].str.strip()
    orig_codes = pd.Series(_iso3_or_world(orig_names, path, sending, line_of_row), dtype="str")
    check_unique_rows(pd.DataFrame({"orig_code": orig_codes}), line_of_row, path, column=sending)
    # Receiving countries are header cells: an unknown one is reported at line 1.
    dest_names = pd.Series(receivers, dtype="str").str.strip()
    dest_codes = np.asarray(_iso3_or_world(dest_names, path, "(header)", np.ones(len(receivers), int)), dtype=object)

    ids = pd.DataFrame({"orig_code": orig_codes, "orig_name": orig_names, "row": np.arange(len(raw))})
    long = melt_years(ids, values, np.arange(len(receivers)), name="column")
    columns, rows = long["column"].to_numpy(), long["row"].to_numpy()
    long = long.assign(
        dest_code=pd.array(dest_codes[columns], dtype="str"),
        dest_name=pd.array(dest_names.to_numpy()[columns], dtype="str"),
        year=year,
        unit=unit,
        flags=np.where(starred[rows, columns], "*", ""),
    )
    long = long[["orig_code", "orig_name", "dest_code", "dest_name", "year", "value", "unit", "flags"]]
    return finish(long, source=KNOMAD_SOURCE + ", Bilateral Remittance Matrix", vintage=vintage, licence=KNOMAD_LICENCE, path=path)


def _iso3_or_world(names: pd.Series, path, column: str, lines) -> list[str]:
    """ISO3 codes of names, with ``World`` as the World Bank aggregate code WLD."""
    names = names.str.strip()
    is_world = (names.str.casefold() == "world").to_numpy()
    codes = np.full(len(names), _WORLD, dtype=object)
    if (~is_world).any():
        codes[~is_world] = iso3_from_names(
            names[~is_world], file=path, column=column, rows=np.asarray(lines)[~is_world], row_kind="line"
        )
    return list(codes)
