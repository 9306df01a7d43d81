"""Shared look of every migstats chart: palette, fonts, title, source line.

The palette is Okabe and Ito's (2008) colour-blind-safe set. Charts never rely
on colour alone: bounds, ranges and approximations also differ in marker or
line style and are named in the legend.
"""

from __future__ import annotations

from contextlib import contextmanager

import matplotlib
import matplotlib.pyplot as plt

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
PALETTE = [OKABE_ITO[k] for k in ("blue", "orange", "green", "vermillion", "sky", "purple", "yellow", "black")]

FIGSIZE = (8.0, 5.0)

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
    "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
    "legend.frameon": False,
    "legend.fontsize": 9,
    "svg.hashsalt": "migstats",
    "svg.fonttype": "path",
    "pdf.fonttype": 42,
    "path.simplify": True,
}


@contextmanager
def style(dpi: int | None = None):
    """Temporarily apply the migstats rcParams (fonts, palette, deterministic SVG ids)."""
    with matplotlib.rc_context(_RC if dpi is None else {**_RC, "figure.dpi": dpi}):
        yield


def new_axes(ax=None, figsize=FIGSIZE):
    """Return ``(fig, ax)``: the given Axes and its figure, or a new figure of standard size."""
    if ax is not None:
        return ax.figure, ax
    fig = plt.figure(figsize=figsize)
    return fig, fig.add_subplot(1, 1, 1)


def finish(fig, ax, *, title: str, xlabel: str | None, ylabel: str | None, source: str):
    """Title (the finding), axis labels with units, and the source line at the bottom left."""
    ax.set_title(title, loc="left")
    if xlabel is not None:
        ax.set_xlabel(xlabel)
    if ylabel is not None:
        ax.set_ylabel(ylabel)
    fig.text(0.01, 0.01, f"Source: {source}", ha="left", va="bottom", fontsize=7.5, color="#444444", wrap=True)
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
