"""The download cache and its vintage records.

Layout, under :func:`cache_dir`::

    <source>/<indicator or _>/<first 16 hex digits of the sha256>/
        <data file> [<companion files>] vintage.json

One folder per vintage: a fetch that brings different bytes adds a folder,
it never overwrites one. A folder appears complete or not at all: it is
assembled under a temporary name beside it (``.staging-*``) and renamed into
place, so an interrupted download or two processes fetching at once never
leave a half file under a final name. ``vintage.json`` is the folder's
manifest entry: source, parameter, URL, retrieval time, size, sha256, the
publisher's own last-updated date where the file states one, the server's
Last-Modified header. The manifest of the cache is the set of these
records (:func:`vintages`); being one file per vintage, it needs no lock.

Vintage labels: the publisher's last-updated date when the file states one
(WDI's ``"Last Updated Date"``), else the date of retrieval (UTC).
"""

from __future__ import annotations

import json
import os
import re
import shutil
from datetime import datetime, timezone
from pathlib import Path

from .._io import atomic_write_bytes
from ..errors import InputError, UnknownNameError

__all__ = [
    "CACHE_ENV",
    "OFFLINE_ENV",
    "cache_dir",
    "is_offline",
    "key_folder",
    "read_records",
    "write_record",
    "select_record",
    "vintages",
    "clear_cache",
    "publisher_updated",
    "now_utc",
]

CACHE_ENV = "MIGSTATS_CACHE"
OFFLINE_ENV = "MIGSTATS_OFFLINE"
RECORD = "vintage.json"
_TRUE = {"1", "true", "yes", "on"}
_SHA_PREFIX = re.compile(r"[0-9a-f]{6,64}")


def cache_dir() -> Path:
    """The cache folder: ``MIGSTATS_CACHE``, else the platform's user cache folder for migstats.

    Returns
    -------
    pathlib.Path
        The user cache folder of ``platformdirs`` (``~/.cache/migstats`` on
        Linux, ``~/Library/Caches/migstats`` on macOS), the folder
        :func:`pooch.os_cache` gives, unless ``MIGSTATS_CACHE`` is set.

    Examples
    --------
    >>> import os
    >>> os.environ["MIGSTATS_CACHE"] = "/tmp/migstats-doc-cache"
    >>> cache_dir().as_posix()
    '/tmp/migstats-doc-cache'
    >>> del os.environ["MIGSTATS_CACHE"]
    """
    folder = os.environ.get(CACHE_ENV, "").strip()
    if folder:
        return Path(folder).expanduser()
    # platformdirs directly, not pooch.os_cache: importing pooch (and requests) costs 0.08 s
    import platformdirs

    return Path(platformdirs.user_cache_dir("migstats"))


def is_offline() -> bool:
    """Whether migstats must not touch the network (``MIGSTATS_OFFLINE`` set to 1, true, yes or on).

    Returns
    -------
    bool

    Examples
    --------
    >>> import os
    >>> os.environ["MIGSTATS_OFFLINE"] = "1"
    >>> is_offline()
    True
    >>> del os.environ["MIGSTATS_OFFLINE"]
    >>> is_offline()
    False
    """
    return os.environ.get(OFFLINE_ENV, "").strip().lower() in _TRUE


def key_folder(source: str, indicator: str | None) -> Path:
    """The folder holding every vintage of one source (and indicator).

    Parameters
    ----------
    source : str
        A source id.
    indicator : str or None
        The indicator code of a source that takes one, None if it takes none.

    Returns
    -------
    pathlib.Path

    Examples
    --------
    >>> import os
    >>> os.environ["MIGSTATS_CACHE"] = "/tmp/c"
    >>> key_folder("wdi", "BX.TRF.PWKR.CD.DT").as_posix()
    '/tmp/c/wdi/BX.TRF.PWKR.CD.DT'
    >>> del os.environ["MIGSTATS_CACHE"]
    """
    return cache_dir() / source / (indicator or "_")


def now_utc() -> str:
    """The current time, UTC, ISO 8601 to the second (the ``retrieved`` and ``checked`` stamps).

    Returns
    -------
    str

    Examples
    --------
    >>> now_utc().endswith("+00:00")
    True
    """
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def write_record(out_dir: Path, record: dict) -> None:
    """Write ``vintage.json`` into ``out_dir`` through a temporary file and a rename.

    Parameters
    ----------
    out_dir : pathlib.Path
        A vintage folder (or its staging folder).
    record : dict
        The record (JSON-serialisable).

    Returns
    -------
    None

    Raises
    ------
    OutputError
        If the file cannot be written (the folder is left as it was).

    Examples
    --------
    >>> import json, pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> write_record(folder, {"source": "wdi", "label": "2025-07-01"})
    >>> json.loads((folder / "vintage.json").read_text())["label"]
    '2025-07-01'
    """
    atomic_write_bytes(Path(out_dir) / RECORD, json.dumps(record, indent=1, sort_keys=True).encode("utf-8"))


def read_records(source: str | None = None, indicator: str | None = None) -> list[dict]:
    """Every complete vintage record in the cache, oldest retrieval first.

    Parameters
    ----------
    source : str, optional
        Only this source id.
    indicator : str, optional
        With ``source``: only this indicator code; None for all of them.

    Returns
    -------
    list of dict
        The records; each gains ``path`` (the data file) and ``folder``. A
        folder counts only if its record parses and its data file is there;
        staging folders never count.

    Examples
    --------
    >>> import os, tempfile
    >>> os.environ["MIGSTATS_CACHE"] = tempfile.mkdtemp()
    >>> folder = key_folder("wdi", "X") / "0123456789abcdef"
    >>> folder.mkdir(parents=True)
    >>> _ = (folder / "a.csv").write_text("x")
    >>> write_record(folder, {"file": "a.csv", "retrieved": "2026-01-01T00:00:00+00:00", "sha256": "01" * 32})
    >>> [r["file"] for r in read_records("wdi")]
    ['a.csv']
    >>> del os.environ["MIGSTATS_CACHE"]
    """
    pattern = f"{source or '*'}/{indicator or '*'}/*/{RECORD}"
    records = []
    for file in cache_dir().glob(pattern):
        if file.parent.name.startswith("."):
            continue
        try:
            record = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            continue
        data = file.parent / str(record.get("file", ""))
        if record.get("file") and data.is_file():
            records.append({**record, "path": str(data), "folder": str(file.parent)})
    return sorted(records, key=lambda r: (r.get("retrieved", ""), r.get("sha256", "")))


def select_record(records: list[dict], vintage: str, what: str) -> dict:
    """One record of ``records`` (one source and indicator, oldest first) named by ``vintage``.

    Parameters
    ----------
    records : list of dict
        Records of one source and indicator, oldest first (:func:`read_records`).
    vintage : str
        ``"latest"`` (most recently retrieved), ``"previous"`` (the one
        before it), a vintage label (publisher date or retrieval date), or a
        prefix of at least 6 hex digits of the sha256.
    what : str
        The source, for messages.

    Returns
    -------
    dict
        The record.

    Raises
    ------
    UnknownNameError
        If no record, or more than one, fits.

    Examples
    --------
    >>> records = [{"label": "2025-07-01", "retrieved": "2026-01-01T10:00:00+00:00", "sha256": "ab" * 32},
    ...            {"label": "2025-12-16", "retrieved": "2026-02-01T10:00:00+00:00", "sha256": "cd" * 32}]
    >>> select_record(records, "previous", "wdi")["label"]
    '2025-07-01'
    >>> select_record(records, "cdcdcd", "wdi")["label"]
    '2025-12-16'
    """
    if not records:
        raise UnknownNameError(f"no vintage of {what} in the cache at {cache_dir()}")
    if vintage == "latest":
        return records[-1]
    if vintage == "previous":
        if len(records) < 2:
            raise UnknownNameError(f"only one vintage of {what} in the cache: there is no previous one")
        return records[-2]
    hits = [r for r in records if r.get("label") == vintage or r.get("retrieved", "").startswith(vintage)
            or (_SHA_PREFIX.fullmatch(vintage) and r.get("sha256", "").startswith(vintage))]
    if len(hits) != 1:
        known = ", ".join(f"{r['label']} ({r['sha256'][:12]})" for r in records)
        problem = "no vintage" if not hits else f"{len(hits)} vintages"
        raise UnknownNameError(f"{problem} of {what} matching {vintage!r}; the cache has {known}"
                               + ("; name one by its sha256 prefix" if hits else ""))
    return hits[0]


def vintages(source: str | None = None):
    """The vintages in the cache: what was fetched, from where, when, and its hash.

    Parameters
    ----------
    source : str, optional
        Only this source id.

    Returns
    -------
    pandas.DataFrame
        One row per vintage, oldest retrieval first: ``source, indicator,
        vintage`` (label: the publisher's last-updated date, else the
        retrieval date), ``id`` (first 12 hex digits of the sha256),
        ``publisher_updated, retrieved, checked`` (last time a fetch found
        the same bytes), ``size`` (bytes), ``sha256, verified`` (True when
        checked against a registered sha256), ``url, path``.

    Examples
    --------
    >>> import os, tempfile
    >>> os.environ["MIGSTATS_CACHE"] = tempfile.mkdtemp()
    >>> len(vintages())
    0
    >>> del os.environ["MIGSTATS_CACHE"]
    """
    import pandas as pd

    columns = ["source", "indicator", "vintage", "id", "publisher_updated", "retrieved", "checked", "size",
               "sha256", "verified", "url", "path"]
    rows = [
        {**{k: r.get(k) for k in columns}, "indicator": r.get("parameter") or "", "vintage": r["label"],
         "id": r["sha256"][:12]}
        for r in read_records(source)
    ]
    return pd.DataFrame(rows, columns=columns)


def clear_cache(source: str | None = None) -> int:
    """Remove cached vintages (all, or one source's) and leftover staging folders.

    Without ``source``, the cache of validated bundled tables
    (``validated-tables``, see docs/data.md) goes too; the next read of each
    bundled table validates it again.

    Parameters
    ----------
    source : str, optional
        Only this source id.

    Returns
    -------
    int
        The number of vintages removed.

    Raises
    ------
    InputError
        If ``source`` is not a plain id (it must not name a path).

    Examples
    --------
    >>> import os, tempfile
    >>> os.environ["MIGSTATS_CACHE"] = tempfile.mkdtemp()
    >>> clear_cache()
    0
    >>> del os.environ["MIGSTATS_CACHE"]
    """
    if source is not None and not re.fullmatch(r"[a-z][a-z0-9_]*", source):
        raise InputError(f"{source!r} is not a source id")
    root = cache_dir()
    removed = len(read_records(source))
    if source is not None:
        targets = [root / source]
    else:
        # only folders migstats made (named by a source id), never other files a user keeps there
        targets = [p for p in root.iterdir() if re.fullmatch(r"[a-z][a-z0-9_]*", p.name)] if root.is_dir() else []
        from ..datasets._table_cache import FOLDER

        targets.append(root / FOLDER)
    for target in targets:
        if target.is_dir():
            shutil.rmtree(target)
    return removed


_UPDATED = re.compile(rb'^"?Last Updated Date"?\s*,\s*"?([^",\r\n]+)', re.MULTILINE)


def publisher_updated(path) -> str | None:
    """The publisher's last-updated date as the file states it (the WDI preamble line), ISO formatted.

    Parameters
    ----------
    path : path-like
        A downloaded data file.

    Returns
    -------
    str or None
        ``YYYY-MM-DD``, or None when the first lines state no date.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.csv"
    >>> _ = p.write_bytes(b'\\xef\\xbb\\xbf"Data Source","World Development Indicators",\\r\\n\\r\\n"Last Updated Date","2025-07-01",\\r\\n')
    >>> publisher_updated(p)
    '2025-07-01'
    """
    with open(path, "rb") as handle:
        head = handle.read(2048)
    match = _UPDATED.search(head.removeprefix(b"\xef\xbb\xbf"))
    if match is None:
        return None
    text = match.group(1).decode("utf-8", "replace").strip()
    for fmt in ("%Y-%m-%d", "%m/%d/%Y"):
        try:
            return datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    return None
