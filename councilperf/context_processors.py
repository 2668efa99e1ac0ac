"""Template context every page needs: the council's name and the user's roles for the navigation."""

from django.conf import settings

from core import policy


def council(request):
    user = getattr(request, "user", None)
    return {
        "council_name": settings.COUNCIL_NAME,
        "roles": policy.roles_of(user) if user is not None else frozenset(),
    }
