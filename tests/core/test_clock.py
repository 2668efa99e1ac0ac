"""The council's clock: one "today" for due dates, overdue flags, ages and default periods."""

from datetime import date

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from core import clock
from organisation.models import Period
from reports import services as report_services
from tests.reports.factories import draft_report


def test_without_an_as_at_date_the_council_reads_the_real_date(settings):
    settings.COUNCILPERF_AS_AT = ""
    assert clock.as_at() is None
    assert clock.today() >= date(2024, 1, 1)


def test_an_as_at_date_fixes_today_and_now(as_at):
    as_at("2006-09-07")
    assert clock.today() == date(2006, 9, 7)
    assert clock.now().date() == date(2006, 9, 7)
    assert clock.days_since(date(2006, 8, 11)) == 27


def test_pinned_holds_the_date_only_inside_the_block(settings):
    settings.COUNCILPERF_AS_AT = ""
    with clock.pinned(date(2006, 9, 7)):
        assert clock.today() == date(2006, 9, 7)
    assert clock.today() != date(2006, 9, 7)


@pytest.fixture
def july(world):
    Period.objects.filter(pk=world.period.pk).update(state=Period.OPEN, deadline=date(2006, 8, 11))
    world.period.refresh_from_db()
    return world.period


def test_chasing_counts_the_days_late_from_the_councils_today(july, client_for, as_at):
    as_at("2006-09-07")
    page = client_for("performance").get(reverse("indicators:chasing")).content.decode()
    assert "11 August 2006 (27 days ago)" in page
    assert "Overdue" in page


def test_nothing_is_overdue_before_the_deadline(july, client_for, as_at):
    as_at("2006-08-01")
    page = client_for("performance").get(reverse("indicators:chasing")).content.decode()
    assert "days ago" not in page
    assert "Overdue" not in page


def test_reminders_say_due_not_overdue_before_the_deadline(july, as_at):
    as_at("2006-08-01")
    call_command("send_reminders", stdout=_Sink())
    assert mail.outbox and all(m.subject.startswith("Reminder: ") for m in mail.outbox)
    assert "The deadline is 11 August 2006" in mail.outbox[0].body


def test_a_report_published_as_at_the_meeting_says_it_was_published_that_day(world, as_at):
    as_at("2006-09-07")
    report = draft_report(world)
    version = report_services.report_publish(user=world.performance, report=report)
    assert version.published_at.date() == date(2006, 9, 7)


class _Sink:
    def write(self, s):
        pass

    def flush(self):
        pass
