"""Properties of the stages that hold for any data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from migstats.composite import aggregate, build, normalise, pca_weights

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)
tables = arrays(np.float64, st.tuples(st.integers(3, 12), st.just(4)), elements=finite)


def as_frame(x):
    return pd.DataFrame(x, columns=list("abcd"), index=pd.Index([f"U{i}" for i in range(len(x))], name="code"))


def varied(x):
    return all(np.ptp(x[:, j]) > 1e-3 * max(1.0, np.abs(x[:, j]).max()) for j in range(x.shape[1]))


@pytest.mark.filterwarnings("ignore::migstats.errors.MigstatsWarning")  # flat columns are drawn too
@given(tables, st.floats(-50, 50), st.floats(1, 100))
def test_minmax_lands_in_its_range(small_framework, x, lo, width):
    out = normalise(as_frame(x), small_framework(), method="minmax", normalise_range=(lo, lo + width)).to_numpy()
    if varied(x):
        assert np.all(out >= lo - 1e-9 * width) and np.all(out <= lo + width + 1e-9 * width)
        np.testing.assert_allclose(out.min(axis=0), lo, atol=1e-9 * width)
        np.testing.assert_allclose(out.max(axis=0), lo + width, atol=1e-9 * width)


@given(tables)
def test_rank_based_normalisations_stay_in_range(small_framework, x):
    fw = small_framework()
    n = len(x)
    r = normalise(as_frame(x), fw, method="rank").to_numpy()
    p = normalise(as_frame(x), fw, method="prank").to_numpy()
    assert np.all((r >= 1) & (r <= n)) and np.all((p >= 0) & (p <= 1))


@settings(max_examples=40)
@given(tables, st.integers(0, 3), st.floats(1e-3, 1e3), st.sampled_from(["rank", "prank"]))
def test_ranks_invariant_to_positive_rescaling(small_framework, x, j, factor, method):
    fw = small_framework()
    scaled = x.copy()
    scaled[:, j] = scaled[:, j] * factor
    base = build(as_frame(x), fw, treat="none", normalise=method).ranks()
    again = build(as_frame(scaled), fw, treat="none", normalise=method).ranks()
    if np.array_equal(np.argsort(x[:, j], kind="stable"), np.argsort(scaled[:, j], kind="stable")):
        pd.testing.assert_frame_equal(base, again)


@settings(max_examples=40)
@given(tables, st.integers(0, 11), st.integers(0, 3), st.floats(0.01, 1e4),
       st.lists(st.floats(0.1, 10), min_size=4, max_size=4))
def test_raising_an_indicator_in_its_good_direction_never_lowers_the_score(small_framework, x, unit, j, step, w):
    fw = small_framework(weights=w)
    unit = unit % len(x)
    before = build(as_frame(x), fw, treat="none", normalise="none").scores()
    better = x.copy()
    better[unit, j] += step * fw.nodes["abcd"[j]].direction
    after = build(as_frame(better), fw, treat="none", normalise="none").scores()
    u = f"U{unit}"
    for code in ("P1" if j < 2 else "P2", "Index"):
        assert after.loc[u, code] >= before.loc[u, code] - 1e-9 * max(1.0, abs(before.loc[u, code]))


@given(st.lists(st.floats(0.01, 100), min_size=4, max_size=4), st.floats(-1e3, 1e3))
def test_weights_sum_to_one_within_each_aggregate(small_framework, w, c):
    """A unit whose children all score c gets c, whatever the weights: they are rescaled per aggregate."""
    fw = small_framework(weights=w)
    data = as_frame(np.full((2, 4), c))
    out = aggregate(data, fw, method="arithmetic")
    np.testing.assert_allclose(out[["P1", "P2", "Index"]].to_numpy(), c, rtol=1e-12, atol=1e-9)


@given(arrays(np.float64, (8, 4), elements=st.floats(-100, 100)))
def test_pca_weights_sum_to_one(small_framework, x):
    fw = small_framework()
    if all(np.std(x[:, j]) > 1e-3 for j in range(4)):
        w = pca_weights(as_frame(x), fw, aggregate="P1")
        assert abs(w.sum() - 1) < 1e-12 and (w >= 0).all()
