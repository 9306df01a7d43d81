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


def render(name: str, *, dpi: int | None = None, **kwargs):
    """Draw the named chart and return its Figure (keyword arguments go to the chart function).

    ``dpi`` sets the figure's resolution up front, so the text measured for
    the layout is measured once, at the resolution the file is saved with.
    """
    from ._style import style

    func = get_chart(name).function()
    with style(dpi):
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

    names = list(dict.fromkeys(names)) if names else chart_names()
    formats = list(dict.fromkeys(formats))
    charts = [get_chart(n) for n in names]
    for fmt in formats:
        if fmt not in FORMATS:
            raise UnknownNameError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    if dpi <= 0:
        raise InputError(f"dpi must be positive, got {dpi}")
    out = ensure_dir(Path(out_dir))
    for chart in charts:
        fig = render(chart.name, dpi=dpi)
        try:
            for fmt in formats:
                yield atomic_write_bytes(out / f"{chart.name}.{fmt}", figure_bytes(fig, fmt, dpi))
        finally:
            plt.close(fig)
