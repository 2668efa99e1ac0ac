"""Indicator pages for staff: the dashboard of figures, the filterable list and one indicator's page."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.views.decorators.http import require_GET, require_POST

from core import clock, panels, periods, policy, presenters
from core.templatetags.display import status_tag
from indicators import charts, selectors, services, spc, spc_icons
from indicators import status as rules
from indicators.forms import SpcOptionsForm, SpcRebaseForm
from indicators.models import (
    Indicator,
    IndicatorSet,
    Priority,
    Reading,
    SpcRebase,
    SpcSettings,
    Theme,
)
from indicators.selectors import period_status, period_statuses, series, spc_latest
from indicators.selectors import spc_options as spc_options_of
from indicators.summary import spc_counts, summary_of
from organisation.models import Directorate, Period, Portfolio

LIST_PAGE_SIZE = 100
STATUS_FILTERS = [("R", "Red"), ("A", "Amber"), ("G", "Green"), ("B", "Blue"), ("none", "No status")]
KIND_OF = {Indicator.MONTHLY: periods.MONTH, Indicator.QUARTERLY: periods.QUARTER, Indicator.ANNUAL: periods.YEAR}


def _period_label(key) -> str:
    try:
        return periods.parse(key).label
    except (ValueError, TypeError):
        return key or ""


def _period_choices():
    """The months the council has periods for, latest first."""
    keys = list(
        Period.objects.filter(kind=periods.MONTH).order_by("-start").values_list("key", flat=True)[:36]
    )
    return keys


def _chosen_period(request, choices) -> str:
    raw = request.GET.get("period", "").strip()
    if raw:
        try:
            return periods.parse(raw).key
        except periods.PeriodKeyError:
            pass
    latest = (
        Reading.objects.filter(actual__isnull=False, period__kind=periods.MONTH)
        .order_by("-period__start").values_list("period__key", flat=True).first()
    )
    if latest:
        return latest
    return choices[0] if choices else periods.month_of(clock.today()).key


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@require_GET
def dashboard(request):
    """The same figures as `performance_summary`, for a chosen period and set."""
    policy.require(policy.may_view_indicators(request.user))
    choices = _period_choices()
    period_key = _chosen_period(request, choices)
    sets = list(IndicatorSet.objects.all())
    set_code = request.GET.get("set") or None
    if set_code not in {s.code for s in sets}:
        set_code = None
    previous_key = periods.parse(period_key).previous().key
    frames = period_statuses(period_keys=[period_key, previous_key], set_code=set_code, judged_only=[previous_key])
    summary = summary_of(frames[period_key], frames[previous_key], period_key=period_key, set_code=set_code)
    spc_views = spc_latest(period_key=period_key, frame=frames[period_key])
    ind = summary["indicators"]
    statused = sum(ind[s] for s in ("G", "A", "R", "B"))
    shares = {s: (100 * ind[s] / statused if statused else 0) for s in ("G", "A", "R", "B")}
    return render(request, "indicators/dashboard.html", {
        "summary": summary,
        "shares": shares,
        "period_key": period_key,
        "period_choices": choices if period_key in choices else [period_key, *choices],
        "sets": sets,
        "set_code": set_code,
        "period_label": periods.parse(period_key).label,
        "spc": spc_counts(spc_views),
        "spc_icons": {
            "improvement": spc_icons.variation_svg(spc.IMPROVEMENT, spc.HIGH),
            "concern": spc_icons.variation_svg(spc.CONCERN, spc.LOW),
            "neutral": spc_icons.variation_svg(spc.NEUTRAL_HIGH, spc.HIGH),
            "common": spc_icons.variation_svg(spc.COMMON, None),
            "not_enough": spc_icons.variation_svg(spc.NOT_ENOUGH, None),
            "pass": spc_icons.assurance_svg(spc.PASS), "fail": spc_icons.assurance_svg(spc.FAIL),
            "hit_and_miss": spc_icons.assurance_svg(spc.HIT_AND_MISS),
        },
        "spc_key": spc_icons.key_rows(),
        # What the apps above show here (benchmarking: quartiles against similar councils).
        "panels": panels.dashboard.fill(request.user, period_key=period_key, set_code=set_code),
    })


@require_GET
def indicator_list(request):
    """Every indicator's status for a period, filterable, with counts."""
    policy.require(policy.may_view_indicators(request.user))
    choices = _period_choices()
    period_key = _chosen_period(request, choices)
    sets = list(IndicatorSet.objects.all())
    themes = list(Theme.objects.all())
    priorities = list(Priority.objects.all())
    portfolios = list(Portfolio.objects.all())
    directorates = list(Directorate.objects.all())
    chosen = {
        "set": request.GET.get("set") or "",
        "theme": _int_or_none(request.GET.get("theme")),
        "priority": _int_or_none(request.GET.get("priority")),
        "portfolio": _int_or_none(request.GET.get("portfolio")),
        "directorate": _int_or_none(request.GET.get("directorate")),
        "status": request.GET.get("status") or "",
    }
    if chosen["set"] not in {s.code for s in sets}:
        chosen["set"] = ""
    frame = period_status(
        period_key=period_key, set_code=chosen["set"] or None, portfolio_id=chosen["portfolio"]
    )
    for field, column in (("theme", "theme_id"), ("priority", "priority_id"), ("directorate", "directorate_id")):
        if chosen[field] is not None:
            frame = frame[frame[column] == chosen[field]]
    counts = {code: int((frame["status"] == code).sum()) for code in ("R", "A", "G", "B")}
    counts["none"] = int(frame["status"].isna().sum())
    counts["total"] = len(frame)
    if chosen["status"] == "none":
        frame = frame[frame["status"].isna()]
    elif chosen["status"] in counts:
        frame = frame[frame["status"] == chosen["status"]]
    # A page of rows: rendering a thousand rows is most of the page's time, and nobody reads them all at once.
    page = Paginator(range(len(frame)), LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    part = frame.iloc[page.start_index() - 1 : page.end_index()] if len(frame) else frame
    rows = _list_rows(part, spc_latest(period_key=period_key, frame=part)) if len(part) else []
    # Columns the apps above fill (benchmarking's quartile), each read once for the whole page.
    ids = [int(i) for i in part["indicator_id"]] if len(part) else []
    columns = panels.indicator_columns.fill(request.user, period_key=period_key, indicator_ids=ids)
    for row, pk in zip(rows, ids, strict=True):
        row["more"] = [column["cells"].get(pk, "") for column in columns]
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "indicators/list.html", {
        "rows": rows,
        "columns": columns,
        "page": page,
        "page_query": query.urlencode(),
        "shown": len(frame),
        "counts": counts,
        "chosen": chosen,
        "period_key": period_key,
        "period_label": periods.parse(period_key).label,
        "period_choices": choices if period_key in choices else [period_key, *choices],
        "sets": sets, "themes": themes, "priorities": priorities, "portfolios": portfolios,
        "directorates": directorates, "status_filters": STATUS_FILTERS,
        "filtered": any(v not in ("", None) for v in chosen.values()),
        "spc_key": spc_icons.key_rows(),
    })


LIST_COLUMNS = [
    "indicator_id", "code", "title", "set_codes", "theme", "directorate", "period_key", "actual", "target", "lower",
    "upper", "decimals", "polarity", "status", "reason", "overridden", "computed", "override_reason", "direction",
    "template_complete",
]
NO_STATUS_TAG = {
    rules.DATA_ONLY: format_html('<strong class="govuk-tag govuk-tag--grey">{}</strong>', "Data only"),
    None: format_html('<strong class="govuk-tag govuk-tag--grey">{}</strong>', "No data"),
}


def _list_rows(part, spc_views=None) -> list[dict]:
    """What each row of the list shows, worked out once in Python (the template engine pays per lookup and filter).

    Figures are formatted here; names and titles stay as typed and are escaped by the template.
    """
    detail = reverse("indicators:detail", args=[987654321]).rsplit("987654321", 1)
    tags = {}
    labels = {}  # "2006-07" is July 2006 to the code and the financial year to a reader: show "July 2006"
    rows = []
    for (pk, code, title, set_codes, theme, directorate, period_key, actual, target, lower, upper, decimals,
         polarity, status, reason, overridden, computed, override_reason, direction,
         complete) in zip(*(part[c] for c in LIST_COLUMNS), strict=True):
        if polarity == rules.RANGE:
            shown_target = "{} to {}".format(
                "" if lower is None else presenters.number(lower, decimals),
                "" if upper is None else presenters.number(upper, decimals),
            )
        else:
            shown_target = "No target" if target is None else presenters.number(target, decimals)
        if status:
            if status not in tags:
                tags[status] = status_tag(status)
            tag = tags[status]
        else:
            tag = NO_STATUS_TAG[rules.DATA_ONLY if reason == rules.DATA_ONLY else None]
        rows.append({
            "url": detail[0] + str(pk) + detail[1], "code": code, "title": title,
            "about": " · ".join([", ".join(set_codes), *(x for x in (theme, directorate) if x)]),
            "period_key": labels.get(period_key) or labels.setdefault(period_key, _period_label(period_key)),
            "actual": presenters.number(actual, decimals), "target": shown_target,
            "tag": tag, "overridden": overridden,
            "computed": presenters.status(computed).word if overridden else "",
            "override_reason": override_reason, "reason": capfirst(reason) if reason else reason,
            "direction": "Not comparable" if direction == rules.NOT_COMPARABLE else capfirst(direction),
            "complete": complete,
            "spc": _spc_badge((spc_views or {}).get(pk)),
        })
    return rows


def _spc_badge(view):
    """The MDC icons with their words for one indicator's latest figure; 'No figures' when it has none."""
    if view is None:
        return spc_icons.badge(spc.NOT_ENOUGH, None, None)
    return spc_icons.badge(view.variation, view.side, view.assurance, view.trial)


def _chart_periods(indicator, timeline, values, by_period) -> dict:
    """What the run chart needs about its periods: labels, figures and targets per period, where each
    financial year starts, and each year's own target at its March.

    A cumulative (year-to-date) measure's chart runs on to the March of its last year, so the year-end
    target sits where it is due rather than at the latest month.
    """
    timeline = list(timeline)
    values = list(values)
    cumulative = indicator.measure == Indicator.CUMULATIVE
    if cumulative and timeline and timeline[-1].kind == periods.MONTH:
        while timeline[-1].number < 12:
            timeline.append(timeline[-1].next())
            values.append(None)
    year_targets = {t.period.fy: t.target for t in indicator.targets.all()
                    if t.period.kind == periods.YEAR and t.target is not None}
    starts, year_ends = {}, []
    for i, k in enumerate(timeline):
        if i == 0 or k.fy != timeline[i - 1].fy:
            starts[i] = periods.fy_label(k.fy)
        last_of_year = i == len(timeline) - 1 or timeline[i + 1].fy != k.fy
        if last_of_year and k.fy in year_targets and (k.kind != periods.MONTH or k.number == 12):
            year_ends.append((i, year_targets[k.fy], periods.fy_label(k.fy)))
    return {
        "labels": [k.short_label for k in timeline],
        "actuals": values,
        "targets": [by_period[k.key].get("target") if k.key in by_period else None for k in timeline],
        "year_starts": starts, "cumulative": cumulative, "year_end_targets": year_ends,
        "y_label": indicator.get_unit_display(),
        "x_label": "Month" if timeline and timeline[0].kind == periods.MONTH else "Period",
    }


def _timeline(keys: list) -> list:
    """The periods from the first key to the last, each once, in order (keys are of one kind)."""
    if not keys:
        return []
    out, current, last = [], keys[0], keys[-1]
    while len(out) < 1200:
        out.append(current)
        if current == last:
            break
        current = current.next()
    return out


@require_GET
def indicator_detail(request, pk):
    """One indicator: definition, template, history with statuses, chart with SPC, commentary and changes."""
    policy.require(policy.may_view_indicators(request.user))
    return render(request, "indicators/detail.html", _detail_context(request, pk))


@require_POST
def spc_options(request, pk):
    """The performance team sets how the indicator's SPC is worked out (run length, screening, trial, baseline)."""
    policy.require(policy.may_view_indicators(request.user) and policy.may_set_spc_options(request.user))
    indicator = get_object_or_404(Indicator, pk=pk)
    choices = _spc_period_choices(indicator)
    form = SpcOptionsForm(request.POST, period_choices=choices)
    if not form.is_valid():
        return render(request, "indicators/detail.html", _detail_context(request, pk, spc_form=form), status=400)
    data = form.cleaned_data
    services.spc_options_save(
        indicator=indicator, user=request.user, run_length=data["run_length"],
        screen_outliers=data["screen_outliers"], trial_limits=data["trial_limits"],
        baseline_end=Period.objects.get(key=data["baseline_end"]) if data["baseline_end"] else None,
        reason=data["reason"], request=request,
    )
    messages.success(request, "The chart's settings are saved and recorded in the audit log.")
    return redirect(reverse("indicators:detail", args=[pk]) + "#spc")


@require_POST
def spc_rebase(request, pk):
    """The performance team recalculates the limits from a period, saying what changed."""
    policy.require(policy.may_view_indicators(request.user) and policy.may_set_spc_options(request.user))
    indicator = get_object_or_404(Indicator, pk=pk)
    form = SpcRebaseForm(request.POST, period_choices=_spc_period_choices(indicator)[1:])
    if not form.is_valid():
        return render(request, "indicators/detail.html", _detail_context(request, pk, rebase_form=form), status=400)
    services.spc_rebase_add(
        indicator=indicator, period=Period.objects.get(key=form.cleaned_data["period"]),
        reason=form.cleaned_data["reason"], user=request.user, request=request,
    )
    messages.success(request, "The limits are recalculated from that period; the audit log records why.")
    return redirect(reverse("indicators:detail", args=[pk]) + "#spc")


@require_POST
def spc_rebase_remove(request, pk, rebase_id):
    policy.require(policy.may_view_indicators(request.user) and policy.may_set_spc_options(request.user))
    rebase = get_object_or_404(SpcRebase.objects.select_related("indicator", "period"), pk=rebase_id, indicator_id=pk)
    services.spc_rebase_remove(rebase=rebase, user=request.user, request=request)
    messages.success(request, "The limits are no longer recalculated from that period.")
    return redirect(reverse("indicators:detail", args=[pk]) + "#spc")


def _spc_period_choices(indicator) -> list[tuple[str, str]]:
    """The periods of the indicator's own kind from its first figure to its last, as (key, label)."""
    kind = KIND_OF[indicator.frequency]
    keys = [periods.PeriodKey(fy, kind, n) for fy, n in Reading.objects.filter(
        indicator=indicator, period__kind=kind).order_by("period__start").values_list("period__fy", "period__number")]
    return [(k.key, k.label) for k in _timeline(keys)]


def _detail_context(request, pk, *, spc_form=None, rebase_form=None) -> dict:
    indicator = get_object_or_404(selectors.indicator_for_page(), pk=pk)
    readings = selectors.readings_for_page(indicator)
    own_kind = KIND_OF[indicator.frequency]
    own = [r for r in readings if r.period.kind == own_kind]
    keys = [r.period.key for r in own]
    history = series(indicator_ids=[indicator.pk], period_keys=keys).to_dict("records") if keys else []
    by_key = {row["period_key"]: row for row in history}
    rows = []
    for reading in own:
        row = by_key.get(reading.period.key, {})
        rows.append({"reading": reading, "period": reading.period, **row})

    # Every period from the first figure to the last, so a missing month is a gap in the chart and the SPC.
    timeline = _timeline([r.period.pk_key for r in own])
    by_period = {row["period"].key: row for row in rows}
    values = [by_period[k.key]["reading"].actual if k.key in by_period else None for k in timeline]
    latest_row = next((row for row in reversed(rows) if row["reading"].actual is not None), None)
    spc_settings = SpcSettings.objects.filter(indicator=indicator).select_related("baseline_end", "updated_by").first()
    rebases = list(SpcRebase.objects.filter(indicator=indicator).select_related("period", "created_by"))
    position = {k.key: n for n, k in enumerate(timeline)}
    options = spc_options_of(
        (spc_settings.run_length, spc_settings.screen_outliers, spc_settings.trial_limits,
         spc_settings.baseline_end.key if spc_settings.baseline_end_id else None) if spc_settings else None,
        [r.period.key for r in rebases], position,
    )
    analysis = spc.analyse(
        values, polarity=indicator.polarity, target=(latest_row or {}).get("target"),
        lower=(latest_row or {}).get("lower"), upper=(latest_row or {}).get("upper"), options=options,
    ) if latest_row else None
    chart = charts.indicator_chart_svg(
        **_chart_periods(indicator, timeline, values, by_period),
        analysis=analysis,
        title=f"{indicator.code} {indicator.title}: actuals against target",
        decimals=indicator.decimals,
    ) if own else None

    changes = selectors.changes_for_page(indicator)
    change_rows = [
        {"entry": entry, "fields": [
            {"field": name.replace("_", " "), "old": pair[0] if isinstance(pair, list | tuple) else "",
             "new": pair[1] if isinstance(pair, list | tuple) and len(pair) > 1 else pair}
            for name, pair in (entry.changes or {}).items()
        ]}
        for entry in changes
    ]
    targets = list(indicator.targets.all())
    latest = rows[-1] if rows else None
    reasons = {r.period.key: r.reason for r in rebases}
    spc_segments = [
        {"limits": seg.limits, "points": seg.points, "label": timeline[seg.start].label,
         "baseline_label": timeline[seg.baseline_end].label if seg.baseline_end is not None else "",
         "reason": reasons.get(timeline[seg.start].key, "") if n else ""}
        for n, seg in enumerate(analysis.segments)
    ] if analysis else []
    may_set = policy.may_set_spc_options(request.user)
    choices = [(k.key, k.label) for k in timeline]
    if may_set and spc_form is None:
        spc_form = SpcOptionsForm(period_choices=choices, initial={
            "run_length": spc_settings.run_length if spc_settings else spc.RUN,
            "screen_outliers": bool(spc_settings and spc_settings.screen_outliers),
            "trial_limits": bool(spc_settings and spc_settings.trial_limits),
            "baseline_end": spc_settings.baseline_end.key if spc_settings and spc_settings.baseline_end_id else "",
        })
    if may_set and rebase_form is None:
        rebase_form = SpcRebaseForm(period_choices=choices[1:])
    return {
        "indicator": indicator,
        # What the parts above indicators show here (improvement_plans: the actions linked to it).
        "panels": panels.indicator_page.fill(request.user, indicator=indicator),
        "sets": list(indicator.sets.all()),
        "targets": targets,
        "rows": list(reversed(rows)),
        "latest": latest,
        "chart": chart,
        "analysis": analysis,
        "spc_words": analysis.explanation if analysis is not None else "There are no figures yet.",
        "variation_label": spc_icons.variation_label(analysis.variation, analysis.side, analysis.trial)
        if analysis else None,
        "assurance_label": spc_icons.assurance_label(analysis.assurance, analysis.trial) if analysis else None,
        "status_and_assurance": spc_icons.status_and_assurance(
            (latest_row or {}).get("status"), analysis.assurance, analysis.trial) if analysis else "",
        "variation_icon": spc_icons.variation_svg(analysis.variation, analysis.side) if analysis else "",
        "assurance_icon": spc_icons.assurance_svg(analysis.assurance) if analysis else "",
        "spc_segments": spc_segments,
        "commentary_rows": [r for r in reversed(readings) if r.commentary or r.remedial_action],
        "changes": change_rows,
        "reasons": REASON_WORDS,
        "min_points": spc.MIN_POINTS,
        "spc_settings": spc_settings,
        "spc_rebases": rebases,
        "spc_form": spc_form,
        "rebase_form": rebase_form,
        "may_set_spc": may_set,
        "spc_key": spc_icons.key_rows(),
    }


REASON_WORDS = {
    rules.NO_DATA: "Not yet available",
    rules.NO_TARGET: "No target",
    rules.DATA_ONLY: "Data only",
    rules.NO_ACTION_PLAN: "No robust action plan",
    rules.OFF_TARGET: "Off target",
    rules.WITHIN_TOLERANCE: "Within tolerance",
    rules.ON_TARGET: "On target",
    rules.ACHIEVED: "Achieved",
}
