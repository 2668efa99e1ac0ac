"""The monthly return: which indicators are due in a period, their targets and rows, what a typed value means.

Reads here take a fixed number of queries whatever the number of indicators; the rules for a
typed value (`clean_values`) are plain Python shared by the form, the htmx row and the upload,
so the three can never disagree about what is acceptable.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.contrib.auth import get_user_model
from django.db.models import F
from django.urls import reverse

from core import periods
from core.spreadsheets import parse_decimal
from organisation.models import LeadRole, Period

from . import selectors
from . import status as rules
from .models import Indicator, Reading, Target, units

FREQUENCY_FOR_KIND = {
    periods.MONTH: Indicator.MONTHLY,
    periods.QUARTER: Indicator.QUARTERLY,
    periods.YEAR: Indicator.ANNUAL,
}
NEEDS_EXPLAINING = (rules.A, rules.R)
OVERRIDES = ("B", "G", "A", "R")
DATA_QUALITY = tuple(code for code, _ in Reading.DATA_QUALITY)
MAX_PLACES = 4  # what the database keeps


def year_key(period: Period) -> str:
    return periods.PeriodKey(period.fy, periods.YEAR, 1).key


def previous_key(period: Period) -> str:
    return period.pk_key.previous().key


def due_indicators(period: Period):
    """Indicators whose figure is due in this period: those measured at the period's frequency."""
    return Indicator.objects.filter(frequency=FREQUENCY_FOR_KIND[period.kind])


def leads_of(period: Period) -> list:
    """Everyone who leads an indicator due in the period, by name: whose figures the performance
    team can choose to enter. One query."""
    User = get_user_model()
    leads = due_indicators(period).exclude(lead=None).values("lead_id")
    return list(User.objects.filter(pk__in=leads).order_by("first_name", "last_name", "username"))


# --- Targets ------------------------------------------------------------------------------


def applicable_target(targets: dict, period: Period) -> Target | None:
    """The period's own milestone, else the year's target; one agreed after the period ended, or
    with no figure in it, does not count (as in indicators.selectors).

    `targets` maps a period key to the indicator's Target for that key.
    """
    for key in (period.key, year_key(period)):
        target = targets.get(key)
        if target is None or (target.target is None and target.lower is None and target.upper is None):
            continue
        if target.agreed_on is None or target.agreed_on <= period.end:
            return target
    return None


def targets_by_indicator(indicator_ids, period: Period) -> dict[int, Target]:
    """{indicator id: the target that applies in `period`}, in one query."""
    found = defaultdict(dict)
    for target in Target.objects.filter(
        indicator_id__in=indicator_ids, period__key__in=[period.key, year_key(period)]
    ).select_related("period"):
        found[target.indicator_id][target.period.key] = target
    return {ind_id: t for ind_id, by_key in found.items() if (t := applicable_target(by_key, period))}


def assess(indicator: Indicator, period: Period, target: Target | None, *, actual, override="", override_reason="",
           for_information=False):
    """The status rules (indicators.status.assess) for one indicator's figure in a period."""
    robust = bool(indicator.action_plan_robust) and (
        indicator.action_plan_agreed_on is None or indicator.action_plan_agreed_on <= period.end
    )
    return rules.assess(
        actual=actual,
        target=target.target if target else None,
        lower=target.lower if target else None,
        upper=target.upper if target else None,
        polarity=indicator.polarity,
        tolerance_pct=indicator.tolerance_pct,
        override=override or "",
        override_reason=override_reason or "",
        annual=indicator.frequency == Indicator.ANNUAL,
        action_plan_robust=robust,
        for_information=bool(for_information),
    )


# --- What a typed value means -------------------------------------------------------------

FIELDS = ("actual", "commentary", "remedial_action", "data_quality", "status_override", "status_reason")


def parse_actual(text, indicator: Indicator) -> tuple[Decimal | None, str | None]:
    """(value, error): blank is "no data yet"; the error says what is wrong in words a person can act on."""
    if text is None or (isinstance(text, str) and not text.strip()):
        return None, None
    raw = text.strip() if isinstance(text, str) else text
    try:
        unit = units().get(indicator.unit)
        value = parse_decimal(raw, allow_percent=unit is not None and unit.percent_sign)
    except ValueError:
        return None, "Enter the actual as a number, like 196 or 12.5"
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -MAX_PLACES:
        return None, f"Enter the actual with at most {MAX_PLACES} decimal places"
    return value, plausibility(indicator, value)


def plausibility(indicator: Indicator, value: Decimal) -> str | None:
    """A figure no real return could hold for this unit (a percentage over 100, a negative count).

    The bounds come from the indicator's Unit (a council edits them in the admin)."""
    unit = units().get(indicator.unit)
    if unit is not None and unit.out_of_range(value):
        if unit.minimum == 0 and unit.maximum is None:
            return f"{unit.name} cannot be negative"
        return f"A {unit.name.lower()} must be {unit.bounds_text()}"
    if abs(value) >= Decimal(10) ** 14:
        return "That figure is too large to be right; check the number of digits"
    return None


def clean_values(indicator: Indicator, period: Period, target: Target | None, data: dict):
    """(values, errors, assessment) from what was typed: values ready for reading_save, errors by field.

    Commentary and remedial action are required when the figure is Amber or Red, and a
    reason when the status is overridden; an error never discards the other fields.
    """
    errors: dict[str, str] = {}
    text = {f: ("" if data.get(f) is None else str(data.get(f))).strip() for f in FIELDS}
    actual, problem = parse_actual(data.get("actual"), indicator)
    if problem:
        errors["actual"] = problem
    override = text["status_override"].upper()
    if override and override not in OVERRIDES:
        errors["status_override"] = "Choose Blue, Green, Amber or Red, or leave the status to be worked out"
        override = ""
    quality = text["data_quality"].lower()
    if quality and quality not in DATA_QUALITY:
        errors["data_quality"] = "Choose provisional, estimated, revised or validated"
        quality = ""
    assessment = assess(indicator, period, target, actual=actual, override=override, override_reason=text["status_reason"])
    if actual is not None and assessment.status in NEEDS_EXPLAINING:
        word = "Amber" if assessment.status == rules.A else "Red"
        if not text["commentary"]:
            errors["commentary"] = f"Explain why the figure is {word}"
        if not text["remedial_action"]:
            errors["remedial_action"] = f"Say what is being done about it: the status is {word}"
    if override and not text["status_reason"]:
        errors["status_reason"] = "Give the reason for changing the status"
    values = {
        "actual": actual,
        "commentary": text["commentary"],
        "remedial_action": text["remedial_action"],
        "data_quality": quality,
        "status_override": override,
        "status_reason": text["status_reason"] if override else "",
    }
    return values, errors, assessment


def differs(reading: Reading | None, values: dict) -> bool:
    """Whether saving `values` would change the reading (or create one with something in it)."""
    for name, value in values.items():
        old = getattr(reading, name) if reading is not None else None
        if isinstance(value, Decimal) or isinstance(old, Decimal):
            if (old is None) != (value is None) or (old is not None and Decimal(old) != Decimal(value)):
                return True
        elif (old or "") != (value or ""):
            return True
    return False


def ready_to_submit(row: Row) -> str | None:
    """Why a row cannot be submitted yet, or None when it can."""
    reading = row.reading
    if reading is None or (reading.actual is None and not reading.commentary):
        return "enter the figure, or say in the commentary why it is not yet available"
    if reading.actual is not None and row.assessment.status in NEEDS_EXPLAINING and not (
        reading.commentary and reading.remedial_action
    ):
        return "explain the Amber or Red status and the remedial action"
    return None


# --- Rows of a return ---------------------------------------------------------------------


class Errors(dict):
    """Messages by field; a field without one reads as "" so templates can ask for any field cheaply."""

    def __missing__(self, key):
        return ""


@dataclass
class Row:
    """One indicator in a return: its target, last period's figure, this period's reading and what was typed."""

    indicator: Indicator
    period: Period
    target: Target | None
    previous: Reading | None
    reading: Reading | None
    typed: dict | None = None  # what the person typed, kept when the save was refused
    errors: dict = field(default_factory=Errors)
    conflict: Reading | None = None  # the other person's reading when this save was stale
    saved: bool = False
    view: dict | None = None  # what the My updates row prints (indicators.update_rows)

    @property
    def version(self) -> int:
        return self.reading.version if self.reading else 0

    @property
    def state(self) -> str:
        return self.reading.state if self.reading else Reading.DRAFT

    def forget(self):
        """Drop what was worked out from the typing or the reading, after either changes."""
        for name in ("data", "assessment", "needs_explaining"):
            self.__dict__.pop(name, None)

    @cached_property
    def data(self) -> dict:
        """What the inputs show: the typing if kept, else the saved reading."""
        if self.typed is not None:
            return self.typed
        r = self.reading
        if r is None:
            return dict.fromkeys(FIELDS, "")
        return {
            "actual": "" if r.actual is None else _plain(r.actual),
            "commentary": r.commentary,
            "remedial_action": r.remedial_action,
            "data_quality": r.data_quality,
            "status_override": r.status_override,
            "status_reason": r.status_reason,
        }

    @cached_property
    def assessment(self):
        data = self.data
        actual, _ = parse_actual(data.get("actual"), self.indicator)
        return assess(
            self.indicator, self.period, self.target, actual=actual,
            override=(data.get("status_override") or "").upper(), override_reason=data.get("status_reason") or "",
        )

    @cached_property
    def needs_explaining(self) -> bool:
        data = self.data
        actual, _ = parse_actual(data.get("actual"), self.indicator)
        return actual is not None and self.assessment.status in NEEDS_EXPLAINING

    @property
    def problem(self) -> str | None:
        return ready_to_submit(self)

    @cached_property
    def pk_text(self) -> str:
        """The indicator's id as text for element ids and names (an int would be localised on every use)."""
        return str(self.indicator.pk)

    @cached_property
    def save_url(self) -> str:
        return reverse("indicators:update_row", args=[self.period.pk, self.indicator.pk])

    @cached_property
    def status_url(self) -> str:
        return reverse("indicators:update_status", args=[self.period.pk, self.indicator.pk])


def _plain(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


FULL_RELATED = ("objective__priority", "directorate", "lead", "lead_role")


def rows_for(indicators, period: Period, *, related=FULL_RELATED) -> list[Row]:
    """The rows of a return for these indicators in four queries whatever their number.

    `related` is what each indicator carries with it; a page that never shows the lead can
    leave the lead out and build a hundred fewer objects.
    """
    return _rows(list(indicators.select_related(*related)), period)


def _rows(indicators: list[Indicator], period: Period) -> list[Row]:
    """The rows of these loaded indicators: two queries (targets, readings) whatever their number."""
    ids = [i.pk for i in indicators]
    targets = targets_by_indicator(ids, period)
    prev = previous_key(period)
    current, previous = {}, {}
    # The period's key comes with each reading rather than the whole Period: the current one
    # is `period` itself, and only the previous figure's actual is ever shown.
    for r in (
        Reading.objects.filter(indicator_id__in=ids, period__key__in=[period.key, prev])
        .annotate(period_key=F("period__key"))
        .select_related("updated_by")
    ):
        if r.period_key == period.key:
            r.period = period
            current[r.indicator_id] = r
        else:
            previous[r.indicator_id] = r
    return [
        Row(indicator=i, period=period, target=targets.get(i.pk), previous=previous.get(i.pk), reading=current.get(i.pk))
        for i in indicators
    ]


def row_for(indicator: Indicator, period: Period) -> Row:
    """One indicator's row, the indicator read again with its lead, lead role and headings."""
    return rows_for(Indicator.objects.filter(pk=indicator.pk), period)[0]


def row_of(indicator: Indicator, period: Period) -> Row:
    """One indicator's row from the indicator as the caller loaded it: its target and readings
    (two queries), as a save of one row needs, without reading the indicator again."""
    return _rows([indicator], period)[0]


@dataclass
class Group:
    heading: str
    caption: str
    rows: list


def grouped(rows: list[Row]) -> list[Group]:
    """Rows under the council's own headings: priority and objective, else the directorate."""
    groups: dict[tuple, Group] = {}
    for row in rows:
        ind = row.indicator
        if ind.objective_id:
            key = (0, ind.objective.priority.order, ind.objective.priority.name, ind.objective.order, ind.objective.name)
            heading, caption = ind.objective.name, ind.objective.priority.name
        else:
            directorate = ind.directorate.name if ind.directorate else "No directorate"
            key = (1, 0, directorate, 0, "")
            heading, caption = "Other indicators", directorate
        groups.setdefault(key, Group(heading, caption, [])).rows.append(row)
    return [groups[k] for k in sorted(groups)]


# --- The state of returns -----------------------------------------------------------------

NOT_STARTED, IN_PROGRESS, SUBMITTED, APPROVED, RETURNED = (
    "not_started", "in_progress", "submitted", "approved", "returned",
)
RETURN_STATES = {
    NOT_STARTED: "Not started",
    IN_PROGRESS: "In progress",
    SUBMITTED: "Submitted",
    APPROVED: "Approved",
    RETURNED: "Returned",
}


@dataclass
class ReturnSummary:
    """One person's return for a period: how many figures are due, entered, submitted, approved, returned.

    The person (`lead`) is the indicators' named lead or a holder of their lead role; `by_role`
    says which of the indicators reach them through a role ({indicator id: LeadRole})."""

    lead: object
    directorate: object
    period: Period
    due: int = 0
    entered: int = 0
    submitted: int = 0
    approved: int = 0
    returned: int = 0
    waiting: list = field(default_factory=list)  # the indicators not yet submitted or approved
    by_role: dict = field(default_factory=dict)

    @property
    def outstanding(self) -> int:
        """Figures still to send for approval (not submitted or approved)."""
        return self.due - self.submitted - self.approved

    @property
    def waiting_lines(self) -> list[tuple]:
        """(indicator, the lead role it reaches this person through, or None when they are its named lead)."""
        return [(ind, self.by_role.get(ind.pk)) for ind in self.waiting]

    @property
    def state(self) -> str:
        if self.returned:
            return RETURNED
        if self.approved == self.due:
            return APPROVED
        if self.submitted + self.approved == self.due:
            return SUBMITTED
        if self.entered or self.submitted or self.approved:
            return IN_PROGRESS
        return NOT_STARTED

    @property
    def state_label(self) -> str:
        return RETURN_STATES[self.state]

    def overdue(self, today) -> bool:
        return bool(self.outstanding and self.period.deadline and today > self.period.deadline)

    def count(self, ind, state, role=None) -> None:
        """Add one indicator in this state (a Reading state, or None for nothing entered) to the return."""
        self.due += 1
        if state is not None:
            self.entered += 1
        if state == Reading.SUBMITTED:
            self.submitted += 1
        elif state == Reading.APPROVED:
            self.approved += 1
        elif state == Reading.RETURNED:
            self.returned += 1
        if state not in (Reading.SUBMITTED, Reading.APPROVED):
            self.waiting.append(ind)
        if role is not None:
            self.by_role[ind.pk] = role


@dataclass
class Unchased:
    """A figure still to come that nobody can be asked for: no current named lead, and no one holds its lead role."""

    indicator: Indicator
    period: Period

    @property
    def reason(self) -> str:
        ind = self.indicator
        left = ""
        if ind.lead is not None:
            left = f"its lead officer {ind.lead.get_full_name() or ind.lead.username} has left and "
        if ind.lead_role is not None:
            return f"{left}nobody holds the role {ind.lead_role.abbreviation} ({ind.lead_role.title})"
        return f"{left}it has no lead role" if left else "it has no lead officer or lead role"


@dataclass
class Returns:
    """Every person's return in a period, and the figures still to come with no one to ask."""

    summaries: list[ReturnSummary]
    nobody: list[Unchased]

    @property
    def outstanding(self) -> int:
        """Figures still to come, each counted once however many people are asked for it."""
        return len({ind.pk for s in self.summaries for ind in s.waiting} | {u.indicator.pk for u in self.nobody})


def holders_of(role_ids) -> dict[int, list]:
    """{lead role id: the active users who hold it}, in one query (none when there are no roles)."""
    through = LeadRole.holders.through
    found: dict[int, list] = {}
    for link in (
        through.objects.filter(leadrole_id__in=list(role_ids), profile__user__is_active=True)
        .select_related("profile__user").order_by("profile__user__username")
    ):
        found.setdefault(link.leadrole_id, []).append(link.profile.user)
    return found


def return_summaries(period: Period, *, directorate_id=None, person_id=None, led_by=None) -> list[ReturnSummary]:
    """Every person's return in a period, by directorate then person (see `returns_due`)."""
    return returns_due(period, directorate_id=directorate_id, person_id=person_id, led_by=led_by).summaries


def returns_due(period: Period, *, directorate_id=None, person_id=None, led_by=None) -> Returns:
    """Every person's return in a period, by directorate then person, in three queries.

    An indicator is in the return of its named lead; one led only by a role (or whose named lead
    has left) is in the return of every active holder of the role. The director who holds a role
    that also names an officer for each measure is not asked for them: the officer is, and the
    director is copied in as approver once the return is long overdue. One that reaches nobody is
    listed in `nobody` while its figure is still to come. `person_id`: only that person's returns.
    `led_by` (a user): their own return as My updates shows it (every indicator they lead by name
    or by role), in two queries."""
    indicators = due_indicators(period).select_related("lead", "directorate", "lead_role")
    if led_by is not None:
        indicators = indicators.filter(selectors.led_by(led_by))
    elif person_id is not None:
        indicators = indicators.filter(selectors.led_by_id(person_id))
    if directorate_id is not None:
        indicators = indicators.filter(directorate_id=directorate_id)
    indicators = list(indicators)
    states = dict(
        Reading.objects.filter(period=period, indicator_id__in=[i.pk for i in indicators])
        .exclude(actual=None, commentary="")
        .values_list("indicator_id", "state")
    )
    holders = {} if led_by is not None else holders_of(
        {i.lead_role_id for i in indicators if i.lead_role_id and not (i.lead is not None and i.lead.is_active)})
    summaries: dict[tuple, ReturnSummary] = {}
    nobody = []
    for ind in indicators:
        state = states.get(ind.pk)
        if led_by is not None:
            people = {led_by.pk: (led_by, None)}
        else:
            if ind.lead is not None and ind.lead.is_active:
                people = {ind.lead.pk: (ind.lead, None)}
            else:
                people = {holder.pk: (holder, ind.lead_role) for holder in holders.get(ind.lead_role_id, ())}
            if person_id is not None:
                people = {pk: found for pk, found in people.items() if pk == person_id}
        if not people and state not in (Reading.SUBMITTED, Reading.APPROVED) and person_id is None:
            nobody.append(Unchased(indicator=ind, period=period))
        for person, role in people.values():
            key = (ind.directorate_id or 0, person.pk)
            s = summaries.setdefault(key, ReturnSummary(lead=person, directorate=ind.directorate, period=period))
            s.count(ind, state, role)
    ordered = sorted(
        summaries.values(),
        key=lambda s: (
            s.directorate.order if s.directorate else 999,
            s.directorate.name if s.directorate else "",
            s.lead.get_full_name() or s.lead.username,
        ),
    )
    return Returns(summaries=ordered, nobody=nobody)
