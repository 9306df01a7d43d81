"""Summaries of origin-destination flow tables (migest ``sum_*`` and ``multi_comp``)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from migstats.errors import InputError, ZeroBaseError
from migstats.flows._common import FlowArray, FlowResult, matrix_frame
from migstats.flows.arrays import as_cube, as_square, default_labels

__all__ = ["sum_od", "sum_region", "sum_bilat", "sum_net", "multi_comp"]


def _od_values(flows):
    """orig x dest values and labels from a matrix, DataFrame, 3-d array, FlowArray or result."""
    if isinstance(flows, FlowResult):
        flows = flows.fitted
    if isinstance(flows, FlowArray):
        return flows.values.sum(axis=2), list(flows.labels[0])
    if not isinstance(flows, pd.DataFrame) and np.ndim(flows) == 3:
        shape = np.shape(flows)
        if shape[0] != shape[1]:
            raise InputError(f"flows must be square in orig x dest, got shape {shape}")
        labels = default_labels(shape[0])
        return as_cube(flows, "flows", labels, labels, default_labels(shape[2])).sum(axis=2), labels
    return as_square(flows, "flows")


def _with_margins(values, labels):
    out = matrix_frame(values, labels, labels)
    out["Sum"] = values.sum(axis=1)
    out.loc["Sum"] = np.append(values.sum(axis=0), values.sum())
    out.index.name, out.columns.name = "orig", "dest"
    return out


def sum_od(flows, *, zero_diagonal: bool = True, margins: bool = False) -> pd.DataFrame:
    """Origin x destination totals of a flow table or orig x dest x pob array (migest ``sum_od``).

    ``od_ij = sum_k flows_ijk``; the diagonal (stayers) is set to 0 unless
    ``zero_diagonal=False``; ``margins=True`` appends row/column ``Sum``
    totals as R's ``addmargins``.

    Parameters
    ----------
    flows : array-like, DataFrame, FlowArray or FlowResult
        Square orig x dest flows, an orig x dest x pob array (summed over
        pob), or an estimator's result (its ``fitted`` flows).
    zero_diagonal : bool
        Set the stayers (orig == dest) to 0.
    margins : bool
        Append a ``Sum`` row (column totals) and column (row totals).

    Returns
    -------
    pandas.DataFrame
        orig (rows) x dest (columns), in the unit of the flows.

    See Also
    --------
    sum_region, sum_net, FlowResult.od

    Examples
    --------
    >>> import pandas as pd
    >>> r = ["A", "B", "C"]
    >>> f = pd.DataFrame([[0, 10, 5], [20, 0, 5], [10, 10, 0]], index=r, columns=r)
    >>> sum_od(f, margins=True)  # doctest: +NORMALIZE_WHITESPACE
    dest      A     B     C   Sum
    orig
    A       0.0  10.0   5.0  15.0
    B      20.0   0.0   5.0  25.0
    C      10.0  10.0   0.0  20.0
    Sum    30.0  20.0  10.0  60.0
    """
    values, labels = _od_values(flows)
    values = values.copy()
    if zero_diagonal:
        np.fill_diagonal(values, 0.0)
    return _with_margins(values, labels) if margins else matrix_frame(values, labels, labels)


def sum_net(flows) -> pd.Series:
    """Net migration per region: ``in_i - out_i = sum_k f_ki - sum_j f_ij`` (migest ``sum_net``).

    The diagonal cancels, so it may be included.

    Parameters
    ----------
    flows : array-like, DataFrame, FlowArray or FlowResult
        Square orig x dest flows, an orig x dest x pob array (summed over
        pob), or an estimator's result (its ``fitted`` flows).

    Returns
    -------
    pandas.Series
        ``net`` per region, in the unit of the flows.

    See Also
    --------
    sum_region : in, out, turnover and net together.

    Examples
    --------
    In-flows 30, 20, 10 less out-flows 15, 25, 20:

    >>> import pandas as pd
    >>> r = ["A", "B", "C"]
    >>> f = pd.DataFrame([[0, 10, 5], [20, 0, 5], [10, 10, 0]], index=r, columns=r)
    >>> sum_net(f).tolist()
    [15.0, -5.0, -10.0]
    """
    values, labels = _od_values(flows)
    return pd.Series(values.sum(axis=0) - values.sum(axis=1), index=labels, name="net")


def sum_region(flows) -> pd.DataFrame:
    """Per-region out-, in-migration, turnover and net (migest ``sum_region``).

    With the diagonal dropped: ``out_mig_i = sum_{j != i} f_ij``, ``in_mig_i =
    sum_{k != i} f_ki``, ``turn = in + out``, ``net = in - out``.

    Parameters
    ----------
    flows : array-like, DataFrame, FlowArray or FlowResult
        Square orig x dest flows, an orig x dest x pob array (summed over
        pob), or an estimator's result (its ``fitted`` flows).

    Returns
    -------
    pandas.DataFrame
        Columns region, out_mig, in_mig, turn, net (unit of the flows).

    See Also
    --------
    sum_net, sum_bilat

    Examples
    --------
    >>> import pandas as pd
    >>> r = ["A", "B", "C"]
    >>> f = pd.DataFrame([[0, 10, 5], [20, 0, 5], [10, 10, 0]], index=r, columns=r)
    >>> sum_region(f)  # doctest: +NORMALIZE_WHITESPACE
      region  out_mig  in_mig  turn   net
    0      A     15.0    30.0  45.0  15.0
    1      B     25.0    20.0  45.0  -5.0
    2      C     20.0    10.0  30.0 -10.0
    """
    values, labels = _od_values(flows)
    values = values.copy()
    np.fill_diagonal(values, 0.0)
    out_mig, in_mig = values.sum(axis=1), values.sum(axis=0)
    return pd.DataFrame({"region": labels, "out_mig": out_mig, "in_mig": in_mig,
                         "turn": out_mig + in_mig, "net": in_mig - out_mig})


def sum_bilat(flows) -> pd.DataFrame:
    """Corridor and pair summaries of each off-diagonal flow (migest ``sum_bilat``).

    One row per ordered pair i != j (orig varying fastest): ``flow = f_ij``,
    ``counter_flow = f_ji``, ``net_flow = f_ij - f_ji``, ``interchange = f_ij +
    f_ji``; ``corridor`` is "i -> j" and ``pair`` "a - b" with the two labels
    in sorted (string) order.

    Parameters
    ----------
    flows : array-like, DataFrame, FlowArray or FlowResult
        Square orig x dest flows, an orig x dest x pob array (summed over
        pob), or an estimator's result (its ``fitted`` flows).

    Returns
    -------
    pandas.DataFrame
        Columns orig, dest, corridor, pair, flow, counter_flow, net_flow,
        interchange; n (n - 1) rows.

    See Also
    --------
    sum_region

    Examples
    --------
    >>> import pandas as pd
    >>> r = ["A", "B", "C"]
    >>> f = pd.DataFrame([[0, 10, 5], [20, 0, 5], [10, 10, 0]], index=r, columns=r)
    >>> sum_bilat(f)[["corridor", "pair", "net_flow", "interchange"]].head(2)  # doctest: +NORMALIZE_WHITESPACE
      corridor   pair  net_flow  interchange
    0   B -> A  A - B      10.0         30.0
    1   C -> A  A - C       5.0         15.0
    """
    values, labels = _od_values(flows)
    lab = np.asarray([str(x) for x in labels], dtype=object)
    n = len(labels)
    i, j = np.indices((n, n)).reshape(2, -1, order="F")
    keep = i != j
    i, j = i[keep], j[keep]
    first = np.where(lab[i] <= lab[j], lab[i], lab[j])
    second = np.where(lab[i] <= lab[j], lab[j], lab[i])
    flow, counter = values[i, j], values[j, i]
    return pd.DataFrame({
        "orig": np.asarray(labels, dtype=object)[i], "dest": np.asarray(labels, dtype=object)[j],
        "corridor": [f"{a} -> {b}" for a, b in zip(lab[i], lab[j])],
        "pair": [f"{a} - {b}" for a, b in zip(first, second)],
        "flow": flow, "counter_flow": counter, "net_flow": flow - counter, "interchange": flow + counter,
    })


def multi_comp(flows) -> pd.DataFrame:
    """Multiplicative components of a flow table (migest ``multi_comp``).

    Cells: ``f_ij / (R_i C_j / T)``, observed over the independence fit
    (R, C row and column totals, T the total); column ``Sum``: ``R_i / T``;
    row ``Sum``: ``C_j / T``; corner: T. The diagonal is kept.

    Parameters
    ----------
    flows : array-like, DataFrame, FlowArray or FlowResult
        Square orig x dest flows, an orig x dest x pob array (summed over
        pob), or an estimator's result (its ``fitted`` flows).

    Returns
    -------
    pandas.DataFrame
        (n + 1) x (n + 1): ratios (unitless; 1 = as expected under
        independence), shares of T in the ``Sum`` row and column, T (unit
        of the flows) in the corner.

    Raises
    ------
    ZeroBaseError
        A region without out-flows (R_i = 0) or in-flows (C_j = 0): its
        ratios would be 0/0 (migest returns NaN).

    See Also
    --------
    sum_od

    References
    ----------
    .. [1] Rogers, A., Willekens, F., Little, J., & Raymer, J. (2002).
       Describing migration spatial structure. Papers in Regional Science
       81(1), 29-48 (multiplicative components).

    Examples
    --------
    A -> B: 10 observed against 15 * 20 / 60 = 5 expected under
    independence, a ratio of 2.

    >>> import pandas as pd
    >>> r = ["A", "B", "C"]
    >>> f = pd.DataFrame([[0, 10, 5], [20, 0, 5], [10, 10, 0]], index=r, columns=r)
    >>> float(multi_comp(f).loc["A", "B"])
    2.0
    """
    values, labels = _od_values(flows)
    r, c, t = values.sum(axis=1), values.sum(axis=0), values.sum()
    for sums, what in ((r, "out-flows (row total 0)"), (c, "in-flows (column total 0)")):
        if np.any(sums == 0):
            raise ZeroBaseError(f"flows: region {labels[int(np.flatnonzero(sums == 0)[0])]!r} has no {what}, "
                                "so its multiplicative components are 0/0")
    inter = values / (np.outer(r, c) / t)
    out = matrix_frame(inter, labels, labels)
    out["Sum"] = r / t
    out.loc["Sum"] = np.append(c / t, t)
    out.index.name, out.columns.name = "orig", "dest"
    return out
