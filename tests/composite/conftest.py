"""COINr 1.1.14 reference chain (reference/coinr/, see its README) and small frameworks."""

from __future__ import annotations

import pandas as pd
import pytest

from migstats.composite import Framework


@pytest.fixture(scope="session")
def coinr_dir(shared_dir):
    folder = shared_dir / "reference" / "coinr"
    if not (folder / "input_iData.csv").is_file():
        pytest.fail(f"COINr reference files missing under {folder}")
    return folder


@pytest.fixture(scope="session")
def coinr_inputs(coinr_dir):
    data = pd.read_csv(coinr_dir / "input_iData.csv")
    meta = pd.read_csv(coinr_dir / "input_iMeta.csv")
    return data, Framework.from_coinr(meta)


@pytest.fixture(scope="session")
def coinr_build(coinr_inputs):
    from migstats.composite import build

    data, fw = coinr_inputs
    # COINr's build_example_coin(): the calls of the README, as build() choices
    return build(data, fw, impute="mean", impute_by="EurAsia_group", screen_threshold=0.9, winmax=5,
                 normalise="minmax", normalise_range=(0, 100), aggregate="arithmetic")


@pytest.fixture(scope="session")
def small_framework():
    """A factory: two pillars of two indicators under one index."""
    return _small_framework


def _small_framework(directions=(1, 1, -1, 1), weights=(1, 2, 1, 1)) -> Framework:
    """Two pillars of two indicators under one index."""
    return Framework.from_frame(pd.DataFrame({
        "code": ["a", "b", "c", "d", "P1", "P2", "Index"],
        "role": ["indicator"] * 4 + ["aggregate"] * 3,
        "parent": ["P1", "P1", "P2", "P2", "Index", "Index", None],
        "direction": list(directions) + [1, 1, 1],
        "weight": list(weights) + [1, 1, 1],
    }))
