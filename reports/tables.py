"""A report table's cells, ready for the table partials in reports/templates/reports/tables.html.

Appendices run to thousands of cells, so each cell's text is formatted and escaped here once
(figures at their decimals with separators, statuses in words). The markup is the template's
(ADR 0007): the row and cell partials are rendered once per table with markers in place of
their values (`Pattern`) and repeated, because the template engine spends several microseconds
on each cell and a 1,000-indicator appendix has tens of thousands of them.
"""

from __future__ import annotations

import functools
import re
from html import escape as _escape

from django.template.loader import get_template
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify

from core import presenters
from reports import cells, sources

TEMPLATES = "reports/tables.html"


def _partial(name: str):
    return get_template(f"{TEMPLATES}#{name}")


class Pattern:
    """A partial rendered once, with a marker in place of each value, to be filled many times.

    `Pattern("page_cell", ["html"], numeric=True).fill(html="1,234")` gives what rendering the
    partial with numeric=True and that html gives, for values already escaped (the markers are
    passed as safe text, so the template adds no escaping of its own). The fixed context
    (`numeric`) picks the partial's branches; one pattern is made per partial and branch.
    """

    def __init__(self, name: str, slots: list[str], **fixed):
        markers = {slot: mark_safe(f"\x00{slot}\x00") for slot in slots}  # noqa: S308 - a marker, no markup
        html = _partial(name).render({**fixed, **markers})
        text = html.replace("{", "{{").replace("}", "}}")
        for slot in slots:
            text = text.replace(f"\x00{slot}\x00", "{" + slot + "}")
        self.fill = text.format
        # A cell has one slot: its markup before and after the value, joined inline by the table
        # loops (faster than a call a cell over tens of thousands of cells).
        self.around = tuple(html.split(f"\x00{slots[0]}\x00")) if len(slots) == 1 else None


@functools.cache
def pattern(name: str, slots: tuple[str, ...], **fixed) -> Pattern:
    return Pattern(name, list(slots), **fixed)


NUMERIC = {"number", "money", "percent"}
# A figure as sources.fixed writes it ("-1234.5"): already at its own decimals, so formatting it
# needs no rounding; anything else goes through presenters.number as before.
_PLAIN_FIGURE = re.compile(r"-?[0-9]{1,18}(?:\.[0-9]{1,9})?")
_SHORT_FIGURE = re.compile(r"-?(?:0|[1-9][0-9]{0,2})(?:\.[0-9]{1,9})?")


def number_cell(text: str) -> str:
    """A number cell's text with thousands separators at the decimals it was written with."""
    if _SHORT_FIGURE.fullmatch(text) is not None:
        return text  # at most three digits before the point, no leading zero: no separator to add
    if _PLAIN_FIGURE.fullmatch(text) is None:
        return presenters.number(text, len(text.split(".", 1)[1]) if "." in text else 0)
    # What presenters.number gives for it (its rounding is a no-op here), done on the text.
    sign = "-" if text[0] == "-" else ""
    whole, point, fraction = text.lstrip("-").partition(".")
    return f"{sign}{int(whole):,}{point}{fraction}"


def table_html(table: dict, *, key: str = "", figures: dict | None = None, csv_url: str = "",
               sparklines: bool = False, sparkline_cache: dict | None = None) -> SafeString:
    """The table as the page shows it. `sparkline_cache` ({code: svg}) lets the tables of one
    document share the trend lines of the indicators they both list (A(1) and F)."""
    columns = table["columns"]
    kinds = [c["kind"] for c in columns]
    cell_of = {numeric: pattern("page_cell", ("html",), numeric=numeric).around for numeric in (False, True)}
    cell_for = [cell_of[kind in NUMERIC] for kind in kinds]
    row_fill = pattern("page_row", ("head", "cells", "spark"), sparklines=sparklines).fill
    statuses: dict = {}  # a status cell's markup depends only on its code
    sparks = {} if sparkline_cache is None else sparkline_cache
    body = []
    for row in table["rows"]:
        head, shown_cells = "", []
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
                head = shown
            else:
                before, after = cell_for[i] if i < len(kinds) else cell_of[False]
                shown_cells.append(before + shown + after)
        spark = ""
        if sparklines:
            code = row[0]
            spark = sparks.get(code) if isinstance(code, str) else None
            if spark is None:
                spark = cells.sparkline(figures or {}, code)
                if isinstance(code, str):
                    sparks[code] = spark
        body.append(row_fill(head=head, cells="".join(shown_cells), spark=spark))
    return _partial("page").render({
        "title": table["title"], "csv_url": csv_url, "sparklines": sparklines,
        "body": mark_safe("".join(body)),  # noqa: S308 - the row and cell partials, values escaped above
        "columns": [{"label": c["label"], "numeric": kind in NUMERIC} for c, kind in zip(columns, kinds, strict=True)],
    })


# --- Print -----------------------------------------------------------------------------------
# WeasyPrint's time grows with every element, class and line it lays out, so the PDFs get their own
# markup: no classes on ordinary cells, the status as a cell background behind its word, column
# widths worked out here (fixed table layout) rather than by measuring every cell, and a one-path
# sparkline that keeps its text alternative as the figure's title (the PDF's /Alt).

STATUS_CLASS = {"G": "sG", "A": "sA", "R": "sR", "B": "sB"}
SHORT = 16  # a column whose longest value is at most this many characters is sized to fit it
LINE = 165  # characters of 8 pt type across a landscape A4 page, less margins and cell padding
PORTRAIT_LINE = 110  # the same across a portrait page (184 mm of 275 between the margins, print.css)
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
        if c.get("width"):  # a column whose width must not follow its content (reports.figures.SIGN_OFF_COLUMN)
            short[i] = max(c["width"], header_word) * 1.2 + 2.5
        elif longest <= SHORT or c["kind"] != "text":
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
    fill = pattern("print_sparkline", ("title", "d"), width=SPARK_W, height=SPARK_H).fill
    return fill(title=_escape(f"{code} trend: {words}"), d=" ".join(d))


def print_table_html(table: dict, *, figures: dict | None = None, sparklines: bool = False,
                     landscape: bool = True) -> SafeString:
    columns = table["columns"]
    kinds = [c["kind"] for c in columns]
    line = LINE if landscape else PORTRAIT_LINE
    widths = (column_widths(table, extra=[12] if sparklines else [], line=line)
              if len(table["rows"]) >= FIXED_FROM else None)
    series = (figures or {}).get("series", {}) if sparklines else {}
    labels = (figures or {}).get("series_labels", [])
    cell = {css: pattern("print_cell", ("html",), css=css).around for css in ("", "n", *STATUS_CLASS.values())}
    row_fill = pattern("print_row", ("head", "cells", "spark"), sparklines=sparklines).fill
    body = []
    for row in table["rows"]:
        head, shown_cells = "", []
        for i, value in enumerate(row):
            kind = kinds[i] if i < len(kinds) else "text"
            if i == 0:
                head = _shown(value, kind)
            elif kind == "status":
                view = presenters.status(value)
                shown = f"{view.word} ({view.code})" if value else "No status"
                before, after = cell[STATUS_CLASS.get(view.code, "")]
                shown_cells.append(before + shown + after)
            else:
                before, after = cell["n" if kind in NUMERIC else ""]
                shown_cells.append(before + _shown(value, kind) + after)
        spark = ""
        if sparklines:
            values = series.get(row[0])
            spark = print_sparkline(values, labels, str(row[0])) if values else ""
        body.append(row_fill(head=head, cells="".join(shown_cells), spark=spark))
    return _partial("print").render({
        "title": table["title"], "widths": widths, "sparklines": sparklines,
        "body": mark_safe("".join(body)),  # noqa: S308 - the row and cell partials, values escaped above
        "columns": [{"label": c["label"], "numeric": c["kind"] in NUMERIC} for c in columns],
        "empty_colspan": len(columns) + bool(sparklines),
    })


# --- Appendix A(2): the template of each indicator marked R ------------------------------------
# A council with two hundred indicators marked R has two hundred templates: each is the
# template_page / template_print partial, filled like the table rows.

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


_TEMPLATE_SLOTS = ("slug", "heading", "reason", "definition", "lead", "baseline", "annual", "milestones", "plan")


def _template_values(t: dict) -> dict:
    code = t.get("code", "")
    baseline, annual = t.get("baseline"), t.get("annual_target")
    if baseline is not None:
        period = t.get("baseline_period")
        baseline_text = _figure(baseline) + (f" ({_value(period)})" if period else "")
    else:
        baseline_text = "No baseline recorded"
    milestones = t.get("milestones") or []
    return {
        "slug": _value(slugify(code)),
        "heading": f"{_value(code)} {_value(t.get('title', ''))}",
        "reason": _value(t.get("reason") or "Not stated")
        + ("" if t.get("template_complete") else " (the template is incomplete)"),
        "definition": _value(t.get("definition") or "No definition recorded."),
        "lead": _value(t.get("lead") or "Not recorded"),
        "baseline": baseline_text,
        "annual": _figure(annual) if annual is not None else "No target set",
        "milestones": "; ".join(
            f"{_value(m.get('period', ''))}: {_figure(m.get('target'))}" for m in milestones
        ) or "No milestones set",
        "plan": cells.prose(t["action_plan"]) if t.get("action_plan") else "",
    }


def templates_html(templates: list[dict], *, for_print: bool) -> SafeString:
    """Appendix A(2): each template as a definition list (the page's summary list, or print's plain one)."""
    media = "print" if for_print else "page"
    if not templates:
        return _partial(f"templates_none_{media}").render({})
    out = []
    for t in templates:
        has_plan, robust = bool(t.get("action_plan")), bool(t.get("action_plan_robust"))
        fill = pattern(f"template_{media}", _TEMPLATE_SLOTS, has_plan=has_plan, robust=robust).fill
        out.append(fill(**_template_values(t)))
    return mark_safe("".join(out))  # noqa: S308 - the template partials, values escaped above


def csv_url_for(doc, key: str, *, for_print: bool) -> str:
    if for_print or not key or doc.version is None:
        return ""
    return reverse("reports:csv", args=[doc.report.pk, doc.version.number, key])
