"""Publishing a correction re-renders only what changed (issue 24): a part made from the same print
HTML, fonts, WeasyPrint and PDF/UA repairs as a kept PDF of an earlier version shares that file;
the earlier version stays byte for byte; a shared file gone from the disk is rendered instead, said."""

from __future__ import annotations

import hashlib
import threading
from decimal import Decimal

import pytest
import weasyprint
from django.db import connection
from django.forms.models import model_to_dict
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from indicators import services as indicator_services
from indicators.models import Reading, ReadingHistory
from organisation.models import Period
from reports import pdfs, services, storage, tasks
from reports.models import PublishedPart, PublishedVersion
from tests.reports import factories

# The appendices a July figure of an LPSA2G indicator does not reach: the figure is in the report's
# paragraphs, A(1) (the R/A list), A(2) (the R templates) and F (the month by month table).
UNTOUCHED = {"B", "C", "D", "E", "G"}


@pytest.fixture
def council(world):
    return factories.small_council(world)


def _fake_pdf(html: str, *_how) -> bytes:
    return b"%PDF-1.4\n% " + hashlib.sha256(html.encode()).hexdigest().encode() + b"\n"


@pytest.fixture
def fake_renderer(monkeypatch):
    """WeasyPrint is tested elsewhere: here a part's PDF is a few bytes made from its HTML."""
    monkeypatch.setattr(pdfs, "_render", _fake_pdf)


def _correct_one_figure(world, indicator, value):
    """An officer's correction of one July figure, through the service the monthly return uses."""
    period = Period.objects.get(key="2006-07")
    reading = Reading.objects.get(indicator=indicator, period=period)
    indicator_services.reading_enter(indicator=indicator, period=period, user=world.performance,
                                     values={"actual": Decimal(value)}, expected_version=reading.version,
                                     how=ReadingHistory.FORM, current=reading)


def _publish(world, report, note, capture):
    """Publish as the publish form does: the version is committed, then its unchanged PDFs are shared and the rest queued."""
    with capture(execute=True):
        return services.report_publish(user=world.performance, report=report, note=note)


def _queued(version) -> int:
    return sum(1 for task in DBTaskResult.objects.filter(task_path="reports.tasks.render_version_pdfs")
               if task.args_kwargs["args"] == [version.pk])


def _files(version):
    return {p.part: storage.part_path(p).read_bytes() for p in version.parts.all()}


def _rows(version):
    return {p.part: model_to_dict(p) for p in version.parts.all()}


def test_a_correction_shares_the_unchanged_pdfs_and_leaves_version_1_byte_for_byte(
        world, council, client_for, django_capture_on_commit_callbacks, django_assert_max_num_queries):
    report = factories.draft_report(world)
    first = _publish(world, report, "", django_capture_on_commit_callbacks)
    total = first.parts.count()
    assert tasks.render_version_pdfs.call(first.pk) == {"rendered": total, "reused": 0}
    first = PublishedVersion.objects.get(pk=first.pk)
    version_row, rows, files = model_to_dict(first), _rows(first), _files(first)

    _correct_one_figure(world, council[1], 10)
    second = _publish(world, report, "SS001 July figure corrected", django_capture_on_commit_callbacks)
    # Shared on publication, before any worker: the unchanged appendices are ready at once.
    same = {p.part for p in second.parts.all() if p.html == first.parts.get(part=p.part).html}
    assert same >= UNTOUCHED and "report" not in same
    assert {p.part for p in second.parts.filter(state=PublishedPart.DONE)} == same
    assert tasks.render_version_pdfs.call(second.pk) == {"rendered": total - len(same), "reused": 0}

    # What members saw in version 1 is as it was: its rows, its files.
    assert model_to_dict(PublishedVersion.objects.get(pk=first.pk)) == version_row
    assert _rows(first) == rows and _files(first) == files
    # The shared parts of version 2 are version 1's files, kept under version 2, byte for byte.
    for part in second.parts.all():
        assert part.state == PublishedPart.DONE
        kept = storage.part_path(part).read_bytes()
        assert part.sha256 == hashlib.sha256(kept).hexdigest()
        if part.part in same:
            assert part.reused_from_id == first.parts.get(part=part.part).pk
            assert kept == files[part.part] and part.sha256 == rows[part.part]["sha256"]
            assert "/v2/" in part.path
        else:
            assert part.reused_from_id is None and kept != files[part.part]

    # The version page says which were shared, in the same number of queries as a first version.
    member = client_for("member")
    member.get(reverse("home"))
    with django_assert_max_num_queries(7):
        page = member.get(reverse("reports:version", args=[report.pk, 2])).content.decode()
    assert f"{len(same)} of {total} PDFs reused from version 1." in page
    assert page.count("reused from version 1)") == len(same) and page.count("; rendered)") == total - len(same)
    assert "reused from" not in member.get(reverse("reports:version", args=[report.pk, 1])).content.decode()
    served = member.get(reverse("reports:pdf", args=[report.pk, 2, "B"]))
    assert b"".join(served.streaming_content) == files["B"]


def test_a_third_version_shares_from_the_newest_version_that_kept_the_file(
        world, council, fake_renderer, django_capture_on_commit_callbacks):
    report = factories.draft_report(world)
    first = _publish(world, report, "", django_capture_on_commit_callbacks)
    tasks.render_version_pdfs.call(first.pk)
    _correct_one_figure(world, council[1], 10)
    second = _publish(world, report, "Corrected", django_capture_on_commit_callbacks)
    tasks.render_version_pdfs.call(second.pk)
    _correct_one_figure(world, council[1], 11)
    third = _publish(world, report, "Corrected again", django_capture_on_commit_callbacks)
    b = third.parts.get(part="B")
    assert b.state == PublishedPart.DONE and b.reused_from == second.parts.get(part="B")
    assert storage.part_path(b).read_bytes() == storage.part_path(first.parts.get(part="B")).read_bytes()


def test_a_shared_file_missing_from_the_disk_is_rendered_instead_and_the_page_says_so(
        world, council, fake_renderer, client_for, django_capture_on_commit_callbacks):
    report = factories.draft_report(world)
    first = _publish(world, report, "", django_capture_on_commit_callbacks)
    tasks.render_version_pdfs.call(first.pk)
    storage.part_path(first.parts.get(part="C")).unlink()

    _correct_one_figure(world, council[1], 10)
    second = _publish(world, report, "Corrected", django_capture_on_commit_callbacks)
    c = second.parts.get(part="C")
    assert c.state == PublishedPart.PENDING and c.reused_from is None
    assert c.reuse_note == "The PDF of version 1 was missing from the disk, so this one was rendered."
    tasks.render_version_pdfs.call(second.pk)
    c.refresh_from_db()
    assert c.state == PublishedPart.DONE and storage.part_path(c).is_file()
    assert second.parts.get(part="D").reused_from == first.parts.get(part="D")
    page = client_for("performance").get(reverse("reports:version", args=[report.pk, 2])).content.decode()
    assert "The PDF of version 1 was missing from the disk, so this one was rendered." in page


def test_a_shared_file_that_no_longer_matches_its_digest_is_rendered_instead(
        world, council, fake_renderer, django_capture_on_commit_callbacks):
    report = factories.draft_report(world)
    first = _publish(world, report, "", django_capture_on_commit_callbacks)
    tasks.render_version_pdfs.call(first.pk)
    storage.part_path(first.parts.get(part="E")).write_bytes(b"%PDF-1.4\n% damaged\n")
    second = _publish(world, report, "Corrected", django_capture_on_commit_callbacks)
    e = second.parts.get(part="E")
    assert e.reused_from is None and e.reuse_note.endswith("could not be used, so this one was rendered.")


def test_nothing_is_shared_with_a_pdf_made_by_another_renderer_nor_one_not_yet_made(
        world, council, fake_renderer, monkeypatch, settings, django_capture_on_commit_callbacks):
    settings.COUNCILPERF_PDF_RENDERER = "weasyprint"
    report = factories.draft_report(world)
    first = _publish(world, report, "", django_capture_on_commit_callbacks)
    # Not yet rendered: the second version renders its own.
    second = _publish(world, report, "Corrected", django_capture_on_commit_callbacks)
    assert not second.parts.filter(reused_from__isnull=False).exists()
    tasks.render_version_pdfs.call(first.pk)
    monkeypatch.setattr(weasyprint, "__version__", "0-another")
    third = _publish(world, report, "Corrected again", django_capture_on_commit_callbacks)
    assert not third.parts.filter(reused_from__isnull=False).exists()
    assert third.parts.filter(state=PublishedPart.PENDING).count() == third.parts.count()
    # Nor with one WeasyPrint made, once the pack is Chromium's (core.pdf.pack_renderer).
    tasks.render_version_pdfs.call(third.pk)
    settings.COUNCILPERF_PDF_RENDERER = "chromium"
    fourth = _publish(world, report, "Corrected once more", django_capture_on_commit_callbacks)
    assert not fourth.parts.filter(reused_from__isnull=False).exists()


def test_only_the_parts_left_to_make_are_queued_for_the_worker(
        world, council, fake_renderer, django_capture_on_commit_callbacks):
    report = factories.draft_report(world)
    first = _publish(world, report, "", django_capture_on_commit_callbacks)
    tasks.render_version_pdfs.call(first.pk)
    second = _publish(world, report, "Corrected", django_capture_on_commit_callbacks)
    waiting = set(second.parts.filter(state=PublishedPart.PENDING).values_list("part", flat=True))
    assert "report" in waiting and not waiting & UNTOUCHED
    assert _queued(second) == 1
    # Once every part is kept, nothing is left to queue.
    tasks.render_version_pdfs.call(second.pk)
    services._keep_reused_then_queue(second.pk)
    assert _queued(second) == 1


def test_two_workers_share_a_part_once(world, council, fake_renderer):
    report = factories.draft_report(world)
    first = services.report_publish(user=world.performance, report=report, note="")
    tasks.render_version_pdfs.call(first.pk)
    second = services.report_publish(user=world.performance, report=report, note="Corrected")
    shared = second.parts.filter(reused_from__isnull=False).count()
    assert shared >= len(UNTOUCHED)
    assert storage.parts_reuse(version_id=second.pk) == {"reused": shared, "render": 0}
    assert storage.parts_reuse(version_id=second.pk) == {"reused": 0, "render": 0}


@pytest.mark.django_db(transaction=True)
def test_two_workers_sharing_at_the_same_moment_keep_each_part_once(world, council, fake_renderer):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL's row locks")
    report = factories.draft_report(world)
    first = services.report_publish(user=world.performance, report=report, note="")
    tasks.render_version_pdfs.call(first.pk)
    second = services.report_publish(user=world.performance, report=report, note="Corrected")
    # Committed at once here, so publication has shared them already: as if it had not (say the
    # process stopped just after the commit), two workers' render tasks find them waiting together.
    second.parts.filter(reused_from__isnull=False).update(state=PublishedPart.PENDING, path="", sha256="", size=None)
    shared = second.parts.filter(reused_from__isnull=False).count()
    start = threading.Barrier(2)
    outcomes = []

    def share():
        try:
            start.wait()
            outcomes.append(storage.parts_reuse(version_id=second.pk))
        except Exception as exc:
            outcomes.append(exc)
            raise
        finally:
            connection.close()

    threads = [threading.Thread(target=share) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(outcomes) == 2, outcomes
    assert sum(o["reused"] for o in outcomes) == shared and all(o["render"] == 0 for o in outcomes)
    assert second.parts.filter(reused_from__isnull=False, state=PublishedPart.DONE).count() == shared
