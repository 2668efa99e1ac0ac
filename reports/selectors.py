"""Reads of reports that pages share, each in a fixed number of queries."""

from __future__ import annotations

from django.db.models import Count, Max
from django.shortcuts import get_object_or_404

from .models import PublishedVersion, Report


def reports_for_staff() -> list[Report]:
    """Every report, newest period first, with how many versions it has and the latest number."""
    return list(
        Report.objects.select_related("period", "portfolio")
        .annotate(version_count=Count("versions"), latest_version=Max("versions__number"))
        .order_by("-period__start", "portfolio__order", "-id")
    )


def published_versions() -> list[PublishedVersion]:
    """Every published version, newest meeting first (what members may read)."""
    return list(
        PublishedVersion.objects.select_related("report__period", "report__portfolio")
        .defer("html", "figures_json")
        .order_by("-meeting_date", "report_id", "-number")
    )


def latest_published() -> PublishedVersion | None:
    return (
        PublishedVersion.objects.select_related("report__period", "report__portfolio")
        .defer("html", "figures_json").order_by("-published_at", "-id").first()
    )


def version(pk: int, number: int) -> PublishedVersion:
    return get_object_or_404(
        PublishedVersion.objects.select_related("report__period", "report__portfolio"), report_id=pk, number=number
    )
