"""WPP 2024 births, deaths, net migration: values checked against wpp2024/PROVENANCE.md and the files by eye."""

from __future__ import annotations

import shutil

import pytest

from migstats.errors import InputError, ReaderError, ReaderWarning, UnknownCountryError, UnknownNameError
from migstats.readers import read_wpp


@pytest.fixture(scope="module")
def births(upstream_file):
    return read_wpp(upstream_file("wpp_births"))


@pytest.fixture(scope="module")
def deaths(upstream_file):
    return read_wpp(upstream_file("wpp_deaths"))


@pytest.fixture(scope="module")
def migration(upstream_file):
    return read_wpp(upstream_file("wpp_migration"))


def value(df, m49, year):
    hit = df[(df["m49"] == m49) & (df["year"] == year)]
    assert len(hit) == 1, (m49, year)
    return float(hit["value"].iloc[0])


# PROVENANCE.md, "Check values (thousands)": the numbers as printed there.
CHECKS = [
    ("births", 900, {1990: 143461.425, 2005: 137166.462, 2020: 134719.611, 2023: 132110.264}),
    ("births", 392, {1990: 1176.898, 2005: 1078.811, 2020: 840.688, 2023: 749.884}),
    ("births", 484, {1990: 2436.563, 2005: 2318.498, 2020: 2100.438, 2023: 2037.689}),
    ("deaths", 900, {1990: 49794.345, 2005: 53390.436, 2020: 63546.315, 2023: 61651.608}),
    ("deaths", 276, {1990: 923.338, 2005: 834.529, 2020: 990.849, 2023: 1034.14}),
    ("migration", 276, {1990: 679.702, 2005: 81.351, 2020: 203.468, 2023: 609.553}),
    ("migration", 484, {1990: -321.764, 2005: -310.278, 2020: -147.456, 2023: -101.044}),
]


@pytest.mark.parametrize("table, m49, expected", CHECKS)
def test_values_match_provenance(request, table, m49, expected):
    df = request.getfixturevalue(table)
    for year, thousands in expected.items():
        assert value(df, m49, year) == thousands


def test_projection_2024_matches_provenance(upstream_file):
    births = read_wpp(upstream_file("wpp_births_projection"))
    deaths = read_wpp(upstream_file("wpp_deaths_projection"))
    assert value(births, 900, 2024) == 132405.927
    assert value(deaths, 900, 2024) == 62389.498
    assert births.attrs["variant"] == "medium-variant projection"
    assert set(births["source"]) == {"UN DESA Population Division, World Population Prospects 2024, medium-variant projection"}
    assert (births["year"].min(), births["year"].max()) == (2024, 2100)


def test_shape_codes_and_aggregates(births):
    # 297 data lines x 74 years (1950-2023), every cell published (PROVENANCE.md, "Layout").
    assert len(births) == 297 * 74
    assert (births["year"].min(), births["year"].max()) == (1950, 2023)
    areas = births.drop_duplicates("m49").set_index("m49")
    assert len(areas) == 297
    assert areas.loc[900, ["code", "name", "aggregate"]].tolist() == ["", "World", True]
    assert areas.loc[931, ["code", "name", "aggregate"]].tolist() == ["", "South America", True]
    assert areas.loc[276, ["code", "name", "aggregate"]].tolist() == ["DEU", "Germany", False]
    # Added to the country table for WPP: Guernsey, Jersey and Kosovo (412 in UNlocations.txt).
    assert areas.loc[[831, 832, 412], "code"].tolist() == ["GGY", "JEY", "XKX"]
    # 236 of the 237 countries and areas of UNlocations.txt (location_type 4) have a line.
    assert (~areas["aggregate"]).sum() == 236
    assert areas.loc[~areas["aggregate"], "code"].str.len().eq(3).all()
    assert set(births["flags"]) == {""}


def test_units_provenance_and_dtypes(births):
    assert set(births["unit"]) == {"thousand person"}
    assert set(births["variable"]) == {"births"}
    assert set(births["vintage"]) == {"2024"}
    assert births.attrs["unit"] == "thousand person"
    assert births.attrs["licence"].startswith("CC-BY-3.0-IGO")
    assert "World Population Prospects 2024" in births.attrs["citation"]
    assert births["m49"].dtype == "int64" and births["year"].dtype == "int64"
    assert births["value"].dtype == "float64" and births["aggregate"].dtype == bool
    assert list(births.columns) == [
        "m49", "code", "name", "aggregate", "year", "variable", "value", "unit", "flags", "source", "vintage",
    ]


def test_net_migration_is_signed_and_sums_to_zero_over_countries(migration):
    assert set(migration["variable"]) == {"net_migration"}
    assert (migration["value"] < 0).any()
    # World net migration is 0 (PROVENANCE.md); so is the sum over the 236 countries and areas,
    # which tests that no country line is lost or shifted.
    assert (migration.loc[migration["m49"] == 900, "value"] == 0).all()
    # Each value is rounded to the person (0.001 thousand): the sum of 236 may be off by 236 x 0.0005.
    by_year = migration[~migration["aggregate"]].groupby("year")["value"].sum()
    assert by_year.abs().max() <= 236 * 0.0005
    assert set(migration.attrs["last_observed"].values()) == {2023}
    assert len(migration.attrs["last_observed"]) == 297


def test_vintage_and_series_arguments(upstream_file, tmp_path):
    births = read_wpp(upstream_file("wpp_births"), vintage="2024 rev. 1", series="births")
    assert set(births["vintage"]) == {"2024 rev. 1"}
    with pytest.raises(InputError, match="says 'births'"):
        read_wpp(upstream_file("wpp_births"), series="deaths")
    with pytest.raises(UnknownNameError, match="unknown series"):
        read_wpp(upstream_file("wpp_births"), series="fertility")
    with pytest.raises(UnknownNameError, match="unknown="):
        read_wpp(upstream_file("wpp_births"), unknown="drop")
    renamed = _copy(upstream_file, tmp_path, "wpp_births", "wpp_births.tsv")
    with pytest.raises(UnknownNameError, match="pass series="):
        read_wpp(renamed)
    assert read_wpp(renamed, series="births")["value"].sum() == births["value"].sum()


def _copy(upstream_file, tmp_path, key, name=None, edit=None):
    """A copy of an upstream WPP file beside a copy of UNlocations.txt, its text passed through ``edit``."""
    source = upstream_file(key)
    target = tmp_path / (name or source.name)
    shutil.copy(upstream_file("wpp_locations"), tmp_path / "UNlocations.txt")
    text = source.read_text(encoding="utf-8")
    target.write_text(edit(text) if edit else text, encoding="utf-8")
    return target


def _edit_line(number, change):
    """An ``edit`` that passes physical line ``number`` (1-based) through ``change``."""

    def edit(text):
        lines = text.split("\n")
        lines[number - 1] = change(lines[number - 1])
        return "\n".join(lines)

    return edit


def _set_cell(number, column, new):
    return _edit_line(number, lambda line: "\t".join(new if i == column else c for i, c in enumerate(line.split("\t"))))


# Line 2 is World (900); columns: 0 country_code, 1 country, 2 = 1950, ...
@pytest.mark.parametrize(
    "edit, message, line, column",
    [
        (_edit_line(5, lambda l: l.rsplit("\t", 1)[0]), "75 fields, the header has 76", 5, None),
        (_edit_line(5, lambda l: l + "\t1.0"), "77 fields, the header has 76", 5, None),
        (_edit_line(1, lambda l: l.rsplit("\t", 1)[0]), "76 fields, the header has 75", 2, None),
        (_set_cell(3, 10, "inf"), "cannot read 'inf' as a number", 3, "1958"),
        (_set_cell(3, 10, "-inf"), "cannot read '-inf' as a number", 3, "1958"),
        (_set_cell(3, 10, "1e400"), "inf is not a finite number", 3, "1958"),
        (_set_cell(3, 10, "-5.5"), "-5.5 thousand person is negative; births cannot be negative", 3, "1958"),
        (_set_cell(3, 10, "12,5"), "cannot read '12,5' as a number", 3, "1958"),
        (_set_cell(3, 10, "1.234,5"), "cannot read '1.234,5' as a number", 3, "1958"),
        (_set_cell(3, 10, ""), "cannot read '' as a number", 3, "1958"),
        # 1e7 thousand persons (1e10 persons) is allowed, just above is not.
        (_set_cell(3, 10, "10000000.001"), "beyond the plausibility bound of 1e+07 thousand person", 3, "1958"),
        (_set_cell(4, 0, "900"), "duplicated row: country_code=900 on line 2 and line 4", 4, "country_code"),
        (_set_cell(4, 0, "9x"), "not a whole number", 4, "country_code"),
        (_set_cell(1, 10, "year"), "not a year", 1, "year"),
        (_set_cell(1, 10, "1950"), "year column appears twice", 1, "1950"),
        (_set_cell(1, 0, "code"), "must start with 'country_code'", 1, None),
        (lambda text: text.split("\n", 1)[0] + "\n", "no data rows after the header", 1, None),
    ],
)
def test_malformed_files_are_errors_naming_line_and_column(upstream_file, tmp_path, edit, message, line, column):
    path = _copy(upstream_file, tmp_path, "wpp_births", edit=edit)
    with pytest.raises(ReaderError, match=message.replace("(", r"\(").replace("+", r"\+")) as info:
        read_wpp(path)
    assert info.value.file == str(path)
    assert (info.value.row, info.value.column) == (line, column)


def test_plausibility_bound_is_inclusive(upstream_file, tmp_path):
    path = _copy(upstream_file, tmp_path, "wpp_births", edit=_set_cell(3, 10, "10000000"))
    assert value(read_wpp(path), 1834, 1958) == 1e7


def test_negative_net_migration_is_read_but_not_infinite(upstream_file, tmp_path):
    path = _copy(upstream_file, tmp_path, "wpp_migration", edit=_set_cell(3, 10, "-9999999"))
    assert value(read_wpp(path), 1834, 1958) == -9999999
    path = _copy(upstream_file, tmp_path, "wpp_migration", edit=_set_cell(3, 10, "-1e400"))
    with pytest.raises(ReaderError, match="-inf is not a finite number"):
        read_wpp(path)


def test_unknown_location_raises_or_is_kept_flagged(upstream_file, tmp_path):
    # 999 is in no list; Germany's 276 dropped from UNlocations.txt makes it unknown as well.
    path = _copy(upstream_file, tmp_path, "wpp_births", edit=_set_cell(4, 0, "999"))
    with pytest.raises(UnknownCountryError, match="location code 999 is not in the location list") as info:
        read_wpp(path)
    assert (info.value.row, info.value.column) == (4, "country_code")
    kept = read_wpp(path, unknown="keep")
    row = kept[(kept["m49"] == 999) & (kept["year"] == 1950)].iloc[0]
    assert (row["code"], row["flags"], row["aggregate"]) == ("", "u", False)
    assert (kept["flags"] == "u").sum() == 74


def test_country_missing_from_country_table(upstream_file, tmp_path):
    # A location_type-4 code that migstats.countries does not know: 831 (Guernsey) renumbered 830-something new.
    def edit(text):
        return text.replace("\n831\tGuernsey\t", "\n839\tGuernsey\t")

    path = _copy(upstream_file, tmp_path, "wpp_births", edit=edit)
    locations = (tmp_path / "UNlocations.txt")
    locations.write_text(locations.read_text().replace("Guernsey\t831\t", "Guernsey\t839\t"))
    with pytest.raises(UnknownCountryError, match="location code 839 is a country or area missing from the country"):
        read_wpp(path)


def test_location_list_is_required(upstream_file, tmp_path):
    target = tmp_path / "births.txt"
    shutil.copy(upstream_file("wpp_births"), target)
    with pytest.raises(ReaderError, match="UNlocations.txt") as info:
        read_wpp(target)
    assert info.value.file.endswith("UNlocations.txt")
    assert len(read_wpp(target, locations=upstream_file("wpp_locations"))) == 297 * 74


def test_windows_1252_file_is_read_with_a_warning_not_as_mojibake(upstream_file, tmp_path):
    path = _copy(upstream_file, tmp_path, "wpp_births")
    path.write_bytes(path.read_text(encoding="utf-8").encode("cp1252"))
    with pytest.warns(ReaderWarning, match="read as Windows-1252"):
        names = set(read_wpp(path)["name"])
    assert "Côte d'Ivoire" in names and "CÃ´te d'Ivoire" not in names
