"""Country names and codes to ISO 3166-1 alpha-3, in one place.

Every reader of migstats maps the names and codes of its publication through
this module, so a name is resolved the same way whichever file it comes from.
The table is the ``countries`` resource of the data package
(``data/countries/countries.csv``, validated on first use like every bundled
table); it holds, for each country or area: the ISO3 code, the UN M49
numeric code and the names the
World Bank, the UN Population Division and the OECD use for it, the first
being the UN name. Matching ignores case, accents, footnote asterisks and
runs of white space, so ``"Côte d'Ivoire"``, ``"Cote d'Ivoire"`` and
``"COTE D'IVOIRE*"`` are one name.

Codes outside ISO 3166-1 follow the World Bank where it has one: ``XKX``
(Kosovo), ``CHI`` (Channel Islands). Former states keep their withdrawn ISO
codes: ``SCG`` Serbia and Montenegro, ``YUG`` Yugoslavia, ``SUN`` USSR,
``CSK`` Czechoslovakia, ``ANT`` Netherlands Antilles, ``DDR`` German
Democratic Republic.

M49 codes are those of the UN Statistics Division's standard, with one
addition: Kosovo is 412, the code the UN Population Division gives it in
World Population Prospects 2024 (``UNlocations.txt`` of the ``wpp2024`` R
package, "Kosovo (under UNSC res. 1244)"); M49 itself has none. Guernsey
(GGY, 831) and Jersey (JEY, 832) are the M49 and ISO 3166-1 entries that WPP
lists apart from the Channel Islands (830).
"""

from __future__ import annotations

import numbers
import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import cache, lru_cache

from .errors import InputError, UnknownCountryError, ValidationError

__all__ = [
    "normalise_name",
    "iso3_from_name",
    "iso3_from_names",
    "iso3_from_m49",
    "country_name",
    "known_iso3",
]

#: the data package resource holding the country table (data/countries/countries.csv)
COUNTRY_RESOURCE = "countries"
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=8192)
def normalise_name(name: str) -> str:
    """The matching key of a country name.

    Case-folded, accents removed (NFKD, combining marks dropped), footnote
    asterisks and surrounding quotes stripped, curly apostrophes made
    straight and white space collapsed.
    """
    decomposed = unicodedata.normalize("NFKD", str(name))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    plain = plain.replace("\u2019", "'").replace("\u2018", "'")
    plain = plain.strip().strip('"').rstrip("*").strip()
    return _SPACES.sub(" ", plain).casefold()


@cache
def _tables() -> tuple[dict[str, str], dict[int, str], dict[str, str]]:
    """Name key -> ISO3, M49 -> ISO3 and ISO3 -> UN name, from the ``countries`` resource of the data package."""
    return _index_table(None)


def _index_table(root) -> tuple[dict[str, str], dict[int, str], dict[str, str]]:
    """The lookups of :func:`_tables` from the data package at ``root`` (None: the bundled one).

    Raises
    ------
    ValidationError
        The table against its schema, or a name given to two codes (naming
        the file, the row and the column of the second).
    """
    # Imported here: the data package loader needs pandas, which ``import migstats`` must not load.
    from .datasets._paths import data_dir
    from .datasets.schema import read_table, resource_descriptor

    table = read_table(COUNTRY_RESOURCE, root=root)
    file = str((data_dir() if root is None else root) / resource_descriptor(COUNTRY_RESOURCE, root=root)["path"])
    by_name: dict[str, str] = {}
    by_m49: dict[int, str] = {}
    display: dict[str, str] = {}
    rows = table[["iso3", "m49", "name", "other_names"]].itertuples(index=False)
    for row, (iso3, m49, name, other) in enumerate(rows, 1):
        display[iso3] = name
        by_m49[int(m49)] = iso3
        aliases = other.split("|") if isinstance(other, str) else []
        for column, spelling in [("name", name), *(("other_names", alias) for alias in aliases if alias)]:
            key = normalise_name(spelling)
            if by_name.setdefault(key, iso3) != iso3:
                raise ValidationError(f"the name {spelling!r} is also a name of {by_name[key]}", file=file, row=row,
                                      column=column)
    return by_name, by_m49, display


def iso3_from_name(name: str, *, file=None, row=None, column=None) -> str:
    """The ISO3 code of one country name (or of an ISO3 code itself).

    Parameters
    ----------
    name : str
        A name in any of the table's spellings, or an ISO3 code.
    file, row, column : optional
        Where the name comes from, for the error message.

    Returns
    -------
    str
        The ISO3 code.

    Raises
    ------
    UnknownCountryError
        When the name is not in the table; the error names ``file``, ``row``
        and ``column`` when given.

    Examples
    --------
    >>> iso3_from_name("Côte d'Ivoire"), iso3_from_name("DEU")
    ('CIV', 'DEU')
    """
    return iso3_from_names([name], file=file, column=column, rows=None if row is None else [row])[0]


def _lookup(name) -> str | None:
    """The ISO3 code of a name or of an ISO3 code, None when the table has neither."""
    by_name, _, display = _tables()
    text = str(name).strip()
    if len(text) == 3 and text.upper() in display:
        return text.upper()
    return by_name.get(normalise_name(text))


def iso3_from_names(
    names: Iterable[str],
    *,
    file=None,
    column=None,
    rows: Sequence[int] | None = None,
    row_kind: str = "row",
) -> list[str]:
    """ISO3 codes of many names (or ISO3 codes), each distinct name looked up once, as :func:`iso3_from_name`.

    Parameters
    ----------
    names : iterable of str
        Names in any of the table's spellings, or ISO3 codes.
    file, column : optional
        Where the names come from, for the error message.
    rows : sequence of int, optional
        The row (or line, per ``row_kind``) of each name in ``file``.
    row_kind : {"row", "line"}
        What ``rows`` count.

    Returns
    -------
    list of str
        One ISO3 code per name.

    Raises
    ------
    UnknownCountryError
        At the first unknown name, naming its file, row and column.

    Examples
    --------
    >>> iso3_from_names(["Germany", "DEU", "Viet Nam"])
    ['DEU', 'DEU', 'VNM']
    """
    names = list(names)
    found: dict[str, str | None] = {}
    codes = []
    for i, name in enumerate(names):
        if name not in found:
            found[name] = _lookup(name)
            if found[name] is None:
                raise UnknownCountryError(
                    f"unknown country or area name {str(name).strip()!r}",
                    file=file,
                    row=None if rows is None else rows[i],
                    column=column,
                    row_kind=row_kind,
                )
        codes.append(found[name])
    return codes


def iso3_from_m49(code: int) -> str | None:
    """The ISO3 code of a UN M49 country code, or None when it is not a country.

    M49 also numbers regions and groups (e.g. 900 World, 903 Africa); those
    have no ISO3 code and give None.

    Parameters
    ----------
    code : int
        A whole number: an integer, a float without fraction (as spreadsheets
        store codes) or a string of digits.

    Returns
    -------
    str or None
        The ISO3 code, or None for a region or group code.

    Raises
    ------
    InputError
        When ``code`` is not a whole number (None, a boolean, a fraction, a
        text other than digits).

    See Also
    --------
    iso3_from_name : the code of a country name.
    country_name : the name of an ISO3 code.

    Examples
    --------
    >>> iso3_from_m49(356), iso3_from_m49("404"), iso3_from_m49(903.0)
    ('IND', 'KEN', None)
    """
    return _tables()[1].get(_whole_number(code))


def _whole_number(code) -> int:
    if isinstance(code, str) and code.strip().isdigit():
        return int(code)
    if isinstance(code, numbers.Integral) and not isinstance(code, bool):
        return int(code)
    if isinstance(code, numbers.Real) and not isinstance(code, bool) and float(code).is_integer():
        return int(code)
    raise InputError(f"an M49 code is a whole number, not {code!r}")


def country_name(iso3: str) -> str:
    """The UN name of an ISO3 code.

    Parameters
    ----------
    iso3 : str
        An ISO3 code of the country table (current or former state).

    Returns
    -------
    str
        The name as the UN publishes it.

    Raises
    ------
    UnknownCountryError
        When the code is not in the table.

    See Also
    --------
    iso3_from_name : the reverse lookup.
    known_iso3 : every code in the table.

    Examples
    --------
    >>> country_name("VNM")
    'Viet Nam'
    >>> country_name("XXX")
    Traceback (most recent call last):
    ...
    migstats.errors.UnknownCountryError: unknown ISO3 code 'XXX'
    """
    try:
        return _tables()[2][iso3]
    except KeyError:
        raise UnknownCountryError(f"unknown ISO3 code {iso3!r}") from None


@cache
def known_iso3() -> frozenset[str]:
    """Every ISO3 code in the table (current and former states)."""
    # Cached: the readers test every code of a file against it on each call.
    return frozenset(_tables()[2])
