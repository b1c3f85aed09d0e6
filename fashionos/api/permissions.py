"""Who may do what, expressed once on top of the models' `visible_to` / `editable_by` /
`owned_by` querysets (DESIGN.md section 5).

Views scope `get_queryset()` with `visible_to(request.user)`, so a row the caller may not see
is a 404 before any of these run. The object permissions below only decide the next question:
the caller sees the row, may they change it? (no: 403). Anonymous callers get 401 from
DRF itself, since every class here requires an authenticated caller.
"""

from __future__ import annotations

from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated

from fashionos.accounts.principals import is_service as is_service  # re-exported
from fashionos.accounts.principals import is_user, sees_every_row
from logistics.models import Campaign

MSG_USER_REQUIRED = "This action needs a signed-in user; the service key has no user."
MSG_NOT_EDITOR = "Only the campaign's owners and editors may change it."
MSG_NOT_OWNER = "Only the campaign's owners may do this."
MSG_SERVICE_ONLY = "Only the service role may do this."
MSG_ADMIN_ONLY = "Only admins and the service role may read this."
MSG_NOT_YOURS = "This row belongs to another user."


# The caller predicates live in fashionos.accounts.principals, once; these names stay for
# the modules that import them from here.
is_admin_or_service = sees_every_row


def campaign_writable(user, campaign_id) -> bool:
    """Owners and editors of the campaign, admins and the service role."""
    return Campaign.objects.editable_by(user).filter(pk=campaign_id).exists()


def campaign_owned(user, campaign_id) -> bool:
    """Owners of the campaign, admins and the service role."""
    return Campaign.objects.owned_by(user).filter(pk=campaign_id).exists()


class IsUser(IsAuthenticated):
    """A signed-in user; the service key is refused (403), anonymous callers get 401."""

    message = MSG_USER_REQUIRED
    code = "USER_REQUIRED"

    def has_permission(self, request, view) -> bool:
        return is_user(request.user)


class CampaignRowAccess(IsAuthenticated):
    """Rows of a campaign (the campaign itself, its samples, tasks, assets): anyone who sees
    the row reads it; owners and editors change it."""

    message = MSG_NOT_EDITOR

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in SAFE_METHODS:
            return True
        campaign_id = obj.pk if isinstance(obj, Campaign) else obj.campaign_id
        return campaign_writable(request.user, campaign_id)


class CampaignOwnerAccess(IsAuthenticated):
    """Deleting a campaign: its owners only."""

    message = MSG_NOT_OWNER

    def has_object_permission(self, request, view, obj) -> bool:
        return campaign_owned(request.user, obj.pk)


class CampaignMembersAccess(IsAuthenticated):
    """Members of a campaign are listed to anyone who sees the campaign and managed by its
    owners. The view's `campaign` is resolved through `visible_to`, so an invisible campaign
    is a 404 before the owner check. The check asks `Campaign.objects.owned_by`, the rule
    `CampaignMember.objects.editable_by` is built on, about the campaign rather than about a
    member row: an add has no row yet, and admins must still manage a campaign that has
    lost every member."""

    message = MSG_NOT_OWNER

    def has_permission(self, request, view) -> bool:
        if not super().has_permission(request, view):
            return False
        campaign = view.campaign  # 404 when the caller cannot see it
        return request.method in SAFE_METHODS or campaign_owned(request.user, campaign.pk)


class IsAdminOrService(IsAuthenticated):
    message = MSG_ADMIN_ONLY

    def has_permission(self, request, view) -> bool:
        return is_admin_or_service(request.user)


class PostOpenReadSignedIn(BasePermission):
    """Analytics events: anyone may post (the body's user is checked by the service); reading
    needs a token."""

    def has_permission(self, request, view) -> bool:
        return request.method == "POST" or IsAuthenticated().has_permission(request, view)
