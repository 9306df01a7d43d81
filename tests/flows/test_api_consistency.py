"""One result type for every flow estimator, correctly spelt index measures, documented public
functions, and no private names imported across modules."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import migstats.flows as flows_pkg
import migstats.flows.arrays as arrays_mod
import migstats.flows.indices as indices_mod
from migstats.flows import (
    FlowArray, FlowResult, cm2, cm3, cm_net, cm_net_tot, ffs_demo, ffs_diff, ffs_rates, ipf2, ipf3,
    net_matrix_entropy, net_matrix_ipf, net_matrix_lp, net_matrix_optim, sum_od,
)
from migstats.flows.indices import index_impact

S1 = pd.DataFrame([[100.0, 10, 5], [8, 80, 4], [6, 3, 60]], index=list("ABC"), columns=list("ABC"))
S2 = pd.DataFrame([[98.0, 12, 5], [6, 84, 2], [7, 5, 57]], index=list("ABC"), columns=list("ABC"))
NET = pd.Series([5.0, -3.0, -2.0], index=list("ABC"))

ESTIMATORS = {
    "ipf2": lambda: ipf2([18, 20], [16, 22]),
    "ipf3": lambda: ipf3(S1, S2),
    "cm2": lambda: cm2([18, 20], [16, 22]),
    "cm3": lambda: cm3([18, 20], [16, 22], np.ones((2, 2, 3))),
    "ffs_demo": lambda: ffs_demo(S1, S2),
    "ffs_diff": lambda: ffs_diff(S1, S2),
    "ffs_rates": lambda: ffs_rates(S1, method="dennett", total=30),
    "cm_net": lambda: cm_net(NET),
    "cm_net_tot": lambda: cm_net_tot(NET, 40),
    "net_matrix_ipf": lambda: net_matrix_ipf(NET),
    "net_matrix_entropy": lambda: net_matrix_entropy(NET),
    "net_matrix_lp": lambda: net_matrix_lp(NET),
    "net_matrix_optim": lambda: net_matrix_optim(NET),
}


@pytest.mark.parametrize("name", sorted(ESTIMATORS))
def test_every_estimator_returns_a_flow_result(name):
    res = ESTIMATORS[name]()
    assert isinstance(res, FlowResult)
    assert isinstance(res.fitted, (pd.DataFrame, FlowArray))
    assert isinstance(res.iterations, int) and np.isfinite(res.error)
    values = res.fitted.values if isinstance(res.fitted, FlowArray) else res.fitted.to_numpy()
    long = res.to_long()
    # one row per cell, the same numbers in R's order (first axis fastest)
    assert len(long) == values.size and long.columns[-1] == "flow"
    np.testing.assert_array_equal(long["flow"].to_numpy(), values.reshape(-1, order="F"))
    np.testing.assert_allclose(res.od().to_numpy(), values.sum(axis=2) if values.ndim == 3 else values)


def test_summaries_accept_a_result_directly():
    res = ffs_demo(S1, S2)
    pd.testing.assert_frame_equal(sum_od(res), res.od(zero_diagonal=True))


def test_index_impact_spells_effectiveness():
    m = pd.DataFrame([[0.0, 30, 10], [10, 0, 0], [0, 10, 0]], index=list("ABC"), columns=list("ABC"))
    got = index_impact(m, {"A": 100, "B": 200, "C": 300})
    assert "effectiveness" in got.index and "effectivness" not in got.index
    # in = (10, 40, 10), out = (40, 10, 10): 100 * (30 + 30 + 0) / 120 = 50 percent of turnover
    assert got["effectiveness"] == pytest.approx(50.0)


def _public_functions():
    seen = {}
    for mod, names in ((flows_pkg, flows_pkg.__all__), (indices_mod, indices_mod.__all__),
                       (arrays_mod, arrays_mod.__all__)):
        for name in names:
            obj = getattr(mod, name)
            if inspect.isfunction(obj):
                seen[f"{mod.__name__}.{name}"] = obj
    for name in ("weighted_median",):
        seen[f"migstats.flows.indices.{name}"] = getattr(indices_mod, name)
    return seen


@pytest.mark.parametrize("qualname", sorted(_public_functions()))
def test_public_functions_have_numpydoc_parameters_and_returns(qualname):
    func = _public_functions()[qualname]
    doc = inspect.getdoc(func) or ""
    assert "Parameters\n----------" in doc, f"{qualname} lacks a Parameters section"
    # a check that returns nothing documents what it raises instead
    ending = "Raises\n------" if inspect.signature(func).return_annotation in (None, "None") else "Returns\n-------"
    assert ending in doc, f"{qualname} lacks a {ending.split()[0]} section"


MINE = [Path(flows_pkg.__file__).parent.glob("*.py"), [Path(indices_mod.__file__)]]


@pytest.mark.parametrize("path", sorted(p for group in MINE for p in group), ids=lambda p: p.name)
def test_no_private_names_imported_across_modules(path):
    """Shared helpers live under public names (migstats.flows.arrays); migstats.flows._common is
    internal to the migstats.flows package."""
    inside_flows = path.parent.name == "flows"
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("migstats"):
            private = [a.name for a in node.names if a.name.startswith("_")]
            assert not private, f"{path.name} imports private {private} from {node.module}"
            if node.module.startswith("migstats.flows._"):
                assert inside_flows, f"{path.name} imports {node.module}, internal to migstats.flows"
