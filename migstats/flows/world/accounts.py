"""Demographic accounts of every country for one five-year period, from the UN's published tables.

The estimators of :mod:`migstats.flows` need, per period, two place of birth x
place of residence stock tables and births and deaths by country of
residence. The UN publishes them in pieces: migrant stocks by destination and
origin (International Migrant Stock 2024, mid-year), total population (the
same release, Table 2) and births and deaths per calendar year (World
Population Prospects 2024). :func:`world_accounts` puts the pieces together
and records every adjustment it makes in :attr:`WorldAccounts.adjustments`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from migstats.errors import InputError, MissingValueError, SpanError, UnknownNameError

__all__ = ["WorldAccounts", "world_accounts", "PERIODS", "parse_period", "end_year_weights"]

#: the periods between the mid-year stock dates of International Migrant Stock 2024
PERIODS = ("1990-1995", "1995-2000", "2000-2005", "2005-2010", "2010-2015", "2015-2020", "2020-2024")
#: M49 code of the UN origin "Others" (place of birth unknown or not attributable)
UNKNOWN_BIRTHPLACE = 2003
#: M49 code of the Channel Islands: a destination in the stock tables; WPP has Guernsey and Jersey
CHANNEL_ISLANDS = {830: (831, 832)}
OTHERS_RULES = ("distribute", "native")


def parse_period(period) -> tuple[str, int, int]:
    """Normalise a period as users write it ("2015-2020", "2015–2020", (2015, 2020)).

    Parameters
    ----------
    period : str or tuple of int
        Mid-year start and end.

    Returns
    -------
    (str, int, int)
        The canonical label ("2015-2020"), start year and end year.

    Raises
    ------
    SpanError
        A period the stock data do not cover (not one of :data:`PERIODS`).

    Examples
    --------
    >>> parse_period("2015 - 2020")
    ('2015-2020', 2015, 2020)
    >>> parse_period((2020, 2024))
    ('2020-2024', 2020, 2024)
    """
    if isinstance(period, (tuple, list)) and len(period) == 2:
        text = f"{period[0]}-{period[1]}"
    else:
        text = str(period)
    found = re.fullmatch(r"\s*(\d{4})\s*[-\u2013/:]\s*(\d{2,4})\s*", text)
    if found:
        start, end = found.groups()
        end = start[:2] + end if len(end) == 2 else end
        label = f"{start}-{end}"
        if label in PERIODS:
            return label, int(start), int(end)
    raise SpanError(f"period {period!r} is not covered by the stock data; choose from {', '.join(PERIODS)}")


def end_year_weights(year_start: int, year_end: int) -> dict[int, float]:
    """Weights of calendar years in the period from 1 July of ``year_start`` to 1 July of ``year_end``.

    Half of each end year falls inside the period (``year_start``: July-December,
    ``year_end``: January-June), every year between wholly; events are assumed
    spread evenly over each calendar year, so ``sum_y w_y x_y`` counts the
    events of the period.

    Parameters
    ----------
    year_start, year_end : int
        Mid-year start and end, ``year_start < year_end``.

    Returns
    -------
    dict
        Calendar year -> weight (0.5 at both ends, 1 between).

    Examples
    --------
    >>> end_year_weights(2020, 2024)
    {2020: 0.5, 2021: 1.0, 2022: 1.0, 2023: 1.0, 2024: 0.5}
    """
    if year_start >= year_end:
        raise SpanError(f"year_start ({year_start}) must be before year_end ({year_end})")
    weights = {year: 1.0 for year in range(year_start, year_end + 1)}
    weights[year_start] = weights[year_end] = 0.5
    return weights


@dataclass(frozen=True)
class WorldAccounts:
    """Stock tables, births and deaths of every country for one period, with the adjustments made.

    Attributes
    ----------
    period : str
        "2015-2020" (mid-year to mid-year).
    stock_start, stock_end : DataFrame
        Place of birth (rows, ISO3 ``pob``) x place of residence (columns,
        ISO3 ``por``), persons; each column sums to the population.
    births, deaths : Series
        Events in the period by country of residence, persons.
    adjustments : DataFrame
        One row per change made to the published numbers: ``period``,
        ``code``, ``adjustment``, ``value`` (persons), ``note``.
    vintages : dict
        Release of every input.
    """

    period: str
    stock_start: pd.DataFrame
    stock_end: pd.DataFrame
    births: pd.Series
    deaths: pd.Series
    adjustments: pd.DataFrame
    vintages: dict = field(default_factory=dict)

    @property
    def codes(self) -> list[str]:
        """ISO3 codes of the countries, in table order."""
        return list(self.stock_start.columns)

    def explain(self) -> str:
        """A plain-text account of what was assembled and every adjustment made.

        Returns
        -------
        str
            One line per kind of adjustment with its count and persons.

        Examples
        --------
        >>> print(world_accounts("2015-2020").explain().splitlines()[0][:40])
        2015-2020: 232 countries and areas; popu
        """
        lines = [f"{self.period}: {len(self.codes)} countries and areas; population "
                 f"{self.stock_start.to_numpy().sum():,.0f} at the start, {self.stock_end.to_numpy().sum():,.0f} "
                 f"at the end; births {self.births.sum():,.0f}, deaths {self.deaths.sum():,.0f}"]
        for kind, rows in self.adjustments.groupby("adjustment", sort=False):
            lines.append(f"  {kind}: {len(rows)} row(s), {rows['value'].abs().sum():,.0f} persons; {rows['note'].iloc[0]}")
        return "\n".join(lines)


def _persons(frame: pd.DataFrame) -> np.ndarray:
    # pint loads scipy: import it only when a table is converted.
    from migstats.units import convert_values

    return np.asarray(convert_values(frame["value"], frame["unit"], "person"), dtype=float)


def _adjustment(rows: list, period: str, code: str, kind: str, value: float, note: str) -> None:
    rows.append({"period": period, "code": code, "adjustment": kind, "value": float(value), "note": note})


def _vital(vital: pd.DataFrame, variable: str, m49: list[int], weights: dict[int, float], label: str) -> np.ndarray:
    """Events of the period by country: sum over calendar years of weight x persons."""
    rows = vital[(vital["variable"] == variable) & vital["year"].isin(weights)]
    rows = rows.assign(persons=_persons(rows) * rows["year"].map(weights))
    table = rows.pivot_table(index="m49", columns="year", values="persons", aggfunc="sum")
    table = table.reindex(index=m49, columns=sorted(weights))
    if table.isna().to_numpy().any():
        i, j = np.argwhere(table.isna().to_numpy())[0]
        raise MissingValueError(f"{variable} for M49 {m49[i]} in {sorted(weights)[j]} missing from the WPP "
                                f"table, needed for {label}")
    return table.to_numpy(dtype=float).sum(axis=1)  # the nullable Int64 years would make it object


def world_accounts(period, *, bilateral: pd.DataFrame | None = None, population: pd.DataFrame | None = None,
                   vital: pd.DataFrame | None = None, countries=None, others: str = "distribute") -> WorldAccounts:
    """Assemble the demographic accounts of every country for one period.

    For countries j (those with a population, births and deaths), year t,
    M[k, j] the migrants born in k living in j, U_j those of unknown
    birthplace and P_j the population::

        S[k, j] = M[k, j] * (1 + U_j / sum_k' M[k', j])    k != j  (others="distribute")
        S[j, j] = P_j - sum over k != j of S[k, j]          (native-born)

    Births and deaths of the period from mid-year t to mid-year t+5 (t+4
    for 2020-2024) are ``sum_y w_y x_y`` over calendar years with half
    weights on the two end years (:func:`end_year_weights`); 2024 comes from
    the WPP medium-variant projection, the only projected year used.

    Choices (Abel & Cohen 2019 are the baseline) and where they differ:

    * **"Others"** (UN origin 2003, and the emigrants of areas left out, see
      below): with ``others="distribute"`` (default) they are shared among
      the known foreign-born of their destination in proportion to those
      stocks, keeping the destination's foreign-born total; with
      ``"native"`` they are dropped from the foreign-born and so counted as
      native-born (they then never move). A destination with unknown-origin
      migrants but no known ones keeps them as native-born either way.
    * **Missing cells**: the UN table lists a pair only where it publishes a
      number; an absent pair (or ``..``) is a stock of 0.
    * **Areas without births and deaths**: WPP has no Channel Islands (M49
      830), whose births and deaths are those of Guernsey (831) plus Jersey
      (832); the Holy See (336) has none at all and is left out (its few
      hundred residents are not in the accounts, its emigrants are treated
      as of unknown birthplace).
    * **Foreign-born above the population** (a negative native-born cell):
      the foreign-born of that column are scaled down to the population and
      the native-born set to 0 (the rule ffs_demo would apply, made here so
      that it is recorded).
    * **Stocks that do not balance**: world population change differs from
      world births minus deaths by a small amount; this gap (recorded per
      period as ``global_balance``) and the differences between birthplace
      totals are reconciled by the estimators (``ffs_demo``'s
      ``match_global`` and birthplace matching), as in Abel & Cohen.

    Parameters
    ----------
    period : str or tuple
        One of :data:`PERIODS`, written as users write it ("2015-2020").
    bilateral, population, vital : DataFrame, optional
        The inputs, default the bundled snapshot:
        :func:`migstats.datasets.official.undesa_bilateral_countries`
        (``orig_m49``, ``dest_m49``, ``year``, ``value``, ``unit``),
        :func:`~migstats.datasets.official.undesa_population_countries`
        (``m49``, ``code``, ``year``, ``value``, ``unit``) and
        :func:`~migstats.datasets.official.wpp_vital` (``m49``, ``year``,
        ``variable`` births/deaths, ``value``, ``unit``).
    countries : list of str, optional
        Restrict the accounts to these countries (ISO3 codes or names);
        the stocks of everyone else are then outside the system: migrants
        from other countries count as of unknown birthplace (see
        ``others``). For small examples and tests.
    others : {"distribute", "native"}
        Treatment of migrants of unknown birthplace.

    Returns
    -------
    WorldAccounts

    Raises
    ------
    SpanError
        A period the data do not cover.
    UnknownNameError
        An unknown ``others`` rule.
    UnknownCountryError
        A name in ``countries`` that is not a country.
    InputError
        A country in ``countries`` missing from one of the inputs (naming
        the input), or migrants exceeding their destination's population
        under a restriction.
    MissingValueError
        Births, deaths or a population missing for a country and year.
    UnitError
        A unit that does not convert to persons.

    Examples
    --------
    >>> acc = world_accounts("2015-2020")
    >>> len(acc.codes) > 200, bool(acc.stock_start.loc["IND", "IND"] > 1e9)
    (True, True)
    """
    label, start, end = parse_period(period)
    if others not in OTHERS_RULES:
        raise UnknownNameError(f"unknown others rule {others!r}; choose from {', '.join(OTHERS_RULES)}")
    if bilateral is None or population is None or vital is None:
        from migstats.datasets import official

        bilateral = official.undesa_bilateral_countries() if bilateral is None else bilateral
        population = official.undesa_population_countries() if population is None else population
        vital = official.wpp_vital() if vital is None else vital
    for frame, what, columns in ((bilateral, "bilateral", ["orig_m49", "dest_m49", "year", "value", "unit"]),
                                 (population, "population", ["m49", "code", "year", "value", "unit"]),
                                 (vital, "vital", ["m49", "year", "variable", "value", "unit"])):
        missing = [c for c in columns if c not in frame.columns]
        if missing:
            raise InputError(f"{what} lacks column(s) {missing}")
    adjustments: list = []

    vital = vital.copy()
    for whole, parts in CHANNEL_ISLANDS.items():
        joined = vital[vital["m49"].isin(parts)]
        if whole not in set(vital["m49"].unique()) and set(joined["m49"].unique()) == set(parts):
            merged = joined.assign(value=_persons(joined)).groupby(["year", "variable"], as_index=False)["value"].sum()
            vital = pd.concat([vital, merged.assign(m49=whole, unit="person")], ignore_index=True)
    has_vital = set(vital.loc[vital["variable"] == "births", "m49"].unique()) & set(vital.loc[vital["variable"] == "deaths", "m49"].unique())
    pop_codes = population.drop_duplicates("m49").set_index("m49")["code"]
    if countries is not None:
        from migstats.countries import iso3_from_name

        wanted = list(dict.fromkeys(iso3_from_name(c) for c in ([countries] if isinstance(countries, str) else countries)))
        by_code = {c: m for m, c in pop_codes.items()}
        for code in wanted:
            if code not in by_code:
                raise InputError(f"country {code} is not in the population table (UN DESA Table 2)")
            if by_code[code] not in has_vital:
                raise InputError(f"country {code} has no births or deaths in the WPP table")
        m49 = [by_code[c] for c in wanted]
    else:
        m49 = [m for m in pop_codes.index if m in has_vital]
        for m, code in pop_codes.items():
            if m not in has_vital:
                _adjustment(adjustments, label, code, "left_out_no_births_deaths", 0.0,
                            "no births or deaths in WPP 2024: left out; its emigrants count as of unknown birthplace")
    for whole, parts in CHANNEL_ISLANDS.items():
        if whole in m49:
            _adjustment(adjustments, label, pop_codes[whole], "births_deaths_from_parts", 0.0,
                        f"births and deaths of M49 {whole} are the sum of M49 {parts[0]} and {parts[1]} (WPP)")
    codes = [pop_codes[m] for m in m49]
    index = {m: i for i, m in enumerate(m49)}
    n = len(m49)

    tables = []
    for year in (start, end):
        pop = population[(population["year"] == year)]
        people = pd.Series(_persons(pop), index=pop["m49"].to_numpy()).groupby(level=0).sum().reindex(m49)
        if people.isna().any():
            raise MissingValueError(f"no population for {codes[int(np.argmax(people.isna()))]} in {year}")
        rows = bilateral[(bilateral["year"] == year) & bilateral["dest_m49"].isin(index)]
        persons = _persons(rows)
        orig = rows["orig_m49"].to_numpy()
        dest = rows["dest_m49"].map(index).to_numpy()
        known = np.isin(orig, m49) & (orig != rows["dest_m49"].to_numpy())
        stock = np.zeros((n, n))
        np.add.at(stock, (pd.Series(orig[known]).map(index).to_numpy(), dest[known]), persons[known])
        # Aggregates other than "Others" (World, regions) would count people twice.
        unknown_rows = ~np.isin(orig, m49) & ((orig < 900) | (orig == UNKNOWN_BIRTHPLACE))
        unknown = np.zeros(n)
        np.add.at(unknown, dest[unknown_rows], persons[unknown_rows])
        foreign = stock.sum(axis=0)
        for j in np.flatnonzero(unknown > 0):
            if others == "distribute" and foreign[j] > 0:
                stock[:, j] *= 1 + unknown[j] / foreign[j]
                _adjustment(adjustments, label, codes[j], f"unknown_birthplace_distributed_{year}", unknown[j],
                            "migrants of unknown birthplace shared among the known foreign-born in proportion")
            else:
                _adjustment(adjustments, label, codes[j], f"unknown_birthplace_native_{year}", unknown[j],
                            "migrants of unknown birthplace counted as native-born")
        people = people.to_numpy()
        native = people - stock.sum(axis=0)
        for j in np.flatnonzero(native < 0):
            _adjustment(adjustments, label, codes[j], f"foreign_born_capped_{year}", native[j],
                        "foreign-born above the population: scaled down to it, native-born set to 0")
            stock[:, j] *= people[j] / stock[:, j].sum()
            native[j] = 0.0
        np.fill_diagonal(stock, native)
        tables.append(pd.DataFrame(stock, index=pd.Index(codes, name="pob"), columns=pd.Index(codes, name="por")))

    weights = end_year_weights(start, end)
    births = pd.Series(_vital(vital, "births", m49, weights, label), index=pd.Index(codes, name="code"), name="births")
    deaths = pd.Series(_vital(vital, "deaths", m49, weights, label), index=pd.Index(codes, name="code"), name="deaths")
    gap = (births.sum() - deaths.sum()) - (tables[1].to_numpy().sum() - tables[0].to_numpy().sum())
    _adjustment(adjustments, label, "", "global_balance", gap,
                "births minus deaths less population change, reconciled on the native-born by the estimators")
    vintages = {k: str(sorted(frame["vintage"].unique())[0]) if "vintage" in frame.columns and len(frame) else "unknown"
                for k, frame in (("bilateral", bilateral), ("population", population), ("vital", vital.dropna(subset=["vintage"]) if "vintage" in vital.columns else vital))}
    return WorldAccounts(period=label, stock_start=tables[0], stock_end=tables[1], births=births, deaths=deaths,
                         adjustments=pd.DataFrame(adjustments, columns=["period", "code", "adjustment", "value", "note"]),
                         vintages=vintages)
