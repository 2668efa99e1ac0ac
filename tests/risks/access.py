"""Who may reach the risk register's pages: staff read it, owners change their own risks, the team everything."""

from datetime import date

from tests.access import Rule, performance_only, roles, staff

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
}
