"""The upstream files the reader tests read, as fixtures (through the shared ``upstream_dir``)."""

from __future__ import annotations

import pytest

from upstream_files import upstream_path


@pytest.fixture(scope="session")
def upstream_file(upstream_dir):
    """``upstream_file("wdi_usd")`` -> the path of that upstream file (keys of ``UPSTREAM_FILES``)."""

    def path(key):
        return upstream_path(upstream_dir, key)

    return path
