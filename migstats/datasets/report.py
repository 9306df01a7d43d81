"""The report of the Seventh UN Coordination Meeting on International Migration (2008) as data.

Every quantitative statement of the report is one row of :func:`figures`,
in the unit the report states it in, with its hedge (``qualifier``), stated
range (``low``/``high``), reference period, speaker, section and a verbatim
quote. :func:`links` groups figures that belong together (revisions,
national vs OECD estimates, growth rates and their totals).
"""

from __future__ import annotations

import pandas as pd

from ..errors import UnknownFigureError, UnknownNameError
from . import TOPICS
from .schema import descriptor, licence_text, read_table

__all__ = [
    "TOPICS",
    "figures",
    "figure",
    "entities",
    "links",
    "remittances",
    "migrant_stocks",
    "oecd_flows",
    "sources",
]



def figures(topic: str | None = None) -> pd.DataFrame:
    """Every figure of the report as a long table.

    Parameters
    ----------
    topic : str, optional
        Keep only one topic (one of :data:`TOPICS`).

    Returns
    -------
    pandas.DataFrame
        One row per figure with columns ``id, topic, section, entity,
        entity_code, entity_type, measure, year_start, year_end, value, low,
        high, unit, qualifier, source, quote, note``. ``value`` is empty
        (NaN) for a stated range, whose ends are ``low`` and ``high``.
        ``attrs["sources"]`` names the source document (see :func:`sources`).

    Raises
    ------
    UnknownNameError
        If ``topic`` is not a known topic.
    ValidationError
        If the bundled data fails its schema (it should not).

    Examples
    --------
    >>> import migstats
    >>> migstats.figures("remittances").set_index("id").loc["rem_dev_2008", "value"]  # doctest: +SKIP
    283.0
    """
    table = read_table("report-figures")
    if topic is not None:
        if topic not in TOPICS:
            raise UnknownNameError(f"unknown topic {topic!r}; choose one of {', '.join(TOPICS)}")
        attrs = table.attrs
        table = table[table["topic"] == topic].reset_index(drop=True)
        table.attrs = attrs
    return table


def figure(figure_id: str) -> pd.Series:
    """One figure by id.

    Raises
    ------
    UnknownFigureError
        If no figure has that id.
    """
    table = figures().set_index("id", drop=False)
    if figure_id not in table.index:
        raise UnknownFigureError(f"no figure with id {figure_id!r} in the report table")
    return table.loc[figure_id]


def entities() -> pd.DataFrame:
    """Codes of the entities the figures refer to (ISO3 and documented aggregate codes)."""
    return read_table("report-entities")


def links() -> pd.DataFrame:
    """Groups of figures that belong together.

    Returns
    -------
    pandas.DataFrame
        Columns ``link_id, relation, figure_id, role, note``: e.g. the
        ``previous`` and ``revised`` 2008 estimates of a ``revision``, or the
        ``national``, ``oecd`` and ``stated_difference`` figures of a
        ``national_vs_oecd`` comparison.
    """
    return read_table("report-links")


def remittances() -> pd.DataFrame:
    """The remittance figures of the report (topic ``remittances``)."""
    return figures("remittances")


def migrant_stocks() -> pd.DataFrame:
    """The migrant stock figures of the report (topic ``migrant_stock``)."""
    return figures("migrant_stock")


def oecd_flows() -> pd.DataFrame:
    """National and OECD standardised immigrant inflow estimates side by side.

    One row per entity and year of each ``national_vs_oecd`` link: the
    national statistical office's figure, the OECD's standardised estimate,
    and the difference the report states (with its unit and hedge). Where
    the report gives only the statement (Canada and the United States "did
    not differ at all"), the counts stay empty: the report gives none.

    Returns
    -------
    pandas.DataFrame
        Columns ``entity, entity_code, year, national, oecd, unit,
        stated_difference, stated_difference_unit, stated_difference_qualifier,
        national_id, oecd_id, stated_difference_id, link_id``.
    """
    figs = figures()
    pairs = links()
    pairs = pairs[pairs["relation"] == "national_vs_oecd"][["link_id", "figure_id", "role"]]
    rows = pairs.merge(figs, left_on="figure_id", right_on="id", how="left")
    out = (
        rows.set_index(["link_id", "entity", "entity_code", "year_start", "role"])["figure_id"]
        .unstack("role")
        .reset_index()
        .rename(columns={"year_start": "year"})
    )
    by_id = figs.set_index("id")
    for role in ("national", "oecd", "stated_difference"):
        ids = out[role] if role in out else pd.Series(None, index=out.index, dtype=object)
        out[f"{role}_id"] = ids
        present = ids.notna()
        out[role] = by_id["value"].reindex(ids).to_numpy()
        if role == "stated_difference":
            out["stated_difference_unit"] = by_id["unit"].reindex(ids).to_numpy()
            out["stated_difference_qualifier"] = by_id["qualifier"].reindex(ids).to_numpy()
        elif role == "national":
            out["unit"] = by_id["unit"].reindex(ids).where(present.to_numpy()).to_numpy()
    cols = [
        "entity", "entity_code", "year", "national", "oecd", "unit", "stated_difference",
        "stated_difference_unit", "stated_difference_qualifier", "national_id", "oecd_id",
        "stated_difference_id", "link_id",
    ]
    order = pd.Index(pairs["link_id"].drop_duplicates())
    out = out.set_index("link_id").loc[order].reset_index()[cols]
    out.columns.name = None
    out["year"] = out["year"].astype("Int64")
    out.attrs = figs.attrs
    return out


def sources() -> pd.DataFrame:
    """The documents and publications migstats' bundled data come from.

    Returns
    -------
    pandas.DataFrame
        One row per source with ``id, title, publisher, year, citation,
        licence`` (and ``file``/``vintage`` where known), plus a ``resources``
        column naming the bundled tables drawn from it.
    """
    desc = descriptor()
    used: dict[str, list[str]] = {}
    for res in desc["resources"]:
        for sid in res.get("sources", []):
            used.setdefault(sid, []).append(res["name"])
    table = pd.DataFrame(desc.get("sources", []))
    table["licence"] = [licence_text(src) for src in desc.get("sources", [])]
    table = table.drop(columns="licenses")
    table["resources"] = [", ".join(used.get(sid, [])) for sid in table["id"]]
    return table
