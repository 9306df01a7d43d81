"""Conditional maximisation (CM) for the 2-way offset model (migest ``cm2``, ``cm3``)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from migstats.errors import InputError
from migstats.flows._common import (
    FlowArray,
    as_matrix,
    as_vector,
    check_policy,
    check_totals,
    matrix_frame,
    matrix_to_long,
    report_nonconvergence,
    safe_ratio,
)

__all__ = ["CmResult", "cm2", "cm3"]


@dataclass(frozen=True)
class CmResult:
    """Result of a conditional-maximisation fit.

    Attributes
    ----------
    fitted : pandas.DataFrame or FlowArray
        Fitted table (2-d for cm2, orig x dest x pob for cm3).
    alpha, beta : pandas.Series
        Origin and destination parameters (migest ``theta``).
    iterations : int
        Value of migest's loop counter at exit (it starts at 1).
    error : float
        Last largest parameter change.
    """

    fitted: object
    alpha: pd.Series
    beta: pd.Series
    iterations: int
    error: float

    @property
    def theta(self) -> pd.Series:
        """alpha1..alphaI, beta1..betaJ, as migest's ``theta`` vector."""
        a = pd.Series(self.alpha.to_numpy(), index=[f"alpha{i + 1}" for i in range(self.alpha.size)])
        b = pd.Series(self.beta.to_numpy(), index=[f"beta{j + 1}" for j in range(self.beta.size)])
        return pd.concat([a, b])

    def to_long(self) -> pd.DataFrame:
        """Long table of the fitted values (orig, dest[, pob], flow)."""
        if isinstance(self.fitted, FlowArray):
            return self.fitted.to_long()
        return matrix_to_long(self.fitted)


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
    r, rows = as_vector(row_tot, "row_tot", offset_rows)
    c, cols = as_vector(col_tot, "col_tot", offset_cols)
    return r, c, rows, cols


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

    Raises
    ------
    MarginMismatchError
        Totals of the two margins differ (migest does not check).
    ConvergenceError
    """
    check_policy(on_nonconvergence)
    rows = cols = None
    if isinstance(offset, pd.DataFrame):
        m, rows, cols = as_matrix(offset, "offset")
    r, c, rows, cols = _margins_and_labels(row_tot, col_tot, rows, cols)
    if offset is None:
        m = np.ones((r.size, c.size))
    elif not isinstance(offset, pd.DataFrame):
        m, rows, cols = as_matrix(offset, "offset", rows, cols)
    check_totals(r.sum(), c.sum(), "cm2 row_tot vs col_tot", margin_tol)
    alpha, beta, it, err = _cm_loop(r, c, m, tol, max_iter, "cm2", on_nonconvergence)
    fitted = alpha[:, None] * m * beta[None, :]
    return CmResult(matrix_frame(fitted, rows, cols), pd.Series(alpha, index=rows, name="alpha"),
                    pd.Series(beta, index=cols, name="beta"), it, err)


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
        ``fitted`` is a :class:`FlowArray` (third axis labelled 1..K).
    """
    check_policy(on_nonconvergence)
    m = np.asarray(offset, dtype=float)
    if m.ndim != 3:
        raise InputError(f"cm3 offset must be three-dimensional, got shape {m.shape}")
    if not np.all(np.isfinite(m)):
        raise InputError("cm3 offset has missing or infinite values")
    r, c, rows, cols = _margins_and_labels(row_tot, col_tot, None, None)
    if (r.size, c.size) != m.shape[:2]:
        raise InputError(f"cm3 totals of length {(r.size, c.size)} do not fit an offset of shape {m.shape}")
    check_totals(r.sum(), c.sum(), "cm3 row_tot vs col_tot", margin_tol)
    alpha, beta, it, err = _cm_loop(r, c, m.sum(axis=2), tol, max_iter, "cm3", on_nonconvergence)
    fitted = m * alpha[:, None, None]
    fitted *= beta[None, :, None]
    third = [str(k + 1) for k in range(m.shape[2])]
    return CmResult(FlowArray(fitted, (rows, cols, third), it, err, ("orig", "dest", "type")),
                    pd.Series(alpha, index=rows, name="alpha"),
                    pd.Series(beta, index=cols, name="beta"), it, err)
