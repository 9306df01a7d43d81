"""The audit and the reconciliation run on the bundled data (the top-level ``migstats.audit()`` and
``migstats.reconcile()``).

:mod:`migstats.analysis` takes its tables as arguments; these two functions
load the bundled tables of :mod:`migstats.datasets` and pass them in, so the
usual call needs no arguments.
"""

from __future__ import annotations

import pandas as pd

__all__ = ["audit", "reconcile"]


def audit(*, approx_rel: float = 0.05) -> pd.DataFrame:
    """Recompute every checkable claim of the report from the bundled figures and claims.

    Parameters
    ----------
    approx_rel : float, default 0.05
        Relative half-width given to "about"/"almost" figures (see
        :func:`migstats.analysis.as_intervals`).

    Returns
    -------
    pandas.DataFrame
        One row per claim, as :func:`migstats.analysis.audit` returns it.

    See Also
    --------
    migstats.analysis.audit : the same on tables you pass.
    migstats.datasets.report.claims : the claims.

    Examples
    --------
    >>> import migstats
    >>> table = migstats.audit()
    >>> len(table), set(table["verdict"]) <= {"consistent", "inconsistent", "ambiguous"}
    (25, True)
    """
    from .analysis.audit import audit as audit_tables
    from .datasets.report import claims, figures

    return audit_tables(figures(), claims(), approx_rel=approx_rel)


def reconcile(*, source="bundled") -> pd.DataFrame:
    """The report's figures beside today's official series.

    Parameters
    ----------
    source : {"bundled", "latest"}
        Where the official tables come from: the bundled snapshot (default,
        offline) or the newest releases, fetched or reused from the cache
        (see :func:`migstats.datasets.official.official_tables`).

    Returns
    -------
    pandas.DataFrame
        One row per figure and counterpart series, as
        :func:`migstats.analysis.reconcile` returns it.

    See Also
    --------
    migstats.analysis.reconcile : the same on tables you pass.
    migstats.datasets.report.counterparts : which series each figure is compared with.

    Examples
    --------
    >>> import migstats
    >>> table = migstats.reconcile()
    >>> str(table["statement_holds"].dtype), len(table)
    ('boolean', 33)
    """
    from .analysis.reconcile import reconcile as reconcile_tables
    from .datasets.official import official_tables
    from .datasets.report import counterparts, figures

    return reconcile_tables(figures(), official_tables(source=source), counterparts())
