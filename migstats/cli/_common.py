"""What every command group of the CLI shares: table output and argument types."""

from __future__ import annotations

import argparse
import sys


def print_table(frame, fmt: str) -> None:
    """Write a table to standard output in one of the formats of :mod:`migstats._format`."""
    from .._format import render_table

    sys.stdout.write(render_table(frame, fmt))


def whole_number(text: str, *, low: int = 1, high: int | None = None) -> int:
    """An argparse type: a whole number from ``low`` to ``high`` (a usage error otherwise)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < low or (high is not None and value > high):
        bounds = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise argparse.ArgumentTypeError(f"must be {bounds}, got {value}")
    return value


def real_number(text: str, *, low: float | None = None, high: float | None = None) -> float:
    """An argparse type: a finite number from ``low`` to ``high`` inclusive (a usage error otherwise)."""
    import math

    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not math.isfinite(value) or (low is not None and value < low) or (high is not None and value > high):
        if low is not None and high is not None:
            bounds = f" from {low:g} to {high:g}"
        else:
            bounds = f" of at least {low:g}" if low is not None else f" of at most {high:g}" if high is not None else ""
        raise argparse.ArgumentTypeError(f"must be a finite number{bounds}, got {text}")
    return value


def positive_int(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    return whole_number(text)


#: file suffixes a command can write a table to, and pandas' writer for each
TABLE_SUFFIXES = (".csv", ".parquet")


def table_path(text: str | None, *, make_folder: bool = False):
    """The ``--out`` file of a table, checked before any work is done; ``None`` or ``-`` means stdout.

    With ``make_folder`` a missing folder is created; otherwise it is an error.

    Raises
    ------
    UnknownNameError
        For a suffix other than ``.csv`` or ``.parquet``.
    OutputError
        If the folder of the file does not exist.
    """
    from pathlib import Path

    from ..errors import OutputError, UnknownNameError

    if text in (None, "-"):
        return None
    out = Path(text)
    if out.suffix.lower() not in TABLE_SUFFIXES:
        raise UnknownNameError(f"unknown output format {out.suffix!r} of {out}; use {' or '.join(TABLE_SUFFIXES)}")
    if make_folder:
        from .._io import ensure_dir

        ensure_dir(out.parent)
    elif not out.parent.exists():
        raise OutputError(f"folder {out.parent} does not exist")
    return out


def write_table(frame, out) -> None:
    """Write ``frame`` to ``out`` (csv, or parquet when pyarrow is installed) through a temporary file.

    A failure never leaves half a table under ``out``: the bytes are made in memory, written to
    a temporary file and renamed (:func:`migstats._io.atomic_write_bytes`). The table's
    provenance (``frame.attrs``: unit, sources, vintages, methods, notes) goes beside it as JSON
    in ``<out>.json``, since a CSV has no place for it; it is written for every table (with the
    table's name, rows and columns at least), so an older ``<out>.json`` never outlives its table.
    """
    import json

    from .._io import atomic_write_bytes

    # made before anything is written, so that a table is never left with another table's provenance
    meta = {**frame.attrs, "table": out.name, "rows": len(frame), "columns": list(map(str, frame.columns))}
    meta_bytes = (json.dumps(meta, indent=2, default=str, ensure_ascii=False) + "\n").encode("utf-8")
    if out.suffix.lower() == ".parquet":
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            from ..errors import MissingDependencyError

            raise MissingDependencyError("writing parquet needs pyarrow (pip install pyarrow); or write .csv") from None
        import io

        buffer = io.BytesIO()
        frame.to_parquet(buffer, index=False)
        data = buffer.getvalue()
    else:
        data = frame.to_csv(index=False, lineterminator="\n").encode("utf-8")
    atomic_write_bytes(out, data)
    atomic_write_bytes(out.with_name(out.name + ".json"), meta_bytes)
