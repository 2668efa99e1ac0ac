"""Publishing has no stuck states and happens once (issue 21, findings 3 and 6): a title pasted from
Word still makes every PDF, any error in the render marks its part failed with a reason, "make the
PDFs again" retries failed and stuck parts, a worker takes up a part left running, and a publish
form submitted twice (or four times at once) makes one version. Cover and paragraph POSTs are bounded
and explicit."""

from __future__ import annotations

import re
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from reports import pdfs, services, storage, tasks
from reports.models import Paragraph, PublishedPart, PublishedVersion, Report
from tests.reports import factories

# 200 characters (the title's column), 600 bytes of UTF-8: curly quotes and dashes pasted from Word.
WORD_TITLE = ("\u201cIntegrated performance report\u201d \u2013 " * 6)[:200]


def _fake_pdf(html: str, *_how) -> bytes:
    return b"%PDF-1.4\n% test\n"


@pytest.fixture
def fake_renderer(monkeypatch):
    """WeasyPrint is tested elsewhere: here a part's PDF is a few bytes, so the test is about the task."""
    monkeypatch.setattr(pdfs, "_render", _fake_pdf)


def _published(world, **cover):
    report = factories.draft_report(world, **cover)
    return services.report_publish(user=world.performance, report=report, note="")


def _states(version):
    return dict(version.parts.values_list("part", "state"))


def test_a_title_pasted_from_word_longer_than_a_file_name_still_makes_every_pdf(world, fake_renderer):
    version = _published(world, title=WORD_TITLE)
    tasks.render_version_pdfs.call(version.pk)
    assert set(_states(version).values()) == {PublishedPart.DONE}
    for part in version.parts.all():
        assert len(part.filename.encode("utf-8")) <= 255, part.filename
        assert part.filename.startswith("2006-09-07 Cabinet - \u201cIntegrated performance report\u201d")
        kept = Path(part.path).name
        assert kept.isascii() and len(kept) <= 100 and kept.endswith(f"-{part.pk}.pdf"), kept
        assert storage.part_path(part).is_file()


def test_the_download_keeps_the_readable_name(world, fake_renderer, client_for):
    version = _published(world, title=WORD_TITLE)
    tasks.render_version_pdfs.call(version.pk)
    response = client_for("member").get(reverse("reports:pdf", args=[version.report_id, version.number, "report"]))
    assert response.status_code == 200
    assert "filename*=utf-8''2006-09-07%20Cabinet%20-%20%E2%80%9CIntegrated" in response["Content-Disposition"]


def test_any_error_while_keeping_a_pdf_marks_that_part_failed_with_a_reason(world, fake_renderer, monkeypatch):
    """An injected task failure: the disk refuses appendix C."""
    keep = storage.store_pdf

    def refuse_c(*, part, data):
        if part.part == "C":
            raise OSError(28, "No space left on device")
        return keep(part=part, data=data)

    monkeypatch.setattr(storage, "store_pdf", refuse_c)
    version = _published(world)
    tasks.render_version_pdfs.call(version.pk)
    states = _states(version)
    assert states.pop("C") == PublishedPart.FAILED
    assert set(states.values()) == {PublishedPart.DONE}, "the other parts are made; none is left running"
    error = version.parts.get(part="C").error
    assert error.startswith("The PDF was not made: the file could not be written") and "No space left" in error


def test_a_renderer_that_fails_marks_every_part_it_took_failed(world, monkeypatch):
    def broken_pool(jobs, **kwargs):
        raise RuntimeError("the process pool could not start")

    monkeypatch.setattr(pdfs, "render_all", broken_pool)
    version = _published(world)
    with pytest.raises(RuntimeError):
        tasks.render_version_pdfs.call(version.pk)
    assert set(_states(version).values()) == {PublishedPart.FAILED}
    assert "could not be laid out (the process pool could not start)" in version.parts.first().error


def test_the_version_page_shows_the_performance_team_why_a_pdf_failed(world, client_for):
    version = _published(world)
    version.parts.filter(part="C").update(state=PublishedPart.FAILED, error="The PDF was not made: the file could not be written (disk full).")
    version.parts.exclude(part="C").update(state=PublishedPart.DONE)
    page = client_for("performance").get(reverse("reports:version", args=[version.report_id, 1])).content.decode()
    assert "the file could not be written (disk full)" in page and "Make the PDFs again" in page
    page = client_for("member").get(reverse("reports:version", args=[version.report_id, 1])).content.decode()
    assert "disk full" not in page


def test_make_the_pdfs_again_retries_failed_and_stuck_parts_but_not_one_being_made(world, client_for,
                                                                                    django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    version = _published(world)
    long_ago, just_now = timezone.now() - timedelta(hours=2), timezone.now()
    version.parts.update(state=PublishedPart.DONE)
    version.parts.filter(part="C").update(state=PublishedPart.FAILED, error="The PDF was not made")
    version.parts.filter(part="D").update(state=PublishedPart.RUNNING, started_at=long_ago)
    version.parts.filter(part="E").update(state=PublishedPart.RUNNING, started_at=just_now)
    DBTaskResult.objects.all().delete()
    response = client_for("performance").post(reverse("reports:render", args=[version.report_id, 1]), follow=True)
    assert "2 PDFs not yet made have been queued" in response.content.decode()
    states = _states(version)
    assert (states["C"], states["D"], states["E"]) == (PublishedPart.PENDING, PublishedPart.PENDING, PublishedPart.RUNNING)
    assert DBTaskResult.objects.filter(task_path="reports.tasks.render_version_pdfs").count() == 1


def test_a_part_left_running_by_a_worker_that_stopped_is_made_by_the_next_worker(world, fake_renderer, settings):
    settings.REPORTS_PDF_STALE_SECONDS = 600
    version = _published(world)
    version.parts.update(state=PublishedPart.RUNNING, started_at=timezone.now() - timedelta(hours=1))
    version.parts.filter(part="report").update(started_at=timezone.now())  # a live worker's: left to it
    tasks.render_version_pdfs.call(version.pk)
    states = _states(version)
    assert states.pop("report") == PublishedPart.RUNNING
    assert set(states.values()) == {PublishedPart.DONE}


def test_the_page_people_watch_puts_a_stuck_part_back_in_the_queue(world, client_for):
    version = _published(world)
    version.parts.update(state=PublishedPart.RUNNING, started_at=timezone.now() - timedelta(hours=1))
    client_for("performance").get(reverse("reports:version", args=[version.report_id, 1]), HTTP_HX_REQUEST="true")
    assert set(_states(version).values()) == {PublishedPart.PENDING}


# --- Finding 6: publishing once -------------------------------------------------------------


def _token(client, report):
    page = client.get(reverse("reports:publish", args=[report.pk])).content.decode()
    return re.search(r'name="token" value="([^"]+)"', page).group(1)


def test_a_second_submit_of_the_publish_form_shows_the_version_already_made(world, client_for):
    report = factories.draft_report(world)
    client = client_for("performance")
    token = _token(client, report)
    first = client.post(reverse("reports:publish", args=[report.pk]), {"note": "", "confirm": "on", "token": token})
    second = client.post(reverse("reports:publish", args=[report.pk]), {"note": "", "confirm": "on", "token": token}, follow=True)
    assert first.status_code == 302
    assert PublishedVersion.objects.filter(report=report).count() == 1
    assert second.redirect_chain[-1][0] == reverse("reports:version", args=[report.pk, 1])
    assert "Version 1 was already published from this page; nothing more was published." in second.content.decode()
    # A fresh form publishes a correction as usual.
    client.post(reverse("reports:publish", args=[report.pk]), {"note": "Figures corrected", "confirm": "on", "token": _token(client, report)})
    assert PublishedVersion.objects.filter(report=report).count() == 2


def test_a_publish_without_the_forms_token_is_refused_and_publishes_nothing(world, client_for):
    report = factories.draft_report(world)
    response = client_for("performance").post(reverse("reports:publish", args=[report.pk]), {"note": ""})
    assert response.status_code == 200
    assert "This page is out of date" in response.content.decode()
    assert not PublishedVersion.objects.filter(report=report).exists()


@pytest.mark.django_db(transaction=True)
def test_four_simultaneous_publishes_of_one_form_make_one_version(world):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL's row locks")
    report = factories.draft_report(world)
    clients = []
    for _ in range(4):
        client = Client()
        client.force_login(world.performance)
        clients.append(client)
    token = _token(clients[0], report)
    start = threading.Barrier(4)
    statuses = []

    def publish(client):
        try:
            start.wait()
            statuses.append(client.post(reverse("reports:publish", args=[report.pk]), {"note": "", "confirm": "on", "token": token}).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=publish, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [302, 302, 302, 302]
    assert list(PublishedVersion.objects.filter(report=report).values_list("number", flat=True)) == [1]


# --- Finding 5 (reports): bounded and explicit POSTs ---------------------------------------------


def _cover(report, **changes):
    from reports.forms import CoverForm

    form = CoverForm(initial={name: getattr(report, name) for name in services.COVER_FIELDS})
    data = {name: form[name].value() for name in form.fields}
    data["meeting_date"] = report.meeting_date.isoformat()
    data = {k: ("" if v is None else v) for k, v in data.items() if v is not False}
    return {**data, **changes}


def test_a_cover_title_longer_than_its_column_is_refused_with_a_message(world, client_for):
    report = factories.draft_report(world)
    response = client_for("performance").post(reverse("reports:cover", args=[report.pk]),
                                              _cover(report, title=WORD_TITLE + "x", body="C" * 101))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ensure this value has at most 200 characters (it has 201)." in page
    assert "Ensure this value has at most 100 characters (it has 101)." in page
    assert Report.objects.get(pk=report.pk).title == "Integrated performance report"


def test_a_cover_title_at_its_limit_is_saved(world, client_for):
    report = factories.draft_report(world)
    response = client_for("performance").post(reverse("reports:cover", args=[report.pk]), _cover(report, title=WORD_TITLE))
    assert response.status_code == 302
    assert Report.objects.get(pk=report.pk).title == WORD_TITLE


def test_a_paragraph_post_without_a_choice_of_action_changes_nothing(world, client_for):
    report = factories.draft_report(world)
    url = reverse("reports:paragraph", args=[report.pk, 1])
    for data in ({"text": "Replaced without saying so"}, {"action": "publish", "text": "Replaced"}):
        response = client_for("performance").post(url, data)
        assert response.status_code == 400
    assert not Paragraph.objects.filter(edited_text__startswith="Replaced").exists()
