"""Uncertainty and sensitivity: reproducible, executor-independent, collapsing without uncertain choices."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pytest

from migstats.composite import build, sensitivity, uncertainty
from migstats.errors import InputError, UnknownNameError

CHOICES = dict(winmax_range=(0, 6), normalise_methods=["minmax", "rank"],
               aggregate_methods=["arithmetic", "geometric"], weight_spread=0.3)


@pytest.fixture(scope="module")
def skewed(small_framework):
    rng = np.random.default_rng(4)
    data = pd.DataFrame(rng.lognormal(0, 1.5, (40, 4)), columns=list("abcd"))
    data.insert(0, "code", [f"U{i:02d}" for i in range(40)])
    return data, small_framework()


def test_same_seed_same_draws_and_ranks(skewed):
    data, fw = skewed
    one = uncertainty(data, fw, draws=120, seed=11, normalise_range=(1, 100), **CHOICES)
    two = uncertainty(data, fw, draws=120, seed=11, normalise_range=(1, 100), **CHOICES)
    pd.testing.assert_frame_equal(one.ranks, two.ranks)
    pd.testing.assert_frame_equal(one.draws, two.draws)
    other = uncertainty(data, fw, draws=120, seed=12, normalise_range=(1, 100), **CHOICES)
    assert not one.ranks.equals(other.ranks)
    # every alternative was drawn, and the ranks did move
    assert set(one.draws["normalise"]) == {"minmax", "rank"} and set(one.draws["winmax"]) == set(range(7))
    assert one.summary()["mean_abs_shift"].max() > 0


def test_each_draw_is_the_index_built_with_its_choices(skewed):
    data, fw = skewed
    run = uncertainty(data, fw, draws=6, seed=5, normalise_range=(1, 100), **CHOICES)
    for i, draw in run.draws.iterrows():
        mult = draw[[c for c in run.draws.columns if c.startswith("w:")]].astype(float)
        weights = {c[2:]: fw.nodes[c[2:]].weight * m for c, m in mult.items()}
        rebuilt = build(data, fw, winmax=int(draw["winmax"]), normalise=draw["normalise"],
                        aggregate=draw["aggregate"], weights=weights, normalise_range=(1, 100))
        ranks = rebuilt.ranks()["Index"].astype(float)
        np.testing.assert_array_equal(run.ranks.loc[i].to_numpy(), ranks.reindex(run.ranks.columns).to_numpy())


def test_no_uncertain_choice_collapses_to_the_nominal_rank(skewed):
    data, fw = skewed
    run = uncertainty(data, fw, draws=25, seed=1)
    summary = run.summary()
    for col in ("median_rank", "rank_p05", "rank_p95"):
        assert (summary[col] == summary["nominal_rank"]).all()
    assert (summary["mean_abs_shift"] == 0).all()
    # a one-value alternative is no uncertainty either
    run = uncertainty(data, fw, draws=5, seed=1, winmax_range=(5, 5), normalise_methods=["minmax"])
    assert (run.summary()["rank_p95"] == run.summary()["nominal_rank"]).all()


def test_executors_give_identical_results(skewed):
    data, fw = skewed
    kw = dict(draws=110, seed=3, normalise_range=(1, 100), **CHOICES)
    base = uncertainty(data, fw, **kw).ranks
    with ThreadPoolExecutor(2) as pool:
        pd.testing.assert_frame_equal(uncertainty(data, fw, executor=pool, **kw).ranks, base)
    pd.testing.assert_frame_equal(uncertainty(data, fw, executor="process", **kw).ranks, base)


def test_dask_client_gives_identical_results(skewed):
    distributed = pytest.importorskip("distributed", reason="dask.distributed not installed (extra 'dask')")
    data, fw = skewed
    kw = dict(draws=60, seed=8, normalise_range=(1, 100), **CHOICES)
    base = uncertainty(data, fw, **kw).ranks
    with distributed.Client(processes=False, n_workers=1, threads_per_worker=2, dashboard_address=None) as client:
        pd.testing.assert_frame_equal(uncertainty(data, fw, executor=client, **kw).ranks, base)


def test_sensitivity_of_a_choice_that_changes_nothing_is_zero(skewed):
    data, fw = skewed
    si = sensitivity(data, fw, samples=64, seed=2, weight_spread=0.5, normalise_methods=["minmax", "dist2max"])
    # dist2max is minmax onto [0, 1]: a positive rescaling that no arithmetic mean can tell apart
    row = si.set_index("factor").loc["normalise"]
    assert abs(row["first_order"]) < 1e-12 and abs(row["total"]) < 1e-12
    weights = si.set_index("factor").loc["weights"]
    assert weights["total"] > 0.5
    assert si.attrs["runs"] == 64 * 4


def test_sensitivity_is_reproducible_and_needs_a_choice(skewed):
    data, fw = skewed
    kw = dict(samples=32, seed=6, normalise_range=(1, 100), **CHOICES)
    pd.testing.assert_frame_equal(sensitivity(data, fw, **kw), sensitivity(data, fw, **kw))
    with pytest.raises(InputError, match="at least one uncertain choice"):
        sensitivity(data, fw, samples=10)


@pytest.mark.parametrize("kw, error, message", [
    (dict(draws=0), InputError, "draws must be a positive whole number"),
    (dict(winmax_range=(3, 1)), InputError, "winmax_range"),
    (dict(weight_spread=1.5), InputError, "weight_spread"),
    (dict(normalise_methods=["minmax", "softmax"]), UnknownNameError, "unknown normalisation 'softmax'"),
    (dict(aggregate_methods=["median"]), UnknownNameError, "unknown aggregation 'median'"),
])
def test_bad_choices(skewed, kw, error, message):
    data, fw = skewed
    with pytest.raises(error, match=message):
        uncertainty(data, fw, **{"draws": 3, **kw})


def test_sobol_estimators_on_an_additive_model():
    """Y = X1 + 2 X2 + 0 X3, Xi ~ U(0, 1): S1 = 1/5, S2 = 4/5, S3 = 0, totals the same (no interaction)."""
    from migstats.composite.uncertainty import _sobol_indices

    n = 200_000
    rng = np.random.default_rng(0)
    a, b = rng.random((n, 3)), rng.random((n, 3))
    blocks = [a, b]
    for i in range(3):
        ab = a.copy()
        ab[:, i] = b[:, i]
        blocks.append(ab)
    y = np.concatenate([x[:, 0] + 2 * x[:, 1] for x in blocks])
    first, total, var = _sobol_indices(y, n, 3)
    np.testing.assert_allclose(first, [0.2, 0.8, 0.0], atol=0.02)
    np.testing.assert_allclose(total, [0.2, 0.8, 0.0], atol=0.02)
    assert var == pytest.approx(5 / 12, rel=0.03)


def test_weight_multipliers_spread_both_ways(skewed):
    data, fw = skewed
    run = uncertainty(data, fw, draws=400, seed=2, weight_spread=0.3)
    mult = run.draws[[c for c in run.draws.columns if c.startswith("w:")]].to_numpy()
    assert mult.min() >= 0.7 and mult.max() <= 1.3
    assert mult.min() < 0.71 and mult.max() > 1.29 and abs(mult.mean() - 1) < 0.01
