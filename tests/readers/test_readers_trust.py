"""Issue 10, items 1-6, one test per reader and finding: each fails on the readers as they were.

Every case edits a copy of a real upstream file at a known line (found here by
its first characters, not by the readers' own bookkeeping) and checks that
the reader refuses it with a migstats error naming the file, line and column,
or reads it correctly and says how.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile

import numpy as np
import pytest

from migstats.errors import ReaderError, ReaderWarning, UnknownCountryError
from migstats.readers import (
    read_knomad_bilateral,
    read_knomad_inflows,
    read_oecd,
    read_undesa_origin_destination,
    read_undesa_stock,
    read_wdi,
    read_wpp,
)
from upstream_files import copy_upstream


def edit_line(path, start, change, *, encoding="utf-8", delimiter=","):
    """Rewrite the first line starting with ``start`` by ``change(fields) -> fields``; its 1-based line number.

    The line keeps its quoting style (WDI quotes every field) and the file its line ends and BOM.
    """
    raw = path.read_bytes()
    bom = raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig" if bom else encoding)
    eol = "\r\n" if "\r\n" in text else "\r" if "\r" in text and "\n" not in text else "\n"
    lines = text.split(eol)
    i = next(k for k, line in enumerate(lines) if line.startswith(start))
    fields = next(csv.reader([lines[i]], delimiter=delimiter))
    out = io.StringIO()
    quoting = csv.QUOTE_ALL if lines[i].startswith('"') else csv.QUOTE_MINIMAL
    csv.writer(out, delimiter=delimiter, quoting=quoting, lineterminator="").writerow(change(list(fields)))
    lines[i] = out.getvalue()
    data = eol.join(lines).encode("utf-8" if bom else encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return i + 1


def set_field(index, value):
    def change(fields):
        fields[index] = value
        return fields

    return change


def header_only(path, *, header_start, encoding="utf-8"):
    raw = path.read_bytes()
    bom = raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig" if bom else encoding)
    eol = "\r\n" if "\r\n" in text else "\r" if "\n" not in text else "\n"
    lines = text.split(eol)
    i = next(k for k, line in enumerate(lines) if line.startswith(header_start))
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + eol.join(lines[: i + 1] + [""]).encode(encoding))


def where(err):
    return err.value.file, err.value.row, err.value.column


# Per reader: the key, the reader, the start of a data line, a value field on it (position, header label),
# the header's first characters, the encoding, the delimiter.
CSV_READERS = {
    "wdi": ("wdi_usd", read_wdi, '"India"', 44, "2000", '"Country Name"', "utf-8", ","),
    "knomad_inflows": ("knomad_2017", read_knomad_inflows, "India,", 31, "2000", "Migrant", "utf-8", ","),
    "knomad_bilateral": ("knomad_bilateral", read_knomad_bilateral, "1,Albania,", 26, "Bosnia and Herzegovina", ",Remittance",
                         "utf-8", ","),
    "undesa_od": ("un_od", read_undesa_origin_destination, "1402,", 6, "1995", "Index", "cp1252", ","),
    "oecd": ("oecd_national", read_oecd, "DATAFLOW,OECD.ELS.IMD:DSD_MIG@DF_MIG(1.0),International migration database,I,CHL",
             22, "OBS_VALUE", "STRUCTURE", "utf-8", ","),
    "wpp": ("wpp_births", read_wpp, "276\t", 52, "2000", "country_code", "utf-8", "\t"),
}


def _read(name, path):
    return CSV_READERS[name][1](path)


# ---------------------------------------------------------------- 1. every record against its header


@pytest.mark.parametrize("name", list(CSV_READERS))
def test_1_a_record_with_a_cell_missing_is_an_error(upstream_file, tmp_path, name):
    key, read, start, position, label, _, encoding, delimiter = CSV_READERS[name]
    path = copy_upstream(upstream_file, tmp_path, key)
    clean = read(upstream_file(key))
    line = edit_line(path, start, lambda f: f[:position] + f[position + 1 :], encoding=encoding, delimiter=delimiter)
    with pytest.raises(ReaderError, match=r"the record has \d+ fields, the header has \d+") as err:
        read(path)
    assert where(err) == (str(path), line, None)
    assert len(clean)  # the unedited copy reads


@pytest.mark.parametrize("name", list(CSV_READERS))
def test_1_a_record_with_an_extra_field_is_an_error(upstream_file, tmp_path, name):
    key, read, start, position, label, _, encoding, delimiter = CSV_READERS[name]
    path = copy_upstream(upstream_file, tmp_path, key)
    line = edit_line(path, start, lambda f: f[:position] + ["7"] + f[position:], encoding=encoding, delimiter=delimiter)
    with pytest.raises(ReaderError, match=r"the record has \d+ fields, the header has \d+") as err:
        read(path)
    assert where(err)[1] == line


@pytest.mark.parametrize("name", list(CSV_READERS))
def test_1_a_header_without_its_last_cell_is_an_error(upstream_file, tmp_path, name):
    key, read, start, position, label, header_start, encoding, delimiter = CSV_READERS[name]
    path = copy_upstream(upstream_file, tmp_path, key)
    line = edit_line(path, header_start, lambda f: f[:-1], encoding=encoding, delimiter=delimiter)
    with pytest.raises(ReaderError, match=r"fields, the header has|beyond the \d+ fields of the header") as err:
        read(path)
    # the first data record after the header is the first too long for it
    assert where(err)[1] > line


def test_1_wdi_india_2000_is_not_given_the_2001_value(upstream_file, tmp_path):
    """The example of the issue: deleting India's 2000 cell gave India 2000 the 2001 value and lost 2024."""
    path = copy_upstream(upstream_file, tmp_path, "wdi_usd")
    line = edit_line(path, '"India"', lambda f: f[:44] + f[45:])
    with pytest.raises(ReaderError) as err:
        read_wdi(path)
    assert "70 fields" in str(err.value) or "69 fields" in str(err.value)
    assert err.value.row == line == 115


def test_1_padded_knomad_2012_rows_must_all_be_padded_alike(upstream_file, tmp_path):
    # The 2012 export pads its rows to 75 fields (header 49): one row one field short is an error.
    path = copy_upstream(upstream_file, tmp_path, "knomad_2012")
    line = edit_line(path, "Albania,", lambda f: f[:30] + f[31:])
    with pytest.raises(ReaderError, match="the record has 74 fields, the header has 49, the other records 75") as err:
        read_knomad_inflows(path)
    assert err.value.row == line
    line = edit_line(path, "Algeria,", lambda f: f[:-1] + ["9"], encoding="utf-8")
    path.write_bytes(upstream_file("knomad_2012").read_bytes())
    line = edit_line(path, "Algeria,", lambda f: f[:-1] + ["9"])
    with pytest.raises(ReaderError, match="a value beyond the 49 fields of the header") as err:
        read_knomad_inflows(path)
    assert err.value.row == line


# ---------------------------------------------------------------- 2. value domains

IMPOSSIBLE = [
    ("inf", "cannot read 'inf' as a number"),
    ("-inf", "cannot read '-inf' as a number"),
    ("Infinity", "cannot read 'Infinity' as a number"),
    ("NaN", "cannot read 'NaN' as a number"),
    ("1e400", "inf is not a finite number"),
    ("1e300", "beyond the plausibility bound"),
    ("123456789012345678901234567890", "beyond the plausibility bound"),
    ("-5", "is negative"),
]


@pytest.mark.parametrize("value, message", IMPOSSIBLE, ids=[v for v, _ in IMPOSSIBLE])
@pytest.mark.parametrize("name", list(CSV_READERS))
def test_2_impossible_values_are_errors_naming_line_column_and_bound(upstream_file, tmp_path, name, value, message):
    key, read, start, position, label, _, encoding, delimiter = CSV_READERS[name]
    path = copy_upstream(upstream_file, tmp_path, key)
    line = edit_line(path, start, set_field(position, value), encoding=encoding, delimiter=delimiter)
    with pytest.raises(ReaderError, match=re.escape(message)) as err:
        read(path)
    assert where(err) == (str(path), line, label)


def test_2_net_migration_may_be_negative_but_not_infinite(upstream_file, tmp_path):
    path = copy_upstream(upstream_file, tmp_path, "wpp_migration")
    edit_line(path, "276\t", set_field(52, "-5"), delimiter="\t")
    out = read_wpp(path)
    assert out.loc[(out["m49"] == 276) & (out["year"] == 2000), "value"].item() == -5
    edit_line(path, "276\t", set_field(52, "-1e400"), delimiter="\t")
    with pytest.raises(ReaderError, match="-inf is not a finite number"):
        read_wpp(path)


@pytest.mark.parametrize(
    "unit_bound, value, ok",
    [(1e13, "10000000000000", True), (1e13, "10000000000001", False)],
)
def test_2_the_bound_itself_is_allowed(upstream_file, tmp_path, unit_bound, value, ok):
    path = copy_upstream(upstream_file, tmp_path, "wdi_usd")
    edit_line(path, '"India"', set_field(44, value))
    if ok:
        out = read_wdi(path)
        assert out.loc[(out["code"] == "IND") & (out["year"] == 2000), "value"].item() == unit_bound
    else:
        with pytest.raises(ReaderError, match="plausibility bound of 1e\\+13 USD"):
            read_wdi(path)


def test_2_undesa_stock_xlsx_refuses_negative_and_infinite_stocks(upstream_file, tmp_path):
    from mutations import mutate_xlsx_cell
    import random

    source = upstream_file("un_orig")
    # openpyxl itself fails on inf and 1e400 in a number cell (it makes integral floats ints): a
    # ReaderError naming the sheet.
    for kind, message in (("negative", "is negative; migrant stocks"),
                          ("inf", "sheet 'Table 1': not a readable xlsx workbook"),
                          ("1e400", "sheet 'Table 1': not a readable xlsx workbook")):
        data, what = mutate_xlsx_cell(source.read_bytes(), kind, random.Random(3), sheet_xml="xl/worksheets/sheet2.xml",
                                      first_row=12)
        path = tmp_path / source.name
        path.write_bytes(data)
        with pytest.raises(ReaderError, match=message) as err:
            read_undesa_stock(path)
        if kind != "negative":
            continue
        cell = re.search(r"cell ([A-Z]+)(\d+)", what)
        assert err.value.row == int(cell.group(2)) and err.value.column.startswith(cell.group(1) + " ")


# ---------------------------------------------------------------- 3. number conventions


@pytest.mark.parametrize("value", ["12,5", "1.234,5", "1,23", "1 234", "12.5.1"])
def test_3_knomad_reads_no_decimal_comma(upstream_file, tmp_path, value):
    path = copy_upstream(upstream_file, tmp_path, "knomad_2017")
    line = edit_line(path, "India,", set_field(31, value))
    with pytest.raises(ReaderError, match="cannot read .* as a number") as err:
        read_knomad_inflows(path)
    assert where(err) == (str(path), line, "2000")


def test_3_knomad_thousands_commas_in_groups_of_three_are_read(upstream_file, tmp_path):
    path = copy_upstream(upstream_file, tmp_path, "knomad_2017")
    edit_line(path, "India,", set_field(31, "12,345.5"))
    out = read_knomad_inflows(path)
    assert out.loc[(out["code"] == "IND") & (out["year"] == 2000), "value"].item() == 12345.5


def test_3_undesa_space_separator_in_groups_of_three_only(upstream_file, tmp_path):
    path = copy_upstream(upstream_file, tmp_path, "un_od")
    edit_line(path, "1402,", set_field(6, "4 81 0557"), encoding="cp1252")
    with pytest.raises(ReaderError, match="cannot read '4 81 0557' as a number"):
        read_undesa_origin_destination(path)


# ---------------------------------------------------------------- 4. encodings


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"], ids=["utf8", "utf8-bom"])
def test_4_undesa_csv_resaved_as_utf8_is_read_correctly_with_a_warning(upstream_file, tmp_path, bom):
    source = upstream_file("un_od")
    clean = read_undesa_origin_destination(source)
    path = tmp_path / source.name
    path.write_bytes(bom + source.read_bytes().decode("cp1252").encode("utf-8"))
    with pytest.warns(ReaderWarning, match="read as UTF-8, not the Windows-1252"):
        out = read_undesa_origin_destination(path)
    assert out.equals(clean)
    assert "Côte d'Ivoire" in set(out["dest_name"]) and not out["dest_name"].str.contains("Ã").any()


def test_4_oecd_resaved_as_windows_1252_is_read_correctly_with_a_warning(upstream_file, tmp_path):
    # The OECD export is UTF-8; "Türkiye" is its only non-ASCII name.
    path = copy_upstream(upstream_file, tmp_path, "oecd_national")
    clean = read_oecd(path)
    path.write_bytes(path.read_bytes().decode("utf-8").encode("cp1252"))
    with pytest.warns(ReaderWarning, match="read as Windows-1252"):
        out = read_oecd(path)
    assert out.equals(clean)
    assert "Türkiye" in set(out["name"])


def test_4_text_in_neither_encoding_is_an_error(upstream_file, tmp_path):
    path = copy_upstream(upstream_file, tmp_path, "knomad_2017")
    # 0x81 is undefined in Windows-1252 and not valid UTF-8 on its own.
    path.write_bytes(path.read_bytes().replace(b"India,", b"Indi\x81,", 1))
    with pytest.raises(ReaderError, match=re.escape("byte 0x81 is not valid Windows-1252 (cp1252) nor UTF-8 text")):
        read_knomad_inflows(path)


# ---------------------------------------------------------------- 5. damaged workbooks


def _rewrite_member(data: bytes, name: str, change) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = [(info, archive.read(info)) for info in archive.infolist()]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, payload in members:
            archive.writestr(info, change(payload) if info.filename == name else payload)
    return out.getvalue()


def test_5_broken_sheet_xml_names_file_and_sheet(upstream_file, tmp_path):
    source = upstream_file("un_dest")
    path = tmp_path / source.name
    path.write_bytes(_rewrite_member(source.read_bytes(), "xl/worksheets/sheet2.xml", lambda xml: xml[: len(xml) // 2]))
    with pytest.raises(ReaderError, match="sheet 'Table 1': not a readable xlsx workbook") as err:
        read_undesa_stock(path)
    assert err.value.file == str(path)


def test_5_corrupt_compressed_data_names_file_and_sheet(upstream_file, tmp_path):
    source = upstream_file("un_dest")
    data = bytearray(source.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("xl/worksheets/sheet2.xml")
    # local header: 30 bytes + name + extra, then the deflated data; damage its middle
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for k in range(64):
        data[start + info.compress_size // 2 + k] ^= 0x5A
    path = tmp_path / source.name
    path.write_bytes(bytes(data))
    with pytest.raises(ReaderError, match="sheet 'Table 1'") as err:
        read_undesa_stock(path)
    assert err.value.file == str(path)


def test_5_truncated_workbook(upstream_file, tmp_path):
    source = upstream_file("un_orig")
    path = tmp_path / source.name
    path.write_bytes(source.read_bytes()[:100_000])
    with pytest.raises(ReaderError, match="sheet 'Table 1': not a readable xlsx workbook"):
        read_undesa_stock(path)


# ---------------------------------------------------------------- 6. header-only tables


@pytest.mark.parametrize("name", list(CSV_READERS))
def test_6_a_header_only_file_is_an_error_naming_the_file(upstream_file, tmp_path, name):
    key, read, start, position, label, header_start, encoding, delimiter = CSV_READERS[name]
    path = copy_upstream(upstream_file, tmp_path, key)
    header_only(path, header_start=header_start, encoding=encoding)
    with pytest.raises(ReaderError, match="no data rows after the header") as err:
        read(path)
    assert err.value.file == str(path)


def test_6_a_header_only_workbook_is_an_error(upstream_file, tmp_path):
    source = upstream_file("un_orig")
    path = tmp_path / source.name

    def drop_data_rows(xml: bytes) -> bytes:
        text = xml.decode("utf-8")
        text = re.sub(r'<row r="(\d+)"[^>]*>.*?</row>', lambda m: m.group(0) if int(m.group(1)) <= 11 else "", text,
                      flags=re.DOTALL)
        return text.encode("utf-8")

    path.write_bytes(_rewrite_member(source.read_bytes(), "xl/worksheets/sheet2.xml", drop_data_rows))
    with pytest.raises(ReaderError, match="no data rows after the header") as err:
        read_undesa_stock(path)
    assert err.value.file == str(path)


# ---------------------------------------------------------------- the unknown-country rule, every reader

UNKNOWN = {
    # key, reader, line start, field to change, new text, what the error says, column
    "wdi": ("wdi_usd", read_wdi, '"India"', 1, "ZZZ", "'ZZZ' is not in the Metadata_Country file", "Country Code"),
    "knomad_inflows": ("knomad_2017", read_knomad_inflows, "India,", 0, "Atlantis", "'Atlantis'", None),
    "knomad_bilateral": ("knomad_bilateral", read_knomad_bilateral, "1,Albania,", 1, "Atlantis", "'Atlantis'",
                         "Remittance-sending country"),
    "undesa_od": ("un_od", read_undesa_origin_destination, "1402,", 4, "899", "location code 899",
                  "Location code of origin"),
    "oecd": ("oecd_national", read_oecd, "DATAFLOW,OECD.ELS.IMD:DSD_MIG@DF_MIG(1.0),International migration database,I,CHL",
             4, "ZZZ", "reference area 'ZZZ'", "REF_AREA"),
    "wpp": ("wpp_births", read_wpp, "276\t", 0, "999", "location code 999", "country_code"),
}


@pytest.mark.parametrize("name", list(UNKNOWN))
def test_unknown_country_raises_by_default_and_is_kept_flagged_on_request(upstream_file, tmp_path, name):
    key, read, start, field, new, message, column = UNKNOWN[name]
    encoding = "cp1252" if key == "un_od" else "utf-8"
    delimiter = "\t" if key.startswith("wpp") else ","
    path = copy_upstream(upstream_file, tmp_path, key)
    clean = read(path)
    line = edit_line(path, start, set_field(field, new), encoding=encoding, delimiter=delimiter)
    with pytest.raises(UnknownCountryError, match=re.escape(message)) as err:
        read(path)
    assert err.value.row == line and err.value.file == str(path)
    if column is not None:
        assert err.value.column == column
    kept = read(path, unknown="keep")
    flagged = kept[kept["flags"].str.split().map(lambda flags: "u" in flags)]
    assert len(flagged) > 0 and len(kept) == len(clean)
    code = "orig_code" if "orig_code" in kept else "code"
    assert set(flagged[code]) == {""}
    # every other row is as in the clean read
    assert np.array_equal(kept.drop(flagged.index)["value"].to_numpy(), clean.drop(flagged.index)["value"].to_numpy())
    with pytest.raises(Exception, match="unknown="):
        read(path, unknown="drop")


# ---- a damaged name or code cannot pass into the table -------------------------------------------
# A byte changed in a text cell used to come out as a table that differs from the clean read.

def test_a_location_written_with_two_names_is_refused(upstream_file, tmp_path):
    """Destination 1836 is "Australia/New Zealand" on every row; one row now says otherwise."""
    path = copy_upstream(upstream_file, tmp_path, "un_od")
    line = edit_line(path, "1403,", set_field(1, "Australia/New Zea:and"), encoding="cp1252")
    with pytest.raises(ReaderError, match=r"code 1836 is named 'Australia/New Zea:and' here but "
                                          r"'Australia/New Zealand' on line 2") as info:
        read_undesa_origin_destination(path)
    assert info.value.row == line == 3
    assert info.value.column == "Region, development group, country or area of destination"


def test_a_second_indicator_code_is_refused(upstream_file, tmp_path):
    path = copy_upstream(upstream_file, tmp_path, "wdi_usd")
    line = edit_line(path, '"Chad"', set_field(3, "BX.TRF.PWKR.\x16D.DT"))
    with pytest.raises(ReaderError, match="the file mixes several indicators") as info:
        read_wdi(path)
    assert (info.value.row, info.value.column) == (line, "Indicator Code")


def test_a_country_name_that_does_not_name_its_code_is_refused_or_flagged(upstream_file, tmp_path):
    path = copy_upstream(upstream_file, tmp_path, "wdi_usd")
    line = edit_line(path, '"Chad"', set_field(0, "Chae"))
    with pytest.raises(UnknownCountryError, match="'Chae' is not a spelling of TCD") as info:
        read_wdi(path)
    assert (info.value.row, info.value.column) == (line, "Country Name")
    kept = read_wdi(path, unknown="keep")
    chad = kept[kept["code"] == "TCD"]
    assert set(chad["name"]) == {"Chae"} and set(chad["flags"]) == {"u"}
    assert (kept.loc[kept["code"] != "TCD", "flags"] == "").all()


def test_without_metadata_an_unknown_code_is_not_taken_for_an_aggregate(upstream_file, tmp_path):
    """The % of GDP file comes without a metadata file; ARF is neither a country nor a WDI aggregate."""
    path = copy_upstream(upstream_file, tmp_path, "wdi_pct")
    line = edit_line(path, "Argentina,", set_field(1, "ARF"))
    with pytest.raises(UnknownCountryError, match="'ARF'") as info:
        read_wdi(path)
    assert (info.value.row, info.value.column) == (line, "Country Code")


@pytest.mark.parametrize("field, value, column", [
    (11, "Innlows of foreign population", "Measure"),   # a label changed: the code has two labels
    (10, "B12", "MEASURE"),                             # a code changed: the label has two codes
])
def test_an_oecd_code_and_its_label_stay_paired(upstream_file, tmp_path, field, value, column):
    path = copy_upstream(upstream_file, tmp_path, "oecd_national")
    # a row after the first of its measure, so that the first row gives the pair that holds
    line = edit_line(path, "DATAFLOW,OECD.ELS.IMD:DSD_MIG@DF_MIG(1.0),International migration database,I,BEL,"
                           "Belgium,W,World,A,Annual,B11,Inflows of foreign population,_T,Total,_Z,Not applicable,"
                           "_Z,Not applicable,PS,Persons,2005", set_field(field, value))
    assert line > 2
    with pytest.raises(ReaderError, match="is named") as info:
        read_oecd(path)
    assert (info.value.row, info.value.column) == (line, column)
