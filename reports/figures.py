"""Every figure a report shows, gathered once into plain JSON-ready data.

`collect(report)` reads the status engine, the improvement plans, the risk register and the
budgets (through reports.sources) and returns one dict. The page, the PDFs, the CSV and JSON
downloads and the generated paragraphs are all made from that dict, so they cannot disagree,
and a published version keeps it as JSON so the same report can be shown again unchanged.
A fixed number of queries whatever the number of indicators.
"""

from __future__ import annotations

import json

from django.conf import settings

from core import periods
from indicators import spc_icons
from indicators.models import Indicator, IndicatorSet, Reading, Target, Theme

from . import sentences, sources
from .models import PublishedVersion, Report
from .sentences import percent

STATUS_WORDS = {"G": "Green", "A": "Amber", "R": "Red", "B": "Blue"}
DIRECTION_WORDS = {"improving": "Improving", "stable": "Stable", "deteriorating": "Deteriorating",
                   "not_comparable": "Not comparable"}

APPENDICES = [
    ("A1", "Appendix A (1)", "Indicators marked R or A, with commentary and remedial action"),
    ("A2", "Appendix A (2)", "Templates of the indicators marked R"),
    ("B", "Appendix B", "Overall Performance Improvement Plan: exceptions report"),
    ("C", "Appendix C", "Revenue budget monitoring"),
    ("D", "Appendix D", "Capital programme monitoring"),
    ("E", "Appendix E", "Corporate risk log"),
    ("F", "Appendix F", "Key performance indicators by month"),
    ("G", "Appendix G", "Statistical process control: real change or noise?"),
    ("H", "Appendix H", "Benchmarking: how we compare with similar councils"),
]


PROVISIONAL, OMIT = "provisional", "omit"
PROVISIONAL_WORDS = "Provisional, not signed off"
SIGNED_OFF_WORDS = "Signed off"
# The sign-off column is as wide whichever figures are provisional: sized by its content, one
# correction (a figure back to provisional) would change every column's width, so every section of
# the appendix would print differently and a republish could reuse none (reports.pdfs).
SIGN_OFF_COLUMN = {"label": "Sign-off", "kind": "text", "width": 14}


def unapproved_mode() -> str:
    """What the council prints for a figure not signed off: "provisional" (marked) or "omit" ("not yet available")."""
    mode = getattr(settings, "COUNCILPERF_UNAPPROVED_IN_REPORTS", PROVISIONAL)
    return OMIT if mode == OMIT else PROVISIONAL


def _text(value) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value)


def _previous_published(report: Report) -> dict | None:
    """The figures of the latest version published for the same scope before this report's period."""
    version = (
        PublishedVersion.objects.filter(
            report__portfolio_id=report.portfolio_id, report__period__end__lt=report.period.start
        )
        .select_related("report__period")
        .order_by("-report__period__end", "-published_at", "-number", "-id")
        .only("figures_json", "body", "meeting_date", "report__period__key", "report__period__end")
        .first()
    )
    if version is None:
        return None
    data = json.loads(version.figures_json)
    return {
        "source": "published",
        "period": version.report.period.key,
        "label": periods.parse(version.report.period.key).label,
        "month": _month(version.report.period.key),
        "meeting": f"{version.body} {version.meeting_date.day} {version.meeting_date:%B %Y}",
        "sets": {s["code"]: {"R": s["R"], "total": s["total"]} for s in data.get("sets", [])},
        "R": data.get("indicators", {}).get("R"),
    }


def _previous_period(key: str, frame) -> dict | None:
    counts = sources.set_r_counts_in(frame)
    if counts is None:
        return None
    return {
        "source": "period",
        "period": key,
        "label": periods.parse(key).label,
        "month": _month(key),
        "meeting": "",
        "sets": counts["sets"],
        "R": counts["R"],
    }


def _month_yy(pk: periods.PeriodKey) -> str:
    """ "March 06", as 004 heads its KPI columns."""
    year, _ = pk.calendar_month
    return f"{pk.label.split(' ')[0]} {year % 100:02d}"


def _month(key: str) -> str:
    pk = periods.parse(key)
    return pk.label.split(" ")[0] if pk.kind == periods.MONTH else pk.label


def _set_tree(summary: dict):
    sets = list(IndicatorSet.objects.values_list("id", "code", "name", "parent_id", "order"))
    by_id = {row[0]: row for row in sets}

    def depth(set_id):
        d, current = 0, by_id[set_id]
        while current[3] is not None and current[3] in by_id:
            d, current = d + 1, by_id[current[3]]
        return d

    themes = list(Theme.objects.values_list("name", "indicator_set_id", "order"))
    return sets, by_id, depth, themes


def _sets(summary: dict, previous: dict | None) -> list[dict]:
    sets, by_id, depth, themes = _set_tree(summary)
    counts = summary.get("by_set", {})
    out = []
    # Top-level sets first; inside each, the narrower agreements first (000: LPSA2G before LAA).
    ordered = sorted(sets, key=lambda s: (depth(s[0]) > 0, -depth(s[0]), s[4], s[1]))
    for set_id, code, name, parent_id, _order in ordered:
        c = counts.get(code)
        if not c or not c.get("total"):
            continue
        theme_rows = [
            {"name": t_name, **{k: summary["by_theme"].get(t_name, {}).get(k, 0) for k in ("total", "G", "A", "R")}}
            for t_name, t_set, _ in sorted((t for t in themes if t[1] == set_id), key=lambda t: (t[2], t[0]))
        ]
        before = (previous or {}).get("sets", {}).get(code)
        out.append({
            "code": code,
            "name": name,
            "parent": by_id[parent_id][1] if parent_id in by_id else None,
            "depth": depth(set_id),
            "total": c["total"], "G": c.get("G", 0), "A": c.get("A", 0), "R": c.get("R", 0), "B": c.get("B", 0),
            "previous_R": before["R"] if before else None,
            "themes": theme_rows,
        })
    return out


def _priorities(summary: dict) -> list[dict]:
    rows = []
    for name, c in summary.get("by_priority", {}).items():
        rated = c.get("G", 0) + c.get("A", 0) + c.get("R", 0)
        rows.append({
            "name": name, "objectives": c.get("objectives", 0), "rated": rated,
            "G": c.get("G", 0), "A": c.get("A", 0), "R": c.get("R", 0), "B": c.get("B", 0),
            "improving": c.get("improving", 0), "stable": c.get("stable", 0),
            "deteriorating": c.get("deteriorating", 0),
        })
    return rows


# The status frame's columns the tables use: read column by column, not the whole frame row by row.
RECORD_FIELDS = (
    "indicator_id", "code", "title", "status", "order", "decimals", "actual", "target", "direction",
    "overridden", "override_reason", "reason", "commentary", "remedial_action", "template_complete",
    "action_plan_robust", "state", "has_reading",
)


def _sign_off(r: dict) -> str:
    """How the report says whether a figure is signed off ("" when there is no figure at all)."""
    if not r["has_reading"]:
        return ""
    return SIGNED_OFF_WORDS if r["state"] == "approved" else PROVISIONAL_WORDS


def provisional_codes(records: list[dict]) -> list[str]:
    """The indicators whose figure in the report is printed though not yet signed off."""
    return [r["code"] for r in records if r["has_reading"] and r["state"] != "approved"
            and (r["actual"] is not None or r["commentary"])]


def _records(frame) -> list[dict]:
    """The frame's rows as dicts of RECORD_FIELDS (plain Python values, as DataFrame.to_dict gives)."""
    columns = [frame[name].tolist() for name in RECORD_FIELDS]
    return [dict(zip(RECORD_FIELDS, values, strict=True)) for values in zip(*columns, strict=True)]


def _indicator_tables(frame, pk: periods.PeriodKey, portfolio_id, *, signed_off_only: bool = False,
                      spc_by_id: dict | None = None) -> dict:
    """A(1), A(2) and the KPI table (F) from the status frame, with their series for sparklines."""
    spc_by_id = spc_by_id or {}

    def spc_words(r):
        return (spc_by_id.get(r["indicator_id"]) or {}).get("words", "Not enough points")

    def both(r, text):
        """`text`, then the status and SPC assurance reconciled where they point different ways."""
        s = spc_by_id.get(r["indicator_id"]) or {}
        sentence = spc_icons.status_and_assurance(r["status"], s.get("assurance"), bool(s.get("trial")))
        return f"{text}\n{sentence}" if sentence and text else (sentence or text)

    records = _records(frame) if frame is not None else []
    ra = [r for r in records if r["status"] in ("R", "A")]
    ra.sort(key=lambda r: (0 if r["status"] == "R" else 1, r["order"], r["code"]))
    pending = sum(1 for r in ra if _sign_off(r) == PROVISIONAL_WORDS)
    a1 = {
        "title": "Indicators marked R or A" + (f" ({pending} of {len(ra)} provisional, not signed off)" if pending else ""),
        "columns": [
            {"label": "Code", "kind": "text"}, {"label": "Indicator", "kind": "text"},
            {"label": "Status", "kind": "status"}, {"label": "Actual", "kind": "number"},
            {"label": "Target", "kind": "number"}, {"label": "Direction of travel", "kind": "text"},
            {"label": "SPC", "kind": "spc"},
            {"label": "Reason", "kind": "text"}, {"label": "Commentary", "kind": "text"},
            {"label": "Remedial action", "kind": "text"}, dict(SIGN_OFF_COLUMN),
        ],
        "rows": [
            [
                r["code"], r["title"], r["status"], sources.fixed(r["actual"], r["decimals"]),
                sources.fixed(r["target"], r["decimals"]), DIRECTION_WORDS.get(r["direction"], ""), spc_words(r),
                both(r, ("Override: " + _text(r["override_reason"])) if r["overridden"] else _text(r["reason"])),
                _text(r["commentary"]), _text(r["remedial_action"]), _sign_off(r),
            ]
            for r in ra
        ],
    }

    r_rows = [r for r in ra if r["status"] == "R"]
    r_ids = [r["indicator_id"] for r in r_rows]
    details = {
        row[0]: row for row in Indicator.objects.filter(pk__in=r_ids).values_list(
            "id", "definition", "baseline", "baseline_period__key", "action_plan", "action_plan_robust",
            "lead_role__abbreviation", "data_source",
        )
    }
    targets: dict[int, list] = {}
    for ind_id, key, kind, target, lower, upper in (
        Target.objects.filter(indicator_id__in=r_ids, period__fy=pk.fy)
        .order_by("period__start", "period__kind")
        .values_list("indicator_id", "period__key", "period__kind", "target", "lower", "upper")
    ):
        targets.setdefault(ind_id, []).append((key, kind, target, lower, upper))
    labels: dict[str, str] = {}

    def label_of(key: str) -> str:
        if key not in labels:
            labels[key] = periods.parse(key).label
        return labels[key]

    templates = []
    for r in r_rows:
        d = details.get(r["indicator_id"])
        decimals = r["decimals"]
        rows = targets.get(r["indicator_id"], [])
        templates.append({
            "code": r["code"],
            "title": r["title"],
            "reason": _text(r["reason"]),
            "template_complete": bool(r["template_complete"]),
            "definition": _text(d[1]) if d else "",
            "baseline": sources.fixed(d[2], decimals) if d else None,
            "baseline_period": periods.parse(d[3]).label if d and d[3] else "",
            "action_plan": _text(d[4]) if d else "",
            "action_plan_robust": bool(r["action_plan_robust"]),
            "lead": _text(d[6]) if d else "",
            "data_source": _text(d[7]) if d else "",
            "annual_target": next(
                (sources.fixed(t[2], decimals) for t in rows if t[1] == periods.YEAR), None
            ),
            "milestones": [
                {"period": label_of(t[0]), "target": sources.fixed(t[2], decimals),
                 "lower": sources.fixed(t[3], decimals), "upper": sources.fixed(t[4], decimals)}
                for t in rows if t[1] != periods.YEAR
            ],
        })

    # The KPI table of 004: last year's outturn, each month so far, and the year-end target.
    march = periods.PeriodKey(pk.fy - 1, periods.MONTH, 12)
    months = [periods.PeriodKey(pk.fy, periods.MONTH, n) for n in range(1, pk.months_elapsed + 1)]
    year = pk.year()
    keys = [march.key, *[m.key for m in months], year.key]
    grid = sources.monthly_values(month_keys=keys[:-1], year_key=year.key, portfolio_id=portfolio_id,
                                  signed_off_only=signed_off_only)
    unsigned = grid.get("unsigned", set())
    kpi_rows, series = [], {}
    for r in sorted(records, key=lambda r: (r["order"], r["code"])):
        d = r["decimals"]
        shown = [sources.fixed(grid["actuals"].get((r["indicator_id"], k)), d) for k in keys[:-1]]
        year_target = grid["targets"].get((r["indicator_id"], year.key))
        pending = [label_of(k) for k in keys[:-1] if (r["indicator_id"], k) in unsigned]
        kpi_rows.append([r["code"], both(r, r["title"]), *shown, sources.fixed(year_target, d), r["status"] or "", spc_words(r),
                         f"{PROVISIONAL_WORDS}: {', '.join(pending)}" if pending else ""])
        series[r["code"]] = shown
    kpi = {
        "title": "Key performance indicators by month",
        "columns": [
            {"label": "No of PI", "kind": "text"}, {"label": "Performance measurement", "kind": "text"},
            {"label": f"Position {_month_yy(march)}", "kind": "number"},
            *[{"label": f"End of {_month_yy(m)}", "kind": "number"} for m in months],
            {"label": f"Target {_month_yy(periods.PeriodKey(pk.fy, periods.MONTH, 12))}", "kind": "number"},
            {"label": "Status", "kind": "status"}, {"label": "SPC", "kind": "spc"},
            dict(SIGN_OFF_COLUMN),
        ],
        "rows": kpi_rows,
    }
    milestone_rows = [
        [t["code"], t["title"], m["period"], m["target"]]
        for t in templates for m in t["milestones"]
    ]
    a2_table = {
        "title": "Milestones of the indicators marked R",
        "columns": [{"label": "Code", "kind": "text"}, {"label": "Indicator", "kind": "text"},
                    {"label": "Period", "kind": "text"}, {"label": "Milestone", "kind": "number"}],
        "rows": milestone_rows,
    }
    return {
        "A1": a1, "A2": a2_table, "F": kpi, "templates": templates, "series": series,
        "provisional": provisional_codes(records),
        "series_labels": [march.short_label, *[m.short_label for m in months]],
    }


def _money_table(title, columns, records, fields) -> dict:
    return {
        "title": title,
        "columns": columns,
        "rows": [[rec.get(f) for f in fields] for rec in records],
    }


def collect(report: Report) -> dict:
    """The report's figures as plain data: the same dict the page, the PDFs and the downloads use."""
    pk = periods.parse(report.period.key)
    portfolio_id = report.portfolio_id
    previous = _previous_published(report)
    # Without an earlier published report, the comparison is with last month's figures, read with this month's.
    previous_key = pk.previous().key if previous is None else None
    mode = unapproved_mode()
    summary, frame, previous_frame = sources.summary_and_frame(
        period_key=pk.key, portfolio_id=portfolio_id, previous_key=previous_key, signed_off_only=mode == OMIT
    )
    if previous is None and summary is not None:
        previous = _previous_period(previous_key, previous_frame)

    figures: dict = {
        "council": None,
        "report": {
            "period": pk.key, "period_label": pk.label, "month": _month(pk.key),
            "start": pk.year().start.isoformat(), "end": pk.end.isoformat(),
            "months_elapsed": pk.months_elapsed, "year_label": periods.fy_label(pk.fy),
            "year_key": periods.fy_label(pk.fy, "/"),
            "scope": report.scope_label, "portfolio_id": portfolio_id,
        },
        "previous": previous,
        "indicators": (summary or {}).get("indicators"),
        "direction": (summary or {}).get("direction"),
        "sets": _sets(summary, previous) if summary else [],
        "priorities": _priorities(summary) if summary else [],
    }
    figures["indicators_available"] = summary is not None
    spc_data = sources.spc(period_key=pk.key, frame=frame)
    figures["spc"] = _spc_figures(spc_data, frame)
    figures["benchmarking"] = _benchmarking_figures(frame, period_end=pk.end)
    tables = _indicator_tables(
        frame, pk, portfolio_id, signed_off_only=mode == OMIT, spc_by_id=spc_data.get("by_id", {})
    ) if frame is not None else None
    # How many figures are printed though not signed off (none when the council leaves them out).
    figures["sign_off"] = {
        "mode": mode,
        "provisional": tables["provisional"] if tables else [],
        "left_out": _left_out(pk.key, portfolio_id) if mode == OMIT else [],
    }
    if tables is not None:
        sign = figures["sign_off"]
        figures["sign_off"]["sentence"] = sentences.sign_off(
            mode=mode, codes=sign["left_out"] if mode == OMIT else sign["provisional"])
    figures["templates"] = tables["templates"] if tables else []
    figures["series"] = tables["series"] if tables else {}
    figures["series_labels"] = tables["series_labels"] if tables else []

    figures["exceptions"] = sources.plan_exceptions(on=min(pk.end, report.meeting_date))
    figures["revenue"] = sources.revenue(period_key=pk.key)
    figures["capital"] = sources.capital(period_key=pk.key)
    figures["risks"] = sources.risks(
        period_key=pk.key, portfolio_name=report.portfolio.name if portfolio_id else None
    )

    t: dict = {}
    if tables:
        t["A1"], t["A2"], t["F"] = tables["A1"], tables["A2"], tables["F"]
    t["summary"] = {
        "title": "Status and direction of travel by priority",
        "columns": [{"label": "Priority", "kind": "text"}, {"label": "Objectives", "kind": "number"},
                    {"label": "Green", "kind": "number"}, {"label": "Amber", "kind": "number"},
                    {"label": "Red", "kind": "number"}, {"label": "Green %", "kind": "text"},
                    {"label": "Amber %", "kind": "text"}, {"label": "Red %", "kind": "text"},
                    {"label": "Improving", "kind": "number"}, {"label": "Stable", "kind": "number"},
                    {"label": "Deteriorating", "kind": "number"}],
        "rows": [
            [p["name"], p["objectives"], p["G"], p["A"], p["R"], *_pcts(p), p["improving"], p["stable"],
             p["deteriorating"]]
            for p in figures["priorities"]
        ],
    }
    t["sets"] = {
        "title": "Indicators marked R by set",
        "columns": [{"label": "Set", "kind": "text"}, {"label": "Indicators", "kind": "number"},
                    {"label": "Green", "kind": "number"}, {"label": "Amber", "kind": "number"},
                    {"label": "Red", "kind": "number"}, {"label": "Red in the previous report", "kind": "number"}],
        "rows": [[s["name"], s["total"], s["G"], s["A"], s["R"], s["previous_R"]] for s in figures["sets"]],
    }
    ex = figures["exceptions"]
    if ex.get("available"):
        t["B"] = {
            "title": "Elements not on track",
            "columns": [{"label": "Element", "kind": "text"}, {"label": "Title", "kind": "text"},
                        {"label": "Status", "kind": "status"}, {"label": "Why", "kind": "text"}],
            "rows": [[i["number"], i["title"], i["status"], "\n".join(i["bullets"])] for i in ex["items"]],
        }
    # Budgets are monitored by directorate, not by Cabinet portfolio: a portfolio's report says so.
    whole = " (whole council: budgets are monitored by directorate, not by portfolio)" if portfolio_id else ""
    rev = figures["revenue"]
    if rev.get("available"):
        cols = [{"label": "Directorate", "kind": "text"}, {"label": "Service", "kind": "text"},
                {"label": "Original budget", "kind": "money"}, {"label": "Current budget", "kind": "money"},
                {"label": "Forecast outturn", "kind": "money"}, {"label": "Variance", "kind": "money"},
                {"label": "Variance %", "kind": "percent"}, {"label": "Commentary", "kind": "text"}]
        rows = [*rev["lines"], *([rev["total"]] if rev.get("total") else [])]
        t["C"] = _money_table(f"Revenue budget by service{whole}", cols, rows, sources.REVENUE_FIELDS)
    cap = figures["capital"]
    if cap.get("available"):
        cols = [{"label": "Scheme", "kind": "text"}, {"label": "Directorate", "kind": "text"},
                {"label": "Original forecast", "kind": "money"}, {"label": "Additions and reprofiling", "kind": "money"},
                {"label": "Revised forecast", "kind": "money"}, {"label": "Spend to date", "kind": "money"},
                {"label": "Reason", "kind": "text"}, {"label": "Decision", "kind": "text"}]
        rows = [*cap["schemes"], *([cap["totals"]] if cap.get("totals") else [])]
        t["D"] = _money_table(f"Capital programme by scheme{whole}", cols, rows, sources.CAPITAL_FIELDS)
    risk = figures["risks"]
    if risk.get("available"):
        t["E"] = {
            "title": "Corporate risk log",
            "columns": [{"label": "Ref", "kind": "text"}, {"label": "Risk", "kind": "text"},
                        {"label": "Owner", "kind": "text"}, {"label": "Category", "kind": "text"},
                        {"label": "Inherent score", "kind": "number"}, {"label": "Likelihood", "kind": "number"},
                        {"label": "Impact", "kind": "number"}, {"label": "Score", "kind": "number"},
                        {"label": "Rating", "kind": "text"}, {"label": "Trend", "kind": "text"},
                        {"label": "Controls and mitigation", "kind": "text"}, {"label": "Next review", "kind": "date"}],
            "rows": [
                [r["reference"], r["title"], r["owner"], r["category"], r["inherent_score"], r["likelihood"],
                 r["impact"], r["score"], r["band"], r["trend"],
                 "; ".join(x for x in (r["controls"], r["mitigation"]) if x), r["next_review"]]
                for r in risk["register"]
            ],
        }
    for name, items in (("G_concern", figures["spc"].get("concern", [])),
                        ("G_improvement", figures["spc"].get("improvement", [])),
                        ("G_neutral", figures["spc"].get("neutral", []))):
        t[name] = {
            "title": SPC_TABLE_TITLES[name],
            "columns": [{"label": "Code", "kind": "text"}, {"label": "Indicator", "kind": "text"},
                        {"label": "SPC", "kind": "spc"}, {"label": "What the figures show", "kind": "text"}],
            "rows": [[i["code"], i["title"], i["words"], i["sentence"]] for i in items],
        }
    bench = figures["benchmarking"]
    t["H"] = {
        "title": "Indicators against comparable councils",
        "columns": [{"label": "Code", "kind": "text"}, {"label": "Indicator", "kind": "text"},
                    {"label": "Group", "kind": "text"}, {"label": "Period", "kind": "text"},
                    {"label": "Unit", "kind": "text"}, {"label": "Our figure", "kind": "number"}, {"label": "Rank", "kind": "text"},
                    {"label": "Quartile", "kind": "text"}, {"label": "Group median", "kind": "number"},
                    {"label": "What the figures show", "kind": "text"}],
        "rows": [[r["code"], r["title"], r["group"], r["period"], r["unit"], r["value"], r["rank"], r["quartile_words"],
                  r["median"], r["sentence"]] for r in bench.get("rows", [])],
    }
    figures["tables"] = t
    return figures


# How the paragraph names a group after "of our": "nearest neighbours", "family group"; else by its name.
GROUP_AFTER_OUR = {"nearest_neighbours": "nearest neighbours", "family_group": "family group"}


def _benchmarking_figures(frame, *, period_end) -> dict:
    """Each indicator's position in each comparator group, in the report's order, and the counts of the
    first group (the council's headline comparison, by the groups' order) for the paragraph."""
    if frame is None or not len(frame):
        return {"available": False, "rows": []}
    about = {int(i): (code, title, int(order)) for i, code, title, order in zip(
        frame["indicator_id"], frame["code"], frame["title"], frame["order"], strict=True)}
    data = sources.benchmarking(period_end=period_end, indicator_ids=sorted(about))
    rows = [{**r, "code": about[r["indicator_id"]][0], "title": about[r["indicator_id"]][1]}
            for r in data["rows"] if r["indicator_id"] in about]
    if not rows:
        return {"available": False, "rows": []}
    rows.sort(key=lambda r: (about[r["indicator_id"]][2], r["code"], r["group_order"], r["group"]))
    first = min(rows, key=lambda r: (r["group_order"], r["group"]))
    headline = {}
    for r in rows:
        if r["group"] == first["group"]:
            headline.setdefault(r["code"], r["quartile"])
    return {
        "available": True, "rows": rows, "group": first["group"],
        "group_words": GROUP_AFTER_OUR.get(first["group_kind"], first["group"]),
        "periods": sorted({r["period"] for r in rows if r["group"] == first["group"]}),
        "quartiles": headline,
    }


SPC_TABLE_TITLES = {
    "G_concern": "Indicators showing special-cause concern",
    "G_improvement": "Indicators showing special-cause improvement",
    "G_neutral": "Indicators unusually high or low, with no better or worse direction",
}
SPC_GROUPS = {"special_cause_improvement": "improvement", "special_cause_concern": "concern",
              "special_cause_neutral_high": "neutral", "special_cause_neutral_low": "neutral",
              "common_cause": "common"}


def _spc_figures(spc_data: dict, frame) -> dict:
    """How many indicators show special-cause improvement or concern, and which, each with a sentence."""
    if not spc_data.get("available") or frame is None:
        return {"available": False}
    by_id = spc_data["by_id"]
    groups: dict[str, list] = {"improvement": [], "concern": [], "neutral": []}
    counts = {"improvement": 0, "concern": 0, "neutral": 0, "common": 0, "not_enough": 0}
    for i, code, title, order in zip(frame["indicator_id"], frame["code"], frame["title"], frame["order"], strict=True):
        s = by_id.get(int(i))
        group = SPC_GROUPS.get(s["variation"], "not_enough") if s else "not_enough"
        counts[group] += 1
        if group in groups:
            groups[group].append({
                "code": code, "title": title, "order": int(order), "words": s["words"],
                "sentence": sentences.spc_signal(rule=s["rule"], side=s["side"], run=s["run"], start=s["start"],
                                                 latest=s["latest"], unit=s["unit"]),
            })
    for items in groups.values():
        items.sort(key=lambda item: (item["order"], item["code"]))
    return {"available": True, "counts": counts, "judged": len(frame) - counts["not_enough"], **groups}


def _left_out(period_key: str, portfolio_id) -> list[str]:
    """The indicators whose figure for the period exists but is left out as not yet signed off."""
    readings = Reading.objects.filter(period__key=period_key, indicator__deleted_at__isnull=True).exclude(
        state=Reading.APPROVED).exclude(actual=None, commentary="")
    if portfolio_id is not None:
        readings = readings.filter(indicator__portfolio_id=portfolio_id)
    return sorted(readings.values_list("indicator__code", flat=True))


def _pcts(p: dict) -> list[str]:
    whole = p["G"] + p["A"] + p["R"]
    return [percent(p["G"], whole), percent(p["A"], whole), percent(p["R"], whole)]


def to_json(figures: dict) -> str:
    """The canonical JSON text of a report's figures (stable key order, UTF-8 text)."""
    return json.dumps(figures, indent=1, ensure_ascii=False, sort_keys=False)
