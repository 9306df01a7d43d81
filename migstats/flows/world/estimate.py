"""Global bilateral flows for every country pair, any periods and methods, through an executor."""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

from migstats._docstrings import fill_doc
from migstats.errors import InputError
from migstats.flows.world.accounts import PERIODS, parse_period, world_accounts
from migstats.flows.world.methods import (
    METHOD_NOTES, METHODS, PB_SAMPLE_SIZES, PB_STATUS, check_methods, check_pb_sample_size, estimate_period,
)

__all__ = ["global_flows", "flow_adjustments"]

_CITATIONS = {
    "bilateral": "UN DESA Population Division, International Migrant Stock 2024 (POP/DB/MIG/Stock/Rev.2024)",
    "population": "UN DESA Population Division, International Migrant Stock 2024, Table 2 (total population)",
    "vital": "UN DESA Population Division, World Population Prospects 2024 (births, deaths)",
}


def _periods(period, periods) -> list[str]:
    if periods is not None:
        chosen = list(PERIODS) if periods == "all" else [periods] if isinstance(periods, str) else list(periods)
    else:
        chosen = [period]
    if not chosen:
        raise InputError("no period given")
    return list(dict.fromkeys(parse_period(p)[0] for p in chosen))


@cache
def _bundled_accounts(period: str, others: str):
    return world_accounts(period, others=others)


_SHARED_FIT = {"da_min_closed", "da_pb_closed"}
# Estimates from the bundled data, per (period, others, pseudo-Bayes sample size): method -> moves.
# A process estimates a period once however often charts, summaries and tests ask for it (about
# 3 MB a period).
_ESTIMATES: dict[tuple[str, str, str | float], dict[str, np.ndarray]] = {}


def _run_period(period: str, methods: tuple[str, ...], others: str, inputs,
                pb_sample_size: str | float = "countries") -> tuple[str, list[str], dict, pd.DataFrame, dict]:
    """One task of the grid: assemble one period and run its methods (module level, so it pickles)."""
    if inputs is not None:
        bilateral, population, vital = inputs
        acc = world_accounts(period, bilateral=bilateral, population=population, vital=vital, others=others)
        fitted = estimate_period(acc, list(methods), pb_sample_size=pb_sample_size)
        return period, acc.codes, fitted, acc.adjustments, acc.vintages
    acc = _bundled_accounts(period, others)
    done = _ESTIMATES.setdefault((period, others, pb_sample_size), {})
    missing = [m for m in methods if m not in done]
    if set(missing) & _SHARED_FIT:
        # these share the minimum-migration fit: run them together once
        missing = list(dict.fromkeys(missing + [m for m in METHODS if m in _SHARED_FIT and m not in done]))
    if missing:
        done.update(estimate_period(acc, missing, pb_sample_size=pb_sample_size))
    return period, acc.codes, {m: done[m] for m in methods}, acc.adjustments, acc.vintages


def _long(period: str, codes: list[str], method: str, od: np.ndarray) -> pd.DataFrame:
    n = len(codes)
    off = ~np.eye(n, dtype=bool)
    orig = np.repeat(np.asarray(codes, dtype=object), n).reshape(n, n)
    dest = np.tile(np.asarray(codes, dtype=object), n).reshape(n, n)
    return pd.DataFrame({"period": period, "orig": orig[off], "dest": dest[off], "flow": od[off], "method": method})


@fill_doc
def global_flows(period: str = "2015-2020", *, method: str = "da_pb_closed", periods=None, methods=None,
                 others: str = "distribute", pb_sample_size: str | float = "countries", executor=None,
                 progress: bool | None = None, inputs=None) -> pd.DataFrame:
    """Bilateral migration flows between every pair of countries from the UN's published data.

    Assembles each period's demographic accounts (:func:`world_accounts`:
    stocks by birthplace and residence from International Migrant Stock
    2024, births and deaths from World Population Prospects 2024) and
    estimates moves ``flow[i, j]`` (persons who lived in i at the start
    and in j at the end of the period, i != j) by the methods of Abel &
    Cohen (2019, Table 1):

    ================  ==========================================================
    ``sd_drop_neg``   stock differencing, negative differences dropped
    ``sd_rev_neg``    stock differencing, negative differences reversed
    ``mig_rate``      a global total shared by start migrant stocks (Dennett);
                      total = the absolute net migration of the period
    ``da_min_open``   demographic accounting, minimum migration, open (Abel 2013)
    ``da_min_closed`` demographic accounting, minimum migration, closed
    ``da_pb_closed``  demographic accounting, pseudo-Bayesian, closed (Azose &
                      Raftery 2019): see :func:`pseudo_bayes_weights`
    ================  ==========================================================

    Parameters
    ----------
    period : str
        "2015-2020" style, one of :data:`PERIODS` (ignored if ``periods``).
    method : str
        One of the names above (ignored if ``methods``).
    periods : list of str or "all", optional
        Several periods in one table.
    methods : list of str or "all", optional
        Several methods in one table.
    others : {"distribute", "native"}
        Migrants of unknown birthplace (see :func:`world_accounts`).
    pb_sample_size : {"countries", "persons"} or float
        n in the pseudo-Bayes weight ``w = n / (n + K)`` of ``da_pb_closed``
        (:func:`pseudo_bayes_weights`): ``"countries"`` (default, the number
        of countries), ``"persons"`` (the people born in each birthplace:
        the estimate is then the minimum-migration table) or one positive
        number. **Every choice is migstats' reading, not verified against
        Azose & Raftery (2019)**; ``attrs["pseudo_bayes"]`` records it.
    executor : None, "sequential", "process", Executor or dask Client
        Who runs the periods (:func:`migstats.executors.run_tasks`); the
        result is the same bit for bit.
    progress : bool or None
        Progress bar on stderr for several periods (None: only on a terminal).
    inputs : (bilateral, population, vital), optional
        Input tables instead of the bundled snapshot.

    Returns
    -------
    DataFrame
        ``period``, ``orig``, ``dest`` (ISO3), ``flow`` (persons), ``method``;
        every ordered pair of different countries, zeros included. attrs:
        ``unit`` ("person"), ``vintages`` and ``sources`` of the inputs,
        ``methods`` (definitions), ``notes`` (migstats' choices) and, with
        ``da_pb_closed``, ``pseudo_bayes`` (the sample size used and its
        status).

    Raises
    ------
    %(world_flows_raises)s
    InputError
        A pseudo-Bayes sample size that is not a finite positive number.

    See Also
    --------
    world_accounts, flow_adjustments, migstats.flows.world.summaries

    References
    ----------
    Abel, G. J. & Cohen, J. E. (2019). Bilateral international migration
    flow estimates for 200 countries. Scientific Data 6, 82.
    Azose, J. J. & Raftery, A. E. (2019). Estimation of emigration, return
    migration, and transit migration between all pairs of countries. PNAS
    116(1), 116-122.

    Examples
    --------
    >>> f = global_flows("2015-2020", method="sd_drop_neg")
    >>> list(f.columns), f.attrs["unit"], bool((f["flow"] >= 0).all())
    (['period', 'orig', 'dest', 'flow', 'method'], 'person', True)
    """
    from migstats.executors import run_tasks

    chosen_periods = _periods(period, periods)
    chosen_methods = list(METHODS) if methods == "all" else check_methods(method if methods is None else methods)
    pb = check_pb_sample_size(pb_sample_size)
    tasks = [(p, tuple(chosen_methods), others, inputs, pb) for p in chosen_periods]
    results = run_tasks(_run_period, tasks, executor=executor, progress=progress, desc="periods")
    frames, vintages = [], {}
    for label, codes, fitted, _, vint in results:
        vintages.update(vint)
        frames.extend(_long(label, codes, m, fitted[m]) for m in chosen_methods)
    out = pd.concat(frames, ignore_index=True)
    out.attrs.update({"unit": "person", "vintages": vintages, "sources": dict(_CITATIONS),
                      **method_attrs(chosen_methods, pb)})
    return out


def method_attrs(methods: list[str], pb_sample_size) -> dict:
    """The attrs that describe the methods of a table: definitions, notes and the pseudo-Bayes choice."""
    attrs = {"methods": {m: METHODS[m] for m in methods},
             "notes": {m: METHOD_NOTES[m] for m in methods if m in METHOD_NOTES}}
    if "da_pb_closed" in methods:
        attrs["pseudo_bayes"] = {
            "sample_size": pb_sample_size,
            "meaning": PB_SAMPLE_SIZES.get(pb_sample_size, "n = this number for every birthplace"),
            "status": PB_STATUS,
        }
    return attrs


def flow_adjustments(periods="all", *, others: str = "distribute") -> pd.DataFrame:
    """Every adjustment made to the published numbers when assembling the accounts.

    Parameters
    ----------
    periods : list of str or "all"
    others : {"distribute", "native"}

    Returns
    -------
    DataFrame
        ``period``, ``code``, ``adjustment``, ``value`` (persons), ``note``.

    Examples
    --------
    >>> adj = flow_adjustments(["2015-2020"])
    >>> "global_balance" in set(adj["adjustment"])
    True
    """
    chosen = _periods(None, periods)
    return pd.concat([_bundled_accounts(p, others).adjustments for p in chosen], ignore_index=True)
