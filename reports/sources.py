"""The one place the report reads the other apps, turned into plain JSON-ready data.

Each function calls one app's published reads (its selectors) and returns plain dicts and
lists of strings and numbers, so the report's figures can be frozen as JSON and rendered again
byte for byte. The apps are imported plainly (reports sits above them, see ADR 0010); a source
with nothing to show for the period (no budget lines yet) returns `{"available": False, ...}`
and its section says "not yet available".
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from benchmarking import standings as benchmark_standings
from budgets import selectors as budget_selectors
from core import periods, presenters
from improvement_plans import selectors as plan_selectors
from indicators import charts as indicator_charts
from indicators import selectors as indicator_selectors
from indicators import spc_icons
from indicators import summary as indicator_summary
from indicators.models import Reading, Target
from risks import selectors as risk_selectors


def plain(value):
    """A value as JSON-ready data: Decimal to text (exact), dates to ISO, containers walked."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        return value.item()
    if isinstance(value, float) and value != value:
        return None
    return value


_QUANTA: dict = {}


def fixed(value, decimals) -> str | None:
    """A figure as text with the indicator's decimals ("18.3"), None when there is no figure."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    quantum = _QUANTA.get(decimals)
    if quantum is None:
        quantum = _QUANTA[decimals] = Decimal(1).scaleb(-int(decimals or 0))
    # A Decimal is its own exact text; anything else (floats, ints) goes through its text as before.
    amount = value if type(value) is Decimal else Decimal(str(value))
    return format(amount.quantize(quantum), "f")


# --- Indicators ------------------------------------------------------------------------

def summary_and_frame(*, period_key: str, portfolio_id=None, previous_key: str | None = None,
                      signed_off_only: bool = False):
    """The performance summary, the status frame it was counted from, and the previous period's frame.

    Uses the counting functions of indicators.summary on a single period_status frame (the
    summary's own `previous` entry is left out: the report compares with the previous published
    report). When there is none, `previous_key` asks for that period's frame too, read in the
    same queries (period_statuses).
    """
    frames = indicator_selectors.period_statuses(period_keys=[period_key, *([previous_key] if previous_key else [])],
                             portfolio_id=portfolio_id, judged_only=[previous_key] if previous_key else [],
                             signed_off_only=signed_off_only)
    frame = frames.get(period_key)
    previous = frames.get(previous_key) if previous_key else None
    if frame is None:
        return None, frame, previous
    by_priority, objectives = indicator_summary.objectives(frame)
    return plain({
        "period": period_key,
        "indicators": indicator_summary.indicator_counts(frame),
        "direction": indicator_summary.direction_counts(frame["direction"]),
        "by_set": indicator_summary.by_set(frame),
        "by_theme": indicator_summary.by_theme(frame),
        "by_priority": by_priority,
        "objectives": objectives,
    }), frame, previous


def set_r_counts_in(frame) -> dict | None:
    """{set code: {"R", "total"}} in a status frame, counting each indicator in every set containing its own."""
    if frame is None:
        return None
    out: dict = {}
    for codes, status in zip(frame["set_codes"], frame["status"], strict=True):
        for code in codes:
            entry = out.setdefault(code, {"R": 0, "total": 0})
            entry["total"] += 1
            entry["R"] += int(status == "R")
    return {"sets": out, "R": int((frame["status"] == "R").sum())}


def monthly_values(*, month_keys, year_key, portfolio_id=None, signed_off_only: bool = False) -> dict:
    """{(indicator id, period key): actual} for the months, and {(id, year key): target}: two queries.

    "unsigned" holds the (indicator id, period key) of figures not yet approved; with
    `signed_off_only` they are left out of "actuals" instead.

    For every indicator in scope (active; in the portfolio when one is given), as period_status
    reads them: selected by scope rather than by a list of a thousand ids. The KPI table shows the
    figures as recorded; the status engine is not needed for them.
    """
    scope = {"indicator__deleted_at__isnull": True}
    if portfolio_id is not None:
        scope["indicator__portfolio_id"] = portfolio_id
    values, unsigned = {}, set()
    for i, k, a, state in Reading.objects.filter(period__key__in=list(month_keys), **scope).values_list(
        "indicator_id", "period__key", "actual", "state"
    ):
        if state != Reading.APPROVED:
            if signed_off_only:
                continue
            if a is not None:
                unsigned.add((i, k))
        values[(i, k)] = a
    targets = {
        (i, k): t for i, k, t in Target.objects.filter(period__key=year_key, **scope)
        .values_list("indicator_id", "period__key", "target")
    }
    return {"actuals": values, "targets": targets, "unsigned": unsigned}


def spc(*, period_key: str, frame) -> dict:
    """Each indicator's SPC judgement of its latest figure (indicators.selectors.spc_latest), as plain data.

    {"available", "by_id": {indicator id: {variation, side, assurance, trial, rule, run, start, latest,
    unit, words}}}; `words` is the table cell's text (indicators.spc_icons.cell_words).
    """
    if frame is None:
        return {"available": False}
    views = indicator_selectors.spc_latest(period_key=period_key, frame=frame)
    labels: dict = {}

    def label_of(key):
        if key is None:
            return None
        if key not in labels:
            labels[key] = periods.parse(key).label
        return labels[key]

    return {"available": True, "by_id": {
        int(i): {
            "variation": v.variation, "side": v.side, "assurance": v.assurance, "trial": v.trial, "rule": v.rule,
            "run": v.run, "start": label_of(v.start_key), "latest": label_of(v.latest_key),
            "unit": "quarter" if v.latest_key and "Q" in v.latest_key else "month",
            "words": spc_icons.cell_words(v.variation, v.side, v.assurance, v.trial),
        }
        for i, v in views.items()
    }}


def spc_badge(words: str) -> str:
    """A report cell's SPC icons with their words, from the words the figures keep."""
    return str(spc_icons.cell_badge(words))


def spc_key() -> list[dict]:
    return [{"icon": str(row["icon"]), "name": row["name"], "meaning": row["meaning"]} for row in spc_icons.key_rows()]


def sparkline(values, *, label: str) -> str:
    """An SVG sparkline with its text alternative."""
    numbers = [None if v is None else float(v) for v in values]
    return str(indicator_charts.sparkline_svg(numbers, label=label))


# --- Benchmarking ------------------------------------------------------------------------

def benchmarking(*, period_end: date, indicator_ids: list[int]) -> dict:
    """Where each of the report's indicators stands in each comparator group, for the latest comparator
    figures published for a period ending by the report's: {"available", "rows": [...]}, each row with the
    group, our figure, rank, quartile, median and the sentence as drafted or edited. Read from the positions
    kept when the figures changed (benchmarking.stored), with the places and sentence kept with them."""
    rows = benchmark_standings.kept_standings(indicator_ids=indicator_ids, on=period_end) if indicator_ids else []
    return {"available": bool(rows), "rows": [
        {
            "indicator_id": s.position.indicator_id, "group": s.position.group.name,
            "group_kind": s.position.group.kind, "group_order": s.position.group.order,
            "period": s.position.period, "unit": s.position.unit,
            # Figures at the places the group's were published with (the sentence says them so too).
            "value": fixed(s.position.value, s.position.decimals), "rank": s.rank_words,
            "quartile": s.position.quartile,
            "quartile_words": benchmark_standings.QUARTILE_WORDS.get(s.position.quartile, "No quartile"),
            "median": fixed(s.position.median, s.position.median_decimals),
            "sentence": s.text, "edited": s.edited,
        }
        for s in rows
    ]}


# --- Improvement plans --------------------------------------------------------------------

def plan_exceptions(*, on: date) -> dict:
    items = plan_selectors.exceptions(on=on)
    position = plan_selectors.plan_position(on=on)
    as_at = max((getattr(i, "as_at", None) or on for i in items), default=None)
    return {
        "available": True,
        "on": on.isoformat(),
        "as_at": as_at.isoformat() if as_at else None,
        "items": [
            {
                "number": str(i.number or ""),
                "title": str(i.title),
                "status": str(i.status),
                "bullets": [str(b) for b in (i.bullets or [])],
            }
            for i in items
        ],
        "position": plain(position) if position else None,
    }


# --- Risks ----------------------------------------------------------------------------------

def _risk_row(row) -> dict:
    band = getattr(row, "band", None)
    return {
        "reference": row.reference,
        "title": row.title,
        "owner": getattr(row, "owner_name", ""),
        "category": getattr(row, "category", ""),
        "portfolio": getattr(row, "portfolio", ""),
        "inherent_score": getattr(row, "inherent_score", None),
        "likelihood": row.likelihood,
        "impact": row.impact,
        "score": row.score,
        "band": band.name if band is not None else "",
        "trend": getattr(row, "trend_label", getattr(row, "trend", "")),
        "controls": getattr(row, "controls", ""),
        "commentary": getattr(row, "commentary", ""),
        "mitigation": getattr(row, "mitigation_progress", ""),
        "next_review": plain(getattr(row, "next_review", None)),
        "illustrative": bool(getattr(row, "illustrative", False)),
    }


def risks(*, period_key: str, portfolio_name: str | None = None) -> dict:
    # The rating bands read once for the register and the heat map (they would each read them).
    band_list = risk_selectors.bands()
    rows = risk_selectors.register_as_at(period_key=period_key, band_list=band_list)
    if portfolio_name:
        rows = [r for r in rows if getattr(r, "portfolio", "") in ("", portfolio_name)]
    grid = risk_selectors.heat_map(rows, band_list=band_list)
    high_refs, emerging_refs = set(), set()
    for r in rows:
        band = getattr(r, "band", None)
        if band is not None and getattr(band, "reported_as_high", False):
            high_refs.add(r.reference)
        # "No new or emerging risks", the paragraph says, so the register's New risks count too.
        if getattr(r, "trend", "") in ("new", "emerging"):
            emerging_refs.add(r.reference)
    heat = None
    if grid is not None:
        heat = {
            "likelihoods": [[n, label] for n, label in grid.likelihoods],
            "rows": [
                {
                    "impact": hr.impact,
                    "label": hr.label,
                    "cells": [
                        {"score": c.score, "band": c.band.name if c.band else "", "references": list(c.references)}
                        for c in hr.cells
                    ],
                }
                for hr in grid.rows
            ],
        }
    register = [_risk_row(r) for r in rows]
    return {
        "available": True,
        "register": register,
        "high": [r for r in register if r["reference"] in high_refs],
        "emerging": [r for r in register if r["reference"] in emerging_refs],
        "heat_map": heat,
    }


# --- Budgets --------------------------------------------------------------------------------

def _get(obj, name, default=None):
    if isinstance(obj, dict):
        return obj.get(name, default)
    return getattr(obj, name, default)


def _record(obj, fields) -> dict:
    return {name: plain(_get(obj, name)) for name in fields}


REVENUE_FIELDS = ("directorate", "service", "original", "current", "forecast", "variance", "variance_pct", "commentary")
CAPITAL_FIELDS = ("name", "directorate", "original", "additions", "revised", "spend_to_date", "reason", "decision")


def revenue(*, period_key: str) -> dict:
    position = budget_selectors.revenue_position(period_key=period_key)
    if position is None or not _get(position, "lines"):
        return {"available": False, "headline": plain(_headline(_get(position, "headline"))) if position else None}
    total = _record(_get(position, "total", {}) or {}, REVENUE_FIELDS)
    total.update(directorate="Total", service="", commentary="")
    return {
        "available": True,
        "lines": [_record(line, REVENUE_FIELDS) for line in _get(position, "lines", []) or []],
        "directorate_totals": [_record(t, REVENUE_FIELDS) for t in _get(position, "directorate_totals", []) or []],
        "total": total,
        "headline": plain(_headline(_get(position, "headline"))),
    }


def _pounds(value) -> str:
    """£4,603,000, or £850.50 where there are pence."""
    amount = Decimal(str(value)) if value is not None else None
    if amount is None:
        return "an amount not recorded"
    return presenters.money(amount, 0 if amount == amount.to_integral_value() else 2)


def _scheme(row) -> dict:
    changes = list(_get(row, "changes", []) or [])
    return {
        "name": _get(row, "scheme") or _get(row, "name") or "",
        "directorate": _get(row, "directorate") or "",
        "original": plain(_get(row, "original")),
        "additions": plain(_get(row, "change", _get(row, "additions"))),
        "revised": plain(_get(row, "revised")),
        "spend_to_date": plain(_get(row, "spend_to_date")),
        # Written as members read it: "£4,603,000: Corporate Accommodation ...", not the raw amount.
        "reason": "; ".join(f"{_pounds(_get(c, 'amount'))}: {_get(c, 'reason', '')}" for c in changes)
        if changes else "",
        "decision": "; ".join(str(_get(c, "approved_by", "")) for c in changes if _get(c, "approved_by")),
    }


def capital(*, period_key: str) -> dict:
    position = budget_selectors.capital_position(period_key=period_key)
    if position is None or not _get(position, "schemes"):
        return {"available": False, "headline": plain(_headline(_get(position, "headline"))) if position else None}
    totals = _get(position, "totals")
    return {
        "available": True,
        "schemes": [_scheme(s) for s in _get(position, "schemes", []) or []],
        "totals": {
            "name": "Total", "directorate": "", "original": plain(_get(totals, "original")),
            "additions": plain(_get(totals, "change", _get(totals, "additions"))),
            "revised": plain(_get(totals, "revised")), "spend_to_date": plain(_get(totals, "spend_to_date")),
            "reason": "", "decision": "",
        },
        "headline": plain(_headline(_get(position, "headline"))),
    }


def _headline(value):
    """A headline may be a sentence or a small record; keep either as plain data."""
    if value is None or isinstance(value, str | dict):
        return value
    if hasattr(value, "__dataclass_fields__"):
        return {name: _get(value, name) for name in value.__dataclass_fields__}
    return str(value)
