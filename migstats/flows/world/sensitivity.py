"""How much the global flow estimates move when their inputs are perturbed within stated errors.

A sensitivity analysis, not an uncertainty estimate: each draw multiplies the
inputs of one period's demographic accounts (:func:`world_accounts`) by
random errors under a stated error model, re-estimates the flows, and the
draws are summarised per corridor, per country and for the world. The spread
shows how far the estimates move *if the inputs were wrong by the stated
amounts*; it is not a posterior distribution, and it says nothing about the
error of the methods themselves (the minimum-migration assumption, the
pseudo-Bayes weight), which is the same in every draw.

Every draw k takes its random numbers from child k of one
``numpy.random.SeedSequence(seed)``, so draw k is the same whoever computes
it, in whatever order, and whatever the number of draws: the first 10 of 50
draws are the 10 draws of a run with ``draws=10``. Draws run through
:func:`migstats.executors.run_tasks` (sequential, a process pool or a dask
Client) and give the same numbers bit for bit.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import pandas as pd

from migstats._docstrings import fill_doc
from migstats.errors import ConvergenceError, InputError, MemoryBudgetError

__all__ = ["flow_sensitivity", "perturb_accounts", "FlowSensitivity", "ERROR_MODEL"]

#: what each error parameter perturbs, recorded in the attrs of every result
ERROR_MODEL = {
    "stock_cv": "coefficient of variation of a multiplicative lognormal error (mean 1) on every published "
                "foreign-born stock cell (birthplace k != residence j, after the 'Others' share), "
                "independent between cells; zero cells stay zero",
    "stock_correlation": "correlation of the normal errors of one stock cell at the start and the end of the "
                         "period (log scale); 0: independent, 1: the same relative error at both dates",
    "vital_cv": "coefficient of variation of a multiplicative lognormal error (mean 1) on the births and, "
                "independently, the deaths of each country in the period",
    "population_cv": "coefficient of variation of a multiplicative lognormal error (mean 1) on each country's "
                     "population, the same factor at both dates (a level error)",
    "native_born": "native-born = perturbed population - perturbed foreign-born, so every column still adds up "
                   "to the population; a draw where this is negative for any country is infeasible: "
                   "counted, listed in FlowSensitivity.infeasible and left out of the summaries",
}
MEANING = ("sensitivity of the estimates to input errors under the stated error model only: not a posterior, "
           "not the uncertainty of the estimation method")


def _check_draws(draws) -> int:
    if isinstance(draws, bool) or not isinstance(draws, (int, np.integer)) or draws < 1:
        raise InputError(f"draws must be a positive whole number, got {draws!r}")
    return int(draws)


def _check_number(value, name: str, low: float, high: float | None) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InputError(f"{name} must be a number, got {value!r}") from None
    if isinstance(value, bool) or not np.isfinite(number) or number < low or (high is not None and number > high):
        bounds = f"from {low:g} to {high:g}" if high is not None else f"finite and at least {low:g}"
        raise InputError(f"{name} must be {bounds}, got {value!r}")
    return number


def _check_errors(stock_cv, vital_cv, population_cv, stock_correlation) -> tuple[float, float, float, float]:
    return (_check_number(stock_cv, "stock_cv", 0.0, None), _check_number(vital_cv, "vital_cv", 0.0, None),
            _check_number(population_cv, "population_cv", 0.0, None),
            _check_number(stock_correlation, "stock_correlation", -1.0, 1.0))


def _seed_sequence(seed) -> np.random.SeedSequence:
    """One SeedSequence from an int, a Generator (one number drawn from it) or None (fresh entropy)."""
    if isinstance(seed, np.random.Generator):
        return np.random.SeedSequence(int(seed.integers(2 ** 63)))
    if seed is None:
        return np.random.SeedSequence()
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise InputError(f"seed must be a non-negative whole number, a numpy Generator or None, got {seed!r}")
    return np.random.SeedSequence(int(seed))


def _factor(z: np.ndarray, cv: float) -> np.ndarray:
    """Lognormal factors with mean 1 and coefficient of variation ``cv`` from standard normals ``z``."""
    sigma2 = np.log1p(cv * cv)
    return np.exp(np.sqrt(sigma2) * z - sigma2 / 2)


def _perturb(accounts, rng: np.random.Generator, errors) -> tuple[object | None, list[dict]]:
    """The accounts with perturbed inputs, or None and the negative native-born cells of an infeasible draw."""
    stock_cv, vital_cv, population_cv, rho = errors
    n = len(accounts.codes)
    # every draw takes the same random numbers in the same order whatever the CVs, so two runs that
    # differ in one CV differ only through it
    z = rng.standard_normal((2, n, n))
    level = rng.standard_normal(n)
    vital = rng.standard_normal((2, n))
    z_end = rho * z[0] + np.sqrt(1.0 - rho * rho) * z[1]
    population_factor = _factor(level, population_cv)
    tables, bad = [], []
    for table, normals, year in ((accounts.stock_start, z[0], "start"), (accounts.stock_end, z_end, "end")):
        stock = table.to_numpy()
        native = np.diag(stock).copy()
        foreign = stock.copy()
        np.fill_diagonal(foreign, 0.0)
        perturbed = foreign * _factor(normals, stock_cv)
        population = native + foreign.sum(axis=0)
        # written as changes so that zero errors give the published native-born to the last bit
        new_native = native + population * (population_factor - 1.0) - (perturbed.sum(axis=0) - foreign.sum(axis=0))
        for j in np.flatnonzero(new_native < 0):
            bad.append({"code": accounts.codes[j], "date": year, "native_born": float(new_native[j])})
        np.fill_diagonal(perturbed, new_native)
        tables.append(pd.DataFrame(perturbed, index=table.index, columns=table.columns))
    if bad:
        return None, bad
    births = accounts.births * _factor(vital[0], vital_cv)
    deaths = accounts.deaths * _factor(vital[1], vital_cv)
    return dataclasses.replace(accounts, stock_start=tables[0], stock_end=tables[1], births=births,
                               deaths=deaths), []


def perturb_accounts(accounts, *, seed=None, stock_cv: float = 0.10, vital_cv: float = 0.02,
                     population_cv: float = 0.0, stock_correlation: float = 0.0):
    """One draw of a period's accounts with every input multiplied by a random error.

    With lognormal factors ``f ~ exp(s Z - s^2 / 2)``, ``s^2 = log(1 + cv^2)``
    (mean 1, coefficient of variation cv) and Z standard normal::

        S'[k, j, t] = S[k, j, t] f_kjt           k != j (stock_cv; corr(Z_kj,start, Z_kj,end) = stock_correlation)
        P'[j, t]    = P[j, t] g_j                same g_j at both dates (population_cv)
        S'[j, j, t] = P'[j, t] - sum over k != j of S'[k, j, t]
        B'[j] = B[j] h_j,  D'[j] = D[j] h'_j     (vital_cv, independent)

    so every input stays non-negative, a pair with no published stock stays
    at zero and each column still adds up to the (perturbed) population.

    Parameters
    ----------
    accounts : WorldAccounts
        One period's accounts, e.g. :func:`world_accounts`.
    seed : int or numpy.random.Generator, optional
        Makes the draw reproducible. An int s is not a draw of
        ``flow_sensitivity(seed=s)``: its draw k is
        ``seed=numpy.random.default_rng(numpy.random.SeedSequence(s).spawn(k + 1)[k])``.
    stock_cv, vital_cv, population_cv : float
        Coefficients of variation (fractions, base the published value) of
        the errors on foreign-born stocks, on births and deaths, and on
        population; 0 leaves that input as it is.
    stock_correlation : float
        Correlation, from -1 to 1, of a stock cell's errors (log scale) at
        the two dates.

    Returns
    -------
    WorldAccounts
        The same period, countries, adjustments and vintages, perturbed
        stocks, births and deaths.

    Raises
    ------
    InputError
        A coefficient of variation below 0 or not finite, a correlation
        outside [-1, 1], a bad seed, or a draw with more foreign-born than
        people in a country (naming the country and the date).

    See Also
    --------
    flow_sensitivity : many draws, re-estimated and summarised.

    Examples
    --------
    >>> from migstats.flows.world import world_accounts
    >>> acc = world_accounts("2015-2020", countries=["MEX", "USA", "CAN"], others="native")
    >>> same = perturb_accounts(acc, seed=1, stock_cv=0, vital_cv=0)
    >>> same.stock_end.equals(acc.stock_end), same.deaths.equals(acc.deaths)
    (True, True)
    >>> draw = perturb_accounts(acc, seed=1)
    >>> bool((draw.stock_start.sum() - acc.stock_start.sum()).abs().max() < 1e-6)   # population kept
    True
    """
    errors = _check_errors(stock_cv, vital_cv, population_cv, stock_correlation)
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(_seed_sequence(seed))
    perturbed, bad = _perturb(accounts, rng, errors)
    if perturbed is None:
        first = bad[0]
        short = first["native_born"]
        short = f"{short:,.0f}" if abs(short) >= 1 else f"{short:.3g}"  # -0.5, not "-0"
        raise InputError(f"{accounts.period}: this draw puts more foreign-born than people in {first['code']} "
                         f"at the {first['date']} of the period (native-born {short}); "
                         f"{len(bad)} cell(s) in all")
    return perturbed


def _run_draw(accounts, methods: tuple[str, ...], pb_sample_size, errors, draw, seed_sequence):
    """One task: the estimate of one draw (``draw`` None: the unperturbed point estimate). Module level: it pickles."""
    from migstats.flows.world.methods import estimate_period

    acc, bad = accounts, []
    if draw is not None:
        acc, bad = _perturb(accounts, np.random.default_rng(seed_sequence), errors)
        if acc is None:
            return draw, None, bad
    try:
        fitted = estimate_period(acc, list(methods), pb_sample_size=pb_sample_size)
    except (ConvergenceError, InputError) as err:
        where = "the unperturbed inputs" if draw is None else f"input-perturbation draw {draw}"
        raise type(err)(f"{accounts.period}, {where}: {err}") from err
    return draw, {m: fitted[m] for m in methods}, []


def _quantile_columns(quantiles) -> list[str]:
    return [f"p{100 * q:g}" for q in quantiles]


def _check_quantiles(quantiles) -> tuple[float, ...]:
    chosen = [quantiles] if np.ndim(quantiles) == 0 else list(quantiles)
    if not chosen:
        raise InputError("quantiles must name at least one fraction")
    out = tuple(_check_number(q, "each quantile", 0.0, 1.0) for q in chosen)
    if len(set(_quantile_columns(out))) != len(out):
        raise InputError(f"quantiles must differ, got {list(chosen)}")
    return out


def _summary(point: np.ndarray, values: np.ndarray, quantiles) -> dict[str, np.ndarray]:
    """point, mean and quantiles (numpy's linear interpolation) over draws (axis 0)."""
    out = {"point": point, "mean": values.mean(axis=0)}
    for name, row in zip(_quantile_columns(quantiles), np.quantile(values, quantiles, axis=0)):
        out[name] = row
    return out


@dataclass
class FlowSensitivity:
    """Flow estimates of one period over input-perturbation draws, summarised.

    Every table has ``point`` (the estimate from the unperturbed inputs, as
    :func:`global_flows`), ``mean`` and one column per quantile (``p5``,
    ``p50``, ``p95`` by default) over the feasible draws, in persons, and
    shares the ``attrs`` of the run (seed, draws, error model, methods,
    vintages of the inputs).

    Attributes
    ----------
    totals : DataFrame
        ``period``, ``method``, the columns above for the world's total
        moves, and ``draws`` (feasible draws summarised).
    countries : DataFrame
        ``period``, ``method``, ``code``, ``measure`` (``immigration``,
        ``emigration``, ``net``) and the columns above.
    corridors : DataFrame
        ``period``, ``method``, ``orig``, ``dest`` and the columns above,
        every ordered pair of different countries.
    infeasible : DataFrame
        ``draw``, ``code``, ``date`` ("start" or "end" of the period),
        ``native_born`` (persons, negative): the draws left out.
    flows : dict or None
        method -> draws x orig x dest array of moves (persons) of the
        feasible draws, only with ``keep_draws=True``.
    draw_ids : list of int
        The draw numbers of the feasible draws (0-based), in order.
    codes : list of str
        ISO3 codes of the countries, the axis order of ``flows``.
    """

    totals: pd.DataFrame
    countries: pd.DataFrame
    corridors: pd.DataFrame
    infeasible: pd.DataFrame
    flows: dict | None
    draw_ids: list
    codes: list

    def to_long(self) -> pd.DataFrame:
        """Every feasible draw as a long table (needs ``keep_draws=True``).

        Returns
        -------
        DataFrame
            ``period``, ``method``, ``draw``, ``orig``, ``dest``, ``flow``
            (persons): draws x n x (n - 1) rows per method (about 2.7 million
            for 50 draws of 232 countries; orig and dest are categorical).

        Raises
        ------
        InputError
            The draws were not kept.

        Examples
        --------
        >>> run = flow_sensitivity("2015-2020", method="sd_drop_neg", draws=2, seed=1, keep_draws=True,
        ...                        countries=["MEX", "USA", "CAN"], others="native")
        >>> run.to_long().shape
        (12, 6)
        """
        if self.flows is None:
            raise InputError("the draws were not kept: run flow_sensitivity(..., keep_draws=True)")
        n = len(self.codes)
        off = ~np.eye(n, dtype=bool)
        orig, dest = np.nonzero(off)
        codes = pd.Categorical.from_codes(np.arange(n), categories=self.codes)
        frames = []
        for method, values in self.flows.items():
            k = len(self.draw_ids)
            frames.append(pd.DataFrame({
                "period": self.totals.attrs["period"], "method": method,
                "draw": np.repeat(np.asarray(self.draw_ids, dtype=int), len(orig)),
                "orig": codes.take(np.tile(orig, k)), "dest": codes.take(np.tile(dest, k)),
                "flow": values[:, off].reshape(-1)}))
        out = pd.concat(frames, ignore_index=True)
        out.attrs.update(self.totals.attrs)
        return out


def _needed_bytes(draws: int, methods: int, n: int) -> float:
    """Peak bytes of the orig x dest tables of a run (m methods, 8 bytes a cell).

    Gathering the results holds every draw's table of every method twice (as
    returned, and in the stacked array): 2 m (draws + 1) tables; summarising
    one method holds the m stacked arrays and two copies of that method's
    draws (its off-diagonal cells, and the copy numpy.quantile partitions):
    (m + 2) draws.
    """
    return 8.0 * (draws + 1) * max(2 * methods, methods + 2) * n * n


@fill_doc
def flow_sensitivity(period: str = "2015-2020", *, method: str = "da_pb_closed", methods=None, draws: int = 50,
                     seed=None, stock_cv: float = 0.10, vital_cv: float = 0.02, population_cv: float = 0.0,
                     stock_correlation: float = 0.0, quantiles=(0.05, 0.5, 0.95), keep_draws: bool = False,
                     others: str = "distribute", pb_sample_size: str | float = "countries", countries=None,
                     inputs=None, executor=None, progress: bool | None = None,
                     memory_budget: float | None = None) -> FlowSensitivity:
    """Re-estimate one period's flows over random draws of its inputs and summarise the spread.

    Each draw perturbs the period's accounts as :func:`perturb_accounts`
    states (lognormal errors with mean 1 on foreign-born stocks, births,
    deaths and optionally population; native-born = population -
    foreign-born) and runs the chosen methods on them. Per corridor, per
    country (immigration ``sum_i flow[i, j]``, emigration
    ``sum_j flow[i, j]``, net = immigration - emigration) and for the world
    total, the result gives the point estimate (unperturbed inputs), the
    mean and the quantiles over the feasible draws. The quantiles of a sum
    are taken over the draws of the sum, so they are not the sums of the
    quantiles of its parts.

    **A sensitivity analysis, not a posterior**: the spread is that of the
    estimates if the inputs had the stated errors; the errors of the method
    (the same in every draw) are not in it. The default CVs are migstats'
    illustrative choices (the UN publishes no error for these inputs).

    Draws whose perturbed foreign-born exceed a country's population are
    infeasible: they are counted and listed (``infeasible``, ``attrs``),
    left out of the summaries, never silently.

    Parameters
    ----------
    period : str
        One of :data:`PERIODS`, "2015-2020" style.
    method : str
        One of :data:`METHODS` (ignored if ``methods``).
    methods : list of str or "all", optional
        Several methods on the same draws.
    draws : int
        Number of draws (numbered 0 to draws - 1).
    seed : int or numpy.random.Generator, optional
        Draw k uses child k of ``numpy.random.SeedSequence(seed)``; None
        takes fresh entropy, recorded in ``attrs["seed"]``.
    stock_cv, vital_cv, population_cv : float
        Coefficients of variation of the errors on foreign-born stocks (0.10),
        on births and deaths (0.02) and on population (0: kept as published);
        fractions, base the published value.
    stock_correlation : float
        Correlation of a stock cell's errors at the two dates (default 0:
        independent).
    quantiles : sequence of float
        Fractions of the draws below each reported quantile (columns
        ``p5``, ``p50``, ``p95`` by default).
    keep_draws : bool
        Keep every draw's table (:meth:`FlowSensitivity.to_long`); otherwise
        only the summaries are kept after the run.
    others : {"distribute", "native"}
        Migrants of unknown birthplace (see :func:`world_accounts`).
    pb_sample_size : {"countries", "persons"} or float
        n of the pseudo-Bayes weight of ``da_pb_closed`` (see
        :func:`global_flows`).
    countries : list of str, optional
        Restrict the accounts to these countries (see :func:`world_accounts`).
    inputs : (bilateral, population, vital), optional
        Input tables instead of the bundled snapshot.
    executor : None, "sequential", "process", Executor or dask Client
        Who runs the draws (:func:`migstats.executors.run_tasks`); the
        result is the same bit for bit.
    progress : bool or None
        Progress bar over the draws on stderr (None: only on a terminal).
    memory_budget : float, optional
        Bytes the run may hold (default ``$MIGSTATS_MEMORY_BUDGET``, else
        half the available memory): about ``8 (draws + 1) max(2 m, m + 2) n^2``
        for m methods and n countries (1.3 MB per draw for one method at
        n = 232, 1.7 MB for two), since exact quantiles need every draw of a
        pair.

    Returns
    -------
    FlowSensitivity
        ``totals``, ``countries``, ``corridors`` and ``infeasible`` tables.
        attrs (shared): ``unit``, ``period``, ``methods``, ``seed`` (the
        SeedSequence entropy), ``draws``, ``draws_used``, ``infeasible``,
        ``stock_cv``, ``vital_cv``, ``population_cv``,
        ``stock_correlation``, ``quantiles``, ``error_model``, ``meaning``,
        ``vintages``, ``sources``, ``notes`` and, with ``da_pb_closed``,
        ``pseudo_bayes`` (as :func:`global_flows`).

    Raises
    ------
    %(world_flows_raises)s
    InputError
        ``draws`` not a positive whole number; a CV below 0 or not finite;
        a correlation outside [-1, 1]; a quantile outside [0, 1]; a bad
        seed; every draw infeasible; an estimate that refuses its inputs
        (say, MarginMismatchError) for the unperturbed inputs or a draw,
        which the message names: the run stops, no draw is dropped.
    ConvergenceError
        An estimate that does not converge, for the unperturbed inputs or
        a draw (named): the run stops.
    MemoryBudgetError
        The draws would need more memory than the budget.

    See Also
    --------
    perturb_accounts, global_flows

    References
    ----------
    Abel, G. J. & Cohen, J. E. (2019). Bilateral international migration
    flow estimates for 200 countries. Scientific Data 6, 82.

    Examples
    --------
    >>> run = flow_sensitivity("2015-2020", method="da_min_closed", draws=5, seed=1,
    ...                        countries=["MEX", "USA", "CAN", "GTM"], others="native")
    >>> t = run.totals.iloc[0]
    >>> bool(t["p5"] <= t["p50"] <= t["p95"]), int(t["draws"]), run.totals.attrs["stock_cv"]
    (True, 5, 0.1)
    """
    from migstats.executors import run_tasks
    from migstats.flows._common import memory_budget_bytes
    from migstats.flows.world.accounts import parse_period, world_accounts
    from migstats.flows.world.estimate import _CITATIONS, _bundled_accounts, _long, method_attrs
    from migstats.flows.world.methods import METHODS, check_methods, check_pb_sample_size

    label = parse_period(period)[0]
    chosen = list(METHODS) if methods == "all" else check_methods(method if methods is None else methods)
    chosen = list(dict.fromkeys(chosen))
    pb = check_pb_sample_size(pb_sample_size)
    draws = _check_draws(draws)
    errors = _check_errors(stock_cv, vital_cv, population_cv, stock_correlation)
    quantiles = _check_quantiles(quantiles)
    seeds = _seed_sequence(seed)

    if inputs is not None:
        bilateral, population, vital = inputs
        accounts = world_accounts(label, bilateral=bilateral, population=population, vital=vital,
                                  countries=countries, others=others)
    elif countries is not None:
        accounts = world_accounts(label, countries=countries, others=others)
    else:
        accounts = _bundled_accounts(label, others)
    codes = accounts.codes
    n = len(codes)
    needed, budget = _needed_bytes(draws, len(chosen), n), memory_budget_bytes(memory_budget)
    if needed > budget:
        raise MemoryBudgetError(f"{draws} draws of {len(chosen)} method(s) for {n} countries need about "
                                f"{needed / 1e9:.3g} GB, more than the memory budget of {budget / 1e9:.3g} GB; "
                                f"use fewer draws or methods, or raise memory_budget= or $MIGSTATS_MEMORY_BUDGET")

    tasks = [(accounts, tuple(chosen), pb, errors, None, None)]
    tasks += [(accounts, tuple(chosen), pb, errors, k, child) for k, child in enumerate(seeds.spawn(draws))]
    results = run_tasks(_run_draw, tasks, executor=executor, progress=progress, desc=f"draws {label}")

    point = results[0][1]
    ok = [i for i, (_, fitted, _) in enumerate(results) if i > 0 and fitted is not None]
    bad = [dict(row, draw=draw) for draw, fitted, rows in results[1:] if fitted is None for row in rows]
    if not ok:
        raise InputError(f"{label}: every one of the {draws} draws is infeasible (more foreign-born than people "
                         f"in {bad[0]['code']}, first of {len(bad)}); lower stock_cv or raise population_cv")
    flows = {}
    for m in chosen:
        values = np.empty((len(ok), n, n))
        for row, i in enumerate(ok):
            values[row] = results[i][1][m]
        flows[m] = values
    del results
    draw_ids = [i - 1 for i in ok]

    off = ~np.eye(n, dtype=bool)
    totals, country_rows, corridors = [], [], []
    for m in chosen:
        values = flows[m]
        totals.append(pd.DataFrame({"period": label, "method": m,
                                    **{k: [v] for k, v in _summary(point[m].sum(), values.sum(axis=(1, 2)),
                                                                   quantiles).items()},
                                    "draws": len(ok)}))
        immigration, emigration = values.sum(axis=1), values.sum(axis=2)
        for measure, per_draw, at_point in (
                ("immigration", immigration, point[m].sum(axis=0)),
                ("emigration", emigration, point[m].sum(axis=1)),
                ("net", immigration - emigration, point[m].sum(axis=0) - point[m].sum(axis=1))):
            country_rows.append(pd.DataFrame({"period": label, "method": m, "code": codes, "measure": measure,
                                              **_summary(at_point, per_draw, quantiles)}))
        pairs = _long(label, codes, m, point[m])[["period", "method", "orig", "dest"]]
        corridors.append(pairs.assign(**_summary(point[m][off], values[:, off], quantiles)))

    attrs = {
        "unit": "person", "period": label, "seed": seeds.entropy, "draws": draws, "draws_used": len(ok),
        "infeasible": len({row["draw"] for row in bad}), "stock_cv": errors[0], "vital_cv": errors[1],
        "population_cv": errors[2], "stock_correlation": errors[3], "quantiles": list(quantiles),
        "quantile_method": "numpy.quantile, linear interpolation", "error_model": dict(ERROR_MODEL),
        "meaning": MEANING, "vintages": dict(accounts.vintages), "sources": dict(_CITATIONS),
        **method_attrs(chosen, pb),
    }
    tables = [pd.concat(totals, ignore_index=True), pd.concat(country_rows, ignore_index=True),
              pd.concat(corridors, ignore_index=True),
              pd.DataFrame(bad, columns=["draw", "code", "date", "native_born"])]
    for table in tables:
        table.attrs.update(attrs)
    return FlowSensitivity(*tables, flows=flows if keep_draws else None, draw_ids=draw_ids, codes=codes)
