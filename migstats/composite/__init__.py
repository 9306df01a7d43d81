"""Composite indices: framework, pipeline stages, analysis, uncertainty and sensitivity.

A composite index (the Global Migration Barometer, MIPEX, the Human Development
Index) aggregates many indicators into one score through a chain of choices:
how gaps are filled, outliers treated, indicators normalised, weighted and
aggregated. :func:`build` runs the chain of the OECD/JRC Handbook (as COINr
1.1.14 implements it) and keeps every stage; :func:`uncertainty` and
:func:`sensitivity` show how much the ranks depend on the choices.
"""

from __future__ import annotations

from .analysis import contributions, correlations, cronbach_alpha, pca
from .build import STAGES, CompositeResult, build, unit_table
from .framework import Framework, Node, read_spec
from .stages import (
    AGGREGATIONS,
    IMPUTATIONS,
    NORMALISATIONS,
    aggregate,
    denominate,
    equal_weights,
    impute,
    normalise,
    pca_weights,
    reweight,
    screen,
    treat,
)
from .spec import SOURCES, IndexSpec, exposure_spec_path, load_spec
from .uncertainty import UncertaintyResult, sensitivity, uncertainty

__all__ = [
    "Framework", "Node", "read_spec", "build", "CompositeResult", "unit_table", "STAGES",
    "denominate", "impute", "screen", "treat", "normalise", "aggregate", "equal_weights", "pca_weights",
    "reweight", "IMPUTATIONS", "NORMALISATIONS", "AGGREGATIONS", "correlations", "cronbach_alpha", "pca", "contributions",
    "uncertainty", "sensitivity", "UncertaintyResult", "IndexSpec", "load_spec", "exposure_spec_path", "SOURCES",
]
