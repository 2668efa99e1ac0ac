"""A report table as GOV.UK table HTML, written in Python because appendices run to thousands of cells.

The template engine takes seconds over a 1,000-indicator appendix; this does the same markup,
escaping every value, in a fraction of that.
"""

from __future__ import annotations

import re
from html import escape as _escape

from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import conditional_escape, escape
from django.utils.text import slugify

from core import presenters
from reports import cells, sources

NUMERIC = {"number", "money", "percent"}
# A figure as sources.fixed writes it ("-1234.5"): already at its own decimals, so formatting it
# needs no rounding; anything else goes through presenters.number as before.
_PLAIN_FIGURE = re.compile(r"-?[0-9]{1,18}(?:\.[0-9]{1,9})?")


def number_cell(text: str) -> str:
    """A number cell's text with thousands separators at the decimals it was written with."""
    if _PLAIN_FIGURE.fullmatch(text) is None:
        return presenters.number(text, len(text.split(".", 1)[1]) if "." in text else 0)
    # What presenters.number gives for it (its rounding is a no-op here), done on the text.
    sign = "-" if text[0] == "-" else ""
    whole, point, fraction = text.lstrip("-").partition(".")
    return f"{sign}{int(whole):,}{point}{fraction}"


def table_html(table: dict, *, key: str = "", figures: dict | None = None, csv_url: str = "",
               sparklines: bool = False, sparkline_cache: dict | None = None) -> str:
    """The table as the page shows it. `sparkline_cache` ({code: svg}) lets the tables of one
    document share the trend lines of the indicators they both list (A(1) and F)."""
    columns = table["columns"]
    kinds = [c["kind"] for c in columns]
    # The scroll region keeps a wide appendix inside the page on a phone (WCAG 1.4.10 reflow).
    out = [f'<div class="app-table-scroll" role="region" aria-label="{escape(table["title"])}" tabindex="0">'
           '<table class="govuk-table app-table--compact app-report__table">',
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
    statuses: dict = {}  # a status cell's markup depends only on its code
    sparks = {} if sparkline_cache is None else sparkline_cache
    for row in rows:
        out.append('<tr class="govuk-table__row">')
        for i, value in enumerate(row):
            kind = kinds[i] if i < len(kinds) else "text"
            if kind == "text":
                shown = "" if value is None else _escape(str(value), quote=False).replace("\n", "<br>")
            elif kind == "number" and value is not None and value != "":
                shown = number_cell(str(value))
            elif kind == "status" and isinstance(value, str | None):
                shown = statuses.get(value)
                if shown is None:
                    shown = statuses[value] = conditional_escape(cells.cell(value, kind))
            elif kind == "spc":
                shown = sources.spc_badge(value)
            else:
                shown = conditional_escape(cells.cell(value, kind))
            if i == 0:
                out.append(f'<th scope="row" class="govuk-table__header">{shown}</th>')
            else:
                numeric = " govuk-table__cell--numeric" if kind in NUMERIC else ""
                out.append(f'<td class="govuk-table__cell{numeric}">{shown}</td>')
        if sparklines:
            code = row[0]
            spark = sparks.get(code) if isinstance(code, str) else None
            if spark is None:
                spark = cells.sparkline(figures or {}, code)
                if isinstance(code, str):
                    sparks[code] = spark
            out.append(f'<td class="govuk-table__cell">{spark}</td>')
        out.append("</tr>")
    if not rows:
        out.append(f'<tr class="govuk-table__row"><td class="govuk-table__cell" colspan="{len(columns)}">None.</td></tr>')
    out.append("</tbody></table></div>")
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
    if kind == "spc":
        return sources.spc_badge(value)
    if kind == "text":
        return "" if value is None else _escape(str(value), quote=False).replace("\n", "<br>")
    if kind == "number" and value is not None and value != "":
        return number_cell(str(value))
    return conditional_escape(cells.cell(value, kind))


def _plain(value, kind: str) -> str:
    if kind == "status":
        return presenters.status(value).word + " (X)" if value else "No status"
    if kind == "number":
        return presenters.number(str(value)) if value not in (None, "") else "available"
    if kind in ("money", "percent", "date"):
        return str(cells.cell(value, kind))
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


# --- Appendix A(2): the template of each indicator marked R ------------------------------------
# Written here for the same reason as the tables: a council with two hundred indicators marked R
# has two hundred templates, and the template engine spent more on them than on the rest of the report.

def _value(value) -> str:
    """A value as {{ value }} writes it: localized, then escaped unless already safe."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return _escape(value if isinstance(value, str) else str(localize(value)))  # what django's escape does


def _figure(value) -> str:
    """A figure as {{ value|cell:"number" }} writes it."""
    if isinstance(value, str) and _PLAIN_FIGURE.fullmatch(value):
        return number_cell(value)  # digits, separators and a sign: nothing to escape
    return _value(cells.cell(value, "number"))


def _template_parts(t: dict) -> dict:
    code = t.get("code", "")
    baseline, annual = t.get("baseline"), t.get("annual_target")
    if baseline is not None:
        period = t.get("baseline_period")
        baseline_html = _figure(baseline) + (f" ({_value(period)})" if period else "")
    else:
        baseline_html = "No baseline recorded"
    milestones = t.get("milestones") or []
    return {
        "slug": _value(slugify(code)),
        "heading": f"{_value(code)} {_value(t.get('title', ''))}",
        "reason": _value(t.get("reason") or "Not stated")
        + ("" if t.get("template_complete") else " (the template is incomplete)"),
        "definition": _value(t.get("definition") or "No definition recorded."),
        "lead": _value(t.get("lead") or "Not recorded"),
        "baseline": baseline_html,
        "annual": _figure(annual) if annual is not None else "No target set",
        "milestones": "; ".join(
            f"{_value(m.get('period', ''))}: {_figure(m.get('target'))}" for m in milestones
        ) or "No milestones set",
        "plan": cells.prose(t["action_plan"]) if t.get("action_plan") else "",
        "robust": bool(t.get("action_plan_robust")),
    }


def templates_html(templates: list[dict], *, for_print: bool) -> str:
    """Appendix A(2): each template as a definition list (the page's summary list, or print's plain one)."""
    if not templates:
        return '<p>No indicators are marked R.</p>' if for_print else '<p class="govuk-body">No indicators are marked R.</p>'
    out = []
    for t in templates:
        p = _template_parts(t)
        if for_print:
            plan = (p["plan"] + ("" if p["robust"] else " <p>Not yet judged robust.</p>")) if p["plan"] else "No action plan yet"
            out.append(
                f'\n<section class="tpl" aria-labelledby="template-{p["slug"]}"><h3 id="template-{p["slug"]}">{p["heading"]}</h3>\n'
                f'<dl><div><dt>Why R</dt><dd>{p["reason"]}</dd></div>\n'
                f'<div><dt>Definition</dt><dd>{p["definition"]}</dd></div>\n'
                # One term and its description to a row (valid HTML, and a PDF list item each); three share a line.
                f'<div class="tpl-pair"><dt>Lead</dt><dd>{p["lead"]}</dd></div> '
                f'<div class="tpl-pair"><dt>Baseline</dt><dd>{p["baseline"]}</dd></div> '
                f'<div class="tpl-pair"><dt>Target for the year</dt><dd>{p["annual"]}</dd></div>\n'
                f'<div><dt>Milestones</dt><dd>{p["milestones"]}</dd></div>\n'
                f'<div><dt>Action plan</dt><dd>{plan}</dd></div></dl></section>\n'
            )
            continue
        plan = ((p["plan"] + ("" if p["robust"] else '<p class="govuk-body">Not yet judged robust.</p>'))
                if p["plan"] else "No action plan yet")
        row = '    <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">{}</dt><dd class="govuk-summary-list__value">{}</dd></div>\n'
        out.append(
            f'\n<section class="app-report__template" aria-labelledby="template-{p["slug"]}">\n'
            f'  <h3 class="govuk-heading-s" id="template-{p["slug"]}">{p["heading"]}</h3>\n'
            '  <dl class="govuk-summary-list govuk-summary-list--no-border app-report__template-list">\n'
            + row.format("Why R", p["reason"]) + row.format("Definition", p["definition"])
            + row.format("Lead", p["lead"]) + row.format("Baseline", p["baseline"])
            + row.format("Target for the year", p["annual"]) + row.format("Milestones", p["milestones"])
            + row.format("Action plan", plan)
            + "  </dl>\n</section>\n"
        )
    return "".join(out)


def csv_url_for(doc, key: str, *, for_print: bool) -> str:
    if for_print or not key or doc.version is None:
        return ""
    return reverse("reports:csv", args=[doc.report.pk, doc.version.number, key])
