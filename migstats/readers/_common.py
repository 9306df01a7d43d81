"""Parsing steps shared by the readers: text decoding, field-count checks and numbers.

Every function here raises :class:`~migstats.errors.ReaderError` naming the file,
the line (or row) and the column of the problem, so a reader never turns an
unreadable cell into a silent NaN.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import ReaderError

# Magic numbers of the formats most often handed to the wrong reader.
_BINARY_SIGNATURES = {
    b"PK\x03\x04": "a zip archive (xlsx?)",
    b"\xd0\xcf\x11\xe0": "an OLE2 file (Excel 97-2003 xls?)",
    b"%PDF": "a PDF document",
}


def read_text(path, encoding: str = "utf-8") -> str:
    """The text of a CSV file with every line ending (CRLF, lone CR) made LF.

    A leading UTF-8 byte order mark is removed.

    Raises
    ------
    ReaderError
        If the file is missing or empty, is binary (zip/xlsx, xls, PDF, or
        holds NUL bytes), or does not decode in ``encoding``.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ReaderError(f"cannot read file: {exc.strerror}", file=path) from None
    if not raw.strip():
        raise ReaderError("the file is empty", file=path)
    for magic, what in _BINARY_SIGNATURES.items():
        if raw.startswith(magic):
            raise ReaderError(f"this is {what}, not a CSV text file", file=path, row=1, row_kind="line")
    if b"\x00" in raw[:4096]:
        raise ReaderError("binary content (NUL bytes), not a CSV text file", file=path)
    try:
        text = raw.decode("utf-8-sig" if encoding.lower().replace("_", "-") == "utf-8" else encoding)
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ReaderError(
            f"byte 0x{raw[exc.start]:02x} is not valid {encoding} text", file=path, row=line, row_kind="line"
        ) from None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def read_csv_text(text: str, path, *, text_columns=None, missing=None, **kwargs) -> pd.DataFrame:
    """``pandas.read_csv`` on decoded text.

    With ``missing`` None every cell is read as a string ('' when empty).
    Otherwise the columns in ``text_columns`` are strings and pandas parses
    the others as numbers, the ``missing`` texts becoming NaN; a column with
    an unparsable cell stays a string column for :func:`parse_numbers`.

    Raises
    ------
    ReaderError
        When the CSV parser fails (e.g. an unterminated quote at the end of a
        truncated file); the message keeps the parser's line number.
    """
    if missing is None:
        kwargs.update(dtype=str, keep_default_na=False)
    else:
        kwargs.update(dtype={c: "str" for c in text_columns or ()}, keep_default_na=False, na_values=list(missing))
    try:
        return pd.read_csv(io.StringIO(text), **kwargs)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
        match = re.search(r"line (\d+)", str(exc))
        raise ReaderError(
            f"not a well-formed CSV table ({exc})".replace("\n", " "),
            file=path,
            row=int(match.group(1)) if match else None,
            row_kind="line",
        ) from None


def record_lines(text: str, *, skip: int = 0) -> np.ndarray:
    """The physical line (1-based) on which each CSV record of ``text`` starts.

    Records are counted as ``pandas.read_csv`` counts them: lines that are
    empty or hold only spaces and tabs are skipped (``skip_blank_lines``),
    and a line that starts inside a quoted field continues the record
    before it. A row's position in the parsed table therefore differs from
    its line as soon as the file holds a blank line or a quoted line break.

    Parameters
    ----------
    text : str
        The decoded text, line ends made LF (see :func:`read_text`).
    skip : int
        Physical lines to leave out first, as ``read_csv(skiprows=skip)``.

    Returns
    -------
    ndarray of int
        One line number per record after the first ``skip`` lines, header
        record included.
    """
    data = np.frombuffer(text.encode("utf-8"), dtype=np.uint8)
    newlines = np.flatnonzero(data == ord("\n"))
    starts = np.concatenate(([0], newlines + 1))
    ends = np.concatenate((newlines, [data.size]))
    # A line starts inside a quoted field when an odd number of quotes precede it.
    inside = np.searchsorted(np.flatnonzero(data == ord('"')), starts) % 2 == 1
    blank = ends == starts
    # A start past the last byte is the empty line after a final line end, already blank.
    first = data[np.minimum(starts, data.size - 1)]
    for i in np.flatnonzero(~blank & ((first == ord(" ")) | (first == ord("\t")))):
        blank[i] = not data[starts[i] : ends[i]].tobytes().strip(b" \t")
    lines = np.flatnonzero(~inside & ~blank) + 1
    return lines[lines > skip]


def data_lines(text: str, n_rows: int, *, skip: int = 0, header: bool = True) -> np.ndarray:
    """The physical line of each of the ``n_rows`` rows pandas read from ``text``.

    ``skip`` and ``header`` are the ``skiprows`` and whether the first record
    read was the header. Quote counting (:func:`record_lines`) is exact for
    quotes that open fields; a stray quote inside an unquoted field, which
    pandas takes literally, makes the counts disagree, and the :mod:`csv`
    module (slower, same quoting rules as pandas) then gives the lines.
    """
    lines = record_lines(text, skip=skip)[1 if header else 0 :]
    if len(lines) == n_rows:
        return lines
    reader = csv.reader(io.StringIO(text))
    starts, previous = [], 0
    for record in reader:
        if previous >= skip and record and (len(record) > 1 or record[0].strip(" \t")):
            starts.append(previous + 1)
        previous = reader.line_num
    return np.asarray(starts[1 if header else 0 :], dtype="int64")


def check_unique_rows(keys: pd.DataFrame, lines, path, *, column: str, row_kind: str = "line") -> None:
    """Raise if two rows of ``keys`` are equal, naming both rows.

    Parameters
    ----------
    keys : DataFrame
        The columns that identify a row of the file (one row per file row).
    lines : array-like of int
        The file line (or row, per ``row_kind``) of each row.
    path : path-like
        For the message.
    column : str
        The column reported (the first identifying column of the file).

    Raises
    ------
    ReaderError
        At the first row repeating an earlier row's key; the message gives
        the key and both lines, the error's ``row`` is the later one.
    """
    repeated = keys.duplicated().to_numpy()
    if repeated.any():
        later = int(np.flatnonzero(repeated)[0])
        # Up to the first repeat, the only rows sharing a key are that repeat and its one earlier twin.
        earlier = int(np.flatnonzero(keys.iloc[: later + 1].duplicated(keep="last").to_numpy())[0])
        lines = np.asarray(lines)
        key = ", ".join(f"{name}={value!r}" for name, value in keys.iloc[later].items())
        raise ReaderError(
            f"duplicated row: {key} on {row_kind} {int(lines[earlier])} and {row_kind} {int(lines[later])}",
            file=path,
            row=int(lines[later]),
            column=column,
            row_kind=row_kind,
        )


def check_last_record(text: str, n_fields: int, path) -> None:
    """Raise if the last record of ``text`` has fewer fields than the header.

    A file cut short mid-row ends in a short record, which pandas would pad
    with empty cells; this check tells that apart from published empty cells.
    """
    body = text.rstrip("\n")
    last = body.rsplit("\n", 1)[-1]
    line_no = body.count("\n") + 1
    if last.count('"') % 2:
        # The last line is the tail of a quoted field spanning lines: parse the whole text.
        try:
            records = list(csv.reader(io.StringIO(text), strict=True))
        except csv.Error as exc:
            raise ReaderError(f"truncated file? ({exc})", file=path, row=line_no, row_kind="line") from None
        fields = len(records[-1])
    else:
        fields = len(next(csv.reader([last])))
    if fields < n_fields:
        raise ReaderError(
            f"truncated file: the last record has {fields} fields, the header {n_fields}",
            file=path,
            row=line_no,
            row_kind="line",
        )


def strip_text(column: pd.Series, trailing: str = "") -> pd.Series:
    """The column's strings with surrounding white space (and ``trailing`` characters) removed.

    Each distinct value is cleaned once: identifying columns repeat a few
    values many times, and per-element string methods are slow. Missing
    cells become ''.
    """
    codes, uniques = pd.factorize(column)
    cleaned = pd.Index(uniques).astype("str").str.strip()
    if trailing:
        cleaned = cleaned.str.rstrip(trailing).str.strip()
    out = np.append(cleaned.to_numpy(dtype=object), "")[codes]
    return pd.Series(out, index=column.index, dtype="str")


def require_columns(columns, required, path, *, row=None, row_kind="row") -> None:
    """Raise naming the first column of ``required`` absent from ``columns``."""
    have = set(columns)
    for name in required:
        if name not in have:
            raise ReaderError("required column is missing", file=path, column=name, row=row, row_kind=row_kind)


def parse_numbers(
    cells: pd.DataFrame,
    path,
    *,
    line_of_row,
    missing=("",),
    thousands: str | None = None,
    row_kind: str = "line",
) -> pd.DataFrame:
    """Float columns of a table whose cells pandas may or may not have parsed.

    Columns pandas already read as numbers pass through; the others (string
    cells) are stripped, cleared of the thousands separator and parsed, with
    the ``missing`` markers as NaN.

    Parameters
    ----------
    cells : DataFrame
        The value columns as read.
    path : path-like
        For error messages.
    line_of_row : array-like of int
        The file line (or row, per ``row_kind``) of each row of ``cells``.
    missing : tuple of str
        Cell texts (after stripping) that mean "no value", e.g. '' and '..'.
    thousands : str, optional
        Thousands separator to remove before parsing (',' or ' ').

    Raises
    ------
    ReaderError
        At the first cell that is neither a number nor a missing marker,
        naming its line and column.
    """
    numeric = np.array([_is_number_dtype(dtype) for dtype in cells.dtypes], dtype=bool)
    out = np.empty(cells.shape, dtype="float64")
    if numeric.any():
        out[:, numeric] = cells.iloc[:, numeric].to_numpy(dtype="float64", na_value=np.nan)
    for j in np.flatnonzero(~numeric):
        col = cells.iloc[:, j]
        text = col.astype("str").str.strip()
        if thousands is not None:
            text = text.str.replace(thousands, "", regex=False)
        is_missing = (text.isin(missing) | col.isna()).to_numpy()
        values = pd.to_numeric(text.where(~is_missing, None), errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
        bad = np.isnan(values) & ~is_missing
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise ReaderError(
                f"cannot read {col.iloc[i]!r} as a number",
                file=path,
                row=int(np.asarray(line_of_row)[i]),
                column=str(cells.columns[j]),
                row_kind=row_kind,
            )
        out[:, j] = values
    return pd.DataFrame(out, index=cells.index, columns=cells.columns)


def _is_number_dtype(dtype) -> bool:
    return pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype)


def melt_years(ids: pd.DataFrame, values: pd.DataFrame, years, *, name: str = "year") -> pd.DataFrame:
    """Wide year columns to long rows, dropping missing (NaN) cells.

    Parameters
    ----------
    ids : DataFrame
        The identifying columns, one row per wide row.
    values : DataFrame of float
        The value columns, aligned with ``ids``.
    years : sequence of int
        The year of each column of ``values`` (or any integer label of the
        columns, such as their position).
    name : str
        The name of the column holding ``years`` in the result.

    Returns
    -------
    DataFrame
        ``ids`` columns, ``name`` (int64) and ``value``, ordered by column
        then by the wide row order.
    """
    n_rows, n_cols = values.shape
    flat = values.to_numpy(dtype="float64").ravel(order="F")
    keep = ~np.isnan(flat)
    rows = np.tile(np.arange(n_rows), n_cols)[keep]
    long = ids.iloc[rows].reset_index(drop=True)
    long[name] = np.repeat(np.asarray(years, dtype="int64"), n_rows)[keep]
    long["value"] = flat[keep]
    return long


def finish(frame: pd.DataFrame, *, source: str, vintage: str | None, licence: str, path, note: str | None = None) -> pd.DataFrame:
    """Add the ``source`` and ``vintage`` columns and the provenance attrs.

    ``df.attrs`` receives ``source``, ``vintage``, ``licence``, ``file`` and, if
    given, ``note``.
    """
    frame = frame.assign(source=source, vintage=vintage if vintage is not None else "")
    frame.attrs.update({"source": source, "vintage": vintage, "licence": licence, "file": Path(path).name})
    if note:
        frame.attrs["note"] = note
    return frame
