"""Flows from stocks: demographic accounting (ffs_demo), stock differencing, rate methods.

Stock tables are place of birth (rows) x place of residence (columns) at the
start and end of a period. Estimated flows are orig x dest x pob arrays.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from migstats.errors import IgnoredArgumentError, InputError, MigstatsWarning, UnknownNameError, ZeroBaseError
from migstats.flows._common import (
    FlowArray,
    FlowResult,
    check_memory,
    check_settings,
    check_totals,
    matrix_frame,
    warn_at_caller,
)
from migstats.flows.arrays import as_number, as_square, as_vector, default_labels, offset_array, safe_ratio
from migstats.flows.ipf import expand, fit_2way, fit_ik_jk

__all__ = ["FfsResult", "ffs_demo", "ffs_diff", "ffs_rates", "rescale_integer_sum", "example_stocks"]

MATCH_METHODS = ("rescale", "open", "open-dr")
MATCH_GLOBAL = ("before-demo-adjust", "after-demo-adjust")
NEGATIVE_FLOWS = ("warn", "clip", "raise")


def rescale_integer_sum(x, total: float) -> np.ndarray:
    """Rescale ``x`` proportionally to sum to ``total``, rounded to integers.

    ``y_i = round(x_i * total / sum(x))`` (half to even); the rounding
    residual ``total - sum(y)`` is added to one element: the first (in the
    given order) of the elements with the largest absolute value of ``x``.

    Deliberate difference: migest picks that element at random (``sample``)
    among ties, so its result depends on R's random seed; here the first tied
    element is taken, so results are reproducible.

    Parameters
    ----------
    x : array-like
        Non-negative values (counts) with a positive sum.
    total : float
        The sum the result must have.

    Returns
    -------
    numpy.ndarray
        Integers (as floats) summing to ``total`` when ``total`` is an integer.

    Raises
    ------
    ZeroBaseError
        ``x`` sums to 0 (no proportions to rescale).
    InputError
        Negative or non-numeric values; MissingValueError for NaN or an
        infinite ``total``; EmptyTableError for an empty ``x``.

    See Also
    --------
    rescale_net : the same rounding for net migration totals.

    Examples
    --------
    >>> rescale_integer_sum([5, 5, 1], 12).tolist()
    [6.0, 5.0, 1.0]
    """
    x, _ = as_vector(x, "x", nonneg=True)
    total = as_number(total, "total")
    if x.sum() == 0:
        raise ZeroBaseError(f"x sums to 0, so it has no proportions to rescale to total {total:g}")
    out = np.round(x * (total / x.sum()))
    residual = total - out.sum()
    if residual != 0:
        out[int(np.argmax(np.abs(x)))] += residual
    return out


def _scale_axis(x: np.ndarray, target: np.ndarray, axis: int) -> np.ndarray:
    """Scale rows (axis=1 sums) or columns (axis=0 sums) of ``x`` to ``target``; 0/0 -> 0."""
    factor = safe_ratio(target, x.sum(axis=axis))
    return x * (factor[:, None] if axis == 1 else factor[None, :])


def _check_nonneg(x: np.ndarray, what: str, regions) -> None:
    if np.any(x < 0):
        i, j = np.argwhere(x < 0)[0]
        raise InputError(f"{what} is negative ({x[i, j]:.6g}) for place of birth {regions[i]!r}, "
                         f"residence {regions[j]!r}; IPF needs non-negative tables")


def _ipfp_2d(seed: np.ndarray, row_target: np.ndarray, col_target: np.ndarray, tol: float,
             max_iter: int, what: str, margin_tol: float, on_nonconvergence: str) -> np.ndarray:
    """mipfp-style 2-margin IPF: rows then columns, stop when max |cell change| < tol."""
    for name, target in (("row", row_target), ("column", col_target)):
        if np.any(target < 0):
            i = int(np.flatnonzero(target < 0)[0])
            raise InputError(f"{what}: {name} target {i + 1} is negative ({target[i]:.6g}); "
                             "IPF needs non-negative margins")
    check_totals(row_target.sum(), col_target.sum(), what, margin_tol)
    a, b, _, _ = fit_2way(seed, row_target, col_target, order="rows-cols", tol=tol, max_iter=max_iter,
                          rule="cell", method=what, on_nonconvergence=on_nonconvergence)
    return a[:, None] * seed * b[None, :]


def _nb_non_zero(m: np.ndarray) -> np.ndarray:
    """Columns with a negative native-born (diagonal) cell: negatives set to 0, rest shrunk to the column total."""
    bad = np.diag(m) < 0
    if not bad.any():
        return m
    out = m.copy()
    out[:, bad] = _scale_axis(np.maximum(m[:, bad], 0.0), m[:, bad].sum(axis=0), axis=0)
    return out


def _nb_scale_global(s1, s2, births, deaths, rel_tol):
    """Rescale the native-born diagonals so stock growth equals natural growth (integer rounding).

    A gap within ``rel_tol`` of the stock total counts as none (migest tests
    exact equality, so floating-point noise would round every native-born
    cell to an integer).
    """
    s1, s2 = s1.copy(), s2.copy()
    nat_grow = births.sum() - deaths.sum()
    dd = nat_grow - (s2.sum() - s1.sum())
    if abs(dd) <= rel_tol * max(abs(s1.sum()), 1.0):
        return s1, s2
    diag = np.arange(s1.shape[0])
    frac = dd % 2
    if round(frac) == 0 and frac != 0:
        s2[diag, diag] = rescale_integer_sum(np.diag(s2), np.diag(s2).sum() + 1)
        dd = nat_grow - (s2.sum() - s1.sum())
    if dd != 0:
        t1, t2 = np.diag(s1).sum(), np.diag(s2).sum()
        s1[diag, diag] = rescale_integer_sum(np.diag(s1), t1 - dd / 2)
        s2[diag, diag] = rescale_integer_sum(np.diag(s2), t2 + dd / 2)
    return s1, s2


@dataclass(frozen=True)
class FfsResult(FlowResult):
    """Flows estimated by :func:`ffs_demo`.

    Attributes
    ----------
    fitted : FlowArray
        orig x dest x pob flows, persons; diagonal cells (orig == dest) are stayers.
    iterations, error : int, float
        Sweeps and last largest cell change of the final 3-way IPF.
    births, deaths : pandas.DataFrame
        Births and deaths allocated to pob (rows) x residence (columns).
    outside_in, outside_out : pandas.DataFrame
        pob x residence moves from / to outside the system (``open`` methods;
        zero otherwise): migest's ``in_mat`` and ``out_mat``.
    """

    births: pd.DataFrame
    deaths: pd.DataFrame
    outside_in: pd.DataFrame
    outside_out: pd.DataFrame

    @property
    def account(self) -> FlowArray:
        """migest's ``return = "account"`` array, (n+2) x (n+2) x n.

        Extra origins ``birth`` and ``outside``, extra destinations ``death``
        and ``outside``. Laid out exactly as migest does:
        ``[birth, j, k] = births[j, k]``, ``[outside, j, k] = outside_out[k, j]``,
        ``[i, death, k] = deaths[k, i]``, ``[i, outside, k] = outside_in[k, i]``.
        For births this puts the place of birth on the destination axis and the
        residence on the pob axis, unlike the other blocks; it only matters for
        ``birth_method="proportion"`` (native births are diagonal).
        """
        regions = self.fitted.regions
        n = len(regions)
        check_memory(8 * (n + 2) ** 2 * n, what="FfsResult.account", n=n)
        y = np.zeros((n + 2, n + 2, n))
        y[:n, :n, :] = self.fitted.values
        y[n, :n, :] = self.births.to_numpy()
        y[n + 1, :n, :] = self.outside_out.to_numpy().T
        y[:n, n, :] = self.deaths.to_numpy().T
        y[:n, n + 1, :] = self.outside_in.to_numpy().T
        return FlowArray(y, (regions + ["birth", "outside"], regions + ["death", "outside"], regions))


def ffs_demo(stock_start, stock_end, births=None, deaths=None, *, seed=None,
             stayer_assumption: bool = True, match_global: str | None = None,
             match_birthplace_tot_method: str = "rescale", birth_method: str = "native",
             birth_non_negative: bool | None = None, death_method: str = "proportion",
             tol: float = 1e-3, max_iter: int = 100_000, margin_tol: float = 1e-9,
             on_nonconvergence: str = "raise", negative_flows: str = "warn",
             memory_budget: float | None = None) -> FfsResult:
    """Bilateral flows between two birthplace x residence stock tables by demographic accounting.

    Implements migest 2.0.5 ``ffs_demo`` (Abel 2013; Abel & Sander 2014;
    Abel 2018; Abel & Cohen 2019). Steps, with S1, S2 the start and end
    tables (rows pob k, columns residence j), b and d births and deaths by
    residence:

    1. a negative native-born cell S[j, j] sets the negatives of column j to 0
       and shrinks the rest to the original column total;
    2. ``match_global="before-demo-adjust"`` (rescale methods): with
       ``dd = (sum b - sum d) - (sum S2 - sum S1)``, diag(S1) is rescaled to
       sum ``sum diag(S1) - dd/2`` and diag(S2) to ``sum diag(S2) + dd/2``
       (:func:`rescale_integer_sum`);
    3. births B (``"native"``: diag(b), a column whose births exceed its
       native-born stock is spread as ``b_j S2[k, j] / sum_k S2[k, j]`` when
       ``birth_non_negative``; ``"proportion"``: always so) and deaths D
       (``"proportion"``: ``d_j S1[k, j] / sum_k S1[k, j]``;
       ``"accounting"``: 2-way IPF of S1, rows then columns, to rows
       ``S1[k,.] + b_k - S2[k,.]`` and columns d): S1' = S1 - D, S2' = S2 - B;
    4. ``match_global="after-demo-adjust"``: ``dd = sum S2' - sum S1'``;
       diag(S1') += dd/2 * diag(S1')/sum diag(S1'), diag(S2') -= dd/2 *
       diag(S2')/sum diag(S2');
    5. birthplace totals matched, ``dd_k = S1'[k,.] - S2'[k,.]``:
       ``"rescale"`` IPF S1' to rows ``S1'[k,.] - dd_k/2`` (columns kept) and
       S2' to ``S2'[k,.] + dd_k/2``; ``"open"``: out-migration to outside
       ``max(dd_k, 0)`` spread over row k of S2', in-migration
       ``max(-dd_k, 0)`` over row k of S1', subtracted from S1', S2';
       ``"open-dr"``: the same with the two seeds swapped;
    6. flows: with ``stayer_assumption`` stayers ``mu[j, j, k] = min(S1''[k, j],
       S2''[k, j])`` and movers fitted by 3-way IPF (offset 1 off the
       diagonal, 0 on it) to the remaining orig x pob and dest x pob margins
       (the latter first rescaled per pob to the former's totals); otherwise
       IPF of ``seed`` to S1''^T and S2''^T.

    The IPFs of steps 3, 5 and 6 are mipfp ``Ipfp``'s: margins in the order given,
    stop when the largest absolute cell change over a sweep is < ``tol``.

    Parameters
    ----------
    stock_start, stock_end : DataFrame or array-like
        pob x residence stocks. DataFrames are aligned on their labels.
    births, deaths : Series or array-like, optional
        Non-negative counts by region of residence; default 0.
    seed : array-like or DataFrame, optional
        Prior orig x dest (or orig x dest x pob) for ``stayer_assumption=False``.
    stayer_assumption : bool
        Quasi-independence with maximal stayers (default, as migest).
    match_global : {"before-demo-adjust", "after-demo-adjust"}, optional
        Default "before-demo-adjust"; only used by the "rescale" method.
    match_birthplace_tot_method : {"rescale", "open", "open-dr"}
    birth_method : {"native", "proportion"}
    birth_non_negative : bool, optional
        Default True; only used by ``birth_method="native"``.
    death_method : {"proportion", "accounting"}
    tol, max_iter : float, int
        mipfp settings used by migest: 1e-3, 1e5.
    margin_tol : float
        Relative tolerance for IPF margin totals that must agree.
    on_nonconvergence : {"raise", "warn"}
        Non-convergence of an IPF: ConvergenceError, or a ConvergenceWarning
        and the last iterate.
    negative_flows : {"warn", "clip", "raise"}
        What to do with negative estimated flows, which the ``"open"`` and
        ``"open-dr"`` methods give (as migest does) when a stock cell, once
        births, deaths and moves to or from outside are taken off, is below
        0: return them with a :class:`~migstats.errors.MigstatsWarning` that
        gives their number and the lowest (default), set them to 0 (the
        margins then no longer hold exactly), or raise InputError.
    memory_budget : float, optional
        Bytes the estimate may allocate (about ``8 n^3``, see
        :func:`ffs_demo_bytes`); default ``$MIGSTATS_MEMORY_BUDGET``, else
        half the available memory.

    Returns
    -------
    FfsResult
        ``fitted`` is the orig x dest x pob :class:`FlowArray` (persons).

    Raises
    ------
    IgnoredArgumentError
        ``seed`` with ``stayer_assumption=True`` (migest ignores it silently),
        ``match_global`` with an open method, ``birth_non_negative`` with
        ``birth_method="proportion"``.
    MarginMismatchError
        IPF targets whose totals disagree (mipfp would silently fit
        proportions summing to 1 instead of counts).
    InputError
        Unknown method names, misaligned inputs or duplicate labels; a
        negative migrant (off-diagonal) stock cell, a residence with a
        negative total, negative births or deaths (each naming argument and
        region; EmptyTableError / MissingValueError for empty or NaN inputs);
        a negative seed cell or a seed without a positive cell; a negative
        table or margin entering an IPF of the ``"rescale"`` method or of
        ``death_method="accounting"`` (mipfp would fit it to a table with
        negative cells); negative flows with ``negative_flows="raise"``.
    UnknownNameError
        An unknown ``negative_flows``.
    MemoryBudgetError
        The n^3 flow array would exceed the memory budget (checked before
        anything is allocated).
    ConvergenceError
        An IPF did not converge within ``max_iter`` (``on_nonconvergence="raise"``).

    Notes
    -----
    Deliberate differences from migest: the errors above; ties in the integer
    rescaling of step 2 go to the first tied region instead of a random one;
    step 2 is skipped when the growth gap is within ``margin_tol`` of the
    stock total (migest: only when exactly 0); the
    ``"rescale-adjust-zero-fb"`` method is not provided. Like migest, the
    open methods carry on when an adjusted stock cell is negative and return
    negative flows; migstats says so (``negative_flows``).

    See Also
    --------
    ipf3 : the 3-way IPF with the stayer (quasi-independence) option.
    ffs_diff, ffs_rates : flows from stock differences and stock shares.
    sum_od, sum_region : summaries of the estimated flows.

    References
    ----------
    .. [1] Abel, G. J. (2013). Estimating global migration flow tables using
       place of birth data. Demographic Research 28(18), 505-546,
       doi:10.4054/DemRes.2013.28.18 (the four-region example of section 3,
       Table 3, and the stayer assumption, eq. 3).
    .. [2] Abel, G. J., & Sander, N. (2014). Quantifying global international
       migration flows. Science 343(6178), 1520-1522 (supplementary methods).
    .. [3] Abel, G. J. (2018). Estimates of global bilateral migration flows
       by gender between 1960 and 2015. International Migration Review 52(3),
       809-852 (the ``open`` methods).
    .. [4] Abel, G. J., & Cohen, J. E. (2019). Bilateral international
       migration flow estimates for 200 countries. Scientific Data 6, 82,
       doi:10.1038/s41597-019-0089-3 (demographic accounting, Methods).
    .. [5] Azose, J. J., & Raftery, A. E. (2019). Estimation of emigration,
       return migration, and transit migration between all pairs of
       countries. PNAS 116(1), 116-122 (``stayer_assumption=False``).

    Examples
    --------
    The four-region example of Abel (2013, Table 3; migest's help page):
    birthplace (rows) by residence (columns) stocks in two censuses, no
    births or deaths. The published answer has 150 movers, e.g. 50 from A to
    C and 35 from B to A.

    >>> import pandas as pd
    >>> r = ["A", "B", "C", "D"]
    >>> s1 = pd.DataFrame([[1000, 100, 10, 0], [55, 555, 50, 5], [80, 40, 800, 40], [20, 25, 20, 200]],
    ...                   index=r, columns=r)
    >>> s2 = pd.DataFrame([[950, 100, 60, 0], [80, 505, 75, 5], [90, 30, 800, 40], [40, 45, 0, 180]],
    ...                   index=r, columns=r)
    >>> od = ffs_demo(s1, s2).od(zero_diagonal=True)
    >>> od.round(6).astype(int)  # doctest: +NORMALIZE_WHITESPACE
    dest   A   B   C  D
    orig
    A      0   0  50  0
    B     35   0  25  0
    C     10  10   0  0
    D     10  10   0  0
    >>> int(round(od.to_numpy().sum()))
    150
    """
    check_settings(on_nonconvergence, tol=tol, max_iter=max_iter, margin_tol=margin_tol)
    if match_birthplace_tot_method not in MATCH_METHODS:
        raise InputError(f"match_birthplace_tot_method must be one of {MATCH_METHODS}, "
                         f"got {match_birthplace_tot_method!r}")
    rescale = match_birthplace_tot_method == "rescale"
    if match_global is not None and not rescale:
        raise IgnoredArgumentError(f"match_global is only used by the 'rescale' method, not "
                                   f"{match_birthplace_tot_method!r}")
    match_global = match_global or MATCH_GLOBAL[0]
    if match_global not in MATCH_GLOBAL:
        raise InputError(f"match_global must be one of {MATCH_GLOBAL}, got {match_global!r}")
    if birth_method not in ("native", "proportion"):
        raise InputError(f"birth_method must be 'native' or 'proportion', got {birth_method!r}")
    if birth_non_negative is not None and birth_method != "native":
        raise IgnoredArgumentError("birth_non_negative is only used by birth_method='native'")
    birth_non_negative = True if birth_non_negative is None else birth_non_negative
    if death_method not in ("proportion", "accounting"):
        raise InputError(f"death_method must be 'proportion' or 'accounting', got {death_method!r}")
    if seed is not None and stayer_assumption:
        raise IgnoredArgumentError("seed is not used when stayer_assumption=True (the stayer IPF "
                                   "uses its own 0/1 offset); pass stayer_assumption=False to use it")
    if negative_flows not in NEGATIVE_FLOWS:
        raise UnknownNameError(f"negative_flows must be one of {NEGATIVE_FLOWS}, got {negative_flows!r}")

    s1, regions = _stock_table(stock_start, "stock_start")
    s2 = _end_stocks(stock_end, s1, regions, _stock_table)
    n = s1.shape[0]
    seed_3d = seed is not None and not isinstance(seed, pd.DataFrame) and np.ndim(seed) == 3
    check_memory(ffs_demo_bytes(n, seed_3d=seed_3d), what="ffs_demo", n=n, memory_budget=memory_budget)
    b = np.zeros(n) if births is None else _demographic_counts(births, "births", regions)
    d = np.zeros(n) if deaths is None else _demographic_counts(deaths, "deaths", regions)
    ipf_args = dict(margin_tol=margin_tol, on_nonconvergence=on_nonconvergence)

    s1, s2 = _nb_non_zero(s1), _nb_non_zero(s2)
    if rescale and match_global == "before-demo-adjust":
        s1, s2 = _nb_scale_global(s1, s2, b, d, margin_tol)

    b_mat = _birth_matrix(b, s2, birth_method, birth_non_negative)
    d_mat = _death_matrix(d, s1, s2, b, death_method, tol, max_iter, ipf_args)
    s1, s2 = s1 - d_mat, s2 - b_mat

    diag = np.arange(n)
    if rescale and match_global == "after-demo-adjust":
        dd = s2.sum() - s1.sum()
        n1, n2 = np.diag(s1).copy(), np.diag(s2).copy()
        s1[diag, diag] = n1 + dd * n1 / n1.sum() * 0.5
        s2[diag, diag] = n2 - dd * n2 / n2.sum() * 0.5

    dd = s1.sum(axis=1) - s2.sum(axis=1)
    in_mat = np.zeros_like(s1)
    out_mat = np.zeros_like(s1)
    if rescale:
        _check_nonneg(s1, "start stock after births/deaths", regions)
        _check_nonneg(s2, "end stock after births/deaths", regions)
        s1 = _ipfp_2d(s1, s1.sum(axis=1) - dd / 2, s1.sum(axis=0), tol, max_iter,
                      "ffs_demo birthplace rescaling of stock_start", **ipf_args)
        s2 = _ipfp_2d(s2, s2.sum(axis=1) + dd / 2, s2.sum(axis=0), tol, max_iter,
                      "ffs_demo birthplace rescaling of stock_end", **ipf_args)
    else:
        in_seed, out_seed = (s1, s2) if match_birthplace_tot_method == "open" else (s2, s1)
        in_mat = _scale_axis(in_seed, np.maximum(-dd, 0.0), axis=1)
        out_mat = _scale_axis(out_seed, np.maximum(dd, 0.0), axis=1)
        s1, s2 = s1 - out_mat, s2 - in_mat

    if stayer_assumption:
        stayers = np.minimum(s1.T, s2.T)
        x0 = s1.T - stayers
        x1 = _scale_axis(s2.T - stayers, x0.sum(axis=0), axis=0)
        m = 1.0 - np.eye(n)
    else:
        stayers = None
        x0, x1 = s1.T, s2.T
        m = offset_array(seed, n, regions, name="seed")
    check_totals(x0.sum(), x1.sum(), "ffs_demo flow IPF: orig x pob vs dest x pob", margin_tol)
    a, bf, it, err = fit_ik_jk(x0, x1, m, tol=tol, max_iter=max_iter, rule="cell",
                               method="ffs_demo flow IPF", on_nonconvergence=on_nonconvergence)
    mu = expand(m, a, bf)
    if stayers is not None:
        mu[diag, diag, :] += stayers
    _negative_flows(mu, in_mat, out_mat, match_birthplace_tot_method, negative_flows)
    frame = lambda x: matrix_frame(x, regions, regions, "pob", "por")  # noqa: E731
    return FfsResult(fitted=FlowArray(mu, (regions, regions, regions)), iterations=it, error=err,
                     births=frame(b_mat), deaths=frame(d_mat), outside_in=frame(in_mat), outside_out=frame(out_mat))


def ffs_demo_bytes(n: int, *, seed_3d: bool = False) -> int:
    """Bytes :func:`ffs_demo` allocates for n regions: the n^3 float64 flow array (twice with a 3-d
    seed, which is copied), plus n^2 work tables (stocks, factors, 16 pob slices of the cell-change test)."""
    return 8 * n ** 3 * (2 if seed_3d else 1) + 8 * n * n * 64


def _negative_flows(mu, in_mat, out_mat, method, policy) -> None:
    """Report (or clip, in place) negative flows, which the open methods give when an adjusted stock is negative."""
    parts = [(mu, "orig x dest x pob flows"), (in_mat, "moves in from outside"), (out_mat, "moves out to outside")]
    if min(float(x.min(initial=0.0)) for x, _ in parts) >= 0:  # one pass, no n^3 boolean temporary
        return
    counts = [(int(np.count_nonzero(x < 0)), what) for x, what in parts]
    total = sum(c for c, _ in counts)
    if policy == "clip":
        for x, _ in parts:
            np.maximum(x, 0.0, out=x)
        return
    lowest = min(float(x.min()) for x, _ in parts)
    where = ", ".join(f"{c} in the {what}" for c, what in counts if c)
    msg = (f"ffs_demo with match_birthplace_tot_method={method!r}: {total} estimated "
           f"{'flow is' if total == 1 else 'flows are'} negative ({where}); the lowest is {lowest:.6g} persons. An adjusted stock cell fell below 0 when the "
           "birthplace totals were matched; migest returns such flows as they are. Pass "
           "negative_flows='clip' to set them to 0 or 'raise' to refuse")
    if policy == "raise":
        raise InputError(msg)
    warn_at_caller(msg, MigstatsWarning)


def _stock_table(x, name, labels=None):
    """A pob x residence stock table; only native-born (diagonal) cells may be negative (step 1).

    A negative native-born cell is what a native-born stock derived as a
    remainder can give; migest's step 1 repairs its column, which needs a
    non-negative column total. A negative migrant cell has no such reading.
    """
    values, regions = as_square(x, name, labels=labels)
    off = values.copy()
    np.fill_diagonal(off, 0.0)
    if np.any(off < 0):
        k, j = np.argwhere(off < 0)[0]
        raise InputError(f"{name} is negative ({values[k, j]:.6g}) for place of birth {regions[k]!r}, residence "
                         f"{regions[j]!r}; only native-born cells may be negative")
    totals = values.sum(axis=0)
    if np.any(totals < 0):
        j = int(np.flatnonzero(totals < 0)[0])
        raise InputError(f"{name}: residence {regions[j]!r} has a negative total ({totals[j]:.6g}); "
                         "a stock table counts people")
    return values, regions


def _nonneg_square(x, name, labels=None):
    return as_square(x, name, labels=labels, nonneg=True)


def _end_stocks(stock_end, s1, regions, read):
    """``stock_end`` read by ``read`` (aligned on ``regions`` when a DataFrame); the shape of ``s1`` or InputError."""
    s2, _ = read(stock_end, "stock_end", regions if isinstance(stock_end, pd.DataFrame) else None)
    if s1.shape != s2.shape:
        raise InputError(f"stock tables differ in shape: {s1.shape} vs {s2.shape}")
    return s2


def _demographic_counts(x, name, regions):
    values, _ = as_vector(x, name, labels=regions)
    if np.any(values < 0):
        j = int(np.flatnonzero(values < 0)[0])
        raise InputError(f"{name} is negative ({values[j]:.6g}) for region {regions[j]!r}; births and deaths "
                         "are counts. A natural change with more deaths than births goes in deaths (see "
                         "natural_change_by_birthplace)")
    return values


def _birth_matrix(b, s2, method, non_negative):
    """Births by pob x residence: native born, or spread like the end stock."""
    spread = _scale_axis(s2, b, axis=0)
    if method == "proportion":
        return spread
    out = np.diag(b)
    if non_negative:
        short = np.diag(s2) - b < 0
        out[:, short] = spread[:, short]
    return out


def _death_matrix(d, s1, s2, b, method, tol, max_iter, ipf_args):
    """Deaths by pob x residence: proportional to the start stock, or by accounting."""
    if method == "proportion":
        return _scale_axis(s1, d, axis=0)
    d_pob = s1.sum(axis=1) + b - s2.sum(axis=1)
    return _ipfp_2d(s1, d_pob, d, tol, max_iter, "ffs_demo death accounting", **ipf_args)


def ffs_diff(stock_start, stock_end, *, decrease: str = "return",
             include_native_born: bool = False) -> FlowResult:
    """Flows from the difference of two pob x residence stock tables (migest ``ffs_diff``).

    With ``y = S2 - S1`` (diagonals zeroed first unless ``include_native_born``):
    ``decrease="zero"``: ``flow_ij = max(y_ij, 0)``; ``"return"``: ``flow_ij =
    max(y_ij, 0) + max(-y_ji, 0)``, a fall in the people born in i living in
    j being read as a return flow j -> i. Row i of S is the place of birth,
    so ``flow_ij`` is a move from the birthplace i to the residence j.

    Parameters
    ----------
    stock_start, stock_end : DataFrame or array-like
        Non-negative place of birth (rows) x residence (columns) stocks,
        persons; DataFrames are aligned on their labels.
    decrease : {"zero", "return"}
        What a falling stock means.
    include_native_born : bool
        Keep the diagonal (native-born) differences.

    Returns
    -------
    FlowResult
        ``fitted`` is the orig (rows) x dest (columns) DataFrame, persons;
        ``iterations`` and ``error`` are 0 (closed form).

    Raises
    ------
    InputError
        Unknown ``decrease``, negative cells, misaligned or duplicate labels
        (EmptyTableError / MissingValueError for empty or NaN tables).

    See Also
    --------
    ffs_demo : flows by demographic accounting.
    ffs_rates : flows from stock shares or transitions.

    References
    ----------
    .. [1] Beine, M., Bertoli, S., & Fernandez-Huertas Moraga, J. (2016). A
       practitioners' guide to gravity models of international migration. The
       World Economy 39(4), 496-512 (stock differences as flow proxies).

    Examples
    --------
    The stock tables of migest's ``ffs_diff`` help page. People born in A
    living in B rose from 10 to 25: 15 moves A -> B; those born in C living
    in A rose by 20 (20 moves C -> A), and with ``decrease="return"`` the fall
    of those born in A living in C (10 -> 5) adds 5 returns C -> A.

    >>> import pandas as pd
    >>> r = ["A", "B", "C", "D"]
    >>> s1 = pd.DataFrame([[100, 10, 10, 0], [20, 55, 25, 10], [10, 40, 140, 65], [20, 25, 20, 200]],
    ...                   index=r, columns=r)
    >>> s2 = pd.DataFrame([[75, 25, 5, 15], [20, 45, 30, 15], [30, 40, 150, 35], [10, 50, 5, 200]],
    ...                   index=r, columns=r)
    >>> ffs_diff(s1, s2).fitted  # doctest: +NORMALIZE_WHITESPACE
    dest     A     B     C     D
    orig
    A      0.0  15.0   0.0  25.0
    B      0.0   0.0   5.0   5.0
    C     25.0   0.0   0.0  15.0
    D      0.0  25.0  30.0   0.0
    """
    if decrease not in ("zero", "return"):
        raise InputError(f"decrease must be 'zero' or 'return', got {decrease!r}")
    s1, regions = as_square(stock_start, "stock_start", nonneg=True)
    s2 = _end_stocks(stock_end, s1, regions, _nonneg_square)
    y = s2 - s1
    if not include_native_born:
        np.fill_diagonal(y, 0.0)
    flow = np.maximum(y, 0.0)
    if decrease == "return":
        flow += np.maximum(-y.T, 0.0)
    return FlowResult(fitted=matrix_frame(flow, regions, regions), iterations=0, error=0.0)


def ffs_rates(stock_start, stock_end=None, *, method: str = "dennett", total=None) -> FlowResult:
    """Flows from stock shares or stock transitions (migest ``ffs_rates``).

    ``"dennett"``: with P = S1 off the diagonal (0 on it),
    ``flow_ij = total * P_ij / sum(P)``: the known number of migrants
    ``total`` (M) spread in proportion to the migrant stocks (base of the
    shares: all foreign-born stock). ``"rogers-von-rabenau"``: ``G = S1^{-1}
    S2`` and ``flow_ij = G_ij * sum_k S1[k, i]``, diagonal 0; may be negative.

    Parameters
    ----------
    stock_start : DataFrame or array-like
        Non-negative place of birth x residence stocks at the start, persons.
    stock_end : DataFrame or array-like, optional
        The same at the end; "rogers-von-rabenau" only.
    method : {"dennett", "rogers-von-rabenau"}
    total : float, optional
        Number of migrants M, persons (>= 0); "dennett" only.

    Returns
    -------
    FlowResult
        ``fitted`` is the orig x dest DataFrame, persons; ``iterations`` and
        ``error`` are 0 (closed form).

    Raises
    ------
    IgnoredArgumentError
        ``stock_end`` with "dennett" or ``total`` with "rogers-von-rabenau".
    InputError
        Unknown method, a missing or negative ``total``, negative stock
        cells, a start table without migrant (off-diagonal) stock
        ("dennett"), or a singular start table ("rogers-von-rabenau").
    MissingValueError
        ``total`` or a stock cell is NaN or infinite.

    See Also
    --------
    ffs_demo, ffs_diff

    References
    ----------
    .. [1] Dennett, A. (2015). Estimating an annual time series of global
       migration flows: an alternative methodology for using migrant stock
       data. In Global Dynamics: Approaches from Complexity Science, Wiley,
       125-142, doi:10.1002/9781118937464.ch7.
    .. [2] Rogers, A., & von Rabenau, B. (1971). Estimation of interregional
       migration streams from place-of-birth-by-residence data. Demography
       8(2), 185-194.

    Examples
    --------
    The tables of migest's ``ffs_rates`` help page; the Dennett total is the
    sum of absolute changes of the residence totals, 60.

    >>> import pandas as pd
    >>> r = ["A", "B", "C", "D"]
    >>> s1 = pd.DataFrame([[100, 10, 10, 0], [20, 55, 25, 10], [10, 40, 140, 65], [20, 25, 20, 200]],
    ...                   index=r, columns=r)
    >>> s2 = pd.DataFrame([[75, 25, 5, 15], [20, 45, 30, 15], [30, 40, 150, 35], [10, 50, 5, 200]],
    ...                   index=r, columns=r)
    >>> ffs_rates(s1, method="dennett", total=60).fitted.round(2)  # doctest: +NORMALIZE_WHITESPACE
    dest     A     B     C      D
    orig
    A     0.00  2.35  2.35   0.00
    B     4.71  0.00  5.88   2.35
    C     2.35  9.41  0.00  15.29
    D     4.71  5.88  4.71   0.00
    """
    s1, regions = as_square(stock_start, "stock_start", nonneg=True)
    if method == "dennett":
        if stock_end is not None:
            raise IgnoredArgumentError("stock_end is not used by the 'dennett' method")
        if total is None:
            raise InputError("the 'dennett' method needs total (the number of migrants M)")
        total = as_number(total, "total", minimum=0)
        p = s1.copy()
        np.fill_diagonal(p, 0.0)
        if p.sum() == 0:
            raise ZeroBaseError("stock_start has no migrant (off-diagonal) stock to share total among")
        return FlowResult(fitted=matrix_frame(total * p / p.sum(), regions, regions), iterations=0, error=0.0)
    if method == "rogers-von-rabenau":
        if total is not None:
            raise IgnoredArgumentError("total is not used by the 'rogers-von-rabenau' method")
        if stock_end is None:
            raise InputError("the 'rogers-von-rabenau' method needs stock_end")
        s2 = _end_stocks(stock_end, s1, regions, _nonneg_square)
        try:
            g = np.linalg.solve(s1, s2)
        except np.linalg.LinAlgError as exc:
            raise InputError(f"stock_start is singular, cannot solve S1 G = S2: {exc}") from None
        flow = g * s1.sum(axis=0)[:, None]
        np.fill_diagonal(flow, 0.0)
        return FlowResult(fitted=matrix_frame(flow, regions, regions), iterations=0, error=0.0)
    raise InputError(f"method must be 'dennett' or 'rogers-von-rabenau', got {method!r}")


def example_stocks(n_regions: int = 8, *, seed: int = 2024, labels=None):
    """Two seeded, consistent pob x residence stock tables for demonstrations.

    Native-born cells dominate; foreign-born cells fall with a random
    distance. End-table rows are rescaled (largest remainder) to the start
    table's birthplace totals, so the tables can go straight into
    :func:`ffs_demo` or :func:`ipf3` without births and deaths.

    Parameters
    ----------
    n_regions : int
        Number of regions (ignored when ``labels`` is given).
    seed : int
        Seed of numpy's default generator; the same seed gives the same tables.
    labels : list, optional
        Region labels.

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)
        Start and end stocks, persons, labelled ``labels`` (default R1..Rn).

    See Also
    --------
    ffs_demo, ipf3

    Examples
    --------
    >>> s1, s2 = example_stocks(3, seed=1)
    >>> s1.shape, list(s1.index)
    ((3, 3), ['R1', 'R2', 'R3'])
    >>> bool((s1.sum(axis=1) == s2.sum(axis=1)).all())
    True
    """
    rng = np.random.default_rng(seed)
    labels = list(labels) if labels is not None else default_labels(n_regions)
    n = len(labels)
    xy = rng.uniform(size=(n, 2))
    dist = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(axis=2))
    size = rng.lognormal(mean=13.0, sigma=1.0, size=n)
    share = 0.08 * np.exp(-3.0 * dist) * rng.uniform(0.2, 1.0, size=(n, n))
    np.fill_diagonal(share, 0.0)
    s1 = np.round(size[:, None] * share * rng.uniform(0.5, 1.5, size=n)[None, :])
    np.fill_diagonal(s1, np.round(size * 0.9))
    growth = rng.lognormal(0.0, 0.25, size=(n, n))
    np.fill_diagonal(growth, 1.0)
    s2 = s1 * growth
    totals = s1.sum(axis=1)
    raw = s2 * (totals / s2.sum(axis=1))[:, None]
    s2 = np.floor(raw)
    short = (totals - s2.sum(axis=1)).astype(int)
    order = np.argsort(-(raw - s2), axis=1, kind="stable")
    for k in range(n):
        s2[k, order[k, :short[k]]] += 1
    frame = lambda x: matrix_frame(x, labels, labels, "pob", "por")  # noqa: E731
    return frame(s1), frame(s2)
