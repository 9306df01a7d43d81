"""The report of the Seventh UN Coordination Meeting on International Migration (2008) as data.

Every quantitative statement of the report is one row of :func:`figures`,
in the unit the report states it in, with its hedge (``qualifier``), stated
range (``low``/``high``), reference period, speaker, section and a verbatim
quote. :func:`links` groups figures that belong together (revisions,
national vs OECD estimates, growth rates and their totals).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .._deprecation import changed_arguments, renamed_function
from ..errors import UnknownFigureError, UnknownNameError
from . import TOPICS
from ._paths import data_dir
from .schema import descriptor, licence_text, read_table, resource_descriptor

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
    "claims",
    "counterparts",
    "CLAIM_COLUMNS",
    "load_claims",
]

#: the columns of :func:`claims`
CLAIM_COLUMNS = ["claim_id", "description", "stated_figure", "inputs", "check", "params", "tolerance",
                 "tolerance_basis"]



@changed_arguments(positional=("topic",))
def figures(*, topic: str | None = None) -> pd.DataFrame:
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

    See Also
    --------
    figure : one figure by id.
    links : figures that belong together.

    Examples
    --------
    >>> import migstats
    >>> float(migstats.figures(topic="remittances").set_index("id").loc["rem_dev_2008", "value"])
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

    Parameters
    ----------
    figure_id : str
        The figure's ``id`` (see :func:`figures`).

    Returns
    -------
    pandas.Series
        The figure's row of :func:`figures`.

    Raises
    ------
    UnknownFigureError
        If no figure has that id.

    See Also
    --------
    figures : every figure.

    Examples
    --------
    >>> row = figure("rem_dev_2008")
    >>> float(row["value"]), row["unit"], row["qualifier"]
    (283.0, 'billion USD', 'exact')
    """
    table = figures().set_index("id", drop=False)
    if figure_id not in table.index:
        raise UnknownFigureError(f"no figure with id {figure_id!r} in the report table")
    return table.loc[figure_id]


def entities() -> pd.DataFrame:
    """Codes of the entities the figures refer to (ISO3 and documented aggregate codes).

    Returns
    -------
    pandas.DataFrame
        One row per entity code of the ``report-entities`` resource.

    See Also
    --------
    figures : the figures that use these codes.

    Examples
    --------
    >>> "LMY" in set(entities()["code"])
    True
    """
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

    See Also
    --------
    oecd_flows : the national_vs_oecd links as one table.

    Examples
    --------
    >>> sorted(links().query("relation == 'revision'")["role"].unique())
    ['previous', 'revised']
    """
    return read_table("report-links")


def remittances() -> pd.DataFrame:
    """The remittance figures of the report (topic ``remittances``).

    Returns
    -------
    pandas.DataFrame
        The rows of :func:`figures` with topic ``remittances``.

    See Also
    --------
    figures : every topic.

    Examples
    --------
    >>> set(remittances()["topic"])
    {'remittances'}
    """
    return figures(topic="remittances")


def migrant_stocks() -> pd.DataFrame:
    """The migrant stock figures of the report (topic ``migrant_stock``).

    Returns
    -------
    pandas.DataFrame
        The rows of :func:`figures` with topic ``migrant_stock``.

    See Also
    --------
    figures : every topic.

    Examples
    --------
    >>> set(migrant_stocks()["topic"])
    {'migrant_stock'}
    """
    return figures(topic="migrant_stock")


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

    See Also
    --------
    migstats.datasets.official.oecd_inflows : today's OECD series.

    Examples
    --------
    >>> jpn = oecd_flows().set_index("entity_code").loc["JPN"]
    >>> int(jpn["national"]), int(jpn["oecd"])
    (325600, 87600)
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

    See Also
    --------
    migstats.datasets.schema.descriptor : the full data package descriptor.

    Examples
    --------
    >>> "un-7cm-2008" in set(sources()["id"])
    True
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


def _with_path(table: pd.DataFrame, name: str, root) -> pd.DataFrame:
    """``table`` with the file it came from in ``attrs["path"]`` (for errors that name file and row)."""
    table.attrs["path"] = str(Path(root or data_dir()) / resource_descriptor(name, root=root)["path"])
    return table


def claims(*, root=None) -> pd.DataFrame:
    """The report's checkable claims, for :func:`migstats.audit`.

    One row per claim: the stated figure, the input figures by role, the
    named check that recomputes it, its parameters and its tolerance (see
    :mod:`migstats.analysis.audit` for the columns' grammar).

    Parameters
    ----------
    root : path, optional
        Folder holding ``datapackage.json`` and ``report/claims.csv``; the
        bundled data by default.

    Returns
    -------
    pandas.DataFrame
        The columns of :data:`CLAIM_COLUMNS`, typed by the schema of the
        ``report-claims`` resource (empty cells are None, ``tolerance`` a
        float, NaN when empty); ``attrs`` hold the resource metadata and the
        file's ``path``.

    Raises
    ------
    ValidationError
        If a column is missing, a claim id repeats, a check name is not in
        the schema's list or a tolerance is negative or not a number (naming
        file, row and column).

    See Also
    --------
    migstats.analysis.audit : recompute the claims from the figures.
    figures : the figures the claims refer to.

    Examples
    --------
    >>> table = claims()
    >>> list(table.columns) == CLAIM_COLUMNS, table["claim_id"].is_unique
    (True, True)
    """
    return _with_path(read_table("report-claims", root=root), "report-claims", root)


def counterparts(*, root=None) -> pd.DataFrame:
    """Which official series each report figure is compared with, for :func:`migstats.reconcile`.

    Parameters
    ----------
    root : path, optional
        Folder holding ``datapackage.json`` and ``report/counterparts.csv``;
        the bundled data by default.

    Returns
    -------
    pandas.DataFrame
        One row per figure and counterpart series: ``figure_id``,
        ``comparison`` (how the official value is formed: ``point``,
        ``sum_if_present``, ``knomad_developing``, ``share_of_world`` or
        ``context``), ``table`` (a key of
        :func:`migstats.datasets.official.official_tables`), ``code`` (the
        table's code, None for ``knomad_developing``), ``year``, ``series``
        (the cited series), ``matches_report`` (whether the series carries
        the report's concept) and ``concept``; ``attrs["path"]`` names the
        file.

    Raises
    ------
    ValidationError
        If the table breaks its schema (a missing or unknown column, an
        unknown comparison or table, a figure id the figure table lacks, a
        repeated figure and table), naming file, row and column.

    See Also
    --------
    migstats.analysis.reconcile : the comparison these rows drive.

    Examples
    --------
    >>> table = counterparts()
    >>> table.loc[table["figure_id"] == "rem_ind_2008", ["table", "code", "matches_report"]].values.tolist()
    [['knomad', 'IND', True], ['wdi_usd', 'IND', False]]
    """
    return _with_path(read_table("report-counterparts", root=root), "report-counterparts", root)


def _load_claims(root=None) -> pd.DataFrame:
    """The claims (former name; positional root)."""
    return claims(root=root)


load_claims = renamed_function(_load_claims, "load_claims", "migstats.datasets.report",
                               replacement="migstats.datasets.report.claims")
