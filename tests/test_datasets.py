"""The bundled data package: loading, validation, and rejection of corrupted copies."""

import json
import shutil

import pandas as pd
import pytest

import migstats
from migstats.datasets import schema
from migstats.datasets._paths import data_dir
from migstats.errors import UnknownFigureError, UnknownNameError, ValidationError


@pytest.fixture()
def data_copy(tmp_path):
    """A writable copy of the bundled data package."""
    root = tmp_path / "data"
    shutil.copytree(data_dir(), root)
    return root


def _edit_csv(root, relative, edit):
    """Apply ``edit`` to a CSV of the data package at ``root``; return the file's path."""
    path = root / relative
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame = edit(frame)
    frame.to_csv(path, index=False)
    return path


def _row_of(frame, figure_id):
    return int(frame.index[frame["id"] == figure_id][0])


def test_descriptor_lists_every_file_and_every_file_is_listed():
    desc = schema.descriptor()
    listed = {r["path"] for r in desc["resources"]}
    on_disk = {p.relative_to(data_dir()).as_posix() for p in data_dir().rglob("*.csv*")}
    assert on_disk == listed
    for res in desc["resources"]:
        assert res["licenses"] and all(lic.get("name") for lic in res["licenses"]), res["name"]
        assert res.get("sources"), res["name"]


def test_every_resource_loads_and_validates():
    for name in schema.resource_names():
        table = schema.read_table(name)
        assert len(table) > 0, name


def test_figures_table_shape_and_ids():
    figs = migstats.figures()
    assert len(figs) >= 90
    assert figs["id"].is_unique
    assert set(figs["topic"]) <= set(migstats.datasets.report.TOPICS)
    assert figs.attrs["sources"] == ["un-7cm-2008"]


def test_topic_views():
    rem = migstats.remittances()
    assert len(rem) > 0 and (rem["topic"] == "remittances").all()
    stocks = migstats.migrant_stocks()
    assert len(stocks) > 0 and (stocks["topic"] == "migrant_stock").all()
    with pytest.raises(UnknownNameError, match="unknown topic"):
        migstats.figures(topic="weather")


def test_figure_lookup_and_unknown_id():
    with pytest.raises(UnknownFigureError, match="no_such_figure"):
        migstats.figure("no_such_figure")


def test_sources_name_the_report():
    src = migstats.sources()
    report = src.set_index("id").loc["un-7cm-2008"]
    assert "Seventh" in report["title"]
    assert "report-figures" in report["resources"]
    assert report["licence"]


# --- corrupted copies: each names file, row and column ------------------------------------


def _corrupt_and_expect(data_copy, edit, column, message):
    rows = {}

    def wrapped(frame):
        out, rows["row"] = edit(frame)
        return out

    path = _edit_csv(data_copy, "report/figures.csv", wrapped)
    with pytest.raises(ValidationError) as info:
        schema.read_table("report-figures", root=data_copy)
    err = info.value
    assert err.file == str(path)
    assert err.column == column
    if rows["row"] is not None:
        assert err.row == rows["row"]
        assert f"row {rows['row']}" in str(err)
    assert str(path) in str(err) and repr(column) in str(err)
    assert message in str(err)


def test_rejects_bad_unit(data_copy):
    def edit(f):
        f.loc[4, "unit"] = "billion gold coins"
        return f, 5

    _corrupt_and_expect(data_copy, edit, "unit", "cannot parse unit")


def test_rejects_low_above_high(data_copy):
    def edit(f):
        i = int(f.index[f["low"] != ""][0])
        f.loc[i, "low"], f.loc[i, "high"] = "350", "340"
        return f, i + 1

    _corrupt_and_expect(data_copy, edit, "low", "greater than high")


def test_rejects_value_outside_its_range(data_copy):
    def edit(f):
        i = int(f.index[f["low"] != ""][0])
        f.loc[i, "value"] = str(float(f.loc[i, "high"]) + 1)
        return f, i + 1

    _corrupt_and_expect(data_copy, edit, "value", "greater than high")


def test_rejects_duplicate_id(data_copy):
    def edit(f):
        f.loc[7, "id"] = f.loc[2, "id"]
        return f, 8

    _corrupt_and_expect(data_copy, edit, "id", "duplicate value")


def test_rejects_missing_column(data_copy):
    def edit(f):
        return f.drop(columns=["qualifier"]), None

    _corrupt_and_expect(data_copy, edit, "qualifier", "missing column")


def test_rejects_string_in_number_column(data_copy):
    def edit(f):
        i = int(f.index[f["value"] != ""][3])
        f.loc[i, "value"] = "two hundred"
        return f, i + 1

    _corrupt_and_expect(data_copy, edit, "value", "'two hundred' is not a valid number")


def test_rejects_unknown_qualifier(data_copy):
    def edit(f):
        f.loc[0, "qualifier"] = "roughly"
        return f, 1

    _corrupt_and_expect(data_copy, edit, "qualifier", "not one of the allowed values")


def test_rejects_unknown_entity_code(data_copy):
    def edit(f):
        f.loc[9, "entity_code"] = "XXQ"
        return f, 10

    _corrupt_and_expect(data_copy, edit, "entity_code", "is not a code of resource 'report-entities'")


def test_rejects_figure_without_value_or_range(data_copy):
    def edit(f):
        i = int(f.index[f["qualifier"] == "exact"][0])
        f.loc[i, "value"] = ""
        return f, i + 1

    _corrupt_and_expect(data_copy, edit, "value", "needs a value")


def test_rejects_half_a_range(data_copy):
    def edit(f):
        i = int(f.index[f["low"] != ""][0])
        f.loc[i, "high"] = ""
        return f, i + 1

    _corrupt_and_expect(data_copy, edit, "high", "needs both low and high")


def test_rejects_year_end_before_start(data_copy):
    def edit(f):
        i = int(f.index[f["year_start"] != ""][0])
        f.loc[i, "year_end"] = str(int(f.loc[i, "year_start"]) - 1)
        return f, i + 1

    _corrupt_and_expect(data_copy, edit, "year_start", "greater than year_end")


def test_rejects_broken_descriptor(data_copy):
    (data_copy / "datapackage.json").write_text('{"resources": [', encoding="utf-8")
    with pytest.raises(ValidationError, match="not valid JSON"):
        schema.read_table("report-figures", root=data_copy)


def test_rejects_missing_file(data_copy):
    (data_copy / "report" / "figures.csv").unlink()
    with pytest.raises(ValidationError, match="file not found"):
        schema.read_table("report-figures", root=data_copy)


def test_descriptor_is_json_with_table_schema():
    raw = json.loads((data_dir() / "datapackage.json").read_text(encoding="utf-8"))
    assert raw["profile"] == "tabular-data-package"
    for res in raw["resources"]:
        assert {"name", "path", "schema"} <= set(res)
        for field in res["schema"]["fields"]:
            assert field["type"] in {"string", "integer", "number", "boolean"}


def test_oecd_flows_side_by_side_from_the_report():
    table = migstats.oecd_flows().set_index("entity_code")
    # section V: "325,600 immigrants for 2006 versus 87,600 estimated by the OECD, a difference of 73 per cent"
    assert table.loc["JPN", ["national", "oecd", "stated_difference"]].tolist() == [325_600, 87_600, 73]
    assert table.loc["DEU", ["national", "oecd", "stated_difference"]].tolist() == [558_500, 216_000, 61]
    assert table.loc["JPN", "year"] == 2006 and table.loc["JPN", "unit"] == "person"
    # "did not differ at all": a zero difference, and no invented counts
    for code in ("CAN", "USA"):
        assert table.loc[code, "stated_difference"] == 0
        assert pd.isna(table.loc[code, "national"]) and pd.isna(table.loc[code, "oecd"])
    assert table.loc["OED", "stated_difference"] == 19


def test_linked_figures_resolve():
    links = migstats.links()
    ids = set(migstats.figures()["id"])
    assert set(links["figure_id"]) <= ids
    revision = links[links["relation"] == "revision"]
    egypt = revision[revision["link_id"].str.contains("egy")].set_index("role")["figure_id"]
    assert migstats.figure(egypt["previous"])["value"] == 4
    assert migstats.figure(egypt["revised"])["value"] == 7.5


def _set(column, text):
    def edit(frame):
        frame.loc[5, column] = text

    return edit


def _duplicate_previous_key(frame):
    frame.loc[5, ["code", "year"]] = frame.loc[4, ["code", "year"]].to_list()


@pytest.mark.parametrize(
    "resource, edit, column, message",
    [
        ("official-knomad-inflows-2017", _set("value", "abc"), "value", "'abc' is not a valid number"),
        ("official-knomad-inflows-2017", _set("year", "19x4"), "year", "'19x4' is not a valid integer"),
        ("official-wdi-remittances-usd", _duplicate_previous_key, "code", "duplicate primary key"),
    ],
)
def test_official_snapshot_is_validated_on_load(data_copy, resource, edit, column, message):
    res = schema.resource_descriptor(resource)
    path = data_copy / res["path"]
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    edit(frame)
    frame.to_csv(path, index=False)
    with pytest.raises(ValidationError) as info:
        schema.read_table(resource, root=data_copy)
    assert info.value.file == str(path) and info.value.row == 6 and info.value.column == column
    assert message in str(info.value)
    assert "np." not in str(info.value)  # values as written, e.g. ('ABW', 1961), not np.int64(1961)


def test_official_loaders_return_validated_tables_with_provenance():
    knomad = migstats.knomad_inflows()
    assert knomad.attrs["resource"] == "official-knomad-inflows-2017"
    assert knomad.attrs["vintage"] and knomad.attrs["licence"] and knomad.attrs["source"]
    assert not knomad.duplicated(["code", "year"]).any()


def _edit_counterparts(root, edit):
    return _edit_csv(root, "report/counterparts.csv", edit)


def _cell(column, value, row=3):
    def edit(frame):
        frame.loc[row - 1, column] = value
        return frame
    return edit


@pytest.mark.parametrize(
    "edit, row, column, message",
    [
        (_cell("comparison", "nearest"), 3, "comparison", "'nearest'"),
        (_cell("table", "imf"), 3, "table", "'imf'"),
        (_cell("figure_id", "rem_atlantis_2008"), 3, "figure_id", "is not a id of resource 'report-figures'"),
        (_cell("year", "20o8"), 3, "year", "'20o8' is not a valid integer"),
        (_cell("year", "1900"), 3, "year", "1900 is outside the minimum 1950"),
        (_cell("matches_report", "maybe"), 3, "matches_report", "'maybe' is not a valid boolean"),
        (_cell("code", "india"), 3, "code", "does not match pattern"),
        (_cell("series", ""), 3, "series", "required value is empty"),
        (lambda f: pd.concat([f, f.iloc[[2]]], ignore_index=True), None, "figure_id", "duplicate primary key"),
        (lambda f: f.drop(columns="concept"), None, "concept", "missing column"),
    ],
)
def test_counterparts_are_validated_on_load_with_file_row_and_column(data_copy, edit, row, column, message):
    path = _edit_counterparts(data_copy, edit)
    with pytest.raises(ValidationError) as info:
        migstats.counterparts(root=data_copy)
    assert info.value.file == str(path) and info.value.column == column
    if row is not None:
        assert info.value.row == row
    assert message in str(info.value)


def test_duplicate_counterpart_is_reported_at_its_row(data_copy):
    _edit_counterparts(data_copy, lambda f: pd.concat([f, f.iloc[[2]]], ignore_index=True))
    with pytest.raises(ValidationError) as info:
        migstats.counterparts(root=data_copy)
    assert info.value.row == len(migstats.counterparts()) + 1  # the appended copy, after the last bundled row


def test_counterparts_name_every_figure_once_per_table_and_agree_with_the_loaders():
    table = migstats.counterparts()
    assert not table.duplicated(["figure_id", "table"]).any()
    assert set(table["figure_id"]) <= set(migstats.figures()["id"])
    assert set(table["table"]) == set(migstats.official_tables())
    assert table.attrs["path"].endswith("counterparts.csv")
    # every code names a row of its table in its year (the comparison reads exactly those rows)
    tables = migstats.official_tables()
    for row in table[table["comparison"] != "knomad_developing"].to_dict("records"):
        t = tables[row["table"]]
        hits = t[(t["code"] == row["code"]) & (t["year"] == row["year"])]
        assert len(hits) >= (0 if row["comparison"] == "sum_if_present" else 1), row


def test_empty_text_cells_are_none_whatever_the_pandas_string_storage():
    raw = pd.DataFrame({"code": ["AFG", "", "ALB"]}, dtype="str")
    typed = schema.validate_frame(raw, {"fields": [{"name": "code", "type": "string"}]}, "f.csv")
    assert typed["code"].dtype == object and typed["code"].tolist() == ["AFG", None, "ALB"]
