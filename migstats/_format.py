"""Render a DataFrame as text: csv, markdown, a plain aligned table, or JSON records.

Numbers are printed as stored (``repr`` of the float, shortest round-trip), so
nothing is rounded on the way out; missing values print as empty cells.
"""

from __future__ import annotations

import io
import math

from .errors import UnknownNameError

FORMATS = ("table", "csv", "markdown", "json")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return repr(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if type(value).__name__ in ("NAType", "NaTType"):  # pandas' missing markers, without importing pandas
        return ""
    return str(value)


def _cells(frame: pd.DataFrame) -> list[list[str]]:
    return [[_cell(v) for v in row] for row in frame.itertuples(index=False, name=None)]


def render_table(frame: pd.DataFrame, fmt: str = "table") -> str:
    """Render ``frame`` as text in one of :data:`FORMATS`.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table; its index is not printed.
    fmt : {"table", "csv", "markdown", "json"}
        ``table`` is plain text in aligned columns; ``json`` is a list of records.

    Returns
    -------
    str
        The text, ending in a newline. Numbers are printed as stored (no rounding);
        missing values are empty cells (``null`` in JSON).

    Raises
    ------
    UnknownNameError
        If ``fmt`` is not a known format.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"code": ["IND", "MEX"], "value": [52.0, 0.1 + 0.2]})
    >>> print(render_table(frame, "markdown"), end="")
    | code | value |
    |---|---|
    | IND | 52 |
    | MEX | 0.30000000000000004 |
    """
    if fmt == "csv":
        buf = io.StringIO()
        frame.to_csv(buf, index=False, lineterminator="\n")
        return buf.getvalue()
    if fmt == "json":
        return frame.to_json(orient="records", force_ascii=False, indent=1) + "\n"
    header = [str(c) for c in frame.columns]
    rows = _cells(frame)
    if fmt == "markdown":
        esc = lambda s: s.replace("|", "\\|").replace("\n", " ")  # noqa: E731
        lines = ["| " + " | ".join(esc(h) for h in header) + " |", "|" + "|".join("---" for _ in header) + "|"]
        lines += ["| " + " | ".join(esc(c) for c in r) + " |" for r in rows]
        return "\n".join(lines) + "\n"
    if fmt == "table":
        widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(header)]
        fmt_row = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()  # noqa: E731
        lines = [fmt_row(header), fmt_row(["-" * w for w in widths])] + [fmt_row(r) for r in rows]
        return "\n".join(lines) + "\n"
    raise UnknownNameError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
