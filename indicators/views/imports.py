"""The performance team's workbook import in the browser: upload, see what will change, confirm."""

from __future__ import annotations

import re
import secrets
import time
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import policy
from core.spreadsheets import ImportRefused
from indicators import importer
from indicators.import_template import template_workbook

SESSION_KEY = "indicators_workbook_import"
TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
KEEP_SECONDS = 24 * 60 * 60
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class WorkbookForm(forms.Form):
    file = forms.FileField(
        label="Workbook (.xlsx)",
        error_messages={"required": "Choose the workbook to import"},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError("The file must be an Excel workbook (.xlsx)")
        if upload.size > settings.UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size:,} bytes; the limit is {settings.UPLOAD_MAX_BYTES:,} bytes"
            )
        return upload


def _folder() -> Path:
    folder = Path(settings.MEDIA_ROOT) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _stored(token: str) -> Path | None:
    """The kept upload for a token from this person's session, or None (never a path built from input)."""
    if not TOKEN.match(token or ""):
        return None
    path = _folder() / f"{token}.xlsx"
    return path if path.is_file() else None


def _sweep():
    """Uploads previewed and never confirmed are removed after a day."""
    cutoff = time.time() - KEEP_SECONDS
    for old in _folder().glob("*.xlsx"):
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)


@require_http_methods(["GET", "POST"])
def import_workbook(request):
    """Upload a workbook; a good one is previewed (nothing written yet) and kept until confirmed."""
    policy.require(policy.may_manage_indicators(request.user))
    form = WorkbookForm(request.POST or None, request.FILES or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = b"".join(upload.chunks())
        name = Path(upload.name).name[:200]
        try:
            report = importer.workbook_import(source=data, filename=name, user=request.user, dry_run=True)
        except ImportRefused as refused:
            context["cell_errors"] = refused.errors
        else:
            _sweep()
            token = secrets.token_urlsafe(24)
            (_folder() / f"{token}.xlsx").write_bytes(data)
            request.session[SESSION_KEY] = {"token": token, "name": name}
            context.update(report=report, token=token)
    return render(request, "indicators/import.html", context)


@require_POST
def import_confirm(request):
    """Apply the workbook the person has just previewed; it is checked again, as the data may have moved on."""
    policy.require(policy.may_manage_indicators(request.user))
    kept = request.session.get(SESSION_KEY) or {}
    token = request.POST.get("token", "")
    path = _stored(token) if token and token == kept.get("token") else None
    if path is None:
        messages.error(request, "There is no workbook waiting to be imported; upload it again.")
        return redirect("indicators:import_workbook")
    try:
        report = importer.workbook_import(source=path.read_bytes(), filename=kept["name"], user=request.user)
    except ImportRefused as refused:
        return render(request, "indicators/import.html", {"form": WorkbookForm(), "cell_errors": refused.errors})
    finally:
        path.unlink(missing_ok=True)
        request.session.pop(SESSION_KEY, None)
    messages.success(
        request,
        f"{kept['name']} imported: {report.indicators.new} new and {report.indicators.changed} changed indicators, "
        f"{report.targets.new} new and {report.targets.changed} changed targets, "
        f"{report.readings.new} new and {report.readings.changed} changed figures.",
    )
    return redirect("indicators:import_workbook")


@require_GET
def import_template(request):
    """The blank workbook: the three sheets' columns with a note on each heading, drop-downs and an example row."""
    policy.require(policy.may_manage_indicators(request.user))
    response = HttpResponse(template_workbook(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="indicators-import-template.xlsx"'
    return response
