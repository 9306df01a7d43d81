"""Charts of a composite index: ranks with their intervals, indicator contributions, sensitivity indices.

Each function takes its data (by default the bundled migration and remittance
exposure index, see ``data/composite/exposure.toml``) and an optional Axes, and
returns the Figure.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from ._style import CATEGORY_COLOURS, OKABE_ITO, house_chart, label_and_lay_out, new_axes

__all__ = ["rank_intervals", "contributions_chart", "sensitivity_chart"]

_SOURCE = ("migstats exposure index (data/composite/exposure.toml) from World Bank WDI 2023 and UN DESA "
           "International Migrant Stock 2024; not the Global Migration Barometer, whose indicators and weights "
           "are not public")
_DRAWS, _SAMPLES, _SEED = 1000, 250, 0


@cache
def _exposure_spec():
    """The exposure index's data, framework, choices and uncertainty options (read once per process)."""
    from ..composite import load_spec

    spec = load_spec()
    unc = {k: (tuple(v) if isinstance(v, list) else v) for k, v in spec.uncertainty.items()
           if k not in ("draws", "seed")}
    return spec, unc


# One cache per chart's data, so that drawing one chart does not run the other charts' draws.
@cache
def _exposure_result():
    from ..composite import build

    spec, _ = _exposure_spec()
    return build(spec.data, spec.framework, **spec.choices)


@cache
def _exposure_ranks():
    from ..composite import uncertainty

    spec, unc = _exposure_spec()
    return uncertainty(spec.data, spec.framework, draws=_DRAWS, seed=_SEED, progress=False, **unc,
                       **spec.choices).summary()


@cache
def _exposure_sensitivity():
    from ..composite import sensitivity

    spec, unc = _exposure_spec()
    return sensitivity(spec.data, spec.framework, samples=_SAMPLES, seed=_SEED, progress=False, **unc,
                       **spec.choices)


@house_chart
def rank_intervals(data=None, *, top: int = 25, ax=None):
    """Ranked units with the 5th-95th percentile of their rank over the uncertainty draws.

    Parameters
    ----------
    data : DataFrame, optional
        :meth:`UncertaintyResult.summary` (default: the exposure index, 1,000 draws, seed 0).
    top : int
        How many units, best nominal rank first.
    %(ax)s

    Returns
    -------
    %(figure)s

    Examples
    --------
    >>> import pandas as pd
    >>> data = pd.DataFrame({"code": ["AAA", "BBB"], "name": ["A", "B"], "nominal_rank": [1, 2],
    ...     "median_rank": [1.0, 2.0], "rank_p05": [1.0, 1.0], "rank_p95": [2.0, 2.0]})
    >>> fig = rank_intervals(data)
    >>> fig.axes[0].get_title(loc="left")
    'Ranks move with the choices: BBB spans ranks 1 to 2'
    """
    if data is None:
        data = _exposure_ranks()
    rows = data.head(top).iloc[::-1]
    fig, ax = new_axes(ax, figsize=(8.0, max(4.0, 0.22 * len(rows) + 1.5)))
    y = np.arange(len(rows))
    ax.hlines(y, rows["rank_p05"], rows["rank_p95"], color=OKABE_ITO["sky"], linewidth=5,
              label="5th-95th percentile rank over the draws")
    ax.plot(rows["median_rank"], y, "|", color=OKABE_ITO["blue"], markersize=12, markeredgewidth=2,
            label="median rank")
    ax.plot(rows["nominal_rank"].astype(float), y, "o", color=OKABE_ITO["vermillion"], markersize=5,
            label="nominal rank")
    labels = [f"{n} ({c})" if n else c for c, n in zip(rows["code"], rows["name"])]
    ax.set_yticks(y, labels, fontsize=8)
    ax.invert_xaxis()
    ax.set_xlim(left=max(float(rows["rank_p95"].max()) * 1.05, 2), right=0.5)
    ax.legend(loc="upper left")
    worst = rows.loc[(rows["rank_p95"] - rows["rank_p05"]).idxmax()]
    return label_and_lay_out(fig, ax, title=f"Ranks move with the choices: {worst['code']} spans ranks "
                                 f"{worst['rank_p05']:g} to {worst['rank_p95']:g}",
                  xlabel="rank (1 = most exposed)", ylabel=None, source=_SOURCE)


@house_chart
def contributions_chart(data=None, *, top: int = 15, ax=None):
    """Stacked bars: how many index points each indicator gives the top units.

    Parameters
    ----------
    data : CompositeResult, optional
        An arithmetic index (default: the exposure index).
    top : int
        How many units, best first.
    %(ax)s

    Returns
    -------
    %(figure)s

    Examples
    --------
    >>> from migstats.composite import build
    >>> from migstats.composite.stages import _example
    >>> data, fw = _example()
    >>> fig = contributions_chart(build(data, fw, treat="none"), top=3)
    >>> len(fig.axes[0].patches)  # 3 units x 2 indicators
    6
    """
    from ..composite import contributions

    if data is None:
        data = _exposure_result()
    order = data.results()["code"].head(top).tolist()[::-1]
    parts = contributions(data).loc[order].fillna(0.0)
    fig, ax = new_axes(ax, figsize=(8.0, max(4.0, 0.3 * len(order) + 1.5)))
    left = np.zeros(len(order))
    nodes = data.framework.nodes
    for i, code in enumerate(parts.columns):
        ax.barh(order, parts[code], left=left, color=CATEGORY_COLOURS[i % len(CATEGORY_COLOURS)], label=nodes[code].name or code,
                hatch="//" if i % 2 else None, edgecolor="white", linewidth=0.5)
        left += parts[code].to_numpy()
    ax.tick_params(axis="y", labelsize=8)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=2, fontsize=7.5)
    name = data.framework.nodes[data.framework.root].name or data.framework.root
    return label_and_lay_out(fig, ax, title=f"{name}: what the top {len(order)} scores are made of",
                  xlabel="points of the index score (normalised scores x weights)", ylabel=None, source=_SOURCE)


@house_chart
def sensitivity_chart(data=None, *, ax=None):
    """First-order and total sensitivity indices of the mean absolute rank shift, per choice.

    Parameters
    ----------
    data : DataFrame, optional
        :func:`migstats.composite.sensitivity` output (default: the exposure
        index, 250 base samples, seed 0).
    %(ax)s

    Returns
    -------
    %(figure)s

    Examples
    --------
    >>> import pandas as pd
    >>> data = pd.DataFrame({"factor": ["weights", "aggregate"], "first_order": [0.1, 0.7], "total": [0.15, 0.8]})
    >>> sensitivity_chart(data).axes[0].get_title(loc="left")
    'The rank shifts depend most on the aggregate choice'
    """
    if data is None:
        data = _exposure_sensitivity()
    fig, ax = new_axes(ax)
    x = np.arange(len(data))
    ax.bar(x - 0.2, data["first_order"], width=0.4, color=OKABE_ITO["blue"], label="first order (alone)")
    ax.bar(x + 0.2, data["total"], width=0.4, color=OKABE_ITO["orange"], hatch="//", edgecolor="white",
           label="total (with interactions)")
    ax.axhline(0, color="black", linewidth=0.8)
    ax.set_xticks(x, data["factor"])
    ax.legend(loc="upper left")
    top = data.loc[data["total"].idxmax(), "factor"]
    runs = data.attrs.get("runs")
    note = f" ({runs} builds; estimates, small negatives are sampling noise)" if runs else ""
    return label_and_lay_out(fig, ax, title=f"The rank shifts depend most on the {top} choice",
                  xlabel=f"construction choice{note}", ylabel="sensitivity index (share of variance)",
                  source=_SOURCE)
