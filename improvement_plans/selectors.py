"""Reads of improvement plans that pages and reports share, each in a fixed number of queries."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q

from core import policy
from organisation.models import LeadRole

from . import rules
from .models import (
    Action,
    ActionRisk,
    DocumentVersion,
    Element,
    ElementAssessment,
    Plan,
    ProgressUpdate,
)


@dataclass
class ActionRow:
    """An action as the plan prints it on a date: its status there, BRAG, and its depth in the table."""

    action: Action
    depth: int
    status: str
    brag: str
    leads: str
    may_update: bool = False
    pending: ProgressUpdate | None = None

    @property
    def overdue(self) -> bool:
        return self.status == rules.OVERDUE

    @property
    def done(self) -> bool:
        return self.status in rules.DONE

    @property
    def status_word(self) -> str:
        return rules.STATUS_WORDS[self.status]


@dataclass
class ElementView:
    element: Element
    assessment: ElementAssessment | None
    rows: list[ActionRow] = field(default_factory=list)

    @property
    def status(self) -> str:
        return self.assessment.status if self.assessment else ""


@dataclass(frozen=True)
class Exception_:
    """An element not on track on a date, as the exceptions report prints it."""

    number: str
    title: str
    status: str  # "A" or "R"
    bullets: list[str]
    as_at: datetime.date
    element_id: int

    @property
    def status_word(self) -> str:
        return {"A": "Amber", "R": "Red"}[self.status]


def _leads(action: Action) -> str:
    roles = [role.abbreviation for role in action.lead_roles.all()]
    if action.lead_note:
        roles.append(action.lead_note)
    return ", ".join(roles)


def _assessments_on(element_ids, on: datetime.date) -> dict[int, ElementAssessment]:
    latest: dict[int, ElementAssessment] = {}
    rows = ElementAssessment.objects.filter(element_id__in=element_ids, as_at__lte=on).order_by("as_at", "at", "id")
    for assessment in rows:
        latest[assessment.element_id] = assessment
    return latest


def plan_actions(plan: Plan) -> list[Action]:
    """Every action of the plan in table order, lead roles prefetched and parents attached without queries."""
    actions = list(
        Action.objects.filter(element__plan=plan)
        .select_related("element")
        .prefetch_related(Prefetch("lead_roles", queryset=LeadRole.objects.order_by("abbreviation")))
        .order_by("element__sort_key", "sort_key", "id")
    )
    by_id = {a.pk: a for a in actions}
    for action in actions:
        if action.parent_id:
            action.parent = by_id[action.parent_id]
    return actions


def _depth(action: Action) -> int:
    depth, current = 0, action
    while current.parent_id:
        depth += 1
        current = current.parent
    return depth


def plan_document(plan: Plan, *, on: datetime.date, user=None) -> list[ElementView]:
    """The plan's elements with their action rows as at `on`; with `user`, which rows they may update."""
    elements = list(plan.elements.prefetch_related("reference_documents"))
    assessments = _assessments_on([e.pk for e in elements], on)
    views = {e.pk: ElementView(e, assessments.get(e.pk)) for e in elements}
    pending = {}
    if user is not None:
        pending = {
            u.action_id: u
            for u in ProgressUpdate.objects.filter(action__element__plan=plan, state=ProgressUpdate.SUBMITTED)
        }
    for action in plan_actions(plan):
        row = ActionRow(
            action=action,
            depth=_depth(action),
            status=action.status_on(on),
            brag=action.brag_on(on),
            leads=_leads(action) or (_leads(action.parent) if action.parent_id else ""),
            may_update=user is not None and policy.may_update_action(user, action),
            pending=pending.get(action.pk),
        )
        views[action.element_id].rows.append(row)
    return list(views.values())


def glossary() -> list[LeadRole]:
    return list(LeadRole.objects.order_by("pk"))


def document_log(plan: Plan) -> list[DocumentVersion]:
    return list(plan.versions.all())


def exceptions(*, on: datetime.date, plan: Plan | None = None) -> list[Exception_]:
    """Elements whose latest status on or before `on` is Amber or Red, in plan order, with their bullets."""
    elements = Element.objects.all() if plan is None else Element.objects.filter(plan=plan)
    elements = list(elements.order_by("plan__title", "sort_key"))
    latest = _assessments_on([e.pk for e in elements], on)
    out = []
    for element in elements:
        assessment = latest.get(element.pk)
        if assessment is None or assessment.status not in ("A", "R"):
            continue
        out.append(
            Exception_(
                number=element.number,
                title=element.name,
                status=assessment.status,
                bullets=assessment.bullets,
                as_at=assessment.as_at,
                element_id=element.pk,
            )
        )
    return out


def _action_states_on(on: datetime.date, plan: Plan | None) -> list[tuple[str, datetime.date | None]]:
    """(status, due) of each action on a date, from its approved updates up to then.

    An action with no approved update by then is taken as it stands now.
    """
    actions = Action.objects.all() if plan is None else Action.objects.filter(element__plan=plan)
    current = {a["pk"]: (a["status"], a["due"]) for a in actions.values("pk", "status", "due")}
    updates = ProgressUpdate.objects.filter(
        action_id__in=list(current), state=ProgressUpdate.APPROVED, as_at__lte=on
    ).order_by("as_at", "decided_at", "id").values_list("action_id", "status", "by_when")
    for action_id, status, by_when in updates:
        current[action_id] = (status, rules.parse_by_when(by_when).due if by_when else current[action_id][1])
    return list(current.values())


def plan_position(*, on: datetime.date, plan: Plan | None = None) -> dict:
    """Counts for a report's "improvement plan position": elements by status, actions by status and BRAG.

    {"on", "elements": {"G", "A", "R", "not assessed"}, "elements_total",
     "actions": {"not_started", "in_progress", "at_risk", "overdue", "achieved", "complete"},
     "actions_total", "brag": {"B", "R", "A", "G"}}
    """
    elements = Element.objects.all() if plan is None else Element.objects.filter(plan=plan)
    element_ids = list(elements.values_list("pk", flat=True))
    latest = _assessments_on(element_ids, on)
    element_counts = Counter(a.status for a in latest.values())
    states = _action_states_on(on, plan)
    action_counts = Counter(rules.effective_status(due=due, status=status, on=on) for status, due in states)
    brag_counts = Counter(rules.brag(due=due, status=status, on=on) for status, due in states)
    return {
        "on": on,
        "elements": {
            "G": element_counts["G"],
            "A": element_counts["A"],
            "R": element_counts["R"],
            "not assessed": len(element_ids) - len(latest),
        },
        "elements_total": len(element_ids),
        "actions": {key: action_counts[key] for key in (*rules.CHOOSABLE, rules.OVERDUE)},
        "actions_total": len(states),
        "brag": {key: brag_counts[key] for key in ("B", "G", "A", "R")},
    }


def updatable_rows(plan: Plan, *, user, on: datetime.date) -> list[ElementView]:
    """The plan as the update page shows it to `user`: only elements with an action they may update."""
    views = plan_document(plan, on=on, user=user)
    for view in views:
        view.rows = [row for row in view.rows if row.may_update]
    return [view for view in views if view.rows]


def pending_updates(user) -> list[ProgressUpdate]:
    """Updates awaiting approval that `user` may approve, oldest first."""
    updates = list(
        ProgressUpdate.objects.filter(state=ProgressUpdate.SUBMITTED)
        .select_related("action__element__plan", "action__parent", "submitted_by")
        .prefetch_related("action__lead_roles", "action__parent__lead_roles", "contributors")
        .order_by("submitted_at", "id")
    )
    return [u for u in updates if policy.may_approve_update(user, u)]


def action_detail(pk: int) -> Action:
    return (
        Action.objects.select_related("element__plan", "parent")
        .prefetch_related(
            "lead_roles",
            "parent__lead_roles",
            "indicators",
            Prefetch("updates", queryset=ProgressUpdate.objects.select_related("submitted_by", "decided_by")),
            "risk_links",
        )
        .get(pk=pk)
    )


def actions_for_indicator(indicator) -> list[Action]:
    """The plan actions linked to an indicator, for the indicator's page."""
    return list(indicator.improvement_actions.select_related("element__plan").order_by("element__sort_key", "sort_key"))


def actions_for_risk(reference: str) -> list[Action]:
    """The plan actions linked to a risk by its reference, for the risk's page."""
    links = ActionRisk.objects.filter(reference__iexact=reference).select_related("action__element__plan")
    return [link.action for link in links]


def overdue_actions_led_by(user, *, on: datetime.date) -> list[Action]:
    """Actions the user leads that are past their date and not achieved (home page)."""
    role_ids = policy.lead_role_ids_of(user)
    if not role_ids:
        return []
    return list(
        Action.objects.filter(
            Q(lead_roles__in=role_ids) | Q(lead_roles__isnull=True, parent__lead_roles__in=role_ids),
            due__lt=on,
        )
        .exclude(status__in=rules.DONE)
        .select_related("element__plan")
        .distinct()
        .order_by("element__sort_key", "sort_key")
    )

