"""Fetching the official releases: a source registry, a verified download cache and vintages.

- :mod:`~migstats.catalog.registry`: the registered publications
  (``data/catalog/sources.csv``), their URLs and how certain they are;
- :mod:`~migstats.catalog.download`: one HTTPS download and its checks, safe
  extraction from a zip;
- :mod:`~migstats.catalog.cache`: the cache folder, offline mode and the
  vintage records;
- :mod:`~migstats.catalog.retrieve`: :func:`fetch`, the verified local path;
- :mod:`~migstats.catalog.tables`: official tables from a fetched vintage.

Comparing two vintages is analysis: :func:`migstats.vintage_revisions`.
See ``docs/data.md``.
"""

from .cache import cache_dir, clear_cache, is_offline, vintages
from .registry import registry, source_entry
from .retrieve import cached_path, fetch
from .tables import official_table, read_vintage

__all__ = [
    "fetch",
    "cached_path",
    "registry",
    "source_entry",
    "vintages",
    "read_vintage",
    "official_table",
    "cache_dir",
    "clear_cache",
    "is_offline",
]
