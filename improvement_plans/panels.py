"""Panels improvement plans fills: on the home page my overdue actions and the updates awaiting my
approval; on an indicator's page the plan actions linked to it."""


from core import clock, panels, policy

from . import selectors


@panels.home.panel("improvement_plans/home_panel.html")
def plan_panel(user):
    if not policy.may_view_plans(user):
        return None
    overdue = selectors.overdue_actions_led_by(user, on=clock.today()) if not policy.is_performance(user) else []
    waiting = selectors.pending_updates(user) if policy.may_review_plan_updates(user) else []
    if not overdue and not waiting:
        return None
    return {"overdue": overdue, "waiting": len(waiting)}


@panels.indicator_page.panel("improvement_plans/indicator_panel.html")
def actions_for_indicator(user, *, indicator):
    """The plan actions linked to the indicator (whoever may see the indicator may see these links)."""
    actions = selectors.actions_for_indicator(indicator)
    return {"actions": actions} if actions else None
