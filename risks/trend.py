"""A risk's trend (new, emerging, rising, stable, falling), derived from its dated review history.

The rule, applied to the reviews up to the date the register is shown for, one per cycle:
1. fewer than two reviews: **new** (there is nothing to compare with yet);
2. the latest score is below the one before: **falling**;
3. the risk was first assessed less than EMERGING_MONTHS calendar months before the date
   and its score now is above its first score: **emerging** (young and growing, as 000
   para 25 says of Herefordshire Connects);
4. the latest score is above the one before: **rising**;
5. otherwise: **stable**.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

NEW, EMERGING, RISING, STABLE, FALLING = "new", "emerging", "rising", "stable", "falling"
TRENDS = (NEW, EMERGING, RISING, STABLE, FALLING)
LABELS = {NEW: "New", EMERGING: "Emerging", RISING: "Rising", STABLE: "Stable", FALLING: "Falling"}
# Written beside the word so the direction reads in print and without colour.
ARROWS = {NEW: "", EMERGING: "\u2197", RISING: "\u2191", STABLE: "\u2192", FALLING: "\u2193"}
EMERGING_MONTHS = 6


@dataclass(frozen=True)
class Point:
    on: date
    score: int


def months_between(earlier: date, later: date) -> int:
    """Whole calendar months from one date's month to another's (March to July is 4)."""
    return (later.year - earlier.year) * 12 + later.month - earlier.month


def derive(history: Sequence[Point], *, as_at: date) -> str:
    """The trend as at a date from reviews in date order (later reviews are ignored)."""
    points = [p for p in history if p.on <= as_at]
    if len(points) < 2:
        return NEW
    first, previous, latest = points[0], points[-2], points[-1]
    if latest.score < previous.score:
        return FALLING
    if months_between(first.on, as_at) < EMERGING_MONTHS and latest.score > first.score:
        return EMERGING
    if latest.score > previous.score:
        return RISING
    return STABLE
