"""Pages for budget monitoring: revenue and capital by period, the variance trend, the import and settings."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from councilperf import periods, policy, spreadsheets
from councilperf.presenters import money

from . import chart, imports, selectors, services
from .forms import RevenueLineForm, ToleranceForm, UploadForm
from .models import RevenueLine


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
    return render(request, "budgets/revenue_line.html", {"form": form, "line": line})


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
