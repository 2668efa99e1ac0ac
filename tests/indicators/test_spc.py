"""The SPC rules (DOMAIN.md, NHS "Making Data Count", docs/spc.md) as pure functions: our own cases.

The peers' published cases are in test_spc_peers.py; these are the behaviours the issue names
(same side, precedence, V-shaped trends, gaps, neutral labels) and the options.
"""

import numpy as np
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
    flags = spc.outside_limits(values, spc.limits(values))
    assert flags[-1] == "high"
    assert flags[:-1] == [None] * 11


def test_seven_points_on_one_side_of_the_mean_is_a_run_but_six_is_not():
    assert spc.runs_one_side([1, 1, 1, 1, 1, 1, 1], mean=0) == ["high"] * 7
    assert spc.runs_one_side([1, 1, 1, 1, 1, 1, -1], mean=0) == [None] * 7
    assert spc.runs_one_side([1, 1, 1, 1, 1, 1, -1], mean=0, length=6) == ["high"] * 6 + [None]


def test_a_point_on_the_mean_breaks_the_run():
    assert spc.runs_one_side([1, 1, 1, 0, 1, 1, 1, 1], mean=0) == [None] * 8


SIGMA = spc.Limits(mean=0, mean_moving_range=1, upper=3, lower=-3, upper_two_sigma=2, lower_two_sigma=-2)


def test_two_of_three_counts_only_points_beyond_the_same_two_sigma_line():
    assert spc.two_of_three([1, 2.5, 1, 2.5, 1], SIGMA) == [None, "high", None, "high", None]
    # one beyond the upper line and one beyond the lower line are not the same side
    assert spc.two_of_three([2.5, -1, -2.5, 1], SIGMA) == [None] * 4


def test_two_of_three_needs_all_three_points_on_that_side_of_the_mean():
    assert spc.two_of_three([2.5, -1, 2.5], SIGMA) == [None] * 3


def test_a_point_beyond_three_sigma_counts_as_beyond_two_sigma():
    assert spc.two_of_three([3.5, 1, 2.5], SIGMA) == ["high", None, "high"]


def test_a_v_shaped_pair_of_trends_gives_the_turning_point_to_the_later_trend():
    falling_then_rising = [13, 12, 11, 10, 9, 8, 7, 8, 9, 10, 11, 12, 13]
    flags = spc.trends(falling_then_rising)
    assert flags[:6] == ["low"] * 6
    assert flags[6] == "high"  # the bottom of the V starts the rise
    assert flags[7:] == ["high"] * 6


def test_a_rising_trend_below_the_mean_is_an_improvement_when_higher_is_better():
    """Precedence: a trend outranks a shift, so a rise that is still below the mean counts as rising."""
    values = [20, 21, 20, 21, 20, 21, 20, 21, 20, 21, 20, 10, 11, 12, 13, 14, 15, 16]
    result = spc.analyse(values, polarity="higher")
    assert result.point_rules[-1] == spc.TREND_RULE
    assert result.variation == spc.IMPROVEMENT and result.side == spc.HIGH


def test_outside_the_limits_outranks_every_other_rule():
    lim = spc.Limits(mean=0, mean_moving_range=1, upper=3, lower=-3, upper_two_sigma=2, lower_two_sigma=-2)
    # A fall of seven points that ends above the upper limit: the last point is "high", not "falling".
    values = [20, 19, 18, 17, 16, 15, 14]
    assert spc.classify(values, lim, polarity="higher")[-1] == spc.IMPROVEMENT
    assert spc.classify(values[:-1] + [2.5], lim, polarity="higher")[-1] == spc.CONCERN  # then the trend speaks


def test_a_missing_month_is_a_gap_not_a_join():
    with_gap = [10, 12, 10, None, 40, 12, 10, 12, 10, 12, 10, 12, 10, 12]
    joined = [v for v in with_gap if v is not None]
    gap = spc.analyse(with_gap, polarity="higher")
    # the jump from 10 to 40 across the gap is not a moving range
    assert gap.limits.mean_moving_range < spc.analyse(joined, polarity="higher").limits.mean_moving_range
    assert gap.values[3] is None and len(gap.point_sides) == len(with_gap)


def test_a_missing_month_ends_a_run():
    values = [5, 5, 5, 5, None, 5, 5, 5, 0, 0, 0, 0, 0, 0]
    assert spc.analyse(values, polarity="higher").signals.run[:8] == [None] * 8


def test_fewer_than_twelve_points_is_not_enough_for_a_judgement():
    result = spc.analyse(FLAT[:11], polarity="higher", target=11)
    assert result.variation == spc.NOT_ENOUGH
    assert result.assurance == spc.NOT_ENOUGH
    assert "at least 12" in result.explanation


def test_trial_limits_judge_fewer_points_and_say_so():
    result = spc.analyse(FLAT[:8], polarity="higher", target=11, options=spc.Options(trial_limits=True))
    assert result.variation == spc.COMMON and result.trial
    assert result.explanation.startswith("Trial limits: they come from 8 points")


def test_a_latest_point_far_above_is_improvement_when_higher_is_better_and_concern_when_lower_is():
    values = [*FLAT, 40]
    assert spc.analyse(values, polarity="higher").variation == spc.IMPROVEMENT
    assert spc.analyse(values, polarity="lower").variation == spc.CONCERN
    assert spc.analyse(values, polarity="higher").explanation.startswith("This is a real change: a point is outside")


@pytest.mark.parametrize("polarity", ["none", "range"])
def test_an_indicator_with_no_direction_of_good_keeps_its_high_or_low_label(polarity):
    assert spc.analyse([*FLAT, 40], polarity=polarity).variation == spc.NEUTRAL_HIGH
    assert spc.analyse([*FLAT, -20], polarity=polarity).variation == spc.NEUTRAL_LOW
    assert "unusually low" in spc.analyse([*FLAT, -20], polarity=polarity).explanation


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


@pytest.mark.parametrize(
    ("lower", "upper", "expected"),
    [(0, 20, spc.PASS), (17, 20, spc.FAIL), (0, 5, spc.FAIL), (14, 20, spc.HIT_AND_MISS), (11, 20, spc.HIT_AND_MISS), (None, 20, spc.PASS),
     (None, None, None)],
)
def test_assurance_against_a_range_target(lower, upper, expected):
    # FLAT's limits are 5.68 to 16.32
    assert spc.analyse(FLAT, polarity="range", lower=lower, upper=upper).assurance == expected


def test_rebasing_gives_each_stretch_its_own_limits_and_the_latest_is_judged_on_its_own():
    before, after = [10, 12] * 6, [30, 32] * 6
    result = spc.analyse(before + after, polarity="higher", options=spc.Options(rebase_at=(12,)))
    assert [s.start for s in result.segments] == [0, 12]
    assert result.segments[1].limits.mean == 31
    assert result.variation == spc.COMMON  # without the rebase the new level is a shift
    assert spc.analyse(before + after, polarity="higher").variation == spc.IMPROVEMENT


def test_a_baseline_fixes_the_limits_on_its_points():
    values = [10, 12] * 6 + [20, 22, 20, 22]
    result = spc.analyse(values, polarity="higher", options=spc.Options(baseline_end=11))
    assert result.limits.mean == 11 and result.segments[0].baseline_end == 11
    assert result.variation == spc.IMPROVEMENT


def test_screening_extreme_moving_ranges_narrows_the_limits():
    values = [*FLAT, 60, 11, 12, 10]
    wide = spc.analyse(values, polarity="higher").limits
    narrow = spc.analyse(values, polarity="higher", options=spc.Options(screen_outliers=True)).limits
    assert narrow.upper < wide.upper and narrow.mean == wide.mean


def test_many_series_are_judged_as_each_would_be_alone():
    rng = np.random.default_rng(7)
    rows = [list(rng.normal(50, 5, 24).round(1)) for _ in range(40)]
    rows[1][-1] = 200.0
    rows[5][10] = None
    polarities = ["higher", "lower", "none", "range"] * 10
    targets = [(55, None, None), (45, None, None), None, (None, 40, 60)] * 10
    options = [spc.Options(run_length=6) if i % 3 else None for i in range(40)]
    many = spc.analyse_many(rows, polarities=polarities, targets=targets, options=options)
    for row, pol, tgt, opt, got in zip(rows, polarities, targets, options, many, strict=True):
        target, lower, upper = tgt or (None, None, None)
        alone = spc.analyse(row, polarity=pol, target=target, lower=lower, upper=upper, options=opt)
        assert (got.variation, got.side, got.assurance) == (alone.variation, alone.side, alone.assurance)
    assert many[1].variation == spc.CONCERN  # 200 in a lower-is-better series
