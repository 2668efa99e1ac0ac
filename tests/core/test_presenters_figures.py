"""Figures with their units as a drafted sentence says them."""

from decimal import Decimal as D

import pytest

from core.presenters import difference, figure, unit_kind


@pytest.mark.parametrize("value, unit, decimals, said", [
    (D(82), "percentage", 0, "82%"),
    (D("82.46"), "%", 1, "82.5%"),
    (D("1234.5"), "gbp", 0, "£1,235"),
    (D("-1234"), "£", 0, "-£1,234"),
    (D("12.34"), "gbp_millions", 1, "£12.3m"),
    (D("450"), "£000", 0, "£450k"),
    (D("12.25"), "rate_per_10000", 1, "12.3 per 10,000"),
    (D("7.1"), "Rate per 1,000 population", 1, "7.1 per 1,000"),
    (D(1), "days", 0, "1 day"),
    (D(12), "days", 0, "12 days"),
    (D(3), "weeks", 0, "3 weeks"),
    (D("2.5"), "percentage_points", 1, "2.5 percentage points"),
    (D(1234), "number", 0, "1,234"),
    (D(5), "", 0, "5"),
    (None, "percentage", 0, "no figure"),
])
def test_figure_says_the_unit(value, unit, decimals, said):
    assert figure(value, unit, decimals) == said


def test_difference_of_percentages_is_in_percentage_points_and_has_no_sign():
    assert difference(D("-2.1"), "percentage", 1) == "2.1 percentage points"
    assert difference(D(1), "%", 0) == "1 percentage point"
    assert difference(D(-1200), "gbp", 0) == "£1,200"
    assert difference(D(2), "days", 0) == "2 days"


def test_unknown_units_read_as_numbers():
    assert unit_kind("Score") == "number"
    assert unit_kind("Rate per 100,000") == "per 100,000"
