"""Index spec files: a framework, where its data come from, and the construction choices, in TOML.

A spec has ``[index]`` (code, name), ``[[aggregate]]`` and ``[[indicator]]``
tables (see :meth:`Framework.from_toml`), ``[[denominator]]`` tables, a
``[choices]`` table (keyword arguments of :func:`migstats.composite.build`) and
an ``[uncertainty]`` table (keyword arguments of
:func:`migstats.composite.uncertainty`). Data come either from a CSV file
(``[data] file = "..."``, one row per unit with a ``code`` column, relative to
the spec) or, per indicator and denominator, from a bundled table:
``source`` (a loader of :mod:`migstats.datasets.official`), ``series``,
``year`` and an optional ``scale`` (e.g. 0.01 for a published percentage).
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import InputError, UnknownNameError, ValidationError
from .framework import Framework, read_spec

__all__ = ["IndexSpec", "load_spec", "exposure_spec_path", "SOURCES"]

#: bundled tables a spec may name as ``source``
SOURCES = ("wdi_remittances", "knomad_inflows", "undesa_stock", "undesa_population_countries", "oecd_inflows")

_UNCERTAINTY_KEYS = ("draws", "winmax_range", "normalise_methods", "aggregate_methods", "weight_spread", "seed")


@dataclass
class IndexSpec:
    """A parsed spec: everything needed to build the index and to run its uncertainty analysis.

    Attributes
    ----------
    framework : Framework
    data : DataFrame
        One row per unit: code, name, the indicators and denominators.
    choices : dict
        Keyword arguments of :func:`migstats.composite.build`.
    uncertainty : dict
        Keyword arguments of :func:`migstats.composite.uncertainty` (without the choices).
    path : Path
        The spec file.
    title : str
        The index name.
    """

    framework: Framework
    data: pd.DataFrame
    choices: dict
    uncertainty: dict
    path: Path
    title: str


def exposure_spec_path() -> Path:
    """Path of the bundled migration and remittance exposure spec (``data/composite/exposure.toml``).

    Returns
    -------
    Path

    Examples
    --------
    >>> exposure_spec_path().name
    'exposure.toml'
    """
    from ..datasets._paths import data_dir

    return data_dir() / "composite" / "exposure.toml"


def load_spec(path=None) -> IndexSpec:
    """Read a spec file and load its data.

    Parameters
    ----------
    path : str or Path, optional
        The spec (default: the bundled exposure index, :func:`exposure_spec_path`).

    Returns
    -------
    IndexSpec

    Raises
    ------
    ValidationError
        The file does not parse, its framework fails a check, or it names an
        unknown source, choice or column (the message names the file).

    Examples
    --------
    >>> spec = load_spec()
    >>> spec.framework.indicators
    ['rem_gdp', 'rem_pc', 'imm_share', 'emi_share']
    """
    path = Path(exposure_spec_path() if path is None else path)
    raw = read_spec(path)
    try:
        framework = Framework.from_spec(raw)
        choices = _choices(raw.get("choices", {}))
        unc = dict(raw.get("uncertainty", {}))
        unknown = sorted(set(unc) - set(_UNCERTAINTY_KEYS))
        if unknown:
            raise UnknownNameError(f"[uncertainty]: unknown key {unknown[0]!r}; use {', '.join(_UNCERTAINTY_KEYS)}")
        data = _data(raw, path.parent)
    except (InputError, UnknownNameError) as exc:
        raise ValidationError(str(exc), file=path) from None
    return IndexSpec(framework=framework, data=data, choices=choices, uncertainty=unc, path=path,
                     title=raw["index"].get("name", raw["index"]["code"]))


def _choices(table: dict) -> dict:
    from .build import build

    allowed = [p for p in inspect.signature(build).parameters if p not in ("data", "framework")]
    out = {}
    for key, value in table.items():
        if key not in allowed:
            raise UnknownNameError(f"[choices]: unknown choice {key!r}; use {', '.join(allowed)}")
        out[key] = tuple(value) if isinstance(value, list) else value
    return out


def _data(raw: dict, base: Path) -> pd.DataFrame:
    if "file" in raw.get("data", {}):
        path = base / raw["data"]["file"]
        try:
            return pd.read_csv(path)
        except (OSError, pd.errors.ParserError) as exc:
            raise InputError(f"cannot read the data file {str(path)!r}: {exc}") from None
    columns = []
    loaded: dict = {}  # each bundled table is read once, however many columns come from it
    for rec in raw.get("indicator", []) + raw.get("denominator", []):
        if "source" not in rec:
            raise InputError(f"{rec.get('code')!r} has no source (and the spec has no [data] file)")
        columns.append(_bundled_column(rec, loaded))
    table = pd.concat([c["value"].rename(code) for code, c in columns], axis=1)
    names = pd.concat([c["name"] for _, c in columns])
    names = names[~names.index.duplicated()]
    table.insert(0, "name", names.reindex(table.index))
    table.index.name = "code"
    return table.sort_index().reset_index()


def _bundled_column(rec: dict, loaded: dict):
    from ..datasets import official

    code, source = rec.get("code"), rec["source"]
    if source not in SOURCES:
        raise UnknownNameError(f"{code!r}: unknown source {source!r}; use one of {', '.join(SOURCES)}")
    loader = getattr(official, source)
    series = rec.get("series")
    if (source, series) not in loaded:
        loaded[source, series] = loader() if series is None else loader(series=series)
    frame = loaded[source, series]
    if "is_aggregate" in frame.columns:
        frame = frame[~frame["is_aggregate"].astype(bool)]
    if "year" not in rec:
        raise InputError(f"{code!r}: give the year to take from {source}")
    frame = frame[frame["year"] == rec["year"]]
    if frame.empty:
        raise InputError(f"{code!r}: {source} has no data for {rec['year']}")
    dup = frame["code"][frame["code"].duplicated()]
    if len(dup):
        raise InputError(f"{code!r}: {source} has more than one row for unit {dup.iloc[0]!r} in {rec['year']}")
    frame = frame.set_index("code")
    return code, {"value": frame["value"].astype(float) * float(rec.get("scale", 1.0)), "name": frame["name"]}
