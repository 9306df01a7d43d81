"""Analysis helpers: growth, comparisons, discrepancies between sources, revisions
between vintages, hedged figures as intervals, and the audit of the report's claims.

All helpers are pure functions of numbers, Series or long DataFrames; rates
and relative measures are fractions whose base each docstring names.
"""

from .audit import CHECKS, audit, load_claims
from .compare import ranks, relative_to, shares, threshold_test
from .discrepancy import BASES, discrepancies, matching_bases, relative_difference
from .growth import (
    average_growth,
    compound_growth_rate,
    fill_from_rates,
    implied_value,
    index_to_base,
    log_growth_rate,
    period_changes,
)
from .intervals import (
    KINDS,
    QUALIFIER_KIND,
    add,
    as_intervals,
    divide,
    estimate,
    multiply,
    propagate,
    rounding_interval,
    subtract,
)
from .reconcile import reconcile
from .revision import revision, revision_summary, revisions, vintage_revisions

__all__ = [
    "BASES",
    "CHECKS",
    "KINDS",
    "QUALIFIER_KIND",
    "add",
    "as_intervals",
    "audit",
    "average_growth",
    "compound_growth_rate",
    "discrepancies",
    "divide",
    "estimate",
    "fill_from_rates",
    "implied_value",
    "index_to_base",
    "load_claims",
    "log_growth_rate",
    "matching_bases",
    "multiply",
    "period_changes",
    "propagate",
    "ranks",
    "reconcile",
    "relative_difference",
    "relative_to",
    "revision",
    "revision_summary",
    "revisions",
    "rounding_interval",
    "shares",
    "subtract",
    "threshold_test",
    "vintage_revisions",
]
