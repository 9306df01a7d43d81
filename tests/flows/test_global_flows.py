"""Global flows from the bundled UN tables: accounting identities, WPP check, migest parity, bad input, executors.

The expected values are worked out here from the inputs (population,
births, deaths, stocks read from the snapshot tables directly) or by hand,
never taken from the code under test.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from migstats.datasets.official import undesa_bilateral_countries, undesa_population_countries, wpp_vital
from migstats.errors import InputError, MissingValueError, SpanError, UnitError, UnknownCountryError, UnknownNameError
from migstats.flows import ffs_demo, ffs_diff, ffs_rates
from migstats.flows.world import (
    METHODS, PERIODS, compare_net_migration, country_totals, flow_array, global_flows, global_totals,
    independence_fit, parse_period, pseudo_bayes, pseudo_bayes_weights, region_flows, top_corridors,
    world_accounts,
)
from migstats.flows.world.methods import estimate_period

CLOSED = ("da_min_closed", "da_pb_closed")


@pytest.fixture(scope="session")
def accounts():
    return {p: world_accounts(p) for p in PERIODS}


@pytest.fixture(scope="session")
def grid():
    """Every period x method once for the whole session (about 30 s of the suite's time)."""
    return global_flows(periods="all", methods="all")


#: birthplace-level checks on the first, the busiest and the shortest period (the grid covers all)
ARRAY_PERIODS = ("1990-1995", "2015-2020", "2020-2024")


@pytest.fixture(scope="session")
def arrays(accounts):
    out = {}
    for p in ARRAY_PERIODS:
        acc = accounts[p]
        minimum = flow_array(acc, method="da_min_closed")
        out[p, "da_min_closed"] = minimum
        out[p, "da_pb_closed"] = flow_array(acc, method="da_pb_closed", minimum=minimum)
    return out


# --- assembly --------------------------------------------------------------------------------


def test_stock_columns_add_up_to_the_published_population(accounts):
    pop = undesa_population_countries().set_index(["code", "year"])["value"]
    for period, acc in accounts.items():
        start, end = (int(y) for y in period.split("-"))
        for table, year in ((acc.stock_start, start), (acc.stock_end, end)):
            expected = pop.xs(year, level="year").reindex(acc.codes)
            np.testing.assert_allclose(table.sum(axis=0).to_numpy(), expected.to_numpy(), rtol=1e-12)
            assert (table.to_numpy() >= 0).all()


def test_births_weight_the_end_years_by_half(accounts):
    vital = wpp_vital().set_index(["variable", "code", "year"])["value"]
    b = [vital["births", "JPN", y] for y in range(2015, 2021)]
    expected = 1000 * (0.5 * b[0] + sum(b[1:5]) + 0.5 * b[5])
    assert accounts["2015-2020"].births["JPN"] == pytest.approx(expected, rel=1e-12)
    # 2020-2024: four years, the 2024 half from the medium-variant projection
    d = [vital["deaths", "DEU", y] for y in range(2020, 2025)]
    assert accounts["2020-2024"].deaths["DEU"] == pytest.approx(1000 * (0.5 * d[0] + sum(d[1:4]) + 0.5 * d[4]), rel=1e-12)


def test_unknown_birthplace_is_shared_among_the_known_foreign_born(accounts):
    raw = undesa_bilateral_countries()
    usa = raw[(raw["dest_code"] == "USA") & (raw["year"] == 2015)]
    others = usa.loc[usa["orig_m49"] == 2003, "value"].sum()
    mex = usa.loc[usa["orig_code"] == "MEX", "value"].iloc[0]
    # every US migrant's birthplace is in the accounts (no Holy See-born counted), so the factor is
    # 1 + Others / (all migrants - Others)
    known = usa.loc[(usa["orig_m49"] != 2003) & (usa["orig_code"] != "VAT"), "value"].sum()
    assert accounts["2015-2020"].stock_start.loc["MEX", "USA"] == pytest.approx(mex * (1 + others / known), rel=1e-12)
    adj = accounts["2015-2020"].adjustments
    row = adj[(adj["code"] == "USA") & (adj["adjustment"] == "unknown_birthplace_distributed_2015")]
    assert row["value"].iloc[0] == pytest.approx(others + usa.loc[usa["orig_code"] == "VAT", "value"].sum())


def test_adjustments_are_recorded_and_explained(accounts):
    acc = accounts["2015-2020"]
    kinds = set(acc.adjustments["adjustment"])
    assert {"left_out_no_births_deaths", "births_deaths_from_parts", "global_balance"} <= kinds
    assert "VAT" not in acc.codes and "CHI" in acc.codes
    text = acc.explain()
    assert "global_balance" in text and "2015-2020" in text
    # the gap is world births minus deaths less world population change, recomputed here
    gap = (acc.births.sum() - acc.deaths.sum()) - (acc.stock_end.to_numpy().sum() - acc.stock_start.to_numpy().sum())
    recorded = acc.adjustments.loc[acc.adjustments["adjustment"] == "global_balance", "value"].iloc[0]
    assert recorded == pytest.approx(gap) and abs(gap) < 1e-3 * acc.births.sum()


def test_others_native_keeps_unknown_birthplaces_at_home():
    native = world_accounts("2015-2020", others="native")
    raw = undesa_bilateral_countries()
    mex = raw[(raw["dest_code"] == "USA") & (raw["year"] == 2015) & (raw["orig_code"] == "MEX")]["value"].iloc[0]
    assert native.stock_start.loc["MEX", "USA"] == mex


# --- accounting identities on the real data, every period and method ---------------------------


def test_flows_are_non_negative_and_never_to_self(grid):
    assert set(grid["method"].unique()) == set(METHODS) and set(grid["period"].unique()) == set(PERIODS)
    assert (grid["flow"] >= 0).all()
    assert not (grid["orig"] == grid["dest"]).any()
    n = grid.groupby(["period", "method"]).size()
    assert (n == 232 * 231).all()  # every ordered pair of the 232 countries and areas


def test_closed_methods_reproduce_each_countrys_population_change(grid, accounts):
    """Closed accounting: immigration - emigration = (P_end - P_start) - (births - deaths) for every
    country, up to the world gap between births minus deaths and population change (recorded as
    global_balance), which the native-born absorb."""
    totals = country_totals(grid[grid["method"].isin(CLOSED)])
    for period, acc in accounts.items():
        growth = acc.stock_end.sum(axis=0) - acc.stock_start.sum(axis=0) - (acc.births - acc.deaths)
        gap = abs(acc.adjustments.loc[acc.adjustments["adjustment"] == "global_balance", "value"].iloc[0])
        for method in CLOSED:
            net = totals[(totals["period"] == period) & (totals["method"] == method)].set_index("code")["net"]
            residual = (net - growth.reindex(net.index)).abs()
            assert residual.sum() <= gap + 2 * len(net), (period, method, residual.sum(), gap)


def test_closed_methods_keep_each_birthplace_alive_at_both_dates(arrays, accounts):
    """Per birthplace k, the people in the flow table (stayers included) are those born in k alive
    at the start after deaths, and at the end before births, up to half the birthplace mismatch of
    the published tables |dd_k|/2 (split between the two dates by the closed method), the share
    of the world gap put on k's native-born cells, and 2 persons of integer rounding."""
    for period in ARRAY_PERIODS:
        acc = accounts[period]
        s1, s2 = acc.stock_start.to_numpy(), acc.stock_end.to_numpy()
        deaths = s1 * (acc.deaths.to_numpy() / s1.sum(axis=0))  # deaths in proportion to the start stocks
        start = (s1 - deaths).sum(axis=1)
        end = s2.sum(axis=1) - acc.births.to_numpy()  # births are native-born
        dd = start - end
        gap = abs((acc.births.sum() - acc.deaths.sum()) - (s2.sum() - s1.sum()))
        native = np.diag(s1) / np.diag(s1).sum() + np.diag(s2) / np.diag(s2).sum()
        tolerance = gap * native + 2
        for method in CLOSED:
            alive = arrays[period, method].sum(axis=(0, 1))
            assert (np.abs(alive - (start + end) / 2) <= tolerance).all(), (period, method)
            assert np.abs(dd).max() > 1000  # the mismatch is real, so the split matters


def test_closed_methods_match_the_residence_stocks(arrays, accounts):
    """Summed over birthplaces, flows out of i (stayers included) are i's start population less its
    deaths, and flows into j its end population less its births, up to the world gap."""
    for period in ARRAY_PERIODS:
        acc = accounts[period]
        gap = abs(acc.adjustments.loc[acc.adjustments["adjustment"] == "global_balance", "value"].iloc[0])
        start = acc.stock_start.sum(axis=0).to_numpy() - acc.deaths.to_numpy()
        end = acc.stock_end.sum(axis=0).to_numpy() - acc.births.to_numpy()
        for method in CLOSED:
            y = arrays[period, method]
            assert np.abs(y.sum(axis=(1, 2)) - start).sum() <= gap + 2 * len(start)
            assert np.abs(y.sum(axis=(0, 2)) - end).sum() <= gap + 2 * len(end)


# --- WPP net migration ---------------------------------------------------------------------------


def test_closed_net_migration_against_wpp(grid):
    """WPP 2024 net migration for the same period (calendar years, half-weighted end years).

    The bound is tight for a reason: the population in the stock tables is WPP 2024's, and WPP's
    own balance is population change = births - deaths + net migration. A closed method's net
    migration is population change minus natural change (previous test), so it must agree with
    WPP up to the end-year weighting and the world gap: r > 0.999. For 2020-2024 WPP's estimates
    end in 2023 (no first half of 2024), so only r > 0.99 is asked. The open and stock-differencing
    methods carry no such constraint (r about 0.5-0.9) and are not bounded.
    """
    cmp = compare_net_migration(grid[grid["method"].isin(CLOSED)])
    for (period, method), r in cmp.attrs["correlation"].items():
        assert r > (0.99 if period == "2020-2024" else 0.999), (period, method, r)
    p = cmp[(cmp["period"] == "2015-2020") & (cmp["method"] == "da_pb_closed")]
    # largest difference: China, about 19 thousand of a net emigration of ~1.6 million (1 %)
    worst = p.loc[p["difference"].abs().idxmax()]
    assert abs(worst["difference"]) < 0.05 * p["wpp_net"].abs().max()


# --- against migest (ffs_demo and friends, reference-tested elsewhere) on a real slice -----------


SLICE = ["MEX", "USA", "CAN", "GTM", "DEU", "TUR"]


@pytest.fixture(scope="module")
def slice_accounts():
    return world_accounts("2010-2015", countries=SLICE, others="native")


def test_slice_methods_equal_the_migest_ports(slice_accounts):
    acc = slice_accounts
    s1, s2, b, d = acc.stock_start, acc.stock_end, acc.births, acc.deaths
    got = estimate_period(acc, list(METHODS))
    od = lambda res: res.fitted.values.sum(axis=2) * (1 - np.eye(len(SLICE)))  # noqa: E731
    expected = {
        "sd_drop_neg": ffs_diff(s1, s2, decrease="zero").fitted.to_numpy(),
        "sd_rev_neg": ffs_diff(s1, s2, decrease="return").fitted.to_numpy(),
        "da_min_closed": od(ffs_demo(s1, s2, b, d)),
        "da_min_open": od(ffs_demo(s1, s2, b, d, match_birthplace_tot_method="open-dr")),
    }
    for method, value in expected.items():
        np.testing.assert_allclose(got[method], value, rtol=0, atol=1e-6, err_msg=method)
    # the global total: absolute net migration, |population change - natural change| summed over countries
    net = (s2.sum(axis=0) - s1.sum(axis=0)) - (b - d)
    total = net.abs().sum()
    assert total > 0
    np.testing.assert_allclose(got["mig_rate"], ffs_rates(s1, method="dennett", total=total).fitted.to_numpy(),
                               atol=1e-6)


def test_independence_fit_is_ffs_demo_without_stayers(slice_accounts):
    acc = slice_accounts
    minimum = flow_array(acc, method="da_min_closed")
    direct = ffs_demo(acc.stock_start, acc.stock_end, acc.births, acc.deaths, stayer_assumption=False).fitted.values
    # both fit the same adjusted stocks; ffs_demo stops its IPF at tol=1e-3 persons per cell
    np.testing.assert_allclose(independence_fit(minimum), direct, rtol=1e-6, atol=1e-2)


# --- pseudo-Bayes by hand ------------------------------------------------------------------------


def test_pseudo_bayes_hand_example():
    """Two birthplaces, 2 countries. Birthplace 0: x = [[90, 0], [0, 10]], independence
    q = [[81, 9], [9, 1]] (row 90, 10 x column 90, 10 / 100). Proportions: sum p^2 = 0.82,
    sum (p - q)^2 = 4 x 0.09^2 = 0.0324, K = 0.18 / 0.0324 = 5.5556; n = 2 countries:
    w = 2 / 7.5556 = 0.26471. Birthplace 1 (x = q) has nothing to shrink: w = 1."""
    x = np.zeros((2, 2, 2))
    x[:, :, 0] = [[90, 0], [0, 10]]
    x[:, :, 1] = [[20, 20], [5, 5]]
    q = independence_fit(x)
    np.testing.assert_allclose(q[:, :, 0], [[81, 9], [9, 1]])
    np.testing.assert_allclose(q[:, :, 1], x[:, :, 1])
    w = pseudo_bayes_weights(x, q)
    assert w[0] == pytest.approx(2 / (2 + 0.18 / 0.0324), abs=1e-12)
    assert w[1] == 1.0
    y = pseudo_bayes(x, q)
    assert y[0, 1, 0] == pytest.approx(9 * (1 - w[0]), abs=1e-12)
    # margins kept, so the demographic account holds
    np.testing.assert_allclose(y.sum(axis=1), x.sum(axis=1))
    np.testing.assert_allclose(y.sum(axis=0), x.sum(axis=0))


def test_person_counts_as_sample_size_leave_the_minimum_table(arrays):
    """The naive pseudo-Bayes weight (sample size = persons) is 1 to within 1e-3 for every
    birthplace of more than a million people: the prior would be ignored."""
    x = arrays["2015-2020", "da_min_closed"]
    people = x.sum(axis=(0, 1))
    w = pseudo_bayes_weights(x, independence_fit(x), sample_size=people)
    assert (w[people > 1e6] > 1 - 1e-3).all()


def test_pseudo_bayes_sample_size_choices_by_hand():
    """Same birthplace as above (K = 0.18 / 0.0324 = 50/9), w = n / (n + K) for each choice of n:
    "countries" n = 2: 2 / (2 + 50/9) = 18/68; "persons" n = N = 100: 900/950 = 18/19;
    n = 10: 90/140 = 9/14. One n per birthplace is taken as given."""
    x = np.array([[[90.0], [0.0]], [[0.0], [10.0]]])
    q = independence_fit(x)
    assert pseudo_bayes_weights(x, q)[0] == pytest.approx(18 / 68, abs=1e-12)
    assert pseudo_bayes_weights(x, q, sample_size="countries")[0] == pytest.approx(18 / 68, abs=1e-12)
    assert pseudo_bayes_weights(x, q, sample_size="persons")[0] == pytest.approx(18 / 19, abs=1e-12)
    assert pseudo_bayes_weights(x, q, sample_size=10)[0] == pytest.approx(9 / 14, abs=1e-12)
    assert pseudo_bayes_weights(x, q, sample_size=[10.0])[0] == pytest.approx(9 / 14, abs=1e-12)
    assert pseudo_bayes(x, q, sample_size="persons")[0, 1, 0] == pytest.approx(9 / 19, abs=1e-12)


@pytest.mark.parametrize("bad, error", [("people", UnknownNameError), ("", UnknownNameError),
                                        (0, InputError), (-5, InputError), (float("nan"), InputError),
                                        (float("inf"), InputError), ([1.0, 2.0], InputError)])
def test_pseudo_bayes_sample_size_bad_values(bad, error):
    x = np.array([[[90.0], [0.0]], [[0.0], [10.0]]])
    with pytest.raises(error, match="sample size"):
        pseudo_bayes_weights(x, independence_fit(x), sample_size=bad)


@pytest.mark.parametrize("bad, error", [("people", UnknownNameError), (0, InputError), ("nan", UnknownNameError),
                                        ([10.0], InputError), (None, InputError)])
def test_global_flows_rejects_a_bad_sample_size_before_estimating(bad, error):
    with pytest.raises(error, match="sample size"):
        global_flows("2015-2020", pb_sample_size=bad)


def test_global_flows_reports_and_applies_the_sample_size(grid):
    """The default (n = countries) is the grid's da_pb_closed, and attrs say it is unverified;
    n = persons gives the minimum-migration total to 1e-4 (weights 1 to 1e-3, and the
    birthplaces under a million people carry few moves); the cache keeps the two apart."""
    one = grid[grid["period"] == "2015-2020"]
    assert grid.attrs["pseudo_bayes"]["sample_size"] == "countries"
    assert "unverified" in grid.attrs["pseudo_bayes"]["status"]
    assert "not verified" in grid.attrs["notes"]["da_pb_closed"]
    persons = global_flows("2015-2020", methods=["da_pb_closed"], pb_sample_size="persons")
    assert persons.attrs["pseudo_bayes"]["sample_size"] == "persons"
    minimum = one[one["method"] == "da_min_closed"]["flow"].sum()
    assert persons["flow"].sum() == pytest.approx(minimum, rel=1e-4)
    default = global_flows("2015-2020", methods=["da_pb_closed"])
    assert default["flow"].sum() == pytest.approx(one[one["method"] == "da_pb_closed"]["flow"].sum(), rel=1e-12)
    assert default["flow"].sum() > 1.5 * persons["flow"].sum()
    assert "pseudo_bayes" not in global_flows("2015-2020", method="sd_drop_neg").attrs


def test_pseudo_bayes_total_lies_between_its_two_fits(grid, arrays):
    x = arrays["2015-2020", "da_min_closed"]
    move = lambda a: a.sum() - np.einsum("iik->", a)  # noqa: E731
    lo, hi = move(x), move(independence_fit(x))
    totals = global_totals(grid[grid["period"] == "2015-2020"]).set_index("method")["flow"]
    assert lo == pytest.approx(totals["da_min_closed"], rel=1e-9)
    assert lo < totals["da_pb_closed"] < hi


# --- summaries -----------------------------------------------------------------------------------


def test_summaries_agree_with_the_country_table(grid):
    one = grid[(grid["period"] == "2015-2020") & (grid["method"] == "da_pb_closed")]
    totals = global_totals(one)
    assert totals["flow"].iloc[0] == pytest.approx(one["flow"].sum())
    pop = undesa_population_countries()
    world = pop[(pop["year"] == 2015) & pop["code"].isin(one["orig"].unique())]["value"].sum()
    assert totals["share"].iloc[0] == pytest.approx(one["flow"].sum() / world)
    top = top_corridors(one, top=10)
    assert list(top["rank"]) == list(range(1, 11))
    assert top["flow"].iloc[0] == one["flow"].max()
    regions = region_flows(one)
    assert regions["flow"].sum() < one["flow"].sum()  # moves within a region are dropped by default
    assert region_flows(one, within=True)["flow"].sum() == pytest.approx(one["flow"].sum())
    europe_out = regions[regions["orig"] == "Europe"]["flow"].sum()
    assert europe_out > 1e6  # no more "Europe: out 0"


# --- bad input -----------------------------------------------------------------------------------


@pytest.mark.parametrize("period", ["2025-2030", "1985-1990", "2015-2019", "recent"])
def test_a_period_the_data_do_not_cover(period):
    with pytest.raises(SpanError, match="not covered"):
        global_flows(period)


def test_periods_are_read_as_users_write_them():
    assert parse_period("2015–2020")[0] == "2015-2020"
    assert parse_period("2015-20")[0] == "2015-2020"


def test_an_unknown_method():
    with pytest.raises(UnknownNameError, match="da_pb_open"):
        global_flows("2015-2020", method="da_pb_open")
    with pytest.raises(UnknownNameError, match="others"):
        world_accounts("2015-2020", others="drop")
    with pytest.raises(UnknownNameError, match="demographic-accounting"):
        flow_array(world_accounts("2015-2020", countries=SLICE[:3], others="native"), method="sd_drop_neg")


def test_a_country_missing_from_one_input():
    vital = wpp_vital()
    with pytest.raises(InputError, match="GTM has no births or deaths"):
        world_accounts("2015-2020", countries=SLICE, vital=vital[vital["code"] != "GTM"])
    pop = undesa_population_countries()
    with pytest.raises(InputError, match="TUR is not in the population"):
        world_accounts("2015-2020", countries=SLICE, population=pop[pop["code"] != "TUR"])
    with pytest.raises(MissingValueError, match="births for M49 320 in 2017"):
        world_accounts("2015-2020", countries=SLICE, vital=vital[~((vital["code"] == "GTM") & (vital["year"] == 2017)
                                                                   & (vital["variable"] == "births"))])
    with pytest.raises(UnknownCountryError, match="Atlantis"):
        world_accounts("2015-2020", countries=["Atlantis"])


def test_inconsistent_units():
    vital = wpp_vital()
    with pytest.raises(UnitError):
        world_accounts("2015-2020", countries=SLICE, vital=vital.assign(unit="million USD"))
    pop = undesa_population_countries()
    # thousands are converted, not taken as persons
    thousands = pop.assign(value=pop["value"] / 1000, unit="thousand person")
    acc = world_accounts("2015-2020", countries=SLICE, population=thousands, others="native")
    assert acc.stock_start.sum(axis=0)["USA"] == pytest.approx(
        pop[(pop["code"] == "USA") & (pop["year"] == 2015)]["value"].iloc[0], rel=1e-12)


def test_summaries_refuse_other_tables():
    with pytest.raises(InputError, match="global_flows"):
        country_totals(pd.DataFrame({"orig": ["A"], "dest": ["B"]}))
    with pytest.raises(InputError, match="top"):
        top_corridors(pd.DataFrame(columns=["period", "orig", "dest", "flow", "method"]), top=0)
    with pytest.raises(UnknownNameError):
        region_flows(pd.DataFrame(columns=["period", "orig", "dest", "flow", "method"]), level="continent")


# --- executors ------------------------------------------------------------------------------------


def test_dask_client_gives_the_same_table_bit_for_bit():
    distributed = pytest.importorskip("distributed", reason="dask.distributed not installed (extra migstats[dask])")
    kwargs = dict(periods=["1995-2000", "2020-2024"], methods=["da_min_open", "sd_rev_neg"])
    sequential = global_flows(**kwargs)
    with distributed.Client(processes=False, n_workers=1, threads_per_worker=2, dashboard_address=None) as client:
        remote = global_flows(**kwargs, executor=client)
    pd.testing.assert_frame_equal(sequential, remote, check_exact=True)
