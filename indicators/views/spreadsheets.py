"""Spreadsheets both ways: download the period's return, upload it back with a preview, and export ranges."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import periods, policy
from core.spreadsheets import ImportRefused, SpreadsheetRefused, csv_text, xlsx_bytes
from indicators import return_workbook, returns, selectors, services
from indicators.forms import ExportForm, UploadForm
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
    "title", "directorate", "target", "lower", "upper", "rag", "computed_rag", "reason", "direction", "state",
)


def _export_keys(start: periods.PeriodKey, end: periods.PeriodKey) -> list[str]:
    """Every month from the first period's start to the last one's end (each frame also counts quarters and years)."""
    keys, day = [], start.start
    while day <= end.end:
        month = periods.month_of(day)
        keys.append(month.key)
        day = month.end + timedelta(days=1)
    return keys


def _blank(value):
    return None if value is None or value != value else value  # pandas' NaN is "no figure"


def export_rows(start: periods.PeriodKey, end: periods.PeriodKey) -> list[dict]:
    """Every active indicator in every period of the range, judged by the status engine the summary
    and the report use (target, status, direction of travel, approval state), in its fixed queries."""
    seen, out = set(), []
    for frame in selectors.period_statuses(period_keys=_export_keys(start, end)).values():
        for row in frame.to_dict("records"):
            key = (row["code"], row["period_key"])
            counted = periods.parse(row["period_key"])
            if key in seen or counted.start < start.start or counted.end > end.end:
                continue
            seen.add(key)
            out.append(row)
    out.sort(key=lambda r: (r["code"], periods.parse(r["period_key"]).start, periods.parse(r["period_key"]).end))
    return out


def _export_line(row: dict) -> tuple:
    return (
        row["code"], row["period_key"], _blank(row["actual"]), row["commentary"] or "", row["remedial_action"] or "",
        row["data_quality"] or "", row["status"] if row["overridden"] else "", row["override_reason"] or "",
        row["title"], row["directorate"] or "", _blank(row["target"]), _blank(row["lower"]), _blank(row["upper"]),
        row["status"] or "", row["computed"] or "", row["reason"] or "", row["direction"] or "",
        row["state"] if row["has_reading"] else "",
    )


def _actuals_line(row: dict) -> tuple:
    """The row as the workbook import's Actuals sheet reads it (docs/import.md), so it re-imports unchanged."""
    return (
        row["code"], row["period_key"], _blank(row["actual"]), row["commentary"] or "", row["remedial_action"] or "",
        row["data_quality"] or "", row["status"] if row["overridden"] else "", row["override_reason"] or "",
        "yes" if row["for_information"] else "",
    )


ACTUALS_HEADERS = (
    "code", "period", "actual", "commentary", "remedial_action", "data_quality", "status", "status_reason",
    "for_information",
)


@require_GET
def readings_export(request):
    """The performance team exports any range of periods as .xlsx or .csv."""
    policy.require(policy.may_export_readings(request.user))
    form = ExportForm(request.GET or None)
    if not request.GET or not form.is_valid():
        return render(request, "indicators/export.html", {"form": form})
    start, end, fmt = form.cleaned_data["start"], form.cleaned_data["end"], form.cleaned_data["format"]
    found = export_rows(start, end)
    rows = [_export_line(r) for r in found]
    audit.record(
        user=request.user, action="readings_exported", request=request,
        summary=f"{start.key} to {end.key} as {fmt}: {len(rows)} rows",
    )
    name = f"readings-{start.key}-to-{end.key}".replace("/", "-").replace(" ", "-")
    if fmt == "csv":
        response = HttpResponse(csv_text(EXPORT_HEADERS, rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    else:
        response = HttpResponse(xlsx_bytes({
            "Readings": (EXPORT_HEADERS, rows),
            "Actuals": (ACTUALS_HEADERS, [_actuals_line(r) for r in found if r["has_reading"]]),
        }), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response
