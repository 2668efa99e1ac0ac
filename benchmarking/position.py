"""Where one council stands among comparable councils: rank, quartile, median, gaps and outliers.

Pure rules (no Django, no database): `position` works out one metric, one period, one group
exactly, in Decimal, for the indicator page and for the positions kept for every indicator at
once (benchmarking.stored). docs/benchmarking.md ("How positions are worked out") says the same
in prose.

How positions are worked out
----------------------------
- **Who counts.** Only councils that published a figure. A council with no figure (None) is
  left out of the ranking, the median and the quartiles and is listed in `Position.missing`,
  so a sentence can say "3 of 16 councils published no figure".
- **Better and worse.** Each figure gets a shortfall score, lower is better: the figure
  itself turned round for "higher is better" (-v), the figure for "lower is better" (v), and
  for a target band ("Goldilocks" measures, LGBF's term) the distance outside the band
  (max(low - v, 0, v - high)), so every council inside the band scores 0 and ties at rank 1.
- **Rank.** Competition ranking on the score: 1 is best and tied councils share the better
  rank (two councils level in 4th place are both "joint 4th"; the next is 6th).
- **Quartile.** By rank, as LGBF groups councils (8 to a quartile of the 32), not by
  interpolated quartile values. A council ranked r
  of n (n councils with a figure) is in quartile ceil(4r / n): 1 top, 2 upper middle, 3 lower
  middle, 4 bottom. With 16 councils ranks 1-4 are the top quartile, 5-8 upper middle, 9-12
  lower middle, 13-16 bottom. A tie takes the better rank and so the better quartile. Why by
  rank: the quartile then can never disagree with the rank a reader sees beside it, a hand
  count checks it, and "in the top quartile" always means "among the best quarter of the
  group (ties sharing the better place)". Interpolated boundaries (a spreadsheet's QUARTILE)
  are figures no council published, and put 4 of 15 councils (27%) in the top quartile where
  ranking puts 3. With fewer than
  4 councils with a figure there is no quartile (None): a quarter of 3 is no one.
- **Boundaries.** `top_boundary` is the figure of the worst council still in the top
  quartile (the one at rank floor(n / 4)): equalling it puts a council in the top quartile.
  `lower_quartile_boundary` is the figure of the worst council not in the bottom quartile
  (rank floor(3n / 4)): equalling it takes a council out of the bottom quartile. Both are
  figures in the metric's units; for a band measure they are None (a band has two sides;
  the gaps below are distances outside the band instead).
- **Median.** The ordinary median of the figures (the mean of the middle two when the count
  is even), our council included.
- **Gaps.** Signed so that positive is better, in the metric's units: `gap_to_median` is the
  median's score less ours (for "higher is better" our figure less the median; for "lower is
  better" the median less ours; for a band, how much nearer the band we are than the median
  council). `gap_to_top_quartile` is how far our figure must move to reach the top boundary
  (0 when in the top quartile; always >= 0).
- **Outliers.** By median absolute deviations from the median (Leys et al., 2013): the
  scaled MAD is 1.4826 x median(|v - median|) and a figure more than 3 scaled MADs from the
  median is an outlier, "high" or "low" by the figure (not by better or worse). With fewer
  than 4 figures, or a MAD of 0 (more than half the councils share one figure), nothing is
  marked: there is no spread to judge against.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

HIGHER, LOWER, BAND = "higher", "lower", "band"
QUARTILE_NAMES = {1: "top", 2: "upper middle", 3: "lower middle", 4: "bottom"}
MIN_FOR_QUARTILES = 4
MAD_SCALE = Decimal("1.4826")
OUTLIER_MADS = 3


@dataclass(frozen=True)
class Polarity:
    """Which way is better: "higher", "lower", or "band" (inside low..high is best)."""

    direction: str
    low: Decimal | None = None
    high: Decimal | None = None

    def __post_init__(self):
        if self.direction not in (HIGHER, LOWER, BAND):
            raise ValueError(f"polarity must be higher, lower or band, not {self.direction!r}")
        if self.direction == BAND:
            if self.low is None or self.high is None:
                raise ValueError("a band measure needs both ends of the band")
            if Decimal(self.low) > Decimal(self.high):
                raise ValueError("the band's low end is above its high end")

    def score(self, value: Decimal) -> Decimal:
        """The shortfall: lower is better; 0 anywhere inside a band."""
        if self.direction == HIGHER:
            return -value
        if self.direction == LOWER:
            return value
        return max(Decimal(self.low) - value, Decimal(0), value - Decimal(self.high))


@dataclass(frozen=True)
class Position:
    """One council's place in one group for one metric and period (see the module docstring)."""

    us: str
    polarity: Polarity
    value: Decimal | None
    rank: int | None
    tied: bool
    of: int
    missing: tuple[str, ...]
    quartile: int | None
    median: Decimal | None
    top_boundary: Decimal | None
    lower_quartile_boundary: Decimal | None
    gap_to_median: Decimal | None
    gap_to_top_quartile: Decimal | None
    outlier: str | None
    # (code, figure, rank) best first, ties in code order: what a chart or table draws.
    ranked: tuple[tuple[str, Decimal, int], ...] = ()
    # For a band measure, how far our figure lies outside the band (0 inside); else None.
    outside_band: Decimal | None = None

    @property
    def group_size(self) -> int:
        return self.of + len(self.missing)

    @property
    def quartile_name(self) -> str | None:
        return QUARTILE_NAMES.get(self.quartile)

    @property
    def shared_with(self) -> int:
        """How many other councils share our rank."""
        if self.rank is None:
            return 0
        return sum(1 for _, _, r in self.ranked if r == self.rank) - 1


def _median(sorted_values: list[Decimal]) -> Decimal | None:
    n = len(sorted_values)
    if not n:
        return None
    mid = n // 2
    if n % 2:
        return sorted_values[mid]
    return (sorted_values[mid - 1] + sorted_values[mid]) / 2


def quartile_of(rank: int, of: int) -> int | None:
    """LGBF's quartile of rank r among n councils: ceil(4r / n); None below 4 councils."""
    if of < MIN_FOR_QUARTILES:
        return None
    return -(-4 * rank // of)


def _outlier(value: Decimal, figures: list[Decimal], median: Decimal) -> str | None:
    if len(figures) < MIN_FOR_QUARTILES:
        return None
    mad = _median(sorted(abs(v - median) for v in figures))
    if not mad:
        return None
    if abs(value - median) > OUTLIER_MADS * MAD_SCALE * mad:
        return "high" if value > median else "low"
    return None


def position(values: Mapping[str, Decimal | None], us: str, polarity: Polarity) -> Position | None:
    """Our council's position among `values` (code -> figure, None = no figure); None if we are not in them."""
    if us not in values:
        return None
    given = {code: Decimal(v) for code, v in values.items() if v is not None}
    missing = tuple(sorted(code for code, v in values.items() if v is None))
    scores = {code: polarity.score(v) for code, v in given.items()}
    order = sorted(given, key=lambda code: (scores[code], code))
    ranks: dict[str, int] = {}
    for i, code in enumerate(order):
        prev = order[i - 1] if i else None
        ranks[code] = ranks[prev] if prev is not None and scores[prev] == scores[code] else i + 1
    n = len(order)
    ranked = tuple((code, given[code], ranks[code]) for code in order)
    figures = sorted(given.values())
    median = _median(figures)
    band = polarity.direction == BAND
    top_boundary = lower_boundary = None
    top_score = None
    if n >= MIN_FOR_QUARTILES:
        top_score = scores[order[n // 4 - 1]]
        if not band:
            top_boundary = given[order[n // 4 - 1]]
            lower_boundary = given[order[3 * n // 4 - 1]]
    value = given.get(us)
    if value is None:
        return Position(
            us=us, polarity=polarity, value=None, rank=None, tied=False, of=n, missing=missing, quartile=None,
            median=median, top_boundary=top_boundary, lower_quartile_boundary=lower_boundary,
            gap_to_median=None, gap_to_top_quartile=None, outlier=None, ranked=ranked,
        )
    rank = ranks[us]
    our_score = scores[us]
    median_score = _median(sorted(scores.values()))
    return Position(
        us=us, polarity=polarity, value=value, rank=rank,
        tied=sum(1 for r in ranks.values() if r == rank) > 1,
        of=n, missing=missing, quartile=quartile_of(rank, n), median=median,
        top_boundary=top_boundary, lower_quartile_boundary=lower_boundary,
        gap_to_median=median_score - our_score,
        gap_to_top_quartile=None if top_score is None else max(our_score - top_score, Decimal(0)),
        outlier=_outlier(value, figures, median), ranked=ranked,
        outside_band=our_score if band else None,
    )


def rank_trend(earlier: Position | None, later: Position) -> str | None:
    """"up" (better), "down" or "same" from one period to the next; None without both ranks.

    Groups of one size compare ranks. When the number of councils with a figure changed, the
    place is compared as a share of the way down the group, (rank - 1) / (n - 1), so 4th of
    8 to 5th of 16 is "up"; the sentence then names both sizes ("from 4th of 8 to 5th of 16").
    """
    if earlier is None or earlier.rank is None or later.rank is None:
        return None
    if earlier.of == later.of:
        before, now = Decimal(earlier.rank), Decimal(later.rank)
    else:
        before = Decimal(earlier.rank - 1) / max(earlier.of - 1, 1)
        now = Decimal(later.rank - 1) / max(later.of - 1, 1)
    if now < before:
        return "up"
    if now > before:
        return "down"
    return "same"


def as_polarity(given) -> Polarity:
    """A Polarity from a Polarity, a (direction, low, high) tuple as the selectors read it, or None.

    None, and a band without both ends, are taken as "higher is better" (as selectors.polarity_of does).
    """
    if isinstance(given, Polarity):
        return given
    if given is None:
        return Polarity(HIGHER)
    direction, low, high = given
    if direction == BAND and (low is None or high is None):
        return Polarity(HIGHER)
    return Polarity(direction, None if low is None else Decimal(str(low)), None if high is None else Decimal(str(high)))
