"""Tidy output of the readers: wide to long, identifiers checked, countries coded, provenance attached."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..countries import iso3_from_name
from ..errors import ReaderError, UnknownCountryError, UnknownNameError

UNKNOWN_FLAG = "u"
_UNKNOWN_CHOICES = ("raise", "keep")


def require_columns(columns, required, path, *, row=None, row_kind="row") -> None:
    """Raise naming the first column of ``required`` absent from ``columns``."""
    have = {str(c).strip() for c in columns}
    for name in required:
        if name not in have:
            raise ReaderError("required column is missing", file=path, column=name, row=row, row_kind=row_kind)


def stripped(cells, trailing: str = "") -> np.ndarray:
    """The texts of ``cells`` without surrounding white space (nor ``trailing`` characters), as objects.

    Each distinct text is cleaned once: identifying columns repeat a few
    names over many rows.
    """
    codes, uniques = pd.factorize(np.asarray(cells, dtype=object), use_na_sentinel=False)
    cleaned = np.array([str(text).strip().rstrip(trailing).strip() for text in uniques] or [""], dtype=object)
    return cleaned.take(codes)


def mapped(values, mapping, default=None) -> np.ndarray:
    """``mapping.get(v, default)`` for each of ``values``, each distinct value looked up once, as objects."""
    codes, uniques = pd.factorize(np.asarray(values, dtype=object), use_na_sentinel=False)
    return np.array([mapping.get(value, default) for value in uniques] or [default], dtype=object).take(codes)


def check_unknown_choice(unknown: str) -> None:
    """Raise :class:`~migstats.errors.UnknownNameError` unless ``unknown`` is ``"raise"`` or ``"keep"``."""
    if unknown not in _UNKNOWN_CHOICES:
        raise UnknownNameError(f"unknown choice unknown={unknown!r}; choose 'raise' or 'keep'")


def coded(codes, is_unknown, *, unknown: str, path, lines, column: str, what: str, row_kind: str = "line"):
    """The one rule for countries a reader cannot map.

    ``codes`` holds the ISO3 code of each row (anything where ``is_unknown``).
    With ``unknown="raise"`` the first unknown row raises; with ``"keep"`` its
    code becomes '' and the returned mask says which rows to flag ``u``.

    Returns
    -------
    (ndarray of object, ndarray of bool)
        The codes and the mask of kept unknown rows.

    Raises
    ------
    UnknownCountryError
        Naming the file, line and column of the first unknown row.
    """
    codes = np.array(codes, dtype=object)
    is_unknown = np.asarray(is_unknown, dtype=bool)
    if is_unknown.any():
        if unknown == "raise":
            i = int(np.flatnonzero(is_unknown)[0])
            raise UnknownCountryError(what.format(codes[i]), file=path, row=int(np.asarray(lines)[i]),
                                      column=column, row_kind=row_kind)
        codes[is_unknown] = ""
    return codes, is_unknown


def add_flag(flags, mask, flag: str = UNKNOWN_FLAG) -> np.ndarray:
    """``flags`` (texts) with ``flag`` appended, space-separated, where ``mask`` is True."""
    flags = np.array(flags, dtype=object)
    flags[mask] = [f"{f} {flag}".strip() for f in flags[mask]]
    return flags


def check_unique_rows(keys: dict, lines, path, *, column: str, row_kind: str = "line") -> None:
    """Raise if two rows have the same key, naming both rows.

    Parameters
    ----------
    keys : dict of str to array-like
        The columns that identify a row of the file (one entry per file row).
    lines : array-like of int
        The file line (or row, per ``row_kind``) of each row.
    column : str
        The column reported.

    Raises
    ------
    ReaderError
        At the first row repeating an earlier row's key; the message gives
        the key and both lines, the error's ``row`` is the later one.
    """
    repeated = pd.Series(_row_keys(keys.values())).duplicated().to_numpy()
    if not repeated.any():
        return
    frame = pd.DataFrame({name: np.asarray(values, dtype=object) for name, values in keys.items()})
    later = int(np.flatnonzero(repeated)[0])
    earlier = int(np.flatnonzero(frame.iloc[: later + 1].duplicated(keep="last").to_numpy())[0])
    lines = np.asarray(lines)
    key = ", ".join(f"{name}={value!r}" for name, value in frame.iloc[later].items())
    raise ReaderError(
        f"duplicated row: {key} on {row_kind} {int(lines[earlier])} and {row_kind} {int(lines[later])}",
        file=path, row=int(lines[later]), column=column, row_kind=row_kind,
    )


def check_one_value(values, lines, path, *, column: str, what: str, row_kind: str = "line") -> None:
    """Raise at the first row whose value differs from the first row's (a column that names the file's one series).

    Raises
    ------
    ReaderError
        Naming the row, ``column`` and both values: "the file mixes several
        {what}: ...".
    """
    values = np.asarray(values, dtype=object)
    other = values != values[0]
    if other.any():
        i = int(np.flatnonzero(other)[0])
        raise ReaderError(f"the file mixes several {what}: {values[i]!r} after {values[0]!r}", file=path,
                          row=int(np.asarray(lines)[i]), column=column, row_kind=row_kind)


def check_one_name_per_code(codes, names, lines, path, *, column: str, row_kind: str = "line") -> None:
    """Raise where a code that stands on several rows is written with another name than on its first row.

    A damaged name (a changed byte) in a file that repeats each location on
    many rows shows up here instead of passing into the table.

    Raises
    ------
    ReaderError
        Naming the row, ``column``, the code, both names and the line of the
        first one.
    """
    frame = pd.DataFrame({"code": np.asarray(codes, dtype=object), "name": np.asarray(names, dtype=object)})
    first_name = frame.groupby("code", sort=False)["name"].transform("first").to_numpy()
    other = frame["name"].to_numpy() != first_name
    if other.any():
        i = int(np.flatnonzero(other)[0])
        first = int(np.flatnonzero(frame["code"].to_numpy() == frame["code"].iat[i])[0])
        lines = np.asarray(lines)
        raise ReaderError(f"code {frame['code'].iat[i]!r} is named {frame['name'].iat[i]!r} here but "
                          f"{first_name[i]!r} on {row_kind} {int(lines[first])}", file=path, row=int(lines[i]),
                          column=column, row_kind=row_kind)


def _row_keys(columns) -> np.ndarray:
    """One integer per row, equal for two rows exactly when all ``columns`` are (missing values equal each other).

    The columns are coded one after the other, each combination coded again
    so that the number stays below the number of rows: a table of keys
    without a DataFrame of objects.
    """
    key = None
    for values in columns:
        values = np.asarray(values)
        codes, uniques = pd.factorize(values if values.dtype.kind in "iub" else values.astype(object))
        codes = codes.astype("int64") + 1  # missing (-1) is a value of its own
        key = codes if key is None else pd.factorize(key * (len(uniques) + 1) + codes)[0]
    return key


def melt_columns(ids: dict, values, years=None, *, name: str = "year", row_name: str | None = None) -> dict:
    """Wide value columns to long rows (missing cells left out), as a dict of arrays.

    Parameters
    ----------
    ids : dict of str to array-like
        The identifying columns, one entry per wide row.
    values : array-like of float, 2-D
        The value columns, aligned with ``ids``; NaN marks a missing cell.
    years : sequence of int, optional
        The label of each column of ``values``; default its position.
    name : str
        The name of the column holding ``years``.
    row_name : str, optional
        If given, a column of that name holds each long row's wide row.

    Returns
    -------
    dict
        ``ids`` columns, ``name`` (int64) and ``value``, ordered by column
        then by wide row.
    """
    values = np.asarray(values, dtype="float64")
    flat = values.ravel(order="F")
    kept = np.flatnonzero(~np.isnan(flat))
    cols, rows = np.divmod(kept, values.shape[0])
    columns = {column: taken(array, rows) for column, array in ids.items()}
    if row_name is not None:
        columns[row_name] = rows
    columns[name] = cols if years is None else np.asarray(years, dtype="int64")[cols]
    columns["value"] = flat[kept]
    return columns


def taken(array, rows: np.ndarray):
    """``array[rows]``, text as a pandas string array (see :func:`_as_text`)."""
    array = np.asarray(array, dtype=object if isinstance(array, (list, tuple)) else None)
    if array.dtype != object:
        return array.take(rows)
    return _as_text(array, rows)


def _as_text(array: np.ndarray, rows: np.ndarray | None = None):
    """Objects as a pandas string array (None -> missing), the ``rows`` of it if given, from the distinct values.

    Building a long string column from its few distinct values is several
    times faster than converting one Python string per long row.
    """
    codes, uniques = pd.factorize(array)
    return pd.array(uniques.astype(str), dtype="str").take(codes if rows is None else codes.take(rows),
                                                            allow_fill=True)


def finish(columns: dict, *, source: str, vintage: str | None, licence: str, path, **attrs) -> pd.DataFrame:
    """The reader's table: ``columns`` plus ``source`` and ``vintage``, the provenance in ``attrs``.

    Text columns become pandas strings. ``attrs`` receives ``source``,
    ``vintage``, ``licence``, ``file`` and the keyword arguments given (those
    that are not None).
    """
    columns = {name: _as_text(values) if isinstance(values, np.ndarray) and values.dtype == object else values
               for name, values in columns.items()}
    frame = pd.DataFrame({**columns, "source": source, "vintage": vintage if vintage is not None else ""})
    for column in frame.columns[(frame.dtypes == object).to_numpy()]:
        frame[column] = frame[column].astype("str")
    frame.attrs.update({"source": source, "vintage": vintage, "licence": licence, "file": Path(path).name})
    frame.attrs.update({key: value for key, value in attrs.items() if value is not None})
    return frame


def codes_from_names(names, *, unknown: str, path, lines, column: str, row_kind: str = "line"):
    """ISO3 codes of country names (or codes) through :mod:`migstats.countries`, with the unknown rule of :func:`coded`.

    Returns
    -------
    (ndarray of object, ndarray of bool)
        The codes ('' for kept unknowns) and the mask of kept unknown rows.
    """
    found = {}
    for name in dict.fromkeys(names):
        try:
            found[name] = iso3_from_name(name)
        except UnknownCountryError:
            found[name] = None
    codes = [found[name] for name in names]
    is_unknown = np.array([code is None for code in codes], dtype=bool)
    shown = [name if code is None else code for name, code in zip(names, codes)]
    return coded(shown, is_unknown, unknown=unknown, path=path, lines=lines, column=column, row_kind=row_kind,
                 what="unknown country or area name {!r}")
