"""Readers of UN DESA International Migrant Stock 2024 tables."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from ..countries import iso3_from_m49
from ..errors import ReaderError, UnknownCountryError
from ._common import (
    LineNumbers,
    check_last_record,
    check_unique_rows,
    finish,
    melt_years,
    parse_numbers,
    read_csv_text,
    read_text,
    require_columns,
    strip_text,
)

__all__ = ["read_undesa_stock", "read_undesa_origin_destination", "UNDESA_LICENCE", "UNDESA_SOURCE"]

UNDESA_LICENCE = "CC-BY-3.0-IGO (Copyright 2024 United Nations)"
UNDESA_SOURCE = "UN DESA Population Division, International Migrant Stock 2024 (POP/DB/MIG/Stock/Rev.2024)"
_VINTAGE = "2024"

_NAME_HEADER = "Region, development group, country or area"
_SEXES = {"both sexes": "total", "females": "female", "males": "male"}
# UN M49 codes of countries stay below 900; 900 and above number the world, regions and groups.
_FIRST_GROUP_CODE = 900


def _excel_column(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _codes_from_m49(m49: np.ndarray, path, column: str, lines, row_kind: str) -> tuple[np.ndarray, np.ndarray]:
    """ISO3 codes for country M49 codes, the M49 code as text for groups; and the aggregate mask."""
    codes = np.empty(len(m49), dtype=object)
    is_aggregate = m49 >= _FIRST_GROUP_CODE
    for value in np.unique(m49):
        where = m49 == value
        if value >= _FIRST_GROUP_CODE:
            codes[where] = str(value)
            continue
        iso3 = iso3_from_m49(value)
        if iso3 is None:
            i = int(np.flatnonzero(where)[0])
            raise UnknownCountryError(
                f"location code {value} is not a country code of the country table",
                file=path, row=int(lines[i]), column=column, row_kind=row_kind,
            )
        codes[where] = iso3
    return codes, is_aggregate


def read_undesa_stock(path, *, sheet: str = "Table 1") -> pd.DataFrame:
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
        Not an xlsx workbook (or truncated), no such sheet, no header row, a
        missing column, a cell that is not a number, a location code on two
        rows (naming both). Rows are Excel row numbers (empty rows counted).
    UnknownCountryError
        A location code below 900 that is not in the country table.
    """
    path = Path(path)
    try:
        # No NA conversion: a text such as "n/a" in a number cell must be an error, not a NaN.
        grid = pd.read_excel(path, sheet_name=sheet, header=None, engine="openpyxl", keep_default_na=False, na_values=[])
    except FileNotFoundError:
        raise ReaderError("file not found", file=path) from None
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        what = "no sheet named " + repr(sheet) if "Worksheet" in str(exc) else f"not a readable xlsx workbook ({exc})"
        raise ReaderError(what, file=path) from None

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
    excel_rows = data.index.to_numpy() + 1
    m49 = parse_numbers(data.iloc[:, [code_col]], path, line_of_row=excel_rows, row_kind="row").iloc[:, 0]
    if m49.isna().any():
        i = int(m49.isna().to_numpy().argmax())
        raise ReaderError("empty location code", file=path, row=int(excel_rows[i]), column="Location code")
    m49 = m49.to_numpy(dtype="int64")
    check_unique_rows(pd.DataFrame({"Location code": m49}), excel_rows, path, column="Location code", row_kind="row")
    codes, is_aggregate = _codes_from_m49(m49, path, "Location code", excel_rows, "row")

    ids = pd.DataFrame(
        {
            "code": pd.array(codes, dtype="str"),
            "m49": m49,
            "name": strip_text(data.iloc[:, name_col].astype("str"), trailing="*").to_numpy(),
            "flags": strip_text(data.iloc[:, type_col].astype("str")).to_numpy(),
            "coverage_note": data.iloc[:, coverage_col].map(_note_text).astype("str").to_numpy(),
            "is_aggregate": is_aggregate,
        }
    )
    parts = []
    for sex, columns in blocks:
        cells = data.iloc[:, list(columns)]
        cells.columns = [f"{_excel_column(c)} ({sex} {int(float(grid.iat[header_row, c]))})" for c in columns]
        values = parse_numbers(cells, path, line_of_row=excel_rows, missing=("", ".."), row_kind="row")
        years = [int(float(grid.iat[header_row, c])) for c in columns]
        parts.append(melt_years(ids, values, years).assign(sex=sex))
    long = pd.concat(parts, ignore_index=True)
    long = long.assign(unit="person", by=by)[
        ["code", "m49", "name", "year", "sex", "value", "unit", "flags", "coverage_note", "is_aggregate", "by"]
    ]
    return finish(long, source=UNDESA_SOURCE, vintage=_VINTAGE, licence=UNDESA_LICENCE, path=path)


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


def read_undesa_origin_destination(path, *, encoding: str = "cp1252") -> pd.DataFrame:
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
        The export is Windows-1252.

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
        Binary input, a missing column, a truncated last row, a cell that is
        not a number, a text that is not ``encoding``, a (destination,
        origin) pair on two lines (naming both). Lines are physical lines,
        blank lines counted.
    UnknownCountryError
        A location code below 900 that is not in the country table.
    """
    path = Path(path)
    text = read_text(path, encoding=encoding)
    raw = read_csv_text(text, path, text_columns=list(_OD_ID), missing=("", ".."), thousands=" ")
    require_columns(raw.columns, list(_OD_ID), path, row=1, row_kind="line")
    check_last_record(text, len(raw.columns), path)
    years = {c: int(c) for c in raw.columns if re.fullmatch(r"\d{4}", str(c).strip())}
    if not years:
        raise ReaderError("no year columns in the header", file=path, row=1, row_kind="line")
    lines = LineNumbers(text, len(raw))  # worked out only if a problem needs a line number
    values = parse_numbers(raw[list(years)], path, line_of_row=lines, missing=("", ".."), thousands=" ")

    ids = {}
    for side, name_col, code_col in (
        ("dest", "Region, development group, country or area of destination", "Location code of destination"),
        ("orig", "Region, development group, country or area of origin", "Location code of origin"),
    ):
        m49 = parse_numbers(raw[[code_col]], path, line_of_row=lines).iloc[:, 0]
        if m49.isna().any():
            i = int(m49.isna().to_numpy().argmax())
            raise ReaderError("empty location code", file=path, row=int(lines[i]), column=code_col, row_kind="line")
        m49 = m49.to_numpy(dtype="int64")
        codes, aggregate = _codes_from_m49(m49, path, code_col, lines, "line")
        ids[f"{side}_code"] = pd.array(codes, dtype="str")
        ids[f"{side}_m49"] = m49
        ids[f"{side}_name"] = strip_text(raw[name_col], trailing="*").to_numpy()
        ids[f"{side}_is_aggregate"] = aggregate
    check_unique_rows(pd.DataFrame({c: ids[c] for c in ("dest_m49", "orig_m49")}), lines, path,
                      column="Location code of destination")
    long = melt_years(pd.DataFrame(ids), values, list(years.values()))
    long = long.assign(unit="person", flags="")[
        ["dest_code", "dest_m49", "dest_name", "orig_code", "orig_m49", "orig_name", "year", "value", "unit", "flags",
         "dest_is_aggregate", "orig_is_aggregate"]
    ]
    return finish(long, source=UNDESA_SOURCE, vintage=_VINTAGE, licence=UNDESA_LICENCE, path=path)
