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


# --- Trust under a closed pipe, signals and bad options (issue 10, item 7) ---------------------
# Each case runs `python -m migstats` as a user would. PYTHONUNBUFFERED is removed so that
# standard output is block-buffered, as it is for a user piping into `head`.

import json  # noqa: E402
import os  # noqa: E402
import signal  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

SMALL = ["mexico_monthly_remittance", "census_round_2010"]  # two quick charts
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
posix_only = pytest.mark.skipif(not hasattr(os, "fork"), reason="POSIX signals and fork")


def _start(*args, **kwargs):
    return subprocess.Popen([sys.executable, "-m", "migstats", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=ENV, **kwargs)


def _hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".")) if folder.is_dir() else []


def test_closed_stdout_does_not_stop_the_work(tmp_path):
    # `migstats charts ... | head -1`: the reader leaves after the first line; every chart is
    # still written and the status is that of the job (before: 1 of 2 written, exit 0)
    out = tmp_path / "c"
    proc = _start("charts", "--out", str(out), "--only", *SMALL)
    assert proc.stdout.readline() == f"wrote {out / SMALL[0]}.png\n"
    proc.stdout.close()
    err = proc.stderr.read()
    assert proc.wait(timeout=120) == 0
    assert err == ""
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{n}.png" for n in SMALL)


def test_a_failure_after_stdout_closed_still_exits_1(tmp_path):
    # the second chart is written after the reader left, the third fails: exit 1, not 0
    out = tmp_path / "c"
    code = (
        "import sys, migstats.charts.report as r\n"
        "from migstats.errors import InputError\n"
        "def broken(*a, **k): raise InputError('planted failure')\n"
        "r.figures_by_topic = broken\n"
        "from migstats.cli import main\n"
        f"sys.exit(main(['charts', '--out', {str(out)!r}, '--only', *{SMALL!r}, 'figures_by_topic']))\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=ENV)
    assert proc.stdout.readline().startswith("wrote ")
    proc.stdout.close()
    err = proc.stderr.read()
    assert proc.wait(timeout=120) == 1
    assert err == "migstats: error: planted failure\n"
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{n}.png" for n in SMALL)


def test_closed_stdout_on_a_table_is_quiet():
    # a table command whose reader leaves early: no "Exception ignored ... BrokenPipeError"
    proc = _start("audit", "--format", "json")
    assert proc.stdout.readline() == "[\n"
    proc.stdout.close()
    err = proc.stderr.read()
    assert proc.wait(timeout=120) == 0 and err == ""


@posix_only
@pytest.mark.parametrize("sig, status, line", [
    (signal.SIGINT, 130, "migstats: interrupted\n"),
    (signal.SIGTERM, 143, "migstats: stopped by SIGTERM\n"),
])
def test_signal_prints_one_line_and_leaves_no_temporary_file(tmp_path, sig, status, line):
    # before: Ctrl-C gave a 70-line traceback; SIGTERM could leave a hidden temporary file
    out = tmp_path / "c"
    proc = _start("charts", "--out", str(out), "--only", "remittances_report_vs_today")
    deadline = time.monotonic() + 60
    while not out.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)  # the folder is made after the handlers are in place, before drawing
    proc.send_signal(sig)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == status, stderr
    assert stderr == line
    assert _hidden(out) == []


def _stress(tmp_path, sig, mode, trials=30):
    driver = Path(__file__).with_name("_cli_stress.py")
    res = subprocess.run([sys.executable, str(driver), str(tmp_path / mode), sig, str(trials), mode],
                         capture_output=True, text=True, timeout=300, env=ENV)
    assert res.returncode == 0, res.stderr
    return json.loads(res.stdout)


@posix_only
def test_no_temporary_file_survives_sigterm_at_any_moment(tmp_path):
    # 30 runs whose time goes almost all to writing through temporary files, each stopped by
    # SIGTERM at a random moment. The control (SIGTERM's default action, the state before)
    # shows that the signal lands inside the temporary-file window in most runs.
    control = _stress(tmp_path, "SIGTERM", "bare")
    assert control["statuses"] == {str(-signal.SIGTERM): 30} and control["runs_with_leftovers"] >= 5, control
    result = _stress(tmp_path, "SIGTERM", "cli")
    assert result == {"statuses": {"143": 30}, "runs_with_leftovers": 0}


@posix_only
def test_no_temporary_file_survives_sigint_at_any_moment(tmp_path):
    result = _stress(tmp_path, "SIGINT", "cli", trials=20)
    assert result == {"statuses": {"130": 20}, "runs_with_leftovers": 0}


@pytest.mark.parametrize("dpi", ["49", "1201", "1", "8000", "100000"])
def test_dpi_out_of_bounds_is_a_usage_error(dpi):
    # before: --dpi 1 died inside FreeType, 8000 took 52 s and 10 GB for one chart
    res = run_cli("charts", "--only", "census_round_2010", "--dpi", dpi)
    assert res.returncode == 2
    assert res.stderr == (f"migstats: error: argument --dpi: must be between 50 and 1200, got {dpi} "
                          "(see 'migstats charts --help')\n")


@pytest.mark.parametrize("dpi", [50, 1200])
def test_dpi_bounds_are_accepted(dpi):
    # the edges themselves (drawing at 50 dpi is tested in tests/charts)
    assert cli.build_parser().parse_args(["charts", "--dpi", str(dpi)]).dpi == dpi


@pytest.mark.parametrize("args, message", [
    (["--frob"], "unknown option '--frob' (see 'migstats --help')"),
    (["--frob", "figures"], "unknown option '--frob' (see 'migstats figures --help')"),
    (["figures", "--frob"], "unknown option '--frob' (see 'migstats figures --help')"),
    (["figures", "surplus"], "unexpected argument 'surplus' (see 'migstats figures --help')"),
    ([], "a command is required: one of figures, sources, audit, reconcile, charts"),
])
def test_usage_error_names_what_was_wrong(args, message):
    # before: `migstats --frob` said "the following arguments are required: COMMAND"
    res = run_cli(*args)
    assert res.returncode == 2
    assert res.stderr.startswith(f"migstats: error: {message}") and res.stderr.count("\n") == 1
    assert res.stdout == ""


def test_write_table_provenance_always_describes_the_table_beside_it(tmp_path):
    """<out>.json is rewritten with every table, so a provenance file from an earlier run never sits
    beside a table it does not describe; attrs cannot overwrite the name, rows and columns."""
    import json

    from migstats.cli._common import write_table

    out = tmp_path / "t.csv"
    first = pd.DataFrame({"a": [1, 2, 3]})
    first.attrs = {"unit": "person", "rows": "not the row count", "seed": 7}
    write_table(first, out)
    meta = json.loads((tmp_path / "t.csv.json").read_text(encoding="utf-8"))
    assert meta == {"unit": "person", "rows": 3, "seed": 7, "table": "t.csv", "columns": ["a"]}
    write_table(pd.DataFrame({"b": ["x"]}), out)  # no attrs
    meta = json.loads((tmp_path / "t.csv.json").read_text(encoding="utf-8"))
    assert meta == {"table": "t.csv", "rows": 1, "columns": ["b"]}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.csv", "t.csv.json"]
