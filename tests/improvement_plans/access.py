"""Who may reach each improvement-plan page (walked by tests/test_url_access.py)."""

from improvement_plans.models import ProgressUpdate
from tests.access import Duty, Rule, performance_only, roles, staff

PERFORMANCE = {"performance": 302, "admin": 302}

RULES = {
    "improvement_plans:plans": Rule(staff(200)),
    "improvement_plans:plan": Rule(staff(200), kwargs=lambda w: {"pk": w.plan.pk}),
    "improvement_plans:plan_pdf": Rule(staff(200), kwargs=lambda w: {"pk": w.plan.pk}),
    "improvement_plans:exceptions": Rule(staff(200), kwargs=lambda w: {"pk": w.plan.pk}, query="on=2006-10-12"),
    "improvement_plans:exceptions_pdf": Rule(staff(200), kwargs=lambda w: {"pk": w.plan.pk}, query="on=2006-10-12"),
    "improvement_plans:updates": Rule(staff(200), kwargs=lambda w: {"pk": w.plan.pk}),
    "improvement_plans:action": Rule(staff(200), kwargs=lambda w: {"pk": w.action.pk}),
    # Only the lead (officer holds DoCS) and the performance team may update action 7.2.
    "improvement_plans:action_update": Rule(
        roles({"officer": 200, "performance": 200, "admin": 200}), kwargs=lambda w: {"pk": w.action.pk}
    ),
    "improvement_plans:approvals": Rule(
        roles({"approver": 200, "other_approver": 200, "performance": 200, "admin": 200})
    ),
    # The pending update is to a Children's Services action: Adult Services' approver may not decide it.
    "improvement_plans:update_decide": Rule(
        roles({"approver": 302, "performance": 302, "admin": 302}), method="post",
        kwargs=lambda w: {"pk": w.pending_update.pk}, data={"decision": "approve"},
    ),
    "improvement_plans:issue_version": Rule(
        roles(PERFORMANCE), method="post", kwargs=lambda w: {"pk": w.plan.pk}, data={"status": "released"}
    ),
    "improvement_plans:action_links": Rule(
        roles(PERFORMANCE), method="post", kwargs=lambda w: {"pk": w.action.pk}, data={"indicators": "CH141"}
    ),
    "improvement_plans:element_status": Rule(performance_only(200), kwargs=lambda w: {"pk": w.element.pk}),
    "improvement_plans:import": Rule(performance_only(200)),
}


def _hand_on_update(w, user):
    """`user` wrote the pending update to action 7.2."""
    ProgressUpdate.objects.filter(pk=w.pending_update.pk).update(submitted_by=user)


DUTIES = {
    "approve a progress update one submitted": Duty(
        "improvement_plans:update_decide", lambda w: {"pk": w.pending_update.pk}, lambda w: {"decision": "approve"},
        _hand_on_update,
        lambda w: ProgressUpdate.objects.get(pk=w.pending_update.pk).state == ProgressUpdate.APPROVED,
    ),
}
