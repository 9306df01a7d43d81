"""Chord diagram of an origin x destination flow matrix, in the house style.

matplotlib is imported inside the function so that importing this module
(which the chart registry does lazily) stays cheap.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from migstats.errors import InputError

from . import _style
from ._style import CATEGORY_COLOURS, add_source_line, house_chart

__all__ = ["flow_diagram", "example_flow_diagram"]

OTHER_COLOUR = _style.OKABE_ITO["grey"]
GAP_DEG = 3.0


def _lump(flows: pd.DataFrame, top: int) -> pd.DataFrame:
    """Keep the ``top`` regions with the largest turnover; merge the rest into "Other"."""
    turnover = flows.sum(axis=0) + flows.sum(axis=1)
    keep = list(turnover.sort_values(ascending=False, kind="stable").index[:top])
    keep = [r for r in flows.index if r in keep]
    if len(keep) == len(flows):
        return flows
    groups = pd.Series({r: (r if r in keep else "Other") for r in flows.index})
    out = flows.groupby(groups, sort=False).sum().T.groupby(groups, sort=False).sum().T
    order = keep + ["Other"]
    out = out.loc[order, order].copy()
    out.loc["Other", "Other"] = 0.0
    return out


def _arc(theta0: float, theta1: float, radius: float, n: int = 24) -> np.ndarray:
    t = np.linspace(theta0, theta1, n)
    return np.column_stack([radius * np.cos(t), radius * np.sin(t)])


def _chord_path(a0, a1, b0, b1, radius):
    """Closed path: arc a0->a1 at the origin, curve to b0, arc b0->b1 at the destination, curve back."""
    from matplotlib.path import Path

    verts, codes = [], []
    src = _arc(a0, a1, radius)
    verts.extend(src)
    codes.extend([Path.MOVETO] + [Path.LINETO] * (len(src) - 1))
    dst = _arc(b0, b1, radius)
    verts.extend([(0.0, 0.0), dst[0]])
    codes.extend([Path.CURVE3, Path.CURVE3])
    verts.extend(dst[1:])
    codes.extend([Path.LINETO] * (len(dst) - 1))
    verts.extend([(0.0, 0.0), src[0]])
    codes.extend([Path.CURVE3, Path.CURVE3])
    return Path(np.asarray(verts), codes)


def _thousands_separated(x: float) -> str:
    return f"{x:,.0f}"


@house_chart(renamed={"flows": "data"})
def flow_diagram(data, *, ax=None, top=None, title=None, source=None, unit: str = "persons"):
    """Chord diagram of migration flows between regions.

    Each region gets an arc on the circle proportional to its turnover
    (outflows + inflows, diagonal/stayers excluded): the first part of the
    arc holds its outflows, the second its inflows. A chord from origin i to
    destination j has width f_ij at both ends and takes the origin's colour
    (:data:`migstats.charts.CATEGORY_COLOURS`, in order of the rows).
    Percentages in the default title are shares of the total of all
    off-diagonal flows.

    Parameters
    ----------
    data : pandas.DataFrame
        Square orig (rows) x dest (columns) flows with region labels; the
        diagonal is ignored. (Formerly ``flows``: that keyword still works
        for one release, with a DeprecationWarning.)
    %(ax)s
    top : int, optional
        Show the ``top`` regions with the largest turnover and lump the rest
        into "Other" (grey); at most 7. Default: all regions if at most 7,
        else the top 6.
    title : str, optional
        Default states the largest flow and its share of all flows.
    source : str, optional
        Source line at the bottom left, with or without the leading "Source:"
        (default "migstats flow estimate").
    unit : str
        Unit of the flows, used in labels (default "persons").

    Returns
    -------
    %(figure)s

    Raises
    ------
    InputError
        If ``data`` is not a square labelled table of finite non-negative
        numbers with some flow off the diagonal, or ``top`` is out of range.

    See Also
    --------
    migstats.flows.ffs_demo : estimates such a table from two stock tables.
    example_flow_diagram : the diagram on example data.
    migstats.charts.global_flows.global_region_flows : the diagram on the global flow estimates.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import pandas as pd
    >>> od = pd.DataFrame([[0, 50, 10], [5, 0, 20], [0, 15, 0]], index=list("ABC"), columns=list("ABC"))
    >>> fig = flow_diagram(od)
    >>> fig.axes[0].get_title(loc="left")  # 50 of the 100 persons moving
    'Largest flow: A → B, 50 persons (50% of all 100 persons moving)'
    >>> plt.close(fig)
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import PathPatch, Wedge

    if not isinstance(data, pd.DataFrame):
        raise InputError("flow_diagram needs a labelled DataFrame (orig rows x dest columns)")
    if data.shape[0] != data.shape[1] or list(data.index) != list(data.columns):
        raise InputError("flows must be square with the same region labels on rows and columns")
    values = data.to_numpy(dtype=float).copy()
    if not np.all(np.isfinite(values)) or np.any(values < 0):
        raise InputError("flows must be finite and non-negative")
    np.fill_diagonal(values, 0.0)
    shown = pd.DataFrame(values, index=[str(r) for r in data.index], columns=[str(r) for r in data.columns])
    total = values.sum()
    if total <= 0:
        raise InputError("flows are all zero; nothing to draw")
    if top is None:
        top = len(shown) if len(shown) <= len(CATEGORY_COLOURS) else len(CATEGORY_COLOURS) - 1
    if not 1 <= top <= len(CATEGORY_COLOURS):
        raise InputError(f"top must be between 1 and {len(CATEGORY_COLOURS)} (one distinct colour each), got {top}")
    shown = _lump(shown, top)
    regions = list(shown.index)
    f = shown.to_numpy()
    colours = [OTHER_COLOUR if r == "Other" else CATEGORY_COLOURS[i] for i, r in enumerate(regions)]

    out_tot, in_tot = f.sum(axis=1), f.sum(axis=0)
    turnover = out_tot + in_tot
    n = len(regions)
    gap = np.deg2rad(GAP_DEG)
    scale = (2 * np.pi - n * gap) / turnover.sum()
    starts = np.pi / 2 - np.concatenate([[0.0], np.cumsum(turnover * scale + gap)[:-1]])

    if ax is None:
        fig, ax = plt.subplots(figsize=(8, 7.6))
        fig.subplots_adjust(left=0.02, right=0.98, top=0.93, bottom=0.05)
    else:
        fig = ax.figure
    radius = 1.0
    for i in range(n):
        theta0 = starts[i]
        theta1 = theta0 - turnover[i] * scale
        ax.add_patch(Wedge((0, 0), radius + 0.08, np.rad2deg(theta1), np.rad2deg(theta0), width=0.07,
                           facecolor=colours[i], edgecolor="white", linewidth=0.5))
        mid = (theta0 + theta1) / 2
        ha = "left" if np.cos(mid) >= 0 else "right"
        ax.text(1.14 * np.cos(mid), 1.14 * np.sin(mid),
                f"{regions[i]}\nout {_thousands_separated(out_tot[i])} / in {_thousands_separated(in_tot[i])}",
                ha=ha, va="center", fontsize=8.5)

    out_pos = starts.copy()
    in_pos = starts - out_tot * scale
    order = np.argsort(-f, axis=None, kind="stable")
    spans = {}
    for i in range(n):
        for j in range(n):
            if f[i, j] > 0:
                w = f[i, j] * scale
                spans[(i, j)] = (out_pos[i], out_pos[i] - w, in_pos[j], in_pos[j] - w)
                out_pos[i] -= w
                in_pos[j] -= w
    for idx in order[::-1]:
        i, j = divmod(int(idx), n)
        if (i, j) in spans:
            a0, a1, b0, b1 = spans[(i, j)]
            ax.add_patch(PathPatch(_chord_path(a0, a1, b0, b1, radius), facecolor=colours[i], alpha=0.65,
                                   edgecolor="white", linewidth=0.3))

    ax.set_xlim(-1.65, 1.65)
    ax.set_ylim(-1.42, 1.3)
    ax.set_aspect("equal")
    ax.axis("off")
    flat = values.argmax()
    o, d = divmod(int(flat), values.shape[0])
    if title is None:
        title = (f"Largest flow: {data.index[o]} \u2192 {data.columns[d]}, "
                 f"{_thousands_separated(values[o, d])} {unit} ({100 * values[o, d] / total:.0f}% of all {_thousands_separated(total)} {unit} moving)")
    ax.set_title(title, loc="left")
    ax.text(0.0, -1.38, f"Chords coloured by origin; each arc: outflows then inflows ({unit})",
            ha="center", fontsize=8, color="#444444")
    add_source_line(fig, source or "migstats flow estimate")
    return fig


@house_chart
def example_flow_diagram(*, ax=None, seed: int = 2024, n_regions: int = 6):
    """Chord diagram of flows estimated by ``ffs_demo`` from seeded example stocks.

    A demonstration that needs no official data: two stock tables from
    :func:`migstats.flows.example_stocks` (same ``seed`` -> same figure),
    flows by :func:`migstats.flows.ffs_demo` with migest's defaults,
    stayers (the diagonal) left out.

    Parameters
    ----------
    %(ax)s
    seed : int
        Seed of the example stocks.
    n_regions : int
        Number of regions, at most 7 (one colour each).

    Returns
    -------
    %(figure)s

    See Also
    --------
    flow_diagram : the diagram of any flow table.
    migstats.flows.example_stocks : the stocks.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig = example_flow_diagram(n_regions=3)
    >>> sorted(t.get_text().split("\\n")[0] for t in fig.axes[0].texts if "\\nout " in t.get_text())
    ['Region A', 'Region B', 'Region C']
    >>> plt.close(fig)
    """
    from migstats.flows import example_stocks, ffs_demo

    labels = [f"Region {chr(ord('A') + i)}" for i in range(n_regions)]
    start, end = example_stocks(n_regions, seed=seed, labels=labels)
    flows = ffs_demo(start, end).od(zero_diagonal=True)
    return flow_diagram(flows, ax=ax, source=(f"Source: seeded example stocks (migstats.flows.example_stocks, "
                                              f"seed={seed}); flows estimated with migstats.flows.ffs_demo"))


def __getattr__(name):
    if name == "OKABE_ITO":
        warnings.warn("migstats.charts.flows.OKABE_ITO (a list) is deprecated: use migstats.charts.CATEGORY_COLOURS "
                      "for colours in order, or migstats.charts.OKABE_ITO for colours by name",
                      DeprecationWarning, stacklevel=2)
        # the list as it was, in its old order
        return [_style.OKABE_ITO[k] for k in ("orange", "sky", "green", "blue", "vermillion", "purple", "yellow")]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
