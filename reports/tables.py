"""A report table as GOV.UK table HTML, written in Python because appendices run to thousands of cells.

The template engine takes seconds over a 1,000-indicator appendix; this does the same markup,
escaping every value, in a fraction of that.
"""

from __future__ import annotations

from html import escape as _escape

from django.urls import reverse
from django.utils.html import conditional_escape, escape

from councilperf import presenters

from .templatetags import report_tags

NUMERIC = {"number", "money", "percent"}


def table_html(table: dict, *, key: str = "", figures: dict | None = None, csv_url: str = "",
               sparklines: bool = False) -> str:
    columns = table["columns"]
    kinds = [c["kind"] for c in columns]
    out = ['<table class="govuk-table app-table--compact app-report__table">',
           f'<caption class="govuk-table__caption govuk-table__caption--s">{escape(table["title"])}']
    if csv_url:
        out.append(f' <a class="govuk-link govuk-body-s app-no-print" href="{escape(csv_url)}">CSV'
                   f'<span class="govuk-visually-hidden"> of {escape(table["title"])}</span></a>')
    out.append('</caption><thead class="govuk-table__head"><tr class="govuk-table__row">')
    for c in columns:
        numeric = " govuk-table__header--numeric" if c["kind"] in NUMERIC else ""
        out.append(f'<th scope="col" class="govuk-table__header{numeric}">{escape(c["label"])}</th>')
    if sparklines:
        out.append('<th scope="col" class="govuk-table__header">Trend</th>')
    out.append('</tr></thead><tbody class="govuk-table__body">')
    rows = table["rows"]
    for row in rows:
        out.append('<tr class="govuk-table__row">')
        for i, value in enumerate(row):
            kind = kinds[i] if i < len(kinds) else "text"
            if kind == "text":
                shown = "" if value is None else _escape(str(value), quote=False).replace("\n", "<br>")
            elif kind == "number" and value is not None and value != "":
                text = str(value)
                shown = presenters.number(text, len(text.split(".", 1)[1]) if "." in text else 0)
            else:
                shown = conditional_escape(report_tags.cell(value, kind))
            if i == 0:
                out.append(f'<th scope="row" class="govuk-table__header">{shown}</th>')
            else:
                numeric = " govuk-table__cell--numeric" if kind in NUMERIC else ""
                out.append(f'<td class="govuk-table__cell{numeric}">{shown}</td>')
        if sparklines:
            out.append(f'<td class="govuk-table__cell">{report_tags.sparkline(figures or {}, row[0])}</td>')
        out.append("</tr>")
    if not rows:
        out.append(f'<tr class="govuk-table__row"><td class="govuk-table__cell" colspan="{len(columns)}">None.</td></tr>')
    out.append("</tbody></table>")
    return "".join(out)


def csv_url_for(doc, key: str, *, for_print: bool) -> str:
    if for_print or not key or doc.version is None:
        return ""
    return reverse("reports:csv", args=[doc.report.pk, doc.version.number, key])
