"""Analysis helpers: growth, comparisons, discrepancies between sources, revisions
between vintages, hedged figures as intervals, the audit of the report's claims
and its reconciliation with today's official series.

All helpers are pure functions of numbers, Series or long DataFrames: they
take their tables as arguments and load nothing (``migstats.audit()`` and
``migstats.reconcile()`` are the versions that load the bundled data). Rates
and relative measures are fractions whose base each docstring names.
"""

from .audit import AUDIT_COLUMNS, audit
from .claim_checks import CHECKS
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
    hedged_figure,
    interval_add,
    interval_divide,
    interval_multiply,
    interval_subtract,
    multiply,
    propagate,
    rounding_interval,
    subtract,
)
from .reconcile import RECONCILE_COLUMNS, reconcile
from .revision import revision, revision_summary, revisions, vintage_revisions
from .._deprecation import renamed_function as _renamed
from ..datasets.report import claims as _claims


def _load_claims(root=None):
    """The claims (former home: migstats.analysis.load_claims)."""
    return _claims(root=root)


load_claims = _renamed(_load_claims, "load_claims", "migstats.analysis", replacement="migstats.datasets.report.claims")

__all__ = [
    "AUDIT_COLUMNS",
    "BASES",
    "CHECKS",
    "KINDS",
    "QUALIFIER_KIND",
    "RECONCILE_COLUMNS",
    "as_intervals",
    "audit",
    "average_growth",
    "compound_growth_rate",
    "discrepancies",
    "fill_from_rates",
    "hedged_figure",
    "implied_value",
    "index_to_base",
    "interval_add",
    "interval_divide",
    "interval_multiply",
    "interval_subtract",
    "log_growth_rate",
    "matching_bases",
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
    "threshold_test",
    "vintage_revisions",
    # deprecated aliases, kept for one release (see migstats._deprecation.DEPRECATED)
    "add",
    "divide",
    "estimate",
    "load_claims",
    "multiply",
    "subtract",
]
