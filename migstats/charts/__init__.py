"""Charts: one function per chart, and a registry of them all.

Every chart function takes its data (the bundled tables by default) and an
optional matplotlib Axes, and returns the Figure. The registry maps a short
name to the function, a title and a one-line description; :func:`write_charts`
renders a selection to files (atomically, byte-identical on rerun), and the
``migstats charts`` command only decides where they go.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path

from ..errors import UnknownNameError

__all__ = ["Chart", "REGISTRY", "chart_names", "list_charts", "get_chart", "render", "write_charts", "FORMATS"]

FORMATS = ("png", "svg", "pdf")


@dataclass(frozen=True)
class Chart:
    """A registered chart: its name, title, one-line description and function ``module:attr``."""

    name: str
    title: str
    description: str
    target: str

    def function(self):
        module, attr = self.target.split(":")
        return getattr(importlib.import_module(module), attr)


REGISTRY: dict[str, Chart] = {}


def _register(name: str, title: str, description: str, target: str) -> None:
    REGISTRY[name] = Chart(name, title, description, target)


def chart_names() -> list[str]:
    """Names of every registered chart, in registry order."""
    return list(REGISTRY)


def list_charts():
    """The registry as a DataFrame with columns ``name, title, description``."""
    import pandas as pd

    return pd.DataFrame([{"name": c.name, "title": c.title, "description": c.description} for c in REGISTRY.values()])


def get_chart(name: str) -> Chart:
    """The registered chart of that name.

    Raises
    ------
    UnknownNameError
        If no chart has that name.
    """
    try:
        return REGISTRY[name]
    except KeyError:
        raise UnknownNameError(f"unknown chart {name!r}; known charts: {', '.join(REGISTRY)}") from None


def render(name: str, **kwargs):
    """Draw the named chart and return its Figure (keyword arguments go to the chart function)."""
    from ._style import style

    func = get_chart(name).function()
    with style():
        return func(**kwargs)


def write_charts(out_dir, names=None, formats=("png",), dpi: int = 150):
    """Render charts to files ``<out_dir>/<name>.<format>``.

    Names, formats and the output folder are all checked before anything is
    drawn, so a bad request writes no file. Each file is written to a
    temporary file in ``out_dir`` and renamed into place.

    Parameters
    ----------
    out_dir : path
        Output folder; created if missing.
    names : list of str, optional
        Charts to draw (all registered charts by default).
    formats : sequence of {"png", "svg", "pdf"}
    dpi : int
        Resolution of raster output (must be positive).

    Yields
    ------
    pathlib.Path
        Each file as soon as it is written.

    Raises
    ------
    UnknownNameError
        For an unknown chart or format.
    InputError
        For a non-positive dpi.
    OutputError
        If ``out_dir`` cannot be created or written.
    """
    import matplotlib.pyplot as plt

    from .._io import atomic_write_bytes, ensure_dir
    from ..errors import InputError
    from ._save import figure_bytes

    names = list(names) if names else chart_names()
    charts = [get_chart(n) for n in names]
    for fmt in formats:
        if fmt not in FORMATS:
            raise UnknownNameError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    if dpi <= 0:
        raise InputError(f"dpi must be positive, got {dpi}")
    out = ensure_dir(Path(out_dir))
    for chart in charts:
        fig = render(chart.name)
        try:
            for fmt in formats:
                yield atomic_write_bytes(out / f"{chart.name}.{fmt}", figure_bytes(fig, fmt, dpi))
        finally:
            plt.close(fig)
