"""The status engine's rules for one reading: RAG with polarity and tolerance, overrides, met/off target.

Plain Python with no Django in sight. The vectorised engine over all indicators and periods
(pandas) must agree with `assess` for every input; tests check that they do.
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

MET, OFF, OFF_OVER_10 = "met", "off", "off_over_10pct"


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
    action_plan_robust: bool = True,
) -> Assessment:
    """The status of one reading against its period's target (milestone or annual target)."""
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
        return None, NO_DATA, None
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
