"""Filters for the report's document templates: table cells by kind, paragraph text, charts."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django import template
from django.utils.html import conditional_escape, format_html, linebreaks
from django.utils.safestring import mark_safe

from councilperf import presenters
from reports import charts, sources

register = template.Library()


def _decimals_of(text: str) -> int:
    return len(text.split(".", 1)[1]) if "." in text else 0


@register.filter
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


@register.filter
def numeric(kind):
    return kind in ("number", "money", "percent")


@register.filter
def prose(text):
    """A paragraph as people typed it: blank lines start new paragraphs, single breaks stay."""
    return mark_safe(linebreaks(text or "", autoescape=True))  # noqa: S308 - linebreaks escapes the text


@register.simple_tag
def sparkline(figures, code, title=""):
    values = figures.get("series", {}).get(code)
    if not values:
        return ""
    labels = figures.get("series_labels", [])
    words = ", ".join(
        f"{label} {'no data' if v is None else v}" for label, v in zip(labels, values, strict=False)
    )
    return mark_safe(sources.sparkline(values, label=f"{code} trend: {words}"))  # noqa: S308 - chart escapes its text


@register.simple_tag
def status_chart(sets):
    if not sets:
        return ""
    return mark_safe(charts.status_bars(sets))  # noqa: S308 - names escaped in charts.status_bars


@register.filter
def heat_class(band):
    return "app-heat--" + "".join(ch for ch in (band or "none").lower() if ch.isalnum())


@register.simple_tag(takes_context=True)
def report_table(context, table, key="", sparklines=False):
    from reports import tables

    doc = context["doc"]
    if context.get("for_print"):
        return mark_safe(tables.print_table_html(table, figures=doc.figures, sparklines=sparklines))  # noqa: S308 - escaped cell by cell
    url = tables.csv_url_for(doc, key, for_print=bool(context.get("for_print")))
    return mark_safe(tables.table_html(table, key=key, figures=doc.figures, csv_url=url, sparklines=sparklines,  # noqa: S308 - escaped cell by cell
                                       sparkline_cache=context.get("sparkline_cache")))


@register.simple_tag
def report_templates(templates, for_print=False):
    """Appendix A(2)'s templates, written by reports.tables (escaped value by value)."""
    from reports import tables

    return mark_safe(tables.templates_html(templates or [], for_print=bool(for_print)))  # noqa: S308 - escaped value by value
