"""Revisions between vintages (an earlier and a later estimate of the same thing).

For a previous estimate ``p`` and a revised one ``r``:

- absolute revision ``r - p`` (in the unit of the values);
- relative revision ``(r - p) / p`` (base: the previous estimate);
- revision factor ``r / p``.

Summary statistics over many series follow the usual revision-analysis
definitions, for revisions ``R_i`` (absolute or relative) of ``n`` series:
mean revision ``sum(R_i) / n`` (bias), mean absolute revision
``sum(|R_i|) / n`` (size) and root mean squared revision
``sqrt(sum(R_i ** 2) / n)``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._deprecation import changed_arguments
from ..errors import EmptyTableError, InputError
from ..units import conversion_factor
from ._checks import (
    common_unit,
    element_where,
    entity_keys,
    finite_array,
    input_index,
    long_table,
    nonzero_base,
    key_where,
    same_shape,
)

__all__ = ["revision", "revisions", "revision_summary", "vintage_revisions"]


def revision(previous, revised, *, previous_unit: str | None = None, revised_unit: str | None = None) -> pd.DataFrame:
    """Absolute, relative and factor revision of pairs of estimates.

    Parameters
    ----------
    previous, revised : float or array-like
        Earlier and later estimates.
    previous_unit, revised_unit : str, optional
        Their units; ``revised`` is converted to ``previous_unit`` and the
        result carries it.

    Returns
    -------
    pandas.DataFrame
        ``previous, revised, absolute`` (``revised - previous``),
        ``relative`` (``(revised - previous) / previous``, base: the
        previous estimate), ``factor`` (``revised / previous``), and ``unit``
        when units are given.

    Raises
    ------
    ZeroBaseError
        If a previous estimate is zero.
    MissingValueError
        If a value is NaN.
    UnitError
        If the units cannot convert.
    InputError
        If a value is infinite or not a number, or the two differ in shape.

    See Also
    --------
    revisions : the same for two vintages of a long table.

    Examples
    --------
    Egypt's 2008 remittances, revised from US$4 billion to US$7.5 billion:

    >>> revision(4, 7.5)[["absolute", "relative", "factor"]].iloc[0].tolist()
    [3.5, 0.875, 1.875]
    """
    if (previous_unit is None) != (revised_unit is None):
        raise InputError("give units for both vintages or for neither")
    p, r = same_shape(previous=finite_array(previous, "previous estimate"),
                      revised=finite_array(revised, "revised estimate"))
    p, r = np.atleast_1d(p), np.atleast_1d(r)
    if previous_unit is not None:
        r = r * conversion_factor(revised_unit, previous_unit)
    base = nonzero_base(p, "the previous estimate", element_where(previous))
    out = pd.DataFrame({"previous": p, "revised": r, "absolute": r - p, "relative": (r - p) / base, "factor": r / base},
                       index=input_index(previous, revised))
    if previous_unit is not None:
        out["unit"] = previous_unit
    return out


@changed_arguments(positional=("on",))
def revisions(previous: pd.DataFrame, revised: pd.DataFrame, *, on=None, undefined: str = "mark") -> pd.DataFrame:
    """Revisions between two vintages of a long table.

    Parameters
    ----------
    previous, revised : pandas.DataFrame
        Long tables with a ``value`` column (and ``unit``), one per vintage.
    on : list of str, optional
        Key columns matching rows across vintages; default the entity
        column (the first of ``entity_code``, ``code``, ``entity``) plus
        ``year`` where present.
    undefined : {"mark", "raise"}, default "mark"
        A previous estimate of zero has an absolute revision but no
        relative one or factor. ``"mark"`` leaves ``relative`` and
        ``factor`` NaN on such rows and says why in ``note``; ``"raise"``
        raises :class:`~migstats.errors.ZeroBaseError` naming the key.
        Official tables have zeros (KNOMAD), so marking is the default.

    Returns
    -------
    pandas.DataFrame
        The keys and the columns of :func:`revision` plus ``note`` (empty,
        or why a measure is NaN), one row per key found in both vintages
        (rows in only one vintage are not revisions). The revised values are
        converted to the previous vintage's unit.

    Raises
    ------
    EmptyTableError
        If a vintage is empty or the vintages share no key.
    InputError
        If a key column is missing or a key repeats within a vintage.
    ZeroBaseError
        With ``undefined="raise"``, if a previous estimate is zero.

    See Also
    --------
    revision : the same for plain numbers.
    revision_summary : mean, mean absolute and RMS revision.

    Examples
    --------
    Egypt's and Nigeria's 2008 remittances (US$ billion), previous and revised:

    >>> import pandas as pd
    >>> before = pd.DataFrame({"code": ["EGY", "NGA"], "year": [2008, 2008], "value": [4.0, 3.0]})
    >>> after = before.assign(value=[7.5, 9.5])
    >>> revisions(before, after)["relative"].round(3).tolist()
    [0.875, 2.167]
    """
    if undefined not in ("mark", "raise"):
        raise InputError(f"undefined must be 'mark' or 'raise', got {undefined!r}")
    prev, _, _ = long_table(previous, year=None)
    rev, _, _ = long_table(revised, year=None)
    keys = list(on) if on is not None else entity_keys(prev) + (["year"] if "year" in prev.columns else [])
    if not keys:
        raise InputError("no key columns to match the vintages on; pass on=[...]")
    for name, frame in (("previous", prev), ("revised", rev)):
        missing = [k for k in keys if k not in frame.columns]
        if missing:
            raise InputError(f"the {name} vintage has no {missing[0]!r} column")
        dup = frame.duplicated(keys)
        if dup.any():
            row = int(np.flatnonzero(dup)[0])
            raise InputError(f"the {name} vintage repeats key {tuple(frame[keys].iloc[row])} (row {row + 1})")
    cols = keys + ["value"] + (["unit"] if "unit" in prev.columns and "unit" in rev.columns else [])
    merged = prev[cols].merge(rev[cols], on=keys, suffixes=("_previous", "_revised"))
    if merged.empty:
        raise EmptyTableError("the two vintages share no key")
    if "unit" in cols:
        factors = [conversion_factor(ur, up) for ur, up in zip(merged["unit_revised"], merged["unit_previous"])]
        merged["value_revised"] = merged["value_revised"].to_numpy(dtype=float) * np.asarray(factors)
    out = merged[keys].reset_index(drop=True)
    p, r = merged["value_previous"].to_numpy(dtype=float), merged["value_revised"].to_numpy(dtype=float)
    zero = p == 0
    if undefined == "raise":
        nonzero_base(p, "the previous estimate", key_where(out, keys))
    base = np.where(zero, np.nan, p)
    out = out.assign(previous=p, revised=r, absolute=r - p, relative=(r - p) / base, factor=r / base,
                     note=np.where(zero, "previous estimate is zero: no relative revision or factor", ""))
    if "unit" in cols:
        out["unit"] = merged["unit_previous"].to_numpy()
    return out


def _measure_to_relative(measure):
    if measure not in ("absolute", "relative"):
        raise InputError(f"unknown measure {measure!r}; choose 'absolute' or 'relative' (now relative=False/True)")
    return measure == "relative"


@changed_arguments(renamed={"table": "data", "measure": ("relative", _measure_to_relative)},
                   positional=("by", "measure"))
def revision_summary(data: pd.DataFrame, *, by=None, relative: bool = False) -> pd.DataFrame:
    """Mean, mean absolute and root mean squared revision, overall or by group.

    Parameters
    ----------
    data : pandas.DataFrame
        Output of :func:`revisions` (or :func:`revision`).
    by : str or list of str, optional
        Column(s) that split the table into groups summarised separately
        (an entity column for revisions per country, ``year`` for
        revisions per period); default all rows together.
    relative : bool, default False
        Summarise relative revisions (the ``relative`` column: fractions
        whose base is the previous estimate) instead of absolute ones (the
        ``absolute`` column, in the unit of the values). Absolute revisions
        in different units are converted, within each group, to the unit of
        the group's first row; a table without a ``unit`` column is taken
        to be in one unit.

    Returns
    -------
    pandas.DataFrame
        The group columns and ``n``, ``mean_revision`` (``sum(R) / n``),
        ``mean_absolute_revision`` (``sum(|R|) / n``) and
        ``rms_revision`` (``sqrt(sum(R**2) / n)``); for absolute revisions
        also ``unit``, the unit of the three statistics.

    Raises
    ------
    EmptyTableError
        If the table has no rows.
    InputError
        On an unknown group column, or ``relative`` that is not a bool.
    UnitError
        If absolute revisions of one group have units of different
        dimensions (US$ and persons cannot be averaged).

    See Also
    --------
    revisions : the revisions this summarises.

    Examples
    --------
    >>> import pandas as pd
    >>> before = pd.DataFrame({"code": ["EGY", "NGA"], "year": [2008, 2008], "value": [4.0, 3.0]})
    >>> after = before.assign(value=[7.5, 9.5])
    >>> revision_summary(revisions(before, after))[["n", "mean_revision", "rms_revision"]].round(3).iloc[0].tolist()
    [2.0, 5.0, 5.22]
    """
    if not isinstance(relative, (bool, np.bool_)):
        raise InputError(f"relative must be True or False, got {relative!r}")
    measure = "relative" if relative else "absolute"
    frame, _, _ = long_table(data, value=measure, year=None)
    keys = [by] if isinstance(by, str) else list(by or [])
    missing = [k for k in keys if k not in frame.columns]
    if missing:
        raise InputError(f"cannot group by {missing[0]!r}: no such column")
    with_unit = measure == "absolute" and "unit" in frame.columns
    if with_unit:
        frame = common_unit(frame, keys, columns=(measure,))
    r = frame[measure].astype(float)
    work = frame[keys].assign(R=r, absR=r.abs(), R2=r**2)
    carry_unit = with_unit and "unit" not in keys
    if carry_unit:
        work["unit"] = frame["unit"].to_numpy()
    grouped = work.groupby(keys, sort=True) if keys else work.groupby(lambda _: 0)
    stats = {"n": ("R", "size"), "mean_revision": ("R", "mean"), "mean_absolute_revision": ("absR", "mean"),
             "R2": ("R2", "mean")}
    if carry_unit:
        stats["unit"] = ("unit", "first")
    out = grouped.agg(**stats)
    out["rms_revision"] = np.sqrt(out.pop("R2"))
    if carry_unit:
        out["unit"] = out.pop("unit")
    return out.reset_index(drop=not keys)


# Columns that identify a cell of an official table (what a value is of), in the readers' vocabulary.
_CELL_KEYS = ("code", "orig_code", "dest_code", "year", "sex", "measure", "citizenship", "migration_type",
              "birth_place", "education_lev")


def vintage_revisions(source: str, previous: str = "previous", revised: str = "latest", *,
                      indicator: str | None = None, on=None) -> pd.DataFrame:
    """Cell-by-cell revisions between two cached vintages of a fetched series.

    Both vintages are read from the cache (no download) with the source's
    reader and compared with :func:`revisions`: for each cell in both,
    ``absolute = r - p``, ``relative = (r - p) / p`` (base: the previous
    vintage's value), ``factor = r / p``.

    Parameters
    ----------
    source : str
        A source id of the registry (``migstats data list``).
    previous, revised : str
        The two vintages: ``"previous"`` and ``"latest"`` (the last two
        fetched, the default), a vintage label (the publisher's last-updated
        date, or the retrieval date) or a sha256 prefix (``migstats data
        vintages`` lists them).
    indicator : str, optional
        For ``wdi``, the indicator code (default ``BX.TRF.PWKR.CD.DT``).
    on : list of str, optional
        Columns identifying a cell; default those present among ``code``,
        ``orig_code``, ``dest_code``, ``year``, ``sex``, ``measure``,
        ``citizenship``, ``migration_type``, ``birth_place``,
        ``education_lev``.

    Returns
    -------
    pandas.DataFrame
        Only the cells that differ: the key columns, ``change``
        (``"revised"``: a value in both vintages that changed; ``"added"``:
        only in the revised vintage; ``"removed"``: only in the previous
        one), and ``previous, revised, absolute, relative, factor, note,
        unit`` as in :func:`revisions` (NaN where a vintage has no value).
        ``attrs`` holds ``previous_vintage``, ``revised_vintage`` (labels),
        ``compared`` (cells in both), ``changed`` and ``summary``, the
        :func:`revision_summary` of the absolute revisions of the changed
        cells.

    Raises
    ------
    OfflineError
        If the source is not in the cache.
    UnknownNameError
        If a vintage is not in the cache, or the source has no reader.
    InputError
        If the cells are not unique on ``on``.

    See Also
    --------
    revisions : the same comparison for any two tables.
    migstats.fetch : fetch a newer vintage (``refresh=True``).

    Examples
    --------
    >>> import os, tempfile
    >>> os.environ["MIGSTATS_CACHE"] = tempfile.mkdtemp()
    >>> vintage_revisions("wdi")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    migstats.errors.OfflineError: 'wdi' (indicator BX.TRF.PWKR.CD.DT) is not in the cache ...
    >>> del os.environ["MIGSTATS_CACHE"]
    """
    from ..catalog import read_vintage

    old = read_vintage(source, previous, indicator=indicator)
    new = read_vintage(source, revised, indicator=indicator)
    keys = list(on) if on is not None else [c for c in _CELL_KEYS if c in old.columns]
    both = revisions(old, new, on=keys)
    changed = both[both["absolute"] != 0].assign(change="revised")
    presence = old[keys].merge(new[keys], on=keys, how="outer", indicator=True)
    extra = []
    for side, label, frame, column in (("right_only", "added", new, "revised"), ("left_only", "removed", old, "previous")):
        only = presence.loc[presence["_merge"] == side, keys].merge(frame[keys + ["value", "unit"]], on=keys)
        extra.append(only.rename(columns={"value": column}).assign(change=label, note=f"only in the {column} vintage"))
    out = pd.concat([changed, *extra], ignore_index=True)
    columns = keys + ["change", "previous", "revised", "absolute", "relative", "factor", "note", "unit"]
    out = out.reindex(columns=columns).sort_values(keys, kind="stable").reset_index(drop=True)
    out.attrs = {
        "source": source,
        "previous_vintage": old.attrs.get("vintage"),
        "revised_vintage": new.attrs.get("vintage"),
        "compared": len(both),
        "changed": len(changed),
        "summary": revision_summary(changed) if len(changed) else None,
    }
    return out
