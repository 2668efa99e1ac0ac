"""The home-page panel that reminds a risk owner of the reviews due on their risks."""


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
