"""Statistical process control (XmR charts, NHS "Making Data Count"): is this a real change or noise?

Pure functions over a list of numbers in time order, no Django. The rules, as in DOMAIN.md:
- mean of the points; moving range = |x(i) - x(i-1)|; process limits mean +/- 2.66 x mean
  moving range; the 2-sigma lines mean +/- 2/3 x 2.66 x mean moving range.
- special cause when (1) a point is outside the process limits, (2) 7 points in a row are on
  one side of the mean (a point exactly on the mean breaks the run), (3) 7 points in a row
  each rise (or each fall) from the one before (an equal value breaks the run), or (4) 2 of 3
  points in a row are beyond the same 2-sigma line.
- variation (judged on the latest point, as the NHS icons are): "improvement" or "concern"
  when the latest point is part of a special cause, by polarity ("special_cause" when the
  indicator has no direction of good); otherwise "common_cause".
- assurance against a target: outside the limits the process will consistently pass or
  consistently fail it; between them, hit and miss.
- fewer than 12 points: "not enough points" for both, though the limits are still drawn.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MIN_POINTS = 12
RUN = 7
TREND = 7
LIMIT_FACTOR = 2.66

IMPROVEMENT, CONCERN, SPECIAL, COMMON, NOT_ENOUGH = (
    "improvement", "concern", "special_cause", "common_cause", "not_enough_points",
)
PASS, FAIL, HIT_AND_MISS = "pass", "fail", "hit_and_miss"
HIGH, LOW = "high", "low"

OUTSIDE, SHIFT, TREND_RULE, TWO_OF_THREE = "outside_limits", "run", "trend", "two_of_three"
RULE_WORDS = {
    OUTSIDE: "a point is outside the process limits",
    SHIFT: f"{RUN} points in a row are on one side of the average",
    TREND_RULE: f"{TREND} points in a row are rising or falling",
    TWO_OF_THREE: "2 of 3 points in a row are close to a process limit",
}


@dataclass(frozen=True)
class Limits:
    mean: float
    mean_moving_range: float
    upper: float
    lower: float
    upper_two_sigma: float
    lower_two_sigma: float


@dataclass
class Signals:
    """For each rule, the side (high/low) each flagged point is on; None where the rule is silent."""

    outside_limits: list
    run: list
    trend: list
    two_of_three: list

    def at(self, i: int) -> dict[str, str]:
        """The rules that flag point i, with the side each puts it on."""
        found = {}
        for rule in (OUTSIDE, SHIFT, TREND_RULE, TWO_OF_THREE):
            side = getattr(self, rule)[i]
            if side is not None:
                found[rule] = side
        return found


@dataclass
class Analysis:
    values: list[float]
    limits: Limits | None
    signals: Signals | None
    variation: str
    assurance: str | None
    enough_points: bool
    latest_rules: dict[str, str] = field(default_factory=dict)

    @property
    def explanation(self) -> str:
        return explain(self)


def limits(values) -> Limits | None:
    """XmR limits from the points; None with fewer than two points (no moving range)."""
    xs = [float(v) for v in values]
    if len(xs) < 2:
        return None
    mean = sum(xs) / len(xs)
    ranges = [abs(b - a) for a, b in zip(xs, xs[1:], strict=False)]
    mr_bar = sum(ranges) / len(ranges)
    spread = LIMIT_FACTOR * mr_bar
    return Limits(mean, mr_bar, mean + spread, mean - spread, mean + spread * 2 / 3, mean - spread * 2 / 3)


def outside_limits(values, lim: Limits) -> list:
    return [HIGH if v > lim.upper else LOW if v < lim.lower else None for v in map(float, values)]


def runs_one_side(values, mean: float, length: int = RUN) -> list:
    """Points in a run of `length` or more on one side of the mean; a point on the mean ends a run."""
    sides = [HIGH if v > mean else LOW if v < mean else None for v in map(float, values)]
    return _flag_runs(sides, length)


def trends(values, length: int = TREND) -> list:
    """Points in a run of `length` or more points each higher (or lower) than the one before."""
    xs = [float(v) for v in values]
    flags = [None] * len(xs)
    for side, better in ((HIGH, lambda a, b: b > a), (LOW, lambda a, b: b < a)):
        start = 0
        for i in range(1, len(xs) + 1):
            if i < len(xs) and better(xs[i - 1], xs[i]):
                continue
            # xs[start..i-1] is a strictly monotone stretch
            if i - start >= length:
                for j in range(start, i):
                    flags[j] = side
            start = i
    return flags


def two_of_three(values, lim: Limits) -> list:
    """Points beyond a 2-sigma line where 2 of 3 consecutive points are beyond the same line."""
    sides = [
        HIGH if v > lim.upper_two_sigma else LOW if v < lim.lower_two_sigma else None
        for v in map(float, values)
    ]
    flags = [None] * len(sides)
    for start in range(len(sides) - 2):
        window = sides[start:start + 3]
        for side in (HIGH, LOW):
            if window.count(side) >= 2:
                for j in range(start, start + 3):
                    if sides[j] == side:
                        flags[j] = side
    return flags


def _flag_runs(sides: list, length: int) -> list:
    flags = [None] * len(sides)
    start = 0
    for i in range(1, len(sides) + 1):
        if i < len(sides) and sides[i] is not None and sides[i] == sides[start]:
            continue
        if sides[start] is not None and i - start >= length:
            for j in range(start, i):
                flags[j] = sides[start]
        start = i
    return flags


def signals(values, lim: Limits) -> Signals:
    return Signals(
        outside_limits=outside_limits(values, lim),
        run=runs_one_side(values, lim.mean),
        trend=trends(values),
        two_of_three=two_of_three(values, lim),
    )


def variation_of(side: str | None, polarity: str) -> str:
    """What a special cause on `side` means for an indicator of this polarity."""
    if side is None:
        return COMMON
    if polarity == "higher":
        return IMPROVEMENT if side == HIGH else CONCERN
    if polarity == "lower":
        return IMPROVEMENT if side == LOW else CONCERN
    return SPECIAL


def assurance(lim: Limits | None, target, polarity: str) -> str | None:
    """Will the process meet the target? None when there is no target or no direction of good."""
    if lim is None or target is None or polarity not in ("higher", "lower"):
        return None
    target = float(target)
    if lim.lower <= target <= lim.upper:
        return HIT_AND_MISS
    below = target < lim.lower  # every expected point is above the target
    if polarity == "higher":
        return PASS if below else FAIL
    return FAIL if below else PASS


def analyse(values, *, polarity: str, target=None) -> Analysis:
    """The XmR analysis of a series (oldest first) against an optional target."""
    xs = [float(v) for v in values if v is not None]
    lim = limits(xs)
    enough = len(xs) >= MIN_POINTS
    if lim is None:
        return Analysis(xs, None, None, NOT_ENOUGH, NOT_ENOUGH if target is not None else None, False)
    sig = signals(xs, lim)
    latest = sig.at(len(xs) - 1)
    if not enough:
        return Analysis(xs, lim, sig, NOT_ENOUGH, NOT_ENOUGH if target is not None else None, False, latest)
    # Several rules may flag the latest point; the side they agree on is the signal.
    side = next(iter(latest.values()), None)
    return Analysis(xs, lim, sig, variation_of(side, polarity), assurance(lim, target, polarity), True, latest)


def explain(result: Analysis) -> str:
    """The analysis in plain words for members and officers."""
    if result.variation == NOT_ENOUGH:
        return (
            f"There are {len(result.values)} points; at least {MIN_POINTS} are needed to tell a real "
            "change from normal ups and downs, so no judgement is made yet."
        )
    if result.variation == COMMON:
        words = (
            "The latest figure is within what this measure normally does: common cause variation, "
            "so the ups and downs are noise, not a real change."
        )
    else:
        reasons = " and ".join(RULE_WORDS[rule] for rule in result.latest_rules)
        meaning = {IMPROVEMENT: "an improvement", CONCERN: "a concern", SPECIAL: "unusual"}[result.variation]
        words = f"This is a real change: {reasons}, which is unlikely to be chance. It is {meaning}."
    if result.assurance == PASS:
        words += " The target is outside the process limits on the good side: the process will consistently meet it."
    elif result.assurance == FAIL:
        words += " The target is outside the process limits on the wrong side: the process will consistently miss it unless something changes."
    elif result.assurance == HIT_AND_MISS:
        words += " The target is within the process limits: it will be met some months and missed in others (hit and miss)."
    return words
