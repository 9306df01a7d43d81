"""OECD exports: values checked against oecd-imd/PROVENANCE.md."""

from __future__ import annotations

import pytest

from migstats.readers import read_oecd


@pytest.fixture(scope="module")
def national(upstream_file):
    return read_oecd(upstream_file("oecd_national"))


@pytest.fixture(scope="module")
def permanent(upstream_file):
    return read_oecd(upstream_file("oecd_permanent"))


@pytest.mark.parametrize(
    "code, persons",
    [("JPN", 325_621), ("DEU", 558_467), ("CAN", 251_641), ("USA", 1_266_129), ("ESP", 802_971), ("ITA", 254_588)],
)
def test_national_2006_matches_provenance(national, code, persons):
    hit = national[(national["code"] == code) & (national["year"] == 2006)]
    assert hit["value"].tolist() == [persons]


def test_national_layout(national):
    assert len(national) == 824
    assert national["code"].nunique() == 38
    assert set(national["measure"]) == {"B11"} and set(national["citizenship"]) == {"W"} and set(national["sex"]) == {"_T"}
    assert set(national["unit"]) == {"person"}
    assert national["year"].between(2000, 2023).all()
    uk = national[national["code"] == "GBR"]
    assert not uk["year"].between(2002, 2008).any()
    assert national.loc[national["code"] == "TUR", "name"].iloc[0] == "Türkiye"
    assert national.attrs["empty_observations"] == 0


def test_standardised_permanent(permanent):
    sums = permanent[permanent["year"] == 2019].groupby("code")["value"].sum()
    for code, persons in {"JPN": 137_636, "DEU": 643_279, "CAN": 341_178, "USA": 1_030_981}.items():
        assert sums[code] == pytest.approx(persons, abs=0.5)
    assert set(permanent["migration_type"]) == {"WO", "AC", "FA", "HU", "FR", "OT"}
    assert set(permanent["flags"]) <= {"A", "E", "P"}
    assert permanent["code"].nunique() == 29
    assert permanent["year"].min() == 2014  # does not reach back to 2006
    # 1,882 rows in the file; 15 have an empty OBS_VALUE (counted with awk on the file)
    assert len(permanent) + permanent.attrs["empty_observations"] == 1882
    assert permanent.attrs["empty_observations"] == 15
    family = permanent[(permanent["code"] == "JPN") & (permanent["year"] == 2022) & (permanent["migration_type"] == "FA")]
    assert family["value"].tolist() == [pytest.approx(21103.21318)]


def test_standardised_temporary(upstream_file):
    temporary = read_oecd(upstream_file("oecd_temporary"))
    assert len(temporary) + temporary.attrs["empty_observations"] == 2232
    assert temporary["code"].nunique() == 34
    assert set(temporary["migration_type"]) == {"WHM", "SEAS", "TRA", "INTRA", "OTH", "STU"}
