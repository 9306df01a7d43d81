"""Line numbers after blank lines, and repeated rows, in every reader.

Each test edits a copy of a real upstream file: blank lines (an empty one and
one holding only spaces and a tab, both skipped by pandas) are inserted above
a damaged cell, or a data line is repeated further down. The expected line
numbers are counted here on the edited text with plain ``str.split``, not by
the readers' own line bookkeeping.
"""

from __future__ import annotations

import numpy as np
import openpyxl
import pytest

from migstats.errors import ReaderError, UnknownCountryError
from migstats.readers import (
    read_knomad_bilateral,
    read_knomad_inflows,
    read_oecd,
    read_undesa_origin_destination,
    read_undesa_stock,
    read_wdi,
)
from migstats.readers._text import read_records

BLANKS = ["", "  \t"]


def line_ending(text: str) -> str:
    return "\r\n" if "\r\n" in text else ("\r" if "\r" in text else "\n")


def lines_of(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def physical_line(text: str, start: str, occurrence: int = 1) -> int:
    """1-based line number of the ``occurrence``-th line starting with ``start``."""
    hits = [i for i, line in enumerate(lines_of(text), 1) if line.startswith(start)]
    return hits[occurrence - 1]


def with_blank_lines(text: str, after: str) -> str:
    """``text`` with the BLANKS lines inserted after the first line starting with ``after``."""
    eol = line_ending(text)
    parts = text.split(eol)
    i = next(k for k, line in enumerate(parts) if line.startswith(after))
    return eol.join(parts[: i + 1] + BLANKS + parts[i + 1 :])


def with_repeated_line(text: str, start: str, after: str, change=lambda line: line) -> str:
    """``text`` with a copy of the line starting with ``start`` inserted after the line starting with ``after``."""
    eol = line_ending(text)
    parts = text.split(eol)
    copy = change(next(line for line in parts if line.startswith(start)))
    i = next(k for k, line in enumerate(parts) if line.startswith(after))
    return eol.join(parts[: i + 1] + [copy] + parts[i + 1 :])


def write(path, text: str, encoding: str = "utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


def wdi_text(upstream_file):
    return upstream_file("wdi_usd").read_bytes().decode("utf-8-sig")


def check_duplicate_error(err, path, first: int, second: int, column: str, row_kind: str = "line"):
    assert err.file == str(path)
    assert (err.row, err.column, err.row_kind) == (second, column, row_kind)
    assert f"{row_kind} {first} and {row_kind} {second}" in err.message
    assert "duplicated row" in err.message
    assert str(path) in str(err) and f"{row_kind} {second}" in str(err) and repr(column) in str(err)


# ---------------------------------------------------------------- the line bookkeeping itself


def test_record_lines_skip_blank_lines_and_follow_quoted_line_breaks():
    text = 'a,b\n1,2\n\n \t\n"x\ny",3\n4,5\n'
    # records start on lines 1 (header), 2, 5 (its field runs on to line 6) and 7
    records = read_records(text, "f.csv")
    assert records.header_line == 1
    assert records.lines.tolist() == [2, 5, 7]
    assert records.cells.tolist() == [["1", "2"], ["x\ny", "3"], ["4", "5"]]
    later = read_records(text, "f.csv", header_line=5)
    assert (later.header_line, later.lines.tolist()) == (5, [7])


def test_data_lines_with_a_quote_inside_an_unquoted_field():
    # the csv module reads the quote in 1"x literally: three data rows on lines 2, 4 and 5
    text = 'a,b\n1"x,2\n\n3,4\n5,6\n'
    records = read_records(text, "f.csv")
    assert records.lines.tolist() == [2, 4, 5]
    assert records.cells[0].tolist() == ['1"x', "2"]


# ---------------------------------------------------------------- blank lines: every CSV reader


def test_wdi_line_after_blank_lines(upstream_file, tmp_path):
    src = upstream_file("wdi_usd")
    text = with_blank_lines(wdi_text(upstream_file), '"Aruba"')
    text = text.replace('"India","IND"', '"India","ZZZ"')
    path = write(tmp_path / src.name, text)
    with pytest.raises(UnknownCountryError, match="ZZZ") as err:
        read_wdi(path, metadata_country=upstream_file("wdi_meta_country"))
    assert (err.value.row, err.value.column, err.value.row_kind) == (physical_line(text, '"India"'), "Country Code", "line")
    assert err.value.row == physical_line(wdi_text(upstream_file), '"India"') + len(BLANKS)


def test_wdi_number_line_after_blank_lines(upstream_file, tmp_path):
    text = with_blank_lines(wdi_text(upstream_file), '"Aruba"')
    text = text.replace('"BX.TRF.PWKR.CD.DT","","","","","","","","","","","","","","","","429883697.5"',
                        '"BX.TRF.PWKR.CD.DT","","","","","","","","","","","","","","","","429883697.5x"')
    assert "429883697.5x" in text
    path = write(tmp_path / "API_test.csv", text)
    with pytest.raises(ReaderError, match="429883697.5x") as err:
        read_wdi(path)
    line = next(i for i, line in enumerate(lines_of(text), 1) if "429883697.5x" in line)
    assert line == physical_line(text, '"India"')
    assert (err.value.row, err.value.row_kind, err.value.column) == (line, "line", "1975")
    assert err.value.file == str(path)


def test_knomad_2017_line_after_blank_lines(upstream_file, tmp_path):
    text = with_blank_lines(upstream_file("knomad_2017").read_bytes().decode("utf-8"), "Aruba,")
    text = text.replace("49977.27692", "49977.2769x")
    path = write(tmp_path / "inflow.csv", text)
    with pytest.raises(ReaderError, match="49977.2769x") as err:
        read_knomad_inflows(path)
    assert (err.value.row, err.value.column, err.value.row_kind) == (physical_line(text, "India,"), "2008", "line")
    assert err.value.row == physical_line(upstream_file("knomad_2017").read_text(), "India,") + len(BLANKS)


def test_knomad_2012_lone_cr_line_after_blank_lines(upstream_file, tmp_path):
    raw = upstream_file("knomad_2012").read_bytes().decode("utf-8")
    text = with_blank_lines(raw, "Afghanistan,").replace('"1,161"', '"1,16l"')
    path = write(tmp_path / "nov12.csv", text)
    with pytest.raises(ReaderError, match="1,16l") as err:
        read_knomad_inflows(path)
    assert (err.value.row, err.value.column) == (physical_line(text, "Albania,"), "2004")
    assert err.value.row == physical_line(raw, "Albania,") + len(BLANKS)


def test_knomad_bilateral_line_after_blank_lines(upstream_file, tmp_path):
    text = with_blank_lines(upstream_file("knomad_bilateral").read_bytes().decode("utf-8"), "0,Afghanistan,")
    text = text.replace("86,India,0.4818011576325729", "86,India,0.48l8")
    path = write(tmp_path / "bilateral.csv", text)
    with pytest.raises(ReaderError, match="0.48l8") as err:
        read_knomad_bilateral(path)
    assert (err.value.row, err.value.column) == (physical_line(text, "86,India,"), "Afghanistan")
    assert err.value.row == 87 + 1 + len(BLANKS)  # header, rows 0..86, then the two inserted lines


def test_undesa_csv_line_after_blank_lines(upstream_file, tmp_path):
    raw = upstream_file("un_od").read_bytes().decode("cp1252")
    text = with_blank_lines(raw, "1402,").replace(
        "1403,Australia/New Zealand,1836,Sub-Saharan Africa,1834", "1403,Australia/New Zealand,1836,Sub-Saharan Africa,899"
    )
    path = write(tmp_path / "od.csv", text, encoding="cp1252")
    with pytest.raises(UnknownCountryError, match="899") as err:
        read_undesa_origin_destination(path)
    # line 3 of the published file, two lines lower
    assert (err.value.row, err.value.column, err.value.row_kind) == (5, "Location code of origin", "line")
    assert err.value.row == physical_line(text, "1403,") and err.value.file == str(path)


def test_oecd_line_after_blank_lines(upstream_file, tmp_path):
    src = upstream_file("oecd_national")
    raw = src.read_bytes().decode("utf-8")
    japan = "I,JPN,Japan,W,World,A,Annual,B11,Inflows of foreign population,_T,Total,_Z,Not applicable,_Z,Not applicable,PS,Persons,2006,,325621,"
    second = lines_of(raw)[1][:40]
    text = with_blank_lines(raw, second).replace(japan, japan.replace("325621", "325 621"))
    path = write(tmp_path / "oecd.csv", text)
    with pytest.raises(ReaderError, match="325 621") as err:
        read_oecd(path)
    expected = next(i for i, line in enumerate(lines_of(text), 1) if "325 621" in line)
    assert (err.value.row, err.value.column) == (expected, "OBS_VALUE")
    assert err.value.row == next(i for i, line in enumerate(lines_of(raw), 1) if japan in line) + len(BLANKS)


def find_row(sheet, name):
    return next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 2).value == name)


def test_undesa_workbook_rows_after_an_empty_row(upstream_file, tmp_path):
    book = openpyxl.load_workbook(upstream_file("un_orig"))
    sheet = book["Table 1"]
    japan_before = find_row(sheet, "Japan")
    sheet.insert_rows(japan_before - 3)  # an empty Excel row above Japan
    japan = find_row(sheet, "Japan")
    sheet.cell(japan, 9).value = "n/a"  # column I: both sexes, 2005
    path = tmp_path / "origin.xlsx"
    book.save(path)
    with pytest.raises(ReaderError, match="n/a") as err:
        read_undesa_stock(path)
    assert (err.value.row, err.value.column, err.value.row_kind) == (japan_before + 1, "I (total 2005)", "row")


# ---------------------------------------------------------------- repeated rows: every reader


def test_wdi_repeated_country(upstream_file, tmp_path):
    raw = wdi_text(upstream_file)
    text = with_repeated_line(raw, '"India"', '"Mexico"')
    path = write(tmp_path / "API_dup.csv", text)
    with pytest.raises(ReaderError) as err:
        read_wdi(path)
    check_duplicate_error(err.value, path, physical_line(text, '"India"'), physical_line(text, '"India"', 2), "Country Code")
    assert "'IND'" in err.value.message


def test_knomad_2017_repeated_country_under_another_name(upstream_file, tmp_path):
    raw = upstream_file("knomad_2017").read_bytes().decode("utf-8")
    # the copy carries the country's newer name: a different name, the same country
    text = with_repeated_line(raw, "Turkey,", "Mexico,", lambda line: "Türkiye," + line.split(",", 1)[1])
    path = write(tmp_path / "inflow.csv", text)
    with pytest.raises(ReaderError) as err:
        read_knomad_inflows(path)
    # the copy stands above the original (Mexico before Turkey): the original is the repeat
    check_duplicate_error(err.value, path, physical_line(text, "Türkiye,"), physical_line(text, "Turkey,"),
                          "Migrant remittance inflows (US$ million)")
    assert "'TUR'" in err.value.message


def test_knomad_2012_repeated_country(upstream_file, tmp_path):
    raw = upstream_file("knomad_2012").read_bytes().decode("utf-8")
    text = with_repeated_line(raw, "Albania,", "Zimbabwe,")
    path = write(tmp_path / "nov12.csv", text)
    with pytest.raises(ReaderError) as err:
        read_knomad_inflows(path)
    check_duplicate_error(err.value, path, physical_line(text, "Albania,"), physical_line(text, "Albania,", 2), "Name")


def test_knomad_bilateral_repeated_sender(upstream_file, tmp_path):
    raw = upstream_file("knomad_bilateral").read_bytes().decode("utf-8")
    text = with_repeated_line(raw, "86,India,", "100,")
    path = write(tmp_path / "bilateral.csv", text)
    with pytest.raises(ReaderError) as err:
        read_knomad_bilateral(path)
    check_duplicate_error(err.value, path, 88, 103, "Remittance-sending country")  # rows 0..100 are lines 2..102


def test_undesa_csv_repeated_pair(upstream_file, tmp_path):
    raw = upstream_file("un_od").read_bytes().decode("cp1252")
    # the same destination and origin again, with other numbers: still two rows for one cell
    text = with_repeated_line(raw, "1403,", "1410,", lambda line: line.replace("1403,", "9999,", 1).replace(" 98 264", " 1"))
    path = write(tmp_path / "od.csv", text, encoding="cp1252")
    with pytest.raises(ReaderError) as err:
        read_undesa_origin_destination(path)
    check_duplicate_error(err.value, path, 3, physical_line(text, "9999,"), "Location code of destination")
    assert physical_line(text, "9999,") == physical_line(raw, "1410,") + 1


def test_oecd_repeated_observation(upstream_file, tmp_path):
    raw = upstream_file("oecd_national").read_bytes().decode("utf-8")
    japan = "DATAFLOW,OECD.ELS.IMD:DSD_MIG@DF_MIG(1.0),International migration database,I,JPN,Japan,W,World,A,Annual,B11,Inflows of foreign population,_T,Total,_Z,Not applicable,_Z,Not applicable,PS,Persons,2006,"
    last = [line for line in lines_of(raw) if line][-1]
    text = with_repeated_line(raw, japan, last, lambda line: line.replace("325621", "325622"))
    path = write(tmp_path / "oecd.csv", text)
    with pytest.raises(ReaderError) as err:
        read_oecd(path)
    check_duplicate_error(err.value, path, physical_line(text, japan), physical_line(text, japan, 2), "REF_AREA")
    assert physical_line(text, japan, 2) == len(lines_of(raw))  # just before the final empty line


def test_undesa_workbook_repeated_location(upstream_file, tmp_path):
    book = openpyxl.load_workbook(upstream_file("un_orig"))
    sheet = book["Table 1"]
    japan = find_row(sheet, "Japan")
    tonga = find_row(sheet, "Tonga")
    sheet.insert_rows(tonga + 1)
    for column in range(1, sheet.max_column + 1):
        sheet.cell(tonga + 1, column).value = sheet.cell(japan, column).value
    path = tmp_path / "origin.xlsx"
    book.save(path)
    with pytest.raises(ReaderError) as err:
        read_undesa_stock(path)
    check_duplicate_error(err.value, path, japan, tonga + 1, "Location code", row_kind="row")


def test_published_files_have_no_repeated_rows(upstream_file):
    """The checks do not fire on the files as published (every key once)."""
    od = read_undesa_origin_destination(upstream_file("un_od"))
    assert not od.duplicated(["dest_m49", "orig_m49", "year"]).any()
    k = read_knomad_inflows(upstream_file("knomad_2017"))
    assert np.array_equal(k.groupby("code").size().unique(), [48])  # 1970-2017, once each


@pytest.mark.parametrize("keys, repeated_line", [
    ({"a": ["x", None, "x"], "b": [1, 1, 2]}, None),     # a missing value is not the first value seen
    ({"a": [None, "x", None], "b": [1, 1, 1]}, 4),       # but two missing values are equal
    ({"a": ["x", "y", "y"], "b": [1, 2, 1]}, None),      # a repeat in each column, not in both at once
    ({"a": ["x", "y", "y"], "b": [np.nan, 2.0, 2.0]}, 4),
    ({"a": [1, 2, 3], "b": [2, 1, 2], "c": [0, 0, 0]}, None),
    ({"a": ["x", "y", None], "b": [1, 1, 1]}, None),     # missing is not the second value either
    ({"a": ["x", "x", "y"], "b": [1.0, 2.0, np.nan]}, None),  # (x, 2) and (y, missing) stay apart
])
def test_repeated_keys_need_every_column_equal(keys, repeated_line):
    from migstats.readers._tidy import check_unique_rows

    if repeated_line is None:
        check_unique_rows(keys, [2, 3, 4], "f.csv", column="a")
        return
    with pytest.raises(ReaderError, match="duplicated row") as err:
        check_unique_rows(keys, [2, 3, 4], "f.csv", column="a")
    assert err.value.row == repeated_line
