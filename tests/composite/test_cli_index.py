"""`migstats index build | uncertainty | sensitivity`."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from migstats import cli


def test_build_writes_results_atomically(tmp_path, capsys):
    out = tmp_path / "sub" / "results.csv"
    assert cli.main(["index", "build", "exposure", "--out", str(out)]) == 0
    assert "wrote" in capsys.readouterr().out
    table = pd.read_csv(out)
    assert table.columns[:4].tolist() == ["code", "name", "rank", "exposure"]
    assert table["rank"].iloc[0] == 1 and table["code"].is_unique
    # no temporary file left behind; the provenance beside the table
    assert sorted(p.name for p in out.parent.iterdir()) == ["results.csv", "results.csv.json"]
    meta = json.loads((out.parent / "results.csv.json").read_text(encoding="utf-8"))
    assert meta["spec"].endswith("exposure.toml") and meta["rows"] == len(table)
    assert meta["choices"]["screen_threshold"] == 0.75  # as data/composite/exposure.toml sets it


def test_uncertainty_summary_and_every_draw(tmp_path):
    out = tmp_path / "ranks.csv"
    assert cli.main(["index", "uncertainty", "exposure", "--draws", "40", "--seed", "3", "--out", str(out),
                     "--no-progress"]) == 0
    table = pd.read_csv(out)
    assert (table["rank_p05"] <= table["median_rank"]).all() and (table["median_rank"] <= table["rank_p95"]).all()
    again = tmp_path / "again.csv"
    cli.main(["index", "uncertainty", "exposure", "--draws", "40", "--seed", "3", "--out", str(again)])
    assert out.read_bytes() == again.read_bytes()
    draws = tmp_path / "draws.csv"
    cli.main(["index", "uncertainty", "exposure", "--draws", "5", "--all-draws", "--out", str(draws)])
    assert len(pd.read_csv(draws)) == 5


def test_a_failed_run_leaves_the_old_file(tmp_path, capsys):
    out = tmp_path / "results.csv"
    out.write_text("precious\n")
    bad = tmp_path / "bad.toml"
    bad.write_text('[index]\ncode = "I"\n[[indicator]]\ncode = "a"\nparent = "I"\nsource = "nowhere"\nyear = 2020\n')
    assert cli.main(["index", "build", str(bad), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "bad.toml" in err and "unknown source 'nowhere'" in err
    assert out.read_text() == "precious\n"


def test_sensitivity_prints_a_table(capsys):
    assert cli.main(["index", "sensitivity", "exposure", "--samples", "8", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "factor,first_order,total" and len(lines) == 5


def test_usage_errors():
    with pytest.raises(SystemExit) as exc:
        cli.main(["index", "uncertainty", "exposure", "--draws", "0"])
    assert exc.value.code == 2


def test_unknown_stage_is_one_line(capsys):
    assert cli.main(["index", "build", "exposure", "--stage", "Cooked"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "unknown stage 'Cooked'; choose from Raw, Denominated" in err
