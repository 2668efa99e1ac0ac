"""Reads of the risk register that pages and the Cabinet report share, in a fixed number of queries.

`register_as_at` shows each risk as it stood at the end of a period: its latest review up to
then (scores, commentary, next review), its trend from the reviews so far, and whether its
review was overdue. A risk removed later still shows for the periods before its removal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch, Q
from django.utils import timezone

from councilperf import periods
from organisation.models import Period

from . import scoring, trend
from .models import Mitigation, RatingBand, Risk, RiskReview


@dataclass
class RegisterRow:
    pk: int
    reference: str
    title: str
    description: str
    owner_id: int
    owner_name: str
    category: str
    category_id: int
    directorate: str
    portfolio: str
    inherent_score: int
    likelihood: int
    impact: int
    score: int
    band: RatingBand | None
    target_score: int
    trend: str
    reviewed_on: date | None
    commentary: str
    mitigation_progress: str
    next_review: date
    review_overdue: bool
    controls: str
    actions: list = field(default_factory=list)
    illustrative: bool = False

    @property
    def band_name(self) -> str:
        return self.band.name if self.band else "No band"

    @property
    def trend_label(self) -> str:
        return trend.LABELS[self.trend]

    @property
    def trend_arrow(self) -> str:
        return trend.ARROWS[self.trend]


@dataclass
class HeatCell:
    likelihood: int
    impact: int
    score: int
    band: RatingBand | None
    references: list[str]

    @property
    def count(self) -> int:
        return len(self.references)


@dataclass
class HeatRow:
    impact: int
    label: str
    cells: list[HeatCell]


@dataclass
class HeatMap:
    rows: list[HeatRow]
    likelihoods: list[tuple[int, str]]
    total: int


def bands() -> list[RatingBand]:
    return list(RatingBand.objects.all())


def as_at_date(pk: periods.PeriodKey) -> date:
    """The register for a period is as it stood at the period's end, or today for a period not yet over."""
    return min(pk.end, timezone.localdate())


def _display_name(user) -> str:
    return user.get_full_name() or user.username


def register_as_at(*, period_key: str, band_list: list | None = None) -> list[RegisterRow]:
    """Every risk on the register at the end of the period, as it stood then (five queries)."""
    pk = periods.parse(period_key)
    end = pk.end
    as_at = as_at_date(pk)
    band_list = bands() if band_list is None else band_list
    risks = (
        Risk.all_objects.filter(identified_on__lte=end)
        .filter(Q(deleted_at__isnull=True) | Q(deleted_at__date__gt=end))
        .select_related("owner", "category", "directorate", "portfolio")
        .prefetch_related(
            Prefetch(
                "reviews",
                queryset=RiskReview.objects.filter(reviewed_on__lte=end).order_by("reviewed_on", "id"),
                to_attr="reviews_then",
            ),
            Prefetch(
                "mitigations",
                queryset=Mitigation.objects.select_related("owner").order_by("order", "id"),
                to_attr="mitigation_list",
            ),
        )
    )
    rows = []
    for risk in risks:
        reviews = risk.reviews_then
        latest = reviews[-1] if reviews else None
        likelihood = latest.likelihood if latest else risk.current_likelihood
        impact = latest.impact if latest else risk.current_impact
        next_review = latest.next_review if latest else risk.next_review
        value = scoring.score(likelihood, impact)
        history = [trend.Point(r.reviewed_on, r.score) for r in reviews]
        controls = [m for m in risk.mitigation_list if m.kind == Mitigation.CONTROL]
        actions = [m for m in risk.mitigation_list if m.kind == Mitigation.ACTION]
        rows.append(
            RegisterRow(
                pk=risk.pk,
                reference=risk.reference,
                title=risk.title,
                description=risk.description,
                owner_id=risk.owner_id,
                owner_name=_display_name(risk.owner),
                category=risk.category.name,
                category_id=risk.category_id,
                directorate=risk.directorate.name if risk.directorate else "",
                portfolio=risk.portfolio.name if risk.portfolio else "",
                inherent_score=risk.inherent_score,
                likelihood=likelihood,
                impact=impact,
                score=value,
                band=scoring.band_for(value, band_list),
                target_score=risk.target_score,
                trend=trend.derive(history, as_at=as_at),
                reviewed_on=latest.reviewed_on if latest else None,
                commentary=latest.commentary if latest else "",
                mitigation_progress=latest.mitigation_progress if latest else "",
                next_review=next_review,
                review_overdue=next_review < as_at,
                controls="; ".join(m.description for m in controls),
                actions=actions,
                illustrative=risk.illustrative,
            )
        )
    rows.sort(key=lambda r: (-r.score, r.reference))
    return rows


def heat_map(rows, *, band_list: list | None = None) -> HeatMap:
    """The 5x5 grid, impact 5 at the top and likelihood 1 on the left, with the references in each cell."""
    band_list = bands() if band_list is None else band_list
    refs: dict[tuple[int, int], list[str]] = {}
    for row in rows:
        refs.setdefault((row.likelihood, row.impact), []).append(row.reference)
    impact_names = dict(_IMPACT)
    grid = []
    for impact in reversed(scoring.SCALE):
        cells = []
        for likelihood in scoring.SCALE:
            value = scoring.score(likelihood, impact)
            cells.append(
                HeatCell(likelihood, impact, value, scoring.band_for(value, band_list),
                         sorted(refs.get((likelihood, impact), [])))
            )
        grid.append(HeatRow(impact, impact_names[impact], cells))
    return HeatMap(rows=grid, likelihoods=list(_LIKELIHOOD), total=len(rows))


_LIKELIHOOD = [(1, "Rare"), (2, "Unlikely"), (3, "Possible"), (4, "Likely"), (5, "Almost certain")]
_IMPACT = [(1, "Negligible"), (2, "Minor"), (3, "Moderate"), (4, "Major"), (5, "Critical")]


def headline_risks(*, period_key: str) -> dict:
    """What the Cabinet report names: the high risks (bands reported as high) and the emerging ones."""
    rows = register_as_at(period_key=period_key)
    return {
        "high": [r for r in rows if r.band is not None and r.band.reported_as_high],
        "emerging": [r for r in rows if r.trend == trend.EMERGING],
    }


SORTS = {
    "reference": lambda r: r.reference,
    "title": lambda r: r.title.lower(),
    "owner": lambda r: r.owner_name.lower(),
    "category": lambda r: r.category.lower(),
    "score": lambda r: (r.score, r.reference),
    "trend": lambda r: trend.TRENDS.index(r.trend),
    "next_review": lambda r: r.next_review,
}


def filter_and_sort(rows, *, band: str = "", category: str = "", owner: str = "",
                    sort: str = "score", descending: bool = True):
    """The register as a person asked to see it: filtered by band, category and owner, then sorted."""
    if band:
        rows = [r for r in rows if r.band is not None and str(r.band.pk) == band]
    if category:
        rows = [r for r in rows if str(r.category_id) == category]
    if owner:
        rows = [r for r in rows if str(r.owner_id) == owner]
    key = SORTS.get(sort, SORTS["score"])
    return sorted(rows, key=key, reverse=descending)


def review_periods() -> list[Period]:
    """The months in which risks were reviewed, latest first: the periods the register can be shown for."""
    ids = RiskReview.objects.values("period_id")
    return list(Period.objects.filter(pk__in=ids).order_by("-start"))


def default_period_key(period_list: list[Period]) -> str:
    if period_list:
        return period_list[0].key
    return periods.month_of(timezone.localdate()).key


@dataclass
class HistoryRow:
    review: RiskReview
    score: int
    band: RatingBand | None
    trend: str

    @property
    def trend_label(self) -> str:
        return trend.LABELS[self.trend]


def risk_with_history(pk: int):
    """A risk, its mitigations, indicators and reviews, and the score history with the trend at each review."""
    risk = (
        Risk.objects.select_related("owner", "category", "directorate", "portfolio")
        .prefetch_related(
            Prefetch("reviews", queryset=RiskReview.objects.select_related("reviewed_by", "period")
                     .order_by("reviewed_on", "id"), to_attr="review_list"),
            Prefetch("mitigations", queryset=Mitigation.objects.select_related("owner"), to_attr="mitigation_list"),
            "indicators",
        )
        .filter(pk=pk)
        .first()
    )
    if risk is None:
        return None, []
    band_list = bands()
    points = [trend.Point(r.reviewed_on, r.score) for r in risk.review_list]
    history = [
        HistoryRow(r, r.score, scoring.band_for(r.score, band_list), trend.derive(points, as_at=r.reviewed_on))
        for r in risk.review_list
    ]
    risk.band_list = band_list
    return risk, history
