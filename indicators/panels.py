"""Home-page panels for the monthly return: what is due from me, and what awaits my approval."""

from django.db.models import Count

from core import clock, panels, periods, policy
from organisation.models import Period

from . import returns
from .models import Reading


@panels.home.panel("indicators/home_due.html")
def due_from_me(user):
    """For each open period: how many of the figures I lead are still to send, and by when."""
    if not (policy.is_officer(user) or policy.is_performance(user)):
        return None
    due = [
        summary
        for period in Period.objects.filter(state=Period.OPEN).order_by("-start", "kind")[:4]
        for summary in returns.return_summaries(period, led_by=user)
    ]
    if not due:
        return None
    return {"returns": due, "today": clock.today()}


@panels.home.panel("indicators/home_approvals.html")
def awaiting_my_approval(user):
    """Submitted figures in my directorate (every directorate for the performance team)."""
    if not policy.may_see_approvals(user):
        return None
    waiting = Reading.objects.filter(state=Reading.SUBMITTED).exclude(period__state=Period.LOCKED)
    if not policy.is_performance(user):
        directorate_id = policy.directorate_id_of(user)
        if directorate_id is None:
            return None
        waiting = waiting.filter(indicator__directorate_id=directorate_id)
    by_period = list(
        waiting.values("period_id", "period__key", "period__start")
        .annotate(count=Count("id"))
        .order_by("-period__start")
    )
    if not by_period and not policy.is_approver(user):
        return None
    for item in by_period:
        item["label"] = periods.parse(item["period__key"]).label
    return {"periods": by_period, "total": sum(i["count"] for i in by_period)}
