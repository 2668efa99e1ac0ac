"""Report pages: the list, a draft with its paragraphs, publishing, and the frozen published versions."""

from __future__ import annotations

import json
import secrets

from django.contrib import messages
from django.db.models import F
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from core import policy
from core.spreadsheets import csv_text
from organisation import audit

from . import document as document_module
from . import render as render_module
from . import selectors, services, storage, tasks
from .forms import (
    ConfirmPublishForm,
    CoverForm,
    NewParagraphForm,
    NewReportForm,
    ParagraphActionForm,
    ParagraphForm,
    PublishForm,
)
from .models import PublishedPart, Report


def _report(pk) -> Report:
    return get_object_or_404(Report.objects.select_related("period", "portfolio"), pk=pk)


@require_http_methods(["GET"])
def report_list(request):
    user = request.user
    policy.require(policy.may_view_published_report(user))
    drafts = selectors.reports_for_staff() if policy.may_view_report_draft(user) else []
    return render(request, "reports/list.html", {
        "reports": drafts,
        "published": selectors.published_versions(),
        "may_manage": policy.may_manage_reports(user),
    })


@require_http_methods(["GET", "POST"])
def report_new(request):
    policy.require(policy.may_manage_reports(request.user))
    form = NewReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        report = services.report_create(
            user=request.user, period_key=form.cleaned_data["period"], portfolio=form.cleaned_data["portfolio"],
            body=form.cleaned_data["body"], meeting_date=form.cleaned_data["meeting_date"],
        )
        messages.success(request, "The report has been drafted from the figures.")
        return redirect("reports:draft", pk=report.pk)
    return render(request, "reports/new.html", {"form": form})


@require_http_methods(["GET"])
def report_draft(request, pk):
    policy.require(policy.may_view_report_draft(request.user))
    report = _report(pk)
    doc = document_module.build(report)
    can_edit = policy.may_manage_reports(request.user)
    html = render_module.document_html(doc, editable=True, can_edit=can_edit)
    return render(request, "reports/draft.html", {
        "report": report, "doc": doc, "document_html": html, "can_edit": can_edit,
        "versions": list(report.versions.order_by("-number").only("number", "published_at", "note", "report_id")),
    })


@require_http_methods(["GET", "POST"])
def report_cover(request, pk):
    policy.require(policy.may_manage_reports(request.user))
    report = _report(pk)
    initial = {name: getattr(report, name) for name in services.COVER_FIELDS}
    form = CoverForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.report_update_cover(user=request.user, report=report, **form.cleaned_data)
        messages.success(request, "The cover has been saved.")
        return redirect("reports:draft", pk=report.pk)
    return render(request, "reports/cover.html", {"report": report, "form": form})


@require_http_methods(["GET", "POST"])
def report_paragraph(request, pk, number):
    policy.require(policy.may_manage_reports(request.user))
    report = _report(pk)
    doc = document_module.build(report)
    view = next((p for p in doc.paragraphs if p.number == number), None)
    if view is None:
        raise Http404("No such paragraph")
    action = None
    if request.method == "POST":
        chosen = ParagraphActionForm(request.POST)
        if not chosen.is_valid():
            return HttpResponseBadRequest("Choose save, add or delete.")
        action = chosen.cleaned_data["action"]
    form = ParagraphForm(request.POST if action == "save" else None, initial={"text": view.text, "heading": view.heading})
    # Its own prefix: the two forms' text fields must not share a name or an id.
    add_form = NewParagraphForm(request.POST if action == "add" else None, prefix="add")
    if request.method == "POST":
        if action == "add" and add_form.is_valid():
            services.paragraph_add(user=request.user, report=report, after=number, text=add_form.cleaned_data["text"])
            messages.success(request, f"A new paragraph has been added after paragraph {number}.")
            return redirect(reverse("reports:draft", kwargs={"pk": report.pk}) + f"#para-{number + 1}")
        if action == "delete":
            services.paragraph_delete(user=request.user, report=report, number=number)
            messages.success(request, f"Paragraph {number} has been "
                             + ("handed back to the figures." if view.key else "removed."))
            return redirect(reverse("reports:draft", kwargs={"pk": report.pk}) + f"#para-{number}")
        if action == "save" and form.is_valid():
            services.paragraph_edit(user=request.user, report=report, number=number,
                                    text=form.cleaned_data["text"], heading=form.cleaned_data["heading"])
            messages.success(request, f"Paragraph {number} has been saved.")
            return redirect(reverse("reports:draft", kwargs={"pk": report.pk}) + f"#para-{number}")
    return render(request, "reports/paragraph.html", {
        "report": report, "paragraph": view, "form": form, "add_form": add_form,
    })


@require_http_methods(["GET", "POST"])
def report_publish(request, pk):
    policy.require(policy.may_manage_reports(request.user))
    report = _report(pk)
    doc = document_module.build(report)
    check = selectors.publication_check(report, doc.figures)
    # Anything not signed off is listed first; publishing anyway needs the box ticked.
    form = (ConfirmPublishForm if check["total"] else PublishForm)(
        request.POST or None, initial={"token": secrets.token_urlsafe(32)})
    # Its number and token only: a version's page and figures are megabytes at council scale.
    previous = report.versions.order_by("-number").only("number", "publish_token", "report_id").first()
    if request.method == "POST":
        valid = form.is_valid()
        token = form.cleaned_data.get("token") if valid else None
        if previous is not None and not (form.data.get("note") or "").strip() and (
                token is None or previous.publish_token != token):
            form.add_error("note", "Say what this correction changes: it goes in the document log members read.")
            valid = False
        if valid:
            version = services.report_publish(user=request.user, report=report, note=form.cleaned_data["note"],
                                              request=request, token=token)
            if version.already:
                messages.info(request, f"Version {version.number} was already published from this page; "
                                       "nothing more was published.")
            else:
                messages.success(request, f"Version {version.number} is published; its PDFs are being made.")
            return redirect("reports:version", pk=report.pk, number=version.number)
    return render(request, "reports/publish.html", {
        "report": report, "form": form, "previous": previous, "doc": doc, **check,
        "sign_off": doc.figures.get("sign_off") or {},
    })


@vary_on_headers("HX-Request")
@require_http_methods(["GET"])
def report_version(request, pk, number):
    policy.require(policy.may_view_published_report(request.user))
    version = selectors.version(pk, number)
    parts = _parts(version)
    stuck = [p for p in parts if p.state == PublishedPart.RUNNING and storage.is_stale(p)]
    if stuck and policy.may_view_report_draft(request.user):
        # A worker stopped mid-render: the page people are watching puts the parts back in the queue.
        tasks.parts_retry(version=version, failed=False)
        parts = _parts(version)
        stuck = []
    context = {
        "version": version, "report": version.report, "parts": parts,
        "rendering": any(p.state in (PublishedPart.PENDING, PublishedPart.RUNNING) for p in parts) and not stuck,
        "done": sum(1 for p in parts if p.state == PublishedPart.DONE),
        "reuse": _reuse_line(parts) if version.number > 1 else "",
        "may_manage": policy.may_manage_reports(request.user),
    }
    if request.htmx:
        return render(request, "reports/version.html#pdfs", context)
    previous = version.report.versions.filter(number__lt=version.number).order_by("-number").first()
    tables = json.loads(version.figures_json).get("tables", {})
    for part in parts:
        part.pages = storage.part_pages(part)
    context.update(
        versions=list(version.report.versions.order_by("-number").only("number", "published_at", "note", "report_id")),
        changes=services.differences(version, previous), previous=previous,
        tables=[(key, table["title"]) for key, table in tables.items()],
        may_see_draft=policy.may_view_report_draft(request.user),
        html=_with_downloads(version.html, parts, tables, report=version.report, number=version.number),
    )
    return render(request, "reports/version.html", context)


def _parts(version):
    # Which version a reused file came from, in the same query (the page's query count stays fixed).
    return list(version.parts.order_by("order").defer("html")
                .annotate(reused_from_number=F("reused_from__version__number")))


def _reuse_line(parts) -> str:
    """ "3 of 10 PDFs reused from version 1": what a correction did not have to render again."""
    reused = [p for p in parts if p.reused_from_number is not None]
    if not reused:
        return f"None of the {len(parts)} PDFs was the same as in an earlier version: each is rendered afresh."
    numbers = sorted({p.reused_from_number for p in reused})
    sources = f"version {numbers[0]}" if len(numbers) == 1 else (
        "versions " + ", ".join(str(n) for n in numbers[:-1]) + f" and {numbers[-1]}")
    return f"{len(reused)} of {len(parts)} PDF{pluralize(len(parts))} reused from {sources}."


def _with_downloads(html: str, parts, tables: dict, *, report, number: int) -> str:
    """The frozen page with each appendix's PDF and CSV put beside its heading.

    The files are made after publication, so they cannot be in the frozen HTML: it carries a marker
    (<!--downloads:A1-->) where they go. Versions frozen before the markers show their files at the top only.
    """
    for part in parts:
        marker = f"<!--downloads:{part.part}-->"
        if part.part == "report" or marker not in html:
            continue
        snippet = render_to_string("reports/version.html#appendix_downloads", {
            "report": report, "number": number, "part": part,
            "csv": (part.part, tables[part.part]["title"]) if part.part in tables else None,
        })
        html = html.replace(marker, snippet, 1)
    return mark_safe(html)  # noqa: S308 - our own frozen HTML (ADR 0007) and a template that escapes


@require_POST
def report_render(request, pk, number):
    """Queue the PDFs not yet made: failed ones and ones stuck "running" (after a worker outage);
    files already kept are never remade."""
    policy.require(policy.may_manage_reports(request.user))
    version = selectors.version(pk, number)
    waiting = tasks.parts_retry(version=version)
    if waiting:
        messages.success(request, f"{waiting} PDF{'s' if waiting != 1 else ''} not yet made {'have' if waiting != 1 else 'has'} been queued.")
    else:
        messages.success(request, "Every PDF is made or being made; nothing was queued.")
    return redirect("reports:version", pk=pk, number=number)


def _exported(request, version, what):
    audit.record(user=request.user, action="report_exported", obj=version, request=request,
                 summary=f"{version} {what}")


@require_http_methods(["GET"])
def report_pdf(request, pk, number, part):
    policy.require(policy.may_view_published_report(request.user))
    version = selectors.version(pk, number)
    item = get_object_or_404(version.parts.defer("html"), part=part, state=PublishedPart.DONE)
    path = storage.part_path(item)
    if not path.is_file():
        raise Http404("The file is missing")
    _exported(request, version, f"PDF {item.filename}")
    return FileResponse(path.open("rb"), as_attachment=False, filename=item.filename, content_type="application/pdf")


@require_http_methods(["GET"])
def report_csv(request, pk, number, table):
    policy.require(policy.may_view_published_report(request.user))
    version = selectors.version(pk, number)
    tables = json.loads(version.figures_json).get("tables", {})
    if table not in tables:
        raise Http404("No such table")
    data = tables[table]
    text = csv_text([c["label"] for c in data["columns"]], data["rows"])
    _exported(request, version, f"CSV {table}")
    name = f"{render_module.file_stem_of(version)} - {data['title']}.csv"
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


@require_http_methods(["GET"])
def report_json(request, pk, number):
    policy.require(policy.may_view_published_report(request.user))
    version = selectors.version(pk, number)
    _exported(request, version, "figures JSON")
    response = HttpResponse(version.figures_json.encode("utf-8"), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, f"{render_module.file_stem_of(version)} - figures.json")
    return response
