"""Issue 10 (items 8, 9) and issue 11 for the flows layer: the memory guard, negative flows of the open
methods, the weighted-median tie rule, non-convergence as ConvergenceWarning / ConvergenceError at the
caller's line, and the deprecated names."""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pandas as pd
import pytest

from migstats.errors import (
    ConvergenceError, ConvergenceWarning, InputError, MemoryBudgetError, MigstatsWarning, UnknownNameError,
)
from migstats.flows import cm2, cm_net, ffs_demo, ipf2, ipf3, sum_net
from migstats.flows import _common
from migstats.flows.ffs import ffs_demo_bytes
from migstats.flows._rsort import r_quicksort_order
from migstats.flows.indices import _qi_factors, index_distance, weighted_median


# ---- memory guard (issue 10, item 8) --------------------------------------------------------------

def _big_stocks(n):
    """n x n stock tables (n = 2000: two 32 MB tables), cheap to build; the guard must refuse before the IPFs."""
    s = np.full((n, n), 1.0)
    np.fill_diagonal(s, 1000.0)
    return s, s.copy()


def test_bytes_estimate_is_one_n_cubed_float64_array():
    # 2000^3 cells of 8 bytes = 6.4e10 bytes, plus 64 n^2 doubles of work tables = 2.048e9
    assert ffs_demo_bytes(2000) == 8 * 2000 ** 3 + 8 * 2000 ** 2 * 64 == 66_048_000_000
    assert ffs_demo_bytes(10, seed_3d=True) == 2 * 8 * 1000 + 8 * 100 * 64


def test_2000_regions_refused_by_default_budget_before_allocating(monkeypatch):
    """A 16 GB machine: half of it (8 GB) is far below the 66 GB that 2,000 regions need."""
    monkeypatch.delenv(_common.MEMORY_ENV, raising=False)
    monkeypatch.setattr(_common, "available_memory", lambda: 16 * 10 ** 9)
    s1, s2 = _big_stocks(2000)
    with pytest.raises(MemoryBudgetError) as info:
        ffs_demo(s1, s2)
    msg = str(info.value)
    assert "2000 regions" in msg and "66048000000 bytes" in msg and "8 GB" in msg
    assert "half the available memory" in msg and "memory_budget=" in msg
    assert isinstance(info.value, MemoryError)  # still caught by `except MemoryError`


def test_budget_argument_and_environment(monkeypatch):
    s1, s2 = _big_stocks(2000)
    monkeypatch.setenv(_common.MEMORY_ENV, "1e9")
    with pytest.raises(MemoryBudgetError, match=f"{_common.MEMORY_ENV}"):
        ffs_demo(s1, s2)
    # the argument wins over the environment
    with pytest.raises(MemoryBudgetError, match=r"memory_budget\)"):
        ffs_demo(s1, s2, memory_budget=5e10)
    monkeypatch.setenv(_common.MEMORY_ENV, "lots")
    with pytest.raises(InputError, match="not a number of bytes"):
        ffs_demo(s1, s2)


@pytest.mark.parametrize(("budget", "refused"), [
    (ffs_demo_bytes(4) - 1, True),  # one byte short
    (ffs_demo_bytes(4), False),  # exactly enough
])
def test_budget_edge(budget, refused):
    s1, s2 = _big_stocks(4)
    if refused:
        with pytest.raises(MemoryBudgetError, match="4 regions"):
            ffs_demo(s1, s2, memory_budget=budget)
    else:
        assert ffs_demo(s1, s2, memory_budget=budget).fitted.values.shape == (4, 4, 4)


def test_ipf3_guard():
    s1, s2 = _big_stocks(2000)
    with pytest.raises(MemoryBudgetError, match="ipf3 for 2000 regions"):
        ipf3(s1, s2, memory_budget=1e9)


def test_long_table_and_account_respect_the_budget(monkeypatch):
    s1, s2 = _big_stocks(4)
    res = ffs_demo(s1, s2)
    # 64 cells x 56 bytes = 3584 bytes for the long table; the account is 6 x 6 x 4 x 8 = 1152 bytes
    monkeypatch.setenv(_common.MEMORY_ENV, "3583")
    with pytest.raises(MemoryBudgetError, match="FlowArray.to_long for 4 regions"):
        res.to_long()
    assert res.account.values.shape == (6, 6, 4)
    monkeypatch.setenv(_common.MEMORY_ENV, "3584")
    assert len(res.to_long()) == 64
    monkeypatch.setenv(_common.MEMORY_ENV, "1151")
    with pytest.raises(MemoryBudgetError, match="FfsResult.account"):
        res.account


def test_available_memory_is_read():
    avail = _common.available_memory()
    assert avail is None or avail > 0


# ---- open methods: negative flows as migest returns them (issue 10, item 9a) -------------------

def _open_case():
    """Two regions, no births or deaths. Hand computation of migest's "open" method:

    birthplace 0: start row (100, 50) sums to 150, end row (240, 10) to 250, so dd_0 = 150 - 250 = -100:
    100 people born in 0 arrived from outside. in_mat row 0 = start row scaled to 100 =
    (66.667, 33.333); adjusted end row = (240 - 66.667, 10 - 33.333) = (173.333, -23.333): the end
    stock of people born in 0 living in 1 is negative. Birthplace 1: (20, 300) both times, dd_1 = 0.
    Stayers are min(start, end) per birthplace: born 0: region 0 min(100, 173.333) = 100, region 1
    min(50, -23.333) = -23.333 (a negative flow); born 1: 20 and 300. Movers, born 0: the start
    excess in region 1 is 50 - (-23.333) = 73.333 and the end excess in region 0 is 173.333 - 100 =
    73.333, so 73.333 moved from 1 to 0; born 1: none.
    """
    r = ["P", "Q"]
    s1 = pd.DataFrame([[100.0, 50.0], [20.0, 300.0]], index=r, columns=r)
    s2 = pd.DataFrame([[240.0, 10.0], [20.0, 300.0]], index=r, columns=r)
    expected = np.zeros((2, 2, 2))
    expected[0, 0, 0], expected[1, 1, 0], expected[1, 0, 0] = 100, -70 / 3, 220 / 3
    expected[0, 0, 1], expected[1, 1, 1] = 20, 300
    return s1, s2, expected


def test_open_method_returns_migest_result_with_a_warning():
    s1, s2, expected = _open_case()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = ffs_demo(s1, s2, match_birthplace_tot_method="open")
    np.testing.assert_allclose(res.fitted.values, expected, rtol=0, atol=1e-9)
    np.testing.assert_allclose(res.outside_in.to_numpy(), [[200 / 3, 100 / 3], [0, 0]], atol=1e-12)
    assert len(caught) == 1 and caught[0].category is MigstatsWarning
    msg = str(caught[0].message)
    assert "1 estimated flow is negative (1 in the orig x dest x pob flows)" in msg
    assert "lowest is -23.3333 persons" in msg
    assert caught[0].filename == __file__


def test_open_method_clip_and_raise():
    s1, s2, expected = _open_case()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        clipped = ffs_demo(s1, s2, match_birthplace_tot_method="open", negative_flows="clip")
    np.testing.assert_allclose(clipped.fitted.values, np.maximum(expected, 0), atol=1e-9)
    assert clipped.fitted.values.min() == 0
    with pytest.raises(InputError, match="1 estimated flow is negative"):
        ffs_demo(s1, s2, match_birthplace_tot_method="open", negative_flows="raise")
    with pytest.raises(UnknownNameError, match="negative_flows"):
        ffs_demo(s1, s2, match_birthplace_tot_method="open", negative_flows="ignore")


def test_negative_moves_to_or_from_outside_are_counted_too():
    """Deaths of 400 in Q, whose start column holds 350, leave S1' negative in column Q
    (50 - 400 * 50 / 350 = -7.14 for born P): the in-migration from outside, spread over that row
    of S1', gets a negative cell as well."""
    s1, _, _ = _open_case()
    with pytest.warns(MigstatsWarning) as record:
        res = ffs_demo(s1, s1.copy(), births=[0.0, 0.0], deaths=[0.0, 400.0], match_birthplace_tot_method="open")
    parts = [res.fitted.values, res.outside_in.to_numpy(), res.outside_out.to_numpy()]
    counts = [int((x < 0).sum()) for x in parts]
    assert counts[0] > 0 and counts[1] > 0
    lowest = min(float(x.min()) for x in parts)
    msg = str(record[0].message)
    assert f"{sum(counts)} estimated flows are negative ({counts[0]} in the orig x dest x pob flows, " \
           f"{counts[1]} in the moves in from outside" in msg
    assert f"lowest is {lowest:.6g} persons" in msg
    assert res.outside_in.loc["P", "Q"] == pytest.approx(-(400 * 50 / 350 - 50) * (57 + 1 / 7) / (100 - 50 / 7),
                                                         rel=1e-12)


def test_open_method_without_negative_cells_does_not_warn():
    """Just inside: the end row (166.67, 33.33) less in_mat (11.11, 5.56)... stays positive, no warning."""
    s1, s2, _ = _open_case()
    s2 = s2.copy()
    s2.loc["P"] = [140.0, 60.0]  # dd = -50; in_mat row = (33.333, 16.667); adjusted end (106.667, 43.333)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = ffs_demo(s1, s2, match_birthplace_tot_method="open")
    assert res.fitted.values.min() >= 0


def test_rescale_method_still_refuses_negative_adjusted_stocks():
    s1, s2, _ = _open_case()
    with pytest.raises(InputError, match="negative"):
        ffs_demo(s1, s2, births=[0.0, 0.0], deaths=[60.0, 0.0], death_method="accounting")


# ---- weighted median tie rule (issue 10, item 9b) -------------------------------------------------

def test_weighted_median_tie_rule_hand_derived():
    """Values 1 (weight 4), 2 (1), 2 (3), 3 (2): total 10, half 5.

    matrixStats' interpolated median puts each value at its cumulative weight minus half its own
    weight and interpolates at 5. Tied values ordered by increasing weight (the migstats rule):
    1 -> 2, 2 (w 1) -> 4.5, 2 (w 3) -> 6.5, 3 -> 9; 5 lies between the two 2s, so the median is 2.
    With the tie the other way round (2 (w 3) -> 5.5 first) it would be 2 + (5 - 5.5) / (5.5 - 2) =
    1.857, and with the tie merged into one value of weight 4 (-> 6) 2 + (5 - 6) / (6 - 2) = 1.75.
    The rule gives 2 for every order of the input.
    """
    x = np.array([3.0, 2.0, 1.0, 2.0])
    w = np.array([2.0, 3.0, 4.0, 1.0])
    for perm in itertools.permutations(range(4)):
        assert weighted_median(x[list(perm)], w[list(perm)]) == 2.0


def test_weighted_median_tie_at_upper_side():
    """Values 1 (4), 2 (2), 2 (1), 5 (3): half 5. Increasing-weight tie order: 1 -> 2, 2 (w 1) -> 4.5,
    2 (w 2) -> 6, 5 -> 8.5; 5 lies between 4.5 and 6, both at 2: median 2. The order
    2 (w 2), 2 (w 1) gives 5.0 and 6.5 -> exactly 2 as well; a rule cannot be told apart here,
    so take half 6.5 instead: weights 4, 2, 1, 6 (total 13): 1 -> 2, 2 (1) -> 4.5, 2 (2) -> 6,
    5 -> 10; 6.5 lies between 6 (x 2) and 10 (x 5): 2 + 0.5 / 4 * 3 = 2.375. Other tie order:
    2 (2) -> 5, 2 (1) -> 6.5 -> exactly 2. So 2.375 pins the rule on the upper side too.
    """
    x = np.array([5.0, 2.0, 1.0, 2.0])
    w = np.array([6.0, 1.0, 4.0, 2.0])
    for perm in itertools.permutations(range(4)):
        assert weighted_median(x[list(perm)], w[list(perm)]) == pytest.approx(2.375, abs=1e-15)


def test_index_distance_median_does_not_depend_on_row_order(ref):
    korea = pd.read_csv(ref.path("index/input_korea2020.csv"))
    expected = ref.measures("index/output_distance_korea2020.csv")["median"]
    rng = np.random.default_rng(5)
    for frame in (korea, korea.iloc[::-1], korea.iloc[rng.permutation(len(korea))]):
        got = index_distance(frame, frame, dist_col="dist_cent")["median"]
        assert got == pytest.approx(expected, rel=1e-12)


def test_r_quicksort_order_hand_traced():
    """R_qsort_I on (2, 1, 1), traced by hand through Singleton's algorithm with Peto's pivot.

    The pivot fraction starts at 0.375 and is raised to 0.4140625 on entering the segment, so the
    pivot is element 1 + floor(2 * 0.414) = 1 (1-based): the 2. The median of three swaps it with
    the last element (1 < 2): (1, 1, 2) with positions (3, 2, 1). The partition pass stops both
    pointers at the middle 1 (equal to the pivot, swapped with itself) and crosses; the parts
    left are single elements. So the tied 1s come out as input positions 3, 2: reversed.
    """
    assert r_quicksort_order([2.0, 1.0, 1.0]) == [2, 1, 0]
    assert r_quicksort_order([]) == [] and r_quicksort_order([4.0]) == [0]


def test_r_quicksort_order_sorts_every_array():
    rng = np.random.default_rng(3)
    for _ in range(300):
        x = rng.integers(0, int(rng.integers(1, 40)), size=int(rng.integers(0, 120))).astype(float)
        order = r_quicksort_order(x)
        assert sorted(order) == list(range(x.size))
        assert np.all(np.diff(x[order]) >= 0)


# Orders and a median computed by R's own routine: src/main/qsort-body.c of R (r-devel, as R_qsort_I:
# int indices, double values) compiled with gcc, with matrixStats' interpolated weightedMedian loop
# (src/weightedMedian_lowlevel_template.h) around it; inputs x_k = k^2 mod p, k = 0..n-1.
_R_QSORT_ORDERS = {
    (29, 13): [0, 13, 26, 27, 1, 14, 12, 25, 4, 22, 17, 9, 24, 15, 11, 2, 28, 10, 16, 3, 23, 20, 19, 7, 6,
               5, 8, 18, 21],
    (26, 8): [0, 8, 16, 20, 4, 24, 12, 21, 19, 17, 23, 15, 13, 11, 1, 25, 9, 7, 5, 3, 2, 22, 6, 18, 14, 10],
    (50, 13): [0, 26, 39, 13, 12, 14, 38, 40, 25, 1, 27, 30, 17, 22, 48, 4, 43, 9, 35, 24, 37, 15, 11, 41, 2,
               28, 36, 29, 42, 23, 3, 49, 10, 16, 46, 45, 6, 7, 20, 32, 33, 19, 34, 8, 5, 44, 31, 47, 21, 18],
}


@pytest.mark.parametrize("n, p", list(_R_QSORT_ORDERS))
def test_r_quicksort_order_equals_compiled_r(n, p):
    """Segments longer than the insertion-sort threshold, several leftmost segments (pivot
    fraction updates), a stacked segment popped before another: each case checks a branch."""
    assert r_quicksort_order([float(k * k % p) for k in range(n)]) == _R_QSORT_ORDERS[(n, p)]


def test_migest_ties_median_to_the_last_bit_of_compiled_r():
    """matrixStats divides each weight by a total summed in sequence (not numpy's pairwise sum) and
    accumulates the shares (not the weights) in sequence; this input tells each of these apart in
    the last bits."""
    x = [float(k * k % 97) for k in range(400)]
    w = [1.0 / (k + 1) for k in range(400)]
    assert weighted_median(x, w, ties="migest") == 24.026243219934532


def test_migest_ties_reproduce_the_reference_in_its_row_order(ref):
    """The reference median came from migest on the file's row order (rows by origin)."""
    korea = pd.read_csv(ref.path("index/input_korea2020.csv"))
    expected = ref.measures("index/output_distance_korea2020.csv")["median"]
    got = index_distance(korea, korea, dist_col="dist_cent", ties="migest")["median"]
    assert got == pytest.approx(expected, rel=1e-13)


def test_migest_ties_follow_the_row_order(ref):
    """migest's median on the reversed Korean table is another tie order's value: it differs from
    the reference but stays between the distances on either side of the reference median."""
    korea = pd.read_csv(ref.path("index/input_korea2020.csv"))
    expected = ref.measures("index/output_distance_korea2020.csv")["median"]
    got = index_distance(korea.iloc[::-1], korea, dist_col="dist_cent", ties="migest")["median"]
    d = np.sort(korea.loc[korea.orig != korea.dest, "dist_cent"].unique())
    below, above = d[d <= expected].max(), d[d > expected].min()
    assert abs(got - expected) > 1e-3
    assert below <= got <= above


def test_matrix_cells_taken_column_by_column_for_migest_ties(ref):
    """R's as.data.frame.table walks a matrix column by column (the origin varies fastest)."""
    korea = pd.read_csv(ref.path("index/input_korea2020.csv"))
    flows = korea.pivot(index="orig", columns="dest", values="flow")
    dist = korea.pivot(index="orig", columns="dest", values="dist_cent")
    by_column = flows.stack().rename("flow").reset_index().sort_values(["dest", "orig"], kind="stable")
    by_row = by_column.sort_values(["orig", "dest"], kind="stable")
    long_dist = korea.rename(columns={"dist_cent": "dist"})[["orig", "dest", "dist"]]
    from_matrix = index_distance(flows, dist, ties="migest")["median"]
    assert from_matrix == index_distance(by_column, long_dist, ties="migest")["median"]
    assert from_matrix != index_distance(by_row, long_dist, ties="migest")["median"]


def _migest_medians(x, w, orders=8):
    """migest's median on the given order, the reversed order and a few shuffles."""
    values = {weighted_median(x, w, ties="migest"), weighted_median(x[::-1], w[::-1], ties="migest")}
    for seed in range(orders):
        p = np.random.default_rng(seed).permutation(x.size)
        values.add(weighted_median(x[p], w[p], ties="migest"))
    return values


def test_weight_ties_give_migest_value_wherever_row_order_does_not_matter():
    """Seeded 40-region gravity tables (symmetric distances, Poisson flows): where migest's median is
    the same for every row order tried, the increasing-weight rule gives exactly that value."""
    invariant = 0
    for case in range(8):
        rng = np.random.default_rng(1000 + case)
        xy = rng.uniform(0, 1000, (40, 2))
        pop = rng.lognormal(12, 1, 40)
        d = np.sqrt(((xy[:, None] - xy[None]) ** 2).sum(-1))
        np.fill_diagonal(d, 1.0)
        f = rng.poisson(pop[:, None] * pop[None] / d ** 1.5 * 1e-5).astype(float)
        off = ~np.eye(40, dtype=bool)
        x, w = d[off], f[off]
        values = _migest_medians(x, w)
        if len(values) == 1:
            invariant += 1
            assert weighted_median(x, w) == pytest.approx(values.pop(), rel=1e-13)
    assert invariant >= 2  # the check above ran


def test_labelled_matrix_cells_taken_in_its_own_column_order_for_migest_ties():
    """A table whose columns run D, C, B, A under rows A, B, C, D: R's as.data.frame.table walks
    the columns as they stand (D first), not in the order of the rows. Distances 1 and 2 only, so
    the median hangs on the order of the ties; the expected value is the median of the cells
    listed in R's order by hand."""
    r = ["A", "B", "C", "D"]
    d = pd.DataFrame([[0, 1, 1, 2], [1, 0, 2, 1], [1, 2, 0, 1], [2, 1, 1, 0]], index=r, columns=r, dtype=float)
    f = pd.DataFrame([[3, 1, 1, 3], [1, 3, 2, 3], [2, 3, 2, 2], [2, 1, 1, 3]], index=r, columns=r, dtype=float)
    flipped = f[["D", "C", "B", "A"]]
    cells = [(o, c) for c in flipped.columns for o in flipped.index if o != c]
    assert cells[:4] == [("A", "D"), ("B", "D"), ("C", "D"), ("A", "C")]
    expected = weighted_median([d.loc[o, c] for o, c in cells], [f.loc[o, c] for o, c in cells], ties="migest")
    assert index_distance(flipped, d, ties="migest")["median"] == expected
    # the same flows with the columns in the order of the rows are another tie order
    assert index_distance(f, d, ties="migest")["median"] != expected


def test_unknown_ties_rule_is_refused():
    with pytest.raises(InputError, match="ties"):
        weighted_median([1, 2], [1, 1], ties="stable")
    with pytest.raises(InputError, match="ties"):
        index_distance(np.array([[0, 1.0], [1, 0]]), np.array([[0, 5.0], [5, 0]]), ties="first")


# ---- non-convergence: one warning class, one error class, at the caller's line (issue 11) --------

def _willekens(ref):
    return ref.matrix("ipf2/input_s1_willekens_m.csv")


def _nonconverging_calls(ref):
    m = _willekens(ref)
    small = (ref.matrix("ffs_demo_small/input_stock_start.csv"), ref.matrix("ffs_demo_small/input_stock_end.csv"),
             ref.vector("ffs_demo_small/input_births.csv"), ref.vector("ffs_demo_small/input_deaths.csv"))
    p1, p2 = ref.matrix("ipf3/input_small_P1.csv"), ref.matrix("ipf3/input_small_P2.csv")
    return {
        "ipf2": lambda policy: ipf2([18, 20], [16, 22], m, max_iter=3, on_nonconvergence=policy),
        "ipf3": lambda policy: ipf3(p1, p2, ref.array3("ipf3/input_small_m_dis.csv"), max_iter=2,
                                    on_nonconvergence=policy),
        "ffs_demo (flow IPF)": lambda policy: ffs_demo(*small, tol=1e-14, max_iter=2, on_nonconvergence=policy),
        "ffs_demo (death accounting)": lambda policy: ffs_demo(*small, death_method="accounting", tol=1e-14,
                                                               max_iter=1, on_nonconvergence=policy),
        "cm2": lambda policy: cm2([18, 20], [16, 22], m, max_iter=2, on_nonconvergence=policy),
        "cm_net": lambda policy: cm_net([10, -4, -6], np.ones((3, 3)) - np.eye(3), tol=1e-15, max_iter=1,
                                        on_nonconvergence=policy),
    }


@pytest.mark.parametrize("name", ["ipf2", "ipf3", "ffs_demo (flow IPF)", "ffs_demo (death accounting)", "cm2",
                                  "cm_net"])
def test_nonconvergence_warning_points_at_this_file(ref, name):
    call = _nonconverging_calls(ref)[name]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        call("warn")
    conv = [w for w in caught if issubclass(w.category, ConvergenceWarning)]
    assert conv, [str(w.message) for w in caught]
    assert not [w for w in caught if w.category is RuntimeWarning]
    assert {w.filename for w in conv} == {__file__}
    with pytest.raises(ConvergenceError, match="did not converge"):
        call("raise")


def test_index_fit_nonconvergence_is_a_convergence_error():
    rows, cols = np.array([5.0, 3.0, 2.0]), np.array([1.0, 4.0, 5.0])
    with pytest.raises(ConvergenceError, match="Poisson independence fit"):
        _qi_factors(rows, cols, max_iter=1)
    a, b = _qi_factors(rows, cols)
    fitted = np.outer(a, b) * (1 - np.eye(3))
    np.testing.assert_allclose(fitted.sum(axis=1), rows, rtol=1e-11)
    np.testing.assert_allclose(fitted.sum(axis=0), cols, rtol=1e-11)


# ---- deprecated names -----------------------------------------------------------------------------

def test_net_of_is_deprecated_for_sum_net():
    from migstats.flows import net_of

    flows = pd.DataFrame([[0.0, 5.0, 1.0], [2.0, 0.0, 0.0], [4.0, 3.0, 0.0]], index=list("ABC"), columns=list("ABC"))
    with pytest.warns(DeprecationWarning, match="sum_net") as record:
        old = net_of(flows)
    assert record[0].filename == __file__
    # in - out: A 6 - 6 = 0, B 8 - 2 = 6, C 1 - 7 = -6
    np.testing.assert_array_equal(old, [0.0, 6.0, -6.0])
    new = sum_net(flows)
    assert list(new.index) == ["A", "B", "C"]
    np.testing.assert_array_equal(new.to_numpy(), old)


def test_old_indices_module_warns_and_still_works():
    import sys

    sys.modules.pop("migstats.indices", None)
    with pytest.warns(DeprecationWarning, match="migstats.flows.indices") as record:
        import migstats.indices as old
    assert [w.filename for w in record if w.category is DeprecationWarning] == [__file__]
    from migstats.flows import indices as new

    assert old.index_distance is new.index_distance
    assert set(old.__all__) == set(new.__all__)
