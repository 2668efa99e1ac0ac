"""Who may see and change what: the one place every view, form, upload, export and the admin asks.

Roles are Django groups. Officers change only what they lead (as the named lead, or holding the
indicator's or action's lead role from the glossary), approvers only their
directorate, the performance team everything, members read published reports and nothing else.
"""

from __future__ import annotations

from django.http import Http404

OFFICER = "Officer"
APPROVER = "Approver"
PERFORMANCE = "Performance team"
MEMBER = "Member"
ROLES = (OFFICER, APPROVER, PERFORMANCE, MEMBER)


def roles_of(user) -> frozenset[str]:
    """The user's roles, read once per request and kept on the user object."""
    if user is None or not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_councilperf_roles", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        if user.is_superuser:
            cached = cached | {PERFORMANCE}
        user._councilperf_roles = cached
    return cached


def is_officer(user) -> bool:
    return OFFICER in roles_of(user)


def is_approver(user) -> bool:
    return APPROVER in roles_of(user)


def is_performance(user) -> bool:
    return PERFORMANCE in roles_of(user)


def is_staff_role(user) -> bool:
    """Officers, approvers and the performance team: people who work on the data, not only read reports."""
    return bool(roles_of(user) & {OFFICER, APPROVER, PERFORMANCE})


def directorate_id_of(user):
    profile = getattr(user, "profile", None)
    return profile.directorate_id if profile is not None else None


def deny(message: str = "Not found"):
    """Refuse by pretending the object does not exist, so its existence is not disclosed."""
    raise Http404(message)


def require(allowed: bool, message: str = "Not found"):
    if not allowed:
        deny(message)


# --- Audit ------------------------------------------------------------------------------

def may_view_audit(user) -> bool:
    return is_performance(user)


# --- Indicators -----------------------------------------------------------------------

def may_view_indicators(user) -> bool:
    """Indicator pages show unpublished figures: staff only, not members."""
    return is_staff_role(user)


def may_manage_indicators(user) -> bool:
    """Set up indicators, targets and imports."""
    return is_performance(user)


def may_set_spc_options(user) -> bool:
    """Choose how an indicator's SPC chart is worked out (rebasing, baseline, run length ...)."""
    return is_performance(user)


def leads_indicator(user, indicator) -> bool:
    """The indicator's lead officer, or someone holding its lead role (a role from the glossary, 004)."""
    if indicator.lead_id is not None and indicator.lead_id == user.pk:
        return True
    return indicator.lead_role_id is not None and indicator.lead_role_id in lead_role_ids_of(user)


def may_edit_reading(user, indicator) -> bool:
    """Enter or change an indicator's figures (period lock is checked by the service)."""
    if is_performance(user):
        return True
    return is_officer(user) and leads_indicator(user, indicator)


# --- Separation of duties ----------------------------------------------------------------
# Whoever entered, submitted or last changed a figure, a progress update or a risk review never
# signs it off, whatever their role: the performance team entering an officer's figures
# (My updates ?officer=) and an approver correcting a figure are hands on it like the officer's.


def had_a_hand_in(user, hands) -> bool:
    """True when the user is among `hands`, the ids of the people who entered, submitted or last
    changed the thing to be signed off (None in it, for a person since removed, matches no one)."""
    return user is not None and user.pk is not None and user.pk in set(hands)


def may_approve_reading(user, indicator, hands=()) -> bool:
    """Sign off an indicator's figures: never one's own (the named lead's) nor one the user entered,
    submitted or last changed (`hands`: Reading.hands()), else approvers for their directorate and
    the performance team for any. Holding the indicator's lead role does not bar a sign-off: a
    director is often both the role that answers for a measure and its approver (the demo's DoCS),
    and separation of duties still keeps them from signing off a figure they had a hand in."""
    if indicator.lead_id is not None and indicator.lead_id == user.pk:
        return False
    if had_a_hand_in(user, hands):
        return False
    if is_performance(user):
        return True
    return is_approver(user) and indicator.directorate_id is not None and (
        indicator.directorate_id == directorate_id_of(user)
    )


# --- Improvement plans ------------------------------------------------------------------

def may_view_plans(user) -> bool:
    """Plans carry unapproved progress: staff only; members read the exceptions in published reports."""
    return is_staff_role(user)


def may_manage_plans(user) -> bool:
    """Set up plans, import them, set element status and issue versions."""
    return is_performance(user)


def lead_role_ids_of(user) -> frozenset:
    """The glossary roles the user holds, read once per request."""
    cached = getattr(user, "_councilperf_lead_roles", None)
    if cached is None:
        profile = getattr(user, "profile", None)
        cached = frozenset(profile.lead_roles.values_list("pk", flat=True)) if profile is not None else frozenset()
        user._councilperf_lead_roles = cached
    return cached


def action_lead_role_ids(action) -> set:
    """The roles that lead an action; a sub-step without its own lead is led by its parent's.

    Reads `lead_roles.all()` so a prefetch on the action (and its parent) is used.
    """
    ids = {role.pk for role in action.lead_roles.all()}
    if not ids and action.parent_id is not None:
        ids = {role.pk for role in action.parent.lead_roles.all()}
    return ids


def may_update_action(user, action) -> bool:
    """A lead updates only the actions whose lead role they hold; the performance team updates all."""
    if is_performance(user):
        return True
    if not (is_officer(user) or is_approver(user)):
        return False
    return bool(action_lead_role_ids(action) & lead_role_ids_of(user))


def action_directorate_ids(action) -> set:
    ids = {role.directorate_id for role in action.lead_roles.all() if role.directorate_id}
    if not ids and action.parent_id is not None:
        ids = {role.directorate_id for role in action.parent.lead_roles.all() if role.directorate_id}
    return ids


def may_review_plan_updates(user) -> bool:
    """The queue of leads' progress updates waiting for sign-off: approvers and the performance team."""
    return is_approver(user) or is_performance(user)


def may_approve_update(user, update) -> bool:
    """Approvers sign off updates to their directorate's actions, the performance team any, but
    nobody an update they submitted or changed (`update.hands()`)."""
    if had_a_hand_in(user, update.hands()):
        return False
    if is_performance(user):
        return True
    if not is_approver(user):
        return False
    return directorate_id_of(user) in action_directorate_ids(update.action)


# --- Risks ------------------------------------------------------------------------------

def may_view_risks(user) -> bool:
    """The register shows unpublished commentary: staff only; members read it in published reports."""
    return is_staff_role(user)


def may_manage_risks(user) -> bool:
    """Add and remove risks, set the rating bands and categories."""
    return is_performance(user)


def may_edit_risk(user, risk) -> bool:
    """Review and update a risk: its owner, or the performance team."""
    if is_performance(user):
        return True
    return is_staff_role(user) and risk.owner_id == user.pk


def may_review_risk_reviews(user) -> bool:
    """The queue of risk reviews waiting for sign-off: approvers and the performance team."""
    return is_approver(user) or is_performance(user)


def may_approve_risk_review(user, review) -> bool:
    """Sign off (or return) an owner's review: approvers for their directorate's risks, the
    performance team any, never the risk's owner nor anyone who recorded or corrected the review
    (`review.hands()`)."""
    if had_a_hand_in(user, review.hands()):
        return False
    if is_performance(user):
        return True
    directorate = review.risk.directorate_id
    return is_approver(user) and directorate is not None and directorate == directorate_id_of(user)


# --- Budgets ----------------------------------------------------------------------------

def may_view_budgets(user) -> bool:
    """Monitoring before publication: staff only; members read it in published reports."""
    return is_staff_role(user)


def may_manage_budgets(user) -> bool:
    """Finance figures are entered by the performance team or imported from the finance system."""
    return is_performance(user)


# --- Monthly updates (indicators: returns, approvals, periods, chasing) -------------------

def may_enter_updates(user) -> bool:
    """See the My updates page: officers, approvers and the performance team (who may lead indicators)."""
    return is_staff_role(user)


def may_enter_updates_for_others(user) -> bool:
    """Open My updates as another officer and enter their figures: the performance team, who may
    change any figure; the history still names the person who made each change."""
    return is_performance(user)


def may_enter_reading_in(user, indicator, period) -> bool:
    """Change an indicator's figure in a period: officers only while it is open, the performance
    team until it is locked. The lock itself is enforced again by the reading services."""
    if period.state == "locked" or not may_edit_reading(user, indicator):
        return False
    return period.state == "open" or is_performance(user)


def may_see_approvals(user) -> bool:
    return is_approver(user) or is_performance(user)


def may_manage_periods(user) -> bool:
    """Open, close, lock and reopen periods, set deadlines, see every return: the performance team."""
    return is_performance(user)


def may_chase(user) -> bool:
    """See what is due and overdue: the performance team (everyone) and approvers (their directorate)."""
    return is_performance(user) or is_approver(user)


def may_export_readings(user) -> bool:
    return is_performance(user)


# --- Reports --------------------------------------------------------------------------

def may_manage_reports(user) -> bool:
    """Create, edit and publish the Cabinet report: the performance team."""
    return is_performance(user)


def may_view_report_draft(user, report=None) -> bool:
    """Drafts show unpublished figures: staff may read them, members never do (they get a 404)."""
    return is_staff_role(user)


def may_view_published_report(user, version=None) -> bool:
    """A published version (page, PDFs, CSV and JSON): everyone with a role, members included."""
    return bool(roles_of(user))


# --- Benchmarking ---------------------------------------------------------------------

def may_view_benchmarking(user) -> bool:
    """Comparator positions sit beside unpublished figures on indicator pages: staff, not members."""
    return is_staff_role(user)


def may_edit_benchmark_commentary(user) -> bool:
    """Edit the sentence drafted on where an indicator stands among comparable councils: the performance team,
    as with the report's paragraphs."""
    return is_performance(user)


def may_manage_benchmarking(user) -> bool:
    """Import comparator figures, keep the comparator groups and map comparator metrics to our indicators:
    the performance team, as with the indicator import."""
    return is_performance(user)
