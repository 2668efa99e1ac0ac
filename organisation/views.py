"""The audit log: who signed in, who changed what, who published and exported, for the performance team."""

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from core import policy
from core.spreadsheets import csv_text

from . import audit
from .models import AuditEvent

PAGE_SIZE = 50


def _filtered(request):
    events = AuditEvent.objects.all()
    action = request.GET.get("action", "").strip()
    username = request.GET.get("user", "").strip()
    if action:
        events = events.filter(action=action)
    if username:
        events = events.filter(username__iexact=username)
    return events, {"action": action, "user": username}


@require_GET
def audit_log(request):
    policy.require(policy.may_view_audit(request.user))
    events, filters = _filtered(request)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    actions = AuditEvent.objects.order_by("action").values_list("action", flat=True).distinct()
    return render(
        request,
        "organisation/audit_log.html",
        {"page": page, "filters": filters, "actions": list(actions)},
    )


@require_GET
def audit_export(request):
    policy.require(policy.may_view_audit(request.user))
    events, _ = _filtered(request)
    rows = (
        (timezone.localtime(e.at).isoformat(timespec="seconds"), e.username, e.action, e.object_type, e.object_id, e.summary, e.ip_address or "")
        for e in events.iterator()
    )
    body = csv_text(["at", "user", "action", "object_type", "object_id", "summary", "ip_address"], rows)
    audit.record(user=request.user, action="audit_exported", request=request, summary="audit log exported as CSV")
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit-log.csv"'
    return response
