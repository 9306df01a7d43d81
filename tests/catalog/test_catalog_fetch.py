"""migstats.fetch against a local server: verified downloads, the cache, offline mode and every refusal."""

from __future__ import annotations

import hashlib
import io
import json
import os
import multiprocessing
import threading
import time
import zipfile
from pathlib import Path

import pytest

import migstats
from migstats.catalog import cached_path, fetch, registry, vintages
from migstats.errors import ChecksumError, FetchError, IgnoredArgumentError, InputError, OfflineError

from .conftest import WDI_USD, route_of, wdi_zip

KNOMAD = "knomad_inflows_2017"
# sha256 of remittance-inflow.csv as ../shared/upstream/knomad-remittances/PROVENANCE.md gives it
KNOMAD_SHA = "d12c36143a5a135792528d735c31334dcd0abe5261df332baabe74e1b03dd9d8"


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def test_registry_hashes_are_the_upstream_files(upstream_dir):
    """Every fixed release's sha256 and size in the registry is that of the file in ../shared/upstream."""
    from .conftest import UPSTREAM_OF

    table = registry().set_index("id")
    fixed = table[table["release"] == "fixed"]
    assert set(fixed.index) <= set(UPSTREAM_OF)
    for source, row in fixed.iterrows():
        data = (upstream_dir / UPSTREAM_OF[source]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == row["sha256"], source
        assert len(data) == row["size"], source
    assert table.loc[KNOMAD, "sha256"] == KNOMAD_SHA
    # a rolling release has no fixed hash; an uncertain URL says so
    assert (table.loc[table["release"] == "rolling", "sha256"] == "").all()
    assert set(table.loc[table["url_status"] == "uncertain"].index) == {"oecd_imd_national", "oecd_standardised_permanent"}


def test_first_fetch_downloads_and_verifies_second_makes_no_request(cache, publisher, upstream_dir):
    path = fetch(KNOMAD)
    assert publisher.count() == 1
    assert path.read_bytes() == (upstream_dir / "knomad-remittances/remittance-inflow.csv").read_bytes()
    assert path.is_relative_to(cache)
    again = fetch(KNOMAD)
    assert again == path and publisher.count() == 1
    table = vintages()
    assert len(table) == 1
    row = table.iloc[0]
    assert (row["source"], row["sha256"], row["size"], bool(row["verified"])) == (KNOMAD, KNOMAD_SHA, 63120, True)
    assert row["url"] == publisher.base + route_of(KNOMAD)
    # the reader reads what was fetched: India 2008 = 49,977 US$ million (PROVENANCE.md check value)
    table = migstats.knomad_inflows(source="latest")
    assert table.set_index(["code", "year"]).loc[("IND", 2008), "value"] == pytest.approx(49_977, abs=0.5)
    assert publisher.count() == 1


def test_wdi_zip_is_extracted_with_its_companions(cache, publisher):
    path = fetch("wdi", indicator="BX.TRF.PWKR.CD.DT")
    assert path.name == WDI_USD
    assert {p.name for p in path.parent.iterdir()} == {
        WDI_USD, f"Metadata_Country_{WDI_USD}", f"Metadata_Indicator_{WDI_USD}", "vintage.json"}
    record = json.loads((path.parent / "vintage.json").read_text())
    # the file's own preamble says "Last Updated Date","2025-07-01"
    assert record["publisher_updated"] == "2025-07-01" and record["label"] == "2025-07-01"
    assert record["sha256"] == "254d1c23504fe34725a2203b02db5bdb2d5576b00eca3a2a816dfcd298a56557"
    assert record["verified"] is False  # a rolling release has no registered hash
    usd = migstats.wdi_remittances(series="usd", source="latest")
    assert set(usd["vintage"]) == {"2025-07-01"} and usd.attrs["vintage"] == "2025-07-01"
    assert usd.attrs["sha256"] == record["sha256"]
    # India 2008: 49.98 US$ bn (PROVENANCE.md check value)
    assert usd.set_index(["code", "year"]).loc[("IND", 2008), "value"] / 1e9 == pytest.approx(49.98, abs=0.005)
    assert usd.set_index("code").loc["IND", "income_group"].iloc[0] == "Lower middle income"


def test_offline_makes_no_request(cache, publisher, monkeypatch):
    monkeypatch.setenv("MIGSTATS_OFFLINE", "1")
    with pytest.raises(OfflineError, match=r"migstats data fetch wdi --indicator BX\.TRF\.PWKR\.CD\.DT"):
        fetch("wdi", indicator="BX.TRF.PWKR.CD.DT")
    with pytest.raises(OfflineError, match="migstats data fetch knomad_inflows_2017"):
        migstats.knomad_inflows(source="latest")
    assert publisher.count() == 0 and _files(cache) == []
    monkeypatch.delenv("MIGSTATS_OFFLINE")
    path = fetch(KNOMAD)
    monkeypatch.setenv("MIGSTATS_OFFLINE", "1")
    assert fetch(KNOMAD) == path
    with pytest.raises(OfflineError, match="cannot refresh 'knomad_inflows_2017' while offline"):
        fetch(KNOMAD, refresh=True)
    assert publisher.count() == 1


def test_progress_bar_only_when_asked_or_on_a_terminal(cache, publisher, capsys):
    fetch(KNOMAD)  # stderr is not a terminal under pytest: quiet
    assert capsys.readouterr().err == ""
    fetch(KNOMAD, refresh=True, progress=True)
    assert "remittance-inflow.csv" in capsys.readouterr().err


def test_cached_path_never_downloads(cache, publisher):
    with pytest.raises(OfflineError, match="not in the cache"):
        cached_path(KNOMAD)
    path = fetch(KNOMAD)
    assert cached_path(KNOMAD) == path
    assert publisher.count() == 1


def _serve_knomad(server, body, **kw):
    server.serve(route_of(KNOMAD), body, content_type="text/csv", **kw)


KNOMAD_BYTES = (Path(os.environ.get("MIGSTATS_SHARED", Path(__file__).resolve().parents[3] / "shared"))
                / "upstream/knomad-remittances/remittance-inflow.csv")


@pytest.mark.parametrize(
    "case, route, error, message",
    [
        ("server error", dict(status=500), FetchError, r"HTTP 500 Internal Server Error \(gave up after 2 attempts\)"),
        ("not found", dict(status=404), FetchError, r"HTTP 404 Not Found"),
        ("truncated body", dict(send=1000), FetchError, r"truncated download: [\d,]+ of 63,120 bytes \(gave up after 2 attempts\)"),
        ("slow response", dict(delay=1.5), FetchError, r"no answer within 0\.2 s \(gave up after 2 attempts\)"),
        ("redirect to plain http elsewhere", dict(status=302, location="http://example.org/remittance-inflow.csv"),
         FetchError, r"refusing 'http://example\.org/remittance-inflow\.csv': only https://"),
    ],
)
def test_failed_downloads_leave_nothing(cache, server, case, route, error, message):
    _serve_knomad(server, KNOMAD_BYTES.read_bytes(), **route)
    with pytest.raises(error, match=message):
        fetch(KNOMAD, timeout=0.2, retries=1)
    assert _files(cache) == []
    retried = case in ("server error", "truncated body", "slow response")
    assert server.count() == (2 if retried else 1)


def test_retries_are_bounded_and_back_off(cache, server, monkeypatch):
    from migstats.catalog import download

    waits = []
    monkeypatch.setattr(download, "_sleep", waits.append)
    _serve_knomad(server, b"", status=503)
    with pytest.raises(FetchError, match=r"HTTP 503 Service Unavailable \(gave up after 4 attempts\)"):
        fetch(KNOMAD, retries=3)
    assert server.count() == 4
    assert waits == [0.01, 0.02, 0.04]  # BACKOFF (0.01 in these tests), doubled before each retry


def test_redirects_within_https_or_the_test_server_are_followed(cache, server):
    _serve_knomad(server, b"", status=301, location=server.base + "/moved/remittance-inflow.csv")
    server.serve("/moved/remittance-inflow.csv", KNOMAD_BYTES.read_bytes(), content_type="text/csv")
    assert hashlib.sha256(fetch(KNOMAD).read_bytes()).hexdigest() == KNOMAD_SHA
    assert server.requests == [route_of(KNOMAD), "/moved/remittance-inflow.csv"]


def test_wrong_hash_is_a_checksum_error_and_nothing_is_kept(cache, server):
    body = KNOMAD_BYTES.read_bytes().replace(b"49977", b"49978", 1)
    assert body != KNOMAD_BYTES.read_bytes()
    _serve_knomad(server, body)
    with pytest.raises(ChecksumError, match=f"registered sha256 of 'knomad_inflows_2017' \\({KNOMAD_SHA}\\)"):
        fetch(KNOMAD)
    assert _files(cache) == []
    assert server.count() == 1  # a checksum mismatch is not retried


def test_a_cached_copy_that_changed_is_refused(cache, publisher):
    path = fetch(KNOMAD)
    path.write_bytes(path.read_bytes() + b"\n")
    with pytest.raises(ChecksumError, match="no longer has the registered sha256"):
        fetch(KNOMAD)


@pytest.mark.parametrize("status", [200, 503])
def test_an_html_page_is_refused_with_the_status(cache, server, status):
    page = b"<!DOCTYPE html>\n<html><head><title>Maintenance</title></head><body>Back soon</body></html>"
    _serve_knomad(server, page, status=status)
    server.routes[route_of(KNOMAD)].content_type = "text/html; charset=utf-8"
    expected = r"HTTP 200 OK with an HTML page \(text/html; charset=utf-8\), not the expected CSV" if status == 200 \
        else r"HTTP 503 Service Unavailable"
    with pytest.raises(FetchError, match=expected):
        fetch(KNOMAD, retries=0)
    assert _files(cache) == []


def test_html_without_content_type_is_still_refused(cache, server):
    _serve_knomad(server, b"\n  <html><body>Please log in</body></html>")
    with pytest.raises(FetchError, match="HTML page"):
        fetch(KNOMAD)
    assert _files(cache) == []


def test_zip_member_escaping_the_cache_is_refused(cache, server, wdi_files, tmp_path):
    files = {**wdi_files, "../evil.csv": b"a,b\n1,2\n"}
    server.serve(route_of("wdi", "BX.TRF.PWKR.CD.DT"), wdi_zip(files), content_type="application/zip")
    with pytest.raises(FetchError, match=r"member '\.\./evil\.csv' would be written outside the cache folder"):
        fetch("wdi")
    assert _files(cache) == []
    assert not any(p.name == "evil.csv" for p in tmp_path.rglob("*"))


def test_zip_bomb_is_refused(cache, server, wdi_files):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in wdi_files.items():
            z.writestr(name, data)
        z.writestr("API_padding.csv", b"\0" * (4 * 2**20))  # 4 MiB of zeros: about 4 kB compressed
    server.serve(route_of("wdi"), buffer.getvalue(), content_type="application/zip")
    with pytest.raises(FetchError, match=r"member 'API_padding\.csv' expands [\d,]+ times \(limit 200\); a zip bomb"):
        fetch("wdi")
    assert _files(cache) == []


def test_size_limit(cache, server):
    _serve_knomad(server, KNOMAD_BYTES.read_bytes())
    with pytest.raises(FetchError, match=r"63,120 bytes is over the limit of 63,119 \(max_bytes\)"):
        fetch(KNOMAD, max_bytes=63_119)
    assert fetch(KNOMAD, max_bytes=63_120).stat().st_size == 63_120  # exactly at the limit is accepted


def test_size_limit_without_content_length(cache, server):
    _serve_knomad(server, KNOMAD_BYTES.read_bytes(), length=False)
    with pytest.raises(FetchError, match=r"more than 63,119 bytes \(max_bytes\); download stopped"):
        fetch(KNOMAD, max_bytes=63_119)
    assert _files(cache) == []
    assert hashlib.sha256(fetch(KNOMAD).read_bytes()).hexdigest() == KNOMAD_SHA


def test_not_a_zip_is_refused(cache, server):
    server.serve(route_of("wdi"), b'"Data Source","World Development Indicators",\r\n', content_type="application/zip")
    with pytest.raises(FetchError, match="not a zip file"):
        fetch("wdi")
    assert _files(cache) == []


def test_zip_without_the_data_member_is_refused(cache, server, wdi_files):
    server.serve(route_of("wdi", "SP.POP.TOTL"), wdi_zip(wdi_files), content_type="application/zip")
    with pytest.raises(FetchError, match=r"no member matching 'API_SP\.POP\.TOTL_DS2_\*\.csv'"):
        fetch("wdi", indicator="SP.POP.TOTL")


def test_only_https_or_the_loopback_test_server(cache, server, monkeypatch):
    with pytest.raises(FetchError, match="only https://"):
        fetch(KNOMAD, url="http://example.org/remittance-inflow.csv")
    monkeypatch.setenv("MIGSTATS_TEST_BASE_URL", "http://10.0.0.8:8000")
    with pytest.raises(FetchError, match="must be http\\(s\\) on 127.0.0.1, localhost or ::1"):
        fetch(KNOMAD)
    assert server.count() == 0 and _files(cache) == []


def test_url_override_from_the_environment(cache, server, monkeypatch):
    _serve_knomad(server, KNOMAD_BYTES.read_bytes())
    server.serve("/mirror/remittance-inflow.csv", KNOMAD_BYTES.read_bytes(), content_type="text/csv")
    monkeypatch.setenv("MIGSTATS_URL_KNOMAD_INFLOWS_2017", "https://elsewhere.example/mirror/remittance-inflow.csv")
    fetch(KNOMAD)
    assert server.requests == ["/mirror/remittance-inflow.csv"]


def test_bad_indicator_and_arguments(cache):
    with pytest.raises(InputError, match="not an indicator code"):
        fetch("wdi", indicator="../../x")
    with pytest.raises(IgnoredArgumentError, match="takes no indicator"):
        fetch(KNOMAD, indicator="X")


def _fetch_in_child(results) -> None:
    results.put(str(fetch(KNOMAD)))


# fork: the children start with migstats already imported, in milliseconds (spawn re-imports pandas)
_PROCESSES = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")


def test_two_processes_fetching_at_once_end_with_one_good_file(cache, server):
    # the server answers only once both requests have arrived: the two downloads truly overlap
    _serve_knomad(server, KNOMAD_BYTES.read_bytes(), barrier=threading.Barrier(2))
    results = _PROCESSES.Queue()
    procs = [_PROCESSES.Process(target=_fetch_in_child, args=(results,)) for _ in range(2)]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(timeout=60)
    assert [p.exitcode for p in procs] == [0, 0]
    paths = {results.get(timeout=5) for _ in procs}
    assert len(paths) == 1 and server.count() == 2
    path = Path(paths.pop())
    assert hashlib.sha256(path.read_bytes()).hexdigest() == KNOMAD_SHA
    files = [p.relative_to(cache).as_posix() for p in _files(cache)]
    assert sorted(f.rsplit("/", 1)[1] for f in files) == ["remittance-inflow.csv", "vintage.json"]
    assert len(vintages()) == 1


def test_a_killed_download_leaves_nothing_under_a_final_name(cache, server):
    body = KNOMAD_BYTES.read_bytes()
    _serve_knomad(server, body, send=30_000, stall=30)  # half the file, then silence
    proc = _PROCESSES.Process(target=fetch, args=(KNOMAD,))
    proc.start()
    try:
        deadline = time.monotonic() + 30
        # kill the process mid-download: the request is in, half the body sent, the rest never comes
        while server.count() == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert server.count() == 1, "the download never started"
        time.sleep(0.5)
    finally:
        proc.kill()
        proc.join()
    left = _files(cache)
    assert all(".staging-" in p.as_posix() for p in left)  # at most a staging folder, never a vintage
    assert len(vintages()) == 0
    with pytest.raises(OfflineError):
        cached_path(KNOMAD)
    # the dead process's staging folder is removed by the next fetch once it is a day old
    stagings = list(cache.rglob(".staging-*"))
    assert len(stagings) == 1
    os.utime(stagings[0], (time.time() - 2 * 24 * 3600,) * 2)
    _serve_knomad(server, body)
    assert hashlib.sha256(fetch(KNOMAD).read_bytes()).hexdigest() == KNOMAD_SHA
    assert len(vintages()) == 1
    assert not list(cache.rglob(".staging-*"))


@pytest.mark.network
def test_real_download_of_one_small_file(tmp_path, monkeypatch):
    """By hand only (`pytest -m network tests/catalog`): the UN location list, 48 kB, checked by sha256."""
    monkeypatch.setenv("MIGSTATS_CACHE", str(tmp_path))
    monkeypatch.delenv("MIGSTATS_TEST_BASE_URL", raising=False)
    monkeypatch.delenv("MIGSTATS_OFFLINE", raising=False)
    path = fetch("wpp2024_locations", timeout=30, retries=1)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == \
        "9d8cc77383c4dbd368a4c2cbbeeeff9dfc7037ace7c8ecb709ff17a0786be6eb"


def test_archive_hash_is_of_the_attempt_kept_and_read_back_once(cache, server, wdi_files, monkeypatch):
    # first attempt truncated, the retry complete: the record carries the hash of the complete
    # archive (hashlib here, independently), and the archive is read back for hashing at most
    # once (by pooch, for its log line), not again by migstats
    import pooch
    import pooch.core

    from migstats.catalog import download, source_entry

    body = wdi_zip(wdi_files)
    route = route_of("wdi", "BX.TRF.PWKR.CD.DT")
    server.serve(route, body, content_type="application/zip", send=len(body) // 2)
    monkeypatch.setattr(download, "_sleep", lambda seconds: server.serve(route, body, content_type="application/zip"))
    hashed = []
    real_hash = pooch.file_hash
    for module in (pooch, pooch.core):
        monkeypatch.setattr(module, "file_hash", lambda name, **kw: hashed.append(Path(name).name) or real_hash(name, **kw))
    archive = source_entry("wdi")["download_name"].replace("{indicator}", "BX.TRF.PWKR.CD.DT")
    path = fetch("wdi", indicator="BX.TRF.PWKR.CD.DT", retries=1)
    record = json.loads((path.parent / "vintage.json").read_text())
    assert server.count() == 2
    assert record["download_sha256"] == hashlib.sha256(body).hexdigest()
    assert record["download_size"] == len(body)
    assert record["sha256"] == hashlib.sha256(wdi_files[WDI_USD]).hexdigest()
    assert sorted(hashed) == sorted([archive, WDI_USD])  # the archive once (pooch), the extracted CSV once
