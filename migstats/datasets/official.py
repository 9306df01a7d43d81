"""Loaders of the bundled snapshot of official series (data/official/).

The snapshot is built by ``tools/build_snapshot.py`` with the readers of
:mod:`migstats.readers`; each table is described (columns, types, units,
sources, licence and vintage) by its resource in ``datapackage.json``. Every
loader returns a tidy DataFrame validated against and typed from that
schema. Every row names its ``source`` (the source id of the descriptor) and
``vintage`` in columns, so provenance survives merges and concatenation;
``df.attrs`` adds ``resource``, ``title``, the full citation (``source``),
``licence`` and ``path``.
"""

from __future__ import annotations

import pandas as pd

from ..errors import UnknownNameError
from ._paths import data_dir
from .schema import descriptor, read_table, resource_descriptor, resource_names

__all__ = [
    "wdi_remittances",
    "knomad_inflows",
    "undesa_stock",
    "undesa_bilateral_regions",
    "undesa_population_regions",
    "undesa_bilateral_countries",
    "undesa_population_countries",
    "wpp_vital",
    "un_regions",
    "oecd_inflows",
    "official_resource",
]

def official_resource(name: str) -> dict:
    """The datapackage.json entry of a snapshot resource.

    Raises
    ------
    UnknownNameError
        If there is no resource of that name.
    """
    if name not in resource_names():
        raise UnknownNameError(f"no resource {name!r} in datapackage.json")
    return resource_descriptor(name)


def _load(name: str) -> pd.DataFrame:
    """Read and validate one snapshot table against its schema, with its provenance in attrs."""
    resource = official_resource(name)
    frame = read_table(name)
    # in these tables an empty text cell means "none" (no flag, no region), not unknown
    for field in resource["schema"]["fields"]:
        if field["type"] == "string":
            frame[field["name"]] = frame[field["name"]].fillna("")
    sources = {s["id"]: s for s in descriptor().get("sources", [])}
    frame.attrs.update(
        {
            "source": "; ".join(sources[s]["citation"] if s in sources else s for s in resource.get("sources", [])),
            "vintage": resource.get("vintage"),
            "path": str(data_dir() / resource["path"]),
        }
    )
    return frame


def _choose(value: str, options: dict, what: str) -> str:
    if value not in options:
        raise UnknownNameError(f"unknown {what} {value!r}; choose from {', '.join(map(repr, options))}")
    return options[value]


def wdi_remittances(measure: str = "usd") -> pd.DataFrame:
    """WDI personal remittances received, all economies and aggregates (vintage 2025).

    Parameters
    ----------
    measure : {"usd", "pct_gdp"}
        ``usd``: BX.TRF.PWKR.CD.DT in current US$ (unit ``USD``), with
        ``region`` and ``income_group``; ``pct_gdp``: BX.TRF.PWKR.DT.GD.ZS,
        remittances as a percentage of the recipient's own GDP (base: GDP of
        the same economy and year).

    Returns
    -------
    DataFrame
        code, name, year, value, unit, is_aggregate[, region, income_group].
    """
    return _load(_choose(measure, {"usd": "official-wdi-remittances-usd", "pct_gdp": "official-wdi-remittances-pct-gdp"}, "measure"))


def knomad_inflows() -> pd.DataFrame:
    """World Bank / KNOMAD migrant remittance inflows, 2017 edition (US$ million).

    Returns
    -------
    DataFrame
        code, name, year, value, unit (``million USD``), flags (``p`` for the
        2017 projection; ``z`` for a published zero, which in this edition
        often stands for missing data), is_aggregate (the World row, WLD),
        source, vintage.
    """
    return _load("official-knomad-inflows-2017")


def undesa_stock(by: str = "destination") -> pd.DataFrame:
    """UN DESA International Migrant Stock 2024, both sexes, 1990-2024.

    Parameters
    ----------
    by : {"destination", "origin"}
        ``destination``: migrants living in the area; ``origin``: migrants
        born in the area and living abroad. They are different series.

    Returns
    -------
    DataFrame
        code (ISO3, or the M49 code as text for regions), m49, name, year,
        value (persons), unit, flags (UN data-type codes), coverage_note,
        is_aggregate.
    """
    return _load(_choose(by, {"destination": "official-undesa-stock-destination", "origin": "official-undesa-stock-origin"}, "by"))


def undesa_bilateral_regions() -> pd.DataFrame:
    """UN DESA migrant stock by region of birth x region of residence, both sexes, 1990-2024.

    The six geographic regions (M49 903 AFRICA, 935 ASIA, 908 EUROPE, 904
    LATIN AMERICA AND THE CARIBBEAN, 905 NORTHERN AMERICA, 909 OCEANIA) as
    origin and destination, plus the origin 2003 "Others" (birthplace unknown
    or not attributable), so that the seven origins of a destination add up
    to its published World total. A region-to-itself cell counts migrants
    between countries of that region; people living in their country of
    birth are not in the table.

    Returns
    -------
    DataFrame
        orig_code, orig_m49, orig_name, dest_code, dest_m49, dest_name, year,
        value (persons), unit. Codes are the M49 codes as text.
    """
    return _load("official-undesa-bilateral-regions")


def undesa_population_regions() -> pd.DataFrame:
    """Total population of the six geographic regions, both sexes, 1990-2024 (UN DESA 2024).

    From Table 2 of the workbook by destination, published in thousands and
    converted to persons (value = thousands x 1000).

    Returns
    -------
    DataFrame
        code, m49, name, year, value (persons), unit.
    """
    return _load("official-undesa-population-regions")


def undesa_bilateral_countries() -> pd.DataFrame:
    """UN DESA migrant stock by country of birth x country of residence, both sexes, 1990-2024.

    Every published cell whose destination and origin are countries or
    areas, plus the origin 2003 "Others" (birthplace unknown or not
    attributable); they add up to each destination's World total. An
    unpublished pair has no row.

    Returns
    -------
    DataFrame
        orig_code, orig_m49, dest_code, dest_m49, year, value (persons), unit,
        source, vintage.

    Examples
    --------
    >>> df = undesa_bilateral_countries()
    >>> int(df.loc[(df.orig_code == "MEX") & (df.dest_code == "USA") & (df.year == 2020), "value"].iloc[0]) > 10_000_000
    True
    """
    return _load("official-undesa-bilateral-countries")


def undesa_population_countries() -> pd.DataFrame:
    """Total population of every country or area, both sexes, mid-year 1990-2024 (UN DESA 2024, Table 2).

    Returns
    -------
    DataFrame
        code, m49, name, year, value (persons; published in thousands), unit,
        source, vintage.

    Examples
    --------
    >>> df = undesa_population_countries()
    >>> [int(y) for y in sorted(set(df["year"]))[:2]]
    [1990, 1995]
    """
    return _load("official-undesa-population-countries")


def wpp_vital() -> pd.DataFrame:
    """WPP 2024 births, deaths and net migration per calendar year, countries and areas, 1990-2024.

    Values as published, in thousands (unit ``thousand person``); 2024
    births and deaths are the medium-variant projection (flag ``p``).

    Returns
    -------
    DataFrame
        code, m49, year, variable (births, deaths, net_migration), value,
        unit, flags, source, vintage.

    Examples
    --------
    >>> df = wpp_vital()
    >>> sorted(set(df["variable"]))
    ['births', 'deaths', 'net_migration']
    """
    return _load("official-wpp-vital")


def un_regions() -> pd.DataFrame:
    """Geographic region, sub-region and SDG region of every country or area (UN location list).

    Returns
    -------
    DataFrame
        code, m49, name, region_m49, region, subregion_m49, subregion,
        sdg_region_m49, sdg_region, source, vintage.

    Examples
    --------
    >>> un_regions().set_index("code").loc["DEU", "region"]
    'Europe'
    """
    return _load("official-un-regions")


def oecd_inflows(series: str = "national") -> pd.DataFrame:
    """OECD inflows of foreign population.

    Parameters
    ----------
    series : {"national", "standardised"}
        ``national``: International Migration Database, national definitions,
        2000-2023, 38 countries; ``standardised``: standardised inflows of
        permanent-type migrants by category (no total row: sum the
        categories), 2014-2024, 29 countries.

    Returns
    -------
    DataFrame
        code, name, year, [migration_type, migration_type_label,] value
        (persons), unit, flags (OBS_STATUS).
    """
    return _load(_choose(series, {"national": "official-oecd-inflows-national", "standardised": "official-oecd-inflows-standardised"}, "series"))
