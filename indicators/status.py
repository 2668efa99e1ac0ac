"""The status engine's rules for one reading: RAG, overrides, met/off target, direction, forecast, roll-up.

Plain Python with no Django in sight. The vectorised engine over all indicators and periods
(`indicators.status_frames`, pandas) must agree with `assess` and `direction` for every input; tests
check that they do.

The order of the RAG rules:
1. data only (polarity "none"): no status, reason "data only"; a reading marked "for information"
   for its period is the same for that period alone: no status, reason "for information";
2. no target for the period: R, "no target" (even with no data: the template is incomplete);
3. action plan recorded as missing or not robust: R, "no robust action plan" (even with no data).
   A template is complete unless the council records otherwise (TEMPLATE_COMPLETE_DEFAULT, the
   one default the model, the engine, the import and the admin share);
4. no actual: no status, "no data" (late data is "not yet available", never zero);
5. on or better than target: G "on target" (B "achieved" for an annual indicator's year);
   worse within the tolerance (% of the target): A; beyond it: R "off target".
An override replaces the shown status; the computed one and its reason are kept beside it.
met / off / off_over_10pct is judged whenever there is an actual and a target, whatever the
template: off by more than 10% of the target's size is off_over_10pct.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

HIGHER, LOWER, RANGE, NONE = "higher", "lower", "range", "none"
G, A, R, B = "G", "A", "R", "B"
# Worst first: a roll-up takes the first that occurs.
SEVERITY = {R: 0, A: 1, G: 2, B: 3}

NO_DATA = "no data"
NO_TARGET = "no target"
DATA_ONLY = "data only"
NO_ACTION_PLAN = "no robust action plan"
OFF_TARGET = "off target"
WITHIN_TOLERANCE = "within tolerance"
ON_TARGET = "on target"
ACHIEVED = "achieved"
OVERRIDDEN = "override"

FOR_INFORMATION = "for information"

MET, OFF, OFF_OVER_10 = "met", "off", "off_over_10pct"

# An indicator's template (action plan) counts as complete unless the council records otherwise.
TEMPLATE_COMPLETE_DEFAULT = True


@dataclass(frozen=True)
class Assessment:
    status: str | None  # what is shown: the override if there is one, else the computed status
    computed: str | None  # what the rules say
    reason: str  # why the computed status is what it is
    overridden: bool = False
    override_reason: str = ""
    target_result: str | None = None  # met, off, off_over_10pct, or None (no data / no target)


def _d(value) -> Decimal | None:
    if value is None:
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


def shortfall(*, actual, target=None, lower=None, upper=None, polarity: str) -> Decimal | None:
    """How far the actual is worse than the target (0 when on or better); None when it cannot be judged."""
    actual, target, lower, upper = _d(actual), _d(target), _d(lower), _d(upper)
    if actual is None or polarity == NONE:
        return None
    if polarity == HIGHER:
        return None if target is None else max(target - actual, Decimal(0))
    if polarity == LOWER:
        return None if target is None else max(actual - target, Decimal(0))
    if polarity == RANGE:
        if lower is None and upper is None:
            return None
        below = (lower - actual) if lower is not None and actual < lower else Decimal(0)
        above = (actual - upper) if upper is not None and actual > upper else Decimal(0)
        return max(below, above)
    raise ValueError(f"unknown polarity {polarity!r}")


def _scale(*, target=None, lower=None, upper=None, polarity: str, actual) -> Decimal:
    """The size that tolerance percentages are taken of: the target, or the bound that was missed."""
    if polarity == RANGE:
        actual = _d(actual)
        bound = _d(lower) if lower is not None and actual < _d(lower) else _d(upper)
        return abs(bound) if bound is not None else Decimal(0)
    return abs(_d(target))


def assess(
    *,
    actual,
    target=None,
    lower=None,
    upper=None,
    polarity: str,
    tolerance_pct=5,
    override: str = "",
    override_reason: str = "",
    annual: bool = False,
    action_plan_robust: bool = TEMPLATE_COMPLETE_DEFAULT,
    for_information: bool = False,
) -> Assessment:
    """The status of one reading against its period's target (milestone or annual target)."""
    if for_information:
        return Assessment(None, None, FOR_INFORMATION)
    computed, reason, result = _computed(
        actual=actual, target=target, lower=lower, upper=upper, polarity=polarity,
        tolerance_pct=tolerance_pct, annual=annual, action_plan_robust=action_plan_robust,
    )
    if override:
        return Assessment(override, computed, reason, True, override_reason, result)
    return Assessment(computed, computed, reason, False, "", result)


def _computed(*, actual, target, lower, upper, polarity, tolerance_pct, annual, action_plan_robust):
    if polarity == NONE:
        return None, DATA_ONLY, None
    has_target = (lower is not None or upper is not None) if polarity == RANGE else target is not None
    if not has_target:
        return R, NO_TARGET, None
    if actual is None:
        return (None, NO_DATA, None) if action_plan_robust else (R, NO_ACTION_PLAN, None)
    gap = shortfall(actual=actual, target=target, lower=lower, upper=upper, polarity=polarity)
    scale = _scale(target=target, lower=lower, upper=upper, polarity=polarity, actual=actual)
    if gap == 0:
        result = MET
    elif gap > scale * Decimal("0.10"):
        result = OFF_OVER_10
    else:
        result = OFF
    if not action_plan_robust:
        return R, NO_ACTION_PLAN, result
    if gap == 0:
        return (B, ACHIEVED, result) if annual else (G, ON_TARGET, result)
    if gap <= scale * _d(tolerance_pct) / 100:
        return A, WITHIN_TOLERANCE, result
    return R, OFF_TARGET, result


def worst(statuses) -> str | None:
    """The worst of several statuses (R before A before G before B); None if there are none."""
    present = [s for s in statuses if s in SEVERITY]
    return min(present, key=SEVERITY.__getitem__) if present else None


# --- Direction of travel -----------------------------------------------------------------

IMPROVING, STABLE, DETERIORATING, NOT_COMPARABLE = "improving", "stable", "deteriorating", "not_comparable"
DIRECTIONS = (IMPROVING, STABLE, DETERIORATING, NOT_COMPARABLE)
DEFAULT_STABLE_BAND_PCT = Decimal(1)


def direction(*, current, previous, polarity: str, lower=None, upper=None, band_pct=DEFAULT_STABLE_BAND_PCT) -> str:
    """Improving, stable or deteriorating from `previous` to `current`, judged with polarity.

    A change no bigger than `band_pct` % of the previous value counts as stable. Within a
    range, moving towards it (a smaller shortfall) is improving. Not comparable when either
    value is missing, the indicator is data only, or a range has no bounds.
    """
    current, previous, band_pct = _d(current), _d(previous), _d(band_pct)
    if current is None or previous is None or polarity == NONE:
        return NOT_COMPARABLE
    band = abs(previous) * band_pct / 100
    if polarity == RANGE:
        if lower is None and upper is None:
            return NOT_COMPARABLE
        now = shortfall(actual=current, lower=lower, upper=upper, polarity=RANGE)
        before = shortfall(actual=previous, lower=lower, upper=upper, polarity=RANGE)
        change = before - now  # a smaller shortfall is better
    elif polarity == HIGHER:
        change = current - previous
    elif polarity == LOWER:
        change = previous - current
    else:
        raise ValueError(f"unknown polarity {polarity!r}")
    if abs(change) <= band:
        return STABLE
    return IMPROVING if change > 0 else DETERIORATING


def forecast_outturn(*, actual, months_elapsed: int, months_in_year: int = 12) -> Decimal | None:
    """A cumulative measure's year-end outturn if the year continues as it has so far (linear)."""
    actual = _d(actual)
    if actual is None or not months_elapsed:
        return None
    return actual * months_in_year / months_elapsed


# --- Roll-up ------------------------------------------------------------------------------

WORST, MAJORITY = "worst", "majority"
ROLLUP_RULES = (WORST, MAJORITY)


def rollup(statuses, *, rule: str = WORST, override: str = "", override_reason: str = "") -> str | None:
    """An objective's status from its indicators' statuses; an override with a reason wins.

    "worst": the worst status present. "majority": the most common status, a tie going to
    the worse. Indicators with no status (no data, data only) do not count.
    """
    if override and override_reason.strip():
        return override
    present = [s for s in statuses if s in SEVERITY]
    if not present:
        return None
    if rule == WORST:
        return worst(present)
    if rule == MAJORITY:
        counts = {s: present.count(s) for s in set(present)}
        return min(counts, key=lambda s: (-counts[s], SEVERITY[s]))
    raise ValueError(f"unknown roll-up rule {rule!r}; use one of {ROLLUP_RULES}")


def net_direction(directions) -> str:
    """An objective's direction from its indicators': more improving than deteriorating is improving."""
    comparable = [d for d in directions if d in (IMPROVING, STABLE, DETERIORATING)]
    if not comparable:
        return NOT_COMPARABLE
    up, down = comparable.count(IMPROVING), comparable.count(DETERIORATING)
    if up > down:
        return IMPROVING
    if down > up:
        return DETERIORATING
    return STABLE
