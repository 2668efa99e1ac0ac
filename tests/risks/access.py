"""Who may reach the risk register's pages: staff read it, owners change their own risks, the team everything."""

from datetime import date

from risks.models import RiskReview
from tests.access import Duty, Rule, performance_only, roles, staff
from tests.risks.factories import pending_review

OWNER_OR_TEAM = {"officer": 200, "performance": 200, "admin": 200}


def _review(world):
    return {
        "reviewed_on": date(2006, 7, 20).isoformat(), "likelihood": "3", "impact": "5",
        "commentary": "Reviewed", "next_review": date(2006, 8, 31).isoformat(),
    }


RULES = {
    "risks:register": Rule(staff(200)),
    "risks:heat_map": Rule(staff(200)),
    "risks:detail": Rule(staff(200), kwargs=lambda w: {"pk": w.risk.pk}),
    "risks:review": Rule(roles(OWNER_OR_TEAM), kwargs=lambda w: {"pk": w.risk.pk}),
    "risks:edit": Rule(roles(OWNER_OR_TEAM), kwargs=lambda w: {"pk": w.risk.pk}),
    "risks:mitigation_add": Rule(
        roles(OWNER_OR_TEAM), kwargs=lambda w: {"pk": w.risk.pk}, method="post",
        data={"mitigation-kind": "control", "mitigation-description": "A control", "mitigation-owner_role": "DoCS"},
    ),
    "risks:create": Rule(performance_only(200)),
    "risks:settings": Rule(performance_only(200)),
    "risks:remove": Rule(performance_only(200), kwargs=lambda w: {"pk": w.other_risk.pk}),
    "risks:sign_off": Rule(roles({"approver": 200, "other_approver": 200, "performance": 200, "admin": 200})),
    # CR01 is Children's Services' and the officer's: Adult Services' approver may not decide its review.
    "risks:review_decide": Rule(
        roles({"approver": 302, "performance": 302, "admin": 302}), method="post",
        kwargs=lambda w: {"pk": pending_review(w.risk, by=w.officer).pk}, data={"decision": "approve"},
    ),
}


def _hand_on_review(w, user):
    """`user` recorded (or corrected) the July review of CR01, which awaits sign-off."""
    pending_review(w.risk, by=user)


DUTIES = {
    "sign off a risk review one recorded": Duty(
        "risks:review_decide", lambda w: {"pk": RiskReview.objects.get(risk=w.risk, period__key="2006-07").pk},
        lambda w: {"decision": "approve"}, _hand_on_review,
        lambda w: RiskReview.objects.get(risk=w.risk, period__key="2006-07").state == RiskReview.APPROVED,
    ),
}
