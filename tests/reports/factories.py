"""Reports in the personas' world: a draft report and a report published to Cabinet with one PDF kept."""

from __future__ import annotations

import json
import tempfile
from datetime import date
from pathlib import Path

from reports import services
from reports.models import PublishedPart, PublishedVersion


def draft_report(world, *, period_key="2006-07", meeting=date(2006, 9, 7), portfolio=None, **cover):
    return services.report_create(user=world.performance, period_key=period_key, meeting_date=meeting,
                                  portfolio=portfolio, **cover)


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
    """A published version written directly, for tests that only need one to exist (every test builds the world).

    It is the Children's Services portfolio's, so whole-council reports never compare with it.
    """
    report = draft_report(world, period_key=period_key, meeting=meeting, portfolio=world.portfolio)
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


def small_council(world, *, size: int = 6):
    """FULL > LAA > LPSA2G with a theme, `size` indicators in LPSA2G beside the world's two.

    May 2006: the first three of the LPSA2G indicators are R (actual 50 against 100); July 2006: only the first.
    The world's CH141 (LAA, same theme, no robust action plan) and AS01 (no target) are R in every month,
    so with size 6 the full set has 5 of 8 R to May and 3 of 8 to July.
    """
    from indicators.models import IndicatorSet, Theme
    from tests import factories as base

    full = world.indicator_set
    laa, _ = IndicatorSet.objects.get_or_create(code="LAA", defaults={"name": "Local Area Agreement", "parent": full})
    lpsa = IndicatorSet.objects.create(code="LPSA2G", name="Local Public Service Agreement", parent=laa, order=2)
    full.name = "Full set of strategic performance indicators"
    full.save()
    theme, _ = Theme.objects.get_or_create(name="Safer and stronger communities", defaults={"indicator_set": laa})
    made = []
    for i in range(size):
        ind = base.indicator(f"SS{i:03d}", lead=world.officer, directorate=world.cyps, title=f"Measure {i}",
                             theme=theme, action_plan_robust=True, action_plan="Monthly review")
        ind.sets.add(lpsa)
        base.target(ind, "2006/07", 100)
        base.reading(ind, "2006-05", 50 if i < 3 else 120, commentary=f"May comment {i}")
        base.reading(ind, "2006-07", 50 if i < 1 else 120, commentary=f"July comment {i}",
                     remedial_action="=HYPERLINK(\"http://evil.example\")" if i == 0 else "")
        made.append(ind)
    return made
