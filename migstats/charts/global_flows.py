"""Charts of the global country-to-country flow estimates (migstats.flows.world).

Each function takes the long table of :func:`migstats.flows.global_flows`
(computed from the bundled UN data when not given) and an optional Axes, and
returns the Figure.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import InputError
from ._style import CATEGORY_COLOURS, house_chart, label_and_lay_out, new_axes

__all__ = ["global_region_flows", "global_flow_corridors", "global_flow_totals"]

SOURCE = ("UN DESA, International Migrant Stock 2024 and World Population Prospects 2024; flows estimated with "
          "migstats.flows.global_flows")
# Two-line label of the longest region name, so that it fits beside the circle.
_REGION_LABELS = {"Latin America and the Caribbean": "Latin America\nand the Caribbean"}
METHOD_LABELS = {
    "sd_drop_neg": "Stock differencing,\nnegatives dropped",
    "sd_rev_neg": "Stock differencing,\nnegatives reversed",
    "mig_rate": "Migration rates",
    "da_min_open": "Demographic accounting,\nminimum, open",
    "da_min_closed": "Demographic accounting,\nminimum, closed",
    "da_pb_closed": "Demographic accounting,\npseudo-Bayesian, closed",
}


def _select(data, periods, methods):
    from ..flows.world import global_flows

    if data is None:
        return global_flows(periods=periods, methods=methods)
    for column in ("period", "orig", "dest", "flow", "method"):
        if column not in data.columns:
            raise InputError(f"data lacks column {column!r}; expected the table of global_flows")
    return data


@house_chart
def global_region_flows(data=None, *, period: str = "2015-2020", method: str = "da_pb_closed", ax=None):
    """Chord diagram of flows between the six UN geographic regions, summed from the country estimates.

    ``flow[R, S] = sum of flow[i, j]`` over countries i in R and j in S
    (:func:`migstats.flows.world.region_flows`); moves between countries of
    the same region are left out of the diagram and counted in the title.
    Drawn in thousands of persons; shares in the title have as base the
    sum of all moves between regions.

    Parameters
    ----------
    data : DataFrame, optional
        The table of :func:`migstats.flows.global_flows`; default: estimated
        for ``period`` and ``method``.
    period, method : str
        The period and method drawn.
    %(ax)s

    Returns
    -------
    %(figure)s

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> flows = pd.DataFrame({"period": "2015-2020", "orig": ["MEX", "DEU", "IND"], "dest": ["USA", "USA", "ARE"],
    ...                       "flow": [5e5, 2e5, 3e5], "method": "da_pb_closed"})
    >>> fig = global_region_flows(flows)
    >>> fig.axes[0].get_title(loc="left").startswith("Latin America")
    True
    """
    from ..flows.world import region_flows
    from .flows import flow_diagram

    flows = _select(data, [period], [method])
    flows = flows[(flows["period"] == period) & (flows["method"] == method)]
    if flows.empty:
        raise InputError(f"no flows for {period} by {method} in data")
    regions = region_flows(flows, within=True)
    square = regions.pivot(index="orig", columns="dest", values="flow").fillna(0.0)
    # Clockwise from the top; Asia, the largest, on the left where its long label has room.
    order = ["Africa", "Europe", "Latin America and the Caribbean", "Northern America", "Oceania", "Asia"]
    present = set(square.index) | set(square.columns)
    names = [r for r in order if r in present] + sorted(present - set(order))
    square = square.reindex(index=names, columns=names, fill_value=0.0)
    values = square.to_numpy(copy=True)
    within = float(np.trace(values))
    between = values.sum() - within
    np.fill_diagonal(values, 0.0)
    square = pd.DataFrame(values, index=names, columns=names)
    o, d = divmod(int(values.argmax()), len(names))
    largest = values[o, d]
    title = (f"{names[o]} \u2192 {names[d]}: the largest flow between world regions, {period}\n"
             f"{largest / 1e6:.1f} million, {100 * largest / between:.0f}% of {between / 1e6:.1f} million moves "
             f"between regions\n({within / 1e6:.1f} million more within regions)")
    source = (f"Source: {SOURCE}\n(method {method}, country estimates summed to UN geographic regions). Flows in "
              f"thousands of persons.")
    labelled = square.rename(index=_REGION_LABELS, columns=_REGION_LABELS) / 1e3
    return flow_diagram(labelled, ax=ax, title=title, source=source, unit="thousand persons")


@house_chart
def global_flow_corridors(data=None, *, method: str = "da_pb_closed", top: int = 6, ax=None):
    """The largest country-to-country corridors, period by period.

    The ``top`` corridors with the largest flow summed over all periods,
    one line each (millions of persons per five-year period; 2020-2024 is
    four years).

    Parameters
    ----------
    data : DataFrame, optional
        The table of :func:`migstats.flows.global_flows`; default: every
        period estimated by ``method``.
    method : str
    top : int
        Number of corridors (at most 8, one colour each).
    %(ax)s

    Returns
    -------
    %(figure)s

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> flows = pd.DataFrame({"period": ["1990-1995", "2015-2020"] * 2, "orig": ["MEX"] * 2 + ["SYR"] * 2,
    ...                       "dest": ["USA"] * 2 + ["TUR"] * 2, "flow": [2e6, 1e6, 0.0, 2e6],
    ...                       "method": "da_pb_closed"})
    >>> len(global_flow_corridors(flows, top=2).axes[0].get_lines())
    2
    """
    if not 1 <= top <= len(CATEGORY_COLOURS):
        raise InputError(f"top must be between 1 and {len(CATEGORY_COLOURS)}, got {top}")
    flows = _select(data, "all", [method])
    flows = flows[flows["method"] == method]
    if flows.empty:
        raise InputError(f"no flows by {method} in data")
    wide = flows.pivot_table(index=["orig", "dest"], columns="period", values="flow", aggfunc="sum").fillna(0.0)
    chosen = wide.sum(axis=1).sort_values(ascending=False, kind="stable").index[:top]
    periods = list(wide.columns)
    fig, ax = new_axes(ax, figsize=(8.0, 5.0))
    x = np.arange(len(periods))
    for colour, (orig, dest) in zip(CATEGORY_COLOURS, chosen):
        values = wide.loc[(orig, dest)].to_numpy() / 1e6
        ax.plot(x, values, marker="o", color=colour, label=f"{orig} \u2192 {dest}")
    ax.set_xticks(x, periods)
    ax.set_ylim(0, ax.get_ylim()[1] * 1.3)  # room for the legend above the lines
    ax.legend(loc="upper left", ncols=3)
    first = chosen[0]
    peak = wide.loc[first].idxmax()
    title = (f"{first[0]} \u2192 {first[1]}: the largest corridor over {periods[0][:4]}\u2013{periods[-1][-4:]},\n"
             f"peaking in {peak} at {wide.loc[first].max() / 1e6:.1f} million moves")
    return label_and_lay_out(fig, ax, title=title, xlabel="Period (mid-year to mid-year)",
                  ylabel="Moves in the period (million persons)",
                  source=f"{SOURCE} (method {method}). Country codes ISO 3166-1 alpha-3.")


@house_chart
def global_flow_totals(data=None, *, ax=None):
    """Global total of moves per period by each of the six methods, side by side.

    Bars: moves in the period (millions of persons); the label above the
    ``da_pb_closed`` bar gives its share of world population at the start
    of the period (base: the sum of the countries' mid-year populations).

    Parameters
    ----------
    data : DataFrame, optional
        The table of :func:`migstats.flows.global_flows`; default: every
        period and method.
    %(ax)s

    Returns
    -------
    %(figure)s

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> flows = pd.DataFrame({"period": "2015-2020", "orig": ["MEX", "MEX"], "dest": ["USA", "USA"],
    ...                       "flow": [1e6, 2e6], "method": ["sd_drop_neg", "da_pb_closed"]})
    >>> len(global_flow_totals(flows).axes[0].patches)
    2
    """
    from ..flows.world import global_totals

    flows = _select(data, "all", "all")
    totals = global_totals(flows)
    methods = [m for m in METHOD_LABELS if m in set(totals["method"].unique())]
    periods = sorted(totals["period"].unique())
    fig, ax = new_axes(ax, figsize=(9.0, 5.2))
    width = 0.8 / len(methods)
    x = np.arange(len(periods))
    table = totals.set_index(["period", "method"])
    for k, (colour, method) in enumerate(zip(CATEGORY_COLOURS, methods)):
        values = np.array([table["flow"].get((p, method), np.nan) for p in periods]) / 1e6
        centres = x + (k - (len(methods) - 1) / 2) * width
        ax.bar(centres, values, width, color=colour, label=METHOD_LABELS[method].replace("\n", " "))
        if method == "da_pb_closed":
            for centre, value, p in zip(centres, values, periods):
                share = table["share"].get((p, method))
                ax.annotate(f"{100 * share:.1f}%", (centre, value), ha="center", va="bottom", fontsize=7)
    ax.set_xticks(x, periods)
    ax.legend(loc="upper left", ncols=2, fontsize=8)
    top = ax.get_ylim()[1]
    ax.set_ylim(0, top * 1.35)  # room for the legend above the bars
    last = periods[-1]
    low = totals[totals["period"] == last].nsmallest(1, "flow").iloc[0]
    high = totals[totals["period"] == last].nlargest(1, "flow").iloc[0]
    title = (f"Estimates of global migration in {last} range from\n{low['flow'] / 1e6:.0f} million "
             f"({low['method']}) to {high['flow'] / 1e6:.0f} million ({high['method']})")
    return label_and_lay_out(fig, ax, title=title, xlabel="Period (mid-year to mid-year; 2020-2024 is four years)",
                  ylabel="Moves between countries (million persons)",
                  source=f"{SOURCE}. Labels: pseudo-Bayesian total as % of world population at the start.")
