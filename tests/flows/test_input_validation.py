"""Bad inputs to the flow estimators and indices raise a specific migstats error naming the argument
(and the region or cell), never a silent NaN, a bare Python error or a misleading ConvergenceError."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from migstats.errors import (
    ConvergenceError, EmptyTableError, InputError, MigstatsError, MissingDependencyError, MissingValueError,
    ZeroBaseError,
)
from migstats.flows import (
    cm2, cm3, cm_net, cm_net_tot, ffs_demo, ffs_diff, ffs_rates, ipf2, ipf3, multi_comp, net_matrix_ipf,
    net_matrix_lp, net_matrix_optim, rescale_integer_sum, rescale_net, sum_od,
)
from migstats.flows.indices import (
    index_age, index_age_rc, index_connectivity, index_distance, index_impact, index_intensity, weighted_median,
)

SMALL = "ffs_demo_small"


@pytest.fixture
def small(ref):
    return (ref.matrix(f"{SMALL}/input_stock_start.csv"), ref.matrix(f"{SMALL}/input_stock_end.csv"),
            ref.vector(f"{SMALL}/input_births.csv"), ref.vector(f"{SMALL}/input_deaths.csv"))


def _labelled(values, labels=("A", "B", "C")):
    return pd.DataFrame(np.asarray(values, dtype=float), index=list(labels), columns=list(labels))


# ---- finding 9: NaN / inf where a value is expected ---------------------------------------------

@pytest.mark.parametrize(("call", "pattern"), [
    (lambda: index_intensity(np.nan, 100, 3), "mig_total"),
    (lambda: index_intensity(10, np.inf, 3), "pop_total"),
    (lambda: rescale_integer_sum([1, 2], np.nan), "total"),
    (lambda: cm_net_tot([5, -5], np.inf, np.ones((2, 2))), "total"),
    (lambda: ipf2(pd.Series([1.0, np.nan], index=["A", "B"]), [1, 1]), "row_tot .*region 'B'"),
    (lambda: index_impact(_labelled([[0, 1, 2], [3, 0, 4], [5, 6, 0]]), {"A": 1, "B": np.nan, "C": 2}),
     "pop .*region 'B'"),
    (lambda: index_age([10, 20, 30], [0.1, np.nan, 0.2]), "mi"),
    (lambda: index_age_rc({"a1": 1, "alpha1": np.nan, "a2": 1, "alpha2": 1, "mu2": 20, "lambda2": 1}),
     "params .*'alpha1'"),
    (lambda: weighted_median([1, np.nan], [1, 1]), "x"),
])
def test_missing_values_raise_missing_value_error(call, pattern):
    with pytest.raises(MissingValueError, match=pattern):
        call()


def test_dennett_total_nan_is_refused_not_all_nan(small):
    s1 = small[0]
    with pytest.raises(MissingValueError, match="total"):
        ffs_rates(s1, method="dennett", total=np.nan)
    with pytest.raises(InputError, match="total must be at least 0"):
        ffs_rates(s1, method="dennett", total=-5)


def test_rescale_integer_sum_of_zeros_is_a_zero_base():
    with pytest.raises(ZeroBaseError, match="x sums to 0"):
        rescale_integer_sum([0, 0], 3)


def test_dennett_without_migrant_stock_is_a_zero_base():
    with pytest.raises(ZeroBaseError, match="stock_start has no migrant"):
        ffs_rates(np.diag([5.0, 6.0]), method="dennett", total=10)


def test_multi_comp_names_the_region_without_flows():
    m = _labelled([[0, 2, 3], [0, 0, 0], [4, 1, 0]])
    with pytest.raises(ZeroBaseError, match="region 'B' has no out-flows"):
        multi_comp(m)


# ---- finding 10: negatives, empty input, duplicate labels, offsets without positive cells --------

@pytest.mark.parametrize(("call", "pattern"), [
    (lambda: ipf2([-1, 3], [1, 1]), r"row_tot is negative \(-1\) for region 'R1'"),
    (lambda: ipf2([1, 1], [3, -1]), r"col_tot is negative \(-1\) for region 'R2'"),
    (lambda: cm2([-1, 4], [1, 2]), r"row_tot is negative \(-1\) for region 'R1'"),
    (lambda: ipf2([1, 1], [1, 1], [[1, -2], [1, 1]]), r"offset is negative \(-2\) for row 'R1', column 'R2'"),
    (lambda: cm2([1, 1], [1, 1], [[1, 1], [-1, 1]]), r"offset is negative \(-1\) for row 'R2', column 'R1'"),
    (lambda: ipf3(_labelled([[5, -1, 0], [0, 4, 1], [1, 1, 3]]), _labelled([[4, 0, 0], [1, 4, 0], [0, 1, 4]])),
     r"stock_start is negative \(-1\) for row 'A', column 'B'"),
    (lambda: ipf3(np.eye(2) * 3, np.eye(2) * 3, -np.ones((2, 2, 2))),
     r"offset is negative \(-1\) for row \('R1', 'R1'\), column 'R1'"),
    (lambda: cm3([1, 1], [1, 1], np.array([[[1, 1], [1, -1]], [[1, 1], [1, 1]]])),
     r"offset is negative \(-1\) for row \('R1', 'R2'\), column '2'"),
    (lambda: ffs_diff(_labelled([[5, -1, 0], [0, 4, 1], [1, 1, 3]]), _labelled(np.eye(3))),
     r"stock_start is negative \(-1\) for row 'A', column 'B'"),
    (lambda: index_connectivity(_labelled([[0, 1, 2], [3, 0, -4], [5, 6, 0]])),
     r"flows is negative \(-4\) for row 'B', column 'C'"),
    (lambda: index_impact(_labelled([[0, 1, 2], [3, 0, 4], [5, 6, 0]]), {"A": 1, "B": 0, "C": 2}),
     r"pop must be positive, got 0 for region 'B'"),
    (lambda: rescale_net([5, -5], weights=[1, -1]), r"weights is negative \(-1\) for region 'R2'"),
])
def test_negative_counts_raise_input_error_naming_argument_and_region(call, pattern):
    with pytest.raises(InputError, match=pattern):
        call()


def test_ffs_demo_negative_stock_is_named_not_a_convergence_failure(small):
    s1, s2, b, d = small
    with pytest.raises(InputError, match=r"stock_start is negative .* place of birth 'N', residence 'S'") as info:
        ffs_demo(-s1, s2, b, d)
    assert not isinstance(info.value, ConvergenceError)


def test_ffs_demo_negative_native_born_column_total_is_refused(small):
    s1, s2, b, d = small
    s1 = s1.copy()
    s1.loc["E", "E"] = -s1["E"].sum()  # a native-born cell may be negative, but not its column total
    with pytest.raises(InputError, match=r"stock_start: residence 'E' has a negative total"):
        ffs_demo(s1, s2, b, d)


@pytest.mark.parametrize("which", ["births", "deaths"])
def test_ffs_demo_negative_births_or_deaths_name_the_region(small, which):
    s1, s2, b, d = small
    args = {"births": b.copy(), "deaths": d.copy()}
    args[which]["W"] = -3.0
    with pytest.raises(InputError, match=rf"{which} is negative \(-3\) for region 'W'"):
        ffs_demo(s1, s2, **args)


def test_all_zero_offset_is_an_input_error_not_convergence_error():
    with pytest.raises(InputError, match="offset has no positive cell") as info:
        ipf2([1, 1], [1, 1], np.zeros((2, 2)))
    assert not isinstance(info.value, ConvergenceError)
    with pytest.raises(InputError, match="offset has no positive cell"):
        ipf3(np.eye(2) * 3, np.eye(2) * 3, np.zeros((2, 2)))


def test_positive_total_on_an_empty_offset_row_names_the_region():
    m = pd.DataFrame([[1.0, 1.0], [0.0, 0.0]], index=["A", "B"], columns=["A", "B"])
    with pytest.raises(InputError, match="row_tot for region 'B' is 1.*no positive cell in row 'B'"):
        ipf2(pd.Series([1.0, 1.0], index=["A", "B"]), pd.Series([1.0, 1.0], index=["A", "B"]), m)
    with pytest.raises(InputError, match="row_tot for region 'B'"):
        cm2(pd.Series([1.0, 1.0], index=["A", "B"]), pd.Series([1.0, 1.0], index=["A", "B"]), m)


def test_net_gain_without_an_inflow_cell_names_the_region():
    # region C gains 4 but its offset column is all zero: no flow can ever reach it
    m = _labelled([[0, 1, 0], [1, 0, 0], [1, 1, 0]])
    with pytest.raises(InputError, match="net_tot for region 'C' is 4.*column 'C'"):
        cm_net(pd.Series([-2.0, -2.0, 4.0], index=["A", "B", "C"]), m)


@pytest.mark.parametrize(("call", "pattern"), [
    (lambda: ipf2([], []), "row_tot is empty"),
    (lambda: cm_net([]), "net_tot is empty"),
    (lambda: cm2([], []), "row_tot is empty"),
    (lambda: sum_od(np.zeros((0, 0))), "flows is empty"),
])
def test_empty_inputs_raise_empty_table_error(call, pattern):
    with pytest.raises(EmptyTableError, match=pattern):
        call()


def test_duplicate_region_labels_are_refused(small):
    with pytest.raises(InputError, match=r"row_tot has duplicate region label\(s\) \['A'\]"):
        ipf2(pd.Series([10, 20], index=["A", "A"]), [15, 15])
    s1, s2, b, d = small
    dup = s1.rename(columns={"S": "N"})
    with pytest.raises(InputError, match=r"stock_start has duplicate column label\(s\) \['N'\]"):
        ffs_demo(dup, s2, b, d)
    with pytest.raises(InputError, match=r"births has duplicate region label\(s\) \['N'\]"):
        ffs_demo(s1, s2, b.rename(index={"S": "N"}), d)


def test_repeated_pair_in_a_long_flow_table_is_refused():
    long = pd.DataFrame({"orig": ["A", "A", "B", "C", "A"], "dest": ["B", "C", "C", "A", "B"],
                         "flow": [1.0, 2.0, 3.0, 4.0, 5.0]})
    with pytest.raises(InputError, match=r"flows column 'flow' has duplicate .*\('A', 'B'\)"):
        index_connectivity(long)


def test_non_positive_distance_names_the_pair():
    flows = _labelled([[0, 1, 2], [3, 0, 4], [5, 6, 0]])
    dist = _labelled([[0, 1, 2], [1, 0, 0], [2, 3, 0]])
    with pytest.raises(InputError, match=r"dist must be positive off the diagonal, got 0 for 'B' -> 'C'"):
        index_distance(flows, dist)


# ---- finding 11: type errors and the optional scipy dependency ------------------------------------

@pytest.mark.parametrize(("call", "pattern"), [
    (lambda: index_intensity("10", 100, 3), r"mig_total must be a number, got '10' \(str\)"),
    (lambda: index_intensity(10, 100, 2.5), "n must be a whole number of regions"),
    (lambda: index_intensity(10, 100, 1), "n must be a whole number of regions, at least 2"),
    (lambda: index_intensity(10, 0, 3), "pop_total must be greater than 0"),
    (lambda: ipf2(["a", "b"], [1, 1]), "row_tot must hold numbers"),
    (lambda: cm_net_tot([5, -5], "1000", np.ones((2, 2))), "total must be a number"),
    (lambda: net_matrix_ipf([1, -1], np.ones((2, 2)), zero_mask=[[0, 1], [1, 0]]), "zero_mask must hold True/False"),
])
def test_wrong_types_raise_input_error(call, pattern):
    with pytest.raises(InputError, match=pattern):
        call()


@pytest.mark.parametrize(("call", "pattern"), [
    (lambda: ipf2([18, 20], [16, 22], tol=np.nan), "tol must be a finite number"),
    (lambda: ipf3(np.eye(2) * 3, np.eye(2) * 3, tol=0), "tol must be greater than 0"),
    (lambda: cm2([18, 20], [16, 22], max_iter=0), "max_iter must be a whole number"),
    (lambda: ffs_demo(np.eye(2) * 3, np.eye(2) * 3, margin_tol=-1), "margin_tol must be at least 0"),
    (lambda: cm_net([5, -5], zero_sum_tol=np.nan), "zero_sum_tol must be a finite number"),
])
def test_fit_settings_that_would_stop_a_loop_silently_are_refused(call, pattern):
    # ipf2 with tol=nan used to stop after one sweep and return an unconverged table without a word
    with pytest.raises(InputError, match=pattern):
        call()


@pytest.mark.parametrize("estimator", [net_matrix_lp, net_matrix_optim])
def test_missing_scipy_names_the_extra(monkeypatch, estimator):
    monkeypatch.setitem(sys.modules, "scipy.optimize", None)  # makes "import scipy.optimize" fail
    with pytest.raises(MissingDependencyError, match=r"needs scipy.*migstats\[flows\]") as info:
        estimator([5.0, -5.0])
    assert isinstance(info.value, MigstatsError) and isinstance(info.value, ImportError)


def test_importing_flows_and_indices_does_not_import_scipy():
    code = "import sys, migstats.flows, migstats.flows.indices; print('scipy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("estimate", [
    ffs_demo,
    ffs_diff,
    lambda s1, s2: ffs_rates(s1, s2, method="rogers-von-rabenau"),
], ids=["ffs_demo", "ffs_diff", "ffs_rates"])
def test_stock_tables_of_different_shapes(estimate):
    s1 = np.array([[10.0, 1.0], [2.0, 20.0]])
    s2 = np.array([[10.0, 1.0, 0.0], [2.0, 20.0, 1.0], [0.0, 1.0, 30.0]])
    with pytest.raises(InputError, match=r"stock tables differ in shape: \(2, 2\) vs \(3, 3\)"):
        estimate(s1, s2)
