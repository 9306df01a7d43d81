"""The report's figures set beside today's official series.

Which series each figure is compared with is data: the ``report-counterparts``
resource (``data/report/counterparts.csv``, loaded by
:func:`migstats.datasets.report.counterparts`). Each report figure with an
official counterpart gets one row per counterpart series: same entity, year and concept where the bundled snapshot has it, and
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

from .._deprecation import bundled_when_missing, moved_names
from ..errors import InputError, MissingValueError, UnknownFigureError
from ..units import conversion_factor
from .intervals import STRICT_HIGH, STRICT_LOW, as_intervals, rounding_interval
from .revision import revision

__all__ = ["reconcile", "RECONCILE_COLUMNS"]

_DEVELOPING = ("Low income", "Lower middle income", "Upper middle income")
_WORLD = "900"  # the M49 code of the World, as the UN DESA tables write it in ``code``

#: the columns of :func:`reconcile`
RECONCILE_COLUMNS = [
    "figure_id", "entity_code", "year", "measure", "qualifier", "report_value", "report_unit",
    "series", "vintage", "matches_report", "concept", "official_code", "official_value", "official_unit",
    "absolute", "relative", "factor", "statement_holds", "statement_holds_note",
]


def _point(table: pd.DataFrame, key: str, year: int, what: str) -> tuple[float, str]:
    hit = table[(table["code"] == key) & (table["year"] == year)]
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
    raise InputError(f"unknown comparison {kind!r}")


def _stated_decimals(value: float) -> int:
    """Decimal places a figure is stated to: 7.5 -> 1, 283 -> 0, 325600 -> -2."""
    text = f"{value:.10g}"
    if "." in text:
        return len(text.split(".")[1])
    digits = text.lstrip("-")
    return -(len(digits) - len(digits.rstrip("0"))) if digits.strip("0") else 0


def _holds(figure: pd.Series, official: float) -> bool:
    """Whether ``official`` (in the figure's unit) satisfies the statement of ``figure``, a row of
    :func:`~.intervals.as_intervals` (so it carries the interval its hedge allows)."""
    if figure["kind"] == "point":
        low, high = rounding_interval(figure["value"], decimals=_stated_decimals(figure["value"]))
        return bool(low <= official <= high)
    qualifier = figure["qualifier"]
    above = official > figure["low"] or (official == figure["low"] and qualifier not in STRICT_LOW)
    below = official < figure["high"] or (official == figure["high"] and qualifier not in STRICT_HIGH)
    return bool(above and below)


@bundled_when_missing("migstats.reconcile", figures="migstats.datasets.report:figures",
                      tables="migstats.datasets.official:official_tables",
                      counterparts="migstats.datasets.report:counterparts")
def reconcile(figures: pd.DataFrame, tables: dict[str, pd.DataFrame], counterparts: pd.DataFrame) -> pd.DataFrame:
    """Report figures beside their official counterparts, with the revision since the report.

    Parameters
    ----------
    figures : pandas.DataFrame
        The report figure table (columns id, entity_code, measure,
        year_start, value, unit, qualifier, ...), as
        :func:`migstats.datasets.report.figures` gives it.
    tables : dict of str to pandas.DataFrame
        The official tables by key, as
        :func:`migstats.datasets.official.official_tables` gives them.
    counterparts : pandas.DataFrame
        Which series each figure is compared with, as
        :func:`migstats.datasets.report.counterparts` gives them.

    Returns
    -------
    pandas.DataFrame
        One row per row of ``counterparts``, in that order (the columns of
        :data:`RECONCILE_COLUMNS`): ``figure_id, entity_code, year, measure,
        qualifier, report_value, report_unit, series, vintage,
        matches_report, concept, official_code, official_value,
        official_unit`` (the report's unit when the two are comparable;
        ``report_value`` is the midpoint of a stated range),
        ``absolute`` (official - report), ``relative`` ((official - report)
        / report, base: the report's figure), ``factor`` (official /
        report), ``statement_holds`` and ``statement_holds_note``.
        ``statement_holds`` is a pandas nullable ``boolean``: True or False
        where the official value can test the statement, ``<NA>`` where it
        cannot, and the note says which and why. Rows without a comparable
        official value have NaN revisions and ``<NA>``: where the snapshot
        has no counterpart (official_value NaN) and the context rows for
        Canada and the United States (today's national inflow in persons
        beside a stated 0 per cent difference).

    Raises
    ------
    UnknownFigureError
        If a figure of ``counterparts`` is not in ``figures``.
    MissingValueError
        If an official table lacks a value a counterpart needs.

    See Also
    --------
    migstats.reconcile : the same on the bundled data.
    revision : the absolute and relative revision of each pair.

    Examples
    --------
    >>> from migstats.datasets.official import official_tables
    >>> from migstats.datasets.report import counterparts, figures
    >>> out = reconcile(figures(), official_tables(), counterparts()).set_index(["figure_id", "series"])
    >>> row = out.loc["rem_egy_2008_revised"].iloc[0]
    >>> float(row["report_value"]), bool(row["statement_holds"]), row["statement_holds_note"]
    (7.5, False, "today's value does not satisfy the statement read with its hedge")
    """
    # a stated range has no value of its own: its midpoint is the base of the revisions
    by_id = as_intervals(figures).set_index("id")
    rows = []
    for cp in counterparts.to_dict("records"):
        fid, kind, table_key, year = cp["figure_id"], cp["comparison"], cp["table"], int(cp["year"])
        if fid not in by_id.index:
            raise UnknownFigureError(f"report figure {fid!r} is not in the figure table")
        if table_key not in tables:
            raise InputError(f"no official table {table_key!r} among the tables given ({', '.join(tables)})")
        figure = by_id.loc[fid]
        value, unit, official_code = _counterpart(kind, tables, table_key, cp["code"], year, cp["series"])
        report_unit = str(figure["unit"])
        comparable = not np.isnan(value) and kind != "context"
        official, official_unit = value, unit
        absolute = relative = factor = np.nan
        holds, note = pd.NA, ("no official value in the tables" if np.isnan(value) else
                              "context only: the official value does not measure what the statement says")
        if comparable:
            official, official_unit = value * conversion_factor(unit, report_unit), report_unit
            change = revision(figure["value"], official).iloc[0]
            absolute, relative, factor = change["absolute"], change["relative"], change["factor"]
            holds = _holds(figure, official)
            note = ("today's value satisfies the statement read with its hedge" if holds else
                    "today's value does not satisfy the statement read with its hedge")
        rows.append(
            {
                "figure_id": fid,
                "entity_code": figure["entity_code"],
                "year": year,
                "measure": figure["measure"],
                "qualifier": figure["qualifier"],
                "report_value": figure["value"],
                "report_unit": report_unit,
                "series": cp["series"],
                "vintage": tables[table_key].attrs.get("vintage", ""),
                "matches_report": bool(cp["matches_report"]),
                "concept": cp["concept"],
                "official_code": official_code,
                "official_value": official,
                "official_unit": official_unit,
                "absolute": absolute,
                "relative": relative,
                "factor": factor,
                "statement_holds": holds,
                "statement_holds_note": note,
            }
        )
    out = pd.DataFrame(rows, columns=RECONCILE_COLUMNS)
    out["statement_holds"] = out["statement_holds"].astype("boolean")
    return out


def _former_counterparts() -> list[tuple]:
    """The counterpart table in its former shape: tuples, M49 region codes as int."""
    from ..datasets.report import counterparts

    return [(r["figure_id"], r["comparison"], r["table"], int(r["code"]) if str(r["code"]).isdigit() else r["code"],
             int(r["year"]), r["series"], bool(r["matches_report"]), r["concept"])
            for r in counterparts().to_dict("records")]


def _official_tables():
    from ..datasets.official import official_tables

    return official_tables


__getattr__ = moved_names(__name__, {
    "COUNTERPARTS": ("migstats.datasets.report.counterparts() (data/report/counterparts.csv)", _former_counterparts),
    "official_tables": ("migstats.datasets.official.official_tables", _official_tables),
})
