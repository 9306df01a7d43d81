"""Every registered chart renders with a title, labelled axes and a source line; the
``migstats charts`` command writes files atomically and reproducibly, and fails cleanly."""

import hashlib
import os
import subprocess
import sys

import matplotlib.pyplot as plt
import pytest

from migstats import charts, cli
from migstats.errors import InputError, OutputError, UnknownNameError

NAMES = charts.chart_names()


def test_registry_lists_every_chart_with_title_and_description():
    table = charts.list_charts()
    assert len(table) >= 9
    assert table["name"].is_unique
    assert (table["title"].str.len() > 10).all()
    assert (table["description"].str.len() > 10).all()


@pytest.mark.parametrize("name", NAMES)
def test_chart_renders_with_title_axis_labels_and_source(name):
    fig = charts.render(name)
    try:
        axes = [ax for ax in fig.axes if ax.get_visible() and ax.has_data()]
        assert axes, "no axes with data"
        main = axes[0]
        assert main.get_title(loc="left"), "no title"
        labelled = [ax for ax in axes if ax.get_xlabel() or ax.get_ylabel()]
        # a chart either labels its axes with units or is a diagram without numeric axes
        assert labelled or not main.axison
        texts = [t.get_text() for t in fig.texts]
        assert any(t.startswith("Source:") for t in texts), texts
    finally:
        plt.close(fig)


@pytest.mark.parametrize("name", NAMES)
def test_chart_draws_into_a_given_axes(name):
    fig, ax = plt.subplots(figsize=(8, 5))
    try:
        out = charts.render(name, ax=ax)
        assert out is fig
    finally:
        plt.close(fig)


def _digest(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_cli_writes_every_chart_and_reruns_are_byte_identical(tmp_path, capsys):
    out = tmp_path / "charts"
    assert cli.main(["charts", "--out", str(out), "--format", "png", "svg", "--dpi", "50"]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert len(printed) == 2 * len(NAMES) + 1
    assert printed[-1].startswith(f"{2 * len(NAMES)} files written to {out}")
    first = _digest(out)
    assert set(first) == {f"{n}.{f}" for n in NAMES for f in ("png", "svg")}
    assert cli.main(["charts", "--out", str(out), "--format", "png", "svg", "--dpi", "50"]) == 0
    assert _digest(out) == first
    assert not [p for p in out.iterdir() if p.name.startswith(".")], "temporary files left behind"


def test_cli_pdf_reruns_are_byte_identical(tmp_path):
    name = NAMES[0]
    a, b = tmp_path / "a", tmp_path / "b"
    for folder in (a, b):
        assert cli.main(["charts", "--out", str(folder), "--only", name, "--format", "pdf"]) == 0
    assert (a / f"{name}.pdf").read_bytes() == (b / f"{name}.pdf").read_bytes()


def test_cli_list(capsys):
    assert cli.main(["charts", "--list"]) == 0
    out = capsys.readouterr().out
    for name in NAMES:
        assert name in out


@pytest.mark.parametrize(
    "args, message",
    [
        (["--only", "no_such_chart"], "invalid choice: 'no_such_chart'"),
        (["--format", "gif"], "invalid choice: 'gif'"),
        (["--dpi", "0"], "must be between 50 and 1200, got 0"),
        (["--dpi", "49"], "must be between 50 and 1200, got 49"),
        (["--dpi", "1201"], "must be between 50 and 1200, got 1201"),
        (["--dpi", "high"], "'high' is not a whole number"),
    ],
)
def test_cli_bad_request_is_a_one_line_usage_error_and_writes_nothing(tmp_path, capsys, args, message):
    out = tmp_path / "charts"
    with pytest.raises(SystemExit) as info:
        cli.main(["charts", "--out", str(out), *args])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err and "Traceback" not in err
    assert not out.exists()


def test_library_rejects_unknown_chart_format_and_dpi_before_writing(tmp_path):
    # no list(...) around the calls: the checks run when write_charts is called
    with pytest.raises(UnknownNameError, match="unknown chart 'nope'"):
        charts.write_charts(tmp_path / "a", ["nope"])
    with pytest.raises(UnknownNameError, match="unknown format 'gif'"):
        charts.write_charts(tmp_path / "b", formats=["gif"])
    for dpi in (49, 49.9, 1200.5, 1201, 0, -150, True, "150"):
        with pytest.raises(InputError, match="dpi must be a number from 50 to 1200"):
            charts.write_charts(tmp_path / "c", dpi=dpi)
    with pytest.raises(InputError, match="got 8000"):
        charts.render(NAMES[0], dpi=8000)
    assert not any((tmp_path / d).exists() for d in "abc")


def test_write_charts_is_eager_and_reports_each_file(tmp_path):
    reported = []
    written = charts.write_charts(tmp_path, [NAMES[0]], formats=["png", "svg"], dpi=50, on_written=reported.append)
    expected = [tmp_path / f"{NAMES[0]}.png", tmp_path / f"{NAMES[0]}.svg"]
    assert written == expected and reported == expected
    assert all(p.stat().st_size > 0 for p in expected)


def test_dpi_bounds_are_inclusive(tmp_path):
    # 50 draws; 1200 passes the check (the smallest chart, to keep the test short)
    (png,) = charts.write_charts(tmp_path, ["mexico_monthly_remittance"], dpi=50)
    from PIL import Image

    with Image.open(png) as image:
        assert image.size == (400, 180)  # 8.0 x 3.6 inches at 50 dpi
    charts._check_dpi(1200)
    charts._check_dpi(50)


def test_duplicate_formats_are_written_once(tmp_path, capsys):
    assert cli.main(["charts", "--out", str(tmp_path), "--only", NAMES[0], "--format", "png", "png"]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("1 files written")


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write into read-only folders")
def test_cli_unwritable_dir_read_only(tmp_path, capsys):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        assert cli.main(["charts", "--out", str(locked / "sub")]) == 1
        assert "migstats: error:" in capsys.readouterr().err
    finally:
        locked.chmod(0o700)


def test_cli_unwritable_dir_is_an_error(tmp_path, capsys):
    # a regular file where the folder should be: cannot be created, even as root
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert cli.main(["charts", "--out", str(blocker / "charts")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("migstats: error: cannot create output folder") and err.count("\n") == 1
    with pytest.raises(OutputError):
        charts.write_charts(blocker / "charts")


def test_unknown_chart_in_library():
    with pytest.raises(UnknownNameError):
        charts.get_chart("nope")


def test_main_job_command_in_a_subprocess(tmp_path):
    res = subprocess.run(
        [sys.executable, "-m", "migstats", "charts", "--out", str(tmp_path / "c"), "--only", NAMES[0]],
        capture_output=True, text=True, timeout=300,
    )
    assert res.returncode == 0, res.stderr
    assert (tmp_path / "c" / f"{NAMES[0]}.png").is_file()


def test_titles_and_bars_follow_the_data_they_are_given():
    import migstats

    figs = migstats.figures()
    figs.loc[figs["id"] == "rem_dev_2008", "value"] = 300.0
    figs.loc[figs["id"] == "rem_dev_growth_2007_2008", "value"] = 10.0
    fig = charts.render("remittances_developing", data=figs)
    try:
        ax = fig.axes[0]
        title = ax.get_title(loc="left")
        assert "US$300 billion (2008)" in title and "to 10 % (2007-08)" in title
        heights = sorted(round(p.get_height(), 6) for p in ax.patches)
        # 229 (2006), 300 (2008) and the implied 2007 value 300 / 1.10 = 272.727...
        assert heights == [229.0, round(300 / 1.1, 6), 300.0]
    finally:
        plt.close(fig)


def _title_boxes(fig):
    from matplotlib.text import Text

    renderer = fig.canvas.get_renderer()
    for ax in fig.axes:
        titles = {ax.get_title(loc=loc) for loc in ("left", "center", "right")} - {""}
        for child in ax.get_children():
            if isinstance(child, Text) and child.get_text() in titles:
                yield child.get_window_extent(renderer)


@pytest.mark.parametrize("name", NAMES)
def test_title_fits_inside_the_figure(name):
    fig = charts.render(name)
    try:
        boxes = list(_title_boxes(fig))
        assert boxes
        for box in boxes:
            assert box.x0 >= -1 and box.x1 <= fig.bbox.width + 1, (name, box.x0, box.x1, fig.bbox.width)
    finally:
        plt.close(fig)


def test_title_check_catches_a_title_running_off_the_figure():
    fig = charts.render(NAMES[0])
    try:
        fig.axes[0].set_title("a title far too long for any chart " * 6, loc="left")
        assert any(box.x1 > fig.bbox.width + 1 for box in _title_boxes(fig))
    finally:
        plt.close(fig)


def test_old_keyword_of_the_data_still_works_and_warns_at_the_callers_line():
    import migstats
    from migstats.charts import report

    figs = migstats.figures()
    figs.loc[figs["id"] == "census_2010_round_conducted", "value"] = 70.0
    for call in (lambda: report.census_round_2010(figs=figs), lambda: charts.render("census_round_2010", figs=figs)):
        with pytest.warns(DeprecationWarning, match=r"census_round_2010\(figs=...\) is deprecated; use data=") as rec:
            fig = call()
        assert rec[0].filename == __file__
        assert fig.axes[0].patches[0].get_width() == 70.0
        plt.close(fig)
    with pytest.raises(TypeError, match="got both 'data' and its old name 'figs'"):
        report.census_round_2010(data=figs, figs=figs)


def test_a_chart_called_directly_is_in_the_house_style():
    from migstats.charts import report

    fig = report.census_round_2010()
    try:
        ax = fig.axes[0]
        assert ax.title.get_fontweight() == "bold" or ax._left_title.get_fontweight() == "bold"
        assert not ax.spines["top"].get_visible()
        assert ax._left_title.get_fontname() == "DejaVu Sans"
    finally:
        plt.close(fig)
