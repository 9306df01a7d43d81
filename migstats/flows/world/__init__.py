"""Global bilateral migration flows between every pair of countries, from the UN's published data.

:func:`world_accounts` assembles one period's demographic accounts from the
bundled International Migrant Stock 2024 and World Population Prospects 2024
tables; :func:`global_flows` runs the six methods of Abel & Cohen (2019) over
any periods, sequentially or through an executor; :mod:`.summaries` turns the
country table into the figures users ask for; :func:`flow_sensitivity` re-estimates
a period over random draws of its inputs (a sensitivity analysis). Units: persons.
"""

from migstats.flows.world.accounts import PERIODS, WorldAccounts, end_year_weights, parse_period, world_accounts
from migstats.flows.world.estimate import flow_adjustments, global_flows
from migstats.flows.world.methods import (
    METHODS, absolute_net_migration, estimate_period, flow_array, independence_fit, pseudo_bayes,
    pseudo_bayes_weights,
)
from migstats.flows.world.sensitivity import FlowSensitivity, flow_sensitivity, perturb_accounts
from migstats.flows.world.summaries import (
    compare_net_migration, country_totals, global_totals, region_flows, top_corridors,
)

__all__ = [
    "PERIODS", "METHODS", "WorldAccounts", "world_accounts", "parse_period", "end_year_weights",
    "global_flows", "flow_adjustments", "estimate_period", "flow_array", "independence_fit", "pseudo_bayes",
    "pseudo_bayes_weights", "absolute_net_migration",
    "country_totals", "top_corridors", "region_flows", "global_totals", "compare_net_migration",
    "flow_sensitivity", "perturb_accounts", "FlowSensitivity",
]
