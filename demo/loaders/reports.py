"""Loads the demo council's reports: May 2006 published to Cabinet, and the July 2006 draft of seed 000."""

import json
from datetime import date, datetime

from django.conf import settings
from django.contrib.auth import get_user_model

from reports import document, services
from reports.models import Paragraph

SOURCE = settings.BASE_DIR / "fixtures" / "demo" / "reports.json"
COVER = [name for name in services.COVER_FIELDS if name not in ("meeting_date",)]


def load(*, stdout=None):
    data = json.loads(SOURCE.read_text(encoding="utf-8"))
    user = get_user_model().objects.filter(username="performance").first()
    written = []
    for row in data["reports"]:
        cover = {name: row[name] for name in COVER if name in row}
        report = services.report_create(user=user, period_key=row["period"],
                                        meeting_date=date.fromisoformat(row["meeting_date"]), **cover)
        _paragraphs(report, row["paragraphs"], user)
        if row.get("publish"):
            services.report_publish(user=user, report=report, note=row["publish"]["note"],
                                    at=datetime.fromisoformat(row["publish"]["at"]))
            written.append(f"{report.period.label} published")
        else:
            written.append(f"{report.period.label} draft")
    if stdout:
        stdout.write("Reports: " + "; ".join(written) + " (author and contact illustrative)")


def _paragraphs(report, rows, user):
    """Store the paragraphs in the order given, 000's words kept as edits of the generated ones."""
    if not rows:
        return
    drafted = {p.key: p for p in document.build(report).paragraphs if p.key}
    for order, row in enumerate(rows, start=1):
        key = row.get("key", "")
        generated = drafted[key].generated if key in drafted else ""
        text = row.get("text", "")
        if row.get("append"):
            text = f"{generated} {row['append']}".strip()
        Paragraph.objects.create(
            report=report, key=key, heading=row.get("heading", drafted[key].heading if key in drafted else ""),
            order=order * 100, generated_text=generated, edited_text=text,
            edited_against=generated if (key and text) else "", edited_by=user if text else None,
        )
