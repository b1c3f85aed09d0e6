"""Who may change a campaign and its rows, expressed once on top of the models'
`visible_to` / `editable_by` / `owned_by` querysets (DESIGN.md section 5).

Views scope `get_queryset()` with `visible_to(request.user)`, so a row the caller may not see
is a 404 before any of these run. The object permissions below only decide the next question:
the caller sees the row, may they change it? (no: 403). The table registry's `insertable`
uses `campaign_writable` too, so `/api/v1` and `/rest/v1` ask the same question.

A view that reads the row to change may ask that question in the same statement
(`write_check_annotate`): the row then carries the answer, and `CampaignRowAccess` reads it
instead of sending a query of its own.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet
from rest_framework.permissions import SAFE_METHODS, IsAuthenticated

from fashionos.principals import Actor
from logistics.models import Campaign

MSG_NOT_EDITOR = "Only the campaign's owners and editors may change it."
MSG_NOT_OWNER = "Only the campaign's owners may do this."


def campaign_writable(user: Actor, campaign_id) -> bool:
    """Owners and editors of the campaign, admins and the service role."""
    return Campaign.objects.editable_by(user).filter(pk=campaign_id).exists()


def campaign_owned(user: Actor, campaign_id) -> bool:
    """Owners of the campaign, admins and the service role."""
    return Campaign.objects.owned_by(user).filter(pk=campaign_id).exists()


# The attribute `write_check_annotate` gives each row.
CALLER_MAY_WRITE = "caller_may_write"


def write_check_annotate(rows: QuerySet, user: Actor) -> QuerySet:
    """`rows` (campaigns, or rows of a campaign) each annotated with whether `user` may change
    it: `campaign_writable` as a subquery of the read, the same rule without a round trip."""
    campaign_ref = "pk" if rows.model is Campaign else "campaign_id"
    writable = Campaign.objects.editable_by(user).filter(pk=OuterRef(campaign_ref))
    return rows.annotate(**{CALLER_MAY_WRITE: Exists(writable)})


class CampaignRowAccess(IsAuthenticated):
    """Rows of a campaign (the campaign itself, its samples, tasks, assets): anyone who sees
    the row reads it; owners and editors change it. Read from the row when it was loaded
    through `write_check_annotate`, else asked of the database."""

    message = MSG_NOT_EDITOR

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in SAFE_METHODS:
            return True
        checked = getattr(obj, CALLER_MAY_WRITE, None)
        if checked is not None:
            return checked
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
