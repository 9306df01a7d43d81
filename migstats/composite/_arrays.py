"""Array kernels of the composite pipeline, shared by :func:`build` and the uncertainty runs.

Each function works on a numpy array of units (rows) by variables (columns),
NaN for a missing value, and never changes its input.
"""

from __future__ import annotations

import numpy as np

from ..errors import InputError, UnknownNameError

NORMALISATIONS = ("minmax", "zscore", "rank", "prank", "dist2max", "dist2target", "goalposts", "none")
AGGREGATIONS = ("arithmetic", "geometric", "harmonic", "copeland")


def _centred(x: np.ndarray, least: int):
    """The deviations from the mean of the values present, their count and sum of squares; None below ``least`` values."""
    x = x[~np.isnan(x)]
    if x.size < least:
        return None
    d = x - x.mean()
    return d, x.size, np.sum(d * d)


def skew(x: np.ndarray) -> float:
    """Sample skewness with the small-sample factor of e1071 type 2 (COINr's ``skew``); NaN with < 3 values."""
    c = _centred(x, 3)
    if c is None:
        return np.nan
    d, n, m2 = c
    with np.errstate(invalid="ignore", divide="ignore"):
        g = np.sqrt(n) * np.sum(d**3) / m2**1.5
    return float(g * np.sqrt(n * (n - 1)) / (n - 2))


def kurt(x: np.ndarray) -> float:
    """Sample excess kurtosis, e1071 type 2 (COINr's ``kurt``); NaN with < 4 values."""
    c = _centred(x, 4)
    if c is None:
        return np.nan
    d, n, m2 = c
    with np.errstate(invalid="ignore", divide="ignore"):
        r = n * np.sum(d**4) / m2**2
    return float(((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3)))


def passes(x: np.ndarray, skew_threshold: float, kurt_threshold: float):
    """(pass, skew, kurt): passes when |skew| < threshold or kurtosis < threshold.

    ``pass`` is None when neither statistic settles it (too few or constant
    values), as R's three-valued ``|`` gives NA.
    """
    s, k = skew(x), kurt(x)
    a = None if np.isnan(s) else abs(s) < skew_threshold
    b = None if np.isnan(k) else k < kurt_threshold
    if a is True or b is True:
        return True, s, k
    if a is None or b is None:
        return None, s, k
    return False, s, k


def treat_column(x: np.ndarray, winmax: int, skew_threshold: float, kurt_threshold: float, log: bool):
    """Winsorise one indicator (then log-transform it if that was not enough); return (values, record)."""
    ok, s0, k0 = passes(x, skew_threshold, kurt_threshold)
    rec = {"pass_before": ok, "skew_before": s0, "kurt_before": k0, "n_winsorised": np.nan,
           "winsorised_high": 0, "winsorised_low": 0, "pass_winsorised": None, "skew_winsorised": np.nan,
           "kurt_winsorised": np.nan, "log_transformed": False, "pass_log": None, "skew_log": np.nan,
           "kurt_log": np.nan}
    if ok is not False:
        return x, rec
    y = x.copy()
    high = low = np.zeros(0, dtype=int)
    nwin = 0
    ok_w = False
    while ok_w is False and nwin < winmax:
        # the side with the outliers follows the sign of the current skew; a tie at the
        # extreme moves every tied point at once (and counts each)
        if skew(y) >= 0:
            high = np.flatnonzero(y == np.nanmax(y))
            y[high] = np.nanmax(np.delete(y, high))
        else:
            low = np.flatnonzero(y == np.nanmin(y))
            y[low] = np.nanmin(np.delete(y, low))
        nwin = high.size + low.size
        ok_w, _, _ = passes(y, skew_threshold, kurt_threshold)
    ok1, s1, k1 = passes(y, skew_threshold, kurt_threshold)
    rec.update(n_winsorised=nwin, winsorised_high=high.size, winsorised_low=low.size,
               pass_winsorised=ok1, skew_winsorised=s1, kurt_winsorised=k1)
    if ok1 is None:  # winsorising left too few distinct values to judge: COINr keeps the original
        return x, rec
    if ok1 or not log:
        return y, rec
    # still outside: COINr's log_CT on the original (not the winsorised) values
    lo, hi = np.nanmin(x), np.nanmax(x)
    z = np.log(x - lo + 0.01 * (hi - lo))
    ok2, s2, k2 = passes(z, skew_threshold, kurt_threshold)
    rec.update(log_transformed=True, pass_log=ok2, skew_log=s2, kurt_log=k2)
    return z, rec


def rank_min(x: np.ndarray, *, descending: bool = False) -> np.ndarray:
    """Ranks of each column (1 = smallest, or largest when ``descending``), ties get the lowest rank, NaN stays NaN."""
    x = np.asarray(x, dtype=float)
    one = x.ndim == 1
    if one:
        x = x[:, None]
    out = np.full(x.shape, np.nan)
    for j in range(x.shape[1]):
        col = x[:, j]
        ok = ~np.isnan(col)
        v = col[ok]
        cmp = (v[None, :] > v[:, None]) if descending else (v[None, :] < v[:, None])
        out[ok, j] = cmp.sum(axis=1) + 1
    return out[:, 0] if one else out


def normalise_array(x: np.ndarray, directions: np.ndarray, method: str, *, lower_upper=(0.0, 100.0),
                    mean_sd=(0.0, 1.0), targets=None, goalposts=None) -> np.ndarray:
    """Normalise every column after multiplying it by its direction (see :func:`migstats.composite.normalise`)."""
    if method not in NORMALISATIONS:
        raise UnknownNameError(f"unknown normalisation {method!r}; choose from {', '.join(NORMALISATIONS)}")
    if method == "goalposts":
        lo, hi, scale = (np.asarray(g, dtype=float) for g in goalposts)
        # direction -1 measures the distance from the upper post: (hi - x) / (hi - lo)
        y = np.where(directions == 1, (x - lo) / (hi - lo), (hi - x) / (hi - lo))
        return np.clip(y, 0, 1) * scale
    xd = x * directions
    with np.errstate(invalid="ignore", divide="ignore"):
        if method == "none":
            return xd
        mn, mx = np.nanmin(xd, axis=0), np.nanmax(xd, axis=0)
        if method == "minmax":
            lo, hi = lower_upper
            return (xd - mn) / (mx - mn) * (hi - lo) + lo
        if method == "dist2max":
            return 1 - (mx - xd) / (mx - mn)
        if method == "zscore":
            m, s = mean_sd
            return (xd - np.nanmean(xd, axis=0)) / np.nanstd(xd, axis=0, ddof=1) * s + m
        if method == "rank":
            return rank_min(xd)
        if method == "prank":
            return (rank_min(xd) - 1) / (np.sum(~np.isnan(xd), axis=0) - 1)
        # dist2target: the target is flipped with the direction, like the values
        t = np.asarray(targets, dtype=float) * directions
        return (xd - mn) / (t - mn)


def aggregate_columns(x: np.ndarray, w: np.ndarray, method: str) -> np.ndarray:
    """Weighted mean of the columns of ``x`` per row, ignoring NaNs (weights rescaled over the values present).

    ``arithmetic``: sum(w x) / sum(w); ``geometric``: exp(sum(w ln x) / sum(w));
    ``harmonic``: sum(w) / sum(w / x); ``copeland``: the Copeland score of each
    row against every other row (weighted outranking). Rows with no value give NaN.
    """
    present = ~np.isnan(x)
    wsum = present @ w
    with np.errstate(invalid="ignore", divide="ignore"):
        if method == "arithmetic":
            out = np.where(present, x, 0.0) @ w / wsum
        elif method == "geometric":
            out = np.exp(np.where(present, np.log(np.where(present, x, 1.0)), 0.0) @ w / wsum)
        elif method == "harmonic":
            out = wsum / (np.where(present, 1.0 / np.where(present, x, 1.0), 0.0) @ w)
        elif method == "copeland":
            return copeland(x, w)
        else:
            raise UnknownNameError(f"unknown aggregation {method!r}; choose from {', '.join(AGGREGATIONS)}")
    out[wsum == 0] = np.nan
    return out


def copeland(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Copeland scores: for each pair of rows, +1 to the row that outranks on more than half the weight.

    The outranking of row i over row j is the weight of the columns where i is
    higher plus half the weight where they are equal (a missing value is
    neither); the lower triangle is one minus the upper one, as in COINr's
    ``outrankMatrix``. A unit's score is (pairs won) - (pairs lost).
    """
    w = w / np.nansum(w)
    gt = (x[:, None, :] > x[None, :, :]) @ w
    eq = (x[:, None, :] == x[None, :, :]) @ w
    orm = gt + eq / 2
    upper = np.triu(orm, 1)
    orm = upper + (1 - upper.T) * np.tri(len(x), k=-1)
    sign = np.sign(orm - 0.5)
    np.fill_diagonal(sign, 0)
    return sign.sum(axis=1)


def check_positive(x: np.ndarray, method: str, aggregate: str, units, children) -> None:
    """Raise unless every present value can enter a geometric or harmonic mean (all > 0)."""
    if method not in ("geometric", "harmonic"):
        return
    bad = np.argwhere(x <= 0)
    if bad.size:
        i, j = bad[0]
        raise InputError(f"{method} aggregation of {aggregate!r} needs values above zero, but {children[j]!r} of unit "
                         f"{units[i]!r} is {x[i, j]:g} ({len(bad)} such value(s)); normalise to a positive range "
                         "(e.g. normalise_range=(1, 100)) or aggregate arithmetically")
