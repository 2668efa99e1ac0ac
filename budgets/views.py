"""Pages for budget monitoring: revenue and capital by period, the variance trend, capital entry, the import and settings."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from core import periods, policy, spreadsheets
from core.presenters import money
from organisation.models import Period

from . import chart, imports, selectors, services
from .forms import (
    CapitalChangeForm,
    CapitalSchemeForm,
    CapitalSpendForm,
    RevenueLineForm,
    ToleranceForm,
    UploadForm,
)
from .models import CapitalLine, RevenueLine


def _period(request, available):
    key = request.GET.get("period", "").strip()
    if key:
        try:
            return periods.parse(key)
        except periods.PeriodKeyError:
            pass
    return available[0] if available else periods.parse("2006-07")


@require_GET
def revenue(request):
    policy.require(policy.may_view_budgets(request.user))
    available = selectors.monitoring_periods()
    period = _period(request, available)
    position = selectors.revenue_position(period_key=period.key)
    trend = selectors.revenue_trend(period_key=period.key, tol=position.tolerance)
    return render(request, "budgets/revenue.html", {
        "period": period,
        "available": available,
        "revenue": position,
        "trend": trend,
        "chart": chart.variance_chart(trend, money=money) if trend else None,
        "may_manage": policy.may_manage_budgets(request.user),
    })


@require_GET
def capital(request):
    policy.require(policy.may_view_budgets(request.user))
    available = selectors.monitoring_periods()
    period = _period(request, available)
    return render(request, "budgets/capital.html", {
        "period": period,
        "available": available,
        "capital": selectors.capital_position(period_key=period.key),
        "may_manage": policy.may_manage_budgets(request.user),
    })


@require_http_methods(["GET", "POST"])
def upload(request):
    policy.require(policy.may_manage_budgets(request.user))
    form = UploadForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.budget_import_file(source=form.cleaned_data["workbook"], by=request.user, request=request)
        except spreadsheets.SpreadsheetRefused as exc:
            form.add_error("workbook", str(exc))
        except spreadsheets.ImportRefused as exc:
            problems = exc.errors
        else:
            messages.success(request, f"Imported {plan.summary}.")
            return redirect("budgets:revenue")
    return render(request, "budgets/upload.html", {
        "form": form,
        "problems": problems,
        "revenue_columns": imports.REVENUE_COLUMNS + imports.REVENUE_OPTIONAL,
        "capital_columns": imports.CAPITAL_COLUMNS,
    })


@require_http_methods(["GET", "POST"])
def revenue_line(request, pk: int):
    policy.require(policy.may_manage_budgets(request.user))
    line = get_object_or_404(RevenueLine.objects.select_related("period", "directorate"), pk=pk)
    form = RevenueLineForm(request.POST or None, instance=line)
    if request.method == "POST" and form.is_valid():
        try:
            services.revenue_line_update(line=RevenueLine.objects.select_related("period").get(pk=pk),
                                         by=request.user, request=request, **form.cleaned_data)
        except services.BudgetRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"The figures for {line.service} are saved.")
            return redirect(f"{reverse('budgets:revenue')}?period={line.period.key}")
    return render(request, "budgets/revenue_line.html", {"form": form, "line": line, "locked": _locked(line)})


def _capital_url(period_key: str) -> str:
    return f"{reverse('budgets:capital')}?period={period_key}"


@require_http_methods(["GET", "POST"])
def capital_scheme_add(request):
    """Add a scheme to a month's programme; the month starts as the one the capital page was showing."""
    policy.require(policy.may_manage_budgets(request.user))
    shown = request.GET.get("period", "").strip()
    form = CapitalSchemeForm(request.POST or None, initial={"period": shown})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        key = data.pop("period")
        try:
            services.capital_scheme_add(period_key=key, by=request.user, request=request, **data)
        except services.BudgetRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{data['name']} is added to the programme for {periods.parse(key).label}.")
            return redirect(_capital_url(key))
    return render(request, "budgets/capital_scheme.html", {"form": form, "back": shown})


def _locked(line) -> bool:
    """A locked month's lines are shown without a form: the service would refuse the save anyway."""
    return line.period.state == Period.LOCKED


def _capital_line(pk: int) -> CapitalLine:
    return get_object_or_404(CapitalLine.objects.select_related("period", "scheme"), pk=pk)


@require_http_methods(["GET", "POST"])
def capital_change(request, pk: int):
    policy.require(policy.may_manage_budgets(request.user))
    line = _capital_line(pk)
    form = CapitalChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            change = services.capital_change_record(line=line, by=request.user, request=request, **form.cleaned_data)
        except services.BudgetRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{change.kind} of {money(change.size, 2)} to {line.scheme.name} is recorded.")
            return redirect(_capital_url(line.period.key))
    changes = list(line.changes.all())
    return render(request, "budgets/capital_change.html", {
        "form": form, "line": line, "changes": changes,
        "revised": line.original_forecast + sum(c.amount for c in changes), "locked": _locked(line),
    })


@require_http_methods(["GET", "POST"])
def capital_spend(request, pk: int):
    policy.require(policy.may_manage_budgets(request.user))
    line = _capital_line(pk)
    form = CapitalSpendForm(request.POST or None, initial={"spend_to_date": line.spend_to_date})
    if request.method == "POST" and form.is_valid():
        try:
            services.capital_spend_update(line=line, by=request.user, request=request, **form.cleaned_data)
        except services.BudgetRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"The spend to date for {line.scheme.name} is saved.")
            return redirect(_capital_url(line.period.key))
    return render(request, "budgets/capital_spend.html", {"form": form, "line": line, "locked": _locked(line)})


@require_http_methods(["GET", "POST"])
def tolerances(request):
    policy.require(policy.may_manage_budgets(request.user))
    current = selectors.tolerance()
    form = ToleranceForm(request.POST or None, initial={
        "amber_from_pct": current.amber_from, "red_above_pct": current.red_above,
    })
    if request.method == "POST" and form.is_valid():
        try:
            services.tolerance_save(by=request.user, request=request, **form.cleaned_data)
        except services.BudgetRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "The variance tolerances are saved.")
            return redirect("budgets:tolerances")
    return render(request, "budgets/tolerances.html", {"form": form})
