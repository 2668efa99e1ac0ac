"""Invariants of the status rules that hold for every input (hypothesis), and the direction, forecast and roll-up rules."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indicators import status

figure = st.decimals(min_value=-10**6, max_value=10**6, places=4, allow_nan=False, allow_infinity=False)
maybe = st.one_of(st.none(), figure)
tolerance = st.decimals(min_value=0, max_value=50, places=2, allow_nan=False, allow_infinity=False)
FLIP = {"higher": "lower", "lower": "higher"}


def _neg(v):
    return None if v is None else -v


@given(actual=maybe, target=maybe, tol=tolerance, polarity=st.sampled_from(["higher", "lower"]),
       annual=st.booleans(), robust=st.booleans())
def test_flipping_polarity_and_every_sign_leaves_the_status_unchanged(actual, target, tol, polarity, annual, robust):
    before = status.assess(actual=actual, target=target, polarity=polarity, tolerance_pct=tol, annual=annual,
                           action_plan_robust=robust)
    after = status.assess(actual=_neg(actual), target=_neg(target), polarity=FLIP[polarity], tolerance_pct=tol,
                          annual=annual, action_plan_robust=robust)
    assert (after.status, after.reason, after.target_result) == (before.status, before.reason, before.target_result)


@given(actual=maybe, lower=maybe, upper=maybe, tol=tolerance)
def test_flipping_a_range_and_every_sign_leaves_the_status_unchanged(actual, lower, upper, tol):
    before = status.assess(actual=actual, lower=lower, upper=upper, polarity="range", tolerance_pct=tol)
    after = status.assess(actual=_neg(actual), lower=_neg(upper), upper=_neg(lower), polarity="range", tolerance_pct=tol)
    assert (after.status, after.reason, after.target_result) == (before.status, before.reason, before.target_result)


@given(current=maybe, previous=maybe, polarity=st.sampled_from(["higher", "lower"]))
def test_flipping_polarity_and_signs_leaves_the_direction_unchanged(current, previous, polarity):
    assert status.direction(current=current, previous=previous, polarity=polarity) == status.direction(
        current=_neg(current), previous=_neg(previous), polarity=FLIP[polarity]
    )


@given(a=figure, b=figure, target=figure, tol=tolerance, polarity=st.sampled_from(["higher", "lower"]))
def test_a_better_actual_never_gets_a_worse_status(a, b, target, tol, polarity):
    worse, better = sorted([a, b]) if polarity == "higher" else sorted([a, b], reverse=True)
    s_worse = status.assess(actual=worse, target=target, polarity=polarity, tolerance_pct=tol).status
    s_better = status.assess(actual=better, target=target, polarity=polarity, tolerance_pct=tol).status
    assert status.SEVERITY[s_worse] <= status.SEVERITY[s_better]


@given(actual=figure, target=figure, small=tolerance, extra=tolerance)
def test_a_wider_tolerance_never_gives_a_worse_status(actual, target, small, extra):
    narrow = status.assess(actual=actual, target=target, polarity="higher", tolerance_pct=small).status
    wide = status.assess(actual=actual, target=target, polarity="higher", tolerance_pct=small + extra).status
    assert status.SEVERITY[narrow] <= status.SEVERITY[wide]


def test_a_weak_template_is_red_even_before_the_figure_arrives():
    result = status.assess(actual=None, target=100, polarity="higher", action_plan_robust=False)
    assert (result.status, result.reason) == ("R", "no robust action plan")


def test_direction_judges_a_fall_in_sickness_as_an_improvement():
    assert status.direction(current=8, previous=10, polarity="lower") == "improving"
    assert status.direction(current=12, previous=10, polarity="lower") == "deteriorating"
    assert status.direction(current=12, previous=10, polarity="higher") == "improving"


def test_a_change_within_the_stable_band_is_stable():
    assert status.direction(current=Decimal("100.9"), previous=100, polarity="higher", band_pct=1) == "stable"
    assert status.direction(current=Decimal("101.1"), previous=100, polarity="higher", band_pct=1) == "improving"


@pytest.mark.parametrize(("current", "previous", "polarity"), [(None, 1, "higher"), (1, None, "lower"), (1, 2, "none")])
def test_direction_is_not_comparable_without_both_figures_or_for_data_only(current, previous, polarity):
    assert status.direction(current=current, previous=previous, polarity=polarity) == "not_comparable"


def test_moving_towards_a_range_is_improving():
    assert status.direction(current=22, previous=25, polarity="range", lower=10, upper=20) == "improving"
    assert status.direction(current=15, previous=12, polarity="range", lower=10, upper=20) == "stable"


def test_forecast_outturn_is_linear_from_the_months_elapsed():
    assert status.forecast_outturn(actual=Decimal("3.2"), months_elapsed=4) == Decimal("9.6")
    assert status.forecast_outturn(actual=None, months_elapsed=4) is None


def test_an_objective_rolls_up_to_its_worst_indicator_by_default():
    assert status.rollup(["G", "A", "G"]) == "A"
    assert status.rollup(["G", None]) == "G"
    assert status.rollup([None]) is None


def test_the_majority_rule_takes_the_most_common_status_and_a_tie_goes_to_the_worse():
    assert status.rollup(["G", "G", "R"], rule="majority") == "G"
    assert status.rollup(["G", "R"], rule="majority") == "R"


def test_an_objective_override_wins_only_with_a_reason():
    assert status.rollup(["R"], override="G", override_reason="Funding agreed after the period") == "G"
    assert status.rollup(["R"], override="G", override_reason="  ") == "R"


def test_an_unknown_rollup_rule_is_refused():
    with pytest.raises(ValueError, match="unknown roll-up rule"):
        status.rollup(["G"], rule="average")
