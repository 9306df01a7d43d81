"""Build data/official/ (the bundled snapshot of official series) from the upstream files.

Usage (from the repository root)::

    python tools/build_snapshot.py [--upstream PATH] [--check]

``--upstream`` defaults to ``$MIGSTATS_SHARED/upstream`` or ``../shared/upstream``.
Each snapshot table is the output of a migstats reader on the published file,
cut to the subset named below and sorted, so the output is the same byte for
byte on every run. ``--check`` rebuilds in memory and fails if a bundled file
differs or if its columns differ from its data/datapackage.json schema.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import re
import sys
from functools import cache
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

import pandas as pd  # noqa: E402

from migstats.catalog.tables import snapshot_cut  # noqa: E402
from migstats.errors import ReaderError, ValidationError  # noqa: E402
from migstats.readers import (  # noqa: E402
    read_knomad_inflows,
    read_oecd,
    read_undesa_origin_destination,
    read_undesa_stock,
    read_wdi,
    read_wpp,
)
from migstats.units import conversion_factor  # noqa: E402
from upstream_files import upstream_path  # noqa: E402

OUT = REPO / "data" / "official"
DESCRIPTOR = REPO / "data" / "datapackage.json"
UN_WORLD = 900
# M49 codes of the six geographic regions (AFRICA, ASIA, EUROPE, LATIN AMERICA AND THE CARIBBEAN,
# NORTHERN AMERICA, OCEANIA), and of the origin "Others" (birthplace unknown or not attributable),
# kept so that each destination's origins still add up to its World row.
UN_REGIONS = (903, 935, 908, 904, 905, 909)
UN_OTHERS = 2003


# The cuts are shared with migstats.catalog, which rebuilds these tables from newer releases.
def _wdi(upstream: Path, key: str, resource: str):
    return snapshot_cut(resource, read_wdi(upstream_path(upstream, key)))


def _knomad(upstream: Path):
    df = read_knomad_inflows(upstream_path(upstream, "knomad_2017"), vintage="2017")
    return snapshot_cut("official-knomad-inflows-2017", df)


def _undesa(upstream: Path, key: str, resource: str):
    return snapshot_cut(resource, read_undesa_stock(upstream_path(upstream, key)))


@cache
def _undesa_od(upstream: Path):
    return read_undesa_origin_destination(upstream_path(upstream, "un_od"))


def _undesa_bilateral_regions(upstream: Path):
    df = _undesa_od(upstream)
    df = df[df["dest_m49"].isin(UN_REGIONS)]
    kept = df[df["orig_m49"].isin(UN_REGIONS + (UN_OTHERS,))]
    world = df[df["orig_m49"] == UN_WORLD].set_index(["dest_m49", "year"])["value"]
    parts = kept.groupby(["dest_m49", "year"])["value"].agg(["sum", "size"])
    expected = pd.MultiIndex.from_product([UN_REGIONS, sorted(world.index.unique("year"))], names=["dest_m49", "year"])
    parts = parts.reindex(expected)
    # Dropping the sub-regions and countries must lose nobody: regions + Others = World, cell by cell.
    bad = (parts["size"] != len(UN_REGIONS) + 1) | (parts["sum"] != world.reindex(expected))
    if bad.any():
        dest, year = parts.index[bad.to_numpy().argmax()]
        raise ValidationError(f"origins of destination {dest} in {year} are incomplete or do not add up to the World row",
                              file=upstream_path(upstream, "un_od"))
    return kept[["orig_code", "orig_m49", "orig_name", "dest_code", "dest_m49", "dest_name", "year", "value", "unit", "vintage"]]


def _country_rows(upstream: Path):
    """Destination x origin rows of the bilateral table whose destination is a country or area."""
    df = _undesa_od(upstream)
    return df[df["dest_m49"] < UN_WORLD]


def _undesa_bilateral_countries(upstream: Path):
    """Migrants by country of birth x country of residence, plus the origin "Others" (2003).

    Country origins and "Others" of each destination must add up to its
    published World origin row: nothing is lost by dropping the region rows.
    """
    df = _country_rows(upstream)
    kept = df[(df["orig_m49"] < UN_WORLD) | (df["orig_m49"] == UN_OTHERS)]
    world = df[df["orig_m49"] == UN_WORLD].set_index(["dest_m49", "year"])["value"]
    parts = kept.groupby(["dest_m49", "year"])["value"].sum().reindex(world.index, fill_value=0.0)
    bad = (parts - world).abs() > 0.5
    if bad.any():
        dest, year = world.index[bad.to_numpy().argmax()]
        raise ValidationError(f"origins of destination {dest} in {year} do not add up to the World row "
                              f"({parts[(dest, year)]:,.0f} vs {world[(dest, year)]:,.0f})", file=upstream_path(upstream, "un_od"))
    return kept[["orig_code", "orig_m49", "dest_code", "dest_m49", "year", "value", "unit", "vintage"]]


def _table2(path):
    """Table 2 of the workbook by destination: (grid, header row, name column, columns of the both-sexes block)."""
    grid = pd.read_excel(path, sheet_name="Table 2", header=None, engine="openpyxl")
    name_header = "Region, development group, country or area"
    found = next(((r, c) for (r, c), v in grid.iloc[:30].stack().items() if str(v).strip() == name_header), None)
    if found is None:
        raise ReaderError(f"no header row with {name_header!r} in the first 30 rows of Table 2", file=path)
    header_row, name_col = found
    header = grid.iloc[header_row]
    year_cols = [c for c in grid.columns if re.fullmatch(r"\d{4}(\.0)?", str(header[c]).strip())]
    block = year_cols[:1]
    for c in year_cols[1:]:
        if float(header[c]) <= float(header[block[-1]]):
            break
        block.append(c)
    title = " ".join(grid.iloc[:header_row, block[0]].dropna().astype("str")).lower()
    if "both sexes" not in title or "(thousands)" not in title:
        raise ReaderError(f"the first block of years is not 'both sexes (thousands)': {title!r}", file=path)
    return grid, header_row, name_col, block


def _population_rows(grid, header_row, name_col, block, wanted, path):
    """Persons per year of the Table 2 rows named in ``wanted`` (m49 -> (code, name)), one row each."""
    header = grid.iloc[header_row]
    # country names carry footnote asterisks in the workbook; the readers drop them
    names = grid.iloc[header_row + 1 :, name_col].astype("str").str.strip().str.rstrip("*").str.strip()
    factor = conversion_factor("thousand person", "person")
    rows = []
    for m49, (code, name) in wanted.items():
        hits = names.index[names == name]
        if len(hits) != 1:
            raise ReaderError(f"{len(hits)} rows named {name!r} in Table 2, expected 1", file=path,
                              column="Region, development group, country or area")
        for c in block:
            persons = float(grid.at[hits[0], c]) * factor
            # Three decimals of thousands are whole persons; anything finer would be lost by rounding.
            if abs(persons - round(persons)) > 1e-3:
                raise ReaderError(f"{persons} is not a whole number of persons", file=path, row=int(hits[0]) + 1)
            rows.append({"code": code, "m49": m49, "name": name, "year": int(float(header[c])),
                         "value": float(round(persons)), "unit": "person"})
    return pd.DataFrame(rows)


def _undesa_population_regions(upstream: Path):
    """Table 2 (total population, both sexes, thousands) of the six regions, in persons.

    Table 2 has no location codes (its "Location code" header stands over the
    data-type letters), so rows are matched on the region names of the
    bilateral CSV, which are unique in capitals.
    """
    path = upstream_path(upstream, "un_dest")
    od = _undesa_od(upstream)
    regions = od.drop_duplicates("dest_m49").set_index("dest_m49").loc[list(UN_REGIONS), "dest_name"]
    wanted = {m49: (str(m49), name) for m49, name in regions.items()}
    # The same edition as the bilateral table it is matched with.
    return _population_rows(*_table2(path), wanted, path).assign(vintage=od.attrs["vintage"])


def _undesa_population_countries(upstream: Path):
    """Table 2 total population of every destination country or area of the bilateral table, persons."""
    path = upstream_path(upstream, "un_dest")
    df = _country_rows(upstream).drop_duplicates("dest_m49")
    wanted = {int(m): (c, n) for m, c, n in zip(df["dest_m49"], df["dest_code"], df["dest_name"])}
    return _population_rows(*_table2(path), wanted, path).assign(vintage=_undesa_od(upstream).attrs["vintage"])


WPP_YEARS = range(1990, 2025)


def _wpp_vital(upstream: Path):
    """WPP 2024 births, deaths and net migration of countries and areas, 1990-2024, as published (thousands).

    2024 comes from the medium-variant projection files (births and deaths
    only; the estimates end in 2023), flagged ``p``.
    """
    frames = []
    for key, projection in (("wpp_births", False), ("wpp_deaths", False), ("wpp_migration", False),
                            ("wpp_births_projection", True), ("wpp_deaths_projection", True)):
        df = read_wpp(upstream_path(upstream, key))
        df = df[~df["aggregate"] & df["year"].isin(WPP_YEARS)]
        if projection:
            df = df[df["year"] == WPP_YEARS[-1]]
            df = df.assign(flags=df["flags"].where(df["flags"].str.contains("p"), df["flags"] + "p"))
        frames.append(df)
    df = pd.concat(frames, ignore_index=True)
    return df[["code", "m49", "year", "variable", "value", "unit", "flags", "vintage"]]


SDG_REGIONS = (1829, 1830, 1831, 1832, 1833, 1834, 1835, 1836)
# The stock tables have the Channel Islands (830); WPP lists Guernsey (831) and Jersey (832).
CHANNEL_ISLANDS = (830, "Channel Islands", 831)


def _un_regions(upstream: Path):
    """Geographic region, sub-region and SDG region of every country or area (UNlocations.txt)."""
    from migstats.countries import iso3_from_m49

    path = upstream_path(upstream, "wpp_locations")
    loc = pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False, encoding="utf-8")
    names = dict(zip(loc["country_code"].astype(int), loc["name"]))
    rows = []
    for _, r in loc[loc["location_type"] == "4"].iterrows():
        sdg = [code for code in SDG_REGIONS if r[f"agcode_{code}000"] == str(code)]
        if len(sdg) != 1:
            raise ValidationError(f"{r['name']} is in {len(sdg)} SDG regions, expected 1", file=path)
        m49 = int(r["country_code"])
        # Northern America has no sub-regions in the list (reg_code -1): it is its own sub-region, as in M49.
        sub = (int(r["reg_code"]), r["reg_name"]) if r["reg_code"] != "-1" else (int(r["area_code"]), r["area_name"])
        rows.append({"code": iso3_from_m49(m49) or "", "m49": m49, "name": r["name"],
                     "region_m49": int(r["area_code"]), "region": r["area_name"],
                     "subregion_m49": sub[0], "subregion": sub[1],
                     "sdg_region_m49": sdg[0], "sdg_region": names[sdg[0]]})
    m49, name, like = CHANNEL_ISLANDS
    template = next(row for row in rows if row["m49"] == like)
    rows.append({**template, "code": iso3_from_m49(m49) or "", "m49": m49, "name": name})
    missing = [row["name"] for row in rows if not row["code"]]
    if missing:
        raise ValidationError(f"no ISO3 code for {missing}", file=path)
    return pd.DataFrame(rows).assign(vintage="2024")


# The exports state no edition: the year of the download.
OECD_VINTAGE = "2025"


def _oecd_national(upstream: Path):
    df = read_oecd(upstream_path(upstream, "oecd_national"), vintage=OECD_VINTAGE)
    return snapshot_cut("official-oecd-inflows-national", df)


def _oecd_standardised(upstream: Path):
    df = read_oecd(upstream_path(upstream, "oecd_permanent"), vintage=OECD_VINTAGE)
    return snapshot_cut("official-oecd-inflows-standardised", df)


# resource name in data/datapackage.json -> (file name, builder, sort keys)
TABLES = {
    "official-wdi-remittances-usd": (
        "wdi_remittances_usd.csv", lambda u: _wdi(u, "wdi_usd", "official-wdi-remittances-usd"), ["code", "year"],
    ),
    "official-wdi-remittances-pct-gdp": (
        "wdi_remittances_pct_gdp.csv", lambda u: _wdi(u, "wdi_pct", "official-wdi-remittances-pct-gdp"), ["code", "year"],
    ),
    "official-knomad-inflows-2017": ("knomad_inflows_2017.csv", _knomad, ["code", "year"]),
    "official-undesa-stock-destination": (
        "undesa_stock_destination.csv", lambda u: _undesa(u, "un_dest", "official-undesa-stock-destination"), ["m49", "year"],
    ),
    "official-undesa-stock-origin": (
        "undesa_stock_origin.csv", lambda u: _undesa(u, "un_orig", "official-undesa-stock-origin"), ["m49", "year"],
    ),
    "official-undesa-bilateral-regions": (
        "undesa_bilateral_regions.csv",
        _undesa_bilateral_regions,
        ["orig_m49", "dest_m49", "year"],
    ),
    "official-undesa-population-regions": ("undesa_population_regions.csv", _undesa_population_regions, ["m49", "year"]),
    "official-undesa-bilateral-countries": (
        "undesa_bilateral_countries.csv.gz",
        _undesa_bilateral_countries,
        ["orig_m49", "dest_m49", "year"],
    ),
    "official-undesa-population-countries": ("undesa_population_countries.csv", _undesa_population_countries, ["m49", "year"]),
    "official-wpp-vital": ("wpp_vital.csv.gz", _wpp_vital, ["variable", "m49", "year"]),
    "official-un-regions": ("un_regions.csv", _un_regions, ["m49"]),
    "official-oecd-inflows-national": ("oecd_inflows_national.csv", _oecd_national, ["code", "year"]),
    "official-oecd-inflows-standardised": (
        "oecd_inflows_standardised_permanent.csv",
        _oecd_standardised,
        ["code", "year", "migration_type"],
    ),
}


def _resources() -> dict[str, dict]:
    return {r["name"]: r for r in json.loads(DESCRIPTOR.read_text(encoding="utf-8"))["resources"]}


def render(upstream: Path) -> dict[str, str]:
    """The CSV text of every snapshot table, keyed by resource name.

    Each table ends with the columns ``source`` (the id of its source in the
    descriptor's ``sources``) and ``vintage`` (the edition the reader found
    or was given), so that rows keep their provenance once tables are
    combined. A vintage that differs from the resource's ``vintage`` in the
    descriptor is an error: the descriptor must be updated with the data.
    """
    resources = _resources()
    texts = {}
    for resource, (_, build, keys) in TABLES.items():
        entry = resources.get(resource, {})
        frame = build(upstream)
        vintages = sorted(set(frame["vintage"]))
        if vintages != [entry.get("vintage")]:
            raise ValidationError(f"{resource}: the data have vintage {vintages}, the descriptor {entry.get('vintage')!r}",
                                  file=DESCRIPTOR)
        vintage = frame.pop("vintage")
        frame = frame.assign(source=",".join(entry.get("sources", [])), vintage=vintage)
        frame = frame.sort_values(keys, kind="stable").reset_index(drop=True)
        buffer = io.StringIO()
        frame.to_csv(buffer, index=False, lineterminator="\n")
        texts[resource] = buffer.getvalue()
    return texts


def schema_problems(texts: dict[str, str]) -> list[str]:
    """Differences between each table's header and its descriptor schema."""
    resources = _resources()
    problems = []
    for resource, text in texts.items():
        file_name = TABLES[resource][0]
        entry = resources.get(resource)
        if entry is None:
            problems.append(f"{resource}: no resource entry in datapackage.json")
            continue
        if entry["path"] != f"official/{file_name}":
            problems.append(f"{resource}: path {entry['path']!r} is not official/{file_name}")
        header = text.split("\n", 1)[0].split(",")
        fields = [f["name"] for f in entry["schema"]["fields"]]
        if header != fields:
            problems.append(f"{resource}: columns {header} but schema fields {fields}")
    return problems


def _read_text(path: Path) -> str:
    if path.suffix == ".gz":
        return gzip.decompress(path.read_bytes()).decode("utf-8")
    return path.read_text(encoding="utf-8")


def _write_text(path: Path, text: str) -> None:
    """Write a table; ``.gz`` files with no name or time in the header, so a rebuild is the same byte for byte."""
    data = text.encode("utf-8")
    if path.suffix == ".gz":
        buffer = io.BytesIO()
        with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, compresslevel=9, mtime=0) as gz:
            gz.write(data)
        data = buffer.getvalue()
    path.write_bytes(data)


def main(argv=None) -> int:
    shared = Path(os.environ.get("MIGSTATS_SHARED", REPO.parent / "shared"))
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--upstream", type=Path, default=shared / "upstream")
    parser.add_argument("--check", action="store_true", help="compare with the bundled files instead of writing")
    args = parser.parse_args(argv)

    texts = render(args.upstream)
    problems = schema_problems(texts)
    for resource, text in texts.items():
        target = OUT / TABLES[resource][0]
        if args.check:
            if not target.is_file() or _read_text(target) != text:
                problems.append(f"{target.relative_to(REPO)} differs from a fresh build")
        else:
            OUT.mkdir(parents=True, exist_ok=True)
            _write_text(target, text)
            print(f"wrote {target.relative_to(REPO)} ({target.stat().st_size:,} bytes)")
    for problem in problems:
        print("problem:", problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
