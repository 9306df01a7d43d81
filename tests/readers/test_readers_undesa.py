"""UN DESA International Migrant Stock 2024: values checked against undesa-migrant-stock/PROVENANCE.md."""

from __future__ import annotations

import pytest

from migstats.readers import read_undesa_origin_destination, read_undesa_stock


@pytest.fixture(scope="module")
def dest(upstream_file):
    return read_undesa_stock(upstream_file("un_dest"))


@pytest.fixture(scope="module")
def orig(upstream_file):
    return read_undesa_stock(upstream_file("un_orig"))


@pytest.fixture(scope="module")
def od(upstream_file):
    return read_undesa_origin_destination(upstream_file("un_od"))


def total(df, m49, year):
    hit = df[(df["m49"] == m49) & (df["year"] == year) & (df["sex"] == "total")]
    assert len(hit) == 1, (m49, year)
    return float(hit["value"].iloc[0])


@pytest.mark.parametrize(
    "m49, year, persons",
    [
        (900, 1990, 153_916_063), (900, 2000, 174_566_152), (900, 2005, 192_788_721), (900, 2024, 304_021_813),
        (904, 2000, 6_589_509), (904, 2005, 7_111_817),  # LATIN AMERICA AND THE CARIBBEAN
        (392, 2005, 1_976_528), (276, 2005, 11_210_590), (124, 2005, 6_086_976),
    ],
)
def test_destination_values_match_provenance(dest, m49, year, persons):
    assert total(dest, m49, year) == persons


def test_destination_layout(dest):
    assert dest.attrs["vintage"] == "2024" and set(dest["by"]) == {"destination"}
    assert set(dest["sex"]) == {"total", "male", "female"}
    assert set(dest["year"]) == {1990, 1995, 2000, 2005, 2010, 2015, 2020, 2024}
    world = dest[(dest["m49"] == 900)].pivot(index="year", columns="sex", values="value")
    assert (world["male"] + world["female"] == world["total"]).all()
    rows = dest.drop_duplicates("m49").set_index("m49")
    assert rows.loc[840, "code"] == "USA" and rows.loc[840, "name"] == "United States of America"  # asterisk gone
    assert rows.loc[900, "code"] == "900" and rows.loc[900, "is_aggregate"]
    assert rows.loc[108, "flags"] == "B R"  # Burundi: foreign-born, refugees added
    assert rows.loc[175, "coverage_note"] == "1"  # Mayotte, Migrant notes 1
    assert not rows.loc[392, "is_aggregate"]


def test_origin_workbook(orig):
    assert set(orig["by"]) == {"origin"}
    assert total(orig, 900, 1990) == 153_916_063
    assert total(orig, 900, 2024) == 304_021_813
    # the origin table has the "OTHER" origin (2003), an aggregate
    assert orig.loc[orig["m49"] == 2003, "is_aggregate"].all()


def test_origin_destination_csv(od, dest):
    # 279 destination names in the file (PROVENANCE.md); Saint Barthélemy and Saint Martin have
    # only ".." cells, so they yield no row
    names = set(od["dest_name"])
    assert not names & {"Saint Barthélemy", "Saint Martin (French part)"}
    assert len(names) + 2 == 279
    # six geographic regions x origin World rebuild the world total of the destination workbook
    regions = [903, 935, 908, 904, 905, 909]
    rebuilt = od[od["dest_m49"].isin(regions) & (od["orig_m49"] == 900)].groupby("year")["value"].sum()
    for year in (1990, 2000, 2005, 2024):
        assert rebuilt[year] == total(dest, 900, year)
    # "4 517 870" with space separators: Australia/New Zealand (SDG region 1836) from the World, 1990
    hit = od[(od["dest_m49"] == 1836) & (od["orig_m49"] == 900) & (od["year"] == 1990)]
    assert hit["value"].tolist() == [4_517_870]
    # the name is duplicated (1836 and 927); the codes keep them apart
    names = od.drop_duplicates("dest_m49").set_index("dest_m49")["dest_name"]
    assert names[1836] == names[927] == "Australia/New Zealand"
    # cp1252 decoding and asterisk removal
    assert "Côte d'Ivoire" in set(od["dest_name"])
    assert od.loc[od["orig_m49"] == 840, "orig_name"].iloc[0] == "United States of America"
    pairs = od[["dest_m49", "orig_m49"]].drop_duplicates()
    assert len(pairs) <= 26_629
