"""Reports in the personas' world: a draft report and a report published to Cabinet with one PDF kept."""

from __future__ import annotations

import json
import tempfile
from datetime import date
from pathlib import Path

from reports import services
from reports.models import PublishedPart, PublishedVersion


def draft_report(world, *, period_key="2006-07", meeting=date(2006, 9, 7), **cover):
    return services.report_create(user=world.performance, period_key=period_key, meeting_date=meeting, **cover)


def published_report(world, *, period_key="2006-05", meeting=date(2006, 6, 29)):
    report = draft_report(world, period_key=period_key, meeting=meeting)
    version = services.report_publish(user=world.performance, report=report, note="")
    return report, version


def keep_fake_pdf(version, part="report") -> PublishedPart:
    """A kept file for the download routes, outside MEDIA_ROOT so tests never write to the real one."""
    item = version.parts.get(part=part)
    folder = Path(tempfile.mkdtemp(prefix="councilperf-test-"))
    path = folder / item.filename
    path.write_bytes(b"%PDF-1.4\n% test file\n")
    PublishedPart.objects.filter(pk=item.pk).update(path=str(path), state=PublishedPart.DONE, size=path.stat().st_size)
    return item


def cheap_published_report(world, *, period_key="2006-05", meeting=date(2006, 6, 29)):
    """A published version written directly, for tests that only need one to exist (every test builds the world)."""
    report = draft_report(world, period_key=period_key, meeting=meeting)
    table = {"title": "Indicators marked R by set", "columns": [{"label": "Set", "kind": "text"}],
             "rows": [["Full set"]]}
    version = PublishedVersion.objects.create(
        report=report, number=1, body=report.body, meeting_date=meeting, note="First publication",
        html="<p>Frozen</p>", figures_json=json.dumps({"tables": {"sets": table}, "paragraphs": []}),
        published_by=world.performance,
    )
    PublishedPart.objects.create(version=version, part="report", order=0, title="Report", html="<p>Frozen</p>",
                                 filename=f"{meeting:%Y-%m-%d} Cabinet - Integrated performance report.pdf")
    return report, version


def populate(world):
    report, version = cheap_published_report(world)
    keep_fake_pdf(version)
    draft = draft_report(world)
    world.extra.update(report=draft, published_report=report, published_version=version)
