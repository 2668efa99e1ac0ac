"""The list of indicators shows the columns the apps above fill (core.panels.indicator_columns), read once a page."""

import pytest
from django.urls import reverse

from core import panels
from tests.indicators.test_indicator_pages import many, text_of


@pytest.fixture
def a_column():
    """A column as a higher app would register it, recording each call; removed after the test."""
    calls = []

    def cells(user, *, period_key, indicator_ids):
        calls.append((period_key, list(indicator_ids)))
        return {pk: f"cell of {pk}" for pk in indicator_ids[:1]}

    panels.indicator_columns.column("Made up")(cells)
    yield calls
    panels.indicator_columns.columns.pop()


def test_the_list_shows_a_higher_apps_column_with_a_cell_for_the_rows_it_fills(a_column, world, client_for):
    response = client_for("performance").get(reverse("indicators:list"), {"period": "2006-07"})
    words = text_of(response)
    assert "Made up" in words
    (period_key, ids), = a_column
    assert period_key == "2006-07" and sorted(ids) == sorted([world.indicator.pk, world.other_indicator.pk])
    assert f"cell of {ids[0]}" in words and f"cell of {ids[1]}" not in words


def test_the_column_is_asked_once_for_the_rows_on_the_page_only(a_column, world, client_for):
    many(world, 120)
    client_for("performance").get(reverse("indicators:list"), {"period": "2006-03"})
    (_, ids), = a_column
    assert len(ids) == 100  # one page of the list


def test_a_column_that_has_nothing_to_say_is_not_shown(world, client_for):
    panels.indicator_columns.column("Never shown")(lambda user, **kwargs: None)
    try:
        words = text_of(client_for("performance").get(reverse("indicators:list"), {"period": "2006-07"}))
    finally:
        panels.indicator_columns.columns.pop()
    assert "Never shown" not in words
