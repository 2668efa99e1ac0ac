"""Changes to a reporting period's state (open, close, lock, reopen) and deadline, each recorded.

Every change writes a PeriodEvent (shown with the period) and an audit event, in the same
transaction. Locking makes every figure in the period read-only (the reading services refuse
writes); only reopening with a written reason undoes it.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from . import audit
from .models import Period, PeriodEvent


class PeriodRefused(Exception):
    """The change does not apply to the period as it is (locking a locked period, reopening without a reason)."""


def _locked_row(period: Period) -> Period:
    return Period.objects.select_for_update().get(pk=period.pk)


def _record(period, *, action, user, reason="", summary, request=None):
    PeriodEvent.objects.create(period=period, action=action, reason=reason, by=user)
    audit.record(user=user, action=f"period_{action}", obj=period, summary=summary, request=request)


@transaction.atomic
def period_open(*, period: Period, user, deadline: date | None = None, request=None) -> Period:
    """Open a period for officers' updates; a locked period must be reopened with a reason instead."""
    period = _locked_row(period)
    if period.state == Period.LOCKED:
        raise PeriodRefused(f"{period.label} is locked; reopen it with a reason")
    if period.state == Period.OPEN:
        raise PeriodRefused(f"{period.label} is already open")
    period.state = Period.OPEN
    fields = ["state"]
    if deadline is not None:
        period.deadline = deadline
        fields.append("deadline")
    period.save(update_fields=fields)
    _record(period, action=PeriodEvent.OPENED, user=user, request=request,
            summary=f"{period.label} opened" + (f", deadline {deadline:%d/%m/%Y}" if deadline else ""))
    return period


@transaction.atomic
def period_close(*, period: Period, user, request=None) -> Period:
    """Close a period to officers; the performance team can still correct it until it is locked."""
    period = _locked_row(period)
    if period.state != Period.OPEN:
        raise PeriodRefused(f"{period.label} is not open")
    period.state = Period.CLOSED
    period.save(update_fields=["state"])
    _record(period, action=PeriodEvent.CLOSED, user=user, request=request, summary=f"{period.label} closed")
    return period


@transaction.atomic
def period_lock(*, period: Period, user, reason: str = "", outstanding: str = "", request=None) -> Period:
    """Lock a period when the report is due: no figure in it can change until it is reopened.

    Which figures are not yet signed off is the indicators' business (indicators.services.period_lock
    checks them and asks for the reason); `outstanding` says what they were, for the record.
    """
    period = _locked_row(period)
    if period.state == Period.LOCKED:
        raise PeriodRefused(f"{period.label} is already locked")
    period.state = Period.LOCKED
    period.save(update_fields=["state"])
    reason = (reason or "").strip()
    kept = f"{outstanding}: {reason}" if outstanding and reason else (reason or outstanding)
    _record(period, action=PeriodEvent.LOCKED, user=user, request=request, reason=kept,
            summary=f"{period.label} locked" + (f" with {kept}" if outstanding else (f": {reason}" if reason else "")))
    return period


@transaction.atomic
def period_reopen(*, period: Period, user, reason: str, request=None) -> Period:
    """Reopen a locked period; the reason is required and kept with the period's events."""
    reason = (reason or "").strip()
    if not reason:
        raise PeriodRefused("Give the reason for reopening the period")
    period = _locked_row(period)
    if period.state != Period.LOCKED:
        raise PeriodRefused(f"{period.label} is not locked")
    period.state = Period.OPEN
    period.save(update_fields=["state"])
    _record(period, action=PeriodEvent.REOPENED, user=user, reason=reason, request=request,
            summary=f"{period.label} reopened: {reason}")
    return period


@transaction.atomic
def period_set_deadline(*, period: Period, user, deadline: date | None, request=None) -> Period:
    """Set (or clear) the date officers' figures are due."""
    period = _locked_row(period)
    if period.state == Period.LOCKED:
        raise PeriodRefused(f"{period.label} is locked; reopen it with a reason")
    period.deadline = deadline
    period.save(update_fields=["deadline"])
    when = f"{deadline.day} {deadline:%B %Y}" if deadline else "none"
    _record(period, action=PeriodEvent.DEADLINE, user=user, request=request,
            summary=f"{period.label} deadline: {when}")
    return period
