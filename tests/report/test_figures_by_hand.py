"""Spot checks of the report tables against numbers typed from the report text.

The CSV files are read with plain pandas (not through migstats) so these checks
do not depend on the package's own loader. Expected values below were typed
from the report, not copied from the tables.
"""

from pathlib import Path

import pandas as pd
import pytest

from migstats.units import parse_unit

REPORT_DIR = Path(__file__).resolve().parents[2] / "data" / "report"


def _read(name):
    return pd.read_csv(REPORT_DIR / name, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def figs():
    return _read("figures.csv").set_index("id", drop=False)


@pytest.fixture(scope="module")
def ents():
    return _read("entities.csv")


@pytest.fixture(scope="module")
def lnks():
    return _read("links.csv")


def _one(figs, **match):
    rows = figs
    for column, wanted in match.items():
        rows = rows[rows[column] == wanted]
    assert len(rows) == 1, (match, list(rows["id"]))
    return rows.iloc[0]


def test_remittances_to_developing_countries_2008(figs):
    row = _one(figs, entity_code="LMY", measure="remittance_inflows", year_start="2008")
    assert float(row["value"]) == 283
    assert row["unit"] == "billion USD"
    assert row["qualifier"] == "exact"
    assert row["year_end"] == "2008"
    assert "283" in row["quote"]


@pytest.mark.parametrize(
    "code, national, oecd, difference",
    [("JPN", 325600, 87600, 73), ("DEU", 558500, 216000, 61)],
)
def test_national_vs_oecd_2006(figs, lnks, code, national, oecd, difference):
    mine = figs[(figs["entity_code"] == code) & (figs["year_start"] == "2006")]
    link_ids = set(lnks.loc[lnks["figure_id"].isin(mine["id"]) & (lnks["relation"] == "national_vs_oecd"), "link_id"])
    assert len(link_ids) == 1
    group = lnks[lnks["link_id"] == link_ids.pop()].set_index("role")["figure_id"]
    assert float(figs.loc[group["national"], "value"]) == national
    assert float(figs.loc[group["oecd"], "value"]) == oecd
    assert figs.loc[group["national"], "unit"] == figs.loc[group["oecd"], "unit"] == "person"
    assert float(figs.loc[group["stated_difference"], "value"]) == difference
    assert figs.loc[group["stated_difference"], "unit"] == "percent"
    # the stated difference is the gap as a share of the national figure, rounded
    assert round(100 * (national - oecd) / national) == difference


@pytest.mark.parametrize("code", ["CAN", "USA"])
def test_canada_and_us_no_difference_without_invented_counts(figs, code):
    mine = figs[(figs["entity_code"] == code) & (figs["topic"] == "oecd_flows")]
    assert len(mine) == 1
    row = mine.iloc[0]
    assert float(row["value"]) == 0 and row["unit"] == "percent"
    assert "did not differ at all" in row["quote"]


def test_mexico_monthly_remittance_range(figs):
    row = _one(figs, entity_code="MEX", unit="USD / month")
    assert row["value"] == ""
    assert (float(row["low"]), float(row["high"])) == (340, 350)
    # "some US$340 to US$350": the hedge stays in qualifier, the ends in low/high
    assert row["qualifier"] == "some"


@pytest.mark.parametrize(
    "code, previous, revised",
    [("EGY", 4, 7.5), ("NGA", 3, 18)],
)
def test_egypt_and_nigeria_revisions(figs, lnks, code, previous, revised):
    revisions = lnks[lnks["relation"] == "revision"]
    mine = revisions[revisions["figure_id"].map(figs["entity_code"]) == code]
    by_role = mine.set_index("role")["figure_id"]
    assert set(by_role.index) == {"previous", "revised"}
    assert float(figs.loc[by_role["previous"], "value"]) == previous
    assert float(figs.loc[by_role["revised"], "value"]) == revised
    for fid in by_role:
        assert figs.loc[fid, "unit"] == "billion USD"
        assert figs.loc[fid, "year_start"] == figs.loc[fid, "year_end"] == "2008"


def test_latin_america_share_of_world_migrants(figs):
    part = _one(figs, entity_code="LCN", measure="international_migrants", year_start="2005")
    total = _one(figs, entity_code="WLD", measure="international_migrants", year_start="2005")
    assert (float(part["value"]), part["qualifier"]) == (26, "almost")
    assert (float(total["value"]), total["qualifier"]) == (200, "almost")
    assert part["unit"] == total["unit"] == "million person"


def test_census_round_counts(figs):
    census = figs[figs["entity_code"] == "EVT_CENSUS_ROUND_2010"]
    counts = sorted(float(v) for v in census.loc[census["measure"].str.startswith("censuses"), "value"])
    assert counts == [32, 35, 47, 60]
    assert set(census["year_start"]) == {"2005"} and set(census["year_end"]) == {"2014"}


def test_every_quote_is_verbatim(figs, report_text):
    missing = [fid for fid, quote in zip(figs["id"], figs["quote"]) if not quote or quote not in report_text]
    assert missing == []


def test_every_unit_parses(figs):
    for unit in figs["unit"].unique():
        parse_unit(unit)


def test_entity_codes_are_listed(figs, ents):
    assert ents["code"].is_unique
    assert set(figs["entity_code"]) <= set(ents["code"])
    # the figure's entity type agrees with the code's documented type
    types = ents.set_index("code")["type"]
    assert (figs["entity_code"].map(types) == figs["entity_type"]).all()


def test_link_figures_exist(figs, lnks):
    assert set(lnks["figure_id"]) <= set(figs["id"])
    assert not lnks.duplicated(["link_id", "figure_id"]).any()


def test_ranges_have_no_value_and_others_have_one(figs):
    is_range = figs["low"] != ""
    ranges = figs[is_range]
    assert len(ranges) == 4  # 340 to 350, 15 to 20, 2,000 to 2,500, 150 to 160
    assert (ranges["value"] == "").all()
    assert (ranges["high"] != "").all()
    assert (ranges["low"].astype(float) < ranges["high"].astype(float)).all()
    others = figs[~is_range]
    assert (others["value"] != "").all() and (others["high"] == "").all()
