"""The status rules for one reading, rule by rule."""

from decimal import Decimal

import pytest

from indicators import status


def test_on_target_or_better_is_green_for_higher_is_better():
    assert status.assess(actual=220, target=220, polarity="higher").status == "G"
    assert status.assess(actual=230, target=220, polarity="higher").status == "G"


def test_worse_within_tolerance_is_amber_and_beyond_is_red():
    assert status.assess(actual=95, target=100, polarity="higher", tolerance_pct=5).status == "A"
    assert status.assess(actual=Decimal("94.9"), target=100, polarity="higher", tolerance_pct=5).status == "R"


def test_lower_is_better_judges_a_rise_as_worse():
    assert status.assess(actual=9, target=9, polarity="lower").status == "G"
    assert status.assess(actual=Decimal("9.4"), target=9, polarity="lower", tolerance_pct=5).status == "A"
    assert status.assess(actual=10, target=9, polarity="lower", tolerance_pct=5).status == "R"


def test_no_target_is_red_with_the_reason():
    result = status.assess(actual=10, target=None, polarity="higher")
    assert (result.status, result.reason) == ("R", "no target")


def test_missing_actual_is_no_data_not_zero():
    result = status.assess(actual=None, target=10, polarity="higher")
    assert (result.status, result.reason) == (None, "no data")


def test_override_is_shown_and_the_computed_status_kept():
    result = status.assess(actual=50, target=100, polarity="higher", override="A", override_reason="data lag")
    assert (result.status, result.computed, result.overridden) == ("A", "R", True)


def test_annual_indicator_meeting_its_year_end_target_is_blue():
    assert status.assess(actual=10, target=10, polarity="higher", annual=True).status == "B"


def test_no_robust_action_plan_is_red_even_with_a_target():
    result = status.assess(actual=100, target=100, polarity="higher", action_plan_robust=False)
    assert (result.status, result.reason) == ("R", "no robust action plan")


@pytest.mark.parametrize(
    ("actual", "expected"), [(100, "met"), (95, "off"), (90, "off"), (Decimal("89.9"), "off_over_10pct")]
)
def test_met_and_off_target_by_more_than_ten_percent(actual, expected):
    assert status.assess(actual=actual, target=100, polarity="higher").target_result == expected


def test_within_a_range_is_green_and_outside_is_judged_from_the_bound_missed():
    assert status.assess(actual=15, lower=10, upper=20, polarity="range").status == "G"
    assert status.assess(actual=Decimal("21.5"), lower=10, upper=20, polarity="range", tolerance_pct=5).status == "R"
    assert status.assess(actual=Decimal("20.5"), lower=10, upper=20, polarity="range", tolerance_pct=5).status == "A"


def test_data_only_indicators_have_no_status():
    assert status.assess(actual=5, polarity="none").status is None


def test_worst_status_orders_red_amber_green_blue():
    assert status.worst(["G", "B", "A"]) == "A"
    assert status.worst(["G", None]) == "G"
    assert status.worst([]) is None
