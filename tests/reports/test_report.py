"""The Cabinet report: written from the figures, edited by people, published and frozen, read by members."""

import json
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators.models import Reading
from organisation.models import AuditEvent
from reports import document, services, storage
from reports.models import Paragraph, PublishedVersion
from tests.pdfs import a4, assert_accessible_pdf
from tests.reports import factories


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def council(world):
    return factories.small_council(world)


def _publish_may(world):
    report = factories.draft_report(world, period_key="2006-05", meeting=date(2006, 6, 29))
    return services.report_publish(user=world.performance, report=report, note="")


def _text(doc, key):
    return next(p.text for p in doc.paragraphs if p.key == key)


def test_july_report_compares_each_set_with_the_published_may_report(world, council):
    _publish_may(world)
    doc = document.build(factories.draft_report(world))
    assert _text(doc, "set:FULL") == (
        "For the full set of strategic performance indicators 3 of 8 have been marked as R, compared to 5 to May."
    )
    assert _text(doc, "set:LPSA2G") == (
        "At the end of July 1 of 6 LPSA2G indicators were marked R, a reduction from 3 in the report to the end of May."
    )
    assert _text(doc, "themes:LAA") == (
        "Of the 2 indicators marked as R, 2 are under the theme of safer and stronger communities."
    )
    # 000's order: the narrower agreement (LPSA2G) before the LAA that contains it.
    keys = [p.key for p in doc.paragraphs]
    assert keys.index("set:FULL") < keys.index("set:LPSA2G") < keys.index("set:LAA") < keys.index("themes:LAA")


def test_without_a_published_report_the_comparison_is_with_the_previous_period(world, council):
    doc = document.build(factories.draft_report(world))
    # June has no readings: every LPSA2G indicator had no data (not R) then.
    assert _text(doc, "set:LPSA2G").endswith("an increase from 0 in the report to the end of June.")


def test_an_edited_paragraph_stays_as_edited_and_says_when_the_figures_change(world, council):
    report = factories.draft_report(world)
    number = next(p.number for p in document.build(report).paragraphs if p.key == "set:LPSA2G")
    services.paragraph_edit(user=world.performance, report=report, number=number, text="Our own words.")
    doc = document.build(report)
    edited = next(p for p in doc.paragraphs if p.key == "set:LPSA2G")
    assert (edited.text, edited.edited, edited.stale) == ("Our own words.", True, False)

    Reading.objects.filter(indicator=council[1], period__key="2006-07").update(actual=Decimal(10))
    doc = document.build(report)
    edited = next(p for p in doc.paragraphs if p.key == "set:LPSA2G")
    assert edited.text == "Our own words."
    assert edited.stale is True
    assert "2 of 6 LPSA2G indicators" in edited.generated
    # Paragraphs nobody edited follow the figures.
    assert "4 of 8 have been marked as R" in _text(doc, "set:FULL")


def test_blank_words_hand_a_paragraph_back_to_the_figures(world, council):
    report = factories.draft_report(world)
    services.paragraph_edit(user=world.performance, report=report, number=3, text="Mine.")
    services.paragraph_edit(user=world.performance, report=report, number=3, text="")
    view = document.build(report).paragraphs[2]
    assert view.edited is False and view.text == view.generated


def test_an_own_paragraph_is_numbered_in_place_and_the_rest_renumber(world, council):
    report = factories.draft_report(world)
    before = [p.key for p in document.build(report).paragraphs]
    services.paragraph_add(user=world.performance, report=report, after=2, text="A person's paragraph.")
    after = document.build(report).paragraphs
    assert after[2].text == "A person's paragraph." and after[2].number == 3
    assert [p.key for p in after if p.key] == before


def test_members_cannot_see_a_draft_but_read_the_published_version(world, council, client_for):
    report = factories.draft_report(world)
    member = client_for("member")
    assert member.get(reverse("reports:draft", args=[report.pk])).status_code == 404
    listing = member.get(reverse("reports:list"))
    assert "July 2006" not in listing.content.decode()
    version = services.report_publish(user=world.performance, report=report, note="")
    page = member.get(reverse("reports:version", args=[report.pk, version.number]))
    assert page.status_code == 200
    assert "For the full set of strategic performance indicators 3 of 8" in page.content.decode()
    assert member.get(reverse("reports:draft", args=[report.pk])).status_code == 404


def test_members_cannot_publish_and_nothing_is_written(world, council, client_for):
    report = factories.draft_report(world)
    response = client_for("member").post(reverse("reports:publish", args=[report.pk]), {"note": "x"})
    assert response.status_code == 404
    assert not PublishedVersion.objects.filter(report=report).exists()


def test_the_draft_page_runs_a_fixed_number_of_queries(world, client_for, django_assert_num_queries):
    factories.small_council(world, size=3)
    report = factories.draft_report(world)
    client = client_for("performance")
    url = reverse("reports:draft", args=[report.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    from indicators.models import IndicatorSet
    from tests import factories as base

    lpsa = IndicatorSet.objects.get(code="LPSA2G")
    for i in range(20):
        ind = base.indicator(f"XX{i:03d}", title=f"More {i}", action_plan_robust=True)
        ind.sets.add(lpsa)
        base.target(ind, "2006/07", 10)
        base.reading(ind, "2006-07", 1)
    # One more when the figures changed: the SPC judgement of unchanged figures is reused without reading them.
    with django_assert_num_queries(len(small) + 1):
        assert client.get(url).status_code == 200


def test_the_published_page_runs_a_fixed_number_of_queries(world, council, client_for, django_assert_num_queries):
    report = factories.draft_report(world)
    version = services.report_publish(user=world.performance, report=report, note="")
    client = client_for("member")
    client.get(reverse("home"))
    with django_assert_num_queries(7):
        assert client.get(reverse("reports:version", args=[report.pk, version.number])).status_code == 200


def _pdf_bytes(version):
    return {p.part: storage.part_path(p).read_bytes() for p in version.parts.all()}


def _render(version):
    from reports import tasks

    tasks.render_version_pdfs.call(version.pk)


def test_a_correction_after_publication_leaves_what_members_saw_byte_for_byte(world, council, media, client_for):
    report = factories.draft_report(world)
    first = services.report_publish(user=world.performance, report=report, note="")
    _render(first)
    first.refresh_from_db()
    html, figures, pdfs = first.html, first.figures_json, _pdf_bytes(first)
    assert set(pdfs) == {"report", "A1", "A2", "B", "C", "D", "E", "F", "G", "H"}

    Reading.objects.filter(indicator=council[1], period__key="2006-07").update(actual=Decimal(10))
    second = services.report_publish(user=world.performance, report=report, note="SS001 July figure corrected")
    _render(second)

    first = PublishedVersion.objects.get(pk=first.pk)
    assert first.html == html and first.figures_json == figures
    assert _pdf_bytes(first) == pdfs
    member = client_for("member")
    served = member.get(reverse("reports:pdf", args=[report.pk, 1, "report"]))
    assert b"".join(served.streaming_content) == pdfs["report"]
    assert json.loads(member.get(reverse("reports:json", args=[report.pk, 1])).content)["indicators"]["R"] == 3

    # The correction says what changed, and the difference is visible on its page.
    assert json.loads(second.figures_json)["indicators"]["R"] == 4
    page = member.get(reverse("reports:version", args=[report.pk, 2])).content.decode()
    assert "SS001 July figure corrected" in page
    assert "What changed from version 1" in page
    assert '<del class="app-diff__removed">3</del>' in page and '<ins class="app-diff__added">4</ins>' in page
    assert "V2" in second.html and "SS001 July figure corrected" in second.html  # the document log


def test_the_pdfs_are_tagged_a4_and_say_what_the_page_says(world, council, media):
    report = factories.draft_report(world)
    version = services.report_publish(user=world.performance, report=report, note="")
    _render(version)
    report_part = version.parts.get(part="report")
    assert report_part.filename == "2006-09-07 Cabinet - Integrated performance report.pdf"
    assert version.parts.get(part="C").filename == (
        "2006-09-07 Cabinet - Integrated performance report - Appendix C.pdf"
    )
    main = assert_accessible_pdf(
        storage.part_path(report_part),
        title="Herefordshire Council – Cabinet, 7 September 2006 – Integrated performance report",
        contains=("INTEGRATED PERFORMANCE REPORT", "Considerations", "Page 1 of",
                  "For the full set of strategic performance indicators 3 of 8 have been marked as R",
                  "Alternative Options", "Background Papers"),
    )
    assert a4(main.page_sizes), f"A4 portrait: {set(main.page_sizes)}"
    a1 = assert_accessible_pdf(storage.part_path(version.parts.get(part="A1")), contains=("SS000", "July comment 0"))
    assert a4(a1.page_sizes, landscape=True), f"A4 landscape: {set(a1.page_sizes)}"
    # Every appendix too: tagged, titled, fonts embedded and PDF/UA-1 in structure.
    parts = list(version.parts.exclude(part__in=["report", "A1"]))
    assert len(parts) >= 6, [p.part for p in parts]
    for part in parts:
        assert_accessible_pdf(storage.part_path(part), title=part.title)


def test_publishing_and_exporting_are_audited(world, council, client_for):
    report = factories.draft_report(world)
    response = client_for("performance").post(reverse("reports:publish", args=[report.pk]),
                                              {"note": "", "confirm": "on", "token": "a-token-from-the-publish-form"})
    version = PublishedVersion.objects.get(report=report)
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="report_published", object_id=str(version.pk)).exists()
    client_for("member").get(reverse("reports:csv", args=[report.pk, 1, "A1"]))
    assert AuditEvent.objects.filter(action="report_exported", username="member").exists()


def test_csv_tables_cannot_carry_a_formula(world, council, client_for):
    report = factories.draft_report(world)
    services.report_publish(user=world.performance, report=report, note="")
    body = client_for("member").get(reverse("reports:csv", args=[report.pk, 1, "A1"])).content.decode()
    assert "'=HYPERLINK" in body
    assert ",=HYPERLINK" not in body and '"=HYPERLINK' not in body


def test_a_correction_needs_a_note(world, council, client_for):
    report = factories.draft_report(world)
    services.report_publish(user=world.performance, report=report, note="")
    response = client_for("performance").post(reverse("reports:publish", args=[report.pk]),
                                              {"note": " ", "token": "a-token-from-the-publish-form"})
    assert response.status_code == 200
    assert "Say what this correction changes" in response.content.decode()
    assert PublishedVersion.objects.filter(report=report).count() == 1


def test_a_published_version_refuses_to_be_saved_again(world, council):
    report = factories.draft_report(world)
    version = services.report_publish(user=world.performance, report=report, note="")
    version.html = "changed"
    with pytest.raises(ValueError):
        version.save()
    assert PublishedVersion.objects.get(pk=version.pk).html != "changed"


def test_publishing_queues_the_pdfs_for_the_worker(world, council, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    report = factories.draft_report(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.report_publish(user=world.performance, report=report, note="")
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "reports.tasks.render_version_pdfs"


def test_the_draft_page_shows_edit_links_only_to_the_performance_team(world, council, client_for):
    report = factories.draft_report(world)
    edit = reverse("reports:paragraph", args=[report.pk, 1])
    assert edit in client_for("performance").get(reverse("reports:draft", args=[report.pk])).content.decode()
    assert edit not in client_for("officer").get(reverse("reports:draft", args=[report.pk])).content.decode()
    assert Paragraph.objects.filter(report=report).count() == 0  # reading a draft writes nothing


def test_the_document_log_lists_every_version_without_reading_their_pages(world, council):
    """Each version keeps its page and figures (megabytes at council scale): the log reads three columns."""
    report = factories.draft_report(world)
    for number in (1, 2, 3):
        PublishedVersion.objects.create(
            report=report, number=number, body=report.body, meeting_date=date(2006, 9, 7),
            note="" if number == 1 else f"Correction {number}", html="<p>Frozen</p>" * 1000, figures_json="{}",
            published_by=world.performance,
        )

    with CaptureQueriesContext(connection) as read:
        log = document.document_log(report)

    assert [(row["version"], row["description"]) for row in log] == [
        ("V1", "Published to the meeting"), ("V2", "Correction 2"), ("V3", "Correction 3")]
    [query] = read.captured_queries
    assert "html" not in query["sql"] and "figures_json" not in query["sql"]
