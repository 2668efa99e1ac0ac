"""Every return's state by directorate, the periods (open, close, lock, reopen, deadline), and chasing."""

from __future__ import annotations

from itertools import groupby

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import clock, policy
from indicators import outstanding as outstanding_module
from indicators import reminders as reminders_module
from indicators import returns
from indicators import services as reading_services
from indicators.forms import DeadlineForm, LockForm, OpenPeriodForm, ReasonForm, ReminderForm
from organisation import services as period_services
from organisation.models import Period

from .updates import chosen_period


def _by_directorate(summaries):
    return [
        (directorate, list(items))
        for directorate, items in groupby(summaries, key=lambda s: s.directorate)
    ]


def _periods():
    return list(Period.objects.order_by("-start", "kind")[:36])


@require_GET
def returns_overview(request):
    """The performance team's view of the period: each officer's return, by directorate."""
    policy.require(policy.may_manage_periods(request.user))
    period = chosen_period(request)
    summaries = returns.return_summaries(period) if period else []
    totals = {state: sum(1 for s in summaries if s.state == state) for state in returns.RETURN_STATES}
    return render(request, "indicators/returns.html", {
        "period": period,
        "periods": _periods(),
        "directorates": _by_directorate(summaries),
        "totals": [(returns.RETURN_STATES[k], v) for k, v in totals.items()],
        "open_form": OpenPeriodForm(),
        "today": clock.today(),
    })


@require_POST
def period_open(request):
    """Open a period for officers' updates (creating it on first use), with its deadline."""
    policy.require(policy.may_manage_periods(request.user))
    form = OpenPeriodForm(request.POST)
    if not form.is_valid():
        period = chosen_period(request)
        summaries = returns.return_summaries(period) if period else []
        return render(request, "indicators/returns.html", {
            "period": period, "periods": _periods(), "directorates": _by_directorate(summaries),
            "open_form": form, "today": clock.today(),
        })
    period = Period.get_or_create_for(form.cleaned_data["key"])
    try:
        period_services.period_open(
            period=period, user=request.user, deadline=form.cleaned_data.get("deadline"), request=request
        )
    except period_services.PeriodRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, f"{period.label} is open for updates.")
    return redirect(f"{reverse('indicators:returns')}?period={period.pk}")


ACTIONS = {
    "open": "opened for updates",
    "close": "closed to officers",
    "lock": "locked",
    "reopen": "reopened",
    "deadline": "given its deadline",
}


@require_http_methods(["GET", "POST"])
def period_manage(request, period_id):
    """One period: its state and deadline, what is not yet signed off, the forms that change them,
    and every change so far. Locking with figures outstanding needs a confirmation and a reason."""
    policy.require(policy.may_manage_periods(request.user))
    period = get_object_or_404(Period, pk=period_id)
    outstanding = outstanding_module.outstanding_figures(period) if period.state != Period.LOCKED else []
    deadline_form = DeadlineForm(initial={"deadline": period.deadline})
    reason_form = ReasonForm()
    lock_form = LockForm(outstanding=len(outstanding), period_label=period.label)
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "open":
                period_services.period_open(period=period, user=request.user, request=request)
            elif action == "close":
                period_services.period_close(period=period, user=request.user, request=request)
            elif action == "lock":
                lock_form = LockForm(request.POST, outstanding=len(outstanding), period_label=period.label)
                if lock_form.is_valid():
                    reading_services.period_lock(
                        period=period, user=request.user, confirmed=lock_form.cleaned_data["confirm"],
                        reason=lock_form.cleaned_data["lock_reason"], request=request,
                    )
            elif action == "reopen":
                reason_form = ReasonForm(request.POST)
                if reason_form.is_valid():
                    period_services.period_reopen(
                        period=period, user=request.user, reason=reason_form.cleaned_data["reason"], request=request
                    )
            elif action == "deadline":
                deadline_form = DeadlineForm(request.POST)
                if deadline_form.is_valid():
                    period_services.period_set_deadline(
                        period=period, user=request.user, deadline=deadline_form.cleaned_data["deadline"], request=request
                    )
            else:
                messages.error(request, "Choose what to do with the period.")
        except reading_services.LockNeedsConfirmation:
            # A figure went back while the page was open: show the list as it is now.
            messages.error(request, "Figures changed since the page was opened; check them and confirm again.")
            return redirect("indicators:period_manage", period_id=period.pk)
        except period_services.PeriodRefused as refused:
            messages.error(request, str(refused))
            return redirect("indicators:period_manage", period_id=period.pk)
        if action in ACTIONS and not (reason_form.errors or deadline_form.errors or lock_form.errors):
            messages.success(request, f"{period.label} {ACTIONS[action]}.")
            return redirect("indicators:period_manage", period_id=period.pk)
        period.refresh_from_db()
    events = list(period.events.select_related("by")[:50])
    errors = [
        *[("id_deadline", e) for e in deadline_form.errors.get("deadline", [])],
        *[("id_reason", e) for e in reason_form.errors.get("reason", [])],
        *[("id_confirm", e) for e in lock_form.errors.get("confirm", [])],
        *[("id_lock_reason", e) for e in lock_form.errors.get("lock_reason", [])],
    ]
    return render(request, "indicators/period.html", {
        "period": period, "events": events, "deadline_form": deadline_form, "reason_form": reason_form,
        "lock_form": lock_form, "outstanding": outstanding_module.by_directorate(outstanding),
        "outstanding_total": len(outstanding), "outstanding_counts": [
            (outstanding_module.STATE_WORDS[state], n) for state, n in outstanding_module.counts(outstanding).items()
        ],
        "errors": errors,
    })


@require_http_methods(["GET", "POST"])
def chasing(request):
    """What is due and overdue, by directorate and person (named leads and the holders of lead roles),
    with the deadline; reminders sent from here (one officer, a directorate, everyone overdue) after a
    preview of the e-mails. Figures nobody can be asked for are listed with the reason."""
    policy.require(policy.may_chase(request.user))
    period = chosen_period(request)
    directorate_id = None if policy.is_performance(request.user) else policy.directorate_id_of(request.user)
    if period is None or (directorate_id is None and not policy.is_performance(request.user)):
        due = returns.Returns(summaries=[], nobody=[])
    else:
        due = returns.returns_due(period, directorate_id=directorate_id)
    summaries = [s for s in due.summaries if s.outstanding]
    today = clock.today()
    by_directorate = _by_directorate(summaries)
    people = sorted({s.lead.pk: s.lead for s in summaries}.values(),
                    key=lambda u: (u.get_full_name() or u.username).lower())
    form = ReminderForm(
        request.POST if request.method == "POST" else None,
        officers=people, directorates=[d for d, _ in by_directorate if d is not None],
    )
    previews = []
    if request.method == "POST" and period is not None and form.is_valid():
        data = form.cleaned_data
        chosen = {
            ReminderForm.OFFICER: {"person_id": data["officer"], "directorate_id": directorate_id},
            ReminderForm.DIRECTORATE: {"directorate_id": directorate_id or data["directorate"]},
            ReminderForm.OVERDUE: {"directorate_id": directorate_id, "overdue_only": True},
        }[data["scope"]]
        batch = reminders_module.reminders_for(
            [period], today=today, link=request.build_absolute_uri(reverse("indicators:updates")), **chosen,
        )
        reminders = batch.reminders
        if request.POST.get("send") and reminders:
            sent = reminders_module.reminders_send(reminders=reminders, user=request.user, request=request)
            messages.success(request, f"{sent} reminder{'s' if sent != 1 else ''} sent: "
                             + ", ".join(r.officer.get_full_name() or r.officer.username for r in reminders) + ".")
            return redirect(f"{reverse('indicators:chasing')}?period={period.pk}")
        if not reminders:
            form.add_error(None, "Nobody in that choice has figures to send" + (
                " and an e-mail address" if batch.skipped else ""))
        previews = reminders
    reminded = reminders_module.last_reminded(period) if period else {}
    for s in summaries:
        s.reminded = reminded.get(s.lead.pk)
    overdue = {s.lead.pk for s in summaries if s.overdue(today)}
    return render(request, "indicators/chasing.html", {
        "period": period,
        "periods": list(Period.objects.filter(state=Period.OPEN).order_by("-start", "kind")),
        "directorates": by_directorate,
        "nobody": due.nobody,
        "outstanding": due.outstanding,
        "overdue": len(overdue),
        "today": today,
        "days_late": (today - period.deadline).days if period and period.deadline and today > period.deadline else 0,
        "form": form, "previews": previews, "escalate_after": reminders_module.escalate_after_days(),
    })
