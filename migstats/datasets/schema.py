"""Load ``datapackage.json`` and validate tables against their Table Schema.

A small, dependency-free subset of the Frictionless Table Schema standard:
field types ``string``, ``integer``, ``number``, ``boolean``; constraints
``required``, ``unique``, ``enum``, ``pattern``, ``minimum``, ``maximum``;
``primaryKey`` and ``foreignKeys``. On top of the standard, a schema may list
migstats rules under ``"x-migstats-checks"``:

``{"rule": "unit", "field": F}``
    every non-empty ``F`` parses with the migstats unit registry;
``{"rule": "ordered", "fields": [A, B, ...]}``
    ``A <= B <= ...`` wherever the values are present;
``{"rule": "range_or_value", "value": V, "low": L, "high": H}``
    every row gives ``V``, or a stated range with both ``L`` and ``H`` (or both).

Every failure raises :class:`~migstats.errors.ValidationError` naming the file,
the 1-based data row (the header is line 1, so data row ``n`` is line ``n + 1``)
and the column.
"""

from __future__ import annotations

import json
import math
import os
import re
import threading
import warnings
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from .._deprecation import changed_arguments
from .._docstrings import fill_doc
from ..errors import ReaderError, UnitError, ValidationError
from ..units import check_unit
from . import _table_cache
from ._paths import data_dir

__all__ = ["descriptor", "resource_descriptor", "read_table", "validate_frame", "resource_names", "licence_text"]


@cache
def _descriptor_at(root: str) -> dict:
    path = Path(root) / "datapackage.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValidationError(f"not valid JSON: {exc.msg}", file=path, row=exc.lineno, row_kind="line") from None


@fill_doc
@changed_arguments(positional=("root",))
def descriptor(*, root: Path | None = None) -> dict:
    """The parsed data package descriptor (a fresh copy).

    Parameters
    ----------
    %(root)s

    Returns
    -------
    dict
        ``datapackage.json`` as parsed JSON; changing it changes nothing on disk.

    Raises
    ------
    ValidationError
        If the file is not valid JSON (naming the line).

    See Also
    --------
    resource_descriptor : one resource's entry.

    Examples
    --------
    >>> descriptor()["profile"]
    'tabular-data-package'
    """
    return json.loads(json.dumps(_descriptor_at(str(root or data_dir()))))


def licence_text(entry: dict) -> str:
    """The licence of a resource or source as one line of text (Frictionless ``licenses``).

    Parameters
    ----------
    entry : dict
        A resource or source entry of the descriptor.

    Returns
    -------
    str
        The titles (or names) of its licences, joined by ``"; "``.

    See Also
    --------
    migstats.datasets.report.sources : every source with its licence.

    Examples
    --------
    >>> licence_text(resource_descriptor("report-claims"))
    'CC-BY-4.0'
    """
    return "; ".join(lic.get("title") or lic.get("name", "") for lic in entry.get("licenses", []))


@fill_doc
@changed_arguments(positional=("root",))
def resource_names(*, root: Path | None = None) -> list[str]:
    """Names of the resources the descriptor lists.

    Parameters
    ----------
    %(root)s

    Returns
    -------
    list of str

    See Also
    --------
    resource_descriptor : one resource's entry.

    Examples
    --------
    >>> "report-counterparts" in resource_names()
    True
    """
    return [r["name"] for r in _descriptor_at(str(root or data_dir()))["resources"]]


@fill_doc
@changed_arguments(positional=("root",))
def resource_descriptor(name: str, *, root: Path | None = None) -> dict:
    """The descriptor entry of one resource.

    Parameters
    ----------
    name : str
        The resource name.
    %(root)s

    Returns
    -------
    dict
        The resource's entry: ``path``, ``schema``, ``sources``, ``licenses`` ...

    Raises
    ------
    ValidationError
        If the descriptor has no resource of that name.

    See Also
    --------
    resource_names : the names it accepts.

    Examples
    --------
    >>> resource_descriptor("report-counterparts")["path"]
    'report/counterparts.csv'
    """
    for res in _descriptor_at(str(root or data_dir()))["resources"]:
        if res["name"] == name:
            return json.loads(json.dumps(res))  # a copy of this entry only, not of the whole descriptor
    raise ValidationError(f"no resource named {name!r}", file=Path(root or data_dir()) / "datapackage.json")


def _parse_integer(text: str) -> int:
    if not re.fullmatch(r"[+-]?\d+", text):
        raise ValueError
    return int(text)


def _parse_number(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError
    return value


def _parse_boolean(text: str) -> bool:
    lowered = text.lower()
    if lowered in ("true", "1", "yes"):
        return True
    if lowered in ("false", "0", "no"):
        return False
    raise ValueError


_PARSERS = {"integer": _parse_integer, "number": _parse_number, "boolean": _parse_boolean}


def _vectorised(raw: pd.Series, present: pd.Series, ftype: str):
    """Whole-column parse of integers and numbers, or None when any cell needs the per-cell parser.

    Only the common case is taken here (every present cell a plain decimal
    integer, or a finite number pandas reads); anything else, including
    every invalid cell, goes through the per-cell parsers, which name the
    first bad row. Large tables load several times faster.
    """
    if ftype not in ("integer", "number"):
        return None
    pres = present.to_numpy()
    text = raw[pres].str.strip()
    if ftype == "integer":
        if not text.str.fullmatch(r"[+-]?\d{1,18}").all():
            return None
        values = np.zeros(len(raw), dtype="int64")
        values[pres] = text.to_numpy(dtype=object).astype("int64")
        return pd.arrays.IntegerArray(values, ~pres)
    values = np.full(len(raw), np.nan)
    try:
        # float() of each cell, as the per-cell parser; pd.to_numeric on an object column is far slower
        values[pres] = text.to_numpy(dtype=object).astype(float)
    except ValueError:
        return None
    if not np.isfinite(values[pres]).all():
        return None
    return values


def _typed_column(raw: pd.Series, field: dict, file: str) -> pd.Series:
    """Convert one all-string column to its declared type, checking constraints."""
    name, ftype = field["name"], field.get("type", "string")
    cons = field.get("constraints", {})
    present = raw != ""
    if cons.get("required"):
        missing = np.flatnonzero(~present.to_numpy())
        if missing.size:
            raise ValidationError("required value is empty", file=file, row=int(missing[0]) + 1, column=name)
    if ftype == "string":
        # None for empty cells whatever pandas' default string storage (pandas 3's `where` gives NaN)
        out = pd.Series(np.where(present.to_numpy(), raw.to_numpy(dtype=object), None), index=raw.index,
                        dtype=object, name=name)
    else:
        parser = _PARSERS.get(ftype)
        if parser is None:
            raise ValidationError(f"unsupported field type {ftype!r}", file=file, column=name)
        fast = _vectorised(raw, present, ftype)
        if fast is not None:
            out = pd.Series(fast, index=raw.index, name=name)
            _check_constraints(out, present, cons, name, file)
            return out
        parsed = []
        for i, text in enumerate(raw):
            if text == "":
                parsed.append(None)
                continue
            try:
                parsed.append(parser(text.strip()))
            except (ValueError, OverflowError):
                raise ValidationError(f"{text!r} is not a valid {ftype}", file=file, row=i + 1, column=name) from None
        if ftype == "integer":
            out = pd.array(parsed, dtype="Int64")
        elif ftype == "number":
            out = np.array([np.nan if v is None else v for v in parsed], dtype=float)
        else:
            out = pd.array(parsed, dtype="boolean")
        out = pd.Series(out, index=raw.index, name=name)
    _check_constraints(out, present, cons, name, file)
    return out


def _first_row(mask) -> int:
    return int(np.flatnonzero(np.asarray(mask))[0]) + 1


def _check_constraints(col: pd.Series, present: pd.Series, cons: dict, name: str, file: str) -> None:
    pres = present.to_numpy()
    if "enum" in cons:
        bad = pres & ~col.isin(cons["enum"]).to_numpy()
        if bad.any():
            row = _first_row(bad)
            raise ValidationError(
                f"{col.iloc[row - 1]!r} is not one of the allowed values {cons['enum']}",
                file=file, row=row, column=name,
            )
    if "pattern" in cons:
        bad = pres & ~col.astype(str).str.fullmatch(cons["pattern"]).fillna(False).to_numpy(dtype=bool)
        if bad.any():
            row = _first_row(bad)
            raise ValidationError(
                f"{col.iloc[row - 1]!r} does not match pattern {cons['pattern']!r}", file=file, row=row, column=name
            )
    for key, failing in (("minimum", lambda v, m: v < m), ("maximum", lambda v, m: v > m)):
        if key in cons:
            bad = pres & failing(col, cons[key]).fillna(False).to_numpy(dtype=bool)
            if bad.any():
                row = _first_row(bad)
                raise ValidationError(f"{_plain(col.iloc[row - 1])!r} is outside the {key} {cons[key]}", file=file,
                                      row=row, column=name)
    if cons.get("unique"):
        dup = pres & col.duplicated(keep="first").to_numpy()
        if dup.any():
            row = _first_row(dup)
            raise ValidationError(f"duplicate value {_plain(col.iloc[row - 1])!r}", file=file, row=row, column=name)


def _plain(value):
    """A numpy scalar as the Python value, for messages: 1900, not np.int64(1900)."""
    return value.item() if isinstance(value, np.generic) else value


def _check_rules(frame: pd.DataFrame, rules: list[dict], file: str) -> None:
    for rule in rules:
        kind = rule["rule"]
        if kind == "unit":
            col = rule["field"]
            for unit in frame[col].dropna().unique():  # each distinct unit once; the error names its first row
                try:
                    check_unit(unit)
                except UnitError as exc:
                    row = _first_row((frame[col] == unit).to_numpy(dtype=bool, na_value=False))
                    raise ValidationError(str(exc), file=file, row=row, column=col) from None
        elif kind == "ordered":
            cols = rule["fields"]
            for a, b in zip(cols, cols[1:]):
                left = pd.to_numeric(frame[a], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
                right = pd.to_numeric(frame[b], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
                bad = left > right  # NaN compares False: only present pairs are checked
                if bad.any():
                    row = _first_row(bad)
                    raise ValidationError(
                        f"{a} ({left[row - 1]:g}) is greater than {b} ({right[row - 1]:g})",
                        file=file, row=row, column=a,
                    )
        elif kind == "range_or_value":
            low_given = frame[rule["low"]].notna().to_numpy()
            high_given = frame[rule["high"]].notna().to_numpy()
            half = low_given != high_given
            if half.any():
                row = _first_row(half)
                col = rule["high"] if low_given[row - 1] else rule["low"]
                raise ValidationError("a stated range needs both low and high", file=file, row=row, column=col)
            empty = frame[rule["value"]].isna().to_numpy() & ~low_given
            if empty.any():
                raise ValidationError(
                    f"a figure needs a value in {rule['value']!r} or a stated range in low/high",
                    file=file, row=_first_row(empty), column=rule["value"],
                )
        else:
            raise ValidationError(f"unknown x-migstats-checks rule {kind!r}", file=file)


def validate_frame(raw: pd.DataFrame, schema: dict, file: str) -> pd.DataFrame:
    """Validate an all-string table against a Table Schema and return it typed.

    Parameters
    ----------
    raw : pandas.DataFrame
        The table as read, every cell a string, empty string for empty cells.
    schema : dict
        A Table Schema (``fields``, optional ``primaryKey`` and ``x-migstats-checks``).
    file : str
        The file name used in error messages.

    Returns
    -------
    pandas.DataFrame
        Columns in schema order with their declared types (``Int64`` for
        integers, float for numbers, object strings with None for empty).

    Raises
    ------
    ValidationError
        On a missing or unexpected column, a value of the wrong type, a broken
        constraint, a duplicate primary key or a failed migstats rule.

    See Also
    --------
    read_table : read a resource and validate it.

    Examples
    --------
    >>> import pandas as pd
    >>> schema = {"fields": [{"name": "year", "type": "integer", "constraints": {"minimum": 1950}}]}
    >>> validate_frame(pd.DataFrame({"year": ["2008"]}), schema, "x.csv")["year"].tolist()
    [2008]
    >>> validate_frame(pd.DataFrame({"year": ["1900"]}), schema, "x.csv")
    Traceback (most recent call last):
    ...
    migstats.errors.ValidationError: x.csv, row 1, column 'year': 1900 is outside the minimum 1950
    """
    names = [f["name"] for f in schema["fields"]]
    for name in names:
        if name not in raw.columns:
            raise ValidationError("missing column", file=file, column=name)
    extra = [c for c in raw.columns if c not in names]
    if extra:
        raise ValidationError("column not in the schema", file=file, column=str(extra[0]))
    typed = pd.DataFrame({f["name"]: _typed_column(raw[f["name"]], f, file) for f in schema["fields"]})
    key = schema.get("primaryKey")
    if key:
        key = [key] if isinstance(key, str) else list(key)
        dup = typed.duplicated(subset=key, keep="first").to_numpy()
        if dup.any():
            row = _first_row(dup)
            raise ValidationError(
                f"duplicate primary key {tuple(_plain(v) for v in typed.iloc[row - 1][key])}", file=file, row=row,
                column=key[0]
            )
    _check_rules(typed, schema.get("x-migstats-checks", []), file)
    return typed


def _read_raw(path: Path) -> pd.DataFrame:
    """Every cell as text, each record checked against the header (a short record is an error, not padded)."""
    # Imported here: the readers' text layer, shared so that bundled and published files follow one rule.
    from ..readers._text import read_records, read_text

    try:
        records = read_records(read_text(path), path)
    except ReaderError as exc:
        raise ValidationError(f"not a readable UTF-8 CSV: {exc.message}", file=path, row=exc.row,
                              column=exc.column, row_kind=exc.row_kind) from None
    return pd.DataFrame(records.cells, columns=records.header, dtype=object).astype(str)


# held while a table is read and validated (re-entrant: a table's foreign keys read others)
_VALIDATING = threading.RLock()


def _new_lock_after_fork() -> None:
    # a process forked while another thread validates must not inherit the lock held forever
    global _VALIDATING
    _VALIDATING = threading.RLock()


if hasattr(os, "register_at_fork"):  # not on Windows, which spawns and does not fork
    os.register_at_fork(after_in_child=_new_lock_after_fork)


@cache
def _source_sha256(root: str, name: str) -> str:
    """The sha256 of a resource's file, as its key was made with."""
    return _table_cache.file_sha256(Path(root) / resource_descriptor(name, root=Path(root))["path"])


@cache
def _table_key(root: str, name: str) -> str:
    """What a validated table depends on: its file's bytes, its descriptor entry, the tables its keys point to."""
    res = resource_descriptor(name, root=Path(root))
    refs = sorted({fk["reference"]["resource"] for fk in res["schema"].get("foreignKeys", [])})
    return _table_cache.table_key({
        "resource": res,
        "sha256": _source_sha256(root, name),
        "references": {ref: _table_key(root, ref) for ref in refs},
    })


@cache
def _read_validated(root: str, name: str) -> pd.DataFrame:
    """The validated table: from the verified cache when a previous read stored it, else read and checked."""
    res = resource_descriptor(name, root=Path(root))
    path = Path(root) / res["path"]
    if not path.is_file():
        raise ValidationError("file not found", file=path)
    use_cache = _table_cache.enabled()
    if use_cache:
        key = _table_key(root, name)
        table = _table_cache.load(name, key)
        if table is not None:
            return table
    # catch_warnings swaps process-wide state: two threads inside it at once can leave the
    # warnings of the whole process going to a list nobody reads, hence one reader at a time
    with _VALIDATING, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        table = _validated(root, name, res, path)
    for w in caught:
        warnings.warn_explicit(w.message, w.category, w.filename, w.lineno, source=w.source)
    # a read that warned (say, another encoding) is not stored, so that every read warns; nor is a
    # table whose file changed after its key was made (it would be stored under the old bytes' key)
    if use_cache and not caught and _table_cache.file_sha256(path) == _source_sha256(root, name):
        _table_cache.store(name, key, table)
    return table


def _validated(root: str, name: str, res: dict, path: Path) -> pd.DataFrame:
    """Read ``path`` and check every record and value against the resource's schema and foreign keys."""
    table = validate_frame(_read_raw(path), res["schema"], str(path))
    for fk in res["schema"].get("foreignKeys", []):
        ref = fk["reference"]
        target = _read_validated(root, ref["resource"])
        col = fk["fields"][0]
        unknown = (table[col].notna() & ~table[col].isin(target[ref["fields"][0]])).to_numpy(dtype=bool)
        if unknown.any():
            row = _first_row(unknown)
            raise ValidationError(
                f"{table[col].iloc[row - 1]!r} is not a {ref['fields'][0]} of resource {ref['resource']!r}",
                file=str(path), row=row, column=col,
            )
    return table


@fill_doc
@changed_arguments(positional=("root",))
def read_table(name: str, *, root: Path | None = None) -> pd.DataFrame:
    """Read and validate one resource of the data package.

    Parameters
    ----------
    name : str
        Resource name as listed in ``datapackage.json``.
    %(root)s

    Returns
    -------
    pandas.DataFrame
        The typed, validated table (a copy: callers may change it). Its
        ``attrs`` hold the resource name, title, licence and sources.

    Raises
    ------
    ValidationError
        If the table breaks its schema (naming file, row and column).

    See Also
    --------
    validate_frame : the checks, for a table already read.

    Examples
    --------
    >>> read_table("report-figures").attrs["resource"]
    'report-figures'
    """
    root = str(Path(root) if root is not None else data_dir())
    table = _read_validated(root, name).copy()
    res = resource_descriptor(name, root=Path(root))
    table.attrs = {
        "resource": name,
        "title": res.get("title", ""),
        "licence": licence_text(res),
        "sources": res.get("sources", []),
    }
    return table
