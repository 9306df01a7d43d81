"""The installed package carries its data (pip install ., not editable)."""

from pathlib import Path

import pytest

import migstats
from migstats.datasets._paths import data_dir

REPO = Path(__file__).resolve().parents[1]
INSTALLED = Path(migstats.__file__).resolve().parent != REPO / "migstats"


@pytest.mark.skipif(not INSTALLED, reason="migstats is imported from the source tree, not from an installed wheel")
def test_installed_wheel_reads_its_own_data():
    assert data_dir() == Path(migstats.__file__).resolve().parent / "_data"
    assert (data_dir() / "report" / "figures.csv").is_file()
    assert len(migstats.figures()) == len((REPO / "data" / "report" / "figures.csv").read_text().splitlines()) - 1


def test_bundled_data_stays_under_5_mb():
    size = sum(p.stat().st_size for p in (REPO / "data").rglob("*") if p.is_file())
    assert size < 5 * 1024 * 1024, f"{size / 1e6:.2f} MB"
