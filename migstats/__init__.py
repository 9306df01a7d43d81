"""migstats: remittance and international-migration statistics.

The report of the Seventh UN Coordination Meeting on International Migration
(2008) as cited, unit-aware data; analysis helpers; readers for the official
publications; flow estimation from stock tables; charts.

The public API is loaded lazily, so ``import migstats`` stays light: pandas,
matplotlib and the readers are imported only when a function needs them.
"""

from __future__ import annotations

import importlib

from .errors import MigstatsError

__version__ = "0.1.0"

# public name -> module that defines it
_LAZY = {
    "figures": "migstats.datasets.report",
    "figure": "migstats.datasets.report",
    "entities": "migstats.datasets.report",
    "links": "migstats.datasets.report",
    "remittances": "migstats.datasets.report",
    "migrant_stocks": "migstats.datasets.report",
    "oecd_flows": "migstats.datasets.report",
    "sources": "migstats.datasets.report",
    "claims": "migstats.datasets.report",
    "counterparts": "migstats.datasets.report",
    "load_claims": "migstats.datasets.report",
    "audit": "migstats.bundled",
    "reconcile": "migstats.bundled",
    "units": "migstats.units",
    "analysis": "migstats.analysis",
    "flows": "migstats.flows",
    "global_flows": "migstats.flows",
    "indices": "migstats.flows.indices",
    "composite": "migstats.composite",
    **{
        name: "migstats.analysis"
        for name in (
            "compound_growth_rate", "log_growth_rate", "implied_value",
            "period_changes", "average_growth", "index_to_base", "fill_from_rates", "shares", "ranks",
            "relative_to", "threshold_test", "relative_difference", "discrepancies", "matching_bases",
            "revision", "revisions", "revision_summary", "as_intervals", "hedged_figure", "propagate",
            "interval_add", "interval_subtract", "interval_multiply", "interval_divide", "rounding_interval",
            "estimate",  # deprecated alias of hedged_figure
        )
    },
    **{
        name: "migstats.readers"
        for name in (
            "read_wdi", "read_knomad_inflows", "read_knomad_bilateral", "read_undesa_stock",
            "read_undesa_origin_destination", "read_oecd", "read_wpp",
        )
    },
    **{
        name: "migstats.datasets.official"
        for name in (
            "wdi_remittances", "knomad_inflows", "undesa_stock", "oecd_inflows",
            "undesa_bilateral_regions", "undesa_population_regions", "official_tables",
            "undesa_bilateral_countries", "undesa_population_countries", "wpp_vital", "un_regions",
        )
    },
    "readers": "migstats.readers",
    "charts": "migstats.charts",
    "datasets": "migstats.datasets",
    "countries": "migstats.countries",
    "errors": "migstats.errors",
    # fetching official releases (issue 14)
    "catalog": "migstats.catalog",
    "fetch": "migstats.catalog",
    "vintages": "migstats.catalog",
    "vintage_revisions": "migstats.analysis",
}

__all__ = ["MigstatsError", "__version__", *_LAZY]


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'migstats' has no attribute {name!r}")
    mod = importlib.import_module(module)
    value = mod if module.endswith("." + name) else getattr(mod, name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_LAZY))
