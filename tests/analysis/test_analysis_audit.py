"""The audit of the report's claims: verdicts and recomputed values checked by hand."""

import pandas as pd
import pytest

from migstats.analysis import CHECKS, audit
from migstats.datasets.report import claims as load_claims
from migstats.datasets.report import figures
from migstats.datasets._paths import data_dir
from migstats.errors import UnitError, UnknownFigureError, UnknownNameError, ValidationError, ZeroBaseError

EXPECTED = {
    # 73 and 61 per cent are reproduced on the national base only
    "oecd_jpn_difference_base": "consistent",
    "oecd_deu_difference_base": "consistent",
    # the general "19 per cent higher" (all OECD countries together) is contradicted by every example the
    # report gives (Japan -73 %, Germany -61 %, Canada and the United States 0 %), but an aggregate is not
    # refuted by some of its members: the other countries could in principle make up the gap, so the
    # report's numbers cannot decide it -> ambiguous, not inconsistent
    "oecd_general_vs_jpn": "ambiguous",
    "oecd_general_vs_deu": "ambiguous",
    "oecd_general_vs_can": "ambiguous",
    "oecd_general_vs_usa": "ambiguous",
    "oecd_general_vs_jpn_deu_pooled": "ambiguous",
    "rem_2007_implied": "consistent",
    "rem_growth_decline": "consistent",
    "rem_2006_2008_increase": "consistent",
    "rem_egy_revision_upward": "consistent",
    "rem_nga_revision_upward": "consistent",
    "rem_top_three_vs_revised": "consistent",
    # India, China, Mexico "more than 20" each + Egypt 7.5 + Nigeria 18 is at least 85.5 but has no upper
    # limit: it may or may not exceed 283, which the module defines as ambiguous
    "rem_named_recipients_within_total": "ambiguous",
    "mig_lcn_share_world": "consistent",
    "mig_lcn_increase_2000_2005": "consistent",
    "census_available_within_conducted": "consistent",
    "census_birth_within_available": "consistent",
    "census_citizenship_within_available": "consistent",
    "hdr_after_gfmd_within_held": "consistent",
    "attend_speakers_within_participants": "consistent",
    "gfmd_civil_society_extension": "consistent",
    "gfmd_civil_society_days_before_agree": "consistent",
    "gfmd_civil_society_days_after_agree": "consistent",
    "census_key_questions_agree": "consistent",
}


@pytest.fixture(scope="module")
def result():
    return audit(figures(), load_claims()).set_index("claim_id")


def test_one_row_per_claim_with_the_documented_columns(result):
    assert list(result.reset_index().columns) == ["claim_id", "description", "stated", "recomputed",
                                                  "recomputed_low", "recomputed_high", "unit", "kind", "tolerance",
                                                  "verdict", "explanation"]
    assert set(result.index) == set(load_claims()["claim_id"])
    assert result["verdict"].isin(["consistent", "inconsistent", "ambiguous"]).all()
    assert (result["explanation"].str.len() > 0).all() and not result["explanation"].str.contains("\n").any()


def test_named_verdicts(result):
    assert result["verdict"].to_dict() == EXPECTED


def test_japan_and_germany_bases_by_hand(result):
    # 238000 / 325600 = 73.0958 %; 342500 / 558500 = 61.3250 %
    assert result.loc["oecd_jpn_difference_base", "recomputed"] == pytest.approx(73.0958, abs=1e-4)
    assert result.loc["oecd_deu_difference_base", "recomputed"] == pytest.approx(61.3250, abs=1e-4)
    assert "national base" in result.loc["oecd_jpn_difference_base", "explanation"]
    assert "271.69%" in result.loc["oecd_jpn_difference_base", "explanation"]  # 238000 / 87600


def test_general_statement_against_the_examples(result):
    # (87600 - 325600) / 325600 = -73.0958 %; pooled (303600 - 884100) / 884100 = -65.6600 %
    assert result.loc["oecd_general_vs_jpn", "recomputed"] == pytest.approx(-73.0958, abs=1e-4)
    assert result.loc["oecd_general_vs_jpn_deu_pooled", "recomputed"] == pytest.approx(-65.6600, abs=1e-4)
    assert result.loc["oecd_general_vs_can", "recomputed"] == 0
    assert "an aggregate can differ from its members" in result.loc["oecd_general_vs_usa", "explanation"]


def test_what_the_other_countries_would_need():
    """For all countries together to be 19 % higher, the rest must make up the examples' shortfall.

    With national N and OECD O for the examples and the rest (N_r, O_r):
    (O + O_r) / (N + N_r) = 1.19  <=>  O_r - N_r = 0.19 N - (O - N) + 0.19 N_r.
    Japan: 0.19 * 325,600 + 238,000 = 61,864 + 238,000 = 299,864.
    Germany: 0.19 * 558,500 + 342,500 = 106,115 + 342,500 = 448,615.
    Both: 0.19 * 884,100 + 580,500 = 167,979 + 580,500 = 748,479 persons (more than twice the two
    countries' OECD total of 303,600), plus 19 % of the other countries' national total.
    """
    result = audit(figures(), load_claims()).set_index("claim_id")
    for claim, need in [("oecd_general_vs_jpn", "299,864"), ("oecd_general_vs_deu", "448,615"),
                        ("oecd_general_vs_jpn_deu_pooled", "748,479")]:
        text = result.loc[claim, "explanation"]
        assert f"exceed their national figures by {need} person plus 19% of their own national total" in text
    # a rise of 19 % matched by an example would be consistent: the numbers decide then
    figs = figures()
    oecd = figs["id"] == "oecd_jpn_oecd_2006"
    one = load_claims().set_index("claim_id").loc[["oecd_general_vs_jpn"]].reset_index()
    matched = audit(figs.assign(value=figs["value"].where(~oecd, 325_600 * 1.19)), one).iloc[0]
    assert matched["verdict"] == "consistent" and matched["recomputed"] == pytest.approx(19.0)


def test_remittance_growth_by_hand(result):
    r = result.loc["rem_2007_implied"]
    # 283 / 1.07 = 264.486; with 7 per cent read as [6.5, 7.5]: 283 / 1.075 = 263.256, 283 / 1.065 = 265.728
    assert (r["recomputed"], r["recomputed_low"], r["recomputed_high"]) == pytest.approx(
        (264.486, 263.256, 265.728), abs=1e-3)
    # 264.486 / 229 - 1 = 15.496 %
    assert result.loc["rem_growth_decline", "recomputed"] == pytest.approx(15.496, abs=1e-3)
    # 283 / 229 - 1 = 23.581 %
    assert result.loc["rem_2006_2008_increase", "recomputed"] == pytest.approx(23.581, abs=1e-3)


def test_revisions_and_shares_by_hand(result):
    assert result.loc["rem_egy_revision_upward", "recomputed"] == pytest.approx(87.5)  # 3.5 / 4
    assert result.loc["rem_nga_revision_upward", "recomputed"] == pytest.approx(500.0)  # 15 / 3
    lac = result.loc["mig_lcn_share_world"]
    # 26 / 200 = 13 %; almost-hedges: 24.7 / 200 = 12.35 %, 26 / 190 = 13.684 %
    assert (lac["recomputed"], lac["recomputed_low"], lac["recomputed_high"]) == pytest.approx(
        (13.0, 12.35, 13.684), abs=1e-3)
    assert result.loc["census_available_within_conducted", "recomputed"] == 47
    # hedges carried: a share of two "almost" figures is approximate, a sum with "more than" parts a lower bound
    assert lac["kind"] == "approximate"
    assert result.loc["rem_named_recipients_within_total", "kind"] == "lower_bound"
    assert result.loc["oecd_jpn_difference_base", "kind"] == "point"


def test_tolerance_follows_the_stated_rounding():
    claims = load_claims()
    table = figures().set_index("id")
    stated = claims[claims["stated_figure"].notna()]
    assert len(stated) >= 8
    for claim in stated.itertuples():
        fig = table.loc[claim.stated_figure]
        assert fig["unit"] == "percent" and float(fig["value"]).is_integer()
        # a whole-number percentage stands for anything within half a point of it
        assert float(claim.tolerance) == 0.5
        assert "half a percentage point" in claim.tolerance_basis
    assert set(claims["check"]) <= set(CHECKS)


def test_verdicts_follow_the_numbers():
    figs = figures()
    stated = figs["id"] == "oecd_jpn_stated_difference"
    claims = load_claims()
    one = claims[claims["claim_id"] == "oecd_jpn_difference_base"]
    oecd_base = audit(figs.assign(value=figs["value"].where(~stated, 272.0)), one).iloc[0]
    assert oecd_base["verdict"] == "consistent" and "OECD base" in oecd_base["explanation"]
    nowhere = audit(figs.assign(value=figs["value"].where(~stated, 50.0)), one).iloc[0]
    assert nowhere["verdict"] == "inconsistent"
    equal = figs.assign(value=figs["value"].mask(figs["id"].isin(["oecd_jpn_national_2006", "oecd_jpn_oecd_2006"]),
                                                 1000.0).where(~stated, 0.0))
    assert audit(equal, one).iloc[0]["verdict"] == "ambiguous"  # every base gives 0
    census = claims[claims["claim_id"] == "census_available_within_conducted"]
    too_many = figs.assign(value=figs["value"].where(figs["id"] != "census_2010_round_data_available", 61.0))
    assert audit(too_many, census).iloc[0]["verdict"] == "inconsistent"


def test_unknown_figure_id_raises():
    claims = load_claims().iloc[:1].copy()
    claims["inputs"] = "first:no_such_figure;second:oecd_jpn_oecd_2006"
    with pytest.raises(UnknownFigureError, match="no_such_figure"):
        audit(figures(), claims)


def test_unknown_check_and_missing_role():
    claims = load_claims().iloc[:1].copy()
    with pytest.raises(UnknownNameError):
        audit(figures(), claims.assign(check="eval"))
    with pytest.raises(ValidationError, match="claim 'oecd_jpn_difference_base': .*role 'second'"):
        audit(figures(), claims.assign(inputs="first:oecd_jpn_national_2006"))
    implied = load_claims().set_index("claim_id").loc[["rem_2007_implied"]].reset_index()
    with pytest.raises(ValidationError, match="claim 'rem_2007_implied': .*from_year") as err:
        audit(figures(), implied.assign(params="to_year=2007"))
    assert err.value.column == "params" and err.value.row == 1


def _package_with_claims(root, text):
    """A data package folder holding the bundled descriptor and the given claims.csv text."""
    (root / "report").mkdir(parents=True)
    (root / "datapackage.json").write_text((data_dir() / "datapackage.json").read_text(encoding="utf-8"),
                                           encoding="utf-8")
    (root / "report" / "claims.csv").write_text(text, encoding="utf-8")
    return root


def test_claims_file_is_validated_by_its_schema(tmp_path):
    lines = (data_dir() / "report" / "claims.csv").read_text(encoding="utf-8").splitlines()
    header, first, second = lines[0], lines[1], lines[2]
    bad_check = second.replace(",difference_base,", ",not_a_check,")
    root = _package_with_claims(tmp_path / "a", "\n".join([header, first, bad_check]) + "\n")
    with pytest.raises(ValidationError) as err:
        load_claims(root=root)
    assert err.value.row == 2 and err.value.column == "check"
    assert err.value.file.endswith("claims.csv")
    root = _package_with_claims(tmp_path / "b", "\n".join([header, first.replace(",0.5,", ",-0.5,")]) + "\n")
    with pytest.raises(ValidationError) as err:
        load_claims(root=root)
    assert err.value.row == 1 and err.value.column == "tolerance"
    root = _package_with_claims(tmp_path / "c", "\n".join([header, first, first]) + "\n")
    with pytest.raises(ValidationError, match="duplicate") as err:
        load_claims(root=root)
    assert err.value.row == 2 and err.value.column == "claim_id"
    root = _package_with_claims(tmp_path / "d", "claim_id\nx\n")
    with pytest.raises(ValidationError, match="missing column"):
        load_claims(root=root)
    with pytest.raises(ValidationError) as err:
        audit(figures(), load_claims().iloc[:1].assign(tolerance="half a point"))
    assert err.value.column == "tolerance"


def test_schema_lists_exactly_the_registered_checks():
    from migstats.datasets.schema import resource_descriptor

    fields = {f["name"]: f for f in resource_descriptor("report-claims")["schema"]["fields"]}
    assert set(fields["check"]["constraints"]["enum"]) == set(CHECKS)
    assert load_claims().attrs["path"].endswith("claims.csv")


def test_bad_round_parameter_names_the_claims_row_and_params():
    claims = load_claims()
    for bad in ("abc", "-0.5", "inf"):
        edited = claims.assign(params=claims["params"].where(claims["claim_id"] != "rem_2007_implied",
                                                             f"from_year=2008;to_year=2007;round_rate={bad}"))
        with pytest.raises(ValidationError, match="rem_2007_implied") as err:
            audit(figures(), edited)
        row = int((claims["claim_id"] == "rem_2007_implied").to_numpy().argmax()) + 1
        assert err.value.row == row == 8 and err.value.column == "params"
        assert err.value.file.endswith("claims.csv") and "round_rate" in str(err.value)


def test_figure_errors_carry_the_claim_id():
    figs = figures()
    share = load_claims().set_index("claim_id").loc[["mig_lcn_share_world"]].reset_index()
    zero_world = figs.assign(value=figs["value"].where(figs["id"] != "mig_wld_2005", 0.0))
    with pytest.raises(ZeroBaseError, match="claim 'mig_lcn_share_world'"):
        audit(zero_world, share)
    direction = load_claims().set_index("claim_id").loc[["rem_2006_2008_increase"]].reset_index()
    persons = figs.assign(unit=figs["unit"].where(figs["id"] != "rem_dev_2008", "person"))
    with pytest.raises(UnitError, match="claim 'rem_2006_2008_increase'"):
        audit(persons, direction)


def test_parts_that_may_exceed_the_whole_are_ambiguous(result):
    # lower bounds 20 + 20 + 20 + 7.5 + 18 = 85.5, no upper limit; the whole is 283
    row = result.loc["rem_named_recipients_within_total"]
    assert (row["recomputed_low"], row["recomputed_high"]) == (85.5, float("inf"))
    assert row["verdict"] == "ambiguous" and "may or may not exceed" in row["explanation"]


def test_every_checkable_link_of_the_figure_table_is_audited():
    """Links relate figures the report's own numbers can test; each such figure must be in a claim.

    Only "part_of" groups without a stated total (parts listed side by side) are not checkable.
    """
    from migstats.datasets.report import links

    claims = load_claims()
    used = set(claims["stated_figure"])
    for text in claims["inputs"]:
        used |= {pair.split(":", 1)[1] for pair in text.split(";")}
    groups = links().groupby("link_id")
    checkable = [g for _, g in groups if (g["relation"] != "part_of").any() or g["role"].isin(["total", "whole"]).any()]
    assert len(checkable) >= 10
    missing = sorted(set().union(*(set(g["figure_id"]) for g in checkable)) - used)
    assert missing == []
