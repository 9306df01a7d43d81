"""Estimating migration flows from stock tables, net totals and margins (after R migest 2.0.5).

Inputs are numpy arrays or labelled pandas objects, checked by
:mod:`migstats.flows.arrays` (non-numeric, NaN, empty, duplicate-label and,
for counts, negative inputs raise a migstats error naming the argument and
region). Every estimator returns a :class:`FlowResult` (or a subclass with
extra fields): ``fitted`` holds the flows, a DataFrame or a
:class:`FlowArray` for orig x dest x pob arrays, with ``iterations``,
``error``, ``od()`` and ``to_long()`` for tidy tables. Where migest is silent
or random, migstats raises (MarginMismatchError, ConvergenceError,
IgnoredArgumentError) or is deterministic; each function's docstring lists
its differences from migest. ``net_matrix_lp`` and ``net_matrix_optim`` need
scipy (the ``migstats[flows]`` extra), imported only when they run.

The summary indices (migest ``index_*``) are in :mod:`migstats.flows.indices`.
Estimators that build an n^3 array (:func:`ffs_demo`, :func:`ipf3`) check a
memory budget first (``memory_budget=``, ``$MIGSTATS_MEMORY_BUDGET``, else
half the available memory) and raise MemoryBudgetError above it.

Units: stocks, births, deaths, net totals and estimated flows are counts of
persons (unit "person"); offsets (priors) are unitless weights.
"""

from migstats.flows._common import FlowArray, FlowResult, matrix_to_long
from migstats.flows.cm import CmResult, cm2, cm3
from migstats.flows.ffs import FfsResult, example_stocks, ffs_demo, ffs_diff, ffs_rates, rescale_integer_sum
from migstats.flows.ipf import IpfResult, ipf2, ipf3
from migstats.flows.net import (
    NetResult, cm_net, cm_net_tot, net_matrix_entropy, net_matrix_ipf, net_matrix_lp, net_matrix_optim,
    net_of, rescale_net,
)
from migstats.flows.summaries import multi_comp, sum_bilat, sum_net, sum_od, sum_region
from migstats.flows.undesa import natural_change_by_birthplace, region_stock_tables
from migstats.flows.world import (
    METHODS, PERIODS, compare_net_migration, country_totals, flow_adjustments, flow_sensitivity, global_flows,
    global_totals, pseudo_bayes, region_flows, top_corridors, world_accounts,
)

__all__ = [
    "FlowArray", "FlowResult", "matrix_to_long",
    "IpfResult", "ipf2", "ipf3",
    "CmResult", "cm2", "cm3",
    "FfsResult", "ffs_demo", "ffs_diff", "ffs_rates", "rescale_integer_sum", "example_stocks",
    "NetResult", "cm_net", "cm_net_tot", "net_matrix_ipf", "net_matrix_entropy", "net_matrix_lp",
    "net_matrix_optim", "net_of", "rescale_net",
    "sum_od", "sum_region", "sum_bilat", "sum_net", "multi_comp",
    "region_stock_tables", "natural_change_by_birthplace",
    "global_flows", "world_accounts", "flow_adjustments", "pseudo_bayes", "METHODS", "PERIODS",
    "country_totals", "top_corridors", "region_flows", "global_totals", "compare_net_migration",
    "flow_sensitivity",
]
