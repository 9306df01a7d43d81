"""``migstats.fetch``: the local path of a verified copy of a registered publication."""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from ..errors import ChecksumError, FetchError, OfflineError
from . import cache
from .download import MAX_BYTES, Downloader, check_url, extract_members, rebase_url
from .registry import parameter_value, source_entry, source_url

__all__ = ["fetch", "cached_path", "TIMEOUT", "RETRIES", "BACKOFF"]

#: seconds without progress before an attempt fails
TIMEOUT = 30.0
#: further attempts after a failure a retry can cure
RETRIES = 3
#: seconds before the first retry, doubled before each next one
BACKOFF = 1.0


def _what(source: str, value: str | None) -> str:
    return f"{source!r}" + (f" (indicator {value})" if value else "")


def _fetch_hint(source: str, value: str | None) -> str:
    return f"migstats data fetch {source}" + (f" --indicator {value}" if value else "")


def cached_path(source: str, *, indicator: str | None = None, vintage: str = "latest") -> Path:
    """The path of a cached vintage of a source, without any download.

    Parameters
    ----------
    source : str
        A source id of the registry.
    indicator : str, optional
        For WDI, the indicator code (default: the registered default).
    vintage : str
        ``"latest"`` (default), ``"previous"``, a vintage label (publisher
        date or retrieval date) or a sha256 prefix of 6 or more hex digits.

    Returns
    -------
    pathlib.Path
        The data file of that vintage.

    Raises
    ------
    OfflineError
        If the cache has no vintage of the source; the message gives the
        command that fetches it.
    UnknownNameError
        If the cache has vintages but none (or several) match ``vintage``.

    Examples
    --------
    >>> import os, tempfile
    >>> os.environ["MIGSTATS_CACHE"] = tempfile.mkdtemp()
    >>> cached_path("wpp2024_births")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    migstats.errors.OfflineError: 'wpp2024_births' is not in the cache ...; get it with `migstats data fetch wpp2024_births` while online
    >>> del os.environ["MIGSTATS_CACHE"]
    """
    return Path(cached_record(source_entry(source), indicator, vintage)["path"])


def cached_record(entry: dict, indicator: str | None, vintage: str) -> dict:
    """The vintage record behind :func:`cached_path`, for a caller that has the registry row already.

    Parameters
    ----------
    entry : dict
        The source's row of the registry (:func:`~migstats.catalog.registry.source_entry`).
    indicator : str or None
        As in :func:`cached_path`.
    vintage : str
        As in :func:`cached_path`.

    Returns
    -------
    dict
        The record (``vintage.json``) with ``path`` (the data file) and ``folder``.

    Raises
    ------
    OfflineError, UnknownNameError
        As :func:`cached_path`.
    """
    source = entry["id"]
    value = parameter_value(entry, indicator)
    records = _usable(entry, cache.read_records(source, value))
    if not records:
        raise OfflineError(f"{_what(source, value)} is not in the cache {cache.cache_dir()}; get it with "
                           f"`{_fetch_hint(source, value)}` while online")
    return cache.select_record(records, vintage, _what(source, value))


def _usable(entry: dict, records: list[dict]) -> list[dict]:
    """Records of a fixed release count only if they are that release."""
    if entry["release"] == "fixed":
        return [r for r in records if r.get("download_sha256") == entry["sha256"]]
    return records


def fetch(source: str, *, indicator: str | None = None, url: str | None = None, refresh: bool = False,
          timeout: float | None = None, retries: int | None = None, max_bytes: int = MAX_BYTES,
          progress: bool | None = None) -> Path:
    """The local path of a verified copy of a registered publication, downloading it if needed.

    Without ``refresh``, a copy already in the cache is returned without
    touching the network (for a fixed release, only a copy with the
    registered sha256, which is checked again). Otherwise the file is
    downloaded over HTTPS (see :mod:`migstats.catalog.download` for the
    rules), checked against the registered sha256 for a fixed release,
    extracted from its zip if it is one, and recorded as a vintage (see
    :mod:`migstats.catalog.cache`). A download whose data file has the same
    sha256 as a cached vintage adds no vintage; it updates that vintage's
    ``checked`` time.

    Parameters
    ----------
    source : str
        A source id (``migstats data list``; :func:`migstats.catalog.registry`).
    indicator : str, optional
        For ``wdi``: the indicator code (default ``BX.TRF.PWKR.CD.DT``).
    url : str, optional
        Download from this URL instead of the registered one (also
        ``MIGSTATS_URL_<ID>``); the sha256 of a fixed release is still
        checked.
    refresh : bool
        Download even if the cache has a copy: how a newer vintage of a
        rolling release (WDI, OECD) is obtained.
    timeout : float, optional
        Seconds without progress before an attempt fails (default 30).
    retries : int, optional
        Further attempts after a timeout, a broken connection, a truncated
        body or HTTP 5xx/429 (default 3), waiting 1, 2, 4 ... s between.
    max_bytes : int
        Largest download, and largest member extracted from it (default 512 MiB).
    progress : bool, optional
        A progress bar on stderr; default only when stderr is a terminal.

    Returns
    -------
    pathlib.Path
        The data file (for a zip, the extracted member; its companions are
        beside it).

    Raises
    ------
    OfflineError
        If offline (``MIGSTATS_OFFLINE=1`` or ``migstats --offline``) and the
        cache has no copy (the message gives the command that gets one), or
        ``refresh`` is asked for while offline.
    ChecksumError
        If a fixed release does not have its registered sha256 (nothing is
        kept), or a cached copy no longer has it.
    FetchError
        If the download fails or is refused (HTTP error, timeout, truncated,
        HTML instead of data, over the size limit, unsafe archive).
    UnknownNameError
        If the source is not registered.

    Examples
    --------
    Offline, with an empty cache, nothing is downloaded and the error says how
    to get the file:

    >>> import os, tempfile
    >>> os.environ.update(MIGSTATS_CACHE=tempfile.mkdtemp(), MIGSTATS_OFFLINE="1")
    >>> fetch("wdi", indicator="BX.TRF.PWKR.CD.DT")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    migstats.errors.OfflineError: 'wdi' (indicator BX.TRF.PWKR.CD.DT) is not in the cache ...; get it with `migstats data fetch wdi --indicator BX.TRF.PWKR.CD.DT` while online (migstats is offline: MIGSTATS_OFFLINE or --offline)
    >>> for name in ("MIGSTATS_CACHE", "MIGSTATS_OFFLINE"):
    ...     del os.environ[name]
    """
    entry = source_entry(source)
    value = parameter_value(entry, indicator)
    what = _what(source, value)
    if refresh and cache.is_offline():
        raise OfflineError(f"cannot refresh {what} while offline ({cache.OFFLINE_ENV} or --offline); "
                           f"`migstats data path {entry['id']}` gives the cached copy")
    if not refresh:
        records = _usable(entry, cache.read_records(source, value))
        if records:
            record = records[-1]
            if entry["release"] == "fixed":
                _verify_cached(record, entry)
            return Path(record["path"])
    if cache.is_offline():
        raise OfflineError(f"{what} is not in the cache {cache.cache_dir()}; get it with `{_fetch_hint(source, value)}` "
                           f"while online (migstats is offline: {cache.OFFLINE_ENV} or --offline)")
    # the registered or given URL must be https itself; only then may a loopback test server stand in for its host
    target = check_url(rebase_url(check_url(source_url(entry, value, url=url), rebased=False)))
    name = entry["download_name"].replace("{indicator}", value or "")
    downloader = Downloader(
        entry["format"],
        timeout=TIMEOUT if timeout is None else timeout,
        retries=RETRIES if retries is None else retries,
        backoff=BACKOFF,
        max_bytes=max_bytes,
        progress=sys.stderr.isatty() if progress is None else progress,
        label=name,
    )
    folder = cache.key_folder(source, value)
    folder.mkdir(parents=True, exist_ok=True)
    _remove_stale_staging(folder)
    staging = Path(tempfile.mkdtemp(dir=folder, prefix=".staging-"))
    try:
        return _download_into(entry, value, target, name, downloader, staging, folder, max_bytes)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


#: a staging folder untouched this long was left by a process that died mid-download
STALE_SECONDS = 24 * 3600


def _remove_stale_staging(folder: Path) -> None:
    # a fresh staging folder may belong to a fetch running now in another process: leave it be
    limit = time.time() - STALE_SECONDS
    for old in folder.glob(".staging-*"):
        try:
            if old.stat().st_mtime < limit:
                shutil.rmtree(old, ignore_errors=True)
        except OSError:
            continue


def _verify_cached(record: dict, entry: dict) -> None:
    import pooch

    download = Path(record["folder"]) / (record.get("download") or record["file"])
    if download.is_file() and pooch.file_hash(str(download)) != entry["sha256"]:
        raise ChecksumError(f"{download}: the cached copy no longer has the registered sha256 {entry['sha256']}; "
                            f"remove it with `migstats data clear-cache --source {entry['id']}` and fetch again")


def _download_into(entry, value, url, name, downloader, staging: Path, folder: Path, max_bytes: int) -> Path:
    import pooch

    known = f"sha256:{entry['sha256']}" if entry["sha256"] else None
    logger = pooch.get_logger()
    level = logger.level
    logger.setLevel(logging.WARNING)  # pooch reports every download at INFO; migstats stays quiet
    try:
        download = Path(pooch.retrieve(url, known_hash=known, fname=name, path=staging, downloader=downloader,
                                       progressbar=False))
    except ValueError as exc:  # pooch's hash mismatch: its temporary file is already deleted
        raise ChecksumError(f"{url}: the download does not have the registered sha256 of {entry['id']!r} "
                            f"({entry['sha256']}); nothing was kept. pooch: {exc}".replace("\n", " ")) from None
    finally:
        logger.setLevel(level)
    # hashed as it streamed (pooch has read the file back once already, to check or log its hash)
    download_sha, download_size = downloader.sha256, download.stat().st_size
    if entry["members"]:
        patterns = [p.replace("{indicator}", value or "") for p in entry["members"].split(";")]
        members = extract_members(download, patterns, staging, max_bytes=max_bytes)
        data = members[0]
        download.unlink()  # the members are kept; the archive itself is recorded by its hash
    else:
        members, data = [download], download
    data_sha = download_sha if data == download else pooch.file_hash(str(data))
    updated = cache.publisher_updated(data)
    retrieved = cache.now_utc()
    record = {
        "source": entry["id"],
        "parameter": value,
        "url": url,
        "release": entry["release"],
        "retrieved": retrieved,
        "checked": retrieved,
        "file": data.name,
        "members": [m.name for m in members],
        "size": data.stat().st_size,
        "sha256": data_sha,
        "download": name if not entry["members"] else None,
        "download_sha256": download_sha,
        "download_size": download_size,
        "verified": bool(entry["sha256"]),
        "publisher_updated": updated,
        "http_last_modified": downloader.last_modified,
        "label": updated or retrieved[:10],
    }
    final = folder / data_sha[:16]
    existing = final / cache.RECORD
    if existing.is_file():
        # the same bytes as a vintage already cached: keep that one, note when it was last seen
        old = cache.read_records(entry["id"], value)
        same = [r for r in old if r["folder"] == str(final)]
        if same:
            kept = {k: v for k, v in same[0].items() if k not in ("path", "folder")}
            cache.write_record(final, {**kept, "checked": retrieved})
            return final / kept["file"]
    cache.write_record(staging, record)
    try:
        os.rename(staging, final)
    except OSError:
        # another process put the same vintage in place first: its folder is complete, use it
        if not existing.is_file():
            raise FetchError(f"cannot move the download into the cache at {final}") from None
    return final / data.name

