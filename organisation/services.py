"""Changes to a reporting period's state (open, close, lock, reopen) and deadline, each recorded;
and what a single sign-on does to an account (create it, set its roles, deactivate it).

Every change writes a PeriodEvent (shown with the period) and an audit event, in the same
transaction. Locking makes every figure in the period read-only (the reading services refuse
writes); only reopening with a written reason undoes it.
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from . import audit
from .models import Directorate, LeadRole, Period, PeriodEvent, Profile
from .sso import Entitlements


class PeriodRefused(Exception):
    """The change does not apply to the period as it is (locking a locked period, reopening without a reason)."""


def _locked_row(period: Period) -> Period:
    return Period.objects.select_for_update().get(pk=period.pk)


def _record(period, *, action, user, reason="", summary, request=None):
    PeriodEvent.objects.create(period=period, action=action, reason=reason, by=user)
    audit.record(user=user, action=f"period_{action}", obj=period, summary=summary, request=request)


@transaction.atomic
def period_open(*, period: Period, user, deadline: date | None = None, request=None) -> Period:
    """Open a period for officers' updates; a locked period must be reopened with a reason instead."""
    period = _locked_row(period)
    if period.state == Period.LOCKED:
        raise PeriodRefused(f"{period.label} is locked; reopen it with a reason")
    if period.state == Period.OPEN:
        raise PeriodRefused(f"{period.label} is already open")
    period.state = Period.OPEN
    fields = ["state"]
    if deadline is not None:
        period.deadline = deadline
        fields.append("deadline")
    period.save(update_fields=fields)
    _record(period, action=PeriodEvent.OPENED, user=user, request=request,
            summary=f"{period.label} opened" + (f", deadline {deadline:%d/%m/%Y}" if deadline else ""))
    return period


@transaction.atomic
def period_close(*, period: Period, user, request=None) -> Period:
    """Close a period to officers; the performance team can still correct it until it is locked."""
    period = _locked_row(period)
    if period.state != Period.OPEN:
        raise PeriodRefused(f"{period.label} is not open")
    period.state = Period.CLOSED
    period.save(update_fields=["state"])
    _record(period, action=PeriodEvent.CLOSED, user=user, request=request, summary=f"{period.label} closed")
    return period


@transaction.atomic
def period_lock(*, period: Period, user, reason: str = "", outstanding: str = "", request=None) -> Period:
    """Lock a period when the report is due: no figure in it can change until it is reopened.

    Which figures are not yet signed off is the indicators' business (indicators.services.period_lock
    checks them and asks for the reason); `outstanding` says what they were, for the record.
    """
    period = _locked_row(period)
    if period.state == Period.LOCKED:
        raise PeriodRefused(f"{period.label} is already locked")
    period.state = Period.LOCKED
    period.save(update_fields=["state"])
    reason = (reason or "").strip()
    kept = f"{outstanding}: {reason}" if outstanding and reason else (reason or outstanding)
    _record(period, action=PeriodEvent.LOCKED, user=user, request=request, reason=kept,
            summary=f"{period.label} locked" + (f" with {kept}" if outstanding else (f": {reason}" if reason else "")))
    return period


@transaction.atomic
def period_reopen(*, period: Period, user, reason: str, request=None) -> Period:
    """Reopen a locked period; the reason is required and kept with the period's events."""
    reason = (reason or "").strip()
    if not reason:
        raise PeriodRefused("Give the reason for reopening the period")
    period = _locked_row(period)
    if period.state != Period.LOCKED:
        raise PeriodRefused(f"{period.label} is not locked")
    period.state = Period.OPEN
    period.save(update_fields=["state"])
    _record(period, action=PeriodEvent.REOPENED, user=user, reason=reason, request=request,
            summary=f"{period.label} reopened: {reason}")
    return period


@transaction.atomic
def period_set_deadline(*, period: Period, user, deadline: date | None, request=None) -> Period:
    """Set (or clear) the date officers' figures are due."""
    period = _locked_row(period)
    if period.state == Period.LOCKED:
        raise PeriodRefused(f"{period.label} is locked; reopen it with a reason")
    period.deadline = deadline
    period.save(update_fields=["deadline"])
    when = f"{deadline.day} {deadline:%B %Y}" if deadline else "none"
    _record(period, action=PeriodEvent.DEADLINE, user=user, request=request,
            summary=f"{period.label} deadline: {when}")
    return period


# --- Single sign-on ------------------------------------------------------------------------


def _free_username(claims) -> str:
    """A free username from the provider's preferred username or e-mail (what people see in lists)."""
    base = str(claims.get("preferred_username") or claims.get("email") or claims.get("sub") or "user")[:140]
    User = get_user_model()
    candidate, n = base, 1
    while User.objects.filter(username__iexact=candidate).exists():
        n += 1
        candidate = f"{base}-{n}"
    return candidate


@transaction.atomic
def sso_user_create(*, sociallogin, claims, provider_name: str, request=None):
    """The account for someone's first sign-in: no password, linked to the provider's issuer and subject id."""
    user = sociallogin.user
    user.username = _free_username(claims)
    user.set_unusable_password()
    sociallogin.save(request)
    audit.record(username=user.get_username(), action="sso_account_created", obj=user, request=request,
                 summary=f"First sign-in with {provider_name} ({sociallogin.account.uid})")
    return user


@transaction.atomic
def sso_user_update(*, user, claims, request=None) -> None:
    """Keep the name and e-mail as the provider has them, and give the user a profile."""
    changed = []
    for field, claim in (("first_name", "given_name"), ("last_name", "family_name"), ("email", "email")):
        value = str(claims.get(claim) or "")[:150]
        if value and getattr(user, field) != value:
            setattr(user, field, value)
            changed.append(field)
    if not user.first_name and not user.last_name and claims.get("name"):
        first, _, last = str(claims["name"]).partition(" ")
        user.first_name, user.last_name = first[:150], last[:150]
        changed += ["first_name", "last_name"]
    if changed:
        user.save(update_fields=sorted(set(changed)))
    Profile.objects.get_or_create(user=user)


@transaction.atomic
def sso_roles_apply(*, user, entitlements: Entitlements, provider_name: str, request=None) -> list[str]:
    """Make the user's roles, lead roles and directorate what the provider's claims say; record changes.

    Roles not given by the claims are taken away, so no one keeps access the provider no longer
    grants. Lead roles the mapping does not mention stay as the performance team set them.
    Returns the changes, in words.
    """
    changes = []
    current = set(user.groups.values_list("name", flat=True))
    wanted = set(entitlements.roles)
    for name in sorted(wanted - current):
        user.groups.add(Group.objects.get_or_create(name=name)[0])
        changes.append(f"role {name} given")
    removed = sorted(current - wanted)
    if removed:
        user.groups.remove(*Group.objects.filter(name__in=removed))
        changes += [f"role {name} taken away" for name in removed]

    profile, _ = Profile.objects.select_for_update().get_or_create(user=user)
    held = {role.abbreviation: role for role in profile.lead_roles.all()}
    managed = entitlements.managed_lead_roles
    for abbreviation in sorted(entitlements.lead_roles - held.keys()):
        role = LeadRole.objects.filter(abbreviation=abbreviation).first()
        if role is None:
            changes.append(f"lead role {abbreviation} not in the glossary, not given")
            continue
        profile.lead_roles.add(role)
        changes.append(f"lead role {abbreviation} given")
    for abbreviation in sorted((held.keys() & managed) - entitlements.lead_roles):
        profile.lead_roles.remove(held[abbreviation])
        changes.append(f"lead role {abbreviation} taken away")

    if entitlements.directorate:
        directorate = (
            Directorate.objects.filter(code__iexact=entitlements.directorate).first()
            or Directorate.objects.filter(name__iexact=entitlements.directorate).first()
        )
        if directorate is not None and profile.directorate_id != directorate.pk:
            profile.directorate = directorate
            profile.save(update_fields=["directorate"])
            changes.append(f"directorate {directorate.code}")

    if changes:
        audit.record(
            user=None, username=user.get_username(), action="sso_roles_changed", obj=user, request=request,
            summary=f"From {provider_name}: " + "; ".join(changes),
        )
    return changes


@transaction.atomic
def sso_user_deactivate(*, user, reason: str, request=None) -> None:
    """Switch the account off (the provider says it is disabled) and take its roles away."""
    user.is_active = False
    user.save(update_fields=["is_active"])
    user.groups.clear()
    audit.record(username=user.get_username(), action="sso_user_deactivated", obj=user, request=request,
                 summary=reason)
