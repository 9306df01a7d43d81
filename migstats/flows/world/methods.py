"""The six estimation methods of Abel & Cohen (2019, Table 1) applied to one period's accounts.

Every method turns the accounts of :func:`~migstats.flows.world.world_accounts`
into an origin x destination table of moves (persons, zero diagonal). The
work is shared within a period: the pseudo-Bayesian method reuses the
minimum-migration fit.
"""

from __future__ import annotations

import numpy as np

from migstats.errors import InputError, UnknownNameError

__all__ = ["METHODS", "METHOD_NOTES", "PB_SAMPLE_SIZES", "PB_STATUS", "check_methods", "check_pb_sample_size",
           "estimate_period",
           "flow_array", "pseudo_bayes", "pseudo_bayes_weights", "independence_fit", "absolute_net_migration"]

#: method names and definitions of Abel & Cohen (2019, Scientific Data 6:82, Table 1)
METHODS = {
    "sd_drop_neg": "stock differencing, negative differences dropped (Beine & Parsons 2015 via ffs_diff 'zero')",
    "sd_rev_neg": "stock differencing, negative differences reversed as returns (ffs_diff 'return')",
    "mig_rate": "migration rates: a global total shared by start-of-period migrant stocks (Dennett 2016)",
    "da_min_open": "demographic accounting, minimum migration, open to moves in and out of the system (Abel 2013)",
    "da_min_closed": "demographic accounting, minimum migration, closed (Abel & Sander 2014; Abel 2018)",
    "da_pb_closed": "demographic accounting, pseudo-Bayesian, closed (Azose & Raftery 2019)",
}
METHOD_NOTES = {
    "da_min_open": "ffs_demo match_birthplace_tot_method='open-dr' (Abel 2013: leavers drawn from the start table, "
                   "arrivals from the end table); migest's 'open' can leave negative stocks on these data",
    "mig_rate": "global total = sum over countries of |population change - births + deaths| of the period "
                "(the absolute net migration implied by the accounts, as WPP's; Abel & Cohen use WPP's total "
                "absolute net migration)",
    "da_pb_closed": "per birthplace, minimum-migration and independence fits averaged with weights n/(n+K) and "
                    "K/(n+K), K the Bishop-Fienberg-Holland shrinkage constant; n set by pb_sample_size "
                    "(default: the number of countries). The choice of n is migstats' reading, not verified "
                    "against Azose & Raftery (2019)",
}

#: named choices of the sample size n in the pseudo-Bayes weight w = n / (n + K)
PB_SAMPLE_SIZES = {
    "countries": "n = the number of countries in the accounts, the same for every birthplace (migstats' default)",
    "persons": "n = the people born in the birthplace (the textbook choice of Bishop, Fienberg & Holland; "
               "w is then about 1 and the estimate equals the minimum-migration table)",
}
#: what is and is not known about the weight, reported with every da_pb_closed estimate
PB_STATUS = ("pseudo-Bayes weight: migstats' reading, unverified. Azose & Raftery's (2019, PNAS 116:116-122) "
             "definition of the weight and its calibration against IMEM flows for 31 European countries could "
             "not be consulted; see docs/global_flows.md")


def check_methods(methods) -> list[str]:
    """Method names as a list, each one of :data:`METHODS`.

    Parameters
    ----------
    methods : str or list of str

    Returns
    -------
    list of str

    Raises
    ------
    UnknownNameError
        A name that is not a method.

    Examples
    --------
    >>> check_methods("da_pb_closed")
    ['da_pb_closed']
    """
    names = [methods] if isinstance(methods, str) else list(methods)
    if not names:
        raise InputError("no method given")
    for name in names:
        if name not in METHODS:
            raise UnknownNameError(f"unknown method {name!r}; choose from {', '.join(METHODS)}")
    return names


def check_pb_sample_size(sample_size) -> str | float:
    """A pseudo-Bayes sample size for every birthplace: a name of :data:`PB_SAMPLE_SIZES` or one positive number.

    Parameters
    ----------
    sample_size : str or float

    Returns
    -------
    str or float
        The name, or the number as a float.

    Raises
    ------
    UnknownNameError
        A name that is not in :data:`PB_SAMPLE_SIZES`.
    InputError
        A number that is not finite and positive.

    Examples
    --------
    >>> check_pb_sample_size("countries"), check_pb_sample_size(50)
    ('countries', 50.0)
    """
    if isinstance(sample_size, str):
        if sample_size not in PB_SAMPLE_SIZES:
            raise UnknownNameError(f"unknown pseudo-Bayes sample size {sample_size!r}; choose from "
                                   f"{', '.join(PB_SAMPLE_SIZES)} or give a positive number")
        return sample_size
    try:
        n = float(sample_size)
    except (TypeError, ValueError):
        raise InputError(f"pseudo-Bayes sample size must be a name or one positive number, got {sample_size!r}") from None
    if not (np.isfinite(n) and n > 0):
        raise InputError(f"pseudo-Bayes sample size must be finite and positive, got {sample_size!r}")
    return n


def _sample_size(sample_size, fitted: np.ndarray):
    """n per birthplace for the weight: a name of :data:`PB_SAMPLE_SIZES` or positive numbers."""
    if isinstance(sample_size, str):
        return float(fitted.shape[0]) if check_pb_sample_size(sample_size) == "countries" else fitted.sum(axis=(0, 1))
    n = np.asarray(sample_size, dtype=float)
    if n.ndim > 1 or (n.ndim == 1 and n.shape != (fitted.shape[2],)):
        raise InputError(f"pseudo-Bayes sample size must be one number or one per birthplace ({fitted.shape[2]}), "
                         f"got shape {n.shape}")
    if not (np.isfinite(n).all() and (n > 0).all()):
        raise InputError(f"pseudo-Bayes sample size must be finite and positive, got {sample_size!r}")
    return n


def pseudo_bayes_weights(fitted, prior, *, sample_size="countries") -> np.ndarray:
    """Weight of the fitted table in migstats' pseudo-Bayes estimate of each birthplace's table.

    For the table of birthplace k, with x the fitted counts, lambda the
    prior counts (same total N), p = x / N and q = lambda / N, the
    risk-minimising shrinkage constant of Bishop, Fienberg & Holland (1975,
    sec. 12.2) is::

        K = (1 - sum p^2) / sum (p - q)^2          (= (N^2 - sum x^2) / sum (x - lambda)^2)

    and the weight of the fitted table is ``w = n / (n + K)`` (of the prior
    ``1 - w``), where n is the sample size the table rests on.

    **The choice of n is migstats' reading and is not verified against
    Azose & Raftery (2019).** Their paper says the estimator smooths the
    minimum-migration estimates toward a simpler one with fewer structural
    zeros and is calibrated against IMEM flows for 31 European countries;
    its definition of the weight (methods and SI appendix) could not be
    consulted. K is scale-free; n is not. ``"persons"`` (n = N, the
    textbook choice for a sample of N people) gives w = 1 to three decimals
    for every birthplace of more than a million people, so the estimate is
    the minimum-migration table. ``"countries"`` (the default) takes n as
    the number of countries, the number of stock cells each birthplace's
    table is fitted to. Any positive number (or one per birthplace) may be
    given instead.

    Parameters
    ----------
    fitted, prior : numpy.ndarray
        orig x dest x pob counts (persons) with equal totals per pob.
    sample_size : {"countries", "persons"}, float or array
        n: a name from :data:`PB_SAMPLE_SIZES`, one positive number, or one
        per birthplace.

    Returns
    -------
    numpy.ndarray
        w per birthplace, in [0, 1]; 1 where the two tables agree.

    Raises
    ------
    UnknownNameError
        A sample size name that is not in :data:`PB_SAMPLE_SIZES`.
    InputError
        Arrays of different shapes; a sample size that is not finite and
        positive, or not one per birthplace.

    References
    ----------
    Bishop, Y. M. M., Fienberg, S. E. & Holland, P. W. (1975). Discrete
    Multivariate Analysis, ch. 12. MIT Press.
    Azose, J. J. & Raftery, A. E. (2019). Estimation of emigration, return
    migration, and transit migration between all pairs of countries. PNAS
    116(1), 116-122.

    Examples
    --------
    >>> x = np.array([[[90.], [0.]], [[0.], [10.]]])   # 2 countries, 1 birthplace
    >>> q = np.array([[[81.], [9.]], [[9.], [1.]]])
    >>> float(np.round(pseudo_bayes_weights(x, q)[0], 6))   # K = 0.18/0.0324 = 50/9, n = 2
    0.264706
    >>> float(np.round(pseudo_bayes_weights(x, q, sample_size="persons")[0], 6))   # n = 100: 18/19
    0.947368
    """
    fitted = np.asarray(fitted, dtype=float)
    prior = np.asarray(prior, dtype=float)
    if fitted.shape != prior.shape or fitted.ndim != 3:
        raise InputError(f"fitted and prior must be orig x dest x pob arrays of one shape, got {fitted.shape} "
                         f"and {prior.shape}")
    n = _sample_size(sample_size, fitted)
    total = fitted.sum(axis=(0, 1))
    safe = np.where(total > 0, total, 1.0)
    # sums of squares of counts, scaled to proportions at the end (fewer passes over n^3 cells)
    spread = ((fitted - prior) ** 2).sum(axis=(0, 1)) / safe ** 2
    concentration = (fitted ** 2).sum(axis=(0, 1)) / safe ** 2
    with np.errstate(divide="ignore", invalid="ignore"):
        k = (1.0 - concentration) / spread
        w = np.where(spread > 0, n / (n + k), 1.0)
    return np.where(total > 0, w, 1.0)


def pseudo_bayes(fitted, prior, *, sample_size="countries") -> np.ndarray:
    """Pseudo-Bayes estimate: each birthplace's table moved toward the prior by its weight.

    ``y[., ., k] = w_k x[., ., k] + (1 - w_k) lambda[., ., k]`` with w from
    :func:`pseudo_bayes_weights`. Both tables meet the same margins (the
    adjusted stocks by origin and by destination), so their weighted mean
    does too: the demographic account still holds.

    Parameters
    ----------
    fitted, prior : numpy.ndarray
        orig x dest x pob counts: the minimum-migration (stayer) fit and the
        independence fit of ``ffs_demo``.
    sample_size : {"countries", "persons"}, float or array
        n of the weight ``n / (n + K)``; see :func:`pseudo_bayes_weights`
        (the default is migstats' unverified reading).

    Returns
    -------
    numpy.ndarray
        orig x dest x pob, persons.

    References
    ----------
    Azose, J. J. & Raftery, A. E. (2019). PNAS 116(1), 116-122.

    Examples
    --------
    >>> x = np.array([[[90.], [0.]], [[0.], [10.]]])
    >>> q = np.array([[[81.], [9.]], [[9.], [1.]]])
    >>> pseudo_bayes(x, q)[0, 1, 0].round(4)   # n = 2 countries: 9 x (1 - 0.264706)
    np.float64(6.6176)
    """
    w = pseudo_bayes_weights(fitted, prior, sample_size=sample_size)
    return np.asarray(fitted) * w + np.asarray(prior) * (1.0 - w)


def independence_fit(fitted) -> np.ndarray:
    """The independence fit with the margins of a flow array: ``a[i, k] b[j, k] / N_k``.

    With ``a[i, k] = sum_j x[i, j, k]`` (people born in k living in i at
    the start, stayers included), ``b[j, k] = sum_i x[i, j, k]`` (at the
    end) and ``N_k = sum_i a[i, k]``: where someone born in k lives at the
    end is independent of where they lived at the start. This is the
    closed form of what ``ffs_demo(..., stayer_assumption=False)`` fits by
    IPF from a uniform seed to the same adjusted stocks, so the
    minimum-migration fit's margins give it without a second run.

    Parameters
    ----------
    fitted : numpy.ndarray
        orig x dest x pob counts, e.g. ``ffs_demo(...).fitted.values``.

    Returns
    -------
    numpy.ndarray
        orig x dest x pob, persons, same margins as ``fitted``.

    Examples
    --------
    >>> independence_fit(np.array([[[90.], [0.]], [[0.], [10.]]]))[:, :, 0]
    array([[81.,  9.],
           [ 9.,  1.]])
    """
    fitted = np.asarray(fitted, dtype=float)
    a = fitted.sum(axis=1)
    b = fitted.sum(axis=0)
    total = a.sum(axis=0)
    return a[:, None, :] * (b / np.where(total > 0, total, 1.0))[None, :, :]


def _moves(mu: np.ndarray) -> np.ndarray:
    """orig x dest moves of a flow array, stayers (diagonal) dropped."""
    od = mu.sum(axis=2)
    np.fill_diagonal(od, 0.0)
    return od


DA_METHODS = ("da_min_open", "da_min_closed", "da_pb_closed")


def flow_array(accounts, *, method: str = "da_pb_closed", minimum=None, pb_sample_size="countries") -> np.ndarray:
    """orig x dest x pob flows (stayers on the diagonal) of a demographic-accounting method.

    Parameters
    ----------
    accounts : WorldAccounts
    method : {"da_min_open", "da_min_closed", "da_pb_closed"}
    minimum : numpy.ndarray, optional
        The ``da_min_closed`` array of the same accounts, if already at hand
        (the closed methods then skip refitting it).
    pb_sample_size : {"countries", "persons"} or float
        n of the pseudo-Bayes weight (``da_pb_closed`` only); see
        :func:`pseudo_bayes_weights`.

    Returns
    -------
    numpy.ndarray
        ``y[i, j, k]``: people born in k who lived in i at the start and in j
        at the end of the period (persons), axes in the order of
        ``accounts.codes``; with it moves split into emigration (i = k),
        return (j = k) and transit (neither) as in Azose & Raftery (2019).

    Raises
    ------
    UnknownNameError
        A method that is not a demographic-accounting one.

    References
    ----------
    Abel, G. J. & Cohen, J. E. (2019). Scientific Data 6, 82 (Table 1).
    Azose, J. J. & Raftery, A. E. (2019). PNAS 116(1), 116-122.

    Examples
    --------
    >>> from migstats.flows.world import world_accounts
    >>> acc = world_accounts("2015-2020", countries=["MEX", "USA", "CAN"], others="native")
    >>> flow_array(acc, method="da_min_closed").shape
    (3, 3, 3)
    """
    from migstats.flows import ffs_demo

    if method not in DA_METHODS:
        raise UnknownNameError(f"{method!r} is not a demographic-accounting method; choose from {', '.join(DA_METHODS)}")
    s1, s2 = accounts.stock_start.to_numpy(), accounts.stock_end.to_numpy()
    b, d = accounts.births.to_numpy(), accounts.deaths.to_numpy()
    if method == "da_min_open":
        return ffs_demo(s1, s2, b, d, match_birthplace_tot_method="open-dr").fitted.values
    minimum = ffs_demo(s1, s2, b, d).fitted.values if minimum is None else minimum
    if method == "da_min_closed":
        return minimum
    return pseudo_bayes(minimum, independence_fit(minimum), sample_size=pb_sample_size)


def absolute_net_migration(accounts) -> float:
    """Total absolute net migration of the period: ``sum_j |(P_end - P_start)_j - (births_j - deaths_j)|``.

    The global total of the migration-rate method (Abel & Cohen 2019 take
    the same sum from WPP net migration, which the accounts reproduce: WPP
    balances its populations with births, deaths and net migration).

    Parameters
    ----------
    accounts : WorldAccounts

    Returns
    -------
    float
        Persons.

    Examples
    --------
    >>> from migstats.flows.world import world_accounts
    >>> absolute_net_migration(world_accounts("2015-2020")) > 1e7
    True
    """
    s1, s2 = accounts.stock_start.to_numpy(), accounts.stock_end.to_numpy()
    net = (s2.sum(axis=0) - s1.sum(axis=0)) - (accounts.births.to_numpy() - accounts.deaths.to_numpy())
    return float(np.abs(net).sum())


def estimate_period(accounts, methods, *, pb_sample_size="countries") -> dict[str, np.ndarray]:
    """Run the requested methods on one period's accounts.

    Parameters
    ----------
    accounts : WorldAccounts
    methods : list of str
        Names from :data:`METHODS`.
    pb_sample_size : {"countries", "persons"} or float
        n of the pseudo-Bayes weight; see :func:`pseudo_bayes_weights`.

    Returns
    -------
    dict
        method -> orig x dest moves (numpy array, persons, zero diagonal),
        rows and columns in the order of ``accounts.codes``.

    References
    ----------
    Abel, G. J. & Cohen, J. E. (2019). Bilateral international migration
    flow estimates for 200 countries. Scientific Data 6, 82 (Table 1).

    Examples
    --------
    >>> from migstats.flows.world import world_accounts
    >>> acc = world_accounts("2015-2020", countries=["MEX", "USA", "CAN"], others="native")
    >>> sorted(estimate_period(acc, ["sd_drop_neg", "da_min_closed"]))
    ['da_min_closed', 'sd_drop_neg']
    """
    from migstats.flows import ffs_diff, ffs_rates

    methods = check_methods(methods)
    s1, s2 = accounts.stock_start.to_numpy(), accounts.stock_end.to_numpy()
    cache: dict[str, np.ndarray] = {}

    def moves(name):
        if name not in cache:
            minimum = cache.get("da_min_closed_array")
            if name != "da_min_open" and minimum is None:
                minimum = cache["da_min_closed_array"] = flow_array(accounts, method="da_min_closed")
            cache[name] = _moves(flow_array(accounts, method=name, minimum=minimum, pb_sample_size=pb_sample_size))
        return cache[name]

    out = {}
    for name in methods:
        if name == "sd_drop_neg":
            out[name] = ffs_diff(s1, s2, decrease="zero").fitted.to_numpy()
        elif name == "sd_rev_neg":
            out[name] = ffs_diff(s1, s2, decrease="return").fitted.to_numpy()
        elif name == "mig_rate":
            out[name] = ffs_rates(s1, method="dennett", total=absolute_net_migration(accounts)).fitted.to_numpy()
        else:
            out[name] = moves(name)
    return out
