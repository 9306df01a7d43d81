"""The stages of a composite index, each a pure function from a table to a table.

Every stage takes a wide table (one row per unit, indexed by its code; one
column per indicator) and returns a new one; nothing is changed in place.
:func:`migstats.composite.build` chains them and keeps every intermediate
table. The rules are those of COINr 1.1.14 (Becker et al. 2022), itself the
pipeline of the OECD/JRC *Handbook on Constructing Composite Indicators*
(2008); where migstats departs from COINr the docstring says so.

References
----------
OECD and JRC (2008). *Handbook on Constructing Composite Indicators:
Methodology and User Guide*. OECD Publishing, Paris.

Becker, W., Caperna, G., Del Sorbo, M., Norlen, H., Papadimitriou, E. and
Saisana, M. (2022). COINr: An R package for developing composite indicators.
*Journal of Open Source Software* 7(78), 4567.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import InputError, MissingValueError, UnknownNameError, ZeroBaseError
from . import _arrays
from .framework import Framework

__all__ = ["denominate", "impute", "screen", "treat", "normalise", "aggregate", "equal_weights", "pca_weights",
           "reweight", "IMPUTATIONS", "NORMALISATIONS", "AGGREGATIONS"]

IMPUTATIONS = ("none", "mean", "median")
NORMALISATIONS = _arrays.NORMALISATIONS
AGGREGATIONS = _arrays.AGGREGATIONS


def _example():
    data = pd.DataFrame({"a": [1.0, 2.0, np.nan, 4.0], "b": [10.0, 0.0, 5.0, 5.0]},
                        index=pd.Index(["AAA", "BBB", "CCC", "DDD"], name="code"))
    spec = pd.DataFrame({"code": ["a", "b", "idx"], "role": ["indicator", "indicator", "aggregate"],
                         "parent": ["idx", "idx", None], "direction": [1, -1, 1], "weight": [1, 3, 1]})
    return data, Framework.from_frame(spec)


def denominate(data: pd.DataFrame, framework: Framework, *, denominators: pd.DataFrame) -> pd.DataFrame:
    """Divide each indicator that has a denominator by it: ``x / d`` (base: the denominator of the same unit).

    Parameters
    ----------
    data : DataFrame
        Indicators, one row per unit (index: unit code).
    framework : Framework
        Names the denominator of each indicator (none: left as it is).
    denominators : DataFrame
        The denominator columns, same index as ``data``.

    Returns
    -------
    DataFrame
        ``data`` with the denominated indicators replaced.

    Raises
    ------
    InputError
        A denominator that is not a column of ``denominators``.
    ZeroBaseError
        A denominator of zero (names the unit and the indicator). A missing
        denominator gives a missing value, as in COINr.

    See Also
    --------
    migstats.composite.build

    Examples
    --------
    >>> data, fw = _example()
    >>> denominate(data, fw, denominators=pd.DataFrame(index=data.index)).equals(data)
    True
    """
    out = data.copy()
    for code in framework.indicators:
        den = framework.nodes[code].denominator
        if den is None:
            continue
        if den not in denominators.columns:
            raise InputError(f"the denominator {den!r} of indicator {code!r} is not a column of the data")
        d = denominators[den].astype(float)
        zero = d.index[(d == 0).to_numpy()]
        if len(zero):
            raise ZeroBaseError(f"indicator {code!r} of unit {zero[0]!r}: its denominator {den!r} is zero")
        out[code] = data[code] / d
    return out


def impute(data: pd.DataFrame, *, method: str = "mean", by: pd.Series | None = None) -> pd.DataFrame:
    """Fill missing values of each indicator with its mean or median, overall or within groups of units.

    Parameters
    ----------
    data : DataFrame
        Indicators, one row per unit.
    method : {"mean", "median", "none"}
        The statistic of the indicator's observed values (COINr ``i_mean``,
        ``i_median``, or their ``_grp`` variants when ``by`` is given).
    by : Series, optional
        The group of each unit (same index as ``data``); a unit whose group is
        missing is left as it is (COINr's ``skip_f_na``). A group where the
        indicator has no value stays missing.

    Returns
    -------
    DataFrame
        The imputed table.

    Raises
    ------
    UnknownNameError
        An unknown method.

    Examples
    --------
    >>> data, _ = _example()
    >>> impute(data)["a"].tolist()
    [1.0, 2.0, 2.3333333333333335, 4.0]
    """
    if method not in IMPUTATIONS:
        raise UnknownNameError(f"unknown imputation {method!r}; choose from {', '.join(IMPUTATIONS)}")
    if method == "none":
        return data.copy()
    if by is None:
        return data.fillna(data.agg(method))
    groups = by.reindex(data.index)
    filled = data.groupby(groups, dropna=True).transform(method)
    return data.fillna(filled.reindex(data.index))


def screen(data: pd.DataFrame, *, threshold: float = 2 / 3) -> pd.DataFrame:
    """Keep the units with enough data: a share of observed indicators of at least ``threshold``.

    Parameters
    ----------
    data : DataFrame
        Indicators, one row per unit.
    threshold : float
        Minimum data availability, a fraction of the indicators (base: all
        indicators of the table). COINr's default is 2/3; its example uses 0.9.

    Returns
    -------
    DataFrame
        The rows that pass, in their order.

    Raises
    ------
    InputError
        A threshold outside [0, 1].

    Examples
    --------
    >>> data, _ = _example()
    >>> screen(data, threshold=1).index.tolist()
    ['AAA', 'BBB', 'DDD']
    """
    if not 0 <= threshold <= 1:
        raise InputError(f"screening threshold must be between 0 and 1, not {threshold}")
    availability = data.notna().mean(axis=1)
    return data[availability >= threshold].copy()


def treat(data: pd.DataFrame, *, winmax: int = 5, skew_threshold: float = 2.0, kurt_threshold: float = 3.5,
          log_transform: bool = True) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Treat outliers as COINr does by default: winsorise, then log-transform if that is not enough.

    An indicator fails when |skew| >= ``skew_threshold`` and excess kurtosis
    >= ``kurt_threshold`` (skew and kurtosis are e1071's type 2 sample
    statistics, as in COINr). A failing indicator is winsorised one extreme at
    a time, on the side of the sign of its current skew (the maximum, replaced
    by the largest remaining value, when skew >= 0; else the minimum), every
    point tied at the extreme at once, until it passes or ``winmax`` points
    are winsorised. If it still fails and ``log_transform`` is true, the original
    (untreated) values are replaced by ``ln(x - min + 0.01 (max - min))``
    (COINr's ``log_CT``), whether or not that passes.

    Parameters
    ----------
    data : DataFrame
        Indicators, one row per unit.
    winmax : int
        Most points winsorised per indicator (COINr default 5).
    skew_threshold, kurt_threshold : float
        The thresholds (COINr defaults 2 and 3.5).
    log_transform : bool
        Log-transform what winsorising could not fix.

    Returns
    -------
    treated : DataFrame
        The treated table.
    record : DataFrame
        One row per indicator: ``pass_before``, ``skew_before``,
        ``kurt_before``; ``n_winsorised`` (NaN when not tried),
        ``winsorised_high``, ``winsorised_low``; ``pass_winsorised``,
        ``skew_winsorised``, ``kurt_winsorised``; ``log_transformed``,
        ``pass_log``, ``skew_log``, ``kurt_log``. A ``pass`` is missing
        when the statistics cannot settle it (fewer than 4 values, or constant).

    References
    ----------
    OECD and JRC (2008), Handbook on Constructing Composite Indicators, step 3.

    Examples
    --------
    >>> x = pd.DataFrame({"v": [1.0, 2, 3, 4, 5, 6, 7, 8, 9, 100]})
    >>> treated, record = treat(x)
    >>> float(treated["v"].max()), int(record.loc["v", "n_winsorised"])
    (9.0, 1)
    """
    out = data.copy()
    records = {}
    for code in data.columns:
        values, rec = _arrays.treat_column(data[code].to_numpy(dtype=float), winmax, skew_threshold,
                                           kurt_threshold, log_transform)
        out[code] = values
        records[code] = rec
    record = pd.DataFrame.from_dict(records, orient="index")
    record.index.name = "code"
    for col in ("pass_before", "pass_winsorised", "pass_log"):
        record[col] = record[col].astype("boolean")
    return out, record


def normalise(data: pd.DataFrame, framework: Framework, *, method: str = "minmax",
              normalise_range: tuple = (0.0, 100.0), zscore_params: tuple = (0.0, 1.0)) -> pd.DataFrame:
    """Bring every indicator to a common scale, after multiplying it by its direction.

    With ``x`` the indicator times its direction (so higher is always better):

    - ``minmax``: (x - min) / (max - min) * (u - l) + l, with (l, u) = ``normalise_range``;
    - ``zscore``: (x - mean) / sd * s + m (sample sd), with (m, s) = ``zscore_params``;
    - ``rank``: rank, 1 for the lowest, ties given the lowest rank;
    - ``prank``: percentile rank (rank - 1) / (n - 1), n the units with a value;
    - ``dist2max``: 1 - (max - x) / (max - min);
    - ``dist2target``: (x - min) / (t - min), t the indicator's ``target`` times its direction;
    - ``goalposts``: (x - lower) / (upper - lower), or (upper - x) / (upper - lower)
      for direction -1, truncated to [0, 1] and multiplied by the ``scale`` of the
      indicator's goalposts;
    - ``none``: x.

    Parameters
    ----------
    data : DataFrame
        Indicators, one row per unit.
    framework : Framework
        Directions, targets and goalposts.
    method : str
        One of the above (COINr ``n_minmax``, ``n_zscore``, ``n_rank``, ``n_prank``,
        ``n_dist2max``, ``n_dist2targ``, ``n_goalposts``).
    normalise_range : (float, float)
        Lower and upper bound of ``minmax`` (COINr default 0, 100).
    zscore_params : (float, float)
        Mean and standard deviation of ``zscore``.

    Returns
    -------
    DataFrame
        The normalised table. An indicator of zero range gives NaN under
        ``minmax``, ``dist2max`` and ``zscore``, as in COINr, with a
        :class:`~migstats.errors.MigstatsWarning` naming it.

    Raises
    ------
    UnknownNameError
        An unknown method.
    InputError
        ``dist2target`` or ``goalposts`` for an indicator without a target or goalposts.

    Examples
    --------
    >>> data, fw = _example()
    >>> normalise(data, fw)["b"].tolist()
    [0.0, 100.0, 50.0, 50.0]
    """
    codes = list(data.columns)
    nodes = framework.nodes
    directions = np.array([nodes[c].direction for c in codes], dtype=float)
    targets = goalposts = None
    if method == "dist2target":
        missing = [c for c in codes if nodes[c].target is None]
        if missing:
            raise InputError(f"dist2target normalisation needs a target for indicator {missing[0]!r}")
        targets = np.array([nodes[c].target for c in codes])
    if method == "goalposts":
        missing = [c for c in codes if nodes[c].goalposts is None]
        if missing:
            raise InputError(f"goalposts normalisation needs goalposts for indicator {missing[0]!r}")
        goalposts = np.array([nodes[c].goalposts for c in codes]).T
    x = data.to_numpy(dtype=float)
    if method in ("minmax", "dist2max", "zscore"):
        with np.errstate(invalid="ignore"):
            flat = [c for c, lo, hi in zip(codes, np.nanmin(x, axis=0), np.nanmax(x, axis=0)) if lo == hi]
        if flat:
            import warnings

            from ..errors import MigstatsWarning

            warnings.warn(f"{method} normalisation: {', '.join(map(repr, flat))} take(s) one value for every unit; "
                          "their normalised scores are undefined (NaN), as in COINr", MigstatsWarning,
                          stacklevel=_caller_level())
    values = _arrays.normalise_array(x, directions, method, lower_upper=normalise_range,
                                     mean_sd=zscore_params, targets=targets, goalposts=goalposts)
    return pd.DataFrame(values, index=data.index, columns=codes)


def equal_weights(framework: Framework) -> pd.Series:
    """Weight 1 for every node: equal weights within every aggregate.

    Parameters
    ----------
    framework : Framework
        The framework.

    Returns
    -------
    Series
        Weight by code.

    Examples
    --------
    >>> _, fw = _example()
    >>> equal_weights(fw).tolist()
    [1.0, 1.0, 1.0]
    """
    return pd.Series(1.0, index=framework.weights().index, name="weight")


def reweight(weights: pd.Series, framework: Framework, *, level: int, values) -> pd.Series:
    """Replace the weights of the nodes of one level.

    Parameters
    ----------
    weights : Series
        Current weights by code (e.g. ``framework.weights()``).
    framework : Framework
        The framework.
    level : int
        The level (1: indicators).
    values : float or mapping
        One weight for every node of the level, or a weight per code (codes not
        named keep theirs).

    Returns
    -------
    Series
        The new weights.

    Raises
    ------
    InputError
        A code that is not at that level, or a weight that is not finite and non-negative.

    Examples
    --------
    >>> _, fw = _example()
    >>> reweight(fw.weights(), fw, level=1, values={"b": 1}).tolist()
    [1.0, 1.0, 1.0]
    """
    codes = framework.level_codes(level)
    if not codes:
        raise InputError(f"the framework has no level {level}")
    new = weights.copy().astype(float)
    items = values.items() if hasattr(values, "items") else ((c, values) for c in codes)
    for code, value in items:
        if code not in codes:
            raise InputError(f"{code!r} is not a node of level {level}")
        if not np.isfinite(value) or value < 0:
            raise InputError(f"weight of {code!r} must be a finite non-negative number, not {value!r}")
        new[code] = float(value)
    return new


def pca_weights(data: pd.DataFrame, framework: Framework, *, aggregate: str) -> pd.Series:
    """Weights of the children of one aggregate from the first principal component of their values.

    The weights are the absolute loadings of the first principal component of
    the children's correlation matrix (units with a missing child left out),
    rescaled to sum to 1.

    Parameters
    ----------
    data : DataFrame
        Scores of the children of ``aggregate``, one row per unit.
    framework : Framework
        The framework.
    aggregate : str
        The aggregate.

    Returns
    -------
    Series
        Weight by child code.

    Raises
    ------
    InputError
        Fewer than two complete units.

    References
    ----------
    OECD and JRC (2008), Handbook on Constructing Composite Indicators, section 6.1.

    Examples
    --------
    >>> data, fw = _example()
    >>> pca_weights(data, fw, aggregate="idx").round(3).tolist()
    [0.5, 0.5]
    """
    from .analysis import pca

    kids = framework.children(aggregate)
    loadings = pca(data[kids], n_components=1)[0]["PC1"].abs()
    if not np.isfinite(loadings).all() or loadings.sum() == 0:
        raise InputError(f"no principal component for the children of {aggregate!r}")
    return loadings / loadings.sum()


def aggregate(data: pd.DataFrame, framework: Framework, *, method: str = "arithmetic",
              weights=None) -> pd.DataFrame:
    """Aggregate level by level up to the index: each aggregate a weighted mean of its children.

    Weights are taken within each aggregate and rescaled to sum to 1 over the
    children a unit has a value for (COINr's ``a_amean``); a unit without any
    value gets no score.

    - ``arithmetic``: sum(w x) / sum(w);
    - ``geometric``: exp(sum(w ln x) / sum(w)), all x > 0;
    - ``harmonic``: sum(w) / sum(w / x), all x > 0 (COINr only refuses zeros;
      migstats also refuses negative values, for which it is not a mean);
    - ``copeland``: each unit's number of pairwise wins minus losses, a unit
      winning a pair when it is ahead on more than half of the weight (COINr's
      ``a_copeland``).

    Parameters
    ----------
    data : DataFrame
        Normalised indicators, one row per unit.
    framework : Framework
        The hierarchy.
    method : str
        One of the above.
    weights : None, "equal", "pca", Series or mapping
        ``None``: the framework's; ``"equal"``; ``"pca"`` (see
        :func:`pca_weights`, computed level by level on the scores below);
        or a weight per code (codes not named keep the framework's).

    Returns
    -------
    DataFrame
        The indicators followed by every aggregate, lowest level first, the index
        last; ``attrs["weights"]`` holds the weight of every node as used.

    Raises
    ------
    InputError
        Geometric or harmonic aggregation meeting a value that is not above zero
        (names the aggregate, the indicator and the unit), or a weight that is
        not finite and non-negative.
    UnknownNameError
        An unknown method.

    Examples
    --------
    >>> data, fw = _example()
    >>> aggregate(normalise(data, fw), fw)["idx"].round(4).tolist()
    [0.0, 83.3333, 50.0, 62.5]
    """
    if method not in AGGREGATIONS:
        raise UnknownNameError(f"unknown aggregation {method!r}; choose from {', '.join(AGGREGATIONS)}")
    w = _resolve_weights(framework, weights)
    out = data[framework.indicators].copy()
    units = list(out.index)
    for agg in framework.aggregates:
        kids = framework.children(agg)
        x = out[kids].to_numpy(dtype=float)
        _arrays.check_positive(x, method, agg, units, kids)
        if isinstance(weights, str) and weights == "pca":
            w[kids] = pca_weights(out, framework, aggregate=agg)
        out[agg] = _arrays.aggregate_columns(x, w[kids].to_numpy(), method)
    out.attrs["weights"] = w
    return out


def _resolve_weights(framework: Framework, weights) -> pd.Series:
    """The weight of every node for a ``weights`` choice (PCA weights are resolved during aggregation)."""
    if weights is None or (isinstance(weights, str) and weights in ("given", "pca")):
        return framework.weights()
    if isinstance(weights, str):
        if weights == "equal":
            return equal_weights(framework)
        raise UnknownNameError(f"unknown weights {weights!r}; use 'given', 'equal', 'pca' or a weight per code")
    out = framework.weights()
    for code, value in dict(weights).items():
        if code not in out.index:
            raise InputError(f"weight given for {code!r}, which is not in the framework")
        if not np.isfinite(value) or value < 0:
            raise InputError(f"weight of {code!r} must be a finite non-negative number, not {value!r}")
        out[code] = float(value)
    return out


def _caller_level() -> int:
    """The ``stacklevel`` of the first frame outside migstats, seen from the function that warns."""
    import sys

    frame, level = sys._getframe(2), 2
    while frame is not None and frame.f_globals.get("__name__", "").startswith("migstats."):
        frame, level = frame.f_back, level + 1
    return level


def _check_values(data: pd.DataFrame) -> None:
    """Raise unless every value is a number, finite or missing, and no indicator is missing for every unit."""
    for code in data.columns:
        col = data[code]
        numeric = pd.to_numeric(col, errors="coerce")
        bad = numeric.isna() & col.notna()
        if bad.any():
            unit = col.index[bad.to_numpy()][0]
            raise InputError(f"indicator {code!r} of unit {unit!r}: {col[unit]!r} is not a number")
        inf = np.isinf(numeric.to_numpy(dtype=float))
        if inf.any():
            raise InputError(f"indicator {code!r} of unit {col.index[inf][0]!r} is infinite")
        if numeric.isna().all():
            raise MissingValueError(f"indicator {code!r} has no value for any unit")
