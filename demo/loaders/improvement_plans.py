"""Loads the demo council's improvement plan (seed 004) and its exceptions of 12 October 2006 (seed 001).

The actions go through the same importer as a workbook upload, so the demo is also a
check that the importer reads a real council plan.
"""

from __future__ import annotations

import csv
import datetime
import json

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from core import policy
from improvement_plans import rules, services
from improvement_plans.models import (
    Action,
    ActionRisk,
    DocumentVersion,
    Element,
    ElementAssessment,
    Plan,
    ProgressUpdate,
    ReferenceDocument,
)
from indicators.models import Indicator

SOURCE = settings.BASE_DIR / "fixtures" / "demo" / "improvement_plans"


def _moment(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12, 0)))


def _day(text: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(text) if text else None


def load(*, stdout=None):
    data = json.loads((SOURCE / "plan.json").read_text(encoding="utf-8"))
    with (SOURCE / "actions.csv").open(newline="", encoding="utf-8") as handle:
        rows = [{**row, "_row": line} for line, row in enumerate(csv.DictReader(handle), start=2)]
    users = {u.username: u for u in get_user_model().objects.all()}
    as_at = _day(data["plan"]["as_at"])

    plan, _ = Plan.objects.update_or_create(
        title=data["plan"]["title"], defaults={"introduction": data["plan"]["introduction"]}
    )
    services.plan_import(rows=rows, user=None, source="fixtures/demo/improvement_plans/actions.csv",
                         as_at=as_at, how=ProgressUpdate.DEMO)
    # The plan as 004 printed it was approved when V3 was released, not today.
    ProgressUpdate.objects.filter(action__element__plan=plan, how=ProgressUpdate.DEMO).update(
        submitted_at=_moment(as_at), decided_at=_moment(as_at)
    )

    elements = {e.number: e for e in plan.elements.all()}
    for number, extra in data["elements"].items():
        element = elements[number]
        element.short_title = extra["short_title"]
        element.save()
        element.reference_documents.all().delete()
        ReferenceDocument.objects.bulk_create(
            ReferenceDocument(element=element, title=title, order=i) for i, title in enumerate(extra["reference_documents"])
        )

    plan.versions.all().delete()
    for order, line in enumerate(data["document_log"]):
        issued = _day(line["date"])
        DocumentVersion.objects.create(
            plan=plan, version=line["version"], status=line["status"], issued_on=issued,
            description=line["description"], pages_affected=line["pages_affected"],
            issued_at=_moment(issued or as_at - datetime.timedelta(days=90 - order)),
        )

    ElementAssessment.objects.filter(element__plan=plan).delete()
    for line in data["assessments"]:
        day = _day(line["as_at"])
        ElementAssessment.objects.create(
            element=elements[line["element"]], as_at=day, status=line["status"],
            commentary="\n".join(line["commentary"]), by=users.get("performance"), at=_moment(day),
        )

    actions = {a.number: a for a in Action.objects.filter(element__plan=plan).exclude(number="")}
    for line in data["updates"]:
        action = actions[line["number"]]
        lead, day = users[line["by"]], _day(line["as_at"])
        update = services.progress_update_save(
            action=action, user=lead, progress=line["progress"], status=rules.read_status(line["status"]),
            by_when=line.get("by_when"), as_at=day, how=ProgressUpdate.DEMO,
        )
        if line["state"] == "approved":
            # Separation of duties: the performance team signs off, unless it wrote the update itself.
            signer = users["performance"] if lead != users["performance"] else next(
                u for name, u in sorted(users.items()) if policy.may_approve_update(u, update))
            update = services.progress_update_approve(update=update, user=signer)
            ProgressUpdate.objects.filter(pk=update.pk).update(decided_at=_moment(day))
        ProgressUpdate.objects.filter(pk=update.pk).update(submitted_at=_moment(day))

    indicators = {i.code: i for i in Indicator.objects.all()}
    linked = 0
    for number, codes in data["indicator_links"].items():
        found = [indicators[c] for c in codes if c in indicators]
        actions[number].indicators.set(found)
        linked += len(found)
    for number, references in data["risk_links"].items():
        for reference in references:
            ActionRisk.objects.get_or_create(action=actions[number], reference=reference)

    if stdout:
        count = Action.objects.filter(element__plan=plan).count()
        stdout.write(
            f"Improvement plan: {Element.objects.filter(plan=plan).count()} elements, {count} actions, "
            f"{len(data['assessments'])} element statuses, {linked} indicator links, {sum(len(v) for v in data['risk_links'].values())} risk links"
        )
