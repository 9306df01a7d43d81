"""Correlations, Cronbach's alpha, PCA, contributions, PCA weights and re-weighting, checked independently."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from migstats.composite import (
    build,
    contributions,
    correlations,
    cronbach_alpha,
    pca,
    pca_weights,
    reweight,
)
from migstats.errors import InputError


def test_pca_matches_the_svd_of_standardised_data(coinr_build):
    x = coinr_build.stages["Normalised"].iloc[:, :6]
    loadings, explained = pca(x)
    z = (x - x.mean()) / x.std(ddof=1)
    _, s, vt = np.linalg.svd(z.to_numpy(), full_matrices=False)
    np.testing.assert_allclose(explained.to_numpy(), s**2 / np.sum(s**2), rtol=1e-10)
    # same axes up to sign
    np.testing.assert_allclose(np.abs(loadings.to_numpy()), np.abs(vt.T), atol=1e-8)
    assert loadings["PC1"].sum() >= 0


def test_cronbach_alpha_from_the_covariance_matrix(coinr_build):
    alpha = cronbach_alpha(coinr_build)
    fw = coinr_build.framework
    for agg in ("Physical", "Social", "Conn", "Index"):
        c = coinr_build.stages["Aggregated"][fw.children(agg)].cov().to_numpy()
        k = len(c)
        assert alpha[agg] == pytest.approx(k / (k - 1) * (1 - np.trace(c) / c.sum()), rel=1e-12)


def test_correlations_across_levels(coinr_build):
    corr = correlations(coinr_build, level=2, against=4)
    assert corr.shape == (8, 1) and corr.columns.tolist() == ["Index"]
    agg = coinr_build.stages["Aggregated"]
    assert corr.loc["P2P", "Index"] == pytest.approx(np.corrcoef(agg["P2P"], agg["Index"])[0, 1], rel=1e-12)
    with pytest.raises(InputError, match="no level 7"):
        correlations(coinr_build, level=7)


def test_contributions_add_up_to_the_index(coinr_build):
    parts = contributions(coinr_build)
    np.testing.assert_allclose(parts.sum(axis=1), coinr_build.stages["Aggregated"]["Index"], rtol=1e-12)
    # LPI: one of 8 Physical indicators, Physical one of 5 Conn pillars, Conn one of 2 sub-indices (iMeta)
    lpi = coinr_build.stages["Normalised"]["LPI"]
    np.testing.assert_allclose(parts["LPI"], lpi / 8 / 5 / 2, rtol=1e-12)


def test_pca_weights_enter_the_aggregation(small_framework):
    rng = np.random.default_rng(1)
    data = pd.DataFrame(rng.normal(10, 2, (30, 4)), columns=list("abcd"),
                        index=pd.Index([f"U{i}" for i in range(30)], name="code"))
    data["b"] = data["a"] * 0.8 + rng.normal(0, 0.5, 30)
    res = build(data, small_framework(), treat="none", weights="pca")
    w = pca_weights(res.stages["Normalised"], small_framework(), aggregate="P1")
    assert res.weights[["a", "b"]].to_numpy() == pytest.approx(w.to_numpy())
    n = res.stages["Normalised"]
    np.testing.assert_allclose(res.scores()["P1"], n["a"] * w["a"] + n["b"] * w["b"], rtol=1e-12)


def test_reweight_a_level(small_framework):
    fw = small_framework()
    w = reweight(fw.weights(), fw, level=2, values={"P1": 3.0})
    assert w["P1"] == 3.0 and w["P2"] == 1.0 and w["a"] == 1.0
    with pytest.raises(InputError, match="'a' is not a node of level 2"):
        reweight(fw.weights(), fw, level=2, values={"a": 2.0})
    data = pd.DataFrame({"code": ["X", "Y"], "a": [0.0, 1], "b": [0.0, 1], "c": [0.0, 1], "d": [1.0, 0]})
    res = build(data, fw, treat="none", weights=w)
    # X is lowest on a and b (P1 = 0) and best on c (direction -1) and d (P2 = 100): (3 x 0 + 1 x 100) / 4
    assert res.scores().loc["X", "Index"] == pytest.approx(25.0)
    assert res.scores().loc["Y", "Index"] == pytest.approx(75.0)
