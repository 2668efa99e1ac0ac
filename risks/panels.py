"""Panels risks fills: on the home page the reviews due on my risks; on a plan action's page the
risks it affects, by name."""


from core import clock, panels, policy

from .models import Risk


@panels.home.panel("risks/home_panel.html")
def risks_owned(user):
    if not policy.may_view_risks(user):  # a member who once owned a risk sees no register on their home page
        return None
    risks = list(Risk.objects.filter(owner=user).order_by("next_review", "reference")[:10])
    if not risks:
        return None
    return {"risks": risks, "today": clock.today()}


@panels.action_page.panel("risks/action_risks_row.html")
def risks_of_action(user, *, action):
    """Each risk reference the action names, with the risk in the log when there is one."""
    links = list(action.risk_links.all())
    found = {r.reference.upper(): r for r in Risk.objects.filter(reference__in=[link.reference for link in links])} if links else {}
    return {"links": [(link, found.get(link.reference.upper())) for link in links]}
