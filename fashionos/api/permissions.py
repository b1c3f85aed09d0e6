"""Permissions every app uses: who the caller must be (DESIGN.md section 5).

Views scope `get_queryset()` with `visible_to(request.user)`, so a row the caller may not see
is a 404 before any permission runs. Anonymous callers get 401 from DRF itself, since every
class here requires an authenticated caller. Rules about one app's rows (campaign roles) live
in that app (`logistics/permissions.py`).
"""

from __future__ import annotations

from rest_framework.permissions import BasePermission, IsAuthenticated

from fashionos.principals import is_user, sees_every_row

MSG_USER_REQUIRED = "This action needs a signed-in user; the service key has no user."
MSG_SERVICE_ONLY = "Only the service role may do this."
MSG_ADMIN_ONLY = "Only admins and the service role may read this."
MSG_NOT_YOURS = "This row belongs to another user."


class IsUser(IsAuthenticated):
    """A signed-in user; the service key is refused (403), anonymous callers get 401."""

    message = MSG_USER_REQUIRED
    code = "USER_REQUIRED"

    def has_permission(self, request, view) -> bool:
        return is_user(request.user)


class IsAdminOrService(IsAuthenticated):
    message = MSG_ADMIN_ONLY

    def has_permission(self, request, view) -> bool:
        return sees_every_row(request.user)


class PostOpenReadSignedIn(BasePermission):
    """Anyone may post (the service checks whose row the body names); reading needs a
    token. Analytics events are written this way."""

    def has_permission(self, request, view) -> bool:
        return request.method == "POST" or IsAuthenticated().has_permission(request, view)
