"""Charts: one function per chart, and a registry of them all.

Every chart function takes its data (the bundled tables by default) and an
optional matplotlib Axes, and returns the Figure. The registry maps a short
name to the function, a title and a one-line description; :func:`write_charts`
renders a selection to files (atomically, byte-identical on rerun), and the
``migstats charts`` command only decides where they go.

Every chart is drawn in one house style (``migstats.charts._style``): the
Okabe-Ito colours (:data:`OKABE_ITO` by name, :data:`CATEGORY_COLOURS` in the
order categories take them), the fonts, a title that states the finding and a
source line at the bottom left. Importing this package does not import
matplotlib.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path

from ..errors import UnknownNameError
from ._style import CATEGORY_COLOURS, OKABE_ITO

__all__ = ["Chart", "REGISTRY", "chart_names", "list_charts", "get_chart", "render", "write_charts", "FORMATS",
           "DPI_RANGE", "OKABE_ITO", "CATEGORY_COLOURS"]

FORMATS = ("png", "svg", "pdf")
# Lowest and highest resolution accepted. Below 50 dpi text is unreadable (and under
# about 10 FreeType cannot size the glyphs); at 1,200 dpi an 8 x 5 inch chart is already
# 58 million pixels (about 230 MB of RGBA), and 8,000 dpi needed 10 GB.
DPI_RANGE = (50, 1200)


@dataclass(frozen=True)
class Chart:
    """A registered chart: its name, title, one-line description and function ``module:attr``."""

    name: str
    title: str
    description: str
    target: str

    def function(self):
        """The chart function, imported on first use.

        Returns
        -------
        callable
            Takes the chart's data (bundled by default) and ``ax``; returns the Figure.

        Examples
        --------
        >>> get_chart("census_round_2010").function().__name__
        'census_round_2010'
        """
        module, attr = self.target.split(":")
        return getattr(importlib.import_module(module), attr)


REGISTRY: dict[str, Chart] = {}


def _register(name: str, title: str, description: str, target: str) -> None:
    REGISTRY[name] = Chart(name, title, description, target)


_R = "migstats.charts.report:"
_register("remittances_developing", "Remittances to developing countries, 2006-2008",
          "Stated totals for 2006 and 2008, the stated growth rates, and the 2007 total they imply.",
          _R + "remittances_developing")
_register("top_recipients_2008", "Top remittance recipients, 2008",
          "India, China and Mexico, 'more than US$20 billion' each, drawn as lower bounds.", _R + "top_recipients_2008")
_register("egypt_nigeria_revision", "Egypt and Nigeria: revised 2008 estimates",
          "Previous and revised 2008 remittance estimates with the revision factor.", _R + "egypt_nigeria_revision")
_register("remittances_gdp_share_2007", "Remittances above 30 per cent of GDP, 2007",
          "Tajikistan, Moldova and Tonga as lower bounds on the share of GDP.", _R + "remittances_gdp_share_2007")
_register("oecd_vs_national_2006", "OECD standardised vs national immigrant inflows, 2006",
          "Japan and Germany side by side with the stated difference and its base; Canada and the US as stated.",
          _R + "oecd_vs_national_2006")
_register("latin_america_migrants", "Migrants in Latin America and the Caribbean, 2000-2005",
          "Regional migrant stock in 2000 and 2005 against the world total, with the stated share.",
          _R + "latin_america_migrants")
_register("census_round_2010", "Progress of the 2010 census round",
          "Censuses conducted, with data available, with country of birth and with citizenship data.",
          _R + "census_round_2010")
_register("mexico_monthly_remittance", "Monthly remittance per worker to Mexico",
          "The stated range of US$340 to 350 a month, and its yearly equivalent.", _R + "mexico_monthly_remittance")
_register("figures_by_topic", "The report's figures by topic and hedge",
          "How many figures the report states per topic: exact, approximate, bounds and ranges.",
          _R + "figures_by_topic")
_register("remittances_report_vs_today", "Report vs today: remittance recipients",
          "The report's 2008 remittance figures beside the KNOMAD (same concept) and WDI (narrower) series.",
          _R + "remittances_report_vs_today")
_register("oecd_national_report_vs_today", "Report vs today: national immigrant inflows, 2006",
          "Japan's and Germany's 2006 national inflows as cited and as published today; Canada and the US.",
          _R + "oecd_national_report_vs_today")
_register("undesa_region_flows", "Migration flows between world regions, 2015-2020 (estimated)",
          "Chord diagram of flows between the six UN geographic regions: country-to-country estimates "
          "(migstats.flows.global_flows, pseudo-Bayesian closed demographic accounting, UN DESA IMS 2024 and "
          "WPP 2024) summed to regions; moves within a region excluded.",
          "migstats.charts.global_flows:global_region_flows")
_register("global_flow_corridors", "Largest migration corridors, 1990-2024 (estimated)",
          "The six country-to-country corridors with the most moves over all periods, period by period "
          "(pseudo-Bayesian closed demographic accounting).", "migstats.charts.global_flows:global_flow_corridors")
_register("global_flow_totals", "Global migration per period by six estimation methods",
          "Moves between countries per five-year period by each method of Abel & Cohen (2019), side by side, "
          "with the pseudo-Bayesian total as a share of world population.",
          "migstats.charts.global_flows:global_flow_totals")

_C = "migstats.charts.composite:"
_register("composite_rank_intervals", "Exposure index: ranks with their uncertainty",
          "The 25 most exposed countries of the migstats exposure index with the 5th-95th percentile of their rank "
          "over 1,000 draws of the construction choices.", _C + "rank_intervals")
_register("composite_contributions", "Exposure index: indicator contributions",
          "Points of the index score each indicator gives the 15 most exposed countries.", _C + "contributions_chart")
_register("composite_sensitivity", "Exposure index: sensitivity of the ranks to each choice",
          "First-order and total sensitivity indices of the mean absolute rank shift.", _C + "sensitivity_chart")


def chart_names() -> list[str]:
    """Names of every registered chart, in registry order.

    Returns
    -------
    list of str

    See Also
    --------
    list_charts : the same with titles and descriptions.

    Examples
    --------
    >>> chart_names()[:2]
    ['remittances_developing', 'top_recipients_2008']
    """
    return list(REGISTRY)


def list_charts():
    """The registry as a table.

    Returns
    -------
    pandas.DataFrame
        Columns ``name, title, description``, one row per chart in registry order.

    See Also
    --------
    chart_names, get_chart

    Examples
    --------
    >>> list_charts().loc[0, "title"]
    'Remittances to developing countries, 2006-2008'
    """
    import pandas as pd

    return pd.DataFrame([{"name": c.name, "title": c.title, "description": c.description} for c in REGISTRY.values()])


def get_chart(name: str) -> Chart:
    """The registered chart of that name.

    Parameters
    ----------
    name : str
        A name from :func:`chart_names`.

    Returns
    -------
    Chart

    Raises
    ------
    UnknownNameError
        If no chart has that name.

    See Also
    --------
    render : draw it.

    Examples
    --------
    >>> get_chart("census_round_2010").target
    'migstats.charts.report:census_round_2010'
    """
    try:
        return REGISTRY[name]
    except KeyError:
        raise UnknownNameError(f"unknown chart {name!r}; known charts: {', '.join(REGISTRY)}") from None


def _check_dpi(dpi) -> None:
    from ..errors import InputError

    low, high = DPI_RANGE
    if isinstance(dpi, bool) or not isinstance(dpi, (int, float)) or not low <= dpi <= high:
        raise InputError(f"dpi must be a number from {low} to {high}, got {dpi!r}")


def render(name: str, *, dpi: int | None = None, **kwargs):
    """Draw the named chart and return its Figure.

    ``dpi`` sets the figure's resolution up front, so the text measured for
    the layout is measured once, at the resolution the file is saved with.

    Parameters
    ----------
    name : str
        A name from :func:`chart_names`.
    dpi : int, optional
        Resolution, within :data:`DPI_RANGE` (matplotlib's default otherwise).
    **kwargs
        Passed to the chart function (its data, ``ax``).

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    UnknownNameError
        For an unknown chart.
    InputError
        For a ``dpi`` outside :data:`DPI_RANGE`.

    See Also
    --------
    write_charts : render to files.
    get_chart : the function behind a name.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig = render("census_round_2010")
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()][:2]
    ['conducted', 'data available']
    >>> plt.close(fig)
    """
    from ._style import style

    func = get_chart(name).function()
    if dpi is not None:
        _check_dpi(dpi)
    with style(dpi):
        return func(**kwargs)


def write_charts(out_dir, names=None, *, formats=("png",), dpi: int = 150, on_written=None):
    """Render charts to files ``<out_dir>/<name>.<format>`` and return their paths.

    Everything is checked before anything is drawn (names, formats, dpi, then the
    output folder), so a bad request writes no file. Each file is written to a
    hidden temporary file in ``out_dir`` and renamed into place; a rerun gives
    byte-identical files.

    Parameters
    ----------
    out_dir : path-like
        Output folder; created if missing.
    names : list of str, optional
        Charts to draw, from :func:`chart_names` (all of them by default).
    formats : sequence of {"png", "svg", "pdf"}
        File formats; each chart is drawn once and saved in each.
    dpi : int
        Resolution of raster output, within :data:`DPI_RANGE`.
    on_written : callable, optional
        Called with each file's path as soon as it is written (progress reports).

    Returns
    -------
    list of pathlib.Path
        The files written, in order.

    Raises
    ------
    UnknownNameError
        For an unknown chart or format.
    InputError
        For a ``dpi`` outside :data:`DPI_RANGE`.
    OutputError
        If ``out_dir`` cannot be created or written.

    See Also
    --------
    render : one chart as a Figure.

    Examples
    --------
    >>> import tempfile
    >>> paths = write_charts(tempfile.mkdtemp(), ["census_round_2010"], formats=["png", "svg"], dpi=50)
    >>> [p.name for p in paths]
    ['census_round_2010.png', 'census_round_2010.svg']
    """
    names = list(dict.fromkeys(names)) if names else chart_names()
    formats = list(dict.fromkeys(formats))
    charts = [get_chart(n) for n in names]
    for fmt in formats:
        if fmt not in FORMATS:
            raise UnknownNameError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    _check_dpi(dpi)
    import matplotlib.pyplot as plt

    from .._io import atomic_write_bytes, ensure_dir
    from ._save import figure_bytes

    out = ensure_dir(Path(out_dir))
    written = []
    for chart in charts:
        fig = render(chart.name, dpi=dpi)
        try:
            for fmt in formats:
                written.append(atomic_write_bytes(out / f"{chart.name}.{fmt}", figure_bytes(fig, fmt, dpi)))
                if on_written is not None:
                    on_written(written[-1])
        finally:
            plt.close(fig)
    return written
