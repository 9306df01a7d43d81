"""Build a composite index: every stage in order, every intermediate table kept."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import InputError
from . import stages as st
from ._arrays import rank_min
from .framework import Framework

__all__ = ["build", "CompositeResult", "unit_table", "STAGES"]

STAGES = ("Raw", "Denominated", "Imputed", "Screened", "Treated", "Normalised", "Aggregated")


@dataclass
class CompositeResult:
    """A built composite index.

    Attributes
    ----------
    stages : dict of str to DataFrame
        ``Raw``, ``Denominated``, ``Imputed``, ``Screened``, ``Treated``,
        ``Normalised``, ``Aggregated``: one row per unit (index ``code``), one
        column per indicator (and, in ``Aggregated``, per aggregate).
    treatment : DataFrame
        What the outlier treatment did to each indicator (see :func:`migstats.composite.treat`).
    framework : Framework
        The framework.
    weights : Series
        The weights used, by code (the framework's unless changed).
    choices : dict
        The choices of :func:`build`.
    names : Series
        Unit names by code (empty strings when the data had none).
    removed : list of str
        Units dropped by screening.
    """

    stages: dict
    treatment: pd.DataFrame
    framework: Framework
    weights: pd.Series
    choices: dict
    names: pd.Series
    removed: list = field(default_factory=list)

    def scores(self) -> pd.DataFrame:
        """The Aggregated table: every indicator score and aggregate score per unit.

        Returns
        -------
        DataFrame
            One row per unit.

        Examples
        --------
        >>> from migstats.composite.stages import _example
        >>> data, fw = _example()
        >>> build(data, fw, treat="none").scores().columns.tolist()
        ['a', 'b', 'idx']
        """
        return self.stages["Aggregated"].copy()

    def ranks(self) -> pd.DataFrame:
        """Rank of every unit in every aggregate (1 = highest score; ties share the best rank).

        Returns
        -------
        DataFrame
            One row per unit, one column per aggregate, index last; nullable integers.

        Examples
        --------
        >>> from migstats.composite.stages import _example
        >>> data, fw = _example()
        >>> build(data, fw, treat="none").ranks()["idx"].tolist()
        [4, 1, 3, 2]
        """
        agg = self.stages["Aggregated"][self.framework.aggregates]
        return pd.DataFrame(rank_min(agg.to_numpy(), descending=True), index=agg.index,
                            columns=agg.columns).astype("Int64")

    def results(self) -> pd.DataFrame:
        """One row per unit, best first: rank, index, every aggregate (top level down), every indicator score.

        Returns
        -------
        DataFrame
            code, name, rank (of the index; ties share the best rank), the index
            score, then the aggregates from the highest level down, then the
            normalised indicator scores.

        Examples
        --------
        >>> from migstats.composite.stages import _example
        >>> data, fw = _example()
        >>> build(data, fw, treat="none").results()[["code", "rank"]].values.tolist()
        [['BBB', 1], ['DDD', 2], ['CCC', 3], ['AAA', 4]]
        """
        fw = self.framework
        agg = self.stages["Aggregated"]
        order = sorted(fw.aggregates, key=lambda c: -fw.nodes[c].level)
        out = agg[order + fw.indicators].copy()
        out.insert(0, "rank", self.ranks()[fw.root])
        out.insert(0, "name", self.names.reindex(out.index).fillna("").to_numpy())
        out = out.reset_index()
        return out.sort_values(["rank", "code"], kind="stable", na_position="last").reset_index(drop=True)

    def to_long(self) -> pd.DataFrame:
        """Every stage as one long table.

        Returns
        -------
        DataFrame
            stage, code, variable, value.

        Examples
        --------
        >>> from migstats.composite.stages import _example
        >>> data, fw = _example()
        >>> build(data, fw, treat="none").to_long()["stage"].unique().tolist()[:2]
        ['Raw', 'Denominated']
        """
        parts = []
        for name, frame in self.stages.items():
            long = frame.rename_axis("code").reset_index().melt(id_vars="code", var_name="variable")
            parts.append(long.assign(stage=name))
        return pd.concat(parts, ignore_index=True)[["stage", "code", "variable", "value"]]


def unit_table(data: pd.DataFrame, framework: Framework) -> pd.DataFrame:
    """A table of units from wide or long input, indexed by unit code, checked.

    Wide input has one row per unit: a ``code`` (or COINr's ``uCode``) column or index, an
    optional ``name`` (``uName``), the indicator columns and any denominator or
    group columns. Long input has ``code``, ``indicator`` and ``value``
    columns; it is pivoted (its indicators may include denominators).

    Parameters
    ----------
    data : DataFrame
        The data.
    framework : Framework
        The framework whose indicators must all be present.

    Returns
    -------
    DataFrame
        One row per unit, index ``code``; a ``name`` column.

    Raises
    ------
    InputError
        No unit code column, a duplicated unit, an indicator of the framework
        missing from the data, an unknown indicator code in long input, a value
        that is not a finite number (names the indicator and the unit).
    MissingValueError
        An indicator with no value for any unit.

    Examples
    --------
    >>> from migstats.composite.stages import _example
    >>> data, fw = _example()
    >>> long = data.reset_index().melt(id_vars="code", var_name="indicator")
    >>> unit_table(long, fw).shape
    (4, 3)
    """
    if {"indicator", "value"} <= set(data.columns):
        if "code" not in data.columns:
            raise InputError("long data needs a 'code' column (the unit)")
        dup = data.duplicated(["code", "indicator"])
        if dup.any():
            row = data[dup].iloc[0]
            raise InputError(f"unit {row['code']!r} has more than one value of indicator {row['indicator']!r}")
        known = set(framework.indicators) | {n.denominator for n in framework.nodes.values() if n.denominator}
        unknown = sorted(set(data["indicator"]) - known)
        if unknown:
            unit = data.loc[data["indicator"] == unknown[0], "code"].iloc[0]
            raise InputError(f"unknown indicator code {unknown[0]!r} (unit {unit!r}); "
                             "it is neither an indicator nor a denominator of the framework")
        wide = data.pivot(index="code", columns="indicator", values="value")
        wide.columns.name = None
        if "name" in data.columns:
            wide.insert(0, "name", data.drop_duplicates("code").set_index("code")["name"].reindex(wide.index))
        data = wide.reset_index()
    if data.index.name in ("code", "uCode") and not {"code", "uCode"} & set(data.columns):
        data = data.reset_index()
    data = data.rename(columns={"uCode": "code", "uName": "name"})
    if "code" not in data.columns:
        raise InputError("the data need a 'code' column naming each unit (or COINr's 'uCode')")
    codes = data["code"]
    if codes.isna().any():
        raise InputError(f"row {int(np.flatnonzero(codes.isna())[0]) + 1} of the data has no unit code")
    dup = codes[codes.duplicated()]
    if len(dup):
        raise InputError(f"unit {dup.iloc[0]!r} appears more than once in the data")
    missing = [c for c in framework.indicators if c not in data.columns]
    if missing:
        raise InputError(f"indicator {missing[0]!r} of the framework is not in the data")
    table = data.set_index("code")
    table.index = table.index.astype(str)
    if "name" not in table.columns:
        table["name"] = ""
    st._check_values(table[framework.indicators])
    return table


def build(data: pd.DataFrame, framework: Framework, *, denominate: bool = True, impute: str = "none",
          impute_by: str | None = None, screen_threshold: float = 0.0, treat: str = "winsorise", winmax: int = 5,
          skew_threshold: float = 2.0, kurt_threshold: float = 3.5, log_transform: bool = True,
          normalise: str = "minmax", normalise_range: tuple = (0.0, 100.0), zscore_params: tuple = (0.0, 1.0),
          weights=None, aggregate: str = "arithmetic") -> CompositeResult:
    """Build a composite index stage by stage: denominate, impute, screen, treat, normalise, aggregate.

    The defaults are COINr's (1.1.14) defaults for each stage, except that
    migstats neither imputes nor screens unless asked (COINr's ``Impute``
    defaults to the overall mean once called; the example chain calls it with
    group means, ``impute="mean", impute_by="EurAsia_group"``, and screens at
    ``screen_threshold=0.9``).

    Parameters
    ----------
    data : DataFrame
        One row per unit (wide) or one row per unit and indicator (long); see
        :func:`unit_table`. Denominator and group columns ride along.
    framework : Framework
        Indicators, aggregates, weights, directions.
    denominate : bool
        Divide indicators by the denominators the framework names (see
        :func:`migstats.composite.denominate`).
    impute : {"none", "mean", "median"}
        Imputation of missing values (see :func:`migstats.composite.impute`).
    impute_by : str, optional
        A column of ``data`` grouping the units for imputation.
    screen_threshold : float
        Minimum share of indicators a unit must have (0 keeps every unit).
    treat : {"winsorise", "none"}
        Outlier treatment (see :func:`migstats.composite.treat`).
    winmax, skew_threshold, kurt_threshold, log_transform
        Its parameters (COINr defaults 5, 2, 3.5, log transform on).
    normalise : str
        Normalisation (see :func:`migstats.composite.normalise`); COINr default ``minmax``.
    normalise_range : (float, float)
        Bounds of ``minmax`` (COINr default 0, 100).
    zscore_params : (float, float)
        Mean and sd of ``zscore``.
    weights : None, "equal", "pca", Series or mapping
        See :func:`migstats.composite.aggregate`.
    aggregate : {"arithmetic", "geometric", "harmonic", "copeland"}
        Aggregation (COINr default: the weighted arithmetic mean).

    Returns
    -------
    CompositeResult
        ``.stages``, ``.treatment``, ``.results()``, ``.ranks()``.

    Raises
    ------
    InputError
        Bad data or choices (see :func:`unit_table` and each stage).

    See Also
    --------
    migstats.composite.uncertainty : how much the ranks depend on these choices.

    References
    ----------
    OECD and JRC (2008). Handbook on Constructing Composite Indicators. OECD, Paris.

    Examples
    --------
    >>> from migstats.composite.stages import _example
    >>> data, fw = _example()
    >>> res = build(data.reset_index(), fw, impute="mean")
    >>> list(res.stages)
    ['Raw', 'Denominated', 'Imputed', 'Screened', 'Treated', 'Normalised', 'Aggregated']
    >>> res.results()["code"].tolist()
    ['BBB', 'DDD', 'CCC', 'AAA']
    """
    if treat not in ("winsorise", "none"):
        from ..errors import UnknownNameError

        raise UnknownNameError(f"unknown treatment {treat!r}; use 'winsorise' or 'none'")
    table = unit_table(data, framework)
    raw = table[framework.indicators].astype(float)
    stages = {"Raw": raw}
    stages["Denominated"] = st.denominate(raw, framework, denominators=table) if denominate else raw.copy()
    groups = None
    if impute_by is not None:
        if impute_by not in table.columns:
            raise InputError(f"impute_by: the data have no column {impute_by!r}")
        groups = table[impute_by]
    stages["Imputed"] = st.impute(stages["Denominated"], method=impute, by=groups)
    stages["Screened"] = st.screen(stages["Imputed"], threshold=screen_threshold)
    if stages["Screened"].empty:
        raise InputError(f"no unit has at least {screen_threshold:.0%} of the indicators")
    if treat == "winsorise":
        stages["Treated"], treatment = st.treat(stages["Screened"], winmax=winmax, skew_threshold=skew_threshold,
                                                kurt_threshold=kurt_threshold, log_transform=log_transform)
    else:
        stages["Treated"], treatment = stages["Screened"].copy(), pd.DataFrame(index=pd.Index([], name="code"))
    stages["Normalised"] = st.normalise(stages["Treated"], framework, method=normalise,
                                        normalise_range=normalise_range, zscore_params=zscore_params)
    stages["Aggregated"] = st.aggregate(stages["Normalised"], framework, method=aggregate, weights=weights)
    choices = dict(denominate=denominate, impute=impute, impute_by=impute_by, screen_threshold=screen_threshold,
                   treat=treat, winmax=winmax, skew_threshold=skew_threshold, kurt_threshold=kurt_threshold,
                   log_transform=log_transform, normalise=normalise, normalise_range=tuple(normalise_range),
                   zscore_params=tuple(zscore_params), weights=weights, aggregate=aggregate)
    return CompositeResult(
        stages=stages, treatment=treatment, framework=framework,
        weights=stages["Aggregated"].attrs.pop("weights"), choices=choices, names=table["name"].astype(str),
        removed=[c for c in raw.index if c not in stages["Screened"].index])
