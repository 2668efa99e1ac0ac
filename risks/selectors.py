"""Reads of the risk register that pages and the Cabinet report share, in a fixed number of queries.

`register_as_at` shows each risk as it stood at the end of a period: its latest review up to
then (scores, commentary, next review), its trend from the reviews so far, and whether its
review was overdue. A risk removed later still shows for the periods before its removal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch, Q

from core import clock, periods, policy
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
    review_state: str = RiskReview.APPROVED  # the latest review's sign-off
    review_id: int | None = None
    actions: list = field(default_factory=list)
    illustrative: bool = False

    @property
    def band_name(self) -> str:
        return self.band.name if self.band else "No band"

    @property
    def review_signed_off(self) -> bool:
        return self.review_state == RiskReview.APPROVED

    @property
    def review_state_label(self) -> str:
        return dict(RiskReview.STATES)[self.review_state]

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
    return min(pk.end, clock.today())


def _full_name(first: str, last: str, username: str) -> str:
    """What User.get_full_name() or username gives, from the three columns."""
    return f"{first} {last}".strip() or username


def register_as_at(*, period_key: str, band_list: list | None = None) -> list[RegisterRow]:
    """Every risk on the register at the end of the period, as it stood then (four queries, three given band_list).

    The risks and their reviews are read as plain values (the Cabinet report reads the register
    on every build); the mitigations stay model instances, since the pages list the actions.
    """
    pk = periods.parse(period_key)
    end = pk.end
    as_at = as_at_date(pk)
    band_list = bands() if band_list is None else band_list
    risks = list(
        Risk.all_objects.filter(identified_on__lte=end)
        .filter(Q(deleted_at__isnull=True) | Q(deleted_at__date__gt=end))
        .values_list(
            "id", "reference", "title", "description", "owner_id", "owner__first_name", "owner__last_name",
            "owner__username", "category__name", "category_id", "directorate__name", "portfolio__name",
            "inherent_likelihood", "inherent_impact", "current_likelihood", "current_impact",
            "target_likelihood", "target_impact", "next_review", "illustrative",
        )
    )
    ids = [row[0] for row in risks]
    reviews: dict[int, list[tuple]] = {}
    for review in (
        RiskReview.objects.filter(risk_id__in=ids, reviewed_on__lte=end)
        .order_by("reviewed_on", "id")
        .values_list("risk_id", "reviewed_on", "likelihood", "impact", "next_review", "commentary",
                     "mitigation_progress", "state", "id")
    ):
        reviews.setdefault(review[0], []).append(review)
    mitigations: dict[int, list[Mitigation]] = {}
    for mitigation in Mitigation.objects.filter(risk_id__in=ids).select_related("owner").order_by("order", "id"):
        mitigations.setdefault(mitigation.risk_id, []).append(mitigation)
    rows = []
    for (risk_id, reference, title, description, owner_id, first, last, username, category, category_id,
         directorate, portfolio, inherent_l, inherent_i, current_l, current_i, target_l, target_i,
         risk_next_review, illustrative) in risks:
        history = reviews.get(risk_id, [])
        latest = history[-1] if history else None
        likelihood = latest[2] if latest else current_l
        impact = latest[3] if latest else current_i
        next_review = latest[4] if latest else risk_next_review
        value = scoring.score(likelihood, impact)
        points = [trend.Point(r[1], scoring.score(r[2], r[3])) for r in history]
        mitigation_list = mitigations.get(risk_id, [])
        controls = [m for m in mitigation_list if m.kind == Mitigation.CONTROL]
        actions = [m for m in mitigation_list if m.kind == Mitigation.ACTION]
        rows.append(
            RegisterRow(
                pk=risk_id,
                reference=reference,
                title=title,
                description=description,
                owner_id=owner_id,
                owner_name=_full_name(first, last, username),
                category=category,
                category_id=category_id,
                directorate=directorate or "",
                portfolio=portfolio or "",
                inherent_score=scoring.score(inherent_l, inherent_i),
                likelihood=likelihood,
                impact=impact,
                score=value,
                band=scoring.band_for(value, band_list),
                target_score=scoring.score(target_l, target_i),
                trend=trend.derive(points, as_at=as_at),
                reviewed_on=latest[1] if latest else None,
                commentary=latest[5] if latest else "",
                mitigation_progress=latest[6] if latest else "",
                next_review=next_review,
                review_overdue=next_review < as_at,
                controls="; ".join(m.description for m in controls),
                actions=actions,
                illustrative=illustrative,
                review_state=latest[7] if latest else RiskReview.APPROVED,
                review_id=latest[8] if latest else None,
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
    return periods.month_of(clock.today()).key


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
            Prefetch("reviews", queryset=RiskReview.objects.select_related("reviewed_by", "period", "decided_by")
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


# --- Sign-off of reviews --------------------------------------------------------------------


def reviews_awaiting(user) -> list[RiskReview]:
    """Reviews awaiting sign-off that `user` may sign off, oldest first, in two queries."""
    waiting = (
        RiskReview.objects.filter(state=RiskReview.SUBMITTED, risk__deleted_at__isnull=True)
        .select_related("risk__owner", "risk__directorate", "period", "reviewed_by")
        .prefetch_related("contributors")
        .order_by("reviewed_on", "id")
    )
    if not policy.is_performance(user):
        waiting = waiting.filter(risk__directorate_id=policy.directorate_id_of(user))
    found = list(waiting)
    earlier = _previous_reviews(found)
    for review in found:
        review.previous = earlier.get(review.pk)
    return [r for r in found if policy.may_approve_risk_review(user, r)]


def _previous_reviews(reviews) -> dict:
    """{review id: the risk's review before it}, for "was 12" beside a new score; one query."""
    if not reviews:
        return {}
    by_risk: dict[int, list] = {}
    for r in RiskReview.objects.filter(risk_id__in={r.risk_id for r in reviews}).order_by("reviewed_on", "id").only(
            "id", "risk_id", "reviewed_on", "likelihood", "impact"):
        by_risk.setdefault(r.risk_id, []).append(r)
    out = {}
    for review in reviews:
        history = by_risk.get(review.risk_id, [])
        ids = [r.pk for r in history]
        at = ids.index(review.pk) if review.pk in ids else 0
        out[review.pk] = history[at - 1] if at > 0 else None
    return out


def unsigned_reviews(*, period_key: str) -> list[dict]:
    """The risks on the register at the period's end whose review then (their latest up to that day)
    is not signed off: what the report's publish check lists beside figures not signed off. One query."""
    end = periods.parse(period_key).end
    latest: dict[int, dict] = {}
    for review in (
        RiskReview.objects.filter(reviewed_on__lte=end, risk__identified_on__lte=end)
        .filter(Q(risk__deleted_at__isnull=True) | Q(risk__deleted_at__date__gt=end))
        .order_by("reviewed_on", "id")
        .values("id", "risk_id", "risk__reference", "risk__title", "reviewed_on", "state", "return_reason",
                "period__key")
    ):
        latest[review["risk_id"]] = review
    return sorted(
        ({**r, "state_label": dict(RiskReview.STATES)[r["state"]]} for r in latest.values()
         if r["state"] != RiskReview.APPROVED),
        key=lambda r: r["risk__reference"],
    )
