"""A verified on-disk cache of the bundled tables as validated, so a new process skips the validation.

Reading a bundled table means parsing its CSV, checking every record against
the header and every value against its schema (types, domains, keys, units,
foreign keys): about 0.4 s for the three tables the global flow estimates
need, paid again by every new process. The first read of a file still does
all of that; the table it yields is then stored here and a later process
loads it instead, if and only if nothing it depends on has changed.

What a stored table is bound to (its key, a sha256 over these, recomputed on
every load): the sha256 of the table's file; its descriptor entry (path,
schema, ...); the keys of the tables its foreign keys point to; the source of
the code that reads and validates (this module, ``schema.py``, ``units.py``,
``readers/_text.py``); the versions of migstats, Python, numpy, pandas,
pyarrow and pint; the cache format. Any change gives another key: a miss,
and the table is read and validated again.

The file ``<resource>-<key>.table``: a first line with the sha256 of the
rest, a JSON header (format, key, rows, columns with their kind, the dtypes
of their arrays and, for text columns, their distinct values), then the
arrays as raw little-endian bytes (codes of the text columns, values and
missing-masks; nothing is unpickled, no code is ever run from the file). A
table is stored only after decoding what is about to be written gives back
an equal table (same values, dtypes, and ``str`` cells); a load whose bytes
or header do not verify issues a :class:`~migstats.errors.CacheWarning` and
the caller reads the source again, overwriting the bad entry. Files are
written to a temporary name and renamed, so a reader never sees half a file.

The folder is ``validated-tables`` in the catalog's cache folder
(:func:`migstats.catalog.cache_dir`: ``MIGSTATS_CACHE``, else the user
cache folder); ``MIGSTATS_TABLE_CACHE=0`` (or ``false``, ``no``, ``off``)
turns the cache off.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import warnings
from functools import cache
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd

from .._io import atomic_write_bytes
from ..errors import CacheWarning

TABLE_CACHE_ENV = "MIGSTATS_TABLE_CACHE"
FOLDER = "validated-tables"
FORMAT = 1
_OFF = {"0", "false", "no", "off"}
_PACKAGE = Path(__file__).resolve().parent.parent
# the code whose behaviour decides what a validated table is
_CODE = ("datasets/_table_cache.py", "datasets/schema.py", "units.py", "readers/_text.py")


class _Unverified(Exception):
    """A cache file that does not prove to be the table asked for (the message says why)."""


def enabled() -> bool:
    """Whether the cache is on: ``MIGSTATS_TABLE_CACHE`` not set to 0, false, no or off, and the
    source files the key is bound to are there (an install without ``.py`` files runs without it)."""
    if os.environ.get(TABLE_CACHE_ENV, "").strip().lower() in _OFF:
        return False
    return all((_PACKAGE / name).is_file() for name in _CODE)


def folder() -> Path:
    """The cache folder: ``validated-tables`` in the catalog's cache folder."""
    from ..catalog.cache import cache_dir

    return cache_dir() / FOLDER


def file_sha256(path: Path) -> str:
    """The sha256 of a file's bytes (hex)."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@cache
def _environment() -> dict:
    from .. import __version__

    def version(dist: str) -> str | None:
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            return None

    return {
        "format": FORMAT,
        "migstats": __version__,
        "python": list(sys.version_info[:2]),
        "numpy": np.__version__,
        "pandas": pd.__version__,
        "pint": version("pint"),
        "pyarrow": version("pyarrow"),  # pandas' text columns, and their pattern matching, may run on it
        "code": {name: file_sha256(_PACKAGE / name) for name in _CODE},
    }


def table_key(parts: dict) -> str:
    """The key of a table: sha256 of ``parts`` (source hashes, descriptor entry ...) and the environment."""
    text = json.dumps({"table": parts, "environment": _environment()}, sort_keys=True, ensure_ascii=True)
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def _path(name: str, key: str) -> Path:
    return folder() / f"{name}-{key}.table"


def _smallest_int(values: np.ndarray) -> np.ndarray:
    """``values`` in the narrowest little-endian integer type that holds all of them exactly."""
    for dtype in ("<i1", "<i2", "<i4"):
        info = np.iinfo(dtype)
        if not len(values) or (values.min() >= info.min and values.max() <= info.max):
            return values.astype(dtype)
    return values.astype("<i8")


def _encode(table: pd.DataFrame, key: str) -> bytes:
    """The file's bytes: checksum line, JSON header line, then each column's arrays as raw little-endian bytes."""
    columns, arrays = [], []
    for name, col in table.items():
        dtype = str(col.dtype)
        if dtype == "object":
            codes, uniques = pd.factorize(col, use_na_sentinel=True)
            # an empty cell is None or NaN, depending on the pandas version: stored as it is
            missing = {"None" if v is None else "nan" if isinstance(v, float) and v != v else "other"
                       for v in col.to_numpy()[codes < 0]}
            if not all(type(u) is str for u in uniques) or len(missing) > 1 or "other" in missing:
                raise _Unverified(f"column {name!r} holds values other than text and one kind of empty cell")
            data = [_smallest_int(codes)]
            spec = {"kind": "text", "values": list(uniques), "missing": min(missing, default="None")}
        elif dtype == "Int64":
            data = [_smallest_int(col.to_numpy(dtype="int64", na_value=0)), col.isna().to_numpy()]
            spec = {"kind": dtype}
        elif dtype == "boolean":
            data = [col.to_numpy(dtype=bool, na_value=False), col.isna().to_numpy()]
            spec = {"kind": dtype}
        elif dtype == "float64":
            data = [col.to_numpy().astype("<f8")]
            spec = {"kind": dtype}
        else:
            raise _Unverified(f"column {name!r} has dtype {dtype}, which the cache does not store")
        columns.append({"name": name, **spec, "dtypes": [a.dtype.str for a in data]})
        arrays += data
    header = {"format": FORMAT, "key": key, "rows": len(table), "columns": columns}
    body = json.dumps(header, ensure_ascii=True).encode("ascii") + b"\n" + b"".join(a.tobytes() for a in arrays)
    return hashlib.sha256(body).hexdigest().encode("ascii") + b"\n" + body


def _decode(data: bytes, key: str) -> pd.DataFrame:
    digest, sep, body = data.partition(b"\n")
    if not sep or hashlib.sha256(body).hexdigest().encode("ascii") != digest:
        raise _Unverified("its checksum does not match its content")
    head, sep, buffer = body.partition(b"\n")
    header = json.loads(head)
    if header.get("format") != FORMAT or header.get("key") != key:
        raise _Unverified("it was stored for another key or format")
    rows, offset, out = header["rows"], 0, {}
    for spec in header["columns"]:
        arrays = []
        for dtype in spec["dtypes"]:
            dtype = np.dtype(dtype)
            if dtype.kind not in "ifb" or offset + rows * dtype.itemsize > len(buffer):
                raise _Unverified(f"column {spec['name']!r} does not fit the file")
            arrays.append(np.frombuffer(buffer, dtype=dtype, count=rows, offset=offset).copy())
            offset += rows * dtype.itemsize
        if spec["kind"] == "text":
            choices = np.array([*spec["values"], None if spec["missing"] == "None" else np.nan], dtype=object)
            codes = arrays[0]
            if rows and (codes.min() < -1 or codes.max() >= len(choices) - 1):
                raise _Unverified(f"column {spec['name']!r} has codes outside its values")
            column = pd.Series(choices[codes], dtype=object)  # code -1 picks the last choice, the empty cell
        elif spec["kind"] == "Int64":
            column = pd.Series(pd.arrays.IntegerArray(arrays[0].astype(np.int64), arrays[1]))
        elif spec["kind"] == "boolean":
            column = pd.Series(pd.arrays.BooleanArray(arrays[0], arrays[1]))
        else:
            column = pd.Series(arrays[0].astype(np.float64), dtype="float64")
        out[spec["name"]] = column
    if offset != len(buffer):
        raise _Unverified(f"{len(buffer) - offset} bytes more than its columns")
    return pd.DataFrame(out, index=pd.RangeIndex(rows))


def _identical(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    """Same columns, dtypes, index and values (text cells: :func:`_encode` has checked they are all ``str``
    but for one kind of empty cell, which :func:`_decode` restores)."""
    return (list(a.columns) == list(b.columns) and list(a.dtypes) == list(b.dtypes) and a.index.equals(b.index)
            and a.equals(b))


def load(name: str, key: str) -> pd.DataFrame | None:
    """The stored table of resource ``name`` under ``key``, or None (not stored, cache off, or not verified).

    A file that is there but does not verify is reported with a
    :class:`~migstats.errors.CacheWarning`; the caller then reads the source.
    """
    if not enabled():
        return None
    path = _path(name, key)
    try:
        data = path.read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        return None  # not stored (a folder that cannot hold the cache is reported when storing)
    except OSError as exc:
        warnings.warn(f"cannot read the table cache file {path}: {exc.strerror}; reading the source",
                      CacheWarning, stacklevel=2)
        return None
    try:
        return _decode(data, key)
    except (_Unverified, ValueError, KeyError, TypeError) as exc:
        # ValueError: broken JSON or a dtype string numpy does not know; KeyError, TypeError: a header of another shape
        warnings.warn(f"the table cache file {path} did not verify ({exc}); reading and validating the "
                      "source again and replacing it", CacheWarning, stacklevel=2)
        return None


def store(name: str, key: str, table: pd.DataFrame) -> None:
    """Write the validated ``table`` of resource ``name`` under ``key`` (atomic), replacing older keys of it.

    Nothing is written if the encoded file would not decode to an equal
    table; a folder that cannot be written is reported with a
    :class:`~migstats.errors.CacheWarning` (the table itself is unaffected).
    """
    if not enabled():
        return
    try:
        data = _encode(table, key)
        back = _decode(data, key)
    except _Unverified:
        return
    if not _identical(back, table):
        return
    target = _path(name, key)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(target, data)
    except OSError as exc:  # OutputError is one
        warnings.warn(f"cannot write the table cache in {target.parent} ({exc.strerror or exc}); every process will "
                      f"validate the bundled tables again (set {TABLE_CACHE_ENV}=0 to silence this)",
                      CacheWarning, stacklevel=2)
        return
    # only this resource's files: "wpp-*.table" would also match a resource called "wpp-vital"
    own = re.compile(re.escape(name) + r"-[0-9a-f]{64}\.table")
    for old in target.parent.glob(f"{name}-*.table"):
        if old != target and own.fullmatch(old.name):
            old.unlink(missing_ok=True)
