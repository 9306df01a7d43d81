"""Where migest is silent or random, migstats raises, warns or is deterministic."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from migstats.errors import (
    ConvergenceError, ConvergenceWarning, IgnoredArgumentError, InputError, MarginMismatchError, MissingValueError,
)
from migstats.flows import (
    cm2, cm_net, ffs_demo, ffs_rates, ipf2, ipf3, net_matrix_ipf, rescale_integer_sum, rescale_net,
)
from migstats.flows.indices import index_connectivity

SMALL = "ffs_demo_small"


@pytest.fixture
def small(ref):
    return (ref.matrix(f"{SMALL}/input_stock_start.csv"), ref.matrix(f"{SMALL}/input_stock_end.csv"),
            ref.vector(f"{SMALL}/input_births.csv"), ref.vector(f"{SMALL}/input_deaths.csv"))


def test_ipf2_margin_mismatch_states_totals():
    with pytest.raises(MarginMismatchError, match=r"38 vs 39"):
        ipf2([18, 20], [16, 23])


def test_cm2_margin_mismatch():
    with pytest.raises(MarginMismatchError):
        cm2([18, 20], [16, 23])


def test_ipf3_birthplace_mismatch_names_region():
    s1 = pd.DataFrame([[10, 2], [3, 8]], index=["A", "B"], columns=["A", "B"])
    s2 = pd.DataFrame([[9, 3], [3, 9]], index=["A", "B"], columns=["A", "B"])
    with pytest.raises(MarginMismatchError, match="'B'"):
        ipf3(s1, s2)


def test_net_totals_must_sum_to_zero():
    with pytest.raises(MarginMismatchError, match="sum to zero"):
        cm_net([10, -5, 0], np.ones((3, 3)))
    with pytest.raises(MarginMismatchError):
        net_matrix_ipf([10, -5, 0], np.ones((3, 3)))


def test_ffs_demo_death_accounting_with_unbalanced_totals(ref, small):
    """Open method: no global matching, so death-by-birthplace totals cannot add up.

    migest's mipfp would silently return proportions for the death matrix.
    """
    s1, s2, _, d = small
    b_unbalanced = ref.vector(f"{SMALL}/input_births_unbalanced.csv")
    with pytest.raises(MarginMismatchError, match="death accounting"):
        ffs_demo(s1, s2, b_unbalanced, d, death_method="accounting", match_birthplace_tot_method="open")


def test_nonconvergence_raises_with_iterations_and_error(ref):
    m = ref.matrix("ipf2/input_s1_willekens_m.csv")
    with pytest.raises(ConvergenceError, match=r"in 3 iterations: last error"):
        ipf2([18, 20], [16, 22], m, max_iter=3)


def test_nonconvergence_can_warn(ref):
    m = ref.matrix("ipf2/input_s1_willekens_m.csv")
    with pytest.warns(ConvergenceWarning, match="did not converge in 3 iterations"):
        res = ipf2([18, 20], [16, 22], m, max_iter=3, on_nonconvergence="warn")
    assert res.iterations == 3 and res.error > 1e-5


def test_nonconvergence_in_ffs_demo_ipf(small):
    s1, s2, b, d = small
    with pytest.raises(ConvergenceError, match="ffs_demo"):
        ffs_demo(s1, s2, b, d, tol=1e-14, max_iter=2)


def test_ignored_arguments_are_errors(small):
    s1, s2, b, d = small
    with pytest.raises(IgnoredArgumentError, match="seed"):
        ffs_demo(s1, s2, b, d, seed=np.ones((4, 4)))
    with pytest.raises(IgnoredArgumentError, match="match_global"):
        ffs_demo(s1, s2, b, d, match_birthplace_tot_method="open", match_global="before-demo-adjust")
    with pytest.raises(IgnoredArgumentError, match="birth_non_negative"):
        ffs_demo(s1, s2, b, d, birth_method="proportion", birth_non_negative=True)
    with pytest.raises(IgnoredArgumentError, match="stock_end"):
        ffs_rates(s1, s2, method="dennett", total=10)
    with pytest.raises(IgnoredArgumentError, match="total"):
        ffs_rates(s1, s2, method="rogers-von-rabenau", total=10)


def test_unknown_method_names(small):
    s1, s2, b, d = small
    with pytest.raises(InputError, match="match_birthplace_tot_method"):
        ffs_demo(s1, s2, b, d, match_birthplace_tot_method="rescale-adjust-zero-fb")
    with pytest.raises(InputError, match="on_nonconvergence"):
        ipf2([1, 1], [1, 1], on_nonconvergence="ignore")


def test_missing_values_are_refused(small):
    s1, s2, b, d = small
    s1 = s1.copy()
    s1.iloc[1, 2] = np.nan
    with pytest.raises(MissingValueError, match=r"stock_start .* row 'S', column 'E'"):
        ffs_demo(s1, s2, b, d)


def test_missing_region_in_vector(small):
    s1, s2, b, d = small
    with pytest.raises(InputError, match="W"):
        ffs_demo(s1, s2, b.drop("W"), d)


def test_connectivity_matrix_needs_zero_diagonal():
    with pytest.raises(InputError, match="zero diagonal"):
        index_connectivity(np.ones((4, 4)))


def test_integer_rescaling_ties_are_deterministic():
    # 5, 5, 1 to 12: round(5 * 12/11) = 5, 5, round(1.09) = 1, sum 11; the residual 1 goes
    # to the FIRST of the two tied largest values (migest: a random one)
    for _ in range(3):
        np.testing.assert_array_equal(rescale_integer_sum([5, 5, 1], 12), [6, 5, 1])
    # rescale_net no-switches on (10, -10, 1): S+ = 11, S- = -10, d = 0.5 ->
    # 10 * 10.5/11 = 9.545, -10 * 10.5/10 = -10.5, 1 * 10.5/11 = 0.955; rounded (half to even)
    # 10, -10, 1 sums to 1, taken from the first of the tied largest |values| (10 and -10)
    got = rescale_net([10, -10, 1], integer_result=True)
    assert got.sum() == 0
    np.testing.assert_array_equal(got.to_numpy(), [9, -10, 1])


def test_no_silent_nan_when_a_row_is_empty():
    """A zero row target gives zero cells (IPF's 0/0 -> 0 rule), never NaN."""
    res = ipf2([0, 10], [4, 6], np.ones((2, 2)))
    assert np.isfinite(res.fitted.to_numpy()).all()
    np.testing.assert_allclose(res.fitted.to_numpy(), [[0, 0], [4, 6]])


def test_warn_policy_does_not_warn_when_converged(ref):
    m = ref.matrix("ipf2/input_s1_willekens_m.csv")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ipf2([18, 20], [16, 22], m, on_nonconvergence="warn")


def test_connectivity_warns_and_names_a_region_without_out_flows():
    import warnings

    import numpy as np
    import pandas as pd

    from migstats.errors import MigstatsWarning
    from migstats.flows.indices import index_connectivity

    regions = ["A", "B", "C", "D"]
    m = pd.DataFrame(np.array([[0, 5, 3, 2], [4, 0, 1, 6], [0, 0, 0, 0], [2, 2, 8, 0]], dtype=float),
                     index=regions, columns=regions)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = index_connectivity(m)
    messages = [str(w.message) for w in caught if issubclass(w.category, MigstatsWarning)]
    assert len(messages) == 1 and "no out-flows: C" in messages[0]
    assert not [w for w in caught if issubclass(w.category, RuntimeWarning)]
    assert np.isnan(out["mwg_orig"])
    # connectivity is unaffected: 9 non-zero flows among 4 * 3 = 12 possible pairs
    assert out["connectivity"] == 9 / 12
