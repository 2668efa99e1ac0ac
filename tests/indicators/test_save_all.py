"""Save all is all or nothing: one row refused and no row is saved, every typing stays, the summary links to the row."""

from datetime import date

import pytest
from django.urls import reverse

from indicators.models import Indicator, Reading, ReadingHistory
from organisation.models import Period
from tests import factories


@pytest.fixture
def two_rows(world):
    Period.objects.filter(pk=world.period.pk).update(state=Period.OPEN, deadline=date(2006, 8, 11))
    Indicator.objects.filter(pk=world.indicator.pk).update(action_plan_robust=True, tolerance_pct=10)
    second = factories.indicator("CH142", lead=world.officer, directorate=world.cyps, title="Repeat referrals",
                                 unit=Indicator.PERCENTAGE)
    return world.indicator, second


def _words(indicator):
    """The commentary and remedial action an Amber or Red figure needs."""
    return {f"r{indicator.pk}-commentary": "Below the milestone", f"r{indicator.pk}-remedial_action": "Reviewing"}


def _post(client, period, data):
    return client.post(reverse("indicators:updates") + f"?period={period.pk}", {"period": period.pk, **data})


def test_one_refused_row_saves_nothing_and_keeps_every_typing(two_rows, world, client_for):
    first, second = two_rows
    version = Reading.objects.get(indicator=first, period=world.period).version
    response = _post(client_for("officer"), world.period, {
        f"r{first.pk}-actual": "230", f"r{first.pk}-version": version,
        f"r{second.pk}-actual": "140", f"r{second.pk}-version": 0,  # a percentage over 100
        "save_all": "1",
    })
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page
    assert f'href="#r{second.pk}-actual"' in page and "A percentage must be between 0 and 100" in page
    assert 'value="230"' in page and 'value="140"' in page
    assert Reading.objects.get(indicator=first, period=world.period).actual == 196  # not saved
    assert not Reading.objects.filter(indicator=second).exists()
    assert not ReadingHistory.objects.exists()


def test_a_row_changed_by_someone_else_meanwhile_undoes_the_rows_written_before_it(two_rows, world, client_for):
    first, second = two_rows
    factories.reading(second, "2006-07", 12, version=3)
    response = _post(client_for("officer"), world.period, {
        f"r{first.pk}-actual": "230", f"r{first.pk}-version": Reading.objects.get(indicator=first).version,
        f"r{second.pk}-actual": "15", f"r{second.pk}-version": 2,  # saw version 2; it is now 3
        **_words(first), **_words(second),
        "save_all": "1",
    })
    page = response.content.decode()
    assert "while you were editing" in page
    assert Reading.objects.get(indicator=first, period=world.period).actual == 196
    assert Reading.objects.get(indicator=second).actual == 12
    assert not ReadingHistory.objects.exists()


def test_when_every_row_is_right_all_are_saved(two_rows, world, client_for):
    first, second = two_rows
    response = _post(client_for("officer"), world.period, {
        f"r{first.pk}-actual": "230", f"r{first.pk}-version": Reading.objects.get(indicator=first).version,
        f"r{second.pk}-actual": "15", f"r{second.pk}-version": 0, "save_all": "1",
        **_words(first), **_words(second),
    })
    assert response.status_code == 302
    assert Reading.objects.get(indicator=first).actual == 230 and Reading.objects.get(indicator=second).actual == 15


def test_a_locked_figure_shows_its_value_and_who_approved_it_with_no_entry_hints(world, client_for):
    Reading.objects.filter(indicator=world.indicator).update(state=Reading.APPROVED, updated_by=world.approver)
    Period.objects.filter(pk=world.period.pk).update(state=Period.LOCKED)
    page = client_for("officer").get(reverse("indicators:updates") + f"?period={world.period.pk}").content.decode()
    row = page[page.index(f'id="row-{world.indicator.pk}"'):]
    row = row[:row.index('class="app-update', 10)] if 'class="app-update' in row[10:] else row
    assert "Approved by</dt>" in row and "Approver, " in row
    assert "Leave blank if the figure is not yet available" not in page
    assert f'name="r{world.indicator.pk}-actual"' not in page
