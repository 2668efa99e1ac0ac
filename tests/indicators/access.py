"""Who may reach each indicators URL (walked by tests/test_url_access.py); other indicators helpers add theirs here."""

from indicators.models import Reading, ReadingHistory, SpcRebase
from tests.access import Duty, Rule, performance_only, roles, staff

RULES = {
    "indicators:list": Rule(staff(200)),
    "indicators:dashboard": Rule(staff(200)),
    "indicators:detail": Rule(staff(200), kwargs=lambda w: {"pk": w.indicator.pk}),
}

# Monthly updates (tests/indicators/test_updates*.py): officers change only what they lead,
# approvers only their directorate, the performance team everything; members nothing.
_LEAD = {"officer": 200, "performance": 200, "admin": 200}
_APPROVERS = {"approver": 200, "other_approver": 200, "performance": 200, "admin": 200}


def _period(w):
    return {"period_id": w.period.pk}


def _row(w):
    return {"period_id": w.period.pk, "indicator_id": w.indicator.pk}


def _reading(w):
    return {"reading_id": Reading.objects.get(indicator=w.indicator, period=w.period).pk}


RULES.update({
    "indicators:updates": Rule(staff(200)),
    "indicators:update_row": Rule(roles(_LEAD), kwargs=_row, method="post", data={}),
    "indicators:update_status": Rule(roles(_LEAD), kwargs=_row, method="post", data={}),
    "indicators:return_submit": Rule(staff(302), kwargs=_period, method="post"),
    "indicators:return_download": Rule(staff(200), kwargs=_period),
    "indicators:return_upload": Rule(staff(200)),
    "indicators:return_upload_apply": Rule(staff(302), method="post"),
    "indicators:approvals": Rule(roles(_APPROVERS)),
    "indicators:approval_row": Rule(
        roles({"approver": 302, "performance": 302, "admin": 302}), kwargs=_reading, method="post",
        data={"approve_one": "1"},
    ),
    "indicators:returns": Rule(performance_only(200)),
    "indicators:period_open": Rule(performance_only(200), method="post", data={}),
    "indicators:period_manage": Rule(performance_only(200), kwargs=_period),
    "indicators:chasing": Rule(roles(_APPROVERS)),
    "indicators:readings_export": Rule(performance_only(200)),
})



def _rebase(w):
    rebase, _ = SpcRebase.objects.get_or_create(indicator=w.indicator, period=w.period, defaults={"reason": "x"})
    return {"pk": w.indicator.pk, "rebase_id": rebase.pk}


# SPC options (tests/indicators/test_spc_options.py): the performance team only.
RULES.update({
    "indicators:spc_options": Rule(performance_only(302), kwargs=lambda w: {"pk": w.indicator.pk}, method="post",
                                   data={"run_length": "7", "baseline_end": "", "reason": "Access walk"}),
    # Let in, the team's rebase of a period the indicator may not have figures before is refused as a form error.
    "indicators:spc_rebase": Rule(performance_only({302, 400}), kwargs=lambda w: {"pk": w.indicator.pk},
                                  method="post", data={"period": "2006-07", "reason": "Access walk"}),
    "indicators:spc_rebase_remove": Rule(performance_only(302), kwargs=_rebase, method="post", data={}),
})

# Workbook import (tests/indicators/test_import*.py): the performance team only.
RULES.update({
    "indicators:import_workbook": Rule(performance_only(200)),
    "indicators:import_confirm": Rule(performance_only(302), method="post", data={"token": "x" * 32}),
    "indicators:import_template": Rule(performance_only(200)),
})


def _hand_on_reading(w, user):
    """`user` entered CH141's July figure (a history entry and the last change); it awaits approval."""
    r = Reading.objects.get(indicator=w.indicator, period=w.period)
    ReadingHistory.objects.create(reading=r, changes={"actual": ["196", "205"]}, how="form", by=user, version=r.version + 1)
    Reading.objects.filter(pk=r.pk).update(state=Reading.SUBMITTED, updated_by=user, version=r.version + 1)


def _approve_reading(w):
    r = Reading.objects.get(indicator=w.indicator, period=w.period)
    return {"approve_one": str(r.pk), f"version-{r.pk}": str(r.version)}


DUTIES = {
    "approve a figure one entered": Duty(
        "indicators:approval_row", _reading, _approve_reading, _hand_on_reading,
        lambda w: Reading.objects.get(indicator=w.indicator, period=w.period).state == Reading.APPROVED,
    ),
}
