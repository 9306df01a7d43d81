"""Where each upstream publication file sits in a folder of downloads, in one place.

The snapshot build (``tools/build_snapshot.py``), the reader benchmarks and
the tests all read the files as published, kept under one folder (the
``upstream`` folder of the shared material) in one sub-folder per source.
Their long, edition-stamped names are listed here once. The module lives with
the tests, not in the package: a user's downloads are named as the user likes.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from migstats.errors import UnknownNameError

__all__ = ["COMPANIONS", "UPSTREAM_FILES", "copy_upstream", "upstream_path"]

_WDI = "wdi-remittances/"
_WDI_USD = "API_BX.TRF.PWKR.CD.DT_DS2_en_csv_v2_38454.csv"
_KNOMAD = "knomad-remittances/"
_UN = "undesa-migrant-stock/"
_OECD = "oecd-imd/"
_WPP = "wpp2024/"

#: key -> path of the file relative to the upstream folder
UPSTREAM_FILES: dict[str, str] = {
    "wdi_usd": _WDI + _WDI_USD,
    "wdi_meta_country": _WDI + "Metadata_Country_" + _WDI_USD,
    "wdi_meta_indicator": _WDI + "Metadata_Indicator_" + _WDI_USD,
    "wdi_pct": _WDI + "all_countries_personal_remittances_annual_pct_of_gdp.csv",
    "knomad_2017": _KNOMAD + "remittance-inflow.csv",
    "knomad_2012": _KNOMAD + "RemittancesData_Inflows_Nov12.csv",
    "knomad_2013_xls": _KNOMAD + "RemittanceData_Inflows_April2013.xls",
    "knomad_bilateral": _KNOMAD + "bilateral-remittance.csv",
    "un_dest": _UN + "migrant_stock_by_destination_undesa_pd_2024_ims_stock_by_sex_and_destination_every_5_years.xlsx",
    "un_orig": _UN + "migrant_stock_by_origin_undesa_pd_2024_ims_stock_by_sex_and_origin_every_5_years.xlsx",
    "un_od": _UN + "migrant_stock_by_origin_and_destination_1990_to_2024.csv",
    "oecd_national": _OECD + "international migration database.csv",
    "oecd_permanent": _OECD + "standardised inflows of permanent-type migrants.csv",
    "oecd_temporary": _OECD + "standardised inflows of temporary migrants.csv",
    "wpp_births": _WPP + "births.txt",
    "wpp_deaths": _WPP + "deaths.txt",
    "wpp_migration": _WPP + "migration.txt",
    "wpp_births_projection": _WPP + "birthsprojMed.txt",
    "wpp_deaths_projection": _WPP + "deathsprojMed.txt",
    "wpp_locations": _WPP + "UNlocations.txt",
}

#: key -> keys of the files its reader reads from beside it (WDI's metadata, WPP's location list)
COMPANIONS: dict[str, tuple[str, ...]] = {
    "wdi_usd": ("wdi_meta_country", "wdi_meta_indicator"),
    **{key: ("wpp_locations",) for key in UPSTREAM_FILES if key.startswith("wpp") and key != "wpp_locations"},
}


def upstream_path(folder, key: str) -> Path:
    """The path of the upstream file ``key`` of :data:`UPSTREAM_FILES` under ``folder``.

    Raises
    ------
    UnknownNameError
        If ``key`` is not a key of :data:`UPSTREAM_FILES`.
    """
    try:
        return Path(folder) / UPSTREAM_FILES[key]
    except KeyError:
        raise UnknownNameError(f"unknown upstream file {key!r}; choose from {', '.join(UPSTREAM_FILES)}") from None


def copy_upstream(upstream_file, folder, key: str) -> Path:
    """The upstream file ``key`` and its :data:`COMPANIONS` copied into ``folder``; the copy's path.

    ``upstream_file`` maps a key to its path (the tests' fixture of that name).
    """
    for k in (key, *COMPANIONS.get(key, ())):
        shutil.copy(upstream_file(k), Path(folder) / upstream_file(k).name)
    return Path(folder) / upstream_file(key).name
