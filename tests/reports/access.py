"""Who may reach each report URL: drafts are staff only (members get 404), published versions everyone with a role."""

from tests.access import Rule, everyone, performance_only, staff


def _draft(w):
    return {"pk": w.report.pk}


def _version(w):
    return {"pk": w.published_report.pk, "number": w.published_version.number}


RULES = {
    "reports:list": Rule(everyone(200)),
    "reports:new": Rule(performance_only(200)),
    "reports:draft": Rule(staff(200), kwargs=_draft),
    "reports:cover": Rule(performance_only(200), kwargs=_draft),
    "reports:paragraph": Rule(performance_only(200), kwargs=lambda w: {"pk": w.report.pk, "number": 1}),
    "reports:publish": Rule(performance_only(200), kwargs=_draft),
    "reports:version": Rule(everyone(200), kwargs=_version),
    "reports:render": Rule(performance_only(302), kwargs=_version, method="post"),
    "reports:pdf": Rule(everyone(200), kwargs=lambda w: {**_version(w), "part": "report"}),
    "reports:csv": Rule(everyone(200), kwargs=lambda w: {**_version(w), "table": "sets"}),
    "reports:json": Rule(everyone(200), kwargs=_version),
}
