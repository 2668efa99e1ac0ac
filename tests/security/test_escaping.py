"""Whatever people type is shown as text, never run: on every page that shows it and in the PDFs."""

from __future__ import annotations

import pytest
from django.urls import reverse

from budgets.models import RevenueLine
from improvement_plans.models import Action, ElementAssessment, ProgressUpdate
from indicators.models import Indicator, Reading
from organisation import audit
from organisation.models import Period
from reports import services as report_services
from risks.models import Risk, RiskReview
from tests.pdfs import read_pdf

SCRIPT = "<script>alert(1)</script>"
PAYLOAD = SCRIPT + '"><img src=x onerror=alert(1)>'
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


@pytest.fixture
def planted(world):
    """The payload in every kind of free text: figures' commentary, titles, plans, risks, budgets, the audit log."""
    Period.objects.filter(pk=world.period.pk).update(state=Period.OPEN)
    Reading.objects.filter(indicator=world.indicator, period=world.period).update(
        commentary=PAYLOAD, remedial_action=PAYLOAD, state=Reading.SUBMITTED)
    Indicator.objects.filter(pk=world.other_indicator.pk).update(title=PAYLOAD)
    Action.objects.filter(pk=world.action.pk).update(progress=PAYLOAD, text=PAYLOAD)
    ProgressUpdate.objects.filter(pk=world.pending_update.pk).update(progress=PAYLOAD)
    ElementAssessment.objects.filter(element=world.element).update(commentary=f"{PAYLOAD}\nSecond point")
    Risk.objects.filter(pk=world.risk.pk).update(title=PAYLOAD)
    RiskReview.objects.filter(risk=world.risk).update(commentary=PAYLOAD)
    RevenueLine.objects.filter(pk=world.revenue_line.pk).update(commentary=PAYLOAD, service=PAYLOAD)
    audit.record(user=world.officer, action="reading_saved", summary=PAYLOAD)
    return world


def _pages(w):
    """(role, url, shows the payload) for every page that shows typed text."""
    return [
        ("officer", reverse("indicators:detail", args=[w.indicator.pk]), True),
        ("performance", reverse("indicators:detail", args=[w.other_indicator.pk]), True),
        ("performance", reverse("indicators:list") + "?period=2006-07", True),
        ("officer", reverse("indicators:updates") + f"?period={w.period.pk}", True),
        ("approver", reverse("indicators:approvals") + f"?period={w.period.pk}", True),
        ("performance", reverse("improvement_plans:plan", args=[w.plan.pk]), True),
        ("performance", reverse("improvement_plans:exceptions", args=[w.plan.pk]) + "?on=2006-10-12", True),
        ("officer", reverse("improvement_plans:action", args=[w.action.pk]), True),
        ("officer", reverse("improvement_plans:updates", args=[w.plan.pk]), True),
        ("approver", reverse("improvement_plans:approvals"), True),
        ("officer", reverse("risks:register") + "?period=2006-04", True),
        ("officer", reverse("risks:detail", args=[w.risk.pk]), True),
        ("officer", reverse("risks:heat_map") + "?period=2006-04", True),
        ("officer", reverse("budgets:revenue") + "?period=2006-07", True),
        ("performance", reverse("organisation:audit_log"), True),
        ("performance", reverse("reports:draft", args=[w.report.pk]), True),
    ]


def test_every_page_shows_typed_markup_as_text(planted, client_for):
    for role, url, shown in _pages(planted):
        page = client_for(role).get(url).content.decode()
        assert SCRIPT not in page, url
        assert "<img src=x" not in page, url
        if shown:
            assert ESCAPED in page, f"{url} should show the typed text (escaped)"


def test_a_published_report_shows_typed_markup_as_text(planted, client_for):
    version = report_services.report_publish(user=planted.performance, report=planted.report, note="")
    page = client_for("member").get(reverse("reports:version", kwargs={
        "pk": planted.report.pk, "number": version.number})).content.decode()
    assert SCRIPT not in page and "<img src=x" not in page
    assert ESCAPED in page


def test_an_edited_report_paragraph_is_shown_as_text(planted, client_for):
    client_for("performance").post(reverse("reports:paragraph", kwargs={"pk": planted.report.pk, "number": 1}),
                                   {"action": "save", "text": PAYLOAD, "heading": ""})
    page = client_for("approver").get(reverse("reports:draft", args=[planted.report.pk])).content.decode()
    assert SCRIPT not in page and ESCAPED in page


def _pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF")
    return read_pdf(data).text


def _squashed(text: str) -> str:
    return "".join(text.split())


def test_the_plan_pdf_prints_typed_markup_literally(planted, client_for):
    response = client_for("performance").get(reverse("improvement_plans:plan_pdf", args=[planted.plan.pk]))
    assert _squashed(SCRIPT) in _squashed(_pdf_text(response.content))


def test_the_exceptions_pdf_prints_typed_markup_literally(planted, client_for):
    response = client_for("performance").get(
        reverse("improvement_plans:exceptions_pdf", args=[planted.plan.pk]) + "?on=2006-10-12")
    assert _squashed(SCRIPT) in _squashed(_pdf_text(response.content))


def test_the_reports_appendix_pdf_prints_typed_markup_literally(planted):
    from core import pdf

    version = report_services.report_publish(user=planted.performance, report=planted.report, note="")
    part = version.parts.get(part="A1")
    assert SCRIPT not in part.html
    assert _squashed(SCRIPT) in _squashed(_pdf_text(pdf.html_to_pdf(part.html, base_url="/")))
