"""The home-page panel: the latest published report, for everyone who may read it."""

from core import panels, policy

from . import selectors


@panels.home.panel("reports/home_panel.html")
def latest_report(user):
    if not policy.may_view_published_report(user):
        return None
    version = selectors.latest_published()
    if version is None:
        return None
    return {"version": version}
