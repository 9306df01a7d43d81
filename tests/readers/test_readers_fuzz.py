"""Seeded, derandomised fuzzing of every reader on the real upstream files.

Each case mutates its file (see ``mutations.py``): a deleted cell, an added
field, a header without its last cell, ``inf``, ``-inf``, ``1e400``, a
negative number and a decimal comma in a number cell, single bytes flipped
inside an xlsx zip. Every outcome must be a migstats error or a table equal to
the clean read (or, for a negative net migration, the value as written). The
counts are printed; ``pytest -s`` shows them.
"""

from __future__ import annotations

import pytest
from mutations import fuzz_text, fuzz_xlsx, summary
from upstream_files import COMPANIONS

from migstats.readers import (
    read_knomad_bilateral,
    read_knomad_inflows,
    read_oecd,
    read_undesa_origin_destination,
    read_undesa_stock,
    read_wdi,
    read_wpp,
)


def _wdi_header_line(path) -> int:
    text = path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
    return next(i for i, line in enumerate(text.split("\n"), 1) if line.lstrip('"').startswith("Country Name"))


def _negative_read_as_written(got, clean) -> bool:
    """Every row equal but one, whose value is the clean value negated (net migration is signed)."""
    if len(got) != len(clean) or not got.drop(columns="value").equals(clean.drop(columns="value")):
        return False
    changed = (got["value"] != clean["value"]).to_numpy()
    return changed.sum() == 1 and float(got["value"][changed].iloc[0]) == -float(clean["value"][changed].iloc[0])


# key, reader, options of fuzz_text
TEXT_CASES = [
    ("wdi_usd", read_wdi, {"encoding": "utf-8-sig"}),
    ("wdi_pct", read_wdi, {"encoding": "utf-8-sig"}),
    ("knomad_2017", read_knomad_inflows, {}),
    ("knomad_2012", read_knomad_inflows, {}),
    ("knomad_bilateral", read_knomad_bilateral, {}),
    ("un_od", read_undesa_origin_destination, {"encoding": "cp1252"}),
    ("oecd_national", read_oecd, {}),
    ("oecd_permanent", read_oecd, {}),
    ("oecd_temporary", read_oecd, {}),
    ("wpp_births", read_wpp, {"delimiter": "\t"}),
    ("wpp_migration", read_wpp, {"delimiter": "\t", "signed": True}),
]
PER_KIND = 3
XLSX_CASES = ["un_dest", "un_orig"]
FLIPS = 12
XLSX_PER_KIND = 1


@pytest.mark.parametrize("key, read, options", TEXT_CASES, ids=[case[0] for case in TEXT_CASES])
def test_text_reader_fuzz(upstream_file, tmp_path, key, read, options):
    source = upstream_file(key)
    companions = [upstream_file(k).name for k in COMPANIONS.get(key, ())]
    header_line = _wdi_header_line(source) if key.startswith("wdi") else 1
    counts, examples = fuzz_text(
        read, source, tmp_path, seed=sum(map(ord, key)), per_kind=PER_KIND, header_line=header_line,
        delimiter=options.get("delimiter", ","), encoding=options.get("encoding", "utf-8"),
        companions=companions, as_written=_negative_read_as_written if options.get("signed") else None,
    )
    _report(key, counts, examples)
    assert sum(counts.values()) == PER_KIND * 8
    assert {result for _, result in counts} <= {"error", "equal", "as_written"}, examples


@pytest.mark.parametrize("key", XLSX_CASES)
def test_xlsx_reader_fuzz(upstream_file, tmp_path, key):
    counts, examples = fuzz_xlsx(
        read_undesa_stock, upstream_file(key), tmp_path, seed=sum(map(ord, key)), flips=FLIPS,
        per_kind=XLSX_PER_KIND, sheet_xml="xl/worksheets/sheet2.xml", first_row=12,
    )
    _report(key, counts, examples)
    assert sum(counts.values()) == FLIPS + 5 * XLSX_PER_KIND
    assert {result for _, result in counts} <= {"error", "equal"}, examples


def _report(key, counts, examples):
    print(f"\nfuzz {key}: {summary(counts)}; first of each outcome: {examples}")
