"""The risk register the tests use: the council's bands and categories, a risk owned by the officer and one by another."""

from __future__ import annotations

from datetime import date

from core import periods
from organisation.models import Period
from risks.models import RatingBand, Risk, RiskCategory, RiskReview

BANDS = [
    ("Low", 1, 3, False, "low"),
    ("Medium", 4, 8, False, "medium"),
    ("High", 9, 15, True, "high"),
    ("Very high", 16, 25, True, "very-high"),
]


def bands():
    return [
        RatingBand.objects.create(name=n, min_score=lo, max_score=hi, reported_as_high=high, css=css)
        for n, lo, hi, high, css in BANDS
    ]


def risk(reference, *, owner, category, likelihood=3, impact=4, identified_on=date(2006, 4, 10),
         next_review=date(2006, 8, 31), **fields) -> Risk:
    defaults = {
        "title": f"Risk {reference}", "directorate": None, "portfolio": None,
        "inherent_likelihood": 5, "inherent_impact": 5,
        "current_likelihood": likelihood, "current_impact": impact,
        "target_likelihood": 1, "target_impact": 2,
        "identified_on": identified_on, "next_review": next_review,
    }
    defaults.update(fields)
    # Made directly, not through services.risk_create, so the world leaves the audit log empty for other tests.
    made = Risk.objects.create(reference=reference, owner=owner, category=category, **defaults)
    RiskReview.objects.create(
        risk=made, period=Period.get_or_create_for(periods.month_of(identified_on)), reviewed_on=identified_on,
        reviewed_by=owner, likelihood=likelihood, impact=impact, commentary="Entered the register.",
        next_review=next_review, state=RiskReview.APPROVED,
    )
    return made


def pending_review(risk, *, by, on=date(2006, 7, 20), likelihood=4, impact=4) -> RiskReview:
    """A review of `risk` recorded by `by` in July 2006, awaiting sign-off."""
    review, _ = RiskReview.objects.update_or_create(
        risk=risk, period=Period.get_or_create_for(periods.month_of(on)),
        defaults={"reviewed_on": on, "reviewed_by": by, "likelihood": likelihood, "impact": impact,
                  "commentary": "Caseloads are rising.", "next_review": date(2006, 10, 31),
                  "state": RiskReview.SUBMITTED, "decided_by": None, "return_reason": ""},
    )
    review.contributors.set([by])
    return review


def populate(world):
    world.extra["risk_bands"] = bands()
    operations = RiskCategory.objects.create(name="Operations", order=0)
    finance = RiskCategory.objects.create(name="Finance", order=1)
    own = risk("CR01", owner=world.officer, category=operations, directorate=world.cyps,
               title="Failure to safeguard vulnerable children")
    other = risk("CR02", owner=world.other_officer, category=finance, directorate=world.acs,
                 title="Cost of adult social care", likelihood=4, impact=4)
    world.extra.update(risk=own, other_risk=other, risk_category=operations, finance_category=finance)
