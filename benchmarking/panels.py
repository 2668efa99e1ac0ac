"""What benchmarking shows on the indicators app's pages: on an indicator's page each group's dot plot,
table and sentence; on the list a quartile column; on the dashboard how many indicators are in each quartile."""

from __future__ import annotations

from collections import Counter

from core import panels, periods, policy
from indicators.models import Indicator

from . import charts
from .commentary import ordinal, places, rank_of
from .standings import (
    QUARTILE_WORDS,
    Standing,
    figure,
    rank_words,
    standings,
)
from .stored import stored_positions


def _headline(rows: list[Standing]) -> dict[int, Standing]:
    """Each indicator's position in the first group it is benchmarked in (groups in their set order)."""
    first: dict[int, Standing] = {}
    for s in rows:
        first.setdefault(s.indicator_id, s)
    return first


@panels.indicator_page.panel("benchmarking/indicator_panel.html")
def benchmarking_for_indicator(user, *, indicator):
    """Per comparator group: where we stand, as a dot plot, a table and a sentence."""
    if not policy.may_view_benchmarking(user):
        return None
    rows = standings(indicator_ids=[indicator.pk])
    if not rows:
        return None
    return {
        "standings": [view(s) for s in rows],
        "may_edit": policy.may_edit_benchmark_commentary(user),
    }


def view(s: Standing) -> dict:
    """One group's position as the indicator page and the edit page show it."""
    p = s.position
    council = s.names.get(p.us, p.us)
    decimals, median_places = places(p)
    svg, words = charts.dot_plot(
        p, council=council, group=s.group.name, names=s.names, unit=s.metric.unit, decimals=decimals,
        title=f"{s.metric.title or s.metric.metric_id}: {council} among {s.group.name}, {s.period}",
        id_prefix=f"benchmark-chart-{s.metric.pk}-{s.group.pk}",
    )
    unit = s.metric.unit

    def gap(amount):
        if amount is None:
            return ""
        return figure(abs(amount), unit, median_places) + (" better" if amount > 0 else " worse" if amount < 0 else "")

    trend_words = ""
    if s.previous is not None and s.previous.rank is not None:
        earlier = f"{'joint ' if s.previous.tied else ''}{ordinal(s.previous.rank)} of {s.previous.of}"
        trend_words = {"up": "Up", "down": "Down", "same": "No change"}.get(s.trend, "") + \
            f" from {earlier} in {s.previous_period}"
    return {
        "standing": s, "p": p, "svg": svg, "alt": words,
        "value": figure(p.value, unit, decimals), "median": figure(p.median, unit, median_places),
        "top_boundary": figure(p.top_boundary, unit, decimals) if p.top_boundary is not None else "",
        "gap_to_median": gap(p.gap_to_median),
        "gap_to_top": "In the top quartile" if p.gap_to_top_quartile == 0 else (
            figure(p.gap_to_top_quartile, unit, decimals) + " to go" if p.gap_to_top_quartile is not None else ""),
        "trend_words": trend_words,
        "rank": rank_words(s), "quartile": QUARTILE_WORDS.get(p.quartile, "No quartile (fewer than 4 councils)"),
        "table": charts.table_rows(p, council=council, names=s.names, unit=unit, decimals=decimals),
        "trend": s.trend,
    }


@panels.indicator_columns.column("Quartile")
def quartile_column(user, *, period_key, indicator_ids):
    """Each indicator's quartile in its first comparator group, for the latest period published by the page's.
    Read from the kept positions (benchmarking.stored): a list of a thousand indicators reads no figures."""
    if not policy.may_view_benchmarking(user) or not indicator_ids:
        return None
    found = stored_positions(periods.parse(period_key).end, indicator_ids)
    if not found:
        return None
    return {pk: _quartile_cell(positions[0]) for pk, positions in found.items()}


def _quartile_cell(p) -> str:
    """As standings.quartile_cell says it: "Top (joint 4th of 16)"; "No quartile (3rd of 3)" when too few."""
    ranked = rank_of(p.rank, p.tied, p.of)
    return f"{QUARTILE_WORDS[p.quartile]} ({ranked})" if p.quartile else f"No quartile ({ranked})"


@panels.dashboard.panel("benchmarking/dashboard_panel.html")
def quartiles_on_dashboard(user, *, period_key, set_code=None):
    """How many indicators are in each quartile of each comparator group."""
    if not policy.may_view_benchmarking(user):
        return None
    ids = list(Indicator.objects.filter(sets__code=set_code).values_list("pk", flat=True)) if set_code else None
    found = stored_positions(periods.parse(period_key).end, ids)
    if not found:
        return None
    groups: dict[int, dict] = {}
    for s in (p for positions in found.values() for p in positions):
        g = groups.setdefault(s.group.pk, {"group": s.group, "counts": Counter(), "total": 0, "periods": set()})
        g["counts"][s.quartile] += 1
        g["total"] += 1
        g["periods"].add(s.period)
    return {"groups": [
        {"group": g["group"], "total": g["total"], "periods": ", ".join(sorted(g["periods"])),
         "rows": [(QUARTILE_WORDS[q], g["counts"][q]) for q in (1, 2, 3, 4)] + (
             [("No quartile (fewer than 4 councils)", g["counts"][None])] if g["counts"][None] else [])}
        for g in groups.values()
    ]}
