"""Conditional maximisation (CM) for the 2-way offset model (migest ``cm2``, ``cm3``)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from migstats.errors import InputError
from migstats.flows._common import (
    FlowArray,
    FlowResult,
    check_settings,
    check_support,
    check_totals,
    matrix_frame,
    report_nonconvergence,
)
from migstats.flows.arrays import as_cube, as_matrix, as_vector, require_positive_cell, safe_ratio

__all__ = ["CmResult", "cm2", "cm3"]


@dataclass(frozen=True)
class CmResult(FlowResult):
    """Result of a conditional-maximisation fit.

    Attributes
    ----------
    fitted : pandas.DataFrame or FlowArray
        Fitted table (2-d for cm2, orig x dest x type for cm3).
    iterations : int
        Value of migest's loop counter at exit (it starts at 1).
    error : float
        Last largest parameter change.
    alpha, beta : pandas.Series
        Origin and destination parameters (migest ``theta``).
    """

    alpha: pd.Series
    beta: pd.Series

    @property
    def theta(self) -> pd.Series:
        """alpha1..alphaI, beta1..betaJ, as migest's ``theta`` vector."""
        a = pd.Series(self.alpha.to_numpy(), index=[f"alpha{i + 1}" for i in range(self.alpha.size)])
        b = pd.Series(self.beta.to_numpy(), index=[f"beta{j + 1}" for j in range(self.beta.size)])
        return pd.concat([a, b])


def _cm_loop(row_tot, col_tot, m, tol, max_iter, method, on_nonconvergence):
    alpha = np.ones(m.shape[0])
    beta = np.ones(m.shape[1])
    it, err = 1, 2 * tol
    while err > tol and it < max_iter:
        new_alpha = safe_ratio(row_tot, m @ beta)
        new_beta = safe_ratio(col_tot, new_alpha @ m)
        err = float(max(np.abs(new_alpha - alpha).max(initial=0.0),
                        np.abs(new_beta - beta).max(initial=0.0)))
        alpha, beta = new_alpha, new_beta
        it += 1
    if err > tol:
        report_nonconvergence(method, it, err, tol, on_nonconvergence)
    return alpha, beta, it, err


def _margins_and_labels(row_tot, col_tot, offset_rows, offset_cols):
    r, rows = as_vector(row_tot, "row_tot", labels=offset_rows, nonneg=True)
    c, cols = as_vector(col_tot, "col_tot", labels=offset_cols, nonneg=True)
    return r, c, rows, cols


def _check_offset_support(r, c, m, rows, cols):
    """An offset with a positive cell, and one in every row (column) whose total is positive."""
    require_positive_cell(m, "offset")
    check_support(r, m.sum(axis=1), rows, "row_tot", "row")
    check_support(c, m.sum(axis=0), cols, "col_tot", "column")


def cm2(row_tot, col_tot, offset=None, *, tol: float = 1e-6, max_iter: int = 500,
        margin_tol: float = 1e-9, on_nonconvergence: str = "raise") -> CmResult:
    """Fit ``n_ij = alpha_i beta_j m_ij`` to row and column totals by conditional maximisation.

    Each sweep sets ``alpha_i = row_tot_i / sum_j beta_j m_ij`` for all i, then
    ``beta_j = col_tot_j / sum_i alpha_i m_ij``, from alpha = beta = 1. The
    error is the largest absolute change of any alpha or beta in the sweep;
    as in migest the counter starts at 1 and the loop runs while
    ``error > tol and counter < max_iter`` (so at most ``max_iter - 1``
    sweeps). Same fixed point as :func:`ipf2`; different stopping rule.

    Parameters
    ----------
    row_tot, col_tot : array-like or pandas.Series
        Origin and destination totals.
    offset : array-like or DataFrame, optional
        m_ij (default 1).
    tol, max_iter : float, int
        migest defaults 1e-6, 500.
    margin_tol : float
        Relative tolerance for equal totals.
    on_nonconvergence : {"raise", "warn"}

    Returns
    -------
    CmResult
        ``fitted`` is the orig x dest DataFrame.

    Raises
    ------
    MarginMismatchError
        Totals of the two margins differ (migest does not check).
    InputError
        Negative totals or offset cells, an offset without a positive cell,
        a positive total whose offset row (column) has no positive cell, or
        duplicate labels; EmptyTableError / MissingValueError for empty or
        NaN inputs.
    ConvergenceError

    See Also
    --------
    ipf2 : the same fit by iterative proportional fitting.
    cm3 : three-way offsets.

    References
    ----------
    .. [1] Willekens, F. (1999). Modelling approaches to the indirect estimation
       of migration flows: from entropy to EM. Mathematical Population Studies
       7(3), 239-278.
    .. [2] Raymer, J., Abel, G. J., & Smith, P. W. F. (2007). Combining census
       and registration data to estimate detailed elderly migration flows in
       England and Wales. JRSS A 170(4), 891-908.

    Examples
    --------
    Willekens' (1999) two-region example (migest's ``cm2`` help page):

    >>> import pandas as pd
    >>> prior = pd.DataFrame([[5, 2], [1, 7]], index=["A", "B"], columns=["A", "B"])
    >>> res = cm2([18, 20], [16, 22], prior)
    >>> res.fitted.round(2)  # doctest: +NORMALIZE_WHITESPACE
    dest      A      B
    orig
    A     13.25   4.75
    B      2.75  17.25
    >>> res.theta.round(4).tolist()
    [2.4854, 2.579, 1.0662, 0.9555]
    """
    check_settings(on_nonconvergence, tol=tol, max_iter=max_iter, margin_tol=margin_tol)
    rows = cols = None
    if isinstance(offset, pd.DataFrame):
        m, rows, cols = as_matrix(offset, "offset", nonneg=True)
    r, c, rows, cols = _margins_and_labels(row_tot, col_tot, rows, cols)
    if offset is None:
        m = np.ones((r.size, c.size))
    elif not isinstance(offset, pd.DataFrame):
        m, rows, cols = as_matrix(offset, "offset", rows=rows, cols=cols, nonneg=True)
    _check_offset_support(r, c, m, rows, cols)
    check_totals(r.sum(), c.sum(), "cm2 row_tot vs col_tot", margin_tol)
    alpha, beta, it, err = _cm_loop(r, c, m, tol, max_iter, "cm2", on_nonconvergence)
    fitted = alpha[:, None] * m * beta[None, :]
    return CmResult(fitted=matrix_frame(fitted, rows, cols), iterations=it, error=err,
                    alpha=pd.Series(alpha, index=rows, name="alpha"), beta=pd.Series(beta, index=cols, name="beta"))


def cm3(row_tot, col_tot, offset, *, tol: float = 1e-6, max_iter: int = 500,
        margin_tol: float = 1e-9, on_nonconvergence: str = "raise") -> CmResult:
    """Conditional maximisation of ``n_ijk = alpha_i beta_j m_ijk`` (migest ``cm3``).

    ``alpha`` and ``beta`` are fitted by :func:`cm2` to the collapsed offset
    ``M_ij = sum_k m_ijk``; only the 2-d orig and dest totals are matched.

    Parameters
    ----------
    row_tot, col_tot : array-like or pandas.Series
        Origin and destination totals.
    offset : array-like, shape (I, J, K)
        m_ijk, required (as in migest).
    tol, max_iter, margin_tol, on_nonconvergence
        As in :func:`cm2`.

    Returns
    -------
    CmResult
        ``fitted`` is a :class:`FlowArray` (third axis ``type``, labelled 1..K).

    Raises
    ------
    InputError, MarginMismatchError, ConvergenceError
        As :func:`cm2`; also an offset that is not three-dimensional.

    See Also
    --------
    cm2 : two-way offsets.
    ipf3 : three-way IPF of origin x destination x place of birth.

    References
    ----------
    .. [1] Raymer, J., Abel, G. J., & Smith, P. W. F. (2007). Combining census
       and registration data to estimate detailed elderly migration flows in
       England and Wales. JRSS A 170(4), 891-908.

    Examples
    --------
    Two types of mover over two regions (migest's ``cm3`` help page): the
    Willekens totals doubled, one offset per type.

    >>> import numpy as np
    >>> m = np.zeros((2, 2, 2))
    >>> m[:, :, 0] = [[5, 2], [1, 7]]
    >>> m[:, :, 1] = [[4, 5], [2, 9]]
    >>> res = cm3([36, 40], [32, 44], m)
    >>> res.fitted.od().round(2)  # doctest: +NORMALIZE_WHITESPACE
    dest     R1     R2
    orig
    R1    23.44  12.56
    R2     8.56  31.44
    """
    check_settings(on_nonconvergence, tol=tol, max_iter=max_iter, margin_tol=margin_tol)
    if np.ndim(offset) != 3:
        raise InputError(f"cm3 offset must be three-dimensional, got shape {np.shape(offset)}")
    r, c, rows, cols = _margins_and_labels(row_tot, col_tot, None, None)
    if (r.size, c.size) != np.shape(offset)[:2]:
        raise InputError(f"cm3 totals of length {(r.size, c.size)} do not fit an offset of shape "
                         f"{np.shape(offset)}")
    m = as_cube(offset, "offset", rows, cols, [str(t + 1) for t in range(np.shape(offset)[2])], nonneg=True)
    collapsed = m.sum(axis=2)
    _check_offset_support(r, c, collapsed, rows, cols)
    check_totals(r.sum(), c.sum(), "cm3 row_tot vs col_tot", margin_tol)
    alpha, beta, it, err = _cm_loop(r, c, collapsed, tol, max_iter, "cm3", on_nonconvergence)
    del collapsed  # not needed while the full-size fitted array is built
    fitted = m * alpha[:, None, None]
    fitted *= beta[None, :, None]
    third = [str(k + 1) for k in range(m.shape[2])]
    return CmResult(fitted=FlowArray(fitted, (rows, cols, third), ("orig", "dest", "type")), iterations=it,
                    error=err, alpha=pd.Series(alpha, index=rows, name="alpha"),
                    beta=pd.Series(beta, index=cols, name="beta"))

