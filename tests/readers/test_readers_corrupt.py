"""Corrupted copies of every upstream format: each problem raises a specific error saying where.

Each test writes a damaged copy of a real file to tmp_path: cut short, another
format, a missing column, a cell that is not a number, an unknown country.
"""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from migstats.errors import DataError, ReaderError, UnknownCountryError
from migstats.readers import (
    read_knomad_bilateral,
    read_knomad_inflows,
    read_oecd,
    read_undesa_origin_destination,
    read_undesa_stock,
    read_wdi,
)
from upstream_files import copy_upstream


def truncated(src, dst, fraction=0.5):
    """A copy cut in the middle of a line (never at a line end)."""
    data = src.read_bytes()
    cut = int(len(data) * fraction)
    while data[cut - 1 : cut] in (b"\n", b"\r") or data[cut : cut + 1] in (b"\n", b"\r"):
        cut += 1
    dst.write_bytes(data[:cut])
    return dst, data[:cut].replace(b"\r\n", b"\n").replace(b"\r", b"\n").count(b"\n") + 1


def edited(src, dst, old, new, encoding="utf-8", count=1):
    text = src.read_bytes().decode(encoding)
    assert old in text, old
    dst.write_bytes(text.replace(old, new, count).encode(encoding))
    return dst


def line_of(path, start, encoding="utf-8"):
    """1-based line number of the first line starting with ``start`` (any line ending)."""
    text = path.read_bytes().decode(encoding).replace("\r\n", "\n").replace("\r", "\n")
    return next(i for i, line in enumerate(text.split("\n"), 1) if line.startswith(start))


def set_field(path, start, column, value, encoding="utf-8-sig"):
    """Rewrite the field ``column`` of the fully quoted CSV line starting with ``start``."""
    raw = path.read_bytes().decode(encoding)
    lines = raw.split("\r\n")
    header_at = next(i for i, line in enumerate(lines) if line.startswith('"Country Name"'))
    header = next(csv.reader([lines[header_at]]))
    i = next(i for i, line in enumerate(lines) if line.startswith(start))
    fields = next(csv.reader([lines[i]]))
    fields[header.index(column)] = value
    out = io.StringIO()
    csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="").writerow(fields)
    lines[i] = out.getvalue()
    path.write_bytes("\r\n".join(lines).encode("utf-8-sig"))
    return i + 1


# ---------------------------------------------------------------- WDI


def test_wdi_truncated(upstream_file, tmp_path):
    path = copy_upstream(upstream_file, tmp_path, "wdi_usd")
    path, last_line = truncated(path, path)
    with pytest.raises(ReaderError, match="truncated") as err:
        read_wdi(path)
    assert err.value.row == last_line and err.value.row_kind == "line"
    assert err.value.file.endswith(path.name)


def test_wdi_another_format(upstream_file, tmp_path):
    with pytest.raises(ReaderError, match="zip") as err:
        read_wdi(upstream_file("un_dest"))
    assert err.value.file.endswith(".xlsx")
    with pytest.raises(ReaderError, match="Country Name"):
        read_wdi(upstream_file("oecd_national"))


def test_wdi_missing_column(upstream_file, tmp_path):
    path = copy_upstream(upstream_file, tmp_path, "wdi_usd")
    edited(path, path, '"Country Code",', '"Economy Code",', encoding="utf-8-sig")
    with pytest.raises(ReaderError, match="missing") as err:
        read_wdi(path)
    assert err.value.column == "Country Code" and err.value.row == 5


def test_wdi_unparsable_number(upstream_file, tmp_path):
    path = copy_upstream(upstream_file, tmp_path, "wdi_usd")
    line = set_field(path, '"India"', "2008", "49,977,276,923")
    with pytest.raises(ReaderError, match="number") as err:
        read_wdi(path)
    assert (err.value.row, err.value.column, err.value.row_kind) == (line, "2008", "line")


def test_wdi_code_missing_from_metadata(upstream_file, tmp_path):
    path = copy_upstream(upstream_file, tmp_path, "wdi_usd")
    line = set_field(path, '"India"', "Country Code", "ZZZ")
    with pytest.raises(UnknownCountryError, match="Metadata_Country") as err:
        read_wdi(path)
    assert (err.value.row, err.value.column) == (line, "Country Code")


def test_wdi_unknown_country(upstream_file, tmp_path):
    path = copy_upstream(upstream_file, tmp_path, "wdi_usd")
    line = set_field(path, '"India"', "Country Code", "ZZZ")
    meta = path.with_name(f"Metadata_Country_{path.name}")
    edited(meta, meta, '"IND",', '"ZZZ",', encoding="utf-8-sig")
    with pytest.raises(UnknownCountryError, match="country table") as err:
        read_wdi(path)
    assert (err.value.row, err.value.column) == (line, "Country Code")


def test_wdi_metadata_truncated_and_missing_column(upstream_file, tmp_path):
    path = copy_upstream(upstream_file, tmp_path, "wdi_usd")
    meta = path.with_name(f"Metadata_Country_{path.name}")
    original = meta.read_bytes()
    truncated(meta, meta, fraction=0.97)
    with pytest.raises(ReaderError) as err:
        read_wdi(path)
    assert err.value.file.endswith(meta.name)
    meta.write_bytes(original)
    edited(meta, meta, '"IncomeGroup"', '"Income"', encoding="utf-8-sig")
    with pytest.raises(ReaderError, match="missing") as err:
        read_wdi(path)
    assert err.value.column == "IncomeGroup" and err.value.file.endswith(meta.name)


def test_wdi_resaved_file_unparsable_and_truncated(upstream_file, tmp_path):
    src = upstream_file("wdi_pct")
    path = edited(src, tmp_path / src.name, "2.89E-05", "2.89E-05x")
    with pytest.raises(ReaderError, match="2.89E-05x") as err:
        read_wdi(path)
    line = next(i for i, text in enumerate(src.read_text().splitlines(), 1) if "2.89E-05" in text)
    assert err.value.row == line and err.value.column.isdigit()
    path, last_line = truncated(src, tmp_path / "cut.csv", fraction=0.8)
    with pytest.raises(ReaderError, match="truncated") as err:
        read_wdi(path)
    assert err.value.row == last_line


# ---------------------------------------------------------------- KNOMAD inflows


def test_knomad_2017_truncated(upstream_file, tmp_path):
    path, last_line = truncated(upstream_file("knomad_2017"), tmp_path / "inflow.csv")
    with pytest.raises(ReaderError, match="truncated") as err:
        read_knomad_inflows(path)
    assert err.value.row == last_line


def test_knomad_another_format(upstream_file, tmp_path):
    xls = upstream_file("knomad_2013_xls")
    with pytest.raises(ReaderError, match="OLE2"):
        read_knomad_inflows(xls)
    with pytest.raises(ReaderError, match="year columns"):
        read_knomad_inflows(upstream_file("oecd_national"))


def test_knomad_2017_missing_year_columns(upstream_file, tmp_path):
    src = upstream_file("knomad_2017")
    header = src.read_text().split("\n", 1)[0].rstrip("\r")
    path = edited(src, tmp_path / "inflow.csv", header, ",".join(["Country"] + [f"y{i}" for i in range(len(header.split(",")) - 1)]))
    with pytest.raises(ReaderError, match="no year columns") as err:
        read_knomad_inflows(path)
    assert err.value.row == 1


def test_knomad_2017_unparsable_and_unknown(upstream_file, tmp_path):
    src = upstream_file("knomad_2017")
    line = line_of(src, "India,")
    path = edited(src, tmp_path / "a.csv", "49977.27692", "49977.2769x")
    with pytest.raises(ReaderError, match="number") as err:
        read_knomad_inflows(path)
    assert (err.value.row, err.value.column) == (line, "2008")
    path = edited(src, tmp_path / "b.csv", "\r\nIndia,", "\r\nIndya,")
    with pytest.raises(UnknownCountryError, match="Indya") as err:
        read_knomad_inflows(path)
    assert (err.value.row, err.value.column) == (line, "Migrant remittance inflows (US$ million)")


def test_knomad_2012_lone_cr_errors(upstream_file, tmp_path):
    src = upstream_file("knomad_2012")
    line = line_of(src, "Albania,")
    path = edited(src, tmp_path / "a.csv", '"1,161"', '"1,16l"')
    with pytest.raises(ReaderError, match="1,16l") as err:
        read_knomad_inflows(path)
    assert (err.value.row, err.value.column) == (line, "2004")
    path = edited(src, tmp_path / "b.csv", "\rAlbania,", "\rAlbanai,")
    with pytest.raises(UnknownCountryError) as err:
        read_knomad_inflows(path)
    assert (err.value.row, err.value.column) == (line, "Name")
    path, last_line = truncated(src, tmp_path / "c.csv", fraction=0.6)
    with pytest.raises(ReaderError, match="truncated") as err:
        read_knomad_inflows(path)
    assert err.value.row == last_line


# ---------------------------------------------------------------- KNOMAD bilateral


def test_bilateral_errors(upstream_file, tmp_path):
    src = upstream_file("knomad_bilateral")
    path, last_line = truncated(src, tmp_path / "cut.csv")
    with pytest.raises(ReaderError, match="truncated") as err:
        read_knomad_bilateral(path)
    assert err.value.row == last_line

    path = edited(src, tmp_path / "a.csv", ",Remittance-sending country,", ",Sender,")
    with pytest.raises(ReaderError, match="missing") as err:
        read_knomad_bilateral(path)
    assert err.value.column == "Remittance-sending country"

    line = line_of(src, "86,India,")
    path = edited(src, tmp_path / "b.csv", "86,India,0.4818011576325729", "86,India,0.48l8")
    with pytest.raises(ReaderError, match="number") as err:
        read_knomad_bilateral(path)
    assert (err.value.row, err.value.column) == (line, "Afghanistan")

    path = edited(src, tmp_path / "c.csv", "86,India,", "86,Indiana,")
    with pytest.raises(UnknownCountryError, match="Indiana") as err:
        read_knomad_bilateral(path)
    assert (err.value.row, err.value.column) == (line, "Remittance-sending country")

    path = edited(src, tmp_path / "d.csv", ",Remittance-sending country,Afghanistan,", ",Remittance-sending country,Afghanistanistan,")
    with pytest.raises(UnknownCountryError, match="Afghanistanistan") as err:
        read_knomad_bilateral(path)
    assert err.value.row == 1

    with pytest.raises(ReaderError, match="zip"):
        read_knomad_bilateral(upstream_file("un_orig"))


# ---------------------------------------------------------------- UN DESA workbooks


@pytest.fixture(scope="module")
def origin_workbook(upstream_file):
    return upstream_file("un_orig")


def workbook_copy(src, dst, edit):
    book = openpyxl.load_workbook(src)
    edit(book["Table 1"])
    book.save(dst)
    return dst


def test_undesa_workbook_truncated_and_another_format(upstream_file, tmp_path):
    path, _ = truncated(upstream_file("un_dest"), tmp_path / "cut.xlsx")
    with pytest.raises(ReaderError, match="xlsx") as err:
        read_undesa_stock(path)
    assert err.value.file.endswith("cut.xlsx")
    with pytest.raises(ReaderError, match="xlsx"):
        read_undesa_stock(upstream_file("un_od"))
    with pytest.raises(ReaderError, match="sheet"):
        read_undesa_stock(upstream_file("un_orig"), sheet="Table 9")


def find_row(sheet, name):
    return next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 2).value == name)


def test_undesa_workbook_cell_errors(origin_workbook, tmp_path):
    def missing_column(sheet):
        sheet.cell(11, 5).value = "Code"

    path = workbook_copy(origin_workbook, tmp_path / "a.xlsx", missing_column)
    with pytest.raises(ReaderError, match="missing") as err:
        read_undesa_stock(path)
    assert err.value.column == "Location code" and err.value.row == 11

    rows = {}

    def bad_number(sheet):
        rows["Japan"] = find_row(sheet, "Japan")
        sheet.cell(rows["Japan"], 9).value = "n/a"  # column I: both sexes, 2005

    path = workbook_copy(origin_workbook, tmp_path / "b.xlsx", bad_number)
    with pytest.raises(ReaderError, match="n/a") as err:
        read_undesa_stock(path)
    assert err.value.row == rows["Japan"] and err.value.column == "I (total 2005)"

    def unknown_code(sheet):
        rows["Tonga"] = find_row(sheet, "Tonga")
        sheet.cell(rows["Tonga"], 5).value = 899

    path = workbook_copy(origin_workbook, tmp_path / "c.xlsx", unknown_code)
    with pytest.raises(UnknownCountryError, match="899") as err:
        read_undesa_stock(path)
    assert (err.value.row, err.value.column) == (rows["Tonga"], "Location code")


# ---------------------------------------------------------------- UN DESA destination x origin CSV


def test_undesa_csv_errors(upstream_file, tmp_path):
    src = upstream_file("un_od")
    path, last_line = truncated(src, tmp_path / "cut.csv")
    with pytest.raises(ReaderError, match="truncated") as err:
        read_undesa_origin_destination(path)
    assert err.value.row == last_line

    with pytest.raises(ReaderError, match="zip"):
        read_undesa_origin_destination(upstream_file("un_dest"))

    path = edited(src, tmp_path / "a.csv", "Location code of origin", "Origin code", encoding="cp1252")
    with pytest.raises(ReaderError, match="missing") as err:
        read_undesa_origin_destination(path)
    assert err.value.column == "Location code of origin"

    path = edited(src, tmp_path / "b.csv", "1402,Australia/New Zealand,1836,World,900,4 517 870", "1402,Australia/New Zealand,1836,World,900,4 517 87O", encoding="cp1252")
    with pytest.raises(ReaderError, match="87O") as err:
        read_undesa_origin_destination(path)
    assert (err.value.row, err.value.column) == (2, "1990")

    path = edited(src, tmp_path / "d.csv", "1403,Australia/New Zealand,1836,Sub-Saharan Africa,1834", "1403,Australia/New Zealand,1836,Sub-Saharan Africa,899", encoding="cp1252")
    with pytest.raises(UnknownCountryError, match="899") as err:
        read_undesa_origin_destination(path)
    assert (err.value.row, err.value.column) == (3, "Location code of origin")

    data = bytearray(src.read_bytes())
    data[data.index(b"1404,")] = 0x81  # a byte Windows-1252 leaves undefined, on line 4
    (tmp_path / "e.csv").write_bytes(bytes(data))
    with pytest.raises(ReaderError, match="cp1252") as err:
        read_undesa_origin_destination(tmp_path / "e.csv")
    assert err.value.row == 4


# ---------------------------------------------------------------- OECD


def test_oecd_errors(upstream_file, tmp_path):
    src = upstream_file("oecd_national")
    path, last_line = truncated(src, tmp_path / "cut.csv")
    with pytest.raises(ReaderError, match="truncated") as err:
        read_oecd(path)
    assert err.value.row == last_line

    with pytest.raises(ReaderError, match="missing") as err:
        read_oecd(upstream_file("wdi_usd"))  # a WDI file is not an OECD export
    assert err.value.column == "STRUCTURE_ID" and err.value.row == 1
    with pytest.raises(ReaderError, match="OLE2"):
        read_oecd(upstream_file("knomad_2013_xls"))

    path = edited(src, tmp_path / "a.csv", ",OBS_VALUE,", ",VALUE,")
    with pytest.raises(ReaderError, match="missing") as err:
        read_oecd(path)
    assert err.value.column == "OBS_VALUE"

    japan = "Japan,W,World,A,Annual,B11,Inflows of foreign population,_T,Total,_Z,Not applicable,_Z,Not applicable,PS,Persons,2006,,325621,"
    line = line_of(src, "DATAFLOW,OECD.ELS.IMD:DSD_MIG@DF_MIG(1.0),International migration database,I,JPN," + japan)
    path = edited(src, tmp_path / "b.csv", japan, japan.replace("325621", "325 621"))
    with pytest.raises(ReaderError, match="325 621") as err:
        read_oecd(path)
    assert (err.value.row, err.value.column) == (line, "OBS_VALUE")

    path = edited(src, tmp_path / "c.csv", "I,JPN,Japan,W,World,A,Annual,B11,Inflows of foreign population,_T,Total,_Z,Not applicable,_Z,Not applicable,PS,Persons,2006,",
                  "I,JPX,Japan,W,World,A,Annual,B11,Inflows of foreign population,_T,Total,_Z,Not applicable,_Z,Not applicable,PS,Persons,2006,")
    with pytest.raises(UnknownCountryError, match="JPX") as err:
        read_oecd(path)
    assert (err.value.row, err.value.column) == (line, "REF_AREA")

    path = edited(src, tmp_path / "d.csv", japan, japan.replace(",2006,,", ",,,"))
    with pytest.raises(ReaderError, match="empty") as err:
        read_oecd(path)
    assert (err.value.row, err.value.column) == (line, "TIME_PERIOD")


def test_every_reader_error_is_a_data_error():
    assert issubclass(ReaderError, DataError) and issubclass(UnknownCountryError, DataError)


def test_missing_file(tmp_path):
    with pytest.raises(ReaderError, match="cannot read"):
        read_wdi(tmp_path / "nope.csv")
    with pytest.raises(ReaderError, match="not found"):
        read_undesa_stock(tmp_path / "nope.xlsx")
