"""Saving figures so that reruns give byte-identical files."""

from __future__ import annotations

import io

from ._style import style

# No timestamps or software versions in the files: a rerun must give the same bytes.
_METADATA = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "ModDate": None, "Creator": None, "Producer": None},
}


def figure_bytes(fig, fmt: str, dpi: int) -> bytes:
    """The figure rendered to ``fmt`` (png, svg or pdf) as bytes, without timestamps.

    Saved inside the house style: the font embedding and SVG ids are read when saving.
    """
    buf = io.BytesIO()
    # zlib level 3: measured a third faster than the default on these charts, files 2 % larger
    extra = {"pil_kwargs": {"compress_level": 3}} if fmt == "png" else {}
    with style():
        fig.savefig(buf, format=fmt, dpi=dpi, metadata=_METADATA[fmt], **extra)
    return buf.getvalue()
