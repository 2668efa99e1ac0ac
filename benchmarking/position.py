"""Where one council stands among comparable councils: rank, quartile, median, gaps and outliers.

Pure rules (no Django, no database): `position` works out one metric, one period, one group
exactly, in Decimal; `positions_frame` does the same for many at once with numpy and pandas
(in floats), and a property test holds the two together. docs/benchmarking.md ("How positions
are worked out") says the same in prose.

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

import numpy as np
import pandas as pd

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


# ---------------------------------------------------------------------------------------------
# Many metrics, periods and groups at once.

FRAME_KEYS = ("metric", "period", "group")
FRAME_COLUMNS = (
    "value", "rank", "tied", "of", "missing", "quartile", "median", "top_boundary",
    "lower_quartile_boundary", "gap_to_median", "gap_to_top_quartile", "outlier", "outside_band",
)
# Scores are rounded before ranking so that float noise (6.1 - 6 against 4 - 3.9) cannot
# split a tie that Decimal arithmetic keeps.
_SCORE_PLACES = 9


def _group_medians(sorted_vals: np.ndarray, starts: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """The median of each run of `sorted_vals` (already sorted within each group)."""
    out = np.full(len(starts), np.nan)
    has = sizes > 0
    if not has.any():
        return out
    lo = starts[has] + (sizes[has] - 1) // 2
    hi = starts[has] + sizes[has] // 2
    out[has] = (sorted_vals[lo] + sorted_vals[hi]) / 2
    return out


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


def positions_frame(frame: pd.DataFrame, *, us: str, polarities: Mapping) -> pd.DataFrame:
    """`position` for every (metric, period, group) in `frame`, at once.

    frame: one row per metric, period, group and council, columns "metric", "period", "group",
    "council", "value" (a number; NaN or None = no figure). polarities: metric -> Polarity or
    (direction, low, high) (a metric without one is taken as "higher is better").
    Returns one row per (metric, period, group) in which `us` appears, indexed by those three,
    with the columns of FRAME_COLUMNS: floats for figures (NaN where `position` has None),
    "missing" the number of councils without a figure and "outlier" "high", "low" or None.
    """
    if frame.empty:
        return pd.DataFrame(columns=list(FRAME_COLUMNS),
                            index=pd.MultiIndex.from_tuples([], names=list(FRAME_KEYS)))
    # One integer per (metric, period, group), from each column's codes (tuples would be slow).
    metric_codes, metric_names = pd.factorize(frame["metric"])
    period_codes, period_names = pd.factorize(frame["period"])
    group_codes, group_names = pd.factorize(frame["group"])
    combined = (metric_codes.astype(np.int64) * len(period_names) + period_codes) * len(group_names) + group_codes
    space = len(metric_names) * len(period_names) * len(group_names)
    if space <= 4 * len(combined) + 1024:  # small enough to count into: no hashing, no sort
        used = np.bincount(combined, minlength=space) > 0
        uniques = np.flatnonzero(used)
        gid = (np.cumsum(used) - 1)[combined]
    else:
        gid, uniques = pd.factorize(combined)
    n_groups = len(uniques)
    keys = pd.MultiIndex.from_arrays(
        [metric_names.take(uniques // (len(period_names) * len(group_names))),
         period_names.take(uniques // len(group_names) % len(period_names)),
         group_names.take(uniques % len(group_names))],
        names=list(FRAME_KEYS),
    )
    values = pd.to_numeric(frame["value"], errors="coerce").to_numpy(dtype=float)
    is_us = frame["council"].to_numpy(dtype=object) == us  # a third of the time of a string-dtype compare

    # Each metric's polarity as three arrays over the rows: kind (0 higher, 1 lower, 2 band), low, high.
    kinds = np.zeros(len(metric_names), dtype=np.int8)
    lows = np.zeros(len(metric_names))
    highs = np.zeros(len(metric_names))
    for i, name in enumerate(metric_names):
        pol = as_polarity(polarities.get(name))
        kinds[i] = {HIGHER: 0, LOWER: 1, BAND: 2}[pol.direction]
        if pol.direction == BAND:
            lows[i], highs[i] = float(pol.low), float(pol.high)
    kind = kinds[metric_codes]
    score = np.where(kind == 0, -values, values)
    band_rows = kind == 2
    if band_rows.any():
        lo, hi = lows[metric_codes], highs[metric_codes]
        score = np.where(band_rows, np.maximum(np.maximum(lo - values, 0.0), values - hi), score)
    score = np.round(score, _SCORE_PLACES) + 0.0  # + 0.0 turns -0.0 into 0.0

    present = ~np.isnan(values)
    group_kind = np.zeros(n_groups, dtype=np.int8)
    group_kind[gid] = kind
    us_rows = np.flatnonzero(is_us)
    us_gid = gid[us_rows]
    missing = np.bincount(gid[~present], minlength=n_groups)

    rows = np.flatnonzero(present)
    g, s, v = gid[rows], score[rows], values[rows]
    sizes = np.bincount(g, minlength=n_groups)
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    # The scores sorted within each group, by one integer sort: each score's place among all
    # distinct scores, offset by its group (lexsort on floats took three times as long).
    distinct, place = np.unique(s, return_inverse=True)
    width = max(len(distinct), 1)
    s_s = distinct[np.sort(g.astype(np.int64) * width + place.reshape(-1)) % width]
    median_score = _group_medians(s_s, starts, sizes)
    median = pd.Series(v).groupby(g).median().reindex(range(n_groups)).to_numpy()
    mad = pd.Series(np.abs(v - median[g])).groupby(g).median().reindex(range(n_groups)).to_numpy()

    enough = sizes >= MIN_FOR_QUARTILES
    top_idx = np.where(enough, starts + np.maximum(sizes // 4, 1) - 1, 0)
    low_idx = np.where(enough, starts + np.maximum(3 * sizes // 4, 1) - 1, 0)
    has_rows = len(s_s) > 0
    top_score = np.where(enough & has_rows, s_s[top_idx] if has_rows else np.nan, np.nan)
    low_score = np.where(enough & has_rows, s_s[low_idx] if has_rows else np.nan, np.nan)

    def as_value(score_at: np.ndarray) -> np.ndarray:
        # The figure behind a boundary score: -score (higher), score (lower), none for a band.
        return np.where(group_kind == 0, -score_at, np.where(group_kind == 1, score_at, np.nan))

    top_boundary = as_value(top_score)
    lower_boundary = as_value(low_score)

    # Our council's row in each group it appears in; rank = 1 + the councils scoring strictly
    # better (competition ranking), counted without a sort.
    ours_present = present[us_rows]
    our_value = values[us_rows]
    our_score = score[us_rows]
    n = sizes[us_gid]
    ours_by_group = np.full(n_groups, np.nan)
    ours_by_group[us_gid] = np.where(ours_present, our_score, np.nan)
    target = ours_by_group[g]
    better = np.bincount(g[s < target], minlength=n_groups)
    level = np.bincount(g[s == target], minlength=n_groups)
    rank = np.where(ours_present, better[us_gid] + 1, 0)
    tied = ours_present & (level[us_gid] > 1)
    quartile = np.where(ours_present & (n >= MIN_FOR_QUARTILES), -(-4 * rank // np.maximum(n, 1)), 0)
    gap_median = np.where(ours_present, median_score[us_gid] - our_score, np.nan)
    gap_top = np.where(ours_present, np.maximum(our_score - top_score[us_gid], 0.0), np.nan)
    g_median, g_mad = median[us_gid], mad[us_gid]
    far = ours_present & (n >= MIN_FOR_QUARTILES) & (g_mad > 0) & (
        np.abs(our_value - g_median) > OUTLIER_MADS * float(MAD_SCALE) * g_mad * (1 + 1e-12))
    outlier = np.where(far, np.where(our_value > g_median, "high", "low"), None)
    band_group = group_kind[us_gid] == 2
    out = pd.DataFrame(
        {
            "value": our_value,
            "rank": pd.array(np.where(ours_present, rank, 0), dtype="Int64"),
            "tied": tied,
            "of": n,
            "missing": missing[us_gid],
            "quartile": pd.array(quartile, dtype="Int64"),
            "median": g_median,
            "top_boundary": top_boundary[us_gid],
            "lower_quartile_boundary": lower_boundary[us_gid],
            "gap_to_median": gap_median,
            "gap_to_top_quartile": gap_top,
            "outside_band": np.where(band_group & ours_present, our_score, np.nan),
        },
        index=keys[us_gid],
    )
    # Object, not pandas' string dtype: None (not NaN) where a figure is no outlier, as `position` says.
    out.insert(FRAME_COLUMNS.index("outlier"), "outlier", pd.Series(outlier, index=out.index, dtype=object))
    out.loc[~ours_present, "rank"] = pd.NA
    out.loc[out["quartile"] == 0, "quartile"] = pd.NA
    out.index.names = list(FRAME_KEYS)
    return out


def rank_trends(positions: pd.DataFrame, *, latest, previous) -> pd.Series:
    """`rank_trend` for every (metric, group) of a `positions_frame` result, from period `previous` to `latest`.

    Returns "up", "down", "same" or None, indexed by (metric, group), for each pair with a
    latest row; None where either period has no rank.
    """
    ranks = positions[["rank", "of"]]
    now = ranks.xs(latest, level="period")
    try:
        before = ranks.xs(previous, level="period").reindex(now.index)
    except KeyError:
        before = pd.DataFrame({"rank": pd.NA, "of": pd.NA}, index=now.index)
    r1 = before["rank"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    n1 = before["of"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    r2 = now["rank"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    n2 = now["of"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    same_size = n1 == n2
    # Exact fractions, as rank_trend compares Decimals: (r1 - 1)(n2 - 1) against (r2 - 1)(n1 - 1).
    a = np.where(same_size, r1, (r1 - 1) * np.maximum(n2 - 1, 1))
    b = np.where(same_size, r2, (r2 - 1) * np.maximum(n1 - 1, 1))
    known = ~(np.isnan(a) | np.isnan(b))
    words = np.where(b < a, "up", np.where(b > a, "down", "same"))
    return pd.Series(np.where(known, words, None), index=now.index, dtype=object, name="trend")
