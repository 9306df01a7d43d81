"""How much the ranks of a composite index depend on its construction choices.

The index is rebuilt over random draws of the uncertain choices (how many
points the outlier treatment may winsorise, the normalisation, the
aggregation, the weights perturbed around their values). Every draw is
generated up front from one seed, so a run gives the same numbers whichever
executor ran it. Stages before the outlier treatment do not depend on these
choices and are computed once; treated and normalised tables are shared by
every draw with the same winsorisation limit and normalisation.

References
----------
Saisana, M., Saltelli, A. and Tarantola, S. (2005). Uncertainty and
sensitivity analysis techniques as tools for the quality assessment of
composite indicators. *Journal of the Royal Statistical Society A* 168(2),
307-323.

Saltelli, A., Annoni, P., Azzini, I., Campolongo, F., Ratto, M. and
Tarantola, S. (2010). Variance based sensitivity analysis of model output.
Design and estimator for the total sensitivity index. *Computer Physics
Communications* 181(2), 259-270 (first-order estimator, their eq. (b) of
Table 2; total effect: Jansen's estimator, eq. (f)).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import InputError, UnknownNameError
from ..executors import run_tasks
from . import _arrays
from .build import CompositeResult, build
from .stages import AGGREGATIONS, NORMALISATIONS

__all__ = ["uncertainty", "sensitivity", "UncertaintyResult"]

#: draws per task handed to the executor
_CHUNK = 50


@dataclass
class UncertaintyResult:
    """Ranks of every unit over random draws of the construction choices.

    Attributes
    ----------
    nominal : CompositeResult
        The index built with the nominal choices.
    ranks : DataFrame
        One row per draw, one column per unit: the rank in the index.
    draws : DataFrame
        One row per draw: ``winmax``, ``normalise``, ``aggregate`` and the weight
        multiplier of every node (``w:<code>``).
    seed : int or None
        The seed given.
    """

    nominal: CompositeResult
    ranks: pd.DataFrame
    draws: pd.DataFrame
    seed: object = None

    def summary(self) -> pd.DataFrame:
        """Per unit: nominal rank, median rank, 5th and 95th percentile rank, mean absolute rank shift.

        The 5th and 95th percentiles are ranks that occurred (the order
        statistics just below and just above, numpy's ``lower`` and ``higher``
        methods), so at least 90 per cent of the draws fall between them; the
        median interpolates (it may fall halfway between two ranks).

        Returns
        -------
        DataFrame
            code, name, nominal_rank, median_rank, rank_p05, rank_p95,
            mean_abs_shift (mean over draws of |rank - nominal rank|), sorted by
            nominal rank.

        Examples
        --------
        >>> from migstats.composite.stages import _example
        >>> data, fw = _example()
        >>> run = uncertainty(data, fw, draws=20, weight_spread=0.5, seed=1, treat="none")
        >>> run.summary().columns.tolist()
        ['code', 'name', 'nominal_rank', 'median_rank', 'rank_p05', 'rank_p95', 'mean_abs_shift']
        """
        ranks = self.ranks.to_numpy(dtype=float)
        nominal = self.nominal.ranks()[self.nominal.framework.root].reindex(self.ranks.columns).astype(float)
        q05 = np.nanpercentile(ranks, 5, axis=0, method="lower")
        q50 = np.nanpercentile(ranks, 50, axis=0)
        q95 = np.nanpercentile(ranks, 95, axis=0, method="higher")
        out = pd.DataFrame({
            "code": self.ranks.columns,
            "name": self.nominal.names.reindex(self.ranks.columns).fillna("").to_numpy(),
            "nominal_rank": nominal.to_numpy(),
            "median_rank": q50,
            "rank_p05": q05,
            "rank_p95": q95,
            "mean_abs_shift": np.nanmean(np.abs(ranks - nominal.to_numpy()), axis=0),
        })
        out["nominal_rank"] = out["nominal_rank"].astype("Int64")
        return out.sort_values(["nominal_rank", "code"], kind="stable").reset_index(drop=True)


    def to_long(self) -> pd.DataFrame:
        """Every draw's rank of every unit, long.

        Returns
        -------
        DataFrame
            draw, code, rank.

        Examples
        --------
        >>> from migstats.composite.stages import _example
        >>> data, fw = _example()
        >>> uncertainty(data, fw, draws=3, seed=1, treat="none").to_long().shape
        (12, 3)
        """
        long = self.ranks.stack().rename("rank").reset_index()
        return long[["draw", "code", "rank"]]


class _Engine:
    """Everything a draw needs, picklable for a process pool or a dask worker."""

    def __init__(self, nominal: CompositeResult):
        fw = nominal.framework
        self.screened = nominal.stages["Screened"][fw.indicators].to_numpy(dtype=float)
        self.units = list(nominal.stages["Screened"].index)
        nodes = fw.nodes
        self.directions = np.array([nodes[c].direction for c in fw.indicators], dtype=float)
        self.targets = np.array([np.nan if nodes[c].target is None else nodes[c].target for c in fw.indicators])
        gp = [nodes[c].goalposts or (np.nan, np.nan, np.nan) for c in fw.indicators]
        self.goalposts = np.array(gp, dtype=float).T
        self.columns = fw.indicators + fw.aggregates
        pos = {c: i for i, c in enumerate(self.columns)}
        self.plan = [(pos[a], np.array([pos[k] for k in fw.children(a)])) for a in fw.aggregates]
        self.names = {pos[a]: a for a in fw.aggregates}
        self.weights = nominal.weights.reindex(self.columns).to_numpy(dtype=float)
        self.choices = nominal.choices
        self.root = pos[fw.root]

    def prepare(self, draws: list) -> None:
        """Treat and normalise once per distinct (winmax, normalisation) of the draws, before they are shared out."""
        c = self.choices
        treated = {}
        self.normalised = {}
        for winmax, norm, _, _ in draws:
            if winmax not in treated:
                treated[winmax] = self.screened if c["treat"] == "none" else np.column_stack([
                    _arrays.treat_column(self.screened[:, j], winmax, c["skew_threshold"], c["kurt_threshold"],
                                         c["log_transform"])[0] for j in range(self.screened.shape[1])])
            if (winmax, norm) not in self.normalised:
                self.normalised[(winmax, norm)] = _arrays.normalise_array(
                    treated[winmax], self.directions, norm, lower_upper=c["normalise_range"],
                    mean_sd=c["zscore_params"], targets=self.targets, goalposts=self.goalposts)

    def index_ranks(self, x: np.ndarray, method: str, multipliers) -> np.ndarray:
        values = np.full((x.shape[0], len(self.columns)), np.nan)
        values[:, : x.shape[1]] = x
        w = self.weights if multipliers is None else self.weights * multipliers
        for agg, kids in self.plan:
            block = values[:, kids]
            _arrays.check_positive(block, method, self.names[agg], self.units, [self.columns[k] for k in kids])
            values[:, agg] = _arrays.aggregate_columns(block, w[kids], method)
        return _arrays.rank_min(values[:, self.root], descending=True)


def _run_draws(engine: _Engine, draws: list) -> np.ndarray:
    """Index ranks for a list of (winmax, normalise, aggregate, multipliers) draws."""
    out = np.empty((len(draws), len(engine.units)))
    for i, (winmax, norm, agg, mult) in enumerate(draws):
        out[i] = engine.index_ranks(engine.normalised[(winmax, norm)], agg, mult)
    return out


def _check_alternatives(winmax_range, normalise_methods, aggregate_methods, weight_spread):
    if winmax_range is not None:
        lo, hi = winmax_range
        if int(lo) != lo or int(hi) != hi or lo < 0 or hi < lo:
            raise InputError(f"winmax_range must be two whole numbers 0 <= low <= high, not {winmax_range!r}")
    for methods, known, what in ((normalise_methods, NORMALISATIONS, "normalisation"),
                                 (aggregate_methods, AGGREGATIONS, "aggregation")):
        if methods is not None:
            if len(methods) == 0:
                raise InputError(f"an empty list of {what} methods")
            for m in methods:
                if m not in known:
                    raise UnknownNameError(f"unknown {what} {m!r}; choose from {', '.join(known)}")
    if not (np.isfinite(weight_spread) and 0 <= weight_spread < 1):
        raise InputError(f"weight_spread must be a fraction in [0, 1), not {weight_spread!r}")


def _factors(nominal, winmax_range, normalise_methods, aggregate_methods, weight_spread):
    """The uncertain factors as (name, number of uniform variables)."""
    factors = []
    if winmax_range is not None and winmax_range[0] != winmax_range[1]:
        factors.append(("winmax", 1))
    if normalise_methods is not None and len(normalise_methods) > 1:
        factors.append(("normalise", 1))
    if aggregate_methods is not None and len(aggregate_methods) > 1:
        factors.append(("aggregate", 1))
    if weight_spread > 0:
        factors.append(("weights", len(nominal.framework.nodes)))
    return factors


def _decode(u: np.ndarray, factors, nominal, winmax_range, normalise_methods, aggregate_methods, weight_spread):
    """Map rows of uniform variables in [0, 1) to draws (winmax, normalise, aggregate, multipliers)."""
    c = nominal.choices
    draws = []
    for row in u:
        winmax, norm, agg, mult = c["winmax"], c["normalise"], c["aggregate"], None
        if winmax_range is not None and winmax_range[0] == winmax_range[1]:
            winmax = int(winmax_range[0])
        if normalise_methods is not None and len(normalise_methods) == 1:
            norm = normalise_methods[0]
        if aggregate_methods is not None and len(aggregate_methods) == 1:
            agg = aggregate_methods[0]
        j = 0
        for name, width in factors:
            v = row[j: j + width]
            j += width
            if name == "winmax":
                lo, hi = int(winmax_range[0]), int(winmax_range[1])
                winmax = lo + min(int(v[0] * (hi - lo + 1)), hi - lo)
            elif name == "normalise":
                norm = normalise_methods[min(int(v[0] * len(normalise_methods)), len(normalise_methods) - 1)]
            elif name == "aggregate":
                agg = aggregate_methods[min(int(v[0] * len(aggregate_methods)), len(aggregate_methods) - 1)]
            else:
                mult = 1 - weight_spread + 2 * weight_spread * v
        draws.append((winmax, norm, agg, mult))
    return draws


def _evaluate(engine, draws, executor, progress, desc) -> np.ndarray:
    engine.prepare(draws)
    chunks = [draws[i: i + _CHUNK] for i in range(0, len(draws), _CHUNK)]
    results = run_tasks(_run_draws, [(engine, chunk) for chunk in chunks], executor=executor, progress=progress,
                        desc=desc)
    return np.vstack(results) if results else np.empty((0, len(engine.units)))


def _sobol_indices(y: np.ndarray, samples: int, factors: int):
    """First-order (Saltelli 2010) and total (Jansen 1999) indices from outputs on A, B and each AB_i.

    ``y`` holds the outputs on A (``samples`` rows), then B, then AB_1 ... AB_k.
    Returns (first, total, V) with V the variance of the outputs on A and B;
    NaN indices when V is 0.
    """
    ya, yb = y[:samples], y[samples: 2 * samples]
    var = np.var(np.concatenate([ya, yb]), ddof=1)
    first, total = np.empty(factors), np.empty(factors)
    for i in range(factors):
        yab = y[(2 + i) * samples: (3 + i) * samples]
        with np.errstate(invalid="ignore", divide="ignore"):
            first[i] = np.mean(yb * (yab - ya)) / var
            total[i] = np.mean((ya - yab) ** 2) / (2 * var)
    return first, total, var


def uncertainty(data, framework, *, draws: int = 1000, winmax_range=None, normalise_methods=None,
                aggregate_methods=None, weight_spread: float = 0.0, seed=None, executor=None, progress=None,
                **choices) -> UncertaintyResult:
    """Rebuild the index over random draws of its construction choices and collect every unit's rank.

    Each draw picks, independently and uniformly: a winsorisation limit in
    ``winmax_range`` (whole numbers, both ends included), a normalisation from
    ``normalise_methods``, an aggregation from ``aggregate_methods``, and for
    every node a weight multiplier in [1 - ``weight_spread``, 1 + ``weight_spread``]
    (so each weight varies by up to that fraction of its nominal value). A
    choice left at ``None`` (or 0) keeps its nominal value, so with no
    uncertain choice every draw reproduces the nominal ranks. With
    ``weights="pca"`` the PCA weights of the nominal build are the ones
    perturbed (they are not recomputed for each draw).

    Parameters
    ----------
    data, framework
        As for :func:`migstats.composite.build`.
    draws : int
        Number of draws.
    winmax_range : (int, int), optional
        Range of the winsorisation limit.
    normalise_methods, aggregate_methods : sequence of str, optional
        Alternatives (see :func:`migstats.composite.normalise` and
        :func:`migstats.composite.aggregate`). Geometric and harmonic means need
        positive scores: use ``normalise_range=(1, 100)`` with ``minmax``.
    weight_spread : float
        Fractional perturbation of every weight, in [0, 1).
    seed : int or numpy.random.Generator, optional
        Makes the draws reproducible.
    executor : None, "sequential", "process", Executor or dask Client
        Who runs the draws (see :func:`migstats.executors.run_tasks`); the result
        does not depend on it.
    progress : bool or None
        Progress bar on stderr.
    **choices
        The nominal choices, passed to :func:`migstats.composite.build`.

    Returns
    -------
    UncertaintyResult
        ``.summary()`` gives each unit's nominal, median and 5th-95th percentile rank.

    Raises
    ------
    InputError
        A bad range, spread or number of draws; an alternative that cannot be
        computed on the data (e.g. a geometric mean of zero scores).
    UnknownNameError
        An unknown method.

    See Also
    --------
    sensitivity : which choice the rank shifts come from.

    References
    ----------
    Saisana, Saltelli and Tarantola (2005), JRSS A 168(2), 307-323.

    Examples
    --------
    >>> from migstats.composite.stages import _example
    >>> data, fw = _example()
    >>> run = uncertainty(data, fw, draws=50, weight_spread=0.9, seed=3, treat="none")
    >>> run.summary()[["code", "nominal_rank", "rank_p05", "rank_p95"]].values.tolist()
    [['BBB', 1, 1.0, 2.0], ['DDD', 2, 1.0, 2.0], ['CCC', 3, 3.0, 3.0], ['AAA', 4, 4.0, 4.0]]
    """
    if int(draws) != draws or draws < 1:
        raise InputError(f"draws must be a positive whole number, not {draws!r}")
    _check_alternatives(winmax_range, normalise_methods, aggregate_methods, weight_spread)
    nominal = build(data, framework, **choices)
    factors = _factors(nominal, winmax_range, normalise_methods, aggregate_methods, weight_spread)
    width = sum(w for _, w in factors)
    u = np.random.default_rng(seed).random((int(draws), width))
    chosen = _decode(u, factors, nominal, winmax_range, normalise_methods, aggregate_methods, weight_spread)
    engine = _Engine(nominal)
    ranks = _evaluate(engine, chosen, executor, progress, "uncertainty draws")
    table = pd.DataFrame({"winmax": [d[0] for d in chosen], "normalise": [d[1] for d in chosen],
                          "aggregate": [d[2] for d in chosen]})
    mult = np.array([np.ones(len(engine.columns)) if d[3] is None else d[3] for d in chosen])
    table = pd.concat([table, pd.DataFrame(mult, columns=[f"w:{c}" for c in engine.columns])], axis=1)
    table.index.name = "draw"
    frame = pd.DataFrame(ranks, columns=pd.Index(engine.units, name="code"))
    frame.index.name = "draw"
    return UncertaintyResult(nominal=nominal, ranks=frame, draws=table, seed=seed)


def sensitivity(data, framework, *, samples: int = 200, winmax_range=None, normalise_methods=None,
                aggregate_methods=None, weight_spread: float = 0.0, seed=None, executor=None, progress=None,
                **choices) -> pd.DataFrame:
    """Variance-based sensitivity of the mean absolute rank shift to each uncertain choice.

    The output is y = mean over units of |rank - nominal rank|. With two
    independent samples A and B of the choices (``samples`` rows each) and
    AB_i (A with the columns of choice i taken from B), the first-order index
    is S_i = mean(y_B (y_ABi - y_A)) / V (Saltelli et al. 2010) and the total
    index S_Ti = mean((y_A - y_ABi)^2) / (2 V) (Jansen 1999), V the variance
    of y over A and B together. The weights are one factor (all multipliers
    together). ``samples * (k + 2)`` indices are built for k factors.

    Parameters
    ----------
    data, framework
        As for :func:`migstats.composite.build`.
    samples : int
        Rows of A and of B.
    winmax_range, normalise_methods, aggregate_methods, weight_spread
        The uncertain choices, as in :func:`uncertainty` (at least one).
    seed : int or numpy.random.Generator, optional
        Makes the design reproducible.
    executor, progress
        As in :func:`uncertainty`.
    **choices
        The nominal choices.

    Returns
    -------
    DataFrame
        factor, first_order, total; ``attrs["variance"]`` is V and
        ``attrs["runs"]`` the number of builds. With V = 0 (no choice moves any
        rank) the indices are NaN.

    Raises
    ------
    InputError
        No uncertain choice, or fewer than 2 samples.

    References
    ----------
    Saltelli et al. (2010), Computer Physics Communications 181(2), 259-270, Table 2.
    Jansen, M. J. W. (1999). Analysis of variance designs for model output.
    Computer Physics Communications 117(1-2), 35-43.

    Examples
    --------
    >>> from migstats.composite.stages import _example
    >>> data, fw = _example()
    >>> si = sensitivity(data, fw, samples=16, weight_spread=0.9, aggregate_methods=["arithmetic", "copeland"],
    ...                  seed=2, treat="none")
    >>> si["factor"].tolist(), bool((si["total"] >= 0).all())
    (['aggregate', 'weights'], True)
    """
    if int(samples) != samples or samples < 2:
        raise InputError(f"samples must be a whole number of at least 2, not {samples!r}")
    _check_alternatives(winmax_range, normalise_methods, aggregate_methods, weight_spread)
    nominal = build(data, framework, **choices)
    factors = _factors(nominal, winmax_range, normalise_methods, aggregate_methods, weight_spread)
    if not factors:
        raise InputError("sensitivity needs at least one uncertain choice (a range, two methods or a weight spread)")
    width = sum(w for _, w in factors)
    rng = np.random.default_rng(seed)
    a, b = rng.random((samples, width)), rng.random((samples, width))
    blocks = [a, b]
    start = 0
    for _, w in factors:
        ab = a.copy()
        ab[:, start: start + w] = b[:, start: start + w]
        blocks.append(ab)
        start += w
    u = np.vstack(blocks)
    chosen = _decode(u, factors, nominal, winmax_range, normalise_methods, aggregate_methods, weight_spread)
    engine = _Engine(nominal)
    ranks = _evaluate(engine, chosen, executor, progress, "sensitivity runs")
    base = nominal.ranks()[nominal.framework.root].reindex(engine.units).to_numpy(dtype=float)
    y = np.nanmean(np.abs(ranks - base), axis=1)
    first, total, var = _sobol_indices(y, samples, len(factors))
    rows = [{"factor": name, "first_order": first[i], "total": total[i]} for i, (name, _) in enumerate(factors)]
    out = pd.DataFrame(rows)
    out.attrs.update(variance=float(var), runs=len(chosen))
    return out
