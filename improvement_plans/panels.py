"""Home-page panels for improvement plans: my overdue actions, and updates awaiting my approval."""


from core import clock
from councilperf import home, policy

from . import selectors


@home.panel("improvement_plans/home_panel.html")
def plan_panel(user):
    if not policy.may_view_plans(user):
        return None
    overdue = selectors.overdue_actions_led_by(user, on=clock.today()) if not policy.is_performance(user) else []
    waiting = selectors.pending_updates(user) if policy.may_review_plan_updates(user) else []
    if not overdue and not waiting:
        return None
    return {"overdue": overdue, "waiting": len(waiting)}
