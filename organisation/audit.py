"""Record what people do (sign-in, changes, imports, publications, exports) in the audit log."""

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from .models import AuditEvent


def record(*, user=None, action: str, obj=None, summary: str = "", request=None, username: str = "") -> AuditEvent:
    """Append one event. Call it inside the same transaction as the change it records."""
    ip = None
    if request is not None:
        ip = request.META.get("REMOTE_ADDR")
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
