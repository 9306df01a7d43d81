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
    LineNumbers,
    check_last_record,
    check_unique_rows,
    finish,
    melt_columns,
    read_csv_text,
    read_text,
    require_columns,
    table_numbers,
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
    line_of_row = LineNumbers(text, len(raw), skip=1, header=False)
    names = raw[0].str.strip()
    if (names == "").any():
        i = int((names == "").to_numpy().argmax())
        raise ReaderError("empty country name", file=path, row=int(line_of_row[i]), column=header[0], row_kind="line")
    # raw holds column 0 then the year columns in file order (column 0 is one of them only if
    # the first header cell is a year).
    values = table_numbers(
        raw, 0 if 0 in years else 1, path, line_of_row=line_of_row, labels=[header[i].strip() for i in years],
        missing=("", ".."), thousands=",",
    )

    codes, is_world = _iso3_or_world(names, path, header[0], line_of_row)
    codes = pd.array(codes, dtype="str")
    check_unique_rows(pd.DataFrame({"code": codes}, copy=False), line_of_row, path, column=header[0])
    # Melted by column position, then each column's year and flag taken by it: mapping 10 000
    # years through a dict, or building the flag strings row by row, costs more.
    long = melt_columns({"code": codes, "name": names.array, "is_aggregate": is_world}, values, name="column")
    column = long["column"]
    flag_of = {y: flags[i] for i, y in years.items()}
    texts = [flag_of[y] for y in years.values()]
    note = None
    # A table without a single missing cell (none left out by the melt) is the 2017 layout,
    # whose gaps are written as 0.
    if len(long["value"]) == values.size:
        note = "missing data are published as 0 in this table: zeros (flag 'z') cannot be told from missing values"
        # The flag travels with each row, where the note in attrs is lost by concat and merge.
        column = np.where(long["value"] == 0, column + len(texts), column)
        texts += [f"{flag} z".strip() for flag in texts]
    # Built once by finish, in the final column order.
    long = {
        "code": long["code"],
        "name": long["name"],
        "year": np.asarray(list(years.values()), dtype="int64")[long["column"]],
        "value": long["value"],
        "unit": unit,
        "flags": pd.array(texts, dtype="str").take(column),
        "is_aggregate": long["is_aggregate"],
    }
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
    line_of_row = LineNumbers(text, len(raw))
    # A few cells carry a footnote asterisk ("0*" India-Pakistan): kept as the flag, stripped from the number.
    starred = np.zeros((len(raw), len(receivers)), dtype=bool)
    text_columns = [j for j, dtype in enumerate(raw.dtypes.iloc[first_data:]) if not _is_numeric(dtype)]
    if text_columns:
        # A shallow copy: the columns replaced below are the only ones written.
        raw = raw.copy(deep=False)
        for j in text_columns:
            column = raw.iloc[:, first_data + j]
            if column.dtype != "str":
                column = column.fillna("").str.strip()
            # Each distinct text cleaned once: the string methods cost a fixed time per call that
            # outweighs a loop over a column's few hundred texts. Code -1 (NaN) takes the '' appended.
            codes, uniques = pd.factorize(column.to_numpy())
            texts = [text.strip() for text in uniques] + [""]
            starred[:, j] = np.array([text.endswith("*") for text in texts])[codes]
            raw.isetitem(first_data + j, pd.array([text.rstrip("*") for text in texts], dtype="str").take(codes))
    values = table_numbers(raw, first_data, path, line_of_row=line_of_row)
    orig_names = raw[sending].str.strip()
    orig_codes = pd.Series(_iso3_or_world(orig_names, path, sending, line_of_row)[0], dtype="str")
    check_unique_rows(pd.DataFrame({"orig_code": orig_codes}), line_of_row, path, column=sending)
    # Receiving countries are header cells: an unknown one is reported at line 1.
    dest_names = pd.Series(receivers, dtype="str").str.strip()
    dest_codes = np.asarray(_iso3_or_world(dest_names, path, "(header)", np.ones(len(receivers), int))[0], dtype=object)

    long = melt_columns({"orig_code": orig_codes, "orig_name": orig_names}, values, name="column", row_name="row")
    columns, rows = long["column"], long["row"]
    # Built once by finish, in the final column order.
    long = {
        "orig_code": long["orig_code"],
        "orig_name": long["orig_name"],
        # Text columns are taken from a few distinct strings: building 50 000 anew costs more.
        "dest_code": pd.array(dest_codes, dtype="str").take(columns),
        "dest_name": dest_names.array.take(columns),
        "year": year,
        "value": long["value"],
        "unit": unit,
        "flags": pd.array(["", "*"], dtype="str").take(starred[rows, columns].astype(np.intp)),
    }
    return finish(long, source=KNOMAD_SOURCE + ", Bilateral Remittance Matrix", vintage=vintage, licence=KNOMAD_LICENCE, path=path)


def _is_numeric(dtype) -> bool:
    """``pandas.api.types.is_numeric_dtype`` (booleans included), without its cost on numpy dtypes."""
    if isinstance(dtype, np.dtype):
        return dtype.kind in "biufc"
    return pd.api.types.is_numeric_dtype(dtype)


def _iso3_or_world(names: pd.Series, path, column: str, lines) -> tuple[list[str], np.ndarray]:
    """ISO3 codes of names (stripped), with ``World`` as the World Bank aggregate code WLD, and the World mask.

    ``lines`` (a :class:`LineNumbers` or an array) gives the line of each
    name; it is only read to report an unknown name.
    """
    is_world = (names.str.casefold() == "world").to_numpy()
    countries = np.flatnonzero(~is_world)
    codes = np.full(len(names), _WORLD, dtype=object)
    if countries.size:
        codes[countries] = iso3_from_names(
            names.to_numpy()[countries], file=path, column=column, rows=lines.take(countries), row_kind="line"
        )
    return list(codes), is_world
