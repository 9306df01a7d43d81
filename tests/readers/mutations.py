"""Seeded mutations of the real upstream files, and a count of what each reader makes of them.

Every mutation is drawn from ``random.Random(seed)``, so a run is the same on
every machine. An outcome is one of:

- ``error``: a :class:`~migstats.errors.MigstatsError` (the reader refused);
- ``equal``: a table equal to the read of the unmutated file (the change did
  not touch anything the reader returns);
- ``as_written``: the mutated cell read as the new valid value it holds (a
  negative net migration), every other value unchanged;
- ``other``: anything else, a different table or another exception: a bug.
"""

from __future__ import annotations

import csv
import io
import random
import re
import shutil
import zipfile
from collections import Counter
from pathlib import Path

import pandas as pd

from migstats.errors import MigstatsError

XLSX_CELL_MUTATIONS = ("inf", "-inf", "1e400", "negative", "decimal_comma")
TEXT_MUTATIONS = ("delete_cell", "add_field", "short_header", "inf", "-inf", "1e400", "negative", "decimal_comma")


def _split(line: str, delimiter: str) -> tuple[list[str], int]:
    fields = next(csv.reader([line], delimiter=delimiter)) if line else []
    quoting = csv.QUOTE_ALL if line.startswith('"') else csv.QUOTE_MINIMAL
    return fields, quoting


def _join(fields, quoting, delimiter: str) -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, quoting=quoting, lineterminator="").writerow(fields)
    return out.getvalue()


def _is_number(cell: str) -> bool:
    text = cell.strip().replace(" ", "").replace(",", "")
    try:
        value = float(text)
    except ValueError:
        return False
    return value > 0 and text.replace(".", "").isdigit()


def mutate_text(text: str, kind: str, rng: random.Random, *, header_line: int, delimiter: str) -> tuple[str, str]:
    """``text`` with one mutation of ``kind``; the description says where."""
    ending = "\r\n" if "\r\n" in text else "\n" if "\n" in text else "\r"
    lines = text.split(ending)
    data = [i for i in range(header_line, len(lines)) if lines[i].strip()]
    if kind == "short_header":
        fields, quoting = _split(lines[header_line - 1], delimiter)
        lines[header_line - 1] = _join(fields[:-1], quoting, delimiter)
        return ending.join(lines), "header without its last cell"
    i = rng.choice(data)
    fields, quoting = _split(lines[i], delimiter)
    if kind == "delete_cell":
        j = rng.randrange(len(fields))
        del fields[j]
        what = f"line {i + 1}: field {j + 1} deleted"
    elif kind == "add_field":
        j = rng.randrange(len(fields) + 1)
        fields.insert(j, "1")
        what = f"line {i + 1}: field inserted before field {j + 1}"
    else:
        numeric = [j for j, cell in enumerate(fields) if _is_number(cell)]
        while not numeric:
            i = rng.choice(data)
            fields, quoting = _split(lines[i], delimiter)
            numeric = [j for j, cell in enumerate(fields) if _is_number(cell)]
        j = rng.choice(numeric)
        digits = fields[j].strip().replace(" ", "").replace(",", "").split(".")[0] or "0"
        new = {
            "inf": "inf",
            "-inf": "-inf",
            "1e400": "1e400",
            "negative": "-" + fields[j].strip(),
            # A decimal comma in a number the publication writes with a point (or none).
            "decimal_comma": (digits[:-1] or "0") + "," + digits[-1],
        }[kind]
        fields[j] = new
        what = f"line {i + 1}: field {j + 1} {new!r}"
    lines[i] = _join(fields, quoting, delimiter)
    return ending.join(lines), what


def mutate_xlsx_cell(data: bytes, kind: str, rng: random.Random, *, sheet_xml: str, first_row: int) -> tuple[bytes, str]:
    """An xlsx with one number cell at or below ``first_row`` of ``sheet_xml`` rewritten in its XML."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = [(info, archive.read(info)) for info in archive.infolist()]
    index = next(k for k, (info, _) in enumerate(members) if info.filename == sheet_xml)
    xml = members[index][1].decode("utf-8")
    cells = [m for m in _NUMBER_CELL.finditer(xml) if int(m.group(2)) >= first_row and float(m.group(3)) > 0]
    cell = rng.choice(cells)
    digits = cell.group(3).split(".")[0]
    new = {"inf": "inf", "-inf": "-inf", "1e400": "1e400", "negative": "-" + cell.group(3),
           "decimal_comma": (digits[:-1] or "0") + "," + digits[-1]}[kind]
    xml = xml[: cell.start(3)] + new + xml[cell.end(3) :]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for k, (info, payload) in enumerate(members):
            archive.writestr(info, xml.encode("utf-8") if k == index else payload)
    return out.getvalue(), f"cell {cell.group(1)}{cell.group(2)} {new!r}"


# A number cell of a sheet's XML: no type attribute (t="s" is a shared string), one <v>.
_NUMBER_CELL = re.compile(r'<c r="([A-Z]+)(\d+)"(?: s="\d+")?><v>([0-9]+(?:\.[0-9]+)?)</v></c>')


def mutate_zip(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """``data`` with one byte changed (XOR with a non-zero byte) at a random position."""
    at = rng.randrange(len(data))
    flipped = bytearray(data)
    flipped[at] ^= rng.randrange(1, 256)
    return bytes(flipped), f"byte {at} flipped"


def outcome(read, path: Path, clean: pd.DataFrame, *, as_written=None) -> str:
    """What ``read(path)`` gives compared with ``clean`` (see the module docstring)."""
    try:
        got = read(path)
    except MigstatsError:
        return "error"
    except Exception as exc:  # noqa: BLE001 - counting every escape is the point
        return f"other ({type(exc).__name__})"
    if _equal(got, clean):
        return "equal"
    if as_written is not None and as_written(got, clean):
        return "as_written"
    return "other (different table)"


def _equal(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    try:
        pd.testing.assert_frame_equal(a, b, check_exact=True)
    except AssertionError:
        return False
    return True


def summary(counts: Counter) -> str:
    """``counts`` of (mutation kind, outcome) as one line: totals per outcome, then per kind."""
    totals = Counter()
    for (_, result), n in counts.items():
        totals[result] += n
    kinds = dict.fromkeys(kind for kind, _ in counts)
    per_kind = "; ".join(
        f"{kind}: " + ", ".join(f"{result} {n}" for (k, result), n in sorted(counts.items()) if k == kind)
        for kind in kinds
    )
    return f"{sum(totals.values())} mutations: " + ", ".join(f"{r} {n}" for r, n in sorted(totals.items())) + f" ({per_kind})"


def fuzz_text(read, source: Path, workdir: Path, *, seed: int, per_kind: int, header_line: int = 1,
              delimiter: str = ",", encoding: str = "utf-8-sig", companions=(), as_written=None):
    """Counts of (kind, outcome) of ``per_kind`` mutations of each kind of :data:`TEXT_MUTATIONS`, and an example of each outcome."""
    for name in companions:
        shutil.copy(source.with_name(name), workdir / name)
    clean = read(source)
    raw = source.read_bytes()
    bom = raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode(encoding)
    rng = random.Random(seed)
    counts, examples = Counter(), {}
    target = workdir / source.name
    for kind in TEXT_MUTATIONS:
        for _ in range(per_kind):
            mutated, what = mutate_text(text, kind, rng, header_line=header_line, delimiter=delimiter)
            out = mutated.encode(encoding)
            target.write_bytes(b"\xef\xbb\xbf" + out if bom and not out.startswith(b"\xef\xbb\xbf") else out)
            result = outcome(read, target, clean, as_written=as_written if kind == "negative" else None)
            counts[kind, result] += 1
            examples.setdefault(result, f"{kind}: {what}")
    return counts, examples


def fuzz_xlsx(read, source: Path, workdir: Path, *, seed: int, flips: int, per_kind: int, sheet_xml: str,
              first_row: int):
    """Counts of the outcomes of ``flips`` single-byte changes of the zip and ``per_kind`` cell edits of each kind."""
    clean = read(source)
    raw = source.read_bytes()
    rng = random.Random(seed)
    counts, examples = Counter(), {}
    target = workdir / source.name
    jobs = [("flip", None)] * flips + [(kind, kind) for kind in XLSX_CELL_MUTATIONS for _ in range(per_kind)]
    for kind, cell_kind in jobs:
        if cell_kind is None:
            mutated, what = mutate_zip(raw, rng)
        else:
            mutated, what = mutate_xlsx_cell(raw, cell_kind, rng, sheet_xml=sheet_xml, first_row=first_row)
        target.write_bytes(mutated)
        result = outcome(read, target, clean)
        counts[kind, result] += 1
        examples.setdefault(result, f"{kind}: {what}")
    return counts, examples
