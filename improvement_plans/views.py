"""Pages of improvement plans: the plan document and its PDF, exceptions, leads' updates, approvals, import."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.middleware import HtmxDetails

from core import clock, panels, pdf, policy, spreadsheets
from organisation import audit

from . import rules, selectors, services
from .forms import DecisionForm
from .models import Action, Element, ElementAssessment, Plan, ProgressUpdate


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


STATUS_CHOICES = [(s, rules.STATUS_WORDS[s]) for s in rules.CHOOSABLE]


def _on(request) -> datetime.date:
    """The date a page describes: ?on=2006-10-12, else today."""
    try:
        return datetime.date.fromisoformat(request.GET.get("on", ""))
    except ValueError:
        return clock.today()


def _errors(exc: ValidationError) -> dict:
    return {k: " ".join(v) for k, v in exc.message_dict.items()} if hasattr(exc, "error_dict") else {"__all__": " ".join(exc.messages)}


# --- The plan document --------------------------------------------------------------------


def _document_context(plan: Plan, on: datetime.date, user=None) -> dict:
    return {
        "plan": plan,
        "on": on,
        "elements": selectors.plan_document(plan, on=on, user=user),
        "glossary": selectors.glossary(),
        "log": selectors.document_log(plan),
    }


@require_GET
def plan_list(request):
    policy.require(policy.may_view_plans(request.user))
    plans = Plan.objects.order_by("title")
    return render(request, "improvement_plans/plans.html", {
        "plans": plans, "manage": policy.may_manage_plans(request.user), "today": clock.today(),
    })


@require_GET
def plan_document(request, pk):
    policy.require(policy.may_view_plans(request.user))
    plan = get_object_or_404(Plan, pk=pk)
    context = _document_context(plan, _on(request), request.user)
    context["manage"] = policy.may_manage_plans(request.user)
    return render(request, "improvement_plans/plan.html", context)


def _pdf_response(request, template: str, context: dict, filename: str, *, keep_in: str = "") -> HttpResponse:
    html = render_to_string(template, context, request=request)
    base_url = request.build_absolute_uri("/")
    body = pdf.kept_pdf(html, base_url=base_url, folder=keep_in) if keep_in else pdf.html_to_pdf(html, base_url=base_url)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_GET
def plan_pdf(request, pk):
    policy.require(policy.may_view_plans(request.user))
    plan = get_object_or_404(Plan, pk=pk)
    audit.record(user=request.user, action="plan_exported", obj=plan, request=request, summary=f"{plan}: plan PDF")
    return _pdf_response(request, "improvement_plans/plan_pdf.html", _document_context(plan, _on(request)),
                         "improvement-plan.pdf", keep_in=f"plans/{plan.pk}")


def pages_for_actions(plan: Plan, base_url: str):
    """The PDF pages that the given actions fall on, for the document log."""

    def pages_for(actions):
        html = render_to_string("improvement_plans/plan_pdf.html", _document_context(plan, clock.today()))
        anchors = pdf.anchor_pages(pdf.render(html, base_url=base_url))
        return [anchors[a.anchor] for a in actions if a.anchor in anchors]

    return pages_for


@require_POST
def issue_version(request, pk):
    policy.require(policy.may_manage_plans(request.user))
    plan = get_object_or_404(Plan, pk=pk)
    try:
        version = services.plan_issue_version(
            plan=plan, user=request.user, status=request.POST.get("status", "released"),
            description=request.POST.get("description", ""),
            pages_for=pages_for_actions(plan, request.build_absolute_uri("/")), request=request,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{version.version or version.status} issued: {version.description}")
    return redirect(reverse("improvement_plans:plan", args=[plan.pk]) + "#document-log")


# --- Exceptions -------------------------------------------------------------------------


def _exceptions_context(plan: Plan, on: datetime.date) -> dict:
    return {"plan": plan, "on": on, "exceptions": selectors.exceptions(on=on, plan=plan),
            "position": selectors.plan_position(on=on, plan=plan)}


@require_GET
def exceptions_report(request, pk):
    policy.require(policy.may_view_plans(request.user))
    plan = get_object_or_404(Plan, pk=pk)
    context = _exceptions_context(plan, _on(request))
    context["dates"] = list(
        ElementAssessment.objects.filter(element__plan=plan).order_by("-as_at").values_list("as_at", flat=True).distinct()
    )
    return render(request, "improvement_plans/exceptions.html", context)


@require_GET
def exceptions_pdf(request, pk):
    policy.require(policy.may_view_plans(request.user))
    plan = get_object_or_404(Plan, pk=pk)
    audit.record(user=request.user, action="plan_exported", obj=plan, request=request,
                 summary=f"{plan}: exceptions PDF as at {_on(request)}")
    return _pdf_response(request, "improvement_plans/exceptions_pdf.html", _exceptions_context(plan, _on(request)), "exceptions.pdf")


# --- Progress updates by leads ----------------------------------------------------------


def _updates_context(request, plan: Plan, **extra) -> dict:
    today = clock.today()
    return {
        "plan": plan, "on": today, "elements": selectors.updatable_rows(plan, user=request.user, on=today),
        "status_choices": STATUS_CHOICES, **extra,
    }


@require_GET
def my_updates(request, pk):
    policy.require(policy.may_view_plans(request.user))
    plan = get_object_or_404(Plan, pk=pk)
    return render(request, "improvement_plans/updates.html", _updates_context(request, plan))


def _row_for(action: Action, user, on) -> selectors.ActionRow:
    pending = action.updates.filter(state=ProgressUpdate.SUBMITTED).first()
    return selectors.ActionRow(
        action=action, depth=1 if action.parent_id else 0, status=action.status_on(on), brag=action.brag_on(on),
        leads=", ".join(r.abbreviation for r in action.lead_roles.all()), may_update=True, pending=pending,
    )


@require_http_methods(["GET", "POST"])
def action_update(request: HtmxHttpRequest, pk):
    """One action's update form: htmx swaps the row in place; without JavaScript the page reloads."""
    policy.require(policy.may_view_plans(request.user))
    action = get_object_or_404(Action.objects.select_related("element__plan", "parent"), pk=pk)
    policy.require(policy.may_update_action(request.user, action))
    plan, today = action.element.plan, clock.today()
    errors, data, conflict = {}, None, False
    if request.method == "POST":
        data = {k: request.POST.get(k, "") for k in ("progress", "status", "by_when", "version")}
        version = int(data["version"]) if data["version"].isdigit() else None
        try:
            services.progress_update_save(
                action=action, user=request.user, progress=data["progress"], status=data["status"],
                by_when=data["by_when"], version=version,
                how=ProgressUpdate.HTMX if request.htmx else ProgressUpdate.FORM, request=request,
            )
        except ValidationError as exc:
            errors = _errors(exc)
        except services.StaleUpdate:
            conflict = True
        else:
            data = None
            if not request.htmx:
                messages.success(request, f"Your update to {action.number or 'the sub-step'} is awaiting approval.")
                return redirect(reverse("improvement_plans:updates", args=[plan.pk]) + f"#{action.anchor}")
    row = _row_for(action, request.user, today)
    context = {"row": row, "errors": errors, "data": data, "conflict": conflict, "saved": request.method == "POST" and not errors and not conflict,
               "status_choices": STATUS_CHOICES, "plan": plan, "on": today,
               # Under the page's h1 the row is an h2; among an element's rows on "Update my actions", an h3.
               "heading_level": 2 if request.htmx.current_url_abs_path == request.get_full_path() else 3}
    if request.htmx:
        return render(request, "improvement_plans/updates.html#row", context)
    if request.method == "GET":
        return render(request, "improvement_plans/action_update.html", context)
    return render(request, "improvement_plans/action_update.html", context, status=200)


# --- Approval ---------------------------------------------------------------------------


@require_GET
def approvals(request):
    policy.require(policy.may_review_plan_updates(request.user))
    return render(request, "improvement_plans/approvals.html", {"updates": selectors.pending_updates(request.user)})


@require_POST
def update_decide(request: HtmxHttpRequest, pk):
    policy.require(policy.may_review_plan_updates(request.user))
    update = get_object_or_404(
        ProgressUpdate.objects.select_related("action__element__plan", "action__parent", "submitted_by")
        .prefetch_related("action__lead_roles", "action__parent__lead_roles"),
        pk=pk,
    )
    policy.require(policy.may_approve_update(request.user, update))
    error = ""
    form = DecisionForm(request.POST)
    try:
        if not form.is_valid():
            error = " ".join(message for messages_ in form.errors.values() for message in messages_)
        elif form.cleaned_data["decision"] == "return":
            services.progress_update_return(update=update, user=request.user, reason=form.cleaned_data["reason"], request=request)
        else:
            services.progress_update_approve(update=update, user=request.user, request=request)
    except ValidationError as exc:
        error = " ".join(exc.messages)
    except PermissionDenied:
        policy.deny()
    update.refresh_from_db()
    if request.htmx:
        return render(request, "improvement_plans/approvals.html#decision", {"update": update, "error": error})
    if error:
        messages.error(request, error)
    else:
        messages.success(request, f"Update to {update.action.number or 'a sub-step'} {update.get_state_display().lower()}.")
    return redirect("improvement_plans:approvals")


# --- Actions, links and element status --------------------------------------------------


@require_GET
def action_detail(request, pk):
    policy.require(policy.may_view_plans(request.user))
    try:
        action = selectors.action_detail(pk)
    except Action.DoesNotExist:
        policy.deny()
    on = clock.today()
    return render(request, "improvement_plans/action.html", {
        "action": action, "on": on, "status": action.status_on(on), "brag": action.brag_on(on),
        "status_word": rules.STATUS_WORDS[action.status_on(on)],
        # Rows the parts above plans add to the summary (risks: the risks it affects, by name).
        "panels": panels.action_page.fill(request.user, action=action),
        "manage": policy.may_manage_plans(request.user),
        "may_update": policy.may_update_action(request.user, action),
    })


@require_POST
def action_links(request, pk):
    policy.require(policy.may_manage_plans(request.user))
    action = get_object_or_404(Action, pk=pk)
    try:
        services.action_links_set(
            action=action, user=request.user,
            indicator_codes=request.POST.get("indicators", "").split(","),
            risk_references=request.POST.get("risks", "").split(","), request=request,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Links saved.")
    return redirect("improvement_plans:action", pk=action.pk)


@require_http_methods(["GET", "POST"])
def element_status(request, pk):
    policy.require(policy.may_manage_plans(request.user))
    element = get_object_or_404(Element.objects.select_related("plan"), pk=pk)
    errors, data = {}, {"as_at": clock.today().isoformat(), "status": "", "commentary": ""}
    latest = element.assessments.first()
    if latest is not None:
        data.update(status=latest.status, commentary=latest.commentary)
    if request.method == "POST":
        data = {k: request.POST.get(k, "") for k in ("as_at", "status", "commentary")}
        try:
            as_at = datetime.date.fromisoformat(data["as_at"])
        except ValueError:
            errors["as_at"] = "Enter the date as 2006-10-12"
        if not errors:
            try:
                services.element_assess(element=element, user=request.user, as_at=as_at, status=data["status"],
                                        commentary=data["commentary"], request=request)
            except ValidationError as exc:
                errors = _errors(exc)
            else:
                messages.success(request, f"Status of element {element.number} saved for {as_at.day} {as_at:%B %Y}.")
                return redirect(reverse("improvement_plans:plan", args=[element.plan_id]) + f"#element-{element.pk}")
    return render(request, "improvement_plans/element_status.html", {
        "element": element, "errors": errors, "data": data, "history": element.assessments.all()[:12],
    })


# --- Import -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def plan_import(request):
    policy.require(policy.may_manage_plans(request.user))
    problems, refused = [], ""
    if request.method == "POST":
        upload = request.FILES.get("workbook")
        if upload is None:
            refused = "Choose the workbook to import"
        else:
            try:
                workbook = spreadsheets.open_workbook(upload)
                errors: list = []
                rows = spreadsheets.read_sheet(workbook, "Actions", required=services.REQUIRED, optional=services.OPTIONAL, errors=errors)
                if errors:
                    raise spreadsheets.ImportRefused(errors)
                result = services.plan_import(rows=rows, user=request.user, source=upload.name, request=request)
            except spreadsheets.SpreadsheetRefused as exc:
                refused = str(exc)
            except spreadsheets.ImportRefused as exc:
                problems = exc.errors
            else:
                messages.success(
                    request,
                    f"Imported {upload.name}: {result.summary}.",
                )
                return redirect("improvement_plans:plans")
    return render(request, "improvement_plans/import.html", {
        "problems": problems, "refused": refused, "columns": services.REQUIRED, "optional": services.OPTIONAL,
    })
