"""Readers of UN DESA International Migrant Stock 2024 tables."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from ..countries import iso3_from_m49
from ..errors import ReaderError
from ._numbers import check_domain, parse_numbers
from ._text import read_records, read_sheet, read_text
from ._tidy import (
    add_flag,
    check_one_name_per_code,
    check_unique_rows,
    check_unknown_choice,
    coded,
    finish,
    melt_columns,
    require_columns,
    stripped,
)

__all__ = ["read_undesa_stock", "read_undesa_origin_destination", "UNDESA_LICENCE", "UNDESA_SOURCE"]

UNDESA_LICENCE = "CC-BY-3.0-IGO (Copyright 2024 United Nations)"
UNDESA_SOURCE = "UN DESA Population Division, International Migrant Stock 2024 (POP/DB/MIG/Stock/Rev.2024)"
_VINTAGE = "2024"

_NAME_HEADER = "Region, development group, country or area"
_SEXES = {"both sexes": "total", "females": "female", "males": "male"}
# UN M49 codes of countries stay below 900; 900 and above number the world, regions and groups.
_FIRST_GROUP_CODE = 900
_CONVENTION = "UN DESA writes a decimal point, and spaces only between groups of three digits"
_WHAT = "migrant stocks"


def _excel_column(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _codes_from_m49(m49: np.ndarray, path, column: str, lines, row_kind: str, unknown: str):
    """ISO3 codes for country M49 codes, the M49 code as text for groups; the aggregate and kept-unknown masks."""
    is_aggregate = m49 >= _FIRST_GROUP_CODE
    distinct, at = np.unique(m49, return_inverse=True)
    # Groups keep their M49 code as text; None marks a country code the table lacks.
    codes = np.array([str(v) if v >= _FIRST_GROUP_CODE else iso3_from_m49(int(v)) for v in distinct],
                     dtype=object).take(at)
    is_unknown = np.equal(codes, None)
    codes[is_unknown] = m49[is_unknown].astype(str)
    codes, kept = coded(codes, is_unknown, unknown=unknown, path=path, lines=lines, column=column,
                        row_kind=row_kind, what="location code {} is not a country code of the country table")
    return codes, is_aggregate, kept


def _location_codes(cells, path, lines, column: str, row_kind: str) -> np.ndarray:
    m49 = parse_numbers(cells, path, lines=lines, columns=[column], row_kind=row_kind)[:, 0]
    bad = np.isnan(m49) | (m49 != np.round(m49)) | (np.abs(m49) > 1e6)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ReaderError(f"location code {cells[i]!r} is not a whole number", file=path, row=int(lines[i]),
                          column=column, row_kind=row_kind)
    return m49.astype("int64")


def read_undesa_stock(path, *, sheet: str = "Table 1", unknown: str = "raise") -> pd.DataFrame:
    """Read Table 1 of an International Migrant Stock 2024 workbook (by destination or by origin).

    Layout: title rows, then a header row holding ``Index``, ``Region,
    development group, country or area``, ``Coverage`` (a note number, see
    the "Migrant notes" sheet), ``Data type`` (letter codes), ``Location
    code`` and the years three times, for the blocks "both sexes", "males"
    and "females" whose titles stand on a row above the header.

    Parameters
    ----------
    path : path-like
        The ``undesa_pd_2024_ims_stock_by_sex_and_destination|origin_*.xlsx``.
    sheet : str
        The sheet to read.
    unknown : {"raise", "keep"}
        A location code below 900 that the country table lacks: raise
        (default), or keep its rows with an empty ``code`` and the flag ``u``.

    Returns
    -------
    DataFrame
        One row per area, sex and year with a value. Mapping:

        ===================  ===============================================
        ``code``             ISO3 for countries (from ``Location code``);
                             the M49 code as text ("900" World, "904"
                             Latin America and the Caribbean) for regions
                             and groups
        ``m49``              ``Location code`` (int)
        ``name``             the name column without footnote asterisks
        ``year``             the year header of the block
        ``sex``              ``total``, ``male``, ``female`` (block title)
        ``value``            migrant stock at mid-year, persons
        ``unit``             ``person``
        ``flags``            the ``Data type`` codes (B foreign-born,
                             C citizenship, I imputed, R refugees added),
                             '' for regions
        ``coverage_note``    the number in the ``Coverage`` column ('' if none)
        ``is_aggregate``     True for the world, regions and groups
                             (location code 900 and above)
        ``by``               ``destination`` (stock living in the area) or
                             ``origin`` (stock born in the area), from the
                             workbook title
        ===================  ===============================================

    Raises
    ------
    ReaderError
        Not an xlsx workbook, or one that fails to open or parse anywhere
        (naming the sheet); no such sheet, no header row, a missing column,
        no data rows, a cell that is not a number, a negative, infinite or
        implausible stock (above 1e10 persons), a location code on two rows
        (naming both). Rows are Excel row numbers (empty rows counted).
    UnknownCountryError
        A location code below 900 that is not in the country table (see
        ``unknown``).

    Examples
    --------
    >>> read_undesa_stock("no-such-workbook.xlsx")
    Traceback (most recent call last):
    ...
    migstats.errors.ReaderError: no-such-workbook.xlsx: file not found
    """
    path = Path(path)
    check_unknown_choice(unknown)
    grid = read_sheet(path, sheet)
    names_col = grid.iloc[:30].apply(lambda col: col.astype("str").str.strip().eq(_NAME_HEADER)).to_numpy()
    if not names_col.any():
        raise ReaderError(f"no header row with {_NAME_HEADER!r} in the first 30 rows", file=path, column=_NAME_HEADER)
    header_row, name_col = (int(v[0]) for v in np.nonzero(names_col))
    header = grid.iloc[header_row].astype("str").str.strip().tolist()
    require_columns(header, ["Coverage", "Location code"], path, row=header_row + 1)
    code_col = header.index("Location code")
    coverage_col = header.index("Coverage")
    type_col = coverage_col + 1
    by = _direction(grid, header_row, path)

    blocks = _sex_blocks(grid, header_row, code_col, path)
    data = grid.iloc[header_row + 1 :]
    data = data[(data.iloc[:, name_col] != "") | (data.iloc[:, code_col] != "")]
    if data.empty:
        raise ReaderError("no data rows after the header", file=path, row=header_row + 1)
    excel_rows = data.index.to_numpy() + 1
    m49 = _location_codes(data.iloc[:, code_col].to_numpy(dtype=object), path, excel_rows, "Location code", "row")
    check_unique_rows({"Location code": m49}, excel_rows, path, column="Location code", row_kind="row")
    codes, is_aggregate, kept = _codes_from_m49(m49, path, "Location code", excel_rows, "row", unknown)
    ids = {
        "code": codes,
        "m49": m49,
        "name": stripped(data.iloc[:, name_col].to_numpy(dtype=object), trailing="*"),
        "flags": add_flag(stripped(data.iloc[:, type_col].to_numpy(dtype=object)), kept),
        "coverage_note": np.array([_note_text(cell) for cell in data.iloc[:, coverage_col]], dtype=object),
        "is_aggregate": is_aggregate,
    }
    parts = []
    for sex, columns in blocks:
        labels = [f"{_excel_column(c)} ({sex} {int(float(grid.iat[header_row, c]))})" for c in columns]
        values = parse_numbers(data.iloc[:, list(columns)].to_numpy(dtype=object), path, lines=excel_rows,
                               columns=labels, missing=("", ".."), row_kind="row", convention=_CONVENTION)
        check_domain(values, path=path, unit="person", signed=False, what=_WHAT, lines=excel_rows, columns=labels,
                     row_kind="row")
        years = [int(float(grid.iat[header_row, c])) for c in columns]
        parts.append(pd.DataFrame(melt_columns(ids, values, years)).assign(sex=sex))
    long = pd.concat(parts, ignore_index=True)
    long = long.assign(unit="person", by=by)[
        ["code", "m49", "name", "year", "sex", "value", "unit", "flags", "coverage_note", "is_aggregate", "by"]
    ]
    return finish(dict(long.items()), source=UNDESA_SOURCE, vintage=_VINTAGE, licence=UNDESA_LICENCE, path=path)


def _note_text(cell) -> str:
    return str(int(cell)) if isinstance(cell, float) and cell.is_integer() else str(cell).strip()


def _direction(grid: pd.DataFrame, header_row: int, path) -> str:
    """``destination`` or ``origin``, from the workbook title above the header."""
    title = " ".join(grid.iloc[:header_row].stack().astype("str"))
    match = re.search(r"International Migrant Stock \d{4}: (Destination|Origin)", title)
    if match is None:
        raise ReaderError("no title 'International Migrant Stock <year>: Destination|Origin' above the header", file=path)
    return match.group(1).lower()


def _sex_blocks(grid: pd.DataFrame, header_row: int, code_col: int, path) -> list[tuple[str, list[int]]]:
    """The sex of each block of year columns, from the block titles above the header row."""
    titles = grid.iloc[:header_row]
    starts = []
    for c in range(code_col + 1, grid.shape[1]):
        text = " ".join(titles.iloc[:, c].astype("str")).lower()
        sex = next((code for words, code in _SEXES.items() if words in text), None)
        if sex is not None:
            starts.append((c, sex))
    if not starts:
        raise ReaderError("no block titles (both sexes, males, females) above the year columns", file=path, row=header_row)
    blocks = []
    for k, (start, sex) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else grid.shape[1]
        columns = [c for c in range(start, end) if re.fullmatch(r"\d{4}(\.0)?", str(grid.iat[header_row, c]).strip())]
        if not columns:
            raise ReaderError(f"no year columns in the {sex} block", file=path, row=header_row + 1, column=_excel_column(start))
        blocks.append((sex, columns))
    return blocks


_OD_ID = {
    "Index": "index",
    "Region, development group, country or area of destination": "dest_name",
    "Location code of destination": "dest_m49",
    "Region, development group, country or area of origin": "orig_name",
    "Location code of origin": "orig_m49",
}


def read_undesa_origin_destination(path, *, encoding: str = "cp1252", unknown: str = "raise") -> pd.DataFrame:
    """Read the destination x origin migrant stock exported as CSV (both sexes).

    Layout: one row per destination and origin, the names and ``Location
    code`` of each, then one column per year. Numbers are Excel display text
    (``4 517 870``, `` 98 264``: space thousands separators, left padding);
    ``..`` is missing. Names are not unique (``Australia/New Zealand`` is an
    SDG region, 1836, and a geographic region, 927), so the codes are the keys.

    Parameters
    ----------
    path : path-like
    encoding : str
        The export is Windows-1252; a UTF-8 re-save (with or without byte
        order mark) is recognised and read as UTF-8, with a
        :class:`~migstats.errors.ReaderWarning`.
    unknown : {"raise", "keep"}
        A location code below 900 that the country table lacks: raise
        (default), or keep its rows with an empty code and the flag ``u``.

    Returns
    -------
    DataFrame
        One row per destination, origin and year with a value. Mapping:

        ================================  ==================================
        ``dest_code``, ``orig_code``      ISO3 for countries, else the M49
                                          code as text (see
                                          :func:`read_undesa_stock`)
        ``dest_m49``, ``orig_m49``        ``Location code of ...`` (int)
        ``dest_name``, ``orig_name``      the names without asterisks
        ``year``, ``value``               year column, persons
        ``unit``, ``flags``               ``person``; ''
        ``dest_is_aggregate``,            code 900 and above ("Others",
        ``orig_is_aggregate``             2003, is an aggregate)
        ================================  ==================================

    Raises
    ------
    ReaderError
        Binary input, a missing column, a line with more or fewer fields than
        the header, no data lines, a cell that is not a number (spaces only
        between groups of three digits), a negative, infinite or implausible
        stock, a text in neither Windows-1252 nor UTF-8, a (destination,
        origin) pair on two lines (naming both). Lines are physical lines,
        blank lines counted.
    UnknownCountryError
        A location code below 900 that is not in the country table (see
        ``unknown``).

    Examples
    --------
    Migrants born in Türkiye living in Germany, as the export writes them (Windows-1252):

    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "od.csv"
    >>> _ = path.write_bytes((
    ...     'Index,"Region, development group, country or area of destination",Location code of destination,'
    ...     '"Region, development group, country or area of origin",Location code of origin,1990,2024\\n'
    ...     '20261,Germany,276,Türkiye,792,1 004 022,1 504 743\\n').encode("cp1252"))
    >>> od = read_undesa_origin_destination(path)
    >>> print(od[["dest_code", "orig_code", "orig_name", "year", "value"]].to_string(index=False))
    dest_code orig_code orig_name  year     value
          DEU       TUR   Türkiye  1990 1004022.0
          DEU       TUR   Türkiye  2024 1504743.0
    """
    path = Path(path)
    check_unknown_choice(unknown)
    records = read_records(read_text(path, encoding=encoding), path, required=list(_OD_ID))
    header = [cell.strip() for cell in records.header]
    year_at = [i for i, c in enumerate(header) if re.fullmatch(r"\d{4}", c)]
    if not year_at:
        raise ReaderError("no year columns in the header", file=path, row=1, row_kind="line")
    lines = records.lines
    labels = [header[i] for i in year_at]
    values = parse_numbers(records.cells[:, year_at], path, lines=lines, columns=labels, missing=("", ".."),
                           thousands=" ", convention=_CONVENTION)
    check_domain(values, path=path, unit="person", signed=False, what=_WHAT, lines=lines, columns=labels)

    ids = {}
    kept_any = np.zeros(len(lines), dtype=bool)
    for side, name_col, code_col in (
        ("dest", "Region, development group, country or area of destination", "Location code of destination"),
        ("orig", "Region, development group, country or area of origin", "Location code of origin"),
    ):
        m49 = _location_codes(records.cells[:, header.index(code_col)], path, lines, code_col, "line")
        codes, aggregate, kept = _codes_from_m49(m49, path, code_col, lines, "line", unknown)
        kept_any |= kept
        ids[f"{side}_code"] = codes
        ids[f"{side}_m49"] = m49
        ids[f"{side}_name"] = stripped(records.cells[:, header.index(name_col)], trailing="*")
        check_one_name_per_code(m49, ids[f"{side}_name"], lines, path, column=name_col)
        ids[f"{side}_is_aggregate"] = aggregate
    ids["flags"] = add_flag(np.full(len(lines), "", dtype=object), kept_any)
    check_unique_rows({c: ids[c] for c in ("dest_m49", "orig_m49")}, lines, path,
                      column="Location code of destination")
    long = melt_columns(ids, values, [int(label) for label in labels])
    order = ["dest_code", "dest_m49", "dest_name", "orig_code", "orig_m49", "orig_name", "year", "value", "unit",
             "flags", "dest_is_aggregate", "orig_is_aggregate"]
    long["unit"] = "person"
    return finish({name: long[name] for name in order}, source=UNDESA_SOURCE, vintage=_VINTAGE,
                  licence=UNDESA_LICENCE, path=path)
