"""Net-to-bilateral estimators, rescale_net and summaries against migest 2.0.5."""

from __future__ import annotations

import numpy as np
import pytest

from migstats.errors import IgnoredArgumentError

from migstats.flows import (
    cm_net, cm_net_tot, multi_comp, net_matrix_entropy, net_matrix_ipf, net_matrix_lp,
    net_matrix_optim, rescale_net, sum_bilat, sum_net, sum_od, sum_region,
)

NS = "net_and_summaries"


@pytest.fixture
def net5(ref):
    return ref.vector(f"{NS}/input_net5.csv"), ref.matrix(f"{NS}/input_m5.csv")


def test_cm_net(ref, net5):
    net, m = net5
    res = cm_net(net, m)
    np.testing.assert_allclose(res.fitted.to_numpy(), ref.matrix(f"{NS}/output_cm_net_n.csv").to_numpy(),
                               rtol=1e-8)
    theta = ref.vector(f"{NS}/output_cm_net_theta.csv")
    np.testing.assert_allclose(res.alpha.to_numpy(), theta.to_numpy(), rtol=1e-8)
    # README: max abs net error 0.000122
    assert np.abs(sum_net(res.fitted) - net.to_numpy()).max() == pytest.approx(0.000122, rel=1e-2)


def test_cm_net_tot(ref, net5):
    net, m = net5
    res = cm_net_tot(net, 1000, m)
    np.testing.assert_allclose(res.fitted.to_numpy(),
                               ref.matrix(f"{NS}/output_cm_net_tot_n.csv").to_numpy(), rtol=1e-8)
    theta = ref.vector(f"{NS}/output_cm_net_tot_theta.csv")
    np.testing.assert_allclose(np.append(res.alpha.to_numpy(), res.scale), theta.to_numpy(), rtol=1e-8)


def test_net_matrix_ipf(ref, net5):
    net, m = net5
    res = net_matrix_ipf(net, m)
    np.testing.assert_allclose(res.fitted.to_numpy(),
                               ref.matrix(f"{NS}/output_net_matrix_ipf_n.csv").to_numpy(), rtol=1e-8)
    assert res.iterations == 18


def test_net_matrix_entropy(ref, net5):
    net, m = net5
    res = net_matrix_entropy(net, m)
    expected = ref.matrix(f"{NS}/output_net_matrix_entropy_n.csv").to_numpy()
    np.testing.assert_allclose(res.fitted.to_numpy(), expected, atol=1e-4)
    np.testing.assert_allclose(sum_net(res.fitted), net.to_numpy(), atol=1e-8)


def test_net_matrix_lp_objective_and_constraints(ref, net5):
    net, m = net5
    res = net_matrix_lp(net)
    expected = ref.matrix(f"{NS}/output_net_matrix_lp_n.csv").to_numpy()
    got = res.fitted.to_numpy()
    assert got.sum() == pytest.approx(expected.sum(), abs=1e-8)
    np.testing.assert_allclose(sum_net(got), net.to_numpy(), atol=1e-8)
    assert got.min() >= 0 and np.all(np.diag(got) == 0)
    assert list(res.fitted.index) == list(net.index)
    # migest's LP never uses m: passing a prior is an error here
    with pytest.raises(IgnoredArgumentError):
        net_matrix_lp(net, m)


def test_net_matrix_optim_constraints(ref, net5):
    net, m = net5
    res = net_matrix_optim(net, m)
    got = res.fitted.to_numpy()
    np.testing.assert_allclose(sum_net(got), net.to_numpy(), atol=1e-6)
    assert got.min() >= 0 and np.all(np.diag(got) == 0)
    # migest's own L-BFGS-B solution, checked the same way
    np.testing.assert_allclose(sum_net(ref.matrix(f"{NS}/output_net_matrix_optim_n.csv")), net.to_numpy(),
                               atol=1e-6)


@pytest.mark.parametrize(("method", "name"), [("no-switches", "noswitch"), ("switches", "switch")])
def test_rescale_net(ref, method, name):
    got = rescale_net([30, 45, -50, -55, 35], method=method, integer_result=False)
    np.testing.assert_allclose(got.to_numpy(), ref.vector(f"{NS}/output_rescale_net_{name}.csv").to_numpy(),
                               rtol=1e-9)
    assert got.sum() == pytest.approx(0, abs=1e-9)


def test_sum_region(ref, net5):
    _, m = net5
    got = sum_region(m)
    expected = ref.long(f"{NS}/output_sum_region_m5.csv")
    assert list(got["region"]) == list(expected["region"])
    cols = ["out_mig", "in_mig", "turn", "net"]
    np.testing.assert_allclose(got[cols].to_numpy(), expected[cols].to_numpy(dtype=float), rtol=1e-9)
    np.testing.assert_allclose(sum_net(m).to_numpy(), expected["net"].to_numpy(dtype=float), rtol=1e-9)


def test_sum_bilat(ref, net5):
    _, m = net5
    got = sum_bilat(m)
    expected = ref.long(f"{NS}/output_sum_bilat_m5.csv")
    for col in ["orig", "dest", "corridor", "pair"]:
        assert list(got[col]) == list(expected[col].astype(str)), col
    num = ["flow", "counter_flow", "net_flow", "interchange"]
    np.testing.assert_allclose(got[num].to_numpy(), expected[num].to_numpy(dtype=float), rtol=1e-9)


def test_multi_comp(ref):
    uar = ref.matrix(f"{NS}/input_uar1960.csv")
    expected = ref.matrix(f"{NS}/output_multi_comp_uar1960.csv")
    got = multi_comp(uar)
    assert list(got.index) == list(expected.index) and list(got.columns) == list(expected.columns)
    np.testing.assert_allclose(got.to_numpy(), expected.to_numpy(), rtol=1e-9)


def test_sum_od_margins_matches_paper_example(ref):
    """sum_od with margins reproduces output_e0_sum_od.csv from the e0 flow array."""
    flow = ref.array3("ffs_demo_paper_examples/output_e0_flow.csv")
    expected = ref.matrix("ffs_demo_paper_examples/output_e0_sum_od.csv")
    got = sum_od(flow, margins=True)
    np.testing.assert_allclose(got.to_numpy(), expected.to_numpy(), atol=1e-9)
