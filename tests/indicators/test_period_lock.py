"""Locking a period shows every figure not signed off and needs a confirmation and a reason to go ahead."""

from datetime import date

import pytest
from django.urls import reverse

from indicators import services
from indicators.models import Reading
from organisation.models import AuditEvent, Period, PeriodEvent
from tests.factories import reading


@pytest.fixture
def july(world):
    Period.objects.filter(pk=world.period.pk).update(state=Period.OPEN, deadline=date(2006, 8, 11))
    world.period.refresh_from_db()
    return world.period


def _page(client, period):
    return client.get(reverse("indicators:period_manage", args=[period.pk])).content.decode()


def test_the_lock_page_lists_each_figure_not_signed_off_by_directorate_with_links(july, world, client_for,
                                                                                   django_assert_max_num_queries):
    Reading.objects.filter(indicator=world.indicator).update(state=Reading.RETURNED, return_reason="Check the count")
    client = client_for("performance")
    client.get(reverse("home"))
    with django_assert_max_num_queries(12):
        page = _page(client, july)
    assert "2 figures for July 2006 are not signed off: 1 returned by the approver, 1 no figure." in page
    assert "Children and Young People&#x27;s Services: 1 not signed off" in page
    assert "Adult and Community Services: 1 not signed off" in page
    assert f'href="{reverse("indicators:detail", args=[world.indicator.pk])}">CH141 Referrals of children in need' in page
    assert "Returned by the approver" in page and "Check the count" in page


def test_locking_with_figures_outstanding_without_confirming_is_refused_and_writes_nothing(july, client_for):
    response = client_for("performance").post(reverse("indicators:period_manage", args=[july.pk]), {"action": "lock"})
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Confirm that July 2006 is to be locked with figures not signed off" in page
    assert "Say why the period is being locked before every figure is signed off" in page
    july.refresh_from_db()
    assert july.state == Period.OPEN
    assert not AuditEvent.objects.filter(action="period_locked").exists()


def test_locking_with_confirmation_and_a_reason_records_both(july, world, client_for):
    Reading.objects.filter(indicator=world.indicator).update(state=Reading.RETURNED)
    client_for("performance").post(reverse("indicators:period_manage", args=[july.pk]), {
        "action": "lock", "confirm": "on", "lock_reason": "Cabinet papers go out today",
    })
    july.refresh_from_db()
    assert july.state == Period.LOCKED
    event = PeriodEvent.objects.get(period=july, action=PeriodEvent.LOCKED)
    assert event.reason == ("2 figure(s) not signed off (1 returned by the approver, 1 no figure): "
                            "Cabinet papers go out today")
    audit = AuditEvent.objects.get(action="period_locked")
    assert "Cabinet papers go out today" in audit.summary and "1 returned by the approver" in audit.summary


def test_a_period_with_every_figure_approved_locks_without_a_reason(july, world, client_for):
    Reading.objects.filter(indicator=world.indicator).update(state=Reading.APPROVED)
    reading(world.other_indicator, "2006-07", 55, state=Reading.APPROVED)
    client = client_for("performance")
    assert "Every figure due for July 2006 is signed off." in _page(client, july)
    client.post(reverse("indicators:period_manage", args=[july.pk]), {"action": "lock"})
    july.refresh_from_db()
    assert july.state == Period.LOCKED


def test_the_service_refuses_a_lock_that_was_not_confirmed(july, world):
    with pytest.raises(services.LockNeedsConfirmation) as refused:
        services.period_lock(period=july, user=world.performance, reason="Papers due")
    assert [o.code for o in refused.value.outstanding] == ["CH141", "AS01"]
    july.refresh_from_db()
    assert july.state == Period.OPEN


def test_one_lock_is_one_line_in_the_periods_history_and_the_audit_log(july, world, client_for):
    client = client_for("performance")
    client.post(reverse("indicators:period_manage", args=[july.pk]),
                {"action": "lock", "confirm": "on", "lock_reason": "Papers due"})
    page = _page(client, july)
    history = page[page.index("What has happened to July 2006"):]
    assert history.count(">Locked</td>") == 1
    assert PeriodEvent.objects.filter(period=july, action=PeriodEvent.LOCKED).count() == 1
    assert AuditEvent.objects.filter(action="period_locked").count() == 1
