"""The trend derives from the review history: new, emerging, rising, stable or falling, tested at each boundary."""

from datetime import date

import pytest

from risks.trend import EMERGING, FALLING, NEW, RISING, STABLE, Point, derive, months_between

JULY_END = date(2006, 7, 31)


def history(*points):
    return [Point(date.fromisoformat(on), value) for on, value in points]


def test_a_risk_with_no_review_yet_is_new():
    assert derive([], as_at=JULY_END) == NEW


def test_a_risk_with_one_review_is_new():
    assert derive(history(("2006-07-10", 12)), as_at=JULY_END) == NEW


def test_reviews_after_the_date_are_ignored_so_the_risk_was_new_then():
    points = history(("2006-06-10", 12), ("2006-08-10", 16))
    assert derive(points, as_at=JULY_END) == NEW


def test_a_score_one_point_lower_than_the_last_review_is_falling():
    points = history(("2005-06-01", 12), ("2006-06-01", 16), ("2006-07-01", 15))
    assert derive(points, as_at=JULY_END) == FALLING


def test_an_unchanged_score_is_stable():
    points = history(("2005-06-01", 12), ("2006-06-01", 15), ("2006-07-01", 15))
    assert derive(points, as_at=JULY_END) == STABLE


def test_a_score_one_point_higher_on_an_established_risk_is_rising():
    points = history(("2005-06-01", 12), ("2006-06-01", 15), ("2006-07-01", 16))
    assert derive(points, as_at=JULY_END) == RISING


@pytest.mark.parametrize(("first", "expected"), [("2006-02-15", EMERGING), ("2006-01-31", RISING)])
def test_a_growing_risk_first_assessed_under_six_months_ago_is_emerging(first, expected):
    # February to July is 5 calendar months (emerging); January to July is 6 (no longer young).
    points = history((first, 8), ("2006-06-01", 8), ("2006-07-01", 9))
    assert derive(points, as_at=JULY_END) == expected


def test_a_young_risk_back_to_its_first_score_is_stable_not_emerging():
    points = history(("2006-05-01", 8), ("2006-06-01", 8), ("2006-07-01", 8))
    assert derive(points, as_at=JULY_END) == STABLE


def test_a_young_risk_that_stays_above_its_first_score_is_still_emerging():
    points = history(("2006-05-01", 8), ("2006-06-01", 12), ("2006-07-01", 12))
    assert derive(points, as_at=JULY_END) == EMERGING


def test_a_young_risk_that_falls_is_falling_even_if_above_its_first_score():
    points = history(("2006-05-01", 8), ("2006-06-01", 15), ("2006-07-01", 12))
    assert derive(points, as_at=JULY_END) == FALLING


@pytest.mark.parametrize(
    ("earlier", "later", "months"),
    [("2006-03-31", "2006-07-01", 4), ("2006-07-01", "2006-07-31", 0), ("2005-12-15", "2006-01-01", 1)],
)
def test_months_between_counts_calendar_months(earlier, later, months):
    assert months_between(date.fromisoformat(earlier), date.fromisoformat(later)) == months
