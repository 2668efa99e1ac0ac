"""The figures of a period not yet signed off: what locking a period or publishing a report must show first.

A figure is outstanding when its indicator is due in the period (measured at the period's
frequency) and its reading is missing, a draft, submitted but not approved, or returned by the
approver. Two queries whatever the number of indicators.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from django.urls import reverse

from organisation.models import Period

from .models import Reading
from .returns import due_indicators

MISSING = "missing"
STATE_WORDS = {
    Reading.RETURNED: "Returned by the approver",
    Reading.SUBMITTED: "Submitted, not approved",
    Reading.DRAFT: "Draft, not submitted",
    MISSING: "No figure",
}
# The order the lock and publish pages list them: what an approver sent back first.
STATE_ORDER = {Reading.RETURNED: 0, Reading.SUBMITTED: 1, Reading.DRAFT: 2, MISSING: 3}


@dataclass(frozen=True)
class Outstanding:
    indicator_id: int
    code: str
    title: str
    directorate: str
    lead: str
    state: str  # returned, submitted, draft or missing
    reason: str = ""  # the approver's reason, for a returned figure

    @property
    def state_label(self) -> str:
        return STATE_WORDS[self.state]

    @property
    def url(self) -> str:
        return reverse("indicators:detail", args=[self.indicator_id])


def outstanding_figures(period: Period, *, portfolio_id=None) -> list[Outstanding]:
    """Every figure due in `period` not yet approved (in one portfolio, if given), by directorate,
    then state, then code."""
    due = due_indicators(period)
    if portfolio_id is not None:
        due = due.filter(portfolio_id=portfolio_id)
    indicators = list(
        due.values_list(
            "id", "code", "title", "directorate__name", "directorate__order",
            "lead__first_name", "lead__last_name", "lead__username",
        )
    )
    readings = {
        ind_id: (state, actual, commentary, reason)
        for ind_id, state, actual, commentary, reason in Reading.objects.filter(
            period=period, indicator_id__in=[row[0] for row in indicators]
        ).values_list("indicator_id", "state", "actual", "commentary", "return_reason")
    }
    out = []
    for ind_id, code, title, directorate, order, first, last, username in indicators:
        state, actual, commentary, reason = readings.get(ind_id, (MISSING, None, "", ""))
        if state == Reading.APPROVED:
            continue
        if state == Reading.DRAFT and actual is None and not commentary:
            state = MISSING  # an empty draft row is no figure at all
        lead = f"{first} {last}".strip() or username or "No lead officer"
        out.append((order if order is not None else 999, directorate or "No directorate",
                    Outstanding(ind_id, code, title, directorate or "No directorate", lead, state, reason or "")))
    out.sort(key=lambda item: (item[0], item[1], STATE_ORDER[item[2].state], item[2].code))
    return [item[2] for item in out]


def by_directorate(items: list[Outstanding]) -> list[tuple[str, list[Outstanding]]]:
    return [(name, list(group)) for name, group in groupby(items, key=lambda o: o.directorate)]


def counts(items: list[Outstanding]) -> dict[str, int]:
    """{state: how many}, in the pages' order, leaving out states with none."""
    found = {state: sum(1 for o in items if o.state == state) for state in STATE_ORDER}
    return {state: n for state, n in found.items() if n}
