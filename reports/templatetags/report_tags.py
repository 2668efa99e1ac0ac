"""Filters for the report's document templates: table cells by kind, paragraph text, charts."""

from django import template
from django.utils.safestring import mark_safe

from reports import cells, charts, sources, tables

register = template.Library()


register.filter("cell", cells.cell)
register.filter("prose", cells.prose)
register.simple_tag(cells.sparkline, name="sparkline")


# What a CSS string may hold as it is; any other ASCII character is written as a CSS escape.
_CSS_PLAIN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,-:()'")


@register.filter(is_safe=True)
def css_string(text):
    """Text for inside a double-quoted CSS string in a <style> element (a running header typed by people).

    Quotes, backslashes and angle brackets could end the string, the rule or the element, and a
    <style> element decodes no HTML entity: every ASCII character but letters, digits, spaces and
    plain punctuation is a six-digit CSS escape and a space (which the escape consumes, so a space
    after it is kept), and line breaks are spaces. Use it with the
    template's autoescaping off inside it, so that it receives the text, not its HTML escape.
    """
    text = " ".join(str(text).split())
    return mark_safe("".join(c if c in _CSS_PLAIN or ord(c) > 127 else f"\\{ord(c):06X} " for c in text))  # noqa: S308 - escaped above


@register.filter
def numeric(kind):
    return kind in ("number", "money", "percent")


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
    doc = context["doc"]
    if context.get("for_print"):
        return mark_safe(tables.print_table_html(table, figures=doc.figures, sparklines=sparklines,  # noqa: S308 - escaped cell by cell
                                                 landscape=bool(context.get("landscape"))))
    url = tables.csv_url_for(doc, key, for_print=bool(context.get("for_print")))
    return mark_safe(tables.table_html(table, key=key, figures=doc.figures, csv_url=url, sparklines=sparklines,  # noqa: S308 - escaped cell by cell
                                       sparkline_cache=context.get("sparkline_cache")))


@register.simple_tag
def spc_key_rows():
    """The key to the SPC icons: icon, name, meaning (the same key as the indicator pages)."""
    return [{**row, "icon": mark_safe(row["icon"])} for row in sources.spc_key()]  # noqa: S308 - drawn by spc_icons


@register.simple_tag
def report_templates(templates, for_print=False):
    """Appendix A(2)'s templates, written by reports.tables (escaped value by value)."""
    return mark_safe(tables.templates_html(templates or [], for_print=bool(for_print)))  # noqa: S308 - escaped value by value
