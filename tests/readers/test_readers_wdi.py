"""WDI bulk CSV: values checked against the figures stated in wdi-remittances/PROVENANCE.md."""

from __future__ import annotations

import pytest

from migstats.readers import read_wdi


@pytest.fixture(scope="module")
def usd(upstream_file):
    return read_wdi(upstream_file("wdi_usd"))


@pytest.fixture(scope="module")
def pct(upstream_file):
    return read_wdi(upstream_file("wdi_pct"))


def value(df, code, year):
    hit = df[(df["code"] == code) & (df["year"] == year)]
    assert len(hit) == 1, (code, year)
    return float(hit["value"].iloc[0])


# PROVENANCE.md, "Check (US$ bn)", rounded to two decimals there.
@pytest.mark.parametrize(
    "code, year, billions",
    [
        ("IND", 2006, 28.33), ("IND", 2007, 37.22), ("IND", 2008, 49.98),
        ("MEX", 2006, 26.54), ("MEX", 2007, 27.52), ("MEX", 2008, 27.08),
        ("CHN", 2006, 4.32), ("CHN", 2007, 6.83), ("CHN", 2008, 9.14),
        ("EGY", 2006, 5.33), ("EGY", 2007, 7.66), ("EGY", 2008, 8.69),
        ("NGA", 2006, 16.93), ("NGA", 2007, 18.01), ("NGA", 2008, 19.20),
        ("TJK", 2007, 1.51), ("MDA", 2007, 1.49),
        ("WLD", 2024, 740.5), ("WLD", 2023, 822.7),
    ],
)
def test_usd_values_match_provenance(usd, code, year, billions):
    assert value(usd, code, year) / 1e9 == pytest.approx(billions, abs=0.006 if billions < 100 else 0.06)


def test_usd_unit_vintage_and_provenance(usd):
    assert set(usd["unit"]) == {"USD"}
    assert set(usd["vintage"]) == {"2025-07-01"}
    assert usd.attrs["vintage"] == "2025-07-01"
    assert usd.attrs["indicator"] == "BX.TRF.PWKR.CD.DT"
    assert usd.attrs["licence"].startswith("CC-BY-4.0")
    assert "Personal remittances comprise" in usd.attrs["indicator_definition"]
    assert usd["year"].between(1960, 2024).all()


def test_countries_and_aggregates_from_metadata(usd):
    kinds = usd.drop_duplicates("code").set_index("code")
    assert not kinds.loc["IND", "is_aggregate"]
    assert kinds.loc["IND", "region"] == "South Asia"
    assert kinds.loc["IND", "income_group"] == "Lower middle income"
    for aggregate in ("WLD", "LMY", "AFE"):
        assert kinds.loc[aggregate, "is_aggregate"]
    # 48 aggregates in the file, per PROVENANCE.md; INX is empty so it yields no row.
    assert "INX" not in kinds.index
    assert kinds["is_aggregate"].sum() == 48
    # at most the 217 economies of the file have at least one value
    assert (~kinds["is_aggregate"]).sum() <= 217


# PROVENANCE.md file 2, "Check (% of GDP, 2006/2007/2008)", one decimal.
@pytest.mark.parametrize(
    "code, year, percent",
    [
        ("TJK", 2006, 34.5), ("TJK", 2007, 40.7), ("TJK", 2008, 44.1),
        ("MDA", 2006, 34.5), ("MDA", 2007, 33.9), ("MDA", 2008, 31.2),
        ("TON", 2006, 26.7), ("TON", 2007, 27.4), ("TON", 2008, 30.0),
        ("LSO", 2007, 37.9), ("KGZ", 2008, 23.8),
    ],
)
def test_pct_values_match_provenance(pct, code, year, percent):
    assert value(pct, code, year) == pytest.approx(percent, abs=0.051)


def test_pct_resaved_layout(pct):
    assert value(pct, "IND", 2008) == pytest.approx(4.17, abs=0.006)
    assert set(pct["unit"]) == {"percent"}
    # the M/D/YYYY "Last Updated Date" of the Excel re-save, as an ISO date
    assert pct.attrs["vintage"] == "2025-01-28"
    # a value written in E notation in the file
    assert (pct["value"] == 2.89e-05).any()
    assert pct["year"].max() == 2023
    # no metadata file: aggregates are the codes outside the country table
    kinds = pct.drop_duplicates("code").set_index("code")["is_aggregate"]
    assert kinds["WLD"] and not kinds["TJK"]
