"""Files as text and records: decoding, the CSV parse, each record's physical line and field count.

Every function raises :class:`~migstats.errors.ReaderError` naming the file
and, where known, the line (physical lines, 1-based, blank lines counted) or
the sheet, so a reader never turns a damaged file into a shifted table.
"""

from __future__ import annotations

import csv
import io
import warnings
from collections import Counter
from dataclasses import dataclass
from itertools import compress
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import ReaderError, ReaderWarning

# Magic numbers of the formats most often handed to the wrong reader.
_BINARY_SIGNATURES = {
    b"PK\x03\x04": "a zip archive (xlsx?)",
    b"\xd0\xcf\x11\xe0": "an OLE2 file (Excel 97-2003 xls?)",
    b"%PDF": "a PDF document",
}
_UTF8_BOM = b"\xef\xbb\xbf"
_UTF8 = "utf-8"
_CP1252 = "cp1252"


def _gunzip(raw: bytes, path: Path) -> bytes:
    import gzip
    import zlib

    try:
        return gzip.decompress(raw)
    except (OSError, EOFError, zlib.error) as exc:
        raise ReaderError(f"not a readable gzip file: {exc}", file=path) from None


def read_text(path, encoding: str = _UTF8) -> str:
    """The text of a CSV file, line ends (CRLF, lone CR) made LF, a UTF-8 byte order mark removed.

    A file whose name ends in ``.gz`` is decompressed first.

    The declared ``encoding`` is UTF-8 or Windows-1252; the other one is
    recognised: a file declared Windows-1252 that starts with a UTF-8 byte
    order mark, or that decodes as UTF-8 and holds non-ASCII characters (a
    spreadsheet's re-save), is read as UTF-8; a file declared UTF-8 that does
    not decode as UTF-8 is read as Windows-1252. Either departure issues a
    :class:`~migstats.errors.ReaderWarning` naming the encoding used.

    Raises
    ------
    ReaderError
        If the file is missing or empty, is binary (zip/xlsx, xls, PDF, or
        holds NUL bytes), or decodes in neither encoding.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ReaderError(f"cannot read file: {exc.strerror}", file=path) from None
    if path.suffix == ".gz":
        raw = _gunzip(raw, path)
    if not raw or raw.isspace():
        raise ReaderError("the file is empty", file=path)
    for magic, what in _BINARY_SIGNATURES.items():
        if raw.startswith(magic):
            raise ReaderError(f"this is {what}, not a CSV text file", file=path, row=1, row_kind="line")
    if b"\x00" in raw[:4096]:
        raise ReaderError("binary content (NUL bytes), not a CSV text file", file=path)
    declared = _codec_name(encoding)
    text, used = _decode(raw, declared, path)
    if used != declared:
        warnings.warn(
            f"{path}: read as {_label(used)}, not the {_label(declared)} the format declares",
            ReaderWarning, stacklevel=3,
        )
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


_LABELS = {_UTF8: "UTF-8", _CP1252: "Windows-1252 (cp1252)"}


def _label(codec: str) -> str:
    return _LABELS.get(codec, codec)


def _codec_name(encoding: str) -> str:
    name = encoding.lower().replace("_", "-")
    return {"utf-8-sig": _UTF8, "utf8": _UTF8, "windows-1252": _CP1252, "cp-1252": _CP1252}.get(name, name)


def _decode(raw: bytes, declared: str, path) -> tuple[str, str]:
    """The text and the codec that decoded it: the declared one, else the obvious other."""
    if raw.startswith(_UTF8_BOM):
        return _strict(raw[len(_UTF8_BOM) :], _UTF8, path), _UTF8
    if declared == _UTF8:
        try:
            return raw.decode(_UTF8), _UTF8
        except UnicodeDecodeError:
            return _strict(raw, _CP1252, path, also=_UTF8), _CP1252
    if declared == _CP1252 and not raw.isascii():
        try:
            # Windows-1252 text with accents is almost never valid UTF-8 by chance.
            return raw.decode(_UTF8), _UTF8
        except UnicodeDecodeError:
            pass
    return _strict(raw, declared, path), declared


def _strict(raw: bytes, codec: str, path, also: str | None = None) -> str:
    try:
        return raw.decode(codec)
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].replace(b"\r\n", b"\n").replace(b"\r", b"\n").count(b"\n") + 1
        tried = _label(codec) + (f" nor {_label(also)}" if also else "")
        raise ReaderError(f"byte 0x{raw[exc.start]:02x} is not valid {tried} text", file=path, row=line,
                          row_kind="line") from None


@dataclass(frozen=True)
class Records:
    """The records of a delimited text after its header.

    Attributes
    ----------
    header : list of str
        The header record's fields, as published (not stripped).
    cells : ndarray of object, 2-D
        One row per data record, one column per header field.
    lines : ndarray of int
        The physical line each data record starts on.
    header_line : int
        The physical line of the header.
    """

    header: list
    cells: np.ndarray
    lines: np.ndarray
    header_line: int

    def column(self, name: str) -> np.ndarray:
        """The cells under the header field ``name`` (the first one of that name)."""
        return self.cells[:, self.header.index(name)]


def read_records(text: str, path, *, header_line: int = 1, delimiter: str = ",", quoting: bool = True,
                 surplus_empty: bool = False, required=()) -> Records:
    """Parse ``text`` from its header (on physical line ``header_line``) with :mod:`csv`, checking every record.

    Blank lines are skipped. Every record must have exactly as many fields as
    the header. With ``surplus_empty`` (a spreadsheet export that pads its
    rows) records may have more, if the extra fields are empty and every
    record has the same number of fields.

    Parameters
    ----------
    text : str
        The decoded text, line ends made LF (see :func:`read_text`).
    path : path-like
        For messages.
    header_line : int
        The physical line of the header; lines above it are not read.
    delimiter : str
        The field separator.
    quoting : bool
        Whether the format quotes fields (CSV); False reads quotes literally.
    surplus_empty : bool
        Whether records may be padded with empty fields, see above.
    required : sequence of str
        Header fields (stripped) that must be present, checked before any
        record.

    Returns
    -------
    Records

    Raises
    ------
    ReaderError
        A missing required column, a record with fewer or more fields than
        the header (naming its line and both counts; "truncated" when it is
        the last record), a quote that is not closed, or no data record
        after the header.
    """
    body = text.split("\n", header_line - 1)[-1] if header_line > 1 else text
    fast = _fast_cells(body, delimiter, quoting)
    if fast is not None:
        # Every record has the header's width: padding fields (``surplus_empty``) cannot differ from it.
        header, cells = list(fast[0]), fast[1:]
        missing = [name for name in required if name not in {cell.strip() for cell in header}]
        if missing:
            raise ReaderError("required column is missing", file=path, row=header_line, column=missing[0],
                              row_kind="line")
        if not len(cells):
            raise ReaderError("no data rows after the header", file=path, row=header_line, row_kind="line")
        return Records(header, cells, np.arange(header_line + 1, header_line + 1 + len(cells), dtype="int64"),
                       header_line)
    reader = csv.reader(io.StringIO(body), delimiter=delimiter, strict=True,
                        quoting=csv.QUOTE_MINIMAL if quoting else csv.QUOTE_NONE)
    try:
        rows = list(reader)
    except csv.Error:
        rows = None
    if rows is not None and len(rows) == body.count("\n") + (not body.endswith("\n")):
        # One record per physical line (no quoted line break): the lines are the positions.
        lines = range(header_line, header_line + len(rows))
        kept = [k for k, record in enumerate(rows) if record and (len(record) > 1 or record[0].strip())]
        if len(kept) < len(rows):
            rows, lines = [rows[k] for k in kept], [lines[k] for k in kept]
        else:
            lines = list(lines)
    else:
        rows, lines = _records_and_lines(body, header_line, delimiter, quoting, path)
    if not rows:
        raise ReaderError("no header line", file=path)
    header, header_at = rows.pop(0), lines.pop(0)
    missing = [name for name in required if name not in {cell.strip() for cell in header}]
    if missing:
        raise ReaderError("required column is missing", file=path, row=header_at, column=missing[0], row_kind="line")
    if not rows:
        raise ReaderError("no data rows after the header", file=path, row=header_at, row_kind="line")
    width = _record_width(rows, len(header)) if surplus_empty else len(header)
    for k, row in enumerate(rows):
        if len(row) != width:
            what = "truncated file: the last record has" if k == len(rows) - 1 and len(row) < width else "the record has"
            expected = f"the header has {len(header)}" + (f", the other records {width}" if width != len(header) else "")
            raise ReaderError(f"{what} {len(row)} fields, {expected}", file=path, row=lines[k], row_kind="line")
    if width > len(header):
        surplus = [k for k, row in enumerate(rows) if "".join(row[len(header):]).strip()]
        if surplus:
            raise ReaderError(f"a value beyond the {len(header)} fields of the header", file=path,
                              row=lines[surplus[0]], row_kind="line")
    if width > len(header):
        rows = [row[: len(header)] for row in rows]
    # np.array on equal-length lists (checked above) is a 2-D array; filling an empty one is ten times slower.
    cells = np.array(rows, dtype=object)
    return Records(header, cells, np.asarray(lines, dtype="int64"), header_at)


def _fast_cells(body: str, delimiter: str, quoting: bool):
    """The cells of a text whose every physical line is one record of the header's width; else None.

    A line without a quote (or any line, in a format without quoting) is
    split at the delimiter, which is what :mod:`csv` makes of it; the lines
    with a quote go through :mod:`csv` one line each, and must give one
    record per line (a quoted line break, an unclosed quote or ``"ab"c`` is
    refused). On the upstream files this is up to twice as fast as :mod:`csv`
    over the whole text, and two to five times faster than pandas' C parser
    asked for text cells on a wide table. Any other text (blank or blank-looking lines, a carriage return, a
    NUL, a line longer than :func:`csv.field_size_limit`, a record of another
    width) returns None and goes through the record-by-record parse, which
    names the offending line.
    """
    if not body.strip() or "\r" in body or "\x00" in body:
        return None
    lines = (body[:-1] if body.endswith("\n") else body).split("\n")
    if max(map(len, lines)) > csv.field_size_limit():
        return None
    if quoting and '"' in body:
        has_quote = ['"' in line for line in lines]
        try:
            parsed = list(csv.reader(compress(lines, has_quote), delimiter=delimiter, strict=True))
        except csv.Error:
            return None
        # A record that does not end on its line joins the next line given: one record fewer.
        if len(parsed) != sum(has_quote):
            return None
        quoted = iter(parsed)
        records = [next(quoted) if quote else line.split(delimiter) for line, quote in zip(lines, has_quote)]
    else:
        records = [line.split(delimiter) for line in lines]
    width = len(records[0])
    if width < 2 or set(map(len, records)) != {width}:
        return None  # one field per record: a line of spaces is blank to the record parse, a record here
    return np.array(records, dtype=object)


def _records_and_lines(body: str, header_line: int, delimiter: str, quoting: bool, path):
    """The non-blank records of ``body`` and the physical line each starts on, counted as the parse goes."""
    reader = csv.reader(io.StringIO(body), delimiter=delimiter, strict=True,
                        quoting=csv.QUOTE_MINIMAL if quoting else csv.QUOTE_NONE)
    rows, lines = [], []
    start = 1
    try:
        for record in reader:
            line = header_line - 1 + start
            start = reader.line_num + 1
            if record and (len(record) > 1 or record[0].strip()):
                rows.append(record)
                lines.append(line)
    except csv.Error as exc:
        raise ReaderError(f"not a well-formed CSV record, truncated file? ({exc})", file=path,
                          row=header_line - 1 + start, row_kind="line") from None
    return rows, lines


def _record_width(rows, header_width: int) -> int:
    """The number of fields of a padded export: that of most records, if more than the header's."""
    lengths = Counter(len(row) for row in rows)
    common = max(lengths, key=lambda n: (lengths[n], -n))
    return common if common > header_width else header_width


def read_sheet(path, sheet: str) -> pd.DataFrame:
    """Every cell of ``sheet`` of an xlsx workbook, as ``pandas.read_excel`` reads it without a header.

    Raises
    ------
    ReaderError
        If the file is missing, has no such sheet, or fails to open or parse
        in any way (a damaged zip, XML or number), naming the file and sheet.
    """
    path = Path(path)
    if not path.is_file():
        raise ReaderError("file not found", file=path)
    try:
        # No NA conversion: a text such as "n/a" in a number cell must be an error, not a NaN.
        return pd.read_excel(path, sheet_name=sheet, header=None, engine="openpyxl", keep_default_na=False,
                             na_values=[])
    except MemoryError:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged workbook fails in zipfile, zlib, XML or openpyxl
        if isinstance(exc, (KeyError, ValueError)) and "Worksheet" in str(exc):
            raise ReaderError(f"no sheet named {sheet!r}", file=path) from None
        raise ReaderError(f"sheet {sheet!r}: not a readable xlsx workbook ({type(exc).__name__}: {exc})",
                          file=path) from None
