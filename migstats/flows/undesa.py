"""Birthplace x residence stock tables of world regions from UN DESA migrant stock and population.

The bundled tables :func:`migstats.datasets.official.undesa_bilateral_regions`
(migrants by region of birth x region of residence) and
:func:`migstats.datasets.official.undesa_population_regions` (total
population by region) hold what :func:`migstats.flows.ffs_demo` needs,
except the people living in their own region of birth, which are derived
here as the remainder of the population.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from migstats._deprecation import changed_arguments
from migstats.errors import EmptyTableError, InputError, MissingValueError, SpanError
from migstats.flows._common import matrix_frame

__all__ = ["region_stock_tables", "natural_change_by_birthplace"]

_BILATERAL = ["orig_m49", "dest_m49", "year", "value", "unit"]
_POPULATION = ["m49", "name", "year", "value", "unit"]


def _require(frame: pd.DataFrame, columns: list[str], what: str) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise InputError(f"{what} must be a DataFrame, got {type(frame).__name__}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(f"{what} lacks column(s) {missing}")
    if frame.empty:
        raise EmptyTableError(f"{what} has no rows")


def _stocks_in_year(bilateral: pd.DataFrame, population: pd.DataFrame, year: int) -> pd.DataFrame:
    # pint pulls in scipy: import it only here, so that importing migstats.flows stays light.
    from migstats.units import convert_values

    pop = population[population["year"] == year]
    if pop.empty:
        raise InputError(f"no population for year {year}; years available: {sorted(set(population['year']))}")
    if pop["m49"].duplicated().any():
        raise InputError(f"population has more than one row for region {pop['m49'][pop['m49'].duplicated()].iloc[0]} "
                         f"in {year}")
    codes = list(pop["m49"])
    names = list(pop["name"])
    people = convert_values(pop["value"], pop["unit"], "person")
    if np.isnan(people).any():
        raise MissingValueError(f"no population for {names[int(np.argmax(np.isnan(people)))]!r} in {year}")

    mig = bilateral[bilateral["year"] == year]
    mig = mig.assign(value=convert_values(mig["value"], mig["unit"], "person"))
    extra = sorted(set(mig["dest_m49"]) - set(codes))
    if extra:
        raise InputError(f"bilateral has destination(s) {extra} in {year} without a population")
    mig = mig[mig["orig_m49"].isin(codes)]
    if mig.duplicated(["orig_m49", "dest_m49"]).any():
        raise InputError(f"bilateral has more than one row for an origin x destination pair in {year}")
    table = mig.pivot(index="orig_m49", columns="dest_m49", values="value").reindex(index=codes, columns=codes)
    values = table.to_numpy(dtype=float, copy=True)
    off = ~np.eye(len(codes), dtype=bool)
    gaps = np.isnan(values) & off
    if gaps.any():
        i, j = np.argwhere(gaps)[0]
        raise MissingValueError(f"no migrant stock for birthplace {names[i]!r}, residence {names[j]!r} in {year}")
    values[~off] = 0.0
    native = people - values.sum(axis=0)
    if np.any(native < 0):
        j = int(np.argmax(native < 0))
        raise InputError(f"{names[j]} in {year}: migrants born in the other regions ({values[:, j].sum():,.0f}) "
                         f"exceed the population ({people[j]:,.0f})")
    np.fill_diagonal(values, native)
    return matrix_frame(values, names, names, "pob", "por")


@changed_arguments(renamed={"start": "year_start", "end": "year_end"})
def region_stock_tables(bilateral: pd.DataFrame, population: pd.DataFrame, year_start: int,
                        year_end: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Place of birth x place of residence stock tables of regions at two dates, for :func:`ffs_demo`.

    For regions j (those of ``population``) and year t, with M[k, j] the
    migrants born in region k living in region j and P_j the total
    population of j::

        S[k, j] = M[k, j]                          for k != j
        S[j, j] = P_j - sum over k != j of M[k, j]

    so every column sums to the population, ``sum_k S[k, j] = P_j``, and the
    diagonal counts the people born in and living in region j.

    Assumptions, owing to the level of aggregation and to what the tables hold:

    * migrants between countries of the same region (M[j, j], e.g. Africa-born
      living in another African country) count as born in and living in the
      region, i.e. they are stayers at this level: their moves are invisible;
    * migrants whose birthplace is unknown or not attributable (UN origin
      "Others", M49 2003) and any origin that is not one of the regions are
      counted in the diagonal of the region where they live, as if born there;
    * the tables contain no births and deaths, so the row totals (people born
      in a region, alive) differ between the two dates by natural change;
      give :func:`ffs_demo` that change with
      :func:`natural_change_by_birthplace` (see there why), or its birthplace
      matching will read differences in population growth as migration.

    Parameters
    ----------
    bilateral : DataFrame
        Long table with ``orig_m49``, ``dest_m49``, ``year``, ``value``,
        ``unit``, as from
        :func:`migstats.datasets.official.undesa_bilateral_regions`. Rows whose
        origin is not a region of ``population`` are not used: the formula
        puts those people on the diagonal.
    population : DataFrame
        Long table with ``m49``, ``name``, ``year``, ``value``, ``unit``, as from
        :func:`migstats.datasets.official.undesa_population_regions`; its
        regions (in its order) are the rows and columns of the result.
    year_start, year_end : int
        The two years; ``year_start < year_end``.

    Returns
    -------
    (DataFrame, DataFrame)
        Stocks at ``year_start`` and ``year_end`` in persons, rows ``pob`` and columns
        ``por`` labelled by the region names of ``population``.

    Raises
    ------
    SpanError
        ``year_start >= year_end``.
    InputError
        A missing column, a year without data, a destination without a
        population, duplicated rows, or migrants exceeding a population.
    EmptyTableError
        An empty table.
    MissingValueError
        A missing migrant stock between two regions, or a missing population.
    UnitError
        A unit that does not convert to persons.

    See Also
    --------
    natural_change_by_birthplace : the births and deaths to pass with these tables.
    ffs_demo : flows between the two tables.
    migstats.datasets.official.undesa_bilateral_regions, migstats.datasets.official.undesa_population_regions

    References
    ----------
    .. [1] Abel, G. J., & Cohen, J. E. (2019). Bilateral international
       migration flow estimates for 200 countries. Scientific Data 6, 82
       (native-born stocks as the remainder of the population, Methods).

    Examples
    --------
    Two regions: 10 people born in region 1 live in region 2 in 2015, 12 in
    2020; the native-born are the rest of each population.

    >>> import pandas as pd
    >>> bilateral = pd.DataFrame({"orig_m49": [1, 2, 1, 2], "dest_m49": [2, 1, 2, 1],
    ...                           "year": [2015, 2015, 2020, 2020], "value": [10, 5, 12, 5],
    ...                           "unit": "person"})
    >>> population = pd.DataFrame({"m49": [1, 2, 1, 2], "name": ["One", "Two"] * 2,
    ...                            "year": [2015, 2015, 2020, 2020], "value": [100, 50, 100, 52],
    ...                            "unit": "person"})
    >>> s1, s2 = region_stock_tables(bilateral, population, 2015, 2020)
    >>> s2  # doctest: +NORMALIZE_WHITESPACE
    por    One   Two
    pob
    One   95.0  12.0
    Two    5.0  40.0
    """
    _require(bilateral, _BILATERAL, "bilateral")
    _require(population, _POPULATION, "population")
    if year_start >= year_end:
        raise SpanError(f"year_start ({year_start}) must be before year_end ({year_end})")
    return _stocks_in_year(bilateral, population, year_start), _stocks_in_year(bilateral, population, year_end)


def natural_change_by_birthplace(stock_start: pd.DataFrame, stock_end: pd.DataFrame) -> pd.Series:
    """Change in the number of people born in each region: end row total minus start row total.

    ``n_k = sum_j S2[k, j] - sum_j S1[k, j]``. When the regions cover the
    world, moves between them shift people between columns, never between
    rows, so ``n_k`` equals births in region k minus deaths of people born
    in k (wherever they died): their natural change, as far as the two
    tables are consistent.

    :func:`ffs_demo` takes births and deaths as non-negative counts, so pass
    the increase and the decrease separately::

        births, deaths = n.clip(lower=0), (-n).clip(lower=0)
        ffs_demo(stock_start, stock_end, births=births, deaths=deaths, death_method="accounting")

    A natural increase is then taken off the native-born cell S2[k, k]
    (``birth_method="native"``). A natural decrease is taken off the start
    table: death accounting fits deaths by birthplace x residence to the
    birthplace totals ``S1[k, .] + births_k - S2[k, .] = deaths_k`` and the
    residence totals ``deaths``, so with a single region in decline all its
    deaths come off S1[k, k] (with several, IPF spreads them over the cells
    among those regions). Every death of a k-born person, migrants'
    included, is thus counted in region k; the adjusted tables have equal
    birthplace totals and only the changes in where people live are left to
    be explained by moves.

    Without it, :func:`ffs_demo` must reconcile the birthplace totals itself:
    ``"rescale"`` keeps each table's residence totals, so a region that grows
    faster by natural increase is fitted with immigration from everywhere
    (2015-2020: about 42 million Asia-born and 38 million Europe-born
    "moving" to Africa); ``"open"`` spreads each birthplace's growth over all
    its residence cells, diaspora included, and so explains away emigration
    (no moves out of Africa at all).

    Parameters
    ----------
    stock_start, stock_end : DataFrame
        Place of birth (rows) x residence (columns) tables with the same
        labels, e.g. from :func:`region_stock_tables`; persons.

    Returns
    -------
    pandas.Series
        Persons by place of birth (index of ``stock_start``).

    Raises
    ------
    InputError
        Tables that are not DataFrames or whose row labels differ.

    See Also
    --------
    region_stock_tables, ffs_demo

    Examples
    --------
    >>> import pandas as pd
    >>> r = ["One", "Two"]
    >>> s1 = pd.DataFrame([[90, 10], [5, 40]], index=r, columns=r)
    >>> s2 = pd.DataFrame([[95, 12], [5, 40]], index=r, columns=r)
    >>> natural_change_by_birthplace(s1, s2).tolist()
    [7, 0]
    """
    if not isinstance(stock_start, pd.DataFrame) or not isinstance(stock_end, pd.DataFrame):
        raise InputError("stock_start and stock_end must be DataFrames (place of birth x residence)")
    if list(stock_start.index) != list(stock_end.index):
        raise InputError(f"the tables have different places of birth: {list(stock_start.index)} vs "
                         f"{list(stock_end.index)}")
    return stock_end.sum(axis=1) - stock_start.sum(axis=1)
