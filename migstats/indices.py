"""Summary indices of migration: intensity, impact, connectivity, distance and age profile.

Numerical twins of migest 2.0.5's ``index_*`` functions (which use
migration.indices 0.3.1 and matrixStats). Each function returns a
``pandas.Series`` indexed by measure name (``long=True``: a DataFrame with
columns ``measure`` and ``value``, migest's default layout).

Flow inputs are either a square orig x dest matrix (array or DataFrame,
whose diagonal must be zero) or a long DataFrame with orig, dest and flow
columns (its diagonal rows are dropped, as migest does).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from migstats.errors import InputError, MissingValueError
from migstats.flows._common import as_square, as_vector, safe_ratio

__all__ = ["index_intensity", "index_impact", "index_connectivity", "index_distance", "index_age",
           "index_age_rc"]


def _out(values: dict, long: bool):
    s = pd.Series(values, name="value", dtype=float)
    s.index.name = "measure"
    return s.reset_index() if long else s


def _flow_matrix(flows, orig="orig", dest="dest", flow="flow", what="flows"):
    """Square flow matrix with zero diagonal and its labels."""
    if isinstance(flows, pd.DataFrame) and {orig, dest, flow} <= set(flows.columns) \
            and flows.shape[1] != flows.shape[0]:
        return _long_to_matrix(flows, orig, dest, flow, what)
    m, labels = as_square(flows, what)
    if np.any(np.diag(m) != 0):
        raise InputError(f"{what} matrix must have a zero diagonal (migration.indices refuses "
                         "others); pass a long table to have the diagonal dropped")
    return m, labels


def _long_to_matrix(df, orig, dest, value, what):
    for col in (orig, dest, value):
        if col not in df.columns:
            raise InputError(f"{what} has no column {col!r}")
    labels = list(pd.unique(pd.concat([df[orig], df[dest]], ignore_index=True)))
    pos = {lab: i for i, lab in enumerate(labels)}
    m = np.zeros((len(labels), len(labels)))
    vals = df[value].to_numpy(dtype=float)
    if not np.all(np.isfinite(vals)):
        row = int(np.flatnonzero(~np.isfinite(vals))[0]) + 1
        raise MissingValueError(f"{what} has a missing {value!r} in data row {row}")
    m[[pos[x] for x in df[orig]], [pos[x] for x in df[dest]]] = vals
    np.fill_diagonal(m, 0.0)
    return m, labels


def index_intensity(mig_total: float, pop_total: float, n: int, *, long: bool = False):
    """Crude migration probability and Courgeau's k (migest ``index_intensity``).

    ``cmp = 100 * mig_total / pop_total`` (percent of the population at risk);
    ``courgeau_k = cmp / log(n^2)`` for n regions.
    """
    if pop_total <= 0:
        raise InputError(f"pop_total must be positive, got {pop_total!r}")
    if n < 2:
        raise InputError(f"n must be at least 2 regions, got {n!r}")
    cmp = 100 * mig_total / pop_total
    return _out({"cmp": cmp, "courgeau_k": cmp / np.log(n ** 2)}, long)


def index_impact(flows, pop, *, orig="orig", dest="dest", flow="flow", long: bool = False):
    """Migration effectiveness, aggregate net migration rate, preference and velocity (migest ``index_impact``).

    With in_i, out_i the column and row sums of the flow matrix m, P the
    populations and s = P / sum(P):
    ``effectivness = 100 * sum|in - out| / sum(in + out)`` (percent of turnover;
    migest's spelling kept); ``anmr = 100 * 0.5 * sum|in - out| / sum(P)``
    (percent of population); ``preference = sum_ij m_ij / (sum(m) s_i s_j)``;
    ``velocity = sum_ij m_ij sum(P) / (P_i P_j)``.

    Parameters
    ----------
    flows : matrix or long DataFrame
    pop : Series or mapping region -> population (same regions as flows)
    """
    m, labels = _flow_matrix(flows, orig, dest, flow)
    p, _ = as_vector(pop if not isinstance(pop, dict) else pd.Series(pop), "pop", labels)
    if np.any(p <= 0):
        raise InputError("populations must be positive")
    net = m.sum(axis=0) - m.sum(axis=1)
    turn = m.sum(axis=0) + m.sum(axis=1)
    s = p / p.sum()
    return _out({
        "effectivness": 100 * np.abs(net).sum() / turn.sum(),
        "anmr": 100 * 0.5 * np.abs(net).sum() / p.sum(),
        "preference": (m / (m.sum() * np.outer(s, s))).sum(),
        "velocity": (m / np.outer(p, p) * p.sum()).sum(),
    }, long)


def _pair_abs_sum(x: np.ndarray, axis: int = -1) -> np.ndarray:
    """sum_{a,b} |x_a - x_b| along ``axis`` (ordered pairs), via sorting: 2 sum_i (2i - N + 1) x_(i)."""
    xs = np.sort(x, axis=axis)
    n = xs.shape[axis]
    shape = [1] * xs.ndim
    shape[axis] = n
    coef = (2 * np.arange(n) - n + 1).reshape(shape)
    return 2 * (coef * xs).sum(axis=axis)


def _off_diagonal(m):
    n = m.shape[0]
    return m[~np.eye(n, dtype=bool)].reshape(n, n - 1)


def _quasi_independence_fit(y, offset, tol=1e-12, max_iter=100_000):
    """Poisson MLE of ``y ~ orig + dest (+ offset)`` on off-diagonal cells: IPF to y's margins.

    The main-effects Poisson model's fitted values are those of the table
    ``a_i b_j offset_ij`` whose row and column sums equal y's, the
    diagonal being excluded (offset 0 there).
    """
    rows, cols = y.sum(axis=1), y.sum(axis=0)
    a = np.ones(y.shape[0])
    b = np.ones(y.shape[1])
    scale = max(rows.max(initial=0.0), 1.0)
    for _ in range(max_iter):
        b = b * safe_ratio(cols, b * (a @ offset))
        a = a * safe_ratio(rows, a * (offset @ b))
        if np.abs(b * (a @ offset) - cols).max(initial=0.0) <= tol * scale:
            return a[:, None] * offset * b[None, :]
    raise InputError("Poisson independence fit did not converge")


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
    """
    m, _ = _flow_matrix(flows, orig, dest, flow)
    n = m.shape[0]
    if n < 3:
        raise InputError("index_connectivity needs at least 3 regions")
    off = _off_diagonal(m)
    f = off.ravel()
    total = f.sum()
    if total <= 0:
        raise InputError("flows sum to zero; the indices are undefined")
    big_n = f.size
    y = np.round(m)
    fit = _quasi_independence_fit(y, 1.0 - np.eye(n))
    e = _off_diagonal(fit).ravel()
    pair_total = _pair_abs_sum(f)
    gini_unc = pair_total / (2 * big_n * total)
    gini = pair_total / ((2 * (big_n - 1) if gini_corrected else 2 * big_n) * total)
    row_pairs = _pair_abs_sum(off, axis=1)
    col_pairs = _pair_abs_sum(_off_diagonal(m.T), axis=1)
    rsum, csum = m.sum(axis=1), m.sum(axis=0)
    g_out = row_pairs / (2 * (n - 2) * rsum)
    g_in = col_pairs / (2 * (n - 2) * csum)
    mwg_orig = (g_out * csum / total).sum() / n
    mwg_dest = (g_in * rsum / total).sum() / n
    cells = m.size
    cv = np.sqrt(((m - m.mean()) ** 2).sum() / (cells * (cells - 1)) / m.mean())
    cv_out = off.std(axis=1) / off.mean(axis=1)
    off_t = _off_diagonal(m.T)
    cv_in = off_t.std(axis=1) / off_t.mean(axis=1)
    acv = (csum / total * cv_in).sum() + (rsum / total * cv_out).sum()
    return _out({
        "connectivity": np.count_nonzero(f) / big_n,
        "inequality_equal": 0.5 * np.abs(f / total - f.mean() / total).sum(),
        "inequality_sim": 0.5 * np.abs(f / total - e / e.sum()).sum(),
        "gini_total": gini,
        "gini_orig_standardized": row_pairs.sum() / (2 * big_n * total) / gini_unc,
        "gini_dest_standardized": col_pairs.sum() / (2 * big_n * total) / gini_unc,
        "mwg_orig": mwg_orig,
        "mwg_dest": mwg_dest,
        "mwg_mean": (mwg_orig + mwg_dest) / 2,
        "cv": cv,
        "acv": acv,
    }, long)


def weighted_median(x, w) -> float:
    """Interpolated weighted median (matrixStats ``weightedMedian``, ``interpolate = TRUE``).

    Values sorted (tied values by increasing weight), zero weights dropped;
    with cumulative weights
    ``c_k = sum_{i<=k} w_i - w_k / 2`` and half total H, k is the last
    position with ``c_k < H`` (at least the first) and the median is
    ``x_k + (H - c_k) / (c_{k+1} - c_k) (x_{k+1} - x_k)``.

    Deliberate difference: the interpolation depends on the order of tied
    values, which matrixStats leaves to its (unstable) quicksort; here ties
    are ordered by increasing weight, which reproduces migest's result for
    the symmetric Korean distance table.
    """
    x = np.asarray(x, dtype=float)
    w = np.asarray(w, dtype=float)
    keep = w > 0
    x, w = x[keep], w[keep]
    if x.size == 0:
        raise InputError("weighted median of zero total weight")
    if x.size == 1:
        return float(x[0])
    order = np.lexsort((w, x))
    x, w = x[order], w[order]
    cum = np.cumsum(w)
    half = cum[-1] / 2
    cum = cum - w / 2
    k = max(1, int(np.count_nonzero(cum < half))) - 1
    if k + 1 >= x.size:
        return float(x[-1])
    return float(x[k] + (half - cum[k]) / (cum[k + 1] - cum[k]) * (x[k + 1] - x[k]))


def _distance_decay(y, dist, tol=1e-12):
    """Coefficient of log(dist) in the Poisson model ``y ~ orig + dest + log(dist)`` (off-diagonal).

    For a given coefficient the orig/dest effects are profiled out by IPF
    with offset dist^beta; beta solves the score equation
    ``sum (y - mu(beta)) log(dist) = 0`` (decreasing in beta) by a
    bracketing secant (Illinois) search.
    """
    n = y.shape[0]
    mask = ~np.eye(n, dtype=bool)
    logd = np.zeros_like(dist)
    logd[mask] = np.log(dist[mask])

    def score(beta):
        offset = np.where(mask, np.exp(beta * logd), 0.0)
        mu = _quasi_independence_fit(y, offset)
        return float(((y - mu) * logd)[mask].sum())

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
    raise InputError("distance-decay fit did not converge")


def index_distance(flows, dist, *, orig="orig", dest="dest", flow="flow", dist_col="dist",
                   long: bool = False):
    """Flow-weighted mean and median distance, and distance decay (migest ``index_distance``).

    Over off-diagonal cells: ``mean = sum f d / sum f``; ``median`` the
    interpolated weighted median of d with weights f (:func:`weighted_median`);
    ``decay`` the coefficient of log(d) in the Poisson model
    ``round(f) ~ orig + dest + log(d)`` (maximum likelihood, computed by
    profiling; migest uses ``glm``).

    Parameters
    ----------
    flows : matrix or long DataFrame
    dist : matrix or long DataFrame (columns orig, dest and ``dist_col``) of
        positive distances. Unlike migest, it needs no flow column.
    """
    m, labels = _flow_matrix(flows, orig, dest, flow)
    if isinstance(dist, pd.DataFrame) and dist_col in dist.columns:
        dm, dlabels = _long_to_matrix(dist, orig, dest, dist_col, "dist")
        if set(dlabels) != set(labels):
            raise InputError("flows and dist name different regions")
        order = [dlabels.index(lab) for lab in labels]
        dm = dm[np.ix_(order, order)]
    else:
        dm, _ = as_square(dist, "dist", labels if isinstance(dist, pd.DataFrame) else None)
    mask = ~np.eye(m.shape[0], dtype=bool)
    if np.any(dm[mask] <= 0):
        raise InputError("off-diagonal distances must be positive")
    f, d = m[mask], dm[mask]
    return _out({
        "mean": (f * d).sum() / f.sum(),
        "median": weighted_median(d, f),
        "decay": _distance_decay(np.round(m), dm),
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
    """
    a = np.asarray(age, dtype=float)
    mi = np.asarray(mi, dtype=float)
    if a.shape != mi.shape or a.ndim != 1:
        raise InputError("age and mi must be vectors of the same length")
    if not np.all(np.isfinite(mi)):
        raise MissingValueError("mi has missing values")
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
    """
    p = pd.Series(params, dtype=float) if not isinstance(params, pd.Series) else params.astype(float)
    missing = [k for k in ("a1", "alpha1", "a2", "alpha2", "mu2", "lambda2") if k not in p.index]
    if missing:
        raise InputError(f"Rogers-Castro parameters missing: {missing}")
    return _out({
        "peaking": p["mu2"],
        "child_dependency": p["a1"] / p["a2"],
        "labor_dependency": p["a2"] / p["a1"],
        "labor_asymmetry": p["lambda2"] / p["alpha2"],
        "regularity": p["alpha1"] / p["alpha2"],
    }, long)
