"""Shared test fixtures.

``../shared`` (the report text, upstream files and migest references) sits
beside the repository checkout, in CI too; ``MIGSTATS_SHARED`` overrides it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import matplotlib
import pytest
from hypothesis import settings

matplotlib.use("Agg")

# Tables validated during the run are cached (migstats.datasets._table_cache) in a folder of the
# run's own, never in the user's cache folder; the processes the tests start inherit it.
_RUN_CACHE = tempfile.mkdtemp(prefix="migstats-test-cache-")
os.environ["MIGSTATS_CACHE"] = _RUN_CACHE


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(_RUN_CACHE, ignore_errors=True)

# Property tests: no per-example time limit (a loaded CI machine is not a failure) and a
# fixed example sequence, so a run is reproducible; failures print the falsifying example.
settings.register_profile("migstats", deadline=None, derandomize=True)
settings.load_profile("migstats")

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("MIGSTATS_SHARED", REPO.parent / "shared")).resolve()
REPORT_TEXT = SHARED / "sources" / "un-seventh-coordination-meeting-2008.txt"
UPSTREAM = SHARED / "upstream"
MIGEST_REF = SHARED / "reference" / "migest"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.fail(f"shared folder not found at {SHARED}; set MIGSTATS_SHARED")
    return SHARED


@pytest.fixture(scope="session")
def report_text(shared_dir) -> str:
    return REPORT_TEXT.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def upstream_dir(shared_dir) -> Path:
    return UPSTREAM


@pytest.fixture(scope="session")
def migest_ref(shared_dir) -> Path:
    return MIGEST_REF
