"""One save of a figure from a reading the caller has already read (My updates' htmx row): the
version comes from the UPDATE, not a second read; a clash with someone else's save, first or
not, is the "someone saved while you were editing" refusal; closed and locked periods refuse."""

from decimal import Decimal

import pytest

from indicators import services
from indicators.models import Reading, ReadingHistory
from organisation.models import AuditEvent, Period


@pytest.fixture
def july(world):
    Period.objects.filter(pk=world.period.pk).update(state=Period.OPEN)
    world.period.refresh_from_db()
    return world.period


def current(world):
    return Reading.objects.select_related("updated_by").get(indicator=world.indicator, period=world.period)


def enter(world, user, value, *, seen, read, open_only=False):
    return services.reading_enter(
        indicator=world.indicator, period=world.period, user=user, values={"actual": Decimal(value)},
        expected_version=seen, how="htmx", current=read, open_only=open_only,
    )


def test_the_saved_reading_carries_the_new_version_and_matches_the_database(july, world):
    read = current(world)
    saved = enter(world, world.officer, "201", seen=read.version, read=read)
    fresh = current(world)
    assert saved.version == read.version == fresh.version == 2  # the object read is the one brought up to date
    assert (saved.actual, saved.updated_by, saved.updated_at) == (fresh.actual, fresh.updated_by, fresh.updated_at)
    entry = ReadingHistory.objects.get()
    assert (entry.version, entry.changes, entry.how, entry.by) == (2, {"actual": ["196", "201"]}, "htmx", world.officer)
    assert AuditEvent.objects.filter(action="reading_saved", object_id=str(fresh.pk)).count() == 1


def test_a_save_from_a_copy_someone_has_since_changed_is_refused_with_their_figure(july, world):
    read = current(world)
    enter(world, world.performance, "205", seen=read.version, read=current(world))
    with pytest.raises(services.StaleReading) as refused:
        enter(world, world.officer, "150", seen=read.version, read=read)  # read before the other save
    assert refused.value.current.actual == Decimal("205") and refused.value.current.updated_by == world.performance
    assert current(world).actual == Decimal("205") and ReadingHistory.objects.count() == 1


def test_a_page_older_than_the_reading_read_is_refused_without_writing(july, world):
    read = current(world)
    with pytest.raises(services.StaleReading) as refused:
        enter(world, world.officer, "150", seen=read.version - 1, read=read)
    assert refused.value.current is read
    assert current(world).actual == Decimal("196") and not ReadingHistory.objects.exists()


def test_a_first_figure_saved_by_someone_else_meanwhile_is_refused_not_an_error(july, world):
    """The caller found no reading; by the INSERT there is one (the unique indicator and period
    clash inside a savepoint), so the save is refused showing theirs and the transaction goes on."""
    world.period.refresh_from_db()
    with pytest.raises(services.StaleReading) as refused:
        enter(world, world.officer, "150", seen=0, read=None)
    assert refused.value.current.actual == Decimal("196")
    assert current(world).actual == Decimal("196") and not ReadingHistory.objects.exists()
    assert Reading.objects.filter(indicator=world.indicator).count() == 1  # the transaction is still usable


def test_the_first_figure_of_a_month_is_created_with_version_one(july, world):
    Reading.objects.filter(indicator=world.indicator, period=world.period).delete()
    saved = enter(world, world.officer, "199", seen=0, read=None)
    assert (saved.version, current(world).version, current(world).actual) == (1, 1, Decimal("199"))
    assert ReadingHistory.objects.get().version == 1


@pytest.mark.parametrize("state", [Period.CLOSED, Period.LOCKED])
def test_an_officers_save_is_refused_once_the_period_is_closed_or_locked(july, world, state):
    read = current(world)  # the page was opened while the period was open
    Period.objects.filter(pk=world.period.pk).update(state=state)
    with pytest.raises(services.PeriodLocked) as refused:
        enter(world, world.officer, "150", seen=read.version, read=read, open_only=True)
    assert isinstance(refused.value, services.PeriodClosed) == (state == Period.CLOSED)
    assert ("not open for updates" in str(refused.value)) == (state == Period.CLOSED)
    assert current(world).actual == Decimal("196") and not ReadingHistory.objects.exists()


def test_the_performance_team_corrects_a_closed_period_but_not_a_locked_one(july, world):
    read = current(world)
    Period.objects.filter(pk=world.period.pk).update(state=Period.CLOSED)
    assert enter(world, world.performance, "190", seen=read.version, read=read).version == 2
    Period.objects.filter(pk=world.period.pk).update(state=Period.LOCKED)
    read = current(world)
    with pytest.raises(services.PeriodLocked):
        enter(world, world.performance, "191", seen=read.version, read=read)
    assert current(world).actual == Decimal("190")
