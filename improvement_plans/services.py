"""Writes to improvement plans: progress updates and their approval, element status, versions, links, imports."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from core import clock, policy
from core.spreadsheets import CellError, ImportRefused
from indicators.models import Indicator
from organisation import audit
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
    ReferenceDocument,
)

# --- Progress updates -------------------------------------------------------------------


class StaleUpdate(Exception):
    """Someone else changed the pending update since this form was opened."""


def _clean_update(*, progress: str, status: str) -> dict:
    errors = {}
    if not (progress or "").strip():
        errors["progress"] = "Enter the progress to date"
    if status not in rules.CHOOSABLE:
        errors["status"] = "Choose the action's status" if status != rules.OVERDUE else (
            "Overdue is worked out from the date; choose how the action stands"
        )
    if errors:
        raise ValidationError(errors)
    return {"progress": progress.strip(), "status": status}


@transaction.atomic
def progress_update_save(
    *, action: Action, user, progress: str, status: str, by_when: str | None = None,
    as_at: datetime.date | None = None, version: int | None = None, how: str = ProgressUpdate.FORM, request=None,
) -> ProgressUpdate:
    """Submit a lead's update for approval, or change the one already awaiting approval.

    Nothing reaches the plan until it is approved (see `progress_update_approve`).
    """
    if not policy.may_update_action(user, action):
        raise PermissionDenied
    values = _clean_update(progress=progress, status=status)
    by_when = action.by_when if by_when is None else by_when.strip()
    as_at = as_at or clock.today()
    pending = ProgressUpdate.objects.select_for_update().filter(action=action, state=ProgressUpdate.SUBMITTED).first()
    if pending is not None:
        if version is not None and version != pending.version:
            raise StaleUpdate
        pending.progress, pending.status, pending.by_when = values["progress"], values["status"], by_when
        pending.as_at, pending.how, pending.submitted_by = as_at, how, user
        pending.submitted_at = timezone.now()
        pending.version += 1
        pending.save()
        update = pending
    else:
        update = ProgressUpdate.objects.create(
            action=action, as_at=as_at, by_when=by_when, how=how, submitted_by=user, **values
        )
    # Whoever wrote any of it has a hand in it, even when someone else changes it later.
    update.contributors.add(user)
    audit.record(
        user=user, action="plan_update_submitted", obj=update, request=request,
        summary=f"{action.element.plan}: {action.number or action.text[:40]} — {rules.STATUS_WORDS[update.status]}",
    )
    return update


def _apply(update: ProgressUpdate) -> None:
    action = update.action
    action.progress, action.status, action.by_when = update.progress, update.status, update.by_when
    action.updated_at = timezone.now()
    action.save()


@transaction.atomic
def progress_update_approve(*, update: ProgressUpdate, user, request=None) -> ProgressUpdate:
    """Sign off an update: the action now reads as the update says, and the history keeps it."""
    update = ProgressUpdate.objects.select_for_update().select_related("action__element__plan").get(pk=update.pk)
    if update.state != ProgressUpdate.SUBMITTED:
        raise ValidationError("This update has already been decided.")
    if policy.had_a_hand_in(user, update.hands()):
        raise PermissionDenied("You wrote or changed this update, so someone else must approve it.")
    if not policy.may_approve_update(user, update):
        raise PermissionDenied
    update.state, update.decided_by, update.decided_at = ProgressUpdate.APPROVED, user, timezone.now()
    update.save()
    _apply(update)
    audit.record(user=user, action="plan_update_approved", obj=update, request=request,
                 summary=f"{update.action.element.plan}: {update.action.number}")
    return update


@transaction.atomic
def progress_update_return(*, update: ProgressUpdate, user, reason: str, request=None) -> ProgressUpdate:
    """Send an update back to its lead with the reason; the plan is unchanged."""
    if not (reason or "").strip():
        raise ValidationError({"reason": "Say why the update is returned"})
    update = ProgressUpdate.objects.select_for_update().select_related("action__element__plan").get(pk=update.pk)
    if update.state != ProgressUpdate.SUBMITTED:
        raise ValidationError("This update has already been decided.")
    if not policy.may_approve_update(user, update):
        raise PermissionDenied
    update.state, update.decided_by, update.decided_at = ProgressUpdate.RETURNED, user, timezone.now()
    update.return_reason = reason.strip()
    update.save()
    audit.record(user=user, action="plan_update_returned", obj=update, request=request, summary=reason.strip())
    return update


# --- Element status ---------------------------------------------------------------------


@transaction.atomic
def element_assess(*, element: Element, user, as_at: datetime.date, status: str, commentary: str, request=None):
    """Record an element's status on a date; Amber and Red need the bullet points that explain them."""
    if not policy.may_manage_plans(user):
        raise PermissionDenied
    errors = {}
    if status not in ("G", "A", "R"):
        errors["status"] = "Choose Green, Amber or Red"
    if status in ("A", "R") and not rules.bullets(commentary):
        errors["commentary"] = "Explain an Amber or Red status in at least one bullet point"
    if errors:
        raise ValidationError(errors)
    # A second status for the same date replaces the first; what it said is kept in the audit log.
    earlier = ElementAssessment.objects.filter(element=element, as_at=as_at).first()
    assessment, _ = ElementAssessment.objects.update_or_create(
        element=element, as_at=as_at,
        defaults={"status": status, "commentary": commentary.strip(), "by": user, "at": timezone.now()},
    )
    audit.record(user=user, action="plan_element_assessed", obj=assessment, request=request,
                 summary=f"{element.plan}: {element.number} {status} on {as_at}"
                 + (f". It said: {earlier.status}; {earlier.commentary}" if earlier else ""))
    return assessment


# --- Document log -----------------------------------------------------------------------


def _next_version(plan: Plan) -> str:
    numbers = [
        int(v[1:]) for v in plan.versions.values_list("version", flat=True) if v[:1] in "vV" and v[1:].isdigit()
    ]
    return f"V{max(numbers, default=0) + 1}"


def changes_since_last_version(plan: Plan) -> tuple[list[Action], list[str]]:
    """Actions whose approved updates came after the last issued version, and who made them."""
    since = plan.versions.aggregate(last=Max("issued_at"))["last"]
    updates = ProgressUpdate.objects.filter(action__element__plan=plan, state=ProgressUpdate.APPROVED)
    if since is not None:
        updates = updates.filter(decided_at__gt=since)
    updates = updates.select_related("action", "submitted_by").order_by("action__element__sort_key", "action__sort_key")
    actions, people = {}, {}
    for update in updates:
        actions.setdefault(update.action_id, update.action)
        if update.submitted_by is not None:
            people.setdefault(update.submitted_by_id, update.submitted_by.get_full_name() or update.submitted_by.username)
    return list(actions.values()), list(people.values())


def describe_changes(actions: list[Action], people: list[str]) -> str:
    """ "7.2, 7.3 amended following updates from Steve Martin", as the log in 004 reads."""
    if not actions:
        return "Reissued with no change to actions"
    numbers = ", ".join(a.number or f"sub-step of {a.parent.number}" for a in actions)
    text = f"{numbers} amended"
    if people:
        text += " following updates from " + " and ".join(people)
    return text


@transaction.atomic
def plan_issue_version(
    *, plan: Plan, user, status: str = DocumentVersion.RELEASED, description: str = "",
    pages_for=None, request=None,
) -> DocumentVersion:
    """Issue the plan as a new version and write its line in the document log.

    The description and pages affected are worked out from the approved updates since the
    last version; `pages_for(actions)` (the PDF layout) says which pages those actions fall on.
    """
    if not policy.may_manage_plans(user):
        raise PermissionDenied
    if status not in dict(DocumentVersion.STATUSES):
        raise ValidationError({"status": "Choose Draft or Released"})
    actions, people = changes_since_last_version(plan)
    text = description.strip() or describe_changes(actions, people)
    pages = ""
    if actions and pages_for is not None:
        pages = ",".join(str(p) for p in sorted(set(pages_for(actions))))
    version = DocumentVersion.objects.create(
        plan=plan, version=_next_version(plan) if status == DocumentVersion.RELEASED else "",
        status=status, issued_on=clock.today(), description=text,
        pages_affected=pages or ("All" if not actions else ""), issued_by=user,
    )
    audit.record(user=user, action="plan_version_issued", obj=version, request=request,
                 summary=f"{plan}: {version.version or version.status} — {text}")
    return version


# --- Links ------------------------------------------------------------------------------


@transaction.atomic
def action_links_set(*, action: Action, user, indicator_codes: list[str], risk_references: list[str], request=None):
    """Link an action to the indicators and risks it affects; unknown indicator codes are refused."""
    if not policy.may_manage_plans(user):
        raise PermissionDenied
    codes = [c.strip() for c in indicator_codes if c.strip()]
    by_code = {i.code.lower(): i for i in Indicator.objects.all()}
    missing = [c for c in codes if c.lower() not in by_code]
    if missing:
        raise ValidationError({"indicators": f"No indicator with the code {', '.join(missing)}"})
    found = {c.lower(): by_code[c.lower()] for c in codes}
    action.indicators.set(found.values())
    references = sorted({r.strip().upper() for r in risk_references if r.strip()})
    ActionRisk.objects.filter(action=action).exclude(reference__in=references).delete()
    for reference in references:
        ActionRisk.objects.get_or_create(action=action, reference=reference)
    audit.record(user=user, action="plan_links_set", obj=action, request=request,
                 summary=f"indicators {', '.join(sorted(found))}; risks {', '.join(references)}")


# --- Import -----------------------------------------------------------------------------

REQUIRED = (
    "plan", "element", "element_title", "number", "action", "lead", "by_when",
    "progress", "partners", "capacity", "success_criteria", "status",
)
OPTIONAL = ("element_short_title", "reference_documents", "indicators", "risks")


@dataclass
class _Row:
    line: int
    plan: str
    element: str
    element_title: str
    number: str
    action: str
    roles: list
    lead_note: str
    by_when: str
    progress: str
    partners: str
    capacity: str
    success: rules.SuccessCriteria
    status: str
    extras: dict = field(default_factory=dict)
    parent_number: str | None = None


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return f"{value.day} {value:%B %Y}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


ROLE_LENGTH = LeadRole._meta.get_field("abbreviation").max_length


def validate_rows(rows: list[dict], *, sheet: str = "Actions") -> list[_Row]:
    """Check every row of an import; raise ImportRefused naming every bad cell, or return the clean rows."""
    errors: list[CellError] = []
    roles = {r.abbreviation.lower(): r for r in LeadRole.objects.all()}
    new_roles: dict[str, LeadRole] = {}  # abbreviations not yet in the glossary, saved by plan_import
    clean: list[_Row] = []
    element_titles: dict[tuple, tuple[str, int]] = {}
    numbers_seen: dict[tuple, int] = {}
    last_numbered: dict[tuple, str] = {}
    numbered_in_element: dict[tuple, list[str]] = defaultdict(list)
    if not rows:
        errors.append(CellError(sheet, 0, "", "the sheet has no actions"))
    for raw in rows:
        line = raw.get("_row") or 0
        value = {key: _text(raw.get(key)) for key in (*REQUIRED, *OPTIONAL)}

        def bad(column, message, line=line):
            errors.append(CellError(sheet, line, column, message))

        for column in ("plan", "element", "action"):
            if not value[column]:
                bad(column, "must not be blank")
        if value["element"] and not rules.number_tokens(value["element"]):
            bad("element", f"{value['element']!r} is not an element number such as 1 or 5 a)")
        key = (value["plan"], value["element"])
        if value["element_title"]:
            first = element_titles.setdefault(key, (value["element_title"], line))
            if first[0] != value["element_title"]:
                bad("element_title", f"differs from the title given for element {value['element']} in row {first[1]}")
        number, parent = value["number"], None
        if number:
            if not rules.number_tokens(number):
                bad("number", f"{number!r} is not an action number such as 1.1, 5a 3 or 6.1 a.")
            elif value["element"] and not rules.is_under(number, value["element"]):
                bad("number", f"{number} does not belong to element {value['element']}")
            elif (value["plan"], number) in numbers_seen:
                bad("number", f"{number} appears twice (first in row {numbers_seen[(value['plan'], number)]})")
            else:
                numbers_seen[(value["plan"], number)] = line
                parent = rules.parent_number(number, numbered_in_element[key])
                numbered_in_element[key].append(number)
                last_numbered[key] = number
        else:
            parent = last_numbered.get(key)
            if parent is None:
                bad("number", "a row without a number is a sub-step of the numbered action above it; there is none")
        found_roles, notes = [], []
        for name in rules.split_leads(value["lead"]):
            role = roles.get(name.lower())
            if role is not None:
                found_roles.append(role)
            elif rules.looks_like_abbreviation(name):
                if len(name) > ROLE_LENGTH:
                    bad("lead", f"{name[:40]} is longer than a role abbreviation ({ROLE_LENGTH} characters at most)")
                else:
                    # A role the glossary does not have yet: added, titled by its abbreviation, for the
                    # performance team to name and give holders.
                    found_roles.append(new_roles.setdefault(name.lower(), LeadRole(abbreviation=name, title=name)))
            else:
                notes.append(name)
        status = rules.read_status(value["status"])
        if status is None:
            if value["status"].strip().lower() == "overdue":
                bad("status", "overdue is worked out from the by-when date; write how the action stands (e.g. In progress)")
            else:
                bad("status", f"{value['status']!r} is not a status: use " + ", ".join(rules.STATUS_WORDS[s] for s in rules.CHOOSABLE))
        clean.append(
            _Row(
                line=line, plan=value["plan"], element=value["element"], element_title=value["element_title"],
                number=number, action=value["action"], roles=found_roles, lead_note=", ".join(notes),
                by_when=value["by_when"], progress=value["progress"], partners=value["partners"],
                capacity=value["capacity"], success=rules.split_success_criteria(value["success_criteria"]),
                status=status or rules.NOT_STARTED, parent_number=parent,
                extras={k: value[k] for k in OPTIONAL} | {"success_criteria": value["success_criteria"]},
            )
        )
    for (plan_title, element_number), _ in numbered_in_element.items():
        if (plan_title, element_number) not in element_titles and not Element.objects.filter(
            plan__title=plan_title, number=element_number
        ).exists():
            first_line = next(r.line for r in clean if (r.plan, r.element) == (plan_title, element_number))
            errors.append(CellError(sheet, first_line, "element_title", f"element {element_number} is new and needs a title"))
    indicator_codes = {c.strip() for r in clean for c in r.extras["indicators"].split(",") if c.strip()}
    if indicator_codes:
        known = {c.lower() for c in Indicator.objects.values_list("code", flat=True)}
        for r in clean:
            for code in (c.strip() for c in r.extras["indicators"].split(",")):
                if code and code.lower() not in known:
                    errors.append(CellError(sheet, r.line, "indicators", f"no indicator with the code {code}"))
    if errors:
        raise ImportRefused(errors)
    return clean


@dataclass
class ImportResult:
    plans: int = 0
    elements: int = 0
    actions_created: int = 0
    actions_updated: int = 0
    new_roles: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        text = f"{self.actions_created} actions added, {self.actions_updated} updated"
        if self.new_roles:
            text += f"; {len(self.new_roles)} new lead role{'s' if len(self.new_roles) != 1 else ''}: {', '.join(self.new_roles)}"
        return text


@transaction.atomic
def plan_import(
    *, rows: list[dict], user, source: str, as_at: datetime.date | None = None,
    how: str = ProgressUpdate.IMPORT, sheet: str = "Actions", request=None,
) -> ImportResult:
    """Create or update plans from workbook rows, all or nothing.

    Each row's progress and status become an approved update dated `as_at`, so the history
    starts from what the workbook said.
    """
    if user is not None and not policy.may_manage_plans(user):
        raise PermissionDenied
    clean = validate_rows(rows, sheet=sheet)
    as_at = as_at or clock.today()
    result = ImportResult()
    plans: dict[str, Plan] = {}
    elements: dict[tuple, Element] = {}
    actions: dict[tuple, Action] = {}
    positions: dict[int, int] = defaultdict(int)
    indicators = {i.code.lower(): i for i in Indicator.objects.all()}
    for row in clean:
        for role in row.roles:
            if role.pk is None:  # named as a lead and not in the glossary yet
                role.save()
                result.new_roles.append(role.abbreviation)
        plan = plans.get(row.plan)
        if plan is None:
            plan, created = Plan.objects.get_or_create(title=row.plan)
            plans[row.plan] = plan
            result.plans += 1
        key = (row.plan, row.element)
        element = elements.get(key)
        if element is None:
            element = Element.objects.filter(plan=plan, number=row.element).first() or Element(plan=plan, number=row.element)
            if row.element_title:
                element.title = row.element_title
            if row.extras["element_short_title"]:
                element.short_title = row.extras["element_short_title"]
            element.save()
            if row.extras["reference_documents"]:
                element.reference_documents.all().delete()
                ReferenceDocument.objects.bulk_create(
                    ReferenceDocument(element=element, title=title, order=i)
                    for i, title in enumerate(rules.bullets(row.extras["reference_documents"]))
                )
            elements[key] = element
            result.elements += 1
        parent = actions.get((row.plan, row.parent_number)) if row.parent_number else None
        if parent is None and row.parent_number:
            parent = Action.objects.filter(element__plan=plan, number=row.parent_number).first()
        if row.number:
            action = Action.objects.filter(element=element, number=row.number).first()
        else:
            positions[parent.pk] += 1
            action = Action.objects.filter(element=element, parent=parent, number="", position=positions[parent.pk]).first()
        created = action is None
        if created:
            action = Action(element=element, number=row.number, position=positions[parent.pk] if not row.number else 0)
        before = (action.progress, action.status, action.by_when)
        action.parent = parent
        action.text, action.lead_note, action.by_when = row.action, row.lead_note, row.by_when
        action.progress, action.partners, action.capacity = row.progress, row.partners, row.capacity
        action.success_criteria = row.success.general
        action.success_intermediate, action.success_ultimate = row.success.intermediate, row.success.ultimate
        action.status = row.status
        action.updated_at = timezone.now()
        action.save()
        action.lead_roles.set(row.roles)
        codes = [c.strip().lower() for c in row.extras["indicators"].split(",") if c.strip()]
        if codes:
            action.indicators.set([indicators[c] for c in codes])
        for reference in (r.strip().upper() for r in row.extras["risks"].split(",")):
            if reference:
                ActionRisk.objects.get_or_create(action=action, reference=reference)
        if created or before != (action.progress, action.status, action.by_when):
            ProgressUpdate.objects.create(
                action=action, as_at=as_at, progress=action.progress or "(none recorded)", status=action.status,
                by_when=action.by_when, state=ProgressUpdate.APPROVED, how=how, submitted_by=user,
                decided_by=user, decided_at=timezone.now(),
            )
        if created:
            result.actions_created += 1
        else:
            result.actions_updated += 1
        actions[(row.plan, row.number)] = action
    audit.record(
        user=user, action="plan_imported", request=request,
        summary=f"{source}: {result.summary}",
    )
    return result
