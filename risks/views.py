"""Pages of the risk register: the register, the heat map, a risk with its history, reviews and settings."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect
from django_htmx.middleware import HtmxDetails

from core import periods, policy
from improvement_plans import selectors as plan_selectors

from . import selectors, services
from .forms import (
    BandFormSet,
    CategoryForm,
    MitigationForm,
    RemoveForm,
    ReviewDecisionForm,
    ReviewForm,
    RiskForm,
)
from .models import RatingBand, Risk, RiskCategory, RiskReview


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def _period_choice(request, period_list):
    """The period asked for in ?period=, or the latest cycle with reviews."""
    key = request.GET.get("period", "").strip()
    if key:
        try:
            return periods.parse(key).key
        except periods.PeriodKeyError:
            pass
    return selectors.default_period_key(period_list)


def _without(query, *names) -> str:
    kept = query.copy()
    for name in names:
        kept.pop(name, None)
    return kept.urlencode()


@require_GET
def register(request: HtmxHttpRequest):
    policy.require(policy.may_view_risks(request.user))
    period_list = selectors.review_periods()
    period_key = _period_choice(request, period_list)
    band_list = selectors.bands()
    rows = selectors.register_as_at(period_key=period_key, band_list=band_list)
    owners = sorted({(r.owner_id, r.owner_name) for r in rows}, key=lambda o: o[1])
    chosen = {k: request.GET.get(k, "") for k in ("band", "category", "owner")}
    sort = request.GET.get("sort", "score")
    sort = sort if sort in selectors.SORTS else "score"
    descending = request.GET.get("dir", "desc" if sort == "score" else "asc") == "desc"
    shown = selectors.filter_and_sort(rows, sort=sort, descending=descending, **chosen)
    return render(request, "risks/register.html", {
        "period": periods.parse(period_key),
        "period_list": period_list,
        "risks": shown,
        "total": len(rows),
        "bands": band_list,
        "categories": RiskCategory.objects.all(),
        "owners": owners,
        "chosen": chosen,
        "sort": sort,
        "descending": descending,
        "may_manage": policy.may_manage_risks(request.user),
        "may_sign_off": policy.may_review_risk_reviews(request.user),
        "unsigned": sum(1 for r in rows if not r.review_signed_off),
        "base_query": _without(request.GET, "sort", "dir"),
    })


@require_GET
def heat_map(request):
    policy.require(policy.may_view_risks(request.user))
    period_list = selectors.review_periods()
    period_key = _period_choice(request, period_list)
    band_list = selectors.bands()
    rows = selectors.register_as_at(period_key=period_key, band_list=band_list)
    return render(request, "risks/heat_map.html", {
        "period": periods.parse(period_key),
        "period_list": period_list,
        "heat_map": selectors.heat_map(rows, band_list=band_list),
        "risks": sorted(rows, key=lambda r: r.reference),
        "bands": band_list,
    })


def _detail_context(request, risk, history, **forms):
    may_edit = policy.may_edit_risk(request.user, risk)
    context = {
        "risk": risk,
        "history": history,
        "controls": [m for m in risk.mitigation_list if m.kind == "control"],
        "actions": [m for m in risk.mitigation_list if m.kind == "action"],
        "may_edit": may_edit,
        "may_manage": policy.may_manage_risks(request.user),
        "current": history[-1] if history else None,
        "linked_actions": plan_selectors.actions_for_risk(risk.reference),
    }
    if may_edit:
        context["mitigation_form"] = forms.get("mitigation_form") or MitigationForm(prefix="mitigation")
    return context


@require_GET
def detail(request, pk: int):
    policy.require(policy.may_view_risks(request.user))
    risk, history = selectors.risk_with_history(pk)
    policy.require(risk is not None)
    return render(request, "risks/detail.html", _detail_context(request, risk, history))


@require_http_methods(["GET", "POST"])
def review(request: HtmxHttpRequest, pk: int):
    risk = get_object_or_404(Risk.objects.select_related("owner", "category"), pk=pk)
    policy.require(policy.may_view_risks(request.user) and policy.may_edit_risk(request.user, risk))
    if request.method == "GET" and request.htmx and "likelihood" in request.GET:
        form = ReviewForm(request.GET, risk=risk)
        return render(request, "risks/review.html#score", {"preview": form.preview()})
    if request.method == "POST":
        form = ReviewForm(request.POST, risk=risk)
        if form.is_valid():
            try:
                services.risk_review(risk=risk, by=request.user, **form.cleaned_data)
            except services.RiskRefused as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"Your review of {risk.reference} is recorded.")
                target = reverse("risks:detail", args=[risk.pk])
                return HttpResponseClientRedirect(target) if request.htmx else redirect(target)
    else:
        form = ReviewForm(risk=risk, initial={
            "likelihood": risk.current_likelihood, "impact": risk.current_impact,
        })
    template = "risks/review.html#form" if request.htmx else "risks/review.html"
    return render(request, template, {"risk": risk, "form": form, "preview": form.preview()})


@require_GET
def sign_off(request):
    """Owners' reviews awaiting sign-off that the person may decide: their directorate's (an approver)
    or every one (the performance team), never one they own or recorded."""
    policy.require(policy.may_review_risk_reviews(request.user))
    return render(request, "risks/sign_off.html", {"reviews": selectors.reviews_awaiting(request.user)})


@require_POST
def review_decide(request: HtmxHttpRequest, pk: int):
    """Sign off a review, or return it to the owner with the reason."""
    policy.require(policy.may_review_risk_reviews(request.user))
    review = get_object_or_404(
        RiskReview.objects.select_related("risk__owner", "period").prefetch_related("contributors"), pk=pk)
    policy.require(policy.may_approve_risk_review(request.user, review))
    form = ReviewDecisionForm(request.POST)
    error = ""
    if not form.is_valid():
        error = " ".join(m for ms in form.errors.values() for m in ms)
    else:
        try:
            if form.cleaned_data["decision"] == ReviewDecisionForm.RETURN:
                services.risk_review_return(review=review, by=request.user, reason=form.cleaned_data["reason"],
                                            request=request)
            else:
                services.risk_review_approve(review=review, by=request.user, request=request)
        except services.RiskRefused as exc:
            error = str(exc)
        except PermissionDenied:
            policy.deny()
    review.refresh_from_db()
    if request.htmx:
        return render(request, "risks/sign_off.html#decision", {"review": review, "error": error})
    if error:
        messages.error(request, error)
    else:
        messages.success(request, f"The review of {review.risk.reference} is {review.get_state_display().lower()}.")
    return redirect("risks:sign_off")


@require_POST
def mitigation_add(request: HtmxHttpRequest, pk: int):
    risk = get_object_or_404(Risk, pk=pk)
    policy.require(policy.may_view_risks(request.user) and policy.may_edit_risk(request.user, risk))
    form = MitigationForm(request.POST, prefix="mitigation")
    if form.is_valid():
        services.mitigation_add(risk=risk, by=request.user, **form.cleaned_data)
        if not request.htmx:
            messages.success(request, "The control or action is added.")
            return redirect("risks:detail", pk=risk.pk)
        form = None
    risk, history = selectors.risk_with_history(pk)
    context = _detail_context(request, risk, history, mitigation_form=form)
    template = "risks/detail.html#mitigations" if request.htmx else "risks/detail.html"
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
def create(request):
    policy.require(policy.may_manage_risks(request.user))
    form = RiskForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        indicators = data.pop("indicators")
        try:
            risk = services.risk_create(by=request.user, indicators=indicators, **data)
        except services.RiskRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{risk.reference} is on the register.")
            return redirect("risks:detail", pk=risk.pk)
    return render(request, "risks/edit.html", {"form": form, "risk": None})


@require_http_methods(["GET", "POST"])
def edit(request, pk: int):
    risk = get_object_or_404(Risk, pk=pk)
    policy.require(policy.may_view_risks(request.user) and policy.may_edit_risk(request.user, risk))
    form = RiskForm(request.POST or None, instance=risk, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if not form.fields[k].disabled}
        indicators = data.pop("indicators")
        services.risk_update(risk=Risk.objects.get(pk=pk), by=request.user, indicators=indicators, **data)
        messages.success(request, f"{risk.reference} is updated.")
        return redirect("risks:detail", pk=risk.pk)
    return render(request, "risks/edit.html", {"form": form, "risk": risk})


@require_http_methods(["GET", "POST"])
def remove(request, pk: int):
    policy.require(policy.may_manage_risks(request.user))
    risk = get_object_or_404(Risk, pk=pk)
    form = RemoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.risk_remove(risk=risk, by=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, f"{risk.reference} is off the register; it still shows for earlier periods.")
        return redirect("risks:register")
    return render(request, "risks/remove.html", {"form": form, "risk": risk})


@require_http_methods(["GET", "POST"])
def settings_page(request):
    policy.require(policy.may_manage_risks(request.user))
    bands = BandFormSet(queryset=RatingBand.objects.all(), prefix="bands")
    category_form = CategoryForm(prefix="category")
    if request.method == "POST" and "save_bands" in request.POST:
        bands = BandFormSet(request.POST, queryset=RatingBand.objects.all(), prefix="bands")
        if bands.is_valid():
            try:
                services.bands_save(by=request.user, rows=bands.rows())
            except (services.RiskRefused, IntegrityError) as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, "The rating bands are saved.")
                return redirect("risks:settings")
    elif request.method == "POST":
        category_form = CategoryForm(request.POST, prefix="category")
        if category_form.is_valid():
            services.category_add(by=request.user, name=category_form.cleaned_data["name"])
            messages.success(request, "The category is added.")
            return redirect("risks:settings")
    return render(request, "risks/settings.html", {
        "bands": bands, "category_form": category_form, "categories": RiskCategory.objects.all(),
    })


