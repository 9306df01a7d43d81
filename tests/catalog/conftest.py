"""A local HTTP server on 127.0.0.1 serving the real upstream files where the publishers would.

Every test here runs against it with ``MIGSTATS_TEST_BASE_URL`` pointing at it
and ``MIGSTATS_CACHE`` in a temporary folder; nothing touches the internet.
Tests marked ``network`` (real downloads, for a maintainer to run by hand with
``pytest -m network``) are skipped unless ``-m`` names them.
"""

from __future__ import annotations

import io
import threading
import time
import zipfile
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest

from migstats.catalog import retrieve
from migstats.catalog.registry import parameter_value, source_entry, source_url

WDI_USD = "API_BX.TRF.PWKR.CD.DT_DS2_en_csv_v2_38454.csv"

# source id (indicator) -> file under ../shared/upstream served for it
UPSTREAM_OF = {
    "knomad_inflows_2017": "knomad-remittances/remittance-inflow.csv",
    "knomad_bilateral_2016": "knomad-remittances/bilateral-remittance.csv",
    "undesa_stock_destination": "undesa-migrant-stock/migrant_stock_by_destination_undesa_pd_2024_ims_stock_by_sex_and_destination_every_5_years.xlsx",
    "undesa_stock_origin": "undesa-migrant-stock/migrant_stock_by_origin_undesa_pd_2024_ims_stock_by_sex_and_origin_every_5_years.xlsx",
    "undesa_origin_destination": "undesa-migrant-stock/migrant_stock_by_origin_and_destination_1990_to_2024.csv",
    "wpp2024_births": "wpp2024/births.txt",
    "wpp2024_deaths": "wpp2024/deaths.txt",
    "wpp2024_migration": "wpp2024/migration.txt",
    "wpp2024_births_proj_med": "wpp2024/birthsprojMed.txt",
    "wpp2024_deaths_proj_med": "wpp2024/deathsprojMed.txt",
    "wpp2024_locations": "wpp2024/UNlocations.txt",
    "oecd_imd_national": "oecd-imd/international migration database.csv",
    "oecd_standardised_permanent": "oecd-imd/standardised inflows of permanent-type migrants.csv",
}


def pytest_collection_modifyitems(config, items):
    if "network" in (config.getoption("-m") or ""):
        return
    skip = pytest.mark.skip(reason="real download: run by hand with `pytest -m network`")
    for item in items:
        if "network" in item.keywords:
            item.add_marker(skip)


@dataclass
class Route:
    body: bytes
    status: int = 200
    content_type: str = "application/octet-stream"
    delay: float = 0.0  # seconds before the answer
    send: int | None = None  # bytes actually sent (a truncated body keeps the full Content-Length)
    location: str | None = None  # redirect target
    barrier: threading.Barrier | None = None  # hold answers until this many requests have arrived
    length: bool = True  # send Content-Length (False: the body ends when the connection closes)
    stall: float = 0.0  # seconds to hang after the (partial) body, before closing


class LocalServer:
    """Routes (path with query -> Route) and a log of every request path."""

    def __init__(self):
        self.routes: dict[str, Route] = {}
        self.requests: list[str] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's name
                with server._lock:
                    server.requests.append(self.path)
                route = server.routes.get(self.path)
                if route is None:
                    self.send_error(404, "no such file on the test server")
                    return
                if route.barrier is not None:
                    try:
                        route.barrier.wait(timeout=20)
                    except threading.BrokenBarrierError:
                        pass
                time.sleep(route.delay)
                try:
                    self.send_response(route.status)
                    if route.location:
                        self.send_header("Location", route.location)
                    self.send_header("Content-Type", route.content_type)
                    if route.length:
                        self.send_header("Content-Length", str(len(route.body)))
                    self.end_headers()
                    self.wfile.write(route.body[: route.send])
                    self.wfile.flush()
                    time.sleep(route.stall)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        self.thread.start()
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def serve(self, path: str, body: bytes, **kw) -> None:
        self.routes[path] = Route(body, **kw)

    def count(self, path: str | None = None) -> int:
        return len(self.requests) if path is None else self.requests.count(path)

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def route_of(source: str, indicator: str | None = None) -> str:
    """The request path (with query) the server sees for a registered source."""
    entry = source_entry(source)
    parts = urlsplit(source_url(entry, parameter_value(entry, indicator)))
    return parts.path + (f"?{parts.query}" if parts.query else "")


def wdi_zip(files: dict[str, bytes]) -> bytes:
    """A zip as the World Bank API serves it: the data CSV and its two Metadata_ companions."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buffer.getvalue()


@pytest.fixture
def server():
    srv = LocalServer()
    yield srv
    srv.close()


@pytest.fixture
def cache(tmp_path, monkeypatch, server):
    """An empty cache in a temporary folder, the test server as base URL, no offline mode, fast retries."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("MIGSTATS_CACHE", str(folder))
    monkeypatch.setenv("MIGSTATS_TEST_BASE_URL", server.base)
    monkeypatch.delenv("MIGSTATS_OFFLINE", raising=False)
    for source in UPSTREAM_OF:
        monkeypatch.delenv("MIGSTATS_URL_" + source.upper(), raising=False)
    monkeypatch.setattr(retrieve, "BACKOFF", 0.01)
    return folder


@pytest.fixture
def wdi_files(upstream_dir) -> dict[str, bytes]:
    folder = upstream_dir / "wdi-remittances"
    return {name: (folder / name).read_bytes()
            for name in (WDI_USD, f"Metadata_Country_{WDI_USD}", f"Metadata_Indicator_{WDI_USD}")}


@pytest.fixture
def publisher(server, upstream_dir, wdi_files):
    """The server serving every registered source from the upstream files (WDI as zips)."""
    for source, relative in UPSTREAM_OF.items():
        server.serve(route_of(source), (upstream_dir / relative).read_bytes(), content_type="text/csv")
    server.serve(route_of("wdi", "BX.TRF.PWKR.CD.DT"), wdi_zip(wdi_files), content_type="application/zip")
    pct = (upstream_dir / "wdi-remittances" / "all_countries_personal_remittances_annual_pct_of_gdp.csv").read_bytes()
    # the re-saved % of GDP file, under the name the World Bank gives it; it comes without companions
    server.serve(route_of("wdi", "BX.TRF.PWKR.DT.GD.ZS"),
                 wdi_zip({"API_BX.TRF.PWKR.DT.GD.ZS_DS2_en_csv_v2_1.csv": pct}), content_type="application/zip")
    return server
