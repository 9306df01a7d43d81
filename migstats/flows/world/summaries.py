"""Summaries of a global flow table: per country, per corridor, per region, per period.

Every function takes the long table of :func:`~migstats.flows.world.global_flows`
(``period``, ``orig``, ``dest``, ``flow``, ``method``) and returns a new long
table; the input is never changed. Units: persons; shares are fractions.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from migstats.errors import InputError, UnknownNameError

__all__ = ["country_totals", "top_corridors", "region_flows", "global_totals", "compare_net_migration"]

_FLOW_COLUMNS = ["period", "orig", "dest", "flow", "method"]
REGION_LEVELS = {"region": "region", "subregion": "subregion", "sdg": "sdg_region"}


def _check(data: pd.DataFrame) -> None:
    if not isinstance(data, pd.DataFrame):
        raise InputError(f"data must be a DataFrame from global_flows, got {type(data).__name__}")
    missing = [c for c in _FLOW_COLUMNS if c not in data.columns]
    if missing:
        raise InputError(f"data lacks column(s) {missing}; expected the table of global_flows")


def country_totals(data: pd.DataFrame) -> pd.DataFrame:
    """Immigration, emigration and net migration per country, period and method.

    ``immigration_j = sum_i flow[i, j]``, ``emigration_i = sum_j flow[i, j]``,
    ``net = immigration - emigration`` (persons; moves between countries
    within the table only).

    Parameters
    ----------
    data : DataFrame
        The table of :func:`global_flows`.

    Returns
    -------
    DataFrame
        ``period``, ``method``, ``code``, ``immigration``, ``emigration``,
        ``net`` (persons).

    Examples
    --------
    >>> flows = pd.DataFrame({"period": "2015-2020", "orig": ["A", "B"], "dest": ["B", "A"],
    ...                       "flow": [10.0, 4.0], "method": "m"})
    >>> country_totals(flows)[["code", "immigration", "emigration", "net"]].to_dict("records")
    [{'code': 'A', 'immigration': 4.0, 'emigration': 10.0, 'net': -6.0}, {'code': 'B', 'immigration': 10.0, 'emigration': 4.0, 'net': 6.0}]
    """
    _check(data)
    keys = ["period", "method"]
    inflow = data.groupby(keys + ["dest"], sort=True)["flow"].sum().rename_axis(keys + ["code"]).rename("immigration")
    outflow = data.groupby(keys + ["orig"], sort=True)["flow"].sum().rename_axis(keys + ["code"]).rename("emigration")
    out = pd.concat([inflow, outflow], axis=1).fillna(0.0).reset_index()
    out["net"] = out["immigration"] - out["emigration"]
    out.attrs["unit"] = "person"
    return out


def top_corridors(data: pd.DataFrame, *, top: int = 10) -> pd.DataFrame:
    """The largest flows (corridors) of each period and method.

    Parameters
    ----------
    data : DataFrame
        The table of :func:`global_flows`.
    top : int
        How many corridors per period and method.

    Returns
    -------
    DataFrame
        ``period``, ``method``, ``rank`` (1 = largest), ``orig``, ``dest``,
        ``flow`` (persons); ties ordered by origin then destination.

    Examples
    --------
    >>> flows = pd.DataFrame({"period": "2015-2020", "orig": ["A", "B", "C"], "dest": ["B", "A", "A"],
    ...                       "flow": [10.0, 4.0, 7.0], "method": "m"})
    >>> top_corridors(flows, top=2)[["rank", "orig", "flow"]].to_dict("records")
    [{'rank': 1, 'orig': 'A', 'flow': 10.0}, {'rank': 2, 'orig': 'C', 'flow': 7.0}]
    """
    _check(data)
    if isinstance(top, bool) or not isinstance(top, (int, np.integer)) or top < 1:
        raise InputError(f"top must be a positive whole number, got {top!r}")
    ordered = data.sort_values(["period", "method", "flow", "orig", "dest"], ascending=[True, True, False, True, True],
                               kind="stable")
    out = ordered.groupby(["period", "method"], sort=False).head(top).copy()
    out["rank"] = out.groupby(["period", "method"]).cumcount() + 1
    out = out[["period", "method", "rank", "orig", "dest", "flow"]].reset_index(drop=True)
    out.attrs["unit"] = "person"
    return out


def region_flows(data: pd.DataFrame, *, level: str = "region", regions: pd.DataFrame | None = None,
                 within: bool = False) -> pd.DataFrame:
    """Flows between regions, summed from the country table.

    ``flow[R, S] = sum over i in R, j in S of flow[i, j]``.

    Parameters
    ----------
    data : DataFrame
        The table of :func:`global_flows`.
    level : {"region", "subregion", "sdg"}
        UN geographic regions, sub-regions or SDG regions.
    regions : DataFrame, optional
        ``code`` and the level's column; default
        :func:`migstats.datasets.official.un_regions`.
    within : bool
        Keep moves between countries of the same region (``orig == dest``
        in the result).

    Returns
    -------
    DataFrame
        ``period``, ``method``, ``orig``, ``dest`` (region names), ``flow``
        (persons).

    Raises
    ------
    UnknownNameError
        An unknown level.
    InputError
        A country without a region.

    Examples
    --------
    >>> flows = pd.DataFrame({"period": "2015-2020", "orig": ["MEX", "DEU", "FRA"],
    ...                       "dest": ["USA", "FRA", "USA"], "flow": [5.0, 2.0, 1.0], "method": "m"})
    >>> region_flows(flows)[["orig", "dest", "flow"]].to_dict("records")
    [{'orig': 'Europe', 'dest': 'Northern America', 'flow': 1.0}, {'orig': 'Latin America and the Caribbean', 'dest': 'Northern America', 'flow': 5.0}]
    """
    _check(data)
    if level not in REGION_LEVELS:
        raise UnknownNameError(f"unknown region level {level!r}; choose from {', '.join(REGION_LEVELS)}")
    column = REGION_LEVELS[level]
    if regions is None:
        from migstats.datasets.official import un_regions

        regions = un_regions()
    lookup = regions.drop_duplicates("code").set_index("code")[column]
    orig, dest = data["orig"].map(lookup), data["dest"].map(lookup)
    for side, mapped in (("orig", orig), ("dest", dest)):
        if mapped.isna().any():
            raise InputError(f"country {data[side][mapped.isna()].iloc[0]!r} ({side}) has no {level} in the region table")
    frame = data.assign(orig=orig, dest=dest)
    if not within:
        frame = frame[frame["orig"] != frame["dest"]]
    out = frame.groupby(["period", "method", "orig", "dest"], as_index=False, sort=True)["flow"].sum()
    out.attrs["unit"] = "person"
    return out


def global_totals(data: pd.DataFrame, *, population: pd.DataFrame | None = None) -> pd.DataFrame:
    """Total moves per period and method, in persons and as a share of world population.

    ``share = sum of flows / world population at the start of the period``
    (mid-year; the sum of the countries in the table, from
    :func:`migstats.datasets.official.undesa_population_countries`).

    Parameters
    ----------
    data : DataFrame
        The table of :func:`global_flows`.
    population : DataFrame, optional
        ``code``, ``year``, ``value``, ``unit``; default the bundled table.

    Returns
    -------
    DataFrame
        ``period``, ``method``, ``flow`` (persons), ``population`` (persons),
        ``share`` (fraction of ``population``).

    Examples
    --------
    >>> flows = pd.DataFrame({"period": "2015-2020", "orig": ["A", "B"], "dest": ["B", "A"],
    ...                       "flow": [10.0, 5.0], "method": "m"})
    >>> pop = pd.DataFrame({"code": ["A", "B"], "year": 2015, "value": [600.0, 400.0], "unit": "person"})
    >>> global_totals(flows, population=pop)[["flow", "share"]].to_dict("records")
    [{'flow': 15.0, 'share': 0.015}]
    """
    from migstats.units import convert_values

    _check(data)
    if population is None:
        from migstats.datasets.official import undesa_population_countries

        population = undesa_population_countries()
    codes = set(data["orig"].unique()) | set(data["dest"].unique())
    pop = population[population["code"].isin(codes)]
    pop = pop.assign(value=convert_values(pop["value"], pop["unit"], "person")).groupby("year")["value"].sum()
    out = data.groupby(["period", "method"], as_index=False, sort=True)["flow"].sum()
    start = out["period"].str.slice(0, 4).astype(int)
    if not start.isin(pop.index).all():
        raise InputError(f"no population for the start year {int(start[~start.isin(pop.index)].iloc[0])}")
    out["population"] = start.map(pop).to_numpy()
    out["share"] = out["flow"] / out["population"]
    out.attrs["unit"] = "person"
    return out


def compare_net_migration(data: pd.DataFrame, *, vital: pd.DataFrame | None = None) -> pd.DataFrame:
    """Net migration per country from the flows against WPP 2024 net migration for the same period.

    WPP net migration of the period is ``sum_y w_y m_y`` over calendar
    years with half weights on the two end years (as births and deaths in
    :func:`world_accounts`); for 2020-2024 the 2024 half-year is missing
    (WPP estimates end in 2023), so 2020-2024 uses 2020 (half), 2021-2023
    and is marked in ``wpp_years``.

    Parameters
    ----------
    data : DataFrame
        The table of :func:`global_flows`.
    vital : DataFrame, optional
        The bundled :func:`migstats.datasets.official.wpp_vital` by default.

    Returns
    -------
    DataFrame
        ``period``, ``method``, ``code``, ``net`` (from the flows),
        ``wpp_net``, ``difference`` (net - wpp_net), persons; ``wpp_years``.
        attrs ``correlation``: Pearson correlation of ``net`` and
        ``wpp_net`` per (period, method).

    Examples
    --------
    >>> from migstats.flows import global_flows
    >>> flows = global_flows("2015-2020", method="da_min_closed")
    >>> cmp = compare_net_migration(flows)
    >>> cmp.attrs["correlation"][("2015-2020", "da_min_closed")] > 0.5
    True
    """
    from migstats.flows.world.accounts import end_year_weights, parse_period
    from migstats.units import convert_values

    _check(data)
    if vital is None:
        from migstats.datasets.official import wpp_vital

        vital = wpp_vital()
    net = vital[vital["variable"] == "net_migration"]
    net = net.assign(persons=convert_values(net["value"], net["unit"], "person"))
    totals = country_totals(data)
    frames = []
    years = set(net["year"].unique())
    for period in sorted(totals["period"].unique()):
        _, start, end = parse_period(period)
        weights = {y: w for y, w in end_year_weights(start, end).items() if y in years}
        rows = net[net["year"].isin(weights)]
        wpp = (rows["persons"] * rows["year"].map(weights)).groupby(rows["code"]).sum()
        part = totals[totals["period"] == period]
        frames.append(part.assign(wpp_net=part["code"].map(wpp),
                                  wpp_years=f"{min(weights)}-{max(weights)}" + ("" if max(weights) == end else " (incomplete)")))
    out = pd.concat(frames, ignore_index=True).dropna(subset=["wpp_net"])
    out["difference"] = out["net"] - out["wpp_net"]
    out = out[["period", "method", "code", "net", "wpp_net", "difference", "wpp_years"]]
    out.attrs["unit"] = "person"
    out.attrs["correlation"] = {key: float(np.corrcoef(g["net"], g["wpp_net"])[0, 1])
                                for key, g in out.groupby(["period", "method"])}
    return out

