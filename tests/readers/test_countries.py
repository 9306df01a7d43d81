"""Country names and codes to ISO3 (migstats.countries)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from migstats.countries import country_name, iso3_from_m49, iso3_from_name, iso3_from_names, known_iso3
from migstats.errors import InputError, UnknownCountryError


@pytest.mark.parametrize(
    "name, iso3",
    [
        ("Serbia and Montenegro", "SCG"),
        ("Yugoslavia", "YUG"),
        ("USSR", "SUN"),
        ("Czechoslovakia", "CSK"),
        ("Netherlands Antilles", "ANT"),
        ("United States of America*", "USA"),  # UN footnote asterisk
        ("Côte d'Ivoire", "CIV"),
        ("Cote d'Ivoire", "CIV"),
        ("  congo, dem. rep. ", "COD"),
        ("Congo, Rep.", "COG"),
        ("Egypt, Arab Rep.", "EGY"),
        ("Korea, Rep.", "KOR"),
        ("Korea, Dem. People's Rep.", "PRK"),
        ("Türkiye", "TUR"),
        ("Turkey", "TUR"),
        ("Swaziland", "SWZ"),
        ("Macedonia, FYR", "MKD"),
        ("China, Hong Kong SAR", "HKG"),
        ("Kosovo", "XKX"),
        ("Channel Islands", "CHI"),
        ("Bolivia (Plurinational State of)", "BOL"),
        ("Cape Verde", "CPV"),
        ("IND", "IND"),
    ],
)
def test_names(name, iso3):
    assert iso3_from_name(name) == iso3


@pytest.mark.parametrize("m49, iso3", [(356, "IND"), (840, "USA"), (276, "DEU"), (392, "JPN"), (156, "CHN"), (484, "MEX"),
                                       (762, "TJK"), (498, "MDA"), (776, "TON"), (826, "GBR"), (158, "TWN")])
def test_m49(m49, iso3):
    assert iso3_from_m49(m49) == iso3


def test_m49_groups_are_not_countries():
    assert iso3_from_m49(900) is None and iso3_from_m49(904) is None


def test_unknown_name_says_where():
    with pytest.raises(UnknownCountryError) as err:
        iso3_from_names(["India", "Atlantis"], file="x.csv", column="Name", rows=[4, 5], row_kind="line")
    assert (err.value.file, err.value.row, err.value.column, err.value.row_kind) == ("x.csv", 5, "Name", "line")
    assert "Atlantis" in str(err.value)
    with pytest.raises(UnknownCountryError):
        iso3_from_name("Atlantis")
    with pytest.raises(UnknownCountryError):
        country_name("ZZZ")
    with pytest.raises(LookupError):  # UnknownCountryError is also a LookupError
        iso3_from_name("")


def test_every_wdi_economy_is_in_the_table(upstream_file):
    """Independent check: the World Bank's own list of economies (Region given) against the table."""
    meta = pd.read_csv(upstream_file("wdi_meta_country"), encoding="utf-8-sig", keep_default_na=False)
    economies = set(meta.loc[meta["Region"] != "", "Country Code"])
    assert len(economies) == 217
    assert economies <= known_iso3()


def test_knomad_names_agree_with_wdi_names(upstream_file):
    """Names in the KNOMAD matrix map to the same code as the identical WDI name."""
    wdi = pd.read_csv(upstream_file("wdi_usd"), skiprows=4, encoding="utf-8-sig")
    by_name = dict(zip(wdi["Country Name"], wdi["Country Code"]))
    senders = pd.read_csv(upstream_file("knomad_bilateral"))["Remittance-sending country"]
    shared = [n for n in senders if n in by_name and n != "World"]
    assert len(shared) > 150
    assert iso3_from_names(shared) == [by_name[n] for n in shared]


@pytest.mark.parametrize("code", ["x", None, "", True, 356.5, float("nan"), [356]])
def test_m49_that_is_not_a_whole_number_is_an_input_error(code):
    with pytest.raises(InputError, match="M49 code is a whole number") as err:
        iso3_from_m49(code)
    assert repr(code) in str(err.value)


def test_m49_as_stored_by_spreadsheets_and_csv_files():
    assert iso3_from_m49(356.0) == iso3_from_m49(np.int64(356)) == iso3_from_m49(" 356") == "IND"


# ---------------------------------------------------------------- the table as a data package resource


def _package_copy(tmp_path, edit):
    """A copy of the bundled data package with countries.csv passed through ``edit`` (a function of its lines)."""
    import shutil

    from migstats.datasets._paths import data_dir

    root = tmp_path / "data"
    shutil.copytree(data_dir(), root)
    path = root / "countries" / "countries.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    path.write_text("\n".join(edit(lines)), encoding="utf-8")
    return root


def _replace_line(start, new):
    return lambda lines: [new if line.startswith(start) else line for line in lines]


@pytest.mark.parametrize(
    "edit, row, column, message",
    [
        # data row n is line n + 1: DEU is on line 59 of countries.csv (grep -n), data row 58.
        (_replace_line("DEU,", "DE,276,Germany,"), 58, "iso3", "pattern"),
        # FRA (250) comes after DEU: the duplicate is reported on France's row, 74.
        (_replace_line("DEU,", "DEU,250,Germany,"), 74, "m49", "duplicate value .*250"),
        (_replace_line("DEU,", "DEU,,Germany,"), 58, "m49", "required"),
        (_replace_line("DEU,", "DEU,276,Germany,Allemagne|France"), 74, "name", "also a name of DEU"),
        (_replace_line("DEU,", "DEU,276,Germany"), 59, None, "3 fields, the header has 4"),
    ],
)
def test_corrupted_country_table_is_an_error_naming_row_and_column(tmp_path, edit, row, column, message):
    from migstats.countries import _index_table
    from migstats.errors import ValidationError

    root = _package_copy(tmp_path, edit)
    with pytest.raises(ValidationError, match=message) as info:
        _index_table(root)
    assert info.value.file.endswith("countries.csv")
    if row is not None:
        assert (info.value.row, info.value.column) == (row, column)


def test_bundled_country_table_is_the_resource():
    from migstats.datasets.schema import read_table

    table = read_table("countries")
    assert len(table) == 244
    row = table.set_index("iso3").loc["XKX"]
    assert (row["m49"], row["name"]) == (412, "Kosovo")
    assert iso3_from_m49(412) == "XKX" and iso3_from_m49(831) == "GGY" and iso3_from_m49(832) == "JEY"


def test_iso3_from_names_accepts_codes_like_iso3_from_name():
    assert iso3_from_names(["DEU", "deu", "Germany"]) == [iso3_from_name("DEU")] * 3


def test_unknown_single_name_says_where():
    with pytest.raises(UnknownCountryError, match=r"unknown country or area name 'Atlantis'") as err:
        iso3_from_name(" Atlantis ", file="y.csv", row=7, column="Country")
    assert (err.value.file, err.value.row, err.value.column, err.value.row_kind) == ("y.csv", 7, "Country", "row")
    with pytest.raises(UnknownCountryError) as err:
        iso3_from_name("Atlantis")
    assert (err.value.file, err.value.row, err.value.column) == (None, None, None)
