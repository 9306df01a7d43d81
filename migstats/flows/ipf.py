"""Iterative proportional fitting (IPF) of 2-way and 3-way flow tables.

The fitted tables are kept in factored form while iterating. For the 3-way
model with margins orig x pob (i, k) and dest x pob (j, k) and offset m,

    mu[i, j, k] = m[i, j(, k)] * a[i, k] * b[j, k],

so each scaling step updates a vector or matrix of factors instead of the full
array, and a margin costs one matrix product (``m @ b``). The update order
and stopping rule are migest's, so the iterates are the same as migest's up to
rounding; only the final array is materialised.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from migstats.errors import InputError
from migstats.flows._common import (
    FlowArray,
    FlowResult,
    check_memory,
    check_settings,
    check_support,
    check_totals,
    matrix_frame,
    report_nonconvergence,
)
from migstats.flows.arrays import (
    as_matrix,
    as_square,
    as_vector,
    default_labels,
    offset_array,
    require_positive_cell,
    safe_ratio,
)

__all__ = ["IpfResult", "ipf2", "ipf3"]


@dataclass(frozen=True)
class IpfResult(FlowResult):
    """A table fitted by IPF (:func:`ipf2`, :func:`ipf3`).

    Attributes
    ----------
    fitted : pandas.DataFrame or FlowArray
        The fitted orig x dest table (:func:`ipf2`) or orig x dest x pob
        array (:func:`ipf3`), persons.
    iterations : int
        Sweeps run.
    error : float
        Last value of the stopping criterion (largest absolute margin error).
    """


def ipf2(row_tot=None, col_tot=None, offset=None, *, tol: float = 1e-5, max_iter: int = 500,
         margin_tol: float = 1e-9, on_nonconvergence: str = "raise") -> IpfResult:
    """Fit a 2-way table to row and/or column totals by IPF (migest ``ipf2``).

    Model: ``log mu_ij = log a_i + log b_j + log m_ij``. Each sweep scales the
    columns to ``col_tot`` then the rows to ``row_tot``; a factor is 0 where the
    target or the current margin is 0. The error of a sweep is
    ``max |target - margin|`` over both margins, each margin measured just
    before its own scaling; sweeps stop when it is <= ``tol`` (at least one
    sweep runs).

    Parameters
    ----------
    row_tot, col_tot : array-like or pandas.Series, optional
        Origin (row) and destination (column) totals; either may be omitted
        (then that margin is not fitted). Labels of a Series name the regions.
    offset : array-like or DataFrame, optional
        Prior m_ij (default all 1).
    tol, max_iter : float, int
        Stopping tolerance and sweep limit (migest: 1e-5, 500).
    margin_tol : float
        Relative tolerance for ``sum(row_tot) == sum(col_tot)``.
    on_nonconvergence : {"raise", "warn"}
        What to do when ``max_iter`` sweeps leave an error above ``tol``.

    Returns
    -------
    IpfResult
        ``fitted`` is the orig x dest DataFrame.

    Raises
    ------
    MarginMismatchError
        When both margins are given and their totals differ. (migest compares
        the rounded totals and errors; mipfp would switch to proportions.)
    InputError
        Negative totals or offset cells, an offset without a positive cell, a
        positive total whose offset row (column) has no positive cell, or
        duplicate region labels; EmptyTableError / MissingValueError for
        empty or NaN inputs.
    ConvergenceError
        When not converged and ``on_nonconvergence="raise"`` (migest returns
        silently).

    See Also
    --------
    cm2 : the same model fitted by conditional maximisation.
    ipf3 : three-way tables (origin x destination x place of birth).

    References
    ----------
    .. [1] Willekens, F. (1999). Modelling approaches to the indirect estimation
       of migration flows: from entropy to EM. Mathematical Population Studies
       7(3), 239-278 (the 2 x 2 example below).
    .. [2] Agresti, A. (2002). Categorical Data Analysis, 2nd ed. Wiley,
       section 8.7 (iterative proportional fitting).

    Examples
    --------
    Willekens' (1999) two-region example, as on migest's ``ipf2`` help page:
    origin totals 18 and 20, destination totals 16 and 22, prior flows 5, 2,
    1 and 7.

    >>> import pandas as pd
    >>> prior = pd.DataFrame([[5, 2], [1, 7]], index=["A", "B"], columns=["A", "B"])
    >>> res = ipf2([18, 20], [16, 22], prior)
    >>> res.fitted.round(2)  # doctest: +NORMALIZE_WHITESPACE
    dest      A      B
    orig
    A     13.25   4.75
    B      2.75  17.25
    >>> res.iterations
    12
    """
    check_settings(on_nonconvergence, tol=tol, max_iter=max_iter, margin_tol=margin_tol)
    if row_tot is None and col_tot is None:
        raise InputError("ipf2 needs row_tot, col_tot or both")
    rows = cols = None
    if isinstance(offset, pd.DataFrame):
        m, rows, cols = as_matrix(offset, "offset", nonneg=True)
    r = c = None
    if row_tot is not None:
        r, rows = as_vector(row_tot, "row_tot", labels=rows, nonneg=True)
    if col_tot is not None:
        c, cols = as_vector(col_tot, "col_tot", labels=cols, nonneg=True)
    if offset is None:
        if r is None or c is None:
            raise InputError("ipf2 with a single margin needs an offset to give the other dimension")
        m = np.ones((r.size, c.size))
    elif not isinstance(offset, pd.DataFrame):
        m, rows, cols = as_matrix(offset, "offset", rows=rows, cols=cols, nonneg=True)
    if r is not None and r.size != m.shape[0]:
        raise InputError(f"row_tot has {r.size} values for an offset with {m.shape[0]} rows")
    if c is not None and c.size != m.shape[1]:
        raise InputError(f"col_tot has {c.size} values for an offset with {m.shape[1]} columns")
    require_positive_cell(m, "offset")
    rows = rows if rows is not None else default_labels(m.shape[0])
    cols = cols if cols is not None else default_labels(m.shape[1])
    if r is not None:
        check_support(r, m.sum(axis=1), rows, "row_tot", "row")
    if c is not None:
        check_support(c, m.sum(axis=0), cols, "col_tot", "column")
    if r is not None and c is not None:
        check_totals(r.sum(), c.sum(), "ipf2 row_tot vs col_tot", margin_tol)

    a, b, it, err = fit_2way(m, r, c, order="cols-rows", tol=tol, max_iter=max_iter, rule="margin",
                             method="ipf2", on_nonconvergence=on_nonconvergence)
    fitted = a[:, None] * m * b[None, :]
    return IpfResult(fitted=matrix_frame(fitted, rows, cols), iterations=it, error=float(err))


STOP_RULES = ("margin", "cell", "first-margin-after")


def fit_factors(factors, steps, *, tol: float, max_iter: int, rule: str, method: str,
                on_nonconvergence: str, cell_change=None):
    """The one IPF loop of migstats: scale factors in turn until the stopping rule holds.

    Each sweep runs ``steps`` in order; a step ``(target, i, margin_of)``
    multiplies ``factors[i]`` by ``target / margin_of(factors)`` (0 where the
    target or the margin is 0). The fitted table is never needed: each caller
    gives the margins of its own model (2-way ``a_i b_j m_ij``, 3-way
    ``a_ik b_jk m_ij(k)``, ...). Stopping rules:

    ``"margin"`` (migest ``ipf2``/``ipf3``)
        error = max |target - margin| over all steps, each margin measured
        just before its own scaling; stop when error <= tol.
    ``"cell"`` (mipfp ``Ipfp``)
        error = ``cell_change(old_factors, new_factors)``, the largest
        absolute change of a fitted cell over the sweep; stop when error < tol.
    ``"first-margin-after"``
        error = max |target - margin| of the first step, measured after the
        sweep; stop when error <= tol.

    Returns
    -------
    (list of numpy.ndarray, int, float)
        The factors, the sweeps run and the last error. When ``max_iter``
        sweeps end above the tolerance, :func:`report_nonconvergence` raises
        ConvergenceError or warns (``on_nonconvergence``).
    """
    if rule not in STOP_RULES:
        raise InputError(f"unknown IPF stopping rule {rule!r}")
    factors = list(factors)
    it, err = 0, float("inf")
    while it < max_iter:
        old = tuple(factors)
        err_margin = 0.0
        for target, i, margin_of in steps:
            margin = margin_of(factors)
            if rule == "margin":
                err_margin = max(err_margin, np.max(np.abs(target - margin), initial=0.0))
            factors[i] = factors[i] * safe_ratio(target, margin)
        it += 1
        if rule == "margin":
            err = float(err_margin)
            done = err <= tol
        elif rule == "cell":
            err = float(cell_change(old, factors))
            done = err < tol
        else:
            target, _, margin_of = steps[0]
            err = float(np.max(np.abs(margin_of(factors) - target), initial=0.0))
            done = err <= tol
        if done:
            return factors, it, err
    report_nonconvergence(method, it, err, tol, on_nonconvergence)
    return factors, it, err


def fit_2way(m: np.ndarray, row_target=None, col_target=None, *, order: str, tol: float, max_iter: int,
             rule: str, method: str, on_nonconvergence: str):
    """Factors a, b of ``mu_ij = a_i m_ij b_j`` fitting the given margins by :func:`fit_factors`.

    ``order="cols-rows"`` (migest ``ipf2``) or ``"rows-cols"`` (mipfp, margins
    in the order given); a margin given as None is not fitted.
    """
    rows = (row_target, 0, lambda f: f[0] * (m @ f[1]))
    cols = (col_target, 1, lambda f: f[1] * (f[0] @ m))
    steps = [s for s in ((cols, rows) if order == "cols-rows" else (rows, cols)) if s[0] is not None]

    def cell_change(old, new):
        return np.abs(new[0][:, None] * m * new[1][None, :] - old[0][:, None] * m * old[1][None, :]).max(
            initial=0.0)

    (a, b), it, err = fit_factors([np.ones(m.shape[0]), np.ones(m.shape[1])], steps, tol=tol,
                                  max_iter=max_iter, rule=rule, method=method,
                                  on_nonconvergence=on_nonconvergence, cell_change=cell_change)
    return a, b, it, err


def _margins(m: np.ndarray, a: np.ndarray, b: np.ndarray, axis: str) -> np.ndarray:
    """Margin of mu = m * a[i,k] * b[j,k] over dest (axis "ik") or orig ("jk")."""
    if m.ndim == 2:
        return a * (m @ b) if axis == "ik" else b * (m.T @ a)
    if axis == "ik":
        return a * np.einsum("ijk,jk->ik", m, b, optimize=True)
    return b * np.einsum("ijk,ik->jk", m, a, optimize=True)


def _max_cell_change(m, a0, b0, a1, b1, tol: float, chunk: int = 16) -> float:
    """Largest |mu_new - mu_old| over all cells, or a value >= tol as soon as one is found.

    A per-pob upper bound, ``max m * (max|da| max b1 + max a0 max|db|)``,
    skips the slices that cannot reach ``tol``; the others are computed
    exactly, largest bound first, a few slices at a time.
    """
    mmax = m.max(axis=(0, 1)) if m.ndim == 3 else np.full(a0.shape[1], m.max(initial=0.0))
    bound = mmax * (np.abs(a1 - a0).max(axis=0) * b1.max(axis=0)
                    + a0.max(axis=0) * np.abs(b1 - b0).max(axis=0))
    todo = np.flatnonzero(bound >= tol)
    if todo.size == 0:
        return float(bound.max(initial=0.0))
    todo = todo[np.argsort(-bound[todo], kind="stable")]
    worst = float(np.delete(bound, todo).max(initial=0.0))
    for start in range(0, todo.size, chunk):
        ks = todo[start:start + chunk]
        mk = m[:, :, ks] if m.ndim == 3 else m[:, :, None]
        diff = a1[:, None, ks] * b1[None, :, ks]
        diff -= a0[:, None, ks] * b0[None, :, ks]
        diff *= mk
        worst = max(worst, float(np.abs(diff).max()))
        if worst >= tol:
            break
    return worst


def fit_ik_jk(target_ik: np.ndarray, target_jk: np.ndarray, m: np.ndarray, *, tol: float,
              max_iter: int, rule: str, method: str, on_nonconvergence: str):
    """Factors a, b of mu = m a[i,k] b[j,k] fitting both margins (ik first), by :func:`fit_factors`.

    ``rule="margin"``: migest's ipf3 error; ``rule="cell"``: mipfp's ``Ipfp``
    error, the largest cell change (bounded per pob, see
    :func:`_max_cell_change`).
    """
    if m.ndim == 2 and m.shape[0] == m.shape[1] and np.array_equal(m, 1.0 - np.eye(m.shape[0])):
        # the stayer model's offset (1 off the diagonal): a margin is a column sum less the diagonal
        # term, O(n^2) instead of a matrix product's O(n^3)
        steps = [(target_ik, 0, lambda f: f[0] * (f[1].sum(axis=0) - f[1])),
                 (target_jk, 1, lambda f: f[1] * (f[0].sum(axis=0) - f[0]))]
    else:
        steps = [(target_ik, 0, lambda f: _margins(m, f[0], f[1], "ik")),
                 (target_jk, 1, lambda f: _margins(m, f[0], f[1], "jk"))]
    (a, b), it, err = fit_factors(
        [np.ones(target_ik.shape), np.ones(target_jk.shape)], steps, tol=tol, max_iter=max_iter, rule=rule,
        method=method, on_nonconvergence=on_nonconvergence,
        cell_change=lambda old, new: _max_cell_change(m, old[0], old[1], new[0], new[1], tol))
    return a, b, it, err


def expand(m: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """mu[i, j, k] = m[i, j(, k)] * a[i, k] * b[j, k], built with one full-size buffer."""
    out = np.multiply(a[:, None, :], b[None, :, :])
    out *= m if m.ndim == 3 else m[:, :, None]
    return out


def ipf3(stock_start, stock_end, offset=None, *, quasi_independence: bool = False,
         tol: float = 1e-5, max_iter: int = 500, margin_tol: float = 1e-9,
         on_nonconvergence: str = "raise", memory_budget: float | None = None) -> IpfResult:
    """3-way IPF of origin x destination x place-of-birth flows (migest ``ipf3``, ``ipf3_qi``).

    Model: ``log mu_ijk = log a_ik + log b_jk + log m_ijk`` (i = origin,
    j = destination, k = place of birth): the orig x pob margin is the start
    stock table transposed, the dest x pob margin the end stock table
    transposed. Each sweep scales the (i, k) margin then the (j, k) margin
    (factor 0 where target or margin is 0); the error is max |target - margin|
    with each margin measured before its own scaling; sweeps stop when it is
    <= ``tol``.

    With ``quasi_independence=True`` (migest's internal ``ipf3_qi``, the
    "stayer" or minimum-migration assumption) the diagonal cells are fixed at
    ``mu_iik = min(stock_start[k, i], stock_end[k, i])`` and the off-diagonal
    movers are fitted to the remaining margins with a zero-diagonal offset.
    (migest's ``ipf3_qi`` still scales the diagonal in its first sweep before
    zeroing it; both reach the same fixed point.)

    Parameters
    ----------
    stock_start, stock_end : array-like or DataFrame
        Place of birth (rows) x place of residence (columns) stock tables
        (migest: ``row_tot = t(stock_start)``, ``col_tot = stock_end``).
    offset : array-like or DataFrame, optional
        Prior m, orig x dest (replicated over pob) or orig x dest x pob.
    quasi_independence : bool
        Fix the stayers as above.
    tol, max_iter : float, int
        migest defaults 1e-5 and 500.
    margin_tol : float
        Relative tolerance for equal place-of-birth totals (row sums of the two
        stock tables); migest compares rounded values.
    on_nonconvergence : {"raise", "warn"}
        Non-convergence: ConvergenceError, or a ConvergenceWarning and the last iterate.
    memory_budget : float, optional
        Bytes the fit may allocate (about ``8 n^3``); default
        ``$MIGSTATS_MEMORY_BUDGET``, else half the available memory.

    Returns
    -------
    IpfResult
        ``fitted`` is a :class:`FlowArray`, ``fitted.values[i, j, k]`` in
        persons, axes labelled by the regions.

    Raises
    ------
    MarginMismatchError
        A place of birth whose totals differ between the two tables.
    InputError
        A negative stock or offset cell (naming its row and column), an
        offset without a positive cell, or duplicate labels;
        EmptyTableError / MissingValueError for empty or NaN tables.
    ConvergenceError
        Not converged within ``max_iter`` (migest returns silently).
    MemoryBudgetError
        The n^3 array would exceed the memory budget (checked before anything is allocated).

    See Also
    --------
    ffs_demo : ipf3 with the stayer assumption after demographic accounting.
    ipf2 : two-way tables.
    sum_od : origin-destination totals of the fitted array.

    References
    ----------
    .. [1] Abel, G. J. (2013). Estimating global migration flow tables using
       place of birth data. Demographic Research 28(18), 505-546 (eq. 2 and
       the four-region example of section 3).
    .. [2] Abel, G. J., & Cohen, J. E. (2019). Bilateral international
       migration flow estimates for 200 countries. Scientific Data 6, 82.
    .. [3] Azose, J. J., & Raftery, A. E. (2019). Estimation of emigration,
       return migration, and transit migration between all pairs of
       countries. PNAS 116(1), 116-122.

    Examples
    --------
    The four-region stock tables of Abel (2013), fitted without the stayer
    assumption (migest's ``ipf3`` help page): movers between regions, summed
    over place of birth.

    >>> import pandas as pd
    >>> from migstats.flows import sum_od
    >>> r = ["A", "B", "C", "D"]
    >>> s1 = pd.DataFrame([[1000, 100, 10, 0], [55, 555, 50, 5], [80, 40, 800, 40], [20, 25, 20, 200]],
    ...                   index=r, columns=r)
    >>> s2 = pd.DataFrame([[950, 100, 60, 0], [80, 505, 75, 5], [90, 30, 800, 40], [40, 45, 0, 180]],
    ...                   index=r, columns=r)
    >>> sum_od(ipf3(s1, s2)).round(1)  # doctest: +NORMALIZE_WHITESPACE
    dest      A      B      C     D
    orig
    A       0.0  137.8  126.9  17.3
    B     159.9    0.0  101.3  22.8
    C      92.6   67.3    0.0  47.3
    D      34.5   39.0   33.9   0.0
    """
    check_settings(on_nonconvergence, tol=tol, max_iter=max_iter, margin_tol=margin_tol)
    s1, regions = as_square(stock_start, "stock_start", nonneg=True)
    s2, _ = as_square(stock_end, "stock_end", labels=regions if isinstance(stock_end, pd.DataFrame)
                      and isinstance(stock_start, pd.DataFrame) else None, nonneg=True)
    if s1.shape != s2.shape:
        raise InputError(f"stock tables differ in shape: {s1.shape} vs {s2.shape}")
    n = s1.shape[0]
    # the n^3 result, plus a copy of a 3-d offset (offset_array, and the stayer mask)
    offset_3d = offset is not None and not isinstance(offset, pd.DataFrame) and np.ndim(offset) == 3
    check_memory(8 * n ** 3 * (1 + offset_3d * (1 + quasi_independence)) + 8 * n * n * 64, what="ipf3", n=n,
                 memory_budget=memory_budget)
    tot1, tot2 = s1.sum(axis=1), s2.sum(axis=1)
    for k in range(n):
        check_totals(tot1[k], tot2[k], f"ipf3 place of birth {regions[k]!r}", margin_tol)
    m = offset_array(offset, n, regions)
    target_ik, target_jk = s1.T.copy(), s2.T.copy()
    stayers = None
    if quasi_independence:
        stayers = np.minimum(target_ik, target_jk)
        target_ik -= stayers
        target_jk -= stayers
        m = m.copy()
        diag = np.arange(n)
        if m.ndim == 2:
            m[diag, diag] = 0.0
        else:
            m[diag, diag, :] = 0.0
    a, b, it, err = fit_ik_jk(target_ik, target_jk, m, tol=tol, max_iter=max_iter, rule="margin",
                              method="ipf3", on_nonconvergence=on_nonconvergence)
    mu = expand(m, a, b)
    if stayers is not None:
        diag = np.arange(n)
        mu[diag, diag, :] = stayers
    return IpfResult(fitted=FlowArray(mu, (regions, regions, regions)), iterations=it, error=float(err))
