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

from .._deprecation import changed_arguments
from .._docstrings import fill_doc
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
    "official_tables",
]

def official_resource(name: str) -> dict:
    """The datapackage.json entry of a snapshot resource.

    Parameters
    ----------
    name : str
        The resource name (``official-...``).

    Returns
    -------
    dict
        Its entry: ``path``, ``schema``, ``sources``, ``vintage`` ...

    Raises
    ------
    UnknownNameError
        If there is no resource of that name.

    See Also
    --------
    migstats.datasets.schema.resource_descriptor : any resource's entry.

    Examples
    --------
    >>> official_resource("official-knomad-inflows-2017")["path"]
    'official/knomad_inflows_2017.csv'
    """
    if name not in resource_names():
        raise UnknownNameError(f"no resource {name!r} in datapackage.json")
    return resource_descriptor(name)


def _load(name: str, source="bundled") -> pd.DataFrame:
    """Read and validate one snapshot table against its schema, with its provenance in attrs."""
    if source != "bundled":
        from ..catalog import official_table

        return official_table(name, source)
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


@fill_doc
@changed_arguments(renamed={"measure": "series"}, positional=("measure",))
def wdi_remittances(*, series: str = "usd", source="bundled") -> pd.DataFrame:
    """WDI personal remittances received, all economies and aggregates (vintage 2025).

    Parameters
    ----------
    series : {"usd", "pct_gdp"}
        ``usd``: BX.TRF.PWKR.CD.DT in current US$ (unit ``USD``), with
        ``region`` and ``income_group``; ``pct_gdp``: BX.TRF.PWKR.DT.GD.ZS,
        remittances as a percentage of the recipient's own GDP (base: GDP of
        the same economy and year).
    %(official_source)s

    Returns
    -------
    DataFrame
        code, name, year, value, unit, is_aggregate[, region, income_group].

    Raises
    ------
    %(unknown_series)s

    See Also
    --------
    knomad_inflows : migrant remittances, the report's (wider) concept.

    Examples
    --------
    >>> wdi = wdi_remittances(series="usd")
    >>> wdi.attrs["vintage"], sorted(wdi["unit"].unique())
    ('2025-07-01', ['USD'])
    """
    return _load(_choose(series, {"usd": "official-wdi-remittances-usd",
                                  "pct_gdp": "official-wdi-remittances-pct-gdp"}, "series"), source)


@fill_doc
def knomad_inflows(*, source="bundled") -> pd.DataFrame:
    """World Bank / KNOMAD migrant remittance inflows, 2017 edition (US$ million).

    Parameters
    ----------
    %(official_source)s

    Returns
    -------
    DataFrame
        code, name, year, value, unit (``million USD``), flags (``p`` for the
        2017 projection; ``z`` for a published zero, which in this edition
        often stands for missing data), is_aggregate (the World row, WLD),
        source, vintage.

    See Also
    --------
    wdi_remittances : personal remittances, a narrower concept.

    Examples
    --------
    >>> india = knomad_inflows().query("code == 'IND' and year == 2008")
    >>> round(float(india["value"].iloc[0]), 1), india["unit"].iloc[0]
    (49977.3, 'million USD')
    """
    return _load("official-knomad-inflows-2017", source)


@fill_doc
@changed_arguments(renamed={"by": "series"}, positional=("by",))
def undesa_stock(*, series: str = "destination", source="bundled") -> pd.DataFrame:
    """UN DESA International Migrant Stock 2024, both sexes, 1990-2024.

    Parameters
    ----------
    series : {"destination", "origin"}
        ``destination``: migrants living in the area; ``origin``: migrants
        born in the area and living abroad. They are different series.
    %(official_source)s

    Returns
    -------
    DataFrame
        code (ISO3, or the M49 code as text for regions), m49, name, year,
        value (persons), unit, flags (UN data-type codes), coverage_note,
        is_aggregate.

    Raises
    ------
    %(unknown_series)s

    See Also
    --------
    undesa_bilateral_regions : region of birth x region of residence.

    Examples
    --------
    >>> world = undesa_stock(series="origin").query("code == '900' and year == 2005")
    >>> int(world["value"].iloc[0])
    192788721
    """
    return _load(_choose(series, {"destination": "official-undesa-stock-destination",
                                  "origin": "official-undesa-stock-origin"}, "series"), source)


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

    See Also
    --------
    undesa_population_regions : the regions' total population.

    Examples
    --------
    >>> sorted(undesa_bilateral_regions()["orig_code"].unique())
    ['2003', '903', '904', '905', '908', '909', '935']
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

    See Also
    --------
    undesa_bilateral_regions : migrant stocks between the regions.

    Examples
    --------
    >>> len(set(undesa_population_regions()["code"]))
    6
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


@fill_doc
@changed_arguments(positional=("series",))
def oecd_inflows(*, series: str = "national", source="bundled") -> pd.DataFrame:
    """OECD inflows of foreign population.

    Parameters
    ----------
    series : {"national", "standardised"}
        ``national``: International Migration Database, national definitions,
        2000-2023, 38 countries; ``standardised``: standardised inflows of
        permanent-type migrants by category (no total row: sum the
        categories), 2014-2024, 29 countries.
    %(official_source)s

    Returns
    -------
    DataFrame
        code, name, year, [migration_type, migration_type_label,] value
        (persons), unit, flags (OBS_STATUS).

    Raises
    ------
    %(unknown_series)s

    See Also
    --------
    migstats.oecd_flows : the report's national and OECD figures side by side.

    Examples
    --------
    >>> jpn = oecd_inflows(series="national").query("code == 'JPN' and year == 2006")
    >>> jpn["unit"].iloc[0]
    'person'
    """
    return _load(_choose(series, {"national": "official-oecd-inflows-national",
                                  "standardised": "official-oecd-inflows-standardised"}, "series"), source)


def official_tables(*, source="bundled") -> dict[str, pd.DataFrame]:
    """Every official table, by the key :func:`migstats.datasets.report.counterparts` uses.

    Parameters
    ----------
    source : {"bundled", "latest"}
        ``bundled`` (default): the snapshot, offline; ``latest``: every table
        from the newest release, fetched or reused from the cache
        (:func:`migstats.fetch`; offline, from the cache only).

    Returns
    -------
    dict of str to pandas.DataFrame
        ``knomad``, ``wdi_usd``, ``wdi_pct``, ``un_dest``, ``un_orig``,
        ``oecd_national`` and ``oecd_standardised``, as the loaders of this
        module return them.

    See Also
    --------
    migstats.analysis.reconcile : compares the report's figures with these tables.

    Examples
    --------
    >>> sorted(official_tables())
    ['knomad', 'oecd_national', 'oecd_standardised', 'un_dest', 'un_orig', 'wdi_pct', 'wdi_usd']
    """
    return {
        "knomad": knomad_inflows(source=source),
        "wdi_usd": wdi_remittances(series="usd", source=source),
        "wdi_pct": wdi_remittances(series="pct_gdp", source=source),
        "un_dest": undesa_stock(series="destination", source=source),
        "un_orig": undesa_stock(series="origin", source=source),
        "oecd_national": oecd_inflows(series="national", source=source),
        "oecd_standardised": oecd_inflows(series="standardised", source=source),
    }
