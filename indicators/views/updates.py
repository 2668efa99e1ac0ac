"""My updates: an officer enters the period's figures row by row (htmx) or all at once, then submits them."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from core import clock, policy
from indicators import returns, selectors, services, spc_icons, update_rows
from indicators.models import Indicator, Reading
from indicators.selectors import spc_latest
from organisation.models import Period


def prefix(indicator_id) -> str:
    return f"r{indicator_id}-"


def open_periods() -> list[Period]:
    return list(Period.objects.filter(state=Period.OPEN).order_by("-start", "kind"))


def chosen_period(request, open_now: list[Period] | None = None) -> Period | None:
    """The period asked for, else the latest open month, else the latest open period.

    `open_now`, the open periods if the caller has them already, saves asking again.
    """
    pk = request.GET.get("period") or request.POST.get("period")
    if pk and str(pk).isdigit():
        known = [p for p in open_now or () if p.pk == int(pk)]
        return known[0] if known else get_object_or_404(Period, pk=pk)
    open_now = open_periods() if open_now is None else open_now
    months = [p for p in open_now if p.kind == "month"]
    return (months or open_now or [None])[0]


def whose_figures(request, people=()):
    """The officer whose figures the page is for: the signed-in person, or the one `?officer=`
    names when the performance team enters figures for someone else; for anyone else naming
    another officer is a 404. `people`, those already loaded for the choice, saves a query."""
    username = (request.GET.get("officer") or "").strip()
    if not username or username == request.user.username:
        return request.user
    policy.require(policy.may_enter_updates_for_others(request.user))
    for person in people:
        if person.username == username:
            return person
    return get_object_or_404(get_user_model(), username=username, is_active=True)


def updates_url(period, officer=None, anchor: str = "") -> str:
    """My updates for a period, as the officer it was opened for (the signed-in person if None)."""
    query = {"period": period.pk}
    if officer is not None:
        query["officer"] = officer.username
    return f"{reverse('indicators:updates')}?{urlencode(query)}{anchor}"


def for_someone_else(request, subject):
    return subject if subject.pk != request.user.pk else None


def my_indicators(user, period):
    return returns.due_indicators(period).filter(selectors.led_by(user))


# What a row of My updates shows of each indicator: its heading, never its lead (the page's officer).
ROW_RELATED = ("objective__priority", "directorate")


def refusal(user, period) -> str | None:
    """Why this person cannot change figures in the period at all, or None."""
    if period.state == Period.LOCKED:
        return f"{period.label} is locked: its figures cannot change unless the performance team reopens it, with a reason."
    if period.state != Period.OPEN and not policy.is_performance(user):
        return f"{period.label} is not open for updates; ask the performance team."
    return None


def check_row(request, row: returns.Row):
    """What the POST asks of one row: (values, version seen) to write, or None when there is nothing
    to write or the typing is refused (then row.errors says why and the typing is kept)."""
    p = prefix(row.indicator.pk)
    data = {f: request.POST.get(p + f, "") for f in returns.FIELDS}
    version_text = request.POST.get(p + "version", "")
    seen = int(version_text) if version_text.isdigit() else 0
    values, errors, _ = returns.clean_values(row.indicator, row.period, row.target, data)
    row.typed = data
    row.forget()
    if errors:
        row.errors = returns.Errors(errors)
        return None
    if not returns.differs(row.reading, values):
        return None
    return values, seen


def save_row(request, row: returns.Row, *, how: str) -> None:
    """Check and save one row from the POST; on any refusal keep what was typed and say why."""
    checked = check_row(request, row)
    if checked is not None:
        write_row(request, row, *checked, how=how)


class _SaveAllRefused(Exception):
    """A row of Save all was refused while writing: undo the rows written before it."""


def save_all(request, rows: list[returns.Row], *, how: str) -> int:
    """Save every row or none: each row is checked first, and a refusal while writing (a stale
    copy, a lock) undoes the rows already written. Returns how many were saved."""
    wanted = [(row, checked) for row in rows if (checked := check_row(request, row)) is not None]
    if any(row.errors for row in rows):
        return 0
    before = {row.indicator.pk: (row.reading, row.typed) for row, _ in wanted}
    try:
        with transaction.atomic():
            for row, (values, seen) in wanted:
                write_row(request, row, values, seen, how=how)
                if row.errors:
                    raise _SaveAllRefused
    except _SaveAllRefused:
        for row, _ in wanted:
            if row.saved:  # written, then undone with the rest: show the typing again, unsaved
                row.reading, typed = before[row.indicator.pk]
                row.typed, row.saved = typed, False
                row.forget()
        return 0
    return sum(row.saved for row, _ in wanted)


def write_row(request, row: returns.Row, values: dict, seen: int, *, how: str) -> None:
    """Write one checked row; a stale copy or a locked period is said in the row, with the typing kept."""
    data = row.typed or {}
    try:
        reading = services.reading_enter(
            indicator=row.indicator, period=row.period, user=request.user, values=values,
            expected_version=seen, how=how, current=row.reading,
            open_only=not policy.is_performance(request.user),  # as refusal(), checked again under the period lock
        )
    except services.StaleReading as stale:
        row.conflict = stale.current
        row.errors = returns.Errors(actual=conflict_message(stale.current, data))
    except services.PeriodLocked as locked:
        row.errors = returns.Errors(actual=str(locked))
    else:
        reading.updated_by = request.user  # it is; saves the row's "last changed by" a query
        row.reading, row.typed, row.saved = reading, None, True
        row.forget()


def conflict_message(current: Reading, data: dict) -> str:
    who = "Someone"
    if current.updated_by is not None:
        who = current.updated_by.get_full_name() or current.updated_by.username
    theirs = returns._plain(current.actual) if current.actual is not None else "no figure"
    when = timezone.localtime(current.updated_at).strftime("%H:%M on %d/%m/%Y")
    yours = (data.get("actual") or "").strip() or "blank"
    return (
        f"{who} saved {theirs} at {when} while you were editing. Your figure ({yours}) has not been "
        "saved and is kept below: check theirs, then save again to replace it with yours."
    )


def page_context(request, period, rows, *, subject, open_now=None, people=None, **extra):
    rows_by_group = returns.grouped(rows)
    errors = [
        (row, field, message)
        for row in rows
        for field, message in row.errors.items()
    ]
    read_only = refusal(request.user, period) if period else None
    update_rows.rows_view(rows, period, read_only=read_only)
    if period is not None and rows:
        # The SPC judgement of the figures so far, on the full page (a saved row re-renders without it).
        views = spc_latest(period_key=period.key, indicators=[
            (r.indicator.pk, r.indicator.polarity, r.indicator.frequency) for r in rows
        ], targets={
            r.indicator.pk: (r.target.target, r.target.lower, r.target.upper) for r in rows if r.target is not None
        })
        for row in rows:
            view = views.get(row.indicator.pk)
            if view is not None:
                row.view["spc"] = spc_icons.badge(view.variation, view.side, view.assurance, view.trial)
    update_rows.rows_html(rows, read_only=read_only)
    counts = {
        "due": len(rows),
        "entered": sum(1 for r in rows if r.reading and (r.reading.actual is not None or r.reading.commentary)),
        "submitted": sum(1 for r in rows if r.state == Reading.SUBMITTED),
        "approved": sum(1 for r in rows if r.state == Reading.APPROVED),
        "returned": sum(1 for r in rows if r.state == Reading.RETURNED),
    }
    return {
        "period": period,
        "groups": rows_by_group,
        "rows": rows,
        "errors": errors,
        "open_periods": open_periods() if open_now is None else open_now,
        "subject": subject,
        "subject_name": subject.get_full_name() or subject.username,
        "entering_for": for_someone_else(request, subject),
        "officer_query": f"&{urlencode({'officer': subject.username})}" if subject.pk != request.user.pk else "",
        "people": people,
        "counts": counts,
        "read_only": read_only,
        "to_submit": sum(1 for r in rows if r.state in (Reading.DRAFT, Reading.RETURNED) and r.reading),
        "today": clock.today(),
        **extra,
    }


@require_http_methods(["GET", "POST"])
def my_updates(request):
    policy.require(policy.may_enter_updates(request.user))
    open_now = open_periods()
    period = chosen_period(request, open_now)
    if period is None:
        return render(request, "indicators/updates.html", {"period": None})
    # The performance team chooses whose figures to enter from the leads of the period's indicators.
    people = returns.leads_of(period) if policy.may_enter_updates_for_others(request.user) else None
    subject = whose_figures(request, people or ())
    other = for_someone_else(request, subject)
    rows = returns.rows_for(my_indicators(subject, period), period, related=ROW_RELATED)
    if request.method == "POST":
        refused = refusal(request.user, period)
        if refused:
            messages.error(request, refused)
            return redirect(updates_url(period, other))
        policy.require(all(policy.may_edit_reading(request.user, row.indicator) for row in rows))
        only = request.POST.get("save_row", "")
        if only:
            saved = 0
            for row in rows:
                if str(row.indicator.pk) == only:
                    save_row(request, row, how="form")
                    saved += row.saved
        else:
            # Save all is all or nothing: with any row refused, nothing is saved and every typing stays.
            saved = save_all(request, rows, how="form")
        if not any(row.errors for row in rows):
            messages.success(
                request,
                f"{saved} figure{'s' if saved != 1 else ''} saved for {period.label}." if saved else "No figures had changed.",
            )
            return redirect(updates_url(period, other, f"#row-{only}" if only else ""))
    return render(
        request, "indicators/updates.html",
        page_context(request, period, rows, subject=subject, open_now=open_now, people=people),
    )


def _row_and_period(request, period_id, indicator_id):
    """The row of one indicator, read once: the indicator, its target and its readings."""
    period = get_object_or_404(Period, pk=period_id)
    indicator = Indicator.objects.filter(pk=indicator_id).first()
    if indicator is None:
        raise Http404("No such indicator")
    policy.require(policy.may_edit_reading(request.user, indicator))
    return returns.row_of(indicator, period), period


@require_POST
def update_row(request, period_id, indicator_id):
    """Save one row: htmx swaps the row in place; without JavaScript the page comes back."""
    row, period = _row_and_period(request, period_id, indicator_id)
    refused = refusal(request.user, period)
    if refused:
        row.typed = {f: request.POST.get(prefix(row.indicator.pk) + f, "") for f in returns.FIELDS}
        row.errors = returns.Errors(actual=refused)
    else:
        save_row(request, row, how="htmx" if request.htmx else "form")
    if request.htmx:
        update_rows.rows_view([row], period, read_only=refused)
        return render(request, "indicators/updates.html#row", {"row": row, "read_only": refused})
    # Without JavaScript the page comes back as the indicator's lead's, whoever saved the row.
    subject = request.user if row.indicator.lead_id in (None, request.user.pk) else row.indicator.lead
    other = for_someone_else(request, subject)
    if not row.errors:
        messages.success(request, f"{row.indicator.code} saved.")
        return redirect(updates_url(period, other, f"#row-{row.indicator.pk}"))
    rows = returns.rows_for(my_indicators(subject, period), period, related=ROW_RELATED)
    for i, r in enumerate(rows):
        if r.indicator.pk == row.indicator.pk:
            row.indicator, rows[i] = r.indicator, row  # the page's copy carries its heading
    return render(request, "indicators/updates.html", page_context(request, period, rows, subject=subject))


@require_POST
def update_status(request, period_id, indicator_id):
    """The status the typed figure would have, as the officer types: writes nothing."""
    row, period = _row_and_period(request, period_id, indicator_id)
    row.typed = {f: request.POST.get(prefix(row.indicator.pk) + f, "") for f in returns.FIELDS}
    _, problem = returns.parse_actual(row.typed["actual"], row.indicator)
    if not request.htmx:
        return redirect(f"{updates_url(period)}#row-{row.indicator.pk}")
    return render(request, "indicators/updates.html#status", {"s": update_rows.status_view(row, problem)})


@require_POST
def submit_return(request, period_id):
    """Send my figures for approval: refused, naming each row, while any is incomplete."""
    period = get_object_or_404(Period, pk=period_id)
    policy.require(policy.may_enter_updates(request.user))
    subject = whose_figures(request)
    other = for_someone_else(request, subject)
    rows = returns.rows_for(my_indicators(subject, period), period, related=ROW_RELATED)
    refused = refusal(request.user, period)
    if refused:
        messages.error(request, refused)
        return _back(request, period, other)
    pending = [r for r in rows if r.state in (Reading.DRAFT, Reading.RETURNED)]
    problems = [(r, r.problem) for r in pending if r.problem]
    if problems:
        return render(
            request, "indicators/updates.html",
            page_context(request, period, rows, subject=subject, submit_problems=problems), status=200,
        )
    items = [(r.reading.pk, r.reading.version) for r in pending]
    if not items:
        messages.info(request, f"There is nothing to submit for {period.label}.")
        return _back(request, period, other)
    try:
        services.return_submit(items=items, user=request.user)
    except services.StaleReading as stale:
        messages.error(request, f"{stale.current.indicator.code} changed while you were submitting; check it and submit again.")
    except (services.PeriodLocked, services.WorkflowRefused) as refused_exc:
        messages.error(request, str(refused_exc))
    else:
        messages.success(request, f"{len(items)} figure{'s' if len(items) != 1 else ''} for {period.label} sent for approval.")
    return _back(request, period, other)


def _back(request, period, other=None) -> HttpResponse:
    url = updates_url(period, other)
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
