"""The audit: every claim of the report that its own numbers can test, recomputed.

The claims are data (``data/report/claims.csv``), one row each:

``claim_id``, ``description``
    what is checked, in words;
``stated_figure``
    the figure id of the stated number (empty when the claim is a relation,
    such as "revised upward" or "47 of the 60 censuses");
``inputs``
    ``role:figure_id`` pairs separated by ``;`` (a role may repeat, as the
    parts of a total do);
``check``
    the name of a check in :data:`~migstats.analysis.claim_checks.CHECKS` (a
    registry of functions, never evaluated strings);
``params``
    ``key=value`` pairs separated by ``;``. ``round_<role>=h`` widens that
    role's exact inputs to ``value +- h``, for a number whose rounding
    matters to the result (a rate of "7 per cent" stands for 6.5 to 7.5);
``tolerance``, ``tolerance_basis``
    how far (in the stated figure's unit) the recomputed value may sit from
    the stated one, and why: a percentage stated as a whole number is
    consistent within half a percentage point, since "73 per cent" is what
    any value in [72.5, 73.5) rounds to.

Verdicts: ``consistent`` (the report's numbers reproduce the claim, or
every value their hedges allow satisfies it), ``inconsistent`` (no value
they allow does), ``ambiguous`` (several readings reproduce it, the hedges
of the inputs leave it open, or the numbers cannot decide it, as when a
statement about an aggregate is set against single members).
"""


from __future__ import annotations

import numpy as np
import pandas as pd

from .._deprecation import bundled_when_missing, changed_arguments, moved_names
from ..errors import InputError, UnitError, UnknownFigureError, UnknownNameError, ValidationError
from .claim_checks import CHECKS
from .intervals import as_intervals

__all__ = ["AUDIT_COLUMNS", "audit"]

AUDIT_COLUMNS = ["claim_id", "description", "stated", "recomputed", "recomputed_low", "recomputed_high", "unit",
                 "kind", "tolerance", "verdict", "explanation"]

# --------------------------------------------------------------------------- claims and the audit


def _pairs(text, sep: str, what: str, where: dict) -> list[tuple[str, str]]:
    if not isinstance(text, str) or not text.strip():
        return []
    out = []
    for item in text.split(";"):
        key, found, value = item.partition(sep)
        if not found or not key.strip() or not value.strip():
            raise ValidationError(f"{what} item {item!r} is not key{sep}value", **where)
        out.append((key.strip(), value.strip()))
    return out


def _tolerance(value, file, row: int) -> float:
    """A claim's tolerance as a float: empty (no stated figure) is 0; negative or junk is an error."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return 0.0
    try:
        tol = float(value)
    except ValueError:
        raise ValidationError(f"tolerance {value!r} is not a number", file=file, row=row, column="tolerance") from None
    if np.isnan(tol):
        return 0.0
    if tol < 0:
        raise ValidationError(f"tolerance {tol} must be >= 0", file=file, row=row, column="tolerance")
    return tol


def _figure_rows(figures: pd.DataFrame, approx_rel: float) -> dict:
    table = as_intervals(figures, approx_rel=approx_rel)
    return {fid: table.iloc[[i]].reset_index(drop=True) for i, fid in enumerate(table["id"])}


def _lookup(rows: dict, fid: str, claim_id: str) -> pd.DataFrame:
    if fid not in rows:
        raise UnknownFigureError(f"claim {claim_id!r}: no figure with id {fid!r} in the report table")
    return rows[fid]


def _half_width(params: dict, role: str, where: dict, claim_id: str) -> float:
    """The ``round_<role>`` parameter: a finite, non-negative half-width (0 when absent)."""
    key = f"round_{role}"
    text = params.get(key, "0")
    try:
        half = float(text)
    except ValueError:
        half = np.nan
    if not np.isfinite(half) or half < 0:
        raise ValidationError(f"claim {claim_id!r}: {key}={text!r} must be a finite number >= 0", **where)
    return half


def _widened(frame: pd.DataFrame, half: float) -> pd.DataFrame:
    if half == 0 or frame["kind"].iloc[0] != "point":
        return frame
    v = float(frame["value"].iloc[0])
    return frame.assign(low=v - half, high=v + half, kind="interval")


@bundled_when_missing("migstats.audit", figures="migstats.datasets.report:figures",
                      claims="migstats.datasets.report:claims")
@changed_arguments(positional=("approx_rel",))
def audit(figures: pd.DataFrame, claims: pd.DataFrame, *, approx_rel: float = 0.05) -> pd.DataFrame:
    """Recompute every checkable claim of the report from the report's own figures.

    Parameters
    ----------
    figures : pandas.DataFrame
        The figure table (:func:`migstats.datasets.report.figures`).
    claims : pandas.DataFrame
        The claims (:func:`migstats.datasets.report.claims`); their
        ``attrs["path"]`` names the file in error messages.
    approx_rel : float, default 0.05
        Relative half-width given to "about"/"almost" figures (see
        :func:`~migstats.analysis.intervals.as_intervals`).

    Returns
    -------
    pandas.DataFrame
        One row per claim: ``claim_id, description, stated`` (the stated
        figure's value, NaN for a relation), ``recomputed`` with
        ``recomputed_low``/``recomputed_high`` (the interval the inputs'
        hedges allow), ``unit``, ``kind`` (point, approximate,
        lower_bound, upper_bound or interval, as in
        :mod:`~migstats.analysis.intervals`), ``tolerance``, ``verdict`` (consistent,
        inconsistent or ambiguous) and a one-line ``explanation``.

    Raises
    ------
    UnknownFigureError
        If a claim names a figure id that the figure table lacks.
    UnknownNameError
        If a claim names an unknown check.
    ValidationError
        If a claim lacks an input role its check needs, lacks a needed
        stated figure, or has a bad parameter (``round_rate=abc``, a
        missing ``from_year``), naming the claims file, row and column.
    ZeroBaseError, UnitError, MissingValueError
        If the figures a claim uses cannot be combined; the message names
        the claim id and its claims row.

    See Also
    --------
    migstats.audit : the same on the bundled figures and claims.
    migstats.analysis.claim_checks : the checks, one per kind of claim.

    Examples
    --------
    >>> from migstats.datasets.report import claims, figures
    >>> result = audit(figures(), claims())
    >>> result.set_index("claim_id").loc["rem_2007_implied", "verdict"]
    'consistent'
    """
    source = claims.attrs.get("path", "claims")
    rows = _figure_rows(figures, approx_rel)
    out = []
    for i, claim in enumerate(claims.to_dict("records"), start=1):
        cid = claim["claim_id"]
        check = CHECKS.get(claim["check"])
        if check is None:
            raise UnknownNameError(f"claim {cid!r}: unknown check {claim['check']!r}")
        at_params = {"file": source, "row": i, "column": "params"}
        params = dict(_pairs(claim.get("params"), "=", f"claim {cid!r}: params", at_params))
        inputs: dict[str, list] = {}
        at_inputs = {"file": source, "row": i, "column": "inputs"}
        for role, fid in _pairs(claim["inputs"], ":", f"claim {cid!r}: inputs", at_inputs):
            half = _half_width(params, role, at_params, cid)
            inputs.setdefault(role, []).append(_widened(_lookup(rows, fid, cid), half))
        lacking = [r for r in check.roles if r not in inputs]
        if lacking:
            raise ValidationError(f"claim {cid!r}: check {claim['check']!r} needs an input with role "
                                  f"{lacking[0]!r}", **at_inputs)
        sid = claim.get("stated_figure")
        sid = sid.strip() if isinstance(sid, str) else ""  # empty cells read as None or NaN
        if check.needs_stated and not sid:
            raise ValidationError(f"claim {cid!r}: check {claim['check']!r} needs a stated figure", file=source,
                                  row=i, column="stated_figure")
        stated = _lookup(rows, sid, cid) if sid else None
        tol = _tolerance(claim.get("tolerance"), source, i)
        try:
            result = check.func(stated, inputs, params, tol)
        except (InputError, UnitError) as exc:
            if type(exc) is InputError:  # a plain InputError from a check is a bad parameter of the claim row
                raise ValidationError(f"claim {cid!r}: {exc}", file=source, row=i, column="params") from None
            # ZeroBaseError, UnitError and kin are about the figures: same class, with the claim named
            raise type(exc)(f"claim {cid!r} ({source}, row {i}): {exc}") from exc
        out.append({
            "claim_id": claim["claim_id"],
            "description": claim["description"],
            "stated": float(stated["value"].iloc[0]) if stated is not None else np.nan,
            "recomputed": result.recomputed,
            "recomputed_low": result.low,
            "recomputed_high": result.high,
            "unit": result.unit,
            "kind": result.kind,
            "tolerance": tol,
            "verdict": result.verdict,
            "explanation": result.explanation,
        })
    return pd.DataFrame(out, columns=AUDIT_COLUMNS)


def _claims_loader():
    from ..datasets.report import claims

    return lambda root=None: claims(root=root)


def _claim_columns():
    from ..datasets.report import CLAIM_COLUMNS

    return CLAIM_COLUMNS


__getattr__ = moved_names(__name__, {
    "load_claims": ("migstats.datasets.report.claims", _claims_loader),
    "CLAIM_COLUMNS": ("migstats.datasets.report.CLAIM_COLUMNS", _claim_columns),
})
