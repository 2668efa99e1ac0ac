"""The SPC rules (DOMAIN.md, NHS "Making Data Count"), rule by rule, as pure functions."""

import pytest

from indicators import spc

FLAT = [10, 12, 10, 12, 10, 12, 10, 12, 10, 12, 10, 12]


def test_limits_are_the_mean_plus_or_minus_2_66_times_the_mean_moving_range():
    lim = spc.limits([10, 12, 10, 12])
    assert lim.mean == 11
    assert lim.mean_moving_range == 2
    assert lim.upper == pytest.approx(11 + 2.66 * 2)
    assert lim.lower == pytest.approx(11 - 2.66 * 2)
    assert lim.upper_two_sigma == pytest.approx(11 + 2 / 3 * 2.66 * 2)


def test_a_point_outside_the_limits_is_special_cause():
    values = [*FLAT[:-1], 30]
    lim = spc.limits(values)
    flags = spc.outside_limits(values, lim)
    assert flags[-1] == "high"
    assert flags[:-1] == [None] * 11


def test_seven_points_on_one_side_of_the_mean_is_a_run_but_six_is_not():
    assert spc.runs_one_side([1, 1, 1, 1, 1, 1, 1], mean=0) == ["high"] * 7
    assert spc.runs_one_side([1, 1, 1, 1, 1, 1, -1], mean=0) == [None] * 7
    assert spc.runs_one_side([-1] * 8, mean=0) == ["low"] * 8


def test_a_point_on_the_mean_breaks_the_run():
    values = [1, 1, 1, 0, 1, 1, 1, 1]
    assert spc.runs_one_side(values, mean=0) == [None] * 8


def test_seven_points_rising_is_a_trend_and_an_equal_value_breaks_it():
    assert spc.trends([1, 2, 3, 4, 5, 6, 7]) == ["high"] * 7
    assert spc.trends([7, 6, 5, 4, 3, 2, 1]) == ["low"] * 7
    assert spc.trends([1, 2, 3, 3, 4, 5, 6]) == [None] * 7
    assert spc.trends([0, 1, 2, 3, 4, 5]) == [None] * 6


def test_two_of_three_beyond_the_two_sigma_line_on_the_same_side():
    lim = spc.Limits(mean=0, mean_moving_range=1, upper=2.66, lower=-2.66, upper_two_sigma=1.77, lower_two_sigma=-1.77)
    assert spc.two_of_three([0, 2, 0, 2, 0], lim) == [None, "high", None, "high", None]
    # one above and one below is not the same side
    assert spc.two_of_three([2, 0, -2, 0], lim) == [None] * 4
    # two beyond but four points apart are not within three
    assert spc.two_of_three([2, 0, 0, 2], lim) == [None] * 4


def test_fewer_than_twelve_points_is_not_enough_for_a_judgement():
    result = spc.analyse(FLAT[:11], polarity="higher", target=11)
    assert result.variation == spc.NOT_ENOUGH
    assert result.assurance == spc.NOT_ENOUGH
    assert "at least 12" in result.explanation


def test_a_latest_point_far_above_is_improvement_when_higher_is_better_and_concern_when_lower_is():
    values = [*FLAT, 40]
    assert spc.analyse(values, polarity="higher").variation == spc.IMPROVEMENT
    assert spc.analyse(values, polarity="lower").variation == spc.CONCERN
    assert spc.analyse(values, polarity="none").variation == spc.SPECIAL
    assert spc.analyse(values, polarity="higher").explanation.startswith("This is a real change: a point is outside")


def test_steady_figures_are_common_cause_and_say_so_in_plain_words():
    result = spc.analyse(FLAT, polarity="higher")
    assert result.variation == spc.COMMON
    assert "common cause variation" in result.explanation


@pytest.mark.parametrize(
    ("target", "polarity", "expected"),
    [(5, "higher", spc.PASS), (20, "higher", spc.FAIL), (11, "higher", spc.HIT_AND_MISS),
     (5, "lower", spc.FAIL), (20, "lower", spc.PASS), (None, "higher", None), (11, "none", None)],
)
def test_assurance_against_the_target(target, polarity, expected):
    assert spc.analyse(FLAT, polarity=polarity, target=target).assurance == expected
