"""Every text reader gives the same table, bit for bit, through the fast parse and the record-by-record parse.

The record parse (:mod:`csv`, one record at a time) is forced by switching
off ``_text._fast_cells``; the fast path must have been taken on the main
file, or the comparison would compare the slow path with itself.
"""

from __future__ import annotations

import pandas as pd
import pytest

import migstats.readers._text as text_mod
from migstats.readers import (
    read_knomad_bilateral,
    read_knomad_inflows,
    read_oecd,
    read_undesa_origin_destination,
    read_wdi,
    read_wpp,
)

# key, reader, whether the fast path must take the file (the 2012 KNOMAD export pads its rows unevenly)
CASES = [
    ("wdi_usd", read_wdi, True),
    ("wdi_pct", read_wdi, True),
    ("knomad_2017", read_knomad_inflows, True),
    ("knomad_2012", read_knomad_inflows, False),
    ("knomad_bilateral", read_knomad_bilateral, True),
    ("un_od", read_undesa_origin_destination, True),
    ("oecd_national", read_oecd, True),
    ("oecd_permanent", read_oecd, True),
    ("oecd_temporary", read_oecd, True),
    ("wpp_births", read_wpp, True),
    ("wpp_migration", read_wpp, True),
    ("wpp_deaths_projection", read_wpp, True),
]


@pytest.mark.parametrize("key, read, fast_expected", CASES, ids=[case[0] for case in CASES])
def test_fast_parse_equals_record_parse_on_the_upstream_file(upstream_file, monkeypatch, key, read, fast_expected):
    path = upstream_file(key)
    taken = []
    fast_cells = text_mod._fast_cells

    def watched(body, delimiter, quoting):
        cells = fast_cells(body, delimiter, quoting)
        taken.append(cells is not None)
        return cells

    monkeypatch.setattr(text_mod, "_fast_cells", watched)
    fast = read(path)
    assert taken[0] is fast_expected  # the first text read is the main file
    monkeypatch.setattr(text_mod, "_fast_cells", lambda body, delimiter, quoting: None)
    slow = read(path)
    pd.testing.assert_frame_equal(fast, slow, check_exact=True)
    assert fast.attrs == slow.attrs
    assert list(fast.dtypes) == list(slow.dtypes)
