"""The bundled UN DESA region tables, the stock tables built from them, and the flows ffs_demo estimates.

Expected values come from the upstream files read here with plain pandas,
not from the migstats readers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from migstats.datasets.official import undesa_bilateral_regions, undesa_population_regions
from migstats.errors import InputError, MissingValueError, SpanError
from migstats.flows import ffs_demo
from migstats.flows.undesa import natural_change_by_birthplace, region_stock_tables
from upstream_files import upstream_path

AFRICA, ASIA, EUROPE, LAC, NAM, OCEANIA, OTHERS, WORLD = 903, 935, 908, 904, 905, 909, 2003, 900
REGIONS = [AFRICA, ASIA, EUROPE, LAC, NAM, OCEANIA]


@pytest.fixture(scope="module")
def upstream_csv(upstream_dir):
    raw = pd.read_csv(upstream_path(upstream_dir, "un_od"), encoding="cp1252", dtype=str, keep_default_na=False)
    raw = raw.rename(columns={"Location code of destination": "dest", "Location code of origin": "orig"})
    raw[["dest", "orig"]] = raw[["dest", "orig"]].astype(int)
    return raw


def _upstream(raw, orig, dest, year):
    row = raw[(raw["orig"] == orig) & (raw["dest"] == dest)]
    assert len(row) == 1
    return float(row[str(year)].iloc[0].replace(" ", ""))


@pytest.fixture(scope="module")
def table2(upstream_dir):
    grid = pd.read_excel(upstream_path(upstream_dir, "un_dest"), sheet_name="Table 2", header=None)
    names = grid[1].astype(str).str.strip()
    # Header row 11: both-sexes years 1990..2024 in columns E..L (indices 4..11).
    years = [int(float(v)) for v in grid.iloc[10, 4:12]]
    return {name: dict(zip(years, grid.loc[names == name].iloc[0, 4:12].astype(float))) for name in
            ["World", "AFRICA", "ASIA", "EUROPE", "LATIN AMERICA AND THE CARIBBEAN", "NORTHERN AMERICA", "OCEANIA"]}


@pytest.fixture(scope="module")
def bilateral():
    return undesa_bilateral_regions()


@pytest.fixture(scope="module")
def population():
    return undesa_population_regions()


def _bundled(bilateral, orig, dest, year):
    row = bilateral[(bilateral["orig_m49"] == orig) & (bilateral["dest_m49"] == dest) & (bilateral["year"] == year)]
    assert len(row) == 1
    return float(row["value"].iloc[0])


@pytest.mark.parametrize("orig, dest, year", [
    (AFRICA, EUROPE, 2020), (ASIA, NAM, 1990), (LAC, NAM, 2015), (OTHERS, AFRICA, 2024), (EUROPE, EUROPE, 2005),
    (OCEANIA, LAC, 2010),
])
def test_bundled_cells_match_upstream_csv(bilateral, upstream_csv, orig, dest, year):
    assert _bundled(bilateral, orig, dest, year) == _upstream(upstream_csv, orig, dest, year)


def test_bundled_table_shape_and_provenance(bilateral):
    assert len(bilateral) == 7 * 6 * 8
    assert set(bilateral["orig_m49"]) == set(REGIONS) | {OTHERS}
    assert set(bilateral["dest_m49"]) == set(REGIONS)
    assert sorted(set(bilateral["year"])) == [1990, 1995, 2000, 2005, 2010, 2015, 2020, 2024]
    assert (bilateral["unit"] == "person").all()
    assert "International Migrant Stock 2024" in bilateral.attrs["source"]
    assert bilateral.attrs["licence"] == "CC-BY-3.0-IGO" and bilateral.attrs["vintage"] == "2024"


def test_kept_origins_add_up_to_the_world_origin_row(bilateral, upstream_csv):
    for dest in REGIONS:
        for year in (1990, 2024):
            kept = bilateral[(bilateral["dest_m49"] == dest) & (bilateral["year"] == year)]["value"].sum()
            assert kept == _upstream(upstream_csv, WORLD, dest, year)


def test_population_is_table_2_in_persons(population, table2):
    assert len(population) == 6 * 8 and (population["unit"] == "person").all()
    for name, year in [("AFRICA", 2020), ("OCEANIA", 1990), ("EUROPE", 2024), ("ASIA", 2015)]:
        row = population[(population["name"] == name) & (population["year"] == year)]
        assert row["value"].iloc[0] == pytest.approx(table2[name][year] * 1000, abs=0.5)
    # The six regions make up the world (PROVENANCE: regions sum to the World totals).
    for year in (1990, 2020):
        total = population[population["year"] == year]["value"].sum()
        assert total == pytest.approx(table2["World"][year] * 1000, abs=2)


def test_stock_tables_columns_sum_to_population(bilateral, population, upstream_csv):
    s1, s2 = region_stock_tables(bilateral, population, 2015, 2020)
    for table, year in ((s1, 2015), (s2, 2020)):
        pop = population[population["year"] == year].set_index("name")["value"]
        np.testing.assert_allclose(table.sum(axis=0).to_numpy(), pop.loc[table.columns].to_numpy(), rtol=0, atol=1e-3)
    # off the diagonal: the upstream cell; on it: population minus the five other regions' migrants
    assert s2.loc["AFRICA", "EUROPE"] == _upstream(upstream_csv, AFRICA, EUROPE, 2020)
    others = sum(_upstream(upstream_csv, k, EUROPE, 2020) for k in REGIONS if k != EUROPE)
    europe = population[(population["name"] == "EUROPE") & (population["year"] == 2020)]["value"].iloc[0]
    assert s2.loc["EUROPE", "EUROPE"] == pytest.approx(europe - others, abs=1e-3)
    assert list(s1.index) == list(s1.columns) and len(s1) == 6


def _estimate(bilateral, population, start, end):
    """Flows with the natural change as births (increase) and deaths (decrease), as documented."""
    s1, s2 = region_stock_tables(bilateral, population, start, end)
    change = natural_change_by_birthplace(s1, s2)
    births, deaths = change.clip(lower=0), (-change).clip(lower=0)
    return s1, s2, change, ffs_demo(s1, s2, births=births, deaths=deaths, death_method="accounting")


@pytest.fixture(scope="module")
def estimate(bilateral, population):
    return _estimate(bilateral, population, 2015, 2020)


def test_natural_change_adds_up_to_population_growth(estimate, population):
    _, _, change, _ = estimate
    growth = population[population["year"] == 2020]["value"].sum() - population[population["year"] == 2015]["value"].sum()
    assert change.sum() == pytest.approx(growth, abs=1e-3)


def test_flows_are_non_negative_and_reproduce_the_stock_margins(estimate):
    s1, s2, change, result = estimate
    mu = result.fitted.values  # orig x dest x pob
    assert (mu >= 0).all()
    # Everyone counted at the start is somewhere at the end: sum over destinations = start stock.
    np.testing.assert_allclose(mu.sum(axis=1).T, s1.to_numpy(), rtol=0, atol=1.0)
    # ... and the destinations add up to the end stock less the natural change on the native-born cells
    # (2015-2020: every region grew naturally, so all of it went in as births and there were no deaths).
    assert (change > 0).all()
    np.testing.assert_allclose(mu.sum(axis=0).T, s2.to_numpy() - np.diag(change.to_numpy()), rtol=0, atol=1.0)


def test_a_natural_decrease_goes_in_as_deaths_off_the_native_born(bilateral, population):
    """2000-2005: Europe-born fell (more deaths than births); passing that as negative births is
    refused, and as deaths it comes off Europe's native-born start stock."""
    s1, s2, change, result = _estimate(bilateral, population, 2000, 2005)
    europe = population[(population["m49"] == EUROPE) & (population["year"] == 2005)]["name"].iloc[0]
    assert change[europe] < 0 and (change.drop(europe) > 0).all()
    with pytest.raises(InputError, match=f"births is negative .* for region '{europe}'"):
        ffs_demo(s1, s2, births=change)
    mu = result.fitted.values
    assert (mu >= 0).all()
    # start residents less deaths, end residents less births (both on the native-born cells)
    np.testing.assert_allclose(mu.sum(axis=1).T, s1.to_numpy() - np.diag((-change).clip(lower=0).to_numpy()),
                               rtol=0, atol=1.0)
    np.testing.assert_allclose(mu.sum(axis=0).T, s2.to_numpy() - np.diag(change.clip(lower=0).to_numpy()),
                               rtol=0, atol=1.0)


def test_moves_out_of_africa_equal_the_growth_of_the_african_diaspora(estimate, upstream_csv):
    """With maximal stayers, if no one but the Africa-born can have left Africa, each flow out of
    Africa is the growth of the Africa-born stock at the destination."""
    _, _, _, result = estimate
    od = result.od(zero_diagonal=True)
    for k in REGIONS:
        if k != AFRICA:  # the precondition: every other birthplace's stock in Africa grew
            assert _upstream(upstream_csv, k, AFRICA, 2020) > _upstream(upstream_csv, k, AFRICA, 2015)
    names = {EUROPE: "EUROPE", ASIA: "ASIA", NAM: "NORTHERN AMERICA", LAC: "LATIN AMERICA AND THE CARIBBEAN",
             OCEANIA: "OCEANIA"}
    for dest, name in names.items():
        growth = _upstream(upstream_csv, AFRICA, dest, 2020) - _upstream(upstream_csv, AFRICA, dest, 2015)
        assert od.loc["AFRICA", name] == pytest.approx(growth, abs=1.0)


def test_stock_table_errors(bilateral, population):
    with pytest.raises(SpanError):
        region_stock_tables(bilateral, population, 2020, 2015)
    with pytest.raises(InputError, match="2019"):
        region_stock_tables(bilateral, population, 2015, 2019)
    gap = bilateral[~((bilateral["orig_m49"] == ASIA) & (bilateral["dest_m49"] == OCEANIA))]
    with pytest.raises(MissingValueError, match="'ASIA'.*'OCEANIA'"):
        region_stock_tables(gap, population, 2015, 2020)
    tiny = population.assign(value=np.where(population["m49"] == OCEANIA, 1000.0, population["value"]))
    with pytest.raises(InputError, match="OCEANIA.*exceed"):
        region_stock_tables(bilateral, tiny, 2015, 2020)
    with pytest.raises(InputError, match="lacks"):
        region_stock_tables(bilateral.drop(columns="unit"), population, 2015, 2020)


def test_population_in_thousands_gives_the_same_tables(bilateral, population):
    in_thousands = population.assign(value=population["value"] / 1000, unit="thousand person")
    a = region_stock_tables(bilateral, population, 2010, 2024)
    b = region_stock_tables(bilateral, in_thousands, 2010, 2024)
    for x, y in zip(a, b):
        pd.testing.assert_frame_equal(x, y, rtol=1e-12)
