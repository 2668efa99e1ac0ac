"""Statistical process control (XmR charts, NHS England "Making Data Count"): is this a real change or noise?

Pure functions, no Django. The rules (docs/spc.md says them in plain English):
- Limits: the mean of the points and the mean moving range (|x(i) - x(i-1)|, only between
  neighbours that are both present: a missing month is a gap, never joined); process limits
  mean +/- 2.66 x mean moving range, the 2-sigma lines at 2/3 of that. Options: limits fixed on
  a baseline (the points up to a chosen one), recalculated from chosen points (rebasing: each
  segment has its own limits and its own rules), moving ranges of 3.267 x the mean moving
  range or more screened out (NHSRplotthedots' screen_outliers).
- Special cause, per point: (1) outside the process limits; (2) a trend, `run_length` points
  in a row each higher (or each lower) than the one before; (3) 2 of 3 points in a row beyond
  the same 2-sigma line (beyond the process limit counts) with all three on that side of the
  mean; (4) a shift, `run_length` points in a row on one side of the mean (a point on the mean
  or a missing point ends it). Runs, trends and windows never cross a gap or a rebase.
- Precedence when rules disagree about a point's side (NHSRplotthedots'
  ptd_special_cause_type): outside the limits, then trend, then 2 of 3, then shift. A point at
  the turn of a V belongs to the later trend.
- Variation (the latest point, as the MDC icons): improvement or concern by polarity, neutral
  high or low when the indicator has no direction of good; else common cause.
- Assurance against the latest target: outside the limits the process will consistently pass
  or fail it; between (or on) them, hit and miss. A range target: limits inside the range pass,
  limits wholly outside it fail, else hit and miss.
- Fewer than MIN_POINTS points behind the latest limits: no judgement ("not enough points"),
  unless trial limits are chosen: then the judgement is given and marked as trial.

Every rule works on a matrix (one row per indicator, one column per period, NaN where there is
no figure) with numpy, so a list of a thousand indicators costs a few milliseconds;
`analyse` is the one-series case of `analyse_many`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

MIN_POINTS = 12
RUN = 7
RUN_LENGTHS = (6, 7)
TREND = RUN
LIMIT_FACTOR = 2.66
SCREEN_FACTOR = 3.267

IMPROVEMENT, CONCERN = "special_cause_improvement", "special_cause_concern"
NEUTRAL_HIGH, NEUTRAL_LOW = "special_cause_neutral_high", "special_cause_neutral_low"
COMMON, NOT_ENOUGH = "common_cause", "not_enough_points"
SPECIAL_CAUSES = (IMPROVEMENT, CONCERN, NEUTRAL_HIGH, NEUTRAL_LOW)
PASS, FAIL, HIT_AND_MISS = "consistent_pass", "consistent_fail", "inconsistent"
HIGH, LOW = "high", "low"

OUTSIDE, TREND_RULE, TWO_OF_THREE, SHIFT = "outside_limits", "trend", "two_of_three", "run"
PRECEDENCE = (OUTSIDE, TREND_RULE, TWO_OF_THREE, SHIFT)
_RULE_CODE = {rule: n for n, rule in enumerate(PRECEDENCE, start=1)}
_SIDE = {1: HIGH, -1: LOW, 0: None}


def rule_words(rule: str, run_length: int = RUN) -> str:
    return {
        OUTSIDE: "a point is outside the process limits",
        TREND_RULE: f"{run_length} points in a row are rising or falling",
        TWO_OF_THREE: "2 of 3 points in a row are close to a process limit",
        SHIFT: f"{run_length} points in a row are on one side of the average",
    }[rule]


@dataclass(frozen=True)
class Options:
    """The performance team's choices for one indicator (defaults: the MDC Excel tool)."""

    run_length: int = RUN
    screen_outliers: bool = False
    baseline_end: int | None = None  # limits fixed on the points up to this index (in its segment)
    rebase_at: tuple[int, ...] = ()  # indexes that start new limits
    trial_limits: bool = False


DEFAULT = Options()


@dataclass(frozen=True)
class Limits:
    mean: float
    mean_moving_range: float
    upper: float
    lower: float
    upper_two_sigma: float
    lower_two_sigma: float


@dataclass(frozen=True)
class Segment:
    """A stretch of points with one set of limits (the whole series unless rebased)."""

    start: int
    end: int  # inclusive
    limits: Limits | None
    points: int  # the figures the limits come from
    baseline_end: int | None  # the last point the limits come from, when fixed on a baseline


@dataclass
class Signals:
    """For each rule, the side (high/low) each flagged point is on; None where the rule is silent."""

    outside_limits: list
    trend: list
    two_of_three: list
    run: list

    def at(self, i: int) -> dict[str, str]:
        """The rules that flag point i, in order of precedence, with the side each puts it on."""
        return {rule: getattr(self, rule)[i] for rule in PRECEDENCE if getattr(self, rule)[i] is not None}


@dataclass
class Analysis:
    """The XmR analysis of one series. `values` keep their positions; None is a missing figure."""

    values: list
    polarity: str
    options: Options
    segments: list[Segment]
    signals: Signals | None
    point_sides: list  # each point's special-cause side after precedence (None: common cause)
    point_rules: list  # the rule that decided it
    variation: str
    side: str | None  # of the latest point's special cause
    assurance: str | None
    enough_points: bool
    trial: bool
    latest: int | None  # index of the latest figure
    latest_rules: dict[str, str] = field(default_factory=dict)

    @property
    def limits(self) -> Limits | None:
        """The limits the latest point is judged against."""
        return self.segments[-1].limits if self.segments else None

    @property
    def points(self) -> int:
        return sum(v is not None for v in self.values)

    @property
    def limit_points(self) -> int:
        return self.segments[-1].points if self.segments else 0

    @property
    def special(self) -> bool:
        return self.variation in SPECIAL_CAUSES

    def signal_start(self) -> int | None:
        """Where the pattern behind the latest point's special cause begins (for 'since March')."""
        if self.latest is None or self.side is None:
            return None
        return _pattern_start(self.values, self.point_rules, self.point_sides, self.latest)

    @property
    def explanation(self) -> str:
        return explain(self)


# --- The rules on matrices (rows: series; columns: periods) ----------------------------------


def _as_matrix(rows) -> np.ndarray:
    width = max((len(r) for r in rows), default=0)
    out = np.full((len(rows), width), np.nan)
    for i, row in enumerate(rows):
        for j, v in enumerate(row):
            if v is not None:
                out[i, j] = float(v)
    return out


def _run_totals(codes: np.ndarray, seg: np.ndarray) -> np.ndarray:
    """For each position, the length of the run of equal non-zero codes (within a segment) it is part of."""
    n, width = codes.shape
    forward = np.zeros((n, width), dtype=np.int32)
    if width == 0:
        return forward
    forward[:, 0] = codes[:, 0] != 0
    same = (codes[:, 1:] == codes[:, :-1]) & (codes[:, 1:] != 0) & (seg[:, 1:] == seg[:, :-1])
    for t in range(1, width):
        forward[:, t] = np.where(same[:, t - 1], forward[:, t - 1] + 1, codes[:, t] != 0)
    total = forward.copy()
    for t in range(width - 2, -1, -1):
        total[:, t] = np.where(same[:, t], total[:, t + 1], forward[:, t])
    return total


def _outside(x, upper, lower) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        return np.where(x > upper, 1, np.where(x < lower, -1, 0)).astype(np.int8)


def _shift(side, seg, run_length) -> np.ndarray:
    return np.where(_run_totals(side, seg) >= run_length, side, 0).astype(np.int8)


def _trend(x, seg, run_length) -> np.ndarray:
    """Points in `run_length` points each above (below) the one before; a V's turn goes to the later trend."""
    n, width = x.shape
    steps = np.zeros((n, width), dtype=np.int8)  # steps[:, t]: from point t-1 to point t
    if width > 1:
        with np.errstate(invalid="ignore"):
            d = np.sign(x[:, 1:] - x[:, :-1])
        joined = ~np.isnan(d) & (seg[:, 1:] == seg[:, :-1])
        steps[:, 1:] = np.where(joined, np.nan_to_num(d), 0)
    qualifying = _run_totals(steps, seg) >= np.maximum(run_length - 1, 1)
    step_in = np.where(qualifying, steps, 0)
    step_out = np.zeros_like(step_in)
    step_out[:, :-1] = step_in[:, 1:]
    return np.where(step_out != 0, step_out, step_in).astype(np.int8)


def _two_of_three(side, close, seg) -> np.ndarray:
    """Points beyond a 2-sigma line in 3 in a row on one side of the mean, 2 or 3 of them beyond that line."""
    flags = np.zeros(side.shape, dtype=np.int8)
    if side.shape[1] < 3:
        return flags
    s0, s1, s2 = side[:, :-2], side[:, 1:-1], side[:, 2:]
    c0, c1, c2 = close[:, :-2] == s0, close[:, 1:-1] == s0, close[:, 2:] == s0
    window = (s0 != 0) & (s0 == s1) & (s1 == s2) & (seg[:, :-2] == seg[:, 2:])
    window &= (c0.astype(np.int8) + c1 + c2) >= 2
    for offset, beyond in enumerate((c0, c1, c2)):
        hit = window & beyond
        part = flags[:, offset:offset + hit.shape[1]]
        part[hit] = s0[hit]
    return flags


@dataclass
class Batch:
    """analyse_many's arrays: one row per series."""

    x: np.ndarray
    seg: np.ndarray
    mean: np.ndarray
    mean_moving_range: np.ndarray
    limit_points: np.ndarray
    base_end: np.ndarray
    outside: np.ndarray
    trend: np.ndarray
    two_of_three: np.ndarray
    shift: np.ndarray
    side: np.ndarray
    rule: np.ndarray
    latest: np.ndarray  # index of each row's latest figure, -1 for none


def compute(x: np.ndarray, options: list[Options]) -> Batch:
    """Limits and every rule for each row of x (NaN: no figure), each row with its own options."""
    n, width = x.shape
    valid = ~np.isnan(x)
    xz = np.where(valid, x, 0.0)
    seg = np.zeros((n, width), dtype=np.int16)
    base = np.ones((n, width), dtype=bool)
    run_length = np.full(n, RUN, dtype=np.int32)
    screen = np.zeros(n, dtype=bool)
    cols = np.arange(width)
    for i, opt in enumerate(options):
        if opt == DEFAULT:
            continue
        run_length[i], screen[i] = opt.run_length, opt.screen_outliers
        for at in sorted(set(opt.rebase_at)):
            if 0 < at < width:
                seg[i, at:] += 1
        if opt.baseline_end is not None:
            # The segment holding the baseline's last point takes its limits from the points up to it.
            k = seg[i, min(opt.baseline_end, width - 1)] if width else 0
            base[i] = ~((seg[i] == k) & (cols > opt.baseline_end))
    pair = valid[:, 1:] & valid[:, :-1] & (seg[:, 1:] == seg[:, :-1]) & base[:, 1:] & base[:, :-1]
    ranges = np.where(pair, np.abs(xz[:, 1:] - xz[:, :-1]), 0.0)
    mean = np.full((n, width), np.nan)
    amr = np.full((n, width), np.nan)
    points = np.zeros((n, width), dtype=np.int32)
    base_end = np.full((n, width), -1, dtype=np.int32)
    for k in range(int(seg.max()) + 1 if seg.size else 0):
        inseg = seg == k
        use = inseg & base & valid
        count = use.sum(1)
        seg_mean = np.where(count > 0, (xz * use).sum(1) / np.maximum(count, 1), np.nan)
        pk = pair & inseg[:, 1:]
        pairs = pk.sum(1)
        seg_amr = np.where(pairs > 0, (ranges * pk).sum(1) / np.maximum(pairs, 1), np.nan)
        if screen.any():
            with np.errstate(invalid="ignore"):
                kept = pk & ~(screen[:, None] & (ranges >= SCREEN_FACTOR * seg_amr[:, None]) & (seg_amr[:, None] > 0))
            kept_n = kept.sum(1)
            seg_amr = np.where(kept_n > 0, (ranges * kept).sum(1) / np.maximum(kept_n, 1), seg_amr)
        mean = np.where(inseg, seg_mean[:, None], mean)
        amr = np.where(inseg, seg_amr[:, None], amr)
        points = np.where(inseg, count[:, None], points)
        last_used = np.where(use.any(1), width - 1 - np.argmax(use[:, ::-1], axis=1), -1)
        base_end = np.where(inseg, last_used[:, None], base_end)
    spread = LIMIT_FACTOR * amr
    with np.errstate(invalid="ignore"):
        side = np.where(valid, np.sign(np.nan_to_num(x - mean)), 0).astype(np.int8)
    outside = _outside(x, mean + spread, mean - spread)
    close = _outside(x, mean + spread * 2 / 3, mean - spread * 2 / 3)
    trend = _trend(x, seg, run_length[:, None])
    two = _two_of_three(side, close, seg)
    shift = _shift(side, seg, run_length[:, None])
    point_side = np.zeros((n, width), dtype=np.int8)
    point_rule = np.zeros((n, width), dtype=np.int8)
    for code, flags in ((4, shift), (3, two), (2, trend), (1, outside)):  # the first rule wins: set it last
        point_side = np.where(flags != 0, flags, point_side)
        point_rule = np.where(flags != 0, code, point_rule)
    latest = np.where(valid.any(1), width - 1 - np.argmax(valid[:, ::-1], axis=1), -1) if width else np.full(n, -1)
    return Batch(x, seg, mean, amr, points, base_end, outside, trend, two, shift, point_side, point_rule, latest)


def variation_of(side: str | None, polarity: str) -> str:
    """What a special cause on `side` means for an indicator of this polarity."""
    if side is None:
        return COMMON
    if polarity == "higher":
        return IMPROVEMENT if side == HIGH else CONCERN
    if polarity == "lower":
        return IMPROVEMENT if side == LOW else CONCERN
    return NEUTRAL_HIGH if side == HIGH else NEUTRAL_LOW


def assurance(lim: Limits | None, target, polarity: str, *, lower=None, upper=None) -> str | None:
    """Will the process meet the target? None without a target or a direction of good.

    A range indicator (polarity "range") is judged against its lower and upper bounds.
    """
    if lim is None:
        return None
    if polarity == "range":
        if lower is None and upper is None:
            return None
        lo = float("-inf") if lower is None else float(lower)
        hi = float("inf") if upper is None else float(upper)
        if lo <= lim.lower and lim.upper <= hi:
            return PASS
        if lim.upper < lo or lim.lower > hi:
            return FAIL
        return HIT_AND_MISS
    if target is None or polarity not in ("higher", "lower"):
        return None
    target = float(target)
    if target > lim.upper:
        return FAIL if polarity == "higher" else PASS
    if target < lim.lower:
        return PASS if polarity == "higher" else FAIL
    return HIT_AND_MISS


def _limits_at(batch: Batch, i: int, t: int) -> Limits | None:
    mean, amr = float(batch.mean[i, t]), float(batch.mean_moving_range[i, t])
    if np.isnan(mean) or np.isnan(amr):
        return None
    spread = LIMIT_FACTOR * amr
    return Limits(mean, amr, mean + spread, mean - spread, mean + spread * 2 / 3, mean - spread * 2 / 3)


@dataclass
class Latest:
    """The latest point's judgement for one series: what lists, dashboards and the report show."""

    variation: str
    side: str | None
    assurance: str | None
    trial: bool
    points: int
    rule: str | None
    limits: Limits | None
    latest: int | None
    start: int | None = None  # where the pattern behind a special cause begins

    @property
    def special(self) -> bool:
        return self.variation in SPECIAL_CAUSES


def _judge(batch: Batch, i: int, polarity: str, opt: Options, target, lower, upper) -> Latest:
    t = int(batch.latest[i])
    if t < 0:
        return Latest(NOT_ENOUGH, None, None, False, 0, None, None, None)
    lim = _limits_at(batch, i, t)
    points = int(batch.limit_points[i, t])
    enough = points >= MIN_POINTS
    trial = not enough and opt.trial_limits and lim is not None
    if lim is None or not (enough or trial):
        has_target = (target is not None and polarity in ("higher", "lower")) or (
            polarity == "range" and (lower is not None or upper is not None)
        )
        return Latest(NOT_ENOUGH, None, NOT_ENOUGH if has_target else None, False, points, None, lim, t)
    side = _SIDE[int(batch.side[i, t])]
    code = int(batch.rule[i, t])
    rule = PRECEDENCE[code - 1] if code else None
    start = None
    if code:
        start, rules, sides, valid = t, batch.rule[i], batch.side[i], ~np.isnan(batch.x[i])
        while start > 0 and valid[start - 1] and rules[start - 1] == code and sides[start - 1] == sides[t]:
            start -= 1
    return Latest(variation_of(side, polarity), side, assurance(lim, target, polarity, lower=lower, upper=upper),
                  trial, points, rule, lim, t, start)


def analyse_many(series, *, polarities, targets=None, options=None) -> list[Latest]:
    """The latest judgement of many series at once (rows of values, None for a missing figure).

    targets: per series (target, lower, upper) or None; options: per series Options or None.
    """
    return analyse_many_matrix(_as_matrix(list(series)), polarities=polarities, targets=targets, options=options)


def analyse_many_matrix(x: np.ndarray, *, polarities, targets=None, options=None) -> list[Latest]:
    """analyse_many on a ready matrix (rows: series, NaN: no figure)."""
    n = x.shape[0]
    opts = [o or DEFAULT for o in (options or [None] * n)]
    batch = compute(x, opts)
    targets = targets or [None] * n
    out = []
    for i in range(n):
        target, lower, upper = targets[i] or (None, None, None)
        out.append(_judge(batch, i, polarities[i], opts[i], target, lower, upper))
    return out


def analyse(values, *, polarity: str, target=None, lower=None, upper=None, options: Options | None = None) -> Analysis:
    """The XmR analysis of one series (oldest first; None is a missing figure, kept in place)."""
    opt = options or DEFAULT
    xs = [None if v is None else float(v) for v in values]
    batch = compute(_as_matrix([xs]), [opt])
    judged = _judge(batch, 0, polarity, opt, target, lower, upper)
    width = len(xs)
    segments = []
    start = 0
    for t in range(1, width + 1):
        if t == width or batch.seg[0, t] != batch.seg[0, start]:
            end = t - 1
            be = int(batch.base_end[0, start])
            fixed = be if opt.baseline_end is not None and 0 <= be < end else None
            segments.append(Segment(start, end, _limits_at(batch, 0, start), int(batch.limit_points[0, start]), fixed))
            start = t
    sides = [_SIDE[int(s)] for s in batch.side[0]]
    rules = [PRECEDENCE[int(r) - 1] if r else None for r in batch.rule[0]]
    sig = Signals(
        outside_limits=[_SIDE[int(s)] for s in batch.outside[0]],
        trend=[_SIDE[int(s)] for s in batch.trend[0]],
        two_of_three=[_SIDE[int(s)] for s in batch.two_of_three[0]],
        run=[_SIDE[int(s)] for s in batch.shift[0]],
    )
    judging = judged.variation != NOT_ENOUGH
    return Analysis(
        values=xs, polarity=polarity, options=opt, segments=segments, signals=sig,
        point_sides=sides, point_rules=rules, variation=judged.variation, side=judged.side,
        assurance=judged.assurance, enough_points=judged.points >= MIN_POINTS, trial=judged.trial,
        latest=judged.latest,
        latest_rules=sig.at(judged.latest) if judging and judged.latest is not None else {},
    )


def _pattern_start(values, rules, sides, t: int) -> int:
    """The first point of the pattern (same rule and side, no gap) that ends at point t."""
    start = t
    while start > 0 and values[start - 1] is not None and rules[start - 1] == rules[t] and sides[start - 1] == sides[t]:
        start -= 1
    return start


# --- One rule at a time (as the peers test them) ---------------------------------------------


def _one(values) -> tuple[np.ndarray, np.ndarray]:
    x = _as_matrix([list(values)])
    return x, np.zeros(x.shape, dtype=np.int16)


def _sides(flags) -> list:
    return [_SIDE[int(s)] for s in flags[0]] if flags.size else []


def limits(values) -> Limits | None:
    """XmR limits of all the points (no options); None with fewer than two neighbouring figures."""
    x = _as_matrix([list(values)])
    if not x.size:
        return None
    return _limits_at(compute(x, [DEFAULT]), 0, 0)


def outside_limits(values, lim: Limits) -> list:
    x, _ = _one(values)
    return _sides(_outside(x, lim.upper, lim.lower))


def runs_one_side(values, mean: float, length: int = RUN) -> list:
    """Points in a run of `length` or more on one side of the mean; a point on the mean ends a run."""
    x, seg = _one(values)
    side = np.where(np.isnan(x), 0, np.sign(np.nan_to_num(x - mean))).astype(np.int8)
    return _sides(_shift(side, seg, length))


def trends(values, length: int = TREND) -> list:
    """Points in a run of `length` or more points each higher (or lower) than the one before."""
    x, seg = _one(values)
    return _sides(_trend(x, seg, length))


def two_of_three(values, lim: Limits) -> list:
    """Points beyond a 2-sigma line where 2 of 3 in a row are beyond it, all three on its side of the mean."""
    x, seg = _one(values)
    side = np.where(np.isnan(x), 0, np.sign(np.nan_to_num(x - lim.mean))).astype(np.int8)
    close = _outside(x, lim.upper_two_sigma, lim.lower_two_sigma)
    return _sides(_two_of_three(side, close, seg))


def classify(values, lim: Limits, *, polarity: str, run_length: int = RUN) -> list[str]:
    """Each point's type against given limits, every rule applied with the precedence."""
    x, seg = _one(values)
    side = np.where(np.isnan(x), 0, np.sign(np.nan_to_num(x - lim.mean))).astype(np.int8)
    close = _outside(x, lim.upper_two_sigma, lim.lower_two_sigma)
    decided = np.zeros(x.shape, dtype=np.int8)
    for flags in (_shift(side, seg, run_length), _two_of_three(side, close, seg), _trend(x, seg, run_length),
                  _outside(x, lim.upper, lim.lower)):
        decided = np.where(flags != 0, flags, decided)
    return [variation_of(s, polarity) for s in _sides(decided)]


# --- Words --------------------------------------------------------------------------------

VARIATION_MEANING = {
    IMPROVEMENT: "It is an improvement.",
    CONCERN: "It is a concern.",
    NEUTRAL_HIGH: "The figures are unusually high; this measure has no better or worse direction.",
    NEUTRAL_LOW: "The figures are unusually low; this measure has no better or worse direction.",
}


def explain(result: Analysis) -> str:
    """The analysis in plain words for members and officers."""
    if result.variation == NOT_ENOUGH:
        return (
            f"The limits come from {result.limit_points} points; at least {MIN_POINTS} are needed to tell a real "
            "change from normal ups and downs, so no judgement is made yet."
        )
    words = ""
    if result.trial:
        words = (
            f"Trial limits: they come from {result.limit_points} points, fewer than the {MIN_POINTS} needed, "
            "so this judgement is provisional. "
        )
    if result.variation == COMMON:
        words += (
            "The latest figure is within what this measure normally does: common cause variation, "
            "so the ups and downs are noise, not a real change."
        )
    else:
        reasons = " and ".join(rule_words(rule, result.options.run_length) for rule in result.latest_rules)
        words += (f"This is a real change: {reasons}, which is unlikely to be chance. "
                  f"{VARIATION_MEANING[result.variation]}")
    if result.assurance == PASS:
        words += " The target is outside the process limits on the good side: the process will consistently meet it."
    elif result.assurance == FAIL:
        words += (" The target is outside the process limits on the wrong side: the process will consistently "
                  "miss it unless something changes.")
    elif result.assurance == HIT_AND_MISS:
        words += " The target is within the process limits: it will be met some months and missed in others (hit and miss)."
    return words
