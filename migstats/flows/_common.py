"""Result types and fitting-loop helpers shared by the flow estimators (internal to migstats.flows).

Input checks live in :mod:`migstats.flows.arrays`, which migstats.flows.indices
uses too.
"""

from __future__ import annotations

import numbers
import os
import sys
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from migstats._deprecation import changed_arguments
from migstats.errors import (
    ConvergenceError,
    ConvergenceWarning,
    InputError,
    MarginMismatchError,
    MemoryBudgetError,
    MissingDependencyError,
)
from migstats.flows.arrays import as_number

ON_NONCONVERGENCE = ("raise", "warn")


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


def check_settings(on_nonconvergence: str, *, tol, max_iter, **tolerances) -> None:
    """Refuse fitting settings that would end a loop silently: a NaN or non-positive ``tol``
    (``err > nan`` is False, so the loop would stop at once), a ``max_iter`` below 1, a negative
    or NaN tolerance, or an unknown policy."""
    if on_nonconvergence not in ON_NONCONVERGENCE:
        raise InputError(f"on_nonconvergence must be one of {ON_NONCONVERGENCE}, got {on_nonconvergence!r}")
    as_number(tol, "tol", minimum=0, strict=True)
    if isinstance(max_iter, (bool, np.bool_)) or not isinstance(max_iter, numbers.Integral) or max_iter < 1:
        raise InputError(f"max_iter must be a whole number of iterations, at least 1, got {max_iter!r}")
    for name, value in tolerances.items():
        as_number(value, name, minimum=0)


def warn_at_caller(message: str, category: type[Warning]) -> None:
    """Issue a warning attributed to the first frame outside migstats (the user's line).

    A fixed ``stacklevel`` would be wrong for the estimators that reach the
    same loop through different depths.
    """
    frame = sys._getframe(1)
    level = 2
    while frame is not None and frame.f_globals.get("__name__", "").startswith("migstats."):
        frame = frame.f_back
        level += 1
    warnings.warn(message, category, stacklevel=level)


def report_nonconvergence(method: str, iterations: int, error: float, tol: float, policy: str) -> None:
    """Raise ConvergenceError or issue a ConvergenceWarning at the caller's line, as ``policy`` says."""
    msg = (f"{method} did not converge in {iterations} iterations: last error {error:.6g} "
           f"> tolerance {tol:.3g}")
    if policy == "raise":
        raise ConvergenceError(msg)
    warn_at_caller(msg, ConvergenceWarning)


MEMORY_ENV = "MIGSTATS_MEMORY_BUDGET"


def available_memory() -> int | None:
    """Bytes of memory available to a new allocation (Linux ``MemAvailable``), or None when unknown."""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, OSError, ValueError):
        return None


def memory_budget_bytes(memory_budget=None) -> float:
    """The budget in bytes: the argument, else ``$MIGSTATS_MEMORY_BUDGET``, else half the available memory.

    Returns inf when none is given and the available memory cannot be read.
    """
    if memory_budget is not None:
        return as_number(memory_budget, "memory_budget", minimum=0, strict=True)
    env = os.environ.get(MEMORY_ENV)
    if env is not None and env.strip():
        try:
            value = float(env)
        except ValueError:
            raise InputError(f"{MEMORY_ENV}={env!r} is not a number of bytes") from None
        return as_number(value, MEMORY_ENV, minimum=0, strict=True)
    avail = available_memory()
    return float("inf") if avail is None else avail / 2


def check_memory(needed: float, *, what: str, n: int, memory_budget=None) -> None:
    """Refuse, before allocating, a computation that needs more than the memory budget.

    Raises
    ------
    MemoryBudgetError
        ``needed`` bytes exceed :func:`memory_budget_bytes`; the message names
        n, both sizes and the ways out.
    """
    budget = memory_budget_bytes(memory_budget)
    if needed > budget:
        source = ("memory_budget" if memory_budget is not None
                  else MEMORY_ENV if os.environ.get(MEMORY_ENV, "").strip() else "half the available memory")
        raise MemoryBudgetError(
            f"{what} for {n} regions needs about {needed / 1e9:.3g} GB ({needed:.0f} bytes), more than the "
            f"memory budget of {budget / 1e9:.3g} GB ({source}); use fewer regions (aggregate them), run on a "
            f"machine with more memory, or raise the budget with memory_budget= or {MEMORY_ENV} (bytes)")


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
    dims : tuple of str
        Axis names.
    """

    values: np.ndarray
    labels: tuple
    dims: tuple = ("orig", "dest", "pob")

    @property
    def regions(self) -> list:
        """The place-of-birth labels (the regions)."""
        return list(self.labels[2])

    def to_long(self, *, value_name: str = "flow") -> pd.DataFrame:
        """Long table, one row per cell, first axis varying fastest (R's order).

        Parameters
        ----------
        value_name : str
            Name of the value column.

        Returns
        -------
        pandas.DataFrame
            One column per axis (``dims``) and the value column.

        Raises
        ------
        MemoryBudgetError
            The table (about 56 bytes a cell) would exceed the memory budget
            (``$MIGSTATS_MEMORY_BUDGET``, else half the available memory).

        See Also
        --------
        od : the origin x destination table.

        Examples
        --------
        >>> import numpy as np
        >>> cube = FlowArray(np.arange(8.0).reshape(2, 2, 2), (["A", "B"], ["A", "B"], ["A", "B"]))
        >>> cube.to_long().head(3)
          orig dest pob  flow
        0    A    A   A   0.0
        1    B    A   A   4.0
        2    A    B   A   2.0
        """
        # three int64 index arrays, three object label columns and the values, each one value per cell
        check_memory(self.values.size * 8 * 7, what="FlowArray.to_long", n=self.values.shape[0])
        idx = np.indices(self.values.shape).reshape(3, -1, order="F")
        cols = {dim: np.asarray(lab, dtype=object)[ix]
                for dim, lab, ix in zip(self.dims, self.labels, idx)}
        cols[value_name] = self.values.reshape(-1, order="F")
        return pd.DataFrame(cols)

    def od(self, *, zero_diagonal: bool = False) -> pd.DataFrame:
        """Origin x destination table: ``od_ij = sum_k values[i, j, k]`` (diagonal = stayers).

        Parameters
        ----------
        zero_diagonal : bool
            Set the stayers (i == j) to 0.

        Returns
        -------
        pandas.DataFrame
            orig (rows) x dest (columns).

        See Also
        --------
        to_long : every cell as a long table.

        Examples
        --------
        >>> import numpy as np
        >>> cube = FlowArray(np.arange(8.0).reshape(2, 2, 2), (["A", "B"], ["A", "B"], ["A", "B"]))
        >>> cube.od(zero_diagonal=True)
        dest    A    B
        orig
        A     0.0  5.0
        B     9.0  0.0
        """
        m = self.values.sum(axis=2)
        if zero_diagonal:
            np.fill_diagonal(m, 0.0)
        return matrix_frame(m, self.labels[0], self.labels[1], self.dims[0], self.dims[1])


def matrix_frame(values: np.ndarray, rows, cols, row_name="orig", col_name="dest") -> pd.DataFrame:
    """A labelled DataFrame with named row and column axes."""
    return pd.DataFrame(values, index=pd.Index(list(rows), name=row_name),
                        columns=pd.Index(list(cols), name=col_name))


@changed_arguments(renamed={"frame": "data"})
def matrix_to_long(data: pd.DataFrame, *, value_name: str = "flow") -> pd.DataFrame:
    """Long table from an orig x dest DataFrame, orig varying fastest (R's order).

    Parameters
    ----------
    data : pandas.DataFrame
        orig (rows) x dest (columns); the axis names, when set, name the columns.
    value_name : str
        Name of the value column.

    Returns
    -------
    pandas.DataFrame
        Columns orig, dest (or the axis names) and ``value_name``; one row per cell.

    See Also
    --------
    FlowResult.to_long : the long table of an estimate.

    Examples
    --------
    >>> import pandas as pd
    >>> flows = pd.DataFrame([[0, 5], [7, 0]], index=["A", "B"], columns=["A", "B"])
    >>> matrix_to_long(flows)
      orig dest  flow
    0    A    A     0
    1    B    A     7
    2    A    B     5
    3    B    B     0
    """
    rows = np.asarray(data.index, dtype=object)
    cols = np.asarray(data.columns, dtype=object)
    i, j = np.indices(data.shape).reshape(2, -1, order="F")
    return pd.DataFrame({
        data.index.name or "orig": rows[i],
        data.columns.name or "dest": cols[j],
        value_name: data.to_numpy().reshape(-1, order="F"),
    })


@dataclass(frozen=True)
class FlowResult:
    """What every flow estimator returns: the fitted flows and how the fit ended.

    Attributes
    ----------
    fitted : pandas.DataFrame or FlowArray
        The estimated flows: an orig x dest table, or an orig x dest x pob
        (or type) array. Persons, like the inputs.
    iterations : int
        Iterations (sweeps) the fitting loop ran; 0 for closed forms.
    error : float
        The last value of the stopping criterion; 0 for closed forms.
    """

    fitted: object
    iterations: int
    error: float

    def to_long(self) -> pd.DataFrame:
        """Long table of the fitted flows: orig, dest[, pob], flow (first axis varying fastest).

        Returns
        -------
        pandas.DataFrame
            Columns orig, dest (and pob for a 3-d fit) and flow; one row per cell.

        See Also
        --------
        od : the origin x destination table.

        Examples
        --------
        >>> from migstats.flows import ipf2
        >>> fit = ipf2(row_tot=[10, 20], col_tot=[15, 15])
        >>> fit.to_long()
          orig dest  flow
        0   R1   R1   5.0
        1   R2   R1  10.0
        2   R1   R2   5.0
        3   R2   R2  10.0
        """
        if isinstance(self.fitted, FlowArray):
            return self.fitted.to_long()
        return matrix_to_long(self.fitted)

    def od(self, *, zero_diagonal: bool = False) -> pd.DataFrame:
        """Origin x destination flows (a 3-d fit summed over its third axis).

        Parameters
        ----------
        zero_diagonal : bool
            Set the cells i == j (stayers) to 0; needs a region x region table.

        Returns
        -------
        pandas.DataFrame
            orig (rows) x dest (columns).

        Raises
        ------
        InputError
            ``zero_diagonal`` on a table whose rows and columns are not the same regions.

        See Also
        --------
        to_long : the flows as a long table.

        Examples
        --------
        >>> from migstats.flows import ipf2
        >>> ipf2(row_tot=[10, 20], col_tot=[15, 15]).od(zero_diagonal=True)
        dest    R1   R2
        orig
        R1     0.0  5.0
        R2    10.0  0.0
        """
        if isinstance(self.fitted, FlowArray):
            return self.fitted.od(zero_diagonal=zero_diagonal)
        frame = self.fitted
        if not zero_diagonal:
            return frame.copy()
        if list(frame.index) != list(frame.columns):
            raise InputError("zero_diagonal needs a table whose rows and columns are the same regions")
        values = frame.to_numpy(copy=True)
        np.fill_diagonal(values, 0.0)
        return matrix_frame(values, frame.index, frame.columns, frame.index.name, frame.columns.name)


def check_support(target: np.ndarray, support: np.ndarray, labels, target_name: str, what: str) -> None:
    """Raise InputError when a positive target has no positive prior cell to carry it.

    ``support[i]`` is the prior mass available to target i (e.g. the row
    sums of an offset); a fit can never reach ``target[i] > 0`` from 0, and
    would otherwise end in a ConvergenceError that does not say why.
    """
    stuck = np.flatnonzero((target != 0) & (support <= 0))
    if stuck.size:
        i = int(stuck[0])
        raise InputError(f"{target_name} for region {labels[i]!r} is {target[i]:.6g}, but the offset has no "
                         f"positive cell in {what} {labels[i]!r}, so no fit can reach it")


def import_scipy_optimize(function: str):
    """scipy.optimize, imported when first needed (importing migstats must stay light).

    Raises
    ------
    MissingDependencyError
        scipy is not installed; the message names the ``migstats[flows]`` extra.
    """
    try:
        import scipy.optimize
    except ImportError:
        raise MissingDependencyError(f"{function} needs scipy, which is not installed; install it with "
                                     "pip install 'migstats[flows]'") from None
    return scipy.optimize
