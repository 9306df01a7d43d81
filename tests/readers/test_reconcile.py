"""reconcile(): report figures beside official counterparts.

Expected official values come from PROVENANCE.md or from the upstream files
read with plain pandas, not from the snapshot code path.
"""

from __future__ import annotations

import pandas as pd
import pytest

from migstats.analysis.reconcile import reconcile
from migstats.datasets._paths import data_dir
from migstats.datasets.official import official_tables
from migstats.datasets.report import counterparts
from migstats.errors import UnknownFigureError
from upstream_files import upstream_path


@pytest.fixture(scope="module")
def tables():
    return official_tables()


@pytest.fixture(scope="module")
def table():
    import migstats

    return migstats.reconcile()


def row(table, figure_id, series_word):
    hit = table[(table["figure_id"] == figure_id) & table["series"].str.contains(series_word)]
    assert len(hit) == 1, (figure_id, series_word)
    return hit.iloc[0]


def holds(value) -> bool:
    """A statement_holds cell that must be decidable (True or False, not <NA>)."""
    assert not pd.isna(value)
    return bool(value)


def test_statement_holds_is_a_nullable_boolean(table):
    assert table["statement_holds"].dtype == "boolean"
    # decidable exactly where a comparable official value exists (not the Canada/US context rows)
    comparable = table["official_value"].notna() & table["relative"].notna()
    assert table["statement_holds"].notna().tolist() == comparable.tolist()
    assert table["statement_holds"].isna().sum() >= 4  # 2 standardised-OECD gaps, the Canada and US context rows


def test_every_required_figure_has_one_matching_counterpart(table):
    required = ["rem_dev_2006", "rem_dev_2008", "rem_ind_2008", "rem_chn_2008", "rem_mex_2008",
                "rem_egy_2008_revised", "rem_nga_2008_revised", "rem_gdp_tjk_2007", "rem_gdp_mda_2007",
                "rem_gdp_ton_2007", "oecd_jpn_national_2006", "oecd_deu_national_2006", "oecd_can_difference_2006",
                "oecd_usa_difference_2006", "mig_wld_2005", "mig_lcn_2000", "mig_lcn_2005"]
    matching = table[table["matches_report"]].groupby("figure_id").size()
    for figure_id in required:
        assert figure_id in set(table["figure_id"])
        if not figure_id.endswith("difference_2006"):
            assert matching[figure_id] == 1, figure_id
    assert table["series"].ne("").all() and table["vintage"].ne("").all()


def test_top_recipients_more_than_20_billion(table):
    india = row(table, "rem_ind_2008", "KNOMAD")
    assert india["official_value"] == pytest.approx(49.977, abs=0.001)  # 49,977 US$ million, PROVENANCE
    assert india["relative"] == pytest.approx((49.977 - 20) / 20, abs=1e-4)
    assert holds(india["statement_holds"])
    # China holds with the World Bank migrant-remittance series, not with WDI personal remittances
    assert holds(row(table, "rem_chn_2008", "KNOMAD")["statement_holds"])
    china_wdi = row(table, "rem_chn_2008", "WDI")
    assert china_wdi["official_value"] == pytest.approx(9.14, abs=0.005) and not holds(china_wdi["statement_holds"])
    assert not china_wdi["matches_report"]
    assert row(table, "rem_mex_2008", "KNOMAD")["official_value"] == pytest.approx(26.041, abs=0.001)


def test_egypt_and_nigeria_revisions(table):
    egypt = row(table, "rem_egy_2008_revised", "KNOMAD")
    assert egypt["factor"] == pytest.approx(8.694 / 7.5, abs=1e-4)
    assert egypt["absolute"] == pytest.approx(8.694 - 7.5, abs=1e-3)
    nigeria = row(table, "rem_nga_2008_previous", "KNOMAD")
    assert nigeria["factor"] == pytest.approx(19.206 / 3.0, abs=1e-3)


def test_shares_of_gdp(table):
    assert row(table, "rem_gdp_tjk_2007", "GD.ZS")["official_value"] == pytest.approx(40.7, abs=0.05)
    assert holds(row(table, "rem_gdp_tjk_2007", "GD.ZS")["statement_holds"])
    assert holds(row(table, "rem_gdp_mda_2007", "GD.ZS")["statement_holds"])  # 33.9
    tonga = row(table, "rem_gdp_ton_2007", "GD.ZS")
    assert tonga["official_value"] == pytest.approx(27.4, abs=0.05) and not holds(tonga["statement_holds"])


def test_developing_countries(table, upstream_dir):
    wdi = pd.read_csv(upstream_path(upstream_dir, "wdi_usd"),
                      skiprows=4, encoding="utf-8-sig").set_index("Country Code")
    lmy = row(table, "rem_dev_2008", "WDI")
    assert lmy["official_value"] == pytest.approx(wdi.loc["LMY", "2008"] / 1e9)
    assert lmy["relative"] == pytest.approx((wdi.loc["LMY", "2008"] / 1e9 - 283) / 283)
    meta = pd.read_csv(upstream_path(upstream_dir, "wdi_meta_country"),
                       encoding="utf-8-sig")
    developing = set(meta.loc[meta["IncomeGroup"].isin(["Low income", "Lower middle income", "Upper middle income"]), "Country Code"])
    knomad = pd.read_csv(upstream_path(upstream_dir, "knomad_2017")).set_index(
        "Migrant remittance inflows (US$ million)")
    names_to_codes = dict(zip(wdi["Country Name"], wdi.index))
    # economies whose KNOMAD and WDI names are identical are enough to bound the sum from below
    same_name = [n for n in knomad.index if names_to_codes.get(n) in developing]
    at_least = knomad.loc[same_name, "2008"].sum() / 1e3
    derived = row(table, "rem_dev_2008", "KNOMAD")
    assert derived["matches_report"]
    assert at_least <= derived["official_value"] <= knomad.loc["World", "2008"] / 1e3


def test_migrant_stock(table, upstream_dir):
    world = row(table, "mig_wld_2005", "destination")
    assert world["official_value"] == pytest.approx(192.788721)  # PROVENANCE, million
    assert holds(world["statement_holds"])  # "almost 200 million"
    living = row(table, "mig_lcn_2000", "destination")
    assert living["official_value"] == pytest.approx(6.589509) and not living["matches_report"]
    born = row(table, "mig_lcn_2005", "origin")
    assert born["matches_report"]
    od = pd.read_csv(upstream_path(upstream_dir, "un_od"),
                     encoding="cp1252", dtype=str)
    regions = {"903", "935", "908", "904", "905", "909"}
    lac_born = od[od["Location code of destination"].isin(regions) & (od["Location code of origin"] == "904")]
    born_2005 = lac_born["2005"].str.replace(" ", "").astype(int).sum()
    assert born["official_value"] == pytest.approx(born_2005 / 1e6)
    assert not holds(born["statement_holds"])  # more than 26 million today, not "almost 26"
    share = row(table, "mig_lcn_share_world_2005", "origin")
    assert share["official_value"] == pytest.approx(100 * born_2005 / 192_788_721)


def test_oecd_national_inflows(table):
    japan = row(table, "oecd_jpn_national_2006", "national")
    assert japan["official_value"] == 325_621 and japan["absolute"] == 21
    assert holds(japan["statement_holds"])  # 325,600 is 325,621 to the hundred
    germany = row(table, "oecd_deu_national_2006", "national")
    assert germany["official_value"] == 558_467 and holds(germany["statement_holds"])
    canada = row(table, "oecd_can_difference_2006", "national")
    assert canada["official_value"] == 251_641 and canada["official_unit"] == "person"
    assert pd.isna(canada["relative"]) and pd.isna(canada["statement_holds"])
    standardised = row(table, "oecd_jpn_oecd_2006", "standardised")
    assert pd.isna(standardised["official_value"]) and pd.isna(standardised["statement_holds"])


def test_missing_figure_is_an_error(tables):
    figures = pd.read_csv(data_dir() / "report" / "figures.csv")
    with pytest.raises(UnknownFigureError, match="rem_ind_2008"):
        reconcile(figures[figures["id"] != "rem_ind_2008"], tables, counterparts())
