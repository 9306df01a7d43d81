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

Every reader follows the same rules (``docs/readers.md``): each record is
checked against its header, numbers against the publication's convention and
values against the domain of their series; a file in the other of UTF-8 and
Windows-1252 is read with a :class:`~migstats.errors.ReaderWarning`; a
header-only file is an error; an unknown country raises unless
``unknown="keep"``. The modules: ``_text`` (decoding, records and their
lines, workbooks), ``_numbers`` (number conventions, value domains),
``_tidy`` (identifiers, countries, long output, provenance).
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
