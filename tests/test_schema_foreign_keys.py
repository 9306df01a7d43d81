"""Foreign keys of the data package checked column-wise: an empty optional cell refers to nothing."""

from __future__ import annotations

import json

import pytest

from migstats.datasets import schema
from migstats.errors import ValidationError


def _package(tmp_path, child_rows):
    (tmp_path / "parent.csv").write_text("code\nAAA\nBBB\n", encoding="utf-8")
    (tmp_path / "child.csv").write_text("id,code\n" + "".join(f"{i},{c}\n" for i, c in child_rows), encoding="utf-8")
    (tmp_path / "datapackage.json").write_text(json.dumps({"resources": [
        {"name": "parent", "path": "parent.csv", "schema": {"fields": [{"name": "code", "type": "string"}]}},
        {"name": "child", "path": "child.csv", "schema": {
            "fields": [{"name": "id", "type": "integer"}, {"name": "code", "type": "string"}],
            "foreignKeys": [{"fields": ["code"], "reference": {"resource": "parent", "fields": ["code"]}}]}},
    ]}), encoding="utf-8")
    return tmp_path


def test_empty_optional_reference_is_accepted(tmp_path):
    root = _package(tmp_path, [(1, "AAA"), (2, ""), (3, "BBB")])
    codes = schema.read_table("child", root=root)["code"]
    assert codes.isna().tolist() == [False, True, False] and codes.dropna().tolist() == ["AAA", "BBB"]


def test_unknown_reference_names_its_first_row(tmp_path):
    root = _package(tmp_path, [(1, "AAA"), (2, ""), (3, "CCC"), (4, "DDD")])
    with pytest.raises(ValidationError, match="'CCC' is not a code of resource 'parent'") as err:
        schema.read_table("child", root=root)
    assert (err.value.row, err.value.column) == (3, "code")
