"""ipf2, ipf3 (incl. quasi-independence), cm2 and cm3 against migest 2.0.5 outputs."""

from __future__ import annotations

import numpy as np
import pytest

from migstats.flows import cm2, cm3, ipf2, ipf3

# case -> (has row_tot, has col_tot, has m, README iterations, README final d_max)
IPF2_CASES = {
    "s1_willekens": (True, True, True, 12, 5.78519e-06),
    "s2_no_offset": (True, True, False, 2, 0.0),
    "s3_3x3_zero": (True, True, True, 20, 9.05636e-06),
    "s4_row_only": (True, False, True, 2, 0.0),
    "s5_col_only": (False, True, True, 2, 3.55271e-15),
}


@pytest.mark.parametrize("case", sorted(IPF2_CASES))
def test_ipf2_reference(ref, case):
    has_r, has_c, has_m, it, dmax = IPF2_CASES[case]
    base = f"ipf2/input_{case}"
    row_tot = ref.vector(f"{base}_row_tot.csv") if has_r else None
    col_tot = ref.vector(f"{base}_col_tot.csv") if has_c else None
    m = ref.matrix(f"{base}_m.csv") if has_m else None
    res = ipf2(row_tot, col_tot, m)
    expected = ref.matrix(f"ipf2/output_{case}_mu.csv")
    np.testing.assert_allclose(res.fitted.to_numpy(), expected.to_numpy(), rtol=1e-8, atol=1e-10)
    assert res.iterations == it
    assert res.error == pytest.approx(dmax, rel=1e-4, abs=1e-12)


def _p(ref):
    return ref.matrix("ipf3/input_small_P1.csv"), ref.matrix("ipf3/input_small_P2.csv")


def test_ipf3_default(ref):
    p1, p2 = _p(ref)
    res = ipf3(p1, p2)
    np.testing.assert_allclose(res.fitted.values, ref.array3("ipf3/output_small_default_mu.csv", list(p1.index)),
                               rtol=1e-8)
    assert res.iterations == 2


def test_ipf3_with_3d_offset(ref):
    p1, p2 = _p(ref)
    dis = ref.array3("ipf3/input_small_m_dis.csv")
    res = ipf3(p1, p2, dis)
    np.testing.assert_allclose(res.fitted.values, ref.array3("ipf3/output_small_dis_mu.csv"), rtol=1e-8)
    assert res.iterations == 10
    assert res.error == pytest.approx(2.69883e-06, rel=1e-4)


def test_ipf3_quasi_independence(ref):
    p1, p2 = _p(ref)
    res = ipf3(p1, p2, quasi_independence=True)
    np.testing.assert_allclose(res.fitted.values, ref.array3("ipf3/output_small_qi_mu.csv"), rtol=1e-8, atol=1e-9)
    # stayers are min(P1, P2) per birthplace
    for k in range(4):
        np.testing.assert_array_equal(np.diag(res.fitted.values[:, :, k]),
                                      np.minimum(p1.to_numpy()[k], p2.to_numpy()[k]))


def test_cm2_willekens(ref):
    res = cm2([18, 20], [16, 22], ref.matrix("cm2_cm3/input_small_m.csv"))
    n = ref.matrix("cm2_cm3/output_cm2_small_willekens_n.csv")
    np.testing.assert_allclose(res.fitted.to_numpy(), n.to_numpy(), rtol=1e-8)
    theta = ref.vector("cm2_cm3/output_cm2_small_willekens_theta.csv")
    np.testing.assert_allclose(res.theta.loc[theta.index].to_numpy(), theta.to_numpy(), rtol=1e-8)


def test_cm2_3x3(ref):
    res = cm2([170, 120, 410], [500, 140, 60], ref.matrix("cm2_cm3/input_3x3_m.csv"))
    n = ref.matrix("cm2_cm3/output_cm2_3x3_n.csv")
    np.testing.assert_allclose(res.fitted.to_numpy(), n.to_numpy(), rtol=1e-8, atol=1e-12)
    theta = ref.vector("cm2_cm3/output_cm2_3x3_theta.csv")
    np.testing.assert_allclose(res.theta.loc[theta.index].to_numpy(), theta.to_numpy(), rtol=1e-8)


def test_cm3_small(ref):
    m = ref.array3("ipf3/input_small_m_dis.csv")
    res = cm3([1110, 665, 960, 265], [1000, 700, 900, 400], m)
    np.testing.assert_allclose(res.fitted.values, ref.array3("cm2_cm3/output_cm3_small_n.csv"), rtol=1e-8)
    theta = ref.vector("cm2_cm3/output_cm3_small_theta.csv")
    np.testing.assert_allclose(res.theta.loc[theta.index].to_numpy(), theta.to_numpy(), rtol=1e-8)
