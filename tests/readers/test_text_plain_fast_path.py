"""The fast path of read_records (lines split, quoted lines by csv one each) gives what the record parse gives.

The fast path takes a text only when every physical line is one record of the
header's width, read as :mod:`csv` reads it; anything else goes to the record
parse, which names the line. Each ragged or malformed text below must be
refused by the fast path (None) and end in the record parse's error at the
right line.
"""

from __future__ import annotations

import numpy as np
import pytest

import migstats.readers._text as text_mod
from migstats.errors import ReaderError
from migstats.readers._text import read_records

PLAIN = "code,year,value\nAFG,1990,1\nALB,1990,\n,1995,3.5\n"
QUOTED = ('"code","name, long",value\n"AFG","Afghanistan, Islamic Rep.",1\nALB,"Albania ""AL""",\n'
          '"",Algeria,"3.5"\n')


def _record_parse(text, **kw):
    saved = text_mod._fast_cells
    text_mod._fast_cells = lambda body, delimiter, quoting: None
    try:
        return read_records(text, "f.csv", **kw)
    finally:
        text_mod._fast_cells = saved


@pytest.mark.parametrize("text", [PLAIN, QUOTED], ids=["plain", "quoted"])
def test_well_formed_text_takes_the_fast_path_and_matches_the_record_parse(text):
    assert text_mod._fast_cells(text, ",", True) is not None
    fast, slow = read_records(text, "f.csv"), _record_parse(text)
    assert fast.header == slow.header
    assert np.array_equal(fast.cells, slow.cells) and fast.cells.dtype == slow.cells.dtype == object
    assert fast.lines.tolist() == slow.lines.tolist() == [2, 3, 4]
    later = read_records("title\n" + text, "f.csv", header_line=2)
    assert later.header_line == 2 and later.lines.tolist() == [3, 4, 5]


def test_cells_are_text_as_written():
    # empty stays "", nothing becomes NaN or a number; quotes and separators inside quotes are text
    assert read_records(PLAIN, "f.csv").cells.tolist() == [["AFG", "1990", "1"], ["ALB", "1990", ""],
                                                            ["", "1995", "3.5"]]
    quoted = read_records(QUOTED, "f.csv")
    assert quoted.header == ["code", "name, long", "value"]
    assert quoted.cells.tolist() == [["AFG", "Afghanistan, Islamic Rep.", "1"], ["ALB", 'Albania "AL"', ""],
                                     ["", "Algeria", "3.5"]]


@pytest.mark.parametrize("text, line, fields", [
    ("a,b,c\n1,2,3\n4,5\n6,7,8\n", 3, 2),              # short record inside: pandas would pad it with ""
    ("a,b,c\n1,2,3\n4,5,6,7\n", 3, 4),                 # long record
    ("a,b,c\n1,2,3\n4,5,6\n7,8", 4, 2),                # truncated last record
    ('"a","b","c"\n1,2,3\n4,5\n6,7,8\n', 3, 2),        # short record in a quoted text
    ('a,b,c\n"1,2",3\n4,5,6\n', 2, 2),                 # short, its separator inside quotes (not a field end)
    ('a,b,c\n1,"2,3",4\n"5,6",7\n', 3, 2),             # the same, after a full quoted record
    ('a,b,c\n1,2,3\n"4",5,6,7\n', 3, 4),               # long record in a quoted text
    ('"a","b"\n1,2\n3,4\n5\n', 4, 1),                  # truncated last record in a quoted text
])
def test_ragged_text_names_the_line(text, line, fields):
    assert text_mod._fast_cells(text, ",", True) is None
    with pytest.raises(ReaderError, match=rf"has {fields} fields, the header has \d") as err:
        read_records(text, "f.csv")
    assert err.value.row == line


def test_a_quoted_line_break_keeps_the_physical_lines():
    text = 'a,b\n"x\ny",1\nz,2\n'
    assert text_mod._fast_cells(text, ",", True) is None
    records = read_records(text, "f.csv")
    assert records.cells.tolist() == [["x\ny", "1"], ["z", "2"]]
    assert records.lines.tolist() == [2, 4]


@pytest.mark.parametrize("text", [
    'a,b\n"x"y,1\n',      # text after a closing quote: pandas reads "xy", csv refuses
    'a,b\n"x,1\n',        # a quote never closed
])
def test_malformed_quotes_are_left_to_the_record_parse(text):
    assert text_mod._fast_cells(text, ",", True) is None
    with pytest.raises(ReaderError, match="not a well-formed CSV record") as err:
        read_records(text, "f.csv")
    assert err.value.row == 2


def test_quote_inside_an_unquoted_field_reads_as_csv_reads_it():
    text = 'a,b\nx"y,1\n'
    assert text_mod._fast_cells(text, ",", True) is not None
    assert read_records(text, "f.csv").cells.tolist() == _record_parse(text).cells.tolist() == [['x"y', "1"]]


def test_quotes_in_a_format_without_quoting_are_read_literally():
    text = 'a\tb\n"x\t"y"\n'
    fast = read_records(text, "f.txt", delimiter="\t", quoting=False)
    assert text_mod._fast_cells(text, "\t", False) is not None
    assert fast.cells.tolist() == _record_parse(text, delimiter="\t", quoting=False).cells.tolist() == [['"x', '"y"']]


def test_blank_and_space_lines_are_left_to_the_record_parse():
    for text in ("a,b\n1,2\n\n3,4\n", "a,b\n1,2\n \n3,4\n", "a\n1\n \n2\n", '"a","b"\n1,2\n\n3,4\n'):
        assert text_mod._fast_cells(text, ",", True) is None
    assert read_records("a,b\n1,2\n\n3,4\n", "f.csv").lines.tolist() == [2, 4]


def test_padded_export_of_uniform_width_takes_the_fast_path():
    # every record as wide as the header, padding included: the surplus rule has nothing to check
    text = "name,2010,,\nIndia,1,,\nWorld,2,,\n"
    fast, slow = read_records(text, "f.csv", surplus_empty=True), _record_parse(text, surplus_empty=True)
    assert text_mod._fast_cells(text, ",", True) is not None
    assert fast.header == slow.header and fast.cells.tolist() == slow.cells.tolist()


def test_missing_required_column_and_no_rows_on_the_fast_path():
    with pytest.raises(ReaderError, match="required column is missing"):
        read_records(PLAIN, "f.csv", required=["iso3"])
    with pytest.raises(ReaderError, match="no data rows"):
        read_records("a,b\n", "f.csv")


def test_a_lone_carriage_return_is_left_to_the_record_parse():
    # read_text makes every line end LF; in text handed over otherwise csv refuses a CR inside an
    # unquoted field, which a split at the delimiter would keep as text ("1\r2")
    text = "a,b\n1\r2,3\n"
    assert text_mod._fast_cells(text, ",", True) is None
    with pytest.raises(ReaderError, match="not a well-formed CSV record") as err:
        read_records(text, "f.csv")
    assert err.value.row == 2


def test_a_nul_or_an_overlong_field_is_left_to_the_record_parse():
    assert text_mod._fast_cells("a,b\n1,\x002\n", ",", True) is None
    # csv refuses a field longer than its limit; the split would not
    text = "a,b\n1,2\n" + "x" * (text_mod.csv.field_size_limit() + 1) + ",3\n"
    assert text_mod._fast_cells(text, ",", True) is None
    with pytest.raises(ReaderError, match="not a well-formed CSV record") as err:
        read_records(text, "f.csv")
    assert err.value.row == 3
