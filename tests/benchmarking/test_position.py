"""Rank, quartile, median, gaps and outliers of one council among comparators, checked by hand."""

from decimal import Decimal as D

import pytest

from benchmarking.position import (
    Polarity,
    as_polarity,
    position,
    quartile_of,
    rank_trend,
)

HIGHER, LOWER = Polarity("higher"), Polarity("lower")
BAND = Polarity("band", D(4), D(6))

# A 16-council nearest-neighbour group ("US" is our council), one figure each.
#
# Best first when higher is better:
#   rank:  1   2   3   4   5   6   7   8   8   10  11  12  13  14  15  16
#   code:  A   B   C   US  D   E   F   G   H   I   J   K   L   M   N   O
#   value: 90  88  85  82  80  79  77  76  76  74  72  70  68  65  60  41
# Median: the 8th and 9th of 16 sorted figures, 76 and 76 -> 76.
# Quartile = ceil(4 x rank / 16): ranks 1-4 top, 5-8 upper middle, 9-12 lower middle, 13-16 bottom.
#   US is 4th -> top quartile. G and H tie for 8th (positions 8 and 9, either side of the
#   upper/lower middle boundary): both take rank 8 and the upper middle quartile; I is 10th.
# Top boundary: the figure at rank floor(16/4) = 4 -> 82 (ours). Lower quartile boundary: the
#   figure at rank floor(3 x 16/4) = 12 -> 70.
# Gap to median: 82 - 76 = +6 (better). Gap to top quartile: 0 (in it).
# Outliers: deviations from 76 sorted are 0 0 1 2 3 4 4 6 | 6 8 9 11 12 14 16 35, so the MAD is
#   (6 + 6) / 2 = 6; scaled, 1.4826 x 6 = 8.8956; 3 scaled MADs = 26.6868. Only O (41, 35 below
#   the median) is further out: a "low" outlier. US (6 from the median) is not.
#
# When lower is better, the same figures rank the other way round: US (82) has 12 lower
# figures -> rank 13 -> ceil(52/16) = 4, the bottom quartile. Top boundary: 4th lowest, 68.
# Lower quartile boundary: 12th lowest, 80. Gap to median: 76 - 82 = -6 (worse). Gap to top
# quartile: 82 - 68 = 14.
GROUP = {
    code: D(v) for code, v in zip(
        ["A", "B", "C", "US", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N", "O"],
        [90, 88, 85, 82, 80, 79, 77, 76, 76, 74, 72, 70, 68, 65, 60, 41], strict=True,
    )
}

# A "Goldilocks" measure with a target band of 4 to 6 (a 16-council group):
#   inside the band (distance 0): A 4.0, B 4.5, C 5.0, D 5.2, E 5.5, F 5.8, G 6.0 -> joint 1st, all 7
#   outside: H 6.3 (0.3) 8th, I 3.6 (0.4) 9th, US 6.6 (0.6) 10th, J 3.2 (0.8) 11th, K 7.0 (1.0) 12th,
#            L 2.8 (1.2) 13th, M 7.5 (1.5) 14th, N 2.0 (2.0) 15th, O 8.1 (2.1) 16th
# US: rank 10 -> ceil(40/16) = 3, lower middle quartile; 0.6 outside the band.
# The councils ranked 1-4 are all inside the band, so the top quartile needs distance 0: the gap
#   to the top quartile is 0.6. The median distance (8th and 9th of 16: 0.3 and 0.4) is 0.35, so
#   the gap to the median is 0.35 - 0.6 = -0.25 (further from the band than the median council).
# The median figure (8th and 9th sorted: 5.2 and 5.5) is 5.35.
BAND_GROUP = {
    code: D(v) for code, v in zip(
        ["A", "B", "C", "D", "E", "F", "G", "H", "I", "US", "J", "K", "L", "M", "N", "O"],
        ["4.0", "4.5", "5.0", "5.2", "5.5", "5.8", "6.0", "6.3", "3.6", "6.6", "3.2", "7.0", "2.8", "7.5", "2.0", "8.1"],
        strict=True,
    )
}


def test_sixteen_councils_higher_is_better_match_the_hand_calculation():
    p = position(GROUP, "US", HIGHER)
    assert (p.value, p.rank, p.tied, p.of, p.missing, p.quartile) == (D(82), 4, False, 16, (), 1)
    assert (p.median, p.top_boundary, p.lower_quartile_boundary) == (D(76), D(82), D(70))
    assert (p.gap_to_median, p.gap_to_top_quartile, p.outlier) == (D(6), D(0), None)
    assert p.quartile_name == "top"
    assert [code for code, _, _ in p.ranked][:5] == ["A", "B", "C", "US", "D"]
    assert position(GROUP, "O", HIGHER).outlier == "low"


def test_sixteen_councils_lower_is_better_rank_the_other_way_round():
    p = position(GROUP, "US", LOWER)
    assert (p.rank, p.quartile, p.quartile_name) == (13, 4, "bottom")
    assert (p.median, p.top_boundary, p.lower_quartile_boundary) == (D(76), D(68), D(80))
    assert (p.gap_to_median, p.gap_to_top_quartile) == (D(-6), D(14))
    # An outlier is "low" by its figure, whichever way is better.
    assert position(GROUP, "O", LOWER).outlier == "low"
    assert position(GROUP, "O", LOWER).rank == 1


def test_band_measure_ranks_by_distance_outside_the_band():
    p = position(BAND_GROUP, "US", BAND)
    assert (p.rank, p.quartile, p.outside_band) == (10, 3, D("0.6"))
    assert (p.gap_to_top_quartile, p.gap_to_median, p.median) == (D("0.6"), D("-0.25"), D("5.35"))
    assert (p.top_boundary, p.lower_quartile_boundary, p.outlier) == (None, None, None)
    inside = position(BAND_GROUP, "A", BAND)
    assert (inside.rank, inside.tied, inside.quartile, inside.shared_with, inside.outside_band) == (1, True, 1, 6, D(0))
    assert {code for code, _, rank in p.ranked if rank == 1} == set("ABCDEFG")
    assert position(BAND_GROUP, "O", BAND).rank == 16


def test_a_tie_across_a_quartile_boundary_takes_the_better_rank_and_quartile():
    g = position(GROUP, "G", HIGHER)
    h = position(GROUP, "H", HIGHER)
    assert (g.rank, g.tied, g.quartile) == (8, True, 2)
    assert (h.rank, h.tied, h.quartile) == (8, True, 2)
    assert position(GROUP, "I", HIGHER).rank == 10
    # Tied 4th and 5th: both are 4th and both in the top quartile, five councils in all.
    tied = dict(GROUP, D=D(82))
    assert [position(tied, c, HIGHER).quartile for c in ("US", "D", "E")] == [1, 1, 2]
    assert position(tied, "US", HIGHER).rank == position(tied, "D", HIGHER).rank == 4
    assert position(tied, "E", HIGHER).rank == 6


def test_missing_figures_are_left_out_and_listed():
    values = dict(GROUP, X=None, Y=None)
    p = position(values, "US", HIGHER)
    assert (p.of, p.missing, p.group_size, p.rank, p.median) == (16, ("X", "Y"), 18, 4, D(76))
    ours_missing = position(dict(GROUP, US=None), "US", HIGHER)
    assert (ours_missing.value, ours_missing.rank, ours_missing.quartile, ours_missing.of) == (None, None, None, 15)
    assert ours_missing.missing == ("US",)
    assert ours_missing.median == D(76)  # 15 figures: the 8th sorted, 76
    assert ours_missing.gap_to_median is None


def test_a_council_outside_the_group_has_no_position():
    assert position(GROUP, "ZZ", HIGHER) is None


@pytest.mark.parametrize("figures, rank, median, gap", [
    ({"US": D(5)}, 1, D(5), D(0)),
    ({"US": D(10), "A": D(20)}, 2, D(15), D(-5)),
    ({"US": D(10), "A": D(20), "B": D(30)}, 3, D(20), D(-10)),
])
def test_groups_of_one_to_three_have_a_rank_and_median_but_no_quartile(figures, rank, median, gap):
    p = position(figures, "US", HIGHER)
    assert (p.rank, p.of, p.median, p.gap_to_median) == (rank, len(figures), median, gap)
    assert (p.quartile, p.top_boundary, p.lower_quartile_boundary, p.gap_to_top_quartile, p.outlier) == (
        None, None, None, None, None)


def test_all_figures_equal_share_first_place_with_no_outlier():
    p = position({c: D(7) for c in ("US", "A", "B", "C", "D")}, "US", LOWER)
    assert (p.rank, p.tied, p.quartile, p.median, p.gap_to_median, p.outlier, p.shared_with) == (
        1, True, 1, D(7), D(0), None, 4)


def test_outliers_by_median_absolute_deviation_both_ways():
    figures = {"US": D(100), "A": D(10), "B": D(11), "C": D(12), "D": D(13), "E": D(14)}
    # median 12.5; deviations 87.5 2.5 1.5 0.5 0.5 1.5 -> MAD 1.5, 3 x 1.4826 x 1.5 = 6.67
    assert position(figures, "US", HIGHER).outlier == "high"
    assert position(figures, "A", HIGHER).outlier is None
    assert position(dict(figures, US=D(-60)), "US", HIGHER).outlier == "low"
    # At the threshold: with US anywhere above 14 the median stays 12.5 and the MAD 1.5, so the
    # limit is 12.5 + 6.6717 = 19.1717: 19.17 is inside it, 19.18 beyond.
    assert position(dict(figures, US=D("19.17")), "US", HIGHER).outlier is None
    assert position(dict(figures, US=D("19.18")), "US", HIGHER).outlier == "high"


def test_quartile_of_rank_follows_lgbf():
    assert [quartile_of(r, 16) for r in range(1, 17)] == [1] * 4 + [2] * 4 + [3] * 4 + [4] * 4
    assert [quartile_of(r, 10) for r in range(1, 11)] == [1, 1, 2, 2, 2, 3, 3, 4, 4, 4]
    assert quartile_of(1, 3) is None


def _at(rank, of):
    values = {f"C{i}": D(100 - i) for i in range(of)}
    return position(values, f"C{rank - 1}", HIGHER)


def test_rank_trend():
    assert rank_trend(_at(9, 16), _at(4, 16)) == "up"
    assert rank_trend(_at(4, 16), _at(9, 16)) == "down"
    assert rank_trend(_at(4, 16), _at(4, 16)) == "same"
    # Different sizes: compared as the share of the way down the group.
    assert rank_trend(_at(4, 8), _at(5, 16)) == "up"  # 3/7 -> 4/15
    assert rank_trend(_at(2, 16), _at(2, 4)) == "down"  # 1/15 -> 1/3
    assert rank_trend(None, _at(4, 16)) is None
    assert rank_trend(_at(4, 16), position({"C3": None, "C1": D(1)}, "C3", HIGHER)) is None


def test_polarities_as_the_metrics_keep_them():
    assert as_polarity(("lower", None, None)) == LOWER
    assert as_polarity(("band", D(4), D(6))) == BAND
    assert as_polarity(("band", None, D(6))) == HIGHER  # a band without both ends reads as higher is better
    assert as_polarity(None) == HIGHER
