"""How one report table cell reads, shared by the table templates' filters and reports.tables."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils.html import conditional_escape, format_html, linebreaks
from django.utils.safestring import mark_safe

from core import presenters
from reports import sources


def _decimals_of(text: str) -> int:
    return len(text.split(".", 1)[1]) if "." in text else 0


def cell(value, kind):
    """One table cell as a reader sees it; a missing figure says so rather than showing zero."""
    if kind == "status":
        if not value:
            return "No status"
        view = presenters.status(value)
        return format_html('<strong class="govuk-tag {} app-status">{} ({})</strong>', view.css, view.word, view.code)
    if kind in ("number", "money", "percent"):
        if value is None or value == "":
            return "Not yet available" if kind == "number" else ""
        try:
            amount = Decimal(str(value))
        except (InvalidOperation, ValueError):
            return value
        if kind == "money":
            return presenters.money(amount)
        if kind == "percent":
            return f"{amount.quantize(Decimal('0.1'))}%"
        return presenters.number(amount, _decimals_of(str(value)))
    if kind == "date":
        if not value:
            return ""
        try:
            return presenters.long_date(date.fromisoformat(str(value)))
        except ValueError:
            return value
    if value is None:
        return ""
    return mark_safe(conditional_escape(str(value)).replace("\n", "<br>"))  # noqa: S308 - escaped first


def prose(text):
    """A paragraph as people typed it: blank lines start new paragraphs, single breaks stay."""
    return mark_safe(linebreaks(text or "", autoescape=True))  # noqa: S308 - linebreaks escapes the text


def sparkline(figures, code, title=""):
    values = figures.get("series", {}).get(code)
    if not values:
        return ""
    labels = figures.get("series_labels", [])
    words = ", ".join(
        f"{label} {'no data' if v is None else v}" for label, v in zip(labels, values, strict=False)
    )
    return mark_safe(sources.sparkline(values, label=f"{code} trend: {words}"))  # noqa: S308 - chart escapes its text
