"""Country names and codes to ISO 3166-1 alpha-3, in one place.

Every reader of migstats maps the names and codes of its publication through
this module, so a name is resolved the same way whichever file it comes from.
The table below holds, for each country or area: the ISO3 code, the UN M49
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

from .errors import InputError, UnknownCountryError

__all__ = [
    "normalise_name",
    "iso3_from_name",
    "iso3_from_names",
    "iso3_from_m49",
    "country_name",
    "known_iso3",
]

# ISO3|M49|UN name|other names ...
_TABLE = """\
ABW|533|Aruba
AFG|4|Afghanistan
AGO|24|Angola
AIA|660|Anguilla
ALB|8|Albania
AND|20|Andorra
ANT|530|Netherlands Antilles
ARE|784|United Arab Emirates
ARG|32|Argentina
ARM|51|Armenia
ASM|16|American Samoa
ATG|28|Antigua and Barbuda
AUS|36|Australia
AUT|40|Austria
AZE|31|Azerbaijan
BDI|108|Burundi
BEL|56|Belgium
BEN|204|Benin
BES|535|Bonaire, Sint Eustatius and Saba
BFA|854|Burkina Faso
BGD|50|Bangladesh
BGR|100|Bulgaria
BHR|48|Bahrain
BHS|44|Bahamas|Bahamas, The|The Bahamas
BIH|70|Bosnia and Herzegovina
BLM|652|Saint Barthélemy
BLR|112|Belarus
BLZ|84|Belize
BMU|60|Bermuda
BOL|68|Bolivia (Plurinational State of)|Bolivia|Plurinational State of Bolivia
BRA|76|Brazil
BRB|52|Barbados
BRN|96|Brunei Darussalam|Brunei
BTN|64|Bhutan
BWA|72|Botswana
CAF|140|Central African Republic
CAN|124|Canada
CHE|756|Switzerland
CHI|830|Channel Islands
CHL|152|Chile
CHN|156|China
CIV|384|Côte d'Ivoire|Cote d'Ivoire|Ivory Coast
CMR|120|Cameroon
COD|180|Democratic Republic of the Congo|Congo, Dem. Rep.|Congo, Democratic Republic of the|DR Congo|Congo (Kinshasa)|Zaire
COG|178|Congo|Congo, Rep.|Republic of the Congo|Congo (Brazzaville)
COK|184|Cook Islands
COL|170|Colombia
COM|174|Comoros
CPV|132|Cabo Verde|Cape Verde
CRI|188|Costa Rica
CSK|200|Czechoslovakia
CUB|192|Cuba
CUW|531|Curaçao|Curacao
CYM|136|Cayman Islands
CYP|196|Cyprus
CZE|203|Czechia|Czech Republic|Czech Rep.
DDR|278|German Democratic Republic|East Germany
DEU|276|Germany
DJI|262|Djibouti
DMA|212|Dominica
DNK|208|Denmark
DOM|214|Dominican Republic
DZA|12|Algeria
ECU|218|Ecuador
EGY|818|Egypt|Egypt, Arab Rep.|Egypt, Arab Republic of
ERI|232|Eritrea
ESH|732|Western Sahara
ESP|724|Spain
EST|233|Estonia
ETH|231|Ethiopia
FIN|246|Finland
FJI|242|Fiji
FLK|238|Falkland Islands (Malvinas)
FRA|250|France
FRO|234|Faroe Islands|Faeroe Islands
FSM|583|Micronesia (Fed. States of)|Micronesia, Fed. Sts.|Micronesia|Federated States of Micronesia
GAB|266|Gabon
GBR|826|United Kingdom|United Kingdom of Great Britain and Northern Ireland|UK|Great Britain
GEO|268|Georgia
GGY|831|Guernsey
GHA|288|Ghana
GIB|292|Gibraltar
GIN|324|Guinea
GLP|312|Guadeloupe
GMB|270|Gambia|Gambia, The|The Gambia
GNB|624|Guinea-Bissau
GNQ|226|Equatorial Guinea
GRC|300|Greece
GRD|308|Grenada
GRL|304|Greenland
GTM|320|Guatemala
GUF|254|French Guiana
GUM|316|Guam
GUY|328|Guyana
HKG|344|China, Hong Kong SAR|Hong Kong SAR, China|Hong Kong|Hong Kong, China
HND|340|Honduras
HRV|191|Croatia
HTI|332|Haiti
HUN|348|Hungary
IDN|360|Indonesia
IMN|833|Isle of Man
IND|356|India
IRL|372|Ireland
IRN|364|Iran (Islamic Republic of)|Iran, Islamic Rep.|Iran
IRQ|368|Iraq
ISL|352|Iceland
ISR|376|Israel
ITA|380|Italy
JAM|388|Jamaica
JEY|832|Jersey
JOR|400|Jordan
JPN|392|Japan
KAZ|398|Kazakhstan
KEN|404|Kenya
KGZ|417|Kyrgyzstan|Kyrgyz Republic|Kyrgyz Rep.
KHM|116|Cambodia
KIR|296|Kiribati
KNA|659|Saint Kitts and Nevis|St. Kitts and Nevis
KOR|410|Republic of Korea|Korea, Rep.|Korea|South Korea|Korea, Republic of
KWT|414|Kuwait
LAO|418|Lao People's Democratic Republic|Lao PDR|Laos
LBN|422|Lebanon
LBR|430|Liberia
LBY|434|Libya
LCA|662|Saint Lucia|St. Lucia
LIE|438|Liechtenstein
LKA|144|Sri Lanka
LSO|426|Lesotho
LTU|440|Lithuania
LUX|442|Luxembourg
LVA|428|Latvia
MAC|446|China, Macao SAR|Macao SAR, China|Macao|Macau
MAF|663|Saint Martin (French part)|St. Martin (French part)
MAR|504|Morocco
MCO|492|Monaco
MDA|498|Republic of Moldova|Moldova|Moldova, Republic of
MDG|450|Madagascar
MDV|462|Maldives
MEX|484|Mexico
MHL|584|Marshall Islands
MKD|807|North Macedonia|Macedonia, FYR|Macedonia|The former Yugoslav Republic of Macedonia|Macedonia, The former Yugoslav Republic of
MLI|466|Mali
MLT|470|Malta
MMR|104|Myanmar|Burma
MNE|499|Montenegro
MNG|496|Mongolia
MNP|580|Northern Mariana Islands
MOZ|508|Mozambique
MRT|478|Mauritania
MSR|500|Montserrat
MTQ|474|Martinique
MUS|480|Mauritius
MWI|454|Malawi
MYS|458|Malaysia
MYT|175|Mayotte
NAM|516|Namibia
NCL|540|New Caledonia
NER|562|Niger
NGA|566|Nigeria
NIC|558|Nicaragua
NIU|570|Niue
NLD|528|Netherlands
NOR|578|Norway
NPL|524|Nepal
NRU|520|Nauru
NZL|554|New Zealand
OMN|512|Oman
PAK|586|Pakistan
PAN|591|Panama
PER|604|Peru
PHL|608|Philippines
PLW|585|Palau
PNG|598|Papua New Guinea
POL|616|Poland
PRI|630|Puerto Rico|Puerto Rico (US)
PRK|408|Dem. People's Republic of Korea|Korea, Dem. People's Rep.|Korea, Dem. Rep.|North Korea
PRT|620|Portugal
PRY|600|Paraguay
PSE|275|State of Palestine|West Bank and Gaza|Palestine|Occupied Palestinian Territory
PYF|258|French Polynesia
QAT|634|Qatar
REU|638|Réunion
ROU|642|Romania
RUS|643|Russian Federation|Russia
RWA|646|Rwanda
SAU|682|Saudi Arabia
SCG|891|Serbia and Montenegro|Serbia & Montenegro
SDN|729|Sudan
SEN|686|Senegal
SGP|702|Singapore
SHN|654|Saint Helena|Saint Helena, Ascension and Tristan da Cunha
SLB|90|Solomon Islands
SLE|694|Sierra Leone
SLV|222|El Salvador
SMR|674|San Marino
SOM|706|Somalia
SPM|666|Saint Pierre and Miquelon
SRB|688|Serbia
SSD|728|South Sudan
STP|678|Sao Tome and Principe|São Tomé and Príncipe
SUN|810|Union of Soviet Socialist Republics|USSR|Soviet Union
SUR|740|Suriname
SVK|703|Slovakia|Slovak Republic|Slovak Rep.
SVN|705|Slovenia
SWE|752|Sweden
SWZ|748|Eswatini|Swaziland
SXM|534|Sint Maarten (Dutch part)
SYC|690|Seychelles
SYR|760|Syrian Arab Republic|Syria
TCA|796|Turks and Caicos Islands
TCD|148|Chad
TGO|768|Togo
THA|764|Thailand
TJK|762|Tajikistan
TKL|772|Tokelau
TKM|795|Turkmenistan
TLS|626|Timor-Leste|East Timor
TON|776|Tonga
TTO|780|Trinidad and Tobago
TUN|788|Tunisia
TUR|792|Türkiye|Turkiye|Turkey
TUV|798|Tuvalu
TWN|158|China, Taiwan Province of China|Taiwan|Taiwan, China
TZA|834|United Republic of Tanzania|Tanzania|Tanzania, United Republic of
UGA|800|Uganda
UKR|804|Ukraine
URY|858|Uruguay
USA|840|United States of America|United States|US|United States of America (the)
UZB|860|Uzbekistan
VAT|336|Holy See
VCT|670|Saint Vincent and the Grenadines|St. Vincent and the Grenadines
VEN|862|Venezuela (Bolivarian Republic of)|Venezuela, RB|Venezuela
VGB|92|British Virgin Islands|Virgin Islands (British)
VIR|850|United States Virgin Islands|Virgin Islands (U.S.)|US Virgin Islands
VNM|704|Viet Nam|Vietnam
VUT|548|Vanuatu
WLF|876|Wallis and Futuna Islands
WSM|882|Samoa
XKX|412|Kosovo|Republic of Kosovo|Kosovo (under UNSC res. 1244)
YEM|887|Yemen|Yemen, Rep.|Yemen, Republic of
YUG|890|Yugoslavia|Socialist Federal Republic of Yugoslavia|Federal Republic of Yugoslavia
ZAF|710|South Africa
ZMB|894|Zambia
ZWE|716|Zimbabwe
"""

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
    by_name: dict[str, str] = {}
    by_m49: dict[int, str] = {}
    display: dict[str, str] = {}
    for line in _TABLE.splitlines():
        iso3, m49, *names = line.split("|")
        display[iso3] = names[0]
        if m49:
            by_m49[int(m49)] = iso3
        for name in names:
            by_name[normalise_name(name)] = iso3
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
    code = _lookup(name)
    if code is None:
        raise UnknownCountryError(
            f"unknown country or area name {str(name).strip()!r}", file=file, row=row, column=column
        )
    return code


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

    Raises
    ------
    InputError
        When ``code`` is not a whole number (None, a boolean, a fraction, a
        text other than digits).
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

    Raises
    ------
    UnknownCountryError
        When the code is not in the table.
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
