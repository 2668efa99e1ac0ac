"""Record what people do (sign-in, changes, imports, publications, exports) in the audit log."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver

from core.http import client_address, current_address, current_user

from .models import AuditEvent


def record(*, user=None, action: str, obj=None, summary: str = "", request=None, username: str = "") -> AuditEvent:
    """Append one event. Call it inside the same transaction as the change it records.

    The client's address comes from `request` when the caller has it, else from the request
    being handled (core.http): a service called from a view is recorded with the address too.
    Both read it behind the trusted proxies (COUNCILPERF_TRUSTED_PROXIES), never the proxy's own.
    """
    ip = client_address(request) if request is not None else current_address()
    return AuditEvent.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        username=username or (user.get_username() if user is not None and user.is_authenticated else ""),
        action=action,
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        summary=summary[:2000],
        ip_address=ip,
    )


@receiver(user_logged_in)
def _signed_in(sender, request, user, **kwargs):
    # organisation.sso_allauth marks a sign-in through the council's identity provider.
    sso = getattr(request, "councilperf_sso", "")
    if sso:
        record(user=user, action="sso_signed_in", request=request, summary=f"Signed in {sso}")
    else:
        record(user=user, action="signed_in", request=request)


@receiver(user_login_failed)
def _sign_in_failed(sender, credentials, request=None, **kwargs):
    record(action="sign_in_failed", username=str(credentials.get("username", ""))[:150], request=request)


# --- Who may do what: groups and permissions, changed in the admin or anywhere else ------------


def _names(model, pks) -> str:
    return ", ".join(sorted(str(o) for o in model.objects.filter(pk__in=pks))) if pks else ""


def _actor():
    user = current_user()
    return user if user is not None and getattr(user, "is_authenticated", False) else None


@receiver(m2m_changed, sender=get_user_model().groups.through)
def _user_groups_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    verb = {"post_add": "added to", "post_remove": "removed from", "post_clear": "removed from every group"}[action]
    if reverse:  # group.user_set.add(...): instance is the group
        who = _names(get_user_model(), pk_set) or "everyone"
        summary = f"{who} {verb} {instance}" if action != "post_clear" else f"every member removed from {instance}"
        record(user=_actor(), action="group_membership_changed", obj=instance, summary=summary)
    else:
        groups = _names(Group, pk_set)
        summary = f"{instance.get_username()} {verb} {groups}".rstrip()
        record(user=_actor(), action="group_membership_changed", obj=instance, summary=summary)


@receiver(m2m_changed, sender=get_user_model().user_permissions.through)
@receiver(m2m_changed, sender=Group.permissions.through)
def _permissions_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    verb = {"post_add": "granted", "post_remove": "withdrawn", "post_clear": "all withdrawn"}[action]
    if reverse:  # permission.group_set / permission.user_set: instance is the permission
        summary = f"{instance.codename} {verb} for {len(pk_set or ())} holder(s)"
    else:
        from_model = model.objects.filter(pk__in=pk_set or ()).values_list("codename", flat=True)
        summary = f"{instance}: permissions {verb} {', '.join(sorted(from_model))}".rstrip()
    record(user=_actor(), action="permissions_changed", obj=instance, summary=summary)


@receiver(post_save, sender=Group)
def _group_saved(sender, instance, created, **kwargs):
    record(user=_actor(), action="group_created" if created else "group_changed", obj=instance, summary=str(instance))


@receiver(post_delete, sender=Group)
def _group_deleted(sender, instance, **kwargs):
    record(user=_actor(), action="group_deleted", summary=str(instance))


@receiver(pre_save, sender=get_user_model())
def _superuser_or_staff_changed(sender, instance, update_fields=None, **kwargs):
    """Becoming (or ceasing to be) a superuser or staff, i.e. gaining admin access, is recorded."""
    if update_fields is not None and not {"is_superuser", "is_staff"} & set(update_fields):
        return  # a sign-in's last_login, a profile change: no admin access changes
    if instance.pk is None:
        if instance.is_superuser or instance.is_staff:
            record(user=_actor(), action="permissions_changed",
                   summary=f"{instance.get_username()} created with admin access")
        return
    was = sender.objects.filter(pk=instance.pk).values_list("is_superuser", "is_staff").first()
    now = (instance.is_superuser, instance.is_staff)
    if was is not None and tuple(was) != now:
        record(user=_actor(), action="permissions_changed", obj=instance,
               summary=f"{instance.get_username()}: superuser {was[0]} -> {now[0]}, staff {was[1]} -> {now[1]}")
