"""Multivariate checks of a composite index: correlations, Cronbach's alpha, principal components."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import InputError

__all__ = ["correlations", "cronbach_alpha", "pca", "contributions"]


def correlations(result, *, level: int = 1, against: int | None = None, method: str = "pearson") -> pd.DataFrame:
    """Correlations between the scores of one level, or between two levels.

    Parameters
    ----------
    result : CompositeResult
        A built index (its Aggregated table is used).
    level : int
        The level of the rows (1: indicators).
    against : int, optional
        The level of the columns (default: ``level`` itself).
    method : {"pearson", "spearman", "kendall"}
        As in :meth:`pandas.DataFrame.corr` (pairwise complete units).

    Returns
    -------
    DataFrame
        Codes of ``level`` by codes of ``against``.

    Examples
    --------
    >>> from migstats.composite import build
    >>> from migstats.composite.stages import _example
    >>> data, fw = _example()
    >>> correlations(build(data, fw, treat="none"), level=1, against=2).round(3)
         idx
    a  0.577
    b  0.961
    """
    fw = result.framework
    scores = result.stages["Aggregated"]
    rows = fw.level_codes(level)
    cols = fw.level_codes(level if against is None else against)
    if not rows or not cols:
        raise InputError(f"the framework has {fw.depth} levels; no level {against if rows else level}")
    corr = scores[list(dict.fromkeys(rows + cols))].corr(method=method)
    return corr.loc[rows, cols]


def cronbach_alpha(result) -> pd.Series:
    """Cronbach's alpha of the children of every aggregate.

    alpha = k / (k - 1) * (1 - sum of the children's variances / variance of
    their sum), over units with every child present (sample variances).

    Parameters
    ----------
    result : CompositeResult
        A built index (normalised children scores are used).

    Returns
    -------
    Series
        Alpha by aggregate code (NaN for an aggregate with one child).

    References
    ----------
    Cronbach, L. J. (1951). Coefficient alpha and the internal structure of
    tests. *Psychometrika* 16(3), 297-334.

    Examples
    --------
    >>> from migstats.composite import build
    >>> from migstats.composite.stages import _example
    >>> data, fw = _example()
    >>> round(float(cronbach_alpha(build(data, fw, treat="none"))["idx"]), 4)
    0.4932
    """
    fw = result.framework
    scores = result.stages["Aggregated"]
    out = {}
    for agg in fw.aggregates:
        x = scores[fw.children(agg)].dropna().to_numpy()
        k = x.shape[1]
        if k < 2 or x.shape[0] < 2:
            out[agg] = np.nan
            continue
        total = x.sum(axis=1).var(ddof=1)
        out[agg] = k / (k - 1) * (1 - x.var(axis=0, ddof=1).sum() / total) if total > 0 else np.nan
    return pd.Series(out, name="alpha", dtype=float)


def pca(data: pd.DataFrame, *, n_components: int | None = None) -> tuple[pd.DataFrame, pd.Series]:
    """Principal components of the columns of a table (its correlation matrix).

    Units with a missing value are left out. Each component's sign is fixed so
    that its loadings sum to a non-negative number (a sign is otherwise arbitrary).

    Parameters
    ----------
    data : DataFrame
        One row per unit, one column per variable (e.g. ``result.stages["Normalised"]``
        or the scores of one level).
    n_components : int, optional
        How many components to keep (default: all).

    Returns
    -------
    loadings : DataFrame
        Variables by components ``PC1``, ``PC2``, ...: the eigenvectors of the
        correlation matrix (unit length).
    explained : Series
        Share of the total variance explained by each component (fractions; base:
        the number of variables, the trace of the correlation matrix).

    Raises
    ------
    InputError
        Fewer than two complete units, or a column without variance.

    Examples
    --------
    >>> import pandas as pd
    >>> x = pd.DataFrame({"a": [1.0, 2, 3, 4], "b": [2.0, 4, 6, 8.5]})
    >>> loadings, explained = pca(x)
    >>> round(float(explained["PC1"]), 4)
    0.9992
    """
    x = data.dropna().to_numpy(dtype=float)
    if x.shape[0] < 2:
        raise InputError("PCA needs at least two units with every variable present")
    sd = x.std(axis=0, ddof=1)
    if (sd == 0).any():
        raise InputError(f"PCA: {data.columns[np.argmax(sd == 0)]!r} has no variance")
    corr = np.corrcoef(x, rowvar=False)
    values, vectors = np.linalg.eigh(corr)
    order = np.argsort(values)[::-1]
    values, vectors = values[order], vectors[:, order]
    vectors = vectors * np.where(vectors.sum(axis=0) < 0, -1.0, 1.0)
    k = vectors.shape[1] if n_components is None else n_components
    names = [f"PC{i + 1}" for i in range(k)]
    loadings = pd.DataFrame(vectors[:, :k], index=data.columns, columns=names)
    explained = pd.Series(values[:k] / values.sum(), index=names, name="explained")
    return loadings, explained


def contributions(result) -> pd.DataFrame:
    """How many points of each unit's index score every indicator contributes (arithmetic aggregation).

    The contribution of an indicator is its normalised score times the product
    of the rescaled weights on its path to the index (each weight divided by
    the sum of the weights of the siblings the unit has a value for, as in
    the aggregation), so a unit's contributions add up to its index score.

    Parameters
    ----------
    result : CompositeResult
        An index built with ``aggregate="arithmetic"``.

    Returns
    -------
    DataFrame
        One row per unit, one column per indicator (NaN where the unit has no value).

    Raises
    ------
    InputError
        An index aggregated otherwise, whose score does not split into parts.

    Examples
    --------
    >>> from migstats.composite import build
    >>> from migstats.composite.stages import _example
    >>> data, fw = _example()
    >>> res = build(data, fw, treat="none")
    >>> parts = contributions(res)
    >>> parts.round(4).loc["BBB"].tolist(), round(float(res.scores().loc["BBB", "idx"]), 4)
    ([8.3333, 75.0], 83.3333)
    """
    if result.choices.get("aggregate") != "arithmetic":
        raise InputError(f"contributions need an arithmetic index, not {result.choices.get('aggregate')!r}")
    fw = result.framework
    scores = result.stages["Aggregated"]
    w = result.weights
    share = pd.DataFrame(1.0, index=scores.index, columns=[fw.root])
    for agg in reversed(fw.aggregates):  # the index first, then down the levels
        kids = fw.children(agg)
        present = scores[kids].notna()
        wk = present * w[kids].to_numpy()
        total = wk.sum(axis=1).replace(0, np.nan)
        for kid in kids:
            share[kid] = share[agg] * wk[kid] / total
    return (share[fw.indicators] * scores[fw.indicators]).where(scores[fw.indicators].notna())
