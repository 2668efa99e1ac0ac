"""The only ways readings are written: one at a time from a form, or many from an import.

Both keep the history (old and new value of every field, who, when, how), refuse writes to
a locked period, and refuse a save made from a stale copy (optimistic version check that
works the same on SQLite and PostgreSQL: UPDATE ... WHERE version = the version the person saw).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from organisation.models import Period

from .models import Reading, ReadingHistory

# The fields a person or an import may change; state and version are the workflow's own.
EDITABLE = (
    "actual",
    "commentary",
    "remedial_action",
    "data_quality",
    "status_override",
    "status_reason",
)
TRACKED = (*EDITABLE, "state", "return_reason")


class PeriodLocked(Exception):
    """The period is locked: nothing in it can change until it is reopened with a reason."""

    def __init__(self, period):
        self.period = period
        super().__init__(f"{period.label} is locked; it must be reopened, with a reason, before figures change.")


class StaleReading(Exception):
    """Someone else saved the reading since this person opened it; their save is refused."""

    def __init__(self, current: Reading):
        self.current = current
        who = current.updated_by.get_full_name() or current.updated_by.username if current.updated_by else "someone"
        super().__init__(
            f"{who} changed this figure at {timezone.localtime(current.updated_at):%H:%M} "
            f"to {current.actual if current.actual is not None else 'no data'}; your change was not saved."
        )


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
    return str(value)


def _same(old, new) -> bool:
    if isinstance(old, Decimal) or isinstance(new, Decimal):
        if old is None or new is None:
            return old is None and new is None
        return Decimal(old) == Decimal(new)
    return (old or "") == (new or "")


def ensure_unlocked(period: Period) -> None:
    if period.state == Period.LOCKED:
        raise PeriodLocked(period)


@transaction.atomic
def reading_save(
    *, indicator, period: Period, user, values: dict, expected_version: int | None, how: str, source: str = ""
) -> Reading:
    """Save one reading's fields; record what changed. `expected_version` None means a new reading.

    Raises PeriodLocked or StaleReading; writes nothing in either case.
    """
    period = Period.objects.select_for_update().get(pk=period.pk)
    ensure_unlocked(period)
    unknown = set(values) - set(TRACKED)
    if unknown:
        raise ValueError(f"not fields of a reading: {sorted(unknown)}")
    reading = Reading.objects.select_for_update().filter(indicator=indicator, period=period).first()
    now = timezone.now()
    if reading is None:
        if expected_version not in (None, 0):
            raise StaleReading(Reading(indicator=indicator, period=period, updated_at=now))
        reading = Reading(indicator=indicator, period=period, version=0, updated_at=now)
        changes = {f: [None, _text(v)] for f, v in values.items() if not _same(None, v)}
        for field, value in values.items():
            setattr(reading, field, value)
        reading.version = 1
        reading.updated_by = user
        _stamp_override(reading, values, user, now)
        reading.save()
    else:
        if expected_version is not None and reading.version != expected_version:
            raise StaleReading(reading)
        changes = {
            f: [_text(getattr(reading, f)), _text(v)] for f, v in values.items() if not _same(getattr(reading, f), v)
        }
        if not changes:
            return reading
        for field, value in values.items():
            setattr(reading, field, value)
        _stamp_override(reading, values, user, now)
        updated = Reading.objects.filter(pk=reading.pk, version=reading.version).update(
            **{f: getattr(reading, f) for f in values},
            override_by=reading.override_by,
            override_at=reading.override_at,
            updated_by=user,
            updated_at=now,
            version=F("version") + 1,
        )
        if updated != 1:  # another transaction got there first
            raise StaleReading(Reading.objects.get(pk=reading.pk))
        reading.refresh_from_db()
    if changes:
        ReadingHistory.objects.create(
            reading=reading, changes=changes, how=how, source=source[:300], by=user, at=now, version=reading.version
        )
    return reading


def _stamp_override(reading, values, user, now):
    if "status_override" in values:
        if values["status_override"]:
            reading.override_by, reading.override_at = user, now
        else:
            reading.override_by = reading.override_at = None


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@transaction.atomic
def readings_import(*, rows: list[dict], user, how: str, source: str = "") -> ImportResult:
    """Upsert many readings at once with their history, in one transaction.

    Each row: {"indicator": Indicator, "period": Period, <EDITABLE fields present in the file>}.
    The caller has validated every value; a locked period refuses the whole import.
    Queries are fixed in number whatever the row count (bulk reads and writes).
    """
    result = ImportResult()
    if not rows:
        return result
    period_ids = {row["period"].pk for row in rows}
    locked = list(Period.objects.filter(pk__in=period_ids, state=Period.LOCKED))
    if locked:
        raise PeriodLocked(locked[0])
    indicator_ids = {row["indicator"].pk for row in rows}
    # Locked rows: a form save arriving mid-import waits, then sees the new version and is refused as stale.
    existing = {
        (r.indicator_id, r.period_id): r
        for r in Reading.objects.select_for_update().filter(indicator_id__in=indicator_ids, period_id__in=period_ids)
    }
    now = timezone.now()
    new, changed, history = [], [], []
    fields_touched = set()
    for row in rows:
        values = {k: v for k, v in row.items() if k in EDITABLE}
        key = (row["indicator"].pk, row["period"].pk)
        reading = existing.get(key)
        if reading is None:
            reading = Reading(indicator=row["indicator"], period=row["period"], version=1, updated_by=user, updated_at=now)
            for f, v in values.items():
                setattr(reading, f, v)
            _stamp_override(reading, values, user, now)
            new.append((reading, {f: [None, _text(v)] for f, v in values.items() if not _same(None, v)}))
            existing[key] = reading
            continue
        diff = {f: [_text(getattr(reading, f)), _text(v)] for f, v in values.items() if not _same(getattr(reading, f), v)}
        if not diff:
            result.unchanged += 1
            continue
        for f, v in values.items():
            setattr(reading, f, v)
        _stamp_override(reading, values, user, now)
        reading.version += 1
        reading.updated_by, reading.updated_at = user, now
        fields_touched.update(values)
        changed.append((reading, diff))
    if new:
        Reading.objects.bulk_create([r for r, _ in new], batch_size=1000)
        if new[0][0].pk is None:  # backends that do not return ids from bulk_create
            ids = {
                (r.indicator_id, r.period_id): r.pk
                for r in Reading.objects.filter(indicator_id__in=indicator_ids, period_id__in=period_ids)
            }
            for r, _ in new:
                r.pk = ids[(r.indicator_id, r.period_id)]
        result.created = len(new)
    if changed:
        Reading.objects.bulk_update(
            [r for r, _ in changed],
            [*sorted(fields_touched), "override_by", "override_at", "version", "updated_by", "updated_at"],
            batch_size=500,
        )
        result.updated = len(changed)
    for reading, diff in [*new, *changed]:
        if diff:
            history.append(
                ReadingHistory(reading=reading, changes=diff, how=how, source=source[:300], by=user, at=now, version=reading.version)
            )
    ReadingHistory.objects.bulk_create(history, batch_size=1000)
    return result
