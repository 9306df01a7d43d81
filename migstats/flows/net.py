"""Bilateral flows from net migration totals (migest ``cm_net``, ``cm_net_tot``, ``net_matrix_*``).

All estimators fit ``n_ij`` to a vector of net totals ``net_i = sum_k n_ki -
sum_j n_ij`` (inflow minus outflow), starting from a prior (offset) matrix m.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from migstats.errors import IgnoredArgumentError, InputError, MarginMismatchError
from migstats.flows._common import (
    FlowResult,
    check_settings,
    check_support,
    import_scipy_optimize,
    matrix_frame,
    report_nonconvergence,
    warn_at_caller,
)
from migstats.flows.arrays import as_number, as_square, as_vector, require_positive_cell

__all__ = ["NetResult", "cm_net", "cm_net_tot", "net_matrix_ipf", "net_matrix_entropy",
           "net_matrix_lp", "net_matrix_optim", "rescale_net", "net_of"]


@dataclass(frozen=True)
class NetResult(FlowResult):
    """Flows fitted to net totals.

    Attributes
    ----------
    fitted : pandas.DataFrame
        orig x dest flows, in the unit of the net totals (persons).
    iterations : int
        Sweeps (or solver iterations).
    error : float
        Last largest parameter change (or the solver's final measure).
    alpha : pandas.Series or None
        Region parameters of the multiplicative model (None for LP/least squares).
    scale : float
        ``lambda`` of :func:`cm_net_tot` (1 elsewhere).
    """

    alpha: pd.Series | None
    scale: float


def net_of(flows) -> np.ndarray:
    """Deprecated: use :func:`migstats.flows.sum_net`, which returns the same numbers labelled.

    ``net_i = sum_k f_ki - sum_j f_ij`` (inflow minus outflow).

    Parameters
    ----------
    flows : array-like or DataFrame
        Square orig x dest flows (a DataFrame's columns are aligned on its rows).

    Returns
    -------
    numpy.ndarray
        One value per region, in the unit of the flows (``sum_net(flows).to_numpy()``).

    See Also
    --------
    sum_net : the same, as a pandas Series labelled by region.

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore", DeprecationWarning)
    ...     net_of([[0, 5], [2, 0]]).tolist()
    [-3.0, 3.0]
    """
    warn_at_caller("migstats.flows.net_of is deprecated and will be removed in the next release; use "
                   "migstats.flows.sum_net, which returns the same numbers as a Series labelled by region",
                   DeprecationWarning)
    f, _ = as_square(flows, "flows")
    return f.sum(axis=0) - f.sum(axis=1)


def _inputs(net_tot, offset, zero_sum_tol):
    zero_sum_tol = as_number(zero_sum_tol, "zero_sum_tol", minimum=0)
    if isinstance(offset, pd.DataFrame):
        m, regions = as_square(offset, "offset", nonneg=True)
        net, _ = as_vector(net_tot, "net_tot", labels=regions)
    else:
        net, regions = as_vector(net_tot, "net_tot")
        m = (np.ones((net.size, net.size)) if offset is None
             else as_square(offset, "offset", labels=regions, nonneg=True)[0])
    if m.shape[0] != net.size:
        raise InputError(f"offset is {m.shape[0]} x {m.shape[1]} but net_tot has {net.size} values")
    scale = max(np.abs(net).sum(), 1.0)
    if abs(net.sum()) > zero_sum_tol * scale:
        raise MarginMismatchError(f"net_tot must sum to zero, sums to {net.sum():.10g}; "
                                  "rescale it first (see rescale_net)")
    return net, m, regions


def _check_net_support(net, m, regions):
    """A net gain needs a cell that can flow in, a net loss one that can flow out."""
    require_positive_cell(m, "offset (after zero_mask)")
    check_support(np.maximum(net, 0.0), m.sum(axis=0), regions, "net_tot", "column")
    check_support(np.minimum(net, 0.0), m.sum(axis=1), regions, "net_tot", "row")


def _positive_root(a, b, c):
    """The positive root of a x^2 + b x + c = 0 (a >= 0, c <= 0), elementwise; 1 where none exists."""
    disc = b * b - 4 * a * c
    with np.errstate(divide="ignore", invalid="ignore"):
        root = (-b + np.sqrt(disc)) / (2 * a)
        linear = -c / b
    root = np.where(a > 0, root, linear)
    return np.where(np.isfinite(root) & (root > 0) & (disc >= 0), root, 1.0)


def _alpha_sweeps(net, m, tol, max_iter, method, on_nonconvergence, total=None):
    """Jacobi sweeps for ``n_ij = lam * alpha_i m_ij / alpha_j`` matching ``net`` (and ``total``).

    alpha_i solves ``A_i x^2 + net_i x - C_i = 0`` with
    ``A_i = lam * sum_j m_ij / alpha_j`` (outflow of i per unit alpha_i) and
    ``C_i = lam * sum_k alpha_k m_ki`` (inflow times alpha_i), all from the
    previous sweep: inflow - outflow = net_i. With ``total``, alpha_1 stays 1
    and ``lam = total / sum(previous fit)``.
    """
    n = net.size
    alpha = np.ones(n)
    lam = 1.0
    first = 0 if total is None else 1
    it, err = 0, 2 * tol
    while err > tol and it < max_iter:
        out_per = lam * (m @ (1.0 / alpha))
        in_times = lam * (alpha @ m)
        new = alpha.copy()
        new[first:] = _positive_root(out_per[first:], net[first:], -in_times[first:])
        new_lam = lam
        if total is not None:
            new_lam = total / (alpha[:, None] * m / alpha[None, :]).sum()
        err = float(max(np.abs(new - alpha).max(), abs(new_lam - lam)))
        alpha, lam = new, new_lam
        it += 1
    if err > tol:
        report_nonconvergence(method, it, err, tol, on_nonconvergence)
    return alpha, lam, it, err


def _result(m, alpha, scale, it, err, regions):
    fitted = scale * alpha[:, None] * m / alpha[None, :]
    return NetResult(fitted=matrix_frame(fitted, regions, regions), iterations=it, error=float(err),
                     alpha=pd.Series(alpha, index=regions, name="alpha"), scale=float(scale))


def cm_net(net_tot, offset=None, *, tol: float = 1e-6, max_iter: int = 500, zero_sum_tol: float = 1e-9,
           on_nonconvergence: str = "raise") -> NetResult:
    """Flows ``n_ij = alpha_i m_ij / alpha_j`` whose net totals match ``net_tot`` (migest ``cm_net``).

    Each sweep updates every alpha_i from the previous sweep's alphas as the
    positive root of ``A_i x^2 + net_i x - C_i = 0``, ``A_i = sum_j m_ij /
    alpha_j``, ``C_i = sum_k alpha_k m_ki`` (so inflow - outflow of i is
    net_i); sweeps stop when the largest change of an alpha is <= ``tol``.

    Parameters
    ----------
    net_tot : array-like or Series
        Net migration (inflow - outflow) per region; must sum to zero.
    offset : array-like or DataFrame, optional
        Prior m_ij (default 1). Its diagonal is used as given.
    tol, max_iter : float, int
        migest defaults 1e-6, 500.
    zero_sum_tol : float
        Relative tolerance on ``sum(net_tot) == 0`` (relative to sum |net|).
    on_nonconvergence : {"raise", "warn"}

    Returns
    -------
    NetResult
        ``fitted`` is the orig x dest DataFrame; ``alpha`` is migest's ``theta``.

    Raises
    ------
    MarginMismatchError
        net_tot does not sum to zero (migest only prints a message).
    InputError
        A negative offset cell, an offset without a positive cell, or a
        region with a net gain (loss) whose offset column (row) has no
        positive cell; EmptyTableError / MissingValueError for empty or NaN
        inputs.
    ConvergenceError

    See Also
    --------
    cm_net_tot : the same with a fixed total of flows.
    net_matrix_ipf : the smallest-root variant.
    sum_net : net totals of a flow table.

    References
    ----------
    .. [1] Abel, G. J. (2018). Non-zero trajectories for long-run net migration
       assumptions in global population projection models. Demographic
       Research 38(54), 1635-1662 (flows from net totals, section 3).

    Examples
    --------
    migest's ``cm_net`` help page example: prior 1 to 16 filled by columns.

    >>> import numpy as np
    >>> from migstats.flows import sum_net
    >>> prior = np.arange(1, 17).reshape(4, 4).T
    >>> res = cm_net([30, 40, -15, -55], prior)
    >>> sum_net(res.fitted).round(3).tolist()
    [30.0, 40.0, -15.0, -55.0]
    """
    check_settings(on_nonconvergence, tol=tol, max_iter=max_iter)
    net, m, regions = _inputs(net_tot, offset, zero_sum_tol)
    _check_net_support(net, m, regions)
    alpha, lam, it, err = _alpha_sweeps(net, m, tol, max_iter, "cm_net", on_nonconvergence)
    return _result(m, alpha, lam, it, err, regions)


def cm_net_tot(net_tot, total: float, offset=None, *, tol: float = 1e-6, max_iter: int = 500,
               zero_sum_tol: float = 1e-9, on_nonconvergence: str = "raise") -> NetResult:
    """Flows ``n_ij = lam alpha_i m_ij / alpha_j`` matching net totals and a grand total (migest ``cm_net_tot``).

    As :func:`cm_net` with alpha_1 fixed at 1 and a scale
    ``lam = total / sum_ij alpha_i m_ij / alpha_j`` computed each sweep from
    the previous sweep's alphas (as migest does); the stopping error covers
    alpha and lam.

    Parameters
    ----------
    net_tot : array-like or Series
        Net migration per region, summing to zero.
    total : float
        Grand total of flows.
    offset, tol, max_iter, zero_sum_tol, on_nonconvergence
        As in :func:`cm_net`.

    Returns
    -------
    NetResult
        ``fitted`` sums to ``total``; ``alpha`` and ``scale`` (lam) are
        migest's ``theta``.

    Raises
    ------
    InputError, MarginMismatchError, ConvergenceError
        As :func:`cm_net`; also a ``total`` that is not a positive number
        (MissingValueError when NaN or infinite).

    See Also
    --------
    cm_net : without the total.
    sum_net : net totals of a flow table.

    References
    ----------
    .. [1] Abel, G. J. (2018). Non-zero trajectories for long-run net migration
       assumptions in global population projection models. Demographic
       Research 38(54), 1635-1662.

    Examples
    --------
    migest's ``cm_net_tot`` help page example: 200 moves in all.

    >>> import numpy as np
    >>> from migstats.flows import sum_net
    >>> prior = np.arange(1, 17).reshape(4, 4).T
    >>> res = cm_net_tot([30, 40, -15, -55], 200, prior)
    >>> sum_net(res.fitted).round(3).tolist(), round(float(res.fitted.to_numpy().sum()), 3)
    ([30.0, 40.0, -15.0, -55.0], 200.0)
    """
    check_settings(on_nonconvergence, tol=tol, max_iter=max_iter)
    net, m, regions = _inputs(net_tot, offset, zero_sum_tol)
    total = as_number(total, "total", minimum=0, strict=True)
    _check_net_support(net, m, regions)
    alpha, lam, it, err = _alpha_sweeps(net, m, tol, max_iter, "cm_net_tot", on_nonconvergence, total)
    return _result(m, alpha, lam, it, err, regions)


def _masked(m, zero_mask):
    if zero_mask is None:
        zero_mask = np.eye(m.shape[0], dtype=bool)
    zero_mask = np.asarray(zero_mask)
    if zero_mask.dtype != bool:
        raise InputError(f"zero_mask must hold True/False values, got values of type {zero_mask.dtype}")
    if zero_mask.shape != m.shape:
        raise InputError(f"zero_mask has shape {zero_mask.shape}, offset {m.shape}")
    out = m.copy()
    out[zero_mask] = 0.0
    return out, zero_mask


def net_matrix_ipf(net_tot, offset=None, *, zero_mask=None, tol: float = 1e-6, max_iter: int = 500,
                   zero_sum_tol: float = 1e-9, on_nonconvergence: str = "raise") -> NetResult:
    """Net-constrained flows by the multiplicative model, structural zeros masked (migest ``net_matrix_ipf``).

    Same model and sweeps as :func:`cm_net` (``n_ij = alpha_i m_ij /
    alpha_j``) after setting ``m_ij = 0`` where ``zero_mask`` is True (default:
    the diagonal). The quadratic has exactly one positive root when both
    A_i, C_i > 0, so migest's "smallest positive root" rule selects the same
    root.

    Parameters
    ----------
    net_tot, offset, tol, max_iter, zero_sum_tol, on_nonconvergence
        As in :func:`cm_net`.
    zero_mask : array-like of bool, optional
        Cells forced to 0 (default: the diagonal).

    Returns
    -------
    NetResult
        ``fitted`` is the orig x dest DataFrame (0 on masked cells).

    Raises
    ------
    InputError, MarginMismatchError, ConvergenceError
        As :func:`cm_net` (support is checked after masking); also a
        ``zero_mask`` of the wrong shape or type.

    See Also
    --------
    cm_net, net_matrix_entropy, net_matrix_lp, net_matrix_optim

    References
    ----------
    .. [1] Abel (2018), Demographic Research 38(54), 1635-1662 (see :func:`cm_net`).

    Examples
    --------
    migest's ``net_matrix_*`` help page example:

    >>> import pandas as pd
    >>> r = ["A", "B", "C", "D"]
    >>> m = pd.DataFrame([[0, 100, 30, 70], [50, 0, 45, 5], [60, 35, 0, 40], [20, 25, 20, 0]],
    ...                  index=r, columns=r)
    >>> net = pd.Series([30, 40, -15, -55], index=r)
    >>> res = net_matrix_ipf(net, m)
    >>> res.fitted.round(2)  # doctest: +NORMALIZE_WHITESPACE
    dest      A      B      C      D
    orig
    A      0.00  80.58  26.05  34.78
    B     62.05   0.00  48.48   3.08
    C     69.11  32.48   0.00  22.89
    D     40.25  40.55  34.95   0.00
    """
    check_settings(on_nonconvergence, tol=tol, max_iter=max_iter)
    net, m, regions = _inputs(net_tot, offset, zero_sum_tol)
    m, _ = _masked(m, zero_mask)
    _check_net_support(net, m, regions)
    alpha, lam, it, err = _alpha_sweeps(net, m, tol, max_iter, "net_matrix_ipf", on_nonconvergence)
    return _result(m, alpha, lam, it, err, regions)


def net_matrix_entropy(net_tot, offset=None, *, zero_mask=None, tol: float = 1e-12, max_iter: int = 100_000,
                       zero_sum_tol: float = 1e-9, on_nonconvergence: str = "raise") -> NetResult:
    """Minimum-KL flows matching net totals (migest ``net_matrix_entropy``).

    Minimises ``sum_ij n_ij log(n_ij / m_ij) - n_ij + m_ij`` subject to
    ``sum_k n_ki - sum_j n_ij = net_i``, ``n >= 0`` and masked zeros. Setting
    the Lagrangian's derivative to zero gives ``n_ij = m_ij exp(l_i - l_j)``,
    the model of :func:`net_matrix_ipf`, so the optimum is found by the same
    sweeps run to a tight tolerance.

    Deliberate difference: migest calls a conic solver through CVXR (accurate
    to about 1e-6); here the stationarity conditions are solved directly.

    Parameters
    ----------
    net_tot, offset, zero_mask, zero_sum_tol, on_nonconvergence
        As in :func:`net_matrix_ipf`.
    tol, max_iter : float, int
        Sweeps stop when the largest change of an ``exp(l_i)`` is <= ``tol``.

    Returns
    -------
    NetResult
        ``fitted`` is the orig x dest DataFrame.

    Raises
    ------
    InputError, MarginMismatchError, ConvergenceError
        As :func:`net_matrix_ipf`.

    See Also
    --------
    net_matrix_ipf : the same minimum, by the multiplicative sweeps.

    References
    ----------
    .. [1] Abel (2018), Demographic Research 38(54), 1635-1662 (see :func:`cm_net`).

    Examples
    --------
    The example of migest's help page; the minimum is the same as
    :func:`net_matrix_ipf`'s.

    >>> import pandas as pd
    >>> r = ["A", "B", "C", "D"]
    >>> m = pd.DataFrame([[0, 100, 30, 70], [50, 0, 45, 5], [60, 35, 0, 40], [20, 25, 20, 0]],
    ...                  index=r, columns=r)
    >>> net = pd.Series([30, 40, -15, -55], index=r)
    >>> net_matrix_entropy(net, m).fitted.round(2)  # doctest: +NORMALIZE_WHITESPACE
    dest      A      B      C      D
    orig
    A      0.00  80.58  26.05  34.78
    B     62.05   0.00  48.48   3.08
    C     69.11  32.48   0.00  22.89
    D     40.25  40.55  34.95   0.00
    """
    return net_matrix_ipf(net_tot, offset, zero_mask=zero_mask, tol=tol, max_iter=max_iter,
                          zero_sum_tol=zero_sum_tol, on_nonconvergence=on_nonconvergence)


def _constraint_matrix(n, free):
    """Rows: regions; columns: free cells (i, j); +1 where j is the region (inflow), -1 where i is."""
    rows_i, cols_j = np.nonzero(free)
    a = np.zeros((n, rows_i.size))
    cells = np.arange(rows_i.size)
    a[cols_j, cells] += 1.0
    a[rows_i, cells] -= 1.0
    return a, rows_i, cols_j


def net_matrix_lp(net_tot, offset=None, *, zero_mask=None, zero_sum_tol: float = 1e-9) -> NetResult:
    """Flows of least total volume matching net totals (migest ``net_matrix_lp``).

    Linear programme: minimise ``sum_ij n_ij`` subject to inflow - outflow =
    net_i, ``n >= 0`` and masked zeros (default: the diagonal), solved by
    scipy's HiGHS. The optimum value is ``sum_i max(net_i, 0)``; the
    minimising matrix is generally not unique, so it may differ from migest's
    (lpSolve) while having the same objective and constraints.

    Deliberate differences: migest's LP also lets cells go negative
    (minimising sum |n_ij|, which has the same optimum value); and migest
    accepts a prior ``m`` that its LP never uses, so passing ``offset`` here
    raises IgnoredArgumentError. Region labels come from a labelled
    ``net_tot``.

    Parameters
    ----------
    net_tot : array-like or Series
        Net migration (inflow - outflow) per region, summing to zero.
    offset : None
        Must be left out (see above).
    zero_mask : array-like of bool, optional
        Cells forced to 0 (default: the diagonal).
    zero_sum_tol : float
        Relative tolerance on ``sum(net_tot) == 0``.

    Returns
    -------
    NetResult
        ``fitted`` is the orig x dest DataFrame; ``iterations`` the solver's,
        ``error`` 0, ``alpha`` None.

    Raises
    ------
    MissingDependencyError
        scipy is not installed (``pip install 'migstats[flows]'``).
    IgnoredArgumentError
        ``offset`` given.
    InputError, MarginMismatchError
        As :func:`net_matrix_ipf`, or an infeasible programme.

    See Also
    --------
    net_matrix_ipf, net_matrix_optim

    References
    ----------
    .. [1] Abel (2018), Demographic Research 38(54), 1635-1662 (see :func:`cm_net`).

    Examples
    --------
    The net totals of migest's help page: the least movement that produces
    them is 70 moves (the 70 net losses of C and D).

    >>> import pandas as pd
    >>> from migstats.flows import sum_net
    >>> net = pd.Series([30, 40, -15, -55], index=["A", "B", "C", "D"])
    >>> res = net_matrix_lp(net)
    >>> float(res.fitted.to_numpy().sum()), sum_net(res.fitted).tolist()
    (70.0, [30.0, 40.0, -15.0, -55.0])
    """
    linprog = import_scipy_optimize("net_matrix_lp").linprog

    if offset is not None:
        raise IgnoredArgumentError("net_matrix_lp does not use a prior (migest's m is ignored by its "
                                   "LP); leave offset out")
    net, m, regions = _inputs(net_tot, None, zero_sum_tol)
    m, mask = _masked(m, zero_mask)
    _check_net_support(net, m, regions)
    n = net.size
    a, ri, cj = _constraint_matrix(n, ~mask)
    res = linprog(np.ones(ri.size), A_eq=a, b_eq=net, bounds=(0, None), method="highs")
    if not res.success:
        raise InputError(f"net_matrix_lp: no feasible flows ({res.message})")
    flows = np.zeros((n, n))
    flows[ri, cj] = res.x
    return NetResult(fitted=matrix_frame(flows, regions, regions), iterations=int(res.nit), error=0.0, alpha=None,
                     scale=1.0)


def net_matrix_optim(net_tot, offset=None, *, zero_mask=None, zero_sum_tol: float = 1e-9,
                     tol: float = 1e-10, max_iter: int = 15_000) -> NetResult:
    """Least-squares net fit from the prior (migest ``net_matrix_optim``).

    Minimises ``sum_i (inflow_i - outflow_i - net_i)^2`` over ``n >= 0`` (masked
    cells fixed at 0) by L-BFGS-B started at m. Not unique: any flows with
    zero residual are optima; the start at m keeps the solution near the prior.

    Parameters
    ----------
    net_tot : array-like or Series
        Net migration (inflow - outflow) per region, summing to zero.
    offset : array-like or DataFrame, optional
        Non-negative prior m (default 1): the starting point.
    zero_mask : array-like of bool, optional
        Cells fixed at 0 (default: the diagonal).
    zero_sum_tol : float
        Relative tolerance on ``sum(net_tot) == 0``.
    tol, max_iter : float, int
        L-BFGS-B gradient tolerance (``ftol = tol**2``) and iteration limit.

    Returns
    -------
    NetResult
        ``fitted`` is the orig x dest DataFrame; ``error`` the final sum of
        squared residuals; ``alpha`` None.

    Raises
    ------
    MissingDependencyError
        scipy is not installed (``pip install 'migstats[flows]'``).
    InputError, MarginMismatchError
        As :func:`net_matrix_ipf`.

    See Also
    --------
    net_matrix_ipf, net_matrix_lp

    References
    ----------
    .. [1] Abel (2018), Demographic Research 38(54), 1635-1662 (see :func:`cm_net`).

    Examples
    --------
    The example of migest's help page (the solution is not unique; the net
    totals are met):

    >>> import pandas as pd
    >>> r = ["A", "B", "C", "D"]
    >>> m = pd.DataFrame([[0, 100, 30, 70], [50, 0, 45, 5], [60, 35, 0, 40], [20, 25, 20, 0]],
    ...                  index=r, columns=r)
    >>> net = pd.Series([30, 40, -15, -55], index=r)
    >>> from migstats.flows import sum_net
    >>> sum_net(net_matrix_optim(net, m).fitted).round(3).tolist()
    [30.0, 40.0, -15.0, -55.0]
    """
    minimize = import_scipy_optimize("net_matrix_optim").minimize
    check_settings("raise", tol=tol, max_iter=max_iter)

    net, m, regions = _inputs(net_tot, offset, zero_sum_tol)
    m, mask = _masked(m, zero_mask)
    _check_net_support(net, m, regions)
    n = net.size
    a, ri, cj = _constraint_matrix(n, ~mask)

    def objective(x):
        resid = a @ x - net
        return float(resid @ resid), 2.0 * (a.T @ resid)

    res = minimize(objective, m[ri, cj], jac=True, method="L-BFGS-B", bounds=[(0, None)] * ri.size,
                   options={"ftol": tol * tol, "gtol": tol, "maxiter": max_iter})
    flows = np.zeros((n, n))
    flows[ri, cj] = res.x
    return NetResult(fitted=matrix_frame(flows, regions, regions), iterations=int(res.nit), error=float(res.fun),
                     alpha=None, scale=1.0)


def rescale_net(x, *, method: str = "no-switches", weights=None, integer_result: bool = True) -> pd.Series:
    """Adjust net migration values so they sum to zero (migest ``rescale_net``).

    ``"no-switches"``: with S+ = sum of w x over positive x, S- over negative
    x and ``d = (S+ + S-) / 2``, positives are multiplied by ``(S+ - d)/S+``
    and negatives by ``(S- - d)/S-`` (signs never change; both sides end at
    magnitude (S+ - S-)/2 when w = 1). ``"switches"``: ``w x - mean(w x)``.
    ``integer_result``: round, then subtract the remaining sum from the
    element of largest |value|.

    Deliberate difference: ties for the largest |value| go to the first such
    element instead of a random one.

    Parameters
    ----------
    x : array-like or Series
        Net migration per region (any sign), persons.
    method : {"no-switches", "switches"}
    weights : array-like or Series, optional
        Non-negative weights w (default 1), aligned on the labels of ``x``.
    integer_result : bool
        Round to integers that still sum to zero.

    Returns
    -------
    pandas.Series
        ``net``, summing to zero, labelled like ``x``.

    Raises
    ------
    InputError
        Unknown method, non-numeric values or negative weights
        (EmptyTableError / MissingValueError for empty or NaN inputs).

    See Also
    --------
    rescale_integer_sum

    References
    ----------
    .. [1] Abel (2018), Demographic Research 38(54), 1635-1662, section 3.2 (see :func:`cm_net`).

    Examples
    --------
    The regional net migration of migest's ``rescale_net`` help page sums to
    -65: positives are scaled up by 202.5 / 170, negatives down by
    202.5 / 235, then rounded.

    >>> rescale_net([-200, -30, -5, 0, 10, 20, 60, 80]).tolist()
    [-172.0, -26.0, -4.0, 0.0, 12.0, 24.0, 71.0, 95.0]
    """
    values, labels = as_vector(x, "x")
    w = np.ones(values.size) if weights is None else as_vector(weights, "weights", labels=labels, nonneg=True)[0]
    if method == "no-switches":
        pos, neg = values > 0, values < 0
        s_pos, s_neg = (values * w)[pos].sum(), (values * w)[neg].sum()
        d = (s_pos + s_neg) / 2
        y = values.copy()
        if s_pos:
            y[pos] *= (s_pos - d) / s_pos
        if s_neg:
            y[neg] *= (s_neg - d) / s_neg
    elif method == "switches":
        y = values * w - np.mean(values * w)
    else:
        raise InputError(f"method must be 'no-switches' or 'switches', got {method!r}")
    if integer_result:
        y = np.round(y)
        residual = y.sum()
        if residual != 0:
            y[int(np.argmax(np.abs(y)))] -= residual
    return pd.Series(y, index=labels, name="net")
