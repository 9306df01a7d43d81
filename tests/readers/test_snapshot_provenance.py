"""Provenance columns, the KNOMAD zero flag and the tightened schemas of the bundled official tables."""

from __future__ import annotations

import csv
import json
import shutil

import pytest

from migstats.datasets import schema
from migstats.datasets._paths import data_dir
from migstats.errors import UnknownNameError, ValidationError
from upstream_files import UPSTREAM_FILES, upstream_path

OFFICIAL = [n for n in schema.resource_names() if n.startswith("official-")]


@pytest.fixture(scope="module")
def resources():
    text = (data_dir() / "datapackage.json").read_text(encoding="utf-8")
    return {r["name"]: r for r in json.loads(text)["resources"]}


def read_rows(path):
    if str(path).endswith(".gz"):
        import gzip
        import io

        return list(csv.DictReader(io.StringIO(gzip.decompress(path.read_bytes()).decode("utf-8"), newline="")))
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("name", OFFICIAL)
def test_every_row_names_its_source_and_vintage(name, resources):
    entry = resources[name]
    rows = read_rows(data_dir() / entry["path"])
    assert {r["source"] for r in rows} == set(entry["sources"])
    assert {r["vintage"] for r in rows} == {entry["vintage"]}
    # and the validator accepts the table with its tightened schema
    assert len(schema.read_table(name)) == len(rows)


@pytest.mark.parametrize("name", OFFICIAL)
def test_schemas_pin_the_unit_and_require_the_key(name, resources):
    fields = {f["name"]: f for f in resources[name]["schema"]["fields"]}
    measured = "value" in fields  # a lookup table (regions of countries) has no measurement
    if measured:
        value_unit = fields["value"]["unit"]
        assert fields["unit"]["constraints"]["enum"] == [value_unit]
        assert {"rule": "unit", "field": "unit"} in resources[name]["schema"]["x-migstats-checks"]
    for key in resources[name]["schema"]["primaryKey"] + (["value", "unit", "year"] if measured else []):
        assert fields[key]["constraints"]["required"] is True, key


def test_knomad_zero_flag_in_the_snapshot(resources):
    rows = read_rows(data_dir() / resources["official-knomad-inflows-2017"]["path"])
    zero = [r for r in rows if float(r["value"]) == 0]
    assert zero and all("z" in r["flags"].split() for r in zero)
    assert not any("z" in r["flags"].split() for r in rows if float(r["value"]) != 0)
    flags = next(f for f in resources["official-knomad-inflows-2017"]["schema"]["fields"] if f["name"] == "flags")
    assert "z" in flags["constraints"]["enum"] and "missing" in flags["description"]


def corrupted_copy(tmp_path, file_name, edit):
    """A copy of the data package whose official/``file_name`` has one row changed by ``edit(rows)``."""
    root = tmp_path / "data"
    shutil.copytree(data_dir(), root)
    path = root / "official" / file_name
    rows = read_rows(path)
    row = edit(rows)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return root, path, row


def set_cell(column, text, index=10):
    def edit(rows):
        rows[index][column] = text
        return index + 1  # data row number (the header is line 1)

    return edit


def repeat_row(index=10):
    def edit(rows):
        rows.append(dict(rows[index]))
        return len(rows)

    return edit


@pytest.mark.parametrize(
    "file_name, resource, edit, column, message",
    [
        ("knomad_inflows_2017.csv", "official-knomad-inflows-2017", set_cell("unit", "billion USD"), "unit", "allowed values"),
        ("knomad_inflows_2017.csv", "official-knomad-inflows-2017", set_cell("flags", "q"), "flags", "allowed values"),
        ("knomad_inflows_2017.csv", "official-knomad-inflows-2017", set_cell("vintage", "2018"), "vintage", "allowed values"),
        ("knomad_inflows_2017.csv", "official-knomad-inflows-2017", set_cell("value", ""), "value", "required"),
        ("knomad_inflows_2017.csv", "official-knomad-inflows-2017", set_cell("code", "india"), "code", "pattern"),
        ("knomad_inflows_2017.csv", "official-knomad-inflows-2017", repeat_row(), "code", "duplicate primary key"),
        ("wdi_remittances_usd.csv", "official-wdi-remittances-usd", set_cell("source", "wb-knomad-2017"), "source", "allowed values"),
        ("undesa_stock_origin.csv", "official-undesa-stock-origin", set_cell("value", "-5.0"), "value", "minimum"),
        ("oecd_inflows_national.csv", "official-oecd-inflows-national", set_cell("year", ""), "year", "required"),
        ("undesa_bilateral_regions.csv", "official-undesa-bilateral-regions", repeat_row(3), "orig_m49", "duplicate primary key"),
    ],
)
def test_corrupted_snapshot_fails_validation_saying_where(tmp_path, file_name, resource, edit, column, message):
    root, path, row = corrupted_copy(tmp_path, file_name, edit)
    with pytest.raises(ValidationError, match=message) as err:
        schema.read_table(resource, root=root)
    assert (err.value.file, err.value.row, err.value.column) == (str(path), row, column)


def test_upstream_file_names_in_one_place(upstream_dir):
    for key in UPSTREAM_FILES:
        assert upstream_path(upstream_dir, key).is_file(), key
    with pytest.raises(UnknownNameError, match="wdi_usd"):
        upstream_path(upstream_dir, "wdi")
