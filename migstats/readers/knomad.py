"""Readers of the World Bank / KNOMAD remittance tables saved as CSV."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import ReaderError
from ._numbers import check_domain, parse_numbers
from ._text import read_records, read_text
from ._tidy import check_unique_rows, check_unknown_choice, codes_from_names, finish, melt_columns, taken

__all__ = ["read_knomad_inflows", "read_knomad_bilateral", "KNOMAD_LICENCE", "KNOMAD_SOURCE"]

KNOMAD_LICENCE = "CC-BY-4.0 (World Bank Terms of Use for Datasets)"
KNOMAD_SOURCE = "World Bank / KNOMAD, Migration and Remittances Data"

# A year column: four digits, then an optional suffix letter (p projection, e estimate).
_YEAR = re.compile(r"^\s*(\d{4})([a-z]?)\s*$")
_UNIT_IN_TITLE = re.compile(r"\(US\$ ?(million|billion|thousand)?\)", re.IGNORECASE)
_WORLD = "WLD"
_CONVENTION = "KNOMAD writes a decimal point, and commas only between groups of three digits"
_WHAT = "remittances"


def read_knomad_inflows(path, *, vintage: str | None = None, unit: str = "million USD", unknown: str = "raise"):
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
    unknown : {"raise", "keep"}
        A country name that :mod:`migstats.countries` cannot map: raise
        (default), or keep its rows with an empty ``code`` and the flag ``u``.

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
                         one): that zero may mean "no data"; ``u`` for a
                         kept unknown name
        ``is_aggregate`` True for ``World``
        ===============  ==================================================

        Line numbers in errors are physical lines of the file (blank lines
        counted).

    Raises
    ------
    ReaderError
        A line with fewer fields than the header, or more unless the extra
        fields are empty (the 2012 export pads its rows); no data lines; no
        year columns; an empty country name; a cell that is not a number with
        a decimal point and comma-separated groups of three digits (``12,5``
        is an error, not 125); a negative, infinite or implausible value
        (above 1e7 US$ million); two rows for the same country (naming both
        lines).
    UnknownCountryError
        A name not in :mod:`migstats.countries`, with its line.

    Examples
    --------
    India's row of the 2017 table (``remittance-inflow.csv``), 2007 and 2008:

    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "remittance-inflow.csv"
    >>> _ = path.write_text("Migrant remittance inflows (US$ million),2007,2008\\nIndia,37216.75528,49977.27692\\n")
    >>> print(read_knomad_inflows(path, vintage="2017")[["code", "year", "value", "unit"]].to_string(index=False))
    code  year       value        unit
     IND  2007 37216.75528 million USD
     IND  2008 49977.27692 million USD

    A decimal comma is refused, not read as a thousands separator:

    >>> _ = path.write_text('Migrant remittance inflows (US$ million),2008\\nIndia,"12,5"\\n')
    >>> read_knomad_inflows(path)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    migstats.errors.ReaderError: ...remittance-inflow.csv, line 2, column '2008': cannot read '12,5' as a number (...)
    """
    path = Path(path)
    check_unknown_choice(unknown)
    records = read_records(read_text(path), path, surplus_empty=True)
    header = records.header
    years, suffixes = {}, {}
    for i, cell in enumerate(header):
        match = _YEAR.match(cell)
        if match:
            years[i] = int(match.group(1))
            suffixes[i] = match.group(2)
    if not years:
        raise ReaderError("no year columns (1970, ..., 2017p) in the header", file=path, row=1, row_kind="line")
    title_unit = _UNIT_IN_TITLE.search(header[0])
    if title_unit:
        unit = f"{(title_unit.group(1) or '').lower()} USD".strip()
    lines = records.lines
    names = [cell.strip() for cell in records.cells[:, 0]]
    if "" in names:
        raise ReaderError("empty country name", file=path, row=int(lines[names.index("")]), column=header[0],
                          row_kind="line")
    labels = [header[i].strip() for i in years]
    values = parse_numbers(records.cells[:, list(years)], path, lines=lines, columns=labels, missing=("", ".."),
                           thousands=",", convention=_CONVENTION)
    check_domain(values, path=path, unit=unit, signed=False, what=_WHAT, lines=lines, columns=labels)
    codes, kept, is_world = _iso3_or_world(names, path, header[0], lines, unknown)
    check_unique_rows({"code": [code or name for code, name in zip(codes, names)]}, lines, path, column=header[0])

    long = melt_columns({"code": codes, "name": np.array(names, dtype=object), "is_aggregate": is_world},
                        values, name="column", row_name="row")
    column_flags = list(suffixes.values())
    note = None
    # A table without a single missing cell (none left out by the melt) is the 2017 layout,
    # whose gaps are written as 0: each zero carries the flag, which survives concat and merge.
    zero_is_missing = len(long["value"]) == values.size
    if zero_is_missing:
        note = "missing data are published as 0 in this table: zeros (flag 'z') cannot be told from missing values"
    # Each long row's flags from three small choices: its column's suffix, a zero, a kept unknown name;
    # the texts are built once per combination, not once per row.
    zero = zero_is_missing & (long["value"] == 0)
    combination = (long["column"] * 2 + zero) * 2 + kept[long["row"]]
    texts = [" ".join(filter(None, (suffix, "z" if z else "", "u" if u else "")))
             for suffix in column_flags for z in (False, True) for u in (False, True)]
    long = {
        "code": long["code"],
        "name": long["name"],
        "year": np.asarray(list(years.values()), dtype="int64")[long["column"]],
        "value": long["value"],
        "unit": unit,
        "flags": np.array(texts, dtype=object).take(combination),
        "is_aggregate": long["is_aggregate"],
    }
    return finish(long, source=KNOMAD_SOURCE, vintage=vintage, licence=KNOMAD_LICENCE, path=path, note=note)


def read_knomad_bilateral(path, *, year: int = 2016, vintage: str | None = None, unit: str = "million USD",
                          unknown: str = "raise"):
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
    vintage, unit, unknown : str
        As in :func:`read_knomad_inflows`; a kept unknown name, sending or
        receiving, gets an empty code and the flag ``u``.

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

    Examples
    --------
    Remittances sent from the United States to Mexico and India (the matrix's values):

    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "bilateral-remittance.csv"
    >>> _ = path.write_text(",Remittance-sending country,India,Mexico\\n"
    ...                     "203,United States,10657.495293267477,28125.886429551552\\n")
    >>> print(read_knomad_bilateral(path)[["orig_code", "dest_code", "year", "value"]].to_string(index=False))
    orig_code dest_code  year        value
          USA       IND  2016 10657.495293
          USA       MEX  2016 28125.886430
    """
    path = Path(path)
    check_unknown_choice(unknown)
    sending = "Remittance-sending country"
    records = read_records(read_text(path), path, required=[sending])
    header = [cell.strip() for cell in records.header]
    first_data = header.index(sending) + 1
    receivers = header[first_data:]
    if not receivers:
        raise ReaderError("no receiving-country columns after 'Remittance-sending country'", file=path, row=1,
                          row_kind="line")
    lines = records.lines
    # A few cells carry a footnote asterisk ("0*" India-Pakistan): kept as the flag, stripped from the number.
    cells, starred = _without_footnote_mark(records.cells[:, first_data:])
    values = parse_numbers(cells, path, lines=lines, columns=receivers, convention=_CONVENTION)
    check_domain(values, path=path, unit=unit, signed=False, what=_WHAT, lines=lines, columns=receivers)
    orig_names = [cell.strip() for cell in records.cells[:, first_data - 1]]
    orig_codes, orig_kept, _ = _iso3_or_world(orig_names, path, sending, lines, unknown)
    check_unique_rows({"orig_code": [c or n for c, n in zip(orig_codes, orig_names)]}, lines, path, column=sending)
    # Receiving countries are header cells: an unknown one is reported at line 1.
    dest_codes, dest_kept, _ = _iso3_or_world(receivers, path, "(header)", np.ones(len(receivers), int), unknown)

    long = melt_columns({"orig_code": orig_codes, "orig_name": np.array(orig_names, dtype=object)}, values,
                        name="column", row_name="row")
    columns, rows = long["column"], long["row"]
    flags = np.where(starred[rows, columns], "*", "").astype(object)
    unknown_pair = orig_kept[rows] | dest_kept[columns]
    flags[unknown_pair] = [f"{flag} u".strip() for flag in flags[unknown_pair]]
    long = {
        "orig_code": long["orig_code"],
        "orig_name": long["orig_name"],
        "dest_code": taken(dest_codes, columns),
        "dest_name": taken(receivers, columns),
        "year": year,
        "value": long["value"],
        "unit": unit,
        "flags": flags,
    }
    return finish(long, source=KNOMAD_SOURCE + ", Bilateral Remittance Matrix", vintage=vintage,
                  licence=KNOMAD_LICENCE, path=path)


def _without_footnote_mark(cells: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The stripped texts of a block of cells without a trailing ``*``, and where one was; each distinct text once."""
    at, distinct = pd.factorize(cells.ravel(), use_na_sentinel=False)
    texts = [text.strip() for text in distinct]
    starred = np.array([text.endswith("*") for text in texts] or [False], dtype=bool)
    bare = np.array([text[:-1] if star else text for text, star in zip(texts, starred)] or [""], dtype=object)
    return bare.take(at).reshape(cells.shape), starred.take(at).reshape(cells.shape)


def _iso3_or_world(names, path, column: str, lines, unknown: str):
    """ISO3 codes of names, ``World`` as the World Bank aggregate code WLD; the kept-unknown and World masks."""
    is_world = np.array([name.casefold() == "world" for name in names], dtype=bool)
    codes = np.full(len(names), _WORLD, dtype=object)
    kept = np.zeros(len(names), dtype=bool)
    countries = np.flatnonzero(~is_world)
    if countries.size:
        codes[countries], kept[countries] = codes_from_names(
            [names[i] for i in countries], unknown=unknown, path=path, lines=np.asarray(lines)[countries],
            column=column,
        )
    return codes, kept, is_world
