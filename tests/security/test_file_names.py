"""Names people type (the meeting a report goes to) never steer where a file is written or break a download header."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.urls import reverse

from reports import services as report_services
from reports import storage as report_storage
from tests.reports.factories import draft_report

HOSTILE_BODY = '../../../../tmp/evil"\r\nSet-Cookie: x=1; \\..\\'


def test_a_hostile_meeting_name_cannot_leave_the_reports_folder(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    report = draft_report(world, period_key="2006-06", meeting=date(2006, 7, 27), body=HOSTILE_BODY)
    version = report_services.report_publish(user=world.performance, report=report, note="")
    for part in version.parts.all():
        assert "/" not in part.filename and "\\" not in part.filename and ".." not in part.filename
        assert not any(ch in part.filename for ch in '"\r\n')
        kept = report_storage.store_pdf(part=part, data=b"%PDF-1.4 test")
        written = (Path(settings.MEDIA_ROOT) / kept.path).resolve()
        assert written.is_relative_to((Path(settings.MEDIA_ROOT) / "reports").resolve())


def test_downloads_of_such_a_report_have_a_well_formed_header(world, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    report = draft_report(world, period_key="2006-06", meeting=date(2006, 7, 27), body=HOSTILE_BODY)
    version = report_services.report_publish(user=world.performance, report=report, note="")
    member = client_for("member")
    kwargs = {"pk": report.pk, "number": version.number}
    for response in (member.get(reverse("reports:csv", kwargs={**kwargs, "table": "A1"})),
                     member.get(reverse("reports:json", kwargs=kwargs))):
        assert response.status_code == 200
        header = response["Content-Disposition"]
        assert header.startswith('attachment; filename="2006-07-27 tmp evil Set-Cookie x=1;')
        assert header.count('"') == 2 and "\n" not in header and "\r" not in header
