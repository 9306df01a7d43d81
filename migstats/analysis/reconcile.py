"""The report's figures set beside today's official series (issue 5, item 3).

Each report figure with an official counterpart gets one row per counterpart
series: same entity, year and concept where the bundled snapshot has it, and
otherwise the nearest series with the difference named in ``concept``.
``matches_report`` says which counterpart carries the report's concept:

- Remittances. The report's amounts (India, China, Mexico more than US$20
  billion; Egypt and Nigeria revised; developing countries US$229 and 283
  billion) are World Bank "migrant remittances" (Migration and Remittances
  Data, now KNOMAD): the KNOMAD 2017 edition matches. WDI "personal
  remittances" (BPM6 personal transfers plus compensation of employees) is a
  different, narrower series; for China it is a fifth of the KNOMAD figure.
  "Developing countries" is the World Bank's low- and middle-income group:
  WDI has it as the aggregate LMY (personal remittances); from KNOMAD it is
  the sum over the economies that WDI classes low or middle income today
  (today's composition, not 2008's).
- Shares of GDP (Tajikistan, Moldova, Tonga 2007): the only share series in
  the snapshot is WDI personal remittances as a percentage of GDP (base: the
  recipient's GDP in the same year).
- Migrant stock: the world total is the same series by destination or by
  origin. The report's Latin America and the Caribbean figures (21 million in
  2000, almost 26 million in 2005, some 13 per cent of the world's migrants)
  are emigrants born in the region (ECLAC), so UN DESA "by origin" matches;
  "by destination" (migrants living in the region, about 7 million) is given
  beside it as the series it must not be confused with. The share's base is
  the world's international migrant stock of the same year.
- OECD: the report's "national" 2006 inflows of Japan and Germany match the
  International Migration Database (national definitions). The OECD
  standardised 2006 estimates, and hence the stated differences for Canada
  and the United States, have no counterpart in the snapshot (the
  standardised series starts in 2014): those rows say so.

For each pair, with ``p`` the report's figure and ``r`` the official value
converted to the report's unit: ``absolute = r - p``, ``relative = (r - p) /
p`` (base: the report's figure), ``factor = r / p``. ``statement_holds`` (nullable
boolean; ``<NA>`` when no comparable official value exists) asks whether
today's value still satisfies the report's statement read with its hedge:
"more than 20" needs ``r > 20``; "almost 26" needs ``0.95 * 26 <= r <= 26``
(the 5 per cent convention of :func:`~.intervals.as_intervals`); an
unhedged figure needs ``r`` to round to it at the precision it is stated
with (7.5 -> [7.45, 7.55], 325,600 -> [325,550, 325,650]).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import IgnoredArgumentError, InputError, MissingValueError, UnknownFigureError
from ..units import conversion_factor
from .intervals import STRICT_HIGH, STRICT_LOW, as_intervals, rounding_interval
from .revision import revision

__all__ = ["reconcile", "COUNTERPARTS", "official_tables"]

_KNOMAD = "World Bank/KNOMAD migrant remittance inflows, 2017 edition"
_WDI_USD = "WDI BX.TRF.PWKR.CD.DT personal remittances, received (current US$)"
_WDI_PCT = "WDI BX.TRF.PWKR.DT.GD.ZS personal remittances, received (% of GDP)"
_UN_DEST = "UN DESA International Migrant Stock 2024, by destination (living in the area)"
_UN_ORIG = "UN DESA International Migrant Stock 2024, by origin (born in the area)"
_OECD_NAT = "OECD International Migration Database, inflows of foreign population (B11), national definitions"
_OECD_STD = "OECD standardised inflows of permanent-type migrants"

_DEVELOPING = ("Low income", "Lower middle income", "Upper middle income")
_LAC = 904
_WORLD = 900

#: (figure id, counterpart kind, table, key, year, series, matches_report, concept note)
COUNTERPARTS = [
    ("rem_dev_2006", "knomad_developing", "knomad", None, 2006, _KNOMAD, True,
     "same concept; sum over the economies WDI classes low or middle income today"),
    ("rem_dev_2006", "point", "wdi_usd", "LMY", 2006, _WDI_USD, False,
     "same group (LMY) but personal remittances, a narrower concept"),
    ("rem_dev_2008", "knomad_developing", "knomad", None, 2008, _KNOMAD, True,
     "same concept; sum over the economies WDI classes low or middle income today"),
    ("rem_dev_2008", "point", "wdi_usd", "LMY", 2008, _WDI_USD, False,
     "same group (LMY) but personal remittances, a narrower concept"),
    *[
        row
        for fid, code in [("rem_ind_2008", "IND"), ("rem_chn_2008", "CHN"), ("rem_mex_2008", "MEX"),
                          ("rem_egy_2008_previous", "EGY"), ("rem_egy_2008_revised", "EGY"),
                          ("rem_nga_2008_previous", "NGA"), ("rem_nga_2008_revised", "NGA")]
        for row in [
            (fid, "point", "knomad", code, 2008, _KNOMAD, True, "same concept (migrant remittances)"),
            (fid, "point", "wdi_usd", code, 2008, _WDI_USD, False, "personal remittances, a narrower concept"),
        ]
    ],
    *[
        (fid, "point", "wdi_pct", code, 2007, _WDI_PCT, True,
         "the only share-of-GDP series in the snapshot (personal remittances / GDP of the same economy and year)")
        for fid, code in [("rem_gdp_tjk_2007", "TJK"), ("rem_gdp_mda_2007", "MDA"), ("rem_gdp_ton_2007", "TON")]
    ],
    ("mig_wld_2005", "point", "un_dest", _WORLD, 2005, _UN_DEST, True, "world total (identical by origin)"),
    ("mig_lcn_2000", "point", "un_orig", _LAC, 2000, _UN_ORIG, True, "migrants born in the region (the report's ECLAC concept)"),
    ("mig_lcn_2000", "point", "un_dest", _LAC, 2000, _UN_DEST, False, "migrants living in the region: a different series"),
    ("mig_lcn_2005", "point", "un_orig", _LAC, 2005, _UN_ORIG, True, "migrants born in the region (the report's ECLAC concept)"),
    ("mig_lcn_2005", "point", "un_dest", _LAC, 2005, _UN_DEST, False, "migrants living in the region: a different series"),
    ("mig_lcn_share_world_2005", "share_of_world", "un_orig", _LAC, 2005, _UN_ORIG, True,
     "migrants born in the region / world migrant stock, same year"),
    ("oecd_jpn_national_2006", "point", "oecd_national", "JPN", 2006, _OECD_NAT, True, "same series (national definition)"),
    ("oecd_deu_national_2006", "point", "oecd_national", "DEU", 2006, _OECD_NAT, True, "same series (national definition)"),
    ("oecd_jpn_oecd_2006", "sum_if_present", "oecd_standardised", "JPN", 2006, _OECD_STD, True,
     "sum of the entry categories; no 2006 value in the snapshot (the standardised series starts in 2014)"),
    ("oecd_deu_oecd_2006", "sum_if_present", "oecd_standardised", "DEU", 2006, _OECD_STD, True,
     "sum of the entry categories; no 2006 value in the snapshot (the standardised series starts in 2014)"),
    ("oecd_can_difference_2006", "context", "oecd_national", "CAN", 2006, _OECD_NAT, False,
     "the report states only that national and OECD figures agree; today's national inflow is shown, "
     "the standardised 2006 figure needed to check the agreement is not in the snapshot"),
    ("oecd_usa_difference_2006", "context", "oecd_national", "USA", 2006, _OECD_NAT, False,
     "the report states only that national and OECD figures agree; today's national inflow is shown, "
     "the standardised 2006 figure needed to check the agreement is not in the snapshot"),
]

_COLUMNS = [
    "figure_id", "entity_code", "year", "measure", "qualifier", "report_value", "report_unit",
    "series", "vintage", "matches_report", "concept", "official_code", "official_value", "official_unit",
    "absolute", "relative", "factor", "statement_holds",
]


def official_tables(*, source="bundled") -> dict[str, pd.DataFrame]:
    """The official tables :data:`COUNTERPARTS` refers to, by key.

    Parameters
    ----------
    source : {"bundled", "latest"}
        ``bundled`` (default): the snapshot, offline; ``latest``: every table
        from the newest release, fetched or reused from the cache
        (:func:`migstats.fetch`; offline, from the cache only).

    Returns
    -------
    dict of str to pandas.DataFrame
        ``knomad``, ``wdi_usd``, ``wdi_pct``, ``un_dest``, ``un_orig``,
        ``oecd_national`` and ``oecd_standardised``, as the
        :mod:`migstats.datasets.official` loaders return them.
    """
    from ..datasets.official import knomad_inflows, oecd_inflows, undesa_stock, wdi_remittances

    return {
        "knomad": knomad_inflows(source=source),
        "wdi_usd": wdi_remittances("usd", source=source),
        "wdi_pct": wdi_remittances("pct_gdp", source=source),
        "un_dest": undesa_stock("destination", source=source),
        "un_orig": undesa_stock("origin", source=source),
        "oecd_national": oecd_inflows("national", source=source),
        "oecd_standardised": oecd_inflows("standardised", source=source),
    }


def _point(table: pd.DataFrame, key, year: int, what: str) -> tuple[float, str]:
    column = "m49" if isinstance(key, int) else "code"
    hit = table[(table[column] == key) & (table["year"] == year)]
    if len(hit) != 1:
        raise MissingValueError(f"{what}: expected one value for {key} {year}, found {len(hit)}")
    return float(hit["value"].iloc[0]), str(hit["unit"].iloc[0])


def _counterpart(kind: str, tables: dict, table_key: str, key, year: int, series: str) -> tuple[float, str, str]:
    """(value, unit, official code) of one counterpart; NaN value when there is none."""
    table = tables[table_key]
    if kind == "sum_if_present":
        rows = table[(table["code"] == key) & (table["year"] == year)]
        if rows.empty:
            return np.nan, "", str(key)
        return float(rows["value"].sum()), str(rows["unit"].iloc[0]), str(key)
    if kind in ("point", "context"):
        value, unit = _point(table, key, year, series)
        return value, unit, str(key)
    if kind == "knomad_developing":
        groups = tables["wdi_usd"].drop_duplicates("code").set_index("code")["income_group"]
        members = set(groups[groups.isin(_DEVELOPING)].index)
        rows = table[table["code"].isin(members) & (table["year"] == year)]
        if rows.empty:
            raise MissingValueError(f"{series}: no low- or middle-income economy in {year}")
        return float(rows["value"].sum()), str(rows["unit"].iloc[0]), "sum of low- and middle-income economies"
    if kind == "share_of_world":
        part, _ = _point(table, key, year, series)
        world, _ = _point(table, _WORLD, year, series)
        return 100.0 * part / world, "percent", f"{key}/{_WORLD}"
    raise InputError(f"unknown counterpart kind {kind!r}")


def _stated_decimals(value: float) -> int:
    """Decimal places a figure is stated to: 7.5 -> 1, 283 -> 0, 325600 -> -2."""
    text = f"{value:.10g}"
    if "." in text:
        return len(text.split(".")[1])
    digits = text.lstrip("-")
    return -(len(digits) - len(digits.rstrip("0"))) if digits.strip("0") else 0


def _holds(figure: pd.Series, official: float) -> bool:
    """Whether ``official`` (in the figure's unit) satisfies the figure's hedged statement."""
    if figure["qualifier"] == "exact":
        low, high = rounding_interval(figure["value"], _stated_decimals(figure["value"]))
        return bool(low <= official <= high)
    interval = as_intervals(figure.to_frame().T).iloc[0]
    above = official > interval["low"] or (official == interval["low"] and figure["qualifier"] not in STRICT_LOW)
    below = official < interval["high"] or (official == interval["high"] and figure["qualifier"] not in STRICT_HIGH)
    return bool(above and below)


def reconcile(figures: pd.DataFrame | None = None, tables: dict[str, pd.DataFrame] | None = None, *,
              source="bundled") -> pd.DataFrame:
    """Report figures beside their official counterparts, with the revision since the report.

    Parameters
    ----------
    figures : DataFrame, optional
        The report figure table (columns id, entity_code, measure,
        year_start, value, unit, qualifier, ...); by default
        ``data/report/figures.csv``.
    tables : dict of DataFrame, optional
        The official tables by key (see :func:`official_tables`, the default).
    source : {"bundled", "latest"}
        Where the default tables come from (see :func:`official_tables`):
        the bundled snapshot (default) or the newest releases. Not with
        ``tables`` (:class:`~migstats.errors.IgnoredArgumentError`).

    Returns
    -------
    DataFrame
        One row per (figure, counterpart series) of :data:`COUNTERPARTS`, in
        that order: ``figure_id, entity_code, year, measure, qualifier,
        report_value, report_unit, series, vintage, matches_report, concept,
        official_code, official_value, official_unit`` (the report's unit
        when the two are comparable), ``absolute`` (official - report),
        ``relative`` ((official - report) / report, base: the report's
        figure), ``factor`` (official / report) and ``statement_holds``, a
        pandas nullable ``boolean`` column: True or False where the official
        value can test the statement, ``<NA>`` where it cannot. Rows without
        a comparable official value have NaN revisions and ``<NA>``: where the snapshot has no counterpart
        (official_value NaN) and the context rows for Canada and the United
        States (today's national inflow in persons beside a stated 0 per cent
        difference).

    Raises
    ------
    UnknownFigureError
        If a figure of :data:`COUNTERPARTS` is not in ``figures``.
    MissingValueError
        If an official table lacks a value a counterpart needs.
    """
    if figures is None:
        from ..datasets.report import figures as report_figures

        figures = report_figures()
    if tables is None:
        tables = official_tables(source=source)
    elif source != "bundled":
        raise IgnoredArgumentError(f"source={source!r} would be ignored: tables are given")
    by_id = figures.set_index("id")
    rows = []
    for fid, kind, table_key, key, year, series, matches, concept in COUNTERPARTS:
        if fid not in by_id.index:
            raise UnknownFigureError(f"report figure {fid!r} is not in the figure table")
        figure = by_id.loc[fid]
        value, unit, official_code = _counterpart(kind, tables, table_key, key, year, series)
        report_unit = str(figure["unit"])
        comparable = not np.isnan(value) and kind != "context"
        official, official_unit = value, unit
        absolute = relative = factor = np.nan
        if comparable:
            official, official_unit = value * conversion_factor(unit, report_unit), report_unit
            change = revision(float(figure["value"]), official).iloc[0]
            absolute, relative, factor = change["absolute"], change["relative"], change["factor"]
        rows.append(
            {
                "figure_id": fid,
                "entity_code": figure["entity_code"],
                "year": year,
                "measure": figure["measure"],
                "qualifier": figure["qualifier"],
                "report_value": float(figure["value"]),
                "report_unit": report_unit,
                "series": series,
                "vintage": tables[table_key].attrs.get("vintage", ""),
                "matches_report": matches,
                "concept": concept,
                "official_code": official_code,
                "official_value": official,
                "official_unit": official_unit,
                "absolute": absolute,
                "relative": relative,
                "factor": factor,
                "statement_holds": _holds(figure, official) if comparable else pd.NA,
            }
        )
    out = pd.DataFrame(rows, columns=_COLUMNS)
    out["statement_holds"] = out["statement_holds"].astype("boolean")
    return out
