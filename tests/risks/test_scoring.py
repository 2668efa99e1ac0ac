"""Scores are likelihood x impact from 1 to 25, and each score falls in exactly one of the council's bands."""

from types import SimpleNamespace

import pytest

from risks import scoring


def band(name, low, high):
    return SimpleNamespace(name=name, min_score=low, max_score=high)


BANDS = [band("Low", 1, 3), band("Medium", 4, 8), band("High", 9, 15), band("Very high", 16, 25)]


@pytest.mark.parametrize(("likelihood", "impact", "expected"), [(1, 1, 1), (1, 5, 5), (5, 1, 5), (3, 4, 12), (5, 5, 25)])
def test_score_is_likelihood_times_impact(likelihood, impact, expected):
    assert scoring.score(likelihood, impact) == expected


@pytest.mark.parametrize(("likelihood", "impact"), [(0, 3), (6, 3), (3, 0), (3, 6), (-1, 2), ("3", 2), (2.0, 2), (True, 2)])
def test_a_likelihood_or_impact_outside_one_to_five_is_refused(likelihood, impact):
    with pytest.raises(scoring.ScoreError, match="whole number from 1 to 5"):
        scoring.score(likelihood, impact)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(1, "Low"), (3, "Low"), (4, "Medium"), (8, "Medium"), (9, "High"), (15, "High"), (16, "Very high"), (25, "Very high")],
)
def test_each_band_boundary_falls_in_the_right_band(value, expected):
    assert scoring.band_for(value, BANDS).name == expected


def test_a_score_in_a_gap_between_bands_has_no_band():
    assert scoring.band_for(9, [band("Low", 1, 8), band("High", 10, 25)]) is None


def test_bands_that_cover_every_score_once_are_sound():
    assert scoring.band_problems([(b.name, b.min_score, b.max_score) for b in BANDS]) == []


def test_bands_in_any_order_are_judged_by_their_ranges():
    assert scoring.band_problems([("High", 9, 25), ("Low", 1, 8)]) == []


def test_a_gap_between_bands_is_named():
    assert scoring.band_problems([("Low", 1, 3), ("High", 5, 25)]) == ["No band covers scores 4 to 4."]


def test_an_overlap_is_named():
    assert scoring.band_problems([("Low", 1, 4), ("High", 4, 25)]) == ["High overlaps the band below it at score 4."]


def test_bands_that_stop_short_of_25_are_named():
    assert scoring.band_problems([("Low", 1, 20)]) == ["No band covers scores 21 to 25."]


def test_bands_that_start_above_1_are_named():
    assert scoring.band_problems([("High", 2, 25)]) == ["No band covers scores 1 to 1."]


@pytest.mark.parametrize(("low", "high"), [(0, 25), (1, 26)])
def test_a_band_outside_1_to_25_is_named(low, high):
    assert scoring.band_problems([("All", low, high)]) == ["All: scores run from 1 to 25."]


def test_a_band_upside_down_is_named():
    assert scoring.band_problems([("Low", 1, 25), ("Odd", 9, 4)]) == ["Odd: the lowest score 9 is above the highest 4."]


def test_no_bands_at_all_is_a_problem():
    assert scoring.band_problems([]) == ["There must be at least one band."]
