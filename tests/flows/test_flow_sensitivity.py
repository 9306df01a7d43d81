"""Input-perturbation draws of the global flows: the error model, reproducibility, executors, summaries, bad input.

The expected values are worked out here: the error model from the moments
of the perturbed inputs, the summaries from the kept draws through another
route (pandas group sums, sorting), the point estimate from global_flows.
Most tests use a slice of six countries so that a draw takes milliseconds.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pytest

from migstats.errors import InputError, MemoryBudgetError, SpanError, UnknownNameError
from migstats.flows.world import flow_sensitivity, global_flows, perturb_accounts, world_accounts

# Qatar's 2015 population is 86 % foreign-born: large stock errors make some draws infeasible
SLICE = ["QAT", "IND", "NPL", "BGD", "MEX", "USA"]
SMALL = dict(countries=SLICE, draws=4, seed=7)


def _tables(run):
    return [run.totals, run.countries, run.corridors, run.infeasible]


def _assert_same(a, b):
    for x, y in zip(_tables(a), _tables(b)):
        pd.testing.assert_frame_equal(x, y, check_exact=True)
    assert a.draw_ids == b.draw_ids


@pytest.fixture(scope="module")
def world():
    return world_accounts("2015-2020")


# --- the error model -------------------------------------------------------------------------------


def test_stock_errors_have_the_stated_mean_cv_and_correlation(world):
    cv, rho = 0.2, 0.6
    draw = perturb_accounts(world, seed=3, stock_cv=cv, vital_cv=0.05, stock_correlation=rho)
    n = len(world.codes)
    off = ~np.eye(n, dtype=bool)
    s1, s2 = world.stock_start.to_numpy(), world.stock_end.to_numpy()
    p1, p2 = draw.stock_start.to_numpy(), draw.stock_end.to_numpy()
    both = off & (s1 > 0) & (s2 > 0)
    r1, r2 = p1[both] / s1[both], p2[both] / s2[both]
    assert len(r1) > 5000
    sigma = np.sqrt(np.log1p(cv ** 2))
    # mean 1 and CV cv of the factors; sd sigma and correlation rho of their logs (4 standard errors)
    se = cv / np.sqrt(len(r1))
    assert abs(r1.mean() - 1) < 4 * se and abs(r2.mean() - 1) < 4 * se
    assert r1.std() == pytest.approx(cv, rel=0.06)
    assert np.log(r1).std() == pytest.approx(sigma, rel=0.04)
    assert np.corrcoef(np.log(r1), np.log(r2))[0, 1] == pytest.approx(rho, abs=0.03)
    # no stock where none is published; columns still add up to the published population
    assert (p1[off & (s1 == 0)] == 0).all()
    np.testing.assert_allclose(p1.sum(axis=0), s1.sum(axis=0), rtol=1e-12)
    np.testing.assert_allclose(p2.sum(axis=0), s2.sum(axis=0), rtol=1e-12)
    assert (p1 >= 0).all() and (p2 >= 0).all()
    b = draw.births.to_numpy() / world.births.to_numpy()
    d = draw.deaths.to_numpy() / world.deaths.to_numpy()
    assert b.std() == pytest.approx(0.05, rel=0.25) and d.std() == pytest.approx(0.05, rel=0.25)
    assert np.corrcoef(b, d)[0, 1] == pytest.approx(0, abs=0.2)


def test_population_error_is_one_level_factor_for_both_dates(world):
    draw = perturb_accounts(world, seed=4, stock_cv=0, vital_cv=0, population_cv=0.01)
    g1 = draw.stock_start.sum().to_numpy() / world.stock_start.sum().to_numpy()
    g2 = draw.stock_end.sum().to_numpy() / world.stock_end.sum().to_numpy()
    np.testing.assert_allclose(g1, g2, rtol=1e-12)
    assert g1.std() == pytest.approx(0.01, rel=0.15)
    # only the native-born take up the change: the foreign-born cells are as published
    off = ~np.eye(len(world.codes), dtype=bool)
    assert (draw.stock_start.to_numpy()[off] == world.stock_start.to_numpy()[off]).all()


def test_zero_errors_leave_the_accounts_exactly_as_published(world):
    same = perturb_accounts(world, seed=5, stock_cv=0, vital_cv=0, population_cv=0, stock_correlation=0.3)
    for a, b in ((same.stock_start, world.stock_start), (same.stock_end, world.stock_end)):
        assert (a.to_numpy() == b.to_numpy()).all()
    assert same.births.equals(world.births) and same.deaths.equals(world.deaths)


def test_an_infeasible_draw_names_the_country():
    acc = world_accounts("2015-2020", countries=SLICE)
    with pytest.raises(InputError, match="more foreign-born than people in QAT"):
        perturb_accounts(acc, seed=1, stock_cv=0, population_cv=10)


# --- reproducibility and executors -----------------------------------------------------------------


def test_same_seed_same_draws_other_seed_other_draws():
    a = flow_sensitivity("2015-2020", method="da_min_closed", **SMALL)
    _assert_same(a, flow_sensitivity("2015-2020", method="da_min_closed", **SMALL))
    other = flow_sensitivity("2015-2020", method="da_min_closed", **{**SMALL, "seed": 8})
    assert other.totals["mean"].iloc[0] != a.totals["mean"].iloc[0]
    assert a.totals.attrs["seed"] == 7 and a.totals.attrs["stock_cv"] == 0.1


def test_a_generator_seed_is_recorded_so_the_run_can_be_repeated():
    run = flow_sensitivity("2015-2020", method="sd_drop_neg", countries=SLICE, draws=2, seed=np.random.default_rng(9))
    entropy = run.totals.attrs["seed"]
    assert isinstance(entropy, int)
    _assert_same(run, flow_sensitivity("2015-2020", method="sd_drop_neg", countries=SLICE, draws=2, seed=entropy))
    fresh = flow_sensitivity("2015-2020", method="sd_drop_neg", countries=SLICE, draws=2)
    again = flow_sensitivity("2015-2020", method="sd_drop_neg", countries=SLICE, draws=2, seed=fresh.totals.attrs["seed"])
    _assert_same(fresh, again)


def test_draw_k_does_not_depend_on_the_number_of_draws_and_draws_differ():
    few = flow_sensitivity("2015-2020", method="sd_rev_neg", countries=SLICE, draws=2, seed=11, keep_draws=True)
    many = flow_sensitivity("2015-2020", method="sd_rev_neg", countries=SLICE, draws=5, seed=11, keep_draws=True)
    np.testing.assert_array_equal(few.flows["sd_rev_neg"], many.flows["sd_rev_neg"][:2])
    values = many.flows["sd_rev_neg"].reshape(5, -1)
    assert len({v.tobytes() for v in values}) == 5


def test_draw_k_uses_child_k_of_the_seed_sequence():
    run = flow_sensitivity("2015-2020", method="sd_drop_neg", countries=SLICE, draws=3, seed=21, keep_draws=True)
    acc = world_accounts("2015-2020", countries=SLICE)
    child = np.random.SeedSequence(21).spawn(3)[2]
    by_hand = perturb_accounts(acc, seed=np.random.default_rng(child))
    stock = by_hand.stock_end.to_numpy() - by_hand.stock_start.to_numpy()
    np.fill_diagonal(stock, 0)
    np.testing.assert_array_equal(run.flows["sd_drop_neg"][2], np.clip(stock, 0, None))


@pytest.mark.parametrize("executor", ["process", "threads", "dask"])
def test_every_executor_gives_the_same_draws_bit_for_bit(executor):
    kwargs = dict(methods=["da_min_closed", "da_pb_closed"], countries=SLICE, draws=3, seed=5, stock_cv=0.3,
                  keep_draws=True)
    sequential = flow_sensitivity("2015-2020", **kwargs)
    if executor == "threads":
        with ThreadPoolExecutor(max_workers=2) as pool:
            other = flow_sensitivity("2015-2020", **kwargs, executor=pool)
    elif executor == "dask":
        distributed = pytest.importorskip("distributed", reason="dask.distributed not installed (extra migstats[dask])")
        with distributed.Client(processes=False, n_workers=1, threads_per_worker=2, dashboard_address=None) as client:
            other = flow_sensitivity("2015-2020", **kwargs, executor=client)
    else:
        other = flow_sensitivity("2015-2020", **kwargs, executor="process")
    _assert_same(sequential, other)
    pd.testing.assert_frame_equal(sequential.to_long(), other.to_long(), check_exact=True)


# --- summaries ---------------------------------------------------------------------------------------


def test_zero_errors_give_the_point_estimate_in_every_draw():
    run = flow_sensitivity("2015-2020", methods=["da_min_closed", "da_pb_closed", "mig_rate"], countries=SLICE,
                           draws=3, seed=2, stock_cv=0, vital_cv=0, keep_draws=True)
    long = run.to_long().astype({"orig": str, "dest": str})
    both = long.merge(run.corridors, on=["period", "method", "orig", "dest"], validate="many_to_one")
    assert len(both) == 3 * 3 * 6 * 5 and (both["flow"] == both["point"]).all()
    for table in (run.totals, run.countries, run.corridors):
        for column in ("p5", "p50", "p95"):
            assert (table[column] == table["point"]).all(), (column, table)
        # (x + x + x) / 3 need not be x to the last bit
        np.testing.assert_allclose(table["mean"], table["point"], rtol=1e-15, atol=0)


def test_point_estimate_is_global_flows_and_totals_add_up():
    run = flow_sensitivity("2015-2020", method="sd_drop_neg", draws=3, seed=1, keep_draws=True)
    flows = global_flows("2015-2020", method="sd_drop_neg")
    assert (run.corridors["point"].to_numpy() == flows["flow"].to_numpy()).all()
    assert run.corridors[["orig", "dest"]].equals(flows[["orig", "dest"]])
    assert run.totals["point"].iloc[0] == pytest.approx(flows["flow"].sum(), rel=1e-12)
    # the quantiles of the total over the draws, by another route: group sums of the long table, sorted
    per_draw = np.sort(run.to_long().groupby("draw")["flow"].sum().to_numpy())
    assert run.totals["p50"].iloc[0] == pytest.approx(per_draw[1], rel=1e-12)
    assert run.totals["mean"].iloc[0] == pytest.approx(per_draw.mean(), rel=1e-12)
    assert run.totals["p5"].iloc[0] == pytest.approx(per_draw[0] + 0.1 * (per_draw[1] - per_draw[0]), rel=1e-12)
    countries = run.countries.pivot(index="code", columns="measure", values="point")
    assert countries["immigration"].sum() == pytest.approx(run.totals["point"].iloc[0], rel=1e-12)
    assert abs(countries["net"].sum()) < 1e-6 * run.totals["point"].iloc[0]
    assert run.totals.attrs["vintages"] == flows.attrs["vintages"]


def test_intervals_are_ordered_and_attrs_say_what_was_done():
    run = flow_sensitivity("2015-2020", methods=["da_pb_closed"], countries=SLICE, draws=5, seed=3,
                           quantiles=(0.025, 0.5, 0.975))
    for table in (run.totals, run.countries, run.corridors):
        assert ((table["p2.5"] <= table["p50"]) & (table["p50"] <= table["p97.5"])).all()
    assert (run.corridors[["point", "mean", "p2.5"]] >= 0).all().all()
    attrs = run.corridors.attrs
    assert attrs["draws"] == 5 and attrs["quantiles"] == [0.025, 0.5, 0.975] and attrs["period"] == "2015-2020"
    assert "not a posterior" in attrs["meaning"] and "pseudo_bayes" in attrs
    assert set(run.countries["measure"]) == {"immigration", "emigration", "net"}


def test_infeasible_draws_are_counted_listed_and_left_out():
    run = flow_sensitivity("2015-2020", method="sd_drop_neg", countries=SLICE, draws=12, seed=1, stock_cv=0.5,
                           keep_draws=True)
    bad = set(run.infeasible["draw"])
    assert bad, "stock_cv=0.5 should make some of Qatar's draws infeasible"
    assert set(run.infeasible["code"]) <= set(SLICE) and (run.infeasible["native_born"] < 0).all()
    assert sorted(bad | set(run.draw_ids)) == list(range(12)) and not bad & set(run.draw_ids)
    assert run.totals["draws"].iloc[0] == 12 - len(bad) == run.totals.attrs["draws_used"]
    assert run.totals.attrs["infeasible"] == len(bad)
    acc = world_accounts("2015-2020", countries=SLICE)
    children = np.random.SeedSequence(1).spawn(12)
    for k in range(12):
        if k in bad:
            with pytest.raises(InputError, match="more foreign-born than people"):
                perturb_accounts(acc, seed=np.random.default_rng(children[k]), stock_cv=0.5)
        else:
            perturb_accounts(acc, seed=np.random.default_rng(children[k]), stock_cv=0.5)


def test_every_draw_infeasible_is_an_error():
    with pytest.raises(InputError, match="every one of the 2 draws is infeasible"):
        flow_sensitivity("2015-2020", method="sd_drop_neg", countries=SLICE, draws=2, seed=1, stock_cv=0,
                         population_cv=10)


# --- bad input -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("kwargs, error, message", [
    (dict(draws=0), InputError, "draws must be a positive whole number"),
    (dict(draws=2.5), InputError, "draws must be a positive whole number"),
    (dict(draws=True), InputError, "draws must be a positive whole number"),
    (dict(stock_cv=-0.01), InputError, "stock_cv must be finite and at least 0"),
    (dict(vital_cv=float("nan")), InputError, "vital_cv must be finite"),
    (dict(population_cv="a"), InputError, "population_cv must be a number"),
    (dict(stock_correlation=1.01), InputError, "stock_correlation must be from -1 to 1"),
    (dict(quantiles=(0.5, 1.2)), InputError, "each quantile must be from 0 to 1"),
    (dict(quantiles=()), InputError, "at least one"),
    (dict(quantiles=None), InputError, "each quantile must be a number"),
    (dict(seed=-1), InputError, "seed must be"),
    (dict(seed="one"), InputError, "seed must be"),
    (dict(method="da_pb_open"), UnknownNameError, "unknown method 'da_pb_open'"),
    (dict(period="2025-2030"), SpanError, "not covered"),
    (dict(pb_sample_size="people"), UnknownNameError, "pseudo-Bayes sample size"),
    (dict(memory_budget=1000), MemoryBudgetError, "need about"),
])
def test_bad_input_raises_a_specific_error(kwargs, error, message):
    args = {"period": "2015-2020", "method": "sd_drop_neg", "countries": SLICE, "draws": 2, "seed": 1, **kwargs}
    with pytest.raises(error, match=message):
        flow_sensitivity(args.pop("period"), **args)


def test_cv_edges_zero_allowed_correlation_bounds_allowed():
    for kwargs in (dict(stock_cv=0), dict(stock_correlation=1), dict(stock_correlation=-1)):
        flow_sensitivity("2015-2020", method="sd_drop_neg", countries=SLICE, draws=1, seed=1, **kwargs)


def test_draws_not_kept_cannot_be_listed():
    run = flow_sensitivity("2015-2020", method="sd_drop_neg", countries=SLICE, draws=1, seed=1)
    assert run.flows is None
    with pytest.raises(InputError, match="keep_draws=True"):
        run.to_long()


def test_a_draw_the_estimate_refuses_stops_the_run_and_is_named(monkeypatch):
    """Not counted as infeasible and not dropped: the error of the estimate, naming the draw."""
    from migstats.errors import ConvergenceError
    from migstats.flows.world import methods

    real, calls = methods.estimate_period, []

    def second_draw_fails(accounts, *args, **kwargs):
        calls.append(1)
        if len(calls) == 3:  # the point estimate, draw 0, then draw 1
            raise ConvergenceError("IPF did not converge")
        return real(accounts, *args, **kwargs)

    monkeypatch.setattr(methods, "estimate_period", second_draw_fails)
    with pytest.raises(ConvergenceError, match="input-perturbation draw 1: IPF did not converge"):
        flow_sensitivity("2015-2020", method="sd_drop_neg", countries=SLICE, draws=3, seed=1)


@pytest.mark.parametrize("cv", [0.02, 0.1, 0.5, 1.0, 3.0])
def test_lognormal_factor_has_mean_one_and_the_stated_cv_exactly(cv):
    """E f and E f^2 by Gauss-Hermite quadrature (exact for these smooth integrands to ~1e-12):
    mean 1 and E f^2 = 1 + cv^2, so sd / mean = cv; the median factor (z = 0) is 1 / sqrt(1 + cv^2)."""
    from migstats.flows.world.sensitivity import _factor

    z, weight = np.polynomial.hermite_e.hermegauss(120)
    weight = weight / np.sqrt(2 * np.pi)
    f = _factor(z, cv)
    assert (weight * f).sum() == pytest.approx(1.0, rel=1e-10)
    assert (weight * f ** 2).sum() == pytest.approx(1.0 + cv ** 2, rel=1e-10)
    assert _factor(np.zeros(1), cv)[0] == pytest.approx((1 + cv ** 2) ** -0.5, rel=1e-14)


def test_infeasible_begins_just_below_zero_native_born():
    """With zero errors the native-born are the published ones to the last bit: a country with
    exactly none is feasible, one with -0.5 is not."""
    import dataclasses

    acc = world_accounts("2015-2020", countries=SLICE)
    usa = acc.codes.index("USA")

    def with_native(value):
        stock = acc.stock_end.copy()
        stock.iloc[usa, usa] = value
        return dataclasses.replace(acc, stock_end=stock)

    zero = dict(seed=1, stock_cv=0, vital_cv=0, population_cv=0)
    assert perturb_accounts(with_native(0.0), **zero).stock_end.iloc[usa, usa] == 0.0
    with pytest.raises(InputError, match=r"people in USA at the end of the period \(native-born -0.5\)"):
        perturb_accounts(with_native(-0.5), **zero)


def test_one_quantile_as_a_number_or_a_0_d_array():
    for q in (0.5, np.float64(0.5), np.array(0.5)):
        run = flow_sensitivity("2015-2020", method="sd_drop_neg", countries=SLICE, draws=1, seed=1, quantiles=q)
        assert list(run.totals.columns[-2:]) == ["p50", "draws"]
