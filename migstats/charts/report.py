"""Charts of the report's own figures.

Each function takes the figure table (``migstats.figures()`` by default) and
an optional Axes, and returns the Figure. Hedged figures are drawn as what
they are: "more than" as a lower bound (a marker with an arrow, never a bar
that ends at the bound), a stated range as an interval, "almost"/"some" as an
approximation (hatched, marked "≈"), values implied by the report's numbers
(not stated in it) as open, dashed shapes.
"""

from __future__ import annotations

import pandas as pd

from ..analysis.growth import implied_value
from ..analysis.revision import revision
from ..datasets.report import figures as _all_figures
from ..units import convert
from ._style import OKABE_ITO, house_chart, label_and_lay_out, new_axes

__all__ = [
    "remittances_developing",
    "top_recipients_2008",
    "egypt_nigeria_revision",
    "remittances_gdp_share_2007",
    "oecd_vs_national_2006",
    "latin_america_migrants",
    "census_round_2010",
    "mexico_monthly_remittance",
    "figures_by_topic",
    "remittances_report_vs_today",
    "oecd_national_report_vs_today",
]

REPORT = "UN/DESA Population Division, Report of the Seventh Coordination Meeting on International Migration (2008)"
HEDGED = {"about", "approximately", "almost", "nearly", "some"}


def _table(figs):
    return (_all_figures() if figs is None else figs).set_index("id")


def _source(figs, *ids) -> str:
    sections = sorted({figs.loc[i, "section"] for i in ids})
    speakers = sorted({figs.loc[i, "source"] for i in ids})
    return f"{REPORT}, section {', '.join(sections)} ({'; '.join(speakers)})."


def _hedge(qualifier) -> str:
    """The hedge word as the report writes it, with a trailing space ('' for exact)."""
    return "" if qualifier == "exact" else qualifier.replace("_", " ") + " "


def _stated(figs, fid, unit) -> str:
    """A figure as the report states it, hedge included: 'almost 26'."""
    return f"{_hedge(figs.loc[fid, 'qualifier'])}{_value(figs, fid, unit):g}"


def _join(words) -> str:
    """'a', 'a and b', 'a, b and c'."""
    words = [str(w) for w in words]
    if not words:
        return "none"
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _value(figs, fid, unit):
    return convert(figs.loc[fid, "value"], figs.loc[fid, "unit"], unit)


def _lower_bound(ax, x, bound, *, horizontal=False, color=OKABE_ITO["blue"], label=None, span=None):
    """Draw 'more than ``bound``': a marker at the bound and an arrow pointing beyond it."""
    span = span if span is not None else 0.25 * bound
    if horizontal:
        ax.plot([bound], [x], marker="|", markersize=16, mew=2.5, color=color, label=label, linestyle="none")
        ax.annotate("", xy=(bound + span, x), xytext=(bound, x),
                    arrowprops={"arrowstyle": "-|>", "color": color, "lw": 2})
    else:
        ax.plot([x], [bound], marker="_", markersize=22, mew=2.5, color=color, label=label, linestyle="none")
        ax.annotate("", xy=(x, bound + span), xytext=(x, bound),
                    arrowprops={"arrowstyle": "-|>", "color": color, "lw": 2})


@house_chart(renamed={"figs": "data"})
def remittances_developing(data=None, *, ax=None):
    """Remittances to developing countries in 2006 and 2008, the stated growth rates and the implied 2007 total.

    The 2007 value is not in the report: it is implied backwards from US$283
    billion in 2008 and 7 per cent growth in 2007-2008,
    ``283 / 1.07`` (:func:`migstats.analysis.implied_value`), and drawn as an
    open dashed bar.

    Parameters
    ----------
    %(figures_data)s
    %(ax)s

    Returns
    -------
    %(figure)s

    See Also
    --------
    migstats.analysis.implied_value : the 2007 value.
    %(see_also_registry)s

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig = remittances_developing()
    >>> sorted(round(float(bar.get_height()), 2) for bar in fig.axes[0].patches)  # 2006, 283 / 1.07, 2008
    [229.0, 264.49, 283.0]
    >>> plt.close(fig)
    """
    f = _table(data)
    fig, ax = new_axes(ax)
    unit = "billion USD"
    v2006, v2008 = _value(f, "rem_dev_2006", unit), _value(f, "rem_dev_2008", unit)
    rate = _value(f, "rem_dev_growth_2007_2008", "dimensionless")
    v2007 = implied_value(v2008, rate, 2008, 2007)
    blue = OKABE_ITO["blue"]
    ax.bar([2006, 2008], [v2006, v2008], width=0.6, color=blue, label="stated by the World Bank (Nov. 2008)")
    ax.bar([2007], [v2007], width=0.6, facecolor="none", edgecolor=blue, linestyle="--", linewidth=1.5,
           label=f"implied by {v2008:g} and {rate * 100:g} % growth (not stated)")
    top = max(v2006, v2007, v2008)
    for x, v, fmt in ((2006, v2006, "{:g}"), (2007, v2007, "≈{:.1f}"), (2008, v2008, "{:g}")):
        ax.text(x, v + 0.015 * top, fmt.format(v), ha="center", va="bottom", fontsize=10)
    g0506 = _value(f, "rem_dev_growth_2005_2006", "percent")
    ax.annotate(f"{rate * 100:+g} % a year\n(2007-2008, stated)", xy=(2007.5, v2008 * 0.97),
                xytext=(2007.5, 1.13 * top), ha="center", fontsize=9, arrowprops={"arrowstyle": "-", "color": "#666666"})
    ax.text(2006, 1.13 * top, f"{g0506:+g} % a year\n(2005-2006, stated)", ha="center", fontsize=9)
    ax.set_xticks([2006, 2007, 2008])
    ax.set_ylim(0, 1.52 * top)
    ax.set_xlim(2005.4, 2008.6)
    ax.legend(loc="upper left", ncol=2)
    change = "rose" if v2008 > v2006 else "fell"
    trend = "slowed" if rate * 100 < g0506 else "quickened"
    return label_and_lay_out(
        fig, ax,
        title=f"Remittances to developing countries {change} from US${v2006:g} billion (2006)\n"
              f"to US${v2008:g} billion (2008), but growth {trend} from {g0506:g} % (2005-06) "
              f"to {rate * 100:g} % (2007-08)",
        xlabel="Year", ylabel="Remittance inflows (billion US$)",
        source=_source(f, "rem_dev_2006", "rem_dev_2008", "rem_dev_growth_2007_2008")
        + f" 2007 value implied by migstats: {v2008:g} / {1 + rate:g}.",
    )


def _names(f, ids) -> str:
    """'India, China and Mexico' from the figures' entities."""
    return _join(f.loc[i, "entity"] for i in ids)


def _lower_bounds(f, ids, *, ax, unit, color, label, title, xlabel):
    """Horizontal lower-bound markers, one row per figure, with a dotted line at the common bound."""
    fig, ax = new_axes(ax)
    top = max(_value(f, fid, unit) for fid in ids)
    span, xmax = 0.3 * top, 1.6 * top
    for i, fid in enumerate(ids):
        _lower_bound(ax, i, _value(f, fid, unit), horizontal=True, span=span, color=color,
                     label=label if i == 0 else None)
    ax.set_yticks(range(len(ids)), [f.loc[i, "entity"] for i in ids])
    ax.set_xlim(0, xmax)
    ax.set_ylim(len(ids) - 0.3, -0.7)
    for bound in sorted({_value(f, fid, unit) for fid in ids}):
        ax.axvline(bound, color="#999999", linewidth=0.8, linestyle=":")
    ax.legend(loc="lower left", bbox_to_anchor=(0, -0.02))
    return label_and_lay_out(fig, ax, title=title, xlabel=xlabel, ylabel=None, source=_source(f, *ids))


@house_chart(renamed={"figs": "data"})
def top_recipients_2008(data=None, *, ax=None):
    """India, China and Mexico: "more than US$20 billion each" in 2008, drawn as lower bounds.

    Parameters
    ----------
    %(figures_data)s
    %(ax)s

    Returns
    -------
    %(figure)s

    See Also
    --------
    remittances_report_vs_today : the same bounds beside today's series.
    %(see_also_registry)s

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig = top_recipients_2008()
    >>> [label.get_text() for label in fig.axes[0].get_yticklabels()]
    ['India', 'China', 'Mexico']
    >>> plt.close(fig)
    """
    f = _table(data)
    ids = ["rem_ind_2008", "rem_chn_2008", "rem_mex_2008"]
    bound = min(_value(f, fid, "billion USD") for fid in ids)
    return _lower_bounds(
        f, ids, ax=ax, unit="billion USD", color=OKABE_ITO["blue"],
        label=f"more than US${bound:g} billion (lower bound; the report gives no upper value)",
        title=f"{_names(f, ids)} were the top three recipients in 2008,\nwith more than US${bound:g} billion each",
        xlabel="Remittance inflows, 2008 (billion US$)",
    )


@house_chart(renamed={"figs": "data"})
def egypt_nigeria_revision(data=None, *, ax=None):
    """Egypt's and Nigeria's 2008 remittance estimates before and after the revision, with the revision factor.

    Parameters
    ----------
    %(figures_data)s
    %(ax)s

    Returns
    -------
    %(figure)s

    See Also
    --------
    migstats.analysis.revision : the revision factor.
    %(see_also_registry)s

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig = egypt_nigeria_revision()
    >>> [label.get_text() for label in fig.axes[0].get_yticklabels()]
    ['Egypt', 'Nigeria']
    >>> plt.close(fig)
    """
    f = _table(data)
    fig, ax = new_axes(ax)
    unit = "billion USD"
    pairs = [("Egypt", "rem_egy_2008_previous", "rem_egy_2008_revised"),
             ("Nigeria", "rem_nga_2008_previous", "rem_nga_2008_revised")]
    for i, (name, prev_id, rev_id) in enumerate(pairs):
        prev, rev = _value(f, prev_id, unit), _value(f, rev_id, unit)
        r = revision(prev, rev).iloc[0]
        ax.annotate("", xy=(rev, i), xytext=(prev, i),
                    arrowprops={"arrowstyle": "-|>", "color": OKABE_ITO["grey"], "lw": 2, "shrinkA": 6, "shrinkB": 6})
        ax.plot([prev], [i], "o", color=OKABE_ITO["orange"], markersize=10,
                label="previous estimate" if i == 0 else None)
        ax.plot([rev], [i], "s", color=OKABE_ITO["blue"], markersize=10, label="revised estimate" if i == 0 else None)
        ax.text(prev, i - 0.18, f"{prev:g}", ha="center", fontsize=9)
        ax.text(rev, i - 0.18, f"{rev:g}", ha="center", fontsize=9)
        ax.text(rev + 0.02 * max(prev, rev, 30), i,
                f"×{r['factor']:.2f}  ({r['relative'] * 100:+.1f} % of the previous estimate)",
                va="center", fontsize=9)
    ax.set_yticks([0, 1], [p[0] for p in pairs])
    ax.set_ylim(1.6, -0.6)
    ids = [p[1] for p in pairs] + [p[2] for p in pairs]
    values = {fid: _value(f, fid, unit) for fid in ids}
    ax.set_xlim(0, 1.65 * max(values.values()))
    ax.legend(loc="lower right")
    (egy, egy_prev, egy_rev), (nga, nga_prev, nga_rev) = pairs
    nga_factor = values[nga_rev] / values[nga_prev]
    return label_and_lay_out(
        fig, ax,
        title=f"Revisions {'raised' if all(values[b] > values[a] for _, a, b in pairs) else 'changed'} "
              f"2008 remittances to {egy} from US${values[egy_prev]:g} to {values[egy_rev]:g} "
              f"billion\nand to {nga} from US${values[nga_prev]:g} to {values[nga_rev]:g} billion "
              f"(×{nga_factor:.3g})",
        xlabel="Remittance inflows, 2008 (billion US$)", ylabel=None, source=_source(f, *ids),
    )


@house_chart(renamed={"figs": "data"})
def remittances_gdp_share_2007(data=None, *, ax=None):
    """Tajikistan, Moldova and Tonga: remittances "more than 30 per cent of GDP" in 2007, as lower bounds.

    Parameters
    ----------
    %(figures_data)s
    %(ax)s

    Returns
    -------
    %(figure)s

    See Also
    --------
    top_recipients_2008 : the same kind of lower bounds, in US$.
    %(see_also_registry)s

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig = remittances_gdp_share_2007()
    >>> [label.get_text() for label in fig.axes[0].get_yticklabels()]
    ['Tajikistan', 'Moldova', 'Tonga']
    >>> plt.close(fig)
    """
    f = _table(data)
    ids = ["rem_gdp_tjk_2007", "rem_gdp_mda_2007", "rem_gdp_ton_2007"]
    bound = min(_value(f, fid, "percent") for fid in ids)
    return _lower_bounds(
        f, ids, ax=ax, unit="percent", color=OKABE_ITO["green"], label=f"more than {bound:g} % of GDP (lower bound)",
        title=f"In {_names(f, ids)} remittances were\nmore than {bound:g} % of GDP in 2007",
        xlabel="Remittances, 2007 (per cent of GDP)",
    )


@house_chart(renamed={"pairs": "data"})
def oecd_vs_national_2006(data=None, *, ax=None):
    """National and OECD standardised immigrant inflows in 2006, with the stated difference and its base.

    Canada and the United States appear as "no difference" text only: the
    report gives no counts for them.

    Parameters
    ----------
    data : pandas.DataFrame, optional
        A table like :func:`migstats.oecd_flows` (the bundled report by default).
        (Formerly ``pairs``: that keyword still works for one release, with a DeprecationWarning.)
    %(ax)s

    Returns
    -------
    %(figure)s

    See Also
    --------
    migstats.analysis.relative_difference : the difference on the national base.
    oecd_national_report_vs_today : the national counts as published today.
    %(see_also_registry)s

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig = oecd_vs_national_2006()
    >>> [label.get_text() for label in fig.axes[0].get_yticklabels()]
    ['Japan', 'Germany']
    >>> plt.close(fig)
    """
    from ..analysis.discrepancy import relative_difference
    from ..datasets.report import oecd_flows

    table = oecd_flows() if data is None else data
    f = _table(None)
    fig, ax = new_axes(ax)
    counted = table.dropna(subset=["national", "oecd"]).reset_index(drop=True)
    top = max(convert(v, u, "thousand person") for v, u in zip(counted[["national", "oecd"]].max(axis=1),
                                                                counted["unit"]))
    h = 0.38
    for i, row in counted.iterrows():
        nat = convert(row["national"], row["unit"], "thousand person")
        oecd = convert(row["oecd"], row["unit"], "thousand person")
        ax.barh(i - h / 2, nat, height=h, color=OKABE_ITO["orange"], label="national statistical office" if i == 0 else None)
        ax.barh(i + h / 2, oecd, height=h, color=OKABE_ITO["blue"], label="OECD standardised estimate" if i == 0 else None)
        pad = 0.015 * top
        ax.text(nat + pad, i - h / 2, f"{nat:,.1f}", va="center", fontsize=9)
        ax.text(oecd + pad, i + h / 2, f"{oecd:,.1f}", va="center", fontsize=9)
        rel = relative_difference(row["national"], row["oecd"], base="first")
        ax.text(max(nat, oecd) + 0.13 * top, i, f"stated: {row['stated_difference']:g} %\n"
                f"= (national − OECD) / national\n= {rel * 100:.1f} %", va="center", fontsize=8.5)
    n = len(counted)
    no_counts = table[table["national"].isna() & (table["stated_difference"] == 0)]
    for j, row in enumerate(no_counts.itertuples()):
        ax.text(0.01 * top, n + j * 0.45,
                f"{row.entity}: official and OECD figures \"did not differ at all\" (no counts stated)",
                va="center", fontsize=9, style="italic")
    general = table[table["national"].isna() & (table["stated_difference"] != 0)]
    if len(general):
        ax.text(0.01 * top, n + 1.0,
                f"In general, OECD estimates were stated to be {general['stated_difference'].iloc[0]:g} %\n"
                "higher than national data: the country examples\nabove go the other way.",
                va="center", fontsize=9)
    ax.set_yticks(range(n), counted["entity"])
    ax.set_ylim(n + 1.5, -0.7)
    ax.set_xlim(0, 1.6 * top)
    ax.legend(loc="lower right")
    ids = list(counted["national_id"]) + list(counted["oecd_id"]) + list(table["stated_difference_id"].dropna())
    return label_and_lay_out(
        fig, ax,
        title=f"For 2006, {_join(str(e) + chr(39) + 's' for e in counted['entity'])} national immigrant counts "
              "were far above\n"
              f"the OECD's standardised estimates ({_join(f'{d:g} %' for d in counted['stated_difference'])} "
              "lower, on the national base)",
        xlabel="Immigrant inflows, 2006 (thousand persons)", ylabel=None, source=_source(f, *ids),
    )


@house_chart(renamed={"figs": "data"})
def latin_america_migrants(data=None, *, ax=None):
    """International migrants in Latin America and the Caribbean in 2000 and 2005, and their share of the world total.

    Parameters
    ----------
    %(figures_data)s
    %(ax)s

    Returns
    -------
    %(figure)s

    See Also
    --------
    migstats.analysis.as_intervals : how the hedged figures become intervals.
    %(see_also_registry)s

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig = latin_america_migrants()
    >>> [float(bar.get_width()) for bar in fig.axes[0].patches]  # million persons: 2000, 2005, world 2005
    [21.0, 26.0, 200.0]
    >>> plt.close(fig)
    """
    from ..analysis.intervals import as_intervals

    f = _table(data)
    fig, ax = new_axes(ax)
    ids = ["mig_lcn_2000", "mig_lcn_2005", "mig_wld_2005"]
    unit = "million person"
    vals = {i: _value(f, i, unit) for i in ids}
    labels = ["Latin America and\nthe Caribbean, 2000", "Latin America and\nthe Caribbean, 2005", "World, 2005"]
    colors = [OKABE_ITO["sky"], OKABE_ITO["blue"], OKABE_ITO["grey"]]
    kinds = as_intervals(f.loc[ids].reset_index())["kind"].tolist()
    for i, (fid, lab, col, kind) in enumerate(zip(ids, labels, colors, kinds)):
        approx = kind != "point"
        ax.barh(i, vals[fid], color=col, hatch="//" if approx else None, edgecolor="white" if approx else col)
        ax.text(vals[fid] * 1.015 + 1, i, f"{_stated(f, fid, unit)} million", va="center", fontsize=9)
    share = vals["mig_lcn_2005"] / vals["mig_wld_2005"]
    stated = f.loc["mig_lcn_share_world_2005", "value"]
    lcn, wld = vals["mig_lcn_2005"], vals["mig_wld_2005"]
    ax.text(0.5 * wld, 0.0, f"Share of the world total, 2005:\n"
                            f"stated \"{_hedge(f.loc['mig_lcn_share_world_2005', 'qualifier'])}{stated:g} %\";\n"
                            f"{lcn:g} / {wld:g} = {share * 100:.1f} %", va="center", fontsize=9)
    ax.set_yticks(range(3), labels)
    ax.invert_yaxis()
    ax.set_xlim(0, 1.2 * max(vals.values()))
    from matplotlib.patches import Patch

    ax.legend(handles=[Patch(facecolor=OKABE_ITO["blue"], hatch="//", edgecolor="white",
                             label="hatched: approximate (\"almost\")")], loc="center right")
    return label_and_lay_out(
        fig, ax,
        title=f"Migrants in Latin America and the Caribbean "
              f"{'rose' if vals['mig_lcn_2005'] > vals['mig_lcn_2000'] else 'changed'} from "
              f"{_stated(f, 'mig_lcn_2000', unit)} million (2000)\nto {_stated(f, 'mig_lcn_2005', unit)} million (2005), "
              f"{_hedge(f.loc['mig_lcn_share_world_2005', 'qualifier'])}{stated:g} % of the world's "
              f"{_stated(f, 'mig_wld_2005', unit)} million",
        xlabel="International migrants (million persons)", ylabel=None,
        source=_source(f, *ids, "mig_lcn_share_world_2005"),
    )


@house_chart(renamed={"figs": "data"})
def census_round_2010(data=None, *, ax=None):
    """Progress of the 2010 census round: censuses conducted, with data available, with country of birth and citizenship.

    Parameters
    ----------
    %(figures_data)s
    %(ax)s

    Returns
    -------
    %(figure)s

    See Also
    --------
    figures_by_topic : all of the report's figures.
    %(see_also_registry)s

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig = census_round_2010()
    >>> [float(bar.get_width()) for bar in fig.axes[0].patches]  # conducted, available, birth, citizenship
    [60.0, 47.0, 35.0, 32.0]
    >>> plt.close(fig)
    """
    f = _table(data)
    fig, ax = new_axes(ax)
    ids = ["census_2010_round_conducted", "census_2010_round_data_available",
           "census_2010_round_country_of_birth", "census_2010_round_citizenship"]
    labels = ["conducted", "data available", "data on country of birth", "data on country of citizenship"]
    colors = [OKABE_ITO["grey"], OKABE_ITO["blue"], OKABE_ITO["green"], OKABE_ITO["orange"]]
    whole = f.loc[ids[0], "value"]
    for i, (fid, col) in enumerate(zip(ids, colors)):
        v = f.loc[fid, "value"]
        ax.barh(i, v, color=col)
        ax.text(v + 0.012 * whole, i, f"{v:g}" + ("" if i == 0 else f"  ({v / whole * 100:.0f} % of those conducted)"),
                va="center", fontsize=9)
    ax.set_yticks(range(len(ids)), labels)
    ax.invert_yaxis()
    ax.set_xlim(0, 1.45 * whole)
    n = [f"{f.loc[i, 'value']:g}" for i in ids]
    return label_and_lay_out(
        fig, ax,
        title=f"By November 2008, {n[0]} censuses of the 2010 round ({f.loc[ids[0], 'year_start']}-"
              f"{f.loc[ids[0], 'year_end']}) had been held;\n"
              f"{n[1]} had data available, {n[2]} on country of birth and {n[3]} on citizenship",
        xlabel="Number of censuses", ylabel=None, source=_source(f, *ids),
    )


@house_chart(renamed={"figs": "data"})
def mexico_monthly_remittance(data=None, *, ax=None):
    """The average remittance per worker sent to Mexico: a stated range per month, and its yearly equivalent.

    Parameters
    ----------
    %(figures_data)s
    %(ax)s

    Returns
    -------
    %(figure)s

    See Also
    --------
    migstats.units.convert : the yearly equivalent.
    %(see_also_registry)s

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig = mexico_monthly_remittance()
    >>> [float(x) for x in fig.axes[0].lines[0].get_xdata()]  # US$ a month
    [340.0, 350.0]
    >>> plt.close(fig)
    """
    f = _table(data)
    fig, ax = new_axes(ax, figsize=(8.0, 3.6))
    fid = "rem_mex_per_worker_month"
    row = f.loc[fid]
    lo, hi = row["low"], row["high"]
    ax.plot([lo, hi], [0, 0], color=OKABE_ITO["vermillion"], linewidth=8, solid_capstyle="butt",
            label=f"stated range: {_hedge(row['qualifier'])}US${lo:g} to US${hi:g} a month")
    ax.plot([lo, hi], [0, 0], "|", color="black", markersize=20)
    for v in (lo, hi):
        ax.text(v, 0.12, f"US${v:g}", ha="center", fontsize=9)
    y_lo, y_hi = (convert(v, row["unit"], "USD / year") for v in (lo, hi))
    ax.text((lo + hi) / 2, -0.25, f"= US${y_lo:,.0f} to US${y_hi:,.0f} a year (×12)", ha="center", fontsize=9)
    ax.set_xlim(lo - 4 * (hi - lo), hi + 4 * (hi - lo))
    ax.set_ylim(-0.5, 0.5)
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    ax.legend(loc="upper left")
    return label_and_lay_out(
        fig, ax,
        title=f"Remittances per worker to Mexico had remained at {_hedge(row['qualifier'])}US${lo:g} to {hi:g} a month\n"
              "while total remittances to Mexico declined (World Bank, November 2008)",
        xlabel="Average remittance sent per worker (US$ per month)", ylabel=None, source=_source(f, fid),
    )


@house_chart(renamed={"figs": "data"})
def figures_by_topic(data=None, *, ax=None):
    """How many figures the report states per topic, split by how they are hedged.

    Parameters
    ----------
    %(figures_data)s
    %(ax)s

    Returns
    -------
    %(figure)s

    See Also
    --------
    migstats.figures : the table counted.
    %(see_also_registry)s

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig = figures_by_topic()
    >>> fig.axes[0].get_title(loc="left").split(";")[0]
    'The report states 102 figures'
    >>> plt.close(fig)
    """
    f = (_all_figures() if data is None else data).copy()
    fig, ax = new_axes(ax)
    f["hedge"] = "exact"
    f.loc[f["qualifier"].isin(HEDGED), "hedge"] = "approximate (about, almost, some ...)"
    f.loc[f["qualifier"].isin(["over", "more_than", "at_least", "less_than", "up_to"]), "hedge"] = "bound (more than, over ...)"
    f.loc[f["low"].notna(), "hedge"] = "range (340 to 350 ...)"
    order = ["exact", "approximate (about, almost, some ...)", "bound (more than, over ...)", "range (340 to 350 ...)"]
    counts = pd.crosstab(f["topic"], f["hedge"]).reindex(columns=order, fill_value=0)
    counts = counts.loc[counts.sum(axis=1).sort_values().index]
    left = pd.Series(0, index=counts.index)
    colors = [OKABE_ITO["blue"], OKABE_ITO["orange"], OKABE_ITO["green"], OKABE_ITO["purple"]]
    hatches = [None, "//", "..", "xx"]
    for col, color, hatch in zip(order, colors, hatches):
        ax.barh(counts.index, counts[col], left=left, color=color, hatch=hatch, edgecolor="white", label=col)
        left += counts[col]
    for y, total in enumerate(left):
        ax.text(total + 0.3, y, f"{total}", va="center", fontsize=9)
    ax.legend(loc="lower right")
    return label_and_lay_out(
        fig, ax,
        title=f"The report states {len(f)} figures; {int((f['hedge'] != 'exact').sum())} of them are hedged "
              "or given as ranges",
        xlabel="Number of figures", ylabel="Topic", source=f"{REPORT}; all sections, as catalogued by migstats.",
    )


def _reconciled(table):
    from ..bundled import reconcile

    return reconcile() if table is None else table


@house_chart(renamed={"table": "data"})
def remittances_report_vs_today(data=None, *, ax=None):
    """The report's 2008 remittance figures beside today's World Bank series (KNOMAD 2017 and WDI).

    "More than"
    figures are drawn as lower bounds; the x axis is logarithmic because the
    figures run from US$3 billion (Nigeria, before revision) to US$283
    billion (all developing countries).

    Parameters
    ----------
    %(reconciled_data)s
    %(ax)s

    Returns
    -------
    %(figure)s

    See Also
    --------
    migstats.reconcile : the matching drawn here.
    top_recipients_2008 : the report's bounds alone.
    %(see_also_registry)s

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig = remittances_report_vs_today()
    >>> fig.axes[0].get_xscale()
    'log'
    >>> plt.close(fig)
    """
    rec = _reconciled(data)
    rec = rec[rec["figure_id"].str.startswith("rem_") & (rec["report_unit"] == "billion USD")]
    f = _table(None)
    fig, ax = new_axes(ax, figsize=(8.0, 6.0))
    ids = list(dict.fromkeys(rec["figure_id"]))
    labels = []
    for i, fid in enumerate(ids):
        fig_row = f.loc[fid]
        suffix = {"rem_egy_2008_previous": " (before revision)", "rem_egy_2008_revised": " (revised)",
                  "rem_nga_2008_previous": " (before revision)", "rem_nga_2008_revised": " (revised)"}.get(fid, "")
        labels.append(f"{fig_row['entity']} {int(fig_row['year_start'])}{suffix}")
        value = _value(f, fid, "billion USD")
        if fig_row["qualifier"] == "more_than":
            _lower_bound(ax, i, value, horizontal=True, span=value * 0.6, color=OKABE_ITO["black"],
                         label="report: more than (lower bound)" if fid == "rem_ind_2008" else None)
        else:
            ax.plot([value], [i], "o", color=OKABE_ITO["black"], markersize=8,
                    label="report (2008)" if i == 0 else None)
        for _, r in rec[rec["figure_id"] == fid].iterrows():
            knomad = bool(r["matches_report"])
            ax.plot([convert(r["official_value"], r["official_unit"], "billion USD")], [i],
                    "s" if knomad else "D", color=OKABE_ITO["blue"] if knomad else OKABE_ITO["orange"],
                    markersize=7, alpha=0.9, linestyle="none",
                    label=("World Bank/KNOMAD migrant remittances, 2017 edition (same concept)" if knomad
                           else "WDI personal remittances, 2025 (narrower concept)") if i == 0 else None)
    from matplotlib.ticker import FixedLocator, NullLocator

    ax.set_xscale("log")
    ax.set_xlim(2, 600)
    ticks = [2, 5, 10, 20, 50, 100, 200, 500]
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.set_xticks(ticks, [f"{t:g}" for t in ticks])
    ax.set_yticks(range(len(ids)), labels)
    ax.set_ylim(len(ids) - 0.4, -2.9)  # room above the first row for the legend
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.legend(loc="upper left", fontsize=8)
    return label_and_lay_out(
        fig, ax,
        title=_vs_today_title(rec, f),
        xlabel="Remittance inflows (billion US$, log scale)", ylabel=None,
        source=f"{REPORT}, section IV; World Bank/KNOMAD Migration and Remittances Data (2017 edition); "
               "World Bank WDI BX.TRF.PWKR.CD.DT (2025). Matching by migstats.reconcile.",
    )


def _vs_today_title(rec, f) -> str:
    """The finding of the remittance comparison, from the series that matches the report's concept."""
    same = rec[rec["matches_report"].astype(bool)]
    revised = same[same["qualifier"] == "exact"].drop_duplicates("entity_code", keep="last")
    up = [f.loc[i, "entity"] for i, v, p in zip(revised["figure_id"], revised["official_value"],
                                                 revised["report_value"]) if v > p]
    bounds = same[same["qualifier"] == "more_than"]
    holds = bounds["statement_holds"].astype("boolean").fillna(False)
    holding = [f.loc[i, "entity"] for i in bounds.loc[holds.to_numpy(bool), "figure_id"]]
    bound = bounds["report_value"].min()
    return (f"Today's series put 2008 remittances above the report's figures\nfor {_join(up)}; "
            f"{_join(holding)}\nstay above US${bound:g} billion in the report's own concept")


@house_chart(renamed={"table": "data"})
def oecd_national_report_vs_today(data=None, *, ax=None):
    """National immigrant inflows for 2006 as the report gives them and as the OECD database publishes them today.

    Parameters
    ----------
    %(reconciled_data)s
    %(ax)s

    Returns
    -------
    %(figure)s

    See Also
    --------
    migstats.reconcile : the matching drawn here.
    oecd_vs_national_2006 : national against OECD standardised figures in the report.
    %(see_also_registry)s

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig = oecd_national_report_vs_today()
    >>> [label.get_text() for label in fig.axes[0].get_yticklabels()][:2]
    ['Japan', 'Germany']
    >>> plt.close(fig)
    """
    rec = _reconciled(data)
    rec = rec[rec["figure_id"].isin(["oecd_jpn_national_2006", "oecd_deu_national_2006",
                                     "oecd_can_difference_2006", "oecd_usa_difference_2006"])]
    f = _table(None)
    fig, ax = new_axes(ax)
    h = 0.38
    unit = "thousand person"
    names = []
    for i, (_, r) in enumerate(rec.iterrows()):
        names.append(f.loc[r["figure_id"], "entity"])
        today = convert(r["official_value"], r["official_unit"], unit)
        ax.barh(i + h / 2, today, height=h, color=OKABE_ITO["blue"],
                label="OECD International Migration Database, national definitions (2025)" if i == 0 else None)
        ax.text(today + 10, i + h / 2, f"{today:,.1f}", va="center", fontsize=8.5)
        if r["report_unit"] == "person":
            reported = convert(r["report_value"], r["report_unit"], unit)
            ax.barh(i - h / 2, reported, height=h, color=OKABE_ITO["orange"],
                    label="report: national statistical office (2008)" if i == 0 else None)
            ax.text(reported + 10, i - h / 2, f"{reported:,.1f}   (today: {r['absolute']:+,.0f} persons)",
                    va="center", fontsize=8.5)
        else:
            ax.text(10, i - h / 2, "report: no count; national and OECD figures \"did not differ at all\"",
                    va="center", fontsize=8.5, style="italic")
    counted = rec[rec["report_unit"] == "person"]
    cited = [f.loc[i, "entity"] for i in counted["figure_id"]]
    max_gap = counted["absolute"].abs().max()
    ax.set_yticks(range(len(names)), names)
    ax.set_ylim(len(names) + 0.6, -0.7)  # room below the last row for the legend
    ax.set_xlim(0, 1500)
    ax.legend(loc="lower right", fontsize=8.5)
    return label_and_lay_out(
        fig, ax,
        title=f"The 2006 national inflows the report cites for {_join(cited)} are still published\n"
              f"today within {max_gap:,.0f} persons; the OECD's 2006 standardised figures are not",
        xlabel="Inflows of foreign population, 2006 (thousand persons)", ylabel=None,
        source=f"{REPORT}, section V; OECD International Migration Database (B11, national definitions), "
               "2025 extract. Matching by migstats.reconcile.",
    )
