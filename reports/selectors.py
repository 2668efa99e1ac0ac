"""Reads of reports that pages share, each in a fixed number of queries."""

from __future__ import annotations

import datetime

from django.db.models import Count, Max
from django.shortcuts import get_object_or_404

from improvement_plans.models import ProgressUpdate
from indicators import outstanding as outstanding_module
from risks import selectors as risk_selectors

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


def publication_check(report: Report, figures: dict) -> dict:
    """What is not signed off behind a report, to show before it is published: the period's
    figures not approved (by directorate), plan progress updates awaiting approval (not in the
    plan the report reads), risks whose latest review by the period's end is not signed off, and
    risks whose review date had passed by then. Two queries for the figures, one for the plan
    updates, one for the risk reviews; the review dates come from the report's figures."""
    items = outstanding_module.outstanding_figures(report.period, portfolio_id=report.portfolio_id)
    updates = list(
        ProgressUpdate.objects.filter(state=ProgressUpdate.SUBMITTED)
        .select_related("action__element__plan").order_by("submitted_at", "id")
    )
    end = report.period.end.isoformat()
    risks = [
        {**r, "next_review": datetime.date.fromisoformat(r["next_review"])}
        for r in figures.get("risks", {}).get("register", []) if r.get("next_review") and r["next_review"] < end
    ]
    unsigned = risk_selectors.unsigned_reviews(period_key=report.period.key)
    return {
        "outstanding": outstanding_module.by_directorate(items),
        "outstanding_total": len(items),
        "outstanding_counts": [(outstanding_module.STATE_WORDS[s], n)
                               for s, n in outstanding_module.counts(items).items()],
        "plan_updates": updates,
        "stale_risks": risks,
        "unsigned_risk_reviews": unsigned,
        "total": len(items) + len(updates) + len(risks) + len(unsigned),
    }
