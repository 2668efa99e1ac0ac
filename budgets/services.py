"""Writes of budget monitoring: the finance workbook import (all or nothing), a line's figures, capital entry, the tolerances."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Max, Sum

from core import periods, spreadsheets
from organisation import audit
from organisation.models import Directorate, Period

from . import imports
from .figures import pounds
from .models import CapitalChange, CapitalLine, CapitalScheme, RevenueLine, VarianceTolerance


class BudgetRefused(Exception):
    """A change the rules do not allow; the message says why."""


def locked_period_keys() -> set[str]:
    return set(Period.objects.filter(state=Period.LOCKED).values_list("key", flat=True))


def budget_import_file(*, source, by=None, request=None) -> imports.ImportPlan:
    """Open an uploaded workbook safely, check every cell, then write all of it or nothing.

    Raises SpreadsheetRefused (the file itself) or ImportRefused (every bad cell).
    """
    workbook = spreadsheets.open_workbook(source)
    try:
        plan = imports.read_workbook(
            workbook, directorates=list(Directorate.objects.all()), locked=locked_period_keys()
        )
    finally:
        workbook.close()
    return budget_import(plan=plan, by=by, request=request, source_name=getattr(source, "name", "workbook"))


@transaction.atomic
def budget_import(*, plan: imports.ImportPlan, by=None, request=None, source_name: str = "workbook"):
    """Replace the revenue and capital figures of each period in the plan."""
    for key, records in plan.revenue.items():
        period = Period.get_or_create_for(key)
        RevenueLine.objects.filter(period=period).delete()
        RevenueLine.objects.bulk_create([
            RevenueLine(
                period=period, directorate_id=r.directorate_id, service=r.service,
                original_budget=r.original_budget, current_budget=r.current_budget,
                forecast_outturn=r.forecast_outturn, commentary=r.commentary, order=r.order,
            )
            for r in records
        ])
    if plan.capital:
        names = {s.scheme for records in plan.capital.values() for s in records}
        schemes = {s.name.lower(): s for s in CapitalScheme.objects.all()}
        next_order = (CapitalScheme.objects.aggregate(top=Max("order"))["top"] or 0) + 1
        for name in sorted(names, key=lambda n: _first_position(plan, n)):
            if name.lower() not in schemes:
                schemes[name.lower()] = CapitalScheme.objects.create(name=name, order=next_order)
                next_order += 1
        for key, records in plan.capital.items():
            period = Period.get_or_create_for(key)
            CapitalChange.objects.filter(line__period=period).delete()
            CapitalLine.objects.filter(period=period).delete()
            lines = CapitalLine.objects.bulk_create([
                CapitalLine(period=period, scheme=schemes[r.scheme.lower()],
                            original_forecast=r.original_forecast, spend_to_date=r.spend_to_date)
                for r in records
            ])
            CapitalChange.objects.bulk_create([
                CapitalChange(line=line, amount=c.amount, reason=c.reason, approved_by=c.approved_by, order=n)
                for line, r in zip(lines, records, strict=True)
                for n, c in enumerate(r.changes)
            ])
    audit.record(user=by, action="budgets_imported", summary=f"Imported from {source_name}: {plan.summary}",
                 request=request)
    return plan


def _first_position(plan, name):
    for records in plan.capital.values():
        for n, record in enumerate(records):
            if record.scheme == name:
                return n
    return 0


@transaction.atomic
def revenue_line_update(*, line: RevenueLine, by, original_budget, current_budget, forecast_outturn,
                        commentary: str, request=None) -> RevenueLine:
    """The performance team corrects one line's figures; locked periods are refused."""
    _refuse_if_locked(line.period)
    before = (line.original_budget, line.current_budget, line.forecast_outturn)
    line.original_budget, line.current_budget = original_budget, current_budget
    line.forecast_outturn, line.commentary = forecast_outturn, commentary
    line.save()
    audit.record(
        user=by, action="revenue_line_changed", obj=line, request=request,
        summary=f"{line.period.key} {line.service}: {before} -> "
                f"{(original_budget, current_budget, forecast_outturn)}",
    )
    return line


def _refuse_if_locked(period: Period) -> None:
    if period.state == Period.LOCKED:
        raise BudgetRefused(f"{period.label} is locked; its figures can no longer be changed.")


@transaction.atomic
def capital_scheme_add(*, period_key: str, by, name: str, original_forecast, spend_to_date,
                       request=None) -> CapitalLine:
    """Put a scheme into one month's capital programme; a scheme already known from other months is reused."""
    name = " ".join(name.split())
    if not name:
        raise BudgetRefused("Enter the scheme's name.")
    key = periods.parse(period_key)
    if key.kind != periods.MONTH:
        raise BudgetRefused(f"{key.label} is not a month; the capital programme is monitored monthly.")
    period = Period.get_or_create_for(key)
    _refuse_if_locked(period)
    scheme = CapitalScheme.objects.filter(name__iexact=name).first()
    if scheme is None:
        top = CapitalScheme.objects.aggregate(top=Max("order"))["top"]
        scheme = CapitalScheme.objects.create(name=name, order=(top or 0) + 1)
    elif CapitalLine.objects.filter(period=period, scheme=scheme).exists():
        raise BudgetRefused(f"{scheme.name} is already in the programme for {period.label}; "
                            "record a change to it or correct its spend to date instead.")
    try:
        # A savepoint, so that a second person adding the same scheme at the same moment gets the
        # refusal above rather than a broken transaction.
        with transaction.atomic():
            line = CapitalLine.objects.create(period=period, scheme=scheme, original_forecast=original_forecast,
                                              spend_to_date=spend_to_date)
    except IntegrityError as exc:
        raise BudgetRefused(f"{scheme.name} is already in the programme for {period.label}.") from exc
    audit.record(
        user=by, action="capital_scheme_added", obj=line, request=request,
        summary=f"{period.key} {scheme.name}: original forecast {original_forecast}, spend to date {spend_to_date}",
    )
    return line


@transaction.atomic
def capital_change_record(*, line: CapitalLine, by, amount, reason: str, approved_by: str,
                          request=None) -> CapitalChange:
    """Record an addition (positive) or a reprofiling or reduction (negative) with its reason and decision."""
    _refuse_if_locked(line.period)
    reason, approved_by = reason.strip(), " ".join(approved_by.split())
    if not amount:
        raise BudgetRefused("A change of £0 changes nothing; enter the amount added or reprofiled.")
    if not reason or not approved_by:
        raise BudgetRefused("Every change needs its reason and the decision that approved it.")
    # Two changes saved at once must each see the other when checking the revised forecast.
    CapitalLine.objects.select_for_update().filter(pk=line.pk).values_list("pk").first()
    so_far = line.changes.aggregate(total=Sum("amount"), top=Max("order"))
    revised = line.original_forecast + (so_far["total"] or 0) + amount
    if revised < 0:
        raise BudgetRefused(f"This would take {line.scheme.name}'s revised forecast below zero, to {pounds(revised)}.")
    top = so_far["top"]
    change = CapitalChange.objects.create(line=line, amount=amount, reason=reason, approved_by=approved_by,
                                          order=0 if top is None else top + 1)
    audit.record(
        user=by, action="capital_change_recorded", obj=line, request=request,
        summary=f"{line.period.key} {line.scheme.name}: {change.kind.lower()} of {amount} "
                f"({reason}; approved by {approved_by}); revised forecast now {revised}",
    )
    return change


@transaction.atomic
def capital_spend_update(*, line: CapitalLine, by, spend_to_date, request=None) -> CapitalLine:
    """Correct a scheme's spend to date for the period; the audit log keeps the figure it replaced."""
    _refuse_if_locked(line.period)
    before = line.spend_to_date
    line.spend_to_date = spend_to_date
    line.save(update_fields=["spend_to_date"])
    audit.record(
        user=by, action="capital_spend_changed", obj=line, request=request,
        summary=f"{line.period.key} {line.scheme.name}: spend to date {before} -> {spend_to_date}",
    )
    return line


@transaction.atomic
def tolerance_save(*, by, amber_from_pct, red_above_pct, request=None) -> VarianceTolerance:
    if amber_from_pct < 0 or red_above_pct < amber_from_pct:
        raise BudgetRefused("Amber must start at 0% or more, and Red must start at or above where Amber starts.")
    row = VarianceTolerance.objects.order_by("pk").first() or VarianceTolerance()
    row.amber_from_pct, row.red_above_pct = amber_from_pct, red_above_pct
    row.save()
    audit.record(user=by, action="variance_tolerance_changed", obj=row, summary=str(row), request=request)
    return row
