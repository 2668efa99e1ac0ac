"""Writes to reports: create, edit the cover and paragraphs, publish (freeze) and store rendered PDFs."""

from __future__ import annotations

import difflib
import json
import logging

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from core import clock
from organisation import audit
from organisation.models import Period

from . import document as document_module
from . import figures as figures_module
from . import render, storage, tasks
from .models import Paragraph, PublishedPart, PublishedVersion, Report

log = logging.getLogger(__name__)

COVER_FIELDS = (
    "body", "meeting_date", "title", "portfolio_responsibility", "wards_affected", "purpose", "key_decision",
    "recommendations", "reasons", "author", "contact", "alternative_options", "risk_management", "consultees",
    "background_papers",
)


@transaction.atomic
def report_create(*, user, period_key: str, meeting_date, portfolio=None, **cover) -> Report:
    report = Report(period=Period.get_or_create_for(period_key), portfolio=portfolio, meeting_date=meeting_date,
                    created_by=user)
    for name, value in cover.items():
        if name not in COVER_FIELDS:
            raise TypeError(f"unknown cover field {name}")
        setattr(report, name, value)
    if not report.purpose:
        report.purpose = (
            f"To note performance to the end of {report.period.label} against the Annual Operating Plan, together "
            "with performance against revenue and capital budgets and corporate risks, and remedial action to "
            "address areas of under-performance."
        )
    if not report.recommendations:
        report.recommendations = (
            f"THAT performance to the end of {report.period.label} be noted, and remedial action to address "
            "areas of under-performance be considered."
        )
    report.save()
    audit.record(user=user, action="report_created", obj=report, summary=str(report))
    return report


@transaction.atomic
def report_update_cover(*, user, report: Report, **cover) -> Report:
    for name, value in cover.items():
        if name not in COVER_FIELDS:
            raise TypeError(f"unknown cover field {name}")
        setattr(report, name, value)
    report.updated_at = timezone.now()
    report.save()
    audit.record(user=user, action="report_cover_changed", obj=report, summary=f"{report}: {', '.join(sorted(cover))}")
    return report


@transaction.atomic
def paragraph_edit(*, user, report: Report, number: int, text: str, heading: str | None = None) -> Paragraph:
    """Keep a person's words for paragraph `number`; blank words on a generated paragraph hand it back to the app."""
    doc = document_module.build(report)
    view = next(p for p in doc.paragraphs if p.number == number)
    paragraph = _stored(report, view)
    text = text.strip()
    if view.key and (not text or text == view.generated.strip()):
        paragraph.edited_text = ""
        paragraph.edited_against = ""
        paragraph.edited_by, paragraph.edited_at = None, None
    else:
        paragraph.edited_text = text
        paragraph.edited_against = view.generated
        paragraph.edited_by, paragraph.edited_at = user, timezone.now()
    paragraph.generated_text = view.generated
    if heading is not None:
        paragraph.heading = heading.strip()
    paragraph.save()
    report.updated_at = timezone.now()
    report.save(update_fields=["updated_at"])
    audit.record(user=user, action="report_paragraph_edited", obj=report,
                 summary=f"{report}: paragraph {number} " + ("handed back to the figures" if not paragraph.edited_text else "edited"))
    return paragraph


@transaction.atomic
def paragraph_add(*, user, report: Report, after: int, text: str, heading: str = "") -> Paragraph:
    """A person's own paragraph after paragraph `after` (0 = at the start), under the same heading by default.

    Every paragraph is first stored in its present order, spaced by 100, so the new one has room.
    """
    doc = document_module.build(report)
    stored = {p.pk: p for p in report.paragraphs.all()}
    new_order = 50
    for view in doc.paragraphs:
        order = view.number * 100
        if view.pk is not None:
            p = stored[view.pk]
            if p.order != order:
                p.order = order
                p.save(update_fields=["order"])
        else:
            Paragraph.objects.create(report=report, key=view.key, heading=view.heading, order=order,
                                     generated_text=view.generated)
        if view.number == after:
            new_order = order + 50
    before = next((p for p in doc.paragraphs if p.number == after), None)
    paragraph = Paragraph.objects.create(
        report=report, key="", heading=heading.strip() or (before.heading if before else ""),
        order=new_order, edited_text=text.strip(), edited_by=user, edited_at=timezone.now(),
    )
    audit.record(user=user, action="report_paragraph_added", obj=report, summary=f"{report}: after paragraph {after}")
    return paragraph


@transaction.atomic
def paragraph_delete(*, user, report: Report, number: int) -> None:
    """Remove a person's own paragraph; a generated one is handed back to the app instead."""
    doc = document_module.build(report)
    view = next(p for p in doc.paragraphs if p.number == number)
    if view.pk is None:
        return
    if view.key:
        Paragraph.objects.filter(pk=view.pk).update(edited_text="", edited_against="", edited_by=None, edited_at=None)
    else:
        Paragraph.objects.filter(pk=view.pk).delete()
    audit.record(user=user, action="report_paragraph_removed", obj=report, summary=f"{report}: paragraph {number}")


def _stored(report: Report, view) -> Paragraph:
    if view.pk is not None:
        return Paragraph.objects.get(pk=view.pk)
    # Stored where it reads now; a fractional place (after arranged paragraphs) rounds into the gap.
    return Paragraph(report=report, key=view.key, heading=view.heading, order=int(view.order),
                     generated_text=view.generated)


def _changes(previous: PublishedVersion | None, paragraphs: list[dict]) -> str:
    """Which paragraphs and appendices differ from the previous version, for the document log."""
    if previous is None:
        return "All"
    before = json.loads(previous.figures_json)
    old = {p["number"]: p["text"] for p in before.get("paragraphs", [])}
    changed = [str(p["number"]) for p in paragraphs if old.get(p["number"]) != p["text"]]
    changed += [f"paragraph {n} removed" for n in old if n > len(paragraphs)]
    return ("Paragraphs " + ", ".join(changed)) if changed else "No paragraph changed"


@transaction.atomic
def report_publish(
    *, user, report: Report, note: str = "", request=None, render_now: bool = False, at=None, token: str | None = None
) -> PublishedVersion:
    """Freeze what the report shows now as a new published version and queue its PDFs.

    The HTML, the figures JSON and each PDF's print HTML are stored; nothing about this version
    is ever computed again. A later correction is published as the next version with a note.
    `token` is the publish form's one-time token: a second submit of the same form (a double
    click, four at once) returns the version the first made, with `already` set, and makes none.
    """
    report = Report.objects.select_for_update().get(pk=report.pk)
    if token:
        # Submits of one form wait for one another on the report's row, so the later ones find this.
        made = PublishedVersion.objects.filter(publish_token=token).first()
        if made is not None:
            if made.report_id != report.pk:
                raise ValueError("this publish form belongs to another report")
            made.already = True
            return made
    doc = document_module.build(report)
    # Keep the generated words of every paragraph as they were published.
    stored = {p.key: p for p in report.paragraphs.all() if p.key}
    drafted = {d.key: d for d in document_module.drafting.drafts(doc.figures)}
    for view in doc.paragraphs:
        if not view.key or view.key not in drafted:
            continue
        p = stored.get(view.key) or Paragraph(report=report, key=view.key, heading=view.heading,
                                               order=int(view.order))
        p.generated_text = view.generated
        p.save()

    previous = report.versions.order_by("-number").first()
    number = (report.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = PublishedVersion(
        report=report, number=number, body=report.body, meeting_date=report.meeting_date,
        note=note.strip() or ("First publication" if number == 1 else "Corrected"),
        published_by=user, published_at=at or clock.now(), html="", figures_json="", publish_token=token or None,
    )
    version.already = False
    data = document_module.frozen_figures(doc)
    affected = _changes(previous, data["paragraphs"])
    doc.version = version
    doc.log = document_module.document_log(report, upcoming={
        "version": f"V{number}", "status": "Published", "date": version.published_at.date(),
        "description": version.note, "affected": affected,
    })
    data["version"] = {"number": number, "note": version.note, "published_at": version.published_at.isoformat(),
                       "affected": affected}
    data["document_log"] = [{**row, "date": row["date"].isoformat()} for row in doc.log]
    version.html = render.document_html(doc)
    version.figures_json = figures_module.to_json(data)
    version.save()
    printed = [(part, storage.part_key(part.html)) for part in render.print_parts(doc)]
    # A part made from exactly what a kept PDF of an earlier version was made from shares that file.
    earlier = storage.reusable_parts(report_id=report.pk, keys=[key for _, key in printed])
    for part, key in printed:
        PublishedPart.objects.create(version=version, part=part.part, order=part.order, title=part.title,
                                     html=part.html, filename=part.filename, key=key, reused_from=earlier.get(key))
    audit.record(user=user, action="report_published", obj=version, request=request,
                 summary=f"{report} V{number} to {report.body} {report.meeting_date:%d %B %Y}: {version.note}")

    if render_now:
        transaction.on_commit(lambda: tasks.render_version_pdfs.call(version.pk))
    else:
        transaction.on_commit(lambda: _keep_reused_then_queue(version.pk))
    return version


def _keep_reused_then_queue(version_id: int) -> None:
    """Once the version is committed: share the unchanged parts' files at once (hard links, no
    rendering), then queue the render only if a part is left to make."""
    try:
        storage.parts_reuse(version_id=version_id)
    except Exception:  # noqa: BLE001 - the parts still wait, and the render task shares them itself
        log.exception("PDFs of version %s: sharing the unchanged files failed; the worker will", version_id)
    if PublishedPart.objects.filter(version_id=version_id, state=PublishedPart.PENDING).exists():
        tasks.render_version_pdfs.enqueue(version_id)


def differences(version: PublishedVersion, previous: PublishedVersion | None) -> dict:
    """What a correction changed: paragraphs word by word, and every figure whose value moved."""
    if previous is None:
        return {"paragraphs": [], "figures": []}
    new, old = json.loads(version.figures_json), json.loads(previous.figures_json)
    old_text = {p["number"]: p["text"] for p in old.get("paragraphs", [])}
    paragraphs = []
    for p in new.get("paragraphs", []):
        before = old_text.get(p["number"], "")
        if before != p["text"]:
            paragraphs.append({"number": p["number"], "words": _word_diff(before, p["text"])})
    figures = []
    skip = {"version", "document_log", "paragraphs"}
    for path, was, now in _flat_diff({k: v for k, v in old.items() if k not in skip},
                                     {k: v for k, v in new.items() if k not in skip}):
        figures.append({"path": path, "was": was, "now": now})
    return {"paragraphs": paragraphs, "figures": figures[:200], "more": max(0, len(figures) - 200)}


def _word_diff(before: str, after: str) -> list[tuple[str, str]]:
    a, b = before.split(), after.split()
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(("same", " ".join(a[i1:i2])))
        if op in ("delete", "replace"):
            out.append(("removed", " ".join(a[i1:i2])))
        if op in ("insert", "replace"):
            out.append(("added", " ".join(b[j1:j2])))
    return out


def _flat_diff(old, new, path=""):
    if isinstance(old, dict) and isinstance(new, dict):
        for key in list(dict.fromkeys([*old.keys(), *new.keys()])):
            yield from _flat_diff(old.get(key), new.get(key), f"{path}.{key}" if path else str(key))
    elif isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for i, (a, b) in enumerate(zip(old, new, strict=True)):
            yield from _flat_diff(a, b, f"{path}[{i}]")
    elif old != new:
        yield path, _short(old), _short(new)


def _short(value) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
    return text if len(text) <= 120 else text[:117] + "..."
