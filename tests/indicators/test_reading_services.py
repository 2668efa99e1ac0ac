"""Saving readings: history for every change, stale saves refused, locked periods refused."""

from decimal import Decimal

import pytest

from indicators import services
from indicators.models import Reading, ReadingHistory
from organisation.models import Period
from tests import factories


def test_a_new_reading_is_saved_with_its_history(world):
    period = factories.period("2006-08")
    reading = services.reading_save(
        indicator=world.indicator, period=period, user=world.officer,
        values={"actual": Decimal("201"), "commentary": "Rising referrals"}, expected_version=None, how="form",
    )
    assert (reading.actual, reading.version) == (Decimal("201"), 1)
    entry = reading.history.get()
    assert entry.changes == {"actual": [None, "201"], "commentary": [None, "Rising referrals"]}
    assert (entry.how, entry.by) == ("form", world.officer)


def test_a_change_records_old_and_new_values(world):
    reading = Reading.objects.get(indicator=world.indicator, period__key="2006-07")
    services.reading_save(
        indicator=world.indicator, period=reading.period, user=world.officer,
        values={"actual": Decimal("199.5")}, expected_version=reading.version, how="htmx",
    )
    assert list(ReadingHistory.objects.values_list("changes", flat=True)) == [{"actual": ["196", "199.5"]}]


def test_a_save_from_a_stale_copy_is_refused_and_keeps_the_other_value(world):
    reading = Reading.objects.get(indicator=world.indicator, period__key="2006-07")
    seen = reading.version
    services.reading_save(
        indicator=world.indicator, period=reading.period, user=world.performance,
        values={"actual": Decimal("200")}, expected_version=seen, how="form",
    )
    with pytest.raises(services.StaleReading) as refused:
        services.reading_save(
            indicator=world.indicator, period=reading.period, user=world.officer,
            values={"actual": Decimal("150")}, expected_version=seen, how="form",
        )
    assert refused.value.current.actual == Decimal("200")
    assert Reading.objects.get(pk=reading.pk).actual == Decimal("200")
    assert ReadingHistory.objects.count() == 1


def test_a_locked_period_refuses_a_save_and_writes_nothing(world):
    reading = Reading.objects.get(indicator=world.indicator, period__key="2006-07")
    Period.objects.filter(pk=reading.period_id).update(state=Period.LOCKED)
    with pytest.raises(services.PeriodLocked):
        services.reading_save(
            indicator=world.indicator, period=reading.period, user=world.performance,
            values={"actual": Decimal("1")}, expected_version=reading.version, how="form",
        )
    assert Reading.objects.get(pk=reading.pk).actual == Decimal("196")
    assert not ReadingHistory.objects.exists()


def test_an_import_upserts_with_history_for_each_changed_reading(world):
    july, august = factories.period("2006-07"), factories.period("2006-08")
    rows = [
        {"indicator": world.indicator, "period": july, "actual": Decimal("196")},  # unchanged
        {"indicator": world.indicator, "period": august, "actual": Decimal("205")},
        {"indicator": world.other_indicator, "period": july, "actual": Decimal("7")},
    ]
    result = services.readings_import(rows=rows, user=world.performance, how="import", source="kpis.xlsx")
    assert (result.created, result.updated, result.unchanged) == (2, 0, 1)
    assert ReadingHistory.objects.filter(how="import", source="kpis.xlsx").count() == 2


def test_an_import_into_a_locked_period_writes_nothing(world):
    july = factories.period("2006-07")
    august = factories.period("2006-08")
    Period.objects.filter(pk=july.pk).update(state=Period.LOCKED)
    rows = [
        {"indicator": world.indicator, "period": august, "actual": Decimal("1")},
        {"indicator": world.indicator, "period": july, "actual": Decimal("2")},
    ]
    with pytest.raises(services.PeriodLocked):
        services.readings_import(rows=rows, user=world.performance, how="import")
    assert not Reading.objects.filter(period=august).exists()


def test_an_import_costs_the_same_queries_for_ten_or_a_hundred_rows(world, django_assert_max_num_queries):
    periods = [factories.period(f"2007-{m:02d}") for m in (1, 2, 3)]
    inds = [factories.indicator(f"X{i}") for i in range(100)]
    rows = [{"indicator": i, "period": p, "actual": Decimal(n)} for n, i in enumerate(inds) for p in periods]
    with django_assert_max_num_queries(12):
        services.readings_import(rows=rows[:30], user=world.performance, how="import")
    with django_assert_max_num_queries(12):
        services.readings_import(rows=rows, user=world.performance, how="import")
