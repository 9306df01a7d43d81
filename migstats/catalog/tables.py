"""Official tables from fetched files: the snapshot's tables rebuilt from a vintage, and any vintage read.

Each table of the bundled snapshot (``data/official/``) is a reader's output
cut to a subset (``tools/build_snapshot.py`` builds the snapshot with the same
cuts). :func:`official_table` makes the same table from the newest release
(``source="latest"``) or from a file the user has (a path), so the
official-data functions and :func:`migstats.reconcile` can take
``source="bundled" | "latest" | path``.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..errors import UnknownNameError
from .cache import RECORD
from .registry import source_entry
from .retrieve import cached_record, fetch

__all__ = ["SNAPSHOT_SOURCES", "official_table", "read_vintage", "snapshot_cut"]

_WDI = ["code", "name", "year", "value", "unit", "is_aggregate", "region", "income_group"]


def _cut_wdi(frame):
    # A file without its Metadata_Country companion has no region or income group.
    return frame[(_WDI if frame["region"].notna().any() else _WDI[:6]) + ["vintage"]]


def _cut_knomad(frame):
    return frame[["code", "name", "year", "value", "unit", "flags", "is_aggregate", "vintage"]]


def _cut_undesa(frame):
    frame = frame[frame["sex"] == "total"]
    return frame[["code", "m49", "name", "year", "value", "unit", "flags", "coverage_note", "is_aggregate", "vintage"]]


def _cut_oecd_national(frame):
    frame = frame[(frame["measure"] == "B11") & (frame["citizenship"] == "W") & (frame["sex"] == "_T")]
    return frame[["code", "name", "year", "value", "unit", "flags", "vintage"]]


def _cut_oecd_standardised(frame):
    return frame[["code", "name", "year", "migration_type", "migration_type_label", "value", "unit", "flags", "vintage"]]


#: snapshot resource -> (registry source id, indicator, reader keywords, cut of the reader's output)
SNAPSHOT_SOURCES = {
    "official-wdi-remittances-usd": ("wdi", "BX.TRF.PWKR.CD.DT", {}, _cut_wdi),
    "official-wdi-remittances-pct-gdp": ("wdi", "BX.TRF.PWKR.DT.GD.ZS", {}, _cut_wdi),
    "official-knomad-inflows-2017": ("knomad_inflows_2017", None, {"vintage": "2017"}, _cut_knomad),
    "official-undesa-stock-destination": ("undesa_stock_destination", None, {}, _cut_undesa),
    "official-undesa-stock-origin": ("undesa_stock_origin", None, {}, _cut_undesa),
    "official-oecd-inflows-national": ("oecd_imd_national", None, {}, _cut_oecd_national),
    "official-oecd-inflows-standardised": ("oecd_standardised_permanent", None, {}, _cut_oecd_standardised),
}


def snapshot_cut(resource: str, data):
    """Cut a reader's output to the columns and rows of a snapshot table.

    Parameters
    ----------
    resource : str
        A snapshot resource name (a key of :data:`SNAPSHOT_SOURCES`).
    data : pandas.DataFrame
        The reader's output for that resource's source.

    Returns
    -------
    pandas.DataFrame
        The snapshot's columns (without ``source``), ending with ``vintage``.

    Examples
    --------
    >>> import pandas as pd
    >>> data = pd.DataFrame({"code": ["JPN"], "name": ["Japan"], "year": [2006], "measure": ["B11"],
    ...                      "citizenship": ["W"], "sex": ["_T"], "value": [325621.0], "unit": ["person"],
    ...                      "flags": ["A"], "vintage": ["2025"]})
    >>> snapshot_cut("official-oecd-inflows-national", data).columns.tolist()
    ['code', 'name', 'year', 'value', 'unit', 'flags', 'vintage']
    """
    if resource not in SNAPSHOT_SOURCES:
        raise UnknownNameError(f"no fetchable source for {resource!r}; choose from {', '.join(SNAPSHOT_SOURCES)}")
    return SNAPSHOT_SOURCES[resource][3](data)


def _record_of(path: Path) -> dict | None:
    file = path.parent / RECORD
    if not file.is_file():
        return None
    return json.loads(file.read_text(encoding="utf-8"))


def _read(entry: dict, path: Path, record: dict | None, keywords: dict):
    """Parse a file with the source's reader; the vintage is the file's own, else the record's label."""
    from .. import readers

    if not entry["reader"]:
        raise UnknownNameError(f"migstats has no reader for source {entry['id']!r}; "
                               f"migstats.fetch({entry['id']!r}) gives the path of the file")
    reader = getattr(readers, entry["reader"])
    frame = reader(path, **keywords)
    label = record["label"] if record else None
    if frame.attrs.get("vintage") is None and label is not None:
        frame = frame.assign(vintage=label)
        frame.attrs["vintage"] = label
    if record:
        frame.attrs.update({"sha256": record["sha256"], "url": record["url"], "retrieved": record["retrieved"]})
    indicator = (record or {}).get("parameter") or frame.attrs.get("indicator") or "{indicator}"
    frame.attrs.update({"catalog_source": entry["id"], "citation": entry["citation"].replace("{indicator}", indicator),
                        "licence": entry["licence"], "path": str(path)})
    return frame


def read_vintage(source: str, vintage: str = "latest", *, indicator: str | None = None):
    """Read a cached vintage of a source with its reader (no download).

    Parameters
    ----------
    source : str
        A source id of the registry that has a reader.
    vintage : str
        ``"latest"``, ``"previous"``, a vintage label or a sha256 prefix
        (see :func:`cached_path`).
    indicator : str, optional
        For ``wdi``, the indicator code.

    Returns
    -------
    pandas.DataFrame
        The reader's long table; its ``vintage`` column and ``attrs``
        carry the vintage label, and ``attrs`` the sha256, URL and
        retrieval time of the file.

    Raises
    ------
    OfflineError
        If the source is not in the cache.
    UnknownNameError
        If no vintage matches, or migstats has no reader for the source.

    Examples
    --------
    >>> import os, tempfile
    >>> os.environ["MIGSTATS_CACHE"] = tempfile.mkdtemp()
    >>> read_vintage("oecd_imd_national")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    migstats.errors.OfflineError: 'oecd_imd_national' is not in the cache ...; get it with `migstats data fetch oecd_imd_national` while online
    >>> del os.environ["MIGSTATS_CACHE"]
    """
    entry = source_entry(source)
    record = cached_record(entry, indicator, vintage)
    return _read(entry, Path(record["path"]), record, {})


def official_table(resource: str, source):
    """A snapshot table rebuilt from the newest release (``"latest"``) or from a file (a path).

    Parameters
    ----------
    resource : str
        A snapshot resource name (a key of :data:`SNAPSHOT_SOURCES`).
    source : {"latest"} or path-like
        ``"latest"``: :func:`~migstats.catalog.fetch` the registered source
        (reusing the cache; offline, the cache only). A path: that file, in
        the publisher's format.

    Returns
    -------
    pandas.DataFrame
        The snapshot table's columns and row order (its primary key), with ``source`` (the descriptor's
        source ids, as in the snapshot) and ``vintage`` (the file's own
        edition or last-updated date, else the date it was retrieved);
        ``attrs`` adds the resource, citation, licence, path and, for a
        fetched file, its sha256, URL and retrieval time.

    Raises
    ------
    OfflineError
        ``"latest"`` while offline and the file is not cached.
    FetchError
        If the download fails or does not verify.
    ReaderError
        If the file is not in the publisher's format.

    Examples
    --------
    >>> import os, tempfile
    >>> os.environ.update(MIGSTATS_CACHE=tempfile.mkdtemp(), MIGSTATS_OFFLINE="1")
    >>> official_table("official-oecd-inflows-national", "latest")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    migstats.errors.OfflineError: 'oecd_imd_national' is not in the cache ...
    >>> for name in ("MIGSTATS_CACHE", "MIGSTATS_OFFLINE"):
    ...     del os.environ[name]
    """
    from ..datasets.schema import resource_descriptor

    if resource not in SNAPSHOT_SOURCES:
        raise UnknownNameError(f"no fetchable source for {resource!r}; choose from {', '.join(SNAPSHOT_SOURCES)}")
    source_id, indicator, keywords, cut = SNAPSHOT_SOURCES[resource]
    entry = source_entry(source_id)
    path = fetch(source_id, indicator=indicator) if str(source) == "latest" else Path(source)
    frame = _read(entry, path, _record_of(path) if str(source) == "latest" else None, keywords)
    table = cut(frame)
    descriptor = resource_descriptor(resource)
    ids = ",".join(descriptor.get("sources", []))
    table = table.assign(source=ids, vintage=table["vintage"])
    # in the snapshot's row order (its primary key), so the two can be compared row by row
    table = table.sort_values(descriptor["schema"]["primaryKey"], kind="stable").reset_index(drop=True)
    table.attrs = {**frame.attrs, "resource": resource, "source": frame.attrs["citation"]}
    return table
