"""Readers of the official publications behind the report's figures.

Each reader takes the path of a file as published (or exported) and returns a
tidy long DataFrame with the columns ``code``, ``name``, ``year``, ``value``,
``unit``, ``flags``, ``source`` and ``vintage`` (bilateral tables use
``orig_*``/``dest_*`` for the two areas), and the provenance in ``df.attrs``
(source, vintage, licence, file). Problems in a file raise
:class:`~migstats.errors.ReaderError` or
:class:`~migstats.errors.UnknownCountryError` naming the file, line or row and
column. :func:`read_wpp` reads UN World Population Prospects 2024 births,
deaths and net migration (M49 and ISO3 codes, an ``aggregate`` column).
"""

from .knomad import read_knomad_bilateral, read_knomad_inflows
from .oecd import read_oecd
from .undesa import read_undesa_origin_destination, read_undesa_stock
from .wdi import read_wdi
from .wpp import read_wpp

__all__ = [
    "read_wdi",
    "read_knomad_inflows",
    "read_knomad_bilateral",
    "read_undesa_stock",
    "read_undesa_origin_destination",
    "read_oecd",
    "read_wpp",
]
