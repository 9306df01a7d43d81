"""KNOMAD remittance tables: values checked against knomad-remittances/PROVENANCE.md."""

from __future__ import annotations

import csv

import pytest

from migstats.readers import read_knomad_bilateral, read_knomad_inflows


@pytest.fixture(scope="module")
def inflows_2017(upstream_file):
    return read_knomad_inflows(upstream_file("knomad_2017"), vintage="2017")


@pytest.fixture(scope="module")
def inflows_2012(upstream_file):
    return read_knomad_inflows(upstream_file("knomad_2012"), vintage="2012-11")


@pytest.fixture(scope="module")
def bilateral(upstream_file):
    return read_knomad_bilateral(upstream_file("knomad_bilateral"))


def value(df, code, year):
    hit = df[(df["code"] == code) & (df["year"] == year)]
    assert len(hit) == 1, (code, year)
    return float(hit["value"].iloc[0])


# PROVENANCE.md file 1: "Check (2006/2007/2008)", US$ million rounded to units.
@pytest.mark.parametrize(
    "code, values",
    [
        ("IND", (28334, 37217, 49977)), ("CHN", (27565, 38395, 47743)), ("MEX", (26543, 26880, 26041)),
        ("EGY", (5330, 7656, 8694)), ("NGA", (16932, 18011, 19206)), ("TJK", (1019, 1691, 2544)),
    ],
)
def test_2017_values_match_provenance(inflows_2017, code, values):
    for year, expected in zip((2006, 2007, 2008), values):
        assert value(inflows_2017, code, year) == pytest.approx(expected, abs=0.5)


def test_2017_layout(inflows_2017):
    assert value(inflows_2017, "WLD", 2008) == pytest.approx(454273, abs=0.5)
    assert set(inflows_2017["unit"]) == {"million USD"}  # from the title cell "(US$ million)"
    flags = inflows_2017.groupby("year")["flags"].first()
    assert flags[2017] == "p" and flags[2016] == ""
    # 214 countries and the World row
    assert inflows_2017["code"].nunique() == 215
    assert inflows_2017.loc[inflows_2017["is_aggregate"], "code"].unique().tolist() == ["WLD"]
    assert "0" in inflows_2017.attrs["note"]


def test_2012_vintage_lone_cr_thousands_and_estimates(inflows_2012):
    assert value(inflows_2012, "NGA", 2004) == 2273
    assert value(inflows_2012, "NGA", 2005) == 14640
    assert value(inflows_2012, "IND", 2008) == 49977
    assert value(inflows_2012, "TJK", 2008) == 2544
    assert value(inflows_2012, "ALB", 2004) == 1161  # written "1,161" in the file
    assert set(inflows_2012.loc[inflows_2012["year"] == 2012, "flags"]) == {"e"}
    # ".." cells are omitted, not zero: Afghanistan has no value at all in this vintage
    assert "AFG" not in set(inflows_2012["code"])
    # names with accents (UTF-8) map to their codes
    assert {"CIV", "CUW"} <= set(inflows_2012["code"])
    assert not inflows_2012["is_aggregate"].any()


def test_bilateral_world_row_equals_2016_inflows(bilateral, inflows_2017):
    world = bilateral[bilateral["orig_code"] == "WLD"].set_index("dest_code")["value"]
    assert world["AFG"] == pytest.approx(430.839232)
    assert world["IND"] == pytest.approx(62744.36, abs=0.01)
    inflows_2016 = inflows_2017[inflows_2017["year"] == 2016].set_index("code")["value"]
    common = world.index.intersection(inflows_2016.index)
    assert len(common) == 215
    assert world[common].to_numpy() == pytest.approx(inflows_2016[common].to_numpy(), rel=1e-6, abs=1e-6)


def test_bilateral_shape_and_flags(bilateral):
    assert bilateral["orig_code"].nunique() == 215
    assert bilateral["dest_code"].nunique() == 215
    assert set(bilateral["year"]) == {2016}
    starred = bilateral[bilateral["flags"] == "*"]
    assert sorted(zip(starred["orig_code"], starred["dest_code"])) == [("IND", "PAK"), ("PAK", "IND")]
    assert (starred["value"] == 0).all()


def published_2017_cells(path):
    """(name, year header, cell text) of every cell of the 2017 file, read with the csv module."""
    with open(path, newline="", encoding="utf-8") as handle:
        header, *rows = csv.reader(handle)
    return [(row[0], header[j], row[j]) for row in rows for j in range(1, len(header))]


def test_2017_zeros_carry_the_flag_z(inflows_2017, upstream_file):
    cells = published_2017_cells(upstream_file("knomad_2017"))
    published_zeros = [c for c in cells if float(c[2]) == 0]
    assert len(published_zeros) == (inflows_2017["flags"].str.split().map(lambda f: "z" in f)).sum()
    flagged = inflows_2017[inflows_2017["flags"].str.contains("z")]
    assert (flagged["value"] == 0).all()
    # India before 1975 is written 0 in the file; the 2017p column zeros keep their p
    india = inflows_2017[inflows_2017["code"] == "IND"].set_index("year")["flags"]
    assert india[1970] == "z" and india[2008] == ""
    zero_2017 = [c for c in published_zeros if c[1] == "2017p"]
    assert zero_2017 and set(inflows_2017.loc[(inflows_2017["year"] == 2017) & (inflows_2017["value"] == 0), "flags"]) == {"p z"}
    assert len(zero_2017) == ((inflows_2017["year"] == 2017) & (inflows_2017["value"] == 0)).sum()


def test_2012_zeros_are_true_zeros(inflows_2012):
    # that vintage writes missing data '..': its zeros are not flagged
    assert set(inflows_2012["flags"]) == {"", "e"}
    assert "note" not in inflows_2012.attrs


def test_bilateral_reuses_the_wide_to_long_order(bilateral, upstream_file):
    """Cells come column by column (receiving country), then by sending row, as published."""
    first = bilateral.iloc[:3]
    assert first["dest_name"].tolist() == ["Afghanistan"] * 3
    assert first["orig_name"].tolist() == ["Afghanistan", "Albania", "Algeria"]
    assert len(bilateral) == 215 * 215  # 214 countries and World, both ways, no empty cell
