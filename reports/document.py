"""A report put together for reading: its figures, its numbered paragraphs (generated or edited) and its appendices."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings

from . import drafting
from . import figures as figures_module
from .models import Paragraph, PublishedVersion, Report


@dataclass
class ParagraphView:
    number: int
    heading: str
    text: str
    key: str
    attachment: str
    generated: str  # what the app would write now ("" for a person's own paragraph)
    edited: bool
    stale: bool  # edited, and the figures beneath have changed since
    pk: int | None
    show_heading: bool = False
    order: float = 0.0


@dataclass
class Document:
    report: Report
    figures: dict
    paragraphs: list[ParagraphView]
    council_name: str
    log: list[dict] = field(default_factory=list)
    version: PublishedVersion | None = None

    @property
    def meeting_label(self) -> str:
        day = self.report.meeting_date
        return f"{self.report.body}, {day.day} {day:%B %Y}"

    @property
    def appendices(self):
        return figures_module.APPENDICES

    @property
    def sections(self) -> list[tuple[str, list[ParagraphView]]]:
        """Paragraphs grouped under their sub-headings, numbering running on across them."""
        out: list[tuple[str, list[ParagraphView]]] = []
        for p in self.paragraphs:
            if not out or p.show_heading:
                out.append((p.heading if p.show_heading else "", []))
            out[-1][1].append(p)
        return out

    @property
    def stale_count(self) -> int:
        return sum(1 for p in self.paragraphs if p.stale)


def merge(report: Report, stored: list[Paragraph], drafts: list[drafting.Draft]) -> list[ParagraphView]:
    """The paragraphs in order: each generated one as drafted now unless a person has edited it.

    A generated paragraph not stored yet (a new set, say) sits right after the generated
    paragraph before it, so a report whose paragraphs people have arranged keeps its order.
    """
    by_key = {p.key: p for p in stored if p.key}
    items: list[tuple[float, int, ParagraphView]] = []
    drafted_keys = set()
    last, step = 0.0, 0
    for draft in drafts:
        drafted_keys.add(draft.key)
        p = by_key.get(draft.key)
        if p is not None:
            order, step = float(p.order), 0
        elif stored:
            step += 1
            order = last + step / 100
        else:
            order = float(draft.order)
        last = order if p is not None or not stored else last
        heading = (p.heading if p is not None and p.heading else draft.heading)
        if p is not None and p.edited_text.strip():
            view = ParagraphView(0, heading, p.edited_text, draft.key, draft.attachment, draft.text, True,
                                 p.edited_against.strip() != draft.text.strip(), p.pk)
        else:
            view = ParagraphView(0, heading, draft.text, draft.key, draft.attachment, draft.text, False, False,
                                 p.pk if p is not None else None)
        view.order = order
        items.append((order, p.pk if p is not None else 0, view))
    for p in stored:
        if not p.key:
            view = ParagraphView(0, p.heading, p.edited_text, "", "", "", True, False, p.pk)
        elif p.key not in drafted_keys and p.edited_text.strip():
            # The figures no longer produce this paragraph (a set emptied), but a person wrote it: keep it.
            view = ParagraphView(0, p.heading, p.edited_text, p.key, "", "", True, True, p.pk)
        else:
            continue
        view.order = float(p.order)
        items.append((view.order, p.pk, view))
    items.sort(key=lambda item: (item[0], item[1]))
    views = [view for _, _, view in items]
    previous_heading = None
    for number, view in enumerate(views, start=1):
        view.number = number
        view.show_heading = bool(view.heading) and view.heading != previous_heading
        previous_heading = view.heading or previous_heading
    return views


def document_log(report: Report, *, upcoming: dict | None = None) -> list[dict]:
    """The document log as in 004: one row per published version, oldest first."""
    # Three columns of each version, never its HTML and figures (megabytes each at council scale).
    rows = [
        {"version": f"V{number}", "status": "Published", "date": published_at.date(),
         "description": note or "Published to the meeting", "affected": ""}
        for number, published_at, note in report.versions.order_by("number").values_list("number", "published_at", "note")
    ]
    if upcoming:
        rows.append(upcoming)
    return rows


def build(report: Report) -> Document:
    """The report as it would be published now (live figures). A fixed number of queries."""
    figures = figures_module.collect(report)
    figures["council"] = settings.COUNCIL_NAME
    # An unsaved report (build_report for a period with no report yet) has no paragraphs or versions.
    stored = list(report.paragraphs.all()) if report.pk else []
    views = merge(report, stored, drafting.drafts(figures))
    return Document(report=report, figures=figures, paragraphs=views, council_name=settings.COUNCIL_NAME,
                    log=document_log(report) if report.pk else [])


def frozen_figures(doc: Document) -> dict:
    """The whole report as data: the figures, the cover and every paragraph's words as published."""
    report = doc.report
    data = dict(doc.figures)
    data["cover"] = {
        "body": report.body, "meeting_date": report.meeting_date.isoformat(), "title": report.title,
        "portfolio_responsibility": report.portfolio_responsibility, "wards_affected": report.wards_affected,
        "purpose": report.purpose, "key_decision": report.key_decision, "recommendations": report.recommendation_list,
        "reasons": report.reasons, "author": report.author, "contact": report.contact,
        "alternative_options": report.alternative_options, "risk_management": report.risk_management,
        "consultees": report.consultees, "background_papers": report.background_papers,
    }
    data["paragraphs"] = [
        {"number": p.number, "heading": p.heading, "text": p.text, "key": p.key, "edited": p.edited}
        for p in doc.paragraphs
    ]
    return data
