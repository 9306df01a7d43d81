"""The command line: output formats, exit codes, one-line errors."""

import io
import subprocess
import sys

import pandas as pd
import pytest

from migstats import cli


def run_cli(*args):
    """Run ``python -m migstats`` in a subprocess, as a user would."""
    return subprocess.run([sys.executable, "-m", "migstats", *args], capture_output=True, text=True, timeout=120)


def test_figures_csv_for_remittances():
    res = run_cli("figures", "--topic", "remittances", "--format", "csv")
    assert res.returncode == 0, res.stderr
    table = pd.read_csv(io.StringIO(res.stdout))
    assert len(table) > 0
    assert set(table["topic"]) == {"remittances"}
    assert {"id", "value", "unit", "qualifier", "quote"} <= set(table.columns)


def test_figures_markdown_has_header_rule():
    res = run_cli("figures", "--topic", "oecd_flows", "--format", "markdown", "--columns", "id", "value", "unit")
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    assert lines[0] == "| id | value | unit |"
    assert lines[1] == "|---|---|---|"
    assert len(lines) > 2


def test_usage_error_exits_2_with_one_line():
    res = run_cli("figures", "--topic", "weather")
    assert res.returncode == 2
    assert res.stderr.count("\n") == 1 and "invalid choice: 'weather'" in res.stderr


def test_debug_after_the_subcommand(capsys):
    assert cli.main(["figures", "--debug", "--columns", "nope"]) == 1
    assert "Traceback" in capsys.readouterr().err


def test_unexpected_errors_are_one_line_too(monkeypatch, capsys):
    import migstats.datasets.report as report

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(report, "sources", broken)
    assert cli.main(["sources"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "RuntimeError: disk on fire" in err and "--debug" in err


def test_library_error_is_one_line_exit_1(monkeypatch, capsys):
    assert cli.main(["figures", "--columns", "nope"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("migstats: error: unknown column 'nope'")
    assert "Traceback" not in err


def test_debug_shows_traceback(capsys):
    assert cli.main(["--debug", "figures", "--columns", "nope"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" in err and "unknown column 'nope'" in err


def test_sources_command():
    res = run_cli("sources", "--format", "csv")
    assert res.returncode == 0, res.stderr
    assert "un-7cm-2008" in res.stdout


def test_import_is_light():
    code = (
        "import sys, migstats; heavy = [m for m in ('pandas', 'matplotlib', 'openpyxl', 'scipy', 'pint') "
        "if m in sys.modules]; print(heavy)"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert res.stdout.strip() == "[]"


def test_audit_command_prints_every_claim_and_exits_0():
    res = run_cli("audit", "--format", "csv")
    assert res.returncode == 0, res.stderr
    table = pd.read_csv(io.StringIO(res.stdout))
    assert {"claim_id", "stated", "recomputed", "tolerance", "verdict", "explanation"} <= set(table.columns)
    verdicts = table.set_index("claim_id")["verdict"]
    # Japan: (325,600 - 87,600) / 325,600 = 73.1 %: the stated 73 per cent is consistent on the national base
    assert verdicts["oecd_jpn_difference_base"] == "consistent"
    # the "19 per cent higher" statement against Japan's own figures (OECD 73 % lower): contradicted
    # by the example, but an aggregate can differ from its members
    assert verdicts["oecd_general_vs_jpn"] == "ambiguous"
    assert set(verdicts) <= {"consistent", "inconsistent", "ambiguous"}


def test_reconcile_command():
    res = run_cli("reconcile", "--format", "csv")
    assert res.returncode == 0, res.stderr
    table = pd.read_csv(io.StringIO(res.stdout))
    japan = table[table["figure_id"] == "oecd_jpn_national_2006"].iloc[0]
    # OECD IMD today: 325,621 (PROVENANCE.md) against the report's 325,600
    assert japan["official_value"] == 325_621 and japan["absolute"] == 21


def test_help_starts_without_pandas_or_matplotlib():
    code = (
        "import sys; from migstats import cli; cli.build_parser(); "
        "print([m for m in ('pandas', 'matplotlib', 'pint') if m in sys.modules])"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert res.stdout.strip() == "[]"
