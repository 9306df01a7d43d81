"""Growth helpers: values worked by hand from the report, round trips, bad inputs."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from migstats.analysis import (
    average_growth,
    compound_growth_rate,
    fill_from_rates,
    implied_value,
    index_to_base,
    log_growth_rate,
    period_changes,
)
from migstats.errors import EmptyTableError, InputError, MissingValueError, SpanError, UnitError, ZeroBaseError

positive = st.floats(min_value=1e-3, max_value=1e6, allow_nan=False)
rates = st.floats(min_value=-0.9, max_value=2.0, allow_nan=False)
spans = st.integers(min_value=1, max_value=50)


def test_2007_total_implied_by_2008_and_7_per_cent():
    # 283 / 1.07 = 264.4859813..., by hand
    assert implied_value(283, 0.07, 2008, 2007) == pytest.approx(264.4859813, abs=1e-6)


def test_2005_total_implied_by_2006_and_18_per_cent():
    # 229 / 1.18 = 194.0677966...
    assert implied_value(229, 0.18, 2006, 2005) == pytest.approx(194.0677966, abs=1e-6)


def test_forward_projection():
    # 229 * 1.18 = 270.22
    assert implied_value(229, 0.18, 2006, 2007) == pytest.approx(270.22)


def test_compound_growth_2006_2008():
    # (283 / 229) ** (1 / 2) - 1 = 0.11166895 (sqrt(1.2358079) = 1.1116690)
    assert compound_growth_rate(229, 283, 2) == pytest.approx(0.1116690, abs=1e-6)


def test_log_growth_2006_2008():
    # ln(283 / 229) = ln(1.2358079) = 0.2117249; per year over 2 years: 0.1058624
    assert log_growth_rate(229, 283, 2) == pytest.approx(0.1058624, abs=1e-6)


def test_irregular_gaps_in_a_long_table():
    table = pd.DataFrame(
        {
            "entity_code": ["LCN", "LCN", "LCN"],
            "year": [2005, 2000, 2008],
            "value": [26.0, 21.0, 26.0],
            "unit": ["million person"] * 3,
        }
    )
    out = period_changes(table)
    assert out["year_start"].tolist() == [2000, 2005]
    assert out["span"].tolist() == [5.0, 3.0]
    # (26 / 21) ** (1 / 5) - 1 = exp(ln(1.2380952) / 5) - 1 = exp(0.0427141) - 1 = 0.0436402
    assert out["annual_rate"].iloc[0] == pytest.approx(0.0436402, abs=1e-6)
    assert out["relative_change"].iloc[0] == pytest.approx(5 / 21)
    assert out["change"].tolist() == [5.0, 0.0]
    assert out["unit"].tolist() == ["million person"] * 2


def test_groups_by_entity_and_converts_units():
    table = pd.DataFrame(
        {
            "entity_code": ["AAA", "AAA", "BBB", "BBB"],
            "year": [2000, 2010, 2000, 2010],
            "value": [1.0, 2_000_000.0, 100.0, 50.0],
            "unit": ["million person", "person", "USD", "USD"],
        }
    )
    out = average_growth(table).set_index("entity_code")
    # AAA doubled (1 million -> 2 million) in 10 years: 2 ** 0.1 - 1 = 0.0717735
    assert out.loc["AAA", "rate"] == pytest.approx(0.0717735, abs=1e-6)
    assert out.loc["AAA", "end"] == pytest.approx(2.0)
    assert out.loc["AAA", "unit"] == "million person"
    # BBB halved: 0.5 ** 0.1 - 1 = -0.0669670
    assert out.loc["BBB", "rate"] == pytest.approx(-0.0669670, abs=1e-6)


def test_series_in_series_out_index():
    s = pd.Series([229.0, 283.0], index=[2006, 2008])
    idx = index_to_base(s, 2006)
    assert isinstance(idx, pd.Series)
    # 100 * 283 / 229 = 123.58079
    assert idx.loc[2008] == pytest.approx(123.58079, abs=1e-5)


def test_fill_from_rates_chain_and_both_directions():
    totals = pd.DataFrame({"entity_code": ["LMY", "LMY"], "year": [2006, 2008], "value": [229.0, 283.0],
                           "unit": ["billion USD"] * 2})
    stated = pd.DataFrame({"entity_code": ["LMY", "LMY"], "year_start": [2005, 2007], "year_end": [2006, 2008],
                           "rate": [0.18, 0.07]})
    out = fill_from_rates(totals, stated).set_index("year")
    assert out.loc[2007, "value"] == pytest.approx(283 / 1.07)
    assert out.loc[2005, "value"] == pytest.approx(229 / 1.18)
    assert out.loc[2007, "method"] == "implied" and out.loc[2006, "method"] == "observed"
    assert out.loc[2007, "unit"] == "billion USD"


def test_fill_follows_chains():
    s = pd.Series([100.0], index=[2000])
    rates = pd.DataFrame({"year_start": [2001, 2000], "year_end": [2002, 2001], "rate": [0.5, 0.1]})
    out = fill_from_rates(s, rates).set_index("year")
    assert out.loc[2002, "value"] == pytest.approx(100 * 1.1 * 1.5)


@given(start=positive, rate=rates, n=spans, year=st.integers(1900, 2050))
def test_growth_then_implied_value_round_trips(start, rate, n, year):
    end = implied_value(start, rate, year, year + n)
    assert compound_growth_rate(start, end, n) == pytest.approx(rate, rel=1e-9, abs=1e-9)
    assert implied_value(end, rate, year + n, year) == pytest.approx(start, rel=1e-9)


@given(a=positive, b=positive, c=positive)
def test_log_growth_adds_over_consecutive_spans(a, b, c):
    assert log_growth_rate(a, b) + log_growth_rate(b, c) == pytest.approx(log_growth_rate(a, c), abs=1e-9)
    assert math.exp(log_growth_rate(a, c, 2) * 2) == pytest.approx(c / a, rel=1e-9)


@pytest.mark.parametrize("years", [0, -1, -0.5])
def test_zero_or_negative_span_raises(years):
    with pytest.raises(SpanError):
        compound_growth_rate(229, 283, years)
    with pytest.raises(SpanError):
        log_growth_rate(229, 283, years)


def test_implied_value_same_year_raises_span_error():
    with pytest.raises(SpanError):
        implied_value(283, 0.07, 2008, 2008)


def test_average_growth_reversed_years_raise_span_error():
    s = pd.Series([229.0, 283.0], index=[2006, 2008])
    with pytest.raises(SpanError):
        average_growth(s, year_start=2008, year_end=2006)


def test_zero_base_raises():
    with pytest.raises(ZeroBaseError):
        compound_growth_rate(0, 283, 2)
    with pytest.raises(ZeroBaseError):
        index_to_base(pd.Series([0.0, 1.0], index=[2000, 2001]), 2000)


def test_nan_raises_missing_value():
    with pytest.raises(MissingValueError):
        compound_growth_rate(np.nan, 283, 2)
    with pytest.raises(MissingValueError):
        period_changes(pd.Series([1.0, np.nan], index=[2000, 2001]))


def test_empty_table_raises():
    with pytest.raises(EmptyTableError):
        period_changes(pd.Series([], dtype=float))
    with pytest.raises(EmptyTableError):
        period_changes(pd.DataFrame({"year": [], "value": []}))


def test_mismatched_units_raise_unit_error():
    table = pd.DataFrame({"entity_code": ["A", "A"], "year": [2000, 2001], "value": [1.0, 2.0],
                          "unit": ["USD", "person"]})
    with pytest.raises(UnitError):
        period_changes(table)


def test_sign_change_has_no_compound_rate():
    with pytest.raises(InputError):
        compound_growth_rate(-1, 2, 1)


def test_duplicate_year_raises():
    with pytest.raises(InputError):
        period_changes(pd.DataFrame({"year": [2000, 2000], "value": [1.0, 2.0]}))


# --------------------------------------------------------------------------- review findings 6, 9, 11, 12, 28


def test_fill_from_rates_is_independent_of_rate_order_and_names_conflicting_rates():
    """2006 = 229 and 2008 = 283 with 18 % (2006-07) and 7 % (2007-08) imply two different 2007 values.

    Forward 229 * 1.18 = 270.22; backward 283 / 1.07 = 264.486. Both orders of the rates must refuse.
    """
    totals = pd.Series([229.0, 283.0], index=[2006, 2008])
    rates_table = pd.DataFrame({"year_start": [2006, 2007], "year_end": [2007, 2008], "rate": [0.18, 0.07]})
    for order in ([0, 1], [1, 0]):
        with pytest.raises(InputError, match="disagree") as err:
            fill_from_rates(totals, rates_table.iloc[order])
        message = str(err.value)
        assert "rates row 1" in message and "rates row 2" in message
        assert "270.22" in message and "264.486" in message


def test_fill_from_rates_agreeing_rates_fill_the_same_in_any_order():
    # 2007 from 2006: 200 * 1.1 = 220; from 2008: 242 / 1.1 = 220 -- the rates agree
    totals = pd.Series([200.0, 242.0], index=[2006, 2008])
    rates_table = pd.DataFrame({"year_start": [2006, 2007], "year_end": [2007, 2008], "rate": [0.1, 0.1]})
    forward = fill_from_rates(totals, rates_table)
    backward = fill_from_rates(totals, rates_table.iloc[::-1])
    assert forward["value"].tolist() == pytest.approx([200.0, 220.0, 242.0])
    assert backward["value"].tolist() == pytest.approx(forward["value"].tolist())


def test_fill_from_rates_chain_contradicting_an_implied_value_raises():
    # 2007 = 100 * 1.1 = 110 (row 1); 2008 = 110 * 1.1 = 121 (row 2); row 3 says 2006-2008 at 0 %: 100 != 121
    totals = pd.Series([100.0], index=[2006])
    rates_table = pd.DataFrame({"year_start": [2006, 2007, 2006], "year_end": [2007, 2008, 2008],
                                "rate": [0.1, 0.1, 0.0]})
    with pytest.raises(InputError, match="disagree"):
        fill_from_rates(totals, rates_table)


def test_fill_from_rates_needs_a_rates_dataframe():
    with pytest.raises(InputError, match="rates must be a DataFrame"):
        fill_from_rates(pd.Series([1.0], index=[2000]), [1, 2])


def test_infinite_and_non_numeric_inputs_are_refused():
    with pytest.raises(InputError, match="start is infinite"):
        compound_growth_rate(np.inf, 2, 1)
    with pytest.raises(InputError, match="end is infinite"):
        compound_growth_rate(1, np.inf, 1)
    with pytest.raises(InputError, match="start is not a number: 'a'"):
        compound_growth_rate("a", 2, 1)
    with pytest.raises(InputError, match="rate is not a number"):
        implied_value(283, "7%", 2008, 2007)
    with pytest.raises(InputError, match=r"row 2 \(year 2001\)"):
        period_changes(pd.DataFrame({"year": [2000, 2001], "value": [1.0, "x"]}, dtype=object))
    with pytest.raises(InputError, match=r"row 1 \(year 2000\): '1'"):  # a string is not a number, even "1"
        period_changes(pd.DataFrame({"year": [2000, 2001], "value": ["1", "2"]}))
    with pytest.raises(InputError, match="index"):
        period_changes(pd.Series([1.0, 2.0], index=["2000", "2001"]))
    with pytest.raises(InputError, match="infinite"):
        period_changes(pd.DataFrame({"year": [2000, 2001], "value": [1.0, np.inf]}))


def test_mismatched_shapes_name_the_arguments():
    with pytest.raises(InputError, match=r"start has shape \(2,\), end has shape \(3,\)"):
        compound_growth_rate([1.0, 2.0], [1.0, 2.0, 3.0], 1)
    with pytest.raises(InputError, match=r"value has shape \(2,\), rate has shape \(3,\)"):
        implied_value([1.0, 2.0], [0.1, 0.2, 0.3], 2000, 2001)
    # scalars broadcast: (4 / 1) ** (1 / 2) - 1 = 1 and (9 / 1) ** (1 / 2) - 1 = 2
    assert compound_growth_rate(1, [4.0, 9.0], 2).tolist() == pytest.approx([1.0, 2.0])


def test_errors_name_entity_and_year_not_positions():
    table = pd.DataFrame({"entity_code": ["A", "A", "B", "B"], "year": [2000, 2005, 2000, 2005],
                          "value": [1.0, 2.0, 0.0, 3.0]})
    with pytest.raises(ZeroBaseError, match="entity_code 'B', 2000 to 2005"):
        period_changes(table, undefined="raise")
    single = pd.DataFrame({"entity_code": ["A", "A", "B"], "year": [2000, 2005, 2000], "value": [1.0, 2.0, 3.0]})
    with pytest.raises(SpanError, match="for entity_code 'B'.*single year"):
        average_growth(single)
    labelled = pd.Series([1.0, 2.0, np.nan], index=[10, 11, 12])
    with pytest.raises(MissingValueError, match="index label 12"):
        compound_growth_rate(labelled, 2.0, 1)
    with pytest.raises(MissingValueError, match="value is missing .* index label 12"):
        period_changes(labelled)
    with pytest.raises(ZeroBaseError, match="index label 'B'"):
        compound_growth_rate(pd.Series([1.0, 0.0], index=["A", "B"]), 2.0, 1)
    repeated = pd.DataFrame({"code": ["X", "Y", "X"], "year": [2000, 2000, 2000], "value": [1.0, 2.0, 3.0]})
    with pytest.raises(InputError, match=r"row 3 \(code 'X', year 2000\) repeats .* row 1"):
        period_changes(repeated)


def test_pairs_without_a_rate_are_marked_not_silent():
    table = pd.DataFrame({"code": ["A"] * 4, "year": [2000, 2001, 2002, 2003], "value": [0.0, 4.0, 0.0, -2.0]})
    out = period_changes(table)
    # 0 -> 4: no base; 4 -> 0: falls 100 % (rate -1), no log; 0 -> -2: no base
    assert out["change"].tolist() == [4.0, -4.0, -2.0]
    assert np.isnan(out["relative_change"].iloc[0]) and out["relative_change"].iloc[1] == -1.0
    assert out["annual_rate"].iloc[1] == -1.0 and np.isnan(out["log_rate"].iloc[1])
    assert out["note"].tolist() == ["start is zero: no relative change or rate", "end is zero: no log rate",
                                    "start is zero: no relative change or rate"]
    signs = period_changes(pd.Series([-1.0, 2.0], index=[2000, 2001]))
    assert signs["relative_change"].iloc[0] == -3.0  # (2 - -1) / -1
    assert np.isnan(signs["annual_rate"].iloc[0]) and "opposite signs" in signs["note"].iloc[0]
    with pytest.raises(InputError, match="opposite|same sign"):
        period_changes(pd.Series([-1.0, 2.0], index=[2000, 2001]), undefined="raise")


def test_official_tables_with_code_column():
    import migstats

    knomad = migstats.knomad_inflows()
    out = period_changes(knomad)
    india = out[(out["code"] == "IND") & (out["year_start"] == 2007)].iloc[0]
    # KNOMAD 2017, India: 37,217 (2007) and 49,977 (2008) US$ million (PROVENANCE / upstream file)
    ind = knomad[knomad["code"] == "IND"].set_index("year")["value"]
    assert india["year_end"] == 2008
    assert india["relative_change"] == pytest.approx(ind[2008] / ind[2007] - 1)
    assert ind[2008] == pytest.approx(49_977, abs=1)
    # every entity-year pair once: one row per consecutive pair of each code
    pairs = knomad.groupby("code").size().sub(1).clip(lower=0).sum()
    assert len(out) == pairs


def test_report_figures_with_year_start():
    from migstats.datasets.report import figures

    totals = figures()
    totals = totals[totals["id"].isin(["rem_dev_2006", "rem_dev_2008"])]
    out = period_changes(totals, year="year_start", by=["entity_code", "measure"])
    # 229 -> 283 billion USD, 2006 to 2008: (283 / 229) ** 0.5 - 1 = 0.1116690
    assert out[["year_start", "year_end"]].iloc[0].tolist() == [2006, 2008]
    assert out["annual_rate"].iloc[0] == pytest.approx(0.1116690, abs=1e-6)
    with pytest.raises(InputError, match="cannot group by 'nope'"):
        period_changes(totals, year="year_start", by="nope")
    with pytest.raises(InputError, match="no 'year' column"):
        period_changes(totals)


def test_index_to_base_zero_names_the_entity():
    table = pd.DataFrame({"code": ["A", "A", "B", "B"], "year": [2000, 2001, 2000, 2001],
                          "value": [2.0, 3.0, 0.0, 1.0]})
    with pytest.raises(ZeroBaseError, match="the 2000 value is zero at code 'B'"):
        index_to_base(table, 2000)
    # A: 100 * 3 / 2 = 150
    ok = index_to_base(table[table["code"] == "A"], 2000)
    assert ok["index"].tolist() == [100.0, 150.0]


def test_average_growth_marks_or_raises_on_zero_starts():
    table = pd.DataFrame({"code": ["A", "A", "B", "B"], "year": [2000, 2002, 2000, 2002],
                          "value": [1.0, 4.0, 0.0, 5.0]})
    out = average_growth(table).set_index("code")
    # A: (4 / 1) ** (1 / 2) - 1 = 1; B has no base
    assert out.loc["A", "rate"] == pytest.approx(1.0) and out.loc["A", "note"] == ""
    assert np.isnan(out.loc["B", "rate"]) and out.loc["B", "note"].startswith("start is zero")
    with pytest.raises(ZeroBaseError, match="code 'B', 2000 to 2002"):
        average_growth(table, undefined="raise")
    with pytest.raises(InputError, match="undefined must be"):
        average_growth(table, undefined="ignore")
