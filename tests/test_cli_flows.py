"""`migstats flows ...`: files written whole, errors in one line, names in step with the library."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from migstats.cli import main
from migstats.cli.flows import METHOD_NAMES, OTHERS_RULES
from migstats.flows.world import METHODS, global_flows
from migstats.flows.world.accounts import OTHERS_RULES as LIBRARY_OTHERS


def test_cli_names_are_the_library_names():
    assert METHOD_NAMES == tuple(METHODS)
    assert OTHERS_RULES == LIBRARY_OTHERS


def test_estimate_writes_every_country_pair(tmp_path, capsys):
    out = tmp_path / "flows.csv"
    assert main(["flows", "estimate", "--period", "2015-2020", "--method", "sd_drop_neg", "--out", str(out)]) == 0
    written = pd.read_csv(out, keep_default_na=False)
    expected = global_flows("2015-2020", method="sd_drop_neg")
    assert len(written) == len(expected) == 232 * 231
    pd.testing.assert_series_equal(written["flow"], expected["flow"], check_exact=True)
    assert "53,592 rows" in capsys.readouterr().err
    meta = json.loads((tmp_path / "flows.csv.json").read_text(encoding="utf-8"))
    assert meta["table"] == "flows.csv" and meta["rows"] == 232 * 231 and meta["unit"] == "person"
    assert meta["vintages"] == {"bilateral": "2024", "population": "2024", "vital": "2024"}
    assert "International Migrant Stock 2024" in meta["sources"]["bilateral"]


def test_estimate_parquet(tmp_path):
    pytest.importorskip("pyarrow", reason="parquet output needs pyarrow")
    out = tmp_path / "flows.parquet"
    assert main(["flows", "estimate", "--method", "sd_rev_neg", "--out", str(out)]) == 0
    assert pd.read_parquet(out)["method"].unique().tolist() == ["sd_rev_neg"]


@pytest.mark.parametrize("argv, message", [
    (["--period", "2025-2030"], "not covered by the stock data"),
    (["--out", "flows.xlsx"], "unknown output format '.xlsx'"),
    (["--out", "no/such/folder/flows.csv"], "does not exist"),
])
def test_errors_are_one_line_and_leave_files_alone(tmp_path, monkeypatch, capsys, argv, message):
    monkeypatch.chdir(tmp_path)
    existing = tmp_path / "flows.csv"
    existing.write_text("keep me\n")
    args = ["flows", "estimate", "--method", "sd_drop_neg", *argv]
    if "--out" not in argv:
        args += ["--out", "flows.csv"]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "Traceback" not in err
    assert existing.read_text() == "keep me\n"


def test_unknown_method_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["flows", "estimate", "--method", "da_pb_open"])
    assert stop.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_corridors_and_totals(capsys):
    assert main(["flows", "corridors", "--top", "3", "--method", "sd_rev_neg", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0] == "period,method,rank,orig,dest,flow" and len(lines) == 4
    assert lines[1].startswith("2015-2020,sd_rev_neg,1,VEN,COL,")
    assert main(["flows", "totals", "--method", "sd_drop_neg", "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "period,method,flow,population,share"


def _total(capsys, *argv):
    assert main(["flows", "totals", "--format", "csv", *argv]) == 0
    table = pd.read_csv(__import__("io").StringIO(capsys.readouterr().out))
    return float(table["flow"].iloc[0])


def test_pb_sample_size_reaches_the_estimator(capsys):
    # n = persons makes the weight n/(n+K) about 1 for every birthplace: the pseudo-Bayes table is
    # then the minimum-migration table (within the 1e-4 the library test allows)
    persons = _total(capsys, "--method", "da_pb_closed", "--pb-sample-size", "persons")
    minimum = _total(capsys, "--method", "da_min_closed")
    default = _total(capsys, "--method", "da_pb_closed")
    assert persons == pytest.approx(minimum, rel=1e-4)
    assert default > 1.5 * persons


@pytest.mark.parametrize("value", ["0", "-1", "nan", "inf", "many"])
def test_pb_sample_size_must_be_a_name_or_a_positive_number(value, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["flows", "totals", "--pb-sample-size", value])
    assert stop.value.code == 2
    assert "--pb-sample-size" in capsys.readouterr().err


def test_sensitivity_defaults_are_the_library_defaults():
    import argparse
    import inspect

    from migstats.cli import build_parser
    from migstats.flows.world import flow_sensitivity

    parser = build_parser()
    flows = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices["flows"]
    sub = next(a for a in flows._actions if isinstance(a, argparse._SubParsersAction)).choices["sensitivity"]
    cli = {a.dest: a.default for a in sub._actions}
    library = inspect.signature(flow_sensitivity).parameters
    for name in ("draws", "stock_cv", "vital_cv", "population_cv", "stock_correlation", "method", "others",
                 "pb_sample_size"):
        assert cli[name] == library[name].default, name
    assert cli["period"] == library["period"].default


def test_sensitivity_writes_the_library_tables(tmp_path, capsys):
    from migstats.flows.world import flow_sensitivity

    out = tmp_path / "corridors.csv"
    argv = ["flows", "sensitivity", "--method", "sd_drop_neg", "--draws", "2", "--seed", "3", "--stock-cv", "0.2"]
    assert main([*argv, "--table", "corridors", "--out", str(out)]) == 0
    assert "2 of 2 draws (seed 3)" in capsys.readouterr().err
    expected = flow_sensitivity("2015-2020", method="sd_drop_neg", draws=2, seed=3, stock_cv=0.2)
    written = pd.read_csv(out, keep_default_na=False)
    pd.testing.assert_frame_equal(written, expected.corridors, check_exact=True)
    assert main([*argv, "--format", "csv"]) == 0
    totals = pd.read_csv(__import__("io").StringIO(capsys.readouterr().out))
    assert list(totals.columns) == ["period", "method", "point", "mean", "p5", "p50", "p95", "draws"]
    assert totals["p95"].iloc[0] == expected.totals["p95"].iloc[0]


@pytest.mark.parametrize("argv, code, message", [
    (["--draws", "0"], 2, "--draws"),
    (["--seed", "-1"], 2, "--seed"),
    (["--stock-cv", "nan"], 2, "--stock-cv"),
    (["--stock-correlation", "2"], 2, "--stock-correlation"),
    (["--out", "flows.xlsx"], 1, "unknown output format"),
])
def test_sensitivity_bad_input(tmp_path, monkeypatch, capsys, argv, code, message):
    monkeypatch.chdir(tmp_path)
    try:
        status = main(["flows", "sensitivity", "--method", "sd_drop_neg", "--draws", "1", *argv])
    except SystemExit as stop:
        status = stop.code
    assert status == code
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []
