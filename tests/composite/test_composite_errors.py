"""Bad input: a migstats error that names the code and the unit."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from migstats.composite import Framework, build
from migstats.errors import (
    InputError,
    MigstatsError,
    MigstatsWarning,
    MissingValueError,
    ValidationError,
    ZeroBaseError,
)


def data_for(fw, n=5):
    rng = np.random.default_rng(0)
    table = pd.DataFrame(rng.uniform(1, 10, (n, len(fw.indicators))), columns=fw.indicators)
    table.insert(0, "code", [f"U{i}" for i in range(n)])
    return table


def test_unknown_indicator_code_in_long_data(small_framework):
    fw = small_framework()
    long = data_for(fw).melt(id_vars="code", var_name="indicator")
    long.loc[7, "indicator"] = "zz"
    with pytest.raises(InputError, match=r"unknown indicator code 'zz' \(unit 'U2'\)"):
        build(long, fw)


def test_indicator_missing_from_the_data(small_framework):
    fw = small_framework()
    with pytest.raises(InputError, match="indicator 'c' of the framework is not in the data"):
        build(data_for(fw).drop(columns="c"), fw)


def test_duplicated_unit(small_framework):
    fw = small_framework()
    data = data_for(fw)
    data.loc[3, "code"] = "U1"
    with pytest.raises(InputError, match="unit 'U1' appears more than once"):
        build(data, fw)
    long = data_for(fw).melt(id_vars="code", var_name="indicator")
    with pytest.raises(InputError, match="unit 'U0' has more than one value of indicator 'a'"):
        build(pd.concat([long, long.iloc[:1]]), fw)


def test_all_missing_indicator(small_framework):
    fw = small_framework()
    data = data_for(fw)
    data["b"] = np.nan
    with pytest.raises(MissingValueError, match="indicator 'b' has no value for any unit"):
        build(data, fw)
    data["b"] = 1.0  # one value left: not an error (a warning: its normalised score is undefined)
    data.loc[1:, "b"] = np.nan
    with pytest.warns(MigstatsWarning, match="'b' take"):
        build(data, fw, treat="none")


@pytest.mark.parametrize("bad", [0.0, -2.5])
def test_geometric_aggregation_of_non_positive_values(small_framework, bad):
    fw = small_framework(directions=(1, 1, 1, 1))
    data = data_for(fw)
    data.loc[2, "d"] = bad
    with pytest.raises(InputError, match=rf"geometric aggregation of 'P2' needs values above zero, but 'd' of unit 'U2' is {bad:g}"):
        build(data, fw, normalise="none", aggregate="geometric", treat="none")
    # minmax to [0, 100] puts the lowest unit at zero: refused too, with the way out
    with pytest.raises(InputError, match=r"normalise_range=\(1, 100\)"):
        build(data_for(fw), fw, aggregate="geometric", treat="none")
    build(data_for(fw), fw, aggregate="geometric", treat="none", normalise_range=(1, 100))


def test_value_that_is_not_a_number(small_framework):
    fw = small_framework()
    data = data_for(fw).astype({"a": object})
    data.loc[4, "a"] = "n/a"
    with pytest.raises(InputError, match="indicator 'a' of unit 'U4': 'n/a' is not a number"):
        build(data, fw)
    data = data_for(fw)
    data.loc[0, "c"] = np.inf
    with pytest.raises(InputError, match="indicator 'c' of unit 'U0' is infinite"):
        build(data, fw)


def test_zero_denominator():
    fw = Framework.from_spec({"index": {"code": "I"}, "indicator": [
        {"code": "x", "parent": "I", "denominator": "pop"}, {"code": "y", "parent": "I"}]})
    data = pd.DataFrame({"code": ["A", "B"], "x": [1.0, 2.0], "y": [1.0, 2.0], "pop": [10.0, 0.0]})
    with pytest.raises(ZeroBaseError, match="indicator 'x' of unit 'B': its denominator 'pop' is zero"):
        build(data, fw)


def nodes():
    rows = {"a": ("indicator", "P"), "b": ("indicator", "P"), "P": ("aggregate", "I"), "I": ("aggregate", None)}
    return pd.DataFrame([{"code": c, "role": k, "parent": p, "weight": 1.0, "direction": 1}
                         for c, (k, p) in rows.items()])


@pytest.mark.parametrize("change, message", [
    ({("I", "parent"): "P"}, r"cycle through 'P'"),
    ({("b", "parent"): "Q"}, r"'b' is an orphan: its parent 'Q' is not defined"),
    ({("b", "weight"): math.inf}, r"'b' has weight inf; it must be a finite number"),
    ({("a", "weight"): math.nan}, None),  # a missing weight means the default 1: not an error
    ({("a", "direction"): 2}, r"'a' has direction 2; it must be 1 or -1"),
    ({("a", "direction"): 0}, r"'a' has direction 0; it must be 1 or -1"),
    ({("b", "parent"): "a"}, r"'b' has the indicator 'a' as parent"),
    ({("b", "weight"): -1.0}, r"'b' has a negative weight"),
])
def test_framework_checks(change, message):
    table = nodes()
    for (code, col), value in change.items():
        table[col] = table[col].astype(object)
        table.loc[table.code == code, col] = value
    if message is None:
        assert Framework.from_frame(table).weights()["a"] == 1.0
        return
    with pytest.raises(InputError, match=message):
        Framework.from_frame(table)


def test_aggregate_without_children_and_two_roots():
    table = nodes()
    extra = pd.DataFrame([{"code": "E", "role": "aggregate", "parent": "I", "weight": 1.0, "direction": 1}])
    with pytest.raises(InputError, match="the aggregate 'E' has no children"):
        Framework.from_frame(pd.concat([table, extra]))
    extra = pd.DataFrame([{"code": "c", "role": "indicator", "parent": None, "weight": 1.0, "direction": 1}])
    with pytest.raises(InputError, match="2 nodes without a parent"):
        Framework.from_frame(pd.concat([table, extra]))


def test_toml_errors_name_the_file(tmp_path):
    bad = tmp_path / "spec.toml"
    bad.write_text('[index]\ncode = "I"\n[[indicator]]\ncode = "a"\nparent = "nowhere"\n')
    with pytest.raises(ValidationError, match=r"spec.toml: framework: 'a' is an orphan"):
        Framework.from_toml(bad)
    bad.write_text('[index\ncode = "I"\n')
    with pytest.raises(ValidationError, match="not valid TOML"):
        Framework.from_toml(bad)
    assert issubclass(ValidationError, MigstatsError)


def test_misspelt_spec_key_is_an_error(tmp_path):
    spec = tmp_path / "typo.toml"
    spec.write_text('[index]\ncode = "I"\n[[indicator]]\ncode = "a"\nparent = "I"\ndireciton = -1\n')
    with pytest.raises(ValidationError, match=r"typo.toml: \[\[indicator\]\] 'a': unknown key 'direciton'"):
        Framework.from_toml(spec)


def test_flat_indicator_warns_and_gives_nan(small_framework):
    data = data_for(small_framework())
    data["b"] = 4.0
    with pytest.warns(MigstatsWarning, match="'b' take\\(s\\) one value for every unit") as caught:
        res = build(data, small_framework(), treat="none")
    assert caught[0].filename == __file__  # the warning points at the caller's line
    assert res.stages["Normalised"]["b"].isna().all()
    assert res.scores()["P1"].notna().all()  # a's score carries P1, as the missing b is left out
