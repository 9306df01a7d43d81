"""Property tests: fitted margins reproduced, non-negativity, totals conserved, relabelling."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from migstats.flows import cm2, ffs_demo, ipf2, ipf3, net_matrix_ipf, sum_net, sum_region

SETTINGS = settings(max_examples=25, deadline=None)


@st.composite
def offsets_and_margins(draw):
    n = draw(st.integers(2, 6))
    k = draw(st.integers(2, 6))
    m = draw(arrays(float, (n, k), elements=st.floats(0.1, 100)))
    rows = draw(arrays(float, n, elements=st.floats(1, 1000)))
    cols = draw(arrays(float, k, elements=st.floats(1, 1000)))
    cols = cols * rows.sum() / cols.sum()
    perm_r = draw(st.permutations(range(n)))
    perm_c = draw(st.permutations(range(k)))
    return m, rows, cols, np.array(perm_r), np.array(perm_c)


@st.composite
def stock_pairs(draw, max_n=5):
    """Two pob x residence tables with equal birthplace (row) totals and strong diagonals."""
    n = draw(st.integers(2, max_n))
    s1 = draw(arrays(float, (n, n), elements=st.floats(1, 200)))
    s2 = draw(arrays(float, (n, n), elements=st.floats(1, 200)))
    diag = draw(arrays(float, n, elements=st.floats(500, 5000)))
    s1[np.arange(n), np.arange(n)] += diag
    s2[np.arange(n), np.arange(n)] += diag
    s2 *= (s1.sum(axis=1) / s2.sum(axis=1))[:, None]
    perm = np.array(draw(st.permutations(range(n))))
    return s1, s2, perm


@SETTINGS
@given(offsets_and_margins())
def test_ipf2_margins_nonneg_and_permutation(case):
    m, rows, cols, pr, pc = case
    res = ipf2(rows, cols, m, tol=1e-9, max_iter=10_000)
    fit = res.fitted.to_numpy()
    assert fit.min() >= 0
    np.testing.assert_allclose(fit.sum(axis=1), rows, atol=1e-6)
    np.testing.assert_allclose(fit.sum(axis=0), cols, atol=1e-6)
    permuted = ipf2(rows[pr], cols[pc], m[np.ix_(pr, pc)], tol=1e-9, max_iter=10_000).fitted.to_numpy()
    np.testing.assert_allclose(permuted, fit[np.ix_(pr, pc)], rtol=1e-6, atol=1e-6)


@SETTINGS
@given(offsets_and_margins())
def test_cm2_same_fixed_point_as_ipf2(case):
    m, rows, cols, _, _ = case
    a = cm2(rows, cols, m, tol=1e-12, max_iter=100_000).fitted.to_numpy()
    b = ipf2(rows, cols, m, tol=1e-9, max_iter=100_000).fitted.to_numpy()
    np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-5)


@SETTINGS
@given(stock_pairs(), st.booleans())
def test_ipf3_margins_and_relabelling(case, qi):
    s1, s2, perm = case
    res = ipf3(s1, s2, quasi_independence=qi, tol=1e-8, max_iter=10_000)
    mu = res.fitted.values
    assert mu.min() >= 0
    np.testing.assert_allclose(mu.sum(axis=1), s1.T, atol=1e-6)
    np.testing.assert_allclose(mu.sum(axis=0), s2.T, atol=1e-6)
    labels = [f"R{i}" for i in range(len(s1))]
    f1 = pd.DataFrame(s1, index=labels, columns=labels)
    f2 = pd.DataFrame(s2, index=labels, columns=labels)
    relabelled = [labels[i] for i in perm]
    again = ipf3(f1.loc[relabelled, relabelled], f2.loc[relabelled, relabelled],
                 quasi_independence=qi, tol=1e-8, max_iter=10_000)
    assert again.fitted.regions == relabelled
    np.testing.assert_allclose(again.fitted.values, mu[np.ix_(perm, perm, perm)], rtol=1e-6, atol=1e-6)


@SETTINGS
@given(stock_pairs())
def test_ffs_demo_conserves_stocks_and_permutes(case):
    s1, s2, perm = case
    n = len(s1)
    labels = [f"R{i}" for i in range(n)]
    f1 = pd.DataFrame(s1, index=labels, columns=labels)
    f2 = pd.DataFrame(s2, index=labels, columns=labels)
    res = ffs_demo(f1, f2)
    mu = res.fitted.values
    assert mu.min() >= 0
    # no births/deaths and equal birthplace totals: flows out of each residence by
    # birthplace reproduce the start stock, flows into it the end stock (mipfp tol 1e-3 per cell)
    np.testing.assert_allclose(mu.sum(axis=1), s1.T, atol=n * 1e-3)
    np.testing.assert_allclose(mu.sum(axis=0), s2.T, atol=n * 1e-3)
    np.testing.assert_allclose(mu.sum(), s1.sum(), rtol=1e-9)
    relabelled = [labels[i] for i in perm]
    again = ffs_demo(f1.loc[relabelled, relabelled], f2.loc[relabelled, relabelled])
    np.testing.assert_allclose(again.fitted.values, mu[np.ix_(perm, perm, perm)], atol=1e-6)
    od = again.od(zero_diagonal=True)
    assert list(od.index) == relabelled


@SETTINGS
@given(st.integers(3, 6), st.data())
def test_net_matrix_ipf_reproduces_net(n, data):
    m = data.draw(arrays(float, (n, n), elements=st.floats(1, 100)))
    net = data.draw(arrays(float, n, elements=st.floats(-50, 50)))
    net -= net.mean()
    res = net_matrix_ipf(net, m, tol=1e-12, max_iter=100_000)
    fit = res.fitted.to_numpy()
    assert fit.min() >= 0 and np.all(np.diag(fit) == 0)
    np.testing.assert_allclose(sum_net(fit), net, atol=1e-6)
    # the model n_ij = alpha_i m_ij / alpha_j: the alphas cancel in n_ij * n_ji = m_ij * m_ji
    np.testing.assert_allclose(fit * fit.T, np.where(np.eye(n, dtype=bool), 0.0, m * m.T), rtol=1e-8)
    # sum_region reads the fit back per region: in - out is the target, turnover the in + out sums
    summary = sum_region(res.fitted)
    np.testing.assert_allclose(summary["net"].to_numpy(), net, atol=1e-6)
    np.testing.assert_allclose(summary["turn"].to_numpy(), fit.sum(axis=0) + fit.sum(axis=1), rtol=1e-12)
