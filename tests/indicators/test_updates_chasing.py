"""Chasing late returns: the page, the reminder e-mails and the home-page panels."""

import threading
import time
from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse

from indicators import services
from indicators.models import Indicator, Reading, ReadingHistory
from organisation import services as period_services
from organisation.models import AuditEvent, Period


@pytest.fixture
def july(world):
    Period.objects.filter(pk=world.period.pk).update(state=Period.OPEN, deadline=date(2006, 8, 7))
    world.period.refresh_from_db()
    return world.period


def test_chasing_shows_what_is_overdue_by_directorate_and_officer(july, world, client_for, django_assert_num_queries):
    client = client_for("performance")
    client.get(reverse("home"))
    with django_assert_num_queries(8):  # the eighth: when each officer was last reminded
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


def _needs_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL's row locks")


def _in_thread(target, *args, **kwargs):
    """Run target in a thread with its own connection; what it returns or raises is kept."""
    outcome = {}

    def run():
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                outcome["pid"] = cursor.fetchone()[0]
            outcome["result"] = target(*args, **kwargs)
        except Exception as refused:  # noqa: BLE001 - the test looks at what was raised
            outcome["raised"] = refused
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.outcome = outcome
    thread.start()
    return thread


def _waits_for_a_lock(thread, within=10.0) -> bool:
    """Whether the thread's database session is (or comes within `within` s to be) waiting for a lock."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        pid = thread.outcome.get("pid")
        if pid is not None:
            with connection.cursor() as cursor:
                cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid])
                row = cursor.fetchone()
            if row and row[0] == "Lock":
                return True
        time.sleep(0.02)
    return False


def _save(indicator, period, user, value, *, seen, read="unread", open_only=False):
    kwargs = {} if read == "unread" else {"current": read}
    return services.reading_enter(
        indicator=indicator, period=period, user=user, values={"actual": Decimal(value)},
        expected_version=seen, how="htmx", open_only=open_only, **kwargs,
    )


def _holding(work, entered: threading.Event, release: threading.Event):
    """Do `work` in a transaction and keep it open (its locks held) until `release`."""
    def run():
        with transaction.atomic():
            result = work()
            entered.set()
            assert release.wait(20), "never released"
        return result
    return run


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("read", ["read by the page", "unread"])
def test_two_first_saves_of_a_reading_at_once_save_one_and_refuse_the_other(world, read):
    """Nobody had saved July's figure; two people save it at the same moment. Saves share the
    period lock, so both reach the INSERT: one wins, the other is refused showing the winner's
    figure (the unique indicator-and-period clash), never an error."""
    _needs_postgresql()
    Period.objects.filter(pk=world.period.pk).update(state=Period.OPEN)
    Reading.objects.filter(indicator=world.indicator, period=world.period).delete()
    world.period.refresh_from_db()
    start = threading.Barrier(2)

    def save(user, value):
        start.wait()
        kept = None if read == "read by the page" else "unread"
        return _save(world.indicator, world.period, user, value, seen=0, read=kept)

    threads = [_in_thread(save, world.officer, "201"), _in_thread(save, world.performance, "202")]
    for t in threads:
        t.join(30)
    saved = [t.outcome["result"] for t in threads if "result" in t.outcome]
    refused = [t.outcome["raised"] for t in threads if "raised" in t.outcome]
    assert len(saved) == 1 and len(refused) == 1, [t.outcome for t in threads]
    assert isinstance(refused[0], services.StaleReading), refused[0]
    final = Reading.objects.get(indicator=world.indicator, period=world.period)
    assert refused[0].current.actual == final.actual == saved[0].actual and final.version == 1
    assert list(ReadingHistory.objects.values_list("version", flat=True)) == [1]


@pytest.mark.django_db(transaction=True)
def test_saves_of_different_readings_do_not_wait_for_each_other(world):
    _needs_postgresql()
    Period.objects.filter(pk=world.period.pk).update(state=Period.OPEN)
    seen = Reading.objects.get(indicator=world.indicator, period=world.period).version
    entered, release = threading.Event(), threading.Event()
    first = _in_thread(_holding(
        lambda: _save(world.indicator, world.period, world.officer, "201", seen=seen), entered, release))
    try:
        assert entered.wait(20)
        second = _in_thread(_save, world.other_indicator, world.period, world.other_officer, "7", seen=None)
        second.join(10)
        finished_meanwhile = not second.is_alive()
    finally:
        release.set()
    first.join(20)
    second.join(20)
    assert finished_meanwhile, "the second save waited for the first to commit"
    assert "result" in first.outcome and "result" in second.outcome, (first.outcome, second.outcome)
    assert ReadingHistory.objects.count() == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("change", ["close", "lock"])
def test_closing_or_locking_a_period_waits_for_a_save_in_flight(world, change):
    _needs_postgresql()
    Period.objects.filter(pk=world.period.pk).update(state=Period.OPEN)
    world.period.refresh_from_db()
    seen = Reading.objects.get(indicator=world.indicator, period=world.period).version
    entered, release = threading.Event(), threading.Event()
    order = []

    def save():
        with transaction.atomic():
            _save(world.indicator, world.period, world.officer, "201", seen=seen, open_only=True)
            entered.set()
            assert release.wait(20)
        order.append("save committed")

    def close():
        getattr(period_services, f"period_{change}")(period=world.period, user=world.performance)
        order.append(f"{change} committed")

    saving = _in_thread(save)
    try:
        assert entered.wait(20)
        closing = _in_thread(close)
        waited = _waits_for_a_lock(closing)
    finally:
        release.set()
    saving.join(20)
    closing.join(20)
    assert waited, f"the {change} did not wait for the save in flight"
    assert order == ["save committed", f"{change} committed"], (order, saving.outcome, closing.outcome)
    assert Reading.objects.get(indicator=world.indicator, period=world.period).actual == Decimal("201")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("change", ["close", "lock"])
def test_a_save_waits_for_a_close_or_lock_in_flight_then_is_refused(world, change):
    """The officer opened the page while July was open; the performance team closes (or locks)
    it as they press Save. The save waits for that to commit, then sees the new state."""
    _needs_postgresql()
    Period.objects.filter(pk=world.period.pk).update(state=Period.OPEN)
    world.period.refresh_from_db()
    read = Reading.objects.select_related("updated_by").get(indicator=world.indicator, period=world.period)
    entered, release = threading.Event(), threading.Event()
    closing = _in_thread(_holding(
        lambda: getattr(period_services, f"period_{change}")(period=world.period, user=world.performance),
        entered, release))
    try:
        assert entered.wait(20)
        saving = _in_thread(_save, world.indicator, world.period, world.officer, "201", seen=read.version,
                            read=read, open_only=True)
        waited = _waits_for_a_lock(saving)
    finally:
        release.set()
    closing.join(20)
    saving.join(20)
    assert waited, f"the save did not wait for the {change} in flight"
    refused = saving.outcome.get("raised")
    expected = services.PeriodClosed if change == "close" else services.PeriodLocked
    assert type(refused) is expected, saving.outcome
    assert Reading.objects.get(indicator=world.indicator, period=world.period).actual == Decimal("196")
    assert not ReadingHistory.objects.exists()
