"""What the app knows of the request beyond its view: the client's address behind trusted proxies,
who is acting now (for records written far from a request), and headers every private page carries.

The client address: with `COUNCILPERF_TRUSTED_PROXIES = 0` (the default) it is the connection's
address (REMOTE_ADDR). Behind N proxies that each append to X-Forwarded-For (a load balancer, then
nginx: N = 2), it is the Nth address from the right of X-Forwarded-For, the one the outermost
trusted proxy saw; anything further left was written by the client and is never believed. The
audit log and sign-in throttling (django-axes) both use it. See docs/operations.md.
"""

from __future__ import annotations

import contextvars
import ipaddress

from django.conf import settings

_current_address: contextvars.ContextVar[str | None] = contextvars.ContextVar("client_address", default=None)
_current_user: contextvars.ContextVar[object | None] = contextvars.ContextVar("acting_user", default=None)


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_address(request) -> str | None:
    """The client's IP address as the outermost trusted proxy saw it; None if it cannot be known."""
    remote = _valid(request.META.get("REMOTE_ADDR", "") or "")
    hops = int(getattr(settings, "COUNCILPERF_TRUSTED_PROXIES", 0) or 0)
    if hops <= 0:
        return remote
    forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < hops:
        # Fewer entries than proxies: the request did not come through all of them; trust only the connection.
        return remote
    return _valid(forwarded[-hops])


def current_address() -> str | None:
    """The client address of the request being handled in this thread or task, if any."""
    return _current_address.get()


def current_user():
    """The signed-in user of the request being handled, if any (for records written by signals)."""
    return _current_user.get()


class RequestContextMiddleware:
    """Keeps the client address and the user for the length of the request, and marks every page
    shown to a signed-in person `Cache-Control: private, no-store` (unpublished figures must not
    stay in a shared cache or on a shared computer's disk)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        address = _current_address.set(client_address(request))
        user = _current_user.set(getattr(request, "user", None))
        try:
            response = self.get_response(request)
        finally:
            _current_address.reset(address)
            _current_user.reset(user)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "private, no-store"
            response.headers.pop("Expires", None)
        return response


def axes_client_ip(request) -> str | None:
    """AXES_CLIENT_IP_CALLABLE: sign-in throttling counts failures by the same address as the audit log."""
    return client_address(request)
