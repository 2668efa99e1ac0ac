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


# --- Print -----------------------------------------------------------------------------------
# WeasyPrint's time grows with every element, class and line it lays out, so the PDFs get their own
# markup: no classes on ordinary cells, the status as a cell background behind its word, column
# widths worked out here (fixed table layout) rather than by measuring every cell, and a one-path
# sparkline that keeps its text alternative as the figure's title (the PDF's /Alt).

STATUS_CLASS = {"G": "sG", "A": "sA", "R": "sR", "B": "sB"}
SHORT = 16  # a column whose longest value is at most this many characters is sized to fit it
LINE = 165  # characters of 8 pt type across a landscape A4 page, less margins and cell padding
FIXED_FROM = 40  # rows from which a table is laid out with worked-out widths; smaller ones measure their cells
SPARK_W, SPARK_H = 60, 16


def _shown(value, kind: str) -> str:
    """A cell's HTML as the reader sees it (escaped), for both the page and print."""
    if kind == "text":
        return "" if value is None else _escape(str(value), quote=False).replace("\n", "<br>")
    if kind == "number" and value is not None and value != "":
        text = str(value)
        return presenters.number(text, len(text.split(".", 1)[1]) if "." in text else 0)
    return conditional_escape(report_tags.cell(value, kind))


def _plain(value, kind: str) -> str:
    if kind == "status":
        return presenters.status(value).word + " (X)" if value else "No status"
    if kind == "number":
        return presenters.number(str(value)) if value not in (None, "") else "available"
    if kind in ("money", "percent", "date"):
        return str(report_tags.cell(value, kind))
    return "" if value is None else str(value)


def column_widths(table: dict, *, extra: list[int] = (), line: int = LINE) -> list[int]:
    """Whole percentages for each column: short columns fit their longest value, long text shares the rest.

    Widths are in characters of the table's type until the end; `line` is how many fit across
    the page. Short columns (codes, figures, statuses) are given what they need first, since
    a code broken over two lines is unreadable; long text wraps in what is left.
    """
    columns, rows = table["columns"], table["rows"]
    short, long = {}, {}
    for i, c in enumerate(columns):
        lengths = [len(_plain(r[i] if i < len(r) else None, c["kind"])) for r in rows] or [0]
        header_word = max((len(w) for w in c["label"].split()), default=1)
        longest = max(lengths)
        if longest <= SHORT or c["kind"] != "text":
            # Codes, figures and bold headings are wider than average text; 2.5 characters of padding.
            short[i] = max(min(longest, SHORT), header_word) * 1.2 + 2.5
        else:
            long[i] = (sum(lengths) / len(lengths), header_word * 1.2 + 2.5)
    for n, width in enumerate(extra, start=len(columns)):
        short[n] = width
    room = max(line - sum(short.values()), 14 * len(long))
    scale = room / (sum(mean for mean, _ in long.values()) or 1)
    widths = {**short, **{i: max(mean * scale, least) for i, (mean, least) in long.items()}}
    total = sum(widths.values()) or 1
    return [max(1, round(100 * widths[i] / total)) for i in range(len(widths))]


def print_sparkline(values, labels, code: str) -> str:
    """One path per trend, gaps where there is no figure; the figures in words are its title."""
    words = ", ".join(f"{label} {'no data' if v is None else v}" for label, v in zip(labels, values, strict=False))
    known = [float(v) for v in values if v is not None]
    if not known:
        return ""
    lo, hi = min(known), max(known)
    span = (hi - lo) or 1.0
    step = (SPARK_W - 4) / max(len(values) - 1, 1)
    d, pen = [], "M"
    for i, v in enumerate(values):
        if v is None:
            pen = "M"
            continue
        x, y = 2 + i * step, SPARK_H - 2 - (float(v) - lo) / span * (SPARK_H - 4)
        d.append(f"{pen}{x:.1f} {y:.1f}")
        pen = "L"
    if len(known) == 1 or d[-1].startswith("M"):
        d.append("h0.1")  # a lone figure still shows as a dot (round caps)
    return (f'<svg class="spark" viewBox="0 0 {SPARK_W} {SPARK_H}" role="img" xmlns="http://www.w3.org/2000/svg">'
            f'<title>{_escape(f"{code} trend: {words}")}</title><path d="{" ".join(d)}" fill="none" stroke="#0b0c0c" stroke-width="1.2" stroke-linecap="round"/></svg>')


def print_table_html(table: dict, *, figures: dict | None = None, sparklines: bool = False) -> str:
    columns = table["columns"]
    kinds = [c["kind"] for c in columns]
    caption = f'<caption>{escape(table["title"])}</caption>'
    if len(table["rows"]) >= FIXED_FROM:
        widths = column_widths(table, extra=[12] if sparklines else [])
        out = ['<table class="fixed">', caption, "<colgroup>", *(f'<col class="w{w}">' for w in widths),
               "</colgroup><thead><tr>"]
    else:
        out = ["<table>", caption, "<thead><tr>"]
    for c in columns:
        numeric = ' class="n"' if c["kind"] in NUMERIC else ""
        out.append(f'<th scope="col"{numeric}>{escape(c["label"])}</th>')
    if sparklines:
        out.append('<th scope="col">Trend</th>')
    out.append("</tr></thead><tbody>")
    series = (figures or {}).get("series", {}) if sparklines else {}
    labels = (figures or {}).get("series_labels", [])
    for row in table["rows"]:
        out.append("<tr>")
        for i, value in enumerate(row):
            kind = kinds[i] if i < len(kinds) else "text"
            if i == 0:
                out.append(f'<th scope="row">{_shown(value, kind)}</th>')
            elif kind == "status":
                view = presenters.status(value)
                shown = f"{view.word} ({view.code})" if value else "No status"
                css = f' class="{STATUS_CLASS[view.code]}"' if view.code in STATUS_CLASS else ""
                out.append(f"<td{css}>{shown}</td>")
            elif kind in NUMERIC:
                out.append(f'<td class="n">{_shown(value, kind)}</td>')
            else:
                out.append(f"<td>{_shown(value, kind)}</td>")
        if sparklines:
            values = series.get(row[0])
            out.append(f"<td>{print_sparkline(values, labels, str(row[0])) if values else ''}</td>")
        out.append("</tr>")
    if not table["rows"]:
        out.append(f'<tr><td colspan="{len(columns) + bool(sparklines)}">None.</td></tr>')
    out.append("</tbody></table>")
    return "".join(out)


def csv_url_for(doc, key: str, *, for_print: bool) -> str:
    if for_print or not key or doc.version is None:
        return ""
    return reverse("reports:csv", args=[doc.report.pk, doc.version.number, key])
