"""The source registry: ``data/catalog/sources.csv``, a validated resource of the data package.

Each row names one official publication migstats can fetch: its URL (or URL
template with one parameter, the WDI indicator code), how certain that URL is
(``url_status``: ``documented``, ``pinned`` or ``uncertain``, explained in
``url_note``), the archive members to extract, the reader, licence, citation
and, for fixed releases, the sha256 and size of the file.

A URL can be overridden without editing the registry: the ``url=`` argument
of :func:`migstats.fetch` first, then the environment variable
``MIGSTATS_URL_<ID>`` (the source id in capitals, e.g.
``MIGSTATS_URL_OECD_IMD_NATIONAL``).
"""

from __future__ import annotations

import os
import re

from ..errors import IgnoredArgumentError, InputError, UnknownNameError

__all__ = ["registry", "source_entry", "parameter_value", "source_url", "url_env"]

# Indicator codes become part of a URL and of a cache folder name: letters, digits, '.', '_' and '-'
# only, so no value can climb out of the cache or change the URL's path or query.
_PARAMETER = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")


def registry():
    """The registered sources, one row each, validated against their schema.

    Returns
    -------
    pandas.DataFrame
        The columns of ``data/catalog/sources.csv`` (see its schema in
        ``data/datapackage.json``): ``id, title, publisher, release, url,
        url_status, url_note, publisher_url, parameter, parameter_default,
        download_name, format, members, reader, sha256, size, licence,
        citation``; empty text cells are ``""``.

    Examples
    --------
    >>> table = registry()
    >>> table.set_index("id").loc["wdi", ["release", "url_status", "parameter"]].tolist()
    ['rolling', 'documented', 'indicator']
    """
    from ..datasets.schema import read_table

    table = read_table("catalog-sources")
    text = [c for c in table.columns if table[c].dtype == object]
    table[text] = table[text].fillna("")
    return table


def source_entry(source: str) -> dict:
    """The registry row of one source, as a dict.

    Parameters
    ----------
    source : str
        A source id (``migstats data list`` shows them).

    Returns
    -------
    dict
        Column name to value.

    Raises
    ------
    UnknownNameError
        If no source has that id.

    Examples
    --------
    >>> source_entry("wpp2024_migration")["sha256"][:12]
    '19d96c718b06'
    """
    table = registry()
    hit = table[table["id"] == source]
    if hit.empty:
        raise UnknownNameError(f"unknown source {source!r}; choose from {', '.join(table['id'])}")
    return hit.iloc[0].to_dict()


def parameter_value(entry: dict, indicator: str | None) -> str | None:
    """The value of a source's URL parameter: ``indicator``, else the registered default.

    Parameters
    ----------
    entry : dict
        A row of :func:`registry`.
    indicator : str or None
        The indicator code asked for.

    Returns
    -------
    str or None
        None for a source without a parameter.

    Raises
    ------
    IgnoredArgumentError
        If an indicator is given for a source that takes none.
    InputError
        If the code has characters other than letters, digits, ``.``, ``_``
        and ``-``.

    Examples
    --------
    >>> parameter_value(source_entry("wdi"), None)
    'BX.TRF.PWKR.CD.DT'
    >>> parameter_value(source_entry("wdi"), "../../etc")
    Traceback (most recent call last):
    ...
    migstats.errors.InputError: indicator '../../etc' is not an indicator code (letters, digits, '.', '_', '-')
    """
    name = entry["parameter"]
    if not name:
        if indicator is not None:
            raise IgnoredArgumentError(f"source {entry['id']!r} takes no indicator (got {indicator!r})")
        return None
    value = entry["parameter_default"] if indicator is None else str(indicator)
    if not _PARAMETER.fullmatch(value):
        raise InputError(f"{name} {value!r} is not an indicator code (letters, digits, '.', '_', '-')")
    return value


def url_env(source: str) -> str:
    """The environment variable that overrides a source's URL.

    Parameters
    ----------
    source : str
        A source id.

    Returns
    -------
    str

    Examples
    --------
    >>> url_env("oecd_imd_national")
    'MIGSTATS_URL_OECD_IMD_NATIONAL'
    """
    return "MIGSTATS_URL_" + source.upper()


def source_url(entry: dict, value: str | None, *, url: str | None = None) -> str:
    """The URL to download: ``url``, else ``MIGSTATS_URL_<ID>``, else the registry's, with the parameter filled in.

    Parameters
    ----------
    entry : dict
        A row of :func:`registry`.
    value : str or None
        The parameter value (:func:`parameter_value`).
    url : str, optional
        An explicit URL (may hold the ``{indicator}`` placeholder).

    Returns
    -------
    str

    Examples
    --------
    >>> source_url(source_entry("wdi"), "SP.POP.TOTL")
    'https://api.worldbank.org/v2/en/indicator/SP.POP.TOTL?downloadformat=csv'
    """
    template = url or os.environ.get(url_env(entry["id"])) or entry["url"]
    return template.replace("{" + entry["parameter"] + "}", value) if entry["parameter"] else template
