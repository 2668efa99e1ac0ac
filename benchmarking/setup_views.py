"""The performance team's comparator set-up: import a comparator file (upload, preview, confirm), the groups
and their members, and each metric's mapping to our indicators. Every change is audited by the service."""

from __future__ import annotations

import re
import secrets
import time
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.db.models import Count, F, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import policy
from core.spreadsheets import ImportRefused

from . import comparators, importer
from .models import ComparatorCouncil, ComparatorGroup, ComparatorMetric
from .setup_forms import ComparatorFileForm, GroupForm, MembersForm, MetricForm

SESSION_KEY = "benchmarking_comparator_import"
TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
KEEP_SECONDS = 24 * 60 * 60


def _require(request):
    policy.require(policy.may_manage_benchmarking(request.user))


@require_GET
def setup(request):
    """The set-up hub: the groups with their members, how many metrics are mapped, and the links."""
    _require(request)
    groups = ComparatorGroup.objects.prefetch_related(
        Prefetch("members", queryset=ComparatorCouncil.objects.order_by("name"))
    )
    counts = ComparatorMetric.objects.aggregate(
        metrics=Count("pk"), mapped=Count("pk", filter=Q(indicator__isnull=False)),
    )
    return render(request, "benchmarking/setup.html", {
        "groups": groups, "counts": counts, "us": ComparatorCouncil.objects.filter(is_us=True).first(),
    })


# --- Import ----------------------------------------------------------------------------------

def _folder() -> Path:
    folder = Path(settings.MEDIA_ROOT) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _stored(token: str, suffix: str) -> Path | None:
    """The kept upload for a token from this person's session, or None (never a path built from input)."""
    if not TOKEN.match(token or "") or suffix not in (".csv", ".xlsx"):
        return None
    path = _folder() / f"comparators-{token}{suffix}"
    return path if path.is_file() else None


def _sweep():
    cutoff = time.time() - KEEP_SECONDS
    for old in _folder().glob("comparators-*"):
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)


@require_http_methods(["GET", "POST"])
def comparators_import(request):
    """Upload a comparator file; a good one is previewed (nothing written yet) and kept until confirmed."""
    _require(request)
    form = ComparatorFileForm(request.POST or None, request.FILES or None,
                              initial={"us": settings.COUNCILPERF_COUNCIL_CODE})
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = b"".join(upload.chunks())
        name = Path(upload.name).name[:200]
        us = form.cleaned_data["us"].strip() or None
        try:
            report = importer.comparator_import(source=data, filename=name, user=request.user, us=us, dry_run=True)
        except ImportRefused as refused:
            context["cell_errors"] = refused.errors
        else:
            _sweep()
            token = secrets.token_urlsafe(24)
            suffix = Path(name).suffix.lower()
            (_folder() / f"comparators-{token}{suffix}").write_bytes(data)
            request.session[SESSION_KEY] = {"token": token, "name": name, "suffix": suffix, "us": us}
            context.update(report=report, token=token)
    return render(request, "benchmarking/import.html", context)


@require_POST
def comparators_import_confirm(request):
    """Apply the file just previewed; it is checked again, as the data may have moved on."""
    _require(request)
    kept = request.session.get(SESSION_KEY) or {}
    token = request.POST.get("token", "")
    path = _stored(token, kept.get("suffix", "")) if token and token == kept.get("token") else None
    if path is None:
        messages.error(request, "There is no comparator file waiting to be imported; upload it again.")
        return redirect("benchmarking:comparators_import")
    try:
        report = importer.comparator_import(source=path.read_bytes(), filename=kept["name"], user=request.user,
                                            us=kept.get("us"))
    except ImportRefused as refused:
        return render(request, "benchmarking/import.html", {"form": ComparatorFileForm(), "cell_errors": refused.errors})
    finally:
        path.unlink(missing_ok=True)
        request.session.pop(SESSION_KEY, None)
    messages.success(
        request,
        f"{kept['name']} imported: {report.values.new} new and {report.values.changed} changed figures, "
        f"{report.councils.new} new councils, {report.metrics.new} new metrics, {report.groups.new} new groups.",
    )
    return redirect("benchmarking:setup")


# --- Groups ----------------------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
def group_edit(request, pk=None):
    """Create a group (no pk) or change one; its members are listed and added or removed here too."""
    _require(request)
    group = get_object_or_404(ComparatorGroup, pk=pk) if pk is not None else None
    initial = ({"name": group.name, "kind": group.kind, "description": group.description, "order": group.order}
               if group else {"kind": ComparatorGroup.NEAREST_NEIGHBOURS, "order": 0})
    form = GroupForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = comparators.group_save(group=group, user=request.user, **form.cleaned_data)
        except comparators.SetupRefused as refused:
            form.add_error("name", str(refused))
        else:
            messages.success(request, f"{saved.name} saved.")
            return redirect("benchmarking:group_edit", pk=saved.pk)
    members = group.members.order_by("name") if group else []
    return render(request, "benchmarking/group.html", {
        "group": group, "form": form, "members": members, "members_form": MembersForm() if group else None,
    })


@require_POST
def group_members_add(request, pk):
    _require(request)
    group = get_object_or_404(ComparatorGroup, pk=pk)
    form = MembersForm(request.POST)
    if not form.is_valid():
        return render(request, "benchmarking/group.html", {
            "group": group, "form": GroupForm(initial={"name": group.name, "kind": group.kind,
                                                        "description": group.description, "order": group.order}),
            "members": group.members.order_by("name"), "members_form": form,
        })
    added = comparators.group_members_add(group=group, councils=form.cleaned_data["councils"], user=request.user)
    messages.success(request, f"{added} council{'s' if added != 1 else ''} added to {group.name}.")
    return redirect("benchmarking:group_edit", pk=group.pk)


@require_POST
def group_member_remove(request, pk, council_pk):
    _require(request)
    group = get_object_or_404(ComparatorGroup, pk=pk)
    council = get_object_or_404(ComparatorCouncil, pk=council_pk)
    if comparators.group_member_remove(group=group, council=council, user=request.user):
        messages.success(request, f"{council.name} removed from {group.name}.")
    return redirect("benchmarking:group_edit", pk=group.pk)


# --- Metric mapping --------------------------------------------------------------------------

@require_GET
def metrics(request):
    """Every comparator metric with the indicator it is mapped to, its polarity and band; unmapped first."""
    _require(request)
    rows = ComparatorMetric.objects.select_related("indicator").order_by(
        F("indicator__code").asc(nulls_first=True), "source", "metric_id",
    )
    return render(request, "benchmarking/metrics.html", {"metrics": rows})


@require_http_methods(["GET", "POST"])
def metric_edit(request, pk):
    _require(request)
    metric = get_object_or_404(ComparatorMetric.objects.select_related("indicator"), pk=pk)
    form = MetricForm(request.POST or None, initial={
        "indicator": metric.indicator.code if metric.indicator else "", "polarity": metric.polarity,
        "band_low": metric.band_low, "band_high": metric.band_high,
    })
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        comparators.metric_map(metric=metric, indicator=data["indicator"], polarity=data["polarity"],
                               band_low=data["band_low"], band_high=data["band_high"], user=request.user)
        messages.success(request, f"{metric.source} {metric.metric_id} saved.")
        return redirect("benchmarking:metrics")
    return render(request, "benchmarking/metric.html", {"metric": metric, "form": form})
