"""Risk scores and rating bands: likelihood 1-5 times impact 1-5, and which of the council's bands a score falls in.

Plain Python: the bands are the council's settings (risks.models.RatingBand), passed in as
anything with `min_score`, `max_score` and `name`.
"""

from __future__ import annotations

from collections.abc import Sequence

SCALE = range(1, 6)
LOWEST, HIGHEST = 1, 25


class ScoreError(ValueError):
    """A likelihood or impact outside 1-5."""


def score(likelihood: int, impact: int) -> int:
    """Likelihood x impact; each must be a whole number from 1 to 5."""
    for name, value in (("likelihood", likelihood), ("impact", impact)):
        if isinstance(value, bool) or not isinstance(value, int) or value not in SCALE:
            raise ScoreError(f"{name} must be a whole number from 1 to 5, not {value!r}")
    return likelihood * impact


def band_for(value: int, bands: Sequence):
    """The band whose range holds the score; None only when the council's bands leave a gap."""
    for band in bands:
        if band.min_score <= value <= band.max_score:
            return band
    return None


def band_problems(ranges: Sequence[tuple[str, int, int]]) -> list[str]:
    """What is wrong with a set of bands (name, lowest, highest): they must cover 1-25 once, without gaps.

    Returns sentences for a person to fix; an empty list means the bands are sound.
    """
    problems = []
    if not ranges:
        return ["There must be at least one band."]
    for name, low, high in ranges:
        if not (LOWEST <= low <= HIGHEST and LOWEST <= high <= HIGHEST):
            problems.append(f"{name}: scores run from {LOWEST} to {HIGHEST}.")
        elif low > high:
            problems.append(f"{name}: the lowest score {low} is above the highest {high}.")
    if problems:
        return problems
    ordered = sorted(ranges, key=lambda r: r[1])
    expected = LOWEST
    for name, low, high in ordered:
        if low > expected:
            problems.append(f"No band covers scores {expected} to {low - 1}.")
        elif low < expected:
            problems.append(f"{name} overlaps the band below it at score {low}.")
        expected = max(expected, high + 1)
    if expected <= HIGHEST:
        problems.append(f"No band covers scores {expected} to {HIGHEST}.")
    return problems
