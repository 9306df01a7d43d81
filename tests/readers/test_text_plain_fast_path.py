"""The plain-text path of read_records (pandas' C parser) gives what the record parse gives, and the same errors."""

from __future__ import annotations

import numpy as np
import pytest

import migstats.readers._text as text_mod
from migstats.errors import ReaderError
from migstats.readers._text import read_records

PLAIN = "code,year,value\nAFG,1990,1\nALB,1990,\n,1995,3.5\n"


def _record_parse(text, **kw):
    saved = text_mod._plain_cells
    text_mod._plain_cells = lambda body, delimiter: None
    try:
        return read_records(text, "f.csv", **kw)
    finally:
        text_mod._plain_cells = saved


def test_plain_text_takes_the_fast_path_and_matches_the_record_parse():
    assert text_mod._plain_cells(PLAIN, ",") is not None
    fast, slow = read_records(PLAIN, "f.csv"), _record_parse(PLAIN)
    assert fast.header == slow.header == ["code", "year", "value"]
    assert np.array_equal(fast.cells, slow.cells) and fast.cells.dtype == slow.cells.dtype == object
    # cells are text as written: empty stays "", nothing becomes NaN or a number
    assert fast.cells.tolist() == [["AFG", "1990", "1"], ["ALB", "1990", ""], ["", "1995", "3.5"]]
    assert fast.lines.tolist() == slow.lines.tolist() == [2, 3, 4]
    later = read_records("title\n" + PLAIN, "f.csv", header_line=2)
    assert later.header_line == 2 and later.lines.tolist() == [3, 4, 5]


@pytest.mark.parametrize("text, line, fields", [
    ("a,b,c\n1,2,3\n4,5\n6,7,8\n", 3, 2),      # short record inside: pandas would pad it with ""
    ("a,b,c\n1,2,3\n4,5,6,7\n", 3, 4),         # long record
    ("a,b,c\n1,2,3\n4,5,6\n7,8", 4, 2),        # truncated last record
])
def test_ragged_plain_text_names_the_line(text, line, fields):
    assert text_mod._plain_cells(text, ",") is None
    with pytest.raises(ReaderError, match=f"has {fields} fields, the header has 3") as err:
        read_records(text, "f.csv")
    assert err.value.row == line


def test_blank_and_space_lines_are_left_to_the_record_parse():
    for text in ("a,b\n1,2\n\n3,4\n", "a,b\n1,2\n \n3,4\n", "a\n1\n \n2\n"):
        assert text_mod._plain_cells(text, ",") is None
    assert read_records("a,b\n1,2\n\n3,4\n", "f.csv").lines.tolist() == [2, 4]


def test_missing_required_column_and_no_rows_on_the_fast_path():
    with pytest.raises(ReaderError, match="required column is missing"):
        read_records(PLAIN, "f.csv", required=["iso3"])
    with pytest.raises(ReaderError, match="no data rows"):
        read_records("a,b\n", "f.csv")
