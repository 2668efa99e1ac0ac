"""Spreadsheets both ways: download the period's return, upload it back with a preview, and export ranges."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import periods, policy
from core.spreadsheets import ImportRefused, SpreadsheetRefused, csv_text, xlsx_bytes
from indicators import return_workbook, returns, services
from indicators.forms import ExportForm, UploadForm
from indicators.models import Reading, Target
from organisation import audit
from organisation.models import Period

from .updates import my_indicators, whose_figures

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SESSION_KEY = "indicators_return_upload"


def _return_indicators(request, period):
    """An officer's own indicators; the performance team's whole return (or one directorate's, or
    the one officer's whose figures they are entering)."""
    if request.GET.get("officer"):  # one officer's return, as My updates shows it to the performance team
        return my_indicators(whose_figures(request), period)
    if policy.is_performance(request.user) and not request.GET.get("mine"):
        indicators = returns.due_indicators(period).exclude(lead=None)
        directorate = request.GET.get("directorate", "")
        if directorate.isdigit():
            indicators = indicators.filter(directorate_id=int(directorate))
        return indicators.order_by("directorate__order", "code")
    return my_indicators(request.user, period)


@require_GET
def return_download(request, period_id):
    policy.require(policy.may_enter_updates(request.user))
    period = get_object_or_404(Period, pk=period_id)
    rows = returns.rows_for(_return_indicators(request, period), period)
    data = return_workbook.build(rows, period)
    audit.record(user=request.user, action="return_downloaded", obj=period, summary=f"{len(rows)} indicators", request=request)
    response = HttpResponse(data, content_type=XLSX)
    name = f"return-{period.key.replace('/', '-').replace(' ', '-')}-{request.user.username}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_http_methods(["GET", "POST"])
def return_upload(request):
    """Upload a completed return: every bad cell is named; a good file is previewed, not yet saved."""
    policy.require(policy.may_enter_updates(request.user))
    form = UploadForm(request.POST or None, request.FILES or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        try:
            upload = return_workbook.read_upload(upload_file, user=request.user)
        except SpreadsheetRefused as refused:
            form.add_error("file", str(refused))
        except ImportRefused as refused:
            context["cell_errors"] = refused.errors
        else:
            request.session[SESSION_KEY] = {"source": upload_file.name[:200], **upload.to_session()}
            context.update(upload=upload, source=upload_file.name)
    return render(request, "indicators/upload.html", context)


@require_POST
def return_upload_apply(request):
    """Apply the upload the person has just previewed, through the same history as every other save."""
    policy.require(policy.may_enter_updates(request.user))
    stored = request.session.get(SESSION_KEY)
    if not stored:
        messages.error(request, "There is no upload waiting; upload the spreadsheet again.")
        return redirect("indicators:return_upload")
    rows, seen = return_workbook.rows_from_session(stored)
    for row in rows:
        policy.require(policy.may_edit_reading(request.user, row["indicator"]))
        refused = return_workbook.refusal_for(request.user, row["indicator"], row["period"])
        if refused:
            del request.session[SESSION_KEY]
            messages.error(request, f"Nothing was saved: {refused}.")
            return redirect("indicators:return_upload")
    try:
        result = services.return_upload(rows=rows, seen=seen, user=request.user, source=stored["source"])
    except services.UploadOutdated as outdated:
        messages.error(
            request,
            f"Nothing was saved: {', '.join(outdated.codes)} changed after your preview. Upload the spreadsheet again to see the latest.",
        )
        return redirect("indicators:return_upload")
    except services.PeriodLocked as locked:
        messages.error(request, f"Nothing was saved: {locked}")
        return redirect("indicators:return_upload")
    finally:
        request.session.pop(SESSION_KEY, None)
    messages.success(
        request, f"Upload saved: {result.created} new figure{'s' if result.created != 1 else ''}, {result.updated} changed."
    )
    period_id = rows[0]["period"].pk if rows else ""
    return redirect(f"{reverse('indicators:updates')}?period={period_id}")


EXPORT_HEADERS = (
    "code", "period", "actual", "commentary", "remedial_action", "data_quality", "status", "status_reason",
    "title", "directorate", "target", "rag", "computed_rag", "reason", "state", "updated_by", "updated_at",
)


def export_rows(start: periods.PeriodKey, end: periods.PeriodKey):
    """Every reading in the range with its target and status, in three queries."""
    readings = list(
        Reading.objects.filter(period__start__gte=start.start, period__end__lte=end.end)
        .select_related("indicator__directorate", "period", "updated_by")
        .order_by("indicator__code", "period__start", "period__kind")
    )
    period_keys = {r.period.key for r in readings} | {returns.year_key(r.period) for r in readings}
    targets: dict = {}
    for t in Target.objects.filter(
        indicator_id__in={r.indicator_id for r in readings}, period__key__in=period_keys
    ).select_related("period"):
        targets.setdefault(t.indicator_id, {})[t.period.key] = t
    for r in readings:
        target = returns.applicable_target(targets.get(r.indicator_id, {}), r.period)
        a = returns.assess(r.indicator, r.period, target, actual=r.actual, override=r.status_override,
                           override_reason=r.status_reason, for_information=r.for_information)
        yield (
            r.indicator.code, r.period.key, r.actual, r.commentary, r.remedial_action, r.data_quality,
            r.status_override, r.status_reason, r.indicator.title,
            r.indicator.directorate.name if r.indicator.directorate else "",
            target.target if target else None, a.status or "", a.computed or "", a.reason, r.state,
            r.updated_by.username if r.updated_by else "", timezone.localtime(r.updated_at).strftime("%Y-%m-%d %H:%M"),
        )


@require_GET
def readings_export(request):
    """The performance team exports any range of periods as .xlsx or .csv."""
    policy.require(policy.may_export_readings(request.user))
    form = ExportForm(request.GET or None)
    if not request.GET or not form.is_valid():
        return render(request, "indicators/export.html", {"form": form})
    start, end, fmt = form.cleaned_data["start"], form.cleaned_data["end"], form.cleaned_data["format"]
    rows = list(export_rows(start, end))
    audit.record(
        user=request.user, action="readings_exported", request=request,
        summary=f"{start.key} to {end.key} as {fmt}: {len(rows)} readings",
    )
    name = f"readings-{start.key}-to-{end.key}".replace("/", "-").replace(" ", "-")
    if fmt == "csv":
        response = HttpResponse(csv_text(EXPORT_HEADERS, rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    else:
        response = HttpResponse(xlsx_bytes({"Readings": (EXPORT_HEADERS, rows)}), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response
