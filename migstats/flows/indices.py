"""Summary indices of migration: intensity, impact, connectivity, distance and age profile.

Numerical twins of migest 2.0.5's ``index_*`` functions (which use
migration.indices 0.3.1 and matrixStats). Each function returns a
``pandas.Series`` indexed by measure name (``long=True``: a DataFrame with
columns ``measure`` and ``value``, migest's default layout).

Flow inputs are either a square orig x dest matrix (array or DataFrame,
whose diagonal must be zero) or a long DataFrame with orig, dest and flow
columns (its diagonal rows are dropped, as migest does). Inputs are checked
by :mod:`migstats.flows.arrays`: negative flows, NaN, duplicate regions or
(orig, dest) pairs, and non-numeric values raise a migstats error naming the
argument and the region or pair.

Deliberate differences: migest spells the first measure of
:func:`index_impact` ``effectivness``; migstats calls it ``effectiveness``.
The median of :func:`index_distance` orders tied distances by flow, so it
does not depend on the order of the input rows (migest's can).

This module was ``migstats.indices`` until migstats 0.1.0; that name still
imports, with a DeprecationWarning, for one release. The Poisson fits of
:func:`index_connectivity` and :func:`index_distance` run on the IPF engine
of :mod:`migstats.flows.ipf`; when they do not converge they raise
ConvergenceError.
"""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd

from migstats.errors import ConvergenceError, InputError, MigstatsWarning, ZeroBaseError
from migstats.flows._common import warn_at_caller
from migstats.flows._rsort import r_quicksort_order
from migstats.flows.arrays import as_number, as_square, as_vector
from migstats.flows.ipf import fit_factors

__all__ = ["index_intensity", "index_impact", "index_connectivity", "index_distance", "index_age", "weighted_median",
           "index_age_rc"]


def _out(values: dict, long: bool):
    s = pd.Series(values, name="value", dtype=float)
    s.index.name = "measure"
    return s.reset_index() if long else s


def _flow_matrix(flows, orig="orig", dest="dest", flow="flow", what="flows", diagonal="zero"):
    """Square flow matrix and its labels; a long table's diagonal rows are dropped.

    ``diagonal`` says what a matrix's diagonal may hold: "zero" (else
    InputError), "keep" or "drop" (set to 0).
    """
    if isinstance(flows, pd.DataFrame) and {orig, dest, flow} <= set(flows.columns):
        return _long_to_matrix(flows, orig, dest, flow, what)
    m, labels = as_square(flows, what, nonneg=True)
    if diagonal == "zero" and np.any(np.diag(m) != 0):
        raise InputError(f"{what} matrix must have a zero diagonal (migration.indices refuses "
                         "others); pass a long table to have the diagonal dropped")
    if diagonal == "drop" and np.any(np.diag(m) != 0):
        m = m.copy()
        np.fill_diagonal(m, 0.0)
    return m, labels


def _long_to_matrix(df, orig, dest, value, what):
    for col in (orig, dest, value):
        if col not in df.columns:
            raise InputError(f"{what} has no column {col!r}")
    labels = list(pd.unique(pd.concat([df[orig], df[dest]], ignore_index=True)))
    pos = {lab: i for i, lab in enumerate(labels)}
    m = np.zeros((len(labels), len(labels)))
    # one value per (orig, dest) pair: a repeated pair is reported as a duplicate label
    pairs = pd.Index(list(zip(df[orig], df[dest])), tupleize_cols=False, dtype=object)
    vals, _ = as_vector(pd.Series(df[value].to_numpy(dtype=object), index=pairs), f"{what} column {value!r}",
                        nonneg=True)
    m[[pos[x] for x in df[orig]], [pos[x] for x in df[dest]]] = vals
    np.fill_diagonal(m, 0.0)
    return m, labels


def index_intensity(mig_total: float, pop_total: float, n: int, *, long: bool = False):
    """Crude migration probability and Courgeau's k (migest ``index_intensity``).

    ``cmp = 100 * mig_total / pop_total``: migrants in percent of the
    population at risk (base: ``pop_total``); ``courgeau_k = cmp / log(n^2)``
    (natural log) for a system of n regions.

    Parameters
    ----------
    mig_total : float
        Number of migrants (moves between regions), persons, >= 0.
    pop_total : float
        Population at risk, persons, > 0.
    n : int
        Number of regions, >= 2.
    long : bool
        Return a DataFrame with columns measure and value.

    Returns
    -------
    pandas.Series or pandas.DataFrame
        ``cmp`` (percent) and ``courgeau_k`` (percent per unit of log n^2).

    Raises
    ------
    InputError
        A value that is not a number, a negative ``mig_total``, a
        ``pop_total`` <= 0, or ``n`` that is not an integer >= 2.
    MissingValueError
        NaN or infinite ``mig_total`` or ``pop_total``.

    See Also
    --------
    index_impact, index_connectivity, index_distance

    References
    ----------
    .. [1] Bell, M., Blake, M., Boyle, P., Duke-Williams, O., Rees, P. H.,
       Stillwell, J., & Hugo, G. J. (2002). Cross-national comparison of
       internal migration: issues and measures. JRSS A 165(3), 435-464,
       doi:10.1111/1467-985X.00247 (Table 3, crude migration intensity).
    .. [2] Courgeau, D. (1973). Migrants et migrations. Population 28(1),
       95-129 (k).

    Examples
    --------
    The 2020 Korean provinces of migest's help page (korea_gravity): 2,534,114
    moves between 17 provinces, 51,829,023 people.

    >>> index_intensity(2534114, 51829023, 17).round(6)
    measure
    cmp           4.889373
    courgeau_k    0.862867
    Name: value, dtype: float64
    """
    mig_total = as_number(mig_total, "mig_total", minimum=0)
    pop_total = as_number(pop_total, "pop_total", minimum=0, strict=True)
    if isinstance(n, (bool, np.bool_)) or not isinstance(n, numbers.Integral) or n < 2:
        raise InputError(f"n must be a whole number of regions, at least 2, got {n!r}")
    cmp = 100 * mig_total / pop_total
    return _out({"cmp": cmp, "courgeau_k": cmp / np.log(n ** 2)}, long)


def index_impact(flows, pop, *, orig="orig", dest="dest", flow="flow", pop_col="pop", reg_col="region",
                 long: bool = False):
    """Migration effectiveness, aggregate net migration rate, preference and velocity (migest ``index_impact``).

    With in_i, out_i the column and row sums of the flow matrix m, P the
    populations and s = P / sum(P):
    ``effectiveness = 100 * sum|in - out| / sum(in + out)`` (percent of
    turnover, the base being all in- plus out-moves; migest spells the
    measure ``effectivness``); ``anmr = 100 * 0.5 * sum|in - out| / sum(P)``
    (percent of the total population); ``preference = sum_ij m_ij / (sum(m)
    s_i s_j)``; ``velocity = sum_ij m_ij sum(P) / (P_i P_j)``.

    Parameters
    ----------
    flows : matrix or long DataFrame
        Non-negative flows, persons. A matrix's diagonal is used as given (as
        migest); a long table's diagonal rows are dropped.
    pop : Series, mapping region -> population, or DataFrame with columns
        ``reg_col`` and ``pop_col``; the same regions as flows; positive,
        persons.
    orig, dest, flow : str
        Column names of a long flow table.
    pop_col, reg_col : str
        Column names of a population table.
    long : bool
        Return a DataFrame with columns measure and value.

    Returns
    -------
    pandas.Series or pandas.DataFrame
        ``effectiveness`` and ``anmr`` (percent), ``preference`` and
        ``velocity`` (unitless).

    Raises
    ------
    InputError
        Negative flows, a missing region or a population <= 0 (naming the
        region), duplicate labels; MissingValueError for NaN inputs.
    ZeroBaseError
        Flows that are all 0 (no turnover to measure effectiveness against).

    See Also
    --------
    index_intensity, sum_region

    References
    ----------
    .. [1] Bell, M., Blake, M., Boyle, P., Duke-Williams, O., Rees, P. H.,
       Stillwell, J., & Hugo, G. J. (2002). Cross-national comparison of
       internal migration: issues and measures. JRSS A 165(3), 435-464,
       doi:10.1111/1467-985X.00247 (Table 3: migration effectiveness, aggregate net migration rate).
    .. [2] Shryock, H. S., & Siegel, J. S. (1976). The Methods and Materials of
       Demography. Academic Press (preference and velocity indices).

    Examples
    --------
    Three regions: in-flows 30, 20, 10 and out-flows 15, 25, 20 give net
    15, -5, -10 and turnover 120, so effectiveness is 100 * 30 / 120 = 25 and
    the ANMR 100 * 15 / 400 = 3.75.

    >>> import pandas as pd
    >>> r = ["A", "B", "C"]
    >>> f = pd.DataFrame([[0, 10, 5], [20, 0, 5], [10, 10, 0]], index=r, columns=r)
    >>> index_impact(f, pd.Series([100, 200, 100], index=r))
    measure
    effectiveness    25.00
    anmr              3.75
    preference       10.00
    velocity          1.50
    Name: value, dtype: float64
    """
    m, labels = _flow_matrix(flows, orig, dest, flow, diagonal="keep")
    if isinstance(pop, pd.DataFrame):
        for col in (reg_col, pop_col):
            if col not in pop.columns:
                raise InputError(f"pop has no column {col!r}")
        pop = pd.Series(pop[pop_col].to_numpy(dtype=float), index=pop[reg_col].to_numpy())
    p, _ = as_vector(pop, "pop", labels=labels)
    if np.any(p <= 0):
        i = int(np.flatnonzero(p <= 0)[0])
        raise InputError(f"pop must be positive, got {p[i]:.6g} for region {labels[i]!r}")
    if m.sum() == 0:
        raise ZeroBaseError("flows are all 0, so there is no turnover to measure effectiveness against")
    net = m.sum(axis=0) - m.sum(axis=1)
    turn = m.sum(axis=0) + m.sum(axis=1)
    s = p / p.sum()
    return _out({
        "effectiveness": 100 * np.abs(net).sum() / turn.sum(),
        "anmr": 100 * 0.5 * np.abs(net).sum() / p.sum(),
        "preference": (m / (m.sum() * np.outer(s, s))).sum(),
        "velocity": (m / np.outer(p, p) * p.sum()).sum(),
    }, long)


def _sorted_pair_sum(xs: np.ndarray) -> np.ndarray:
    """sum_{a,b} |x_a - x_b| over ordered pairs of each row of an ascending-sorted array.

    Identity: 2 sum_i (2i - N + 1) x_(i) (0-based i), one matrix-vector product.
    """
    n = xs.shape[-1]
    return 2 * (xs @ (2 * np.arange(n, dtype=float) - n + 1))


def _qi_factors(rows, cols, offset=None, tol=1e-12, max_iter=100_000):
    """Poisson MLE of ``y ~ orig + dest (+ offset)`` on off-diagonal cells, as factors a, b.

    The fitted values ``a_i b_j o_ij`` (o = 1 off the diagonal, 0 on it, when
    ``offset`` is None) have the observed row and column sums, which is the
    main-effects Poisson model's likelihood equation; IPF (:func:`fit_factors`,
    columns then rows) solves it, stopping when the column margin is within
    ``tol`` times the largest row total after a sweep.

    Raises
    ------
    ConvergenceError
        Not solved within ``max_iter`` sweeps.
    """
    if offset is None:  # o = 1 - I, without building it
        row_margin = lambda f: f[0] * (f[1].sum() - f[1])  # noqa: E731
        col_margin = lambda f: f[1] * (f[0].sum() - f[0])  # noqa: E731
    else:
        row_margin = lambda f: f[0] * (offset @ f[1])  # noqa: E731
        col_margin = lambda f: f[1] * (f[0] @ offset)  # noqa: E731
    scale = max(rows.max(initial=0.0), 1.0)
    (a, b), _, _ = fit_factors([np.ones(rows.size), np.ones(cols.size)],
                               [(cols, 1, col_margin), (rows, 0, row_margin)], tol=tol * scale,
                               max_iter=max_iter, rule="first-margin-after",
                               method="Poisson independence fit (IPF)", on_nonconvergence="raise")
    return a, b


def _off_diagonal_values(m: np.ndarray, out: np.ndarray) -> np.ndarray:
    """Copy the off-diagonal cells of m (row by row) into ``out`` without temporaries."""
    n = m.shape[0]
    for i in range(n):
        start = i * (n - 1)
        out[start:start + i] = m[i, :i]
        out[start + i:start + n - 1] = m[i, i + 1:]
    return out


def _warn_empty_fields(labels, rsum, csum) -> None:
    """Warn, naming the regions, when a region sends or receives nothing.

    The Gini and coefficient of variation of an all-zero row or column are
    0 / 0: migration.indices returns NaN for the measures that use them and
    so does migstats, but never silently.
    """
    names = list(labels) if labels is not None else list(range(len(rsum)))
    for sums, what, measures in ((rsum, "no out-flows", "mwg_orig and acv"), (csum, "no in-flows", "mwg_dest and acv")):
        empty = [str(names[i]) for i in np.flatnonzero(sums == 0)]
        if empty:
            warn_at_caller(f"regions with {what}: {', '.join(empty)}; their field Gini and coefficient of "
                           f"variation are undefined (0/0), so {measures} are NaN", MigstatsWarning)


def index_connectivity(flows, *, gini_corrected: bool = True, orig="orig", dest="dest", flow="flow",
                       long: bool = False):
    """Connectivity, inequality and spatial-focusing indices (migest ``index_connectivity``).

    Over the N = n(n-1) off-diagonal flows f (total F):

    * ``connectivity``: share of non-zero f;
    * ``inequality_equal = 0.5 sum |f/F - mean(f)/F|``;
    * ``inequality_sim = 0.5 sum |f/F - e/E|``, e the fitted values of the
      Poisson model ``round(f) ~ orig + dest`` (solved exactly by IPF on the
      off-diagonal cells rather than R's ``glm``);
    * ``gini_total = sum_{a,b} |f_a - f_b| / (D F)`` with D = 2(N - 1)
      (``gini_corrected``, Bell et al. 2002) or 2N (Plane & Mulligan 1997);
    * ``gini_orig_standardized``, ``gini_dest_standardized``: the row (column)
      Gini ``sum_i sum_{j,h != i} |m_ij - m_ih| / (2 N F)`` over the
      uncorrected ``gini_total``;
    * ``mwg_orig = sum_i G^O_i C_i / F / n`` and ``mwg_dest = sum_j G^I_j
      R_j / F / n`` with field Ginis ``G^O_i = sum_{j,l != i} |m_ij - m_il| /
      (2 (n-2) R_i)`` (and columns alike), R, C row and column sums: the out-
      Gini weighted by column sums and the in-Gini by row sums, as coded in
      migration.indices; ``mwg_mean`` their mean;
    * ``cv = sqrt( sum (m - mean m)^2 / (n^2 (n^2 - 1)) / mean m )`` over all
      n^2 cells incl. the zero diagonal (the mean inside the root, as coded);
    * ``acv = sum_j (C_j / F) cv_in_j + sum_i (R_i / F) cv_out_i``, cv of the
      off-diagonal column/row entries with the population standard deviation.

    The Ginis use the sorted-values identity, O(N log N), instead of
    migration.indices' O(N^2) loop.

    Parameters
    ----------
    flows : matrix or long DataFrame
        Non-negative flows between at least 3 regions. A matrix must have a
        zero diagonal; a long table's diagonal rows are dropped.
    gini_corrected : bool
        Use D = 2(N - 1) in ``gini_total`` (else 2N).
    orig, dest, flow : str
        Column names of a long table.
    long : bool
        Return a DataFrame with columns measure and value.

    Returns
    -------
    pandas.Series or pandas.DataFrame
        The measures above, all unitless (shares and Gini-type ratios
        between 0 and 1, except cv and acv). ``mwg_orig``, ``mwg_dest``,
        ``mwg_mean`` and ``acv`` are NaN when a region has no out- (in-)
        flows, and a :class:`~migstats.errors.MigstatsWarning` names those
        regions.

    Raises
    ------
    InputError
        Fewer than 3 regions, negative flows (naming the cell), a matrix with
        a non-zero diagonal, duplicate labels; MissingValueError for NaN.
    ZeroBaseError
        All flows 0.

    See Also
    --------
    index_impact, index_distance

    References
    ----------
    .. [1] Bell, M., Blake, M., Boyle, P., Duke-Williams, O., Rees, P. H.,
       Stillwell, J., & Hugo, G. J. (2002). Cross-national comparison of
       internal migration: issues and measures. JRSS A 165(3), 435-464,
       doi:10.1111/1467-985X.00247 (Table 3: connectivity, inequality and Gini indices).
    .. [2] Plane, D., & Mulligan, G. F. (1997). Measuring spatial focusing in a
       migration system. Demography 34(2), 251-262.
    .. [3] Rogers, A., & Raymer, J. (1998). The spatial focus of US interstate
       migration flows. International Journal of Population Geography 4(1),
       63-80.

    Examples
    --------
    Six flows 10, 5, 20, 5, 10, 10 (total 60): every pair is connected; the
    sum of |f_a - f_b| over ordered pairs is 180, so the corrected Gini is
    180 / (2 * 5 * 60) = 0.3.

    >>> import pandas as pd
    >>> r = ["A", "B", "C"]
    >>> f = pd.DataFrame([[0, 10, 5], [20, 0, 5], [10, 10, 0]], index=r, columns=r)
    >>> out = index_connectivity(f)
    >>> float(out["connectivity"]), round(float(out["gini_total"]), 12)
    (1.0, 0.3)
    """
    m, labels = _flow_matrix(flows, orig, dest, flow)
    n = m.shape[0]
    if n < 3:
        raise InputError("index_connectivity needs at least 3 regions")
    big_n = n * (n - 1)
    rsum, csum = m.sum(axis=1), m.sum(axis=0)
    total = rsum.sum()
    if total <= 0:
        raise ZeroBaseError("flows are all 0; the connectivity indices are undefined")
    mean_f = total / big_n
    # the zero diagonal adds n * |0 - mean_f| to a sum over all cells
    inequality_equal = 0.5 * (np.abs(m - mean_f).sum() - n * mean_f) / total
    connectivity = np.count_nonzero(m) / big_n

    f = _off_diagonal_values(m, np.empty(big_n))
    f.sort()
    pair_total = _sorted_pair_sum(f)
    del f
    gini_unc = pair_total / (2 * big_n * total)
    gini = pair_total / ((2 * (big_n - 1) if gini_corrected else 2 * big_n) * total)
    # full-row pair sums include the zero diagonal cell: subtract its 2 * sum_j |m_ij - 0|
    row_pairs = _sorted_pair_sum(np.sort(m, axis=1)) - 2 * rsum
    col_pairs = _sorted_pair_sum(np.sort(m, axis=0).T) - 2 * csum
    _warn_empty_fields(labels, rsum, csum)
    with np.errstate(invalid="ignore", divide="ignore"):
        g_out = row_pairs / (2 * (n - 2) * rsum)
        g_in = col_pairs / (2 * (n - 2) * csum)
    mwg_orig = (g_out * csum / total).sum() / n
    mwg_dest = (g_in * rsum / total).sum() / n

    cells = m.size
    cv = np.sqrt(np.var(m) * cells / (cells * (cells - 1)) / m.mean())
    k = n - 1
    sq_rows = np.einsum("ij,ij->i", m, m)
    sq_cols = np.einsum("ij,ij->j", m, m)
    with np.errstate(invalid="ignore", divide="ignore"):
        cv_out = np.sqrt(np.maximum(sq_rows / k - (rsum / k) ** 2, 0.0)) / (rsum / k)
        cv_in = np.sqrt(np.maximum(sq_cols / k - (csum / k) ** 2, 0.0)) / (csum / k)
    acv = (csum / total * cv_in).sum() + (rsum / total * cv_out).sum()

    y = np.round(m)
    a, b = _qi_factors(y.sum(axis=1), y.sum(axis=0))
    del y
    e_total = a.sum() * b.sum() - a @ b
    dev = 0.0
    for start in range(0, n, 32):
        rows = slice(start, min(start + 32, n))
        block = np.abs(m[rows] / total - np.outer(a[rows], b) / e_total)
        idx = np.arange(rows.start, rows.stop)
        block[idx - rows.start, idx] = 0.0
        dev += block.sum()
    return _out({
        "connectivity": connectivity,
        "inequality_equal": inequality_equal,
        "inequality_sim": 0.5 * dev,
        "gini_total": gini,
        "gini_orig_standardized": row_pairs.sum() / (2 * big_n * total) / gini_unc,
        "gini_dest_standardized": col_pairs.sum() / (2 * big_n * total) / gini_unc,
        "mwg_orig": mwg_orig,
        "mwg_dest": mwg_dest,
        "mwg_mean": (mwg_orig + mwg_dest) / 2,
        "cv": cv,
        "acv": acv,
    }, long)


def weighted_median(x, w, *, ties: str = "weight") -> float:
    """Interpolated weighted median (matrixStats ``weightedMedian``, ``interpolate = TRUE``).

    Values sorted, non-positive weights dropped; with cumulative weights
    ``c_k = sum_{i<=k} w_i - w_k / 2`` and half total H, k is the last
    position with ``c_k < H`` and the median is
    ``x_k + (H - c_k) / (c_{k+1} - c_k) (x_{k+1} - x_k)`` (the first value when
    no c_k is below H), as matrixStats' C code.

    Tied values: the interpolation depends on their order (a symmetric
    distance table gives every distance twice, with two different flows).
    matrixStats, which migest calls, sorts with R's quicksort, which is not
    stable: the order it leaves tied values in follows from the order of the
    input, so migest's median can change when the same data come in another
    row order (on the Korean 2020 reference table, 300 shuffles of the rows
    give four different medians, from 74.6748 to 74.8434). ``ties`` chooses:

    * ``"weight"`` (default): tied values ordered by increasing weight,
      whatever the input order. Where the median does not depend on how
      ties are ordered, this is migest's value; where it does, it is the
      value of one tie order (for the Korean reference case, the one
      migest gives on the published row order).
    * ``"migest"``: the order R's quicksort leaves the ties in, from the
      order given (:func:`migstats.flows._rsort.r_quicksort_order`):
      migest's value for exactly this input order. Slower (the sort runs
      in Python: about 0.1 s for 40,000 values).

    Parameters
    ----------
    x : array-like
        Values.
    w : array-like
        Weights, same length (two Series are aligned on their labels);
        cells with a weight <= 0 are ignored.
    ties : {"weight", "migest"}
        Order of tied values, as above.

    Returns
    -------
    float

    Raises
    ------
    InputError
        Lengths differ, no positive weight, or an unknown ``ties``;
        MissingValueError for NaN.

    See Also
    --------
    index_distance

    Examples
    --------
    Values 1, 2, 3 with weights 1, 1, 2 sit at adjusted cumulative weights
    0.5, 1.5 and 3; half the total, 2, is a third of the way from 1.5 to 3:

    >>> round(weighted_median([3, 1, 2], [2, 1, 1]), 12)
    2.333333333333

    Values 2, 1, 1 with weights 2, 1, 2 (half the total: 2.5). By weight,
    the 1s come as (1, 2): adjusted cumulative weights 0.5, 2 and, for the
    2, 4; 2.5 is a quarter of the way from 2 to 4. R's quicksort reverses
    the two 1s, (2, 1): 1, 2.5, 4, and 2.5 falls on the second 1:

    >>> weighted_median([2, 1, 1], [2, 1, 2])
    1.25
    >>> weighted_median([2, 1, 1], [2, 1, 2], ties="migest")
    1.0
    """
    x, labels = as_vector(x, "x")
    w, _ = as_vector(w, "w", labels=labels)
    if ties == "migest":
        return _weighted_median_r(x, w)
    if ties != "weight":
        raise InputError(f"ties must be 'weight' or 'migest', got {ties!r}")
    z = np.empty(x.size, dtype=complex)
    z.real, z.imag = x, w
    return _weighted_median_packed(z)


def _weighted_median_r(x: np.ndarray, w: np.ndarray) -> float:
    """matrixStats' interpolated weighted median on x in the given order, ties as R's sort leaves them."""
    keep = w > 0
    x, w = x[keep], w[keep]
    if x.size == 0:
        raise InputError("weighted median of zero total weight")
    if x.size == 1:
        return float(x[0])
    order = r_quicksort_order(x)
    share = w[order] / np.cumsum(w)[-1]  # matrixStats sums and accumulates in sequence
    mid = np.cumsum(share) - share / 2
    half = int(np.argmax(mid >= 0.5))
    xs = x[order]
    if half == 0:
        return float(xs[0])
    return float(xs[half] + (0.5 - mid[half]) / (mid[half] - mid[half - 1]) * (xs[half] - xs[half - 1]))


def _weighted_median_packed(z: np.ndarray) -> float:
    """Weighted median of values z.real with weights z.imag; sorts and overwrites z.

    Complex numbers sort by real then imaginary part: values ascending, ties
    by weight, with no index array.
    """
    if np.any(z.imag <= 0):
        z = z[z.imag > 0]
    if z.size == 0:
        raise InputError("weighted median of zero total weight")
    if z.size == 1:
        return float(z.real[0])
    z.sort()
    cum = z.imag
    np.cumsum(cum, out=cum)
    half = cum[-1] / 2

    def adjusted(k):  # c_k = cum_k - w_k / 2 = (cum_k + cum_{k-1}) / 2
        return (cum[k] + (cum[k - 1] if k > 0 else 0.0)) / 2

    # cum_{k-1} <= c_k <= cum_k, so the count of c_k < H is j or j + 1, j = count of cum_k < H
    j = int(np.searchsorted(cum, half, side="left"))
    count = j + (1 if j < z.size and adjusted(j) < half else 0)
    if count == 0:
        return float(z.real[0])
    k = count - 1
    c0, c1 = adjusted(k), adjusted(k + 1)
    return float(z.real[k] + (half - c0) / (c1 - c0) * (z.real[k + 1] - z.real[k]))


def _distance_decay(m, dist, tol=1e-12):
    """Coefficient of log(dist) in the Poisson model ``round(m) ~ orig + dest + log(dist)`` (off-diagonal).

    For a given coefficient the orig/dest effects are profiled out by IPF
    with offset dist^beta; beta solves the score equation
    ``sum y log(dist) - sum mu(beta) log(dist) = 0`` (decreasing in beta) by a
    bracketing secant (Illinois) search.
    """
    n = m.shape[0]
    diag = np.arange(n)
    logd = dist.copy()
    logd[diag, diag] = 1.0
    np.log(logd, out=logd)
    y = np.round(m)
    rows, cols = y.sum(axis=1), y.sum(axis=0)
    observed = np.einsum("ij,ij->", y, logd)
    del y
    offset = np.empty_like(logd)

    def score(beta):
        np.multiply(logd, beta, out=offset)
        np.exp(offset, out=offset)
        offset[diag, diag] = 0.0
        a, b = _qi_factors(rows, cols, offset)
        return float(observed - np.einsum("i,ij,ij,j->", a, offset, logd, b))

    lo, hi = -1.0, 0.0
    s_lo, s_hi = score(lo), score(hi)
    step = 1.0
    while s_lo < 0:
        hi, s_hi = lo, s_lo
        step *= 2
        lo = hi - step
        s_lo = score(lo)
    while s_hi > 0:
        lo, s_lo = hi, s_hi
        step *= 2
        hi = lo + step
        s_hi = score(hi)
    side = 0
    for _ in range(200):
        beta = (lo * s_hi - hi * s_lo) / (s_hi - s_lo)
        s = score(beta)
        if abs(hi - lo) < tol or s == 0:
            return beta
        if s > 0:
            lo, s_lo = beta, s
            if side == 1:
                s_hi /= 2
            side = 1
        else:
            hi, s_hi = beta, s
            if side == -1:
                s_lo /= 2
            side = -1
    raise ConvergenceError(f"distance-decay fit did not converge in 200 secant steps (bracket {lo:.17g} to "
                           f"{hi:.17g})")


def _cells_in_migest_order(flows, m, dm, labels, orig, dest, flow):
    """(distance, flow) of the off-diagonal cells in the order migest passes them to weightedMedian."""
    pos = {lab: i for i, lab in enumerate(labels)}
    if isinstance(flows, pd.DataFrame) and {orig, dest, flow} <= set(flows.columns):
        i = np.array([pos[x] for x in flows[orig]], dtype=int)
        j = np.array([pos[x] for x in flows[dest]], dtype=int)
    else:
        # as.data.frame.table: column by column in the table's own column order (which
        # as_square has put in the order of the rows), the row varying fastest
        rows, cols = (flows.index, flows.columns) if isinstance(flows, pd.DataFrame) else (labels, labels)
        i = np.tile([pos[x] for x in rows], len(cols))
        j = np.repeat([pos[x] for x in cols], len(rows))
    off = i != j
    return dm[i[off], j[off]], m[i[off], j[off]]


def index_distance(flows, dist, *, orig="orig", dest="dest", flow="flow", dist_col="dist",
                   ties: str = "weight", long: bool = False):
    """Flow-weighted mean and median distance, and distance decay (migest ``index_distance``).

    Over off-diagonal cells: ``mean = sum f d / sum f``; ``median`` the
    interpolated weighted median of d with weights f (:func:`weighted_median`;
    by default tied distances are ordered by increasing flow, so the median
    does not depend on the order of the input rows, unlike migest's;
    ``ties="migest"`` gives migest's median for the row order given);
    ``decay`` the coefficient of log(d) in the Poisson model
    ``round(f) ~ orig + dest + log(d)`` (maximum likelihood, computed by
    profiling; migest uses ``glm``).

    Parameters
    ----------
    flows : matrix or long DataFrame
        Non-negative flows. Only off-diagonal cells are used (a matrix's
        diagonal is ignored).
    dist : matrix or long DataFrame (columns orig, dest and ``dist_col``) of
        positive distances. Unlike migest, it needs no flow column.
    orig, dest, flow, dist_col : str
        Column names of the long tables.
    ties : {"weight", "migest"}
        Order of tied distances in the median (:func:`weighted_median`).
        With "migest", the cells are taken in migest's order: a long
        table's rows as given, a matrix's cells column by column (R's
        ``as.data.frame.table``), a labelled table's in the order of its
        own columns and rows.
    long : bool
        Return a DataFrame with columns measure and value.

    Returns
    -------
    pandas.Series or pandas.DataFrame
        ``mean`` and ``median`` in the unit of ``dist``; ``decay``
        unitless (elasticity of flows with respect to distance).

    Raises
    ------
    InputError
        Negative flows, a non-positive off-diagonal distance (naming the
        pair), flows and dist naming different regions, duplicate labels;
        MissingValueError for NaN; ZeroBaseError when all flows are 0.

    See Also
    --------
    weighted_median, index_connectivity

    References
    ----------
    .. [1] Bell, M., Blake, M., Boyle, P., Duke-Williams, O., Rees, P. H.,
       Stillwell, J., & Hugo, G. J. (2002). Cross-national comparison of
       internal migration: issues and measures. JRSS A 165(3), 435-464,
       doi:10.1111/1467-985X.00247 (Table 6: mean and median migration distance).

    Examples
    --------
    Distances A-B 100, B-C 150, A-C 200. Mean: 8250 / 60 = 137.5. Median:
    the values sorted with tied distances by increasing flow are 100 (10),
    100 (20), 150 (5), ... at cumulative weights less half their own 5, 20,
    32.5, ...; half the total, 30, lies between 20 and 32.5, so the median is
    100 + (30 - 20) / 12.5 * 50 = 140.

    >>> import pandas as pd
    >>> r = ["A", "B", "C"]
    >>> f = pd.DataFrame([[0, 10, 5], [20, 0, 5], [10, 10, 0]], index=r, columns=r)
    >>> d = pd.DataFrame([[0, 100, 200], [100, 0, 150], [200, 150, 0]], index=r, columns=r)
    >>> out = index_distance(f, d)
    >>> float(out["mean"]), float(out["median"])
    (137.5, 140.0)
    """
    m, labels = _flow_matrix(flows, orig, dest, flow, diagonal="drop")
    if isinstance(dist, pd.DataFrame) and dist_col in dist.columns:
        dm, dlabels = _long_to_matrix(dist, orig, dest, dist_col, "dist")
        if set(dlabels) != set(labels):
            raise InputError("flows and dist name different regions")
        order = [dlabels.index(lab) for lab in labels]
        dm = dm[np.ix_(order, order)]
    else:
        dm, _ = as_square(dist, "dist", labels=labels if isinstance(dist, pd.DataFrame) else None)
    n = m.shape[0]
    bad = (dm <= 0) & ~np.eye(n, dtype=bool)
    if bad.any():
        i, j = np.argwhere(bad)[0]
        raise InputError(f"dist must be positive off the diagonal, got {dm[i, j]:.6g} for {labels[i]!r} -> "
                         f"{labels[j]!r}")
    total = m.sum()
    if total == 0:
        raise ZeroBaseError("flows are all 0; the distance indices are undefined")
    if ties not in ("weight", "migest"):
        raise InputError(f"ties must be 'weight' or 'migest', got {ties!r}")
    if ties == "migest":
        median = _weighted_median_r(*_cells_in_migest_order(flows, m, dm, labels, orig, dest, flow))
        return _out({"mean": np.einsum("ij,ij->", m, dm) / total, "median": median,
                     "decay": _distance_decay(m, dm)}, long)
    # pack (distance, flow) of the off-diagonal cells with flow > 0 into one complex buffer
    z = np.empty(n * (n - 1), dtype=complex)
    used = 0
    for i in range(n):
        keep = m[i] > 0
        keep[i] = False
        k = int(keep.sum())
        z.real[used:used + k] = dm[i, keep]
        z.imag[used:used + k] = m[i, keep]
        used += k
    median = _weighted_median_packed(z[:used])
    del z
    return _out({
        "mean": np.einsum("ij,ij->", m, dm) / total,
        "median": median,
        "decay": _distance_decay(m, dm),
    }, long)


def index_age(age, mi, *, age_min: float = 5, age_max: float = 65, breadth: int = 5, long: bool = False):
    """Summary measures of a migration age profile (migest ``index_age``).

    With m = 100 mi (percent), nmi = m / sum(m), d = (0, diff(nmi)) and the
    study ages ``age_min < age < age_max``:
    ``gmr = sum(m) / 100`` (Rogers 1975); ``peak_mi = max m`` over study ages
    and ``peak_age`` the age of the largest nmi over all ages (Bell et al.
    2002); ``peak_breadth = sum m`` and ``peak_share = 100 sum nmi`` over the
    window of POSITIONS ``peak_age - breadth .. peak_age + breadth`` (1-based,
    as migest codes it: with ages starting at 0 the window is one year
    later than the ages suggest); ``murc``/``mdrc`` the ages of the largest
    rise/fall of nmi among study ages and ``asymmetry = murc / mdrc``
    (Bernard et al. 2014).

    Ties for a maximum take the first age (migest would return several rows).

    Parameters
    ----------
    age : array-like
        Ages (years), one per value of ``mi``, in increasing order.
    mi : array-like
        Migration intensities (migrants / population at each age), >= 0.
    age_min, age_max : float
        The study ages are those strictly between them.
    breadth : int
        Half-width, in positions, of the peak window.
    long : bool
        Return a DataFrame with columns measure and value.

    Returns
    -------
    pandas.Series or pandas.DataFrame
        ``gmr`` (migrations per person over the schedule), ``peak_mi``
        (percent), ``peak_age``, ``murc`` and ``mdrc`` (years),
        ``peak_breadth`` (percent, sum of intensities in the window),
        ``peak_share`` (percent of the schedule's total intensity in the
        window) and ``asymmetry`` (unitless).

    Raises
    ------
    InputError
        Lengths differ, ages not increasing, negative intensities (naming
        the age), no study ages, a peak window outside the ages;
        MissingValueError for NaN; ZeroBaseError when every intensity is 0.

    See Also
    --------
    index_age_rc

    References
    ----------
    .. [1] Rogers, A. (1975). Introduction to Multiregional Mathematical
       Demography. Wiley (gross migraproduction rate).
    .. [2] Bell, M., Blake, M., Boyle, P., Duke-Williams, O., Rees, P. H.,
       Stillwell, J., & Hugo, G. J. (2002). Cross-national comparison of
       internal migration: issues and measures. JRSS A 165(3), 435-464 (peak).
    .. [3] Bernard, A., Bell, M., & Charles-Edwards, E. (2014). Improved
       measures for the cross-national comparison of age profiles of internal
       migration. Population Studies 68(2), 179-195 (murc, mdrc, asymmetry).

    Examples
    --------
    The Rogers-Castro (1981) "fundamental" schedule, ages 0 to 80:
    ``mi(x) = 0.02 exp(-0.1 x) + 0.06 exp(-0.1 (x - 20) - exp(-0.4 (x - 20))) + 0.003``.

    >>> import numpy as np
    >>> age = np.arange(81)
    >>> mi = 0.02 * np.exp(-0.1 * age) + 0.06 * np.exp(-0.1 * (age - 20) - np.exp(-0.4 * (age - 20))) + 0.003
    >>> out = index_age(age, mi)
    >>> float(out["peak_age"]), float(out["murc"]), float(out["mdrc"])
    (23.0, 20.0, 28.0)
    """
    a, _ = as_vector(age, "age")
    # mi lines up with age by position, whatever its index
    mi, _ = as_vector(mi.to_numpy() if isinstance(mi, pd.Series) else mi, "mi", labels=list(a), nonneg=True)
    if np.any(np.diff(a) <= 0):
        raise InputError("age must be strictly increasing")
    if mi.sum() == 0:
        raise ZeroBaseError("mi is 0 at every age, so the schedule has no shape")
    m = 100 * mi
    nmi = m / m.sum()
    d = np.concatenate([[0.0], np.diff(nmi)])
    study = (a > age_min) & (a < age_max)
    if not study.any():
        raise InputError(f"no ages between {age_min} and {age_max}")
    peak_age = a[int(np.argmax(nmi))]
    start, stop = int(peak_age - breadth), int(peak_age + breadth)
    if start < 1 or stop > a.size:
        raise InputError(f"peak window positions {start}..{stop} fall outside the {a.size} ages")
    window = slice(start - 1, stop)
    max_d, min_d = d[study].max(), d[study].min()
    murc = a[int(np.flatnonzero(d == max_d)[0])]
    mdrc = a[int(np.flatnonzero(d == min_d)[0])]
    return _out({
        "gmr": m.sum() / 100,
        "peak_mi": m[study].max(),
        "peak_age": peak_age,
        "peak_breadth": m[window].sum(),
        "peak_share": 100 * nmi[window].sum(),
        "murc": murc,
        "mdrc": mdrc,
        "asymmetry": murc / mdrc,
    }, long)


def index_age_rc(params, *, long: bool = False):
    """Indices of a Rogers-Castro schedule (migest ``index_age_rc``).

    ``peaking = mu2``, ``child_dependency = a1 / a2``, ``labor_dependency =
    a2 / a1``, ``labor_asymmetry = lambda2 / alpha2``, ``regularity = alpha1 /
    alpha2``.

    Parameters
    ----------
    params : mapping or Series with at least a1, alpha1, a2, alpha2, mu2, lambda2
        Finite; a1, a2 and alpha2 non-zero (they are divisors).
    long : bool
        Return a DataFrame with columns measure and value.

    Returns
    -------
    pandas.Series or pandas.DataFrame
        ``peaking`` (years, the labour peak's age) and four unitless ratios.

    Raises
    ------
    InputError
        A missing or non-numeric parameter; MissingValueError for NaN;
        ZeroBaseError for a zero divisor.

    See Also
    --------
    index_age

    References
    ----------
    .. [1] Rogers, A., & Castro, L. J. (1981). Model Migration Schedules. IIASA
       Research Report RR-81-30, Laxenburg (the parameters and these ratios,
       chapter 2).

    Examples
    --------
    The "fundamental" schedule of Rogers & Castro (1981), as in migest's
    ``rc_model_fund``:

    >>> index_age_rc({"a1": 0.02, "alpha1": 0.1, "a2": 0.06, "alpha2": 0.1, "mu2": 20, "lambda2": 0.4})
    measure
    peaking             20.000000
    child_dependency     0.333333
    labor_dependency     3.000000
    labor_asymmetry      4.000000
    regularity           1.000000
    Name: value, dtype: float64
    """
    names = ("a1", "alpha1", "a2", "alpha2", "mu2", "lambda2")
    given = params if isinstance(params, pd.Series) else pd.Series(dict(params), dtype=object)
    missing = [k for k in names if k not in given.index]
    if missing:
        raise InputError(f"Rogers-Castro parameters missing: {missing}")
    values, _ = as_vector(given, "params", labels=list(names))
    p = pd.Series(values, index=list(names))
    zero = [k for k in ("a1", "a2", "alpha2") if p[k] == 0]
    if zero:
        raise ZeroBaseError(f"Rogers-Castro parameter {zero[0]} is 0 and is a divisor")
    return _out({
        "peaking": p["mu2"],
        "child_dependency": p["a1"] / p["a2"],
        "labor_dependency": p["a2"] / p["a1"],
        "labor_asymmetry": p["lambda2"] / p["alpha2"],
        "regularity": p["alpha1"] / p["alpha2"],
    }, long)
