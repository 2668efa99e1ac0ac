"""The only ways readings are written: one at a time from a form, or many from an import.

Both keep the history (old and new value of every field, who, when, how), refuse writes to
a locked period, and refuse a save made from a stale copy (optimistic version check that
works the same on SQLite and PostgreSQL: UPDATE ... WHERE version = the version the person saw).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from core import policy
from organisation import audit
from organisation import services as period_services
from organisation.models import Period

from . import bulk
from .models import Reading, ReadingHistory, SpcRebase, SpcSettings
from .outstanding import STATE_WORDS, outstanding_figures
from .outstanding import counts as outstanding_counts

# The fields a person or an import may change; state and version are the workflow's own.
EDITABLE = (
    "actual",
    "commentary",
    "remedial_action",
    "data_quality",
    "for_information",
    "status_override",
    "status_reason",
)
TRACKED = (*EDITABLE, "state", "return_reason")


class PeriodLocked(Exception):
    """The period is locked: nothing in it can change until it is reopened with a reason."""

    def __init__(self, period):
        self.period = period
        super().__init__(f"{period.label} is locked; it must be reopened, with a reason, before figures change.")


class PeriodClosed(PeriodLocked):
    """The period is closed to officers (only the performance team may still correct it)."""

    def __init__(self, period):
        self.period = period
        Exception.__init__(self, f"{period.label} is not open for updates; ask the performance team.")


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
        return format(value.normalize(), "f")
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


_UNREAD = object()  # reading_save's `current` when the caller did not read the reading
_PERIOD_STATE = "SELECT state FROM organisation_period WHERE id = %s"  # organisation.Period
_PERIOD_STATE_SHARED = "SELECT state FROM organisation_period WHERE id = %s FOR SHARE"


def _period_state_shared(period: Period) -> str:
    """The period's state now, holding a shared lock on its row until the transaction ends.

    Saves share the lock, so saves of different readings never wait for one another, while
    closing, locking or reopening the period (organisation.services, FOR UPDATE) waits for the
    saves in flight and they for it. Django's select_for_update has no FOR SHARE, hence SQL;
    SQLite has no row locks and needs none (it lets one writer in at a time: BEGIN IMMEDIATE).
    """
    conn = transaction.get_connection()
    sql = _PERIOD_STATE_SHARED if conn.vendor == "postgresql" else _PERIOD_STATE
    with conn.cursor() as cursor:
        cursor.execute(sql, [period.pk])
        found = cursor.fetchone()
    if found is None:
        raise Period.DoesNotExist(f"period {period.pk} has gone")
    return found[0]


def _current_of(indicator, period: Period) -> Reading | None:
    """The reading as it is now, with who last changed it, for a StaleReading refusal."""
    return Reading.objects.select_related("updated_by").filter(indicator=indicator, period=period).first()


@transaction.atomic


def reading_save(
    *, indicator, period: Period, user, values: dict, expected_version: int | None, how: str, source: str = "",
    current=_UNREAD, open_only: bool = False,
) -> Reading:
    """Save one reading's fields; record what changed. `expected_version` None means a new reading.

    `current` is the reading as the caller read it (None: there was none) when the caller has
    it already, which saves reading and locking it again: the UPDATE ... WHERE version = the
    version seen, or the unique (indicator, period) on an INSERT, refuses the save if anyone
    got there first. `open_only` refuses a closed period as well as a locked one (an officer's
    save; the performance team may correct a closed period), checked under the period lock.
    Raises PeriodLocked (PeriodClosed) or StaleReading; writes nothing in either case.
    """
    unknown = set(values) - set(TRACKED)
    if unknown:
        raise ValueError(f"not fields of a reading: {sorted(unknown)}")
    state = _period_state_shared(period)
    if state == Period.LOCKED or (open_only and state != Period.OPEN):
        raise PeriodLocked(period) if state == Period.LOCKED else PeriodClosed(period)
    if current is _UNREAD or expected_version is None:
        reading = Reading.objects.select_for_update().filter(indicator=indicator, period=period).first()
    else:
        reading = current
    now = timezone.now()
    if reading is None:
        if expected_version not in (None, 0):
            raise StaleReading(Reading(indicator=indicator, period=period, updated_at=now))
        reading = Reading(indicator=indicator, period=period, version=1, updated_by=user, updated_at=now)
        changes = {f: [None, _text(v)] for f, v in values.items() if not _same(None, v)}
        for field, value in values.items():
            setattr(reading, field, value)
        _stamp_override(reading, values, user, now)
        try:
            with transaction.atomic():  # a savepoint: the clash below leaves the transaction usable
                reading.save(force_insert=True)
        except IntegrityError:
            # Someone saved the first figure for this reading since the caller looked (unique
            # indicator and period): the same refusal as a stale version, showing theirs.
            theirs = _current_of(indicator, period)
            if theirs is None:
                raise
            raise StaleReading(theirs) from None
    else:
        if expected_version is not None and reading.version != expected_version:
            raise StaleReading(reading)
        changes = {
            f: [_text(getattr(reading, f)), _text(v)] for f, v in values.items() if not _same(getattr(reading, f), v)
        }
        if not changes:
            return reading
        override = {}
        if "status_override" in values:
            override = {"override_by": user, "override_at": now} if values["status_override"] else {
                "override_by": None, "override_at": None}
        updated = Reading.objects.filter(pk=reading.pk, version=reading.version).update(
            **values, **override, updated_by=user, updated_at=now, version=F("version") + 1,
        )
        if updated != 1:  # another transaction got there first
            raise StaleReading(_current_of(indicator, period) or Reading(indicator=indicator, period=period, updated_at=now))
        # The UPDATE matched the version read, so the row now is what was read plus these values.
        for field, value in {**values, **override}.items():
            setattr(reading, field, value)
        reading.version += 1
        reading.updated_by, reading.updated_at = user, now
    if changes:
        ReadingHistory.objects.create(
            reading=reading, changes=changes, how=how, source=source[:300], by=user, at=now, version=reading.version
        )
        audit.record(
            user=user, action="reading_saved", obj=reading,
            summary=f"{indicator.code} {period.key} ({how}): "
            + "; ".join(f"{f} {old} -> {new}" if f == "actual" else f"{f} changed" for f, (old, new) in changes.items()),
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
    user_id = user.pk if user is not None else None
    # New readings and all history rows are plain dicts for indicators.bulk.insert: building
    # 36,000 model instances of each was most of a large import's time.
    new, changed, history = [], [], []
    fields_touched = set()
    for row in rows:
        values = {k: v for k, v in row.items() if k in EDITABLE}
        key = (row["indicator"].pk, row["period"].pk)
        if key in existing and existing[key] is None:
            raise ValueError(f"two rows for the same reading: indicator {key[0]}, period {key[1]}")
        reading = existing.get(key)
        if reading is None:
            record = {
                "indicator_id": key[0], "period_id": key[1], "version": 1, "updated_by_id": user_id,
                "updated_at": now, **values,
            }
            if values.get("status_override"):
                record["override_by_id"], record["override_at"] = user_id, now
            new.append((record, {f: [None, _text(v)] for f, v in values.items() if not _same(None, v)}))
            existing[key] = None  # a second row for the same reading is the caller's error
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
        bulk.insert(Reading, [record for record, _ in new])
        ids = {
            (i, p): pk
            for pk, i, p in Reading.objects.filter(
                indicator_id__in=indicator_ids, period_id__in=period_ids
            ).values_list("pk", "indicator_id", "period_id")
        }
        for record, diff in new:
            if diff:
                history.append({
                    "reading_id": ids[(record["indicator_id"], record["period_id"])], "changes": diff, "how": how,
                    "source": source[:300], "by_id": user_id, "at": now, "version": 1,
                })
        result.created = len(new)
    if changed:
        Reading.objects.bulk_update(
            [r for r, _ in changed],
            [*sorted(fields_touched), "override_by", "override_at", "version", "updated_by", "updated_at"],
            batch_size=500,
        )
        result.updated = len(changed)
        history += [
            {"reading_id": r.pk, "changes": diff, "how": how, "source": source[:300], "by_id": user_id, "at": now,
             "version": r.version}
            for r, diff in changed
        ]
    bulk.insert(ReadingHistory, history)
    return result


# --- The monthly return's workflow: submit, approve, return ------------------------------
# Each step changes the state of many readings at once, through the same history and version
# check as a figure: a reading changed since the approver opened the page is refused as stale.


class WorkflowRefused(Exception):
    """A reading is not at a step that allows this (approving a draft, returning without a reason)."""


def reading_enter(
    *, indicator, period: Period, user, values: dict, expected_version, how: str, current=_UNREAD, source="",
    open_only: bool = False,
):
    """A person's save of a figure (form, htmx row, admin). Changing a submitted or approved
    figure sends it back to draft, so nothing changes after sign-off without being signed off again.

    `current` is the reading the caller loaded (None: it found none); the version check in
    reading_save makes a decision taken on a stale copy harmless, and reading_save does not
    read it again. `open_only`: see reading_save.
    """
    if isinstance(current, Reading) and current.state in (Reading.SUBMITTED, Reading.APPROVED) and _differs(current, values):
        values = {**values, "state": Reading.DRAFT}
    return reading_save(
        indicator=indicator, period=period, user=user, values=values,
        expected_version=expected_version, how=how, source=source, current=current, open_only=open_only,
    )


def _differs(reading, values: dict) -> bool:
    return any(not _same(getattr(reading, f), v) for f, v in values.items())


@transaction.atomic


def readings_move(*, items, user, to: str, how: str, allowed_from: tuple, reason: str = "") -> list[Reading]:
    """Move readings to the workflow state `to` with history; all or nothing.

    `items` are (reading id, the version the person saw, or None to skip the check). Raises
    PeriodLocked, StaleReading (with the current reading) or WorkflowRefused; writes nothing then.
    Queries are fixed in number whatever the count.
    """
    ids = [pk for pk, _ in items]
    if not ids:
        return []
    expected = dict(items)
    readings = list(
        Reading.objects.select_for_update(of=("self",)).filter(pk__in=ids).select_related("indicator", "period", "updated_by")
    )
    if len(readings) != len(set(ids)):
        raise WorkflowRefused("a reading has gone; reload the page")
    period_ids = {r.period_id for r in readings}
    locked = list(Period.objects.select_for_update().filter(pk__in=period_ids, state=Period.LOCKED))
    if locked:
        raise PeriodLocked(locked[0])
    now = timezone.now()
    history = []
    for r in readings:
        seen = expected[r.pk]
        if seen is not None and r.version != seen:
            raise StaleReading(r)
        if r.state not in allowed_from:
            raise WorkflowRefused(f"{r.indicator.code} is {r.get_state_display().lower()}, so it cannot be {to} now")
        new_reason = reason if to == Reading.RETURNED else ""
        diff = {"state": [r.state, to]}
        if not _same(r.return_reason, new_reason):
            diff["return_reason"] = [r.return_reason or None, new_reason or None]
        r.state, r.return_reason = to, new_reason
        r.version += 1
        r.updated_by, r.updated_at = user, now
        history.append(ReadingHistory(reading=r, changes=diff, how=how, by=user, at=now, version=r.version))
    Reading.objects.bulk_update(readings, ["state", "return_reason", "version", "updated_by", "updated_at"])
    ReadingHistory.objects.bulk_create(history)
    codes = ", ".join(sorted(r.indicator.code for r in readings))
    audit.record(
        user=user, action=f"readings_{how}", obj=readings[0].period if len(period_ids) == 1 else None,
        summary=f"{len(readings)} reading(s) {to}: {codes}" + (f". Reason: {reason}" if reason else ""),
    )
    return readings


def return_submit(*, items, user) -> list[Reading]:
    """An officer sends their figures for approval."""
    return readings_move(
        items=items, user=user, to=Reading.SUBMITTED, how=ReadingHistory.SUBMIT,
        allowed_from=(Reading.DRAFT, Reading.RETURNED),
    )


class SeparationOfDuties(WorkflowRefused):
    """The approver entered, submitted or last changed one of the figures: someone else must sign it off."""


def hands_on(reading_ids) -> dict:
    """Reading id -> the ids of everyone who entered, submitted or last changed it (Reading.hands
    for many at once, in one query)."""
    hands: dict = {pk: set() for pk in reading_ids}
    rows = ReadingHistory.objects.filter(reading_id__in=hands).exclude(how__in=ReadingHistory.DECISIONS)
    for reading_id, by_id in rows.values_list("reading_id", "by_id"):
        hands[reading_id].add(by_id)
    for pk, by_id in Reading.objects.filter(pk__in=hands).values_list("pk", "updated_by_id"):
        hands[pk].add(by_id)
    return {pk: ids - {None} for pk, ids in hands.items()}


def others_work(readings, user):
    """The readings (a queryset) that `user` had no hand in: what they may be asked to approve."""
    entered = ReadingHistory.objects.filter(by=user).exclude(how__in=ReadingHistory.DECISIONS).values("reading_id")
    return readings.exclude(updated_by=user).exclude(pk__in=entered)


def _check_decision(*, items, user, approving: bool) -> None:
    """Approving and returning are decisions on the figures the person saw: every item carries
    the version seen; and nobody approves a figure they had a hand in (core.policy)."""
    if any(version is None for _, version in items):
        raise WorkflowRefused("the page did not say which version of each figure you saw; reload it and try again")
    if not approving:
        return
    mine = [pk for pk, ids in hands_on([pk for pk, _ in items]).items() if policy.had_a_hand_in(user, ids)]
    if mine:
        codes = ", ".join(sorted(Reading.objects.filter(pk__in=mine).values_list("indicator__code", flat=True)))
        raise SeparationOfDuties(
            f"you entered, submitted or last changed {codes}, so someone else must approve or return it"
        )


def readings_approve(*, items, user) -> list[Reading]:
    """An approver signs figures off: never a figure they had a hand in, always against the version they saw."""
    _check_decision(items=items, user=user, approving=True)
    return readings_move(
        items=items, user=user, to=Reading.APPROVED, how=ReadingHistory.APPROVAL, allowed_from=(Reading.SUBMITTED,)
    )


def readings_return(*, items, user, reason: str) -> list[Reading]:
    """An approver sends figures back to the officer with the reason; a reason is required."""
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowRefused("say why the figures are being returned")
    _check_decision(items=items, user=user, approving=False)
    return readings_move(
        items=items, user=user, to=Reading.RETURNED, how=ReadingHistory.RETURN,
        allowed_from=(Reading.SUBMITTED, Reading.APPROVED), reason=reason,
    )


@transaction.atomic
def readings_return_each(*, items, user) -> list[Reading]:
    """Return several figures at once, each with its own reason: items are (reading id, version
    seen, reason). All or nothing: one refusal (stale, locked, no reason) returns none."""
    returned = []
    for pk, version, reason in items:
        returned += readings_return(items=[(pk, version)], user=user, reason=reason)
    return returned


class UploadOutdated(Exception):
    """Figures changed between the preview of an upload and its application; nothing was written."""

    def __init__(self, codes):
        self.codes = sorted(codes)
        super().__init__(f"changed since the preview: {', '.join(self.codes)}")


@transaction.atomic


def return_upload(*, rows: list[dict], seen: dict, user, source: str) -> ImportResult:
    """Apply an uploaded return that the person previewed: refused whole if any figure changed since.

    `seen` maps (indicator id, period id) to the version shown in the preview (0: no reading).
    Changed figures that were submitted or approved go back to draft, as with a form save.
    """
    indicator_ids = {row["indicator"].pk for row in rows}
    period_ids = {row["period"].pk for row in rows}
    current = {
        (r.indicator_id, r.period_id): r
        for r in Reading.objects.select_for_update()
        .filter(indicator_id__in=indicator_ids, period_id__in=period_ids)
        .select_related("indicator")
    }
    outdated = [
        row["indicator"].code
        for row in rows
        if (current[key].version if (key := (row["indicator"].pk, row["period"].pk)) in current else 0) != seen.get(key, 0)
    ]
    if outdated:
        raise UploadOutdated(outdated)
    signed_off = [
        (current[key].pk, None)
        for row in rows
        if (key := (row["indicator"].pk, row["period"].pk)) in current
        and current[key].state in (Reading.SUBMITTED, Reading.APPROVED)
        and _differs(current[key], {k: v for k, v in row.items() if k in EDITABLE})
    ]
    result = readings_import(rows=rows, user=user, how=ReadingHistory.UPLOAD, source=source)
    if signed_off:
        readings_move(
            items=signed_off, user=user, to=Reading.DRAFT, how=ReadingHistory.UPLOAD,
            allowed_from=(Reading.SUBMITTED, Reading.APPROVED),
        )
    audit.record(
        user=user, action="readings_uploaded",
        summary=f"{source}: {result.created} new, {result.updated} changed, {result.unchanged} unchanged",
    )
    return result


# --- Locking a period -----------------------------------------------------------------------


class LockNeedsConfirmation(Exception):
    """Figures in the period are not signed off: locking needs the person's confirmation and reason."""

    def __init__(self, outstanding: list):
        self.outstanding = outstanding
        super().__init__(f"{len(outstanding)} figure(s) are not signed off; confirm and give the reason to lock")


@transaction.atomic


def period_lock(*, period: Period, user, confirmed: bool = False, reason: str = "", request=None) -> Period:
    """Lock a period for the report. With any figure returned, submitted, draft or missing, the
    person must confirm and say why; the reason and the count go into the period's events and
    the audit log. Raises LockNeedsConfirmation (nothing written) otherwise."""
    outstanding = outstanding_figures(Period.objects.select_for_update().get(pk=period.pk))
    reason = (reason or "").strip()
    if outstanding and not (confirmed and reason):
        raise LockNeedsConfirmation(outstanding)
    found = outstanding_counts(outstanding)
    note = ", ".join(f"{n} {STATE_WORDS[state].lower()}" for state, n in found.items())
    return period_services.period_lock(
        period=period, user=user, request=request, reason=reason,
        outstanding=f"{len(outstanding)} figure(s) not signed off ({note})" if outstanding else "",
    )


# --- SPC options (the performance team's, audited) -----------------------------------------

def _spc_words(settings_row) -> str:
    baseline = settings_row.baseline_end.label if settings_row.baseline_end_id else "none"
    return (f"run length {settings_row.run_length}; screening {'on' if settings_row.screen_outliers else 'off'}; "
            f"trial limits {'on' if settings_row.trial_limits else 'off'}; baseline to {baseline}")


@transaction.atomic
def spc_options_save(*, indicator, user, run_length: int, screen_outliers: bool, trial_limits: bool,
                     baseline_end, reason: str, request=None) -> SpcSettings:
    """Set how an indicator's SPC is worked out; the audit log keeps before, after and why."""
    current = SpcSettings.objects.select_related("baseline_end").filter(indicator=indicator).first()
    before = _spc_words(current) if current is not None else "the defaults"
    current = current or SpcSettings(indicator=indicator)
    current.run_length, current.screen_outliers, current.trial_limits = run_length, screen_outliers, trial_limits
    current.baseline_end = baseline_end
    current.updated_by = user if user is not None and user.is_authenticated else None
    current.updated_at = timezone.now()
    current.save()
    audit.record(user=user, action="spc_options_changed", obj=indicator, request=request,
                 summary=f"{indicator.code}: {before} -> {_spc_words(current)}. Reason: {reason}")
    return current


@transaction.atomic
def spc_rebase_add(*, indicator, period: Period, reason: str, user, request=None) -> SpcRebase:
    """Recalculate an indicator's limits from a period, with what changed; audited."""
    rebase, _ = SpcRebase.objects.update_or_create(
        indicator=indicator, period=period,
        defaults={"reason": reason, "created_by": user if user is not None and user.is_authenticated else None,
                  "created_at": timezone.now()},
    )
    audit.record(user=user, action="spc_rebased", obj=indicator, request=request,
                 summary=f"{indicator.code}: limits recalculated from {period.label}. Reason: {reason}")
    return rebase


@transaction.atomic
def spc_rebase_remove(*, rebase: SpcRebase, user, request=None) -> None:
    indicator, label = rebase.indicator, rebase.period.label
    rebase.delete()
    audit.record(user=user, action="spc_rebase_removed", obj=indicator, request=request,
                 summary=f"{indicator.code}: limits no longer recalculated from {label}")
