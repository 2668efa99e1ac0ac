"""The status engine over many readings at once: the rules of `indicators.status`, applied to whole columns.

Each function takes a pandas DataFrame (one row per indicator and period) and returns new
columns. Figures stay `Decimal` in object columns and every step is the same Decimal
operation as in the scalar rules, applied to the whole column, so the engine agrees with
`status.assess` and `status.direction` to the last digit (a property test checks it);
floats would disagree at the tolerance boundaries.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd

from indicators import status as rules

ZERO = Decimal(0)
TEN_PCT = Decimal("0.10")

ASSESS_INPUT = (
    "actual", "target", "lower", "upper", "polarity", "tolerance_pct",
    "override", "override_reason", "annual", "action_plan_robust", "for_information",
)
ASSESS_OUTPUT = ("status", "computed", "reason", "overridden", "override_reason", "target_result")


def _decimals(column: pd.Series) -> np.ndarray:
    """The column as an object array of Decimal or None (NaN and None both mean missing)."""
    return np.array(
        [v if v.__class__ is Decimal else (None if v is None or _isnan(v) else rules._d(v)) for v in column],
        dtype=object,
    )


def _isnan(value) -> bool:
    return isinstance(value, float) and value != value


def _fill(values: np.ndarray, mask: np.ndarray, fill=ZERO) -> np.ndarray:
    out = values.copy()
    out[~mask] = fill
    return out


def assess_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """`status.assess` for every row: the columns of ASSESS_INPUT in, ASSESS_OUTPUT out (same index)."""
    n = len(frame)
    actual = _decimals(frame["actual"])
    target = _decimals(frame["target"]) if "target" in frame else np.full(n, None, dtype=object)
    lower = _decimals(frame["lower"]) if "lower" in frame else np.full(n, None, dtype=object)
    upper = _decimals(frame["upper"]) if "upper" in frame else np.full(n, None, dtype=object)
    tolerance = _decimals(frame["tolerance_pct"])
    polarity = frame["polarity"].to_numpy(dtype=object)
    override = frame["override"].fillna("").to_numpy(dtype=object) if "override" in frame else np.full(n, "", dtype=object)
    override_reason = (
        frame["override_reason"].fillna("").to_numpy(dtype=object)
        if "override_reason" in frame else np.full(n, "", dtype=object)
    )
    annual = frame["annual"].fillna(False).to_numpy(dtype=bool) if "annual" in frame else np.zeros(n, dtype=bool)
    robust = (
        frame["action_plan_robust"].fillna(rules.TEMPLATE_COMPLETE_DEFAULT).to_numpy(dtype=bool)
        if "action_plan_robust" in frame else np.full(n, rules.TEMPLATE_COMPLETE_DEFAULT, dtype=bool)
    )
    information = (
        frame["for_information"].fillna(False).to_numpy(dtype=bool)
        if "for_information" in frame else np.zeros(n, dtype=bool)
    )

    has_actual = np.array([v is not None for v in actual], dtype=bool)
    has_target_value = np.array([v is not None for v in target], dtype=bool)
    has_lower = np.array([v is not None for v in lower], dtype=bool)
    has_upper = np.array([v is not None for v in upper], dtype=bool)
    is_none = polarity == rules.NONE
    is_higher = polarity == rules.HIGHER
    is_lower = polarity == rules.LOWER
    is_range = polarity == rules.RANGE
    unknown = ~(is_none | is_higher | is_lower | is_range)
    if unknown.any():
        raise ValueError(f"unknown polarity {polarity[unknown][0]!r}")
    has_target = np.where(is_range, has_lower | has_upper, has_target_value)
    judged = ~is_none & ~information & has_target & has_actual

    a, t = _fill(actual, has_actual), _fill(target, has_target_value)
    lo, up = _fill(lower, has_lower), _fill(upper, has_upper)
    # The shortfall: how far worse than the target (0 when on or better), as in status.shortfall.
    gap_higher = np.where((t - a) > ZERO, t - a, ZERO)
    gap_lower = np.where((a - t) > ZERO, a - t, ZERO)
    below = has_lower & (a < lo).astype(bool)
    above = has_upper & (a > up).astype(bool)
    gap_range = np.maximum(np.where(below, lo - a, ZERO), np.where(above, a - up, ZERO))
    gap = np.where(is_higher, gap_higher, np.where(is_lower, gap_lower, gap_range))
    # The size tolerance is a share of: the target, or the range bound that was missed.
    bound = np.where(below, lo, up)
    bound_known = np.where(below, True, has_upper)
    scale = np.where(is_range, np.where(bound_known, np.abs(bound), ZERO), np.abs(t))

    judged_gap = _fill(gap, judged)
    judged_scale = _fill(scale, judged)
    met = judged & (judged_gap == ZERO).astype(bool)
    over_10 = judged & ~met & (judged_gap > judged_scale * TEN_PCT).astype(bool)
    tol = _fill(tolerance, judged)
    within = judged & ~met & (judged_gap <= judged_scale * tol / 100).astype(bool)

    target_result = np.select(
        [met, over_10, judged], [rules.MET, rules.OFF_OVER_10, rules.OFF], default=None
    ).astype(object)

    no_target = ~is_none & ~has_target
    no_plan = ~is_none & has_target & ~robust
    no_data = ~is_none & has_target & robust & ~has_actual
    conditions = [information, is_none, no_target, no_plan, no_data, met & annual, met, within]
    computed = np.select(conditions, [None, None, rules.R, rules.R, None, rules.B, rules.G, rules.A], default=rules.R)
    reason = np.select(
        conditions,
        [rules.FOR_INFORMATION, rules.DATA_ONLY, rules.NO_TARGET, rules.NO_ACTION_PLAN, rules.NO_DATA,
         rules.ACHIEVED, rules.ON_TARGET, rules.WITHIN_TOLERANCE],
        default=rules.OFF_TARGET,
    )
    computed = computed.astype(object)
    overridden = np.array([bool(o) for o in override], dtype=bool) & ~information
    shown = np.where(overridden, override, computed)
    return pd.DataFrame(
        {
            "status": pd.Series(shown, index=frame.index, dtype=object),
            "computed": pd.Series(computed, index=frame.index, dtype=object),
            "reason": pd.Series(reason, index=frame.index, dtype=object),
            "overridden": pd.Series(overridden, index=frame.index, dtype=bool),
            "override_reason": pd.Series(np.where(overridden, override_reason, ""), index=frame.index, dtype=object),
            "target_result": pd.Series(target_result, index=frame.index, dtype=object),
        },
        index=frame.index,
    )


def direction_frame(
    frame: pd.DataFrame, *, current: str = "actual", previous: str = "previous_actual",
    band_pct=rules.DEFAULT_STABLE_BAND_PCT,
) -> pd.Series:
    """`status.direction` for every row, from the columns `current` and `previous`."""
    n = len(frame)
    now = _decimals(frame[current])
    before = _decimals(frame[previous])
    lower = _decimals(frame["lower"]) if "lower" in frame else np.full(n, None, dtype=object)
    upper = _decimals(frame["upper"]) if "upper" in frame else np.full(n, None, dtype=object)
    polarity = frame["polarity"].to_numpy(dtype=object)
    band_pct = rules._d(band_pct)

    has_now = np.array([v is not None for v in now], dtype=bool)
    has_before = np.array([v is not None for v in before], dtype=bool)
    has_lower = np.array([v is not None for v in lower], dtype=bool)
    has_upper = np.array([v is not None for v in upper], dtype=bool)
    is_range = polarity == rules.RANGE
    comparable = has_now & has_before & (polarity != rules.NONE) & (~is_range | has_lower | has_upper)

    x, p = _fill(now, comparable), _fill(before, comparable)
    lo, up = _fill(lower, has_lower), _fill(upper, has_upper)

    def range_gap(v):
        below = np.where(has_lower & (v < lo).astype(bool), lo - v, ZERO)
        above = np.where(has_upper & (v > up).astype(bool), v - up, ZERO)
        return np.maximum(below, above)

    change = np.select(
        [polarity == rules.HIGHER, polarity == rules.LOWER, is_range],
        [x - p, p - x, range_gap(p) - range_gap(x) if is_range.any() else ZERO],
        default=ZERO,
    )
    change = _fill(change.astype(object), comparable)
    band = np.abs(p) * band_pct / 100
    stable = comparable & (np.abs(change) <= band).astype(bool)
    improving = comparable & ~stable & (change > ZERO).astype(bool)
    result = np.select(
        [~comparable, stable, improving],
        [rules.NOT_COMPARABLE, rules.STABLE, rules.IMPROVING],
        default=rules.DETERIORATING,
    )
    return pd.Series(result, index=frame.index, dtype=object)
