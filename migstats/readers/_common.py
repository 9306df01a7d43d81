"""Parsing steps shared by the readers: text decoding, field-count checks and numbers.

Every function here raises :class:`~migstats.errors.ReaderError` naming the file,
the line (or row) and the column of the problem, so a reader never turns an
unreadable cell into a silent NaN.
"""

from __future__ import annotations

import codecs
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
    if not raw or raw.isspace():
        raise ReaderError("the file is empty", file=path)
    for magic, what in _BINARY_SIGNATURES.items():
        if raw.startswith(magic):
            raise ReaderError(f"this is {what}, not a CSV text file", file=path, row=1, row_kind="line")
    if b"\x00" in raw[:4096]:
        raise ReaderError("binary content (NUL bytes), not a CSV text file", file=path)
    codec = "utf-8-sig" if encoding.lower().replace("_", "-") == "utf-8" else encoding
    try:
        text = raw.decode(codec)
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ReaderError(
            f"byte 0x{raw[exc.start]:02x} is not valid {encoding} text", file=path, row=line, row_kind="line"
        ) from None
    if "\r" in text:
        text = _crlf_free(raw, codec) or text.replace("\r\n", "\n").replace("\r", "\n")
    return text


# Codecs in which the byte 0x0D is always a carriage return, never part of another character.
_CR_IS_A_BYTE = {"utf-8", "utf-8-sig", "cp1252", "iso8859-1", "ascii"}


def _crlf_free(raw: bytes, codec: str) -> str | None:
    """The text of ``raw`` with the CR of every CRLF removed; None if a CR stands alone.

    Deleting one byte value is several times faster than replacing a
    two-character sequence in the text, which took a fifth of the time of
    pandas' own parse on a CRLF file of 200 kB.
    """
    if codecs.lookup(codec).name not in _CR_IS_A_BYTE:
        return None
    data = np.frombuffer(raw, dtype=np.uint8)
    at = np.flatnonzero(data == ord("\r"))
    if at[-1] + 1 == data.size or (data[at + 1] != ord("\n")).any():
        return None
    return raw.replace(b"\r", b"").decode(codec)


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
        return _read_csv(text, path, kwargs)
    kwargs.update(keep_default_na=False, na_values=list(missing))
    text_columns = list(text_columns or ())
    if len(text) > _TYPED_READ_ABOVE:
        return _read_csv(text, path, dict(kwargs, dtype={c: "str" for c in text_columns}))
    # Any dtype mapping makes pandas rebuild every column of the table (a fixed cost of
    # tens of microseconds a column, the bulk of the read of a small file): let pandas
    # infer, then re-read as text only the text columns it took for something else.
    frame = _read_csv(text, path, kwargs)
    dtypes = dict(zip(frame.columns, frame.dtypes))
    retyped = []
    for name in text_columns:
        # A name the table lacks is ignored, as pandas ignores it in a dtype mapping.
        if name not in dtypes or dtypes[name] == _STR:
            continue
        column = frame[name]
        if len(column) and column.dtype.kind == "f" and column.isna().all():
            # Only the missing markers parse to NaN (keep_default_na is off): every cell was one.
            frame[name] = pd.Series(np.nan, index=frame.index, dtype="str")
        else:
            retyped.append(name)
    if retyped:
        again = _read_csv(text, path, dict(kwargs, usecols=retyped, dtype={c: "str" for c in retyped}))
        for name in retyped:
            frame[name] = again[name]
    return frame


# Compared as an object: comparing a dtype with the text "str" parses the text each time.
_STR = pd.api.types.pandas_dtype("str")
# Above this many characters the whole-table cost of a dtype mapping is small beside the
# parse, and a second read of the file (see read_csv_text) would cost more than it saves.
_TYPED_READ_ABOVE = 1_000_000


def _read_csv(text: str, path, kwargs: dict) -> pd.DataFrame:
    try:
        # Bytes, as pandas reads a file: given a StringIO it encodes the text itself, chunk by
        # chunk, which costs a third more than this one encode (UTF-8 is its default encoding).
        return pd.read_csv(io.BytesIO(text.encode("utf-8")), **kwargs)
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


class LineNumbers:
    """The physical line of each row pandas read from a text, worked out on first use.

    The mapping (:func:`data_lines`) is only needed to name the line of a
    problem, so a file without one never pays for it. Indexing (an int, a
    mask or positions) and :func:`numpy.asarray` give the line numbers
    :func:`data_lines` gives; :meth:`take` selects rows, still lazily.
    """

    def __init__(self, text: str, n_rows: int, *, skip: int = 0, header: bool = True):
        self._args = (text, n_rows, skip, header)
        self._lines = None

    def __array__(self, dtype=None, copy=None):
        if self._lines is None:
            text, n_rows, skip, header = self._args
            self._lines = data_lines(text, n_rows, skip=skip, header=header)
        return self._lines if dtype is None else self._lines.astype(dtype)

    def __getitem__(self, index):
        return np.asarray(self)[index]

    def __len__(self) -> int:
        return self._args[1]

    def take(self, positions) -> _TakenLines:
        """The lines of the rows at ``positions``, worked out when first used."""
        return _TakenLines(self, np.asarray(positions))


class _TakenLines:
    """Some rows of a :class:`LineNumbers`, as lazy as it."""

    def __init__(self, lines: LineNumbers, positions: np.ndarray):
        self._lines, self._positions = lines, positions

    def __array__(self, dtype=None, copy=None):
        return np.asarray(self._lines, dtype=dtype)[self._positions]

    def __getitem__(self, index):
        return np.asarray(self)[index]

    def __len__(self) -> int:
        return len(self._positions)


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
    if not _has_repeats(keys):
        return
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


def _has_repeats(keys: pd.DataFrame) -> bool:
    """Whether two rows of ``keys`` are equal: one integer per row from the codes of each column.

    Codes as ``DataFrame.duplicated`` makes them (every missing value one
    code), but from the plain values, which factorise in half the time.
    """
    combined = np.zeros(len(keys), dtype="int64")
    size = 1
    for j in range(keys.shape[1]):
        values = keys.iloc[:, j].to_numpy()
        if len(values) and (values == values[0]).all():
            # A column of one value (no NaN: it never equals itself) tells no rows apart.
            continue
        codes, uniques = pd.factorize(values)
        n = len(uniques) + 1
        if size * n >= 2**62:
            # The next product could overflow: renumber the distinct combinations so far.
            combined, seen = pd.factorize(combined)
            size = len(seen)
        combined = combined * n + (codes + 1)
        size *= n
    return len(pd.unique(combined)) < len(keys)


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
    if column.dtype != _STR:
        codes, uniques = pd.factorize(column)
        cleaned = pd.Index(uniques).astype("str").str.strip()
        if trailing:
            cleaned = cleaned.str.rstrip(trailing).str.strip()
        out = np.append(cleaned.to_numpy(dtype=object), "")[codes]
        return pd.Series(out, index=column.index, dtype="str")
    values = column.to_numpy()
    if len(values) and (values == values[0]).all() and values[0] == values[0].strip().rstrip(trailing).strip():
        # One clean value throughout (a NaN never equals itself): the column's own strings.
        return pd.Series(column.array, index=column.index, copy=False)
    # On a text column the plain objects are factorised (twice as fast as the Series) and
    # the few distinct values cleaned in a loop (the string methods' fixed cost is higher).
    codes, uniques = pd.factorize(values)
    cleaned = [value.strip() for value in uniques]
    if trailing:
        cleaned = [value.rstrip(trailing).strip() for value in cleaned]
    if cleaned == list(uniques) and (codes >= 0).all():
        # Nothing to clean: the column's own strings, without a copy.
        return pd.Series(column.array, index=column.index, copy=False)
    # Code -1 (a missing cell) takes the '' appended last.
    return pd.Series(pd.array([*cleaned, ""], dtype="str").take(codes), index=column.index, copy=False)


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
    numeric = np.array([is_number_dtype(dtype) for dtype in cells.dtypes], dtype=bool)
    if not numeric.all():
        # Each text column is replaced by its numbers in a shallow copy, then the whole table
        # converts at once: selecting the number columns apart costs more than converting them.
        parsed = cells.copy(deep=False)
        for j in np.flatnonzero(~numeric):
            col = cells.iloc[:, j]
            values, is_missing = _text_numbers(col, missing, thousands)
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
            parsed.isetitem(j, values)
        cells = parsed
    out = cells.to_numpy(dtype="float64", na_value=np.nan)
    return pd.DataFrame(out, index=cells.index, columns=cells.columns)


def table_numbers(raw: pd.DataFrame, first: int, path, *, line_of_row, labels=None, **parse) -> np.ndarray:
    """The columns of ``raw`` from position ``first`` on, as :func:`parse_numbers` reads them, in one float array.

    ``labels`` name those columns in error messages (default: their labels
    in ``raw``); ``parse`` holds the ``missing``, ``thousands`` and
    ``row_kind`` of :func:`parse_numbers`, which parses the columns pandas
    did not read as numbers, in file order, so that errors are the same.

    The whole frame converts at once, the columns before ``first`` replaced
    by placeholders in a shallow copy: selecting the value columns, one
    block each in a frame read by pandas, costs more than the parse of a
    small file.
    """
    labels = list(raw.columns[first:]) if labels is None else list(labels)
    unparsed = [j for j, dtype in enumerate(raw.dtypes.iloc[first:]) if not is_number_dtype(dtype)]
    work = raw.copy(deep=False)
    if unparsed:
        cells = pd.DataFrame(dict(enumerate(raw.iloc[:, first + j] for j in unparsed)))
        cells.columns = [labels[j] for j in unparsed]
        parsed = parse_numbers(cells, path, line_of_row=line_of_row, **parse).to_numpy()
        for k, j in enumerate(unparsed):
            work.isetitem(first + j, parsed[:, k])
    for i in range(first):
        work.isetitem(i, np.zeros(len(raw)))
    return work.to_numpy(dtype="float64", na_value=np.nan)[:, first:]


def _text_numbers(col: pd.Series, missing, thousands) -> tuple[np.ndarray, np.ndarray]:
    """The numbers of a column of cells as text (NaN where missing or unreadable) and the missing mask.

    Each distinct text is cleaned (stripped, thousands separator removed)
    and parsed once: a column repeats few values, and the pandas string
    methods cost a fixed time per call that outweighs a loop over them.
    """
    codes, uniques = pd.factorize(col.astype("str").to_numpy())
    cleaned = [text.strip() for text in uniques]
    if thousands is not None:
        cleaned = [text.replace(thousands, "") for text in cleaned]
    distinct_missing = [text in missing for text in cleaned]
    if (codes < 0).any():
        # Code -1, an empty cell, takes a missing value appended last; there only if the column
        # has one, since to_numeric reads "-0" as -0.0 beside a missing value, as 0 otherwise.
        cleaned.append(None)
        distinct_missing.append(True)
    distinct_missing = np.array(distinct_missing, dtype=bool)
    numbers = pd.to_numeric(
        pd.Series(cleaned, dtype="str").where(~distinct_missing, None), errors="coerce"
    ).to_numpy(dtype="float64", na_value=np.nan)
    return numbers[codes], distinct_missing[codes] | col.isna().to_numpy()


def is_number_dtype(dtype) -> bool:
    """Whether pandas read a column as numbers (not booleans)."""
    if isinstance(dtype, np.dtype):
        # The pandas API checks below cost microseconds a column; numpy's kind says the same.
        return dtype.kind in "iufc"
    return pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype)


def melt_years(ids, values: pd.DataFrame, years, *, name: str = "year") -> pd.DataFrame:
    """Wide year columns to long rows, dropping missing (NaN) cells.

    Parameters
    ----------
    ids : DataFrame or dict of arrays
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
    return pd.DataFrame(melt_columns(ids, values, years, name=name), copy=False)


def melt_columns(ids, values, years=None, *, name: str = "year", row_name: str | None = None) -> dict:
    """The columns of :func:`melt_years` as a dict of arrays, for a reader to add its own before making a frame.

    Each frame built and taken apart again costs a fixed time that matters
    on small files. With ``years`` None the ``name`` column holds each long
    row's column position in ``values``; with ``row_name`` a column of that
    name holds its row position.
    """
    n_rows = values.shape[0]
    flat = np.asarray(values, dtype="float64").ravel(order="F")
    # Row and column of each kept cell from its position: fewer temporary arrays of the
    # table's size than tiling and repeating, each a fresh allocation on a long table.
    kept = np.flatnonzero(~np.isnan(flat))
    cols, rows = np.divmod(kept, n_rows)
    # Arrays taken by row: ids.iloc plus two column inserts costs several times more.
    columns = {column: _array(ids[column]).take(rows) for column in ids}
    if row_name is not None:
        columns[row_name] = rows
    columns[name] = cols if years is None else np.asarray(years, dtype="int64")[cols]
    columns["value"] = flat[kept]
    return columns


def _array(column):
    return column.array if isinstance(column, pd.Series) else column


def finish(frame, *, source: str, vintage: str | None, licence: str, path, note: str | None = None) -> pd.DataFrame:
    """Add the ``source`` and ``vintage`` columns and the provenance attrs.

    ``frame`` is a DataFrame or a dict of columns, made a frame here with the
    two columns (one frame built instead of two). ``df.attrs`` receives
    ``source``, ``vintage``, ``licence``, ``file`` and, if given, ``note``.
    """
    added = {"source": source, "vintage": vintage if vintage is not None else ""}
    if isinstance(frame, pd.DataFrame):
        frame = frame.assign(**added)
    else:
        frame = pd.DataFrame({**frame, **added}, copy=False)
    frame.attrs.update({"source": source, "vintage": vintage, "licence": licence, "file": Path(path).name})
    if note:
        frame.attrs["note"] = note
    return frame
