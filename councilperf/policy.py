"""Who may see and change what: the one place every view, form, upload, export and the admin asks.

Roles are Django groups. Officers change only what they lead, approvers only their
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


def is_member(user) -> bool:
    return MEMBER in roles_of(user)


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


# --- Indicators -----------------------------------------------------------------------

def may_view_indicators(user) -> bool:
    """Indicator pages show unpublished figures: staff only, not members."""
    return is_staff_role(user)


def may_manage_indicators(user) -> bool:
    """Set up indicators, targets and imports."""
    return is_performance(user)


def may_edit_reading(user, indicator) -> bool:
    """Enter or change an indicator's figures (period lock is checked by the service)."""
    if is_performance(user):
        return True
    return is_officer(user) and indicator.lead_id == user.pk


def may_approve_reading(user, indicator) -> bool:
    if is_performance(user):
        return True
    return is_approver(user) and indicator.directorate_id is not None and (
        indicator.directorate_id == directorate_id_of(user)
    )
