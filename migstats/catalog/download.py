"""One HTTP download, refused unless it is what was asked for; safe extraction from a zip.

The rules a download must pass, each a :class:`~migstats.errors.FetchError`
that names the URL:

- **HTTPS only.** Plain HTTP is accepted only under the test base URL
  (``MIGSTATS_TEST_BASE_URL``), and only when that points at the loopback
  interface (``127.0.0.1``, ``localhost``, ``::1``). Redirects are followed
  by hand so that every hop is checked, not only the last.
- **Bounded time.** ``timeout`` seconds without a byte (connecting or
  reading) fails the attempt; failed attempts are retried ``retries`` times
  with exponential backoff (``backoff * 2**k`` seconds before retry ``k``),
  and only for failures a retry can cure: timeouts, dropped connections,
  truncated bodies, HTTP 5xx and 429. A 404, an HTML page or a checksum
  mismatch is not retried.
- **Bounded size.** A body larger than ``max_bytes`` is refused before and
  while it is read.
- **Complete.** A body shorter than its ``Content-Length`` is a truncated
  download, not a file.
- **The promised format.** A zip or xlsx must start with the zip signature; a
  CSV or text file must not be binary; an HTML page is refused whatever the
  file is called (publishers answer with an HTML error or login page and
  HTTP 200 more often than with an error status), and the message gives the
  HTTP status and content type.

The body is written to the file pooch hands over (a temporary file beside the
final one): :func:`pooch.retrieve` checks the sha256 and moves it into place
only when everything passed.
"""

from __future__ import annotations

import fnmatch
import hashlib
import ipaddress
import os
import sys
import time
import zipfile
from pathlib import Path, PurePosixPath
from urllib.parse import urljoin, urlsplit, urlunsplit

from .. import __version__
from ..errors import FetchError

__all__ = [
    "TEST_BASE_ENV",
    "MAX_BYTES",
    "check_url",
    "rebase_url",
    "Downloader",
    "check_content",
    "extract_members",
]

#: environment variable naming a local test server that replaces every URL's scheme and host
TEST_BASE_ENV = "MIGSTATS_TEST_BASE_URL"
#: largest download (and largest extracted member) accepted by default, in bytes
MAX_BYTES = 512 * 2**20
#: an archive member that expands more than this many times its compressed size is refused
MAX_RATIO = 200
_REDIRECTS = 5
_CHUNK = 2**16
_USER_AGENT = f"migstats/{__version__} (+https://github.com/migstats; verified downloads of official statistics)"


_sleep = time.sleep  # the wait between attempts (a test replaces it to record the backoff)


class _Retryable(Exception):
    """A failure a second attempt may cure (timeout, dropped connection, 5xx)."""


def _test_base() -> str | None:
    base = os.environ.get(TEST_BASE_ENV, "").strip()
    if not base:
        return None
    parts = urlsplit(base)
    host = parts.hostname or ""
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if parts.scheme not in ("http", "https") or not loopback:
        raise FetchError(f"{TEST_BASE_ENV}={base!r} is refused: a test base URL must be http(s) on 127.0.0.1, "
                         "localhost or ::1")
    return base.rstrip("/")


def rebase_url(url: str) -> str:
    """``url`` with its scheme and host replaced by the test base URL, when one is set.

    Parameters
    ----------
    url : str
        A registered URL.

    Returns
    -------
    str
        The URL to request: unchanged without ``MIGSTATS_TEST_BASE_URL``;
        otherwise the base URL followed by the path and query of ``url``.

    Examples
    --------
    Without a test base URL:

    >>> rebase_url("https://api.worldbank.org/v2/en/indicator/X?downloadformat=csv")
    'https://api.worldbank.org/v2/en/indicator/X?downloadformat=csv'
    """
    base = _test_base()
    if base is None:
        return url
    parts = urlsplit(url)
    return base + urlunsplit(("", "", parts.path, parts.query, ""))


def check_url(url: str, *, rebased: bool = True) -> str:
    """``url`` if migstats may request it, else a :class:`~migstats.errors.FetchError`.

    Parameters
    ----------
    url : str
        The URL about to be requested.
    rebased : bool
        Whether ``url`` may be under the test base URL (True for the URL
        actually requested; False for a registered or user-given URL, which
        must be https whatever the test set-up).

    Returns
    -------
    str
        The same URL.

    Raises
    ------
    FetchError
        If it is not HTTPS and not under the loopback test base URL.

    Examples
    --------
    >>> check_url("https://sdmx.oecd.org/public/rest/data/x")
    'https://sdmx.oecd.org/public/rest/data/x'
    >>> check_url("http://example.org/data.csv")
    Traceback (most recent call last):
    ...
    migstats.errors.FetchError: refusing 'http://example.org/data.csv': only https:// URLs are fetched (plain http only from a loopback MIGSTATS_TEST_BASE_URL)
    """
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return url
    base = _test_base() if rebased else None
    if base is not None and (url == base or url.startswith(base + "/")):
        return url
    raise FetchError(f"refusing {url!r}: only https:// URLs are fetched "
                     f"(plain http only from a loopback {TEST_BASE_ENV})")


class Downloader:
    """A pooch downloader: one URL into one file, with the checks of this module.

    Parameters
    ----------
    format : {"zip", "csv", "xlsx", "txt"}
        The format the file must have.
    timeout : float
        Seconds without progress (connect or read) before an attempt fails.
    retries : int
        Further attempts after a failure a retry can cure.
    backoff : float
        Seconds before the first retry; doubled before each next one.
    max_bytes : int
        Largest body accepted.
    progress : bool
        Show a tqdm progress bar on stderr.
    label : str
        The file name shown beside the progress bar.

    Attributes
    ----------
    status, content_type, last_modified : str or int or None
        Of the last response, for the vintage record.
    sha256 : str or None
        Of the body written by the last complete attempt, computed while it
        streamed, so the file is not read back to hash it again.
    """

    def __init__(self, format: str, *, timeout: float, retries: int, backoff: float, max_bytes: int, progress: bool,
                 label: str = ""):
        self.format, self.timeout, self.retries, self.backoff = format, timeout, retries, backoff
        self.max_bytes, self.progress, self.label = max_bytes, progress, label
        self.status = self.content_type = self.last_modified = self.sha256 = None

    def __call__(self, url: str, output_file, pooch=None) -> None:
        """Download ``url`` into ``output_file`` (a path), retrying what a retry can cure."""
        for attempt in range(self.retries + 1):
            try:
                self._once(url, output_file)
                return
            except _Retryable as exc:
                if attempt == self.retries:
                    tries = f"{self.retries + 1} attempts" if self.retries else "1 attempt"
                    raise FetchError(f"{url}: {exc} (gave up after {tries})") from None
                _sleep(self.backoff * 2**attempt)

    def _open(self, url: str):
        import requests

        for _ in range(_REDIRECTS + 1):
            check_url(url)
            try:
                response = requests.get(url, stream=True, timeout=self.timeout, allow_redirects=False,
                                        headers={"User-Agent": _USER_AGENT})
            except requests.Timeout:
                raise _Retryable(f"no answer within {self.timeout:g} s") from None
            except requests.RequestException as exc:
                raise _Retryable(f"connection failed ({type(exc).__name__})") from None
            if response.is_redirect:
                target = urljoin(url, response.headers.get("Location", ""))
                response.close()
                url = target
                continue
            return response, url
        raise FetchError(f"{url}: more than {_REDIRECTS} redirects")

    def _once(self, url: str, output_file) -> None:
        import requests

        self.sha256 = None
        response, final = self._open(url)
        with response:
            self.status, self.content_type = response.status_code, response.headers.get("Content-Type", "")
            self.last_modified = response.headers.get("Last-Modified")
            what = f"HTTP {response.status_code} {response.reason}".strip()
            if response.status_code >= 500 or response.status_code == 429:
                raise _Retryable(f"the server answered {what}")
            if response.status_code >= 400:
                raise FetchError(f"{final}: the server answered {what}")
            declared = response.headers.get("Content-Length")
            declared = int(declared) if declared and declared.isdigit() else None
            if declared is not None and declared > self.max_bytes:
                raise FetchError(f"{final}: {declared:,} bytes is over the limit of {self.max_bytes:,} (max_bytes)")
            received, head, digest = 0, b"", hashlib.sha256()
            bar = _progress_bar(declared, self.label) if self.progress else None
            try:
                with open(output_file, "wb") as out:
                    for chunk in response.iter_content(_CHUNK):
                        received += len(chunk)
                        if received > self.max_bytes:
                            raise FetchError(f"{final}: more than {self.max_bytes:,} bytes (max_bytes); "
                                             "download stopped")
                        if len(head) < 4096:
                            head += chunk[: 4096 - len(head)]
                        out.write(chunk)
                        digest.update(chunk)
                        if bar is not None:
                            bar.update(len(chunk))
            except requests.Timeout:
                raise _Retryable(f"stalled after {received:,} bytes (no data for {self.timeout:g} s)") from None
            except requests.RequestException as exc:
                if declared is not None and received < declared:
                    raise _Retryable(f"truncated download: {received:,} of {declared:,} bytes") from None
                raise _Retryable(f"connection broken after {received:,} bytes ({type(exc).__name__})") from None
            finally:
                if bar is not None:
                    bar.close()
            if declared is not None and received < declared:
                raise _Retryable(f"truncated download: {received:,} of {declared:,} bytes")
            check_content(head, format=self.format, url=final, status=what, content_type=self.content_type)
            self.sha256 = digest.hexdigest()


def _progress_bar(total, name):
    from tqdm.auto import tqdm

    return tqdm(total=total, unit="B", unit_scale=True, unit_divisor=1024, desc=name, file=sys.stderr, leave=False)


_HTML_STARTS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<?xml version=\"1.0\"?><!doctype html")


def check_content(head: bytes, *, format: str, url: str, status: str = "", content_type: str = "") -> None:
    """Refuse a body whose first bytes are not the promised format.

    Parameters
    ----------
    head : bytes
        The first bytes of the body (4 kB is plenty).
    format : {"zip", "csv", "xlsx", "txt"}
        The format the registry promises.
    url : str
        For the message.
    status : str
        The HTTP status line, for the message (``"HTTP 200 OK"``).
    content_type : str
        The response's Content-Type.

    Raises
    ------
    FetchError
        An empty body, an HTML page, a zip/xlsx without the zip signature,
        or a CSV/text file with NUL bytes.

    Examples
    --------
    >>> check_content(b'"Data Source","World Development Indicators",', format="csv", url="u")
    >>> check_content(b"<!DOCTYPE html><title>Service Unavailable</title>", format="csv", url="u", status="HTTP 200 OK")
    Traceback (most recent call last):
    ...
    migstats.errors.FetchError: u: the server answered HTTP 200 OK with an HTML page (no content type), not the expected CSV file; it starts '<!DOCTYPE html><title>Service Unavailable</title>'
    """
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    answered = f"the server answered {status} with" if status else "the server answered with"
    if not start:
        raise FetchError(f"{url}: {answered} an empty body")
    if any(start.startswith(tag) for tag in _HTML_STARTS) or (
        content_type.lower().startswith("text/html") and not start.startswith(b"pk\x03\x04")
    ):
        snippet = head[:80].decode("utf-8", "replace").strip()
        raise FetchError(f"{url}: {answered} an HTML page ({content_type or 'no content type'}), "
                         f"not the expected {format.upper()} file; it starts {snippet!r}")
    if format in ("zip", "xlsx") and not head.startswith(b"PK\x03\x04"):
        raise FetchError(f"{url}: not a {format} file (no zip signature at the start; "
                         f"{content_type or 'no content type'})")
    if format in ("csv", "txt") and b"\x00" in head:
        raise FetchError(f"{url}: binary content (NUL bytes), not the expected {format.upper()} text")


def extract_members(archive, patterns: list[str], out_dir, *, max_bytes: int = MAX_BYTES) -> list[Path]:
    """Extract the members matching ``patterns`` from a zip into ``out_dir``, refusing unsafe archives.

    Parameters
    ----------
    archive : path-like
        The zip file.
    patterns : list of str
        Glob patterns (:mod:`fnmatch`) of member names; the first must match
        exactly one member (the data file), each other at most one.
    out_dir : path-like
        Where the members are written, under their base names.
    max_bytes : int
        Largest uncompressed size accepted for a member.

    Returns
    -------
    list of pathlib.Path
        The extracted files, in the order of ``patterns`` (absent optional
        members left out); the first is the data file.

    Raises
    ------
    FetchError
        If the file is not a zip, a member name is absolute or climbs out of
        the folder (``../evil.csv``), a member is over ``max_bytes`` or
        expands more than 200 times (a zip bomb), a member's data run past
        its declared size, or the patterns do not match as required.

    Examples
    --------
    >>> import io, tempfile, zipfile
    >>> folder = tempfile.mkdtemp()
    >>> with zipfile.ZipFile(f"{folder}/a.zip", "w") as z:
    ...     z.writestr("API_X_DS2_en_csv_v2_1.csv", "data")
    >>> [p.name for p in extract_members(f"{folder}/a.zip", ["API_X_DS2_*.csv", "Metadata_*"], folder)]
    ['API_X_DS2_en_csv_v2_1.csv']
    """
    out_dir = Path(out_dir)
    try:
        zf = zipfile.ZipFile(archive)
    except zipfile.BadZipFile:
        raise FetchError(f"{Path(archive).name}: the download is not a valid zip archive") from None
    with zf:
        infos = zf.infolist()
        for info in infos:
            name = PurePosixPath(info.filename.replace("\\", "/"))
            refused = f"the archive is refused: member {info.filename!r}"
            if name.is_absolute() or ".." in name.parts or ":" in info.filename:
                raise FetchError(f"{refused} would be written outside the cache folder")
            if info.file_size > max_bytes:
                raise FetchError(f"{refused} expands to {info.file_size:,} bytes, over the limit of {max_bytes:,} "
                                 "(max_bytes)")
            ratio = info.file_size / max(info.compress_size, 1)
            # small members may compress well for honest reasons; a bomb is large and extreme
            if ratio > MAX_RATIO and info.file_size > 2**20:
                raise FetchError(f"{refused} expands {ratio:,.0f} times (limit {MAX_RATIO}); a zip bomb?")
        names = [i.filename for i in infos if not i.is_dir()]
        out = []
        for k, pattern in enumerate(patterns):
            hits = [n for n in names if fnmatch.fnmatchcase(PurePosixPath(n).name, pattern)]
            if len(hits) > 1 or (k == 0 and not hits):
                found = "no member" if not hits else f"{len(hits)} members"
                raise FetchError(f"the archive has {found} matching {pattern!r}; "
                                 f"its members are {', '.join(names) or 'none'}")
            if hits:
                out.append(_extract_one(zf, zf.getinfo(hits[0]), out_dir / PurePosixPath(hits[0]).name))
        return out


def _extract_one(zf: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path) -> Path:
    """Copy one member, never writing more than its declared size."""
    written = 0
    with zf.open(info) as src, open(target, "wb") as dst:
        while chunk := src.read(_CHUNK):
            written += len(chunk)
            if written > info.file_size:
                raise FetchError(f"the archive is refused: member {info.filename!r} holds more than its declared "
                                 f"{info.file_size:,} bytes")
            dst.write(chunk)
    return target
