"""Input coercion and labelled outputs shared by the flow estimators.

Every estimator accepts numpy arrays or labelled pandas objects. Labels travel
with the numbers: a DataFrame in gives a DataFrame out with the same region
names; a bare array gets the labels ``"R1" .. "Rn"``.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from migstats.errors import (
    ConvergenceError,
    InputError,
    MarginMismatchError,
    MissingValueError,
)

ON_NONCONVERGENCE = ("raise", "warn")


def default_labels(n: int) -> list[str]:
    """Region labels ``R1 .. Rn`` for unlabelled input."""
    return [f"R{i + 1}" for i in range(n)]


def _check_finite(values: np.ndarray, name: str) -> None:
    if not np.all(np.isfinite(values)):
        bad = np.argwhere(~np.isfinite(values))[0]
        raise MissingValueError(f"{name} has a missing or infinite value at position {tuple(int(i) for i in bad)}")


def as_vector(x, name: str, labels=None) -> tuple[np.ndarray, list]:
    """Coerce a vector (Series, dict, sequence, array) to floats and labels."""
    if isinstance(x, pd.DataFrame):
        if x.shape[1] != 1:
            raise InputError(f"{name} must be a vector, got a table with {x.shape[1]} columns")
        x = x.iloc[:, 0]
    if isinstance(x, dict):
        x = pd.Series(x)
    if isinstance(x, pd.Series):
        values = x.to_numpy(dtype=float)
        own = list(x.index)
        if labels is not None and own != list(range(len(own))):
            missing = [lab for lab in labels if lab not in x.index]
            if missing:
                raise InputError(f"{name} has no value for region(s) {missing}")
            values = x.reindex(labels).to_numpy(dtype=float)
            own = list(labels)
        elif labels is not None:
            own = list(labels)
    else:
        values = np.asarray(x, dtype=float)
        if values.ndim != 1:
            raise InputError(f"{name} must be one-dimensional, got shape {values.shape}")
        own = list(labels) if labels is not None else default_labels(values.size)
    if labels is not None and len(values) != len(labels):
        raise InputError(f"{name} has {len(values)} values for {len(labels)} regions")
    _check_finite(values, name)
    return values, own


def as_matrix(x, name: str, rows=None, cols=None) -> tuple[np.ndarray, list, list]:
    """Coerce a 2-d table to floats with row and column labels.

    A DataFrame is reordered to ``rows``/``cols`` when they are given, so
    tables with the same regions in another order line up.
    """
    if isinstance(x, pd.DataFrame):
        if rows is not None or cols is not None:
            want_r = list(rows) if rows is not None else list(x.index)
            want_c = list(cols) if cols is not None else list(x.columns)
            missing = [r for r in want_r if r not in x.index] + [c for c in want_c if c not in x.columns]
            if missing:
                raise InputError(f"{name} lacks region(s) {sorted(set(map(str, missing)))}")
            x = x.loc[want_r, want_c]
        values = x.to_numpy(dtype=float)
        r, c = list(x.index), list(x.columns)
    else:
        values = np.asarray(x, dtype=float)
        if values.ndim != 2:
            raise InputError(f"{name} must be two-dimensional, got shape {values.shape}")
        r = list(rows) if rows is not None else default_labels(values.shape[0])
        c = list(cols) if cols is not None else default_labels(values.shape[1])
        if (len(r), len(c)) != values.shape:
            raise InputError(f"{name} has shape {values.shape}, expected {(len(r), len(c))}")
    _check_finite(values, name)
    return values, r, c


def as_square(x, name: str, labels=None) -> tuple[np.ndarray, list]:
    """A square region x region table; row and column labels must agree."""
    values, r, c = as_matrix(x, name, rows=labels, cols=labels)
    if values.shape[0] != values.shape[1]:
        raise InputError(f"{name} must be square, got shape {values.shape}")
    if isinstance(x, pd.DataFrame) and labels is None and list(r) != list(c):
        if set(r) != set(c):
            raise InputError(f"{name} rows and columns name different regions")
        values, r, c = as_matrix(x, name, rows=r, cols=r)
    return values, r


def check_totals(a: float, b: float, what: str, rel_tol: float) -> None:
    """Raise MarginMismatchError when two totals differ beyond ``rel_tol``.

    The comparison is relative to the larger total (absolute below 1).
    """
    scale = max(abs(a), abs(b), 1.0)
    if abs(a - b) > rel_tol * scale:
        raise MarginMismatchError(
            f"{what}: totals differ, {a:.10g} vs {b:.10g} (difference {a - b:.6g}); "
            "migest would silently rescale both to proportions, migstats refuses"
        )


def check_policy(on_nonconvergence: str) -> None:
    if on_nonconvergence not in ON_NONCONVERGENCE:
        raise InputError(f"on_nonconvergence must be one of {ON_NONCONVERGENCE}, got {on_nonconvergence!r}")


def report_nonconvergence(method: str, iterations: int, error: float, tol: float, policy: str) -> None:
    """Raise ConvergenceError or warn, as ``policy`` says."""
    msg = (f"{method} did not converge in {iterations} iterations: last error {error:.6g} "
           f"> tolerance {tol:.3g}")
    if policy == "raise":
        raise ConvergenceError(msg)
    warnings.warn(msg, RuntimeWarning, stacklevel=3)


def safe_ratio(target: np.ndarray, current: np.ndarray) -> np.ndarray:
    """target / current, with 0 where either is 0 (the IPF convention)."""
    out = np.zeros(np.broadcast_shapes(np.shape(target), np.shape(current)))
    np.divide(target, current, out=out, where=(current != 0) & (target != 0))
    return out


@dataclass(frozen=True)
class FlowArray:
    """A labelled 3-d flow array, axes (orig, dest, pob).

    Attributes
    ----------
    values : numpy.ndarray
        ``values[i, j, k]`` = people born in region k who moved from i to j
        (i == j: stayers).
    labels : tuple of three lists
        Labels of each axis (the demographic account adds ``birth``/``outside``
        origins and ``death``/``outside`` destinations).
    iterations : int
        Iterations the fitting loop ran (0 for closed forms).
    error : float
        The last value of the stopping criterion.
    dims : tuple of str
        Axis names.
    """

    values: np.ndarray
    labels: tuple
    iterations: int = 0
    error: float = 0.0
    dims: tuple = ("orig", "dest", "pob")

    @property
    def regions(self) -> list:
        """The place-of-birth labels (the regions)."""
        return list(self.labels[2])

    def to_long(self, *, value_name: str = "flow") -> pd.DataFrame:
        """Long table, one row per cell, first axis varying fastest (R's order)."""
        idx = np.indices(self.values.shape).reshape(3, -1, order="F")
        cols = {dim: np.asarray(lab, dtype=object)[ix]
                for dim, lab, ix in zip(self.dims, self.labels, idx)}
        cols[value_name] = self.values.reshape(-1, order="F")
        return pd.DataFrame(cols)

    def od(self, *, zero_diagonal: bool = False) -> pd.DataFrame:
        """Origin x destination table: sum over place of birth (diagonal = stayers)."""
        m = self.values.sum(axis=2)
        if zero_diagonal:
            np.fill_diagonal(m, 0.0)
        return matrix_frame(m, self.labels[0], self.labels[1], self.dims[0], self.dims[1])


def matrix_frame(values: np.ndarray, rows, cols, row_name="orig", col_name="dest") -> pd.DataFrame:
    return pd.DataFrame(values, index=pd.Index(list(rows), name=row_name),
                        columns=pd.Index(list(cols), name=col_name))


def matrix_to_long(frame: pd.DataFrame, *, value_name: str = "flow") -> pd.DataFrame:
    """Long table orig, dest, flow from an orig x dest DataFrame, orig varying fastest."""
    rows = np.asarray(frame.index, dtype=object)
    cols = np.asarray(frame.columns, dtype=object)
    i, j = np.indices(frame.shape).reshape(2, -1, order="F")
    return pd.DataFrame({
        frame.index.name or "orig": rows[i],
        frame.columns.name or "dest": cols[j],
        value_name: frame.to_numpy().reshape(-1, order="F"),
    })
