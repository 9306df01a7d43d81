"""The bundled snapshot (data/official/) against its descriptor and PROVENANCE.md."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from migstats.datasets._paths import data_dir
from migstats.datasets.official import (
    knomad_inflows,
    oecd_inflows,
    official_resource,
    un_regions,
    undesa_bilateral_countries,
    undesa_bilateral_regions,
    undesa_population_countries,
    undesa_population_regions,
    undesa_stock,
    wdi_remittances,
    wpp_vital,
)
from migstats.errors import UnknownNameError

LOADERS = {
    "official-wdi-remittances-usd": lambda: wdi_remittances(series="usd"),
    "official-wdi-remittances-pct-gdp": lambda: wdi_remittances(series="pct_gdp"),
    "official-knomad-inflows-2017": knomad_inflows,
    "official-undesa-stock-destination": lambda: undesa_stock(series="destination"),
    "official-undesa-stock-origin": lambda: undesa_stock(series="origin"),
    "official-undesa-bilateral-regions": undesa_bilateral_regions,
    "official-undesa-population-regions": undesa_population_regions,
    "official-oecd-inflows-national": lambda: oecd_inflows(series="national"),
    "official-oecd-inflows-standardised": lambda: oecd_inflows(series="standardised"),
    "official-undesa-bilateral-countries": undesa_bilateral_countries,
    "official-undesa-population-countries": undesa_population_countries,
    "official-wpp-vital": wpp_vital,
    "official-un-regions": un_regions,
}
KINDS = {"string": pd.api.types.is_string_dtype, "integer": pd.api.types.is_integer_dtype,
         "number": pd.api.types.is_float_dtype, "boolean": pd.api.types.is_bool_dtype}


@pytest.fixture(scope="module")
def descriptor():
    return json.loads((data_dir() / "datapackage.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(LOADERS))
def test_loader_returns_what_the_descriptor_says(name, descriptor):
    resource = official_resource(name)
    frame = LOADERS[name]()
    fields = resource["schema"]["fields"]
    assert list(frame.columns) == [f["name"] for f in fields]
    for field in fields:
        assert KINDS[field["type"]](frame[field["name"]].dtype), field["name"]
        if "unit" in field:
            assert set(frame["unit"]) == {field["unit"]}
    assert not frame.duplicated(resource["schema"]["primaryKey"]).any()
    if "value" in frame.columns:
        assert frame["value"].notna().all()
    assert frame.attrs["vintage"] == resource["vintage"]
    assert frame.attrs["licence"] == resource["licenses"][0]["title"]
    source_ids = {s["id"] for s in descriptor["sources"]}
    assert resource["sources"] and set(resource["sources"]) <= source_ids
    assert frame.attrs["source"]


def test_snapshot_size_and_encoding():
    import gzip

    files = sorted((data_dir() / "official").glob("*.csv*"))
    assert len(files) == len(LOADERS)
    assert sum(f.stat().st_size for f in files) < 5 * 1024 * 1024
    for f in files:
        (gzip.decompress(f.read_bytes()) if f.suffix == ".gz" else f.read_bytes()).decode("utf-8")


def test_country_tables_match_provenance():
    """Check values of upstream/wpp2024/PROVENANCE.md (thousands) and of the UN World rows."""
    vital = wpp_vital().set_index(["variable", "code", "year"])["value"]
    assert vital["births", "JPN", 1990] == 1176.898
    assert vital["births", "MEX", 2020] == 2100.438
    assert vital["deaths", "DEU", 2005] == 834.529
    assert vital["net_migration", "DEU", 2020] == 203.468
    assert vital["net_migration", "MEX", 1990] == -321.764
    assert set(wpp_vital().query("year == 2024")["flags"]) == {"p"}
    # countries plus "Others" add up to the published World total of migrants (PROVENANCE.md)
    bilateral = undesa_bilateral_countries()
    world = bilateral.groupby("year")["value"].sum()
    assert world[1990] == 153_916_063 and world[2005] == 192_788_721 and world[2024] == 304_021_813
    assert un_regions().set_index("code").loc["CHI", "sdg_region"] == "Europe and Northern America"


def test_snapshot_values_match_provenance():
    wdi = wdi_remittances().set_index(["code", "year"])["value"]
    assert wdi["IND", 2008] / 1e9 == pytest.approx(49.98, abs=0.006)
    assert wdi_remittances().set_index("code").loc["IND", "region"].iloc[0] == "South Asia"
    share = wdi_remittances(series="pct_gdp").set_index(["code", "year"])["value"]
    assert share["TJK", 2007] == pytest.approx(40.7, abs=0.051)
    knomad = knomad_inflows().set_index(["code", "year"])["value"]
    assert knomad["CHN", 2006] == pytest.approx(27565, abs=0.5)
    assert knomad["WLD", 2008] == pytest.approx(454273, abs=0.5)
    dest = undesa_stock(series="destination").set_index(["m49", "year"])["value"]
    assert dest[900, 2005] == 192_788_721
    assert dest[904, 2000] == 6_589_509
    assert set(undesa_stock(series="destination")["year"]) >= {2000, 2005}
    orig = undesa_stock(series="origin").set_index(["m49", "year"])["value"]
    assert orig[900, 1990] == 153_916_063
    national = oecd_inflows().set_index(["code", "year"])["value"]
    for code, persons in {"JPN": 325_621, "DEU": 558_467, "CAN": 251_641, "USA": 1_266_129}.items():
        assert national[code, 2006] == persons
    standardised = oecd_inflows(series="standardised")
    assert standardised[(standardised["code"] == "JPN") & (standardised["year"] == 2019)]["value"].sum() == pytest.approx(137_636, abs=0.5)


def test_loader_choices_are_checked():
    with pytest.raises(UnknownNameError):
        undesa_stock(series="birth")
    with pytest.raises(UnknownNameError):
        wdi_remittances(series="eur")
    with pytest.raises(UnknownNameError):
        official_resource("no-such-resource")


def test_snapshot_is_reproducible(shared_dir):
    """tools/build_snapshot.py --check rebuilds every table from the upstream files and compares."""
    result = subprocess.run(
        [sys.executable, str(Path(__file__).resolve().parents[2] / "tools" / "build_snapshot.py"), "--check", "--upstream", str(shared_dir / "upstream")],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
