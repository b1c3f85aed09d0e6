"""Writes to a campaign's members, and the one-owner rule they keep whoever calls: a campaign
always has an owner, even when two owners demote or remove each other at once."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from fashionos.realtime.changes import membership_announce
from logistics.models import Campaign, CampaignMember, CampaignRole, MemberJoined
from logistics.services.rows import campaign_lock

MSG_LAST_OWNER = "A campaign must keep at least one owner."
MSG_ALREADY_MEMBER = "This user is already a member of the campaign."


@transaction.atomic
def member_add(
    *, campaign: Campaign, user, role: str, joined: str = MemberJoined.ADDED
) -> CampaignMember:
    """Add `user` to the campaign; refuses a user who is already a member. `joined` says how
    (an administrator's direct add unless told otherwise: `invitation_accept` says
    accepted)."""
    campaign_lock(campaign.pk)
    if CampaignMember.objects.filter(campaign=campaign, user=user).exists():
        raise ValidationError({"user": [MSG_ALREADY_MEMBER]})
    member = CampaignMember.objects.create(campaign=campaign, user=user, role=role, joined=joined)
    membership_announce(user_id=user.pk, campaign_id=campaign.pk, role=role)
    return member


def campaign_keeps_owner(*, campaign_id, roles_after: Mapping[Any, str | None]) -> bool:
    """The one-owner rule: will the campaign have an owner once its members have the roles in
    `roles_after` (member pk, or any key for a new row → role; None = removed)? A
    `campaign_id` of None is a campaign being set up, with no members yet. The services check
    it under the campaign's lock; the back office asks it to show a form error first."""
    roles = {}
    if campaign_id is not None:
        roles = dict(
            CampaignMember.objects.filter(campaign_id=campaign_id).values_list("pk", "role")
        )
    roles.update(roles_after)
    return CampaignRole.OWNER in roles.values()


def member_change_keeps_owner(*, member: CampaignMember, role_after: str | None) -> bool:
    """Does giving `member` the role `role_after` (None = removing it), from its role as
    stored, leave its campaign an owner (`campaign_keeps_owner`)?"""
    stored = CampaignMember.objects.filter(pk=member.pk).values_list("role", flat=True).first()
    if stored != CampaignRole.OWNER or role_after == CampaignRole.OWNER:
        return True
    return campaign_keeps_owner(campaign_id=member.campaign_id, roles_after={member.pk: role_after})


def _member_locked(member: CampaignMember) -> None:
    """Lock the member's campaign, then re-read the member's role: a concurrent write may
    have changed it since `member` was loaded."""
    campaign_lock(member.campaign_id)
    member.refresh_from_db(fields=["role"])


@transaction.atomic
def member_update_role(*, member: CampaignMember, role: str) -> CampaignMember:
    """Change a member's role; refuses to demote the last owner (ValidationError), even when
    two owners demote each other at the same time."""
    _member_locked(member)
    demoting_owner = member.role == CampaignRole.OWNER and role != CampaignRole.OWNER
    kept = {member.pk: role}
    if demoting_owner and not campaign_keeps_owner(
        campaign_id=member.campaign_id, roles_after=kept
    ):
        raise ValidationError({"role": [MSG_LAST_OWNER]})
    member.role = role
    member.save(update_fields=["role"])
    membership_announce(user_id=member.user_id, campaign_id=member.campaign_id, role=role)
    return member


@transaction.atomic
def member_remove(*, member: CampaignMember) -> None:
    """Remove a member; refuses to remove the last owner (ValidationError), even when two
    owners remove each other at the same time."""
    _member_locked(member)
    removed = {member.pk: None}
    if member.role == CampaignRole.OWNER and not campaign_keeps_owner(
        campaign_id=member.campaign_id, roles_after=removed
    ):
        raise ValidationError({"role": [MSG_LAST_OWNER]})
    member.delete()
    membership_announce(user_id=member.user_id, campaign_id=member.campaign_id, role=None)
