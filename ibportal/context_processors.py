from django.http import HttpRequest

from schools.models import get_scope


def navigation(request: HttpRequest) -> dict:
    """The user's roles, for the menu. Reads memberships once per request (cached on the user)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"scope": get_scope(user)}
