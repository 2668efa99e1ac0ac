"""Chasing from the page: reminders to one officer, a directorate or everyone overdue, previewed, sent and recorded."""

from datetime import date

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from indicators.models import ReminderSent
from organisation.models import AuditEvent, Period


@pytest.fixture
def july(world, as_at):
    Period.objects.filter(pk=world.period.pk).update(state=Period.OPEN, deadline=date(2006, 8, 11))
    world.period.refresh_from_db()
    as_at("2006-08-14")  # three days overdue: not yet long enough to copy the approver in
    return world.period


def _chase(client, period, **data):
    return client.post(reverse("indicators:chasing") + f"?period={period.pk}", data)


def test_the_preview_shows_each_email_and_sends_nothing(july, client_for, django_assert_max_num_queries):
    client = client_for("performance")
    client.get(reverse("home"))
    with django_assert_max_num_queries(14):
        page = _chase(client, july, scope="overdue", preview="1").content.decode()
    assert "2 e-mails to send" in page
    assert "To:</strong> officer@council.example" in page and "Subject:</strong> Overdue: performance figures" in page
    assert "CH141 Referrals of children in need" in page and "The deadline was 11 August 2006." in page
    assert mail.outbox == [] and not ReminderSent.objects.exists()


def test_sending_to_one_officer_emails_them_alone_and_records_it(july, world, client_for):
    response = _chase(client_for("performance"), july, scope="officer", officer=world.officer.pk, send="1")
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["officer@council.example"]]
    sent = ReminderSent.objects.get()
    assert (sent.officer, sent.sent_by, sent.period, sent.outstanding) == (world.officer, world.performance, july, 1)
    assert AuditEvent.objects.get(action="reminders_sent").username == "performance"
    page = client_for("performance").get(reverse("indicators:chasing") + f"?period={july.pk}").content.decode()
    assert "Not yet" in page  # the other officer
    assert sent.sent_at.strftime("%Y") in page


def test_a_directorate_is_reminded_without_the_others(july, world, client_for):
    _chase(client_for("performance"), july, scope="directorate", directorate=world.acs.pk, send="1")
    assert [m.to for m in mail.outbox] == [["other_officer@council.example"]]


def test_choosing_one_officer_without_naming_them_is_an_error(july, client_for):
    page = _chase(client_for("performance"), july, scope="officer", preview="1").content.decode()
    assert "There is a problem" in page and "Choose the officer to remind" in page
    assert mail.outbox == []


def test_an_approver_reminds_only_their_own_directorate(july, world, client_for):
    _chase(client_for("approver"), july, scope="overdue", send="1")
    assert [m.to for m in mail.outbox] == [["officer@council.example"]]


def test_after_n_days_overdue_the_approver_is_copied_in(july, world, client_for, as_at, settings):
    settings.COUNCILPERF_ESCALATE_AFTER_DAYS = 7
    as_at("2006-08-25")  # 14 days overdue
    _chase(client_for("performance"), july, scope="officer", officer=world.officer.pk, send="1")
    (message,) = mail.outbox
    assert message.cc == ["approver@council.example"]
    assert "Your approver is copied in: the return is 14 days overdue." in message.body
    assert ReminderSent.objects.get().copied == "approver@council.example"


def test_the_daily_run_sends_the_same_emails_and_records_them(july, world, settings, as_at):
    settings.COUNCILPERF_ESCALATE_AFTER_DAYS = 7
    as_at("2006-08-25")
    call_command("send_reminders", "--overdue-only", stdout=_Sink())
    assert sorted(m.to[0] for m in mail.outbox) == ["officer@council.example", "other_officer@council.example"]
    other = next(m for m in mail.outbox if m.to == ["other_officer@council.example"])
    assert other.cc == ["other_approver@council.example"]
    assert ReminderSent.objects.filter(sent_by=None).count() == 2


def test_an_officer_cannot_send_reminders(july, client_for):
    response = _chase(client_for("officer"), july, scope="overdue", send="1")
    assert response.status_code in (403, 404)
    assert mail.outbox == []


class _Sink:
    def write(self, s):
        pass

    def flush(self):
        pass
