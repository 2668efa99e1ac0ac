"""Changes to the risk register: creating a risk, an owner's review each cycle, mitigations, removal, bands."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from core import periods, policy
from organisation import audit
from organisation.models import Period

from . import scoring
from .models import Mitigation, RatingBand, Risk, RiskCategory, RiskReview


class RiskRefused(Exception):
    """A change the rules do not allow (a locked period, bands that leave a gap); the message says why."""


def _period_for(day: date) -> Period:
    period = Period.get_or_create_for(periods.month_of(day))
    if period.state == Period.LOCKED:
        raise RiskRefused(f"{period.label} is locked, so reviews for it can no longer be recorded or changed.")
    return period


@transaction.atomic
def risk_create(*, by, indicators=(), **fields) -> Risk:
    """A new risk and its first assessment, which starts its review history (and makes its trend "new")."""
    risk = Risk.objects.create(**fields)
    if indicators:
        risk.indicators.set(indicators)
    first = RiskReview.objects.create(
        risk=risk,
        period=_period_for(risk.identified_on),
        reviewed_on=risk.identified_on,
        reviewed_by=by,
        likelihood=risk.current_likelihood,
        impact=risk.current_impact,
        commentary="Entered the register.",
        next_review=risk.next_review,
    )
    if by is not None:
        first.contributors.add(by)
    audit.record(user=by, action="risk_created", obj=risk, summary=f"{risk.reference} {risk.title}")
    return risk


@transaction.atomic
def risk_update(*, risk: Risk, by, indicators=None, **fields) -> Risk:
    changed = [name for name, value in fields.items() if getattr(risk, name) != value]
    for name, value in fields.items():
        setattr(risk, name, value)
    risk.save()
    if indicators is not None:
        risk.indicators.set(indicators)
    audit.record(user=by, action="risk_updated", obj=risk,
                 summary=f"{risk.reference}: changed {', '.join(changed) or 'nothing'}")
    return risk


@transaction.atomic
def risk_review(*, risk: Risk, by, reviewed_on: date, likelihood: int, impact: int, commentary: str,
                next_review: date, mitigation_progress: str = "", completed=()) -> RiskReview:
    """Record the owner's review for the cycle that contains `reviewed_on`.

    A second review in the same month corrects the first rather than adding to the history,
    so the register has one position per risk per period. The risk's current scores follow
    its latest review. A review (or a correction of one, even of one signed off or returned)
    awaits sign-off by an approver who had no hand in it (`risk_review_approve`).
    """
    value = scoring.score(likelihood, impact)
    period = _period_for(reviewed_on)
    # A correction replaces the month's review; what it said before is kept in the audit log.
    earlier = RiskReview.objects.filter(risk=risk, period=period).first()
    review, created = RiskReview.objects.update_or_create(
        risk=risk, period=period,
        defaults={
            "reviewed_on": reviewed_on, "reviewed_by": by, "likelihood": likelihood, "impact": impact,
            "commentary": commentary, "mitigation_progress": mitigation_progress, "next_review": next_review,
            "state": RiskReview.SUBMITTED, "decided_by": None, "decided_at": None, "return_reason": "",
        },
    )
    if by is not None:
        review.contributors.add(by)
    latest = RiskReview.objects.filter(risk=risk).aggregate(latest=Max("reviewed_on"))["latest"]
    if reviewed_on >= latest:
        risk.current_likelihood, risk.current_impact, risk.next_review = likelihood, impact, next_review
        risk.save(update_fields=["current_likelihood", "current_impact", "next_review"])
    done = Mitigation.objects.filter(risk=risk, pk__in=[m.pk for m in completed], completed_on__isnull=True)
    done.update(completed_on=reviewed_on)
    audit.record(
        user=by, action="risk_reviewed", obj=risk,
        summary=f"{risk.reference} {'reviewed' if created else 'review corrected'} for {period.label}: "
                f"likelihood {likelihood} x impact {impact} = {value}"
                + (f". It said: reviewed {earlier.reviewed_on}, likelihood {earlier.likelihood} x impact "
                   f"{earlier.impact}, next review {earlier.next_review}; {earlier.commentary}" if earlier else ""),
    )
    return review


def _waiting(review: RiskReview, user) -> RiskReview:
    """The review, locked and read again, if it still awaits sign-off and `user` may decide it."""
    review = (RiskReview.objects.select_for_update(of=("self",)).select_related("risk", "period")
              .prefetch_related("contributors").get(pk=review.pk))
    if review.state != RiskReview.SUBMITTED:
        raise RiskRefused(f"This review of {review.risk.reference} has already been {review.get_state_display().lower()}.")
    if policy.had_a_hand_in(user, review.hands()):
        raise PermissionDenied(f"You own {review.risk.reference} or recorded this review, so someone else must sign it off.")
    if not policy.may_approve_risk_review(user, review):
        raise PermissionDenied
    return review


@transaction.atomic
def risk_review_approve(*, review: RiskReview, by, request=None) -> RiskReview:
    """Sign off an owner's review: the register and the report no longer mark it."""
    review = _waiting(review, by)
    review.state, review.decided_by, review.decided_at = RiskReview.APPROVED, by, timezone.now()
    review.save(update_fields=["state", "decided_by", "decided_at"])
    audit.record(user=by, action="risk_review_approved", obj=review.risk, request=request,
                 summary=f"{review.risk.reference} review for {review.period.label} signed off: "
                         f"likelihood {review.likelihood} x impact {review.impact} = {review.score}")
    return review


@transaction.atomic
def risk_review_return(*, review: RiskReview, by, reason: str, request=None) -> RiskReview:
    """Send a review back to the risk's owner with the reason; it stays on the register, marked returned,
    until the owner records it again."""
    reason = (reason or "").strip()
    if not reason:
        raise RiskRefused("Say why the review is returned")
    review = _waiting(review, by)
    review.state, review.decided_by, review.decided_at = RiskReview.RETURNED, by, timezone.now()
    review.return_reason = reason
    review.save(update_fields=["state", "decided_by", "decided_at", "return_reason"])
    audit.record(user=by, action="risk_review_returned", obj=review.risk, request=request,
                 summary=f"{review.risk.reference} review for {review.period.label} returned: {reason}")
    return review


@transaction.atomic
def mitigation_add(*, risk: Risk, by, **fields) -> Mitigation:
    order = (risk.mitigations.aggregate(top=Max("order"))["top"] or 0) + 1
    mitigation = Mitigation.objects.create(risk=risk, order=order, **fields)
    audit.record(user=by, action="risk_mitigation_added", obj=risk,
                 summary=f"{risk.reference}: {mitigation.get_kind_display()} {mitigation.description[:200]}")
    return mitigation


@transaction.atomic
def risk_remove(*, risk: Risk, by, reason: str) -> Risk:
    """Take a risk off the register; it still shows in the register for the periods before."""
    risk.soft_delete(reason)
    audit.record(user=by, action="risk_removed", obj=risk, summary=f"{risk.reference}: {reason}")
    return risk


@transaction.atomic
def bands_save(*, by, rows: list[dict]) -> list[RatingBand]:
    """Replace the council's rating bands; refused unless they cover scores 1-25 once each."""
    problems = scoring.band_problems([(r["name"], r["min_score"], r["max_score"]) for r in rows])
    if problems:
        raise RiskRefused(" ".join(problems))
    RatingBand.objects.all().delete()
    saved = [RatingBand.objects.create(**row) for row in rows]
    audit.record(user=by, action="risk_bands_changed",
                 summary="; ".join(f"{b.name} {b.min_score}-{b.max_score}" for b in saved))
    return saved


@transaction.atomic
def category_add(*, by, name: str) -> RiskCategory:
    order = (RiskCategory.objects.aggregate(top=Max("order"))["top"] or 0) + 1
    category = RiskCategory.objects.create(name=name, order=order)
    audit.record(user=by, action="risk_category_added", obj=category, summary=name)
    return category
