"""The house style of every migstats chart: colours, fonts, title, source line.

The colours are Okabe and Ito's (2008) colour-blind-safe set. Charts never rely
on colour alone: bounds, ranges and approximations also differ in marker or
line style and are named in the legend.

matplotlib is imported only when a chart is drawn, so the chart registry (and
``migstats --help``) can import this module cheaply.
"""

from __future__ import annotations

import functools
import os
import sys
import warnings
from contextlib import contextmanager

from .._deprecation import DEPRECATED
from .._docstrings import fill_doc

__all__ = ["OKABE_ITO", "CATEGORY_COLOURS", "FIGSIZE", "style", "house_chart", "new_axes", "add_source_line",
           "label_and_lay_out"]

# Okabe, M. and Ito, K. (2008), Color Universal Design: the colours by name (and a neutral grey)
OKABE_ITO = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
    "grey": "#8C8C8C",
}
# The order in which categories (lines, bars, regions) take colours: black is left out (it
# is the text colour), yellow comes last (the weakest contrast on white); grey is for "other".
CATEGORY_COLOURS = [OKABE_ITO[k] for k in ("blue", "orange", "green", "vermillion", "sky", "purple", "yellow")]

FIGSIZE = (8.0, 5.0)
SOURCE_COLOUR = "#444444"

_RC = {
    "font.family": "DejaVu Sans",
    "font.size": 10,
    # "US$283" must print as written, not start a mathtext formula
    "text.parse_math": False,
    "axes.titlesize": 11.5,
    "axes.titleweight": "bold",
    "axes.labelsize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "legend.frameon": False,
    "legend.fontsize": 9,
    "svg.hashsalt": "migstats",
    "svg.fonttype": "path",
    "pdf.fonttype": 42,
    "path.simplify": True,
}


@contextmanager
def style(dpi: int | None = None):
    """Temporarily apply the house rcParams (fonts, colours, deterministic SVG ids)."""
    import matplotlib

    rc = {**_RC, "axes.prop_cycle": matplotlib.cycler(color=CATEGORY_COLOURS)}
    if dpi is not None:
        rc["figure.dpi"] = dpi
    with matplotlib.rc_context(rc):
        yield


def house_chart(func=None, *, renamed=None):
    """Decorator of every public chart function.

    The chart is drawn in the house :func:`style`, also when its function is called
    directly; the shared docstring fragments (``%(ax)s``, ``%(figure)s``, ... of :mod:`migstats._docstrings`) are
    filled into its docstring; ``renamed`` maps old keyword names to new ones, which keep
    working for one release with a ``DeprecationWarning`` that points at the caller's line.
    """
    if func is None:
        return functools.partial(house_chart, renamed=renamed)
    fill_doc(func)
    renamed = dict(renamed or {})
    for old, new in renamed.items():
        # listed with the other deprecated names, so the vocabulary test holds them to CHANGELOG.md
        DEPRECATED[f"{func.__module__}.{func.__name__}({old}=)"] = f"{func.__name__}({new}=)"

    @functools.wraps(func)
    def draw(*args, **kwargs):
        for old, new in renamed.items():
            if old in kwargs:
                if new in kwargs:
                    raise TypeError(f"{func.__name__}() got both {new!r} and its old name {old!r}")
                warnings.warn(f"{func.__name__}({old}=...) is deprecated; use {new}=...", DeprecationWarning,
                              stacklevel=_outside_migstats())
                kwargs[new] = kwargs.pop(old)
        with style():
            return func(*args, **kwargs)

    return draw


def _outside_migstats() -> int:
    """The ``stacklevel`` (for a warning issued by the caller of this function) of the first frame outside migstats."""
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    level, frame = 2, sys._getframe(2)
    while frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(package + os.sep):
        level, frame = level + 1, frame.f_back
    return level


def new_axes(ax=None, figsize=FIGSIZE):
    """Return ``(fig, ax)``: the given Axes and its figure, or a new figure of standard size."""
    if ax is not None:
        return ax.figure, ax
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=figsize)
    return fig, fig.add_subplot(1, 1, 1)


def add_source_line(fig, source: str) -> None:
    """Write ``Source: ...`` at the bottom left of the figure (``source`` may already start with it)."""
    text = source if source.startswith("Source:") else f"Source: {source}"
    fig.text(0.01, 0.01, text, ha="left", va="bottom", fontsize=7.5, color=SOURCE_COLOUR, wrap=True)


def label_and_lay_out(fig, ax, *, title: str, xlabel: str | None, ylabel: str | None, source: str):
    """Give a chart its title (the finding), axis labels with units and source line, then fix its layout."""
    ax.set_title(title, loc="left")
    if xlabel is not None:
        ax.set_xlabel(xlabel)
    if ylabel is not None:
        ax.set_ylabel(ylabel)
    add_source_line(fig, source)
    # keep about 0.4 inch at the bottom for the (possibly two-line) source line
    fig.tight_layout(rect=(0, min(0.4 / fig.get_figheight(), 0.2), 1, 1))
    # tight_layout leaves a placeholder layout engine behind, which makes savefig draw the
    # whole figure twice; the layout is final here, so drop the engine
    fig.set_layout_engine(None)
    if len(fig.axes) == 1:
        # a chart of its own: start the title at the figure's left margin rather than
        # the axes' (long category labels would otherwise push it off the right edge)
        box = ax.get_position()
        ax.set_title(title, loc="left", x=-(box.x0 - 0.01) / box.width)
    return fig
