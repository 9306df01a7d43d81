"""index_* functions against migest 2.0.5 (closed forms: rtol 1e-9)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from migstats.flows.indices import (
    index_age, index_age_rc, index_connectivity, index_distance, index_impact, index_intensity,
    weighted_median,
)

RTOL = 1e-9


def _check(got: pd.Series, ref_series: pd.Series, rtol=RTOL):
    assert list(got.index) == list(ref_series.index)
    np.testing.assert_allclose(got.to_numpy(), ref_series.to_numpy(), rtol=rtol, atol=0)


def _impact_reference(ref) -> pd.Series:
    """migest's impact output, its misspelt measure 'effectivness' under migstats' name 'effectiveness'."""
    expected = ref.measures("index/output_impact_korea2020.csv")
    assert "effectivness" in expected.index
    return expected.rename(index={"effectivness": "effectiveness"})


@pytest.fixture(scope="module")
def korea(migest_ref):
    return pd.read_csv(migest_ref / "index" / "input_korea2020.csv")


def test_intensity(ref):
    _check(index_intensity(2534114, 51829023, 17), ref.measures("index/output_intensity_korea2020.csv"))
    _check(index_intensity(1234567, 5e7, 250), ref.measures("index/output_intensity_manual.csv"))


def test_intensity_long_layout(ref):
    got = index_intensity(1234567, 5e7, 250, long=True)
    assert list(got.columns) == ["measure", "value"]


def test_impact_korea(ref, korea):
    pop = korea.drop_duplicates("dest").set_index("dest")["dest_pop"]
    got = index_impact(korea[korea.orig != korea.dest], pop)
    _check(got, _impact_reference(ref))


def test_connectivity_korea_long_input_with_diagonal(ref, korea):
    _check(index_connectivity(korea), ref.measures("index/output_connectivity_korea2020.csv"))


@pytest.mark.parametrize(("corrected", "name"), [(True, "uar1960"), (False, "uar1960_uncorrected")])
def test_connectivity_uar(ref, corrected, name):
    uar = ref.matrix("index/input_uar1960_zero_diag.csv")
    _check(index_connectivity(uar, gini_corrected=corrected), ref.measures(f"index/output_connectivity_{name}.csv"))


def test_distance_korea(ref, korea):
    # decay is a Poisson-glm coefficient: R's IRLS stops at a relative deviance change of 1e-8
    got = index_distance(korea, korea, dist_col="dist_cent")
    _check(got, ref.measures("index/output_distance_korea2020.csv"), rtol=1e-8)


@pytest.mark.parametrize(("sample", "kwargs", "name"), [
    ("BRA2000", {}, "BRA2000"), ("FRA2006", {}, "FRA2006"),
    ("BRA2000", {"age_min": 10, "age_max": 50, "breadth": 3}, "BRA2000_alt")])
def test_age(ref, sample, kwargs, name):
    d = ref.long("index/input_ipumsi_age.csv")
    d = d[d["sample"] == sample]
    _check(index_age(d["age"], d["migrants"] / d["population"], **kwargs),
           ref.measures(f"index/output_age_{name}.csv"))


def test_age_rc_fund(ref):
    _check(index_age_rc(ref.vector("index/input_rc_model_fund.csv")), ref.measures("index/output_age_rc_fund.csv"))


def test_age_rc_un(ref):
    params = ref.long("index/input_rc_model_un.csv")
    expected = ref.long("index/output_age_rc_un.csv")
    for (schedule, sex), grp in params.groupby(["schedule", "sex"]):
        got = index_age_rc(grp.set_index("param")["value"])
        exp = expected[(expected["schedule"] == schedule) & (expected["sex"] == sex)]
        assert len(exp) == 5, (schedule, sex)
        _check(got, pd.Series(exp["value"].to_numpy(), index=exp["measure"].to_numpy()))


def test_weighted_median_hand_values():
    # x = 1, 2, 3 with weights 1, 1, 2: adjusted cumulative 0.5, 1.5, 3 against half 2
    # -> between 2 (1.5) and 3 (3): 2 + (2 - 1.5) / 1.5 = 2.3333...
    assert weighted_median([3, 1, 2], [2, 1, 1]) == pytest.approx(2 + 0.5 / 1.5)
    assert weighted_median([5.0], [3.0]) == 5.0


def test_impact_accepts_population_table_and_matrix(ref, korea):
    pop = korea.drop_duplicates("dest")[["dest", "dest_pop"]]
    expected = _impact_reference(ref)
    got = index_impact(korea[korea.orig != korea.dest], pop, reg_col="dest", pop_col="dest_pop")
    _check(got, expected)
    wide = korea[korea.orig != korea.dest].pivot(index="orig", columns="dest", values="flow").fillna(0.0)
    pop_series = pop.set_index("dest")["dest_pop"]
    _check(index_impact(wide, pop_series), expected)
