"""Vintages: two releases of a series, their cell-by-cell revisions, the CLI, and reconcile on the newest data."""

from __future__ import annotations

import csv
import io
import json

import numpy as np
import pandas as pd
import pytest

import migstats
from migstats.catalog import fetch, vintages
from migstats.cli import main
from migstats.errors import OfflineError, UnknownNameError

from .conftest import WDI_USD, route_of, wdi_zip

WDI = "BX.TRF.PWKR.CD.DT"
FIRST_YEAR_COLUMN = 4  # Country Name, Country Code, Indicator Name, Indicator Code, then 1960 ...


def _edit(text: str, code: str, year: int, value: str) -> tuple[str, str]:
    """Set one cell of a WDI bulk CSV, keeping the file's own quoting; returns (new text, old cell)."""
    lines = text.split("\r\n")
    at = next(i for i, line in enumerate(lines) if line.startswith(f'"{code}",') or f'","{code}","' in line[:120])
    fields = next(csv.reader([lines[at]]))
    old = fields[FIRST_YEAR_COLUMN + year - 1960]
    fields[FIRST_YEAR_COLUMN + year - 1960] = value
    lines[at] = ",".join(f'"{f}"' for f in fields[:-1]) + ","  # every field quoted, a trailing empty column
    return "\r\n".join(lines), old


@pytest.fixture
def two_vintages(cache, server, wdi_files):
    """Vintage A (the upstream file, Last Updated 2025-07-01) fetched, then B (four cells changed) fetched."""
    route = route_of("wdi", WDI)
    server.serve(route, wdi_zip(wdi_files), content_type="application/zip")
    first = fetch("wdi", indicator=WDI)
    text = wdi_files[WDI_USD].decode("utf-8-sig")
    text, india = _edit(text, "IND", 2008, "50000000000")
    text, egypt = _edit(text, "EGY", 2007, "7700000000")
    text, aruba = _edit(text, "ABW", 1960, "123")
    text, egypt_2023 = _edit(text, "EGY", 2023, "")
    text = text.replace('"Last Updated Date","2025-07-01"', '"Last Updated Date","2025-12-16"')
    changed = {**wdi_files, WDI_USD: b"\xef\xbb\xbf" + text.encode("utf-8")}
    server.serve(route, wdi_zip(changed), content_type="application/zip")
    second = fetch("wdi", indicator=WDI, refresh=True)
    return {"first": first, "second": second, "india": india, "egypt": egypt, "aruba": aruba, "egypt_2023": egypt_2023,
            "a_text": wdi_files[WDI_USD].decode("utf-8-sig"), "b_text": text}


def _nonempty_cells(text: str) -> int:
    rows = list(csv.reader(io.StringIO(text)))
    header = next(i for i, row in enumerate(rows) if row and row[0] == "Country Name")
    return sum(1 for row in rows[header + 1:] for cell in row[FIRST_YEAR_COLUMN:] if cell != "")


def test_revisions_report_exactly_the_changed_cells(two_vintages):
    v = two_vintages
    assert v["first"] != v["second"] and v["first"].is_file() and v["second"].is_file()
    # the edits change real published cells: India and Egypt had values, Aruba 1960 was empty
    assert v["india"] and v["egypt"] == "7655800000" and v["aruba"] == "" and v["egypt_2023"] == "19532100000"
    table = migstats.vintage_revisions("wdi", "2025-07-01", "2025-12-16", indicator=WDI)
    got = table.set_index(["code", "year"])
    assert sorted(got.index) == [("ABW", 1960), ("EGY", 2007), ("EGY", 2023), ("IND", 2008)]
    assert got.loc[("EGY", 2007), ["change", "previous", "revised", "absolute"]].tolist() == \
        ["revised", 7_655_800_000.0, 7_700_000_000.0, 44_200_000.0]
    assert got.loc[("EGY", 2007), "relative"] == pytest.approx(44_200_000 / 7_655_800_000, rel=1e-12)
    assert got.loc[("IND", 2008), "previous"] == float(v["india"])
    assert got.loc[("IND", 2008), "revised"] == 50_000_000_000.0
    assert got.loc[("ABW", 1960), "change"] == "added" and got.loc[("ABW", 1960), "revised"] == 123.0
    assert np.isnan(got.loc[("ABW", 1960), "previous"])
    assert got.loc[("EGY", 2023), "change"] == "removed" and got.loc[("EGY", 2023), "previous"] == 19_532_100_000.0
    assert (table["unit"] == "USD").all()
    meta = table.attrs
    assert (meta["previous_vintage"], meta["revised_vintage"], meta["changed"]) == ("2025-07-01", "2025-12-16", 2)
    # every other cell is in both vintages and unchanged
    assert meta["compared"] == _nonempty_cells(v["a_text"]) - 1 == _nonempty_cells(v["b_text"]) - 1
    summary = meta["summary"].iloc[0]
    india = 50_000_000_000.0 - float(v["india"])
    assert summary["n"] == 2
    assert summary["mean_revision"] == pytest.approx((44_200_000 + india) / 2)
    assert summary["rms_revision"] == pytest.approx(np.sqrt((44_200_000**2 + india**2) / 2))
    # "previous" and "latest" name the same two vintages; sha256 prefixes work too
    by_name = migstats.vintage_revisions("wdi", indicator=WDI)
    pd.testing.assert_frame_equal(by_name, table)
    ids = vintages("wdi")["id"].tolist()
    pd.testing.assert_frame_equal(migstats.vintage_revisions("wdi", ids[0][:8], ids[1]), table)


def test_vintage_records_and_refetching_the_same_bytes(two_vintages, server):
    table = vintages()
    assert table["vintage"].tolist() == ["2025-07-01", "2025-12-16"]
    assert table["indicator"].tolist() == [WDI, WDI]
    before = json.loads((two_vintages["second"].parent / "vintage.json").read_text())
    fetch("wdi", indicator=WDI, refresh=True)  # the server still serves B
    assert server.count() == 3
    after = json.loads((two_vintages["second"].parent / "vintage.json").read_text())
    assert len(vintages()) == 2
    assert after["retrieved"] == before["retrieved"] and after["checked"] >= before["checked"]
    with pytest.raises(UnknownNameError, match="no vintage of 'wdi' .* matching '2024-01-01'; the cache has 2025-07-01"):
        migstats.vintage_revisions("wdi", "2024-01-01", "latest")


def test_data_commands(two_vintages, capsys, server):
    assert main(["data", "vintages", "--format", "csv"]) == 0
    listed = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert listed["vintage"].tolist() == ["2025-07-01", "2025-12-16"]
    assert main(["data", "path", "wdi", "--vintage", "previous"]) == 0
    assert capsys.readouterr().out.strip() == str(two_vintages["first"])
    assert main(["data", "diff", "wdi", "2025-07-01", "2025-12-16", "--format", "csv"]) == 0
    out = capsys.readouterr()
    diff = pd.read_csv(io.StringIO(out.out))
    assert sorted(zip(diff["code"], diff["year"], diff["change"])) == [
        ("ABW", 1960, "added"), ("EGY", 2007, "revised"), ("EGY", 2023, "removed"), ("IND", 2008, "revised")]
    assert "vintage 2025-07-01 -> 2025-12-16" in out.err and "2 revised, 1 added, 1 removed" in out.err
    assert main(["data", "list", "--format", "csv"]) == 0
    assert "oecd_imd_national,rolling,uncertain" in capsys.readouterr().out
    assert main(["data", "clear-cache", "--source", "wdi"]) == 0
    assert capsys.readouterr().out.startswith("removed 2 vintages from ")
    assert len(vintages()) == 0
    assert main(["data", "path", "wdi"]) == 1
    assert "get it with `migstats data fetch wdi --indicator BX.TRF.PWKR.CD.DT`" in capsys.readouterr().err
    requests = server.count()
    assert main(["--offline", "data", "fetch", "wdi"]) == 1
    assert "offline" in capsys.readouterr().err and server.count() == requests


def test_fetch_then_reconcile_latest_works_offline_afterwards(cache, publisher, capsys, monkeypatch):
    """The documented way: `data fetch wdi --indicator ...`, then `reconcile --source latest`; then offline."""
    monkeypatch.delenv("MIGSTATS_OFFLINE", raising=False)
    assert main(["data", "fetch", "wdi", "--indicator", WDI]) == 0
    assert capsys.readouterr().out.strip().endswith(WDI_USD)
    assert publisher.count() == 1
    assert main(["reconcile", "--source", "latest", "--format", "csv"]) == 0
    online = capsys.readouterr().out
    # the other six tables reconcile needs: WDI % of GDP, KNOMAD, UN DESA x2, OECD x2; WDI US$ came from the cache
    assert publisher.count() == 7
    assert main(["--offline", "reconcile", "--source", "latest", "--format", "csv"]) == 0
    assert capsys.readouterr().out == online and publisher.count() == 7

    # the server holds the very files the snapshot was built from, so the numbers are the bundled ones
    latest = pd.read_csv(io.StringIO(online), keep_default_na=False, na_values=[""])
    bundled = migstats.reconcile()
    assert latest["figure_id"].tolist() == bundled["figure_id"].tolist()
    np.testing.assert_allclose(latest["official_value"], bundled["official_value"].astype(float), rtol=1e-12)
    assert latest["statement_holds"].astype("string").fillna("").tolist() == \
        bundled["statement_holds"].astype("string").fillna("").str.lower().str.capitalize().tolist()
    wdi_rows = latest["series"].str.startswith("WDI BX.TRF.PWKR.CD.DT")
    assert set(latest.loc[wdi_rows, "vintage"]) == {"2025-07-01"}


def test_official_loaders_read_a_path(upstream_dir):
    path = upstream_dir / "knomad-remittances" / "remittance-inflow.csv"
    from_path = migstats.knomad_inflows(source=path)
    bundled = migstats.knomad_inflows()
    pd.testing.assert_frame_equal(from_path[bundled.columns], bundled, check_dtype=False)
    assert from_path.attrs["path"] == str(path)


def test_latest_offline_without_cache_says_how(cache, monkeypatch):
    monkeypatch.setenv("MIGSTATS_OFFLINE", "1")
    with pytest.raises(OfflineError, match="get it with `migstats data fetch knomad_inflows_2017` while online"):
        migstats.reconcile(source="latest")


def test_write_record_failure_leaves_no_temporary_file(tmp_path):
    # vintage.json cannot replace a folder of that name: the write fails as an OutputError
    # and the folder holds exactly what it held before
    from migstats.catalog.cache import RECORD, write_record
    from migstats.errors import OutputError

    (tmp_path / RECORD).mkdir()
    with pytest.raises(OutputError, match="cannot write"):
        write_record(tmp_path, {"source": "wdi", "label": "2025-07-01"})
    assert sorted(p.name for p in tmp_path.iterdir()) == [RECORD]
    write_record(tmp_path / RECORD, {"label": "x"})
    assert json.loads((tmp_path / RECORD / RECORD).read_text()) == {"label": "x"}
