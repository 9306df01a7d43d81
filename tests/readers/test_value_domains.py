"""The value domain of each bundled official table, in its schema: a corrupted copy is an error naming row and column."""

from __future__ import annotations

import shutil

import pytest

from migstats.datasets._paths import data_dir
from migstats.datasets.schema import read_table, resource_descriptor
from migstats.errors import ValidationError
from migstats.readers._numbers import UPPER_BOUNDS

OFFICIAL = [
    "official-wdi-remittances-usd",
    "official-wdi-remittances-pct-gdp",
    "official-knomad-inflows-2017",
    "official-undesa-stock-destination",
    "official-undesa-stock-origin",
    "official-undesa-bilateral-regions",
    "official-undesa-population-regions",
    "official-oecd-inflows-national",
    "official-oecd-inflows-standardised",
]


@pytest.mark.parametrize("name", OFFICIAL)
def test_schema_bounds_are_the_readers_bounds(name):
    resource = resource_descriptor(name)
    value = next(field for field in resource["schema"]["fields"] if field["name"] == "value")
    table = read_table(name)
    (unit,) = set(table["unit"])
    assert value["constraints"]["minimum"] == 0
    assert value["constraints"]["maximum"] == UPPER_BOUNDS[unit]


def _corrupt(tmp_path, name, value):
    """A copy of the data package whose resource ``name`` has ``value`` in the value cell of data row 2."""
    root = tmp_path / "data"
    shutil.copytree(data_dir(), root)
    path = root / resource_descriptor(name)["path"]
    lines = path.read_text(encoding="utf-8").split("\n")
    header = lines[0].split(",")
    fields = lines[2].split(",")
    assert len(fields) == len(header), "the chosen row has no quoted comma"
    fields[header.index("value")] = value
    lines[2] = ",".join(fields)
    path.write_text("\n".join(lines), encoding="utf-8")
    return root


@pytest.mark.parametrize(
    "name, value, message",
    [
        ("official-wdi-remittances-usd", "-1", "minimum"),
        ("official-wdi-remittances-usd", "10000000000001", "maximum"),
        ("official-knomad-inflows-2017", "10000001", "maximum"),
        ("official-undesa-stock-origin", "1e11", "maximum"),
        ("official-wdi-remittances-usd", "inf", "number"),
    ],
)
def test_a_value_outside_the_domain_is_a_validation_error(tmp_path, name, value, message):
    root = _corrupt(tmp_path, name, value)
    with pytest.raises(ValidationError, match=message) as err:
        read_table(name, root=root)
    assert (err.value.row, err.value.column) == (2, "value")
    assert err.value.file.endswith(resource_descriptor(name)["path"].split("/")[-1])


def test_the_bound_itself_is_allowed(tmp_path):
    root = _corrupt(tmp_path, "official-wdi-remittances-usd", "10000000000000")
    assert read_table("official-wdi-remittances-usd", root=root)["value"].iloc[1] == 1e13
