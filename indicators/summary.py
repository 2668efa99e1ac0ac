"""The performance figures for a period: counts by status, direction, set, theme, priority and objective.

`performance_summary` is what the `performance_summary` command prints as JSON, what the
indicators dashboard shows and what the Cabinet report quotes ("19 of 89 marked R, compared
to 45 to May"). Its meaning, figure by figure:
- indicators.total: active indicators in scope (the set and every set inside it; portfolio).
- G / A / R / B: by the status shown (an override counts as overridden). These four never
  include an indicator without a status: "8 R, 4 no data" is how a report says it.
- no_data: no status because the actual for the period is missing (late data is "not yet
  available", never R and never zero); data_only: data-only indicators (no status by design);
  for_information: readings marked "for information" for this period (no status this period).
- met_target: the actual is on or better than the applicable target.
- off_target: the actual is worse than the target by any amount (inclusive: it contains
  off_target_over_10pct), as councils write "20 off target, 12 of them by more than 10%".
- off_target_over_10pct: the subset of off_target more than 10% of the target's size worse.
  met_target + off_target is every indicator with both an actual and a target. These counts do
  not depend on the tolerance that makes a status A or R, nor on the template.
- no_target: R "no target". Extra keys: template_incomplete (no target, no milestone for the
  period or no robust action plan) and R_template (shown R because the rules found no target
  or no robust action plan).
- direction: against the previous period of the indicator's own frequency (see selectors).
- by_set, by_theme, each objective (objectives[].counts) and each priority (by_priority[].indicators)
  carry the same indicator counts: total, G, A, R, B, no_data, met_target, off_target,
  off_target_over_10pct.
- by_set: every set in scope (the chosen set and the sets inside it; all sets when none is
  chosen); an indicator counts in its own sets and in every set containing them.
- by_theme: by the indicator's theme; by_priority: the objectives under each priority with their
  rolled-up status and direction. An objective's status is the roll-up of its in-scope
  indicators' statuses by COUNCILPERF_OBJECTIVE_ROLLUP ("worst" by default, or "majority"); an
  override with a reason on the objective wins. Its direction is the net of its indicators'.
- previous: the same figures' total and R for the previous period of the same kind (May for
  June, 2006/07 Q1 for Q2, 2005/06 for 2006/07).
"""

from __future__ import annotations

from collections import Counter

from django.conf import settings

from core import periods
from indicators import spc
from indicators import status as rules
from indicators.models import IndicatorSet, Objective
from indicators.selectors import period_statuses

STATUSES = (rules.G, rules.A, rules.R, rules.B)
TEMPLATE_REASONS = (rules.NO_TARGET, rules.NO_ACTION_PLAN)
# Which target results each count takes: off_target is inclusive of off by more than 10%.
TARGET_COUNTS = {
    "met_target": (rules.MET,),
    "off_target": (rules.OFF, rules.OFF_OVER_10),
    "off_target_over_10pct": (rules.OFF_OVER_10,),
}


def rollup_rule() -> str:
    return getattr(settings, "COUNCILPERF_OBJECTIVE_ROLLUP", rules.WORST)


def performance_summary(*, period_key: str, set_code: str | None = None, portfolio_id=None) -> dict:
    """The figures for a period as plain data (JSON-ready)."""
    key = periods.parse(period_key).key
    previous_key = periods.parse(key).previous().key
    frames = period_statuses(period_keys=[key, previous_key], set_code=set_code, portfolio_id=portfolio_id,
                             judged_only=[previous_key])
    return summary_of(frames[key], frames[previous_key], period_key=key, set_code=set_code, portfolio_id=portfolio_id)


def summary_of(frame, previous, *, period_key: str, set_code: str | None = None, portfolio_id=None) -> dict:
    """performance_summary from the period's status frame and the previous period's (period_statuses)."""
    key, previous_key = period_key, periods.parse(period_key).previous().key
    return {
        "period": key,
        "period_label": periods.parse(key).label,
        "set": set_code,
        "indicators": indicator_counts(frame),
        "direction": direction_counts(frame["direction"]),
        "direction_year": direction_counts(frame["direction_year"]),
        "by_set": by_set(frame, set_code),
        "by_theme": by_theme(frame),
        "by_priority": (objective_figures := objectives(frame, scoped=bool(set_code or portfolio_id)))[0],
        "objectives": objective_figures[1],
        "previous": {
            "period": previous_key,
            "period_label": periods.parse(previous_key).label,
            "indicators": {"total": len(previous), "R": int((previous["status"] == rules.R).sum())},
        },
    }


def indicator_counts(frame) -> dict:
    shown = frame["status"]
    counts = {"total": len(frame)}
    counts.update({s: int((shown == s).sum()) for s in STATUSES})
    # An override on a figure not yet in (a council marking it R while it is confirmed) shows the override.
    counts["no_data"] = int(((frame["reason"] == rules.NO_DATA) & frame["status"].isna()).sum())
    counts["data_only"] = int((frame["reason"] == rules.DATA_ONLY).sum())
    counts["for_information"] = int((frame["reason"] == rules.FOR_INFORMATION).sum())
    for name, results in TARGET_COUNTS.items():
        counts[name] = int(frame["target_result"].isin(results).sum())
    counts["no_target"] = int((frame["reason"] == rules.NO_TARGET).sum())
    counts["template_incomplete"] = int((~frame["template_complete"].astype(bool)).sum())
    # "14 of the 19 are marked R because of continuing weaknesses in the template" (000).
    counts["R_template"] = int(((shown == rules.R) & frame["reason"].isin(TEMPLATE_REASONS)).sum())
    return counts


def direction_counts(directions) -> dict:
    return {d: int((directions == d).sum()) for d in rules.DIRECTIONS}


def by_set(frame, set_code=None) -> dict:
    """Counts for each set in scope, an indicator counting in every set containing its own."""
    sets = list(IndicatorSet.objects.values_list("code", "parent_id", "id"))
    if set_code:
        chosen = {code: set_id for code, _, set_id in sets}.get(set_code)
        if chosen is None:
            return {}
        inside, frontier = {chosen}, {chosen}
        while frontier:
            frontier = {set_id for _, parent, set_id in sets if parent in frontier} - inside
            inside |= frontier
        codes = [code for code, _, set_id in sets if set_id in inside]
    else:
        codes = [code for code, _, _ in sets]
    result = {code: _zero_counts() for code in codes}
    for set_codes, names in zip(frame["set_codes"], _judgements(frame), strict=True):
        for code in set_codes:
            entry = result.get(code)
            if entry is not None:
                _count(entry, names)
    return result


def by_theme(frame) -> dict:
    """Counts for each theme, in the order the themes first appear in the frame."""
    result: dict = {}
    for theme, names in zip(frame["theme"], _judgements(frame), strict=True):
        if theme is not None and theme == theme:  # None and NaN mean no theme
            if theme not in result:
                result[theme] = _zero_counts()
            _count(result[theme], names)
    return result


def _judgements(frame):
    """For each row, the names of the counts it adds one to ("total", its status, "no_data", "off_target" ...).

    The rules are asked once for each distinct (status, reason, target result): a thousand rows have
    a dozen, and every set, theme and objective an indicator is in adds the same counts.
    """
    known: dict = {}
    out = []
    for status, reason, result in zip(frame["status"], frame["reason"], frame["target_result"], strict=True):
        # None and NaN match no rule alike.
        key = (status if isinstance(status, str) else None, reason if isinstance(reason, str) else None,
               result if isinstance(result, str) else None)
        names = known.get(key)
        if names is None:
            names = known[key] = _counted(*key)
        out.append(names)
    return out


def _counted(status, reason, result) -> tuple[str, ...]:
    names = ["total"]
    if status in STATUSES:
        names.append(status)
    if reason == rules.NO_DATA and status not in STATUSES:
        names.append("no_data")
    names += [name for name, results in TARGET_COUNTS.items() if result in results]
    return tuple(names)


def _zero_counts() -> dict:
    return {"total": 0, **dict.fromkeys(STATUSES, 0), "no_data": 0, **dict.fromkeys(TARGET_COUNTS, 0)}


def _count(entry: dict, names) -> None:
    for name in names:
        entry[name] += 1


def objectives(frame, *, scoped: bool = False) -> tuple[dict, list]:
    """Per priority: its objectives' rolled-up status and direction; and the objectives listed.

    An objective with no indicator in scope is listed only for the whole council, and then
    only when it has an override (its status comes from elsewhere, e.g. its actions).
    """
    rule = rollup_rule()
    rows = list(Objective.objects.values_list(
        "id", "name", "priority__name", "status_override", "override_reason"
    ).order_by("priority__order", "priority__name", "order", "name"))
    grouped: dict = {}
    counts: dict = {}
    for oid, direction, status, names in zip(frame["objective_id"], frame["direction"], frame["status"],
                                             _judgements(frame), strict=True):
        if oid is not None and oid == oid:  # None and NaN mean no objective
            statuses, directions = grouped.setdefault(oid, ([], []))
            statuses.append(status)
            directions.append(direction)
            entry = counts.get(oid)
            if entry is None:
                entry = counts[oid] = _zero_counts()
            _count(entry, names)
    listed, by_priority = [], {}
    for oid, name, priority, override, reason in rows:
        part = grouped.get(oid)
        if part is None and (scoped or not override):
            continue
        statuses, directions = part if part is not None else ([], [])
        shown = rules.rollup(statuses, rule=rule, override=override, override_reason=reason)
        computed = rules.rollup(statuses, rule=rule)
        travel = rules.net_direction(directions)
        listed.append({
            "priority": priority, "objective": name, "status": shown, "computed": computed,
            "overridden": bool(override and reason.strip()), "override_reason": reason if override else "",
            "direction": travel, "indicators": len(statuses), "counts": counts[oid] if oid in counts else _zero_counts(),
        })
        entry = by_priority.setdefault(priority, {
            "objectives": 0, "G": 0, "A": 0, "R": 0, "B": 0,
            "improving": 0, "stable": 0, "deteriorating": 0, "not_comparable": 0,
            "indicators": _zero_counts(),
        })
        for name, value in counts.get(oid, {}).items():
            entry["indicators"][name] += value
        entry["objectives"] += 1
        if shown in entry:
            entry[shown] += 1
        entry[travel] += 1
    return by_priority, listed


def as_text(summary: dict) -> str:
    """The summary as lines a person reads in a terminal."""
    ind = summary["indicators"]
    scope = f" ({summary['set']})" if summary["set"] else ""
    prev = summary["previous"]
    lines = [
        f"Performance to the end of {summary['period_label']}{scope}",
        f"{ind['R']} of {ind['total']} indicators marked R, compared to {prev['indicators']['R']} "
        f"to {prev['period_label']}.",
        f"G {ind['G']}  A {ind['A']}  R {ind['R']}  B {ind['B']}  no data {ind['no_data']}  "
        f"data only {ind['data_only']}  for information {ind['for_information']}",
        f"Met target {ind['met_target']}, off target {ind['off_target']} "
        f"({ind['off_target_over_10pct']} of them by more than 10%), no target {ind['no_target']}",
        "Direction: " + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in summary["direction"].items()),
        "",
        "By set:",
    ]
    lines += [f"  {code}: {c['R']} of {c['total']} R (G {c['G']}, A {c['A']}, no data {c['no_data']})"
              for code, c in summary["by_set"].items()]
    if summary["by_theme"]:
        lines += ["", "By theme:"]
        lines += [f"  {name}: {c['R']} of {c['total']} R" for name, c in summary["by_theme"].items()]
    if summary["by_priority"]:
        lines += ["", "By priority:"]
        for name, c in summary["by_priority"].items():
            lines.append(
                f"  {name}: {c['objectives']} objective{'' if c['objectives'] == 1 else 's'}, G {c['G']}, A {c['A']}, R {c['R']}; "
                f"up {c['improving']}, stable {c['stable']}, down {c['deteriorating']}"
            )
    return "\n".join(lines) + "\n"


def spc_counts(views: dict) -> dict:
    """How many indicators' latest figures show each kind of variation and assurance (selectors.spc_latest)."""
    variation = Counter(v.variation for v in views.values())
    assurance = Counter(v.assurance for v in views.values() if v.assurance is not None)
    return {
        "total": len(views),
        "improvement": variation[spc.IMPROVEMENT], "concern": variation[spc.CONCERN],
        "neutral": variation[spc.NEUTRAL_HIGH] + variation[spc.NEUTRAL_LOW], "common": variation[spc.COMMON],
        "not_enough": variation[spc.NOT_ENOUGH],
        "pass": assurance[spc.PASS], "fail": assurance[spc.FAIL], "hit_and_miss": assurance[spc.HIT_AND_MISS],
    }
