"""Approvals: an approver signs off their directorate's submitted figures, or returns them with a reason."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from core import policy
from indicators import returns, services
from indicators.forms import ApprovalsForm
from indicators.models import Indicator, Reading
from organisation.models import Period

from .updates import chosen_period


def _mine(user, readings):
    """Readings an approver decides on: their directorate's; the performance team's: all; never their
    own (as named lead; see policy.may_approve_reading), nor one they entered, submitted or last changed (separation of duties)."""
    readings = services.others_work(readings.exclude(indicator__lead_id=user.pk), user)
    if policy.is_performance(user):
        return readings
    return readings.filter(indicator__directorate_id=policy.directorate_id_of(user), indicator__directorate__isnull=False)


def _awaiting(user, period):
    readings = _mine(user, Reading.objects.filter(period=period, state=Reading.SUBMITTED))
    return Indicator.objects.filter(pk__in=readings.values("indicator_id")).order_by(
        "directorate__order", "directorate__name", "code"
    )


def _periods_awaiting(user):
    """Periods with figures waiting for this person, latest first; locked ones cannot be decided."""
    waiting = _mine(user, Reading.objects.filter(state=Reading.SUBMITTED)).values("period_id")
    return list(Period.objects.filter(pk__in=waiting).exclude(state=Period.LOCKED).order_by("-start", "kind"))


def _version(request, reading_id):
    text = request.POST.get(f"version-{reading_id}", "")
    return int(text) if text.isdigit() else None


def _stale_message(r) -> str:
    """What the approver reads when a figure changed after they opened the page (one row or many)."""
    who = r.updated_by.get_full_name() or r.updated_by.username if r.updated_by else "Someone"
    return (
        f"{r.indicator.code} was changed by {who} after you opened this page "
        f"(now {returns._plain(r.actual) if r.actual is not None else 'no figure'}, {r.get_state_display().lower()}); "
        "nothing was approved or returned. Check it and try again."
    )


def _decide(request, readings, *, action, reason):
    """Approve or return the readings; returns an error message or None."""
    items = [(r.pk, _version(request, r.pk)) for r in readings]
    try:
        if action == "approve":
            services.readings_approve(items=items, user=request.user)
        else:
            services.readings_return(items=items, user=request.user, reason=reason)
    except services.StaleReading as stale:
        return _stale_message(stale.current)
    except (services.PeriodLocked, services.WorkflowRefused) as refused:
        return f"Nothing was changed: {refused}."
    return None


@require_http_methods(["GET", "POST"])
def approvals(request):
    """The figures waiting for this approver: approve the whole return in one action, or select
    some (a checkbox per row) and approve them or return them, each with its reason."""
    policy.require(policy.may_see_approvals(request.user))
    periods_waiting = _periods_awaiting(request.user)
    asked = request.GET.get("period") or request.POST.get("period")
    period = chosen_period(request) if asked or not periods_waiting else periods_waiting[0]
    rows = returns.rows_for(_awaiting(request.user, period), period) if period else []
    form = None
    if request.method == "POST" and period is not None:
        shown = {row.reading.pk for row in rows}
        data = request.POST.copy()
        # A row's own Approve or Return button, pressed with JavaScript off, posts the whole page.
        for name, action in (("approve_one", ApprovalsForm.APPROVE), ("return_one", ApprovalsForm.RETURN)):
            if data.get(name):
                data["action"] = action
                data.setlist("reading", [data[name]])
        # A figure not on this page: someone else's (404, as everywhere), or no longer waiting (an error).
        others = [int(i) for i in data.getlist("reading") if str(i).isdigit() and int(i) not in shown]
        for reading in Reading.objects.filter(pk__in=others).select_related("indicator"):
            policy.require(policy.may_approve_reading(request.user, reading.indicator))
        form = ApprovalsForm(data, readings=[row.reading for row in rows])
        if form.is_valid():
            chosen = form.cleaned_data["chosen"]
            for reading in chosen:
                policy.require(policy.may_approve_reading(request.user, reading.indicator))
            problem = _decide_many(request, form)
            if problem:
                messages.error(request, problem)
            else:
                done = "returned to the officer" if form.cleaned_data["action"] == form.RETURN else "approved"
                codes = ", ".join(sorted(r.indicator.code for r in chosen))
                messages.success(request, f"{len(chosen)} figure{'s' if len(chosen) != 1 else ''} {done}: {codes}.")
            return redirect(f"{reverse('indicators:approvals')}?period={period.pk}")
    errors = _errors_of(form)
    return render(request, "indicators/approvals.html", {
        "period": period, "rows": rows, "errors": errors,
        "row_errors": {int(k.split("-", 1)[1]): v for k, v in errors.items() if k.startswith("reason-")},
        "selected": set(form.cleaned_data.get("reading") or []) if form is not None and errors else set(),
        "typed_reasons": {r.reading.pk: request.POST.get(f"reason-{r.reading.pk}", "") for r in rows} if errors else {},
        "open_periods": periods_waiting,
    })


def _errors_of(form) -> dict:
    """{field: first message}, the approvals page's error summary links each to its field."""
    if form is None or not form.errors:
        return {}
    return {name: errs[0] for name, errs in form.errors.items() if name != "__all__"}


def _decide_many(request, form) -> str | None:
    """Carry out the form's decision; an error message (nothing changed) or None."""
    try:
        if form.cleaned_data["action"] == form.RETURN:
            services.readings_return_each(
                items=[(pk, seen, form.cleaned_data[f"reason-{pk}"].strip()) for pk, seen in form.items()],
                user=request.user,
            )
        else:
            services.readings_approve(items=form.items(), user=request.user)
    except services.StaleReading as stale:
        return _stale_message(stale.current)
    except (services.PeriodLocked, services.WorkflowRefused) as refused:
        return f"Nothing was changed: {refused}."
    return None


@require_POST
def approval_row(request, reading_id):
    """Approve or return one figure: htmx swaps the row; without JavaScript the page comes back."""
    reading = get_object_or_404(Reading.objects.select_related("indicator", "period"), pk=reading_id)
    action = "return" if request.POST.get("return_one") or request.POST.get("action") == "return" else "approve"
    # Separation of duties: whoever had a hand in the figure may send it back, never sign it off.
    policy.require(policy.may_approve_reading(request.user, reading.indicator,
                                              hands=reading.hands() if action == "approve" else ()))
    reason = request.POST.get(f"reason-{reading.pk}", "").strip()
    error = None
    if action == "return" and not reason:
        error = "Say why the figure is being returned"
    else:
        error = _decide(request, [reading], action=action, reason=reason)
    if not request.htmx:
        if error:
            messages.error(request, f"{reading.indicator.code}: {error}")
        else:
            messages.success(request, f"{reading.indicator.code} {'approved' if action == 'approve' else 'returned'}.")
        return redirect(f"{reverse('indicators:approvals')}?period={reading.period_id}")
    row = returns.row_for(reading.indicator, reading.period)
    return render(request, "indicators/approvals.html#row", {
        "row": row, "period": reading.period, "row_error": error, "typed_reason": reason, "decided": not error,
    })
