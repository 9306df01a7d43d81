"""Spec files and the bundled exposure index, checked against the bundled CSVs read directly."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from migstats.composite import build, exposure_spec_path, load_spec
from migstats.errors import ValidationError


@pytest.fixture(scope="module")
def exposure():
    return load_spec()


def test_exposure_raw_values_are_the_bundled_figures(exposure):
    official = exposure_spec_path().parents[1] / "official"
    usd = pd.read_csv(official / "wdi_remittances_usd.csv")
    pct = pd.read_csv(official / "wdi_remittances_pct_gdp.csv")
    dest = pd.read_csv(official / "undesa_stock_destination.csv")
    orig = pd.read_csv(official / "undesa_stock_origin.csv")
    pop = pd.read_csv(official / "undesa_population_countries.csv")

    def one(table, code, year):
        return float(table[(table.code == code) & (table.year == year)]["value"].iloc[0])

    res = build(exposure.data, exposure.framework, **exposure.choices)
    den = res.stages["Denominated"]
    for code in ("MEX", "PHL", "NPL", "DEU"):
        p = one(pop, code, 2024)
        assert den.loc[code, "rem_gdp"] == pytest.approx(one(pct, code, 2023) / 100, rel=1e-15)
        assert den.loc[code, "rem_pc"] == pytest.approx(one(usd, code, 2023) / p, rel=1e-15)
        assert den.loc[code, "imm_share"] == pytest.approx(one(dest, code, 2024) / p, rel=1e-15)
        assert den.loc[code, "emi_share"] == pytest.approx(one(orig, code, 2024) / p, rel=1e-15)
    # Mexico: about US$66 billion over about 130 million people
    assert 450 < den.loc["MEX", "rem_pc"] < 560


def test_exposure_screening_and_no_aggregates(exposure):
    res = build(exposure.data, exposure.framework, **exposure.choices)
    screened = res.stages["Screened"]
    assert (screened.notna().sum(axis=1) >= 3).all()
    assert not screened.index.str.fullmatch(r"\d+").any()  # no M49 region rows
    assert len(screened) == 200


def test_spec_with_a_data_file(tmp_path):
    (tmp_path / "d.csv").write_text("code,x,y\nA,1,5\nB,2,3\nC,3,1\n")
    spec = tmp_path / "s.toml"
    spec.write_text('[index]\ncode = "I"\n[data]\nfile = "d.csv"\n[choices]\ntreat = "none"\n'
                    '[[indicator]]\ncode = "x"\nparent = "I"\n[[indicator]]\ncode = "y"\nparent = "I"\nweight = 3\n')
    s = load_spec(spec)
    res = build(s.data, s.framework, **s.choices)
    # x and y both rise A -> C? no: y falls; with weight 3, C = (100 + 0) / 4 and A = (0 + 300) / 4
    np.testing.assert_allclose(res.scores()["I"].to_numpy(), [75.0, 50.0, 25.0])


@pytest.mark.parametrize("extra, message", [
    ('[choices]\nnormalize = "minmax"\n', "unknown choice 'normalize'"),
    ('[uncertainty]\ndraw = 10\n', "unknown key 'draw'"),
])
def test_spec_errors_name_the_file(tmp_path, extra, message):
    (tmp_path / "d.csv").write_text("code,x\nA,1\n")
    spec = tmp_path / "bad.toml"
    spec.write_text(f'[index]\ncode = "I"\n[data]\nfile = "d.csv"\n{extra}[[indicator]]\ncode = "x"\nparent = "I"\n')
    with pytest.raises(ValidationError, match=rf"bad.toml: .*{message}"):
        load_spec(spec)


def test_framework_table_round_trip(exposure, coinr_inputs):
    from migstats.composite import Framework

    for fw in (exposure.framework, coinr_inputs[1]):
        table = fw.to_frame()
        pd.testing.assert_frame_equal(Framework.from_frame(table).to_frame(), table)
    assert exposure.framework.depth == 3 and coinr_inputs[1].depth == 4
