"""The upstream files the reader tests read, as fixtures (through the shared ``upstream_dir``)."""

from __future__ import annotations

import pytest

FILES = {
    "wdi_usd": "wdi-remittances/API_BX.TRF.PWKR.CD.DT_DS2_en_csv_v2_38454.csv",
    "wdi_meta_country": "wdi-remittances/Metadata_Country_API_BX.TRF.PWKR.CD.DT_DS2_en_csv_v2_38454.csv",
    "wdi_pct": "wdi-remittances/all_countries_personal_remittances_annual_pct_of_gdp.csv",
    "knomad_2017": "knomad-remittances/remittance-inflow.csv",
    "knomad_2012": "knomad-remittances/RemittancesData_Inflows_Nov12.csv",
    "knomad_bilateral": "knomad-remittances/bilateral-remittance.csv",
    "un_dest": "undesa-migrant-stock/migrant_stock_by_destination_undesa_pd_2024_ims_stock_by_sex_and_destination_every_5_years.xlsx",
    "un_orig": "undesa-migrant-stock/migrant_stock_by_origin_undesa_pd_2024_ims_stock_by_sex_and_origin_every_5_years.xlsx",
    "un_od": "undesa-migrant-stock/migrant_stock_by_origin_and_destination_1990_to_2024.csv",
    "oecd_national": "oecd-imd/international migration database.csv",
    "oecd_permanent": "oecd-imd/standardised inflows of permanent-type migrants.csv",
    "oecd_temporary": "oecd-imd/standardised inflows of temporary migrants.csv",
}


@pytest.fixture(scope="session")
def upstream_file(upstream_dir):
    """``upstream_file("wdi_usd")`` -> the path of that upstream file."""

    def path(key):
        return upstream_dir / FILES[key]

    return path
