"""Chasing late returns: the page, the reminder e-mails and the home-page panels."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from indicators import services
from indicators.models import Indicator, Reading, ReadingHistory
from organisation.models import AuditEvent, Period


@pytest.fixture
def july(world):
    Period.objects.filter(pk=world.period.pk).update(state=Period.OPEN, deadline=date(2006, 8, 7))
    world.period.refresh_from_db()
    return world.period


def test_chasing_shows_what_is_overdue_by_directorate_and_officer(july, world, client_for, django_assert_num_queries):
    client = client_for("performance")
    client.get(reverse("home"))
    with django_assert_num_queries(7):
        page = client.get(reverse("indicators:chasing")).content.decode()
    assert "Children and Young People" in page and "Adult and Community Services" in page
    assert "Overdue" in page  # 7 August 2006 is long past
    assert "CH141" in page and "AS01" in page
    assert "7 August 2006" in page


def test_an_approver_chases_only_their_own_directorate(july, world, client_for):
    page = client_for("approver").get(reverse("indicators:chasing")).content.decode()
    assert "CH141" in page and "AS01" not in page


def test_submitted_figures_are_not_chased(july, world, client_for):
    Reading.objects.filter(indicator=world.indicator).update(state=Reading.SUBMITTED)
    page = client_for("performance").get(reverse("indicators:chasing")).content.decode()
    assert "CH141" not in page and "AS01" in page


def test_send_reminders_emails_each_officer_what_is_still_due(july, world):
    call_command("send_reminders", stdout=_Sink())
    assert sorted(m.to[0] for m in mail.outbox) == ["officer@council.example", "other_officer@council.example"]
    message = next(m for m in mail.outbox if m.to == ["officer@council.example"])
    assert message.subject == "Overdue: performance figures due for July 2006"
    assert "CH141 Referrals of children in need" in message.body
    assert "The deadline was 7 August 2006" in message.body
    assert AuditEvent.objects.filter(action="reminders_sent").exists()


def test_a_dry_run_sends_nothing(july, world):
    out = _Sink()
    call_command("send_reminders", "--dry-run", stdout=out)
    assert mail.outbox == []
    assert "would send to officer@council.example" in out.text


def test_nobody_is_reminded_when_no_period_is_open(world):
    call_command("send_reminders", stdout=_Sink())
    assert mail.outbox == []


class _Sink:
    def __init__(self):
        self.text = ""

    def write(self, s):
        self.text += s

    def flush(self):
        pass


def test_home_shows_the_officer_what_is_due_and_the_approver_what_awaits(july, world, client_for):
    page = client_for("officer").get(reverse("home")).content.decode()
    assert "Due from me" in page and "1 of 1 figure still to send, by 7 August 2006" in page
    Reading.objects.filter(indicator=world.indicator).update(state=Reading.SUBMITTED)
    page = client_for("approver").get(reverse("home")).content.decode()
    assert "Awaiting my approval" in page and "July 2006</a>: 1 figure submitted" in page
    assert "Awaiting my approval" not in client_for("member").get(reverse("home")).content.decode()


# --- Two people saving the same figure at the same moment (PostgreSQL) ---------------------


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_saves_of_the_same_version_let_exactly_one_through(world):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL's row locks")
    Period.objects.filter(pk=world.period.pk).update(state=Period.OPEN)
    Indicator.objects.filter(pk=world.indicator.pk).update(action_plan_robust=True)
    seen = Reading.objects.get(indicator=world.indicator, period=world.period).version
    start = threading.Barrier(2)
    outcomes = {}

    def save(name, user, value):
        try:
            start.wait()
            services.reading_save(
                indicator=world.indicator, period=world.period, user=user, values={"actual": Decimal(value)},
                expected_version=seen, how="form",
            )
            outcomes[name] = "saved"
        except services.StaleReading as stale:
            outcomes[name] = f"refused, saw {stale.current.actual}"
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, args=("officer", world.officer, "201")),
        threading.Thread(target=save, args=("performance", world.performance, "202")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes.values())[1] == "saved" and sorted(outcomes.values())[0].startswith("refused")
    winner = next(n for n, o in outcomes.items() if o == "saved")
    loser = next(n for n, o in outcomes.items() if o != "saved")
    final = Reading.objects.get(indicator=world.indicator, period=world.period)
    assert final.actual == Decimal({"officer": "201", "performance": "202"}[winner])
    assert outcomes[loser] == f"refused, saw {final.actual}"
    assert ReadingHistory.objects.count() == 1
