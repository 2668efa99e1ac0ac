"""Reads that pages, reports and commands share: every indicator's status for a period, and series for charts.

Both read with a fixed, small number of queries (values_list into pandas), whatever the number
of indicators, and leave the rules to `indicators.status_frames` / `indicators.status`.

Which reading counts for a period P (a month, quarter or year key; "P's end" is its last day):
- monthly indicators: the month ending on P's end (P itself when P is a month);
- quarterly indicators: the latest financial quarter ending on or before P's end
  (July 2006 -> 2006/07 Q1; June 2006 -> 2006/07 Q1; May 2006 -> 2005/06 Q4);
- annual indicators: the latest financial year ending on or before P's end (July 2006 ->
  2005/06) when it has an actual, else the current financial year's reading if one exists.
That period is the indicator's "counted period" (column period_key).

Which target applies to the counted period C:
- the Target for exactly C (a milestone, or for an annual indicator its year's target);
- else, for monthly and quarterly indicators, the annual target of C's financial year
  (the Target on the year period);
- no target at all: R "no target". A Target row whose target, lower and upper are all blank
  counts as no target, and so does a Target agreed (agreed_on) after P's end: the report for
  P was written without it.
The action plan counts as robust for P when action_plan_robust is set and it was agreed
(action_plan_agreed_on) on or before P's end, or its agreement date is not recorded.
Annual indicators meeting their target are B ("achieved"), not G.
`template_complete` is: a target applies, a milestone exists for C (monthly and quarterly
indicators; an annual indicator's year target is its milestone) and the action plan is judged
robust. Data-only indicators, and readings marked "for information" for their period, need none of
these and are always complete.

Direction of travel compares the counted period's actual with the previous period of the same
kind (direction) and with the same period a year before (direction_year), judged with polarity
and a stable band of COUNCILPERF_STABLE_BAND_PCT % (default 1) of the earlier value. Cumulative
year-to-date measures are compared against the previous period per month elapsed (so April is
compared fairly with the whole of March's year); against last year they are compared as they are.
The forecast is for cumulative measures only: actual x 12 / months elapsed.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from decimal import Decimal
from itertools import chain

import numpy as np
import pandas as pd
from django.conf import settings
from django.db import connection
from django.db.models import FloatField, Prefetch, Q
from django.db.models.functions import Cast

from core import periods
from indicators import spc, status_frames
from indicators import status as rules
from indicators.models import (
    Indicator,
    IndicatorSet,
    Reading,
    ReadingHistory,
    SpcRebase,
    SpcSettings,
    Target,
)
from organisation.models import LeadRole, Period

COLUMNS = [
    "indicator_id", "code", "title", "unit", "decimals", "polarity", "frequency", "measure",
    "tolerance_pct", "period_key", "actual", "target", "lower", "upper", "status", "computed",
    "reason", "overridden", "override_reason", "target_result", "previous_key", "previous_actual",
    "year_ago_key", "year_ago_actual", "direction", "direction_year", "forecast", "theme_id",
    "theme", "priority_id", "priority", "objective_id", "objective", "set_codes", "directorate_id",
    "directorate", "portfolio_id", "portfolio", "lead_id", "lead_role", "commentary",
    "remedial_action", "data_quality", "for_information", "state", "has_reading", "has_milestone",
    "action_plan_robust", "template_complete", "order",
]


def stable_band_pct() -> Decimal:
    return Decimal(str(getattr(settings, "COUNCILPERF_STABLE_BAND_PCT", rules.DEFAULT_STABLE_BAND_PCT)))


def counted_periods(period_key: str | periods.PeriodKey) -> dict[str, periods.PeriodKey]:
    """For a period, the periods whose reading counts: by frequency, plus the annual fallback."""
    p = period_key if isinstance(period_key, periods.PeriodKey) else periods.parse(period_key)
    month = periods.month_of(p.end)
    quarter = month.quarter() if month.number % 3 == 0 else month.quarter().previous()
    year = month.year() if month.number == 12 else periods.PeriodKey(month.fy - 1, periods.YEAR, 1)
    return {
        Indicator.MONTHLY: month,
        Indicator.QUARTERLY: quarter,
        Indicator.ANNUAL: year,
        "current_year": month.year(),
    }


def _sets_frame():
    """Each set's code with the codes of every set containing it (itself first)."""
    rows = list(IndicatorSet.objects.values_list("id", "code", "parent_id", "order"))
    by_id = {row[0]: row for row in rows}
    ancestry = {}
    for set_id in by_id:
        chain, seen, current = [], set(), set_id
        while current is not None and current not in seen:
            seen.add(current)
            chain.append(by_id[current][1])
            current = by_id[current][2]
        ancestry[set_id] = chain
    order = {row[1]: (row[3], row[1]) for row in rows}
    return ancestry, order


INDICATOR_FIELDS = [
    ("id", "indicator_id"), ("code", "code"), ("title", "title"), ("unit", "unit"), ("decimals", "decimals"),
    ("polarity", "polarity"), ("frequency", "frequency"), ("measure", "measure"),
    ("tolerance_pct", "tolerance_pct"), ("theme_id", "theme_id"), ("theme__name", "theme"),
    ("objective__priority_id", "priority_id"), ("objective__priority__name", "priority"),
    ("objective_id", "objective_id"), ("objective__name", "objective"), ("directorate_id", "directorate_id"),
    ("directorate__name", "directorate"), ("portfolio_id", "portfolio_id"), ("portfolio__name", "portfolio"),
    ("lead_id", "lead_id"), ("lead_role__abbreviation", "lead_role"), ("action_plan_robust", "action_plan_robust"),
    ("action_plan_agreed_on", "action_plan_agreed_on"), ("order", "order"),
]
READING_TEXT = ("commentary", "remedial_action", "data_quality", "override", "override_reason", "state")


def _indicator_rows(portfolio_id=None) -> list[tuple]:
    queryset = Indicator.objects.all()
    if portfolio_id is not None:
        queryset = queryset.filter(portfolio_id=portfolio_id)
    return list(queryset.order_by("order", "code").values_list(*(field for field, _ in INDICATOR_FIELDS)))


def _memberships(indicator_ids=None):
    through = Indicator.sets.through.objects.filter(indicator__deleted_at__isnull=True)
    return list(through.values_list("indicator_id", "indicatorset_id"))


def period_status(*, period_key: str, set_code: str | None = None, portfolio_id=None) -> pd.DataFrame:
    """One row per active indicator in scope (set, including sets inside it; portfolio) for the period.

    Columns: see COLUMNS. Five queries whatever the number of indicators. The rows are put
    together with dictionary lookups (a thousand indicators, a few thousand readings: faster
    than joining DataFrames), and the rules run over whole columns in `indicators.status_frames`.
    """
    key = period_key if isinstance(period_key, str) else period_key.key
    return period_statuses(period_keys=[key], set_code=set_code, portfolio_id=portfolio_id)[key]


def period_statuses(
    *, period_keys, set_code: str | None = None, portfolio_id=None, judged_only=(), signed_off_only: bool = False,
) -> dict[str, pd.DataFrame]:
    """`period_status` for several periods (e.g. this month and the last), reading everything once.

    The indicators, sets, readings and targets of all the periods are read in the same five
    queries; each period is then judged as it was reported (targets agreed after its end do not
    count). Returns {period key: frame}. Periods in `judged_only` (a comparison that needs only
    each indicator's status) get the JUDGED_COLUMNS alone: no direction of travel, forecast or
    template check. `signed_off_only`: a figure not yet approved counts as no figure ("not yet
    available"), as a report does when the council leaves unapproved figures out.
    """
    keys = list(dict.fromkeys(periods.parse(k).key for k in period_keys))
    rows = _indicator_rows(portfolio_id)
    ancestry, set_order = _sets_frame()
    members: dict[int, set] = {}
    for indicator_id, set_id in _memberships():
        members.setdefault(indicator_id, set()).update(ancestry.get(set_id, []))
    set_codes = [sorted(members.get(row[0], ()), key=lambda code: set_order.get(code, (0, code))) for row in rows]
    if set_code:
        kept = [n for n, codes in enumerate(set_codes) if set_code in codes]
        rows, set_codes = [rows[n] for n in kept], [set_codes[n] for n in kept]
    if not rows:
        return {k: pd.DataFrame(columns=JUDGED_COLUMNS if k in judged_only else COLUMNS) for k in keys}

    plans, wanted, target_keys = {}, set(), set()
    for key in keys:
        counted = counted_periods(key)
        by_frequency = {f: counted[f] for f in (Indicator.MONTHLY, Indicator.QUARTERLY, Indicator.ANNUAL)}
        current_year = counted["current_year"]
        for c in [*by_frequency.values(), current_year]:
            wanted.add(c.key)
            if key not in judged_only:  # the periods direction of travel compares with
                wanted.update({c.previous().key, c.same_period_last_year().key})
        target_keys |= {c.key for c in by_frequency.values()} | {c.year().key for c in by_frequency.values()}
        target_keys.add(current_year.key)
        plans[key] = (by_frequency, current_year, periods.parse(key).end)
    readings = {
        (row[0], row[1]): row[2:]
        for row in Reading.objects.filter(period__key__in=wanted, indicator__deleted_at__isnull=True).values_list(
            "indicator_id", "period__key", "actual", "commentary", "remedial_action", "data_quality",
            "status_override", "status_reason", "state", "for_information",
        )
        if not signed_off_only or row[-1] == Reading.APPROVED
    }
    all_targets = [
        row for row in Target.objects.filter(period__key__in=target_keys, indicator__deleted_at__isnull=True)
        .values_list("indicator_id", "period__key", "target", "lower", "upper", "agreed_on")
        # A Target row with no figure at all counts as no target.
        if row[2] is not None or row[3] is not None or row[4] is not None
    ]
    out = {}
    for key, (by_frequency, current_year, as_at) in plans.items():
        # A target agreed after the period's end did not exist when the period was reported.
        targets = {(i, k): (t, lo, up) for i, k, t, lo, up, agreed in all_targets if agreed is None or agreed <= as_at}
        out[key] = _assemble(rows, set_codes, by_frequency, current_year, as_at, readings, targets,
                             judged_only=key in judged_only)
    return out


JUDGED_COLUMNS = [
    "indicator_id", "code", "period_key", "actual", "target", "lower", "upper", *status_frames.ASSESS_OUTPUT, "set_codes",
    "theme_id", "objective_id", "directorate_id", "portfolio_id",
]


def _assemble(rows, set_codes, by_frequency, current_year, as_at, readings, targets, judged_only=False) -> pd.DataFrame:
    columns = {name: list(values) for (_, name), values in zip(INDICATOR_FIELDS, zip(*rows, strict=True), strict=True)}
    columns["set_codes"] = set_codes
    columns["action_plan_robust"] = [
        bool(robust) and (agreed is None or agreed <= as_at)
        for robust, agreed in zip(columns["action_plan_robust"], columns.pop("action_plan_agreed_on"), strict=True)
    ]
    # Each kind of period the rows can count, parsed once: its previous period, year ago, year, months
    # elapsed, and the months elapsed of its previous period (cumulative measures compare per month).
    kinds = {}
    for key in {c.key for c in by_frequency.values()} | {current_year.key}:
        p = periods.parse(key)
        kinds[key] = (p.previous().key, p.same_period_last_year().key, p.year().key, p.months_elapsed,
                      p.previous().months_elapsed)
    year_key, no_reading = by_frequency[Indicator.ANNUAL].key, (None, "", "", "", "", "", "", False)
    out = {name: [] for name in (
        "period_key", "previous_key", "year_ago_key", "months_elapsed", "previous_months", "actual",
        *READING_TEXT, "for_information", "has_reading", "previous_actual", "year_ago_actual", "target", "lower", "upper",
        "has_milestone", "annual",
    )}
    for indicator_id, frequency in zip(columns["indicator_id"], columns["frequency"], strict=True):
        annual = frequency == Indicator.ANNUAL
        key = by_frequency[frequency].key
        # An annual indicator with no actual for the year just ended shows this year's, if there is one.
        if annual and (readings.get((indicator_id, year_key)) or no_reading)[0] is None and (
            (indicator_id, current_year.key) in readings
        ):
            key = current_year.key
        previous_key, year_ago_key, own_year, months, previous_months = kinds[key]
        reading = readings.get((indicator_id, key))
        actual, commentary, remedial, quality, override, override_reason, state, information = reading or no_reading
        milestone = targets.get((indicator_id, key))
        applied = milestone if milestone is not None or annual else targets.get((indicator_id, own_year))
        target, lower, upper = applied or (None, None, None)
        out["period_key"].append(key)
        out["previous_key"].append(previous_key)
        out["year_ago_key"].append(year_ago_key)
        out["months_elapsed"].append(months)
        out["previous_months"].append(previous_months)
        out["actual"].append(actual)
        out["commentary"].append(commentary or "")
        out["remedial_action"].append(remedial or "")
        out["data_quality"].append(quality or "")
        out["override"].append(override or "")
        out["override_reason"].append(override_reason or "")
        out["state"].append(state or "")
        out["for_information"].append(bool(information))
        out["has_reading"].append(reading is not None)
        out["previous_actual"].append((readings.get((indicator_id, previous_key)) or no_reading)[0])
        out["year_ago_actual"].append((readings.get((indicator_id, year_ago_key)) or no_reading)[0])
        out["target"].append(target)
        out["lower"].append(lower)
        out["upper"].append(upper)
        out["has_milestone"].append(milestone is not None)
        out["annual"].append(annual)
    previous_months = out.pop("previous_months")
    columns.update(out)
    frame = pd.DataFrame({name: pd.Series(values, dtype=object) for name, values in columns.items()})
    for name in ("has_reading", "has_milestone", "annual", "action_plan_robust", "for_information"):
        frame[name] = frame[name].astype(bool)

    assessed = status_frames.assess_frame(frame)
    for col in status_frames.ASSESS_OUTPUT:
        frame[col] = assessed[col]
    if judged_only:
        return frame[JUDGED_COLUMNS]

    band = stable_band_pct()
    cumulative = [m == Indicator.CUMULATIVE for m in columns["measure"]]
    compare = pd.DataFrame({
        "actual": _per_month(columns["actual"], columns["months_elapsed"], cumulative),
        "previous_actual": _per_month(columns["previous_actual"], previous_months, cumulative),
        "polarity": frame["polarity"], "lower": frame["lower"], "upper": frame["upper"],
    })
    frame["direction"] = status_frames.direction_frame(compare, band_pct=band)
    frame["direction_year"] = status_frames.direction_frame(
        frame, current="actual", previous="year_ago_actual", band_pct=band
    )
    frame["forecast"] = pd.Series([
        rules.forecast_outturn(actual=a, months_elapsed=m) if c and a is not None else None
        for a, m, c in zip(columns["actual"], columns["months_elapsed"], cumulative, strict=True)
    ], dtype=object)
    has_target = (frame["reason"] != rules.NO_TARGET) & (frame["polarity"] != rules.NONE)
    milestone_ok = frame["has_milestone"] | frame["annual"]
    frame["template_complete"] = ((frame["polarity"] == rules.NONE) | frame["for_information"] | (
        has_target & milestone_ok & frame["action_plan_robust"]
    )).astype(bool)
    return frame[COLUMNS]


def _per_month(values, months, cumulative) -> pd.Series:
    """A cumulative measure's figure per month elapsed; snapshots as they are."""
    out = [
        (v / m if c else v) if v is not None else None
        for v, m, c in zip(values, months, cumulative, strict=True)
    ]
    return pd.Series(out, dtype=object)


def series(*, indicator_ids, period_keys) -> pd.DataFrame:
    """Actual, applicable target and status for each indicator and period given (for charts and KPI tables).

    One row per (indicator, period) pair, indicators in the order given and periods in the
    order given; three queries. Each period is judged as it was reported: targets and action
    plans agreed after its end do not count (as in period_status).
    """
    ids, keys = list(dict.fromkeys(indicator_ids)), [periods.parse(k).key for k in period_keys]
    columns = ["indicator_id", "period_key", "actual", "target", "lower", "upper", *status_frames.ASSESS_OUTPUT,
               "commentary", "remedial_action", "data_quality"]
    if not ids or not keys:
        return pd.DataFrame(columns=columns)
    info = {
        row[0]: row for row in Indicator.objects.filter(pk__in=ids).values_list(
            "id", "polarity", "tolerance_pct", "frequency", "action_plan_robust", "action_plan_agreed_on"
        )
    }
    parsed = {k: periods.parse(k) for k in keys}
    year_of = {k: p.year().key for k, p in parsed.items()}
    readings = {
        (row[0], row[1]): row[2:] for row in Reading.objects.filter(indicator_id__in=ids, period__key__in=keys)
        .values_list("indicator_id", "period__key", "actual", "status_override", "status_reason", "commentary",
                     "remedial_action", "data_quality", "for_information")
    }
    targets = {
        (row[0], row[1]): row[2:] for row in Target.objects.filter(
            indicator_id__in=ids, period__key__in=set(keys) | set(year_of.values())
        ).values_list("indicator_id", "period__key", "target", "lower", "upper", "agreed_on")
    }
    rows = []
    for i in ids:
        if i not in info:
            continue
        _, polarity, tolerance, frequency, robust, plan_agreed = info[i]
        for k in keys:
            end = parsed[k].end
            applied = _applicable(targets.get((i, k)), end)
            if applied is None and frequency != Indicator.ANNUAL:
                applied = _applicable(targets.get((i, year_of[k])), end)
            target, lower, upper = applied or (None, None, None)
            actual, override, reason, commentary, remedial, quality, information = readings.get(
                (i, k), (None, "", "", "", "", "", False)
            )
            rows.append({
                "indicator_id": i, "period_key": k, "actual": actual, "target": target, "lower": lower,
                "upper": upper, "polarity": polarity, "tolerance_pct": tolerance, "override": override,
                "override_reason": reason, "annual": frequency == Indicator.ANNUAL,
                "action_plan_robust": bool(robust) and (plan_agreed is None or plan_agreed <= end),
                "commentary": commentary, "remedial_action": remedial, "data_quality": quality,
                "for_information": bool(information),
            })
    if not rows:
        return pd.DataFrame(columns=columns)
    frame = pd.DataFrame(rows, dtype=object)
    assessed = status_frames.assess_frame(frame)
    for col in status_frames.ASSESS_OUTPUT:
        frame[col] = assessed[col]
    return frame[columns]


def _applicable(row, end):
    """A Target row's (target, lower, upper) if it holds a figure and was agreed by `end`; else None."""
    if row is None:
        return None
    target, lower, upper, agreed_on = row
    if target is None and lower is None and upper is None:
        return None
    if agreed_on is not None and agreed_on > end:
        return None
    return target, lower, upper


# --- SPC for many indicators at once -------------------------------------------------------

SPC_HISTORY_YEARS = 5  # how far back lists and reports read figures for the limits


@dataclass(frozen=True)
class SpcView:
    """One indicator's SPC judgement of its latest figure, as lists, dashboards and reports show it."""

    variation: str
    side: str | None
    assurance: str | None
    trial: bool
    points: int
    rule: str | None
    latest_key: str | None  # the period of the latest figure
    start_key: str | None  # where the pattern behind a special cause begins
    run: int  # how many figures that pattern has

    @property
    def special(self) -> bool:
        return self.variation in spc.SPECIAL_CAUSES

    @property
    def judged(self) -> bool:
        return self.variation != spc.NOT_ENOUGH


def _index_of(pk: periods.PeriodKey) -> int:
    return pk.fy * pk.periods_in_year + pk.number - 1


def _figures_of(window, scope) -> np.ndarray:
    """(indicator id, period id, actual as float) of every figure in the periods, as a numpy array.

    Tens of thousands of figures: read as floats by a plain cursor (no Decimal, no model rows).
    (Joining each indicator's figures into one text in the database was measured slower on SQLite.)
    """
    query = Reading.objects.filter(period_id__in=list(window), actual__isnull=False, **scope).annotate(
        value=Cast("actual", FloatField())
    ).values_list("indicator_id", "period_id", "value")
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return np.fromiter(chain.from_iterable(rows), dtype=float, count=3 * len(rows)).reshape(-1, 3)


def spc_options(settings_row, rebase_keys, key_at) -> spc.Options | None:
    """spc.Options from an indicator's settings (run length, screening, trial, baseline key) and rebase keys.

    `key_at` maps a period key to its index in the series; keys outside it are ignored.
    """
    if settings_row is None and not rebase_keys:
        return None
    run_length, screen, trial, baseline_key = settings_row or (spc.RUN, False, False, None)
    return spc.Options(
        run_length=run_length, screen_outliers=bool(screen), trial_limits=bool(trial),
        baseline_end=key_at.get(baseline_key) if baseline_key else None,
        rebase_at=tuple(sorted(key_at[k] for k in rebase_keys if k in key_at)),
    )


def spc_latest(
    *, period_key: str, frame: pd.DataFrame | None = None, indicator_ids=None, targets: dict | None = None,
    indicators=None,
) -> dict[int, SpcView]:
    """{indicator id: SpcView} for the latest figure of each indicator up to the period: three queries.

    The targets judged against are the frame's (period_status: the counted period's target) when
    given. Figures of each indicator's own frequency, at most SPC_HISTORY_YEARS years back, form
    one matrix per kind of period, and spc.analyse_many judges every row at once.
    """
    as_at = periods.parse(period_key)
    if frame is not None:
        ids = [int(i) for i in frame["indicator_id"]]
        info = {
            int(i): (p, f, t, lo, up) for i, p, f, t, lo, up in zip(
                frame["indicator_id"], frame["polarity"], frame["frequency"], frame["target"], frame["lower"],
                frame["upper"], strict=True,
            )
        }
    else:
        if indicators is None:  # (id, polarity, frequency) of each, unless the caller has them
            queryset = Indicator.objects.all() if indicator_ids is None else Indicator.objects.filter(pk__in=indicator_ids)
            indicators = queryset.values_list("id", "polarity", "frequency")
        targets = targets or {}
        info = {i: (p, f, *targets.get(i, (None, None, None))) for i, p, f in indicators}
        ids = list(info)
    if not ids:
        return {}
    earliest = as_at.end.replace(year=as_at.end.year - SPC_HISTORY_YEARS)
    window = {
        pid: periods.PeriodKey(fy, kind, number) for pid, fy, kind, number in Period.objects.filter(
            kind__in=(periods.MONTH, periods.QUARTER), end__lte=as_at.end, end__gt=earliest,
        ).values_list("id", "fy", "kind", "number")
    }
    # Many indicators: every figure of the window, no join (rows of indicators out of scope are dropped below).
    scope = {"indicator_id__in": ids} if len(ids) <= 500 else {}
    settings_rows = {
        i: rest for i, *rest in SpcSettings.objects.filter(**scope).values_list(
            "indicator_id", "run_length", "screen_outliers", "trial_limits", "baseline_end__key"
        )
    }
    rebases: dict[int, list[str]] = {}
    for i, key in SpcRebase.objects.filter(**scope).values_list("indicator_id", "period__key"):
        rebases.setdefault(i, []).append(key)
    # A report is built again and again on the same figures (its page, print, publication): the judgement
    # is kept while a checksum of every figure in the window, the options and the targets are unchanged.
    cache_key = (
        period_key, tuple(window.items()), tuple(scope.get("indicator_id__in", ())), _checksum_of(window, scope),
        tuple(sorted((i, tuple(v)) for i, v in settings_rows.items())),
        tuple(sorted((i, tuple(v)) for i, v in rebases.items())), tuple((i, *info[i]) for i in ids if i in info),
    )
    cached = _SPC_CACHE.get(cache_key)
    if cached is not None:
        _SPC_CACHE.move_to_end(cache_key)
        return dict(cached)
    out = _spc_judge(as_at, window, _figures_of(window, scope), ids, info, settings_rows, rebases)
    _SPC_CACHE[cache_key] = out
    while len(_SPC_CACHE) > SPC_CACHE_SIZE:
        _SPC_CACHE.popitem(last=False)
    return dict(out)


SPC_CACHE_SIZE = 16
_SPC_CACHE: OrderedDict = OrderedDict()


def _checksum_of(window, scope) -> tuple:
    """A fingerprint of the figures in the periods: how many, and a weighted sum that any change moves."""
    query = Reading.objects.filter(period_id__in=list(window), actual__isnull=False, **scope).annotate(
        value=Cast("actual", FloatField())
    ).values_list("indicator_id", "period_id", "value")
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        # The inner query is Django's own SQL, its parameters passed separately.
        checksum = "SELECT COUNT(*), SUM(value * (period_id * 1000003 + indicator_id)), SUM(value), MAX({}) FROM ({}) f".format(  # noqa: S608
            "indicator_id * 1000003 + period_id", sql
        )
        cursor.execute(checksum, params)
        return tuple(cursor.fetchone())


def _spc_judge(as_at, window, figures, ids, info, settings_rows, rebases) -> dict[int, SpcView]:
    kind_of = {Indicator.MONTHLY: periods.MONTH, Indicator.QUARTERLY: periods.QUARTER}
    out: dict[int, SpcView] = {}
    if not window or not len(figures):
        return out
    top_period = max(window) + 1
    period_column = np.full(top_period, -1, dtype=np.int64)
    period_kind = np.zeros(top_period, dtype=np.int8)
    for pid, pk in window.items():
        period_column[pid] = _index_of(pk)
        period_kind[pid] = 1 if pk.kind == periods.MONTH else 2
    figure_period = figures[:, 1].astype(np.int64)
    figure_indicator = figures[:, 0].astype(np.int64)
    for code, kind in ((1, periods.MONTH), (2, periods.QUARTER)):
        members = [i for i in ids if i in info and kind_of.get(info[i][1]) == kind]
        if not members:
            continue
        row_of = np.full(max(max(members), int(figure_indicator.max(initial=0))) + 1, -1, dtype=np.int64)
        row_of[members] = np.arange(len(members))
        rows_at = row_of[figure_indicator]
        keep = (period_kind[figure_period] == code) & (rows_at >= 0)
        if not keep.any():
            continue
        cols = period_column[figure_period[keep]]
        first = int(cols.min())
        last_month = as_at if kind == periods.MONTH and as_at.kind == periods.MONTH else None
        end = _index_of(last_month) if last_month is not None else int(cols.max())
        width = end - first + 1
        matrix = np.full((len(members), width), np.nan)
        matrix[rows_at[keep], cols - first] = figures[keep, 2]
        per_year = 12 if kind == periods.MONTH else 4

        def key_at_index(n, per_year=per_year, kind=kind, first=first):
            absolute = first + n
            return periods.PeriodKey(absolute // per_year, kind, absolute % per_year + 1).key

        key_at: dict[str, int] | None = None
        options, targets, polarities = [], [], []
        for i in members:
            polarity, _, target, lower, upper = info[i]
            polarities.append(polarity)
            targets.append((target, lower, upper))
            if i in settings_rows or i in rebases:
                if key_at is None:
                    key_at = {key_at_index(n): n for n in range(width)}
                options.append(spc_options(settings_rows.get(i), rebases.get(i, []), key_at))
            else:
                options.append(None)
        judged = spc.analyse_many_matrix(matrix, polarities=polarities, targets=targets, options=options)
        keys: dict[int, str] = {}
        for i, result in zip(members, judged, strict=True):
            for n in (result.latest, result.start):
                if n is not None and n not in keys:
                    keys[n] = key_at_index(n)
            out[i] = SpcView(
                variation=result.variation, side=result.side, assurance=result.assurance, trial=result.trial,
                points=result.points, rule=result.rule,
                latest_key=keys.get(result.latest), start_key=keys.get(result.start),
                run=(result.latest - result.start + 1) if result.start is not None else 0,
            )
    return out


def led_by(user) -> Q:
    """The indicators a person leads, as `policy.leads_indicator` judges one: named as the lead, or holding
    the lead role. A filter with a subquery: no query of its own, and no indicator twice."""
    return led_by_id(user.pk)


def led_by_id(user_id) -> Q:
    """`led_by` for a person known only by their id (a choice on the chasing page)."""
    return Q(lead_id=user_id) | Q(lead_role__in=LeadRole.objects.filter(holders__user_id=user_id).values("pk"))


# --- One indicator's page ---------------------------------------------------------------------

def indicator_for_page():
    """Indicators with what their page shows beside them: definition, sets, targets by period."""
    return Indicator.objects.select_related(
        "theme", "objective__priority", "portfolio", "directorate", "lead", "lead_role", "baseline_period",
    ).prefetch_related(
        Prefetch("sets", queryset=IndicatorSet.objects.select_related("parent")),
        Prefetch("targets", queryset=Target.objects.select_related("period").order_by("period__start", "period__kind")),
    )


def readings_for_page(indicator: Indicator) -> list[Reading]:
    """Every reading of the indicator, oldest period first, with who entered and who overrode it."""
    return list(
        Reading.objects.filter(indicator=indicator).select_related("period", "updated_by", "override_by")
        .order_by("period__start", "period__kind")
    )


def changes_for_page(indicator: Indicator) -> list[ReadingHistory]:
    """Every change to the indicator's figures, latest first, with its period and who made it."""
    return list(
        ReadingHistory.objects.filter(reading__indicator=indicator)
        .select_related("reading__period", "by").order_by("-at", "-id")
    )
